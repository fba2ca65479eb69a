#pragma once
// Sign-off derivations shared by plans and change requests (DESIGN §7, issue 6): stale
// sign-offs, each department's vote, and a change request's status derived from its
// sign-offs, with their audit entries. Called by the push (sync_push.cpp) inside the
// sync transaction, on its ServerWriter. Not a public API.

#include <map>
#include <optional>
#include <set>
#include <span>

#include "service/service_impl.h"

namespace tandem::server {

/// Writes `stale: true` on `signoff` (site 0) and an audit `signoff_stale` entry about
/// `subject` giving `reason` (content_changed, not_in_review, not_signable).
core::Status markSignoffStale(ServerWriter& writer, const Entity& signoff, const core::EntityId& plan,
                              const core::EntityId& subject, const char* reason);

/// Each department's vote on `subject`: its latest (by `signed_at`, then HLC) current
/// (not stale) `approve` or `reject` sign-off; true for approve. Acknowledgements and
/// deleted records do not vote.
std::map<core::EntityId, bool> departmentVotes(std::span<const Entity> signoffs, const core::EntityId& subject);

/// After a push edited change request `request`, changed its status or signed it: marks
/// stale its sign-offs whose hash is not the request's, and those of `newSignoffs` made
/// while it is not in_review; then derives its status — in_review → rejected when a
/// participating department (core::approvingDepartments) votes reject, in_review →
/// approved when every one votes approve, approved → in_review when an approval went
/// stale — each with an audit `change_request_status` entry (actor null).
core::Status reconcileChangeRequest(core::EntityReader& replica, ServerWriter& writer, const core::EntityId& request,
                                    const std::set<core::EntityId>& newSignoffs);

/// The audit entry of a change request's status change: `change_request_status` with
/// from, to and the request's content hash; `actor` null when the server derived it.
core::Status auditChangeRequestStatus(core::EntityReader& replica, ServerWriter& writer,
                                      std::optional<core::EntityId> actor, const core::EntityId& request,
                                      const core::EntityId& plan, const std::string& from, const std::string& to);

/// The audit entry of an applied change request: `change_applied` about the plan, with
/// the request and the plan's content hash as it stands after the change.
core::Status auditChangeApplied(core::EntityReader& replica, ServerWriter& writer, const core::EntityId& actor,
                                const core::EntityId& request, const core::EntityId& plan);

}  // namespace tandem::server
