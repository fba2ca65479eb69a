#include "test_client.h"

#include "net/gzip.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

#include <nlohmann/json.hpp>

#include <cctype>

namespace tandem::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Runs the io_context until the started operation completes (its handler sets `done`).
void runUntil(asio::io_context& ioc, const bool& done) {
    ioc.restart();
    while (!done && ioc.run_one() > 0) {
    }
}

}  // namespace

std::string HttpResult::header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

std::string HttpResult::errorCode() const {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object() || !json.contains("error") || !json["error"].is_object()) return {};
    const auto& failure = json["error"];
    if (!failure.contains("code") || !failure["code"].is_string()) return {};
    if (!failure.contains("message") || !failure["message"].is_string()) return {};
    return failure["code"].get<std::string>();
}

// --- HttpConnection ------------------------------------------------------------------------

struct HttpConnection::Impl {
    asio::io_context ioc;
    beast::tcp_stream stream{ioc};
    beast::flat_buffer buffer;
    std::string host;
    std::chrono::milliseconds timeout;
    bool connected = false;
};

HttpConnection::HttpConnection(const std::string& host, std::uint16_t port,
                               std::chrono::milliseconds timeout)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->host = host;
    m_impl->timeout = timeout;
    beast::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(host, ec), port);
    if (ec) return;
    m_impl->stream.expires_after(timeout);
    bool done = false;
    m_impl->stream.async_connect(endpoint, [&](beast::error_code connectEc) {
        ec = connectEc;
        done = true;
    });
    runUntil(m_impl->ioc, done);
    m_impl->connected = !ec;
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::connected() const {
    return m_impl->connected;
}

bool HttpConnection::sendRaw(const std::string& bytes) {
    beast::error_code ec;
    bool done = false;
    m_impl->stream.expires_after(m_impl->timeout);
    asio::async_write(m_impl->stream, asio::buffer(bytes), [&](beast::error_code writeEc, std::size_t) {
        ec = writeEc;
        done = true;
    });
    runUntil(m_impl->ioc, done);
    return !ec;
}

HttpResult HttpConnection::readResponse() {
    HttpResult result;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1u << 30);
    beast::error_code ec;
    bool done = false;
    m_impl->stream.expires_after(m_impl->timeout);
    http::async_read(m_impl->stream, m_impl->buffer, parser, [&](beast::error_code readEc, std::size_t) {
        ec = readEc;
        done = true;
    });
    runUntil(m_impl->ioc, done);
    if (ec) {
        result.error = ec.message();
        return result;
    }
    auto response = parser.release();
    result.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
        result.headers[lower(field.name_string())] = std::string(field.value());
    }
    result.body = std::move(response.body());
    return result;
}

HttpResult HttpConnection::request(const std::string& method, const std::string& target,
                                   const std::string& body, const Headers& headers) {
    std::string text = method + " " + target + " HTTP/1.1\r\nHost: " + m_impl->host + "\r\n";
    bool hasLength = false;
    for (const auto& [name, value] : headers) {
        text += name + ": " + value + "\r\n";
        if (lower(name) == "content-length" || lower(name) == "transfer-encoding") hasLength = true;
    }
    if (!hasLength && (!body.empty() || method == "POST" || method == "PUT")) {
        text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    text += "\r\n";
    text += body;
    if (!sendRaw(text)) {
        HttpResult result;
        result.error = "write failed";
        return result;
    }
    return readResponse();
}

bool HttpConnection::waitClosedByPeer(std::chrono::milliseconds timeout) {
    beast::error_code ec;
    std::size_t got = 0;
    bool done = false;
    char byte = 0;
    m_impl->stream.expires_after(timeout);
    m_impl->stream.async_read_some(asio::buffer(&byte, 1), [&](beast::error_code readEc, std::size_t n) {
        ec = readEc;
        got = n;
        done = true;
    });
    runUntil(m_impl->ioc, done);
    if (ec == beast::error::timeout) return false;
    return ec && got == 0;  // EOF or reset
}

HttpResult httpRequest(const std::string& host, std::uint16_t port, const std::string& method,
                       const std::string& target, const std::string& body, const Headers& headers) {
    HttpConnection connection(host, port);
    if (!connection.connected()) {
        HttpResult result;
        result.error = "connect failed";
        return result;
    }
    return connection.request(method, target, body, headers);
}

// --- LiveClient ----------------------------------------------------------------------------

struct LiveClient::Impl {
    asio::io_context ioc;
    websocket::stream<beast::tcp_stream> ws{ioc};
    beast::flat_buffer buffer;
    std::string host;
    std::uint16_t port = 0;
    std::chrono::milliseconds timeout;
    bool connected = false;
};

LiveClient::LiveClient(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->host = host;
    m_impl->port = port;
    m_impl->timeout = timeout;
    beast::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(host, ec), port);
    if (ec) return;
    bool done = false;
    auto& lowest = beast::get_lowest_layer(m_impl->ws);
    lowest.expires_after(timeout);
    lowest.async_connect(endpoint, [&](beast::error_code connectEc) {
        ec = connectEc;
        done = true;
    });
    runUntil(m_impl->ioc, done);
    m_impl->connected = !ec;
}

