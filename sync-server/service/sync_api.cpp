// Routing of /api/v1, message decoding, login and sessions, audit listings,
// freshness, health, metrics, and the account management behind `tandem-server user`.

#include "service/sync_api.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <tuple>

#include "service/service_impl.h"
#include "storage/pg/pg_op_store.h"
#include "storage/pg/pg_server_store.h"
#include "storage/sqlite_op_store.h"
#include "storage/sqlite_server_store.h"
#include "tandem/core/schema.h"

namespace tandem::server {

using core::EntityId;
using core::makeError;
using core::Principal;
using core::Result;
using core::Status;

HttpAnswer errorAnswer(int status, const std::string& code, const std::string& message) {
    HttpAnswer answer;
    answer.status = status;
    answer.contentType = "application/json";
    Json body = {{"error", {{"code", code}, {"message", message}}}};
    answer.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
    return answer;
}

namespace {

// ---- small helpers ------------------------------------------------------------------

void logError(const char* where, const core::Error& error) {
    // Codes and our own messages only: never tokens, passwords or field values.
    std::cerr << "[service] " << where << ": " << error.code << "\n";
}

HttpAnswer jsonAnswer(int status, const Json& body) {
    HttpAnswer answer;
    answer.status = status;
    answer.contentType = "application/json";
    answer.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
    return answer;
}

HttpAnswer internalError(const char* where, const core::Error& error) {
    if (error.code == "unavailable") {
        // The database went away (PostgreSQL restarting, the network): the client tries
        // again later, and the next request reconnects.
        std::cerr << "[service] " << where << ": database unavailable: " << error.message << "\n";
        HttpAnswer answer = errorAnswer(503, "unavailable", "the database is unavailable; try again");
        answer.headers["Retry-After"] = "1";
        return answer;
    }
    logError(where, error);
    return errorAnswer(500, "internal", "internal error");
}

HttpAnswer badRequest(const std::string& message) {
    return errorAnswer(400, "bad_request", message);
}
HttpAnswer unauthorized() {
    return errorAnswer(401, "unauthorized", "a valid bearer token is required");
}
HttpAnswer forbidden(const std::string& message) {
    return errorAnswer(403, "forbidden", message);
}

std::string percentDecode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out.push_back(' ');
        } else if (text[i] == '%' && i + 2 < text.size()) {
            unsigned value = 0;
            auto [p, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
            if (ec == std::errc() && p == text.data() + i + 3) {
                out.push_back(static_cast<char>(value));
                i += 2;
            } else {
                out.push_back('%');
            }
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

std::map<std::string, std::string> parseQuery(std::string_view query) {
    std::map<std::string, std::string> out;
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key = percentDecode(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1));
        out.emplace(std::move(key), std::move(value));
    }
    return out;
}

std::optional<std::int64_t> parseInt(const std::string& text) {
    std::int64_t value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return value;
}

/// The bearer token of an Authorization header, or empty.
std::string bearerToken(const std::string& authorization) {
    constexpr std::string_view scheme = "bearer ";
    if (authorization.size() <= scheme.size()) return {};
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i]) return {};
    std::string token = authorization.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') token.erase(token.begin());
    while (!token.empty() && token.back() == ' ') token.pop_back();
    return token;
}

struct Route {
    const char* path;
    const char* method;
    const char* name;
};

constexpr Route kRoutes[] = {
    {"/api/v1/login", "POST", "login"},
    {"/api/v1/logout", "POST", "logout"},
    {"/api/v1/sync", "POST", "sync"},
    {"/api/v1/audit", "GET", "audit"},
    {"/api/v1/audit/verify", "GET", "audit_verify"},
    {"/api/v1/freshness", "GET", "freshness"},
    {"/api/v1/health", "GET", "health"},
    {"/api/v1/live", "GET", "live"},
    {"/metrics", "GET", "metrics"},
};

Json rolesOf(const Entity& member) {
    Json roles = Json::array();
    for (std::string_view role : core::kRoles) {
        const Json& v = member.get("roles." + std::string(role));
        if (v.is_boolean() && v.get<bool>()) roles.push_back(std::string(role));
    }
    return roles;
}

}  // namespace

