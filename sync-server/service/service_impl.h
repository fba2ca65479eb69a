#pragma once
// Internals of SyncApi shared by its translation units (sync_api.cpp: routes, auth,
// accounts; sync_push.cpp: push, derived fields, pull; demo_seed.cpp). Not a public API.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "service/login_guard.h"
#include "service/sync_api.h"
#include "service/sync_request.h"
#include "storage/op_store.h"
#include "tandem/core/canonical_json.h"
#include "tandem/core/permissions.h"

namespace tandem::server {

using core::Entity;
using core::Json;
using core::Op;

inline constexpr std::int64_t kClockAheadLimitMs = 10 * 60 * 1000;
inline constexpr std::size_t kLoginFailureLimit = 10;  // per username string (DESIGN §5)
// Per client address (an IPv6 /64): ten times the username's, so an office behind one NAT
// address survives its typos, while a spray of made-up names buys ~100 checks a minute.
inline constexpr std::size_t kLoginAddressFailureLimit = 100;
inline constexpr std::int64_t kLoginWindowMs = 60 * 1000;
// Logins that may wait for a password-check slot (per slot), and for how long.
inline constexpr unsigned kLoginWaitingPerHashSlot = 4;
inline constexpr std::chrono::milliseconds kLoginHashMaxWait{2000};
inline constexpr std::size_t kMaxCachedSessions = 100000;

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
    std::string ack;        // the answer's acknowledgement token; empty: none
    std::int64_t head = 0;  // the server seq head after this sync
};

/// Server-side writes inside one transaction: stamps ops with site 0, assigns seq,
/// appends audit entries to the chain.
class ServerWriter {
public:
    ServerWriter(OpStore& replica, ServerStore& store, OpStore::Batch& batch, std::int64_t nowMs)
        : m_replica(replica), m_store(store), m_batch(batch), m_now(nowMs) {}

    /// Writes one derived or seeded field as the server (author null).
    core::Status write(const core::EntityId& entity, const std::string& type, const std::string& field, Json value,
                       std::optional<core::EntityId> plan = {});
    /// Stores a client op with the next seq and its author; `won`: it became the
    /// field's value.
    core::Status storeClientOp(Op op, const core::EntityId& author, std::optional<core::EntityId> plan,
                               core::ApplyOutcome& outcome, bool& won);
    core::Status audit(std::optional<core::EntityId> actor, const std::string& action,
                       std::optional<core::EntityId> subject, Json details, std::optional<core::EntityId> plan);
    core::Status finish();  // persists the seq head
    std::int64_t head() const { return m_head; }
    core::Status load();
    std::int64_t now() const { return m_now; }
    OpStore::Batch& batch() { return m_batch; }

    /// What the writer has done so far, to come back to with the batch's own mark.
    struct Mark {
        std::int64_t head = 0;
        std::set<core::EntityId> plansTouched;
        bool orgTouched = false;
    };
    Mark mark() const { return {m_head, m_plansTouched, m_orgTouched}; }
    void rewind(Mark mark) {
        m_head = mark.head;
        m_plansTouched = std::move(mark.plansTouched);
        m_orgTouched = mark.orgTouched;
    }

    /// Plans with a stored op of type `plan` since the last takeTouched(), and whether a
    /// member or department changed: what the service's caches depend on.
    std::set<core::EntityId> takePlansTouched() { return std::exchange(m_plansTouched, {}); }
    bool takeOrgTouched() { return std::exchange(m_orgTouched, false); }

private:
    void touched(const Op& op);
    OpStore& m_replica;
    ServerStore& m_store;
    OpStore::Batch& m_batch;
    std::int64_t m_now;
    std::int64_t m_head = 0;
    std::set<core::EntityId> m_plansTouched;
    bool m_orgTouched = false;
};

/// Who may read which plan, kept in memory so a sync settles a site's read access by
/// the changes since its last sync instead of by every plan (DESIGN §5, §6).
struct AccessEntry {
    std::int64_t seq = 0;  // the server seq the change was made at
    core::EntityId plan;
    std::optional<core::PlanFacts> before;  // nullopt: the plan did not exist
};

/// One sync waiting for the group commit.
struct SyncJob {
    core::EntityId member;
    SyncRequest request;
    core::Result<SyncResult> result = core::makeError("internal", "not run");
    bool done = false;
};

struct SyncApi::Impl {
    std::unique_ptr<OpStore> replica;  // the server's op log and field state
    std::unique_ptr<ServerStore> store;
    SyncApiOptions options;

    std::mutex mutex;  // guards replica, store and the caches below

