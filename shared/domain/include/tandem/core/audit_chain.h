#pragma once
// The audit trail's hash chain (DESIGN §5, §7): each entry's hash is the lowercase
// hex SHA-256 of the UTF-8 bytes of prev_hash (hex text) followed by the RFC 8785
// canonical JSON of the entry without `hash`; the first entry's prev_hash is 64 zeros.
// Shared by the server (writing, /audit/verify) and clients (verifying a listing).
// Pure functions; thread-safe; nothing throws.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tandem/core/canonical_json.h"
#include "tandem/core/result.h"

namespace tandem::core {

inline const std::string kAuditGenesis(64, '0');

struct AuditEntry {
    std::int64_t seq = 0;                // 1, 2, … without gaps
    std::int64_t time = 0;               // ms since the epoch
    std::optional<std::string> actor;    // member id hex; null for the server
    std::string action;                  // signoff, signoff_stale, plan_status, publish, account, permission
    std::optional<std::string> subject;  // entity id hex, or null
    Json details = Json::object();
    std::string prevHash;
    std::string hash;

    /// The entry without `hash`, as hashed and as sent on the wire.
    Json unhashedJson() const;
    /// The wire form, with `hash`.
    Json toJson() const;
    /// Decodes the wire form (bad_request on a missing or mistyped member).
    static Result<AuditEntry> fromJson(const Json& json);
};

/// SHA-256(prev_hash ‖ canonical JSON of the entry without hash), lowercase hex.
Result<std::string> auditEntryHash(const AuditEntry& entry);

struct AuditVerdict {
    bool ok = true;
    std::int64_t entries = 0;
    std::string head = kAuditGenesis;  // hash of the last good entry
    std::int64_t brokenAt = 0;         // the first seq that does not verify (when !ok)
    std::string reason;                // for people; names no values
};

/// Verifies a chain given from its first entry, in order. `expectedCount` and
/// `expectedHead`, when given (the server keeps them apart from the entries), also
/// catch a chain truncated at its end.
AuditVerdict verifyAuditChain(const std::vector<AuditEntry>& entries, std::optional<std::int64_t> expectedCount = {},
                              std::optional<std::string> expectedHead = {});

}  // namespace tandem::core
