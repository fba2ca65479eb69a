#pragma once
// What the benchmarks here share: fail loudly (exit 1, naming the bench), unwrap a
// core::Result, milliseconds of a duration, percentiles. Header-only.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "tandem/core/result.h"

namespace tandem::bench {

using Clock = std::chrono::steady_clock;

/// The name die() prints; each bench sets it first thing in main().
inline const char* g_benchName = "bench";

/// Exits 1 at once (no teardown: a bench that failed has no figure worth a clean exit).
[[noreturn]] inline void die(const std::string& what) {
    std::fprintf(stderr, "%s: %s\n", g_benchName, what.c_str());
    std::fflush(stderr);
    std::_Exit(1);
}

template <class T>
T must(core::Result<T> r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.error().code + ": " + r.error().message);
    return std::move(*r);
}

inline void must(core::Status s, const char* what) {
    if (!s) die(std::string(what) + ": " + s.error().code + ": " + s.error().message);
}

inline double ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

/// The nearest-rank percentile p (0..1) of `v` (not empty).
inline double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
    return v[i];
}

inline double median(std::vector<double> v) {
    return percentile(std::move(v), 0.5);
}

}  // namespace tandem::bench