// ---- SyncApi ------------------------------------------------------------------------

SyncApi::SyncApi(std::unique_ptr<OpStore> replica, std::unique_ptr<ServerStore> store, SyncApiOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->replica = std::move(replica);
    m_impl->store = std::move(store);
    m_impl->options = std::move(options);
    const unsigned hashSlots = m_impl->options.loginHashSlots ? m_impl->options.loginHashSlots : defaultHashSlots();
    m_impl->hashGate = std::make_unique<HashGate>(hashSlots, hashSlots * kLoginWaitingPerHashSlot, kLoginHashMaxWait);
}

SyncApi::~SyncApi() {
    if (m_impl && m_impl->replica) m_impl->replica->watchCommits({});  // before Impl goes
}

Result<std::unique_ptr<SyncApi>> SyncApi::open(const std::string& dataDir, SyncApiOptions options) {
    std::error_code ec;
    std::filesystem::create_directories(dataDir, ec);
    if (ec) return makeError("cant_open", "cannot create the data directory " + dataDir);
    const std::string path = (std::filesystem::path(dataDir) / "tandem.db").string();
    auto replica = SqliteOpStore::open(path, {options.wall, options.durable});
    if (!replica) return replica.error();
    auto store = std::make_unique<SqliteServerStore>((*replica)->db(), path);
    if (auto s = store->migrate(); !s) return s.error();
    return open(std::move(*replica), std::move(store), std::move(options));
}

Result<std::unique_ptr<SyncApi>> SyncApi::openPostgres(const std::string& url, SyncApiOptions options) {
    auto replica = PgOpStore::open(url, options.wall);
    if (!replica) return replica.error();
    auto store = std::make_unique<PgServerStore>((*replica)->db(), url);
    if (auto s = store->migrate(); !s) return s.error();
    if (auto s = (*replica)->reload(); !s) return s.error();
    return open(std::move(*replica), std::move(store), std::move(options));
}

Result<std::unique_ptr<SyncApi>> SyncApi::open(std::unique_ptr<OpStore> replica, std::unique_ptr<ServerStore> store,
                                               SyncApiOptions options) {
    auto head = store->counter("seq");
    if (!head) return head.error();
    std::unique_ptr<SyncApi> api(new SyncApi(std::move(replica), std::move(store), std::move(options)));
    api->m_impl->head.store(*head);
    if (api->m_impl->options.demo) {
        std::lock_guard lock(api->m_impl->mutex);
        if (auto s = api->m_impl->seedDemo(); !s) return s.error();
        auto seeded = api->m_impl->store->counter("seq");
        if (!seeded) return seeded.error();
        api->m_impl->head.store(*seeded);
    }
    {
        std::lock_guard lock(api->m_impl->mutex);
        if (auto s = api->m_impl->loadCaches(); !s) return s.error();
        // Loaded outside the write lock, so not known to match one seq: the first batch
        // loads them again under it, and from then on follows only what changed.
        api->m_impl->cachesStale = true;
    }
    // Another instance's commit moves the head here too and reaches this instance's
    // /live subscribers (its caches follow at the next batch's catch-up).
    Impl* impl = api->m_impl.get();
    impl->replica->watchCommits([impl](std::int64_t seq) {
        std::int64_t current = impl->head.load();
        while (seq > current && !impl->head.compare_exchange_weak(current, seq)) {
        }
        if (seq > current) impl->notify(seq);
    });
    return api;
}

std::int64_t SyncApi::cursor() {
    return m_impl->head.load();
}

void SyncApi::onCursorAdvanced(std::function<void(std::int64_t)> listener) {
    std::lock_guard lock(m_impl->listenerMutex);
    m_impl->listeners.push_back(std::move(listener));
}

