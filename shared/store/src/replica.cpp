#include "tandem/core/replica.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

namespace tandem::core {

namespace {

constexpr std::int64_t kApplicationId = 0x54616e64;  // "Tand"
constexpr std::uint64_t kSignBit = 1ULL << 63;

// SQLite integers are signed; flipping the top bit maps unsigned 64-bit order onto
// signed order, so HLCs and site ids compare correctly inside SQL.
std::int64_t toSql(std::uint64_t v) { return static_cast<std::int64_t>(v ^ kSignBit); }
std::uint64_t fromSql(std::int64_t v) { return static_cast<std::uint64_t>(v) ^ kSignBit; }

// An entity's type is the type of its earliest write (hlc, site, n: th, ts, tn), so
// replicas agree even on ops that disagree about it. A rowid table, so a new entity is
// appended to it and to its type index: entity ids are random, and only the id index
// takes a page of its own per new entity (schema 1 was keyed by the id, and a push of
// new entities wrote twice as many random pages). Created along with kCreateSchema.
constexpr const char* kCreateEntities = R"sql(
CREATE TABLE entities(
  id INTEGER PRIMARY KEY, entity BLOB NOT NULL UNIQUE, type TEXT NOT NULL, plan BLOB,
  th INTEGER NOT NULL, ts INTEGER NOT NULL, tn INTEGER NOT NULL);
CREATE INDEX entities_type ON entities(type, plan);
)sql";

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE ops(
  site INTEGER NOT NULL, n INTEGER NOT NULL,
  entity BLOB NOT NULL, type TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
  hlc INTEGER NOT NULL, seq INTEGER, author BLOB, plan BLOB,
  pending INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(site, n)) WITHOUT ROWID;
CREATE UNIQUE INDEX ops_seq ON ops(seq) WHERE seq IS NOT NULL;
CREATE INDEX ops_pending ON ops(n) WHERE pending = 1;
CREATE TABLE fields(
  entity BLOB NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
  hlc INTEGER NOT NULL, site INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY(entity, field)) WITHOUT ROWID;
-- Every write that is not (or no longer) its field's value, by (site, n) into ops:
-- the field history without an index over the whole log.
CREATE TABLE superseded(
  entity BLOB NOT NULL, field TEXT NOT NULL, site INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY(entity, field, site, n)) WITHOUT ROWID;
CREATE TABLE rejected(
  id INTEGER PRIMARY KEY, site INTEGER NOT NULL, n INTEGER NOT NULL, entity BLOB NOT NULL,
  type TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, hlc INTEGER NOT NULL,
  code TEXT NOT NULL, message TEXT NOT NULL, at INTEGER NOT NULL);
)sql";

// Schema 3: the last n of each local write to one entity (Replica::write), while it may
// still be pending, so a push never cuts a record in two (pendingBatch).
constexpr const char* kCreateWriteEnds = "CREATE TABLE write_ends(n INTEGER PRIMARY KEY);";

void bindId(Statement& st, int index, const EntityId& id) {
    const auto bytes = id.bytes();
    st.bindBlob(index, bytes.data(), static_cast<int>(bytes.size()));
}

void bindOptionalId(Statement& st, int index, const std::optional<EntityId>& id) {
    if (id) bindId(st, index, *id);
    else st.bindNull(index);
}

std::optional<EntityId> readOptionalId(const Statement& st, int column) {
    if (st.isNull(column)) return std::nullopt;
    const auto blob = st.getBlob(column);
    if (blob.size() != 16) return std::nullopt;
    return EntityId::fromBytes(blob.data());
}

EntityId readId(const Statement& st, int column) { return readOptionalId(st, column).value_or(EntityId{}); }

Json parseStored(std::string_view text) {
    Json value = Json::parse(text.begin(), text.end(), nullptr, false);
    return value.is_discarded() ? Json() : value;
}

bool looksLikeSqlite(const std::string& path, bool& empty) {
    std::ifstream in(path, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    empty = in.gcount() == 0;
    return in.gcount() == 16 && std::memcmp(header, "SQLite format 3", 16) == 0;
}

// Columns: site, n, entity, type, field, value, hlc, seq, author
constexpr const char* kOpColumns = "site, n, entity, type, field, value, hlc, seq, author";

/// The op in kOpColumns order, from column `first` on.
Op readOp(const Statement& st, int first = 0) {
    Op op;
    op.site = SiteId{fromSql(st.getInt(first + 0))};
    op.n = static_cast<std::uint64_t>(st.getInt(first + 1));
    op.entity = readId(st, first + 2);
    op.type = st.getText(first + 3);
    op.field = st.getText(first + 4);
    op.value = parseStored(st.getTextView(first + 5));
    op.hlc = Hlc{fromSql(st.getInt(first + 6))};
    if (!st.isNull(first + 7)) op.seq = st.getInt(first + 7);
    op.author = readOptionalId(st, first + 8);
    return op;
}

/// Every row of a statement selecting kOpColumns, as ops; the statement is reset.
Result<std::vector<Op>> readOps(Statement& st) {
    std::vector<Op> ops;
    for (;;) {
        auto row = st.step();
        if (!row) return row.error();
        if (!*row) break;
        ops.push_back(readOp(st));
    }
    st.reset();
    return ops;
}

}  // namespace

bool Entity::deleted() const {
    auto it = fields.find("deleted");
    return it != fields.end() && it->second.value == true;
}

const Json& Entity::get(const std::string& field) const {
    static const Json kNull;
    auto it = fields.find(field);
    return it == fields.end() ? kNull : it->second.value;
}

Replica::Replica(std::unique_ptr<Database> db, ReplicaOptions options)
    : m_db(std::move(db)), m_options(std::move(options)), m_clock(m_options.wall) {}

Replica::~Replica() = default;

