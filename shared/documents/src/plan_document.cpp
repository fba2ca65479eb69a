#include "tandem/core/plan_document.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

#include "tandem/core/canonical_json.h"

namespace tandem::core {

namespace {

// ---- small readers ----------------------------------------------------------------------

std::string text(const Entity& e, const std::string& field) {
    const Json& v = e.get(field);
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
    return {};
}

std::optional<EntityId> ref(const Entity& e, const std::string& field) {
    const Json& v = e.get(field);
    if (!v.is_string()) return std::nullopt;
    return EntityId::parse(v.get_ref<const std::string&>());
}

std::optional<std::int64_t> instant(const Entity& e, const std::string& field) {
    const Json& v = e.get(field);
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_unsigned()) return static_cast<std::int64_t>(v.get<std::uint64_t>());
    return std::nullopt;
}

std::vector<EntityId> family(const Entity& e, const std::string& prefix, const Json& want) {
    std::vector<EntityId> keys;
    const std::string head = prefix + ".";
    for (auto it = e.fields.lower_bound(head); it != e.fields.end() && it->first.starts_with(head); ++it)
        if (it->second.value == want)
            if (auto id = EntityId::parse(std::string_view(it->first).substr(head.size()))) keys.push_back(*id);
    return keys;
}

// ---- words ------------------------------------------------------------------------------

struct Word {
    const char* zh;
    const char* en;
};

std::string tr(Language lang, const Word& w) {
    return lang == Language::Chinese ? w.zh : w.en;
}

// A stored enum value in words; unknown values are shown as stored.
std::string enumLabel(Language lang, const std::string& value) {
    static const std::map<std::string, Word> kWords{
        {"draft", {"草稿", "draft"}},
        {"in_review", {"评审中", "in review"}},
        {"approved", {"已批准", "approved"}},
        {"in_progress", {"进行中", "in progress"}},
        {"done", {"已完成", "done"}},
        {"archived", {"已归档", "archived"}},
        {"not_started", {"未开始", "not started"}},
        {"delayed", {"延期", "delayed"}},
        {"blocked", {"受阻", "blocked"}},
        {"pending", {"待定", "pending"}},
        {"reached", {"已达成", "reached"}},
        {"missed", {"未按期达成", "missed"}},
        {"open", {"未关闭", "open"}},
        {"watching", {"观察中", "watching"}},
        {"occurred", {"已发生", "occurred"}},
        {"closed", {"已关闭", "closed"}},
        {"H", {"高", "high"}},
        {"M", {"中", "medium"}},
        {"L", {"低", "low"}},
        {"red", {"红灯", "red"}},
        {"yellow", {"黄灯", "yellow"}},
        {"green", {"绿灯", "green"}},
        {"pass", {"通过", "pass"}},
        {"fail", {"不通过", "fail"}},
        {"accepted", {"验收通过", "accepted"}},
        {"rejected", {"不通过", "rejected"}},
        {"approve", {"批准", "approve"}},
        {"reject", {"驳回", "reject"}},
        {"acknowledge", {"确认", "acknowledge"}},
        {"resolved", {"已解决", "resolved"}},
        {"general", {"一般", "general"}},
        {"key", {"关键", "key"}},
    };
    auto it = kWords.find(value);
    return it == kWords.end() ? value : tr(lang, it->second);
}

std::string ragLabel(Language lang, Rag rag) {
    return enumLabel(lang, ragName(rag));
}

std::string joinNames(const std::vector<std::string>& names, Language lang) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : (lang == Language::Chinese ? "、" : ", ")) + n;
    return out;
}

/// Who a warning is routed to, by name.
std::string recipients(const PlanSnapshot& plan, const Warning& warning, Language lang) {
    std::vector<std::string> names;
    for (const EntityId& member : warning.routedTo) names.push_back(plan.memberName(member));
    return joinNames(names, lang);
}

std::string sectionNumber(int n, Language lang) {
    if (lang == Language::English) return std::to_string(n) + ". ";
    static const char* kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    std::string s;
    if (n <= 10)
        s = kDigits[n];
    else if (n < 20)
        s = std::string("十") + kDigits[n - 10];
    else
        s = std::to_string(n);
    return s + "、";
}

// ---- the document model, rendered as Markdown and as PDF ------------------------------------

struct KeyValue {
    std::string key;
    std::string value;
};

struct Table {
    std::vector<std::string> headers;
    std::vector<double> weights;  // relative column widths
    std::vector<std::vector<std::string>> rows;
};

struct Section {
    std::string title;
    std::vector<KeyValue> fields;
    std::vector<Table> tables;
    std::string note;
    std::vector<KeyValue> after;  // fields shown after the tables
};

struct DocModel {
    std::string title;
    std::vector<KeyValue> meta;
    std::vector<Section> sections;
    std::string closing;
};

std::vector<const Entity*> orderedTasks(const PlanSnapshot& plan) {
    std::vector<const Entity*> tasks;
    for (const Entity& t : plan.tasks) tasks.push_back(&t);
    std::sort(tasks.begin(), tasks.end(), [](const Entity* a, const Entity* b) {
        const std::string ka = text(*a, "sort_key"), kb = text(*b, "sort_key");
        return std::make_tuple(ka.empty(), ka, text(*a, "due"), text(*a, "name"), a->id) <
               std::make_tuple(kb.empty(), kb, text(*b, "due"), text(*b, "name"), b->id);
    });
    return tasks;
}