std::string SyncApi::authenticate(const std::string& authorization) {
    const std::string token = bearerToken(authorization);
    if (token.empty()) return {};
    const std::string tokenHash = core::sha256Hex(token);
    Impl& impl = *m_impl;
    const std::int64_t now = impl.now();
    // A password changed or an account disabled, by this process or another, revokes
    // that account's sessions in the database: the cache then starts again from it.
    // When the version cannot be read (the database is away) the cache stays: no account
    // can change meanwhile, and the sync that follows answers 503 rather than 401.
    auto version = impl.store->accountsVersion();
    if (!version) logError("accounts version", version.error());
    {
        std::lock_guard lock(impl.sessionMutex);
        if (version && *version != impl.sessionsVersion) {
            impl.sessions.clear();
            impl.sessionsVersion = version ? *version : -1;
        }
        auto it = impl.sessions.find(tokenHash);
        if (it != impl.sessions.end()) {
            if (it->second.expiresMs > now) return it->second.member.hex();
            impl.sessions.erase(it);
        }
    }
    std::lock_guard lock(impl.mutex);
    auto session = impl.store->session(tokenHash);
    if (!session || !*session) return {};
    if ((*session)->expiresMs <= now) {
        (void)impl.store->deleteSession(tokenHash);
        return {};
    }
    auto account = impl.store->accountByMember((*session)->member);
    if (!account || !*account || (*account)->disabled) return {};
    // Only sessions of enabled accounts are cached, and only while the accounts version
    // read above is current; logout takes one out.
    std::lock_guard sessionLock(impl.sessionMutex);
    if (impl.sessions.size() >= kMaxCachedSessions) impl.sessions.clear();
    if (version && *version == impl.sessionsVersion) impl.sessions.emplace(tokenHash, **session);
    return (*session)->member.hex();
}

HttpAnswer SyncApi::handle(const HttpRequest& request) {
    try {
        const auto q = request.target.find('?');
        const std::string path = request.target.substr(0, q);
        const std::map<std::string, std::string> query =
            q == std::string::npos ? std::map<std::string, std::string>{} : parseQuery(request.target.substr(q + 1));

        const Route* route = nullptr;
        for (const Route& r : kRoutes)
            if (path == r.path) route = &r;
        if (!route) {
            HttpAnswer a = errorAnswer(404, "not_found", "no such endpoint");
            a.route = "not_found";
            return a;
        }
        if (request.method != route->method) {
            HttpAnswer a = errorAnswer(405, "method_not_allowed", std::string("use ") + route->method);
            a.headers["Allow"] = route->method;
            a.route = route->name;
            return a;
        }
        const std::string name = route->name;
        HttpAnswer answer;
        if (name == "health") {
            answer = jsonAnswer(200, {{"status", "ok"}, {"version", m_impl->options.version}});
        } else if (name == "metrics") {
            answer.status = 200;
            answer.contentType = "text/plain; version=0.0.4; charset=utf-8";
            answer.body = metricsText();
        } else if (name == "login") {
            answer = login(request);
        } else {
            const std::string memberHex = authenticate(request.authorization);
            auto member = EntityId::parse(memberHex);
            if (!member) {
                answer = unauthorized();
            } else if (name == "logout") {
                const std::string tokenHash = core::sha256Hex(bearerToken(request.authorization));
                {
                    std::lock_guard lock(m_impl->sessionMutex);
                    m_impl->sessions.erase(tokenHash);
                }
                // The session row goes, and the accounts version moves with it in one
                // transaction: every instance drops its cached sessions at its next
                // request, so the token is refused everywhere (docs/server.md, "Sessions").
                std::lock_guard lock(m_impl->mutex);
                auto logout = [&]() -> core::Status {
                    auto tx = m_impl->replica->begin();
                    if (!tx) return tx.error();
                    if (auto s = m_impl->store->deleteSession(tokenHash); !s) return s;
                    if (auto s = m_impl->store->bumpAccountsVersion(); !s) return s;
                    return (*tx)->commit();
                };
                if (auto s = logout(); !s)
                    answer = internalError("logout", s.error());
                else {
                    answer.status = 204;
                    answer.contentType.clear();
                }
            } else if (name == "sync") {
                answer = syncRoute(*member, request);
            } else if (name == "audit") {
                answer = auditRoute(*member, query);
            } else if (name == "audit_verify") {
                auto verdict = verifyAudit();
                if (!verdict) {
                    answer = internalError("audit verify", verdict.error());
                } else if (verdict->ok) {
                    answer = jsonAnswer(200, {{"ok", true}, {"entries", verdict->entries}, {"head", verdict->head}});
                } else {
                    answer = jsonAnswer(200, {{"ok", false},
                                              {"broken_at", verdict->brokenAt},
                                              {"entries", verdict->entries},
                                              {"head", verdict->head},
                                              {"message", verdict->reason}});
                }
            } else if (name == "freshness") {
                answer = freshnessRoute(*member);
            } else {  // live without an upgrade
                answer = badRequest("/api/v1/live is a WebSocket endpoint");
            }
        }
        answer.route = name;
        return answer;
    } catch (const std::exception&) {
        std::cerr << "[service] unexpected exception while handling a request\n";
        return errorAnswer(500, "internal", "internal error");
    } catch (...) {
        return errorAnswer(500, "internal", "internal error");
    }
}

