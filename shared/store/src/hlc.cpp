#include "tandem/core/hlc.h"

#include <algorithm>
#include <chrono>

#include "tandem/core/ids.h"

namespace tandem::core {

std::string Hlc::hex() const { return hex16(value); }

std::optional<Hlc> Hlc::parse(std::string_view hex) {
    auto v = parseHex16(hex);
    if (!v) return std::nullopt;
    return Hlc{*v};
}

WallClock systemWallClock() {
    return [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
}

HlcClock::HlcClock(WallClock wall, Hlc last) : m_wall(std::move(wall)), m_last(last) {}

std::int64_t HlcClock::wallMs() const { return m_wall() + m_offsetMs; }

Hlc HlcClock::now() {
    const std::uint64_t physical = static_cast<std::uint64_t>(std::max<std::int64_t>(0, wallMs()));
    if (physical > m_last.physicalMs()) {
        m_last = Hlc::make(physical, 0);
    } else if (m_last.counter() == 0xffff) {
        // The counter is exhausted within this millisecond: borrow the next one.
        m_last = Hlc::make(m_last.physicalMs() + 1, 0);
    } else {
        m_last = Hlc{m_last.value + 1};
    }
    return m_last;
}

void HlcClock::receive(Hlc remote) {
    if (remote > m_last) m_last = remote;
}

}  // namespace tandem::core
