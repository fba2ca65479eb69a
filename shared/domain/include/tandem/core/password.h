#pragma once
// Password hashing (PBKDF2-HMAC-SHA-256, random 128-bit salt) and bearer tokens
// (random 256 bit; only their SHA-256 is stored). Thread-safe; nothing throws.
// Encoded hash: "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>". Salts and tokens come
// from OpenSSL's CSPRNG, not an injected source: they guard secrets, and no test replays them.
// Used by the server (accounts) and the client (the offline sign-off password check).

#include <string>

#include "tandem/core/result.h"

namespace tandem::core {

inline constexpr int kDefaultPasswordIterations = 120000;

/// A new encoded hash of `password` with a fresh salt.
Result<std::string> hashPassword(const std::string& password, int iterations = kDefaultPasswordIterations);
/// True when `password` matches the encoded hash (constant-time compare). A malformed
/// encoding never matches.
bool verifyPassword(const std::string& password, const std::string& encoded);
/// 64 lowercase hex digits from a CSPRNG; empty if the CSPRNG failed.
std::string newToken();

}  // namespace tandem::core
