#pragma once
// The replica (DESIGN §3–§4): an SQLite file (WAL) holding the operation log, the
// current value of every field with the (hlc, site, n) that won it, and through the
// log every value that ever lost (field history). Local edits are durable when the
// call returns. Remote batches apply in one transaction, idempotently by (site, n).
//
// The same class backs the client replica, tandem-cli and the server's SQLite store
// (the server passes its own site 0 and assigns `seq` to the ops it stores).
//
// Thread contract: a Replica is used from one thread at a time (it owns one SQLite
// connection). Every call reports failure as a Result; nothing throws.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tandem/core/hlc.h"
#include "tandem/core/ids.h"
#include "tandem/core/op.h"
#include "tandem/core/result.h"
#include "tandem/core/sqlite.h"

namespace tandem::core {

/// The current value of a field and the write that set it.
struct FieldValue {
    Json value;
    Hlc hlc;
    SiteId site;
    std::uint64_t n = 0;
};

/// An entity's current state: every field's winning value.
struct Entity {
    EntityId id;
    std::string type;
    std::optional<EntityId> plan;  // plan-scoped types; a plan's plan is itself
    std::map<std::string, FieldValue> fields;

    bool deleted() const;
    /// The field's value, or null when the field was never written.
    const Json& get(const std::string& field) const;
};

/// One value a field has had: the op that wrote it, and whether it is the current one.
struct HistoryEntry {
    Op op;
    bool current = false;
};

/// A value that lost its field's merge, with the write that holds the field now.
struct Overwrite {
    Op lost;
    Op winner;
};

/// An edit the server refused: the op as the user typed it, with the server's answer.
struct RejectedEdit {
    Op op;
    std::string code;
    std::string message;
    std::int64_t rejectedAtMs = 0;
};

enum class ApplyOutcome {
    Applied,    // new: stored, and merged into the field (winning or losing)
    Duplicate,  // already stored with the same content: nothing changed
    Conflict,   // the id is stored with other content: nothing changed (duplicate_id)
};

/// Reads of current entity state: what rules that judge an entity by its neighbours
/// (signable content, approved change requests) need, so they run on any store that
/// holds the merged state (the replica; the server's op store on either database).
/// Thread contract: as the implementation's.
class EntityReader {
public:
    virtual ~EntityReader() = default;
    virtual Result<std::optional<Entity>> entity(const EntityId& id) = 0;
    /// Entities of a type, optionally only those of one plan; deleted ones included.
    virtual Result<std::vector<Entity>> entities(const std::string& type, std::optional<EntityId> plan = {}) = 0;
};

struct ReplicaOptions {
    WallClock wall = systemWallClock();
    RandomSource random = systemRandom();
    /// The site id to write as. Unset: generated on first open and kept in the file.
    std::optional<SiteId> site;
    /// synchronous=FULL (every commit reaches the disk) vs NORMAL (WAL-safe against
    /// crashes of the process, not of the machine).
    bool durable = true;
    /// Run PRAGMA quick_check on open.
    bool checkIntegrity = true;
    /// Index the op log by (plan, seq), for opsOfPlan (the server's backfills).
    bool indexOpsByPlan = false;
};

class Replica final : public EntityReader {
public:
    /// Opens or creates the replica at `path`. A file that is not a Tandem replica,
    /// is corrupt, or has a newer schema version is refused (foreign_file, corrupt,
    /// newer_version) and left untouched.
    static Result<std::unique_ptr<Replica>> open(const std::string& path, ReplicaOptions options = {});
    ~Replica() override;
    Replica(const Replica&) = delete;
    Replica& operator=(const Replica&) = delete;

    static constexpr int kSchemaVersion = 3;

    SiteId site() const { return m_site; }
    HlcClock& clock() { return m_clock; }
    EntityId newEntityId();
    /// The connection, for layers that keep their own tables in the same file and
    /// transactions (the server's accounts and audit trail, the client's session).
    Database& db() { return *m_db; }

