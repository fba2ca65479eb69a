#pragma once
// Verifying the server's audit chain (DESIGN §7, `tandem-cli audit verify`, HQ's view):
// the server's own verdict (GET /api/v1/audit/verify) and, for a user who may list the
// whole chain (HQ, admin), the chain recomputed here from its listing
// (core::verifyAuditChain), so a client need not take the server's word for it.
//
// Thread contract: runs on the ClientService worker (takes its Context) and does
// network calls there. Nothing throws. Errors: signed_out (no session or token),
// unreachable / network, http_<status> (client::httpError), bad_response.

#include <optional>

#include "tandem/client/client_service.h"
#include "tandem/core/audit_chain.h"
#include "tandem/core/canonical_json.h"

namespace tandem::client {

struct AuditCheck {
    core::Json server;                        // the answer of /api/v1/audit/verify: {"ok",…}
    std::optional<core::AuditVerdict> local;  // nothing when this user may not list the chain (403)
};
core::Result<AuditCheck> checkAuditChain(Context& ctx);

}  // namespace tandem::client
