// tandem_store benchmark: the replica against a plain-SQLite LWW baseline
// (raw_baseline.h), measured in one run, in one process, on the same data.
//
//   core_bench [--scale F] [--dir DIR]
//
// --scale multiplies every op count (default 1; 0.1 for a quick look). --dir is where
// the database files go (default: a fresh directory under the system temp dir; use a
// real disk, not tmpfs, or the durable figures mean nothing). Exit status 1 when the
// replica and the baseline disagree on any sampled field (a wrong answer, fast, is
// not a result).

#include <time.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "raw_baseline.h"
#include "tandem/core/replica.h"

using namespace tandem::core;
using tandem::bench::RawBaseline;
using tandem::bench::RawOp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::int64_t kEpoch = 1'760'000'000'000;  // ms: the generated ops' time base

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

/// Time spent in each SQL statement of one connection (sqlite3_trace_v2 PROFILE), for
/// --profile-sql: which statement dominates.
struct SqlProfile {
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> byStatement;  // ns, count

    void attach(sqlite3* db) {
        sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, [](unsigned, void* self, void* stmt, void* ns) -> int {
            const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
            auto& entry = static_cast<SqlProfile*>(self)->byStatement[sql ? sql : "?"];
            entry.first += *static_cast<std::uint64_t*>(ns);
            entry.second += 1;
            return 0;
        }, this);
    }

    void print(const char* title) const {
        std::vector<std::pair<std::uint64_t, std::string>> rows;
        std::uint64_t total = 0;
        for (const auto& [sql, v] : byStatement) {
            rows.emplace_back(v.first, sql);
            total += v.first;
        }
        std::sort(rows.rbegin(), rows.rend());
        std::printf("\n%s: %.2f s in SQL\n", title, static_cast<double>(total) / 1e9);
        for (std::size_t i = 0; i < rows.size() && i < 8; ++i)
            std::printf("  %6.2f s  %5.1f%%  %.110s\n", static_cast<double>(rows[i].first) / 1e9,
                        100.0 * static_cast<double>(rows[i].first) / static_cast<double>(total ? total : 1), rows[i].second.c_str());
    }
};

/// CPU time of this thread, in seconds: separates work from waiting for the disk.
double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "core_bench: %s\n", what.c_str());
    std::exit(2);
}

template <class T>
T check(Result<T> r, const char* what) {
    if (!r.ok()) die(std::string(what) + ": " + r.error().code + " " + r.error().message);
    return std::move(r).value();
}

/// A deterministic stream of remote ops as a server would send them in seq order:
/// tasks in a few dozen plans, each created by its `plan` field, then edited by 20
/// sites; about one op in ten arrives late (an older stamp) and loses its field.
class OpStream {
public:
    OpStream(std::uint64_t seed, std::size_t entities) : m_rng(seed), m_created(entities, false), m_seq(static_cast<std::int64_t>(seed) * 100'000'000) {
        for (int i = 0; i < 20; ++i) m_sites.push_back(SiteId{(m_rng() | 1) & ~(1ULL << 63)});
        for (int i = 0; i < 50; ++i) m_plans.push_back(EntityId{0x7000000000000000ULL, static_cast<std::uint64_t>(i + 1)});
        for (int i = 0; i < 8; ++i) m_depts.push_back(EntityId{0x6000000000000000ULL, static_cast<std::uint64_t>(i + 1)}.hex());
        m_next.assign(m_sites.size(), 1);
        for (std::size_t e = 0; e < entities; ++e) m_entities.push_back(EntityId{0x5000000000000000ULL ^ m_rng(), e + 1});
    }