namespace {

/// Stores the hash a login made of its right password at the current policy, in place
/// of the weaker one it was checked against — unless the account's hash changed in the
/// meantime (a new password set then wins). No audit entry: no person changed the
/// account. A failure is only logged: the old hash still works, and the next login tries
/// again.
void storeRehashedPassword(SyncApi::Impl& impl, const Account& checked, const std::string& hash) {
    std::lock_guard lock(impl.mutex);
    auto tx = impl.replica->begin();
    if (!tx) return logError("login rehash", tx.error());
    auto current = impl.store->accountByMember(checked.member);
    if (!current) return logError("login rehash", current.error());
    if (!*current || (*current)->passwordHash != checked.passwordHash) return;  // rolled back
    if (auto s = impl.store->setPasswordHash(checked.member, hash); !s) return logError("login rehash", s.error());
    if (auto s = (*tx)->commit(); !s) logError("login rehash", s.error());
}

}  // namespace

HttpAnswer SyncApi::login(const HttpRequest& request) {
    auto parsed = core::parseJson(request.body);
    if (!parsed || !parsed->is_object()) return badRequest("the body must be a JSON object");
    auto user = parsed->find("username");
    auto pass = parsed->find("password");
    if (user == parsed->end() || !user->is_string() || pass == parsed->end() || !pass->is_string())
        return badRequest("\"username\" and \"password\" must be strings");
    const std::string username = user->get<std::string>();
    const std::string password = pass->get<std::string>();
    Impl& impl = *m_impl;
    const std::int64_t now = impl.now();

    // Failed logins are limited per username string and per address (LoginThrottle); a
    // slot of each is taken before the (slow) check so concurrent attempts cannot exceed
    // them, and given back when the attempt did not fail.
    auto tooMany = [&](bool byAddress, std::int64_t retryAfterS) {
        HttpAnswer a = errorAnswer(429, "too_many_requests",
                                   byAddress ? "too many failed logins from this address; try again later"
                                             : "too many failed logins; try again later");
        a.headers["Retry-After"] = std::to_string(retryAfterS);
        std::lock_guard mlock(impl.metricsMutex);
        ++impl.logins[byAddress ? "limited_address" : "limited"];
        return a;
    };
    const LoginThrottle::Admission admission = impl.loginThrottle.admit(username, request.remote, now);
    if (!admission.admitted) return tooMany(admission.byAddress, admission.retryAfterS);
    auto giveBackSlot = [&] { impl.loginThrottle.giveBack(username, request.remote, now); };
    // The same windows as every instance on the database counts them (ServerStore's
    // failed logins): read with the account, so a login makes no extra round trip.
    const std::string usernameKey = LoginThrottle::usernameKey(username);
    const std::string placeKey = LoginThrottle::placeKey(request.remote);

    std::optional<Account> account;
    bool ok = false;
    std::optional<std::string> rehashed;  // the password at the policy's strength, to store
    {
        // Password checks share the CPU with syncs: only a few run at once, and a login
        // that finds no slot is answered at once instead of holding a worker.
        const HashGate::Pass hashing = impl.hashGate->enter();
        if (!hashing) {
            giveBackSlot();
            HttpAnswer a = errorAnswer(503, "unavailable", "the server is busy checking passwords; try again");
            a.headers["Retry-After"] = "1";
            std::lock_guard mlock(impl.metricsMutex);
            ++impl.logins["busy"];
            return a;
        }
        {
            std::lock_guard lock(impl.mutex);
            auto found = impl.store->loginRecord(username, usernameKey, placeKey, now - kLoginWindowMs);
            if (!found) {
                giveBackSlot();
                return internalError("login", found.error());
            }
            // The username's rule first, as LoginThrottle's.
            for (const auto& [window, limit, byAddress] :
                 {std::tuple{found->byUsername, kLoginFailureLimit, false},
                  std::tuple{found->byAddress, kLoginAddressFailureLimit, true}}) {
                if (static_cast<std::size_t>(window.count) < limit) continue;
                giveBackSlot();
                return tooMany(byAddress,
                               std::max<std::int64_t>(1, (window.oldestMs + kLoginWindowMs - now + 999) / 1000));
            }
            account = std::move(found->account);
        }
        const int policy = impl.options.passwordIterations;
        if (account && !account->disabled) {
            ok = core::verifyPassword(password, account->passwordHash);
            const int spent = core::passwordIterations(account->passwordHash).value_or(0);
            if (spent < policy) {
                // A hash from before the policy was raised: the right password is hashed
                // anew and stored below. A wrong one is made to cost a check at the policy,
                // so that timing does not tell a known user's old hash from an unknown name.
                if (ok) {
                    if (auto fresh = core::hashPassword(password, policy)) rehashed = std::move(*fresh);
                } else {
                    (void)core::hashPassword(password, policy - spent);
                }
            }
        } else {
            // The same work for unknown users and disabled accounts, so timing reveals
            // nothing. The dummy's salt and hash are arbitrary: only its cost counts.
            const std::string dummy =
                "pbkdf2-sha256$" + std::to_string(policy) + "$" + std::string(32, '0') + "$" + std::string(64, '0');
            (void)core::verifyPassword(password, dummy);
        }
    }
    if (!ok) {
        {
            // A failure the database cannot record is still counted here (LoginThrottle).
            std::lock_guard lock(impl.mutex);
            if (auto s = impl.store->recordLoginFailure(usernameKey, placeKey, now, now - kLoginWindowMs); !s)
                logError("login failure", s.error());
        }
        std::lock_guard lock(impl.metricsMutex);
        ++impl.logins["failed"];
        return errorAnswer(401, "unauthorized", "wrong username or password");
    }
    giveBackSlot();
    if (rehashed) storeRehashedPassword(impl, *account, *rehashed);

    const std::string token = core::newToken();
    if (token.empty()) return internalError("login", makeError("internal", "no randomness for a token"));
    Json body;
    {
        std::lock_guard lock(impl.mutex);
        if (auto s = impl.store->insertSession(core::sha256Hex(token), account->member, now,
                                               now + impl.options.sessionTtlMs);
            !s)
            return internalError("login", s.error());
        auto member = impl.replica->entity(account->member);
        if (!member) return internalError("login", member.error());
        Json displayName = username;
        Json department = nullptr;
        Json roles = Json::array();
        if (*member) {
            if ((*member)->get("display_name").is_string()) displayName = (*member)->get("display_name");
            if ((*member)->get("department").is_string()) department = (*member)->get("department");
            roles = rolesOf(**member);
        }
        body = {{"token", token},
                {"member", account->member.hex()},
                {"display_name", displayName},
                {"department", department},
                {"roles", roles},
                {"server_time", impl.now()}};
    }
    {
        std::lock_guard lock(impl.metricsMutex);
        ++impl.logins["ok"];
    }
    return jsonAnswer(200, body);
}

