#pragma once
// What the sync service needs of the operation log and the merged field state (DESIGN
// §3–§5), behind an interface so the service does not know which database it runs on:
// write transactions that apply ops one by one with the seq the service assigns,
// savepoints inside them, reads of entities and fields, and the ops a pull or a backfill
// hands out. The merge itself (last writer wins by (hlc, site, n)) belongs to the
// implementation; the service only decides which ops to apply and in what order.
//
// Transactions: every write happens inside a Batch. The ServerStore that comes with an
// OpStore writes through the same connection, so its writes inside a Batch commit or
// roll back with the ops. Reads outside a Batch see the last committed state.
// Thread contract: one thread at a time (the service holds its lock). Failures are
// Results; nothing throws.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tandem/core/ids.h"
#include "tandem/core/op.h"
#include "tandem/core/replica.h"
#include "tandem/core/result.h"

namespace tandem::server {

class OpStore : public core::EntityReader {
public:
    /// One write transaction. Rolled back when destroyed uncommitted. Write batches
    /// are serialised across every process on the database from begin() to commit or
    /// rollback (SQLite: its write lock; PostgreSQL: an advisory transaction lock), so
    /// what the service reads in a batch after catching up is not changed under it,
    /// and seqs become visible in the order they are assigned.
    class Batch {
    public:
        virtual ~Batch() = default;
        /// Applies one op (its `seq` already set by the caller). `planHint` names the
        /// entity's plan when the plan field comes in a later op; `won`, when given,
        /// says whether an Applied op became its field's value.
        virtual core::Result<core::ApplyOutcome> apply(const core::Op& op, std::optional<core::EntityId> planHint = {},
                                                       bool* won = nullptr) = 0;
        virtual core::Status commit() = 0;

        /// A point inside the batch to come back to: rewind() undoes every write since
        /// (ops and store rows) and the server op numbers stamped since; keep() keeps
        /// them for the batch to commit or not. The destructor keeps.
        class Mark {
        public:
            virtual ~Mark() = default;
            virtual core::Status rewind() = 0;
            virtual core::Status keep() = 0;
        };
        virtual core::Result<std::unique_ptr<Mark>> mark() = 0;
    };
    virtual core::Result<std::unique_ptr<Batch>> begin() = 0;

    /// A new id for an entity the server creates.
    virtual core::EntityId newEntityId() = 0;
    /// A new op of the server's site (next n, next HLC), not applied: the caller sets
    /// its seq and applies it with Batch::apply.
    virtual core::Op stampLocal(const core::EntityId& entity, const std::string& type, const std::string& field,
                                core::Json value) = 0;

    // ---- reads ----------------------------------------------------------------------
    virtual core::Result<std::optional<core::FieldValue>> field(const core::EntityId& id, const std::string& field) = 0;
    /// Ops with seq > cursor in seq order, at most `limit`, skipping those whose plan
    /// `readable` refuses (plan is null for organisation types). Never skips a committed
    /// op that a later call with a cursor at or above its seq would not return either.
    virtual core::Result<std::vector<core::Op>> opsAfterSeq(
        std::int64_t cursor, std::size_t limit,
        const std::function<bool(const std::optional<core::EntityId>&)>& readable) = 0;
    /// The ops of one plan with after < seq <= upto, in seq order, at most `limit`.
    virtual core::Result<std::vector<core::Op>> opsOfPlan(const core::EntityId& plan, std::int64_t after,
                                                          std::int64_t upto, std::size_t limit) = 0;
    virtual core::Result<std::optional<core::Op>> storedOp(const core::SiteId& site, std::uint64_t n) = 0;
    /// The highest n stored of a site (0: none).
    virtual core::Result<std::uint64_t> highestN(const core::SiteId& site) = 0;
    /// Canonical JSON of the whole state (core::Replica::dump's format): equal on
    /// stores that hold the same ops, whichever database they are on.
    virtual core::Result<std::string> dump() = 0;

    /// Another connection committed: forget what is cached of the database and read the
    /// server site's op counter again, so the next stamped op does not reuse a number.
    virtual core::Status reload() = 0;

    /// Calls `committed(head)`, on a thread of the store's, when another process committed
    /// a write batch leaving the seq head at `head` (/live across instances). An empty
    /// function stops the watch; it must be stopped before what it calls goes away.
    /// Default: nothing to watch (one process writes an SQLite file at a time, and the
    /// `user …` subcommands do not move /live).
    virtual void watchCommits(std::function<void(std::int64_t)> committed) { (void)committed; }

    /// Prometheus lines (# HELP, # TYPE and samples) about the database itself, for
    /// GET /metrics; empty when there is nothing to say. Any thread.
    virtual std::string metricsText() const { return {}; }
};

}  // namespace tandem::server
