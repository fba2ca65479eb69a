// Scale-out benchmark (label bench, issue 13): the same workload, in one run, against
//   1 tandem-server on SQLite (--data), 1 on PostgreSQL (--db), 2 and 3 on one PostgreSQL
//   database — clients spread over the instances by connection, as a load balancer does:
//  1. push: 6 clients at once, each pushing progress entries in batches of 1,000 ops;
//  2. pull: 6 fresh clients at once, each pulling everything (pages of 5,000, gzip);
//  3. server_bench's 200 concurrent syncing clients (a sync every 1-3 s, push half the
//     time; then back to back): p50/p99 latency, syncs/s, errors.
// Ratios are against the SQLite instance measured in the same run. The throw-away
// cluster runs with fsync and synchronous_commit on here (the test clusters turn them
// off), so both backends are durable, as in production.
// Usage: scaleout_bench [--scale F]   (F scales op counts and rounds; 1 = the above)

#include "pg_cluster.h"
#include "server_load.h"

#include <memory>
#include <vector>

using namespace tandem::test;
using nlohmann::json;

namespace {

struct Config {
    std::string name;
    bool postgres = false;
    int instances = 1;
};

struct Figures {
    double pushOpsPerSecond = 0, pushP50 = 0, pushP99 = 0;
    double pullOpsPerSecond = 0;
    double steadyP50 = 0, steadyP99 = 0, steadyRate = 0;
    double flatP50 = 0, flatP99 = 0, flatRate = 0;
    std::size_t errors = 0;
    bool complete = false;
};

/// `count` clients at once, one thread and keep-alive connection each, to servers[c % size].
template <typename Work>
double atOnce(const std::vector<Endpoint>& servers, int count, Work work) {
    std::vector<std::thread> threads;
    const auto started = Clock::now();
    for (int c = 0; c < count; ++c)
        threads.emplace_back([&, c] { work(c, servers[static_cast<std::size_t>(c) % servers.size()]); });
    for (auto& thread : threads) thread.join();
    return secondsSince(started);
}

Figures runConfig(const Config& config, PgCluster& cluster, int index, double scale) {
    Figures figures;
    std::vector<std::unique_ptr<DemoServer>> servers;
    std::string url;
    if (config.postgres) {
        const std::string database = "scaleout_" + std::to_string(index);
        cluster.createDatabase(database);
        url = cluster.urlFor(database);
    }
    for (int i = 0; i < config.instances; ++i) {
        auto server = std::make_unique<DemoServer>();
        ServerOptions options{server->dir.path(), true, {}, {{"TANDEM_MAX_CONNECTIONS", "2000"}}};
        options.dbUrl = url;
        server->process = std::make_unique<ServerProcess>(options);
        if (!server->process->started()) {
            std::fprintf(stderr, "%s: instance %d did not start:\n%s\n", config.name.c_str(), i,
                         server->process->stderrText().c_str());
            return figures;
        }
        servers.push_back(std::move(server));
    }
    std::vector<Endpoint> endpoints;
    for (auto& server : servers) endpoints.push_back({server->process->host(), server->process->port()});
    DemoServer& first = *servers.front();  // sessions made here serve at every instance

    // server_bench's set-up: a bench plan per department, its members' clients, each of
    // which pulls once from 0 at its own instance.
    const std::vector<std::pair<std::string, std::vector<std::string>>> departments = {
        {"mkt.head", {"mkt.head", "mkt.chen"}},
        {"sales.head", {"sales.head", "sales.li", "sales.wang"}},
        {"prod.head", {"prod.head", "prod.liu"}},
        {"svc.head", {"svc.head", "svc.sun"}},
        {"fin.head", {"fin.head"}}};
    std::map<std::string, BenchPlan> plans;
    std::vector<std::pair<std::string, const BenchPlan*>> writers;
    for (const auto& [head, members] : departments) {
        Pusher pusher{HttpConnection(endpoints[0].host, endpoints[0].port, kBenchTimeout), bearer(first, head)};
        const std::string department = loginAs(first, head)["department"].get<std::string>();
        plans[head] = createPlan(pusher, department, "压测计划 " + head, 10);
        for (const std::string& member : members) writers.emplace_back(member, &plans[head]);
    }
    auto member = [&](const std::string& username) { return loginAs(first, username)["member"].get<std::string>(); };
    const int clientCount = std::max(10, static_cast<int>(200 * std::min(1.0, scale)));
    std::vector<BenchClient> clients;
    for (int c = 0; c < clientCount; ++c) {
        const auto& [username, plan] = writers[static_cast<std::size_t>(c) % writers.size()];
        clients.push_back(BenchClient{bearer(first, username), EntryWriter(plan->id, plan->tasks, member(username))});
    }
    std::atomic<std::size_t> setupErrors{0};
    atOnce(endpoints, clientCount, [&](int c, const Endpoint& at) {
        BenchClient& client = clients[static_cast<std::size_t>(c)];
        Pusher puller{HttpConnection(at.host, at.port, kBenchTimeout), client.token};
        std::int64_t cursor = 0;
        for (json answer;
             (answer = puller.sync({{"site", client.writer.site()}, {"cursor", cursor}, {"ops", json::array()}}))
                 .is_object();) {
            cursor = answer["cursor"].get<std::int64_t>();
            if (!answer["more"].get<bool>()) break;
        }
        setupErrors += puller.errors;
    });
    if (setupErrors > 0) return figures;

    // 1. Push: 6 writers at once, batches of 1,000 ops.
    constexpr int kWriters = 6;
    constexpr std::size_t kBatch = 1000;
    const std::size_t batchesEach = std::max<std::size_t>(2, static_cast<std::size_t>(10 * scale));
    const BenchPlan& mktPlan = plans["mkt.head"];
    const std::string author = member("mkt.chen");
    const std::string token = bearer(first, "mkt.chen");
    std::mutex mutex;
    std::vector<double> batchMs;
    std::atomic<std::size_t> accepted{0}, errors{0};
    const double pushSeconds = atOnce(endpoints, kWriters, [&](int, const Endpoint& at) {
        EntryWriter writer(mktPlan.id, mktPlan.tasks, author);
        std::vector<std::string> bodies;
        for (std::size_t b = 0; b < batchesEach; ++b)
            bodies.push_back(
                json{{"site", writer.site()}, {"cursor", 0}, {"ops", writer.next(kBatch)}, {"limit", 1}}.dump());
        Pusher pusher{HttpConnection(at.host, at.port, kBenchTimeout), token};
        std::vector<double> mine;
        for (const std::string& body : bodies) {
            const auto t0 = Clock::now();
            const json answer = pusher.syncText(body);
            mine.push_back(secondsSince(t0) * 1000.0);
            if (answer.is_object()) accepted += answer["accepted"].size();
        }
        errors += pusher.errors;
        std::lock_guard lock(mutex);
        batchMs.insert(batchMs.end(), mine.begin(), mine.end());
    });
    const std::size_t pushed = kWriters * batchesEach * kBatch;
    // The body preparation above is inside the timing but small next to the server's work.
    figures.pushOpsPerSecond = static_cast<double>(accepted) / pushSeconds;
    figures.pushP50 = percentile(batchMs, 0.5);
    figures.pushP99 = percentile(batchMs, 0.99);
    std::printf(
        "%s: push %zu ops (%d writers, batches of 1,000): %.0f ops/s, batch p50 %.0f ms p99 %.0f ms, "
        "accepted %zu, errors %zu\n",
        config.name.c_str(), pushed, kWriters, figures.pushOpsPerSecond, figures.pushP50, figures.pushP99,
        accepted.load(), errors.load());

    // 2. Pull: 6 fresh clients at once, everything from 0.
    std::atomic<std::size_t> pulledTotal{0};
    std::atomic<std::int64_t> head{0};
    const std::string hq = bearer(first, "hq.zhao");
    const double pullSeconds = atOnce(endpoints, kWriters, [&](int, const Endpoint& at) {
        Pusher fresh{HttpConnection(at.host, at.port, kBenchTimeout), hq};
        const std::string site = randomHex(16);
        std::int64_t cursor = 0;
        for (;;) {
            const json answer =
                fresh.sync({{"site", site}, {"cursor", cursor}, {"ops", json::array()}, {"limit", 5000}}, true);
            if (!answer.is_object()) break;
            pulledTotal += answer["ops"].size();
            cursor = answer["cursor"].get<std::int64_t>();
            if (!answer["more"].get<bool>()) break;
        }
        head = cursor;
        errors += fresh.errors;
    });
    figures.pullOpsPerSecond = static_cast<double>(pulledTotal) / pullSeconds;
    std::printf("%s: pull %zu ops (%d fresh clients at once, pages of 5,000, gzip): %.0f ops/s\n", config.name.c_str(),
                pulledTotal.load(), kWriters, figures.pullOpsPerSecond);

    // 3. server_bench's 200 clients: steady, then back to back.
    const int steadyRounds = std::max(2, static_cast<int>(10 * std::min(1.0, scale)));
    const LatencyRun steady = concurrentClients(endpoints, clients, steadyRounds, 1.0, 3.0, 0.5, head);
    figures.steadyP50 = percentile(steady.latencies, 0.5);
    figures.steadyP99 = percentile(steady.latencies, 0.99);
    figures.steadyRate = static_cast<double>(steady.latencies.size()) / steady.seconds;
    std::printf("%s: %d clients, a sync every 1-3 s: %zu syncs, p50 %.1f ms, p99 %.1f ms, %.0f syncs/s, errors %zu\n",
                config.name.c_str(), clientCount, steady.latencies.size(), figures.steadyP50, figures.steadyP99,
                figures.steadyRate, steady.errors);
    const int flatRounds = std::max(2, static_cast<int>(5 * std::min(1.0, scale)));
    const LatencyRun flat = concurrentClients(endpoints, clients, flatRounds, 0, 0, 1.0, head);
    figures.flatP50 = percentile(flat.latencies, 0.5);
    figures.flatP99 = percentile(flat.latencies, 0.99);
    figures.flatRate = static_cast<double>(flat.latencies.size()) / flat.seconds;
    std::printf("%s: %d clients back to back: %zu syncs, p50 %.1f ms, p99 %.1f ms, %.0f syncs/s, errors %zu\n\n",
                config.name.c_str(), clientCount, flat.latencies.size(), figures.flatP50, figures.flatP99,
                figures.flatRate, flat.errors);

    figures.errors = errors + steady.errors + flat.errors;
    figures.complete = accepted == pushed;
    for (auto& server : servers)
        if (server->process->stop() != 0) figures.complete = false;
    return figures;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    double scale = 1.0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--scale" && i + 1 < argc) {
            scale = std::atof(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: scaleout_bench [--scale F]\n");
            return 2;
        }
    }
    PgCluster cluster;
    // Durable, as a production database is (pg_test.conf turns these off for tests).
    cluster.psql("ALTER SYSTEM SET fsync = on");
    cluster.psql("ALTER SYSTEM SET synchronous_commit = on");
    cluster.psql("ALTER SYSTEM SET full_page_writes = on");
    cluster.psql("SELECT pg_reload_conf()");
    std::printf("PostgreSQL: fsync %s, synchronous_commit %s\n\n", cluster.psql("SHOW fsync").c_str(),
                cluster.psql("SHOW synchronous_commit").c_str());

