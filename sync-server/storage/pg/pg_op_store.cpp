#include "storage/pg/pg_op_store.h"

#include <charconv>
#include <chrono>
#include <tuple>

#include "tandem/core/canonical_json.h"

namespace tandem::server {

using core::ApplyOutcome;
using core::EntityId;
using core::Json;
using core::makeError;
using core::Op;
using core::Result;
using core::Status;
using pg::PgParam;
using pg::PgResult;

namespace {

// core::Replica's order-preserving mapping of unsigned 64-bit values to signed columns.
constexpr std::uint64_t kSignBit = 1ULL << 63;
std::string toSql(std::uint64_t v) {
    return std::to_string(static_cast<std::int64_t>(v ^ kSignBit));
}
std::uint64_t fromSql(std::int64_t v) {
    return static_cast<std::uint64_t>(v) ^ kSignBit;
}

std::string num(std::int64_t v) {
    return std::to_string(v);
}

PgParam optId(const std::optional<EntityId>& id) {
    if (id) return id->hex();
    return std::nullopt;
}

std::optional<EntityId> readOptId(const PgResult& r, int row, int column) {
    if (r.isNull(row, column)) return std::nullopt;
    return EntityId::parse(r.text(row, column));
}

Json parseStored(std::string_view text) {
    Json value = Json::parse(text.begin(), text.end(), nullptr, false);
    return value.is_discarded() ? Json() : value;
}

// pg_advisory_xact_lock key of write batches ("tandem" + 2 in ASCII, as an int64).
constexpr const char* kWriteLock = "7461206e64656d02";

constexpr const char* kOpColumns = "site, n, entity, type, field, value, hlc, seq, author";

Op readOp(const PgResult& r, int row, int first = 0) {
    Op op;
    op.site = core::SiteId{fromSql(r.integer(row, first + 0))};
    op.n = static_cast<std::uint64_t>(r.integer(row, first + 1));
    op.entity = EntityId::parse(r.text(row, first + 2)).value_or(EntityId{});
    op.type = std::string(r.text(row, first + 3));
    op.field = std::string(r.text(row, first + 4));
    op.value = parseStored(r.text(row, first + 5));
    op.hlc = core::Hlc{fromSql(r.integer(row, first + 6))};
    if (!r.isNull(row, first + 7)) op.seq = r.integer(row, first + 7);
    op.author = readOptId(r, row, first + 8);
    return op;
}

std::vector<Op> readOps(const PgResult& r) {
    std::vector<Op> ops;
    ops.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) ops.push_back(readOp(r, i));
    return ops;
}

constexpr const char* kEntitySelect =
    "SELECT e.entity, e.type, e.plan, f.field, f.value, f.hlc, f.site, f.n"
    " FROM entities e JOIN fields f ON f.entity = e.entity";

std::vector<core::Entity> readEntities(const PgResult& r) {
    std::vector<core::Entity> out;
    for (int i = 0; i < r.rows(); ++i) {
        const EntityId id = EntityId::parse(r.text(i, 0)).value_or(EntityId{});
        if (out.empty() || out.back().id != id) {
            core::Entity entity;
            entity.id = id;
            entity.type = std::string(r.text(i, 1));
            entity.plan = readOptId(r, i, 2);
            out.push_back(std::move(entity));
        }
        core::FieldValue value;
        value.value = parseStored(r.text(i, 4));
        value.hlc = core::Hlc{fromSql(r.integer(i, 5))};
        value.site = core::SiteId{fromSql(r.integer(i, 6))};
        value.n = static_cast<std::uint64_t>(r.integer(i, 7));
        out.back().fields.emplace(std::string(r.text(i, 3)), std::move(value));
    }
    return out;
}

}  // namespace

// ---- batches ------------------------------------------------------------------------

class PgMark final : public OpStore::Batch::Mark {
public:
    PgMark(PgOpStore& store, std::string name) : m_store(store), m_name(std::move(name)), m_nextN(store.m_nextN) {}
    Status rewind() override {
        m_store.m_nextN = m_nextN;
        m_store.m_known.clear();  // rows it remembers may be rolled back
        return m_store.m_db->script("ROLLBACK TO SAVEPOINT " + m_name + "; RELEASE SAVEPOINT " + m_name);
    }
    Status keep() override { return m_store.m_db->script("RELEASE SAVEPOINT " + m_name); }

private:
    PgOpStore& m_store;
    std::string m_name;
    std::uint64_t m_nextN;
};

