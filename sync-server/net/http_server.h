#pragma once
// The sync server's HTTP layer: a TCP listener (optionally TLS) serving HTTP/1.1 with
// keep-alive, request limits and gzip, handing each complete request to an Api; the
// /api/v1/live WebSocket; and GET /metrics. Beast and Asio stay behind this header.
//
// Threads: an io_context runs on `ioThreads` threads; Api::handle() and
// Api::authenticate() (which may block on SQLite) run on a separate pool of
// `workerThreads`, so a slow database call never stalls reading or writing other
// connections. Each connection has at most one request in the worker pool at a time
// (no pipelining), so the connection cap bounds the worker queue.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace tandem::server {
class Api;
}

namespace tandem::server::net {

struct HttpServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;      // 0: an ephemeral port
    std::string tlsCertFile;        // PEM chain; with tlsKeyFile, serve TLS
    std::string tlsKeyFile;         // PEM private key
    std::size_t bodyLimit = 8u << 20;               // request body, after gunzip too → 413
    std::size_t headerLimit = 16u << 10;            // request line and headers → 400
    std::size_t maxConnections = 1024;              // more are answered 503 and closed
    std::chrono::milliseconds idleTimeout{30'000};  // keep-alive wait for a next request
    std::chrono::milliseconds headerTimeout{10'000};  // first byte → end of headers
    std::chrono::milliseconds bodyTimeout{60'000};    // end of headers → end of body
    std::chrono::milliseconds writeTimeout{30'000};   // writing one answer
    std::chrono::milliseconds drainTimeout{8'000};    // stop(): in-flight requests to finish
    std::chrono::milliseconds livePingInterval{15'000};  // /live: idle → ping; 2× → drop
    unsigned ioThreads = 0;      // 0: std::thread::hardware_concurrency()
    unsigned workerThreads = 0;  // 0: max(32, 8 × hardware concurrency)
    /// Extra Prometheus text appended to GET /metrics (the domain's metrics); called
    /// on a worker thread. May be empty.
    std::function<std::string()> domainMetrics;
};

/// Overrides limits from the environment, for operators and tests:
/// TANDEM_BODY_LIMIT (bytes), TANDEM_MAX_CONNECTIONS, TANDEM_IDLE_TIMEOUT_MS,
/// TANDEM_HEADER_TIMEOUT_MS, TANDEM_BODY_TIMEOUT_MS, TANDEM_IO_THREADS,
/// TANDEM_WORKER_THREADS. Returns an error message for a malformed value, else "".
[[nodiscard]] std::string applyEnvironment(HttpServerConfig& config);

/// Parses "HOST:PORT" or "[V6]:PORT" into config.host/port. Returns "" or an error.
[[nodiscard]] std::string parseListenAddress(const std::string& text, HttpServerConfig& config);

/// The HTTP server. `api` must outlive the HttpServer. Not copyable.
class HttpServer {
public:
    HttpServer(Api& api, HttpServerConfig config);
    ~HttpServer();  // stop()s if still running
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Loads TLS material, binds, listens and starts the threads. When it returns ""
    /// the server accepts connections; otherwise it returns why it could not start.
    [[nodiscard]] std::string start();

    /// "http://HOST:PORT" (https with TLS) with the port actually bound.
    [[nodiscard]] std::string url() const;
    [[nodiscard]] std::uint16_t port() const;

    /// Graceful stop, callable from any thread, idempotent; blocks until done: stops
    /// accepting, closes idle connections and /live sessions, lets requests whose
    /// headers have arrived finish (up to drainTimeout), then joins all threads. The
    /// Api is not called after stop() returns.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace tandem::server::net
