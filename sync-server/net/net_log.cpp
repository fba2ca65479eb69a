#include "net_log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace tandem::server::net {
namespace {

std::string utcNow() {
    const auto now = std::chrono::system_clock::now();
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms % 1000));
    return buffer;
}

std::mutex& logMutex() {
    static std::mutex mutex;
    return mutex;
}

}  // namespace

void logEvent(std::string_view level, std::string_view event, const nlohmann::ordered_json& fields) {
    try {
        nlohmann::ordered_json line;
        line["ts"] = utcNow();
        line["level"] = level;
        line["sub"] = "net";
        line["event"] = event;
        if (fields.is_object()) {
            for (const auto& [key, value] : fields.items()) line[key] = value;
        }
        // Replace invalid UTF-8 rather than throw: paths come from clients.
        std::string text =
            line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        text += '\n';
        std::lock_guard lock(logMutex());
        std::fwrite(text.data(), 1, text.size(), stderr);
        std::fflush(stderr);
    } catch (...) {
        // Logging must never take a handler down.
    }
}

}  // namespace tandem::server::net
