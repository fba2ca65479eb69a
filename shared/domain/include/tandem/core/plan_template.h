#pragma once
// A new plan from the standard template (the seed templates' 跨部门协作计划): every
// section prefilled with sensible defaults the plan owner then edits — background,
// SMART goal parts, scope in/out, lead and participating departments with their
// sub-goals (目标共识表), RACI per task, communication rules (weekly meeting on Friday,
// channels, 24 h meeting / 48 h escalation), three phase tasks (筹备期 / 执行期 / 复盘期)
// with predecessors, two milestones and a starter risk with its trigger.
//
// Pure: ids come from the caller's generator (Replica::newEntityId), dates from the
// caller's start date and calendar. The result is a list of writes for Replica::write,
// in order (the plan first, so plan-scoped entities find it). Every value passes
// validateField. Nothing throws.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tandem/core/calendar.h"
#include "tandem/core/canonical_json.h"
#include "tandem/core/ids.h"
#include "tandem/core/result.h"
#include "tandem/core/rules.h"

namespace tandem::core {

/// One entity's fields to write: `replica.write(op.entity, op.type, op.fields)`.
struct WriteOp {
    EntityId entity;
    std::string type;
    std::vector<std::pair<std::string, Json>> fields;
};

struct PlanTemplateInput {
    std::string title;  // e.g. "2025年Q3新品X推广" (≤ 200 code points, not empty)
    EntityId leadDepartment;
    EntityId owner;                      // the creating department head
    std::vector<EntityId> participants;  // participating departments (the lead is left out if listed)
    CalendarDate start;
    std::optional<EntityId> escalationContact;  // default: the owner
    Language language = Language::Chinese;
};

/// The writes that create a plan from the standard template. Phases: 筹备期 2 weeks,
/// 执行期 6 weeks, 复盘期 2 weeks from `start`; due dates fall on working days of
/// `calendar`. invalid_value when the title is empty or too long.
Result<std::vector<WriteOp>> standardPlanTemplate(const PlanTemplateInput& input,
                                                  const std::function<EntityId()>& newId,
                                                  const WorkCalendar& calendar = WorkCalendar::chinaDefault());

}  // namespace tandem::core
