#pragma once
// Service-level test harness: a SyncApi on a temporary data directory (demo-seeded),
// called through handle() with HttpRequests — the whole /api/v1 domain without sockets.
// With TANDEM_TEST_DB_URL set (a PostgreSQL cluster, CTest server_service_tests_pg) the
// harness's SyncApi runs on a database of its own on that cluster instead; the few
// tests about SQLite files skip themselves there (skipOnPostgres), saying why.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "service/sync_api.h"
#include "storage/pg/pg_connection.h"
#include "tandem/core/canonical_json.h"
#include "tandem/core/ids.h"
#include "tandem/core/op.h"
#include "tandem/core/replica.h"
#include "tandem/core/signable.h"

namespace tandem::test {

using core::Json;

inline std::string randomHex(int bytes) {
    static std::mt19937_64 gen{std::random_device{}()};
    std::string out;
    while (static_cast<int>(out.size()) < bytes * 2) out += core::hex16(gen());
    return out.substr(0, static_cast<std::size_t>(bytes) * 2);
}
inline std::string newSite() {
    return randomHex(8);
}
inline std::string newEntity() {
    return randomHex(16);
}
inline std::string hlcHex(std::int64_t physicalMs, int counter) {
    return core::hex16((static_cast<std::uint64_t>(physicalMs) << 16) | static_cast<std::uint64_t>(counter));
}

/// Whether the harness runs its SyncApi on PostgreSQL (TANDEM_TEST_DB_URL is set).
inline bool serviceOnPostgres() {
    const char* url = std::getenv("TANDEM_TEST_DB_URL");
    return url != nullptr && *url != '\0';
}

/// A new database on the TANDEM_TEST_DB_URL cluster; its URL. Throws on failure.
inline std::string newServiceDatabase() {
    static std::atomic<int> counter{0};
    const std::string cluster = std::getenv("TANDEM_TEST_DB_URL");
    const std::string name = "svc_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    auto admin = server::pg::PgConnection::open(cluster);
    if (!admin) throw std::runtime_error("cannot reach the test cluster: " + admin.error().message);
    if (auto made = (*admin)->exec("CREATE DATABASE " + name); !made)
        throw std::runtime_error("CREATE DATABASE " + name + ": " + made.error().message);
    const auto slash = cluster.find('/', cluster.find("://") + 3);
    const auto query = cluster.find('?', slash);
    return cluster.substr(0, slash) + "/" + name + (query == std::string::npos ? "" : cluster.substr(query));
}

/// For a test about SQLite files (WAL, tandem.db surgery): true, with a warning that
/// says why, when the run is on PostgreSQL; the test then returns.
inline bool skippedOnPostgres(const std::string& why) {
    if (!serviceOnPostgres()) return false;
    WARN("skipped on PostgreSQL: " << why);
    return true;
}

/// A removable temporary directory.
class ServiceTempDir {
public:
    ServiceTempDir() {
        namespace fs = std::filesystem;
        m_path = fs::temp_directory_path() / ("tandem-svc-" + randomHex(8));
        fs::create_directories(m_path);
    }
    ~ServiceTempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    std::string path() const { return m_path.string(); }

private:
    std::filesystem::path m_path;
};

struct Login {
    std::string token;
    std::string member;
    std::string department;  // "" for null
};

/// Entities merged from pulled ops: per field, the op with the greatest (hlc, site).
class Merged {
public:
    explicit Merged(const std::vector<Json>& ops) {
        for (const Json& op : ops) {
            const std::string entity = op["entity"];
            m_type.emplace(entity, op["type"].get<std::string>());
            auto& slot = m_fields[entity][op["field"].get<std::string>()];
            const auto key = std::make_pair(op["hlc"].get<std::string>(), op["site"].get<std::string>());
            if (slot.is_null() || key > std::make_pair(slot["hlc"].get<std::string>(), slot["site"].get<std::string>()))
                slot = op;
        }
    }
    Json get(const std::string& entity, const std::string& field) const {
        auto e = m_fields.find(entity);
        if (e == m_fields.end()) return nullptr;
        auto f = e->second.find(field);
        return f == e->second.end() ? Json(nullptr) : f->second["value"];
    }
    std::vector<std::string> find(const std::string& type, const std::string& field, const Json& value) const {
        std::vector<std::string> out;
        for (const auto& [entity, t] : m_type)
            if (t == type && get(entity, field) == value) out.push_back(entity);
        return out;
    }
    std::string one(const std::string& type, const std::string& field, const Json& value) const {
        auto all = find(type, field, value);
        if (all.size() != 1) throw std::runtime_error("expected one " + type + " with " + field);
        return all.front();
    }
    bool has(const std::string& entity) const { return m_type.count(entity) > 0; }

private:
    std::map<std::string, std::string> m_type;
    std::map<std::string, std::map<std::string, Json>> m_fields;
};

/// A demo-seeded SyncApi with a wall clock the test moves.
class ServiceHarness {
public:
    explicit ServiceHarness(bool demo = true, int retentionDays = core::kMinRetentionDays)
        : m_retentionDays(retentionDays) {
        m_now = std::make_shared<std::atomic<std::int64_t>>(
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count());
        open(demo);
    }

