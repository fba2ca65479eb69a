#include "http_server.h"

#include "net_internal.h"
#include "net_log.h"
#include "service/api.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <thread>
#include <vector>

namespace tandem::server::net {

// --- ServerState -----------------------------------------------------------------------

ServerState::ServerState(Api& api_, HttpServerConfig config_, asio::thread_pool::executor_type workers_)
    : api(api_), config(std::move(config_)), workers(std::move(workers_)) {}

bool ServerState::tryOpenConnection() {
    std::lock_guard lock(m_mutex);
    if (m_connections >= config.maxConnections) return false;
    ++m_connections;
    metrics.connectionOpened();
    return true;
}

void ServerState::closeConnection() {
    std::lock_guard lock(m_mutex);
    --m_connections;
    metrics.connectionClosed();
    if (m_connections == 0) m_noConnections.notify_all();
}

bool ServerState::waitForNoConnections(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(m_mutex);
    return m_noConnections.wait_until(lock, deadline, [this] { return m_connections == 0; });
}

std::size_t ServerState::openConnections() {
    std::lock_guard lock(m_mutex);
    return m_connections;
}

void ServerState::track(const Drainable* key, std::weak_ptr<Drainable> session) {
    std::lock_guard lock(m_mutex);
    m_sessions[key] = std::move(session);
}

void ServerState::untrack(const Drainable* key) {
    std::lock_guard lock(m_mutex);
    m_sessions.erase(key);
}

void ServerState::drainAll() {
    std::vector<std::shared_ptr<Drainable>> sessions;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& entry : m_sessions) {
            if (auto session = entry.second.lock()) sessions.push_back(std::move(session));
        }
    }
    for (const auto& session : sessions) session->drain();
}

// --- configuration ---------------------------------------------------------------------

namespace {

std::optional<unsigned long long> parseUnsigned(std::string_view text) {
    unsigned long long value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

unsigned hardwareThreads() {
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

std::string applyEnvironment(HttpServerConfig& config) {
    struct Knob {
        const char* name;
        unsigned long long min;
        unsigned long long max;
        std::function<void(unsigned long long)> set;
    };
    const Knob knobs[] = {
        {"TANDEM_BODY_LIMIT", 1024, 1ull << 30, [&](auto v) { config.bodyLimit = v; }},
        {"TANDEM_MAX_CONNECTIONS", 1, 1'000'000, [&](auto v) { config.maxConnections = v; }},
        {"TANDEM_IDLE_TIMEOUT_MS", 10, 3'600'000,
         [&](auto v) { config.idleTimeout = std::chrono::milliseconds(v); }},
        {"TANDEM_HEADER_TIMEOUT_MS", 10, 3'600'000,
         [&](auto v) { config.headerTimeout = std::chrono::milliseconds(v); }},
        {"TANDEM_BODY_TIMEOUT_MS", 10, 3'600'000,
         [&](auto v) { config.bodyTimeout = std::chrono::milliseconds(v); }},
        {"TANDEM_IO_THREADS", 1, 1024, [&](auto v) { config.ioThreads = static_cast<unsigned>(v); }},
        {"TANDEM_WORKER_THREADS", 1, 1024,
         [&](auto v) { config.workerThreads = static_cast<unsigned>(v); }},
    };
    for (const auto& knob : knobs) {
        const char* text = std::getenv(knob.name);
        if (text == nullptr) continue;
        const auto value = parseUnsigned(text);
        if (!value || *value < knob.min || *value > knob.max) {
            return std::string(knob.name) + " must be an integer from " + std::to_string(knob.min) +
                   " to " + std::to_string(knob.max);
        }
        knob.set(*value);
    }
    return {};
}

std::string parseListenAddress(const std::string& text, HttpServerConfig& config) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return "expected HOST:PORT, got '" + text + "'";
    std::string host = text.substr(0, colon);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') return "bad IPv6 address in '" + text + "'";
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
        return "write an IPv6 address in brackets: [::1]:8080";
    }
    const auto port = parseUnsigned(std::string_view(text).substr(colon + 1));
    if (!port || *port > 65535) return "bad port in '" + text + "'";
    config.host = host;
    config.port = static_cast<std::uint16_t>(*port);
    return {};
}

// --- HttpServer ------------------------------------------------------------------------

struct HttpServer::Impl {
    Impl(Api& api_, HttpServerConfig config_)
        : api(api_),
          ioThreads(config_.ioThreads != 0 ? config_.ioThreads : hardwareThreads()),
          workers(config_.workerThreads != 0 ? config_.workerThreads
                                             : std::max(32u, 8 * hardwareThreads())),
          ioc(static_cast<int>(ioThreads)),
          state(std::make_shared<ServerState>(api_, std::move(config_), workers.executor())) {}

