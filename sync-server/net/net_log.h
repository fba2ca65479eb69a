#pragma once
// Structured one-line logs of the HTTP layer on stderr. Never pass tokens, passwords,
// bodies or field values: only methods, paths without query, statuses, sizes, timings.

#include <nlohmann/json.hpp>

#include <string_view>

namespace tandem::server::net {

/// Writes {"ts":"<UTC ISO 8601>","level":…,"sub":"net","event":…,<fields>} and a
/// newline to stderr as one write. Thread-safe; never throws.
void logEvent(std::string_view level, std::string_view event,
              const nlohmann::ordered_json& fields = nlohmann::ordered_json::object());

}  // namespace tandem::server::net
