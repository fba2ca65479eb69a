#pragma once
// Listens on GET /api/v1/live (DESIGN §5) with a Boost.Beast WebSocket client and
// reports every {"cursor":N} frame. Reconnects on its own with exponential backoff and
// jitter; reports when the socket goes up or down so the owner can fall back to
// polling meanwhile. Plain ws:// only (an https server is polled instead).
//
// Thread contract: owns one I/O thread. start()/stop() from the owner's thread;
// callbacks run on the I/O thread and must be quick (post to your own queue).
// stop() joins the thread; no callback runs after it returns. Nothing throws.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "tandem/client/backoff.h"

namespace tandem::client {

struct LiveCallbacks {
    std::function<void(std::int64_t cursor)> onCursor;
    std::function<void(bool connected)> onConnection;
};

class LiveListener {
public:
    /// `baseUrl` as stored in the session ("http://host:port[/prefix]").
    LiveListener(std::string baseUrl, std::string token, LiveCallbacks callbacks, BackoffPolicy backoff = {});
    ~LiveListener();
    LiveListener(const LiveListener&) = delete;
    LiveListener& operator=(const LiveListener&) = delete;

    /// False when the URL cannot be listened on (not http://); nothing started then.
    bool start();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace tandem::client
