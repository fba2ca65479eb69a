#include "storage/pg/pg_import.h"

#include <filesystem>
#include <optional>

#include "storage/pg/pg_connection.h"
#include "storage/pg/pg_server_store.h"
#include "storage/sqlite_op_store.h"
#include "storage/sqlite_server_store.h"
#include "tandem/core/ids.h"

namespace tandem::server::pg {

using core::Error;
using core::makeError;
using core::Result;
using core::Status;

namespace {

// How a column travels: SQLite keeps the replica's ids as 16-byte blobs where
// PostgreSQL keeps lowercase hex (pg_schema.h), and booleans as 0/1. Everything else
// goes as its text (integers included: PostgreSQL parses them), NULL as NULL.
enum class Kind { Value, Id, Bool };

struct Column {
    const char* name;
    Kind kind = Kind::Value;
};

struct Table {
    const char* name;
    std::vector<Column> columns;
    const char* order;  // ORDER BY of the source read: a stable copy, easy to compare
};

// Every table that holds the organisation. The replica's tables first (core::Replica's
// schema in SQLite, pg_schema.h's version 2 in PostgreSQL), then the server's (the same
// columns in both backends).
const std::vector<Table>& tables() {
    static const std::vector<Table> all = {
        {"ops",
         {{"site"},
          {"n"},
          {"entity", Kind::Id},
          {"type"},
          {"field"},
          {"value"},
          {"hlc"},
          {"seq"},
          {"author", Kind::Id},
          {"plan", Kind::Id}},
         "site, n"},
        {"entities", {{"entity", Kind::Id}, {"type"}, {"plan", Kind::Id}, {"th"}, {"ts"}, {"tn"}}, "id"},
        {"fields", {{"entity", Kind::Id}, {"field"}, {"value"}, {"hlc"}, {"site"}, {"n"}}, "entity, field"},
        {"superseded", {{"entity", Kind::Id}, {"field"}, {"site"}, {"n"}}, "entity, field, site, n"},
        {"srv_account", {{"member"}, {"username"}, {"password_hash"}, {"disabled", Kind::Bool}}, "member"},
        {"srv_session", {{"token_hash"}, {"member"}, {"created_ms"}, {"expires_ms"}}, "token_hash"},
        {"srv_site",
         {{"site"}, {"member"}, {"last_member"}, {"last_sync"}, {"last_push"}, {"reader"}, {"access_seq"}},
         "site"},
        {"srv_backfill", {{"site"}, {"plan"}, {"upto"}, {"done"}}, "site, plan"},
        {"srv_pending_ack", {{"site"}, {"token"}, {"backfills"}, {"revoked"}}, "site"},
        {"srv_access_change", {{"id"}, {"seq"}, {"plan"}, {"before"}}, "id"},
        {"srv_counter", {{"name"}, {"value"}}, "name"},
        {"srv_audit",
         {{"seq"}, {"time"}, {"actor"}, {"action"}, {"subject"}, {"details"}, {"prev_hash"}, {"hash"}, {"plan"}},
         "seq"},
        {"srv_audit_head", {{"id"}, {"count"}, {"hash"}}, "id"},
    };
    return all;
}

// pg_advisory_xact_lock keys of PgServerStore::migrate and of PgOpStore's write batches:
// held while copying, so no instance starting on the target seeds or writes meanwhile.
constexpr const char* kLocks =
    "SELECT pg_advisory_xact_lock(x'7461206e64656d01'::bigint), pg_advisory_xact_lock(x'7461206e64656d02'::bigint)";

// Rows per INSERT: few round trips, far below PostgreSQL's 65535 parameters.
constexpr std::size_t kRowsPerInsert = 500;

/// The column as a parameter; nullopt when an id is not 16 bytes (a corrupt row).
std::optional<PgParam> read(const core::Statement& s, int column, Kind kind) {
    if (s.isNull(column)) return PgParam();
    switch (kind) {
        case Kind::Id: {
            const auto blob = s.getBlob(column);
            if (blob.size() != 16) return std::nullopt;
            return PgParam(core::EntityId::fromBytes(blob.data()).hex());
        }
        case Kind::Bool:
            return PgParam(s.getInt(column) != 0 ? "t" : "f");
        case Kind::Value:
            break;
    }
    return PgParam(s.getText(column));
}

Result<std::int64_t> copyTable(core::Database& source, PgConnection& target, const Table& table) {
    std::string names;
    for (const Column& c : table.columns) names += std::string(names.empty() ? "" : ", ") + c.name;
    auto st = source.prepare("SELECT " + names + " FROM " + table.name + " ORDER BY " + table.order);
    if (!st) return st.error();
    core::Statement& s = **st;
    s.reset();
    const std::string insert = std::string("INSERT INTO ") + table.name + "(" + names + ") VALUES ";
    const int width = static_cast<int>(table.columns.size());
    std::int64_t copied = 0;
    std::vector<PgParam> params;
    std::string values;
    auto flush = [&]() -> Status {
        if (params.empty()) return {};
        auto r = target.exec(insert + values, params);
        params.clear();
        values.clear();
        if (!r) return r.error();
        return {};
    };
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) break;
        values += values.empty() ? "(" : ", (";
        for (int c = 0; c < width; ++c) {
            const Column& column = table.columns[static_cast<std::size_t>(c)];
            auto value = read(s, c, column.kind);
            if (!value) {
                s.reset();
                return makeError("corrupt", std::string("a malformed id in ") + table.name + "." + column.name);
            }
            params.push_back(std::move(*value));
            values += (c ? ", $" : "$") + std::to_string(params.size());
        }
        values += ")";
        ++copied;
        if (params.size() >= kRowsPerInsert * static_cast<std::size_t>(width))
            if (auto f = flush(); !f) {
                s.reset();
                return f.error();
            }
    }
    s.reset();
    if (auto f = flush(); !f) return f.error();
    return copied;
}

