#include "tandem/client/backoff.h"

#include <algorithm>

namespace tandem::client {

Backoff::Backoff(BackoffPolicy policy, core::RandomSource random) : m_policy(policy), m_random(std::move(random)) {}

std::chrono::milliseconds Backoff::next() {
    const std::int64_t base = std::max<std::int64_t>(1, m_policy.base.count());
    const std::int64_t cap = std::max<std::int64_t>(base, m_policy.cap.count());
    const int shift = std::min(m_attempt, 30);
    const std::int64_t window = std::min<std::int64_t>(cap, base << shift);
    ++m_attempt;
    // Half fixed, half random: never a zero wait, and clients spread out.
    const std::int64_t half = window / 2;
    const std::int64_t jitter = half > 0 ? static_cast<std::int64_t>(m_random() % static_cast<std::uint64_t>(half + 1)) : 0;
    return std::chrono::milliseconds(window - half + jitter);
}

}  // namespace tandem::client
