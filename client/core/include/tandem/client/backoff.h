#pragma once
// Exponential backoff with full jitter: the n-th delay is uniform in
// [base·2^n / 2, base·2^n], capped at `cap`. Randomness is injected (tests replay it).
// Not thread-safe.

#include <chrono>

#include "tandem/core/ids.h"

namespace tandem::client {

struct BackoffPolicy {
    std::chrono::milliseconds base{200};
    std::chrono::milliseconds cap{30000};
};

class Backoff {
public:
    explicit Backoff(BackoffPolicy policy = {}, core::RandomSource random = core::systemRandom());
    /// The delay before the next attempt; each call doubles the window up to the cap.
    std::chrono::milliseconds next();
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

private:
    BackoffPolicy m_policy;
    core::RandomSource m_random;
    int m_attempt = 0;
};

}  // namespace tandem::client
