#pragma once
// Operations (DESIGN §4, §5): one field write, identified by (site, n), stamped with
// an HLC, and their wire JSON codec. One decode function per message; malformed input
// is a Result error (bad_request), never an exception.

#include <cstdint>
#include <optional>
#include <string>

#include "tandem/core/canonical_json.h"
#include "tandem/core/hlc.h"
#include "tandem/core/ids.h"
#include "tandem/core/result.h"

namespace tandem::core {

struct Op {
    SiteId site;
    std::uint64_t n = 0;          // per-site counter, from 1
    EntityId entity;
    std::string type;
    std::string field;
    Json value;                   // string, number, boolean or null
    Hlc hlc;
    std::optional<std::int64_t> seq;      // server sequence, once the server stored it
    std::optional<EntityId> author;       // member who pushed it (null for the server)

    /// "site:n", as ops are referred to in sync answers.
    std::string idString() const;
    /// True when both ops carry the same id, type, entity, field, value and hlc.
    bool sameContent(const Op& other) const;
};

/// Decodes the wire form {site, n, entity, type, field, value, hlc[, seq, author]}.
/// bad_request for a missing member, a member of the wrong JSON type, a non-hex id,
/// n < 1. The value is taken as it is (objects and arrays are invalid_value later, per op).
Result<Op> decodeOp(const Json& json);
/// The wire form; seq and author are written when present (author null for the server site).
Json encodeOp(const Op& op, bool withServerFields = false);
/// Appends encodeOp(op, withServerFields).dump() to `out` without building the JSON
/// object: a pull page is thousands of ops.
void appendOpJson(std::string& out, const Op& op, bool withServerFields = false);

/// Total order that decides a field (DESIGN §4): (hlc, site), then n for the
/// degenerate case of one site reusing a stamp, so every replica picks the same one.
inline bool writeWins(const Op& a, const Op& b) {
    if (a.hlc != b.hlc) return a.hlc > b.hlc;
    if (a.site != b.site) return a.site > b.site;
    return a.n > b.n;
}

}  // namespace tandem::core