    // Caches of what every sync needs (under mutex). `principals` is cleared when a
    // member or department changes; `plans` and `accessLog` follow every plan write.
    std::map<core::EntityId, core::Principal> principals;
    std::map<core::EntityId, core::PlanFacts> plans;
    std::vector<AccessEntry> accessLog;  // in seq order
    bool cachesStale = false;            // the last loadCaches() failed: catchUp() loads again
    // The seq the caches (plans, principals, access log) reflect: catchUp() reads only
    // what was committed after it. Not `head`, which another instance's commit notice
    // moves before the caches follow.
    std::int64_t cachedSeq = 0;

    // Group commit: syncs queue up; one thread at a time runs every queued sync in one
    // transaction, so concurrent clients share a commit (and its fsync).
    std::mutex queueMutex;
    std::condition_variable queueCv;
    std::vector<SyncJob*> queue;
    bool leaderActive = false;

    // Valid sessions by token hash (own lock; filled from the store on first use), as of
    // the accounts version `sessionsVersion` (ServerStore::accountsVersion).
    std::mutex sessionMutex;
    std::unordered_map<std::string, SessionRecord> sessions;
    std::int64_t sessionsVersion = -1;

    LoginThrottle loginThrottle{kLoginFailureLimit, kLoginAddressFailureLimit, kLoginWindowMs};
    std::unique_ptr<HashGate> hashGate;  // sized from options.loginHashSlots

    std::mutex listenerMutex;
    std::vector<std::function<void(std::int64_t)>> listeners;

    std::mutex metricsMutex;
    std::uint64_t opsApplied = 0;
    std::map<std::string, std::uint64_t> rejections;
    std::map<std::string, std::uint64_t> logins;
    std::uint64_t syncRequests = 0;
    std::uint64_t syncGroups = 0;
    std::atomic<std::int64_t> head{0};

    std::int64_t now() const { return options.wall(); }

    // Reads (under mutex).
    core::Result<core::Principal> principal(const core::EntityId& member);
    /// Loads the plan and access caches from storage (at open, and after a failed commit).
    core::Status loadCaches();
    /// When another process (`tandem-server user …`) committed since we last looked,
    /// reads again what is cached from the database: the caches above, the replica's
    /// own op counter and the seq head. Under mutex; inside the transaction about to
    /// write, so nobody else writes in between.
    core::Status catchUp();
    /// Brings the caches from cachedSeq to what the ops committed since then touched.
    core::Status catchUpFrom(std::int64_t seq);

    /// Runs a sync through the group commit (any thread; takes the locks itself).
    core::Result<SyncResult> sync(const core::EntityId& member, SyncRequest request);

    // Seeding (under mutex, once).
    core::Status seedDemo();

    void countRejection(const std::string& code);
    void notify(std::int64_t cursor);

private:
    void runGroup(const std::vector<SyncJob*>& jobs);
    core::Result<SyncResult> syncOne(OpStore::Batch& batch, const core::EntityId& member, const SyncRequest& request);
    core::Status notePlanChanges(ServerWriter& writer);
    /// `key` encodes `reader` as stored in SiteRecord::reader. Lost plans join
    /// `revoked` (the notices this answer announces); regained ones leave it.
    core::Status settleAccess(const core::Principal& reader, const std::string& key, const SyncRequest& request,
                              const SiteRecord& site, std::map<core::EntityId, Backfill>& backfills,
                              std::vector<core::EntityId>& revoked);
    /// Fills the answer's ops. `delivered`: each backfill the answer carries ops of, as it
    /// stands once the answer is applied (done == upto: complete); `exhausted`: each one
    /// found to have no op left (done == upto). Stores nothing: see commitBackfills.
    core::Status pull(const core::Principal& reader, const SyncRequest& request,
                      const std::map<core::EntityId, Backfill>& backfills,
                      std::map<core::EntityId, Backfill>& delivered, std::map<core::EntityId, Backfill>& exhausted,
                      SyncResult& result);
    /// Records the backfill progress an answer delivered (at once, or once acknowledged),
    /// in the store and in `backfills`, the site's backfills as stored.
    core::Status commitBackfills(const core::SiteId& site, const std::map<core::EntityId, Backfill>& delivered,
                                 std::map<core::EntityId, Backfill>& backfills);
};

/// The push half of a sync (sync_push.cpp): checks and stores the request's ops and
/// derives the server's fields, filling accepted and rejected.
core::Status pushOps(SyncApi::Impl& impl, ServerWriter& writer, const core::Principal& who, const SyncRequest& request,
                     bool siteOwned, SyncResult& result);

/// Ms since the epoch → "YYYY-MM-DD" (UTC), shifted by `days`.
std::string dateFromMs(std::int64_t ms, int days = 0);

}  // namespace tandem::server
