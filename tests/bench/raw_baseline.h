#pragma once
// The benchmarks' baseline: the least a per-field last-writer-wins store can do in
// plain SQLite. A table (entity, field) → (value, hlc, site) updated with one
// INSERT … ON CONFLICT DO UPDATE … WHERE (hlc, site) is greater, plus an op-log insert
// that ignores known ids. No history table, no pending state, no entity index.
// Header-only on the sqlite3 C API so the core, server and client benches share it.
//
// Bench code: failures throw std::runtime_error (a benchmark that cannot run stops).

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

namespace tandem::bench {

/// One field write as the baseline stores it. `value` is JSON text.
struct RawOp {
    std::uint64_t site = 0;
    std::uint64_t n = 0;
    std::array<unsigned char, 16> entity{};
    std::string type;
    std::string field;
    std::string value;
    std::uint64_t hlc = 0;
    std::optional<std::int64_t> seq;
};

class RawBaseline {
public:
    /// Opens (creating) the database: WAL, synchronous=FULL when durable, else NORMAL.
    static std::unique_ptr<RawBaseline> open(const std::string& path, bool durable) {
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
            std::string message = db ? sqlite3_errmsg(db) : "out of memory";
            sqlite3_close(db);
            throw std::runtime_error("baseline open: " + message);
        }
        std::unique_ptr<RawBaseline> self(new RawBaseline(db));
        self->exec(durable ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536"
                           : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536");
        self->exec(
            "CREATE TABLE IF NOT EXISTS log(site INTEGER NOT NULL, n INTEGER NOT NULL, entity BLOB NOT NULL,"
            " type TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, hlc INTEGER NOT NULL, seq INTEGER,"
            " PRIMARY KEY(site, n)) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS fields(entity BLOB NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
            " hlc INTEGER NOT NULL, site INTEGER NOT NULL, PRIMARY KEY(entity, field)) WITHOUT ROWID;");
        self->m_log = self->prepare(
            "INSERT INTO log(site, n, entity, type, field, value, hlc, seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            " ON CONFLICT(site, n) DO NOTHING");
        self->m_upsert = self->prepare(
            "INSERT INTO fields(entity, field, value, hlc, site) VALUES(?1, ?2, ?3, ?4, ?5)"
            " ON CONFLICT(entity, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, site = excluded.site"
            " WHERE (excluded.hlc, excluded.site) > (fields.hlc, fields.site)");
        self->m_begin = self->prepare("BEGIN IMMEDIATE");
        self->m_commit = self->prepare("COMMIT");
        return self;
    }

    ~RawBaseline() {
        for (sqlite3_stmt* st : {m_log, m_upsert, m_begin, m_commit}) sqlite3_finalize(st);
        sqlite3_close(m_db);
    }
    RawBaseline(const RawBaseline&) = delete;
    RawBaseline& operator=(const RawBaseline&) = delete;

    /// Applies ops in one transaction: each op is logged (a known id is skipped, and
    /// then not merged again) and merged into its field by (hlc, site).
    void applyBatch(std::span<const RawOp> ops) {
        step(m_begin);
        for (const RawOp& op : ops) {
            sqlite3_bind_int64(m_log, 1, toSql(op.site));
            sqlite3_bind_int64(m_log, 2, static_cast<std::int64_t>(op.n));
            sqlite3_bind_blob(m_log, 3, op.entity.data(), 16, SQLITE_STATIC);
            sqlite3_bind_text(m_log, 4, op.type.data(), static_cast<int>(op.type.size()), SQLITE_STATIC);
            sqlite3_bind_text(m_log, 5, op.field.data(), static_cast<int>(op.field.size()), SQLITE_STATIC);
            sqlite3_bind_text(m_log, 6, op.value.data(), static_cast<int>(op.value.size()), SQLITE_STATIC);
            sqlite3_bind_int64(m_log, 7, toSql(op.hlc));
            if (op.seq) sqlite3_bind_int64(m_log, 8, *op.seq);
            else sqlite3_bind_null(m_log, 8);
            step(m_log);
            if (sqlite3_changes(m_db) == 0) continue;  // a duplicate: already merged
            sqlite3_bind_blob(m_upsert, 1, op.entity.data(), 16, SQLITE_STATIC);
            sqlite3_bind_text(m_upsert, 2, op.field.data(), static_cast<int>(op.field.size()), SQLITE_STATIC);
            sqlite3_bind_text(m_upsert, 3, op.value.data(), static_cast<int>(op.value.size()), SQLITE_STATIC);
            sqlite3_bind_int64(m_upsert, 4, toSql(op.hlc));
            sqlite3_bind_int64(m_upsert, 5, toSql(op.site));
            step(m_upsert);
        }
        step(m_commit);
    }

    void applyOne(const RawOp& op) { applyBatch(std::span<const RawOp>(&op, 1)); }

    /// The current value (JSON text) of a field, if any.
    std::optional<std::string> value(const std::array<unsigned char, 16>& entity, const std::string& field) {
        sqlite3_stmt* st = prepare("SELECT value FROM fields WHERE entity = ?1 AND field = ?2");
        sqlite3_bind_blob(st, 1, entity.data(), 16, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, field.data(), static_cast<int>(field.size()), SQLITE_STATIC);
        std::optional<std::string> out;
        if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return out;
    }

    std::int64_t count(const std::string& table) {
        sqlite3_stmt* st = prepare("SELECT count(*) FROM " + table);
        std::int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        sqlite3_finalize(st);
        return n;
    }

    sqlite3* handle() const { return m_db; }

    /// SQLite integers are signed: flipping the top bit keeps unsigned order.
    static std::int64_t toSql(std::uint64_t v) { return static_cast<std::int64_t>(v ^ (1ULL << 63)); }

private:
    explicit RawBaseline(sqlite3* db) : m_db(db) {}

    void exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            std::string message = error ? error : "?";
            sqlite3_free(error);
            throw std::runtime_error("baseline exec: " + message);
        }
    }

    sqlite3_stmt* prepare(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error("baseline prepare: " + std::string(sqlite3_errmsg(m_db)));
        return st;
    }

    void step(sqlite3_stmt* st) {
        const int rc = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
            if (st != m_begin) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw std::runtime_error("baseline step: " + std::string(sqlite3_errmsg(m_db)));
        }
    }

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_log = nullptr;
    sqlite3_stmt* m_upsert = nullptr;
    sqlite3_stmt* m_begin = nullptr;
    sqlite3_stmt* m_commit = nullptr;
};

}  // namespace tandem::bench