HttpAnswer SyncApi::syncRoute(const EntityId& member, const HttpRequest& request) {
    auto decoded = decodeSyncRequest(request.body);
    if (!decoded) {
        if (decoded.error().code == "payload_too_large")
            return errorAnswer(413, "payload_too_large", decoded.error().message);
        return badRequest(decoded.error().message);
    }
    Result<SyncResult> result = m_impl->sync(member, std::move(*decoded));
    if (!result) return internalError("sync", result.error());

    Json rejected = Json::array();
    for (const Rejection& r : result->rejected)
        rejected.push_back({{"id", r.id}, {"code", r.code}, {"message", r.message}});
    Json body = {{"accepted", result->accepted},
                 {"rejected", std::move(rejected)},
                 {"cursor", result->cursor},
                 {"server_time", m_impl->now()},
                 {"more", result->more}};
    if (!result->revoked.empty()) {
        Json revoked = Json::array();
        for (const EntityId& plan : result->revoked) revoked.push_back(plan.hex());
        body["revoked"] = std::move(revoked);
    }
    if (!result->ack.empty()) body["ack"] = result->ack;
    // A pull page is up to 5,000 ops: they are written straight into the text.
    HttpAnswer answer = jsonAnswer(200, body);
    answer.body.pop_back();  // the object's closing brace
    answer.body.reserve(answer.body.size() + result->ops.size() * 240 + 16);
    answer.body += ",\"ops\":[";
    for (std::size_t i = 0; i < result->ops.size(); ++i) {
        if (i > 0) answer.body += ',';
        core::appendOpJson(answer.body, result->ops[i], true);
    }
    answer.body += "]}";
    return answer;
}

