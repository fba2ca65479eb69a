#include "storage/sqlite_server_store.h"

namespace tandem::server {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS srv_account (
  member TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS srv_session (
  token_hash TEXT PRIMARY KEY,
  member TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS srv_session_member ON srv_session(member);
CREATE TABLE IF NOT EXISTS srv_site (
  site TEXT PRIMARY KEY,
  member TEXT,
  last_member TEXT,
  last_sync INTEGER NOT NULL DEFAULT 0,
  last_push INTEGER NOT NULL DEFAULT 0,
  reader TEXT NOT NULL DEFAULT '',
  access_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS srv_backfill (
  site TEXT NOT NULL,
  plan TEXT NOT NULL,
  upto INTEGER NOT NULL,
  done INTEGER NOT NULL,
  PRIMARY KEY (site, plan)
) WITHOUT ROWID;
-- Added after 0.1 (acknowledged pages); an older file gains it here, in place. The
-- lists are JSON: backfills [[plan, upto, done], …], revoked [plan, …].
CREATE TABLE IF NOT EXISTS srv_pending_ack (
  site TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  backfills TEXT NOT NULL,
  revoked TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS srv_access_change (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  plan TEXT NOT NULL,
  before TEXT NOT NULL
);
-- 0.1 kept a second index of op ids; the op log answers duplicates itself.
DROP TABLE IF EXISTS srv_op_index;
CREATE TABLE IF NOT EXISTS srv_counter (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS srv_audit (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  subject TEXT,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  plan TEXT
);
CREATE INDEX IF NOT EXISTS srv_audit_plan ON srv_audit(plan, seq);
CREATE TABLE IF NOT EXISTS srv_audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  count INTEGER NOT NULL,
  hash TEXT NOT NULL
);
)sql";

// Version 2: failed logins, one row per failure and key (LoginThrottle's), so instances
// on one database count them together; rows out of every window are deleted.
constexpr const char* kLoginFailures = R"sql(
CREATE TABLE IF NOT EXISTS srv_login_failure (
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS srv_login_failure_key ON srv_login_failure(key, at);
CREATE INDEX IF NOT EXISTS srv_login_failure_at ON srv_login_failure(at);
)sql";

std::optional<EntityId> optId(core::Statement& s, int column) {
    if (s.isNull(column)) return std::nullopt;
    return EntityId::parse(s.getTextView(column));
}

core::Statement& bindOpt(core::Statement& s, int index, const std::optional<EntityId>& id) {
    if (id) return s.bind(index, id->hex());
    return s.bindNull(index);
}

core::Statement& bindOptText(core::Statement& s, int index, const std::optional<std::string>& text) {
    if (text) return s.bind(index, std::string_view(*text));
    return s.bindNull(index);
}

}  // namespace

Result<std::int64_t> SqliteServerStore::schemaVersion() {
    auto st = m_db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'srv_schema'");
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    const bool versioned = (*st)->getInt(0) > 0;
    (*st)->reset();
    if (!versioned) return std::int64_t{0};
    auto version = m_db.prepare("SELECT version FROM srv_schema WHERE id = 1");
    if (!version) return version.error();
    auto found = (*version)->step();
    if (!found) return found.error();
    const std::int64_t v = *found ? (*version)->getInt(0) : 0;
    (*version)->reset();
    return v;
}

Status SqliteServerStore::migrate() {
    // One transaction: a server that stops half-way leaves the old schema, whole.
    auto tx = core::Transaction::begin(m_db);
    if (!tx) return tx.error();
    auto version = schemaVersion();
    if (!version) return version.error();
    if (*version > kSchemaVersion)
        return core::makeError("newer_version", "the database's server tables are at schema version " +
                                                    std::to_string(*version) + ", newer than this tandem-server (" +
                                                    std::to_string(kSchemaVersion) +
                                                    "): run the tandem-server that last opened it, or a newer one");
    if (*version < 1) {
        // Version 1: the tables as of 0.2, from nothing or from a file written before the
        // schema had a version. Databases of 0.1 kept read access as one row per (site,
        // plan); the sites of such a file settle their access again on their next sync.
        auto st = m_db.prepare("SELECT count(*), coalesce(sum(name = 'reader'), 0) FROM pragma_table_info('srv_site')");
        if (!st) return st.error();
        auto row = (*st)->step();
        if (!row) return row.error();
        const bool legacy = (*st)->getInt(0) > 0 && (*st)->getInt(1) == 0;
        (*st)->reset();
        if (legacy) {
            if (auto s = m_db.exec("ALTER TABLE srv_site ADD COLUMN reader TEXT NOT NULL DEFAULT '';"
                                   "ALTER TABLE srv_site ADD COLUMN access_seq INTEGER NOT NULL DEFAULT 0;"
                                   "DROP TABLE IF EXISTS srv_site_access;");
                !s)
                return s;
        }
        if (auto s = m_db.exec(kSchema); !s) return s;
    }
    if (*version < 2)
        if (auto s = m_db.exec(kLoginFailures); !s) return s;
    // Later versions: `if (*version < N) { … }` here, in order, each one step.
    if (*version != kSchemaVersion) {
        if (auto s = m_db.exec("CREATE TABLE IF NOT EXISTS srv_schema (id INTEGER PRIMARY KEY CHECK (id = 1), "
                               "version INTEGER NOT NULL);"
                               "INSERT INTO srv_schema(id, version) VALUES (1, " +
                               std::to_string(kSchemaVersion) +
                               ") ON CONFLICT(id) DO UPDATE SET version = excluded.version;");
            !s)
            return s;
    }
    return tx->commit();
}

Result<std::optional<Account>> SqliteServerStore::accountWhere(const char* sql, const std::string& key) {
    auto st = m_db.prepare(sql);
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset().bind(1, std::string_view(key));
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return std::optional<Account>{};
    Account a;
    auto member = EntityId::parse(s.getTextView(0));
    if (!member) return core::makeError("corrupt", "account with a malformed member id");
    a.member = *member;
    a.username = s.getText(1);
    a.passwordHash = s.getText(2);
    a.disabled = s.getInt(3) != 0;
    s.reset();
    return std::optional<Account>(std::move(a));
}

Result<std::optional<Account>> SqliteServerStore::accountByUsername(const std::string& username) {
    return accountWhere("SELECT member, username, password_hash, disabled FROM srv_account WHERE username = ?1",
                        username);
}

Result<std::optional<Account>> SqliteServerStore::accountByMember(const EntityId& member) {
    return accountWhere("SELECT member, username, password_hash, disabled FROM srv_account WHERE member = ?1",
                        member.hex());
}

Status SqliteServerStore::insertAccount(const Account& account) {
    auto st =
        m_db.prepare("INSERT INTO srv_account(member, username, password_hash, disabled) VALUES (?1, ?2, ?3, ?4)");
    if (!st) return st.error();
    return (*st)
        ->reset()
        .bind(1, account.member.hex())
        .bind(2, std::string_view(account.username))
        .bind(3, std::string_view(account.passwordHash))
        .bind(4, std::int64_t{account.disabled ? 1 : 0})
        .run();
}

Status SqliteServerStore::setPasswordHash(const EntityId& member, const std::string& hash) {
    auto st = m_db.prepare("UPDATE srv_account SET password_hash = ?2 WHERE member = ?1");
    if (!st) return st.error();
    return (*st)->reset().bind(1, member.hex()).bind(2, std::string_view(hash)).run();
}

Status SqliteServerStore::setDisabled(const EntityId& member, bool disabled) {
    auto st = m_db.prepare("UPDATE srv_account SET disabled = ?2 WHERE member = ?1");
    if (!st) return st.error();
    return (*st)->reset().bind(1, member.hex()).bind(2, std::int64_t{disabled ? 1 : 0}).run();
}

Status SqliteServerStore::insertSession(const std::string& tokenHash, const EntityId& member, std::int64_t createdMs,
                                        std::int64_t expiresMs) {
    auto st =
        m_db.prepare("INSERT INTO srv_session(token_hash, member, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4)");
    if (!st) return st.error();
    return (*st)
        ->reset()
        .bind(1, std::string_view(tokenHash))
        .bind(2, member.hex())
        .bind(3, createdMs)
        .bind(4, expiresMs)
        .run();
}

Result<std::optional<SessionRecord>> SqliteServerStore::session(const std::string& tokenHash) {
    auto st = m_db.prepare("SELECT member, expires_ms FROM srv_session WHERE token_hash = ?1");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset().bind(1, std::string_view(tokenHash));
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return std::optional<SessionRecord>{};
    auto member = EntityId::parse(s.getTextView(0));
    SessionRecord rec{member.value_or(EntityId{}), s.getInt(1)};
    s.reset();
    if (!member) return std::optional<SessionRecord>{};
    return std::optional<SessionRecord>(rec);
}

Status SqliteServerStore::deleteSession(const std::string& tokenHash) {
    auto st = m_db.prepare("DELETE FROM srv_session WHERE token_hash = ?1");
    if (!st) return st.error();
    return (*st)->reset().bind(1, std::string_view(tokenHash)).run();
}

Status SqliteServerStore::deleteSessionsOf(const EntityId& member) {
    auto st = m_db.prepare("DELETE FROM srv_session WHERE member = ?1");
    if (!st) return st.error();
    return (*st)->reset().bind(1, member.hex()).run();
}

Result<std::optional<SiteRecord>> SqliteServerStore::site(const SiteId& site) {
    auto st = m_db.prepare(
        "SELECT member, last_member, last_sync, last_push, reader, access_seq FROM srv_site WHERE site = ?1");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset().bind(1, site.hex());
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return std::optional<SiteRecord>{};
    SiteRecord r;
    r.site = site;
    r.member = optId(s, 0);
    r.lastMember = optId(s, 1);
    r.lastSync = s.getInt(2);
    r.lastPush = s.getInt(3);
    r.reader = s.getText(4);
    r.accessSeq = s.getInt(5);
    s.reset();
    return std::optional<SiteRecord>(r);
}

Status SqliteServerStore::upsertSite(const SiteRecord& r) {
    auto st = m_db.prepare(
        "INSERT INTO srv_site(site, member, last_member, last_sync, last_push, reader, access_seq) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT(site) DO UPDATE SET member = excluded.member, last_member = excluded.last_member, "
        "last_sync = excluded.last_sync, last_push = excluded.last_push, reader = excluded.reader, "
        "access_seq = excluded.access_seq");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset().bind(1, r.site.hex());
    bindOpt(s, 2, r.member);
    bindOpt(s, 3, r.lastMember);
    return s.bind(4, r.lastSync).bind(5, r.lastPush).bind(6, std::string_view(r.reader)).bind(7, r.accessSeq).run();
}

Result<std::vector<SiteRecord>> SqliteServerStore::sites() {
    auto st = m_db.prepare("SELECT site, member, last_member, last_sync, last_push FROM srv_site ORDER BY site");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset();
    std::vector<SiteRecord> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) break;
        auto site = SiteId::parse(s.getTextView(0));
        if (!site) continue;
        SiteRecord r;
        r.site = *site;
        r.member = optId(s, 1);
        r.lastMember = optId(s, 2);
        r.lastSync = s.getInt(3);
        r.lastPush = s.getInt(4);
        out.push_back(r);
    }
    s.reset();
    return out;
}

Result<std::map<EntityId, Backfill>> SqliteServerStore::backfills(const SiteId& site) {
    auto st = m_db.prepare("SELECT plan, upto, done FROM srv_backfill WHERE site = ?1");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset().bind(1, site.hex());
    std::map<EntityId, Backfill> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) break;
        auto plan = EntityId::parse(s.getTextView(0));
        if (!plan) continue;
        out[*plan] = Backfill{s.getInt(1), s.getInt(2)};
    }
    s.reset();
    return out;
}

