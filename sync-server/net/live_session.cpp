// GET /api/v1/live: a WebSocket that sends {"cursor":N} text frames — the current
// cursor on connect, then each time the server cursor advances. Incoming messages are
// read and ignored (so pings, pongs and close frames are processed).

#include "net_internal.h"
#include "net_log.h"
#include "service/api.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <string>

namespace tandem::server::net {
namespace {

namespace websocket = beast::websocket;

constexpr std::size_t kMaxIncomingMessage = 4096;
constexpr std::chrono::seconds kHandshakeTimeout{5};

template <class NextLayer>
class LiveSession : public std::enable_shared_from_this<LiveSession<NextLayer>>,
                    public LiveSubscriber,
                    public Drainable {
public:
    LiveSession(NextLayer&& stream, StatePtr state, SlotPtr slot)
        : m_ws(std::move(stream)), m_state(std::move(state)), m_slot(std::move(slot)) {}

    ~LiveSession() override {
        m_state->hub->unsubscribe(this);
        m_state->untrack(this);
        if (m_open) {
            m_state->metrics.liveClosed();
            logEvent("info", "live_closed");
        }
    }

    void run(Request request) {
        m_state->track(this, this->shared_from_this());
        asio::dispatch(m_ws.get_executor(), [self = this->shared_from_this(),
                                             request = std::move(request)]() mutable {
            self->onRun(std::move(request));
        });
    }

    void notifyCursor(std::int64_t cursor) override {
        asio::post(m_ws.get_executor(),
                   [self = this->shared_from_this(), cursor] { self->enqueue(cursor); });
    }

    void drain() override {
        asio::post(m_ws.get_executor(), [self = this->shared_from_this()] { self->onDrain(); });
    }

private:
    void onRun(Request request) {
        if (m_state->stopping.load()) return;
        // The WebSocket stream has its own timeouts; turn the TCP stream's off.
        beast::get_lowest_layer(m_ws).expires_never();
        websocket::stream_base::timeout timeout{};
        timeout.handshake_timeout = kHandshakeTimeout;
        // Nothing heard for half of this → ping; nothing for all of it → drop.
        timeout.idle_timeout = 2 * m_state->config.livePingInterval;
        timeout.keep_alive_pings = true;
        m_ws.set_option(timeout);
        m_ws.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& response) { response.set(http::field::server, "tandem-server"); }));
        m_ws.read_message_max(kMaxIncomingMessage);
        m_ws.async_accept(request,
                          beast::bind_front_handler(&LiveSession::onAccept, this->shared_from_this()));
    }

    void onAccept(beast::error_code ec) {
        if (ec) {
            logEvent("info", "live_handshake_failed", {{"error", ec.message()}});
            return;
        }
        m_open = true;
        m_state->metrics.liveOpened();
        m_state->hub->subscribe(this->shared_from_this());
        // Subscribed first, then read the head: an advance in between is not missed
        // (enqueue() keeps the newest of the two).
        asio::post(m_state->workers, [self = this->shared_from_this()] {
            std::int64_t cursor = -1;
            try {
                cursor = self->m_state->api.cursor();
            } catch (const std::exception&) {
                cursor = -1;
            }
            if (cursor >= 0) self->notifyCursor(cursor);
        });
        doRead();
    }

    void doRead() {
        m_ws.async_read(m_readBuffer,
                        beast::bind_front_handler(&LiveSession::onRead, this->shared_from_this()));
    }

    void onRead(beast::error_code ec, std::size_t) {
        if (ec) return;  // closed by the client, timed out (no pong), or drained
        m_readBuffer.consume(m_readBuffer.size());
        doRead();
    }

    void enqueue(std::int64_t cursor) {
        if (!m_open || m_closing || cursor <= m_queued) return;
        m_queued = cursor;
        if (!m_writing) doWrite();
    }

    void doWrite() {
        m_frame = "{\"cursor\":" + std::to_string(m_queued) + "}";
        m_sent = m_queued;
        m_writing = true;
        m_ws.text(true);
        m_ws.async_write(asio::buffer(m_frame),
                         beast::bind_front_handler(&LiveSession::onWrite, this->shared_from_this()));
    }

    void onWrite(beast::error_code ec, std::size_t) {
        m_writing = false;
        if (ec) return;
        m_state->metrics.liveNotified();
        if (m_closing) return doCloseFrame();
        if (m_queued > m_sent) doWrite();
    }

    void onDrain() {
        if (!m_open) {
            beast::error_code ec;
            beast::get_lowest_layer(m_ws).socket().close(ec);
            return;
        }
        if (m_closing) return;
        m_closing = true;
        // One write at a time: a frame being sent finishes first.
        if (!m_writing) doCloseFrame();
    }

    void doCloseFrame() {
        m_ws.async_close(websocket::close_code::going_away,
                         [self = this->shared_from_this()](beast::error_code) {});
    }

    websocket::stream<NextLayer> m_ws;
    StatePtr m_state;
    SlotPtr m_slot;
    beast::flat_buffer m_readBuffer;
    std::string m_frame;
    std::int64_t m_queued = -1;  // newest cursor to announce
    std::int64_t m_sent = -1;    // newest cursor written or being written
    bool m_open = false;
    bool m_writing = false;
    bool m_closing = false;
};

template <class NextLayer>
void startLive(NextLayer&& stream, Request request, StatePtr state, SlotPtr slot) {
    std::make_shared<LiveSession<NextLayer>>(std::move(stream), std::move(state), std::move(slot))
        ->run(std::move(request));
}

}  // namespace

void runLiveSession(beast::tcp_stream stream, Request request, StatePtr state, SlotPtr slot) {
    startLive(std::move(stream), std::move(request), std::move(state), std::move(slot));
}

void runLiveSession(TlsStream stream, Request request, StatePtr state, SlotPtr slot) {
    startLive(std::move(stream), std::move(request), std::move(state), std::move(slot));
}

}  // namespace tandem::server::net
