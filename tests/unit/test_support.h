#pragma once
// Helpers shared by the core unit tests: temporary directories, injected
// clocks and randomness, and small builders for operations.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "tandem/core/hlc.h"
#include "tandem/core/ids.h"
#include "tandem/core/op.h"
#include "tandem/core/replica.h"

namespace tandem::test {

/// A fresh directory removed on destruction. Under $TANDEM_TEST_TMP when set,
/// else the system temporary directory.
class TempDir {
public:
    /// `preferred` is used when it is an existing directory and $TANDEM_TEST_TMP is unset
    /// (the property tests prefer /dev/shm, a RAM disk).
    explicit TempDir(const std::string& preferred = {}) {
        namespace fs = std::filesystem;
        const char* base = std::getenv("TANDEM_TEST_TMP");
        std::error_code probe;
        fs::path root = base != nullptr                                       ? fs::path(base)
                        : !preferred.empty() && fs::is_directory(preferred, probe) ? fs::path(preferred)
                                                                              : fs::temp_directory_path();
        static std::mt19937_64 gen{std::random_device{}()};
        for (int attempt = 0; attempt < 100; ++attempt) {
            fs::path candidate = root / ("tandem-test-" + core::hex16(gen()));
            std::error_code ec;
            if (fs::create_directory(candidate, ec)) {
                m_path = candidate;
                return;
            }
        }
        throw std::runtime_error("cannot create a temporary directory");
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

/// A wall clock the test moves by hand.
struct ManualClock {
    std::shared_ptr<std::int64_t> ms = std::make_shared<std::int64_t>(1'700'000'000'000);
    core::WallClock wall() const {
        auto p = ms;
        return [p] { return *p; };
    }
    void set(std::int64_t v) const { *ms = v; }
    void advance(std::int64_t d) const { *ms += d; }
};

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

/// Deterministic entity id from a small number (readable in failure output).
inline core::EntityId entityId(std::uint64_t n) { return core::EntityId{0x1000000000000000ULL, n}; }

inline core::SiteId siteId(std::uint64_t v) { return core::SiteId{v}; }

/// A remote op built by hand.
inline core::Op makeOp(std::uint64_t site, std::uint64_t n, core::EntityId entity, std::string type,
                       std::string field, core::Json value, std::uint64_t physicalMs,
                       std::uint16_t counter = 0) {
    core::Op op;
    op.site = core::SiteId{site};
    op.n = n;
    op.entity = entity;
    op.type = std::move(type);
    op.field = std::move(field);
    op.value = std::move(value);
    op.hlc = core::Hlc::make(physicalMs, counter);
    return op;
}

/// Options for a fast, deterministic replica.
inline core::ReplicaOptions fastOptions(const ManualClock& clock, std::uint64_t site, std::uint64_t seed = 1) {
    core::ReplicaOptions options;
    options.wall = clock.wall();
    options.random = core::seededRandom(seed);
    options.site = core::SiteId{site};
    options.durable = false;
    options.checkIntegrity = false;
    return options;
}

}  // namespace tandem::test
