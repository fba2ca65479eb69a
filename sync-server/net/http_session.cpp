// One HTTP/1.1 connection (plain or TLS): read a request within the limits, decode it,
// run it on the worker pool, write the answer, repeat while keep-alive.
// After Boost.Beast's advanced_server_flex example (boost-1.74.0).

#include "gzip.h"
#include "net_internal.h"
#include "net_log.h"
#include "service/api.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <array>
#include <optional>
#include <string_view>
#include <type_traits>

namespace tandem::server::net {
namespace {

constexpr std::string_view kMetricsPath = "/metrics";
constexpr std::string_view kLivePath = "/api/v1/live";
constexpr std::string_view kServerName = "tandem-server";
constexpr std::size_t kFirstReadSize = 4096;
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::chrono::seconds kTlsShutdownTime{5};

bool iequals(std::string_view a, std::string_view b) {
    return beast::iequals(a, b);
}

// Errors of Beast's HTTP parser (as opposed to socket errors).
bool isHttpError(const beast::error_code& ec) {
    return ec.category() == http::make_error_code(http::error::bad_target).category();
}

std::string_view pathOf(std::string_view target) {
    return target.substr(0, target.find('?'));
}

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>>, public Drainable {
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

public:
    HttpSession(Stream&& stream, beast::flat_buffer&& buffer, StatePtr state, SlotPtr slot)
        : m_stream(std::move(stream)),
          m_buffer(std::move(buffer)),
          m_state(std::move(state)),
          m_slot(std::move(slot)) {
        beast::error_code ec;
        auto endpoint = beast::get_lowest_layer(m_stream).socket().remote_endpoint(ec);
        if (!ec) m_remote = endpoint.address().to_string();
    }

    ~HttpSession() override { m_state->untrack(this); }

    void run() {
        m_state->track(this, this->shared_from_this());
        // Start on the strand: the session's handlers all run there.
        asio::dispatch(m_stream.get_executor(),
                       beast::bind_front_handler(&HttpSession::onRun, this->shared_from_this()));
    }

    void drain() override {
        asio::post(m_stream.get_executor(), [self = this->shared_from_this()] { self->onDrain(); });
    }

private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(m_stream); }

    void onRun() {
        if constexpr (kTls) {
            lowest().expires_after(m_state->config.headerTimeout);
            m_stream.async_handshake(
                asio::ssl::stream_base::server, m_buffer.data(),
                beast::bind_front_handler(&HttpSession::onHandshake, this->shared_from_this()));
        } else {
            doRead();
        }
    }

    void onHandshake(beast::error_code ec, std::size_t bytesUsed) {
        if (ec) {
            logEvent("info", "tls_handshake_failed", {{"remote", m_remote}, {"error", ec.message()}});
            return;
        }
        m_buffer.consume(bytesUsed);
        doRead();
    }

    void onDrain() {
        if (m_inRequest) {
            m_closeAfterAnswer = true;  // finish this request, then close
        } else {
            m_draining = true;
            beast::error_code ec;
            lowest().socket().close(ec);  // aborts the pending read
        }
    }

    // --- reading ---------------------------------------------------------------------

    void doRead() {
        m_inRequest = false;
        m_closeAfterAnswer = false;
        m_parser.reset();
        m_method.clear();
        m_path.clear();
        m_keepAlive = false;
        m_gzipAnswer = false;
        if (m_state->stopping.load()) return doClose();
        if (m_buffer.size() > 0) return readHeader();
        // Waiting for the next request: the idle timeout. The header timeout starts with
        // its first byte, so a slow client cannot stretch it.
        lowest().expires_after(m_state->config.idleTimeout);
        m_stream.async_read_some(
            m_buffer.prepare(kFirstReadSize),
            beast::bind_front_handler(&HttpSession::onFirstBytes, this->shared_from_this()));
    }

    void onFirstBytes(beast::error_code ec, std::size_t bytes) {
        if (ec) {
            if (ec == beast::error::timeout) logEvent("debug", "idle_timeout", {{"remote", m_remote}});
            return;  // closed, reset, idle timeout or drained: nothing to answer
        }
        m_buffer.commit(bytes);
        readHeader();
    }

