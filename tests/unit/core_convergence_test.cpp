// Property tests of the merge contract (DESIGN §4): real replicas on temporary SQLite
// files run random scripts with fixed seeds, exchange operations in random order with
// duplicates and partial deliveries, and must end byte-identical with nothing lost.
//
// TANDEM_PROPERTY_SEEDS=<n> raises the number of seeds (default 1,000; a quarter of
// that under AddressSanitizer, which CI runs for memory errors, not for coverage of
// seeds). A failure prints its seed; TANDEM_PROPERTY_SEED=<s> replays that one seed.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tandem/core/replica.h"
#include "test_support.h"

using namespace tandem::core;
using tandem::test::ManualClock;
using tandem::test::TempDir;

namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;

#if defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t kSeedDivisor = 4;  // ASan runs ~5x slower
#else
constexpr std::uint64_t kSeedDivisor = 1;
#endif

/// The seeds to run: TANDEM_PROPERTY_SEED alone, or 1..max(defaultCount, TANDEM_PROPERTY_SEEDS).
std::vector<std::uint64_t> seeds(std::uint64_t defaultCount, std::uint64_t salt) {
    if (const char* one = std::getenv("TANDEM_PROPERTY_SEED")) return {std::strtoull(one, nullptr, 0)};
    std::uint64_t count = defaultCount / kSeedDivisor;
    if (const char* env = std::getenv("TANDEM_PROPERTY_SEEDS")) count = std::max<std::uint64_t>(count, std::strtoull(env, nullptr, 10));
    std::vector<std::uint64_t> out;
    for (std::uint64_t i = 1; i <= count; ++i) out.push_back(salt * 1'000'003 + i);
    return out;
}

std::string fieldKey(const Op& op) { return op.entity.hex() + "/" + op.field; }
std::string idOf(const Op& op) { return op.idString(); }

const char* outcomeName(ApplyOutcome o) {
    switch (o) {
        case ApplyOutcome::Applied: return "Applied";
        case ApplyOutcome::Duplicate: return "Duplicate";
        case ApplyOutcome::Conflict: return "Conflict";
    }
    return "?";
}

/// A group of replicas, the ops each has seen, and a model of what every field must hold.
class World {
public:
    World(std::uint64_t seed, const std::string& dir)
        : m_rng(seed), m_dir(dir) {
        const int count = 2 + static_cast<int>(m_rng() % 4);  // 2–5 replicas
        for (int i = 0; i < count; ++i) {
            ManualClock clock;
            // Small skews so that stamps from different sites sometimes tie.
            clock.set(kStart + static_cast<std::int64_t>(m_rng() % 4));
            ReplicaOptions options;
            options.wall = clock.wall();
            options.random = seededRandom(seed * 31 + static_cast<std::uint64_t>(i));
            // Distinct sites, some with the high bit set (unsigned order).
            options.site = SiteId{((m_rng() % 2) << 63) | (static_cast<std::uint64_t>(i + 1) << 8) | (m_rng() & 0xff)};
            options.durable = false;
            options.checkIntegrity = false;
            auto r = Replica::open(m_dir + "/r" + std::to_string(i) + ".db", options);
            REQUIRE(r.ok());
            m_replicas.push_back(std::move(r).value());
            m_clocks.push_back(clock);
            m_known.emplace_back();
        }
        for (std::uint64_t p = 0; p < 2; ++p) m_plans.push_back(EntityId{0x9000000000000000ULL, p + 1});
        m_tasks.push_back({EntityId{0xa000000000000000ULL, 1}, m_plans[0]});
        m_tasks.push_back({EntityId{0xa000000000000000ULL, 2}, m_plans[1]});
    }

    std::size_t size() const { return m_replicas.size(); }
    Replica& replica(std::size_t i) { return *m_replicas[i]; }
    const std::vector<Op>& allOps() const { return m_ops; }

    /// One random step of a script.
    void step() {
        const std::size_t i = pick(size());
        tick(i);
        switch (m_rng() % 10) {
            case 0:
            case 1: editPlanField(i); break;
            case 2: editSet(i); break;
            case 3: deleteOrRestore(i); break;
            case 4: editTask(i); break;
            case 5: appendProgress(i); break;
            case 6: concurrentSameField(); break;
            case 7: concurrentDifferentFields(); break;
            default: partialDelivery(i, pick(size())); break;
        }
    }