Status SqliteServerStore::setBackfill(const SiteId& site, const EntityId& plan, const Backfill& b) {
    auto st = m_db.prepare(
        "INSERT INTO srv_backfill(site, plan, upto, done) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(site, plan) DO UPDATE SET upto = excluded.upto, done = excluded.done");
    if (!st) return st.error();
    return (*st)->reset().bind(1, site.hex()).bind(2, plan.hex()).bind(3, b.upto).bind(4, b.done).run();
}

Status SqliteServerStore::deleteBackfill(const SiteId& site, const EntityId& plan) {
    auto st = m_db.prepare("DELETE FROM srv_backfill WHERE site = ?1 AND plan = ?2");
    if (!st) return st.error();
    return (*st)->reset().bind(1, site.hex()).bind(2, plan.hex()).run();
}

Result<std::optional<PendingAck>> SqliteServerStore::pendingAck(const SiteId& site) {
    auto st = m_db.prepare("SELECT token, backfills, revoked FROM srv_pending_ack WHERE site = ?1");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset().bind(1, site.hex());
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return std::optional<PendingAck>{};
    auto pending = decodePendingAck(s.getText(0), s.getTextView(1), s.getTextView(2));
    s.reset();
    if (!pending) return pending.error();
    return std::optional<PendingAck>(std::move(*pending));
}

