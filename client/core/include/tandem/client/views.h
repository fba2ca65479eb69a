#pragma once
// What the app's pages show, read from the replica and judged with the core's rules
// (DESIGN §2: every rule the app shows comes from the core, as the CLI shows it): the
// signed-in member's work, the sign-offs waiting for them, their values another edit
// overwrote, the edits the server refused, and one plan whole. Qt-free: the app's
// models only turn these into rows, and tests read them directly.
//
// Thread contract: like everything on the replica, call these on the client's worker
// thread (ClientService::call). They read only; none touches the network. Nothing
// throws. "Me" is the session's member; before the first sync brought that member,
// the views are empty rather than failing.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tandem/client/client_service.h"
#include "tandem/core/permissions.h"
#include "tandem/core/rules.h"

namespace tandem::client {

/// The signed-in member as the rules see them, or nothing (signed out, or the member not
/// synced yet).
core::Result<std::optional<core::Principal>> currentPrincipal(Context& ctx);

// ---- my work ---------------------------------------------------------------------------

struct WorkTask {
    core::Entity task;
    core::EntityId plan;
    std::string planTitle;
    std::vector<core::Warning> warnings;  // about this task, whoever they are routed to, worst first
    core::Rag rag = core::Rag::Green;     // the worst of them
    int workingDaysLeft = 0;              // until its due date; negative: late by that many
    core::Decision mayLog;                // may I log progress on it (an entry and its percent)?
};

struct WaitingItem {
    core::Entity entity;  // a problem or a resource request
    core::EntityId plan;
    std::string planTitle;
    std::vector<core::Warning> warnings;
    core::Rag rag = core::Rag::Green;
};

struct MyWork {
    /// Late ones first (the latest first), then by due date.
    std::vector<WorkTask> tasks;
    /// Red first, then the oldest.
    std::vector<WaitingItem> waiting;
};

/// My tasks in approved and published plans that are not done and are overdue or due
/// within `horizonWorkingDays` working days: those I own, those a department I head
/// leads, and those with a warning routed to me. And what waits for me: open problems my
/// department owns, open resource requests it is asked to provide, and any other open
/// problem or request with a warning routed to me.
core::Result<MyWork> myWork(Context& ctx, const core::RuleContext& rules, int horizonWorkingDays = 7);

// ---- one plan ----------------------------------------------------------------------------

struct PlanTask {
    const core::Entity* task = nullptr;  // into PlanDetail::snapshot
    std::string wbs;                     // "1", "1.2", … by parent, then sort_key, then name
    int depth = 0;
    std::vector<core::Warning> warnings;
    core::Rag rag = core::Rag::Green;
    core::Decision mayUpdate;  // its execution fields (percent, status, actual finish) and progress
};

struct PlanDetail {
    core::PlanSnapshot snapshot;
    std::vector<core::Warning> warnings;  // evaluateRules
    core::Rag rag = core::Rag::Green;
    std::vector<PlanTask> tasks;  // in WBS order
    std::string myRole;  // planRole (queries.h)
};

/// The plan with its rules evaluated and what I may do to each task. not_found when the
/// plan is not in the replica (or deleted). The returned view is self-contained (the
/// task pointers point into its own snapshot): move it, never copy it.
core::Result<PlanDetail> planDetail(Context& ctx, const core::EntityId& plan, const core::RuleContext& rules);

// ---- approvals ---------------------------------------------------------------------------

/// A signable field that differs between a sign-off and now.
struct SignedChange {
    std::string kind;  // "plan", "task", "milestone" or "change_request"
    core::EntityId entity;
    std::string entityName;
    std::string field;
    core::Json before;  // null: not there then (added)
    core::Json after;   // null: not there now (removed)
};

struct ApprovalItem {
    core::Entity subject;  // a plan in review, or a change request in review
    core::EntityId plan;
    std::string planTitle;
    core::EntityId department;               // the department I sign for here
    std::optional<core::Entity> mySignoff;   // that department's latest sign-off on it, if any
    bool stale = false;                      // … and the server marked it stale
    std::vector<SignedChange> changes;        // stale: what changed since it was signed
    bool changesExact = false;               // the content rebuilt as of signing matched its hash
    core::Decision maySign;                  // may I sign it now (any meaning)?
};

/// Plans and change requests in review that wait for a department I head — it has no
/// current sign-off on them yet, or only a stale one — newest subject first.
core::Result<std::vector<ApprovalItem>> approvals(Context& ctx, const core::RuleContext& rules);

// ---- conflicts and rejected edits ------------------------------------------------------

struct Conflict {
    core::Entity entity;  // a task, milestone or plan I own or am Accountable for
    core::EntityId plan;
    std::string planTitle;
    std::string field;
    core::Op lost;     // the value that lost: who (author or site) and when (hlc)
    core::Op current;  // the value the field holds now
    core::Decision mayRestore;
};

/// Values that a concurrent edit overwrote in what I own or am Accountable for: tasks I
/// own or whose RACI `A` department I head, plans I own and their milestones. A lost
/// value counts as overwritten by a concurrent edit when its writer could not have seen
/// the winner and the winner's writer could not have seen it: it reached the server
/// after the winner did (or not yet), though it is older by HLC. Values equal to the
/// current one, my own overwrites of my own values, and dismissed ones are left out.
/// Newest first.
core::Result<std::vector<Conflict>> conflicts(Context& ctx);

/// Hides a conflict (the lost op "site:n") for good on this replica: keep the current value.
core::Status dismissConflict(Context& ctx, const std::string& lostOpId);

struct RejectedView {
    core::RejectedEdit edit;
    std::string entityName;  // the task's or plan's name, else the type
    std::string planTitle;   // "" when unknown
    core::Json current;      // what the field shows now (null: nothing)
};

/// The edits the server refused, newest first.
core::Result<std::vector<RejectedView>> rejectedViews(Context& ctx);

// ---- names -----------------------------------------------------------------------------

/// Display names of members and departments, read once for a view.
class Names {
public:
    static core::Result<Names> load(core::Replica& replica);
    std::string member(const core::EntityId& id) const;
    std::string member(const std::optional<core::EntityId>& id) const;
    std::string department(const core::EntityId& id) const;
    std::string department(const std::optional<core::EntityId>& id) const;
    /// Who wrote an op: the author's name, "" for the server's own ops.
    std::string author(const core::Op& op) const;

private:
    std::map<core::EntityId, std::string> m_members, m_departments;
};

}  // namespace tandem::client