class PgBatch final : public OpStore::Batch {
public:
    explicit PgBatch(PgOpStore& store) : m_store(store) {}
    ~PgBatch() override {
        if (!m_done) (void)m_store.m_db->script("ROLLBACK");
    }
    Result<ApplyOutcome> apply(const Op& op, std::optional<EntityId> planHint, bool* won) override {
        return m_store.apply(op, std::move(planHint), won);
    }
    Status commit() override {
        m_done = true;
        // Delivered at commit, to every instance LISTENing (docs/server.md: /live).
        if (auto n = m_store.m_db->exec("SELECT pg_notify('tandem_commit', $1 || ':' || "
                                        "coalesce((SELECT value FROM srv_counter WHERE name = 'seq'), 0))",
                                        {m_store.m_id});
            !n) {
            (void)m_store.m_db->script("ROLLBACK");
            return n.error();
        }
        auto s = m_store.m_db->script("COMMIT");
        if (!s) (void)m_store.m_db->script("ROLLBACK");
        return s;
    }
    Result<std::unique_ptr<Mark>> mark() override {
        const std::string name = "tandem_mark_" + std::to_string(++m_store.m_savepoints);
        if (auto s = m_store.m_db->script("SAVEPOINT " + name); !s) return s.error();
        return std::unique_ptr<Mark>(std::make_unique<PgMark>(m_store, name));
    }

private:
    PgOpStore& m_store;
    bool m_done = false;
};

Result<std::unique_ptr<PgOpStore>> PgOpStore::open(const std::string& url, core::WallClock wall) {
    auto db = pg::PgConnection::open(url);
    if (!db) return db.error();
    return std::unique_ptr<PgOpStore>(new PgOpStore(std::move(*db), url, std::move(wall)));
}

PgOpStore::~PgOpStore() {
    stopWatching();
}

void PgOpStore::stopWatching() {
    m_stopWatching = true;
    if (m_watcher.joinable()) m_watcher.join();
    m_stopWatching = false;
}

void PgOpStore::watchCommits(std::function<void(std::int64_t)> committed) {
    stopWatching();
    if (!committed) return;
    m_watcher = std::thread([this, committed = std::move(committed)] {
        const std::string own = m_id + ":";
        std::unique_ptr<pg::PgConnection> listener;
        while (!m_stopWatching) {
            if (!listener) {
                auto opened = pg::PgConnection::open(m_url);
                if (opened && (*opened)->script("LISTEN tandem_commit")) {
                    listener = std::move(*opened);
                } else {
                    // Away: try again shortly (the stop flag is checked in between).
                    for (int i = 0; i < 10 && !m_stopWatching; ++i)
                        std::this_thread::sleep_for(std::chrono::milliseconds(100));
                    continue;
                }
            }
            auto payloads = listener->awaitNotifications(200);
            if (!payloads) {
                listener.reset();
                continue;
            }
            for (const std::string& payload : *payloads) {
                if (payload.rfind(own, 0) == 0) continue;  // our own commit
                const auto colon = payload.find(':');
                if (colon == std::string::npos) continue;
                std::int64_t head = 0;
                const char* first = payload.data() + colon + 1;
                const char* last = payload.data() + payload.size();
                if (std::from_chars(first, last, head).ec == std::errc()) committed(head);
            }
        }
    });
}

Result<std::unique_ptr<OpStore::Batch>> PgOpStore::begin() {
    if (!m_db->ok())
        if (auto s = m_db->reset(); !s) return s.error();
    m_known.clear();  // another instance may have written since the last batch
    if (auto s = m_db->script("BEGIN"); !s) return s.error();
    auto batch = std::make_unique<PgBatch>(*this);  // from here on, rolled back unless committed
    // Write batches take turns across instances (docs/server.md, "Cursor"): seqs are
    // assigned and committed in the same order, so a pull never skips one.
    if (auto s = m_db->exec("SELECT pg_advisory_xact_lock(x'" + std::string(kWriteLock) + "'::bigint)"); !s)
        return s.error();
    return std::unique_ptr<Batch>(std::move(batch));
}