/// The first table of the target that holds a row, or "" when it holds none.
Result<std::string> firstNonEmpty(PgConnection& target) {
    for (const Table& table : tables()) {
        auto r = target.exec(std::string("SELECT EXISTS (SELECT 1 FROM ") + table.name + ")");
        if (!r) return r.error();
        if (r->text(0, 0) == "t") return std::string(table.name);
    }
    return std::string();
}

}  // namespace

Result<ImportReport> importFromSqlite(const std::string& dataDir, const std::string& url) {
    const std::string path = (std::filesystem::path(dataDir) / "tandem.db").string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return makeError("not_found", "no Tandem server database at " + path);
    // Opened as the server opens it: a file this build does not understand is refused
    // here (foreign_file, corrupt, newer_version), an older one upgraded in place.
    auto source = SqliteOpStore::open(path, {});
    if (!source) return source.error();
    core::Database& db = (*source)->db();
    if (auto s = SqliteServerStore(db, path).migrate(); !s) return s.error();

    auto target = PgConnection::open(url);
    if (!target) return target.error();
    PgConnection& pg = **target;
    // The schema first, as a server start would (its own transaction; a target left with
    // empty tables by a failed copy below is still empty, and a second run may go on).
    if (auto s = PgServerStore(pg, url).migrate(); !s) return s.error();

    // One snapshot of the source for the whole copy.
    auto snapshot = core::Transaction::begin(db);
    if (!snapshot) return snapshot.error();
    if (auto s = pg.script("BEGIN"); !s) return s.error();
    auto body = [&]() -> Result<ImportReport> {
        // A whole organisation's copy takes longer than a request may.
        if (auto s = pg.script("SET LOCAL statement_timeout = 0"); !s) return s.error();
        if (auto r = pg.exec(kLocks); !r) return r.error();
        auto used = firstNonEmpty(pg);
        if (!used) return used.error();
        if (!used->empty())
            return makeError("not_empty", "the target database already holds data (table " + *used +
                                              "): migrate only into a new, empty database");
        ImportReport report;
        for (const Table& table : tables()) {
            auto copied = copyTable(db, pg, table);
            if (!copied) return copied.error();
            report.tables.emplace_back(table.name, *copied);
        }
        // Later access changes are numbered after the copied ones.
        if (auto r = pg.exec("SELECT setval(pg_get_serial_sequence('srv_access_change', 'id'), "
                             "coalesce(max(id), 0) + 1, false) FROM srv_access_change");
            !r)
            return r.error();
        return report;
    };
    auto report = body();
    if (!report) {
        (void)pg.script("ROLLBACK");
        return report.error();
    }
    if (auto s = pg.script("COMMIT"); !s) {
        (void)pg.script("ROLLBACK");
        return s.error();
    }
    // Statistics now, so the first instances do not plan their queries on tables the
    // planner still takes for empty (autovacuum would get there, later). Best effort: the
    // data is in either way.
    (void)pg.script("ANALYZE");
    return report;
}

}  // namespace tandem::server::pg
