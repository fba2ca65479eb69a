#pragma once
// RAII over libpq (Debian 12's libpq-dev): one connection, and the result of one
// statement. Parameters go as text ($1, $2, …), never spliced into SQL.
//
// Errors: `unavailable` when the server cannot be reached or the connection broke (the
// caller answers 503 and tries again later; see reset()), `conflict` for a unique
// violation, `postgres` for anything else; messages carry PostgreSQL's.
// Thread contract: a PgConnection is used from one thread at a time.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/result.h"

struct pg_conn;
struct pg_result;

namespace tandem::server::pg {

/// One statement's result rows; owns the PGresult.
class PgResult {
public:
    explicit PgResult(pg_result* result) : m_result(result) {}
    PgResult(PgResult&& other) noexcept : m_result(other.m_result) { other.m_result = nullptr; }
    PgResult& operator=(PgResult&&) = delete;
    ~PgResult();

    int rows() const;
    /// Rows an INSERT, UPDATE or DELETE touched.
    std::int64_t affected() const;
    bool isNull(int row, int column) const;
    std::string_view text(int row, int column) const;
    /// The column as a 64-bit integer (0 for NULL or text that is not one).
    std::int64_t integer(int row, int column) const;

private:
    pg_result* m_result;
};

/// A parameter: its text, or NULL.
using PgParam = std::optional<std::string>;

class PgConnection {
public:
    /// Connects to a libpq URL (postgresql://user@host:port/db?…). Unless the URL sets
    /// them: a connect timeout of 5 s, TCP keepalives, and `options` giving statements
    /// 60 s and idle transactions 120 s; a statement that times out is `unavailable`.
    static core::Result<std::unique_ptr<PgConnection>> open(const std::string& url);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    /// Runs one statement with text parameters ($1…).
    core::Result<PgResult> exec(const std::string& sql, const std::vector<PgParam>& params = {});
    /// As exec(), through a statement prepared under `name` on this connection the first
    /// time (parse and plan once, not per call: for statements run per op). `name` must
    /// always come with the same `sql`. A reconnect (reset()) prepares again.
    core::Result<PgResult> execPrepared(const std::string& name, const std::string& sql,
                                        const std::vector<PgParam>& params);
    /// Runs several statements without parameters (schema scripts).
    core::Status script(const std::string& sql);
    /// Whether the connection is usable; a broken one is reconnected by reset().
    bool ok() const;
    /// For a LISTENing connection: reads what arrived within `timeoutMs` and returns the
    /// payloads of the notifications on it; nullopt when the connection broke.
    std::optional<std::vector<std::string>> awaitNotifications(int timeoutMs);
    core::Status reset();

private:
    explicit PgConnection(pg_conn* conn) : m_conn(conn) {}
    core::Error error(pg_result* result) const;
    /// `result` as a PgResult, or its error (cleared) when the statement failed.
    core::Result<PgResult> answer(pg_result* result) const;
    pg_conn* m_conn;
    std::set<std::string> m_prepared;  // statement names prepared on this session
};

}  // namespace tandem::server::pg
