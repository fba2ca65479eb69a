#pragma once
// What a sign-off signs (DESIGN §7): the signable content of a plan or a change request,
// read from a replica through the schema's `signable` flags, and its hash. The server
// compares the hash a sign-off carries with its own; a client puts it in the sign-off.
//
// Thread contract: as the EntityReader passed in (one thread at a time). Never throws.
// Errors: unknown_entity (no such entity), invalid_value (neither a plan nor a change
// request), and the replica's read errors.

#include <string>

#include "tandem/core/canonical_json.h"
#include "tandem/core/ids.h"
#include "tandem/core/replica.h"
#include "tandem/core/result.h"

namespace tandem::core {

/// A plan's {"plan":{…},"tasks":{id:{…}},"milestones":{id:{…}}} over its tasks and
/// milestones not deleted, or a change request's {"change_request":{…}}: signable
/// fields only, nulls and absent set members left out.
Result<Json> signableContent(EntityReader& replica, const EntityId& subject);

/// The lowercase hex SHA-256 of the canonical JSON (RFC 8785) of signableContent.
Result<std::string> contentHash(EntityReader& replica, const EntityId& subject);

}  // namespace tandem::core