    void open(bool demo = true) {
        server::SyncApiOptions options;
        options.demo = demo;
        auto now = m_now;
        options.wall = [now] { return now->load(); };
        options.passwordIterations = passwordIterations;
        options.durable = false;
        options.retentionDays = m_retentionDays;
        if (serviceOnPostgres() && m_dbUrl.empty()) m_dbUrl = newServiceDatabase();  // kept across reopens
        auto api = m_dbUrl.empty() ? server::SyncApi::open(m_dir.path(), options)
                                   : server::SyncApi::openPostgres(m_dbUrl, options);
        if (!api) throw std::runtime_error("open: " + api.error().code + " " + api.error().message);
        m_api = std::move(*api);
        m_logins.clear();
    }
    void close() { m_api.reset(); }
    /// The password policy of the next open(): low, so tests are fast (production: 600,000).
    int passwordIterations = 1000;

    server::SyncApi& api() { return *m_api; }
    std::string dir() const { return m_dir.path(); }
    /// The PostgreSQL database the SyncApi runs on; empty on SQLite.
    const std::string& dbUrl() const { return m_dbUrl; }
    std::int64_t now() const { return m_now->load(); }
    void advance(std::int64_t ms) { m_now->fetch_add(ms); }

    server::HttpAnswer call(const std::string& method, const std::string& target, const std::string& body = {},
                            const std::string& token = {}) {
        server::HttpRequest request;
        request.method = method;
        request.target = target;
        request.body = body;
        request.contentType = "application/json";
        request.remote = "127.0.0.1";
        if (!token.empty()) request.authorization = "Bearer " + token;
        return m_api->handle(request);
    }
    static Json json(const server::HttpAnswer& answer) {
        auto parsed = core::parseJson(answer.body);
        if (!parsed) throw std::runtime_error("not JSON: " + answer.body);
        return *parsed;
    }

    const Login& login(const std::string& username, const std::string& password = "tandem-demo") {
        auto it = m_logins.find(username);
        if (it != m_logins.end()) return it->second;
        auto answer = call("POST", "/api/v1/login", Json{{"username", username}, {"password", password}}.dump());
        if (answer.status != 200) throw std::runtime_error("login " + username + ": " + answer.body);
        Json body = json(answer);
        Login l{body["token"], body["member"],
                body["department"].is_null() ? "" : body["department"].get<std::string>()};
        return m_logins[username] = l;
    }
    const std::string& token(const std::string& username) { return login(username).token; }
    const std::string& member(const std::string& username) { return login(username).member; }

    /// POST /api/v1/sync; requires 200.
    Json sync(const std::string& username, const Json& body) {
        auto answer = call("POST", "/api/v1/sync", body.dump(), token(username));
        if (answer.status != 200)
            throw std::runtime_error("sync: " + std::to_string(answer.status) + " " + answer.body);
        return json(answer);
    }
    Json push(const std::string& username, const std::string& site, const Json& ops) {
        return sync(username, Json{{"site", site}, {"cursor", 0}, {"ops", ops}, {"limit", 1}});
    }
    /// What pulling until current brought: the ops, every plan announced as revoked, and
    /// the cursor to go on from.
    struct Pulled {
        std::vector<Json> ops;
        std::vector<Json> revoked;
        std::int64_t cursor = 0;
    };
    /// Pulls from `site` until `more` is false, `limit` ops a page (0: the server's default).
    Pulled pull(const std::string& username, const std::string& site, std::int64_t cursor = 0, int limit = 0) {
        Pulled pulled;
        for (int page = 0; page < 10000; ++page) {
            Json body{{"site", site}, {"cursor", cursor}, {"ops", Json::array()}};
            if (limit > 0) body["limit"] = limit;
            Json answer = sync(username, body);
            for (const Json& op : answer["ops"]) pulled.ops.push_back(op);
            for (const Json& plan : answer.value("revoked", Json::array())) pulled.revoked.push_back(plan);
            cursor = answer["cursor"];
            if (!answer["more"].get<bool>()) {
                pulled.cursor = cursor;
                return pulled;
            }
        }
        throw std::runtime_error("pull never ends");
    }
    std::vector<Json> pullAll(const std::string& username, std::int64_t cursor = 0,
                              const std::string& site = newSite()) {
        return pull(username, site, cursor).ops;
    }
    Merged state(const std::string& username) { return Merged(pullAll(username)); }

    /// Ops creating/writing one entity from `site`, n from `firstN`, HLCs from now.
    Json ops(const std::string& site, const std::string& entity, const std::string& type,
             const std::vector<std::pair<std::string, Json>>& fields, int firstN = 1, std::int64_t offsetMs = 0) {
        // Each batch is written a millisecond after everything before it, so its HLCs
        // win over earlier writes (the server's included) as a real client's would.
        advance(1);
        Json out = Json::array();
        int n = firstN;
        for (const auto& [field, value] : fields) {
            out.push_back({{"site", site},
                           {"n", n},
                           {"entity", entity},
                           {"type", type},
                           {"field", field},
                           {"value", value},
                           {"hlc", hlcHex(now() + offsetMs, n)}});
            ++n;
        }
        return out;
    }

