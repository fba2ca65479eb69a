#include "tandem/core/ids.h"

#include <memory>
#include <random>

namespace tandem::core {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;  // uppercase is not the wire form
}

}  // namespace

RandomSource systemRandom() {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}() ^ (std::uint64_t(std::random_device{}()) << 32));
    return [engine] { return (*engine)(); };
}

RandomSource seededRandom(std::uint64_t seed) {
    auto engine = std::make_shared<std::mt19937_64>(seed);
    return [engine] { return (*engine)(); };
}

std::string hex16(std::uint64_t v) {
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kHexDigits[v & 0xf];
    return out;
}

std::optional<std::uint64_t> parseHex16(std::string_view hex) {
    if (hex.size() != 16) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : hex) {
        const int d = hexValue(c);
        if (d < 0) return std::nullopt;
        v = (v << 4) | static_cast<std::uint64_t>(d);
    }
    return v;
}

EntityId EntityId::generate(const RandomSource& random) {
    EntityId id;
    while (id.isNull()) id = EntityId{random(), random()};
    return id;
}

std::optional<EntityId> EntityId::parse(std::string_view hex) {
    if (hex.size() != 32) return std::nullopt;
    auto hi = parseHex16(hex.substr(0, 16));
    auto lo = parseHex16(hex.substr(16));
    if (!hi || !lo) return std::nullopt;
    return EntityId{*hi, *lo};
}

std::string EntityId::hex() const { return hex16(hi) + hex16(lo); }

std::array<unsigned char, 16> EntityId::bytes() const {
    std::array<unsigned char, 16> out{};
    for (int i = 0; i < 8; ++i) {
        out[static_cast<std::size_t>(i)] = static_cast<unsigned char>(hi >> (56 - 8 * i));
        out[static_cast<std::size_t>(8 + i)] = static_cast<unsigned char>(lo >> (56 - 8 * i));
    }
    return out;
}

EntityId EntityId::fromBytes(const void* data) {
    const auto* p = static_cast<const unsigned char*>(data);
    EntityId id;
    for (int i = 0; i < 8; ++i) {
        id.hi = (id.hi << 8) | p[i];
        id.lo = (id.lo << 8) | p[8 + i];
    }
    return id;
}

SiteId SiteId::generate(const RandomSource& random) {
    SiteId id;
    while (id.value == 0) id.value = random();
    return id;
}

std::optional<SiteId> SiteId::parse(std::string_view hex) {
    auto v = parseHex16(hex);
    if (!v) return std::nullopt;
    return SiteId{*v};
}

std::string SiteId::hex() const { return hex16(value); }

}  // namespace tandem::core
