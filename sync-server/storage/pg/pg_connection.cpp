#include "storage/pg/pg_connection.h"

#include <libpq-fe.h>

#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace tandem::server::pg {

using core::makeError;
using core::Result;
using core::Status;

PgResult::~PgResult() {
    if (m_result) PQclear(m_result);
}

int PgResult::rows() const {
    return PQntuples(m_result);
}

std::int64_t PgResult::affected() const {
    const char* text = PQcmdTuples(m_result);
    std::int64_t value = 0;
    std::from_chars(text, text + std::strlen(text), value);
    return value;
}

bool PgResult::isNull(int row, int column) const {
    return PQgetisnull(m_result, row, column) != 0;
}

std::string_view PgResult::text(int row, int column) const {
    return {PQgetvalue(m_result, row, column), static_cast<std::size_t>(PQgetlength(m_result, row, column))};
}

std::int64_t PgResult::integer(int row, int column) const {
    const std::string_view t = text(row, column);
    std::int64_t value = 0;
    std::from_chars(t.data(), t.data() + t.size(), value);
    return value;
}

Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& url) {
    // Defaults unless the URL names them (later parameters override earlier ones): a
    // server that is away fails fast (connect_timeout); a peer gone without a word is
    // noticed within about a minute (TCP keepalives); and no statement — a write
    // batch waiting for another instance's lock included — waits longer than 60 s, nor
    // does a transaction sit idle holding locks (options). What times out is
    // `unavailable`: the request gets 503 with Retry-After, as when the server is down.
    const char* keys[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                          "keepalives_count", "options", "dbname", nullptr};
    const char* values[] = {"5",
                            "1",
                            "30",
                            "10",
                            "3",
                            "-c statement_timeout=60s -c idle_in_transaction_session_timeout=120s",
                            url.c_str(),
                            nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (!conn) return makeError("unavailable", "out of memory for a PostgreSQL connection");
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string message = PQerrorMessage(conn);
        PQfinish(conn);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        return makeError("unavailable", "cannot connect to PostgreSQL: " + message);
    }
    // Quiet NOTICEs (CREATE … IF NOT EXISTS) instead of writing them to stderr.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() {
    PQfinish(m_conn);
}

std::optional<std::vector<std::string>> PgConnection::awaitNotifications(int timeoutMs) {
    pollfd p{PQsocket(m_conn), POLLIN, 0};
    if (p.fd < 0) return std::nullopt;
    if (::poll(&p, 1, timeoutMs) < 0 && errno != EINTR) return std::nullopt;
    if (PQconsumeInput(m_conn) == 0) return std::nullopt;
    std::vector<std::string> payloads;
    while (PGnotify* n = PQnotifies(m_conn)) {
        payloads.emplace_back(n->extra ? n->extra : "");
        PQfreemem(n);
    }
    return payloads;
}

bool PgConnection::ok() const {
    return PQstatus(m_conn) == CONNECTION_OK;
}

Status PgConnection::reset() {
    m_prepared.clear();  // a new session knows none
    PQreset(m_conn);
    if (!ok())
        return makeError("unavailable", std::string("cannot reconnect to PostgreSQL: ") + PQerrorMessage(m_conn));
    return {};
}

core::Error PgConnection::error(PGresult* result) const {
    std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(m_conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    if (!ok() || !result || (state && std::strncmp(state, "08", 2) == 0) ||
        (state && std::strcmp(state, "57P01") == 0))  // connection exceptions, admin shutdown
        return {"unavailable", "PostgreSQL is unavailable: " + message};
    if (state && std::strcmp(state, "57014") == 0)  // statement_timeout
        return {"unavailable", "PostgreSQL did not answer in time: " + message};
    if (state && std::strcmp(state, "23505") == 0) return {"conflict", message};
    return {"postgres", message};
}

namespace {

/// The parameters as libpq takes them (pointers into `params`, which must outlive them).
std::vector<const char*> paramValues(const std::vector<PgParam>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const PgParam& p : params) values.push_back(p ? p->c_str() : nullptr);
    return values;
}

}  // namespace

Result<PgResult> PgConnection::answer(PGresult* result) const {
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        core::Error e = error(result);
        if (result) PQclear(result);
        return e;
    }
    return PgResult(result);
}

Result<PgResult> PgConnection::exec(const std::string& sql, const std::vector<PgParam>& params) {
    const std::vector<const char*> values = paramValues(params);
    return answer(
        PQexecParams(m_conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
}

Result<PgResult> PgConnection::execPrepared(const std::string& name, const std::string& sql,
                                            const std::vector<PgParam>& params) {
    if (m_prepared.count(name) == 0) {
        // Prepared statements belong to the session, not to the transaction: a rollback
        // keeps them.
        PGresult* prepared = PQprepare(m_conn, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr);
        if (!prepared || PQresultStatus(prepared) != PGRES_COMMAND_OK) {
            core::Error e = error(prepared);
            if (prepared) PQclear(prepared);
            return e;
        }
        PQclear(prepared);
        m_prepared.insert(name);
    }
    const std::vector<const char*> values = paramValues(params);
    return answer(PQexecPrepared(m_conn, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                 nullptr, 0));
}

Status PgConnection::script(const std::string& sql) {
    PGresult* result = PQexec(m_conn, sql.c_str());
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        core::Error e = error(result);
        if (result) PQclear(result);
        return e;
    }
    PQclear(result);
    return {};
}

}  // namespace tandem::server::pg