    /// The demo's ids.
    struct Demo {
        std::string plan;
        std::map<std::string, std::string> dept;  // code → id
        std::map<std::string, std::string> task;  // name → id
    };
    const Demo& demo() {
        if (!m_demo.plan.empty()) return m_demo;
        Merged s = state("hq.zhao");
        m_demo.plan = s.one("plan", "title", "Q3 新品推广");
        for (const char* code : {"MKT", "SALES", "PROD", "SVC", "FIN"})
            m_demo.dept[code] = s.one("department", "code", code);
        for (const char* name : {"推广方案", "产品卖点与FAQ整理", "销售培训材料制作", "渠道铺货执行",
                                 "售后响应手册制定", "新品线上发布会", "首批客户回访"})
            m_demo.task[name] = s.one("task", "name", name);
        return m_demo;
    }

private:
    ServiceTempDir m_dir;
    std::string m_dbUrl;
    int m_retentionDays;
    std::shared_ptr<std::atomic<std::int64_t>> m_now;
    std::unique_ptr<server::SyncApi> m_api;
    std::map<std::string, Login> m_logins;
    Demo m_demo;
};

/// The content hash of `subject` as a client replica that pulled everything computes it.
inline std::string clientHash(ServiceHarness& h, const std::string& username, const std::string& subject) {
    ServiceTempDir dir;
    auto replica = core::Replica::open(dir.path() + "/client.db");
    REQUIRE(replica);
    std::vector<core::Op> ops;
    for (const Json& j : h.pullAll(username)) {
        auto op = core::decodeOp(j);
        REQUIRE(op);
        ops.push_back(*op);
    }
    REQUIRE((*replica)->applyRemote(ops));
    auto hash = core::contentHash(**replica, *core::EntityId::parse(subject));
    REQUIRE(hash);
    return *hash;
}

/// A sign-off by department head `head` for their department on `subject` (a plan or a
/// change request of `plan`), pushed from a fresh site; returns its entity id.
inline std::string signOff(ServiceHarness& h, const std::string& head, const std::string& plan,
                           const std::string& subject, const std::string& meaning, const std::string& hash) {
    const std::string site = newSite();
    const std::string id = newEntity();
    const Login l = h.login(head);
    Json ops = h.ops(site, id, "signoff",
                     {{"plan", plan},
                      {"subject", subject},
                      {"signer", l.member},
                      {"department", l.department},
                      {"meaning", meaning},
                      {"content_hash", hash},
                      {"signed_at", h.now()}});
    Json answer = h.push(head, site, ops);
    INFO(answer.dump());
    REQUIRE(answer["rejected"].empty());
    return id;
}

/// The content hash of a change request with these signable fields (DESIGN §7),
/// computed by hand: SHA-256 of the canonical JSON of {"change_request":{…}}.
inline std::string changeRequestHash(const Json& signableFields) {
    auto canonical = core::canonicalJson(Json{{"change_request", signableFields}});
    REQUIRE(canonical);
    return core::sha256Hex(*canonical);
}

/// A change request of `plan` by `requester`, submitted (in_review) and approved by every
/// head in `heads` (those of the plan's approving departments): the server derives
/// `approved`. Returns its id.
inline std::string approvedChangeRequest(ServiceHarness& h, const std::string& plan, const std::string& requester,
                                         const std::vector<std::string>& heads) {
    const std::string cr = newEntity();
    const std::string site = newSite();
    const Json content = {{"title", "调整计划"}, {"reason", "市场变化"}, {"requested_by", h.member(requester)}};
    std::vector<std::pair<std::string, Json>> fields = {{"plan", plan}, {"status", "open"}};
    for (const auto& [name, value] : content.items()) fields.emplace_back(name, value);
    Json create = h.ops(site, cr, "change_request", fields);
    REQUIRE(h.push(requester, site, create)["rejected"].empty());
    Json submit = h.ops(site, cr, "change_request", {{"status", "in_review"}}, static_cast<int>(create.size()) + 1);
    REQUIRE(h.push(requester, site, submit)["rejected"].empty());
    for (const std::string& head : heads) signOff(h, head, plan, cr, "approve", changeRequestHash(content));
    REQUIRE(h.state("hq.zhao").get(cr, "status") == "approved");
    return cr;
}

/// The rejection of `id` in a sync answer, or null.
inline Json rejectionOf(const Json& answer, const std::string& id) {
    for (const Json& r : answer["rejected"])
        if (r["id"] == id) return r;
    return nullptr;
}
inline bool acceptedIn(const Json& answer, const std::string& id) {
    for (const Json& a : answer["accepted"])
        if (a == id) return true;
    return false;
}
inline std::string opId(const Json& op) {
    return op["site"].get<std::string>() + ":" + std::to_string(op["n"].get<int>());
}

}  // namespace tandem::test