    void readHeader() {
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(m_state->config.headerLimit));
        m_parser->body_limit(m_state->config.bodyLimit);
        lowest().expires_after(m_state->config.headerTimeout);
        http::async_read_header(
            m_stream, m_buffer, *m_parser,
            beast::bind_front_handler(&HttpSession::onHeader, this->shared_from_this()));
    }

    void onHeader(beast::error_code ec, std::size_t) {
        m_started = std::chrono::steady_clock::now();
        if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted) return;
        if (ec == beast::error::timeout) {
            logEvent("info", "header_timeout", {{"remote", m_remote}});
            return;  // the stream's timer already closed the socket
        }
        if (ec == http::error::body_limit) {
            return answerError(413, "payload_too_large", "the request body is larger than " +
                                                             std::to_string(m_state->config.bodyLimit) +
                                                             " bytes");
        }
        if (ec == http::error::header_limit) {
            return answerError(400, "bad_request", "the request line and headers are too large");
        }
        if (isHttpError(ec)) {
            return answerError(400, "bad_request", "malformed HTTP request: " + ec.message());
        }
        if (ec) return;  // a socket error: nobody to answer

        m_inRequest = true;
        const auto& header = m_parser->get();
        m_method = std::string(header.method_string());
        m_path = std::string(pathOf(header.target()));
        m_keepAlive = header.keep_alive();
        m_version = header.version();
        m_gzipAnswer = acceptsGzip(header[http::field::accept_encoding]);

