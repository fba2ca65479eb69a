#pragma once
// Fans the Api's cursor advances out to the /api/v1/live sessions. No Beast here.

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace tandem::server::net {

/// A /live session as the hub sees it.
class LiveSubscriber {
public:
    virtual ~LiveSubscriber() = default;
    /// Called from any thread; must not block (the session posts to its strand).
    virtual void notifyCursor(std::int64_t cursor) = 0;
};

/// Thread-safe. Held by shared_ptr: the Api's cursor listener keeps it alive, so it
/// may outlive the server.
class LiveHub {
public:
    void subscribe(const std::shared_ptr<LiveSubscriber>& subscriber);
    void unsubscribe(const LiveSubscriber* subscriber);
    /// Tells every subscriber; older cursors than the latest published are dropped.
    void publish(std::int64_t cursor);

private:
    std::mutex m_mutex;
    std::int64_t m_latest = -1;
    std::unordered_map<const LiveSubscriber*, std::weak_ptr<LiveSubscriber>> m_subscribers;
};

}  // namespace tandem::server::net
