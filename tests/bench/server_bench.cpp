// Server benchmark over the real tandem-server binary and loopback HTTP (label bench):
//  1. push 100,000 field ops in batches of 1,000, against the plain-SQLite LWW baseline
//     (raw_baseline.h) applying the same ops in the same run;
//  2. a fresh client pulling 1,000,000 ops (paged, gzip);
//  3. 200 concurrent syncing clients (a sync every 1-3 s each; then back to back):
//     latency p50/p99 and errors;
//  4. edit → another client notified via /api/v1/live and pulled: p50/p95.
// Usage: server_bench [--scale F] [--push-only]
//   F scales the op counts (1 = the numbers above); --push-only stops after 1, for
//   profiling the push (`perf record -p` on the server's pid, which it prints).
// Run it on a Release build; a Debug build measures the debugger's overhead mostly.

#include "server_load.h"

using namespace tandem::test;
using nlohmann::json;

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // results show up as they are measured
    double scale = 1.0;
    bool pushOnly = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--scale" && i + 1 < argc) {
            scale = std::atof(argv[++i]);
        } else if (arg == "--push-only") {
            pushOnly = true;
        } else {
            std::fprintf(stderr, "usage: server_bench [--scale F] [--push-only]\n");
            return 2;
        }
    }
    auto scaled = [&](double n) {
        return std::max<std::size_t>(5000, static_cast<std::size_t>(n * scale) / 5000 * 5000);
    };
    const std::size_t pushOps = scaled(100'000);
    const std::size_t pullOps = scaled(1'000'000);
    const int clients = std::max(10, static_cast<int>(200 * std::min(1.0, scale * 10)));
    const int liveRounds = 100;
    constexpr std::size_t kBatch = 1000;  // 200 progress entries × 5 fields

    DemoServer server;
    server.process = std::make_unique<ServerProcess>(
        ServerOptions{server.dir.path(), true, {}, {{"TANDEM_MAX_CONNECTIONS", "2000"}}});
    if (!server.process->started()) {
        std::fprintf(stderr, "server did not start:\n%s\n", server.process->stderrText().c_str());
        return 1;
    }
    const std::string host = server.process->host();
    const auto port = server.process->port();
    std::printf("tandem-server pid %d on %s:%u\n", static_cast<int>(server.process->pid()), host.c_str(),
                static_cast<unsigned>(port));
    bool ok = true;

    // One bench plan per department, led by it, with 10 tasks; its members log progress.
    const std::vector<std::pair<std::string, std::vector<std::string>>> departments = {
        {"mkt.head", {"mkt.head", "mkt.chen"}},
        {"sales.head", {"sales.head", "sales.li", "sales.wang"}},
        {"prod.head", {"prod.head", "prod.liu"}},
        {"svc.head", {"svc.head", "svc.sun"}},
        {"fin.head", {"fin.head"}}};
    std::map<std::string, BenchPlan> plans;  // by head
    std::vector<std::pair<std::string, const BenchPlan*>> writers;
    for (const auto& [head, members] : departments) {
        Pusher pusher{HttpConnection(host, port, kBenchTimeout), bearer(server, head)};
        const std::string department = loginAs(server, head)["department"].get<std::string>();
        plans[head] = createPlan(pusher, department, "压测计划 " + head, 10);
        for (const std::string& member : members) writers.emplace_back(member, &plans[head]);
    }
    const BenchPlan& mktPlan = plans["mkt.head"];
    auto member = [&](const std::string& username) { return loginAs(server, username)["member"].get<std::string>(); };

    // The concurrent clients first sync the way a new laptop does: pull from 0 until
    // current. Their sites are then known to the server, as in a working organisation.
    std::vector<BenchClient> benchClients;
    for (int c = 0; c < clients; ++c) {
        const auto& [username, plan] = writers[static_cast<std::size_t>(c) % writers.size()];
        benchClients.push_back(
            BenchClient{bearer(server, username), EntryWriter(plan->id, plan->tasks, member(username))});
    }
    for (BenchClient& client : benchClients) {
        Pusher first{HttpConnection(host, port, kBenchTimeout), client.token};
        std::int64_t at = 0;
        for (json answer;
             (answer = first.sync({{"site", client.writer.site()}, {"cursor", at}, {"ops", json::array()}}))
                 .is_object();) {
            at = answer["cursor"].get<std::int64_t>();
            if (!answer["more"].get<bool>()) break;
        }
        if (first.errors > 0) return 1;
    }

    // 1. Push over HTTP vs the raw baseline, the same ops.
    EntryWriter writer(mktPlan.id, mktPlan.tasks, member("mkt.chen"));
    std::vector<std::string> batches;
    std::vector<std::vector<tandem::bench::RawOp>> rawBatches;
    for (std::size_t done = 0; done < pushOps; done += kBatch) {
        rawBatches.emplace_back();
        const json ops = writer.next(std::min(kBatch, pushOps - done), &rawBatches.back());
        batches.push_back(json{{"site", writer.site()}, {"cursor", 0}, {"ops", ops}, {"limit", 1}}.dump());
    }
    Pusher pusher{HttpConnection(host, port, kBenchTimeout), bearer(server, "mkt.chen")};
    // Batch by batch, the server and then the baseline, so both see the same machine load.
    auto baseline = tandem::bench::RawBaseline::open(server.dir.path() + "/baseline.db", true);
    std::size_t accepted = 0;
    double httpSeconds = 0;
    double rawSeconds = 0;
    for (std::size_t i = 0; i < batches.size(); ++i) {
        auto started = Clock::now();
        const json answer = pusher.syncText(batches[i]);
        httpSeconds += secondsSince(started);
        if (answer.is_object()) accepted += answer["accepted"].size();
        started = Clock::now();
        baseline->applyBatch(rawBatches[i]);
        rawSeconds += secondsSince(started);
    }
    const double httpRate = static_cast<double>(pushOps) / httpSeconds;
    const double rawRate = static_cast<double>(pushOps) / rawSeconds;
    std::printf("push %zu ops in batches of ~1,000 over HTTP: %.0f ops/s (%.2f s), accepted %zu, errors %zu\n", pushOps,
                httpRate, httpSeconds, accepted, pusher.errors);
    std::printf("raw SQLite baseline, same ops, same batches:  %.0f ops/s (%.2f s)\n", rawRate, rawSeconds);
    std::printf("ratio HTTP server / raw baseline: %.3f\n\n", httpRate / rawRate);
    ok = ok && accepted == pushOps && pusher.errors == 0;
    if (pushOnly) return ok ? 0 : 1;

    // 2. Fill up to pullOps, then a fresh client pulls everything.
    for (std::size_t done = pushOps; done < pullOps; done += kBatch) {
        pusher.sync({{"site", writer.site()},
                     {"cursor", 0},
                     {"ops", writer.next(std::min(kBatch, pullOps - done))},
                     {"limit", 1}});
    }
    Pusher fresh{HttpConnection(host, port, kBenchTimeout), bearer(server, "hq.zhao")};
    const std::string freshSite = randomHex(16);
    std::size_t pulled = 0;
    std::int64_t cursor = 0;
    const auto pullStarted = Clock::now();
    for (;;) {
        const json answer =
            fresh.sync({{"site", freshSite}, {"cursor", cursor}, {"ops", json::array()}, {"limit", 5000}}, true);
        if (!answer.is_object()) break;
        pulled += answer["ops"].size();
        cursor = answer["cursor"].get<std::int64_t>();
        if (!answer["more"].get<bool>()) break;
    }
    const double pullSeconds = secondsSince(pullStarted);
    {
        HttpConnection metrics(host, port, kBenchTimeout);
        const std::string text = metrics.request("GET", "/metrics", "", {}).body;
        for (std::size_t at = text.find("tandem_wal_checkpoints_total{"); at != std::string::npos;
             at = text.find("tandem_wal_checkpoints_total{", at + 1))
            std::printf("%s\n", text.substr(at, text.find('\n', at) - at).c_str());
    }
    std::printf("fresh client pulls %zu ops (pages of 5,000, gzip): %.2f s, %.0f ops/s, errors %zu\n\n", pulled,
                pullSeconds, static_cast<double>(pulled) / pullSeconds, fresh.errors);
    ok = ok && pulled >= pullOps && fresh.errors == 0;

    // 3. Concurrent syncing clients, spread over the five departments' plans: each syncs
    // every 1–3 s (about 100 syncs/s offered by 200 clients), pushing one progress entry
    // half of the time and pulling until current from the head (as if they had kept up
    // all along). Then the same clients back to back: the most the server can take.
    const LatencyRun steady = concurrentClients({{host, port}}, benchClients, 10, 1.0, 3.0, 0.5, cursor);
    std::printf(
        "%d concurrent clients, a sync every 1-3 s each (push 1 entry half the time, pull until current), "
        "%zu syncs: p50 %.1f ms, p99 %.1f ms, errors %zu, %.0f syncs/s\n",
        clients, steady.latencies.size(), percentile(steady.latencies, 0.5), percentile(steady.latencies, 0.99),
        steady.errors, static_cast<double>(steady.latencies.size()) / steady.seconds);
    ok = ok && steady.errors == 0;
    const LatencyRun flat = concurrentClients({{host, port}}, benchClients, 5, 0, 0, 1.0, cursor);
    std::printf(
        "%d clients back to back (push 1 entry, pull until current), %zu syncs: p50 %.1f ms, "
        "p99 %.1f ms, errors %zu, %.0f syncs/s\n\n",
        clients, flat.latencies.size(), percentile(flat.latencies, 0.5), percentile(flat.latencies, 0.99), flat.errors,
        static_cast<double>(flat.latencies.size()) / flat.seconds);
    ok = ok && flat.errors == 0;

    // 4. Edit → another client notified via /live and has pulled the edit.
    LiveClient live(host, port, kBenchTimeout);
    if (live.handshake("/api/v1/live", bearer(server, "hq.zhao")) != 101) {
        std::fprintf(stderr, "live handshake failed\n%s\n",
                     [&] {
                         auto t = server.process->stderrText();
                         return t.substr(t.size() > 3000 ? t.size() - 3000 : 0);
                     }()
                         .c_str());
        return 1;
    }
    std::int64_t liveCursor = json::parse(live.readText(kBenchTimeout).value_or("{\"cursor\":0}"))["cursor"];
    Pusher editor{HttpConnection(host, port, kBenchTimeout), bearer(server, "mkt.chen")};
    Pusher reader{HttpConnection(host, port, kBenchTimeout), bearer(server, "hq.zhao")};
    EntryWriter edits(mktPlan.id, mktPlan.tasks, member("mkt.chen"));
    const std::string readerSite = randomHex(16);
    std::int64_t readerCursor = liveCursor;
    std::vector<double> notifyLatencies;
    std::size_t missed = 0;
    for (int round = 0; round < liveRounds; ++round) {
        const json ops = edits.next(EntryWriter::kOpsPerEntry);
        const auto t0 = Clock::now();
        const json answer = editor.sync({{"site", edits.site()}, {"cursor", 0}, {"ops", ops}, {"limit", 1}});
        if (!answer.is_object() || answer["accepted"].size() != EntryWriter::kOpsPerEntry) {
            ++missed;
            continue;
        }
        // Wait for a frame announcing at least the reader's next op, then pull until the edit is seen.
        bool seen = false;
        while (!seen) {
            auto frame = live.readText(kBenchTimeout);
            if (!frame) break;
            liveCursor = json::parse(*frame)["cursor"].get<std::int64_t>();
            if (liveCursor <= readerCursor) continue;
            for (;;) {
                const json pull = reader.sync({{"site", readerSite}, {"cursor", readerCursor}, {"ops", json::array()}});
                if (!pull.is_object()) break;
                for (const auto& op : pull["ops"]) seen = seen || op["entity"] == ops[0]["entity"];
                readerCursor = pull["cursor"].get<std::int64_t>();
                if (!pull["more"].get<bool>()) break;
            }
        }
        if (!seen) {
            ++missed;
            continue;
        }
        notifyLatencies.push_back(secondsSince(t0) * 1000.0);
    }
    std::printf("edit → other client notified via /live and pulled (%d edits): p50 %.1f ms, p95 %.1f ms, missed %zu\n",
                liveRounds, percentile(notifyLatencies, 0.5), percentile(notifyLatencies, 0.95), missed);
    ok = ok && missed == 0;

    const int status = server.process->stop();
    std::printf("\nserver stopped with status %d; %s\n", status, ok ? "all measurements complete" : "ERRORS above");
    return ok && status == 0 ? 0 : 1;
}
