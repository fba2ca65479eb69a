#pragma once
// Password hashing (PBKDF2-HMAC-SHA-256, random 128-bit salt) and bearer tokens
// (random 256 bit; only their SHA-256 is stored). Thread-safe; nothing throws.
// Encoded hash: "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>". Salts and tokens come
// from OpenSSL's CSPRNG, not an injected source: they guard secrets, and no test replays them.
// Used by the server (accounts) and the client (the offline sign-off password check).
//
// The encoding carries its own iteration count, so raising the policy never breaks a
// stored hash: it still verifies, and needsRehash() tells that it is weaker than the
// policy, so its owner can store a new one the next time the password is known.

#include <optional>
#include <string>

#include "tandem/core/result.h"

namespace tandem::core {

/// The policy for new hashes: OWASP's 2023 figure for PBKDF2-HMAC-SHA-256 (0.1 used 120,000
/// on the server and 100,000 for the client's verifier; those hashes still verify).
inline constexpr int kDefaultPasswordIterations = 600000;

/// A new encoded hash of `password` with a fresh salt.
Result<std::string> hashPassword(const std::string& password, int iterations = kDefaultPasswordIterations);
/// True when `password` matches the encoded hash (constant-time compare). A malformed
/// encoding never matches.
bool verifyPassword(const std::string& password, const std::string& encoded);
/// The iteration count of an encoded hash, or nullopt when it is malformed.
std::optional<int> passwordIterations(const std::string& encoded);
/// True when the encoded hash is weaker than a new one at `iterations` would be (fewer
/// iterations) or malformed. A stronger hash than the policy is never "weaker".
bool needsRehash(const std::string& encoded, int iterations = kDefaultPasswordIterations);
/// 64 lowercase hex digits from a CSPRNG; empty if the CSPRNG failed.
std::string newToken();

}  // namespace tandem::core