Status SqliteServerStore::setPendingAck(const SiteId& site, const PendingAck& pending) {
    const PendingAckText text = encodePendingAck(pending);
    auto st = m_db.prepare(
        "INSERT INTO srv_pending_ack(site, token, backfills, revoked) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(site) DO UPDATE SET token = excluded.token, backfills = excluded.backfills, "
        "revoked = excluded.revoked");
    if (!st) return st.error();
    return (*st)
        ->reset()
        .bind(1, site.hex())
        .bind(2, std::string_view(pending.token))
        .bind(3, std::string_view(text.backfills))
        .bind(4, std::string_view(text.revoked))
        .run();
}

Status SqliteServerStore::deletePendingAck(const SiteId& site) {
    auto st = m_db.prepare("DELETE FROM srv_pending_ack WHERE site = ?1");
    if (!st) return st.error();
    return (*st)->reset().bind(1, site.hex()).run();
}

Result<std::vector<AccessChange>> SqliteServerStore::accessChanges(std::int64_t afterSeq) {
    auto st = m_db.prepare("SELECT seq, plan, before FROM srv_access_change WHERE seq > ? ORDER BY id");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset().bind(1, afterSeq);
    std::vector<AccessChange> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) break;
        auto plan = EntityId::parse(s.getTextView(1));
        if (!plan) return core::makeError("corrupt", "an access change with a malformed plan id");
        out.push_back(AccessChange{s.getInt(0), *plan, s.getText(2)});
    }
    s.reset();
    return out;
}

