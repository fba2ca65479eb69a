// Server benchmark over the real tandem-server binary and loopback HTTP (label bench):
//  1. push 100,000 field ops in batches of 1,000, against the plain-SQLite LWW baseline
//     (raw_baseline.h) applying the same ops in the same run;
//  2. a fresh client pulling 1,000,000 ops (paged, gzip);
//  3. 200 concurrent syncing clients: latency p50/p99 and errors;
//  4. edit → another client notified via /api/v1/live and pulled: p50/p95.
// Usage: server_bench [--scale F]   (F scales the op counts; 1 = the numbers above).
// Run it on a Release build; a Debug build measures the debugger's overhead mostly.

#include "fixtures.h"
#include "raw_baseline.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

using namespace tandem::test;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Generous: under load a slow request is a measurement, not an error.
constexpr std::chrono::milliseconds kBenchTimeout = std::chrono::minutes(5);

namespace {

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string hex16(std::uint64_t value) {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
    return buffer;
}

/// A writer of new plans (3 field ops each) from one site, as mkt.head.
class PlanWriter {
public:
    PlanWriter(std::string department) : m_site(randomHex(16)), m_department(std::move(department)) {
        m_siteValue = std::stoull(m_site, nullptr, 16);
    }
    const std::string& site() const { return m_site; }

    /// The next `count` ops (a multiple of 3 is best), also as baseline RawOps.
    json next(std::size_t count, std::vector<tandem::bench::RawOp>* raw = nullptr) {
        json ops = json::array();
        const std::uint64_t base = static_cast<std::uint64_t>(nowMs()) << 16;
        while (ops.size() < count) {
            if (m_fieldIndex == 0) m_entity = randomHex(32);
            static const char* kFields[] = {"title", "lead_department", "status"};
            const std::string field = kFields[m_fieldIndex];
            const json value = m_fieldIndex == 0 ? json("bench plan " + std::to_string(m_n))
                               : m_fieldIndex == 1 ? json(m_department)
                                                   : json("draft");
            ++m_n;
            const std::uint64_t hlc = std::max(base, m_lastHlc + 1);
            m_lastHlc = hlc;
            ops.push_back({{"site", m_site}, {"n", m_n}, {"entity", m_entity}, {"type", "plan"},
                           {"field", field}, {"value", value}, {"hlc", hex16(hlc)}});
            if (raw != nullptr) {
                tandem::bench::RawOp op;
                op.site = m_siteValue;
                op.n = m_n;
                for (std::size_t i = 0; i < 16; ++i) {
                    op.entity[i] = static_cast<unsigned char>(std::stoi(m_entity.substr(2 * i, 2), nullptr, 16));
                }
                op.type = "plan";
                op.field = field;
                op.value = value.dump();
                op.hlc = hlc;
                raw->push_back(std::move(op));
            }
            m_fieldIndex = (m_fieldIndex + 1) % 3;
        }
        return ops;
    }

private:
    std::string m_site;
    std::uint64_t m_siteValue = 0;
    std::string m_department;
    std::string m_entity;
    std::uint64_t m_n = 0;
    std::uint64_t m_lastHlc = 0;
    int m_fieldIndex = 0;
};

struct Pusher {
    HttpConnection connection;
    std::string authorization;
    std::size_t errors = 0;