// ---- writes -------------------------------------------------------------------------

EntityId PgOpStore::newEntityId() {
    return EntityId::generate(m_random);
}

Op PgOpStore::stampLocal(const EntityId& entity, const std::string& type, const std::string& field, Json value) {
    Op op;
    op.site = core::kServerSite;
    op.n = m_nextN++;
    op.entity = entity;
    op.type = type;
    op.field = field;
    op.value = std::move(value);
    op.hlc = m_clock.now();
    return op;
}

// As core::Replica::ensureEntity: an entity's type is that of its earliest write, and
// its plan the first one learnt. One round trip for an entity this batch has not met
// (insert it, or read the stored row, in one statement); none for one it has, unless
// the row must change.
Result<std::optional<EntityId>> PgOpStore::ensureEntity(const Op& op, std::optional<EntityId> hint) {
    if (op.type == "plan")
        hint = op.entity;
    else if (!hint && op.field == "plan" && op.value.is_string())
        hint = EntityId::parse(op.value.get<std::string>());
    const std::string entity = op.entity.hex();
    const auto stamp = std::make_tuple(op.hlc, op.site, op.n);
    auto known = m_known.find(op.entity);
    if (known == m_known.end()) {
        // The SELECT sees the table as it was before the INSERT: no row means inserted.
        auto r = m_db->execPrepared("tandem_ensure_entity",
                                    "WITH inserted AS (INSERT INTO entities(entity, type, plan, th, ts, tn) "
                                    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (entity) DO NOTHING RETURNING 1) "
                                    "SELECT plan, th, ts, tn FROM entities WHERE entity = $1",
                                    {entity, op.type, optId(hint), toSql(op.hlc.value), toSql(op.site.value),
                                     num(static_cast<std::int64_t>(op.n))});
        if (!r) return r.error();
        if (r->rows() == 0) {
            m_known.emplace(op.entity, KnownEntity{hint, stamp});
            return hint;
        }
        known = m_known
                    .emplace(op.entity, KnownEntity{readOptId(*r, 0, 0),
                                                    std::make_tuple(core::Hlc{fromSql(r->integer(0, 1))},
                                                                    core::SiteId{fromSql(r->integer(0, 2))},
                                                                    static_cast<std::uint64_t>(r->integer(0, 3)))})
                    .first;
    }
    KnownEntity& row = known->second;
    if (hint && !row.plan) {  // a plan learnt late
        if (auto s = m_db->exec("UPDATE entities SET plan = $1 WHERE entity = $2", {hint->hex(), entity}); !s)
            return s.error();
        row.plan = hint;
    }
    if (row.first > stamp) {  // an earlier write: its type is the entity's
        if (auto s = m_db->exec(
                "UPDATE entities SET type = $1, th = $2, ts = $3, tn = $4 WHERE entity = $5",
                {op.type, toSql(op.hlc.value), toSql(op.site.value), num(static_cast<std::int64_t>(op.n)), entity});
            !s)
            return s.error();
        row.first = stamp;
    }
    return row.plan;
}

