#include "tandem/core/permissions.h"

#include <algorithm>

#include "tandem/core/calendar.h"

namespace tandem::core {

namespace {

std::optional<EntityId> idField(const Entity& entity, const std::string& field) {
    return idFromJson(entity.get(field));
}

std::string textField(const Entity& entity, const std::string& field) {
    const Json& v = entity.get(field);
    return v.is_string() ? v.get<std::string>() : std::string();
}

/// Keys of a set family (`prefix.<id>` == true).
std::set<EntityId> familySet(const Entity& entity, std::string_view prefix) {
    std::set<EntityId> out;
    const std::string start = std::string(prefix) + ".";
    for (auto it = entity.fields.lower_bound(start); it != entity.fields.end(); ++it) {
        if (it->first.compare(0, start.size(), start) != 0) break;
        if (it->second.value.is_boolean() && it->second.value.get<bool>()) {
            if (auto id = EntityId::parse(std::string_view(it->first).substr(start.size()))) out.insert(*id);
        }
    }
    return out;
}

Decision allow() {
    return Decision{true, {}};
}
Decision deny(std::string message) {
    return Decision{false, std::move(message)};
}

bool inDepartments(const Principal& who, const std::set<EntityId>& departments) {
    return who.department && departments.count(*who.department) > 0;
}

bool isOwnerOrLeadHead(const Principal& who, const PlanFacts& plan) {
    if (plan.owner && *plan.owner == who.member) return true;
    return plan.leadDepartment && who.headOf.count(*plan.leadDepartment) > 0;
}

/// A published plan (in_progress) is what every head agreed to: its signable content
/// changes only while one of its change requests is approved and not yet applied.
Decision publishedContent(const WriteFacts& w, const PlanFacts& plan) {
    // A stored record's `plan` never changes (`immutable`, judged after this).
    if (w.entityExists && w.field->fieldClass == FieldClass::Scope) return allow();
    if (plan.exists && plan.status == "in_progress" && !plan.changeApproved && changesPlanContent(*w.type, *w.field))
        return deny("the plan is published: its content changes only through an approved change request");
    return allow();
}

/// A change request's status follows mayChangeRequestStatus; a closed request (applied
/// or rejected) is the record of a decision and is not edited.
Decision changeRequestWrite(const Principal& who, const WriteFacts& w, const PlanFacts& plan) {
    if (w.field->name == "status") {
        if (!w.value.is_string()) return deny("a change request's status cannot be cleared");
        return mayChangeRequestStatus(who, plan, w.entity, w.value.get<std::string>());
    }
    const std::string status = textField(w.entity, "status");
    if (status == "applied" || status == "rejected")
        return deny("the change request is " + status + " and closed: open a new one");
    return allow();
}

Decision planWrite(const Principal& who, const WriteFacts& w, const PlanFacts& plan) {
    const std::string& name = w.field->name;
    if (!w.entityExists) {
        // Creating a plan: a department head for a department they head, or admin;
        // the creator becomes its owner, and a new plan is a draft.
        if (!who.admin && who.headOf.empty()) return deny("only a department head or an admin creates plans");
        if (name == "lead_department" && !who.admin) {
            auto dept = idFromJson(w.value);
            if (!dept || who.headOf.count(*dept) == 0)
                return deny("a department head creates plans that their own department leads");
        }
        if (name == "owner" && !who.admin) {
            auto owner = idFromJson(w.value);
            if (!owner || *owner != who.member) return deny("the creator of a plan becomes its owner");
        }
        if (w.field->fieldClass == FieldClass::Lifecycle &&
            !(w.value.is_string() && w.value.get<std::string>() == "draft"))
            return deny("a new plan starts as a draft");
        return allow();
    }
    if (!mayReadPlan(who, plan)) return deny("you cannot read this plan");
    if (w.field->fieldClass == FieldClass::Lifecycle) {
        if (!w.value.is_string()) return deny("a plan's status cannot be cleared");
        return mayChangePlanStatus(who, plan, w.value.get<std::string>());
    }
    if (!isOwnerOrLeadHead(who, plan)) return deny("only the plan's owner and the lead department's head change the plan");
    return publishedContent(w, plan);
}

/// An archived plan is the filed record: nothing in it changes. Once its retention
/// period has run out (counted on the judge's clock from `archived_at`, which the server
/// stamps), an admin may delete its existing records and the plan itself, nothing more.
Decision archivedWrite(const Principal& who, const WriteFacts& w) {
    const char* readOnly = "the plan is archived: it and its records are read-only";
    if (w.field->fieldClass != FieldClass::Deleted || !w.entityExists) return deny(readOnly);
    if (!who.admin)
        return deny(std::string(readOnly) + "; only an admin deletes them, once the retention period has passed");
    if (!w.plan->archivedAtMs) return deny(std::string(readOnly) + "; it has no archiving time, so it is kept");
    constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
    const std::int64_t keptUntil = *w.plan->archivedAtMs + std::int64_t{w.retentionDays} * kDayMs;
    if (w.nowMs < keptUntil)
        return deny("the plan is archived and kept for " + std::to_string(w.retentionDays) +
                    " days: it may be deleted from " + formatLocalTime(keptUntil, kChinaUtcOffsetMinutes) +
                    " (UTC+08:00)");
    return allow();
}

}  // namespace

std::optional<EntityId> idFromJson(const Json& value) {
    if (!value.is_string()) return std::nullopt;
    return EntityId::parse(value.get_ref<const std::string&>());
}

PlanFacts PlanFacts::fromEntity(const Entity& plan) {
    PlanFacts facts;
    facts.id = plan.id;
    facts.exists = true;
    facts.owner = idField(plan, "owner");
    facts.leadDepartment = idField(plan, "lead_department");
    facts.participants = familySet(plan, "participants");
    facts.status = textField(plan, "status");
    facts.approval = textField(plan, "approval");
    if (const Json& at = plan.get("archived_at"); at.is_number_integer()) facts.archivedAtMs = at.get<std::int64_t>();
    return facts;
}

std::set<EntityId> PlanFacts::departments() const {
    std::set<EntityId> out = participants;
    if (leadDepartment) out.insert(*leadDepartment);
    return out;
}

TaskFacts TaskFacts::fromEntity(const Entity& task) {
    TaskFacts facts;
    facts.leadDepartment = idField(task, "lead_department");
    facts.collaborators = familySet(task, "collaborators");
    return facts;
}

Principal principalFromMember(const Entity& member, std::span<const Entity> departments) {
    Principal who;
    who.member = member.id;
    who.department = idField(member, "department");
    auto hasRole = [&](const char* role) {
        const Json& v = member.get(std::string("roles.") + role);
        return v.is_boolean() && v.get<bool>();
    };
    who.hq = hasRole("hq");
    who.admin = hasRole("admin");
    for (const Entity& dept : departments) {
        if (dept.deleted()) continue;
        auto head = idField(dept, "head");
        if (head && *head == member.id) who.headOf.insert(dept.id);
    }
    if (hasRole("dept_head") && who.department) who.headOf.insert(*who.department);
    return who;
}

bool participatesIn(const Principal& who, const PlanFacts& plan) {
    if (plan.owner && *plan.owner == who.member) return true;
    return inDepartments(who, plan.departments());
}

bool mayReadPlan(const Principal& who, const PlanFacts& plan) {
    if (who.server || who.hq || who.admin) return true;
    return participatesIn(who, plan);
}

std::set<EntityId> approvingDepartments(const PlanFacts& plan) {
    return plan.departments();
}

Decision mayChangePlanStatus(const Principal& who, const PlanFacts& plan, std::string_view to) {
    if (who.server) return allow();
    if (!plan.owner || *plan.owner != who.member) return deny("only the plan's owner changes its status");
    const std::string from = plan.status.empty() ? std::string("draft") : plan.status;
    if (to == from) return allow();
    if (to == "approved") return deny("only the server marks a plan approved");
    if ((from == "draft" && to == "in_review") || (from == "in_review" && to == "draft")) return allow();
    if (from == "approved" && to == "in_progress") {
        if (plan.approval == "approved") return allow();
        return deny("the plan's approvals are not current: it needs re-approval before publishing");
    }
    if (from == "in_progress" && to == "done") return allow();
    if (from == "done" && to == "archived") return allow();
    return deny("a plan cannot go from " + from + " to " + std::string(to));
}

Decision mayChangeRequestStatus(const Principal& who, const PlanFacts& plan, const Entity& request,
                                std::string_view to) {
    if (who.server) return allow();
    const std::string current = textField(request, "status");
    const std::string from = current.empty() ? std::string("open") : current;
    if (from == "applied" || from == "rejected") return deny("the change request is " + from + " and closed: open a new one");
    if (to == "approved" || to == "rejected")
        return deny("only the server marks a change request approved or rejected, from its sign-offs");
    const bool owner = plan.owner && *plan.owner == who.member;
    if (to == "applied") {
        if (!owner) return deny("only the plan's owner applies a change request");
        if (from != "approved") return deny("only an approved change request is applied");
        return allow();
    }
    const bool requester = idField(request, "requested_by") == std::optional<EntityId>(who.member);
    if (!owner && !requester) return deny("only the requester and the plan's owner submit or withdraw a change request");
    if (to == from || (from == "open" && to == "in_review") || (from == "in_review" && to == "open")) return allow();
    return deny("a change request cannot go from " + from + " to " + std::string(to));
}

bool hasApprovedChange(std::span<const Entity> changeRequests) {
    return std::any_of(changeRequests.begin(), changeRequests.end(), [](const Entity& request) {
        return !request.deleted() && request.get("status") == "approved";
    });
}

bool changesPlanContent(const TypeSpec& type, const FieldSpec& field) {
    if (type.name == "plan") return field.signable;
    if (type.name != "task" && type.name != "milestone") return false;
    // Creating one (its `plan`) or deleting one changes the content as much as an edit.
    return field.signable || field.fieldClass == FieldClass::Scope || field.fieldClass == FieldClass::Deleted;
}

Decision mayWrite(const Principal& who, const WriteFacts& w) {
    if (who.server) return allow();
    if (w.type == nullptr || w.field == nullptr) return deny("unknown field");
    if (w.field->fieldClass == FieldClass::Derived) return deny("this field is written by the server only");

    const std::string& type = w.type->name;
    if (w.plan && w.plan->status == "archived" && w.plan->exists) return archivedWrite(who, w);
    if (type == "plan") {
        if (!w.plan) return deny("unknown plan");
        return planWrite(who, w, *w.plan);
    }
    if (!w.type->planScoped) {
        // department, member, calendar_day: the organisation belongs to admin.
        if (who.admin) return allow();
        return deny("only an admin changes the organisation");
    }
    if (!w.plan) return deny("unknown plan");
    const PlanFacts& plan = *w.plan;
    if (!mayReadPlan(who, plan)) return deny("you cannot read this plan");

    const bool ownerOrLeadHead = isOwnerOrLeadHead(who, plan);
    const std::string& name = w.field->name;

    if (type == "task" || type == "milestone") {
        if (type == "task" && w.field->fieldClass == FieldClass::Execution) {
            if (!w.task) return deny("unknown task");
            std::set<EntityId> depts = w.task->collaborators;
            if (w.task->leadDepartment) depts.insert(*w.task->leadDepartment);
            if (inDepartments(who, depts)) return allow();
            return deny("only members of the task's lead and collaborating departments report on it");
        }
        if (!ownerOrLeadHead) {
            if (!w.entityExists)
                return deny("only the plan's owner and the lead department's head create " + type + "s");
            const bool taskHead =
                type == "task" && w.task && w.task->leadDepartment && who.headOf.count(*w.task->leadDepartment) > 0;
            if (!taskHead) return deny("only the plan's owner and the heads of the lead and task departments change a " + type);
        }
        return publishedContent(w, plan);
    }

    if (type == "progress_entry") {
        if (!w.task) return deny("a progress entry needs a task of this plan");
        std::set<EntityId> depts = w.task->collaborators;
        if (w.task->leadDepartment) depts.insert(*w.task->leadDepartment);
        if (!inDepartments(who, depts))
            return deny("only members of the task's lead and collaborating departments log its progress");
        // Judged on the entry as it stands with this write: one without its author is
        // nobody's report, so every field needs it.
        const auto author = name == "author" ? idFromJson(w.value) : idField(w.entity, "author");
        if (author != std::optional<EntityId>(who.member))
            return deny("a progress entry's author is the member who writes it");
        return allow();
    }

    if (type == "signoff") {
        if (who.headOf.empty()) return deny("only department heads sign off");
        auto dept = idFromJson(w.entity.get("department"));
        if (name == "department") dept = idFromJson(w.value);
        if (!dept || who.headOf.count(*dept) == 0) return deny("a department head signs for their own department");
        // As with the department: a sign-off without its signer signs nothing.
        const auto signer = name == "signer" ? idFromJson(w.value) : idField(w.entity, "signer");
        if (signer != std::optional<EntityId>(who.member))
            return deny("a sign-off is signed by the member who writes it");
        return allow();
    }

    // Risks, problems, comments, requests, records: any participant creates; the
    // owner department (the entity's own, else the plan's lead) updates.
    if (!w.entityExists) {
        if (!participatesIn(who, plan)) return deny("only the plan's participants add to it");
        if (type == "change_request" && name == "status") {
            // Filed and submitted in one go (offline, one sync): judged as a move from open.
            WriteFacts filed = w;
            filed.entity.fields.erase("status");
            return changeRequestWrite(who, filed, plan);
        }
        return allow();
    }
    if (type == "change_request") {
        // Its status is moved by the requester and the plan's owner, not by the
        // owner department.
        const Decision d = changeRequestWrite(who, w, plan);
        if (!d.allowed || name == "status") return d;
    }
    if (ownerOrLeadHead) return allow();
    std::set<EntityId> owners;
    if (plan.leadDepartment) owners.insert(*plan.leadDepartment);
    for (const char* field : {"owner_department", "provider"}) {
        if (auto d = idFromJson(w.entity.get(field))) owners.insert(*d);
    }
    if (inDepartments(who, owners)) return allow();
    return deny("only the owner department updates this " + type);
}

}  // namespace tandem::core
