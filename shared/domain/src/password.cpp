#include "tandem/core/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

namespace tandem::core {

namespace {

std::string toHex(const unsigned char* data, std::size_t size) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(digits[data[i] >> 4]);
        out.push_back(digits[data[i] & 0xf]);
    }
    return out;
}

bool fromHex(std::string_view hex, std::vector<unsigned char>& out) {
    if (hex.size() % 2 != 0) return false;
    out.clear();
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        unsigned value = 0;
        auto [p, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
        if (ec != std::errc() || p != hex.data() + i + 2) return false;
        out.push_back(static_cast<unsigned char>(value));
    }
    return true;
}

bool derive(const std::string& password, const std::vector<unsigned char>& salt, int iterations, unsigned char* out,
            int outLen) {
    return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                             static_cast<int>(salt.size()), iterations, EVP_sha256(), outLen, out) == 1;
}

}  // namespace

Result<std::string> hashPassword(const std::string& password, int iterations) {
    std::vector<unsigned char> salt(16);
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        return makeError("internal", "no randomness for a salt");
    unsigned char hash[32];
    if (!derive(password, salt, iterations, hash, sizeof hash)) return makeError("internal", "PBKDF2 failed");
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + toHex(salt.data(), salt.size()) + "$" +
           toHex(hash, sizeof hash);
}

namespace {

struct DecodedHash {
    int iterations = 0;
    std::vector<unsigned char> salt;
    std::vector<unsigned char> hash;
};

std::optional<DecodedHash> decode(const std::string& encoded) {
    std::string_view rest(encoded);
    constexpr std::string_view prefix = "pbkdf2-sha256$";
    if (rest.substr(0, prefix.size()) != prefix) return std::nullopt;
    rest.remove_prefix(prefix.size());
    auto d1 = rest.find('$');
    if (d1 == std::string_view::npos) return std::nullopt;
    DecodedHash out;
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + d1, out.iterations);
    if (ec != std::errc() || p != rest.data() + d1 || out.iterations < 1) return std::nullopt;
    rest.remove_prefix(d1 + 1);
    auto d2 = rest.find('$');
    if (d2 == std::string_view::npos) return std::nullopt;
    if (!fromHex(rest.substr(0, d2), out.salt) || !fromHex(rest.substr(d2 + 1), out.hash) || out.hash.size() != 32)
        return std::nullopt;
    return out;
}

}  // namespace

bool verifyPassword(const std::string& password, const std::string& encoded) {
    auto decoded = decode(encoded);
    if (!decoded) return false;
    unsigned char hash[32];
    if (!derive(password, decoded->salt, decoded->iterations, hash, sizeof hash)) return false;
    return CRYPTO_memcmp(hash, decoded->hash.data(), sizeof hash) == 0;
}

std::optional<int> passwordIterations(const std::string& encoded) {
    auto decoded = decode(encoded);
    if (!decoded) return std::nullopt;
    return decoded->iterations;
}

bool needsRehash(const std::string& encoded, int iterations) {
    auto current = passwordIterations(encoded);
    return !current || *current < iterations;
}

std::string newToken() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
    return toHex(bytes, sizeof bytes);
}

}  // namespace tandem::core
