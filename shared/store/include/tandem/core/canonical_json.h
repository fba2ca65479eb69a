#pragma once
// RFC 8785 (JSON Canonicalization Scheme) for the values Tandem uses: objects with
// keys sorted by UTF-16 code units, no whitespace, strings escaped as ECMAScript's
// JSON.stringify does, integers in decimal. Plus SHA-256 helpers (OpenSSL).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "tandem/core/result.h"

namespace tandem::core {

using Json = nlohmann::json;

/// Canonical JSON text of `value`. Fails (invalid_value) on invalid UTF-8 or a
/// non-finite number.
Result<std::string> canonicalJson(const Json& value);

/// Lowercase hex SHA-256 of the bytes.
std::string sha256Hex(std::string_view bytes);

/// Parses JSON text without throwing. Rejects invalid UTF-8 and nesting deeper than
/// maxDepth (bad_request).
Result<Json> parseJson(std::string_view text, int maxDepth = 64);

/// Number of Unicode code points in valid UTF-8 text, or -1 when not valid UTF-8.
long utf8Length(std::string_view text);

}  // namespace tandem::core
