#pragma once
// The sync engine (DESIGN §4, §5): one `sync()` pushes every pending op in batches and
// pulls pages until the server says `more: false`.
//
// - Pulls commit page by page: a page's ops and the new cursor go into the replica in
//   one transaction, so a process killed mid-pull resumes at the last whole page.
// - Pushes are idempotent on the server; an op whose answer was lost is sent again.
//   Before a batch is sent its last `n` is recorded (`client.inflight_n`); pending ops
//   that may already sit on the server are never re-stamped.
// - Clock: every answer's server_time gives the device clock's offset, which the
//   replica clock uses from then on (kept across restarts). When it moved by more than
//   the tolerance, or the server refused ops as `clock_ahead`, the unsent ops are
//   re-stamped (Replica::restampPending) and pushed again: a wrong device date never
//   poisons the future, and is never refused forever.
// - Rejections (other codes) go to the replica's rejected list (the field shows the
//   server's value again). `revoked` plans are dropped.
// - Acknowledged pages (DESIGN §5): every request carries `ack`, the token of the last
//   answer that had one (`client.ack`, "" when none). The token is stored in the same
//   transaction as the page it came with, so a lost answer or a killed process is
//   never acknowledged and the server sends that backfill page or `revoked` again.
// - Each request is retried on network errors, 5xx and 429 with exponential backoff
//   and jitter, up to `maxAttempts`; then sync() fails with `unreachable`, keeping
//   everything done so far. 401 fails at once with `unauthorized` (sign in again).
//
// Thread contract: a SyncEngine and the Replica and Transport it uses belong to one
// thread (ClientService's worker). Callbacks run on that thread. Nothing throws.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tandem/client/backoff.h"
#include "tandem/client/transport.h"
#include "tandem/core/op.h"
#include "tandem/core/replica.h"

namespace tandem::client {

/// Meta keys the client keeps in the replica.
inline constexpr const char* kCursorKey = "client.cursor";
inline constexpr const char* kClockOffsetKey = "client.clock_offset_ms";
inline constexpr const char* kInflightKey = "client.inflight_n";
inline constexpr const char* kLastSyncKey = "client.last_sync_ms";
inline constexpr const char* kAckKey = "client.ack";

struct SyncProgress {
    enum class Phase { Push, Pull };
    Phase phase = Phase::Pull;
    std::int64_t done = 0;
    std::int64_t total = -1;  // -1: unknown
};

/// What a sync or a local write changed in the replica, so a UI refreshes only what
/// shows it (DESIGN §2: models update by rows).
struct ChangeSet {
    std::set<core::EntityId> plans;  // plans with an entity (or the plan itself) changed, or dropped
    bool organisation = false;       // departments, members, calendar days
    bool everything = false;         // fields rolled back by rejections, a new session: anything may differ

    void merge(const ChangeSet& other) {
        plans.insert(other.plans.begin(), other.plans.end());
        organisation |= other.organisation;
        everything |= other.everything;
    }
    bool empty() const { return plans.empty() && !organisation && !everything; }
    bool touchesPlan(const core::EntityId& plan) const { return everything || plans.count(plan) > 0; }
};

struct SyncReport {
    std::int64_t pushed = 0;     // ops sent (first sends and re-sends)
    std::int64_t accepted = 0;
    std::int64_t rejected = 0;   // recorded in the rejected list
    std::int64_t pulled = 0;     // ops received
    std::int64_t restamps = 0;   // times the pending ops were re-stamped
    std::int64_t cursor = 0;
    std::int64_t serverTime = 0;
    std::int64_t clockOffsetMs = 0;
    std::vector<std::string> revoked;
    ChangeSet changes;           // what the pulled pages, rejections and revocations changed
    WireStats wire;              // this sync only
};

struct SyncOptions {
    std::size_t pushBatch = 1000;
    std::size_t pullLimit = 1000;
    /// Attempts per request before giving up with `unreachable` (≥ 1).
    int maxAttempts = 4;
    BackoffPolicy backoff;
    core::RandomSource random = core::systemRandom();
    /// A server_time offset that moved by more than this re-stamps unsent ops.
    std::chrono::milliseconds skewTolerance{2000};
    /// Waits between attempts; returns false when the wait was cancelled.
    std::function<bool(std::chrono::milliseconds)> wait;
    /// Asked before and after each wait between attempts: true ends the retries there,
    /// the last attempt's error standing. The service's background sync yields so to
    /// work queued for its thread, and retries on its own schedule.
    std::function<bool()> yield;
    std::function<void(const SyncProgress&)> onProgress;
};

struct Rejection {
    std::string id;
    std::string code;
    std::string message;
};

/// The answer of POST /api/v1/sync.
struct SyncAnswer {
    std::vector<std::string> accepted;
    std::vector<Rejection> rejected;
    std::vector<core::Op> ops;
    std::int64_t cursor = 0;
    std::int64_t serverTime = 0;
    bool more = false;
    std::vector<core::EntityId> revoked;
    std::string ack;  // the token to send back with the next request; empty: none
};

/// Decodes a sync answer body; bad_response when it is not the §5 shape.
core::Result<SyncAnswer> decodeSyncAnswer(const std::string& body);

/// Maps an HTTP answer that is not 200 to an Error (unauthorized, forbidden,
/// payload_too_large, too_many_requests, server_error, http_<status>), using the
/// server's {"error":{code,message}} when present.
core::Error httpError(const HttpResponse& response);

/// Applies the clock offset stored in the replica (call after opening it).
core::Status loadClockOffset(core::Replica& replica);
/// Sets and stores the offset (server time − device time).
core::Status storeClockOffset(core::Replica& replica, std::int64_t offsetMs);
/// The device's own wall time (the replica clock without the learnt offset).
std::int64_t deviceTimeMs(core::Replica& replica);
/// The stored pull cursor (0 when none).
core::Result<std::int64_t> storedCursor(core::Replica& replica);

class SyncEngine {
public:
    SyncEngine(core::Replica& replica, Transport& transport, std::string token, SyncOptions options = {});

    /// Pushes all pending ops and pulls until current. On failure everything committed
    /// so far stays; calling again resumes.
    core::Result<SyncReport> sync();

    /// A cursor known to exist on the server (from /live), for pull progress totals.
    void setKnownHead(std::int64_t head) { m_knownHead = head; }

private:
    core::Result<HttpResponse> postWithRetry(const std::string& body);
    core::Result<SyncAnswer> exchange(const std::vector<core::Op>& ops, std::int64_t cursor, SyncReport& report);
    core::Status applyPage(const SyncAnswer& answer, SyncReport& report);
    core::Status learnServerTime(std::int64_t serverTime, std::int64_t sentAt, std::int64_t receivedAt, bool& moved);
    void progress(SyncProgress::Phase phase, std::int64_t done, std::int64_t total);

    core::Replica& m_replica;
    Transport& m_transport;
    std::string m_token;
    SyncOptions m_options;
    std::int64_t m_knownHead = -1;
    std::int64_t m_measuredOffset = 0;  // from the last answer
};

}  // namespace tandem::client