HttpAnswer SyncApi::auditRoute(const EntityId& member, const std::map<std::string, std::string>& query) {
    std::size_t limit = kDefaultPullLimit;
    if (auto it = query.find("limit"); it != query.end()) {
        auto value = parseInt(it->second);
        if (!value || *value < 1) return badRequest("limit must be a positive integer");
        limit = static_cast<std::size_t>(std::min<std::int64_t>(*value, kMaxPullLimit));
    }
    std::int64_t after = 0;
    if (auto it = query.find("after"); it != query.end()) {
        auto value = parseInt(it->second);
        if (!value || *value < 0) return badRequest("after must be a non-negative integer");
        after = *value;
    }
    std::optional<EntityId> plan;
    if (auto it = query.find("plan"); it != query.end()) {
        plan = EntityId::parse(it->second);
        if (!plan) return badRequest("plan must be 32 lowercase hex digits");
    }

    std::lock_guard lock(m_impl->mutex);
    auto who = m_impl->principal(member);
    if (!who) return internalError("audit", who.error());
    Result<std::vector<StoredAuditEntry>> entries = std::vector<StoredAuditEntry>{};
    if (plan) {
        auto entity = m_impl->replica->entity(*plan);
        if (!entity) return internalError("audit", entity.error());
        if (!*entity || (*entity)->type != "plan") return errorAnswer(404, "not_found", "no such plan");
        if (!core::mayReadPlan(*who, core::PlanFacts::fromEntity(**entity)))
            return forbidden("you cannot read this plan");
        entries = m_impl->store->auditOfPlan(*plan, after, limit + 1);
    } else {
        if (!who->hq && !who->admin) return forbidden("the whole audit trail is for HQ and admin");
        entries = m_impl->store->auditAfter(after, limit + 1);
    }
    if (!entries) return internalError("audit", entries.error());
    const bool more = entries->size() > limit;
    if (more) entries->resize(limit);
    Json list = Json::array();
    for (const StoredAuditEntry& e : *entries) list.push_back(e.entry.toJson());
    return jsonAnswer(200, {{"entries", std::move(list)}, {"more", more}});
}

HttpAnswer SyncApi::freshnessRoute(const EntityId& member) {
    std::lock_guard lock(m_impl->mutex);
    auto who = m_impl->principal(member);
    if (!who) return internalError("freshness", who.error());
    const Principal& p = *who;
    if (!p.hq && p.headOf.empty()) return forbidden("freshness is for HQ and department heads");
    auto sites = m_impl->store->sites();
    if (!sites) return internalError("freshness", sites.error());
    Json list = Json::array();
    for (const SiteRecord& site : *sites) {
        std::optional<EntityId> owner = site.member ? site.member : site.lastMember;
        std::optional<EntityId> department;
        if (owner) {
            auto entity = m_impl->replica->entity(*owner);
            if (!entity) return internalError("freshness", entity.error());
            if (*entity) department = core::idFromJson((*entity)->get("department"));
        }
        if (!p.hq && !(department && p.headOf.count(*department))) continue;
        list.push_back({{"member", owner ? Json(owner->hex()) : Json(nullptr)},
                        {"department", department ? Json(department->hex()) : Json(nullptr)},
                        {"site", site.site.hex()},
                        {"last_sync", site.lastSync > 0 ? Json(site.lastSync) : Json(nullptr)},
                        {"last_push", site.lastPush > 0 ? Json(site.lastPush) : Json(nullptr)}});
    }
    return jsonAnswer(200, {{"sites", std::move(list)}});
}