    // ---- local edits (each durable on return) ----------------------------------
    /// The fields one edit sets on one entity, in order.
    struct EntityWrite {
        EntityId entity;
        std::string type;
        std::vector<std::pair<std::string, Json>> fields;
    };
    /// Writes fields of entities as new local ops (pending until pushed), in one
    /// transaction: all of them or, on an error, none. Values are not validated here
    /// (see validateField); the plan of a plan-scoped entity comes from its `plan`
    /// field (in the same EntityWrite or stored before).
    Result<std::vector<Op>> write(std::span<const EntityWrite> writes);
    Result<std::vector<Op>> write(const EntityId& entity, const std::string& type,
                                  const std::vector<std::pair<std::string, Json>>& fields);
    Result<Op> write(const EntityId& entity, const std::string& type, const std::string& field, Json value);
    /// A new op of this site (next n, next HLC) that is NOT applied: for a writer that
    /// applies it itself with Batch::apply (the server's derived fields).
    Op stampLocal(const EntityId& entity, const std::string& type, const std::string& field, Json value);

    // ---- remote ops --------------------------------------------------------------
    /// A transaction over which ops are applied one by one (the server validates and
    /// assigns `seq` between them). Rolled back unless committed.
    class Batch {
    public:
        Batch(Batch&& other) noexcept;
        Batch& operator=(Batch&&) = delete;
        ~Batch();

        /// Applies one op. `planHint` names the entity's plan when the op's batch
        /// carries the `plan` field in a later op. `won`, when given, says whether an
        /// Applied op became its field's value; `plan`, the plan its entity is filed
        /// under (a plan's is itself; none for the organisation, or not known yet).
        Result<ApplyOutcome> apply(const Op& op, std::optional<EntityId> planHint = {}, bool* won = nullptr,
                                   std::optional<EntityId>* plan = nullptr);
        Status commit();

        /// A point inside the batch to come back to (the server runs a push again
        /// when a refusal changed what it judged against). rewind() undoes every op
        /// applied since, and the op numbers of this site stamped since; keep() or the
        /// destructor keeps them for the batch to commit or not.
        class Mark {
        public:
            Status rewind();
            Status keep() { return m_savepoint.release(); }

        private:
            friend class Batch;
            Mark(Replica* replica, Savepoint savepoint)
                : m_replica(replica), m_savepoint(std::move(savepoint)), m_nextN(replica->m_nextN) {}
            Replica* m_replica;
            Savepoint m_savepoint;
            std::uint64_t m_nextN;
        };
        Result<Mark> mark();

    private:
        friend class Replica;
        Batch(Replica* replica, Transaction tx) : m_replica(replica), m_tx(std::move(tx)) {}
        Replica* m_replica;
        Transaction m_tx;
        bool m_committed = false;
    };
    Result<Batch> begin();
    /// Applies a batch of remote ops in one transaction; one outcome per op.
    Result<std::vector<ApplyOutcome>> applyRemote(std::span<const Op> ops);

    // ---- pending (unsent local) ops -------------------------------------------------
    Result<std::vector<Op>> pendingOps(std::size_t limit);
    /// The next pending ops to push, in order: as many as fit in `limit` without cutting
    /// one local write to one entity (a record) in two, or that one write alone when it
    /// is larger than `limit`.
    Result<std::vector<Op>> pendingBatch(std::size_t limit);
    Result<std::int64_t> pendingCount();
    /// The server accepted these local ops ("site:n" of our site): no longer pending.
    Status markAccepted(std::span<const std::string> ids);
    /// The server refused a local op: it leaves the log, goes to the rejected list and
    /// the field falls back to the best remaining value (the server's).
    Status markRejected(const std::string& id, const std::string& code, const std::string& message);
    /// Re-stamps every pending op, in order, from the (offset-corrected) clock, after the
    /// device clock proved wrong; fields they won are re-decided.
    Status restampPending();
    Result<std::vector<RejectedEdit>> rejectedEdits();

