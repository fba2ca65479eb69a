#include "tandem/client/client_service.h"

#include <malloc.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "tandem/client/live_listener.h"
#include "tandem/client/server_url.h"

namespace tandem::client {

using core::makeError;

namespace {
constexpr const char* kBoundServerKey = "client.server";
constexpr const char* kBoundMemberKey = "client.member";
constexpr const char* kLastErrorKey = "client.last_sync_error";

std::int64_t metaInt(core::Replica& replica, const char* key) {
    auto v = replica.meta(key);
    if (!v || !*v || (*v)->empty()) return 0;
    return std::strtoll((*v)->c_str(), nullptr, 10);
}
}  // namespace

std::string defaultReplicaDir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/tandem";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/share/tandem";
    return ".tandem";
}

// ---- Context (worker thread only) ------------------------------------------------

void Context::resetTransport() {
    m_transport.reset();
    if (m_session && !m_session->server.empty()) {
        HttpOptions http = m_owner.m_options.http;
        http.cancel = &m_owner.m_stopping;
        m_transport = std::make_unique<HttpClient>(m_session->server, http);
    }
}

core::Result<Session> Context::login(const std::string& url, const std::string& username, const std::string& password) {
    auto parsed = ServerUrl::parse(url);
    if (!parsed) return makeError("bad_url", "the server address must look like http://host:port");
    const std::string base = parsed->base();

    HttpOptions http = m_owner.m_options.http;
    http.cancel = &m_owner.m_stopping;
    auto transport = std::make_unique<HttpClient>(base, http);
    const std::int64_t sentAt = deviceTimeMs(*m_replica);
    auto answer = requestLogin(*transport, username, password);
    const std::int64_t receivedAt = deviceTimeMs(*m_replica);
    if (!answer) {
        if (answer.error().code == "unreachable" || answer.error().code == "network") m_owner.m_online = false;
        return answer.error();
    }
    m_owner.m_online = true;

    auto boundServer = m_replica->meta(kBoundServerKey);
    auto boundMember = m_replica->meta(kBoundMemberKey);
    if (!boundServer) return boundServer.error();
    if (!boundMember) return boundMember.error();
    if ((*boundServer && **boundServer != base) || (*boundMember && **boundMember != answer->session.member)) {
        // Best effort: don't leave the new token valid on the server.
        (void)transport->post("/api/v1/logout", "{}", answer->session.token);
        return makeError("replica_bound",
                         "this replica belongs to another server or user; use another --replica folder");
    }

    Session session = std::move(answer->session);
    session.server = base;
    setPasswordVerifier(session, password);
    if (auto s = m_store->save(session); !s) return s.error();
    if (auto s = m_replica->setMeta(kBoundServerKey, base); !s) return s.error();
    if (auto s = m_replica->setMeta(kBoundMemberKey, session.member); !s) return s.error();

    // Learn the server's clock now, so edits made offline from here on are stamped right.
    const std::int64_t offset = answer->serverTime - (sentAt + (receivedAt - sentAt) / 2);
    if (std::llabs(offset - m_replica->clock().offset()) > m_owner.m_options.sync.skewTolerance.count()) {
        if (auto s = storeClockOffset(*m_replica, offset); !s) return s.error();
        auto pending = m_replica->pendingCount();
        auto inflight = m_replica->meta(kInflightKey);
        if (pending && *pending > 0 && inflight && (!*inflight || (*inflight)->empty()))
            if (auto s = m_replica->restampPending(); !s) return s.error();
    }
    m_session = session;
    m_transport = std::move(transport);
    m_owner.m_lastErrorCode.clear();
    m_owner.m_lastError.clear();
    m_owner.stopLive();  // a listener still holding the old token
    m_owner.updateLive();
    return session;
}