LiveClient::~LiveClient() = default;

int LiveClient::handshake(const std::string& target, const std::string& authorization) {
    if (!m_impl->connected) return 0;
    m_impl->ws.set_option(websocket::stream_base::decorator([authorization](websocket::request_type& req) {
        if (!authorization.empty()) req.set(http::field::authorization, authorization);
    }));
    websocket::response_type response;
    beast::error_code ec;
    bool done = false;
    beast::get_lowest_layer(m_impl->ws).expires_after(m_impl->timeout);
    m_impl->ws.async_handshake(response, m_impl->host + ":" + std::to_string(m_impl->port), target,
                               [&](beast::error_code handshakeEc) {
                                   ec = handshakeEc;
                                   done = true;
                               });
    runUntil(m_impl->ioc, done);
    if (!ec) {
        beast::get_lowest_layer(m_impl->ws).expires_never();
        m_impl->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    }
    return static_cast<int>(response.result_int());
}

namespace {

/// One WebSocket read that gives up after `timeout`: the read's error code, and
/// whether the time ran out.
template <class Impl>
std::pair<beast::error_code, bool> readFrame(Impl& impl, std::chrono::milliseconds timeout) {
    beast::error_code ec;
    bool done = false;
    bool timedOut = false;
    impl.buffer.clear();
    asio::steady_timer timer(impl.ioc, timeout);
    timer.async_wait([&](beast::error_code timerEc) {
        if (!timerEc && !done) {
            timedOut = true;
            beast::get_lowest_layer(impl.ws).cancel();
        }
    });
    impl.ws.async_read(impl.buffer, [&](beast::error_code readEc, std::size_t) {
        ec = readEc;
        done = true;
        timer.cancel();
    });
    runUntil(impl.ioc, done);
    impl.ioc.restart();
    impl.ioc.poll();
    return {ec, timedOut};
}

}  // namespace

std::optional<std::string> LiveClient::readText(std::chrono::milliseconds timeout) {
    const auto [ec, timedOut] = readFrame(*m_impl, timeout);
    if (ec || timedOut) return std::nullopt;
    return beast::buffers_to_string(m_impl->buffer.data());
}

bool LiveClient::waitClosed(std::chrono::milliseconds timeout) {
    // Keep reading: a close frame ends the read with websocket::error::closed.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        const auto [ec, timedOut] = readFrame(*m_impl, left);
        if (timedOut) return false;
        if (ec) return ec == websocket::error::closed || ec == asio::error::eof;
    }
}

HttpResult httpsGet(const std::string& host, std::uint16_t port, const std::string& target) {
    HttpResult result;
    asio::io_context ioc;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
    beast::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(host, ec), port);
    if (ec) {
        result.error = ec.message();
        return result;
    }
    http::request<http::empty_body> request(http::verb::get, target, 11);
    request.set(http::field::host, host);
    http::response<http::string_body> response;
    beast::flat_buffer buffer;
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(20));
    // connect → handshake → write → read, each step only after the one before worked.
    beast::get_lowest_layer(stream).async_connect(endpoint, [&](beast::error_code connectEc) {
        if ((ec = connectEc)) return;
        stream.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code handshakeEc) {
            if ((ec = handshakeEc)) return;
            http::async_write(stream, request, [&](beast::error_code writeEc, std::size_t) {
                if ((ec = writeEc)) return;
                http::async_read(stream, buffer, response,
                                 [&](beast::error_code readEc, std::size_t) { ec = readEc; });
            });
        });
    });
    ioc.run();
    if (ec) {
        result.error = ec.message();
        return result;
    }
    result.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
        result.headers[lower(field.name_string())] = std::string(field.value());
    }
    result.body = std::move(response.body());
    return result;
}

std::string gzipText(const std::string& text) {
    std::string out;
    if (!server::net::gzip(text, out)) return {};
    return out;
}

std::string gunzipText(const std::string& data) {
    std::string out;
    if (server::net::gunzip(data, 1u << 30, out) != server::net::InflateStatus::ok) return {};
    return out;
}

}  // namespace tandem::test
