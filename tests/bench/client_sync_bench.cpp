// Client sync benchmark: the real tandem-server (--demo, loopback) and client-core
// objects (ClientService, SyncEngine over libcurl), against a raw-SQLite baseline
// (raw_baseline.h) measured in the same run.
//
//   client_sync_bench [--edits N] [--bulk N]
//
// 1. Edit → visible elsewhere: replica A (sales.li) edits a task's percent and syncs;
//    replica B (sales.wang) is a ClientService in watch mode (/live + pull). Latency is
//    from A's edit to B's sync that brings it in; p50/p95 over N edits (default 200).
// 2. Bulk: A makes N ops offline (default 10,000: progress entries, 5 ops each), pushes
//    them in one sync; a fresh replica C pulls them. Time and bytes on the wire (HTTP
//    headers + bodies as sent, gzip), against the baseline: the same ops written to a
//    plain-SQLite LWW store, shipped as compact JSON (gzip), applied to a second store.
// Needs TANDEM_SERVER_BIN (compile definition; the environment variable of that name
// overrides it). Exit 1 when something fails.

#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <regex>

#include "../e2e/support.h"
#include "bench_util.h"
#include "raw_baseline.h"
#include "tandem/client/client_service.h"
#include "tandem/client/http_client.h"

using namespace tandem;
using namespace tandem::bench;
using core::Json;

namespace {

std::unique_ptr<client::ClientService> openService(const std::string& dir, client::ServiceOptions options = {}) {
    options.replicaDir = dir;
    options.replica.durable = true;
    return must(client::ClientService::open(std::move(options)), "open replica");
}

struct DemoIds {
    std::string plan, task, member;
};

DemoIds demoIds(client::ClientService& service) {
    return service
        .call([](client::Context& ctx) {
            DemoIds ids;
            ids.member = ctx.session()->member;
            std::string sales;
            // Keep each Result alive for its loop.
            const auto departments = must(ctx.replica().entities("department"), "read departments");
            const auto plans = must(ctx.replica().entities("plan"), "read plans");
            const auto tasks = must(ctx.replica().entities("task"), "read tasks");
            for (const auto& d : departments)
                if (d.get("code") == Json("SALES")) sales = d.id.hex();
            for (const auto& p : plans)
                if (p.get("title") == Json("Q3 新品推广")) ids.plan = p.id.hex();
            for (const auto& t : tasks)
                if (t.get("lead_department") == Json(sales) && !t.deleted()) ids.task = t.id.hex();
            return ids;
        })
        .get();
}

std::string gzip(const std::string& s) { return client::gzipCompress(s); }

}  // namespace

