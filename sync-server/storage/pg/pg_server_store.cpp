#include "storage/pg/pg_server_store.h"

#include "storage/pg/pg_schema.h"
#include "tandem/core/canonical_json.h"

namespace tandem::server {

using pg::PgParam;
using pg::PgResult;

namespace {

// pg_advisory_xact_lock key of schema migrations ("tandem" + 1 in ASCII, as an int64).
constexpr const char* kMigrationLock = "7461206e64656d01";
constexpr const char* kAccountsVersion = "accounts_version";

std::optional<EntityId> optId(const PgResult& r, int row, int column) {
    if (r.isNull(row, column)) return std::nullopt;
    return EntityId::parse(r.text(row, column));
}

PgParam optParam(const std::optional<EntityId>& id) {
    if (id) return id->hex();
    return std::nullopt;
}

std::string num(std::int64_t value) {
    return std::to_string(value);
}

Status done(const Result<PgResult>& result) {
    if (!result) return result.error();
    return {};
}

}  // namespace

std::int64_t PgServerStore::schemaVersion() {
    return static_cast<std::int64_t>(pg::kMigrations.size());
}

Status PgServerStore::migrate() {
    if (auto s = m_db.script("BEGIN"); !s) return s;
    auto body = [&]() -> Status {
        // A schema change may take longer than a request may.
        if (auto s = m_db.script("SET LOCAL statement_timeout = 0"); !s) return s;
        if (auto s = done(m_db.exec("SELECT pg_advisory_xact_lock(x'" + std::string(kMigrationLock) + "'::bigint)"));
            !s)
            return s;
        if (auto s = m_db.script("CREATE TABLE IF NOT EXISTS srv_schema (id INTEGER PRIMARY KEY CHECK (id = 1), "
                                 "version BIGINT NOT NULL)");
            !s)
            return s;
        auto row = m_db.exec("SELECT version FROM srv_schema WHERE id = 1");
        if (!row) return row.error();
        const std::int64_t version = row->rows() ? row->integer(0, 0) : 0;
        if (version > schemaVersion())
            return core::makeError("newer_version", "the database's server tables are at schema version " +
                                                        num(version) + ", newer than this tandem-server (" +
                                                        num(schemaVersion()) +
                                                        "): run the tandem-server that last opened it, or a newer one");
        for (std::int64_t v = version; v < schemaVersion(); ++v)
            if (auto s = m_db.script(pg::kMigrations[static_cast<std::size_t>(v)]); !s) return s;
        if (version == schemaVersion()) return {};
        return done(
            m_db.exec("INSERT INTO srv_schema(id, version) VALUES (1, $1) "
                      "ON CONFLICT (id) DO UPDATE SET version = excluded.version",
                      {num(schemaVersion())}));
    };
    if (auto s = body(); !s) {
        (void)m_db.script("ROLLBACK");
        return s;
    }
    if (auto s = m_db.script("COMMIT"); !s) return s;
    // From here on, another instance's commit counts as a change: the service loads its
    // caches after this, so the first check must not take a change in between for none.
    auto head = counter("seq");
    if (!head) return head.error();
    m_seenSeq = *head;
    return {};
}

Result<std::optional<Account>> PgServerStore::accountWhere(const char* sql, const std::string& key) {
    auto r = m_db.exec(sql, {key});
    if (!r) return r.error();
    if (r->rows() == 0) return std::optional<Account>{};
    Account a;
    auto member = EntityId::parse(r->text(0, 0));
    if (!member) return core::makeError("corrupt", "account with a malformed member id");
    a.member = *member;
    a.username = std::string(r->text(0, 1));
    a.passwordHash = std::string(r->text(0, 2));
    a.disabled = r->text(0, 3) == "t";
    return std::optional<Account>(std::move(a));
}

Result<std::optional<Account>> PgServerStore::accountByUsername(const std::string& username) {
    return accountWhere("SELECT member, username, password_hash, disabled FROM srv_account WHERE username = $1",
                        username);
}

Result<std::optional<Account>> PgServerStore::accountByMember(const EntityId& member) {
    return accountWhere("SELECT member, username, password_hash, disabled FROM srv_account WHERE member = $1",
                        member.hex());
}

Status PgServerStore::insertAccount(const Account& a) {
    return done(m_db.exec("INSERT INTO srv_account(member, username, password_hash, disabled) VALUES ($1, $2, $3, $4)",
                          {a.member.hex(), a.username, a.passwordHash, std::string(a.disabled ? "t" : "f")}));
}

Status PgServerStore::setPasswordHash(const EntityId& member, const std::string& hash) {
    return done(m_db.exec("UPDATE srv_account SET password_hash = $2 WHERE member = $1", {member.hex(), hash}));
}

Status PgServerStore::setDisabled(const EntityId& member, bool disabled) {
    return done(m_db.exec("UPDATE srv_account SET disabled = $2 WHERE member = $1",
                          {member.hex(), std::string(disabled ? "t" : "f")}));
}

Result<std::int64_t> PgServerStore::accountsVersion() {
    std::lock_guard lock(m_readerMutex);
    if (m_reader && !m_reader->ok()) m_reader.reset();
    if (!m_reader) {
        auto reader = pg::PgConnection::open(m_url);
        if (!reader) return reader.error();
        m_reader = std::move(*reader);
    }
    auto r = m_reader->exec("SELECT value FROM srv_counter WHERE name = $1", {std::string(kAccountsVersion)});
    if (!r) return r.error();
    return r->rows() ? r->integer(0, 0) : 0;
}

Status PgServerStore::bumpAccountsVersion() {
    // One statement: concurrent changes from other instances each add their own step.
    return done(
        m_db.exec("INSERT INTO srv_counter(name, value) VALUES ($1, 1) "
                  "ON CONFLICT (name) DO UPDATE SET value = srv_counter.value + 1",
                  {std::string(kAccountsVersion)}));
}

Result<LoginRecord> PgServerStore::loginRecord(const std::string& username, const std::string& usernameKey,
                                               const std::string& addressKey, std::int64_t sinceMs) {
    auto r = m_db.exec(
        "SELECT a.member, a.username, a.password_hash, a.disabled, u.n, u.oldest, p.n, p.oldest FROM "
        "(SELECT count(*) AS n, coalesce(min(at), 0) AS oldest FROM srv_login_failure WHERE key = $2 AND at > $4) u "
        "CROSS JOIN "
        "(SELECT count(*) AS n, coalesce(min(at), 0) AS oldest FROM srv_login_failure WHERE key = $3 AND at > $4) p "
        "LEFT JOIN srv_account a ON a.username = $1",
        {username, usernameKey, addressKey, num(sinceMs)});
    if (!r) return r.error();
    if (r->rows() == 0) return core::makeError("internal", "the login read gave no row");
    LoginRecord record;
    record.byUsername = FailureWindow{r->integer(0, 4), r->integer(0, 5)};
    record.byAddress = FailureWindow{r->integer(0, 6), r->integer(0, 7)};
    if (!r->isNull(0, 0)) {
        auto member = EntityId::parse(r->text(0, 0));
        if (!member) return core::makeError("corrupt", "account with a malformed member id");
        record.account = Account{*member, std::string(r->text(0, 1)), std::string(r->text(0, 2)), r->text(0, 3) == "t"};
    }
    return record;
}

Status PgServerStore::recordLoginFailure(const std::string& usernameKey, const std::string& addressKey,
                                         std::int64_t atMs, std::int64_t forgetUpToMs) {
    // One statement, so one round trip and one commit.
    return done(
        m_db.exec("WITH forgotten AS (DELETE FROM srv_login_failure WHERE at <= $4) "
                  "INSERT INTO srv_login_failure(key, at) VALUES ($1, $3), ($2, $3)",
                  {usernameKey, addressKey, num(atMs), num(forgetUpToMs)}));
}

Result<bool> PgServerStore::changedElsewhere() {
    auto head = counter("seq");
    if (!head) return head.error();
    const bool changed = m_seenSeq && *m_seenSeq != *head;
    m_seenSeq = *head;
    return changed;
}

Status PgServerStore::insertSession(const std::string& tokenHash, const EntityId& member, std::int64_t createdMs,
                                    std::int64_t expiresMs) {
    return done(m_db.exec("INSERT INTO srv_session(token_hash, member, created_ms, expires_ms) VALUES ($1, $2, $3, $4)",
                          {tokenHash, member.hex(), num(createdMs), num(expiresMs)}));
}

Result<std::optional<SessionRecord>> PgServerStore::session(const std::string& tokenHash) {
    auto r = m_db.exec("SELECT member, expires_ms FROM srv_session WHERE token_hash = $1", {tokenHash});
    if (!r) return r.error();
    if (r->rows() == 0) return std::optional<SessionRecord>{};
    auto member = EntityId::parse(r->text(0, 0));
    if (!member) return std::optional<SessionRecord>{};
    return std::optional<SessionRecord>(SessionRecord{*member, r->integer(0, 1)});
}

Status PgServerStore::deleteSession(const std::string& tokenHash) {
    return done(m_db.exec("DELETE FROM srv_session WHERE token_hash = $1", {tokenHash}));
}

Status PgServerStore::deleteSessionsOf(const EntityId& member) {
    return done(m_db.exec("DELETE FROM srv_session WHERE member = $1", {member.hex()}));
}

Result<std::optional<SiteRecord>> PgServerStore::site(const SiteId& site) {
    auto r =
        m_db.exec("SELECT member, last_member, last_sync, last_push, reader, access_seq FROM srv_site WHERE site = $1",
                  {site.hex()});
    if (!r) return r.error();
    if (r->rows() == 0) return std::optional<SiteRecord>{};
    SiteRecord s;
    s.site = site;
    s.member = optId(*r, 0, 0);
    s.lastMember = optId(*r, 0, 1);
    s.lastSync = r->integer(0, 2);
    s.lastPush = r->integer(0, 3);
    s.reader = std::string(r->text(0, 4));
    s.accessSeq = r->integer(0, 5);
    return std::optional<SiteRecord>(std::move(s));
}

Status PgServerStore::upsertSite(const SiteRecord& s) {
    return done(
        m_db.exec("INSERT INTO srv_site(site, member, last_member, last_sync, last_push, reader, access_seq) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7) "
                  "ON CONFLICT (site) DO UPDATE SET member = excluded.member, last_member = excluded.last_member, "
                  "last_sync = excluded.last_sync, last_push = excluded.last_push, reader = excluded.reader, "
                  "access_seq = excluded.access_seq",
                  {s.site.hex(), optParam(s.member), optParam(s.lastMember), num(s.lastSync), num(s.lastPush), s.reader,
                   num(s.accessSeq)}));
}

Result<std::vector<SiteRecord>> PgServerStore::sites() {
    auto r = m_db.exec("SELECT site, member, last_member, last_sync, last_push FROM srv_site ORDER BY site");
    if (!r) return r.error();
    std::vector<SiteRecord> out;
    for (int i = 0; i < r->rows(); ++i) {
        auto site = SiteId::parse(r->text(i, 0));
        if (!site) continue;
        SiteRecord s;
        s.site = *site;
        s.member = optId(*r, i, 1);
        s.lastMember = optId(*r, i, 2);
        s.lastSync = r->integer(i, 3);
        s.lastPush = r->integer(i, 4);
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::map<EntityId, Backfill>> PgServerStore::backfills(const SiteId& site) {
    auto r = m_db.exec("SELECT plan, upto, done FROM srv_backfill WHERE site = $1", {site.hex()});
    if (!r) return r.error();
    std::map<EntityId, Backfill> out;
    for (int i = 0; i < r->rows(); ++i) {
        auto plan = EntityId::parse(r->text(i, 0));
        if (!plan) continue;
        out[*plan] = Backfill{r->integer(i, 1), r->integer(i, 2)};
    }
    return out;
}

Status PgServerStore::setBackfill(const SiteId& site, const EntityId& plan, const Backfill& b) {
    return done(
        m_db.exec("INSERT INTO srv_backfill(site, plan, upto, done) VALUES ($1, $2, $3, $4) "
                  "ON CONFLICT (site, plan) DO UPDATE SET upto = excluded.upto, done = excluded.done",
                  {site.hex(), plan.hex(), num(b.upto), num(b.done)}));
}

Status PgServerStore::deleteBackfill(const SiteId& site, const EntityId& plan) {
    return done(m_db.exec("DELETE FROM srv_backfill WHERE site = $1 AND plan = $2", {site.hex(), plan.hex()}));
}

Result<std::optional<PendingAck>> PgServerStore::pendingAck(const SiteId& site) {
    auto r = m_db.exec("SELECT token, backfills, revoked FROM srv_pending_ack WHERE site = $1", {site.hex()});
    if (!r) return r.error();
    if (r->rows() == 0) return std::optional<PendingAck>{};
    auto pending = decodePendingAck(std::string(r->text(0, 0)), r->text(0, 1), r->text(0, 2));
    if (!pending) return pending.error();
    return std::optional<PendingAck>(std::move(*pending));
}

Status PgServerStore::setPendingAck(const SiteId& site, const PendingAck& pending) {
    PendingAckText text = encodePendingAck(pending);
    return done(
        m_db.exec("INSERT INTO srv_pending_ack(site, token, backfills, revoked) VALUES ($1, $2, $3, $4) "
                  "ON CONFLICT (site) DO UPDATE SET token = excluded.token, backfills = excluded.backfills, "
                  "revoked = excluded.revoked",
                  {site.hex(), pending.token, std::move(text.backfills), std::move(text.revoked)}));
}

Status PgServerStore::deletePendingAck(const SiteId& site) {
    return done(m_db.exec("DELETE FROM srv_pending_ack WHERE site = $1", {site.hex()}));
}

Result<std::vector<AccessChange>> PgServerStore::accessChanges(std::int64_t afterSeq) {
    auto r = m_db.exec("SELECT seq, plan, before FROM srv_access_change WHERE seq > $1 ORDER BY id", {num(afterSeq)});
    if (!r) return r.error();
    std::vector<AccessChange> out;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int i = 0; i < r->rows(); ++i) {
        auto plan = EntityId::parse(r->text(i, 1));
        if (!plan) return core::makeError("corrupt", "an access change with a malformed plan id");
        out.push_back(AccessChange{r->integer(i, 0), *plan, std::string(r->text(i, 2))});
    }
    return out;
}

Status PgServerStore::appendAccessChange(const AccessChange& change) {
    return done(m_db.exec("INSERT INTO srv_access_change(seq, plan, before) VALUES ($1, $2, $3)",
                          {num(change.seq), change.plan.hex(), change.before}));
}

Result<std::int64_t> PgServerStore::counter(const std::string& name) {
    auto r = m_db.exec("SELECT value FROM srv_counter WHERE name = $1", {name});
    if (!r) return r.error();
    return r->rows() ? r->integer(0, 0) : 0;
}

Status PgServerStore::setCounter(const std::string& name, std::int64_t value) {
    if (auto s = done(m_db.exec("INSERT INTO srv_counter(name, value) VALUES ($1, $2) "
                                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                                {name, num(value)}));
        !s)
        return s;
    if (name == "seq") m_seenSeq = value;  // our own write is no change from elsewhere
    return {};
}

Status PgServerStore::appendAudit(const StoredAuditEntry& stored) {
    const core::AuditEntry& e = stored.entry;
    auto details = core::canonicalJson(e.details);
    if (!details) return details.error();
    return done(m_db.exec(
        "INSERT INTO srv_audit(seq, time, actor, action, subject, details, prev_hash, hash, plan) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        {num(e.seq), num(e.time), e.actor, e.action, e.subject, *details, e.prevHash, e.hash, optParam(stored.plan)}));
}

Result<std::vector<StoredAuditEntry>> PgServerStore::auditRows(const PgResult& r) {
    std::vector<StoredAuditEntry> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        StoredAuditEntry st;
        core::AuditEntry& e = st.entry;
        e.seq = r.integer(i, 0);
        e.time = r.integer(i, 1);
        if (!r.isNull(i, 2)) e.actor = std::string(r.text(i, 2));
        e.action = std::string(r.text(i, 3));
        if (!r.isNull(i, 4)) e.subject = std::string(r.text(i, 4));
        auto details = core::parseJson(r.text(i, 5));
        // As SqliteServerStore: details that no longer parse stay text, so the chain
        // check reports the entry as broken instead of the listing failing.
        e.details = details ? *details : core::Json(std::string(r.text(i, 5)));
        e.prevHash = std::string(r.text(i, 6));
        e.hash = std::string(r.text(i, 7));
        st.plan = optId(r, i, 8);
        out.push_back(std::move(st));
    }
    return out;
}

Result<std::vector<StoredAuditEntry>> PgServerStore::auditAfter(std::int64_t after, std::size_t limit) {
    auto r = m_db.exec(
        "SELECT seq, time, actor, action, subject, details, prev_hash, hash, plan FROM srv_audit "
        "WHERE seq > $1 ORDER BY seq LIMIT $2",
        {num(after), num(static_cast<std::int64_t>(limit))});
    if (!r) return r.error();
    return auditRows(*r);
}

Result<std::vector<StoredAuditEntry>> PgServerStore::auditOfPlan(const EntityId& plan, std::int64_t after,
                                                                 std::size_t limit) {
    auto r = m_db.exec(
        "SELECT seq, time, actor, action, subject, details, prev_hash, hash, plan FROM srv_audit "
        "WHERE plan = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        {plan.hex(), num(after), num(static_cast<std::int64_t>(limit))});
    if (!r) return r.error();
    return auditRows(*r);
}

Result<std::pair<std::int64_t, std::string>> PgServerStore::auditHead() {
    auto r = m_db.exec("SELECT count, hash FROM srv_audit_head WHERE id = 1");
    if (!r) return r.error();
    if (r->rows() == 0) return std::pair<std::int64_t, std::string>{0, core::kAuditGenesis};
    return std::pair<std::int64_t, std::string>{r->integer(0, 0), std::string(r->text(0, 1))};
}

Status PgServerStore::setAuditHead(std::int64_t count, const std::string& hash) {
    return done(
        m_db.exec("INSERT INTO srv_audit_head(id, count, hash) VALUES (1, $1, $2) "
                  "ON CONFLICT (id) DO UPDATE SET count = excluded.count, hash = excluded.hash",
                  {num(count), hash}));
}

Result<std::int64_t> PgServerStore::databaseBytes() {
    auto r = m_db.exec("SELECT pg_database_size(current_database())");
    if (!r) return r.error();
    return r->integer(0, 0);
}

}  // namespace tandem::server
