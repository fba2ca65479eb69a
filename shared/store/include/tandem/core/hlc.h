#pragma once
// Hybrid logical clock (DESIGN §4): 48-bit physical milliseconds, 16-bit counter,
// packed as (physical_ms << 16) | counter. Compared as unsigned 64-bit numbers.

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tandem::core {

struct Hlc {
    std::uint64_t value = 0;

    static Hlc make(std::uint64_t physicalMs, std::uint16_t counter) { return Hlc{(physicalMs << 16) | counter}; }
    std::uint64_t physicalMs() const { return value >> 16; }
    std::uint16_t counter() const { return static_cast<std::uint16_t>(value & 0xffff); }
    std::string hex() const;
    static std::optional<Hlc> parse(std::string_view hex);

    auto operator<=>(const Hlc&) const = default;
};

/// Milliseconds since the epoch. Injected so tests control time.
using WallClock = std::function<std::int64_t()>;
WallClock systemWallClock();

/// A hybrid logical clock. Not thread-safe: owned by one replica.
/// now() is strictly increasing even when the wall clock goes backwards; when the
/// counter would overflow, the physical part moves one millisecond ahead.
class HlcClock {
public:
    explicit HlcClock(WallClock wall, Hlc last = {});

    /// The next stamp for a local change.
    Hlc now();
    /// Advances past a stamp seen in a remote operation.
    void receive(Hlc remote);
    /// The greatest stamp issued or seen so far.
    Hlc last() const { return m_last; }
    /// The wall clock adjusted by the offset learnt from the server (see setOffset).
    std::int64_t wallMs() const;
    /// Corrects the device clock by offsetMs (server_time - device time) from now on.
    void setOffset(std::int64_t offsetMs) { m_offsetMs = offsetMs; }
    std::int64_t offset() const { return m_offsetMs; }
    /// Forgets the stamps issued so far (used when re-stamping unsent operations
    /// after the device clock proved to be ahead); the next now() starts from `floor`.
    void resetTo(Hlc floor) { m_last = floor; }

private:
    WallClock m_wall;
    Hlc m_last;
    std::int64_t m_offsetMs = 0;
};

}  // namespace tandem::core