Status SqliteServerStore::appendAccessChange(const AccessChange& change) {
    auto st = m_db.prepare("INSERT INTO srv_access_change(seq, plan, before) VALUES (?1, ?2, ?3)");
    if (!st) return st.error();
    return (*st)->reset().bind(1, change.seq).bind(2, change.plan.hex()).bind(3, std::string_view(change.before)).run();
}

namespace {
constexpr const char* kAccountsVersion = "accounts_version";
}  // namespace

Result<std::int64_t> SqliteServerStore::accountsVersion() {
    std::lock_guard lock(m_readerMutex);
    if (!m_reader) {
        auto reader = core::Database::open(m_path, core::Database::Mode::ReadOnly);
        if (!reader) return reader.error();
        m_reader = std::move(*reader);
    }
    auto st = m_reader->prepare("SELECT value FROM srv_counter WHERE name = ?1");
    if (!st) return st.error();
    (*st)->reset().bind(1, std::string_view(kAccountsVersion));
    auto row = (*st)->step();
    if (!row) return row.error();
    const std::int64_t version = *row ? (*st)->getInt(0) : 0;
    (*st)->reset();
    return version;
}

Status SqliteServerStore::bumpAccountsVersion() {
    auto version = counter(kAccountsVersion);
    if (!version) return version.error();
    return setCounter(kAccountsVersion, *version + 1);
}

