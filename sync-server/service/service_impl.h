#pragma once
// Internals of SyncApi shared by its translation units (sync_api.cpp: routes, auth,
// accounts; sync_push.cpp: push, derived fields, pull; demo_seed.cpp). Not a public API.

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "service/sync_api.h"
#include "tandem/core/canonical_json.h"
#include "tandem/core/permissions.h"
#include "tandem/core/replica.h"

namespace tandem::server {

using core::Entity;
using core::Json;
using core::Op;

inline constexpr std::int64_t kClockAheadLimitMs = 10 * 60 * 1000;
inline constexpr std::size_t kMaxPushOps = 5000;
inline constexpr std::size_t kDefaultPullLimit = 1000;
inline constexpr std::size_t kMaxPullLimit = 5000;
inline constexpr std::size_t kLoginFailureLimit = 10;
inline constexpr std::int64_t kLoginWindowMs = 60 * 1000;

/// A decoded sync request body (DESIGN §5).
struct SyncRequest {
    core::SiteId site;
    std::int64_t cursor = 0;
    std::vector<Op> ops;
    std::size_t limit = kDefaultPullLimit;
};

struct Rejection {
    std::string id;
    std::string code;
    std::string message;
};

struct SyncResult {
    std::vector<std::string> accepted;
    std::vector<Rejection> rejected;
    std::vector<Op> ops;
    std::int64_t cursor = 0;
    bool more = false;
    std::vector<core::EntityId> revoked;
    bool advanced = false;  // the server cursor moved
};

/// Server-side writes inside one transaction: stamps ops with site 0, assigns seq,
/// appends audit entries to the chain.
class ServerWriter {
public:
    ServerWriter(core::Replica& replica, ServerStore& store, core::Replica::Batch& batch, std::int64_t nowMs)
        : m_replica(replica), m_store(store), m_batch(batch), m_now(nowMs) {}

    /// Writes one derived or seeded field as the server (author null).
    core::Status write(const core::EntityId& entity, const std::string& type, const std::string& field, Json value,
                       std::optional<core::EntityId> plan = {});
    /// Stores a client op with the next seq and its author (op id index included).
    core::Status storeClientOp(Op op, const core::EntityId& author, std::optional<core::EntityId> plan,
                               core::ApplyOutcome& outcome);
    core::Status audit(std::optional<core::EntityId> actor, const std::string& action,
                       std::optional<core::EntityId> subject, Json details, std::optional<core::EntityId> plan);
    core::Status finish();  // persists the seq head
    std::int64_t head() const { return m_head; }
    core::Status load();
    std::int64_t now() const { return m_now; }

private:
    core::Status index(const Op& op);
    core::Replica& m_replica;
    ServerStore& m_store;
    core::Replica::Batch& m_batch;
    std::int64_t m_now;
    std::int64_t m_head = 0;
};

/// The content hash an op is identified by for duplicate detection.
std::string opContentHash(const Op& op);

struct SyncApi::Impl {
    std::unique_ptr<core::Replica> replica;
    std::unique_ptr<ServerStore> store;
    SyncApiOptions options;

    std::mutex mutex;  // guards replica and store

    std::mutex loginMutex;
    std::map<std::string, std::deque<std::int64_t>> loginFailures;

    std::mutex listenerMutex;
    std::vector<std::function<void(std::int64_t)>> listeners;

    std::mutex metricsMutex;
    std::uint64_t opsApplied = 0;
    std::map<std::string, std::uint64_t> rejections;
    std::map<std::string, std::uint64_t> logins;
    std::uint64_t syncRequests = 0;
    std::atomic<std::int64_t> head{0};

    std::int64_t now() const { return options.wall(); }

    // Reads (under mutex).
    core::Result<std::optional<core::Principal>> principal(const core::EntityId& member);
    core::Result<std::vector<core::PlanFacts>> allPlans();

    // Sync (under mutex).
    core::Result<SyncResult> sync(const core::EntityId& member, const SyncRequest& request);

    // Seeding (under mutex, once).
    core::Status seedDemo();

    void countRejection(const std::string& code);
    void notify(std::int64_t cursor);
};

/// Ms since the epoch → "YYYY-MM-DD" (UTC), shifted by `days`.
std::string dateFromMs(std::int64_t ms, int days = 0);

}  // namespace tandem::server