    /// Every replica gets every op, shuffled, with duplicates, in random batches.
    void deliverAll() {
        for (std::size_t j = 0; j < size(); ++j) {
            std::vector<Op> ops = m_ops;
            for (std::size_t d = 0, dups = pick(ops.size() / 2 + 1); d < dups; ++d) ops.push_back(m_ops[pick(m_ops.size())]);
            std::shuffle(ops.begin(), ops.end(), m_rng);
            applyInBatches(j, ops);
        }
    }

    /// Creates the plans and tasks at the first replica (delivered like every other op).
    void createBasics() {
        for (std::size_t p = 0; p < m_plans.size(); ++p)
            write(0, m_plans[p], "plan", {{"title", "plan " + std::to_string(p)}, {"status", "draft"}});
        for (const auto& [task, plan] : m_tasks) write(0, task, "task", {{"plan", plan.hex()}, {"name", "task"}, {"percent", 0}});
    }

private:
    std::size_t pick(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(m_rng() % n); }

    /// Moves a replica's wall clock: usually forward a little, sometimes not at all,
    /// sometimes backwards (the HLC must stay monotonic).
    void tick(std::size_t i) {
        switch (m_rng() % 6) {
            case 0: break;
            case 1: m_clocks[i].advance(-static_cast<std::int64_t>(m_rng() % 50)); break;
            default: m_clocks[i].advance(static_cast<std::int64_t>(m_rng() % 3)); break;
        }
    }

    void write(std::size_t i, const EntityId& entity, const std::string& type, std::vector<std::pair<std::string, Json>> fields) {
        auto ops = m_replicas[i]->write(entity, type, fields);
        INFO("write at replica " << i << ": " << (ops.ok() ? std::string() : ops.error().code + " " + ops.error().message));
        REQUIRE(ops.ok());
        REQUIRE(ops->size() == fields.size());
        for (const Op& op : ops.value()) {
            m_known[i].insert(m_ops.size());
            m_ops.push_back(op);
        }
    }

    void editPlanField(std::size_t i) {
        static const char* fields[] = {"title", "background", "status"};
        static const char* states[] = {"draft", "in_review", "in_progress", "done"};
        const std::string field = fields[pick(3)];
        Json value = field == "status" ? Json(states[pick(4)]) : Json(field + " " + std::to_string(m_rng() % 5));
        if (field == "background" && m_rng() % 4 == 0) value = nullptr;  // null clears
        write(i, m_plans[pick(m_plans.size())], "plan", {{field, value}});
    }

    void editSet(std::size_t i) {
        const std::string member = "participants.0000000000000000000000000000d00" + std::to_string(pick(3));
        write(i, m_plans[pick(m_plans.size())], "plan", {{member, m_rng() % 2 == 0}});
    }

    void deleteOrRestore(std::size_t i) {
        if (m_rng() % 2 == 0)
            write(i, m_plans[pick(m_plans.size())], "plan", {{"deleted", m_rng() % 2 == 0}});
        else
            write(i, m_tasks[pick(m_tasks.size())].first, "task", {{"deleted", m_rng() % 2 == 0}});
    }

    void editTask(std::size_t i) {
        const auto& task = m_tasks[pick(m_tasks.size())];
        if (m_rng() % 2 == 0)
            write(i, task.first, "task", {{"percent", static_cast<int>(m_rng() % 101)}});
        else
            write(i, task.first, "task", {{"status", m_rng() % 2 == 0 ? "in_progress" : "blocked"}, {"percent", static_cast<int>(m_rng() % 101)}});
    }

    void appendProgress(std::size_t i) {
        const auto& task = m_tasks[pick(m_tasks.size())];
        write(i, m_replicas[i]->newEntityId(), "progress_entry",
              {{"plan", task.second.hex()}, {"task", task.first.hex()}, {"percent", static_cast<int>(m_rng() % 101)},
               {"note", "\xe8\xbf\x9b\xe5\xb1\x95 " + std::to_string(m_rng() % 1000)}});
    }