int taskDepth(const PlanSnapshot& plan, const Entity& task) {
    int depth = 0;
    const Entity* current = &task;
    while (depth < 8) {
        auto parent = ref(*current, "parent");
        const Entity* next = parent ? plan.task(*parent) : nullptr;
        if (!next) break;
        current = next;
        ++depth;
    }
    return depth;
}

std::vector<EntityId> planDepartments(const PlanSnapshot& plan) {
    std::vector<EntityId> out;
    if (auto lead = ref(plan.plan, "lead_department")) out.push_back(*lead);
    for (const EntityId& d : plan.participants())
        if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
    return out;
}

std::string personOr(const PlanSnapshot& plan, const Entity& e, const char* field) {
    auto id = ref(e, field);
    return id ? plan.memberName(*id) : std::string();
}

std::string departmentOr(const PlanSnapshot& plan, const Entity& e, const char* field) {
    auto id = ref(e, field);
    return id ? plan.departmentName(*id) : std::string();
}

std::string documentTitle(const PlanSnapshot& plan, Language lang) {
    std::string title = text(plan.plan, "title");
    if (lang == Language::English) return title + " — Cross-department Collaboration Plan";
    return title + (title.ends_with("协作计划") ? "" : " 跨部门协作计划");
}

DocModel buildModel(const PlanSnapshot& plan, const PlanDocumentOptions& options) {
    const Language lang = options.language;
    const bool zh = lang == Language::Chinese;
    auto w = [&](const char* z, const char* e) { return std::string(zh ? z : e); };
    const Entity& p = plan.plan;
    DocModel doc;
    doc.title = documentTitle(plan, lang);
    doc.meta = {
        {w("牵头部门", "Lead department"), departmentOr(plan, p, "lead_department")},
        {w("计划负责人", "Plan owner"), personOr(plan, p, "owner")},
        {w("状态", "Status"), enumLabel(lang, text(p, "status"))},
        {w("计划周期", "Period"), text(p, "start") + " – " + text(p, "end")},
    };
    if (options.rag) doc.meta.push_back({w("整体状态", "Overall RAG"), ragLabel(lang, *options.rag)});
    if (options.generatedAtMs > 0)
        doc.meta.push_back(
            {w("导出时间", "Exported"), formatLocalTime(options.generatedAtMs, options.utcOffsetMinutes)});

    int n = 0;
    auto section = [&](const char* z, const char* e) -> Section& {
        doc.sections.push_back(Section{sectionNumber(++n, lang) + w(z, e), {}, {}, {}, {}});
        return doc.sections.back();
    };

    section("项目背景", "Background").fields = {{w("背景", "Background"), text(p, "background")}};

    section("协作目标（SMART）", "Goal (SMART)").fields = {
        {w("目标", "Goal"), text(p, "goal_what")},
        {w("衡量指标", "Metric"), text(p, "goal_metric")},
        {w("目标值", "Target"), text(p, "goal_target")},
        {w("截止日期", "Deadline"), text(p, "goal_deadline")},
    };

    section("协作范围", "Scope").fields = {
        {w("包含", "In scope"), text(p, "scope_in")},
        {w("不包含", "Out of scope"), text(p, "scope_out")},
    };

    const auto departments = planDepartments(plan);
    const auto lead = ref(p, "lead_department");
    {
        Section& s = section("部门职责与目标共识", "Departments and agreed sub-goals");
        Table t{{w("部门", "Department"), w("角色", "Role"), w("部门负责人", "Head"), w("子目标", "Sub-goal")},
                {1.2, 0.8, 1.0, 4.0},
                {}};
        for (const EntityId& d : departments) {
            const auto head = plan.departmentHead(d);
            t.rows.push_back({plan.departmentName(d), d == lead ? w("牵头", "lead") : w("参与", "participant"),
                              head ? plan.memberName(*head) : "", text(p, "subgoal." + d.hex())});
        }
        s.tables.push_back(std::move(t));
    }

    const auto tasks = orderedTasks(plan);
    {
        Section& s = section("RACI 矩阵", "RACI matrix");
        Table t;
        t.headers.push_back(w("任务", "Task"));
        t.weights.push_back(3.0);
        for (const EntityId& d : departments) {
            t.headers.push_back(plan.departmentName(d));
            t.weights.push_back(1.0);
        }
        for (const Entity* task : tasks) {
            std::vector<std::string> row{text(*task, "name")};
            for (const EntityId& d : departments) row.push_back(text(*task, "raci." + d.hex()));
            t.rows.push_back(std::move(row));
        }
        s.tables.push_back(std::move(t));
        s.note = w("R 负责　A 审批　C 咨询　I 知会", "R responsible / A accountable / C consulted / I informed");
    }

    {
        Section& s = section("沟通机制", "Communication");
        const std::string hours = text(p, "escalation_hours").empty() ? "48" : text(p, "escalation_hours");
        s.fields = {
            {w("例会安排", "Meetings"), text(p, "meeting_cadence")},
            {w("沟通渠道", "Channels"), text(p, "channels")},
            {w("升级联系人", "Escalation contact"), personOr(plan, p, "escalation_contact")},
            {w("问题处理时限", "Problem handling"),
             zh ? "问题反馈后 24 小时内组织协调会；超过 " + hours + " 小时未解决升级至升级联系人"
                : "a coordination meeting within 24 hours of a report; escalated to the contact after " + hours +
                      " hours unresolved"},
        };
    }

    {
        Section& s = section("任务与时间节点", "Tasks and schedule");
        Table t{{w("任务", "Task"), w("负责部门", "Lead"), w("负责人", "Owner"), w("协作部门", "Collaborators"),
                 w("开始", "Start"), w("完成", "Due"), w("交付标准", "Deliverable standard"), w("状态", "Status"),
                 w("完成率", "Done")},
                {2.2, 1.0, 0.9, 1.2, 1.25, 1.25, 2.6, 0.9, 0.8},
                {}};
        for (const Entity* task : tasks) {
            std::vector<std::string> collaborators;
            for (const EntityId& d : family(*task, "collaborators", true))
                collaborators.push_back(plan.departmentName(d));
            std::string name;
            // WBS children are indented; U+2514 and U+3000 are in GB2312, so STSong-Light prints them.
            if (const int depth = taskDepth(plan, *task); depth > 0) {
                for (int i = 1; i < depth; ++i) name += "\u3000";
                name += "\u2514 ";
            }
            name += text(*task, "name");
            std::vector<std::string> predecessors;
            for (const EntityId& id : family(*task, "predecessors", true))
                if (const Entity* up = plan.task(id)) predecessors.push_back(text(*up, "name"));
            if (!predecessors.empty())
                name += (zh ? "（前置：" : " (after: ") + joinNames(predecessors, lang) + (zh ? "）" : ")");
            const std::string percent = text(*task, "percent");
            t.rows.push_back({name, departmentOr(plan, *task, "lead_department"), personOr(plan, *task, "owner"),
                              joinNames(collaborators, lang), text(*task, "start"), text(*task, "due"),
                              text(*task, "deliverable_standard"), enumLabel(lang, text(*task, "status")),
                              percent.empty() ? "" : percent + "%"});
        }
        s.tables.push_back(std::move(t));
    }

    {
        Section& s = section("里程碑", "Milestones");
        std::vector<const Entity*> milestones;
        for (const Entity& m : plan.milestones) milestones.push_back(&m);
        std::sort(milestones.begin(), milestones.end(), [](const Entity* a, const Entity* b) {
            return std::make_tuple(text(*a, "due"), text(*a, "name"), a->id) <
                   std::make_tuple(text(*b, "due"), text(*b, "name"), b->id);
        });
        Table t{{w("里程碑", "Milestone"), w("计划日期", "Due"), w("交付物", "Deliverable"), w("状态", "Status")},
                {2.0, 1.0, 3.5, 1.0},
                {}};
        for (const Entity* m : milestones)
            t.rows.push_back(
                {text(*m, "name"), text(*m, "due"), text(*m, "deliverable"), enumLabel(lang, text(*m, "status"))});
        s.tables.push_back(std::move(t));
    }

    {
        Section& s = section("风险与应对", "Risks and responses");
        Table t{{w("风险", "Risk"), w("影响", "Impact"), w("概率", "Prob."), w("责任部门", "Owner"),
                 w("应对措施", "Mitigation"), w("触发条件", "Trigger"), w("状态", "Status")},
                {1.6, 0.6, 0.6, 1.0, 2.4, 2.0, 0.9},
                {}};
        for (const Entity& r : plan.risks) {
            std::string status = enumLabel(lang, text(r, "status"));
            if (!text(r, "rag").empty()) status += " / " + enumLabel(lang, text(r, "rag"));
            t.rows.push_back({text(r, "title"), enumLabel(lang, text(r, "impact")),
                              enumLabel(lang, text(r, "probability")), departmentOr(plan, r, "owner_department"),
                              text(r, "mitigation"), text(r, "trigger"), status});
        }
        s.tables.push_back(std::move(t));
    }

    if (!options.warnings.empty()) {
        Section& s = section("当前预警", "Current warnings");
        Table t{{w("级别", "Level"), w("预警", "Warning"), w("通知", "Routed to"), w("起始", "Since")},
                {0.8, 4.5, 1.0, 1.6},
                {}};
        for (const Warning& warning : options.warnings)
            t.rows.push_back({ragLabel(lang, warning.severity), formatWarning(warning, lang),
                              recipients(plan, warning, lang),
                              formatLocalTime(warning.sinceMs, options.utcOffsetMinutes)});
        s.tables.push_back(std::move(t));
    }

    section("验收与整改", "Acceptance and rework").fields = {
        {w("完整性", "Completeness"), enumLabel(lang, text(p, "acceptance_completeness"))},
        {w("准确性", "Accuracy"), enumLabel(lang, text(p, "acceptance_accuracy"))},
        {w("时效性", "Timeliness"), enumLabel(lang, text(p, "acceptance_timeliness"))},
        {w("验收结论", "Result"), enumLabel(lang, text(p, "acceptance_result"))},
        {w("验收说明", "Notes"), text(p, "acceptance_note")},
        {w("整改要求", "Rework required"), text(p, "rectification")},
        {w("整改期限", "Rework due"), text(p, "rectification_due")},
        {w("复盘总结", "Retrospective"), text(p, "retrospective")},
    };

    {
        Section& s = section("审批会签", "Sign-offs");
        std::vector<const Entity*> signoffs;
        for (const Entity& so : plan.signoffs)
            if (ref(so, "subject") == p.id) signoffs.push_back(&so);
        std::sort(signoffs.begin(), signoffs.end(), [](const Entity* a, const Entity* b) {
            return std::make_pair(instant(*a, "signed_at").value_or(0), a->id) <
                   std::make_pair(instant(*b, "signed_at").value_or(0), b->id);
        });
        Table t{{w("签署人", "Signer"), w("部门", "Department"), w("时间", "Time"), w("含义", "Meaning"),
                 w("意见", "Comment"), w("状态", "Validity")},
                {1.0, 1.0, 1.6, 0.8, 2.2, 1.4},
                {}};
        for (const Entity* so : signoffs) {
            const auto signedAt = instant(*so, "signed_at");
            const bool stale = so->get("stale") == true;
            t.rows.push_back({personOr(plan, *so, "signer"), departmentOr(plan, *so, "department"),
                              signedAt ? formatLocalTime(*signedAt, options.utcOffsetMinutes) : "",
                              enumLabel(lang, text(*so, "meaning")), text(*so, "comment"),
                              stale
                                  ? w("已失效（内容已变更，需重新审批）", "STALE — content changed, re-approval needed")
                                  : w("有效", "current")});
        }
        s.tables.push_back(std::move(t));
        s.after = {{w("审计链头", "Audit chain head"), options.auditHead.empty() ? "-" : options.auditHead}};
    }

    doc.closing = w("归档要求：最终版由牵头部门存档，保存期限不少于 2 年。",
                    "Filing: the lead department keeps the final version for at least 2 years.");
    return doc;
}

