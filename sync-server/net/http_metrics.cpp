#include "http_metrics.h"

#include <cstdio>

namespace tandem::server::net {
namespace {

// Label values are route names chosen by code, but escape them anyway (the format
// requires \\, \" and \n to be escaped).
std::string escapeLabel(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string formatDouble(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

}  // namespace

std::string statusClass(int status) {
    if (status < 100 || status > 599) return "other";
    return std::to_string(status / 100) + "xx";
}

void HttpMetrics::recordRequest(const std::string& route, int status, double seconds) {
    std::lock_guard lock(m_mutex);
    Series& series = m_series[{route.empty() ? std::string("unknown") : route, statusClass(status)}];
    ++series.count;
    series.sum += seconds;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            ++series.buckets[i];
            break;
        }
    }
}

std::string HttpMetrics::text() const {
    std::string out;
    out += "# HELP tandem_http_requests_total HTTP requests answered, by route and status class.\n";
    out += "# TYPE tandem_http_requests_total counter\n";
    std::map<std::pair<std::string, std::string>, Series> series;
    {
        std::lock_guard lock(m_mutex);
        series = m_series;
    }
    for (const auto& [key, s] : series) {
        out += "tandem_http_requests_total{route=\"" + escapeLabel(key.first) + "\",status=\"" +
               key.second + "\"} " + std::to_string(s.count) + "\n";
    }
    out += "# HELP tandem_http_request_duration_seconds Time from request headers to the answer written.\n";
    out += "# TYPE tandem_http_request_duration_seconds histogram\n";
    for (const auto& [key, s] : series) {
        const std::string labels =
            "route=\"" + escapeLabel(key.first) + "\",status=\"" + key.second + "\"";
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += s.buckets[i];
            out += "tandem_http_request_duration_seconds_bucket{" + labels + ",le=\"" +
                   formatDouble(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
        }
        out += "tandem_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
               std::to_string(s.count) + "\n";
        out += "tandem_http_request_duration_seconds_sum{" + labels + "} " + formatDouble(s.sum) + "\n";
        out += "tandem_http_request_duration_seconds_count{" + labels + "} " +
               std::to_string(s.count) + "\n";
    }
    out += "# HELP tandem_http_connections Open client connections (HTTP and WebSocket).\n";
    out += "# TYPE tandem_http_connections gauge\n";
    out += "tandem_http_connections " + std::to_string(connections()) + "\n";
    out += "# HELP tandem_http_connections_refused_total Connections refused at the connection cap.\n";
    out += "# TYPE tandem_http_connections_refused_total counter\n";
    out += "tandem_http_connections_refused_total " +
           std::to_string(m_refused.load(std::memory_order_relaxed)) + "\n";
    out += "# HELP tandem_live_sessions Open /api/v1/live WebSocket sessions.\n";
    out += "# TYPE tandem_live_sessions gauge\n";
    out += "tandem_live_sessions " + std::to_string(liveSessions()) + "\n";
    out += "# HELP tandem_live_notifications_total Cursor frames sent to /api/v1/live sessions.\n";
    out += "# TYPE tandem_live_notifications_total counter\n";
    out += "tandem_live_notifications_total " +
           std::to_string(m_liveNotifications.load(std::memory_order_relaxed)) + "\n";
    return out;
}

}  // namespace tandem::server::net