Result<std::unique_ptr<Replica>> Replica::open(const std::string& path, ReplicaOptions options) {
    std::error_code ec;
    const bool exists = path != ":memory:" && std::filesystem::exists(path, ec);
    if (exists) {
        bool empty = false;
        if (!looksLikeSqlite(path, empty) && !empty)
            return makeError("foreign_file", path + " is not a Tandem replica (not an SQLite database); it was left untouched");
    }
    auto db = Database::open(path, exists ? Database::Mode::ReadWrite : Database::Mode::ReadWriteCreate);
    if (!db) return db.error();
    std::unique_ptr<Replica> replica(new Replica(std::move(*db), std::move(options)));
    if (auto s = replica->initialise(); !s) return s.error();
    return replica;
}

Status Replica::initialise() {
    auto readInt = [&](const char* sql) -> Result<std::int64_t> {
        auto st = m_db->prepare(sql);
        if (!st) return st.error();
        auto row = (*st)->step();
        if (!row) return row.error();
        const std::int64_t v = *row ? (*st)->getInt(0) : 0;
        (*st)->reset();
        return v;
    };
    auto appId = readInt("PRAGMA application_id");
    if (!appId) {
        if (appId.error().code == "not_a_database" || appId.error().code == "corrupt")
            return makeError("corrupt", "the replica file is damaged or not a database: " + appId.error().message);
        return appId.error();
    }
    auto version = readInt("PRAGMA user_version");
    auto tables = readInt("SELECT count(*) FROM sqlite_master");
    if (!version) return version.error();
    if (!tables) return tables.error();

    const bool fresh = *appId == 0 && *version == 0 && *tables == 0;
    if (!fresh) {
        if (*appId != kApplicationId)
            return makeError("foreign_file", "the file is an SQLite database of another application; it was left untouched");
        if (*version > kSchemaVersion)
            return makeError("newer_version", "the replica was written by a newer Tandem (schema " + std::to_string(*version) + ")");
        if (m_options.checkIntegrity) {
            auto st = m_db->prepare("PRAGMA quick_check");
            if (!st) return makeError("corrupt", st.error().message);
            auto row = (*st)->step();
            if (!row) return makeError("corrupt", "integrity check failed: " + row.error().message);
            const std::string verdict = *row ? (*st)->getText(0) : "";
            (*st)->reset();
            if (verdict != "ok") return makeError("corrupt", "integrity check failed: " + verdict);
        }
    }

    if (auto s = m_db->exec("PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536"); !s) return s;
    if (auto s = m_db->exec(m_options.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"); !s) return s;
    if (fresh) {
        auto tx = Transaction::begin(*m_db);
        if (!tx) return tx.error();
        if (auto s = m_db->exec(std::string(kCreateSchema) + kCreateEntities + kCreateWriteEnds); !s) return s;
        if (auto s = m_db->exec("PRAGMA application_id=" + std::to_string(kApplicationId)); !s) return s;
        if (auto s = m_db->exec("PRAGMA user_version=" + std::to_string(kSchemaVersion)); !s) return s;
        if (auto s = tx->commit(); !s) return s;
    }
    if (!fresh && *version < 2) {
        // Schema 1 → 2: `entities` becomes a rowid table (see kCreateEntities).
        auto tx = Transaction::begin(*m_db);
        if (!tx) return tx.error();
        const std::string upgrade = std::string("ALTER TABLE entities RENAME TO entities_v1; DROP INDEX entities_type;") +
                                    kCreateEntities +
                                    "INSERT INTO entities(entity, type, plan, th, ts, tn)"
                                    " SELECT entity, type, plan, th, ts, tn FROM entities_v1 ORDER BY th, ts, tn;"
                                    "DROP TABLE entities_v1; PRAGMA user_version=2;";
        if (auto s = m_db->exec(upgrade); !s) return s;
        if (auto s = tx->commit(); !s) return s;
    }
    if (!fresh && *version < 3) {
        // Schema 2 → 3: write_ends. Ops still pending from before have no ends recorded;
        // pendingBatch then cuts only where the entity changes.
        auto tx = Transaction::begin(*m_db);
        if (!tx) return tx.error();
        if (auto s = m_db->exec(std::string(kCreateWriteEnds) + "PRAGMA user_version=3;"); !s) return s;
        if (auto s = tx->commit(); !s) return s;
    }
    if (m_options.indexOpsByPlan)
        if (auto s = m_db->exec("CREATE INDEX IF NOT EXISTS ops_plan ON ops(plan, seq) WHERE seq IS NOT NULL"); !s)
            return s;

    // Site id: forced by the caller (the server), kept in the file, or new.
    auto stored = meta("site");
    if (!stored) return stored.error();
    if (m_options.site) {
        m_site = *m_options.site;
        if (!*stored || *stored != m_site.hex())
            if (auto s = setMeta("site", m_site.hex()); !s) return s;
    } else if (*stored && SiteId::parse(**stored)) {
        m_site = *SiteId::parse(**stored);
    } else {
        m_site = SiteId::generate(m_options.random);
        if (auto s = setMeta("site", m_site.hex()); !s) return s;
    }

    if (auto s = loadNextN(); !s) return s;

    auto clock = meta("clock");
    if (!clock) return clock.error();
    if (*clock) {
        if (auto last = Hlc::parse(**clock)) m_clock.receive(*last);
    }
    return {};
}

Status Replica::loadNextN() {
    // Next n: past every op this site ever wrote, including ones the server refused.
    auto st = m_db->prepare(
        "SELECT max(coalesce((SELECT max(n) FROM ops WHERE site = ?1), 0),"
        "           coalesce((SELECT max(n) FROM rejected WHERE site = ?1), 0))");
    if (!st) return st.error();
    (*st)->bind(1, toSql(m_site.value));
    auto row = (*st)->step();
    if (!row) return row.error();
    m_nextN = static_cast<std::uint64_t>((*st)->getInt(0)) + 1;
    (*st)->reset();
    return {};
}

Status Replica::reload() {
    m_entities.clear();
    return loadNextN();
}

EntityId Replica::newEntityId() { return EntityId::generate(m_options.random); }

Op Replica::stampLocal(const EntityId& entity, const std::string& type, const std::string& field, Json value) {
    Op op;
    op.site = m_site;
    op.n = m_nextN++;
    op.entity = entity;
    op.type = type;
    op.field = field;
    op.value = std::move(value);
    op.hlc = m_clock.now();
    return op;
}

Result<std::vector<Op>> Replica::write(std::span<const EntityWrite> writes) {
    auto tx = Transaction::begin(*m_db);
    if (!tx) return tx.error();
    const std::uint64_t firstN = m_nextN;
    auto undo = [&](Error error) -> Result<std::vector<Op>> {
        m_nextN = firstN;
        m_entities.clear();
        return error;
    };
    std::vector<Op> ops;
    auto end = m_db->prepare("INSERT INTO write_ends(n) VALUES(?)");
    if (!end) return undo(end.error());
    for (const EntityWrite& w : writes) {
        std::optional<EntityId> planHint;
        if (w.type == "plan") planHint = w.entity;
        for (const auto& [name, value] : w.fields)
            if (name == "plan" && value.is_string()) planHint = EntityId::parse(value.get<std::string>());
        for (const auto& [name, value] : w.fields) {
            ops.push_back(stampLocal(w.entity, w.type, name, value));
            if (auto applied = applyOne(ops.back(), planHint, /*pending=*/true); !applied) return undo(applied.error());
        }
        if (w.fields.empty()) continue;
        (*end)->reset().bind(1, static_cast<std::int64_t>(ops.back().n));
        if (auto s = (*end)->run(); !s) return undo(s.error());
    }
    if (auto s = setMeta("clock", m_clock.last().hex()); !s) return undo(s.error());
    if (auto s = tx->commit(); !s) return undo(s.error());
    return ops;
}

Result<std::vector<Op>> Replica::write(const EntityId& entity, const std::string& type,
                                       const std::vector<std::pair<std::string, Json>>& fields) {
    const EntityWrite one{entity, type, fields};
    return write(std::span<const EntityWrite>(&one, 1));
}

Result<Op> Replica::write(const EntityId& entity, const std::string& type, const std::string& field, Json value) {
    auto ops = write(entity, type, {{field, std::move(value)}});
    if (!ops) return ops.error();
    return ops->front();
}

Result<std::optional<EntityId>> Replica::ensureEntity(const Op& op, std::optional<EntityId> hint) {
    if (op.type == "plan") hint = op.entity;
    else if (!hint && op.field == "plan" && op.value.is_string()) hint = EntityId::parse(op.value.get<std::string>());

    auto cached = m_entities.find(op.entity);
    if (cached != m_entities.end() && (cached->second.plan || !hint) && !cached->second.isLaterThan(op))
        return cached->second.plan;

    const auto entityBytes = op.entity.bytes();
    KnownEntity known;
    if (cached != m_entities.end()) {
        known = cached->second;
    } else {
        auto insert = m_db->prepare(
            "INSERT INTO entities(entity, type, plan, th, ts, tn) VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(entity) DO NOTHING");
        if (!insert) return insert.error();
        (*insert)->bindBlob(1, entityBytes.data(), 16).bind(2, op.type);
        bindOptionalId(**insert, 3, hint);
        (*insert)->bind(4, toSql(op.hlc.value)).bind(5, toSql(op.site.value)).bind(6, static_cast<std::int64_t>(op.n));
        if (auto s = (*insert)->run(); !s) return s.error();
        if (m_db->changes() == 1) {
            if (m_entities.size() > 1'000'000) m_entities.clear();
            m_entities[op.entity] = KnownEntity{hint, op.hlc, op.site, op.n};
            return hint;
        }
        auto stored = m_db->prepare("SELECT plan, th, ts, tn FROM entities WHERE entity = ?");
        if (!stored) return stored.error();
        (*stored)->bindBlob(1, entityBytes.data(), 16);
        auto row = (*stored)->step();
        if (!row) return row.error();
        if (!*row) return makeError("sqlite", "entity vanished during apply");
        known.plan = readOptionalId(**stored, 0);
        known.hlc = Hlc{fromSql((*stored)->getInt(1))};
        known.site = SiteId{fromSql((*stored)->getInt(2))};
        known.n = static_cast<std::uint64_t>((*stored)->getInt(3));
        (*stored)->reset();
    }
    if (hint && !known.plan) {  // a plan learnt late
        auto update = m_db->prepare("UPDATE entities SET plan = ? WHERE entity = ?");
        if (!update) return update.error();
        bindId(**update, 1, *hint);
        (*update)->bindBlob(2, entityBytes.data(), 16);
        if (auto s = (*update)->run(); !s) return s.error();
        known.plan = hint;
    }
    if (known.isLaterThan(op)) {  // an earlier write: its type is the entity's
        auto update = m_db->prepare("UPDATE entities SET type = ?, th = ?, ts = ?, tn = ? WHERE entity = ?");
        if (!update) return update.error();
        (*update)->bind(1, op.type).bind(2, toSql(op.hlc.value)).bind(3, toSql(op.site.value));
        (*update)->bind(4, static_cast<std::int64_t>(op.n)).bindBlob(5, entityBytes.data(), 16);
        if (auto s = (*update)->run(); !s) return s.error();
        known.hlc = op.hlc;
        known.site = op.site;
        known.n = op.n;
    }
    if (m_entities.size() > 1'000'000) m_entities.clear();
    m_entities[op.entity] = known;
    return known.plan;
}

Result<ApplyOutcome> Replica::applyOne(const Op& op, std::optional<EntityId> planHint, bool pending, bool* won,
                                       std::optional<EntityId>* planOut) {
    auto valueText = canonicalJson(op.value);
    if (!valueText) return valueText.error();
    auto plan = ensureEntity(op, planHint);
    if (!plan) return plan.error();
    if (planOut) *planOut = *plan;
    const auto entityBytes = op.entity.bytes();

    auto insert = m_db->prepare(
        "INSERT INTO ops(site, n, entity, type, field, value, hlc, seq, author, plan, pending)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(site, n) DO NOTHING");
    if (!insert) return insert.error();
    Statement& ins = **insert;
    ins.bind(1, toSql(op.site.value)).bind(2, static_cast<std::int64_t>(op.n));
    ins.bindBlob(3, entityBytes.data(), 16).bind(4, op.type).bind(5, op.field).bind(6, *valueText);
    ins.bind(7, toSql(op.hlc.value));
    if (op.seq) ins.bind(8, *op.seq);
    else ins.bindNull(8);
    bindOptionalId(ins, 9, op.author);
    bindOptionalId(ins, 10, *plan);
    ins.bind(11, std::int64_t{pending ? 1 : 0});
    if (auto s = ins.run(); !s) return s.error();

    if (m_db->changes() == 0) {
        // The id is known: the same op again (idempotent), or another op under its id.
        auto existing = storedOp(op.site, op.n);
        if (!existing) return existing.error();
        if (!*existing) return makeError("sqlite", "op vanished during apply");
        const Op& stored = **existing;
        if (!stored.sameContent(op)) return ApplyOutcome::Conflict;
        if (op.seq && !stored.seq) {
            // Our own pushed op coming back from the server: it is now sequenced.
            auto update = m_db->prepare("UPDATE ops SET seq = ?, author = ?, pending = 0 WHERE site = ? AND n = ?");
            if (!update) return update.error();
            (*update)->bind(1, *op.seq);
            bindOptionalId(**update, 2, op.author);
            (*update)->bind(3, toSql(op.site.value)).bind(4, static_cast<std::int64_t>(op.n));
            if (auto s = (*update)->run(); !s) return s.error();
        }
        return ApplyOutcome::Duplicate;
    }

    auto merged = mergeField(op, *valueText);
    if (!merged) return merged.error();
    if (won) *won = *merged;

    m_clock.receive(op.hlc);
    if (op.site == m_site && op.n >= m_nextN) m_nextN = op.n + 1;  // a replica restored from an old copy
    return ApplyOutcome::Applied;
}

Result<Replica::Batch> Replica::begin() {
    auto tx = Transaction::begin(*m_db);
    if (!tx) return tx.error();
    return Batch(this, std::move(*tx));
}

Replica::Batch::Batch(Batch&& other) noexcept
    : m_replica(other.m_replica), m_tx(std::move(other.m_tx)), m_committed(other.m_committed) {
    other.m_replica = nullptr;
}

Replica::Batch::~Batch() {
    if (m_replica && !m_committed) m_replica->m_entities.clear();  // rolled back
}

Result<ApplyOutcome> Replica::Batch::apply(const Op& op, std::optional<EntityId> planHint, bool* won,
                                           std::optional<EntityId>* plan) {
    return m_replica->applyOne(op, planHint, /*pending=*/false, won, plan);
}

Result<Replica::Batch::Mark> Replica::Batch::mark() {
    auto savepoint = Savepoint::begin(*m_replica->m_db);
    if (!savepoint) return savepoint.error();
    return Mark(m_replica, std::move(*savepoint));
}

Status Replica::Batch::Mark::rewind() {
    // The entity cache may hold entities the undone ops created.
    m_replica->m_entities.clear();
    m_replica->m_nextN = m_nextN;
    return m_savepoint.rollback();
}

Status Replica::Batch::commit() {
    if (auto s = m_replica->setMeta("clock", m_replica->m_clock.last().hex()); !s) return s;
    if (auto s = m_tx.commit(); !s) return s;
    m_committed = true;
    return {};
}

Result<std::vector<ApplyOutcome>> Replica::applyRemote(std::span<const Op> ops) {
    // A plan-scoped entity's `plan` field may come after its other fields in a batch.
    std::map<EntityId, EntityId> plans;
    for (const Op& op : ops)
        if (op.field == "plan" && op.value.is_string())
            if (auto plan = EntityId::parse(op.value.get<std::string>())) plans.emplace(op.entity, *plan);

    auto batch = begin();
    if (!batch) return batch.error();
    std::vector<ApplyOutcome> outcomes;
    outcomes.reserve(ops.size());
    for (const Op& op : ops) {
        auto it = plans.find(op.entity);
        auto outcome = batch->apply(op, it == plans.end() ? std::nullopt : std::optional<EntityId>(it->second));
        if (!outcome) return outcome.error();
        outcomes.push_back(*outcome);
    }
    if (auto s = batch->commit(); !s) return s.error();
    return outcomes;
}

Result<std::vector<Op>> Replica::pendingOps(std::size_t limit) {
    auto st = m_db->prepare("SELECT " + std::string(kOpColumns) + " FROM ops WHERE pending = 1 ORDER BY n LIMIT ?");
    if (!st) return st.error();
    (*st)->bind(1, static_cast<std::int64_t>(limit));
    return readOps(**st);
}

Result<std::vector<Op>> Replica::pendingBatch(std::size_t limit) {
    limit = std::max<std::size_t>(limit, 1);
    auto ends = m_db->prepare("SELECT n FROM write_ends WHERE n BETWEEN ? AND ?");
    if (!ends) return ends.error();
    for (std::size_t want = limit + 1;; want *= 2) {
        auto ops = pendingOps(want);
        if (!ops) return ops;
        if (ops->size() <= limit) return ops;
        std::set<std::uint64_t> writeEnds;
        (*ends)->bind(1, static_cast<std::int64_t>(ops->front().n)).bind(2, static_cast<std::int64_t>(ops->back().n));
        for (;;) {
            auto row = (*ends)->step();
            if (!row) return row.error();
            if (!*row) break;
            writeEnds.insert(static_cast<std::uint64_t>((*ends)->getInt(0)));
        }
        (*ends)->reset();
        // Ops written before schema 3 have no ends: there, only a change of entity is one.
        auto endsAfter = [&](std::size_t i) {
            return writeEnds.count((*ops)[i].n) > 0 || (*ops)[i + 1].entity != (*ops)[i].entity;
        };
        // The last end within the limit; else the first write whole, however long.
        for (std::size_t i = limit; i-- > 0;)
            if (endsAfter(i)) {
                ops->resize(i + 1);
                return ops;
            }
        for (std::size_t i = limit; i + 1 < ops->size(); ++i)
            if (endsAfter(i)) {
                ops->resize(i + 1);
                return ops;
            }
        if (ops->size() < want) return ops;  // every pending op is one write
    }
}

Result<std::int64_t> Replica::pendingCount() {
    auto st = m_db->prepare("SELECT count(*) FROM ops WHERE pending = 1");
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    const std::int64_t count = (*st)->getInt(0);
    (*st)->reset();
    return count;
}

namespace {

std::optional<std::uint64_t> ownN(const std::string& id, SiteId site) {
    const auto colon = id.find(':');
    if (colon == std::string::npos) return std::nullopt;
    auto idSite = SiteId::parse(std::string_view(id).substr(0, colon));
    if (!idSite || *idSite != site) return std::nullopt;
    try {
        return std::stoull(id.substr(colon + 1));
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace

Status Replica::markAccepted(std::span<const std::string> ids) {
    auto tx = Transaction::begin(*m_db);
    if (!tx) return tx.error();
    auto st = m_db->prepare("UPDATE ops SET pending = 0 WHERE site = ? AND n = ?");
    if (!st) return st.error();
    for (const auto& id : ids) {
        auto n = ownN(id, m_site);
        if (!n) continue;
        (*st)->reset().bind(1, toSql(m_site.value)).bind(2, static_cast<std::int64_t>(*n));
        if (auto s = (*st)->run(); !s) return s;
    }
    // Ends below the first pending op have no write left to bound.
    if (auto s = m_db->exec("DELETE FROM write_ends WHERE n < (SELECT coalesce(min(n), 9223372036854775807)"
                            " FROM ops WHERE pending = 1)");
        !s)
        return s;
    return tx->commit();
}

namespace {

/// A write competing for a field: its id and stamp.
struct Candidate {
    std::int64_t site = 0, n = 0, hlc = 0;  // SQL encodings (order-preserving)
    Op asOp() const {
        Op op;
        op.site = SiteId{fromSql(site)};
        op.n = static_cast<std::uint64_t>(n);
        op.hlc = Hlc{fromSql(hlc)};
        return op;
    }
};

}  // namespace

// The merge (DESIGN §4). A field's value is the write with the greatest
// (hlc, site, n), in that order of precedence: writeWins() in op.h, used here and by
// redecideField(). The losing write, whichever it is, is kept in `superseded`, so no
// value is ever lost. (Plain statements, no RETURNING: SQLite runs RETURNING through a
// temporary table, which doubled the cost of this, the hottest path.)
Result<bool> Replica::mergeField(const Op& op, const std::string& valueText) {
    const auto entityBytes = op.entity.bytes();
    // Most writes are a field's first (a new entry, a new task): one insert decides them.
    auto first = m_db->prepare(
        "INSERT INTO fields(entity, field, value, hlc, site, n) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
        " ON CONFLICT(entity, field) DO NOTHING");
    if (!first) return first.error();
    (*first)->bindBlob(1, entityBytes.data(), 16).bind(2, op.field).bind(3, valueText);
    (*first)->bind(4, toSql(op.hlc.value)).bind(5, toSql(op.site.value)).bind(6, static_cast<std::int64_t>(op.n));
    if (auto s = (*first)->run(); !s) return s.error();
    if (m_db->changes() == 1) return true;

    auto current = m_db->prepare("SELECT site, n, hlc FROM fields WHERE entity = ? AND field = ?");
    if (!current) return current.error();
    (*current)->bindBlob(1, entityBytes.data(), 16).bind(2, op.field);
    auto row = (*current)->step();
    if (!row) return row.error();
    if (!*row) return makeError("sqlite", "field vanished during apply");
    const Candidate winner{(*current)->getInt(0), (*current)->getInt(1), (*current)->getInt(2)};
    (*current)->reset();

    // The loser, whichever it is, is kept in `superseded`.
    const bool wins = writeWins(op, winner.asOp());
    auto supersede = m_db->prepare("INSERT OR IGNORE INTO superseded(entity, field, site, n) VALUES(?, ?, ?, ?)");
    if (!supersede) return supersede.error();
    (*supersede)->bindBlob(1, entityBytes.data(), 16).bind(2, op.field);
    (*supersede)->bind(3, wins ? winner.site : toSql(op.site.value));
    (*supersede)->bind(4, wins ? winner.n : static_cast<std::int64_t>(op.n));
    if (auto s = (*supersede)->run(); !s) return s.error();
    if (!wins) return false;
    auto put = m_db->prepare("UPDATE fields SET value = ?3, hlc = ?4, site = ?5, n = ?6 WHERE entity = ?1 AND field = ?2");
    if (!put) return put.error();
    (*put)->bindBlob(1, entityBytes.data(), 16).bind(2, op.field).bind(3, valueText);
    (*put)->bind(4, toSql(op.hlc.value)).bind(5, toSql(op.site.value)).bind(6, static_cast<std::int64_t>(op.n));
    if (auto s = (*put)->run(); !s) return s.error();
    return true;
}

// Decides a field again from every write still in the log (after a local write left
// it, or was re-stamped): the best becomes the value, the rest stay superseded.
Status Replica::redecideField(const EntityId& entity, const std::string& field) {
    const auto entityBytes = entity.bytes();
    auto candidates = m_db->prepare(
        "SELECT o.site, o.n, o.hlc, o.value FROM ops o JOIN ("
        "  SELECT site, n FROM fields WHERE entity = ?1 AND field = ?2"
        "  UNION SELECT site, n FROM superseded WHERE entity = ?1 AND field = ?2) c"
        " ON o.site = c.site AND o.n = c.n");
    if (!candidates) return candidates.error();
    (*candidates)->bindBlob(1, entityBytes.data(), 16).bind(2, field);
    std::vector<std::pair<Candidate, std::string>> writes;
    for (;;) {
        auto row = (*candidates)->step();
        if (!row) return row.error();
        if (!*row) break;
        writes.emplace_back(Candidate{(*candidates)->getInt(0), (*candidates)->getInt(1), (*candidates)->getInt(2)},
                            (*candidates)->getText(3));
    }
    for (const char* sql : {"DELETE FROM fields WHERE entity = ? AND field = ?",
                            "DELETE FROM superseded WHERE entity = ? AND field = ?"}) {
        auto st = m_db->prepare(sql);
        if (!st) return st.error();
        (*st)->bindBlob(1, entityBytes.data(), 16).bind(2, field);
        if (auto s = (*st)->run(); !s) return s;
    }
    if (writes.empty()) return {};
    auto best = std::max_element(writes.begin(), writes.end(), [](const auto& a, const auto& b) {
        return writeWins(b.first.asOp(), a.first.asOp());
    });
    auto put = m_db->prepare("INSERT INTO fields(entity, field, value, hlc, site, n) VALUES(?, ?, ?, ?, ?, ?)");
    if (!put) return put.error();
    (*put)->bindBlob(1, entityBytes.data(), 16).bind(2, field).bind(3, best->second);
    (*put)->bind(4, best->first.hlc).bind(5, best->first.site).bind(6, best->first.n);
    if (auto s = (*put)->run(); !s) return s;
    auto keep = m_db->prepare("INSERT INTO superseded(entity, field, site, n) VALUES(?, ?, ?, ?)");
    if (!keep) return keep.error();
    for (auto it = writes.begin(); it != writes.end(); ++it) {
        if (it == best) continue;
        (*keep)->reset().bindBlob(1, entityBytes.data(), 16).bind(2, field).bind(3, it->first.site).bind(4, it->first.n);
        if (auto s = (*keep)->run(); !s) return s;
    }
    return {};
}

Status Replica::markRejected(const std::string& id, const std::string& code, const std::string& message) {
    auto n = ownN(id, m_site);
    if (!n) return makeError("not_found", "no local op " + id);
    auto tx = Transaction::begin(*m_db);
    if (!tx) return tx.error();
    auto find = m_db->prepare("SELECT " + std::string(kOpColumns) + " FROM ops WHERE site = ? AND n = ? AND pending = 1");
    if (!find) return find.error();
    (*find)->bind(1, toSql(m_site.value)).bind(2, static_cast<std::int64_t>(*n));
    auto row = (*find)->step();
    if (!row) return row.error();
    if (!*row) return makeError("not_found", "no pending local op " + id);
    const Op op = readOp(**find);
    (*find)->reset();

    auto keep = m_db->prepare(
        "INSERT INTO rejected(site, n, entity, type, field, value, hlc, code, message, at)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!keep) return keep.error();
    auto valueText = canonicalJson(op.value);
    (*keep)->bind(1, toSql(op.site.value)).bind(2, static_cast<std::int64_t>(op.n));
    bindId(**keep, 3, op.entity);
    (*keep)->bind(4, op.type).bind(5, op.field).bind(6, valueText ? *valueText : std::string("null"));
    (*keep)->bind(7, toSql(op.hlc.value)).bind(8, code).bind(9, message).bind(10, m_options.wall());
    if (auto s = (*keep)->run(); !s) return s;

    auto del = m_db->prepare("DELETE FROM ops WHERE site = ? AND n = ?");
    if (!del) return del.error();
    (*del)->bind(1, toSql(m_site.value)).bind(2, static_cast<std::int64_t>(*n));
    if (auto s = (*del)->run(); !s) return s;
    if (auto s = redecideField(op.entity, op.field); !s) return s;
    return tx->commit();
}

Status Replica::restampPending() {
    auto tx = Transaction::begin(*m_db);
    if (!tx) return tx.error();
    // Never stamp below what anyone else has already seen from us or sent us.
    auto floor = m_db->prepare("SELECT max(hlc) FROM ops WHERE pending = 0");
    if (!floor) return floor.error();
    auto row = (*floor)->step();
    if (!row) return row.error();
    const Hlc seen = (*floor)->isNull(0) ? Hlc{} : Hlc{fromSql((*floor)->getInt(0))};
    (*floor)->reset();
    const Hlc previousLast = m_clock.last();
    m_clock.resetTo(seen);

    auto pending = pendingOps(static_cast<std::size_t>(INT64_MAX));
    if (!pending) {
        m_clock.resetTo(previousLast);
        return pending.error();
    }
    auto update = m_db->prepare("UPDATE ops SET hlc = ? WHERE site = ? AND n = ?");
    if (!update) return update.error();
    std::set<std::pair<EntityId, std::string>> touched;
    for (const Op& op : *pending) {
        (*update)->reset().bind(1, toSql(m_clock.now().value)).bind(2, toSql(op.site.value));
        (*update)->bind(3, static_cast<std::int64_t>(op.n));
        if (auto s = (*update)->run(); !s) {
            m_clock.resetTo(previousLast);
            return s;
        }
        touched.emplace(op.entity, op.field);
    }
    for (const auto& [entity, field] : touched)
        if (auto s = redecideField(entity, field); !s) return s;
    if (auto s = setMeta("clock", m_clock.last().hex()); !s) return s;
    return tx->commit();
}

Result<std::vector<RejectedEdit>> Replica::rejectedEdits() {
    auto st = m_db->prepare("SELECT site, n, entity, type, field, value, hlc, code, message, at FROM rejected ORDER BY id");
    if (!st) return st.error();
    std::vector<RejectedEdit> edits;
    for (;;) {
        auto row = (*st)->step();
        if (!row) return row.error();
        if (!*row) break;
        RejectedEdit edit;
        edit.op.site = SiteId{fromSql((*st)->getInt(0))};
        edit.op.n = static_cast<std::uint64_t>((*st)->getInt(1));
        edit.op.entity = readId(**st, 2);
        edit.op.type = (*st)->getText(3);
        edit.op.field = (*st)->getText(4);
        edit.op.value = parseStored((*st)->getTextView(5));
        edit.op.hlc = Hlc{fromSql((*st)->getInt(6))};
        edit.code = (*st)->getText(7);
        edit.message = (*st)->getText(8);
        edit.rejectedAtMs = (*st)->getInt(9);
        edits.push_back(std::move(edit));
    }
    return edits;
}

namespace {

constexpr const char* kEntitySelect =
    "SELECT e.entity, e.type, e.plan, f.field, f.value, f.hlc, f.site, f.n"
    " FROM entities e JOIN fields f ON f.entity = e.entity";

Result<std::vector<Entity>> readEntities(Statement& st) {
    std::vector<Entity> out;
    for (;;) {
        auto row = st.step();
        if (!row) return row.error();
        if (!*row) break;
        const EntityId id = readId(st, 0);
        if (out.empty() || out.back().id != id) {
            Entity entity;
            entity.id = id;
            entity.type = st.getText(1);
            entity.plan = readOptionalId(st, 2);
            out.push_back(std::move(entity));
        }
        FieldValue value;
        value.value = parseStored(st.getTextView(4));
        value.hlc = Hlc{fromSql(st.getInt(5))};
        value.site = SiteId{fromSql(st.getInt(6))};
        value.n = static_cast<std::uint64_t>(st.getInt(7));
        out.back().fields.emplace(st.getText(3), std::move(value));
    }
    return out;
}

}  // namespace

Result<std::optional<Entity>> Replica::entity(const EntityId& id) {
    static const std::string sql = std::string(kEntitySelect) + " WHERE e.entity = ?";
    auto st = m_db->prepare(sql);
    if (!st) return st.error();
    bindId(**st, 1, id);
    auto entities = readEntities(**st);
    if (!entities) return entities.error();
    if (entities->empty()) return std::optional<Entity>();
    return std::optional<Entity>(std::move(entities->front()));
}

Result<std::vector<Entity>> Replica::entities(const std::string& type, std::optional<EntityId> plan) {
    auto st = m_db->prepare(std::string(kEntitySelect) +
                            (plan ? " WHERE e.type = ? AND e.plan = ? ORDER BY e.entity" : " WHERE e.type = ? ORDER BY e.entity"));
    if (!st) return st.error();
    (*st)->bind(1, type);
    if (plan) bindId(**st, 2, *plan);
    return readEntities(**st);
}

Result<std::optional<FieldValue>> Replica::field(const EntityId& id, const std::string& name) {
    auto st = m_db->prepare("SELECT value, hlc, site, n FROM fields WHERE entity = ? AND field = ?");
    if (!st) return st.error();
    bindId(**st, 1, id);
    (*st)->bind(2, name);
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<FieldValue>();
    FieldValue value;
    value.value = parseStored((*st)->getTextView(0));
    value.hlc = Hlc{fromSql((*st)->getInt(1))};
    value.site = SiteId{fromSql((*st)->getInt(2))};
    value.n = static_cast<std::uint64_t>((*st)->getInt(3));
    (*st)->reset();
    return std::optional<FieldValue>(std::move(value));
}

Result<std::vector<HistoryEntry>> Replica::history(const EntityId& id, const std::string& name) {
    auto current = field(id, name);
    if (!current) return current.error();
    auto st = m_db->prepare(
        "SELECT o.site, o.n, o.entity, o.type, o.field, o.value, o.hlc, o.seq, o.author FROM ops o JOIN ("
        "  SELECT site, n FROM fields WHERE entity = ?1 AND field = ?2"
        "  UNION SELECT site, n FROM superseded WHERE entity = ?1 AND field = ?2) c"
        " ON o.site = c.site AND o.n = c.n ORDER BY o.hlc, o.site, o.n");
    if (!st) return st.error();
    bindId(**st, 1, id);
    (*st)->bind(2, name);
    std::vector<HistoryEntry> entries;
    for (;;) {
        auto row = (*st)->step();
        if (!row) return row.error();
        if (!*row) break;
        HistoryEntry entry;
        entry.op = readOp(**st);
        entry.current = *current && (*current)->site == entry.op.site && (*current)->n == entry.op.n;
        entries.push_back(std::move(entry));
    }
    return entries;
}

Result<std::vector<Overwrite>> Replica::overwritten(const EntityId& id) {
    const std::string lost = "l.site, l.n, l.entity, l.type, l.field, l.value, l.hlc, l.seq, l.author";
    const std::string won = "w.site, w.n, w.entity, w.type, w.field, w.value, w.hlc, w.seq, w.author";
    auto st = m_db->prepare("SELECT " + lost + ", " + won +
                            " FROM superseded s JOIN ops l ON l.site = s.site AND l.n = s.n"
                            " JOIN fields f ON f.entity = s.entity AND f.field = s.field"
                            " JOIN ops w ON w.site = f.site AND w.n = f.n"
                            " WHERE s.entity = ? ORDER BY s.field, l.hlc, l.site, l.n");
    if (!st) return st.error();
    bindId(**st, 1, id);
    std::vector<Overwrite> out;
    for (;;) {
        auto row = (*st)->step();
        if (!row) return row.error();
        if (!*row) break;
        Overwrite o;
        o.lost = readOp(**st);
        o.winner = readOp(**st, 9);
        out.push_back(std::move(o));
    }
    return out;
}

Result<std::vector<Op>> Replica::opsAfterSeq(std::int64_t cursor, std::size_t limit,
                                             const std::function<bool(const std::optional<EntityId>&)>& readable) {
    auto st = m_db->prepare("SELECT " + std::string(kOpColumns) + ", plan FROM ops WHERE seq > ? ORDER BY seq");
    if (!st) return st.error();
    (*st)->bind(1, cursor);
    std::vector<Op> ops;
    while (ops.size() < limit) {
        auto row = (*st)->step();
        if (!row) return row.error();
        if (!*row) break;
        if (readable && !readable(readOptionalId(**st, 9))) continue;
        ops.push_back(readOp(**st));
    }
    (*st)->reset();
    return ops;
}

Result<std::optional<Op>> Replica::storedOp(const SiteId& site, std::uint64_t n) {
    auto st = m_db->prepare("SELECT " + std::string(kOpColumns) + " FROM ops WHERE site = ? AND n = ?");
    if (!st) return st.error();
    (*st)->bind(1, toSql(site.value)).bind(2, static_cast<std::int64_t>(n));
    auto row = (*st)->step();
    if (!row) return row.error();
    std::optional<Op> op;
    if (*row) op = readOp(**st);
    (*st)->reset();
    return op;
}

Result<std::uint64_t> Replica::highestN(const SiteId& site) {
    auto st = m_db->prepare("SELECT coalesce(max(n), 0) FROM ops WHERE site = ?");
    if (!st) return st.error();
    (*st)->bind(1, toSql(site.value));
    auto row = (*st)->step();
    if (!row) return row.error();
    const auto n = static_cast<std::uint64_t>((*st)->getInt(0));
    (*st)->reset();
    return n;
}

Result<std::vector<Op>> Replica::opsOfPlan(const EntityId& plan, std::int64_t after, std::int64_t upto,
                                           std::size_t limit) {
    auto st = m_db->prepare("SELECT " + std::string(kOpColumns) +
                            " FROM ops WHERE plan = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
    if (!st) return st.error();
    bindId(**st, 1, plan);
    (*st)->bind(2, after).bind(3, upto).bind(4, static_cast<std::int64_t>(limit));
    return readOps(**st);
}

Result<std::string> Replica::dump() {
    // The plan each entity is filed under is part of the state: replicas that disagree
    // on it show different plans (and plan hashes) to their users.
    auto st = m_db->prepare(
        "SELECT e.entity, e.type, e.plan, f.field, f.value FROM fields f JOIN entities e ON e.entity = f.entity"
        " ORDER BY e.entity, f.field");
    if (!st) return st.error();
    Json entities = Json::object();
    for (;;) {
        auto row = (*st)->step();
        if (!row) return row.error();
        if (!*row) break;
        Json& entity = entities[readId(**st, 0).hex()];
        entity["type"] = (*st)->getText(1);
        const auto plan = readOptionalId(**st, 2);
        entity["plan"] = plan ? Json(plan->hex()) : Json(nullptr);
        entity["fields"][(*st)->getText(3)] = parseStored((*st)->getTextView(4));
    }
    return canonicalJson(Json{{"entities", std::move(entities)}});
}

Status Replica::dropPlan(const EntityId& plan) {
    m_entities.clear();
    auto tx = Transaction::begin(*m_db);
    if (!tx) return tx.error();
    const auto bytes = plan.bytes();
    // Unsent edits into the plan are kept where the user can see them, not dropped.
    auto keep = m_db->prepare(
        "INSERT INTO rejected(site, n, entity, type, field, value, hlc, code, message, at)"
        " SELECT site, n, entity, type, field, value, hlc, 'forbidden', 'you no longer have access to this plan', ?1"
        " FROM ops WHERE pending = 1 AND (plan = ?2 OR entity IN (SELECT entity FROM entities WHERE plan = ?2))");
    if (!keep) return keep.error();
    (*keep)->bind(1, m_options.wall()).bindBlob(2, bytes.data(), 16);
    if (auto s = (*keep)->run(); !s) return s;
    // An op can be stored before its entity's plan is known (a pull page that ends
    // between an entity's fields and its `plan`), so ops go by entity as well.
    for (const char* sql : {"DELETE FROM ops WHERE plan = ?1 OR entity IN (SELECT entity FROM entities WHERE plan = ?1)",
                            "DELETE FROM fields WHERE entity IN (SELECT entity FROM entities WHERE plan = ?)",
                            "DELETE FROM superseded WHERE entity IN (SELECT entity FROM entities WHERE plan = ?)",
                            "DELETE FROM entities WHERE plan = ?"}) {
        auto st = m_db->prepare(sql);
        if (!st) return st.error();
        (*st)->bindBlob(1, bytes.data(), 16);
        if (auto s = (*st)->run(); !s) return s;
    }
    return tx->commit();
}

Result<std::optional<std::string>> Replica::meta(const std::string& key) {
    auto st = m_db->prepare("SELECT value FROM meta WHERE key = ?");
    if (!st) return st.error();
    (*st)->bind(1, key);
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::string>();
    std::string value = (*st)->getText(0);
    (*st)->reset();
    return std::optional<std::string>(std::move(value));
}

Status Replica::setMeta(const std::string& key, const std::string& value) {
    auto st = m_db->prepare("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!st) return st.error();
    (*st)->bind(1, key).bind(2, value);
    return (*st)->run();
}

}  // namespace tandem::core
