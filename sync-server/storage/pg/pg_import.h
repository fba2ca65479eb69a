#pragma once
// `tandem-server migrate`: copies an organisation from the SQLite file of `--data DIR`
// into an empty PostgreSQL database, table by table and row by row, so that nothing is
// recomputed on the way: ops keep their server seqs, sites, counters and HLCs; the merged
// state (entities, fields, superseded) is copied as it is, so the canonical dump is the
// same; accounts keep their password hashes, sessions their token hashes; the audit chain
// is copied entry by entry with its head, so it verifies as before.
//
// Not copied: the failed-login windows (they expire within a minute and only throttle),
// and what only a client replica keeps (rejected, write_ends, meta: the server's site is
// fixed, its clock restarts from the highest HLC in the op log).
//
// Failures (nothing written to the target in any of them): `not_found` (no tandem.db in
// DIR), what opening the source gives for a file this build does not understand
// (`foreign_file`, `corrupt`, `newer_version`), `not_empty` (the target holds data), and
// the database errors of either side. The source is only read, in one read transaction;
// the target is written in one transaction. An older source is brought to this build's
// schema first, as starting the server on it would.
// Thread contract: a free function; the caller owns both databases for its duration (the
// server on DIR must be stopped, or writes after the snapshot are not moved).

#include <cstdint>
#include <string>
#include <vector>

#include "tandem/core/result.h"

namespace tandem::server::pg {

struct ImportReport {
    /// (table, rows copied) in copy order.
    std::vector<std::pair<std::string, std::int64_t>> tables;
};

core::Result<ImportReport> importFromSqlite(const std::string& dataDir, const std::string& url);

}  // namespace tandem::server::pg