        if (!m_parser->is_done() && iequals(header[http::field::expect], "100-continue")) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            lowest().expires_after(m_state->config.writeTimeout);
            return asio::async_write(
                m_stream, asio::buffer(kContinue.data(), kContinue.size()),
                [self = this->shared_from_this()](beast::error_code writeEc, std::size_t) {
                    if (!writeEc) self->readBody();
                });
        }
        readBody();
    }

    void readBody() {
        if (m_parser->is_done()) return onBody({}, 0);
        lowest().expires_after(m_state->config.bodyTimeout);
        http::async_read(m_stream, m_buffer, *m_parser,
                         beast::bind_front_handler(&HttpSession::onBody, this->shared_from_this()));
    }

    void onBody(beast::error_code ec, std::size_t) {
        if (ec == beast::error::timeout) {
            logEvent("info", "body_timeout", {{"remote", m_remote}, {"path", m_path}});
            return;
        }
        if (ec == http::error::body_limit) {
            return answerError(413, "payload_too_large", "the request body is larger than " +
                                                             std::to_string(m_state->config.bodyLimit) +
                                                             " bytes");
        }
        if (ec == http::error::partial_message || ec == http::error::end_of_stream ||
            ec == asio::error::operation_aborted) {
            return;  // the client went away mid-body
        }
        if (isHttpError(ec)) {
            return answerError(400, "bad_request", "malformed HTTP request body: " + ec.message());
        }
        if (ec) return;
        lowest().expires_never();
        dispatchRequest();
    }

    // --- routing -----------------------------------------------------------------------

    void dispatchRequest() {
        Request& message = m_parser->get();
        HttpRequest request;
        request.method = m_method;
        request.target = std::string(message.target());
        request.authorization = std::string(message[http::field::authorization]);
        request.contentType = std::string(message[http::field::content_type]);
        request.remote = m_remote;

        const std::string_view encoding = message[http::field::content_encoding];
        if (encoding.empty() || iequals(encoding, "identity")) {
            request.body = std::move(message.body());
        } else if (iequals(encoding, "gzip") || iequals(encoding, "x-gzip")) {
            switch (gunzip(message.body(), m_state->config.bodyLimit, request.body)) {
            case InflateStatus::ok:
                break;
            case InflateStatus::tooLarge:
                return answerError(413, "payload_too_large",
                                   "the inflated request body is larger than " +
                                       std::to_string(m_state->config.bodyLimit) + " bytes");
            case InflateStatus::corrupt:
                return answerError(400, "bad_request", "the gzip request body is corrupt");
            }
        } else {
            return answerError(400, "bad_request",
                               "unsupported Content-Encoding (only gzip and identity)");
        }
        message.body().clear();

        if (m_path == kMetricsPath) return serveMetrics();
        if (m_path == kLivePath) return serveLive(std::move(request));

        asio::post(m_state->workers, [self = this->shared_from_this(), request = std::move(request)] {
            HttpAnswer answer;
            try {
                answer = self->m_state->api.handle(request);
            } catch (const std::exception&) {
                // Api promises not to throw; if it does, the client gets a bare 500.
                answer = netError(500, "internal", "internal error", "unknown");
            }
            self->answerFromWorker(std::move(answer));
        });
    }

    void serveMetrics() {
        if (m_method != "GET") return answerMethodNotAllowed("metrics");
        asio::post(m_state->workers, [self = this->shared_from_this()] {
            HttpAnswer answer;
            answer.route = "metrics";
            answer.contentType = "text/plain; version=0.0.4; charset=utf-8";
            try {
                answer.body = self->m_state->metrics.text();
                if (self->m_state->config.domainMetrics) {
                    answer.body += self->m_state->config.domainMetrics();
                }
            } catch (const std::exception&) {
                answer = netError(500, "internal", "internal error", "metrics");
            }
            self->answerFromWorker(std::move(answer));
        });
    }

    void serveLive(HttpRequest request) {
        if (m_method != "GET") return answerMethodNotAllowed("live");
        asio::post(m_state->workers, [self = this->shared_from_this(), request = std::move(request)] {
            std::string member;
            try {
                member = self->m_state->api.authenticate(request.authorization);
            } catch (const std::exception&) {
                member.clear();
            }
            asio::post(self->m_stream.get_executor(),
                       [self, authorized = !member.empty()] { self->onLiveAuthenticated(authorized); });
        });
    }

    void onLiveAuthenticated(bool authorized) {
        if (!authorized) {
            return answer(netError(401, "unauthorized", "a valid bearer token is required", "live"));
        }
        if (!beast::websocket::is_upgrade(m_parser->get())) {
            return answer(netError(400, "bad_request",
                                   "/api/v1/live is a WebSocket endpoint: send Upgrade: websocket",
                                   "live"));
        }
        if (m_closeAfterAnswer || m_state->stopping.load()) {
            return answer(netError(503, "unavailable", "the server is shutting down", "live"));
        }
        m_state->metrics.recordRequest("live", 101, secondsSince(m_started));
        logEvent("info", "live_upgrade", {{"remote", m_remote}});
        m_state->untrack(this);
        // The WebSocket session takes the socket and the connection slot over.
        runLiveSession(std::move(m_stream), m_parser->release(), m_state, std::move(m_slot));
    }

    // --- answering ---------------------------------------------------------------------

    // Called on a worker thread. Compressing here keeps large answers (a pull page can
    // be megabytes) off the I/O threads. m_gzipAnswer was set before the request was
    // posted and does not change until its answer is written.
    void answerFromWorker(HttpAnswer answer) {
        compressIfAsked(answer);
        asio::post(m_stream.get_executor(),
                   [self = this->shared_from_this(), answer = std::move(answer)]() mutable {
                       self->answer(std::move(answer));
                   });
    }

    void answerMethodNotAllowed(const std::string& route) {
        HttpAnswer error = netError(405, "method_not_allowed", "use GET", route);
        error.headers["Allow"] = "GET";
        answer(std::move(error));
    }

    // An error found before the request could be handed on: answer and close, since the
    // rest of the stream may be unread or unparseable.
    void answerError(int status, const std::string& code, const std::string& message) {
        m_inRequest = true;
        m_keepAlive = false;
        logEvent("info", "request_refused",
                 {{"remote", m_remote}, {"status", status}, {"code", code}, {"path", m_path}});
        answer(netError(status, code, message, "net"));
    }

    void compressIfAsked(HttpAnswer& answer) const {
        if (!m_gzipAnswer || answer.body.empty() || answer.headers.count("Content-Encoding") != 0) return;
        std::string compressed;
        if (gzip(answer.body, compressed)) {
            answer.body = std::move(compressed);
            answer.headers["Content-Encoding"] = "gzip";
        }
    }

    static double secondsSince(std::chrono::steady_clock::time_point start) {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

    void answer(HttpAnswer answer) {
        auto response = std::make_shared<http::response<http::string_body>>();
        response->version(m_version == 10 ? 10 : 11);
        response->result(static_cast<unsigned>(answer.status));
        response->set(http::field::server, kServerName);
        const bool hasBody = !answer.body.empty();
        if (hasBody || answer.status != 204) {
            response->set(http::field::content_type, answer.contentType);
        }
        compressIfAsked(answer);  // a no-op for answers compressed on a worker
        for (const auto& [name, value] : answer.headers) response->set(name, value);
        if (hasBody) response->set(http::field::vary, "Accept-Encoding");
        response->body() = std::move(answer.body);
        const bool keepAlive = m_keepAlive && !m_closeAfterAnswer && !m_state->stopping.load();
        response->keep_alive(keepAlive);
        response->prepare_payload();

        m_response = response;
        m_answerRoute = answer.route.empty() ? "unknown" : answer.route;
        lowest().expires_after(m_state->config.writeTimeout);
        http::async_write(m_stream, *m_response,
                          beast::bind_front_handler(&HttpSession::onWrite, this->shared_from_this(),
                                                    keepAlive));
    }

    void onWrite(bool keepAlive, beast::error_code ec, std::size_t bytes) {
        const int status = static_cast<int>(m_response->result_int());
        const double seconds = secondsSince(m_started);
        m_state->metrics.recordRequest(m_answerRoute, status, seconds);
        logEvent(status >= 500 ? "error" : "info", "request",
                 {{"remote", m_remote},
                  {"method", m_method},
                  {"path", m_path},
                  {"route", m_answerRoute},
                  {"status", status},
                  {"ms", static_cast<double>(static_cast<long long>(seconds * 1e5)) / 100.0},
                  {"out", bytes}});
        m_response.reset();
        if (ec) return;
        if (!keepAlive) return doClose();
        doRead();
    }

    // --- closing -----------------------------------------------------------------------

    void doClose() {
        beast::error_code ec;
        if constexpr (kTls) {
            lowest().expires_after(kTlsShutdownTime);
            m_stream.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
        } else {
            // Half-close, then read and drop what the client still sends for a moment,
            // so an answer like 413 is not lost to a reset from unread request bytes.
            lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
            if (m_draining || ec) return;
            lowest().expires_after(kLingerTime);
            doLinger();
        }
    }

    void doLinger() {
        lowest().async_read_some(asio::buffer(m_lingerBuffer),
                                 [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                     if (!ec) self->doLinger();
                                 });
    }

    Stream m_stream;
    beast::flat_buffer m_buffer;
    StatePtr m_state;
    SlotPtr m_slot;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::shared_ptr<http::response<http::string_body>> m_response;
    std::array<char, 4096> m_lingerBuffer{};
    std::string m_remote;
    std::string m_method;
    std::string m_path;
    std::string m_answerRoute;
    std::chrono::steady_clock::time_point m_started{};
    unsigned m_version = 11;
    bool m_keepAlive = false;
    bool m_gzipAnswer = false;
    bool m_inRequest = false;       // headers of a request have arrived; it will be answered
    bool m_closeAfterAnswer = false;  // draining: answer this request, then close
    bool m_draining = false;
};

}  // namespace

HttpAnswer netError(int status, const std::string& code, const std::string& message,
                    const std::string& route) {
    HttpAnswer answer;
    answer.status = status;
    answer.contentType = "application/json";
    answer.route = route;
    nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
    answer.body = body.dump();
    return answer;
}

void runHttpSession(beast::tcp_stream stream, beast::flat_buffer buffer, StatePtr state, SlotPtr slot) {
    std::make_shared<HttpSession<beast::tcp_stream>>(std::move(stream), std::move(buffer),
                                                     std::move(state), std::move(slot))
        ->run();
}

void runHttpSession(TlsStream stream, beast::flat_buffer buffer, StatePtr state, SlotPtr slot) {
    std::make_shared<HttpSession<TlsStream>>(std::move(stream), std::move(buffer), std::move(state),
                                             std::move(slot))
        ->run();
}

}  // namespace tandem::server::net
