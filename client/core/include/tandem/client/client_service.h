#pragma once
// ClientService: the client's one owner of the replica, the session and the network
// (DESIGN §2, §5). The app's Qt adaptor and tandem-cli both drive it.
//
// Thread contract
// - The service owns one worker thread. The Replica, the SessionStore, the HTTP
//   connection and the sync engine live on it and are touched nowhere else: every
//   SQLite and network call happens there, never on the caller's (GUI) thread.
// - Callers hand work to it: `call(fn)` runs fn(Context&) on the worker, in order, and
//   returns a std::future of fn's result; `post(fn)` is the same without a result.
//   Intent helpers (login, logout, syncNow, setWatching) are built on those.
// - In watch mode the worker also syncs by itself: at once when /live reports that the
//   server cursor moved past ours, every `pollInterval` while the socket is down, and
//   with exponential backoff and jitter while the server is unreachable.
// - Callbacks (onState, onProgress, onSynced, onOpened) run on the worker thread; a GUI adaptor
//   marshals them to its own thread (e.g. QMetaObject::invokeMethod, queued).
// - The destructor stops watching, cancels a transfer in flight, and joins; queued
//   work not yet started is dropped (its futures report broken_promise).
// Nothing throws across this interface; failures are core::Results.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "tandem/client/backoff.h"
#include "tandem/client/http_client.h"
#include "tandem/client/session.h"
#include "tandem/client/sync_engine.h"
#include "tandem/core/replica.h"

namespace tandem::client {

enum class SessionState {
    SignedOut,       // never signed in, or signed out: local work only
    SignedIn,        // a token we believe is good
    SignInRequired,  // the server refused the token (401): sign in again
};

/// A snapshot of what a UI shows in its status bar.
struct ServiceState {
    SessionState session = SessionState::SignedOut;
    std::string server;
    std::string username;
    bool online = false;  // the last contact with the server succeeded
    bool live = false;    // the /live socket is connected
    bool watching = false;
    bool syncing = false;
    std::int64_t pending = 0;
    std::int64_t rejected = 0;          // refused ops (fields), as `tandem-cli rejected` lists them
    std::int64_t rejectedRecords = 0;   // the records they belong to: what the app counts
    std::int64_t lastSyncMs = 0;
    std::int64_t cursor = 0;
    std::string lastErrorCode;  // empty when the last sync succeeded
    std::string lastError;

    bool operator==(const ServiceState&) const = default;
};

struct ServiceOptions {
    std::string replicaDir;
    core::ReplicaOptions replica;
    HttpOptions http;
    SyncOptions sync;  // onProgress and wait are set by the service
    /// Sync this often while watching and /live is down.
    std::chrono::milliseconds pollInterval{10000};
    /// …and this often while /live is up, in case a frame was missed.
    std::chrono::milliseconds livePollInterval{120000};
    /// Between failed syncs while watching.
    BackoffPolicy watchBackoff{std::chrono::milliseconds(500), std::chrono::milliseconds(30000)};
    bool useLive = true;
    std::function<void(const ServiceState&)> onState;
    std::function<void(const SyncProgress&)> onProgress;
    std::function<void(const core::Result<SyncReport>&)> onSynced;
    std::function<void(const core::Status&)> onOpened;  // the replica's open, done (start())
};

class ClientService;

/// The replica folder of the app and tandem-cli unless told otherwise:
/// $XDG_DATA_HOME/tandem, else ~/.local/share/tandem.
std::string defaultReplicaDir();

/// What work running on the worker thread may use. Valid only inside call()/post().
class Context {
public:
    core::Replica& replica() { return *m_replica; }
    /// The stored session, if any (signed in, or expired).
    const std::optional<Session>& session() const { return m_session; }
    /// Signs in and binds the replica to that server and user. A replica already bound
    /// to another server or member is refused (replica_bound).
    core::Result<Session> login(const std::string& url, const std::string& username, const std::string& password);
    /// Signs out on the server (best effort) and forgets the token.
    core::Status logout();
    /// One full sync (see SyncEngine). unauthorized → SignInRequired. A `background`
    /// sync (the watch loop's) stops retrying an unreachable server as soon as other
    /// work is queued, so an offline app's pages never wait out its backoff.
    core::Result<SyncReport> sync(bool background = false);
    /// Checks the password against the one used to sign in (works offline). A verifier
    /// weaker than the current policy that matches is replaced by one at the policy and
    /// saved (best effort: the check's answer stands either way).
    bool verifyPassword(const std::string& password);
    /// The HTTP connection to the session's server, or null when signed out.
    Transport* transport() { return m_transport.get(); }
    ServiceState state() const;

private:
    friend class ClientService;
    explicit Context(ClientService& owner) : m_owner(owner) {}
    void resetTransport();

