#pragma once
// Small RAII wrappers over SQLite: Database, Statement, Transaction. Every return code
// is checked; failures come back as Results with codes: disk_full, busy (locked),
// corrupt, not_a_database, cant_open, constraint, sqlite (anything else).
// Not thread-safe: a Database and its statements belong to one thread at a time.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tandem/core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tandem::core {

class Statement;

class Database {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };
    static Result<std::unique_ptr<Database>> open(const std::string& path, Mode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs one or more statements without results.
    Status exec(std::string_view sql);
    /// Prepares a statement, cached by SQL text for reuse.
    Result<Statement*> prepare(std::string_view sql);
    std::int64_t lastInsertRowid() const;
    int changes() const;
    sqlite3* handle() const { return m_db; }
    /// The Error for the connection's last failure (code mapped as above).
    Error lastError(std::string_view context) const;

private:
    explicit Database(sqlite3* db);
    sqlite3* m_db = nullptr;
    struct Cache;
    std::unique_ptr<Cache> m_cache;
};

/// A prepared statement owned by its Database's cache. reset() before rebinding.
class Statement {
public:
    explicit Statement(sqlite3_stmt* stmt, Database* db) : m_stmt(stmt), m_db(db) {}
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& reset();
    Statement& bind(int index, std::int64_t v);
    Statement& bind(int index, std::string_view text);
    Statement& bindBlob(int index, const void* data, int size);
    Statement& bindNull(int index);
    /// Steps once: true with a row, false when done; an error otherwise.
    Result<bool> step();
    /// Steps to completion, expecting no rows.
    Status run();

    bool isNull(int column) const;
    std::int64_t getInt(int column) const;
    std::string getText(int column) const;
    std::string_view getTextView(int column) const;
    std::span<const unsigned char> getBlob(int column) const;

private:
    sqlite3_stmt* m_stmt;
    Database* m_db;
    Status m_bindError;
};

/// BEGIN IMMEDIATE … COMMIT; rolls back on destruction unless committed.
class Transaction {
public:
    static Result<Transaction> begin(Database& db);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    Status commit();

private:
    explicit Transaction(Database* db) : m_db(db) {}
    Database* m_db;
};

/// SAVEPOINT … RELEASE inside an open transaction: rollback() undoes what was done
/// since, and the transaction goes on. Released (its work kept for the transaction to
/// commit or not) on destruction unless rolled back.
class Savepoint {
public:
    static Result<Savepoint> begin(Database& db);
    Savepoint(Savepoint&& other) noexcept;
    Savepoint& operator=(Savepoint&&) = delete;
    ~Savepoint();
    Status release();
    Status rollback();

private:
    explicit Savepoint(Database* db) : m_db(db) {}
    Database* m_db;
};

}  // namespace tandem::core
