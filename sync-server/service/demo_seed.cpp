// The demo organisation and plan of DESIGN §5a, seeded once (`--demo`) by the server
// itself (site 0, author null) in one transaction, with dates relative to today so
// every warning of §8 has something to show.

#include <chrono>
#include <cstdio>

#include "service/service_impl.h"
#include "tandem/core/signable.h"

namespace tandem::server {

using core::EntityId;
using core::Status;

std::string dateFromMs(std::int64_t ms, int offsetDays) {
    using namespace std::chrono;
    const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(ms))) + days(offsetDays);
    const year_month_day ymd(day);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return text;
}

namespace {

constexpr const char* kDemoPassword = "tandem-demo";
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

struct DemoDepartment {
    const char* code;
    const char* name;
    const char* head;
};

struct DemoMember {
    const char* username;
    const char* displayName;
    const char* department;  // code, or nullptr
    std::vector<const char*> roles;
};

const DemoDepartment kDepartments[] = {
    {"MKT", "市场部", "mkt.head"}, {"SALES", "销售部", "sales.head"}, {"PROD", "产品部", "prod.head"},
    {"SVC", "售后部", "svc.head"}, {"FIN", "财务部", "fin.head"},
};

const DemoMember kMembers[] = {
    {"mkt.head", "王敏", "MKT", {"member", "dept_head"}},
    {"mkt.chen", "陈晨", "MKT", {"member"}},
    {"sales.head", "李强", "SALES", {"member", "dept_head"}},
    {"sales.li", "李娜", "SALES", {"member"}},
    {"sales.wang", "王磊", "SALES", {"member"}},
    {"prod.head", "刘洋", "PROD", {"member", "dept_head"}},
    {"prod.liu", "刘芳", "PROD", {"member"}},
    {"svc.head", "赵静", "SVC", {"member", "dept_head"}},
    {"svc.sun", "孙涛", "SVC", {"member"}},
    {"fin.head", "周杰", "FIN", {"member", "dept_head"}},
    {"hq.zhao", "赵总", nullptr, {"hq"}},
    {"admin", "系统管理员", nullptr, {"admin"}},
};

struct DemoTask {
    const char* key;
    const char* name;
    const char* lead;
    const char* owner;
    std::vector<const char*> collaborators;
    int start;
    int due;
    const char* status;
    int percent;
    std::optional<int> finished;
    std::vector<const char*> predecessors;
    const char* deliverable;
};

const DemoTask kTasks[] = {
    {"promo",
     "推广方案",
     "MKT",
     "mkt.chen",
     {"SALES", "PROD"},
     -35,
     -14,
     "done",
     100,
     -15,
     {},
     "推广方案定稿：渠道、预算、节奏齐全，经销售部、产品部确认"},
    {"faq",
     "产品卖点与FAQ整理",
     "PROD",
     "prod.liu",
     {"MKT", "SVC"},
     -30,
     -10,
     "done",
     100,
     -9,
     {},
     "卖点手册与FAQ各一份，覆盖全部主要型号"},
    {"training",
     "销售培训材料制作",
     "SALES",
     "sales.li",
     {"PROD", "MKT"},
     -21,
     -7,
     "in_progress",
     60,
     std::nullopt,
     {"faq"},
     "培训课件、实操视频与考核题库"},
    {"channel",
     "渠道铺货执行",
     "SALES",
     "sales.wang",
     {"MKT"},
     -5,
     25,
     "in_progress",
     10,
     std::nullopt,
     {"training", "promo"},
     "200家门店完成首批铺货，陈列符合标准"},
    {"manual",
     "售后响应手册制定",
     "SVC",
     "svc.sun",
     {"PROD"},
     -20,
     2,
     "in_progress",
     30,
     std::nullopt,
     {"faq"},
     "售后响应手册：常见故障、处理时限、升级路径"},
    {"launch",
     "新品线上发布会",
     "MKT",
     "mkt.chen",
     {"SALES", "PROD"},
     4,
     12,
     "not_started",
     0,
     std::nullopt,
     {"promo"},
     "线上发布会一场，观看人数不少于1万"},
    {"callback",
     "首批客户回访",
     "SVC",
     "svc.sun",
     {"SALES"},
     4,
     40,
     "not_started",
     0,
     std::nullopt,
     {"channel", "manual"},
     "回访首批客户不少于300位，形成改进清单"},
};

struct DemoProgress {
    const char* task;
    const char* author;
    int day;
    int percent;
    const char* note;
    const char* problem;
    const char* solution;
    const char* next;
};

const DemoProgress kProgress[] = {
    {"promo", "mkt.chen", -28, 40, "完成市场调研与推广渠道梳理", nullptr, nullptr, "撰写推广方案初稿"},
    {"promo", "mkt.chen", -21, 80, "推广方案初稿完成，征求销售部和产品部意见", nullptr, nullptr, "根据意见修改定稿"},
    {"promo", "mkt.chen", -15, 100, "推广方案定稿", nullptr, nullptr, nullptr},
    {"faq", "prod.liu", -24, 50, "主要卖点梳理完成", nullptr, nullptr, "整理FAQ"},
    {"faq", "prod.liu", -9, 100, "卖点与FAQ定稿（比计划晚1天）", nullptr, nullptr, nullptr},
    {"training", "sales.li", -14, 20, "培训大纲完成", nullptr, nullptr, "编写培训课件"},
    {"training", "sales.li", -7, 40, "培训课件编写中", "培训样机未到货，实操部分无法录制", "申请产品部协调样机",
     "样机到货后录制实操视频"},
    {"training", "sales.li", -2, 60, "课件完成，实操视频待录制", "样机仍未到货", nullptr, "继续跟进样机"},
    {"manual", "svc.sun", -12, 20, "梳理常见故障场景", nullptr, nullptr, "编写手册框架"},
    {"manual", "svc.sun", -5, 30, "手册框架完成，等待产品部技术参数", "技术参数未提供", nullptr, "催促产品部提供参数"},
    {"channel", "sales.wang", -2, 10, "完成首批20家经销商沟通", nullptr, nullptr, "签订铺货协议"},
};

}  // namespace

