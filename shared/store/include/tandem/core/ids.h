#pragma once
// Entity ids (128-bit, 32 lowercase hex on the wire) and site ids (64-bit, 16 hex).
// Randomness is injected (RandomSource) so tests can replay anything.

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tandem::core {

/// A source of random 64-bit words. Default: seeded from std::random_device.
using RandomSource = std::function<std::uint64_t()>;
RandomSource systemRandom();
/// Deterministic source for tests and replays.
RandomSource seededRandom(std::uint64_t seed);

struct EntityId {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;

    static EntityId generate(const RandomSource& random);
    /// Parses exactly 32 lowercase hex digits.
    static std::optional<EntityId> parse(std::string_view hex);
    std::string hex() const;
    /// 16 bytes big-endian (order-preserving), for SQLite BLOB columns.
    std::array<unsigned char, 16> bytes() const;
    static EntityId fromBytes(const void* data);
    bool isNull() const { return hi == 0 && lo == 0; }

    auto operator<=>(const EntityId&) const = default;
};

struct SiteId {
    std::uint64_t value = 0;

    static SiteId generate(const RandomSource& random);  // never 0 (0 is the server)
    /// Parses exactly 16 lowercase hex digits.
    static std::optional<SiteId> parse(std::string_view hex);
    std::string hex() const;

    auto operator<=>(const SiteId&) const = default;
};

/// The site the server writes derived fields from (§5: 0000000000000000).
inline constexpr SiteId kServerSite{0};

/// Formats a 64-bit number as 16 lowercase hex digits; parses it back.
std::string hex16(std::uint64_t v);
std::optional<std::uint64_t> parseHex16(std::string_view hex);

struct EntityIdHash {
    std::size_t operator()(const EntityId& id) const noexcept { return std::hash<std::uint64_t>{}(id.hi ^ (id.lo * 0x9e3779b97f4a7c15ULL)); }
};

}  // namespace tandem::core