    /// Two replicas write the same field before either hears of the other.
    void concurrentSameField() {
        const std::size_t a = pick(size()), b = pick(size());
        const EntityId plan = m_plans[pick(m_plans.size())];
        tick(a);
        write(a, plan, "plan", {{"title", "by " + std::to_string(a)}});
        tick(b);
        write(b, plan, "plan", {{"title", "by " + std::to_string(b) + "'"}});
    }

    void concurrentDifferentFields() {
        const std::size_t a = pick(size()), b = pick(size());
        const auto& task = m_tasks[pick(m_tasks.size())];
        write(a, task.first, "task", {{"name", "renamed by " + std::to_string(a)}});
        write(b, task.first, "task", {{"due", "2025-0" + std::to_string(1 + pick(9)) + "-15"}});
    }

    /// Some of what `from` knows reaches `to`: a random subset, shuffled, some twice.
    void partialDelivery(std::size_t from, std::size_t to) {
        std::vector<Op> ops;
        for (std::size_t k : m_known[from])
            if (m_rng() % 3 != 0) {
                ops.push_back(m_ops[k]);
                if (m_rng() % 5 == 0) ops.push_back(m_ops[k]);
            }
        std::shuffle(ops.begin(), ops.end(), m_rng);
        applyInBatches(to, ops);
    }

    void applyInBatches(std::size_t to, const std::vector<Op>& ops) {
        std::size_t at = 0;
        while (at < ops.size()) {
            const std::size_t n = std::min(ops.size() - at, 1 + pick(8));
            std::vector<Op> batch(ops.begin() + static_cast<std::ptrdiff_t>(at), ops.begin() + static_cast<std::ptrdiff_t>(at + n));
            auto out = m_replicas[to]->applyRemote(batch);
            INFO("applyRemote at replica " << to << ": " << (out.ok() ? std::string() : out.error().code + " " + out.error().message));
            REQUIRE(out.ok());
            REQUIRE(out->size() == batch.size());
            for (std::size_t k = 0; k < batch.size(); ++k) {
                INFO("op " << encodeOp(batch[k]).dump() << " gave " << outcomeName((*out)[k]));
                REQUIRE((*out)[k] != ApplyOutcome::Conflict);  // ids are never reused with other content
            }
            for (const Op& op : batch) m_known[to].insert(indexOf(op));
            at += n;
        }
    }

    std::size_t indexOf(const Op& op) {
        if (m_index.size() != m_ops.size()) {
            m_index.clear();
            for (std::size_t k = 0; k < m_ops.size(); ++k) m_index[idOf(m_ops[k])] = k;
        }
        return m_index.at(idOf(op));
    }

    std::mt19937_64 m_rng;
    std::string m_dir;
    std::vector<std::unique_ptr<Replica>> m_replicas;
    std::vector<ManualClock> m_clocks;
    std::vector<std::set<std::size_t>> m_known;  // indexes into m_ops
    std::vector<Op> m_ops;                       // every op written, once
    std::map<std::string, std::size_t> m_index;
    std::vector<EntityId> m_plans;
    std::vector<std::pair<EntityId, EntityId>> m_tasks;  // task, its plan
};

std::string dumpOf(Replica& r) {
    auto d = r.dump();
    INFO((d.ok() ? std::string() : d.error().code + " " + d.error().message));
    REQUIRE(d.ok());
    return d.value();
}

/// What every replica must hold once it has seen `ops`: per field, the greatest write
/// and the set of every write.
struct Model {
    std::map<std::string, Op> winner;
    std::map<std::string, std::set<std::string>> writes;

    explicit Model(const std::vector<Op>& ops) {
        for (const Op& op : ops) {
            const std::string key = fieldKey(op);
            auto it = winner.find(key);
            if (it == winner.end() || writeWins(op, it->second)) winner[key] = op;
            writes[key].insert(idOf(op));
        }
    }
};