    // ---- reads ---------------------------------------------------------------------
    Result<std::optional<Entity>> entity(const EntityId& id) override;
    /// Entities of a type, optionally only those of one plan; deleted ones included.
    Result<std::vector<Entity>> entities(const std::string& type, std::optional<EntityId> plan = {}) override;
    Result<std::optional<FieldValue>> field(const EntityId& id, const std::string& field);
    /// Every value the field has had, oldest write first, the current one marked.
    Result<std::vector<HistoryEntry>> history(const EntityId& id, const std::string& field);
    /// Every value of the entity's fields that lost a merge, each with the write that
    /// holds its field now, by field then oldest loser first.
    Result<std::vector<Overwrite>> overwritten(const EntityId& id);
    /// Ops with seq > cursor in seq order, at most `limit`, skipping those whose plan
    /// `readable` refuses (plan is null for organisation types).
    Result<std::vector<Op>> opsAfterSeq(std::int64_t cursor, std::size_t limit,
                                        const std::function<bool(const std::optional<EntityId>&)>& readable);
    /// The stored op with this id, if any.
    Result<std::optional<Op>> storedOp(const SiteId& site, std::uint64_t n);
    /// The highest n stored of a site (0: none).
    Result<std::uint64_t> highestN(const SiteId& site);
    /// The ops of one plan with after < seq <= upto, in seq order, at most `limit`.
    /// Fast with ReplicaOptions::indexOpsByPlan.
    Result<std::vector<Op>> opsOfPlan(const EntityId& plan, std::int64_t after, std::int64_t upto, std::size_t limit);
    /// Canonical JSON of the whole state, {"entities":{id:{"type","plan","fields"}}}
    /// (plan: the plan the entity is filed under, or null): byte-identical on replicas
    /// that have seen the same ops, in any order.
    Result<std::string> dump();
    /// Forgets a plan and everything in it (the server revoked read access).
    Status dropPlan(const EntityId& plan);

    /// Another connection (another process) wrote to the file: forgets what this one
    /// caches of it and reads this site's op counter again, so its next op does not
    /// reuse a number the other connection took.
    Status reload();

    // ---- small key/value store for the layers above ----------------------------------
    Result<std::optional<std::string>> meta(const std::string& key);
    Status setMeta(const std::string& key, const std::string& value);

private:
    Replica(std::unique_ptr<Database> db, ReplicaOptions options);
    Status initialise();
    Status loadNextN();
    Result<ApplyOutcome> applyOne(const Op& op, std::optional<EntityId> planHint, bool pending, bool* won = nullptr,
                                  std::optional<EntityId>* planOut = nullptr);
    /// Merges a stored op into its field; true when it became the field's value.
    Result<bool> mergeField(const Op& op, const std::string& valueText);
    Status redecideField(const EntityId& entity, const std::string& field);
    /// Makes sure the entity is in the entities table and returns its plan.
    Result<std::optional<EntityId>> ensureEntity(const Op& op, std::optional<EntityId> hint);

    std::unique_ptr<Database> m_db;
    ReplicaOptions m_options;
    SiteId m_site;
    std::uint64_t m_nextN = 1;
    HlcClock m_clock;
    // Entities known to be stored, with their plan and the earliest write seen (whose
    // type is the entity's type): spares two B-tree lookups per applied op. Cleared
    // whenever a transaction that may have added to it rolls back.
    struct KnownEntity {
        std::optional<EntityId> plan;
        Hlc hlc;  // the earliest write: (hlc, site, n)
        SiteId site;
        std::uint64_t n = 0;
        bool isLaterThan(const Op& op) const { return std::tie(hlc, site, n) > std::tie(op.hlc, op.site, op.n); }
    };
    std::unordered_map<EntityId, KnownEntity, EntityIdHash> m_entities;
};

}  // namespace tandem::core