// ---- Markdown -------------------------------------------------------------------------------

std::string mdCell(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '|')
            out += "\\|";
        else if (c == '\r')
            continue;
        else if (c == '\n')
            out += "<br>";
        else
            out += c;
    }
    return out;
}

std::string renderMarkdown(const DocModel& doc) {
    std::string md = "# " + mdCell(doc.title) + "\n\n";
    for (const auto& kv : doc.meta) md += "- **" + kv.key + "**: " + mdCell(kv.value) + "\n";
    for (const Section& s : doc.sections) {
        md += "\n## " + s.title + "\n\n";
        for (const auto& kv : s.fields)
            md += "**" + kv.key + "**: " + (kv.value.empty() ? "-" : mdCell(kv.value)) + "\n\n";
        for (const Table& t : s.tables) {
            md += "|";
            for (const auto& h : t.headers) md.append(" ").append(mdCell(h)).append(" |");
            md += "\n|";
            for (std::size_t i = 0; i < t.headers.size(); ++i) md += "---|";
            md += "\n";
            for (const auto& row : t.rows) {
                md += "|";
                for (const auto& c : row) md.append(" ").append(mdCell(c)).append(" |");
                md += "\n";
            }
            if (t.rows.empty())
                md += "| -" + std::string(t.headers.size() > 1 ? std::string(t.headers.size() - 1, '|') : "") + " |\n";
            md += "\n";
        }
        if (!s.note.empty()) md += "_" + s.note + "_\n";
        for (const auto& kv : s.after)
            md += "**" + kv.key + "**: " + (kv.value.empty() ? "-" : mdCell(kv.value)) + "\n\n";
    }
    md += "\n---\n\n" + doc.closing + "\n";
    return md;
}