    Op next() {
        const std::size_t e = static_cast<std::size_t>(m_rng() % m_entities.size());
        const std::size_t s = static_cast<std::size_t>(m_rng() % m_sites.size());
        Op op;
        op.site = m_sites[s];
        op.n = m_next[s]++;
        op.entity = m_entities[e];
        op.type = "task";
        m_physical += static_cast<std::int64_t>(m_rng() % 3);
        std::int64_t physical = m_physical;
        if (m_rng() % 10 == 0) physical -= static_cast<std::int64_t>(m_rng() % 5000);  // late
        op.hlc = Hlc::make(static_cast<std::uint64_t>(physical), static_cast<std::uint16_t>(m_rng() % 4));
        op.seq = ++m_seq;
        op.author = EntityId{0x4000000000000000ULL, s + 1};
        if (!m_created[e]) {
            m_created[e] = true;
            op.field = "plan";
            op.value = m_plans[e % m_plans.size()].hex();
            return op;
        }
        switch (m_rng() % 8) {
            case 0: op.field = "name"; op.value = "\xe6\xb8\xa0\xe9\x81\x93\xe9\x93\xba\xe8\xb4\xa7 task " + std::to_string(m_rng() % 1000); break;
            case 1:
            case 2: op.field = "percent"; op.value = static_cast<int>(m_rng() % 101); break;
            case 3: op.field = "status"; op.value = kStatus[m_rng() % 5]; break;
            case 4: op.field = "due"; op.value = "2026-0" + std::to_string(1 + m_rng() % 9) + "-1" + std::to_string(m_rng() % 10); break;
            case 5: op.field = "deliverable_standard"; op.value = "Signed-off training deck, 30 slides, reviewed by PROD " + std::to_string(m_rng() % 100); break;
            case 6: op.field = "collaborators." + m_depts[m_rng() % m_depts.size()]; op.value = m_rng() % 3 != 0; break;
            default: op.field = "raci." + m_depts[m_rng() % m_depts.size()]; op.value = std::string(1, "RACI"[m_rng() % 4]); break;
        }
        return op;
    }

    std::vector<Op> batch(std::size_t count) {
        std::vector<Op> ops;
        ops.reserve(count);
        for (std::size_t i = 0; i < count; ++i) ops.push_back(next());
        return ops;
    }

    const std::vector<EntityId>& entities() const { return m_entities; }

private:
    static constexpr const char* kStatus[] = {"not_started", "in_progress", "done", "delayed", "blocked"};
    std::mt19937_64 m_rng;
    std::vector<SiteId> m_sites;
    std::vector<std::uint64_t> m_next;
    std::vector<EntityId> m_plans;
    std::vector<std::string> m_depts;
    std::vector<EntityId> m_entities;
    std::vector<bool> m_created;
    std::int64_t m_seq;
    std::int64_t m_physical = kEpoch;
};

RawOp toRaw(const Op& op) {
    RawOp raw;
    raw.site = op.site.value;
    raw.n = op.n;
    raw.entity = op.entity.bytes();
    raw.type = op.type;
    raw.field = op.field;
    raw.value = op.value.dump();
    raw.hlc = op.hlc.value;
    raw.seq = op.seq;
    return raw;
}

std::vector<RawOp> toRaw(const std::vector<Op>& ops) {
    std::vector<RawOp> out;
    out.reserve(ops.size());
    for (const Op& op : ops) out.push_back(toRaw(op));
    return out;
}

std::size_t gzipSize(const std::string& text) {
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) die("deflateInit2");
    std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) die("deflate");
    const std::size_t size = z.total_out;
    deflateEnd(&z);
    return size;
}

struct Percentiles {
    double p50 = 0, p99 = 0;
};

Percentiles percentiles(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
    return {at(0.50), at(0.99)};
}

std::unique_ptr<Replica> openReplica(const std::string& path, std::uint64_t site, bool durable) {
    ReplicaOptions options;
    options.site = SiteId{site};
    options.random = seededRandom(site);
    options.durable = durable;
    return check(Replica::open(path, options), "open replica");
}

struct Timing {
    double core = 0, base = 0;        // wall seconds
    double coreCpu = 0, baseCpu = 0;  // thread CPU seconds
};

/// Applies `total` ops in batches of `batchSize` to both stores, alternating batch by
/// batch so that both see the same machine load.
Timing applyBoth(Replica& replica, RawBaseline& baseline, std::size_t total, std::size_t batchSize,
                                    std::uint64_t seed, std::size_t entities, std::vector<Op>* sample) {
    OpStream stream(seed, entities);
    Clock::duration core{}, base{};
    double coreCpu = 0, baseCpu = 0;
    std::mt19937_64 pick(seed);
    for (std::size_t done = 0; done < total; done += batchSize) {
        const std::vector<Op> ops = stream.batch(std::min(batchSize, total - done));
        const double c0 = cpuSeconds();
        auto t0 = Clock::now();
        auto outcomes = check(replica.applyRemote(ops), "applyRemote");
        auto t1 = Clock::now();
        const double c1 = cpuSeconds();
        baseline.applyBatch(toRaw(ops));
        auto t2 = Clock::now();
        const double c2 = cpuSeconds();
        core += t1 - t0;
        base += t2 - t1;
        coreCpu += c1 - c0;
        baseCpu += c2 - c1;
        for (ApplyOutcome o : outcomes)
            if (o != ApplyOutcome::Applied) die("generated op not applied");
        if (sample)
            for (int i = 0; i < 4; ++i) sample->push_back(ops[pick() % ops.size()]);
    }
    return {seconds(core), seconds(base), coreCpu, baseCpu};
}