core::Status Context::logout() {
    if (!m_session) return {};
    if (m_transport && m_session->signedIn()) {
        auto r = m_transport->post("/api/v1/logout", "{}", m_session->token);
        (void)r;  // offline: the token is forgotten here all the same
    }
    if (auto s = m_store->remove(); !s) return s;
    m_session.reset();
    m_transport.reset();
    m_owner.updateLive();
    return {};
}

core::Result<SyncReport> Context::sync(bool background) {
    if (!m_session) return makeError("signed_out", "not signed in — run: tandem-cli login URL USERNAME");
    if (!m_session->signedIn())
        return makeError("unauthorized", "your session has expired — sign in again: tandem-cli login URL USERNAME");
    if (!m_transport) resetTransport();
    SyncOptions options = m_owner.m_options.sync;
    options.onProgress = m_owner.m_options.onProgress;
    options.wait = [this, background](std::chrono::milliseconds d) { return m_owner.waitCancellable(d, background); };
    if (background) options.yield = [this] { return m_owner.workQueued(); };
    SyncEngine engine(*m_replica, *m_transport, m_session->token, options);
    engine.setKnownHead(m_owner.m_liveHead.load());
    auto report = engine.sync();
    if (report) m_owner.m_knownCursor = report->cursor;
    // Kept in the replica so the next process knows whether we were online.
    (void)m_replica->setMeta(kLastErrorKey, report ? std::string() : report.error().code);
    if (report) {
        m_owner.m_online = true;
        m_owner.m_lastErrorCode.clear();
        m_owner.m_lastError.clear();
    } else {
        const auto& code = report.error().code;
        m_owner.m_online = !(code == "unreachable" || code == "network" || code == "cancelled");
        m_owner.m_lastErrorCode = code;
        m_owner.m_lastError = report.error().message;
        if (code == "unauthorized") {
            m_session->token.clear();
            m_session->expired = true;
            (void)m_store->save(*m_session);
            m_owner.updateLive();
        }
    }
    return report;
}

bool Context::verifyPassword(const std::string& password) {
    if (!m_session || !checkPassword(*m_session, password)) return false;
    if (verifierNeedsUpgrade(*m_session)) {
        // A verifier from before the policy was raised: the password is known right now,
        // so the file need not wait for the next online sign-in to hold a stronger one.
        Session upgraded = *m_session;
        setPasswordVerifier(upgraded, password);
        if (!upgraded.verifier.empty() && m_store->save(upgraded)) m_session = std::move(upgraded);
    }
    return true;
}

ServiceState Context::state() const {
    ServiceState s;
    if (m_session) {
        s.session = m_session->signedIn() ? SessionState::SignedIn : SessionState::SignInRequired;
        s.server = m_session->server;
        s.username = m_session->username;
    }
    s.online = m_owner.m_online;
    s.live = m_owner.m_liveUp.load();
    s.watching = m_owner.m_watching;
    s.syncing = m_owner.m_syncing;
    if (m_replica) {
        if (auto p = m_replica->pendingCount()) s.pending = *p;
        if (auto r = m_replica->rejectedEdits()) {
            s.rejected = static_cast<std::int64_t>(r->size());
            std::set<core::EntityId> records;
            for (const core::RejectedEdit& edit : *r) records.insert(edit.op.entity);
            s.rejectedRecords = static_cast<std::int64_t>(records.size());
        }
        s.lastSyncMs = metaInt(*m_replica, kLastSyncKey);
        s.cursor = metaInt(*m_replica, kCursorKey);
        if (auto e = m_replica->meta(kLastErrorKey); e && *e) s.lastErrorCode = **e;
    }
    if (!m_owner.m_lastErrorCode.empty()) s.lastErrorCode = m_owner.m_lastErrorCode;
    s.lastError = m_owner.m_lastError;
    return s;
}

// ---- ClientService ------------------------------------------------------------------

ClientService::ClientService(ServiceOptions options)
    : m_options(std::move(options)),
      m_context(*this),
      m_watchBackoff(m_options.watchBackoff, m_options.replica.random) {}