    Api& api;
    const unsigned ioThreads;
    // Destroyed in reverse order: the io_context (and with it every session) goes
    // before the worker pool, after both were stopped and joined in stop().
    asio::thread_pool workers;
    std::optional<asio::ssl::context> tls;
    asio::io_context ioc;
    // Keeps run() going when no I/O is pending, e.g. while the acceptor is closed
    // during a drain and the last requests are still with the workers.
    asio::executor_work_guard<asio::io_context::executor_type> keepRunning = asio::make_work_guard(ioc);
    StatePtr state;
    std::shared_ptr<Listener> listener;
    std::vector<std::thread> threads;
    tcp::endpoint bound;
    std::mutex stopMutex;
    bool running = false;
};

HttpServer::HttpServer(Api& api, HttpServerConfig config)
    : m_impl(std::make_unique<Impl>(api, std::move(config))) {}

HttpServer::~HttpServer() {
    stop();
}

std::string HttpServer::start() {
    Impl& impl = *m_impl;
    const HttpServerConfig& config = impl.state->config;
    if (config.tlsCertFile.empty() != config.tlsKeyFile.empty()) {
        return "--tls-cert and --tls-key go together";
    }
    if (!config.tlsCertFile.empty()) {
        impl.tls.emplace(asio::ssl::context::tls_server);
        beast::error_code ec;
        impl.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                                  asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use,
                              ec);
        if (!ec) impl.tls->use_certificate_chain_file(config.tlsCertFile, ec);
        if (ec) return "cannot load the TLS certificate " + config.tlsCertFile + ": " + ec.message();
        impl.tls->use_private_key_file(config.tlsKeyFile, asio::ssl::context::pem, ec);
        if (ec) return "cannot load the TLS key " + config.tlsKeyFile + ": " + ec.message();
        impl.state->tls = &*impl.tls;
    }

    beast::error_code ec;
    tcp::endpoint endpoint;
    const auto address = asio::ip::make_address(config.host, ec);
    if (!ec) {
        endpoint = tcp::endpoint(address, config.port);
    } else {
        tcp::resolver resolver(impl.ioc);
        auto results = resolver.resolve(config.host, std::to_string(config.port), ec);
        if (ec || results.empty()) return "cannot resolve '" + config.host + "': " + ec.message();
        endpoint = results.begin()->endpoint();
    }

    impl.listener = makeListener(impl.ioc, impl.state);
    if (auto error = startListener(*impl.listener, endpoint); !error.empty()) return error;
    impl.bound = listenerEndpoint(*impl.listener);

    // The Api keeps this listener for its lifetime; it holds the hub, not the server.
    impl.api.onCursorAdvanced([hub = impl.state->hub](std::int64_t cursor) { hub->publish(cursor); });

    impl.threads.reserve(impl.ioThreads);
    for (unsigned i = 0; i < impl.ioThreads; ++i) {
        impl.threads.emplace_back([&ioc = impl.ioc] {
            for (;;) {
                try {
                    ioc.run();
                    return;
                } catch (const std::exception& error) {
                    // Handlers do not throw by design; if one does, log and keep serving.
                    logEvent("error", "handler_exception", {{"what", error.what()}});
                }
            }
        });
    }
    {
        std::lock_guard lock(impl.stopMutex);
        impl.running = true;
    }
    logEvent("info", "listening",
             {{"url", url()},
              {"io_threads", impl.ioThreads},
              {"max_connections", config.maxConnections},
              {"body_limit", config.bodyLimit}});
    return {};
}

std::uint16_t HttpServer::port() const {
    return m_impl->bound.port();
}

std::string HttpServer::url() const {
    const auto address = m_impl->bound.address();
    const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return (m_impl->state->tls != nullptr ? "https://" : "http://") + host + ":" +
           std::to_string(m_impl->bound.port());
}

void HttpServer::stop() {
    Impl& impl = *m_impl;
    std::lock_guard lock(impl.stopMutex);
    if (!impl.running) return;
    impl.running = false;

    const auto started = std::chrono::steady_clock::now();
    impl.state->stopping.store(true);
    closeListener(*impl.listener);
    impl.state->drainAll();
    logEvent("info", "draining", {{"connections", impl.state->openConnections()}});
    const bool drained =
        impl.state->waitForNoConnections(started + impl.state->config.drainTimeout);
    if (!drained) {
        logEvent("warn", "drain_timeout", {{"connections", impl.state->openConnections()}});
    }
    impl.keepRunning.reset();
    impl.ioc.stop();
    for (auto& thread : impl.threads) thread.join();
    impl.threads.clear();
    // Api calls still queued or running finish before stop() returns.
    impl.workers.join();
    logEvent("info", "stopped",
             {{"ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count()}});
}

}  // namespace tandem::server::net