// The op row and, for a new op, its field row in one statement; the SELECT (of the
// table before the statement) gives the stored write to merge with when there is one.
// The merge is DESIGN §4's, decided by core::writeWins as in core::Replica::mergeField;
// the loser is kept in `superseded`.
Result<ApplyOutcome> PgOpStore::apply(const Op& op, std::optional<EntityId> planHint, bool* won) {
    auto valueText = core::canonicalJson(op.value);
    if (!valueText) return valueText.error();
    auto plan = ensureEntity(op, planHint);
    if (!plan) return plan.error();
    const std::string entity = op.entity.hex();
    const std::string n = num(static_cast<std::int64_t>(op.n));
    auto r = m_db->execPrepared(
        "tandem_apply_op",
        "WITH op AS (INSERT INTO ops(site, n, entity, type, field, value, hlc, seq, author, plan) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (site, n) DO NOTHING RETURNING 1), "
        "first AS (INSERT INTO fields(entity, field, value, hlc, site, n) "
        "SELECT $3, $5, $6, $7, $1, $2 WHERE EXISTS (SELECT 1 FROM op) "
        "ON CONFLICT (entity, field) DO NOTHING RETURNING 1) "
        "SELECT (SELECT count(*) FROM op), (SELECT count(*) FROM first), f.site, f.n, f.hlc "
        "FROM (SELECT 1) one LEFT JOIN fields f ON f.entity = $3 AND f.field = $5",
        {toSql(op.site.value), n, entity, op.type, op.field, *valueText, toSql(op.hlc.value),
         op.seq ? PgParam(num(*op.seq)) : PgParam(), optId(op.author), optId(*plan)});
    if (!r) return r.error();
    if (r->integer(0, 0) == 0) {
        // The id is known: the same op again (idempotent), or another op under its id.
        auto existing = storedOp(op.site, op.n);
        if (!existing) return existing.error();
        if (!*existing) return makeError("postgres", "op vanished during apply");
        return (*existing)->sameContent(op) ? ApplyOutcome::Duplicate : ApplyOutcome::Conflict;
    }
    bool wins = true;
    if (r->integer(0, 1) == 0) {  // the field has a stored write
        if (r->isNull(0, 2)) return makeError("postgres", "field vanished during apply");
        Op winner;
        winner.site = core::SiteId{fromSql(r->integer(0, 2))};
        winner.n = static_cast<std::uint64_t>(r->integer(0, 3));
        winner.hlc = core::Hlc{fromSql(r->integer(0, 4))};
        wins = core::writeWins(op, winner);
        const Op& loser = wins ? winner : op;
        const std::vector<PgParam> superseded = {entity, op.field, toSql(loser.site.value),
                                                 num(static_cast<std::int64_t>(loser.n))};
        auto s = wins ? m_db->exec(
                            "WITH loser AS (INSERT INTO superseded(entity, field, site, n) "
                            "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING) "
                            "UPDATE fields SET value = $5, hlc = $6, site = $7, n = $8 "
                            "WHERE entity = $1 AND field = $2",
                            {entity, op.field, toSql(loser.site.value), num(static_cast<std::int64_t>(loser.n)),
                             *valueText, toSql(op.hlc.value), toSql(op.site.value), n})
                      : m_db->exec(
                            "INSERT INTO superseded(entity, field, site, n) VALUES ($1, $2, $3, $4) "
                            "ON CONFLICT DO NOTHING",
                            superseded);
        if (!s) return s.error();
    }
    if (won) *won = wins;
    m_clock.receive(op.hlc);
    if (op.site == core::kServerSite && op.n >= m_nextN) m_nextN = op.n + 1;
    return ApplyOutcome::Applied;
}

Status PgOpStore::reload() {
    if (!m_db->ok())
        if (auto s = m_db->reset(); !s) return s;
    auto r = m_db->exec("SELECT coalesce(max(n), 0), (SELECT max(hlc) FROM ops) FROM ops WHERE site = $1",
                        {toSql(core::kServerSite.value)});
    if (!r) return r.error();
    m_nextN = static_cast<std::uint64_t>(r->integer(0, 0)) + 1;
    if (!r->isNull(0, 1)) m_clock.receive(core::Hlc{fromSql(r->integer(0, 1))});
    return {};
}

// ---- reads --------------------------------------------------------------------------

Result<std::optional<core::Entity>> PgOpStore::entity(const EntityId& id) {
    auto r = m_db->exec(std::string(kEntitySelect) + " WHERE e.entity = $1", {id.hex()});
    if (!r) return r.error();
    auto entities = readEntities(*r);
    if (entities.empty()) return std::optional<core::Entity>();
    return std::optional<core::Entity>(std::move(entities.front()));
}

