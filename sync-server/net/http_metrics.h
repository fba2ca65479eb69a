#pragma once
// The HTTP layer's Prometheus metrics (text exposition format 0.0.4). No Beast here.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace tandem::server::net {

/// Counters, gauges and a latency histogram for requests, connections and /live
/// sessions. Thread-safe: every member may be called from any thread.
class HttpMetrics {
public:
    /// Upper bounds of the latency histogram buckets, in seconds (+Inf is implied).
    static constexpr std::array<double, 12> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

    /// One finished request: `route` is a low-cardinality name (Api's HttpAnswer::route
    /// or a net/ name such as "metrics"), `status` the HTTP status sent.
    void recordRequest(const std::string& route, int status, double seconds);

    void connectionOpened() { m_connections.fetch_add(1, std::memory_order_relaxed); }
    void connectionClosed() { m_connections.fetch_sub(1, std::memory_order_relaxed); }
    void connectionRefused() { m_refused.fetch_add(1, std::memory_order_relaxed); }
    void liveOpened() { m_liveSessions.fetch_add(1, std::memory_order_relaxed); }
    void liveClosed() { m_liveSessions.fetch_sub(1, std::memory_order_relaxed); }
    void liveNotified() { m_liveNotifications.fetch_add(1, std::memory_order_relaxed); }

    std::int64_t connections() const { return m_connections.load(std::memory_order_relaxed); }
    std::int64_t liveSessions() const { return m_liveSessions.load(std::memory_order_relaxed); }

    /// The exposition text for everything above, each family with # HELP and # TYPE.
    std::string text() const;

private:
    struct Series {
        std::uint64_t count = 0;
        double sum = 0.0;
        std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative
    };

    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, std::string>, Series> m_series;  // (route, class) → series
    std::atomic<std::int64_t> m_connections{0};
    std::atomic<std::int64_t> m_refused{0};
    std::atomic<std::int64_t> m_liveSessions{0};
    std::atomic<std::int64_t> m_liveNotifications{0};
};

/// "2xx", "4xx", … for a status code.
std::string statusClass(int status);

}  // namespace tandem::server::net