    const std::vector<Config> configs = {
        {"sqlite x1", false, 1}, {"pg x1", true, 1}, {"pg x2", true, 2}, {"pg x3", true, 3}};
    std::vector<Figures> results;
    for (std::size_t i = 0; i < configs.size(); ++i)
        results.push_back(runConfig(configs[i], cluster, static_cast<int>(i), scale));

    const Figures& base = results.front();
    auto ratio = [](double value, double reference) { return reference > 0 ? value / reference : 0.0; };
    std::printf(
        "| setup | push ops/s | pull ops/s | steady p50 / p99 ms | back-to-back syncs/s | "
        "back-to-back p50 / p99 ms | errors |\n|---|---|---|---|---|---|---|\n");
    bool ok = true;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        const Figures& f = results[i];
        std::printf("| %s | %.0f (%.2f×) | %.0f (%.2f×) | %.1f / %.1f | %.0f (%.2f×) | %.1f / %.1f | %zu |\n",
                    configs[i].name.c_str(), f.pushOpsPerSecond, ratio(f.pushOpsPerSecond, base.pushOpsPerSecond),
                    f.pullOpsPerSecond, ratio(f.pullOpsPerSecond, base.pullOpsPerSecond), f.steadyP50, f.steadyP99,
                    f.flatRate, ratio(f.flatRate, base.flatRate), f.flatP50, f.flatP99, f.errors);
        ok = ok && f.complete && f.errors == 0;
    }
    std::printf("\n%s\n", ok ? "all measurements complete" : "ERRORS above");
    return ok ? 0 : 1;
}