// ---- PDF ------------------------------------------------------------------------------------

// UTF-8 → code points; nullopt when not valid UTF-8.
std::optional<std::u32string> decodeUtf8(std::string_view s) {
    if (utf8Length(s) < 0) return std::nullopt;
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += len;
    }
    return out;
}

// Widths in 1/1000 em: the font's W array gives CIDs 1–95 (ASCII) half width.
int glyphWidth(char32_t c) {
    return c >= 0x20 && c <= 0x7E ? 500 : 1000;
}

double measure(const std::u32string& s, double size) {
    double units = 0;
    for (char32_t c : s) units += glyphWidth(c);
    return units * size / 1000.0;
}

// Locale-independent fixed-point number with up to 2 decimals.
std::string num(double v) {
    const long long hundredths = static_cast<long long>(v * 100 + (v < 0 ? -0.5 : 0.5));
    const long long whole = hundredths / 100;
    const long long frac = std::llabs(hundredths % 100);
    std::string out = (hundredths < 0 && whole == 0 ? "-" : "") + std::to_string(whole);
    if (frac != 0) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%02lld", frac);
        out += ".";
        out += buf;
        while (out.back() == '0') out.pop_back();
    }
    return out;
}

std::string hexUcs2(const std::u32string& s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out = "<";
    for (char32_t c : s) {
        if (c < 0x20) continue;
        if (c > 0xFFFF || (c >= 0xD800 && c <= 0xDFFF)) c = U'?';
        // UniGB-UCS2-H has no U+00B7 (as in 约翰·史密斯); Adobe-GB1's middle dot is reached by U+30FB.
        if (c == 0x00B7) c = 0x30FB;
        for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(c >> shift) & 0xF];
    }
    return out + ">";
}

