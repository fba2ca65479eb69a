#include "live_hub.h"

#include <vector>

namespace tandem::server::net {

void LiveHub::subscribe(const std::shared_ptr<LiveSubscriber>& subscriber) {
    std::lock_guard lock(m_mutex);
    m_subscribers[subscriber.get()] = subscriber;
}

void LiveHub::unsubscribe(const LiveSubscriber* subscriber) {
    std::lock_guard lock(m_mutex);
    m_subscribers.erase(subscriber);
}

void LiveHub::publish(std::int64_t cursor) {
    std::vector<std::shared_ptr<LiveSubscriber>> targets;
    {
        std::lock_guard lock(m_mutex);
        // Listeners fire from concurrent pushes in any order; never announce a cursor
        // older than one already announced.
        if (cursor <= m_latest) return;
        m_latest = cursor;
        targets.reserve(m_subscribers.size());
        for (const auto& entry : m_subscribers) {
            if (auto subscriber = entry.second.lock()) targets.push_back(std::move(subscriber));
        }
    }
    // Outside the lock: a subscriber's last reference may drop here and its destructor
    // calls unsubscribe().
    for (const auto& subscriber : targets) subscriber->notifyCursor(cursor);
}

}  // namespace tandem::server::net
