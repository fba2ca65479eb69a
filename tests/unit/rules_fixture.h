#pragma once
// A small demo organisation and plan built as plain Entity values, for the rules and
// plan-document tests: MKT leads, SALES and PROD participate.

#include <string>
#include <utility>
#include <vector>

#include "tandem/core/calendar.h"
#include "tandem/core/permissions.h"
#include "tandem/core/replica.h"
#include "tandem/core/rules.h"
#include "test_support.h"

namespace tandem::test {

using core::CalendarDate;
using core::Entity;
using core::EntityId;
using core::Json;

inline CalendarDate date(const char* text) {
    return *core::parseDate(text);
}

/// Milliseconds of a local (UTC+8) date and time.
inline std::int64_t at(const char* day, int hour = 0, int minute = 0) {
    return core::startOfDay(date(day), core::kChinaUtcOffsetMinutes) + (hour * 60 + minute) * 60'000LL;
}

inline const EntityId kMkt = entityId(0x10);
inline const EntityId kSales = entityId(0x11);
inline const EntityId kProd = entityId(0x12);
inline const EntityId kMktHead = entityId(0x20);
inline const EntityId kSalesHead = entityId(0x21);
inline const EntityId kProdHead = entityId(0x22);
inline const EntityId kMktChen = entityId(0x23);
inline const EntityId kSalesLi = entityId(0x24);
inline const EntityId kHq = entityId(0x25);
inline const EntityId kPlan = entityId(0x100);

using Fields = std::vector<std::pair<std::string, Json>>;

/// An entity whose fields were all written at `writtenMs` (their HLC time).
inline Entity makeEntity(EntityId id, std::string type, const Fields& fields,
                         std::int64_t writtenMs = at("2025-01-02")) {
    Entity e;
    e.id = id;
    e.type = std::move(type);
    for (const auto& [name, value] : fields) {
        core::FieldValue fv;
        fv.value = value;
        fv.hlc = core::Hlc::make(static_cast<std::uint64_t>(writtenMs), 0);
        fv.site = core::SiteId{7};
        e.fields[name] = fv;
    }
    if (e.type == "plan")
        e.plan = id;
    else if (auto it = e.fields.find("plan"); it != e.fields.end())
        e.plan = EntityId::parse(it->second.value.get<std::string>());
    return e;
}

/// Sets one field with its own write time.
inline void setField(Entity& e, const std::string& name, Json value, std::int64_t writtenMs) {
    core::FieldValue fv;
    fv.value = std::move(value);
    fv.hlc = core::Hlc::make(static_cast<std::uint64_t>(writtenMs), 0);
    fv.site = core::SiteId{7};
    e.fields[name] = fv;
}

inline std::vector<Entity> organisation() {
    return {
        makeEntity(kMkt, "department", {{"code", "MKT"}, {"name", "市场部"}, {"head", kMktHead.hex()}}),
        makeEntity(kSales, "department", {{"code", "SALES"}, {"name", "销售部"}, {"head", kSalesHead.hex()}}),
        makeEntity(kProd, "department", {{"code", "PROD"}, {"name", "产品部"}, {"head", kProdHead.hex()}}),
        makeEntity(kMktHead, "member",
                   {{"username", "mkt.head"}, {"display_name", "王敏"}, {"department", kMkt.hex()}}),
        makeEntity(kSalesHead, "member",
                   {{"username", "sales.head"}, {"display_name", "李强"}, {"department", kSales.hex()}}),
        makeEntity(kProdHead, "member",
                   {{"username", "prod.head"}, {"display_name", "刘洋"}, {"department", kProd.hex()}}),
        makeEntity(kMktChen, "member",
                   {{"username", "mkt.chen"}, {"display_name", "陈晨"}, {"department", kMkt.hex()}}),
        makeEntity(kSalesLi, "member",
                   {{"username", "sales.li"}, {"display_name", "李娜"}, {"department", kSales.hex()}}),
        makeEntity(kHq, "member", {{"username", "hq.zhao"}, {"display_name", "赵总"}}),
    };
}

inline Entity basePlan(const char* status = "in_progress") {
    return makeEntity(kPlan, "plan",
                      {{"title", "2025年Q1新品推广"},
                       {"background", "竞品抢占市场份额，需提升新品曝光"},
                       {"goal_what", "完成新品X的区域市场推广"},
                       {"goal_metric", "销售额"},
                       {"goal_target", "500万元"},
                       {"goal_deadline", "2025-06-30"},
                       {"scope_in", "华东区域推广"},
                       {"scope_out", "全国推广"},
                       {"lead_department", kMkt.hex()},
                       {"owner", kMktHead.hex()},
                       {"participants." + kSales.hex(), true},
                       {"participants." + kProd.hex(), true},
                       {"status", status},
                       {"start", "2025-03-01"},
                       {"end", "2025-06-30"},
                       {"meeting_cadence", "每周五 15:00 协作例会"},
                       {"channels", "钉钉群 + 周报"},
                       {"escalation_contact", kHq.hex()},
                       {"escalation_hours", 48}});
}

/// A task led by `lead` with owner, dates and percent; raci A on `accountable`.
inline Entity makeTask(std::uint64_t n, const char* name, EntityId lead, EntityId owner, const char* start,
                       const char* due, int percent = 0, const char* status = "in_progress",
                       std::optional<EntityId> accountable = std::nullopt) {
    Fields fields{{"plan", kPlan.hex()},  {"name", name},     {"lead_department", lead.hex()},
                  {"owner", owner.hex()}, {"start", start},   {"due", due},
                  {"percent", percent},   {"status", status}, {"raci." + lead.hex(), "R"}};
    if (accountable) fields.emplace_back("raci." + accountable->hex(), "A");
    return makeEntity(entityId(n), "task", fields);
}

inline core::PlanSnapshot snapshotOf(std::vector<Entity> entities) {
    auto org = organisation();
    entities.insert(entities.end(), org.begin(), org.end());
    auto snapshot = core::PlanSnapshot::fromEntities(entities, kPlan);
    if (!snapshot) throw std::runtime_error(snapshot.error().message);
    return std::move(*snapshot);
}

inline core::RuleContext contextAt(std::int64_t nowMs,
                                   core::WorkCalendar calendar = core::WorkCalendar::chinaDefault()) {
    core::RuleContext ctx;
    ctx.nowMs = nowMs;
    ctx.calendar = std::move(calendar);
    return ctx;
}

/// The facts of writing `field` = `value` on the stored `entity`, a record of `plan`
/// (with its task facts when it is a task), for core::mayWrite.
inline core::WriteFacts writeOn(const Entity& entity, const Entity& plan, const std::string& field, Json value) {
    core::WriteFacts w;
    w.type = core::findType(entity.type);
    w.field = w.type->field(field);
    w.fieldName = field;
    w.value = std::move(value);
    w.entityExists = true;
    w.entity = entity;
    w.plan = core::PlanFacts::fromEntity(plan);
    if (entity.type == "task") w.task = core::TaskFacts::fromEntity(entity);
    return w;
}

}  // namespace tandem::test