Result<LoginRecord> SqliteServerStore::loginRecord(const std::string& username, const std::string& usernameKey,
                                                   const std::string& addressKey, std::int64_t sinceMs) {
    auto st = m_db.prepare(
        "SELECT a.member, a.username, a.password_hash, a.disabled, u.n, u.oldest, p.n, p.oldest FROM "
        "(SELECT count(*) AS n, coalesce(min(at), 0) AS oldest FROM srv_login_failure WHERE key = ?2 AND at > ?4) u "
        "CROSS JOIN "
        "(SELECT count(*) AS n, coalesce(min(at), 0) AS oldest FROM srv_login_failure WHERE key = ?3 AND at > ?4) p "
        "LEFT JOIN srv_account a ON a.username = ?1");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset()
        .bind(1, std::string_view(username))
        .bind(2, std::string_view(usernameKey))
        .bind(3, std::string_view(addressKey))
        .bind(4, sinceMs);
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return core::makeError("internal", "the login read gave no row");
    LoginRecord record;
    record.byUsername = FailureWindow{s.getInt(4), s.getInt(5)};
    record.byAddress = FailureWindow{s.getInt(6), s.getInt(7)};
    if (!s.isNull(0)) {
        auto member = EntityId::parse(s.getTextView(0));
        if (!member) {
            s.reset();
            return core::makeError("corrupt", "account with a malformed member id");
        }
        record.account = Account{*member, s.getText(1), s.getText(2), s.getInt(3) != 0};
    }
    s.reset();
    return record;
}

Status SqliteServerStore::recordLoginFailure(const std::string& usernameKey, const std::string& addressKey,
                                             std::int64_t atMs, std::int64_t forgetUpToMs) {
    auto tx = core::Transaction::begin(m_db);
    if (!tx) return tx.error();
    auto forget = m_db.prepare("DELETE FROM srv_login_failure WHERE at <= ?1");
    if (!forget) return forget.error();
    if (auto s = (*forget)->reset().bind(1, forgetUpToMs).run(); !s) return s;
    auto st = m_db.prepare("INSERT INTO srv_login_failure(key, at) VALUES (?1, ?3), (?2, ?3)");
    if (!st) return st.error();
    if (auto s = (*st)
                     ->reset()
                     .bind(1, std::string_view(usernameKey))
                     .bind(2, std::string_view(addressKey))
                     .bind(3, atMs)
                     .run();
        !s)
        return s;
    return tx->commit();
}

Result<bool> SqliteServerStore::changedElsewhere() {
    // data_version moves when another connection commits, never for our own commits.
    auto st = m_db.prepare("PRAGMA data_version");
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    const std::int64_t version = (*st)->getInt(0);
    (*st)->reset();
    const bool changed = m_dataVersion && *m_dataVersion != version;
    m_dataVersion = version;
    return changed;
}

Result<std::int64_t> SqliteServerStore::counter(const std::string& name) {
    auto st = m_db.prepare("SELECT value FROM srv_counter WHERE name = ?1");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset().bind(1, std::string_view(name));
    auto row = s.step();
    if (!row) return row.error();
    std::int64_t value = *row ? s.getInt(0) : 0;
    s.reset();
    return value;
}

