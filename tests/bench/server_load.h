#pragma once
// The server benchmarks' load (server_bench, scaleout_bench): field sales' progress
// entries, a sync client that counts errors, the bench plans, and the runs of many
// concurrent syncing clients with their latencies. Loopback HTTP to the real binary.

#include "fixtures.h"
#include "raw_baseline.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

namespace tandem::test {

using Clock = std::chrono::steady_clock;

/// Where one server instance listens.
struct Endpoint {
    std::string host;
    std::uint16_t port = 0;
};

// Generous: under load a slow request is a measurement, not an error.
inline constexpr std::chrono::milliseconds kBenchTimeout = std::chrono::minutes(5);

inline double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

inline double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

inline std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline std::string hex16(std::uint64_t value) {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
    return buffer;
}

/// Field sales' everyday write, from one site as a member of the tasks' department: a
/// progress entry (5 field ops: plan, task, author, percent, note) on one of the bench tasks.
class EntryWriter {
public:
    static constexpr std::size_t kOpsPerEntry = 5;

    EntryWriter(std::string plan, const std::vector<std::string>& tasks, std::string author)
        : m_random(std::random_device{}()),
          m_site(hex(16)),
          m_plan(std::move(plan)),
          m_tasks(tasks),
          m_author(std::move(author)) {
        m_siteValue = std::stoull(m_site, nullptr, 16);
    }
    const std::string& site() const { return m_site; }

    /// The next `count` ops (a multiple of kOpsPerEntry is best), also as baseline RawOps.
    nlohmann::json next(std::size_t count, std::vector<tandem::bench::RawOp>* raw = nullptr) {
        nlohmann::json ops = nlohmann::json::array();
        const std::uint64_t base = static_cast<std::uint64_t>(nowMs()) << 16;
        while (ops.size() < count) {
            if (m_fieldIndex == 0) {
                m_entity = hex(32);
                m_task = m_tasks[m_entries++ % m_tasks.size()];
            }
            static const char* kFields[kOpsPerEntry] = {"plan", "task", "author", "percent", "note"};
            const std::string field = kFields[m_fieldIndex];
            const nlohmann::json value = m_fieldIndex == 0   ? nlohmann::json(m_plan)
                                         : m_fieldIndex == 1 ? nlohmann::json(m_task)
                                         : m_fieldIndex == 2 ? nlohmann::json(m_author)
                                         : m_fieldIndex == 3
                                             ? nlohmann::json(static_cast<int>(m_entries % 101))
                                             : nlohmann::json("拜访客户 " + std::to_string(m_n) + "，已演示样品");
            ++m_n;
            const std::uint64_t hlc = std::max(base, m_lastHlc + 1);
            m_lastHlc = hlc;
            ops.push_back({{"site", m_site},
                           {"n", m_n},
                           {"entity", m_entity},
                           {"type", "progress_entry"},
                           {"field", field},
                           {"value", value},
                           {"hlc", hex16(hlc)}});
            if (raw != nullptr) {
                tandem::bench::RawOp op;
                op.site = m_siteValue;
                op.n = m_n;
                for (std::size_t i = 0; i < 16; ++i) {
                    op.entity[i] = static_cast<unsigned char>(std::stoi(m_entity.substr(2 * i, 2), nullptr, 16));
                }
                op.type = "progress_entry";
                op.field = field;
                op.value = value.dump();
                op.hlc = hlc;
                raw->push_back(std::move(op));
            }
            m_fieldIndex = (m_fieldIndex + 1) % kOpsPerEntry;
        }
        return ops;
    }

private:
    std::string hex(std::size_t digits) {  // own generator: writers run on many threads
        static const char* kHex = "0123456789abcdef";
        std::string out;
        for (std::size_t i = 0; i < digits; ++i) out += kHex[m_random() % 16];
        return out;
    }

    std::mt19937_64 m_random;
    std::string m_site;
    std::uint64_t m_siteValue = 0;
    std::string m_plan;
    std::vector<std::string> m_tasks;
    std::string m_author;
    std::string m_entity;
    std::string m_task;
    std::uint64_t m_n = 0;
    std::uint64_t m_entries = 0;
    std::uint64_t m_lastHlc = 0;
    int m_fieldIndex = 0;
};

struct Pusher {
    HttpConnection connection;
    std::string authorization;
    std::size_t errors = 0;

    /// One sync call; returns the answer (null on failure, counted in errors).
    nlohmann::json sync(const nlohmann::json& body, bool gzipAnswer = false) {
        return syncText(body.dump(), gzipAnswer);
    }