// Greedy line breaking: CJK text breaks anywhere, Latin words at spaces when possible.
std::vector<std::u32string> wrap(const std::u32string& s, double width, double size) {
    std::vector<std::u32string> lines;
    std::u32string line;
    double lineWidth = 0;
    for (char32_t c : s) {
        if (c == U'\r') continue;
        if (c == U'\n') {
            lines.push_back(line);
            line.clear();
            lineWidth = 0;
            continue;
        }
        if (c == U'\t') c = U' ';
        const double cw = glyphWidth(c) * size / 1000.0;
        if (lineWidth + cw > width && !line.empty()) {
            std::u32string carry;
            const bool latin = c < 0x80 && c != U' ';
            if (latin) {
                const auto space = line.find_last_of(U' ');
                if (space != std::u32string::npos && space > 0) {
                    carry = line.substr(space + 1);
                    line.erase(space);
                }
            }
            lines.push_back(line);
            line = carry;
            lineWidth = measure(line, size);
            if (c == U' ' && line.empty()) continue;  // no leading space on a new line
        }
        line.push_back(c);
        lineWidth += cw;
    }
    if (!line.empty() || lines.empty()) lines.push_back(line);
    return lines;
}

class PdfBuilder {
public:
    static constexpr double kPageWidth = 595.28;
    static constexpr double kPageHeight = 841.89;
    static constexpr double kLeft = 48;
    static constexpr double kRight = kPageWidth - 48;
    static constexpr double kTop = kPageHeight - 50;
    static constexpr double kBottom = 58;
    static constexpr double kWidth = kRight - kLeft;

    double y = kTop;

    void newPage() {
        m_pages.emplace_back();
        y = kTop;
    }
    void ensure(double height) {
        if (m_pages.empty() || y - height < kBottom) newPage();
    }
    bool atPageTop() const { return y >= kTop - 0.01; }

    void text(double x, double baseline, double size, const std::u32string& s, bool bold = false) {
        std::string& c = m_pages.back();
        c += "BT /F1 " + num(size) + " Tf ";
        // Tr is text state and outlives ET: set it on every run. Bold = fill + a thin stroke.
        c += bold ? "2 Tr " + num(size / 28) + " w " : "0 Tr ";
        c += num(x) + " " + num(baseline) + " Td " + hexUcs2(s) + " Tj ET\n";
    }
    void line(double x1, double y1, double x2, double y2, double width = 0.5) {
        m_pages.back() += num(width) + " w " + num(x1) + " " + num(y1) + " m " + num(x2) + " " + num(y2) + " l S\n";
    }
    void fill(double x, double yBottom, double w, double h, double gray) {
        m_pages.back() += num(gray) + " g " + num(x) + " " + num(yBottom) + " " + num(w) + " " + num(h) + " re f 0 g\n";
    }

    /// Wrapped paragraph at x over width; moves y down.
    void paragraph(const std::u32string& s, double size, double x = kLeft, double width = kWidth, bool bold = false) {
        const double lead = size * 1.45;
        for (const auto& l : wrap(s, width, size)) {
            ensure(lead);
            y -= lead;
            text(x, y + size * 0.3, size, l, bold);
        }
    }

    void table(const std::vector<std::u32string>& headers, const std::vector<double>& weights,
               const std::vector<std::vector<std::u32string>>& rows, double size) {
        double total = 0;
        for (double wgt : weights) total += wgt;
        std::vector<double> widths;
        for (double wgt : weights) widths.push_back(kWidth * wgt / total);
        const double pad = 3;
        const double lead = size * 1.35;
        auto layout = [&](const std::vector<std::u32string>& cells) {
            std::vector<std::vector<std::u32string>> out;
            std::size_t maxLines = 1;
            for (std::size_t i = 0; i < widths.size(); ++i) {
                out.push_back(wrap(i < cells.size() ? cells[i] : std::u32string(), widths[i] - 2 * pad, size));
                maxLines = std::max(maxLines, out.back().size());
            }
            return std::make_pair(out, maxLines * lead + 2 * pad);
        };
        const auto header = layout(headers);
        auto drawRow = [&](const std::vector<std::vector<std::u32string>>& cells, double height, bool isHeader) {
            const double topY = y;
            if (isHeader) fill(kLeft, topY - height, kWidth, height, 0.9);
            double x = kLeft;
            for (std::size_t i = 0; i < widths.size(); ++i) {
                double baseline = topY - pad - size;
                for (const auto& l : cells[i]) {
                    text(x + pad, baseline + size * 0.15, size, l, isHeader);
                    baseline -= lead;
                }
                x += widths[i];
            }
            // Cell borders: top, bottom and the verticals.
            line(kLeft, topY, kRight, topY);
            line(kLeft, topY - height, kRight, topY - height);
            x = kLeft;
            for (std::size_t i = 0; i <= widths.size(); ++i) {
                line(x, topY, x, topY - height);
                if (i < widths.size()) x += widths[i];
            }
            y -= height;
        };
        const double fullPage = kTop - kBottom - header.second;
        ensure(header.second + lead + 2 * pad);
        drawRow(header.first, header.second, true);
        for (const auto& r : rows) {
            auto [cells, height] = layout(r);
            if (height > fullPage) {  // a giant cell: keep what fits on one page
                const auto keep = static_cast<std::size_t>((fullPage - 2 * pad) / lead);
                for (auto& c : cells)
                    if (c.size() > keep) {
                        c.resize(keep);
                        c.back() += U"…";
                    }
                height = keep * lead + 2 * pad;
            }
            if (y - height < kBottom) {
                newPage();
                drawRow(header.first, header.second, true);
            }
            drawRow(cells, height, false);
        }
        if (rows.empty()) {
            ensure(lead + 2 * pad);
            std::vector<std::vector<std::u32string>> empty(widths.size());
            empty[0] = {U"-"};
            drawRow(empty, lead + 2 * pad, false);
        }
    }

