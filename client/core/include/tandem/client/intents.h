#pragma once
// The client's use cases (DESIGN §1, §6, §7, §8), one API that tandem-cli and the app
// both call. Each write intent first judges every op it would write with the server's
// rules on the replica's facts (core::mayWrite through the shared WriteFacts builder,
// judgeLocalWrites), then writes them in one transaction (Replica::write: all or none).
// A refusal carries the server's code and message ("forbidden", "…"), so the server,
// the CLI and the app say the same thing, offline too. Where the replica cannot judge
// (it does not hold the signed-in member or the plan yet) the server decides. Records
// are written with their closing field last (reported_at, signed_at, posted_at:
// docs/protocol.md, append-only records).
//
// Thread contract: every function takes the worker's Context (ClientService::call /
// post) and runs on the worker thread; none touches the network. Nothing throws.
// Errors: signed_out (no session: nobody to write as), not_found, invalid_value (the
// schema's message), forbidden (the server's message), unauthorized (a wrong password
// for a sign-off), sqlite codes; and where named below.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tandem/client/client_service.h"
#include "tandem/core/ids.h"
#include "tandem/core/permissions.h"
#include "tandem/core/plan_template.h"
#include "tandem/core/result.h"
#include "tandem/core/rules.h"

namespace tandem::client {

/// The signed-in member as the rules see them, from the replica (member entity and the
/// departments they head). signed_out without a session; not_found before the first
/// sync brought the member.
core::Result<core::Principal> signedInPrincipal(Context& ctx);

/// The rules' inputs as of now on this replica: its clock and working calendar (the
/// organisation's calendar_day entities over the built-in one).
core::Result<core::RuleContext> ruleContext(core::Replica& replica);

// ---- generic writes (tandem-cli new / set / delete / restore; the app's conflict restore) --

/// Creates an entity with `fields` (validated; a plan-scoped type needs its `plan`, put
/// first; a change request gets requested_by = me and requested_at = now unless given).
/// unknown_type; missing_plan without a plan; unknown_entity when the replica holds no
/// such plan.
core::Result<core::EntityId> createEntity(Context& ctx, const std::string& type,
                                          std::vector<std::pair<std::string, core::Json>> fields);
/// Writes one field of an existing, mutable entity. immutable for append-only types.
core::Status setField(Context& ctx, const core::EntityId& entity, const std::string& field, const core::Json& value);
/// The `deleted` field (true: delete, false: restore).
core::Status setDeleted(Context& ctx, const core::EntityId& entity, bool deleted);

// ---- field work ------------------------------------------------------------------------

struct ProgressReport {
    core::EntityId task;
    int percent = 0;   // 0–100
    std::string note;  // each optional: empty is not written
    std::string problem;
    std::string solution;
    std::string nextStep;
};
/// Appends a progress entry (author = me, reported_at = now, last) and sets the task's
/// percent, in one transaction. not_a_task when `task` is something else.
core::Result<core::EntityId> logProgress(Context& ctx, const ProgressReport& report);

/// A task's execution fields (DESIGN §6), written together; unset ones are left alone.
/// With a percent or a note, a progress entry records the update too (the note has no
/// field of its own on a task), as logProgress does; its percent is the new one, else
/// the task's current one (none when the task has none).
struct TaskUpdate {
    core::EntityId task;
    std::optional<int> percent;
    std::optional<std::string> status;        // not_started, in_progress, done, delayed, blocked
    std::optional<std::string> actualFinish;  // "YYYY-MM-DD"; "" clears it
    std::string note;
};
core::Status updateTask(Context& ctx, const TaskUpdate& update);

/// Whether `me` may write each execution field of `task` (for enabling controls): the
/// decision of core::mayWrite, with its message when refused. not_a_task.
core::Result<core::Decision> mayUpdateTask(Context& ctx, const core::EntityId& task);

// ---- sign-offs (DESIGN §7) ---------------------------------------------------------------

enum class SignMeaning { Approve, Reject, Acknowledge };
std::string signMeaningName(SignMeaning meaning);  // "approve", …
std::optional<SignMeaning> parseSignMeaning(std::string_view name);

/// May `me` sign `subject` (a plan or a change request) with `meaning`? Judged as the
/// sign-off would be, before any password is asked. not_signable for anything else.
core::Result<core::Decision> maySign(Context& ctx, const core::EntityId& subject, SignMeaning meaning);

struct SignedOff {
    core::EntityId signoff;
    std::string contentHash;  // of the subject as this replica sees it
};
/// Checks `password` against the session's verifier (offline too: unauthorized and
/// nothing written when wrong), then appends the sign-off: plan, subject, signer = me,
/// department = mine, meaning, content_hash, comment (when given), signed_at last.
/// not_signable for anything but a plan or a change request.
core::Result<SignedOff> signOff(Context& ctx, const core::EntityId& subject, SignMeaning meaning,
                                const std::string& comment, const std::string& password);

// ---- the plan's lifecycle (DESIGN §6, rules.md) -------------------------------------------

struct Acceptance {
    bool pass = false;
    std::optional<bool> completeness, accuracy, timeliness;  // pass/fail per check
    std::string note;
    std::string rectification;  // required when !pass (整改), refused when pass
};
/// Writes the acceptance checklist and result; pass also moves the plan to done; fail
/// sets rectification_due 2 working days from today on this replica's calendar.
/// Returns that due date ("" for a pass). invalid_value for a failed check on a pass,
/// a missing rectification on a fail, or one given with a pass. not_a_plan.
core::Result<std::string> recordAcceptance(Context& ctx, const core::EntityId& plan, const Acceptance& acceptance);
/// Writes the retrospective (when given), then status archived. not_a_plan.
core::Status archivePlan(Context& ctx, const core::EntityId& plan, const std::string& retrospective);
/// Moves a plan to `status` (submit for review, withdraw, publish): mayChangePlanStatus.
/// not_a_plan.
core::Status movePlan(Context& ctx, const core::EntityId& plan, const std::string& status);

// ---- change requests (DESIGN §6, §7) ------------------------------------------------------

struct ChangeRequestDraft {
    core::EntityId plan;
    std::string title, reason, impact, proposal;  // empty ones are not written
    bool submit = false;                          // file it straight into review (open → in_review in one go)
};
/// Files a change request (requested_by = me, requested_at = now). unknown_entity when
/// the replica holds no such plan.
core::Result<core::EntityId> fileChangeRequest(Context& ctx, const ChangeRequestDraft& draft);
/// open ↔ in_review by the requester or the owner; approved → applied by the owner.
/// not_a_change_request.
core::Status moveChangeRequest(Context& ctx, const core::EntityId& request, const std::string& status);

// ---- new plans -----------------------------------------------------------------------------

/// A new plan from the standard template (core::standardPlanTemplate), led by my
/// department with me as owner, starting `start`; judged and written whole. forbidden
/// (the server's message) for a member without a department.
core::Result<core::EntityId> createPlanFromTemplate(Context& ctx, const std::string& title,
                                                    const std::vector<core::EntityId>& participants,
                                                    core::CalendarDate start, core::Language language);

}  // namespace tandem::client