    /// The same with the body already serialised (the push measurement leaves the load
    /// generator's own JSON writing out, as the baseline's ops are prepared beforehand).
    nlohmann::json syncText(const std::string& body, bool gzipAnswer = false) {
        Headers headers{{"Content-Type", "application/json"}, {"Authorization", authorization}};
        if (gzipAnswer) headers.emplace_back("Accept-Encoding", "gzip");
        auto result = connection.request("POST", "/api/v1/sync", body, headers);
        if (result.status != 200) {
            if (++errors == 1) {
                std::fprintf(stderr, "sync failed: %d %s%s\n", result.status, result.body.substr(0, 200).c_str(),
                             result.error.c_str());
            }
            return nullptr;
        }
        std::string text = result.header("content-encoding") == "gzip" ? gunzipText(result.body) : result.body;
        auto answer = nlohmann::json::parse(text, nullptr, false);
        if (!answer.is_object()) ++errors;
        return answer;
    }
};

/// A bench plan led by the head's department, with `taskCount` tasks led by it too.
struct BenchPlan {
    std::string id;
    std::vector<std::string> tasks;
};

inline BenchPlan createPlan(Pusher& head, const std::string& department, const std::string& title, int taskCount) {
    BenchPlan plan;
    const std::string site = randomHex(16);
    nlohmann::json ops = newPlanOps(site, department, title);
    plan.id = ops[0]["entity"];
    std::uint64_t n = ops.size();
    const std::uint64_t base = static_cast<std::uint64_t>(nowMs()) << 16;
    for (int t = 0; t < taskCount; ++t) {
        const std::string task = randomHex(32);
        plan.tasks.push_back(task);
        for (const auto& [field, value] : {std::pair<const char*, nlohmann::json>{"plan", plan.id},
                                           {"name", "任务 " + std::to_string(t + 1)},
                                           {"lead_department", department}}) {
            ++n;
            ops.push_back({{"site", site},
                           {"n", n},
                           {"entity", task},
                           {"type", "task"},
                           {"field", field},
                           {"value", value},
                           {"hlc", hex16(base + n)}});
        }
    }
    const nlohmann::json answer = head.sync({{"site", site}, {"cursor", 0}, {"ops", ops}, {"limit", 1}});
    if (!answer.is_object() || !answer["rejected"].empty())
        throw std::runtime_error("cannot create the bench plan: " + answer.dump().substr(0, 300));
    return plan;
}

struct LatencyRun {
    std::vector<double> latencies;  // ms
    std::size_t errors = 0;
    double seconds = 0;
};

/// A client of the concurrency runs: who it is, the plan it logs progress in, its site.
struct BenchClient {
    std::string token;
    EntryWriter writer;
};

/// Every client on its own thread and keep-alive connection to servers[c % size] (as a
/// load balancer spreads connections), syncing `rounds` times: a push of one
/// progress entry (with probability `pushShare`) and a pull until current. Between
/// syncs a client waits thinkMin..thinkMax seconds (0: back to back).
inline LatencyRun concurrentClients(const std::vector<Endpoint>& servers, std::vector<BenchClient>& clients, int rounds,
                                    double thinkMin, double thinkMax, double pushShare, std::int64_t startCursor) {
    std::mutex mutex;
    LatencyRun run;
    std::vector<std::thread> threads;
    const auto started = Clock::now();
    for (std::size_t c = 0; c < clients.size(); ++c) {
        threads.emplace_back([&, c] {
            BenchClient& me = clients[c];
            std::mt19937_64 random(c * 7919 + 1);
            std::uniform_real_distribution<double> think(thinkMin, thinkMax);
            std::uniform_real_distribution<double> coin(0.0, 1.0);
            const Endpoint& server = servers[c % servers.size()];
            Pusher client{HttpConnection(server.host, server.port, kBenchTimeout), me.token};
            std::int64_t at = startCursor;
            std::vector<double> mine;
            if (thinkMax > 0) std::this_thread::sleep_for(std::chrono::duration<double>(think(random) * coin(random)));
            for (int round = 0; round < rounds; ++round) {
                const nlohmann::json ops =
                    coin(random) < pushShare ? me.writer.next(EntryWriter::kOpsPerEntry) : nlohmann::json::array();
                const auto t0 = Clock::now();
                nlohmann::json answer = client.sync({{"site", me.writer.site()}, {"cursor", at}, {"ops", ops}}, true);
                while (answer.is_object()) {
                    at = answer["cursor"].get<std::int64_t>();
                    if (!answer["more"].get<bool>()) break;
                    answer = client.sync({{"site", me.writer.site()}, {"cursor", at}, {"ops", nlohmann::json::array()}},
                                         true);
                }
                mine.push_back(secondsSince(t0) * 1000.0);
                if (thinkMax > 0) std::this_thread::sleep_for(std::chrono::duration<double>(think(random)));
            }
            std::lock_guard lock(mutex);
            run.errors += client.errors;
            run.latencies.insert(run.latencies.end(), mine.begin(), mine.end());
        });
    }
    for (auto& thread : threads) thread.join();
    run.seconds = secondsSince(started);
    return run;
}

}  // namespace tandem::test
