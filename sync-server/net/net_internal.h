#pragma once
// Private to net/: what the listener and the sessions share. Includes Asio and Beast,
// so nothing outside net/*.cpp may include it.

#include "http_metrics.h"
#include "http_server.h"
#include "live_hub.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tandem::server {
struct HttpAnswer;
}

namespace tandem::server::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using Request = http::request<http::string_body>;

/// A session that must be told when the server drains. drain() is called from the
/// thread running HttpServer::stop(); implementations post to their strand.
class Drainable {
public:
    virtual ~Drainable() = default;
    virtual void drain() = 0;
};

/// State shared by the listener and every session. Thread-safe where noted.
class ServerState {
public:
    ServerState(Api& api, HttpServerConfig config, asio::thread_pool::executor_type workers);

    Api& api;
    const HttpServerConfig config;
    HttpMetrics metrics;                                      // thread-safe
    const std::shared_ptr<LiveHub> hub = std::make_shared<LiveHub>();  // thread-safe
    asio::ssl::context* tls = nullptr;                       // set before start; null: plain
    const asio::thread_pool::executor_type workers;          // runs Api calls
    std::atomic<bool> stopping{false};

    /// Takes a connection slot if below the cap (thread-safe).
    [[nodiscard]] bool tryOpenConnection();
    void closeConnection();
    /// Waits until no connection is open or the deadline passes; true when none is.
    bool waitForNoConnections(std::chrono::steady_clock::time_point deadline);
    std::size_t openConnections();

    void track(const Drainable* key, std::weak_ptr<Drainable> session);
    void untrack(const Drainable* key);
    /// Calls drain() on every tracked session. Call after setting `stopping`.
    void drainAll();

private:
    std::mutex m_mutex;
    std::condition_variable m_noConnections;
    std::size_t m_connections = 0;
    std::unordered_map<const Drainable*, std::weak_ptr<Drainable>> m_sessions;
};

/// Owned by whatever currently owns a client socket; releases the connection slot on
/// destruction. Passed along from the listener to the HTTP and WebSocket sessions.
class ConnectionSlot {
public:
    explicit ConnectionSlot(std::shared_ptr<ServerState> state) : m_state(std::move(state)) {}
    ~ConnectionSlot() { m_state->closeConnection(); }
    ConnectionSlot(const ConnectionSlot&) = delete;
    ConnectionSlot& operator=(const ConnectionSlot&) = delete;

private:
    std::shared_ptr<ServerState> m_state;
};
using SlotPtr = std::shared_ptr<ConnectionSlot>;
using StatePtr = std::shared_ptr<ServerState>;

/// {"error":{"code","message"}} with `status`, for errors the net layer answers itself.
HttpAnswer netError(int status, const std::string& code, const std::string& message,
                    const std::string& route);

// Session entry points (each defined in the .cpp of its session type, so the heavy
// templates are instantiated once). `buffer` holds bytes already read from the socket.
void runHttpSession(beast::tcp_stream stream, beast::flat_buffer buffer, StatePtr state, SlotPtr slot);
void runHttpSession(TlsStream stream, beast::flat_buffer buffer, StatePtr state, SlotPtr slot);
void runLiveSession(beast::tcp_stream stream, Request request, StatePtr state, SlotPtr slot);
void runLiveSession(TlsStream stream, Request request, StatePtr state, SlotPtr slot);

/// The bound listener; created by HttpServer::start().
class Listener;
std::shared_ptr<Listener> makeListener(asio::io_context& ioc, StatePtr state);
/// Binds and listens; returns "" or why not. Starts accepting on success.
std::string startListener(Listener& listener, const tcp::endpoint& endpoint);
tcp::endpoint listenerEndpoint(const Listener& listener);
/// Stops accepting (thread-safe; posts to the acceptor's strand).
void closeListener(Listener& listener);

}  // namespace tandem::server::net
