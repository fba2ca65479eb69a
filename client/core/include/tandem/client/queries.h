#pragma once
// The client's read side, shared by tandem-cli and the app: plan summaries with RAG,
// warnings, a field's history, the weekly report, HQ's roll-up, and what a plan
// document is made of. All computed offline from the replica with the core rules
// (DESIGN §8), as of the replica's clock and working calendar (ruleContext).
//
// Thread contract: as intents.h — each function takes the worker's Context and runs on
// the worker thread; none touches the network. Nothing throws. Errors: not_found (no
// such plan), sqlite codes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tandem/client/client_service.h"
#include "tandem/core/ids.h"
#include "tandem/core/permissions.h"
#include "tandem/core/rules.h"

namespace tandem::client {

/// One readable plan as a list shows it.
struct PlanSummary {
    core::EntityId id;
    std::optional<std::string> title;   // unset: none
    std::optional<std::string> status;  // unset: none (a draft)
    std::optional<core::EntityId> leadDepartment;
    /// The lead department's code, else `lead_department` as stored (what tandem-cli prints).
    std::optional<std::string> lead;
    std::string leadName;              // the lead department's name, else code ("" when unknown)
    core::Rag rag = core::Rag::Green;  // core::planRag over the plan's risks and warnings
    std::size_t warnings = 0;          // core::evaluateRules as of now
    int progress = 0;                  // the mean percent of the plan's tasks (deleted ones left out), 0 without tasks
    int tasks = 0;                     // tasks not deleted
    int done = 0;                      // …of them with status done
    int late = 0;                      // …not done, and due before today
    /// The signed-in member's relation to the plan, the first that applies: "owner",
    /// "lead_head" (heads the lead department), "head" (heads a participating one),
    /// "lead_member", "member" (of a participating department), "hq", "admin"; "" for
    /// none, and when signed out or the member is not in the replica yet.
    std::string myRole;
    /// The lead department's name, then the participating departments' (the plans filter).
    std::vector<std::string> departmentNames;
};
/// The signed-in member's relation to `plan` (PlanSummary::myRole); "" without a member.
std::string planRole(const std::optional<core::Principal>& who, const core::Entity& plan);

/// Every plan of the replica that is not deleted, in the replica's order.
core::Result<std::vector<PlanSummary>> planSummaries(Context& ctx);

/// A plan with what the rules say about it as of now.
struct PlanView {
    core::PlanSnapshot snapshot;
    std::vector<core::Warning> warnings;  // core::evaluateRules, sorted
    core::Rag rag = core::Rag::Green;
    std::int64_t nowMs = 0;  // the moment they were computed
};
/// not_found for a plan that does not exist or is deleted. The plan documents
/// (tandem_documents: planMarkdown, tasksCsv, planPdf) are made from it.
core::Result<PlanView> planView(Context& ctx, const core::EntityId& plan);

/// The warnings of every plan routed to the signed-in member (none when signed out).
core::Result<std::vector<core::Warning>> myWarnings(Context& ctx);
/// The warnings of every plan (HQ's list).
core::Result<std::vector<core::Warning>> everyWarning(Context& ctx);

/// One value a field has had, with who wrote it.
struct FieldChange {
    core::Op op;
    bool current = false;  // the field's value now
    /// The author's display name; "you" for this site's unsent writes, "server" for the
    /// server's; nothing when the author is not in the replica.
    std::optional<std::string> authorName;
};
/// Every value `field` of `entity` has had, winners and losers, in the replica's order.
core::Result<std::vector<FieldChange>> fieldHistory(Context& ctx, const core::EntityId& entity,
                                                    const std::string& field);

/// The 项目周报 of the Monday–Sunday week holding `week` (default: today); a past or
/// future week is computed as of its moment nearest to now. With the snapshot, which
/// the Markdown form (core::weeklyReportMarkdown) needs.
struct PlanReport {
    core::PlanSnapshot snapshot;
    core::WeeklyReport weekly;
};
core::Result<PlanReport> weeklyReport(Context& ctx, const core::EntityId& plan,
                                      std::optional<core::CalendarDate> week = {});

/// HQ's view over every plan of the replica (core::departmentRollups), as of now.
core::Result<std::vector<core::DepartmentRollup>> rollup(Context& ctx);

}  // namespace tandem::client
