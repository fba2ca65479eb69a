#pragma once
// SyncApi: the domain behind /api/v1 (DESIGN §5, §6, §7) — login and sessions, sync
// (push with per-op checks in the order of §5, pull with per-plan read access),
// sign-offs and the hash-chained audit trail, freshness, health — plus the account
// management that `tandem-server user …` and `tandem-server audit verify` call.
//
// For main.cpp:
//     SyncApiOptions options;  options.demo = true;
//     auto api = tandem::server::SyncApi::open(dataDir, options);   // DIR/tandem.db
//     if (!api) { print api.error().code / .message; exit 1; }
//     // serve: hand every request to (*api)->handle(request)
//     // GET /metrics: append (*api)->metricsText() to net's own metrics text.
//     // tandem-server user add NAME …:   (*api)->addUser(NewUser{…})
//     // tandem-server user passwd NAME:  (*api)->setPassword(NAME, password)
//     // tandem-server user disable NAME: (*api)->disableUser(NAME)
//     // tandem-server audit verify:      (*api)->verifyAudit()  → AuditVerdict
//
// Thread contract: every public method may be called from any thread; storage is
// serialised by one internal mutex (password hashing for logins runs outside it, at most
// options.loginHashSlots at once).
// Nothing throws; storage failures answer 500 `internal` without details.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "service/api.h"
#include "storage/op_store.h"
#include "storage/server_store.h"
#include "tandem/core/audit_chain.h"
#include "tandem/core/hlc.h"
#include "tandem/core/password.h"
#include "tandem/core/permissions.h"
#include "tandem/core/replica.h"

namespace tandem::server {

struct SyncApiOptions {
    /// Seed the demo organisation and plan of DESIGN §5a once (idempotent).
    bool demo = false;
    core::WallClock wall = core::systemWallClock();
    /// PBKDF2 iterations for new password hashes; a stored hash with fewer is replaced at
    /// its owner's next successful login. Tests may lower it; in use it is the default
    /// (600,000, OWASP 2023).
    int passwordIterations = core::kDefaultPasswordIterations;
    /// Password checks that may run at once (0: half the cores, at least 1). A few more
    /// logins wait for a turn; the rest get 503 `unavailable` at once (docs/server.md).
    unsigned loginHashSlots = 0;
    /// How long a login token stays valid.
    std::int64_t sessionTtlMs = 30LL * 24 * 3600 * 1000;
    /// Days after `archived_at` before an admin may delete an archived plan's records
    /// (at least core::kMinRetentionDays; main.cpp refuses less).
    int retentionDays = core::kMinRetentionDays;
    /// synchronous=FULL for the database.
    bool durable = true;
    std::string version = "0.1.0";
};

/// An account to create with `tandem-server user add`.
struct NewUser {
    std::string username;
    std::string password;
    std::string displayName;
    std::optional<std::string> departmentCode;  // e.g. "SALES"; must exist
    std::vector<std::string> roles{"member"};   // of core::kRoles
};

class SyncApi final : public Api {
public:
    /// Opens (creating when missing) DIR/tandem.db. With options.demo, seeds the demo
    /// data the first time. Fails with the storage error (cant_open, corrupt, …).
    static core::Result<std::unique_ptr<SyncApi>> open(const std::string& dataDir, SyncApiOptions options = {});
    /// Opens a PostgreSQL database (a libpq URL), migrating its schema; otherwise as
    /// open(dataDir). Errors: unavailable (cannot connect), newer_version, postgres.
    static core::Result<std::unique_ptr<SyncApi>> openPostgres(const std::string& url, SyncApiOptions options = {});
    /// Runs on the given storage (migrated), whichever database it is on.
    static core::Result<std::unique_ptr<SyncApi>> open(std::unique_ptr<OpStore> replica,
                                                       std::unique_ptr<ServerStore> store, SyncApiOptions options);
    ~SyncApi() override;

    // ---- Api ----------------------------------------------------------------------
    HttpAnswer handle(const HttpRequest& request) override;
    std::string authenticate(const std::string& authorization) override;
    std::int64_t cursor() override;
    void onCursorAdvanced(std::function<void(std::int64_t)> listener) override;

    /// Prometheus text lines (with # HELP / # TYPE) for the domain: ops applied,
    /// rejections by code, logins by result, sync requests, server cursor, database
    /// size. net/ appends it to GET /metrics. handle() also answers GET /metrics with
    /// exactly this text when net/ passes that path through.
    std::string metricsText();

    // ---- account management (tandem-server user …) -------------------------------
    /// Creates the account and its member entity (written by the server, so clients
    /// learn it by syncing); audit `account`. Errors: invalid_value (empty username or
    /// password, unknown role), not_found (department code), conflict (username taken).
    core::Result<core::EntityId> addUser(const NewUser& user);
    /// New password; every session of the user ends. not_found for an unknown user.
    core::Status setPassword(const std::string& username, const std::string& password);
    /// The account can no longer log in; every session ends. not_found when unknown.
    core::Status disableUser(const std::string& username);
    /// Verifies the whole audit chain against the separately kept head.
    core::Result<core::AuditVerdict> verifyAudit();

    /// Internal state, defined in service_impl.h (public only so the service's own
    /// translation units can reach it).
    struct Impl;

private:
    SyncApi(std::unique_ptr<OpStore> replica, std::unique_ptr<ServerStore> store, SyncApiOptions options);
    HttpAnswer login(const HttpRequest& request);
    HttpAnswer syncRoute(const core::EntityId& member, const HttpRequest& request);
    HttpAnswer auditRoute(const core::EntityId& member, const std::map<std::string, std::string>& query);
    HttpAnswer freshnessRoute(const core::EntityId& member);

    std::unique_ptr<Impl> m_impl;
};

}  // namespace tandem::server