    /// The PDF bytes, with a footer on every page.
    std::string finish(const std::u32string& footer, const std::string& infoTitleHex, const std::string& creationDate) {
        const std::size_t pageCount = m_pages.size();
        for (std::size_t i = 0; i < pageCount; ++i) {
            const std::u32string pageNo = toU32(std::to_string(i + 1) + " / " + std::to_string(pageCount));
            std::string& c = m_pages[i];
            c += "0.5 g\n";
            const std::u32string left = footer;
            c += "BT /F1 8 Tf " + num(kLeft) + " 36 Td " + hexUcs2(left) + " Tj ET\n";
            c += "BT /F1 8 Tf " + num(kRight - measure(pageNo, 8)) + " 36 Td " + hexUcs2(pageNo) + " Tj ET\n";
            c += "0 g\n";
            c = num(0.4) + " w " + num(kLeft) + " 48 m " + num(kRight) + " 48 l S\n" + c;
        }

        std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
        std::vector<std::size_t> offsets;
        auto object = [&](const std::string& body) {
            offsets.push_back(out.size());
            out += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
        };
        auto stream = [&](const std::string& dict, const std::string& data) {
            return "<< " + dict + (dict.empty() ? "" : " ") + "/Length " + std::to_string(data.size()) +
                   " >>\nstream\n" + data + "\nendstream";
        };
        // 1 catalog, 2 pages, 3 Type0 font, 4 CID font, 5 descriptor, 6 ToUnicode, 7 info, then page + content pairs.
        const std::size_t firstPage = 8;
        std::string kids;
        for (std::size_t i = 0; i < pageCount; ++i) kids += std::to_string(firstPage + 2 * i) + " 0 R ";
        object("<< /Type /Catalog /Pages 2 0 R >>");
        object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pageCount) + " >>");
        object(
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
            "/DescendantFonts [4 0 R] /ToUnicode 6 0 R >>");
        object(
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
            "/FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>");
        object(
            "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
            "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>");
        object(stream("", toUnicodeCMap()));
        object("<< /Title " + infoTitleHex + " /Producer (Tandem) /Creator (Tandem)" +
               (creationDate.empty() ? "" : " /CreationDate (" + creationDate + ")") + " >>");
        for (std::size_t i = 0; i < pageCount; ++i) {
            object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + num(kPageWidth) + " " + num(kPageHeight) +
                   "] /Resources << /Font << /F1 3 0 R >> >> /Contents " + std::to_string(firstPage + 2 * i + 1) +
                   " 0 R >>");
            object(stream("", m_pages[i]));
        }
        const std::size_t xref = out.size();
        out += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
        for (std::size_t off : offsets) {
            char buf[24];
            std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
            out += buf;
        }
        out += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R /Info 7 0 R >>\nstartxref\n" +
               std::to_string(xref) + "\n%%EOF\n";
        return out;
    }

    static std::u32string toU32(const std::string& s) { return decodeUtf8(s).value_or(U"?"); }

private:
    // Codes are UCS-2 code units and map to themselves.
    static std::string toUnicodeCMap() {
        std::string ranges;
        int count = 0;
        std::string block;
        auto flush = [&] {
            if (count == 0) return;
            ranges += std::to_string(count) + " beginbfrange\n" + block + "endbfrange\n";
            block.clear();
            count = 0;
        };
        for (int hi = 0; hi < 256; ++hi) {
            if (hi >= 0xD8 && hi <= 0xDF) continue;  // surrogates
            char buf[40];
            std::snprintf(buf, sizeof buf, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
            block += buf;
            if (++count == 100) flush();
        }
        flush();
        return "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
               "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
               "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
               "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" +
               ranges + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend";
    }

    std::vector<std::string> m_pages;
};

std::string utf16HexString(const std::u32string& s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out = "<FEFF";
    auto unit = [&](std::uint32_t u) {
        for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(u >> shift) & 0xF];
    };
    for (char32_t c : s) {
        if (c > 0xFFFF) {
            const std::uint32_t v = c - 0x10000;
            unit(0xD800 + (v >> 10));
            unit(0xDC00 + (v & 0x3FF));
        } else {
            unit(c);
        }
    }
    return out + ">";
}