/// Checks one replica against the model: every field's value and winning write, its
/// full history (no value lost, exactly one current), and the deleted flag.
void checkAgainstModel(Replica& r, const Model& model, std::size_t replicaIndex) {
    INFO("replica " << replicaIndex);
    for (const auto& [key, win] : model.winner) {
        INFO("field " << key);
        auto f = r.field(win.entity, win.field);
        REQUIRE(f.ok());
        REQUIRE(f->has_value());
        REQUIRE((*f)->value == win.value);
        REQUIRE((*f)->hlc == win.hlc);
        REQUIRE((*f)->site == win.site);
        REQUIRE((*f)->n == win.n);

        auto h = r.history(win.entity, win.field);
        REQUIRE(h.ok());
        std::set<std::string> seen;
        int currents = 0;
        for (const auto& e : h.value()) {
            seen.insert(idOf(e.op));
            if (e.current) {
                ++currents;
                REQUIRE(e.op.sameContent(win));
            }
        }
        REQUIRE(h->size() == model.writes.at(key).size());
        REQUIRE(seen == model.writes.at(key));
        REQUIRE(currents == 1);
        if (win.field == "deleted") {
            auto e = r.entity(win.entity);
            REQUIRE(e.ok());
            REQUIRE(e->has_value());
            REQUIRE((*e)->deleted() == (win.value == true));
        }
    }
}

}  // namespace

TEST_CASE("convergence: 2-5 replicas running random scripts converge byte-identically with nothing lost", "[convergence][property]") {
    TempDir root("/dev/shm");
    const auto all = seeds(1000, 1);
    for (std::uint64_t seed : all) {
        INFO("seed " << seed << " (replay: TANDEM_PROPERTY_SEED=" << seed << ")");
        const std::string dir = (root.path() / std::to_string(seed)).string();
        std::filesystem::create_directory(dir);
        {
            World world(seed, dir);
            world.createBasics();
            std::mt19937_64 lengths(seed);
            const int steps = 6 + static_cast<int>(lengths() % 14);
            for (int s = 0; s < steps; ++s) world.step();
            world.deliverAll();

            const std::string reference = dumpOf(world.replica(0));
            bool identical = true;
            for (std::size_t i = 1; i < world.size(); ++i) identical = identical && dumpOf(world.replica(i)) == reference;
            if (!identical) {
                for (std::size_t i = 0; i < world.size(); ++i) UNSCOPED_INFO("dump " << i << ": " << dumpOf(world.replica(i)));
            }
            REQUIRE(identical);

            const Model model(world.allOps());
            for (std::size_t i = 0; i < world.size(); ++i) checkAgainstModel(world.replica(i), model, i);

            // Idempotence after convergence: everything again is all Duplicate, state unchanged.
            auto again = world.replica(0).applyRemote(world.allOps());
            REQUIRE(again.ok());
            for (ApplyOutcome o : again.value()) REQUIRE(o == ApplyOutcome::Duplicate);
            REQUIRE(dumpOf(world.replica(0)) == reference);
        }
        std::filesystem::remove_all(dir);
    }
}

namespace {

/// Random remote ops over a handful of fields, with stamps that often tie across sites
/// and (rarely) within one site. Ids are never reused with other content.
std::vector<Op> randomOps(std::mt19937_64& rng, std::size_t count) {
    static const std::uint64_t sites[] = {0x11, 0x22, 0x8000000000000001ULL};
    std::map<std::uint64_t, std::uint64_t> nextN;
    std::vector<Op> ops;
    const EntityId plans[] = {EntityId{0xb0, 1}, EntityId{0xb0, 2}};
    const char* fields[] = {"title", "status", "deleted", "participants.0000000000000000000000000000d001"};
    for (std::size_t k = 0; k < count; ++k) {
        Op op;
        op.site = SiteId{sites[rng() % 3]};
        op.n = ++nextN[op.site.value];
        op.entity = plans[rng() % 2];
        op.type = "plan";
        op.field = fields[rng() % 4];
        if (op.field == "title") op.value = "v" + std::to_string(rng() % 4);
        else if (op.field == "status") op.value = (rng() % 2) ? "draft" : "done";
        else op.value = rng() % 2 == 0;
        op.hlc = Hlc::make(static_cast<std::uint64_t>(kStart) + rng() % 4, static_cast<std::uint16_t>(rng() % 2));
        ops.push_back(op);
    }
    return ops;
}

std::unique_ptr<Replica> freshReplica(const std::string& path, std::uint64_t site) {
    ManualClock clock;
    ReplicaOptions options;
    options.wall = clock.wall();
    options.random = seededRandom(site);
    options.site = SiteId{site};
    options.durable = false;
    options.checkIntegrity = false;
    auto r = Replica::open(path, options);
    REQUIRE(r.ok());
    return std::move(r).value();
}

}  // namespace