std::string SyncApi::metricsText() {
    std::int64_t bytes = 0;
    {
        std::lock_guard lock(m_impl->mutex);
        auto size = m_impl->store->databaseBytes();
        if (size) bytes = *size;
    }
    std::ostringstream out;
    std::lock_guard lock(m_impl->metricsMutex);
    out << "# HELP tandem_ops_applied_total Operations accepted and stored by sync.\n"
        << "# TYPE tandem_ops_applied_total counter\n"
        << "tandem_ops_applied_total " << m_impl->opsApplied << "\n"
        << "# HELP tandem_ops_rejected_total Pushed operations rejected, by code.\n"
        << "# TYPE tandem_ops_rejected_total counter\n";
    for (const char* code : {"bad_site", "duplicate_id", "clock_ahead", "unknown_type", "unknown_field",
                             "invalid_value", "unknown_entity", "forbidden", "immutable"}) {
        auto it = m_impl->rejections.find(code);
        out << "tandem_ops_rejected_total{code=\"" << code << "\"} "
            << (it == m_impl->rejections.end() ? 0 : it->second) << "\n";
    }
    out << "# HELP tandem_logins_total Login attempts, by result.\n"
        << "# TYPE tandem_logins_total counter\n";
    for (const char* result : {"ok", "failed", "limited", "limited_address", "busy"}) {
        auto it = m_impl->logins.find(result);
        out << "tandem_logins_total{result=\"" << result << "\"} " << (it == m_impl->logins.end() ? 0 : it->second)
            << "\n";
    }
    out << "# HELP tandem_sync_requests_total Sync calls answered.\n"
        << "# TYPE tandem_sync_requests_total counter\n"
        << "tandem_sync_requests_total " << m_impl->syncRequests << "\n"
        << "# HELP tandem_sync_commits_total Transactions that committed sync calls (several share one).\n"
        << "# TYPE tandem_sync_commits_total counter\n"
        << "tandem_sync_commits_total " << m_impl->syncGroups << "\n"
        << m_impl->replica->metricsText() << "# HELP tandem_server_cursor The head of the server sequence.\n"
        << "# TYPE tandem_server_cursor gauge\n"
        << "tandem_server_cursor " << m_impl->head.load() << "\n"
        << "# HELP tandem_database_bytes Size of the server database.\n"
        << "# TYPE tandem_database_bytes gauge\n"
        << "tandem_database_bytes " << bytes << "\n";
    return out.str();
}

// ---- accounts -----------------------------------------------------------------------