std::string pdfDate(std::int64_t ms, int offsetMinutes) {
    if (ms <= 0) return {};
    const CalendarDate day = localDate(ms, offsetMinutes);
    const std::chrono::year_month_day ymd{day};
    const std::int64_t secondsOfDay = (ms - startOfDay(day, offsetMinutes)) / 1000;
    char buf[40];
    const int off = std::abs(offsetMinutes);
    std::snprintf(buf, sizeof buf, "D:%04d%02u%02u%02d%02d%02d%c%02d'%02d'", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(secondsOfDay / 3600), static_cast<int>(secondsOfDay / 60 % 60),
                  static_cast<int>(secondsOfDay % 60), offsetMinutes < 0 ? '-' : '+', off / 60, off % 60);
    return buf;
}

// ---- CSV ------------------------------------------------------------------------------------

std::string csvCell(const std::string& value) {
    // Spreadsheets run cells that start like a formula; an apostrophe keeps them text.
    if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@'))
        return csvField("'" + value);
    return csvField(value);
}

std::string csvRows(const std::vector<std::vector<std::string>>& rows) {
    std::string out = "\xEF\xBB\xBF";
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) out.append(i ? "," : "").append(csvCell(row[i]));
        out += "\r\n";
    }
    return out;
}

}  // namespace