Result<std::vector<core::Entity>> PgOpStore::entities(const std::string& type, std::optional<EntityId> plan) {
    auto r = plan ? m_db->exec(std::string(kEntitySelect) + " WHERE e.type = $1 AND e.plan = $2 ORDER BY e.entity",
                               {type, plan->hex()})
                  : m_db->exec(std::string(kEntitySelect) + " WHERE e.type = $1 ORDER BY e.entity", {type});
    if (!r) return r.error();
    return readEntities(*r);
}

Result<std::optional<core::FieldValue>> PgOpStore::field(const EntityId& id, const std::string& name) {
    auto r = m_db->exec("SELECT value, hlc, site, n FROM fields WHERE entity = $1 AND field = $2", {id.hex(), name});
    if (!r) return r.error();
    if (r->rows() == 0) return std::optional<core::FieldValue>();
    core::FieldValue value;
    value.value = parseStored(r->text(0, 0));
    value.hlc = core::Hlc{fromSql(r->integer(0, 1))};
    value.site = core::SiteId{fromSql(r->integer(0, 2))};
    value.n = static_cast<std::uint64_t>(r->integer(0, 3));
    return std::optional<core::FieldValue>(std::move(value));
}

Result<std::vector<Op>> PgOpStore::opsAfterSeq(std::int64_t cursor, std::size_t limit,
                                               const std::function<bool(const std::optional<EntityId>&)>& readable) {
    // Pages of rows, so a reader that may read little does not fetch the whole log.
    std::vector<Op> ops;
    const std::size_t page = std::max<std::size_t>(limit, 256);
    for (std::int64_t after = cursor;;) {
        auto r =
            m_db->exec("SELECT " + std::string(kOpColumns) + ", plan FROM ops WHERE seq > $1 ORDER BY seq LIMIT $2",
                       {num(after), num(static_cast<std::int64_t>(page))});
        if (!r) return r.error();
        for (int i = 0; i < r->rows() && ops.size() < limit; ++i) {
            after = r->integer(i, 7);
            if (readable && !readable(readOptId(*r, i, 9))) continue;
            ops.push_back(readOp(*r, i));
        }
        if (ops.size() >= limit || static_cast<std::size_t>(r->rows()) < page) return ops;
    }
}

Result<std::vector<Op>> PgOpStore::opsOfPlan(const EntityId& plan, std::int64_t after, std::int64_t upto,
                                             std::size_t limit) {
    auto r = m_db->exec("SELECT " + std::string(kOpColumns) +
                            " FROM ops WHERE plan = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4",
                        {plan.hex(), num(after), num(upto), num(static_cast<std::int64_t>(limit))});
    if (!r) return r.error();
    return readOps(*r);
}

Result<std::optional<Op>> PgOpStore::storedOp(const core::SiteId& site, std::uint64_t n) {
    auto r = m_db->exec("SELECT " + std::string(kOpColumns) + " FROM ops WHERE site = $1 AND n = $2",
                        {toSql(site.value), num(static_cast<std::int64_t>(n))});
    if (!r) return r.error();
    if (r->rows() == 0) return std::optional<Op>();
    return std::optional<Op>(readOp(*r, 0));
}

Result<std::uint64_t> PgOpStore::highestN(const core::SiteId& site) {
    auto r = m_db->exec("SELECT coalesce(max(n), 0) FROM ops WHERE site = $1", {toSql(site.value)});
    if (!r) return r.error();
    return static_cast<std::uint64_t>(r->integer(0, 0));
}

Result<std::string> PgOpStore::dump() {
    auto r = m_db->exec(
        "SELECT e.entity, e.type, e.plan, f.field, f.value FROM fields f JOIN entities e ON e.entity = f.entity "
        "ORDER BY e.entity, f.field");
    if (!r) return r.error();
    Json entities = Json::object();
    for (int i = 0; i < r->rows(); ++i) {
        Json& entity = entities[std::string(r->text(i, 0))];
        entity["type"] = std::string(r->text(i, 1));
        entity["plan"] = r->isNull(i, 2) ? Json(nullptr) : Json(std::string(r->text(i, 2)));
        entity["fields"][std::string(r->text(i, 3))] = parseStored(r->text(i, 4));
    }
    return core::canonicalJson(Json{{"entities", std::move(entities)}});
}

}  // namespace tandem::server