Status SyncApi::Impl::seedDemo() {
    // The flag is read inside the write batch: instances that start together on one
    // database take turns there, and only the first finds it unset.
    const std::int64_t nowMs = now();
    auto batch = replica->begin();
    if (!batch) return batch.error();
    auto seeded = store->counter("demo_seeded");
    if (!seeded) return seeded.error();
    if (*seeded != 0) return {};
    if (auto s = catchUp(); !s) return s;
    ServerWriter writer(*replica, *store, **batch, nowMs);
    if (auto s = writer.load(); !s) return s;

    using Fields = std::vector<std::pair<std::string, Json>>;
    auto put = [&](const EntityId& id, const char* type, const Fields& fields, std::optional<EntityId> plan) -> Status {
        for (const auto& [field, value] : fields)
            if (auto s = writer.write(id, type, field, value, plan); !s) return s;
        return {};
    };
    auto date = [&](int offset) { return dateFromMs(nowMs, offset); };

    // Every demo account has the same published password, so one hash (one salt) serves
    // them all: a salt per account would guard nothing here, and each hash at the policy
    // costs a noticeable fraction of a second at every first start with --demo.
    auto demoHash = core::hashPassword(kDemoPassword, options.passwordIterations);
    if (!demoHash) return demoHash.error();

    std::map<std::string, EntityId> dept, member;
    for (const auto& d : kDepartments) dept[d.code] = replica->newEntityId();
    for (const auto& m : kMembers) member[m.username] = replica->newEntityId();

    for (const auto& d : kDepartments)
        if (auto s = put(dept[d.code], "department",
                         {{"code", d.code}, {"name", d.name}, {"head", member[d.head].hex()}}, std::nullopt);
            !s)
            return s;
    for (const auto& m : kMembers) {
        Fields fields = {{"username", m.username}, {"display_name", m.displayName}};
        if (m.department) fields.emplace_back("department", dept[m.department].hex());
        for (const char* role : m.roles) fields.emplace_back(std::string("roles.") + role, true);
        if (auto s = put(member[m.username], "member", fields, std::nullopt); !s) return s;
        if (auto s = store->insertAccount(Account{member[m.username], m.username, *demoHash, false}); !s) return s;
    }

    // The plan.
    const EntityId plan = replica->newEntityId();
    const std::string planHex = plan.hex();
    Fields planFields = {
        {"title", "Q3 新品推广"},
        {"background", "公司第三季度推出新品，需要市场、销售、产品、售后四个部门协同完成上市推广。"},
        {"goal_what", "3个月内实现新品销售额500万元"},
        {"goal_metric", "新品销售额（万元）"},
        {"goal_target", "500"},
        {"goal_deadline", date(55)},
        {"scope_in", "新品上市推广方案、销售培训、渠道铺货、售后支持准备"},
        {"scope_out", "老产品促销；海外市场"},
        {"lead_department", dept["MKT"].hex()},
        {"owner", member["mkt.head"].hex()},
        {"participants." + dept["SALES"].hex(), true},
        {"participants." + dept["PROD"].hex(), true},
        {"participants." + dept["SVC"].hex(), true},
        {"status", "draft"},
        {"start", date(-35)},
        {"end", date(55)},
        {"meeting_cadence", "每周一 10:00 项目周例会；每月末复盘会"},
        {"channels", "企业微信项目群；周报邮件；紧急事项电话"},
        {"escalation_contact", member["hq.zhao"].hex()},
        {"escalation_hours", 48},
        {"subgoal." + dept["MKT"].hex(), "完成推广方案与线上发布会，获取销售线索2000条"},
        {"subgoal." + dept["SALES"].hex(), "完成500万元销售额，覆盖200家门店"},
        {"subgoal." + dept["PROD"].hex(), "提供卖点、FAQ与样机支持"},
        {"subgoal." + dept["SVC"].hex(), "售后响应手册上线，首次解决率不低于90%"},
    };
    if (auto s = put(plan, "plan", planFields, plan); !s) return s;

    std::map<std::string, EntityId> task;
    for (const auto& t : kTasks) task[t.key] = replica->newEntityId();
    int sortKey = 1;
    for (const auto& t : kTasks) {
        Fields fields = {{"plan", planHex},
                         {"name", t.name},
                         {"lead_department", dept[t.lead].hex()},
                         {"owner", member[t.owner].hex()},
                         {"start", date(t.start)},
                         {"due", date(t.due)},
                         {"deliverable_standard", t.deliverable},
                         {"status", t.status},
                         {"percent", t.percent},
                         {"sort_key", std::to_string(sortKey++)}};
        for (const char* c : t.collaborators) fields.emplace_back("collaborators." + dept[c].hex(), true);
        for (const char* p : t.predecessors) fields.emplace_back("predecessors." + task[p].hex(), true);
        if (t.finished) fields.emplace_back("actual_finish", date(*t.finished));
        for (const auto& d : kDepartments) {
            if (std::string(d.code) == "FIN") continue;
            const char* raci = "I";
            if (std::string(d.code) == t.lead)
                raci = "R";
            else if (std::string(d.code) == "MKT")
                raci = "A";
            else
                for (const char* c : t.collaborators)
                    if (std::string(d.code) == c) raci = "C";
            fields.emplace_back("raci." + dept[d.code].hex(), raci);
        }
        if (auto s = put(task[t.key], "task", fields, plan); !s) return s;
    }

    struct Milestone {
        const char* name;
        int due;
        const char* status;
        std::optional<int> reached;
        const char* deliverable;
    };
    const Milestone milestones[] = {
        {"推广方案定稿", -14, "reached", -15, "推广方案（定稿）"},
        {"销售培训完成", -7, "pending", std::nullopt, "培训记录与考核成绩"},
        {"渠道铺货完成", 25, "pending", std::nullopt, "铺货门店清单"},
        {"首月销售额复盘", 45, "pending", std::nullopt, "首月销售复盘报告"},
    };
    for (const auto& m : milestones) {
        Fields fields = {{"plan", planHex},
                         {"name", m.name},
                         {"due", date(m.due)},
                         {"deliverable", m.deliverable},
                         {"status", m.status}};
        if (m.reached) fields.emplace_back("reached_on", date(*m.reached));
        if (auto s = put(replica->newEntityId(), "milestone", fields, plan); !s) return s;
    }

    struct Risk {
        const char* title;
        const char* impact;
        const char* probability;
        const char* owner;
        const char* trigger;
        const char* mitigation;
        const char* status;
        const char* rag;
    };
    const Risk risks[] = {
        {"竞品同期降价", "H", "M", "MKT", "竞品降价幅度超过10%或推出同类新品",
         "准备价格保护与促销预案，每周监测竞品价格", "watching", "yellow"},
        {"渠道备货不足", "H", "M", "SALES", "重点经销商库存低于两周销量", "与财务部确认铺货补贴，提前下单备货", "open",
         "red"},
        {"售后人员不熟悉新品", "M", "L", "SVC", "新品相关工单首次解决率低于80%", "上线前完成售后培训与FAQ考核", "open",
         "green"},
    };
    for (const auto& r : risks) {
        if (auto s = put(replica->newEntityId(), "risk",
                         {{"plan", planHex},
                          {"title", r.title},
                          {"impact", r.impact},
                          {"probability", r.probability},
                          {"owner_department", dept[r.owner].hex()},
                          {"trigger", r.trigger},
                          {"mitigation", r.mitigation},
                          {"status", r.status},
                          {"rag", r.rag}},
                         plan);
            !s)
            return s;
    }

    for (const auto& p : kProgress) {
        Fields fields = {{"plan", planHex},
                         {"task", task[p.task].hex()},
                         {"author", member[p.author].hex()},
                         {"percent", p.percent},
                         {"note", p.note},
                         {"reported_at", nowMs + p.day * kDayMs}};
        if (p.problem) fields.emplace_back("problem", p.problem);
        if (p.solution) fields.emplace_back("solution", p.solution);
        if (p.next) fields.emplace_back("next_step", p.next);
        if (auto s = put(replica->newEntityId(), "progress_entry", fields, plan); !s) return s;
    }

    if (auto s = put(replica->newEntityId(), "problem",
                     {{"plan", planHex},
                      {"task", task["training"].hex()},
                      {"description", "销售培训需要的新品样机未到货，实操视频无法录制"},
                      {"impact", "销售培训可能延期一周，影响渠道铺货"},
                      {"proposed_solution", "产品部先调拨5台工程样机用于录制"},
                      {"severity", "key"},
                      {"reporter", member["sales.li"].hex()},
                      {"owner_department", dept["PROD"].hex()},
                      {"reported_at", nowMs - 3 * kDayMs},
                      {"status", "open"}},
                     plan);
        !s)
        return s;
    if (auto s = put(replica->newEntityId(), "resource_request",
                     {{"plan", planHex},
                      {"task", task["channel"].hex()},
                      {"requester", member["sales.wang"].hex()},
                      {"owner_department", dept["SALES"].hex()},
                      {"provider", dept["PROD"].hex()},
                      {"purpose", "首批渠道铺货用新品样机50台及配套宣传物料"},
                      {"needed_by", date(5)},
                      {"requested_at", nowMs - 6 * kDayMs},
                      {"status", "open"}},
                     plan);
        !s)
        return s;
    if (auto s = put(replica->newEntityId(), "meeting_record",
                     {{"plan", planHex},
                      {"title", "第4周项目周例会"},
                      {"held_on", date(-7)},
                      {"kind", "weekly"},
                      {"attendees", "王敏、李强、刘洋、赵静、陈晨、李娜"},
                      {"notes", "销售培训进度落后，样机未到货；售后手册等待技术参数。"},
                      {"decisions", "产品部本周内提供样机与技术参数。"},
                      {"action_items", "刘洋：协调样机；李娜：样机到货后两天内完成录制。"}},
                     plan);
        !s)
        return s;

    // Review and sign-off, as it happened: submitted, every head approved the content
    // as it stood, the server marked it approved, the owner published it.
    if (auto s = writer.write(plan, "plan", "status", "in_review", plan); !s) return s;
    if (auto s = writer.audit(member["mkt.head"], "plan_status", plan, {{"from", "draft"}, {"to", "in_review"}}, plan);
        !s)
        return s;
    if (auto s = writer.write(plan, "plan", "approval", "pending", plan); !s) return s;
    auto hash = core::contentHash(*replica, plan);
    if (!hash) return hash.error();
    const std::pair<const char*, const char*> signers[] = {
        {"MKT", "mkt.head"}, {"SALES", "sales.head"}, {"PROD", "prod.head"}, {"SVC", "svc.head"}};
    int signDay = -34;
    for (const auto& [code, username] : signers) {
        const EntityId signoff = replica->newEntityId();
        const std::int64_t signedAt = nowMs + signDay++ * kDayMs;
        if (auto s = put(signoff, "signoff",
                         {{"plan", planHex},
                          {"subject", planHex},
                          {"signer", member[username].hex()},
                          {"department", dept[code].hex()},
                          {"meaning", "approve"},
                          {"content_hash", *hash},
                          {"signed_at", signedAt}},
                         plan);
            !s)
            return s;
        const DemoMember* m = nullptr;
        for (const auto& candidate : kMembers)
            if (std::string(candidate.username) == username) m = &candidate;
        Json details = {{"signoff", signoff.hex()},      {"signer", member[username].hex()},
                        {"signer_name", m->displayName}, {"department", dept[code].hex()},
                        {"meaning", "approve"},          {"content_hash", *hash},
                        {"signed_at", signedAt}};
        if (auto s = writer.audit(member[username], "signoff", plan, std::move(details), plan); !s) return s;
    }
    if (auto s = writer.write(plan, "plan", "approval", "approved", plan); !s) return s;
    if (auto s = writer.write(plan, "plan", "status", "approved", plan); !s) return s;
    if (auto s = writer.audit(std::nullopt, "plan_status", plan,
                              {{"from", "in_review"}, {"to", "approved"}, {"content_hash", *hash}}, plan);
        !s)
        return s;
    if (auto s = writer.write(plan, "plan", "status", "in_progress", plan); !s) return s;
    if (auto s = writer.audit(member["mkt.head"], "publish", plan, {{"from", "approved"}, {"to", "in_progress"}}, plan);
        !s)
        return s;

    if (auto s = store->setCounter("demo_seeded", 1); !s) return s;
    if (auto s = writer.finish(); !s) return s;
    return (*batch)->commit();
}

}  // namespace tandem::server
