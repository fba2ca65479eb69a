#pragma once
// One throw-away PostgreSQL cluster per test executable (initdb costs seconds, a
// database milliseconds): every test case takes a fresh database on it.

#include <atomic>
#include <string>

#include "pg_cluster.h"

namespace tandem::test {

inline PgCluster& sharedCluster() {
    static PgCluster instance;  // stopped and removed at exit
    return instance;
}

/// A new, empty database on the shared cluster; its URL.
inline std::string freshPgDatabase(const std::string& prefix) {
    static std::atomic<int> counter{0};
    const std::string name = prefix + "_" + std::to_string(++counter);
    sharedCluster().createDatabase(name);
    return sharedCluster().urlFor(name);
}

}  // namespace tandem::test