TEST_CASE("convergence: applying two sets of ops commutes", "[convergence][property]") {
    TempDir root("/dev/shm");
    for (std::uint64_t seed : seeds(300, 2)) {
        INFO("seed " << seed << " (replay: TANDEM_PROPERTY_SEED=" << seed << ")");
        std::mt19937_64 rng(seed);
        auto ops = randomOps(rng, 4 + rng() % 16);
        const std::size_t cut = static_cast<std::size_t>(rng() % (ops.size() + 1));
        std::vector<Op> a(ops.begin(), ops.begin() + static_cast<std::ptrdiff_t>(cut));
        std::vector<Op> b(ops.begin() + static_cast<std::ptrdiff_t>(cut), ops.end());
        const std::string base = (root.path() / std::to_string(seed)).string();
        auto x = freshReplica(base + "-x.db", 0xe1);
        auto y = freshReplica(base + "-y.db", 0xe2);
        auto z = freshReplica(base + "-z.db", 0xe3);
        REQUIRE(x->applyRemote(a).ok());
        REQUIRE(x->applyRemote(b).ok());
        REQUIRE(y->applyRemote(b).ok());
        REQUIRE(y->applyRemote(a).ok());
        std::vector<Op> shuffled = ops;
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        for (const Op& op : shuffled) REQUIRE(z->applyRemote(std::span<const Op>(&op, 1)).ok());
        const std::string dx = dumpOf(*x);
        REQUIRE(dumpOf(*y) == dx);
        REQUIRE(dumpOf(*z) == dx);
        checkAgainstModel(*x, Model(ops), 0);
        x.reset();
        y.reset();
        z.reset();
        for (const char* s : {"-x.db", "-y.db", "-z.db"}) {
            std::filesystem::remove(base + s);
            std::filesystem::remove(base + s + "-wal");
            std::filesystem::remove(base + s + "-shm");
        }
    }
}

TEST_CASE("convergence: applying ops again, in any number of copies, changes nothing", "[convergence][property]") {
    TempDir root("/dev/shm");
    for (std::uint64_t seed : seeds(300, 3)) {
        INFO("seed " << seed << " (replay: TANDEM_PROPERTY_SEED=" << seed << ")");
        std::mt19937_64 rng(seed);
        auto ops = randomOps(rng, 2 + rng() % 12);
        const std::string base = (root.path() / std::to_string(seed)).string();
        auto once = freshReplica(base + "-1.db", 0xe4);
        auto many = freshReplica(base + "-2.db", 0xe5);
        auto first = once->applyRemote(ops);
        REQUIRE(first.ok());
        for (ApplyOutcome o : first.value()) REQUIRE(o == ApplyOutcome::Applied);
        const std::string d1 = dumpOf(*once);
        auto second = once->applyRemote(ops);
        REQUIRE(second.ok());
        for (ApplyOutcome o : second.value()) REQUIRE(o == ApplyOutcome::Duplicate);
        REQUIRE(dumpOf(*once) == d1);

        std::vector<Op> copies;
        for (const Op& op : ops)
            for (std::size_t c = 0, k = 1 + rng() % 3; c < k; ++c) copies.push_back(op);
        std::shuffle(copies.begin(), copies.end(), rng);
        auto out = many->applyRemote(copies);
        REQUIRE(out.ok());
        std::size_t applied = 0;
        for (ApplyOutcome o : out.value()) {
            REQUIRE(o != ApplyOutcome::Conflict);
            applied += o == ApplyOutcome::Applied ? 1 : 0;
        }
        REQUIRE(applied == ops.size());
        REQUIRE(dumpOf(*many) == d1);
        once.reset();
        many.reset();
        for (const char* s : {"-1.db", "-2.db"}) {
            std::filesystem::remove(base + s);
            std::filesystem::remove(base + s + "-wal");
            std::filesystem::remove(base + s + "-shm");
        }
    }
}
