#pragma once
// The permission rules of DESIGN §6 run on the client before a local write: the same
// core::mayWrite the server runs, on the facts this replica holds, so an offline client
// refuses what the server would refuse, with the same message. Call it on the thread
// that owns the replica (ClientService's worker). Never throws.

#include <string>
#include <utility>
#include <vector>

#include "tandem/core/permissions.h"
#include "tandem/core/replica.h"

namespace tandem::client {

/// Judges writing `fields` (in order) to entity `id` of type `type` as member `member`.
/// Refused: the first field the server would refuse (`forbidden`, with its message).
/// Allowed when this replica cannot judge — it does not hold the member or the plan yet
/// (before the first sync) — so the server decides. Fails only on a replica read error.
core::Result<core::Decision> judgeLocalWrite(core::Replica& replica, const core::EntityId& member,
                                             const core::EntityId& id, const std::string& type,
                                             const std::vector<std::pair<std::string, core::Json>>& fields);

}  // namespace tandem::client