    ClientService& m_owner;
    std::unique_ptr<core::Replica> m_replica;
    std::unique_ptr<SessionStore> m_store;
    std::optional<Session> m_session;
    std::unique_ptr<HttpClient> m_transport;
};

class ClientService {
public:
    /// Creates the replica folder (0700) if needed, opens `replica.db` in it and the
    /// stored session, on the worker thread; fails when the replica cannot be opened.
    static core::Result<std::unique_ptr<ClientService>> open(ServiceOptions options);
    /// The same without waiting: the worker opens the replica first, then serves the
    /// work posted meanwhile, in order; `opened` says how the open went. After a failed
    /// open the service runs no work (a call()'s future reports a broken promise) and
    /// never syncs. For a GUI that builds its window while the replica opens.
    static std::unique_ptr<ClientService> start(ServiceOptions options);
    std::shared_future<core::Status> opened() const { return m_opened; }
    ~ClientService();
    ClientService(const ClientService&) = delete;
    ClientService& operator=(const ClientService&) = delete;

    void post(std::function<void(Context&)> work);

    template <class F>
    auto call(F fn) -> std::future<std::invoke_result_t<F&, Context&>> {
        using R = std::invoke_result_t<F&, Context&>;
        auto task = std::make_shared<std::packaged_task<R(Context&)>>(std::move(fn));
        auto future = task->get_future();
        post([task](Context& ctx) { (*task)(ctx); });
        return future;
    }

    std::future<core::Result<Session>> login(std::string url, std::string username, std::string password);
    std::future<core::Status> logout();
    std::future<core::Result<SyncReport>> syncNow();
    /// Watch mode: stay in sync by /live and polling (see the thread contract).
    void setWatching(bool watching);
    /// Local work changed the replica (an edit): publishes the state (pending edits)
    /// and, while watching, syncs soon so the edit reaches the server.
    void localChange();
    /// The last state reported (thread-safe copy).
    ServiceState state() const;

private:
    friend class Context;
    explicit ClientService(ServiceOptions options);
    void run();
    void watchTick();
    void updateLive();
    void stopLive();
    void publishState();
    /// Waits `delay`; false when the service stops. With `orWork`, also ends (true) when
    /// work is queued.
    bool waitCancellable(std::chrono::milliseconds delay, bool orWork = false);
    bool workQueued() const;

    ServiceOptions m_options;
    Context m_context;
    core::Status openReplica();  // worker thread, first

    std::thread m_worker;
    std::promise<core::Status> m_openPromise;
    std::shared_future<core::Status> m_opened;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void(Context&)>> m_queue;
    std::atomic<bool> m_stopping{false};
    bool m_watching = false;  // worker-only after start
    std::atomic<bool> m_watchRequested{false};
    std::atomic<bool> m_liveUp{false};
    std::atomic<std::int64_t> m_liveHead{-1};
    std::atomic<std::int64_t> m_knownCursor{-1};  // our cursor after the last good sync
    std::atomic<bool> m_syncWanted{false};
    std::chrono::steady_clock::time_point m_nextWatchSync{};
    Backoff m_watchBackoff;
    std::unique_ptr<class LiveListener> m_live;
    bool m_syncing = false;
    ServiceState m_state;                      // guarded by m_mutex
    ServiceState m_lastPublished;              // worker-only
    std::string m_lastErrorCode, m_lastError;  // worker-only
    bool m_online = false;                     // worker-only
};

}  // namespace tandem::client