Status SqliteServerStore::setCounter(const std::string& name, std::int64_t value) {
    auto st = m_db.prepare(
        "INSERT INTO srv_counter(name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    if (!st) return st.error();
    return (*st)->reset().bind(1, std::string_view(name)).bind(2, value).run();
}

Status SqliteServerStore::appendAudit(const StoredAuditEntry& stored) {
    const core::AuditEntry& e = stored.entry;
    auto details = core::canonicalJson(e.details);
    if (!details) return details.error();
    auto st = m_db.prepare(
        "INSERT INTO srv_audit(seq, time, actor, action, subject, details, prev_hash, hash, plan) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset().bind(1, e.seq).bind(2, e.time);
    bindOptText(s, 3, e.actor);
    s.bind(4, std::string_view(e.action));
    bindOptText(s, 5, e.subject);
    s.bind(6, std::string_view(*details)).bind(7, std::string_view(e.prevHash)).bind(8, std::string_view(e.hash));
    bindOpt(s, 9, stored.plan);
    return s.run();
}

Result<std::vector<StoredAuditEntry>> SqliteServerStore::auditQuery(core::Statement& s) {
    std::vector<StoredAuditEntry> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) break;
        StoredAuditEntry st;
        core::AuditEntry& e = st.entry;
        e.seq = s.getInt(0);
        e.time = s.getInt(1);
        if (!s.isNull(2)) e.actor = s.getText(2);
        e.action = s.getText(3);
        if (!s.isNull(4)) e.subject = s.getText(4);
        auto details = core::parseJson(s.getTextView(5));
        // A details column that no longer parses is kept as its text, so the chain
        // check reports the entry as broken instead of the listing failing.
        e.details = details ? *details : core::Json(s.getText(5));
        e.prevHash = s.getText(6);
        e.hash = s.getText(7);
        st.plan = optId(s, 8);
        out.push_back(std::move(st));
    }
    s.reset();
    return out;
}

Result<std::vector<StoredAuditEntry>> SqliteServerStore::auditAfter(std::int64_t after, std::size_t limit) {
    auto st = m_db.prepare(
        "SELECT seq, time, actor, action, subject, details, prev_hash, hash, plan FROM srv_audit "
        "WHERE seq > ?1 ORDER BY seq LIMIT ?2");
    if (!st) return st.error();
    (*st)->reset().bind(1, after).bind(2, static_cast<std::int64_t>(limit));
    return auditQuery(**st);
}

Result<std::vector<StoredAuditEntry>> SqliteServerStore::auditOfPlan(const EntityId& plan, std::int64_t after,
                                                                     std::size_t limit) {
    auto st = m_db.prepare(
        "SELECT seq, time, actor, action, subject, details, prev_hash, hash, plan FROM srv_audit "
        "WHERE plan = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
    if (!st) return st.error();
    (*st)->reset().bind(1, plan.hex()).bind(2, after).bind(3, static_cast<std::int64_t>(limit));
    return auditQuery(**st);
}

Result<std::pair<std::int64_t, std::string>> SqliteServerStore::auditHead() {
    auto st = m_db.prepare("SELECT count, hash FROM srv_audit_head WHERE id = 1");
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset();
    auto row = s.step();
    if (!row) return row.error();
    std::pair<std::int64_t, std::string> head{0, core::kAuditGenesis};
    if (*row) head = {s.getInt(0), s.getText(1)};
    s.reset();
    return head;
}

Status SqliteServerStore::setAuditHead(std::int64_t count, const std::string& hash) {
    auto st = m_db.prepare(
        "INSERT INTO srv_audit_head(id, count, hash) VALUES (1, ?1, ?2) "
        "ON CONFLICT(id) DO UPDATE SET count = excluded.count, hash = excluded.hash");
    if (!st) return st.error();
    return (*st)->reset().bind(1, count).bind(2, std::string_view(hash)).run();
}

Result<std::int64_t> SqliteServerStore::databaseBytes() {
    std::int64_t pages = 0;
    std::int64_t size = 0;
    for (auto [sql, out] : {std::pair{"PRAGMA page_count", &pages}, std::pair{"PRAGMA page_size", &size}}) {
        auto st = m_db.prepare(sql);
        if (!st) return st.error();
        core::Statement& s = **st;
        s.reset();
        auto row = s.step();
        if (!row) return row.error();
        if (*row) *out = s.getInt(0);
        s.reset();
    }
    return pages * size;
}

}  // namespace tandem::server