    /// One sync call; returns the answer (null on failure, counted in errors).
    json sync(const json& body, bool gzipAnswer = false) {
        Headers headers{{"Content-Type", "application/json"}, {"Authorization", authorization}};
        if (gzipAnswer) headers.emplace_back("Accept-Encoding", "gzip");
        auto result = connection.request("POST", "/api/v1/sync", body.dump(), headers);
        if (result.status != 200) {
            if (++errors == 1) {
                std::fprintf(stderr, "sync failed: %d %s%s\n", result.status, result.body.substr(0, 200).c_str(),
                             result.error.c_str());
            }
            return nullptr;
        }
        std::string text = result.header("content-encoding") == "gzip" ? gunzipText(result.body) : result.body;
        auto answer = json::parse(text, nullptr, false);
        if (!answer.is_object()) ++errors;
        return answer;
    }
};

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // results show up as they are measured
    double scale = 1.0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--scale" && i + 1 < argc) {
            scale = std::atof(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: server_bench [--scale F]\n");
            return 2;
        }
    }
    auto scaled = [&](double n) {
        return std::max<std::size_t>(3000, static_cast<std::size_t>(n * scale) / 3000 * 3000);
    };
    const std::size_t pushOps = scaled(100'000);
    const std::size_t pullOps = scaled(1'000'000);
    const int clients = std::max(2, static_cast<int>(200 * std::min(1.0, scale * 10)));
    const int roundsPerClient = 5;
    const int liveRounds = 100;
    constexpr std::size_t kBatch = 999;  // 333 plans × 3 fields

    DemoServer server;
    server.process = std::make_unique<ServerProcess>(
        ServerOptions{server.dir.path(), true, {}, {{"TANDEM_MAX_CONNECTIONS", "2000"}}});
    if (!server.process->started()) {
        std::fprintf(stderr, "server did not start:\n%s\n", server.process->stderrText().c_str());
        return 1;
    }
    const std::string host = server.process->host();
    const auto port = server.process->port();
    const std::string department = loginAs(server, "mkt.head")["department"].get<std::string>();
    bool ok = true;

    // 1. Push over HTTP vs the raw baseline, the same ops.
    PlanWriter writer(department);
    std::vector<json> batches;
    std::vector<std::vector<tandem::bench::RawOp>> rawBatches;
    for (std::size_t done = 0; done < pushOps; done += kBatch) {
        rawBatches.emplace_back();
        batches.push_back(writer.next(std::min(kBatch, pushOps - done), &rawBatches.back()));
    }
    Pusher pusher{HttpConnection(host, port, kBenchTimeout), bearer(server, "mkt.head")};
    std::size_t accepted = 0;
    auto started = Clock::now();
    std::int64_t cursor = 0;
    for (const auto& ops : batches) {
        const json answer = pusher.sync({{"site", writer.site()}, {"cursor", cursor}, {"ops", ops}, {"limit", 1}});
        if (answer.is_object()) accepted += answer["accepted"].size();
    }
    const double httpSeconds = secondsSince(started);
    auto baseline = tandem::bench::RawBaseline::open(server.dir.path() + "/baseline.db", true);
    started = Clock::now();
    for (const auto& raw : rawBatches) baseline->applyBatch(raw);
    const double rawSeconds = secondsSince(started);
    const double httpRate = static_cast<double>(pushOps) / httpSeconds;
    const double rawRate = static_cast<double>(pushOps) / rawSeconds;
    std::printf("push %zu ops in batches of ~1,000 over HTTP: %.0f ops/s (%.2f s), accepted %zu, errors %zu\n",
                pushOps, httpRate, httpSeconds, accepted, pusher.errors);
    std::printf("raw SQLite baseline, same ops, same batches:  %.0f ops/s (%.2f s)\n", rawRate, rawSeconds);
    std::printf("ratio HTTP server / raw baseline: %.3f\n\n", httpRate / rawRate);
    ok = ok && accepted == pushOps && pusher.errors == 0;

    // 2. Fill up to pullOps, then a fresh client pulls everything.
    for (std::size_t done = pushOps; done < pullOps; done += kBatch) {
        pusher.sync({{"site", writer.site()}, {"cursor", 0}, {"ops", writer.next(std::min(kBatch, pullOps - done))},
                     {"limit", 1}});
    }
    Pusher fresh{HttpConnection(host, port, kBenchTimeout), bearer(server, "hq.zhao")};
    const std::string freshSite = randomHex(16);
    std::size_t pulled = 0;
    cursor = 0;
    started = Clock::now();
    for (;;) {
        const json answer = fresh.sync({{"site", freshSite}, {"cursor", cursor}, {"ops", json::array()}, {"limit", 5000}},
                                       true);
        if (!answer.is_object()) break;
        pulled += answer["ops"].size();
        cursor = answer["cursor"].get<std::int64_t>();
        if (!answer["more"].get<bool>()) break;
    }
    const double pullSeconds = secondsSince(started);
    std::printf("fresh client pulls %zu ops (pages of 5,000, gzip): %.2f s, %.0f ops/s, errors %zu\n\n", pulled,
                pullSeconds, static_cast<double>(pulled) / pullSeconds, fresh.errors);
    ok = ok && pulled >= pullOps && fresh.errors == 0;

    // 3. Concurrent syncing clients: each pushes 30 ops and pulls, a few rounds.
    std::mutex mutex;
    std::vector<double> latencies;
    std::atomic<std::size_t> errors{0};
    const std::string token = bearer(server, "mkt.head");
    std::vector<std::thread> threads;
    started = Clock::now();
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&] {
            Pusher client{HttpConnection(host, port, kBenchTimeout), token};
            PlanWriter mine(department);
            std::int64_t at = cursor;
            std::vector<double> mineLatencies;
            for (int round = 0; round < roundsPerClient; ++round) {
                const auto t0 = Clock::now();
                const json answer =
                    client.sync({{"site", mine.site()}, {"cursor", at}, {"ops", mine.next(30)}, {"limit", 200}}, true);
                mineLatencies.push_back(secondsSince(t0) * 1000.0);
                if (answer.is_object()) at = answer["cursor"].get<std::int64_t>();
            }
            errors += client.errors;
            std::lock_guard lock(mutex);
            latencies.insert(latencies.end(), mineLatencies.begin(), mineLatencies.end());
        });
    }
    for (auto& thread : threads) thread.join();
    const double concurrentSeconds = secondsSince(started);
    std::printf("%d concurrent clients × %d syncs (push 30, pull ≤200): p50 %.1f ms, p99 %.1f ms, errors %zu, %.0f syncs/s\n\n",
                clients, roundsPerClient, percentile(latencies, 0.5), percentile(latencies, 0.99), errors.load(),
                static_cast<double>(latencies.size()) / concurrentSeconds);
    ok = ok && errors.load() == 0;

    // 4. Edit → another client notified via /live and has pulled the edit.
    LiveClient live(host, port, kBenchTimeout);
    if (live.handshake("/api/v1/live", bearer(server, "hq.zhao")) != 101) {
        std::fprintf(stderr, "live handshake failed\n%s\n", [&] { auto t = server.process->stderrText(); return t.substr(t.size() > 3000 ? t.size() - 3000 : 0); }().c_str());
        return 1;
    }
    std::int64_t liveCursor = json::parse(live.readText(kBenchTimeout).value_or("{\"cursor\":0}"))["cursor"];
    Pusher editor{HttpConnection(host, port, kBenchTimeout), bearer(server, "mkt.head")};
    Pusher reader{HttpConnection(host, port, kBenchTimeout), bearer(server, "hq.zhao")};
    PlanWriter edits(department);
    const std::string readerSite = randomHex(16);
    std::int64_t readerCursor = liveCursor;
    std::vector<double> notifyLatencies;
    std::size_t missed = 0;
    for (int round = 0; round < liveRounds; ++round) {
        const json ops = edits.next(3);
        const auto t0 = Clock::now();
        const json answer = editor.sync({{"site", edits.site()}, {"cursor", 0}, {"ops", ops}, {"limit", 1}});
        if (!answer.is_object() || answer["accepted"].size() != 3) {
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