/// Compares the replica with the baseline on the fields of the sampled ops.
bool agree(Replica& replica, RawBaseline& baseline, const std::vector<Op>& sample) {
    std::size_t mismatches = 0;
    for (const Op& op : sample) {
        auto field = check(replica.field(op.entity, op.field), "field");
        auto raw = baseline.value(op.entity.bytes(), op.field);
        const bool same = field.has_value() && raw.has_value() && field->value == Json::parse(*raw);
        if (!same && ++mismatches <= 5)
            std::fprintf(stderr, "mismatch %s/%s: core %s, baseline %s\n", op.entity.hex().c_str(), op.field.c_str(),
                         field ? field->value.dump().c_str() : "none", raw ? raw->c_str() : "none");
    }
    return mismatches == 0;
}


}  // namespace

int main(int argc, char** argv) {
    double scale = 1.0;
    std::filesystem::path dir;
    bool durableOnly = false, profileSql = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--scale" && i + 1 < argc) scale = std::atof(argv[++i]);
        else if (arg == "--dir" && i + 1 < argc) dir = argv[++i];
        else if (arg == "--durable-only") durableOnly = true;
        else if (arg == "--profile-sql") profileSql = true;
        else {
            std::fprintf(stderr, "usage: core_bench [--scale F] [--dir DIR] [--durable-only] [--profile-sql]\n");
            return 2;
        }
    }
    const bool ownDir = dir.empty();
    if (ownDir) dir = std::filesystem::temp_directory_path() / ("tandem-core-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto count = [&](double n) { return std::max<std::size_t>(1000, static_cast<std::size_t>(n * scale) / 1000 * 1000); };
    const std::size_t applyOps = count(100'000), bootstrapOps = count(1'000'000), edits = count(2'000);
    bool ok = true;
    std::vector<std::string> rows;
    auto row = [&rows](const std::string& text) { rows.push_back(text); };
    char buf[512];

    for (const bool durable : {true, false}) {
        if (!durable && durableOnly) break;
        const char* mode = durable ? "synchronous=FULL" : "synchronous=NORMAL";
        const std::string tag = durable ? "full" : "normal";

        // 1. Remote ops, batches of 1,000, into a store that already holds state.
        std::vector<Op> sample;
        auto replica = openReplica((dir / ("apply-core-" + tag + ".db")).string(), 0xc11e, durable);
        auto baseline = RawBaseline::open((dir / ("apply-base-" + tag + ".db")).string(), durable);
        (void)applyBoth(*replica, *baseline, applyOps / 2, 1000, 1, 10'000, nullptr);  // a store in use
        const Timing apply = applyBoth(*replica, *baseline, applyOps, 1000, 2, 10'000, &sample);
        ok = agree(*replica, *baseline, sample) && ok;
        const double coreRate = static_cast<double>(applyOps) / apply.core, baseRate = static_cast<double>(applyOps) / apply.base;
        std::snprintf(buf, sizeof buf,
                      "| apply %zu remote ops, batches of 1,000 (%s) | %.0f ops/s (CPU %.2f s) | %.0f ops/s (CPU %.2f s) | %.3f | >= 0.6 | %s |",
                      applyOps, mode, coreRate, apply.coreCpu, baseRate, apply.baseCpu, coreRate / baseRate,
                      coreRate / baseRate >= 0.6 ? "yes" : "NO");
        row(buf);

        // 2. Local one-field durable edits (each its own transaction and commit).
        if (durable) {
            std::vector<double> coreEdit, baseEdit;
            OpStream local(3, 10'000);
            std::uint64_t localN = 1;
            for (std::size_t i = 0; i < edits; ++i) {
                const EntityId target = local.entities()[i % 1000];
                auto t0 = Clock::now();
                (void)check(replica->write(target, "task", "percent", static_cast<int>(i % 101)), "write");
                auto t1 = Clock::now();
                RawOp raw;
                raw.site = 0xba5e;
                raw.n = localN++;
                raw.entity = target.bytes();
                raw.type = "task";
                raw.field = "percent";
                raw.value = Json(static_cast<int>(i % 101)).dump();
                raw.hlc = Hlc::make(static_cast<std::uint64_t>(kEpoch + 10'000'000) + i, 0).value;
                baseline->applyOne(raw);
                auto t2 = Clock::now();
                coreEdit.push_back(seconds(t1 - t0) * 1000);
                baseEdit.push_back(seconds(t2 - t1) * 1000);
            }
            const Percentiles coreP = percentiles(coreEdit), baseP = percentiles(baseEdit);
            std::snprintf(buf, sizeof buf, "| local one-field durable edit, p50 (%zu edits) | %.3f ms | %.3f ms | %.2f | | |", edits,
                          coreP.p50, baseP.p50, coreP.p50 / baseP.p50);
            row(buf);
            std::snprintf(buf, sizeof buf, "| local one-field durable edit, p99 | %.3f ms | %.3f ms | %.2f | < 1 ms | %s |", coreP.p99,
                          baseP.p99, coreP.p99 / baseP.p99, coreP.p99 < 1.0 ? "yes" : "NO");
            row(buf);
        }
        replica.reset();
        baseline.reset();

        // 3. Bootstrapping empty stores from 1,000,000 ops (pull pages of 1,000).
        std::vector<Op> bootSample;
        auto fresh = openReplica((dir / ("boot-core-" + tag + ".db")).string(), 0xb007, durable);
        auto freshBase = RawBaseline::open((dir / ("boot-base-" + tag + ".db")).string(), durable);
        SqlProfile coreSql, baseSql;
        if (profileSql) {
            coreSql.attach(fresh->db().handle());
            baseSql.attach(freshBase->handle());
        }
        const Timing boot = applyBoth(*fresh, *freshBase, bootstrapOps, 1000, 4, 50'000, &bootSample);
        bootSample.resize(std::min<std::size_t>(bootSample.size(), 20'000));
        if (profileSql) {
            coreSql.print((std::string("core, bootstrap, ") + mode).c_str());
            baseSql.print((std::string("baseline, bootstrap, ") + mode).c_str());
        }
        ok = agree(*fresh, *freshBase, bootSample) && ok;
        fresh.reset();
        freshBase.reset();
        const double bootGoal = 15.0 * static_cast<double>(bootstrapOps) / 1e6;
        std::snprintf(buf, sizeof buf,
                      "| bootstrap empty store from %zu ops, pages of 1,000 (%s) | %.1f s (CPU %.2f s) | %.1f s (CPU %.2f s) | %.2f | < %.1f s | %s |",
                      bootstrapOps, mode, boot.core, boot.coreCpu, boot.base, boot.baseCpu, boot.core / boot.base, bootGoal,
                      boot.core < bootGoal ? "yes" : "NO");
        row(buf);
        for (const char* name : {"boot-core-", "boot-base-", "apply-core-", "apply-base-"})
            for (const char* suffix : {".db", ".db-wal", ".db-shm"}) std::filesystem::remove(dir / (name + tag + suffix));
    }

    // 4. Wire size: push form (no seq/author) and pull form, raw and gzip per 1,000-op body.
    OpStream wire(5, 10'000);
    std::size_t pushRaw = 0, pullRaw = 0, pushGz = 0, pullGz = 0, wireOps = 0;
    for (int b = 0; b < 20; ++b) {
        Json push = Json::array(), pull = Json::array();
        for (const Op& op : wire.batch(1000)) {
            push.push_back(encodeOp(op, false));
            pull.push_back(encodeOp(op, true));
            pushRaw += push.back().dump().size();
            pullRaw += pull.back().dump().size();
            ++wireOps;
        }
        pushGz += gzipSize(Json{{"site", "9f2c4e1a0b3d5e7f"}, {"cursor", 0}, {"ops", push}}.dump());
        pullGz += gzipSize(Json{{"ops", pull}, {"cursor", 1}, {"more", true}}.dump());
    }
    const double perOp = static_cast<double>(wireOps);
    std::snprintf(buf, sizeof buf, "| wire bytes/op, push (encodeOp), raw / gzip per 1,000-op body | %.1f B / %.1f B | | | | |",
                  static_cast<double>(pushRaw) / perOp, static_cast<double>(pushGz) / perOp);
    row(buf);
    std::snprintf(buf, sizeof buf, "| wire bytes/op, pull (with seq, author), raw / gzip per 1,000-op answer | %.1f B / %.1f B | | | | |",
                  static_cast<double>(pullRaw) / perOp, static_cast<double>(pullGz) / perOp);
    row(buf);

    std::printf("\n| figure | core | baseline | core/baseline | goal | met |\n|---|---|---|---|---|---|\n");
    for (const auto& r : rows) std::printf("%s\n", r.c_str());
    std::printf("\nsampled fields agree with the baseline: %s\n", ok ? "yes" : "NO");

    if (ownDir) std::filesystem::remove_all(dir);
    return ok ? 0 : 1;
}
