#include "tandem/core/sqlite.h"

#include <sqlite3.h>

#include <unordered_map>
#include <utility>

namespace tandem::core {

namespace {

std::string codeFor(int rc) {
    switch (rc & 0xff) {
    case SQLITE_FULL: return "disk_full";
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "busy";
    case SQLITE_CORRUPT: return "corrupt";
    case SQLITE_NOTADB: return "not_a_database";
    case SQLITE_CANTOPEN: return "cant_open";
    case SQLITE_CONSTRAINT: return "constraint";
    case SQLITE_READONLY: return "read_only";
    case SQLITE_IOERR: return "io_error";
    default: return "sqlite";
    }
}

}  // namespace

struct Database::Cache {
    std::unordered_map<std::string, std::unique_ptr<Statement>> statements;
};

Database::Database(sqlite3* db) : m_db(db), m_cache(std::make_unique<Cache>()) {}

Database::~Database() {
    m_cache.reset();  // statements must be finalized before the connection closes
    if (m_db) sqlite3_close(m_db);
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, Mode mode) {
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    }
    sqlite3* handle = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error error = makeError(codeFor(rc), "cannot open " + path + ": " + (handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc)));
        sqlite3_close(handle);
        return error;
    }
    sqlite3_extended_result_codes(handle, 1);
    sqlite3_busy_timeout(handle, 5000);
    return std::unique_ptr<Database>(new Database(handle));
}

Error Database::lastError(std::string_view context) const {
    return makeError(codeFor(sqlite3_extended_errcode(m_db)), std::string(context) + ": " + sqlite3_errmsg(m_db));
}

Status Database::exec(std::string_view sql) {
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return lastError("exec");
    return {};
}

Result<Statement*> Database::prepare(std::string_view sql) {
    std::string key(sql);
    auto it = m_cache->statements.find(key);
    if (it != m_cache->statements.end()) return &it->second->reset();
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        return lastError("prepare");
    auto owned = std::make_unique<Statement>(stmt, this);
    Statement* raw = owned.get();
    m_cache->statements.emplace(std::move(key), std::move(owned));
    return raw;
}

std::int64_t Database::lastInsertRowid() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement& Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bindError = {};
    return *this;
}

Statement& Statement::bind(int index, std::int64_t v) {
    if (sqlite3_bind_int64(m_stmt, index, v) != SQLITE_OK && m_bindError) m_bindError = m_db->lastError("bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    if (sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK && m_bindError)
        m_bindError = m_db->lastError("bind");
    return *this;
}

Statement& Statement::bindBlob(int index, const void* data, int size) {
    if (sqlite3_bind_blob(m_stmt, index, data, size, SQLITE_TRANSIENT) != SQLITE_OK && m_bindError)
        m_bindError = m_db->lastError("bind");
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK && m_bindError) m_bindError = m_db->lastError("bind");
    return *this;
}

Result<bool> Statement::step() {
    if (!m_bindError) return m_bindError.error();
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Error error = m_db->lastError("step");
    sqlite3_reset(m_stmt);
    return error;
}

Status Statement::run() {
    auto r = step();
    if (!r) return r.error();
    if (*r) return makeError("sqlite", "statement returned rows where none were expected");
    return {};
}

bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
std::int64_t Statement::getInt(int column) const { return sqlite3_column_int64(m_stmt, column); }
std::string Statement::getText(int column) const { return std::string(getTextView(column)); }

std::string_view Statement::getTextView(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))) : std::string_view();
}

std::span<const unsigned char> Statement::getBlob(int column) const {
    const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(m_stmt, column));
    return {data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

Result<Transaction> Transaction::begin(Database& db) {
    if (auto s = db.exec("BEGIN IMMEDIATE"); !s) return s.error();
    return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(other.m_db) { other.m_db = nullptr; }

Transaction::~Transaction() {
    if (m_db) (void)m_db->exec("ROLLBACK");
}

Status Transaction::commit() {
    if (!m_db) return makeError("sqlite", "transaction already finished");
    if (auto s = m_db->exec("COMMIT"); !s) return s;  // still open: the destructor rolls back
    m_db = nullptr;
    return {};
}

Result<Savepoint> Savepoint::begin(Database& db) {
    if (auto s = db.exec("SAVEPOINT tandem_savepoint"); !s) return s.error();
    return Savepoint(&db);
}

Savepoint::Savepoint(Savepoint&& other) noexcept : m_db(other.m_db) { other.m_db = nullptr; }

Savepoint::~Savepoint() {
    if (m_db) (void)m_db->exec("RELEASE tandem_savepoint");
}

Status Savepoint::release() {
    if (!m_db) return makeError("sqlite", "savepoint already finished");
    Database* db = std::exchange(m_db, nullptr);
    return db->exec("RELEASE tandem_savepoint");
}

Status Savepoint::rollback() {
    if (!m_db) return makeError("sqlite", "savepoint already finished");
    Database* db = std::exchange(m_db, nullptr);
    if (auto s = db->exec("ROLLBACK TO tandem_savepoint"); !s) return s;
    return db->exec("RELEASE tandem_savepoint");
}

}  // namespace tandem::core