std::string csvField(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string planMarkdown(const PlanSnapshot& plan, const PlanDocumentOptions& options) {
    return renderMarkdown(buildModel(plan, options));
}

std::string tasksCsv(const PlanSnapshot& plan, const PlanDocumentOptions& options) {
    const Language lang = options.language;
    const bool zh = lang == Language::Chinese;
    const auto departments = planDepartments(plan);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header =
        zh ? std::vector<std::string>{"序号",     "任务ID",   "任务名称", "上级任务", "负责部门", "负责人",
                                      "协作部门", "开始日期", "完成日期", "交付标准", "资源需求", "风险预案",
                                      "前置任务", "状态",     "完成率",   "实际完成"}
           : std::vector<std::string>{"No.",
                                      "Task ID",
                                      "Task",
                                      "Parent",
                                      "Lead department",
                                      "Owner",
                                      "Collaborators",
                                      "Start",
                                      "Due",
                                      "Deliverable standard",
                                      "Resource needs",
                                      "Contingency",
                                      "Predecessors",
                                      "Status",
                                      "Percent",
                                      "Actual finish"};
    for (const EntityId& d : departments) header.push_back("RACI " + plan.departmentName(d));
    rows.push_back(std::move(header));
    int index = 0;
    for (const Entity* task : orderedTasks(plan)) {
        std::vector<std::string> collaborators, predecessors;
        for (const EntityId& d : family(*task, "collaborators", true)) collaborators.push_back(plan.departmentName(d));
        for (const EntityId& id : family(*task, "predecessors", true)) {
            const Entity* up = plan.task(id);
            predecessors.push_back(up ? text(*up, "name") : id.hex());
        }
        std::string parent;
        if (auto parentId = ref(*task, "parent")) {
            const Entity* up = plan.task(*parentId);
            parent = up ? text(*up, "name") : parentId->hex();
        }
        std::vector<std::string> row{std::to_string(++index),
                                     task->id.hex(),
                                     text(*task, "name"),
                                     parent,
                                     departmentOr(plan, *task, "lead_department"),
                                     personOr(plan, *task, "owner"),
                                     joinNames(collaborators, lang),
                                     text(*task, "start"),
                                     text(*task, "due"),
                                     text(*task, "deliverable_standard"),
                                     text(*task, "resource_needs"),
                                     text(*task, "contingency"),
                                     joinNames(predecessors, lang),
                                     enumLabel(lang, text(*task, "status")),
                                     text(*task, "percent"),
                                     text(*task, "actual_finish")};
        for (const EntityId& d : departments) row.push_back(text(*task, "raci." + d.hex()));
        rows.push_back(std::move(row));
    }
    return csvRows(rows);
}

std::string progressCsv(const PlanSnapshot& plan, const PlanDocumentOptions& options) {
    const bool zh = options.language == Language::Chinese;
    std::vector<std::vector<std::string>> rows;
    rows.push_back(zh ? std::vector<std::string>{"填报时间", "任务", "负责部门", "填报人", "完成率", "进展说明",
                                                 "存在问题", "解决方案", "下一步计划", "记录ID"}
                      : std::vector<std::string>{"Reported", "Task", "Lead department", "Author", "Percent", "Note",
                                                 "Problem", "Solution", "Next step", "Entry ID"});
    auto when = [](const Entity& e) {
        if (auto v = instant(e, "reported_at")) return *v;
        std::uint64_t first = UINT64_MAX;
        for (const auto& [name, fv] : e.fields) first = std::min(first, fv.hlc.physicalMs());
        return first == UINT64_MAX ? std::int64_t{0} : static_cast<std::int64_t>(first);
    };
    std::vector<const Entity*> entries;
    for (const Entity& e : plan.progressEntries) entries.push_back(&e);
    std::sort(entries.begin(), entries.end(), [&](const Entity* a, const Entity* b) {
        return std::make_pair(when(*a), a->id) < std::make_pair(when(*b), b->id);
    });
    for (const Entity* e : entries) {
        const auto taskId = ref(*e, "task");
        const Entity* task = taskId ? plan.task(*taskId) : nullptr;
        rows.push_back({formatLocalTime(when(*e), options.utcOffsetMinutes),
                        task ? text(*task, "name") : (taskId ? taskId->hex() : std::string()),
                        task ? departmentOr(plan, *task, "lead_department") : std::string(),
                        personOr(plan, *e, "author"), text(*e, "percent"), text(*e, "note"), text(*e, "problem"),
                        text(*e, "solution"), text(*e, "next_step"), e->id.hex()});
    }
    return csvRows(rows);
}

Result<std::string> planPdf(const PlanSnapshot& plan, const PlanDocumentOptions& options) {
    const DocModel doc = buildModel(plan, options);
    bool invalid = false;
    auto u = [&](const std::string& s) {
        auto decoded = decodeUtf8(s);
        if (!decoded) invalid = true;
        return decoded.value_or(U"");
    };

    PdfBuilder pdf;
    pdf.newPage();
    // Title block.
    const std::u32string title = u(doc.title);
    for (const auto& l : wrap(title, PdfBuilder::kWidth, 17)) {
        pdf.y -= 17 * 1.4;
        pdf.text(PdfBuilder::kLeft + std::max(0.0, (PdfBuilder::kWidth - measure(l, 17)) / 2), pdf.y, 17, l, true);
    }
    pdf.y -= 8;
    for (const auto& kv : doc.meta)
        pdf.paragraph(u(kv.key + (options.language == Language::Chinese ? "：" : ": ") + kv.value), 9.5);
    pdf.y -= 4;
    pdf.line(PdfBuilder::kLeft, pdf.y, PdfBuilder::kRight, pdf.y, 1);

    const double keyWidth = 92;
    // Key/value lines: the key in bold on the left, the value wrapped beside it.
    auto fields = [&](const std::vector<KeyValue>& list) {
        for (const auto& kv : list) {
            const auto lines = wrap(u(kv.value.empty() ? "-" : kv.value), PdfBuilder::kWidth - keyWidth, 9.5);
            const double lead = 9.5 * 1.45;
            bool first = true;
            for (const auto& l : lines) {
                pdf.ensure(lead);
                pdf.y -= lead;
                if (first) pdf.text(PdfBuilder::kLeft, pdf.y + 3, 9.5, u(kv.key), true);
                pdf.text(PdfBuilder::kLeft + keyWidth, pdf.y + 3, 9.5, l);
                first = false;
            }
            pdf.y -= 2;
        }
    };
    for (const Section& s : doc.sections) {
        pdf.ensure(80);  // keep a heading with the start of its content
        if (!pdf.atPageTop()) pdf.y -= 10;
        pdf.paragraph(u(s.title), 12.5, PdfBuilder::kLeft, PdfBuilder::kWidth, true);
        pdf.y -= 3;
        fields(s.fields);
        for (const Table& t : s.tables) {
            std::vector<std::u32string> headers;
            for (const auto& h : t.headers) headers.push_back(u(h));
            std::vector<std::vector<std::u32string>> rows;
            for (const auto& r : t.rows) {
                rows.emplace_back();
                for (const auto& c : r) rows.back().push_back(u(c));
            }
            pdf.y -= 2;
            pdf.table(headers, t.weights, rows, 8.5);
            pdf.y -= 4;
        }
        if (!s.note.empty()) pdf.paragraph(u(s.note), 8.5);
        fields(s.after);
    }
    pdf.y -= 8;
    pdf.paragraph(u(doc.closing), 9);
    if (invalid) return makeError("invalid_value", "the plan holds text that is not valid UTF-8");

    const std::string footerText =
        text(plan.plan, "title") + "  |  " +
        (options.auditHead.empty() ? std::string() : "audit " + options.auditHead.substr(0, 16));
    return pdf.finish(u(footerText), utf16HexString(u(doc.title)),
                      pdfDate(options.generatedAtMs, options.utcOffsetMinutes));
}

std::string planDocumentFileName(const PlanSnapshot& plan, std::string_view extension, std::string_view suffix) {
    std::string title = text(plan.plan, "title");
    if (title.empty()) title = plan.plan.id.hex();
    std::string name = title + (title.ends_with("协作计划") ? "" : "协作计划");
    if (auto lead = ref(plan.plan, "lead_department")) name += "_" + plan.departmentName(*lead);
    if (!suffix.empty()) name += "_" + std::string(suffix);
    std::string clean;
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F ||
            std::string_view("/\\:*?\"<>|").find(static_cast<char>(c)) != std::string_view::npos)
            clean += '_';
        else
            clean += static_cast<char>(c);
    }
    // No leading dots or spaces, no trailing spaces or dots (Windows).
    while (!clean.empty() && (clean.front() == '.' || clean.front() == ' ')) clean.erase(clean.begin());
    while (!clean.empty() && (clean.back() == '.' || clean.back() == ' ')) clean.pop_back();
    if (clean.empty()) clean = "plan";
    const std::string ext = "." + std::string(extension);
    const std::size_t maxBase = 200 - std::min<std::size_t>(ext.size(), 20);
    if (clean.size() > maxBase) {
        std::size_t cut = maxBase;
        while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;  // whole code points
        clean.resize(cut);
    }
    return clean + ext;
}

}  // namespace tandem::core