core::Result<std::unique_ptr<ClientService>> ClientService::open(ServiceOptions options) {
    auto service = start(std::move(options));
    if (auto status = service->opened().get(); !status) return status.error();
    return service;
}

std::unique_ptr<ClientService> ClientService::start(ServiceOptions options) {
    std::unique_ptr<ClientService> service(new ClientService(std::move(options)));
    service->m_opened = service->m_openPromise.get_future().share();
    service->m_worker = std::thread([s = service.get()] { s->run(); });
    return service;
}

core::Status ClientService::openReplica() {
    Context& ctx = m_context;
    if (auto s = ensureDirectory(m_options.replicaDir); !s) return s;
    auto replica = core::Replica::open(m_options.replicaDir + "/replica.db", m_options.replica);
    if (!replica) return replica.error();
    ctx.m_replica = std::move(*replica);
    // The folder is 0700 already; the file itself is the user's alone too.
    ::chmod((m_options.replicaDir + "/replica.db").c_str(), 0600);
    if (auto s = loadClockOffset(*ctx.m_replica); !s) return s;
    ctx.m_store = std::make_unique<SessionStore>(m_options.replicaDir);
    auto session = ctx.m_store->load();
    if (!session) return session.error();
    ctx.m_session = std::move(*session);
    ctx.resetTransport();
    publishState();  // what the open read: signed in or not, pending edits
    return {};
}

ClientService::~ClientService() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_worker.joinable()) m_worker.join();
}

void ClientService::post(std::function<void(Context&)> work) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(work));
    }
    m_wake.notify_all();
}

std::future<core::Result<Session>> ClientService::login(std::string url, std::string username, std::string password) {
    return call([url = std::move(url), username = std::move(username), password = std::move(password)](Context& ctx) {
        auto r = ctx.login(url, username, password);
        ctx.m_owner.publishState();
        return r;
    });
}

std::future<core::Status> ClientService::logout() {
    return call([](Context& ctx) {
        auto r = ctx.logout();
        ctx.m_owner.publishState();
        return r;
    });
}

std::future<core::Result<SyncReport>> ClientService::syncNow() {
    return call([](Context& ctx) {
        ClientService& self = ctx.m_owner;
        self.m_syncing = true;
        self.publishState();
        auto r = ctx.sync();
        self.m_syncing = false;
        self.publishState();
        if (self.m_options.onSynced) self.m_options.onSynced(r);
        return r;
    });
}

void ClientService::setWatching(bool watching) {
    m_watchRequested = watching;
    post([watching](Context& ctx) {
        ClientService& self = ctx.m_owner;
        self.m_watching = watching;
        self.m_watchBackoff.reset();
        self.m_nextWatchSync = std::chrono::steady_clock::now();
        self.updateLive();
        self.publishState();
    });
}

void ClientService::localChange() {
    post([](Context& ctx) {
        ClientService& self = ctx.m_owner;
        if (self.m_watching) self.m_syncWanted = true;
        self.publishState();
    });
}

ServiceState ClientService::state() const {
    std::lock_guard lock(m_mutex);
    return m_state;
}

bool ClientService::waitCancellable(std::chrono::milliseconds delay, bool orWork) {
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, delay, [this, orWork] { return m_stopping.load() || (orWork && !m_queue.empty()); });
    return !m_stopping;
}

bool ClientService::workQueued() const {
    std::lock_guard lock(m_mutex);
    return !m_queue.empty();
}

void ClientService::publishState() {
    ServiceState s = m_context.state();
    {
        std::lock_guard lock(m_mutex);
        m_state = s;
    }
    if (s == m_lastPublished) return;
    m_lastPublished = s;
    if (m_options.onState) m_options.onState(s);
}

void ClientService::stopLive() {
    if (m_live) m_live->stop();
    m_live.reset();
    m_liveUp = false;
}

