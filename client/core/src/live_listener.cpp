#include "tandem/client/live_listener.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <optional>
#include <thread>

#include "tandem/client/server_url.h"
#include "tandem/core/canonical_json.h"

namespace tandem::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// One connection attempt after another, all on the I/O thread. Errors are
// error_codes; each leads to reconnect() after a backoff delay.
struct LiveListener::Impl {
    Impl(ServerUrl u, std::string t, LiveCallbacks c, BackoffPolicy b)
        : url(std::move(u)), token(std::move(t)), callbacks(std::move(c)), backoff(b), resolver(ioc), timer(ioc) {}

    ServerUrl url;
    std::string token;
    LiveCallbacks callbacks;
    Backoff backoff;
    asio::io_context ioc;
    tcp::resolver resolver;
    asio::steady_timer timer;
    std::optional<websocket::stream<beast::tcp_stream>> ws;
    beast::flat_buffer buffer;
    bool connected = false;
    std::thread thread;

    void connect() {
        ws.emplace(ioc);
        buffer.clear();
        resolver.async_resolve(url.host, url.port, [this](beast::error_code ec, tcp::resolver::results_type results) {
            if (ec) return reconnect();
            beast::get_lowest_layer(*ws).expires_after(std::chrono::seconds(5));
            beast::get_lowest_layer(*ws).async_connect(results, [this](beast::error_code ec2, tcp::endpoint) {
                if (ec2) return reconnect();
                beast::get_lowest_layer(*ws).expires_never();
                ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
                const std::string auth = "Bearer " + token;
                ws->set_option(websocket::stream_base::decorator([auth](websocket::request_type& req) {
                    req.set(beast::http::field::authorization, auth);
                    req.set(beast::http::field::user_agent, "tandem-client");
                }));
                ws->async_handshake(url.host + ":" + url.port, url.prefix + "/api/v1/live", [this](beast::error_code ec3) {
                    if (ec3) return reconnect();
                    connected = true;
                    backoff.reset();
                    if (callbacks.onConnection) callbacks.onConnection(true);
                    read();
                });
            });
        });
    }

    void read() {
        ws->async_read(buffer, [this](beast::error_code ec, std::size_t) {
            if (ec) return reconnect();
            const std::string text = beast::buffers_to_string(buffer.data());
            buffer.consume(buffer.size());
            auto json = core::parseJson(text);
            if (json && json->is_object()) {
                auto c = json->find("cursor");
                if (c != json->end() && c->is_number_integer() && callbacks.onCursor) callbacks.onCursor(c->get<std::int64_t>());
            }
            read();
        });
    }

    void reconnect() {
        if (connected) {
            connected = false;
            if (callbacks.onConnection) callbacks.onConnection(false);
        }
        beast::error_code ignored;
        if (ws) beast::get_lowest_layer(*ws).socket().close(ignored);
        timer.expires_after(backoff.next());
        timer.async_wait([this](beast::error_code ec) {
            if (!ec) connect();
        });
    }
};

LiveListener::LiveListener(std::string baseUrl, std::string token, LiveCallbacks callbacks, BackoffPolicy backoff) {
    auto url = ServerUrl::parse(baseUrl);
    if (url && url->scheme == "http")
        m_impl = std::make_unique<Impl>(std::move(*url), std::move(token), std::move(callbacks), backoff);
}

LiveListener::~LiveListener() { stop(); }

bool LiveListener::start() {
    if (!m_impl || m_impl->thread.joinable()) return m_impl != nullptr;
    Impl* impl = m_impl.get();
    asio::post(impl->ioc, [impl] { impl->connect(); });
    impl->thread = std::thread([impl] {
        try {
            impl->ioc.run();
        } catch (...) {
            // Nothing may escape the I/O thread; the owner keeps polling.
        }
    });
    return true;
}

void LiveListener::stop() {
    if (!m_impl || !m_impl->thread.joinable()) return;
    m_impl->ioc.stop();
    m_impl->thread.join();
    m_impl->ws.reset();
}

}  // namespace tandem::client
