// Accepts connections, enforces the connection cap and, when TLS is configured, tells
// TLS from plain HTTP by the first bytes (Beast's detect_ssl).

#include "net_internal.h"
#include "net_log.h"
#include "service/api.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/detect_ssl.hpp>

#include <string>

namespace tandem::server::net {
namespace {

constexpr std::chrono::seconds kRefusalTime{2};

std::string cannedAnswer(int status, const char* reason, const std::string& code,
                         const std::string& message, const char* extraHeaders) {
    const std::string body = netError(status, code, message, "net").body;
    return "HTTP/1.1 " + std::to_string(status) + " " + reason +
           "\r\nServer: tandem-server\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n" + extraHeaders + "Connection: close\r\n\r\n" + body;
}

/// Writes a fixed answer without reading a request, half-closes, and drops what the
/// client still sends for a moment (so the answer is not lost to a reset).
class RefusalSession : public std::enable_shared_from_this<RefusalSession> {
public:
    RefusalSession(beast::tcp_stream&& stream, std::string answer)
        : m_stream(std::move(stream)), m_answer(std::move(answer)) {}

    void run() {
        m_stream.expires_after(kRefusalTime);
        asio::async_write(m_stream, asio::buffer(m_answer),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return;
                              self->m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
                              self->drop();
                          });
    }

private:
    void drop() {
        m_stream.async_read_some(asio::buffer(m_scratch),
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     if (!ec) self->drop();
                                 });
    }

    beast::tcp_stream m_stream;
    std::string m_answer;
    std::array<char, 4096> m_scratch{};
};

/// With TLS configured: peek at the first bytes, then hand over to the TLS session; a
/// plain-HTTP client on the TLS port gets a 400 telling it to use https.
class DetectSession : public std::enable_shared_from_this<DetectSession> {
public:
    DetectSession(tcp::socket&& socket, StatePtr state, SlotPtr slot)
        : m_stream(std::move(socket)), m_state(std::move(state)), m_slot(std::move(slot)) {}

    void run() {
        asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] {
            self->m_stream.expires_after(self->m_state->config.headerTimeout);
            beast::async_detect_ssl(self->m_stream, self->m_buffer,
                                    beast::bind_front_handler(&DetectSession::onDetect, self));
        });
    }

private:
    void onDetect(beast::error_code ec, bool isTls) {
        if (ec || m_state->stopping.load()) return;
        if (isTls) {
            // Build the TLS stream before handing m_state on: argument order is unspecified.
            TlsStream stream(std::move(m_stream), *m_state->tls);
            runHttpSession(std::move(stream), std::move(m_buffer), std::move(m_state), std::move(m_slot));
            return;
        }
        std::make_shared<RefusalSession>(
            std::move(m_stream),
            cannedAnswer(400, "Bad Request", "bad_request", "this server speaks HTTPS only", ""))
            ->run();
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    StatePtr m_state;
    SlotPtr m_slot;
};

}  // namespace

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(asio::io_context& ioc, StatePtr state)
        : m_ioc(ioc), m_acceptor(asio::make_strand(ioc)), m_state(std::move(state)) {}

    std::string start(const tcp::endpoint& endpoint) {
        beast::error_code ec;
        m_acceptor.open(endpoint.protocol(), ec);
        if (ec) return "cannot open a socket: " + ec.message();
        m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (ec) return "cannot set SO_REUSEADDR: " + ec.message();
        m_acceptor.bind(endpoint, ec);
        if (ec) return "cannot bind " + endpoint.address().to_string() + ":" +
                       std::to_string(endpoint.port()) + ": " + ec.message();
        m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) return "cannot listen: " + ec.message();
        m_endpoint = m_acceptor.local_endpoint(ec);
        if (ec) return "cannot read the bound address: " + ec.message();
        doAccept();
        return {};
    }

    tcp::endpoint endpoint() const { return m_endpoint; }

    void close() {
        asio::post(m_acceptor.get_executor(), [self = shared_from_this()] {
            beast::error_code ec;
            self->m_acceptor.close(ec);
        });
    }

private:
    void doAccept() {
        // Each connection gets its own strand.
        m_acceptor.async_accept(asio::make_strand(m_ioc),
                                beast::bind_front_handler(&Listener::onAccept, shared_from_this()));
    }

    void onAccept(beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !m_acceptor.is_open()) return;
        if (ec) {
            // EMFILE and friends: log and keep accepting; the pending connection stays
            // in the backlog until a descriptor frees up.
            logEvent("error", "accept_failed", {{"error", ec.message()}});
            return doAccept();
        }
        if (m_state->stopping.load()) return;  // the socket closes here
        if (!m_state->tryOpenConnection()) {
            m_state->metrics.connectionRefused();
            logEvent("warn", "connection_refused", {{"reason", "connection cap"}});
            if (m_state->tls == nullptr) {
                std::make_shared<RefusalSession>(
                    beast::tcp_stream(std::move(socket)),
                    cannedAnswer(503, "Service Unavailable", "unavailable",
                                 "too many connections; retry later", "Retry-After: 1\r\n"))
                    ->run();
            }
            return doAccept();
        }
        auto slot = std::make_shared<ConnectionSlot>(m_state);
        if (m_state->tls != nullptr) {
            std::make_shared<DetectSession>(std::move(socket), m_state, std::move(slot))->run();
        } else {
            runHttpSession(beast::tcp_stream(std::move(socket)), beast::flat_buffer{}, m_state,
                           std::move(slot));
        }
        doAccept();
    }

    asio::io_context& m_ioc;
    tcp::acceptor m_acceptor;
    StatePtr m_state;
    tcp::endpoint m_endpoint;
};

std::shared_ptr<Listener> makeListener(asio::io_context& ioc, StatePtr state) {
    return std::make_shared<Listener>(ioc, std::move(state));
}

std::string startListener(Listener& listener, const tcp::endpoint& endpoint) {
    return listener.start(endpoint);
}

tcp::endpoint listenerEndpoint(const Listener& listener) {
    return listener.endpoint();
}

void closeListener(Listener& listener) {
    listener.close();
}

}  // namespace tandem::server::net