void ClientService::updateLive() {
    const bool want = m_watching && m_options.useLive && m_context.m_session && m_context.m_session->signedIn();
    if (!want) {
        stopLive();
        return;
    }
    if (m_live) return;
    LiveCallbacks callbacks;
    callbacks.onCursor = [this](std::int64_t cursor) {
        m_liveHead = cursor;
        if (cursor <= m_knownCursor) return;  // e.g. the echo of our own push
        m_syncWanted = true;
        m_wake.notify_all();
    };
    callbacks.onConnection = [this](bool up) {
        m_liveUp = up;
        // Catch up at once on (re)connection: frames may have been missed meanwhile.
        m_syncWanted = true;
        post([](Context& ctx) { ctx.m_owner.publishState(); });  // wakes the worker too
    };
    m_live = std::make_unique<LiveListener>(m_context.m_session->server, m_context.m_session->token, callbacks,
                                            m_options.watchBackoff);
    if (!m_live->start()) m_live.reset();
}

void ClientService::watchTick() {
    m_syncWanted = false;
    m_syncing = true;
    publishState();
    auto report = m_context.sync(/*background=*/true);
    m_syncing = false;
    const auto now = std::chrono::steady_clock::now();
    if (report) {
        m_watchBackoff.reset();
        m_nextWatchSync = now + (m_liveUp ? m_options.livePollInterval : m_options.pollInterval);
    } else if (report.error().code == "unauthorized" || report.error().code == "signed_out") {
        m_watching = false;  // nothing to do until the user signs in again
        updateLive();
    } else {
        m_nextWatchSync = now + m_watchBackoff.next();
    }
    publishState();
    if (m_options.onSynced) m_options.onSynced(report);
}

void ClientService::run() {
    core::Status opened = openReplica();
    const bool serving = opened.ok();  // setWatching's job is dropped too: no sync
    if (m_options.onOpened) m_options.onOpened(opened);
    m_openPromise.set_value(std::move(opened));
    // What the loads freed (a plan's snapshot, thousands of entities) goes back to the
    // system once the worker has been idle a moment, not in the middle of a burst of
    // work where it would only cost time (and be taken again).
    constexpr auto kTrimAfterIdle = std::chrono::milliseconds(200);
    constexpr auto kNever = std::chrono::steady_clock::time_point::max();
    auto trimAt = kNever;
    for (;;) {
        std::function<void(Context&)> work;
        bool trimNow = false;
        {
            std::unique_lock lock(m_mutex);
            auto deadline = m_watching ? m_nextWatchSync : std::chrono::steady_clock::now() + std::chrono::hours(1);
            deadline = std::min(deadline, trimAt);
            m_wake.wait_until(lock, deadline, [&] {
                if (m_stopping || !m_queue.empty()) return true;
                if (std::chrono::steady_clock::now() >= trimAt) return true;
                if (!m_watching) return false;
                return m_syncWanted.load() || std::chrono::steady_clock::now() >= m_nextWatchSync;
            });
            if (m_stopping) break;
            if (!m_queue.empty()) {
                work = std::move(m_queue.front());
                m_queue.pop_front();
            } else if (std::chrono::steady_clock::now() >= trimAt) {
                trimNow = true;
                trimAt = kNever;
            }
        }
        if (trimNow) {
            ::malloc_trim(0);
            continue;
        }
        if (work) {
            if (serving) work(m_context);  // else dropped: a call()'s future breaks
            trimAt = std::chrono::steady_clock::now() + kTrimAfterIdle;
            continue;
        }
        if (m_watching && (m_syncWanted || std::chrono::steady_clock::now() >= m_nextWatchSync)) {
            // A /live nudge during backoff still waits for the backoff to end.
            if (!m_syncWanted || m_watchBackoff.attempts() == 0 ||
                std::chrono::steady_clock::now() >= m_nextWatchSync) {
                watchTick();
                trimAt = std::chrono::steady_clock::now() + kTrimAfterIdle;
            } else
                m_syncWanted = false;
        }
    }
    stopLive();
    m_queue.clear();
}

}  // namespace tandem::client