Result<EntityId> SyncApi::addUser(const NewUser& user) {
    if (user.username.empty() || core::utf8Length(user.username) < 0 || core::utf8Length(user.username) > 200)
        return makeError("invalid_value", "a username is 1 to 200 characters");
    if (user.password.empty()) return makeError("invalid_value", "the password may not be empty");
    for (const std::string& role : user.roles)
        if (std::find(std::begin(core::kRoles), std::end(core::kRoles), role) == std::end(core::kRoles))
            return makeError("invalid_value", "unknown role " + role);
    auto hash = core::hashPassword(user.password, m_impl->options.passwordIterations);
    if (!hash) return hash.error();

    Impl& impl = *m_impl;
    std::lock_guard lock(impl.mutex);
    auto existing = impl.store->accountByUsername(user.username);
    if (!existing) return existing.error();
    if (*existing) return makeError("conflict", "the username is taken");
    std::optional<EntityId> department;
    if (user.departmentCode) {
        auto departments = impl.replica->entities("department");
        if (!departments) return departments.error();
        for (const Entity& d : *departments)
            if (!d.deleted() && d.get("code") == *user.departmentCode) department = d.id;
        if (!department) return makeError("not_found", "no department with code " + *user.departmentCode);
    }
    auto batch = impl.replica->begin();
    if (!batch) return batch.error();
    if (auto s = impl.catchUp(); !s) return s.error();
    ServerWriter writer(*impl.replica, *impl.store, **batch, impl.now());
    if (auto s = writer.load(); !s) return s.error();
    const EntityId member = impl.replica->newEntityId();
    std::vector<std::pair<std::string, Json>> fields = {
        {"username", user.username}, {"display_name", user.displayName.empty() ? user.username : user.displayName}};
    if (department) fields.emplace_back("department", department->hex());
    for (const std::string& role : user.roles) fields.emplace_back("roles." + role, true);
    for (auto& [field, value] : fields)
        if (auto s = writer.write(member, "member", field, value); !s) return s.error();
    if (auto s = impl.store->insertAccount(Account{member, user.username, *hash, false}); !s) return s.error();
    if (auto s = impl.store->bumpAccountsVersion(); !s) return s.error();
    if (auto s = writer.audit(std::nullopt, "account", member, {{"action", "add"}, {"username", user.username}}, {});
        !s)
        return s.error();
    if (auto s = writer.finish(); !s) return s.error();
    if (auto s = (*batch)->commit(); !s) {
        impl.principals.clear();
        return s.error();
    }
    impl.principals.clear();  // the new member may head or join a department
    impl.head.store(writer.head());
    impl.notify(writer.head());
    return member;
}

namespace {

Status changeAccount(SyncApi::Impl& impl, const std::string& username, const char* action,
                     const std::function<Status(const Account&)>& change) {
    std::lock_guard lock(impl.mutex);
    auto account = impl.store->accountByUsername(username);
    if (!account) return account.error();
    if (!*account) return makeError("not_found", "no such user");
    auto batch = impl.replica->begin();
    if (!batch) return batch.error();
    if (auto s = impl.catchUp(); !s) return s;
    ServerWriter writer(*impl.replica, *impl.store, **batch, impl.now());
    if (auto s = writer.load(); !s) return s;
    if (auto s = change(**account); !s) return s;
    // Its sessions end, here and (through the version) in every running server.
    if (auto s = impl.store->deleteSessionsOf((*account)->member); !s) return s;
    if (auto s = impl.store->bumpAccountsVersion(); !s) return s;
    if (auto s =
            writer.audit(std::nullopt, "account", (*account)->member, {{"action", action}, {"username", username}}, {});
        !s)
        return s;
    return (*batch)->commit();
}

}  // namespace

Status SyncApi::setPassword(const std::string& username, const std::string& password) {
    if (password.empty()) return makeError("invalid_value", "the password may not be empty");
    auto hash = core::hashPassword(password, m_impl->options.passwordIterations);
    if (!hash) return hash.error();
    return changeAccount(*m_impl, username, "password",
                         [&](const Account& a) { return m_impl->store->setPasswordHash(a.member, *hash); });
}

Status SyncApi::disableUser(const std::string& username) {
    return changeAccount(*m_impl, username, "disable",
                         [&](const Account& a) { return m_impl->store->setDisabled(a.member, true); });
}

Result<core::AuditVerdict> SyncApi::verifyAudit() {
    std::lock_guard lock(m_impl->mutex);
    std::vector<core::AuditEntry> entries;
    std::int64_t after = 0;
    for (;;) {
        auto page = m_impl->store->auditAfter(after, kMaxPullLimit);
        if (!page) return page.error();
        for (StoredAuditEntry& e : *page) entries.push_back(std::move(e.entry));
        if (page->size() < kMaxPullLimit) break;
        after = entries.back().seq;
    }
    auto head = m_impl->store->auditHead();
    if (!head) return head.error();
    return core::verifyAuditChain(entries, head->first, head->second);
}

}  // namespace tandem::server