int main(int argc, char** argv) {
    g_benchName = "client_sync_bench";
    int edits = 200, bulkEntries = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--edits") edits = std::atoi(argv[i + 1]);
        else if (a == "--bulk") bulkEntries = std::max(1, std::atoi(argv[i + 1]) / 5);
        else die("usage: client_sync_bench [--edits N] [--bulk N]");
    }
    test::TempDir tmp;
    // TANDEM_SERVER_BIN in the environment picks another build of the server (e.g. Release).
    const char* serverBin = std::getenv("TANDEM_SERVER_BIN");
    test::Process server({serverBin && *serverBin ? serverBin : TANDEM_SERVER_BIN, "--data", tmp.sub("server"), "--listen", "127.0.0.1:0", "--demo"}, {},
                         tmp.sub("server.log"));
    auto line = server.readLine(std::chrono::seconds(30));
    std::smatch m;
    const std::regex re("listening on (http://[^ ]+)");
    if (!line || !std::regex_search(*line, m, re)) die("the server did not start");
    const std::string url = m[1];

    // ---- 1. edit on A → visible on B -----------------------------------------------------
    auto a = openService(tmp.sub("a"));
    must(a->login(url, "sales.li", "tandem-demo").get(), "login A");
    must(a->syncNow().get(), "sync A");
    const DemoIds ids = demoIds(*a);
    if (ids.task.empty()) die("no SALES task in the demo plan");

    std::mutex mutex;
    std::condition_variable seen;
    std::int64_t bCursor = 0;
    Clock::time_point bSeenAt;
    client::ServiceOptions bOptions;
    bOptions.onSynced = [&](const core::Result<client::SyncReport>& r) {
        if (!r) return;
        std::lock_guard lock(mutex);
        bCursor = std::max(bCursor, r->cursor);
        bSeenAt = Clock::now();
        seen.notify_all();
    };
    auto b = openService(tmp.sub("b"), bOptions);
    must(b->login(url, "sales.wang", "tandem-demo").get(), "login B");
    b->setWatching(true);

    const auto task = *core::EntityId::parse(ids.task);
    std::vector<double> latencies;
    for (int i = 0; i < edits; ++i) {
        const auto t0 = Clock::now();
        const int percent = i % 2 == 0 ? 10 + i % 80 : 90 - i % 80;
        must(a->call([&](client::Context& ctx) { return ctx.replica().write(task, "task", "percent", percent); }).get(),
             "edit A");
        const auto report = must(a->syncNow().get(), "push A");
        std::unique_lock lock(mutex);
        if (!seen.wait_for(lock, std::chrono::seconds(30), [&] { return bCursor >= report.cursor; }))
            die("B never saw edit " + std::to_string(i));
        latencies.push_back(ms(bSeenAt - t0));
    }
    const bool live = b->state().live;
    const Json bValue = b->call([&](client::Context& ctx) { return (*ctx.replica().entity(task))->get("percent"); }).get();
    const Json aValue = a->call([&](client::Context& ctx) { return (*ctx.replica().entity(task))->get("percent"); }).get();
    if (bValue != aValue) die("A and B disagree after the latency run");
    b.reset();

    // ---- 2. bulk: N offline ops pushed by A, pulled by a fresh C --------------------------
    const auto member = *core::EntityId::parse(ids.member);
    std::vector<std::vector<std::pair<std::string, Json>>> entries;
    for (int i = 0; i < bulkEntries; ++i)
        entries.push_back({{"plan", ids.plan}, {"task", ids.task}, {"author", member.hex()}, {"percent", i % 101},
                           {"note", "离线进度 " + std::to_string(i) + "：铺货门店回访完成"}});
    const auto w0 = Clock::now();
    must(a->call([&](client::Context& ctx) -> core::Status {
              for (const auto& fields : entries)
                  if (auto w = ctx.replica().write(ctx.replica().newEntityId(), "progress_entry", fields); !w) return w.error();
              return {};
          }).get(),
         "offline edits A");
    const double writeMs = ms(Clock::now() - w0);
    const std::int64_t ops = static_cast<std::int64_t>(bulkEntries) * 5;
    const auto p0 = Clock::now();
    const auto push = must(a->syncNow().get(), "bulk push");
    const double pushMs = ms(Clock::now() - p0);
    if (push.accepted != ops) die("not every op was accepted");

    auto c = openService(tmp.sub("c"));
    must(c->login(url, "sales.wang", "tandem-demo").get(), "login C");
    const auto q0 = Clock::now();
    const auto pull = must(c->syncNow().get(), "bulk pull");
    const double pullMs = ms(Clock::now() - q0);
    const auto pending = a->call([](client::Context& ctx) { return *ctx.replica().pendingOps(static_cast<std::size_t>(1)); }).get();
    if (!pending.empty()) die("A still has pending ops");

    // Baseline: the same ops into a plain-SQLite LWW store (one transaction per entry, as
    // local edits are), shipped as compact JSON gzip, applied to a second store.
    std::vector<bench::RawOp> rawOps;
    std::uint64_t n = 0;
    auto rawA = bench::RawBaseline::open(tmp.sub("raw-a.db"), true);
    auto rawB = bench::RawBaseline::open(tmp.sub("raw-b.db"), true);
    const auto r0 = Clock::now();
    std::uint64_t hlc = 1;
    for (int i = 0; i < bulkEntries; ++i) {
        std::vector<bench::RawOp> batch;
        core::EntityId id{static_cast<std::uint64_t>(i) + 1, 42};
        for (const auto& [field, value] : entries[static_cast<std::size_t>(i)]) {
            bench::RawOp op;
            op.site = 7;
            op.n = ++n;
            op.entity = id.bytes();
            op.type = "progress_entry";
            op.field = field;
            op.value = value.dump();
            op.hlc = ++hlc;
            batch.push_back(op);
        }
        rawA->applyBatch(batch);
        rawOps.insert(rawOps.end(), batch.begin(), batch.end());
    }
    const double rawWriteMs = ms(Clock::now() - r0);
    const auto r1 = Clock::now();
    Json wire = Json::array();
    for (const auto& op : rawOps)
        wire.push_back({op.n, core::EntityId::fromBytes(op.entity.data()).hex(), op.field, Json::parse(op.value), op.hlc});
    const std::string wireText = wire.dump();
    const std::string wireGz = gzip(wireText);
    auto decoded = Json::parse(wireText);
    std::vector<bench::RawOp> received;
    for (const auto& o : decoded) {
        bench::RawOp op;
        op.site = 7;
        op.n = o[0].get<std::uint64_t>();
        op.entity = core::EntityId::parse(o[1].get<std::string>())->bytes();
        op.type = "progress_entry";
        op.field = o[2].get<std::string>();
        op.value = o[3].dump();
        op.hlc = o[4].get<std::uint64_t>();
        received.push_back(std::move(op));
    }
    rawB->applyBatch(received);
    const double rawTransferMs = ms(Clock::now() - r1);

    const double p50 = percentile(latencies, 0.50), p95 = percentile(latencies, 0.95);
    const std::int64_t tandemBytes = push.wire.bytesSent + push.wire.bytesReceived + pull.wire.bytesSent + pull.wire.bytesReceived;
    std::printf("client_sync_bench (loopback; build type as configured)\n\n");
    std::printf("| measure | Tandem | raw-SQLite baseline | ratio |\n|---|---|---|---|\n");
    std::printf("| edit on A → visible on B (%s), p50 over %d edits | %.1f ms | | |\n", live ? "/live" : "polling", edits, p50);
    std::printf("| edit on A → visible on B, p95 | %.1f ms | | |\n", p95);
    std::printf("| %lld offline edits written locally | %.0f ms | %.0f ms | %.2f |\n", static_cast<long long>(ops), writeMs,
                rawWriteMs, writeMs / rawWriteMs);
    std::printf("| push %lld ops (A) + pull them (fresh C) | %.0f + %.0f ms | %.0f ms (encode+apply) | %.2f |\n",
                static_cast<long long>(ops), pushMs, pullMs, rawTransferMs, (pushMs + pullMs) / rawTransferMs);
    std::printf("| bytes on the wire, push + pull (gzip) | %lld (%lld requests) | %zu (JSON gzip; %zu plain) | %.2f |\n",
                static_cast<long long>(tandemBytes), static_cast<long long>(push.wire.requests + pull.wire.requests),
                wireGz.size(), wireText.size(), static_cast<double>(tandemBytes) / (2.0 * static_cast<double>(wireGz.size())));
    std::printf("\n(the wire ratio compares with the baseline's bytes counted twice: once up, once down;\n"
                " C pulled %lld ops in all, the demo data included)\n", static_cast<long long>(pull.pulled));
    a.reset();
    c.reset();
    server.signal(SIGTERM);
    if (server.wait() != 0) die("the server did not exit 0 on SIGTERM");
    return 0;
}
