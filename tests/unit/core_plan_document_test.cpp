#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "rules_fixture.h"
#include "tandem/core/plan_document.h"

using namespace tandem::core;
using namespace tandem::test;

namespace {

PlanSnapshot demoPlan(int extraTasks = 0) {
    auto plan = basePlan("in_review");
    setField(plan, "subgoal." + kSales.hex(), "渠道铺货覆盖全国30个核心城市，铺货率90%", at("2025-01-02"));
    auto t1 = makeTask(0x200, "推广方案设计", kMkt, kMktChen, "2025-03-03", "2025-03-07", 100, "done", kMkt);
    setField(t1, "deliverable_standard", "通过产品部卖点审核", at("2025-01-02"));
    setField(t1, "raci." + kProd.hex(), "C", at("2025-01-02"));
    setField(t1, "raci." + kSales.hex(), "I", at("2025-01-02"));
    setField(t1, "sort_key", "1", at("2025-01-02"));
    auto t2 = makeTask(0x201, "销售培训材料制作", kSales, kSalesLi, "2025-03-10", "2025-03-14", 40);
    setField(t2, "collaborators." + kProd.hex(), true, at("2025-01-02"));
    setField(t2, "predecessors." + t1.id.hex(), true, at("2025-01-02"));
    setField(t2, "deliverable_standard", "包含产品核心卖点、竞品对比话术, \"通过\"销售部内部测试", at("2025-01-02"));
    setField(t2, "sort_key", "2", at("2025-01-02"));
    auto t3 = makeTask(0x202, "=HYPERLINK(\"x\")", kProd, kProdHead, "2025-03-10", "2025-03-20", 0, "not_started");
    setField(t3, "parent", t2.id.hex(), at("2025-01-02"));
    setField(t3, "sort_key", "3", at("2025-01-02"));
    std::vector<Entity> entities{plan, t1, t2, t3};
    for (int i = 0; i < extraTasks; ++i) {
        auto t = makeTask(0x1000 + i, ("渠道铺货执行 第" + std::to_string(i + 1) + "批").c_str(), kSales, kSalesLi,
                          "2025-03-10", "2025-04-20", i % 100);
        setField(t, "sort_key", "9" + std::to_string(1000 + i), at("2025-01-02"));
        setField(
            t, "deliverable_standard",
            "覆盖全国30个核心城市，铺货率达90%；物流部协调仓储；财务部提供信用账期。Long English words wrap at spaces.",
            at("2025-01-02"));
        entities.push_back(t);
    }
    entities.push_back(makeEntity(entityId(0x210), "milestone",
                                  {{"plan", kPlan.hex()},
                                   {"name", "推广方案定稿"},
                                   {"due", "2025-03-07"},
                                   {"deliverable", "《推广方案V1.0》"},
                                   {"status", "reached"}}));
    entities.push_back(makeEntity(entityId(0x600), "risk",
                                  {{"plan", kPlan.hex()},
                                   {"title", "研发部人力不足导致培训资料延期"},
                                   {"impact", "H"},
                                   {"probability", "M"},
                                   {"owner_department", kProd.hex()},
                                   {"mitigation", "由市场部协调其他资源支持或调整推广时间"},
                                   {"trigger", "培训资料延期超过3天"},
                                   {"status", "open"},
                                   {"rag", "yellow"}}));
    auto approve = makeEntity(entityId(0x500), "signoff",
                              {{"plan", kPlan.hex()},
                               {"subject", kPlan.hex()},
                               {"signer", kSalesHead.hex()},
                               {"department", kSales.hex()},
                               {"meaning", "approve"},
                               {"comment", "同意"},
                               {"signed_at", at("2025-03-01", 9, 30)}});
    auto staleAck = makeEntity(entityId(0x501), "signoff",
                               {{"plan", kPlan.hex()},
                                {"subject", kPlan.hex()},
                                {"signer", kProdHead.hex()},
                                {"department", kProd.hex()},
                                {"meaning", "acknowledge"},
                                {"signed_at", at("2025-02-28", 17)},
                                {"stale", true}});
    entities.push_back(approve);
    entities.push_back(staleAck);
    entities.push_back(makeEntity(entityId(0x700), "progress_entry",
                                  {{"plan", kPlan.hex()},
                                   {"task", t2.id.hex()},
                                   {"author", kSalesLi.hex()},
                                   {"percent", 40},
                                   {"note", "初稿完成,待审核"},
                                   {"problem", "3个门店临时暂停合作"},
                                   {"solution", "协调2个新门店替代"},
                                   {"next_step", "10月13日确定\n终稿"},
                                   {"reported_at", at("2025-03-12", 17)}}));
    entities.push_back(makeEntity(entityId(0x701), "progress_entry",
                                  {{"plan", kPlan.hex()},
                                   {"task", t1.id.hex()},
                                   {"author", kMktChen.hex()},
                                   {"percent", 100},
                                   {"note", "-已完成"},
                                   {"reported_at", at("2025-03-07", 10)}}));
    return snapshotOf(entities);
}

PlanDocumentOptions options(Language language = Language::Chinese) {
    PlanDocumentOptions o;
    o.language = language;
    o.auditHead = "9f2c4e1a0b3d5e7f9f2c4e1a0b3d5e7f9f2c4e1a0b3d5e7f9f2c4e1a0b3d5e7f";
    o.generatedAtMs = at("2025-03-12", 18, 5);
    o.rag = Rag::Yellow;
    return o;
}

// Splits a CSV document (after the BOM) into rows of fields, RFC 4180.
std::vector<std::vector<std::string>> parseCsv(const std::string& csv) {
    REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    for (std::size_t i = 3; i < csv.size(); ++i) {
        const char c = csv[i];
        if (quoted) {
            if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"')
                field += csv[++i];
            else if (c == '"')
                quoted = false;
            else
                field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(field);
            field.clear();
        } else if (c == '\r') {
            REQUIRE(csv[i + 1] == '\n');
            ++i;
            rows.back().push_back(field);
            field.clear();
            rows.emplace_back();
        } else {
            REQUIRE(c != '\n');  // bare LF only inside quotes
            field += c;
        }
    }
    REQUIRE(rows.back().empty());
    rows.pop_back();
    return rows;
}

// Text drawn with Tj in the PDF's content streams, decoded from UTF-16BE hex.
std::string pdfShownText(const std::string& pdf) {
    std::string out;
    std::regex tj("<([0-9A-F]*)> Tj");
    for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), tj); it != std::sregex_iterator(); ++it) {
        const std::string hex = (*it)[1];
        for (std::size_t i = 0; i + 4 <= hex.size(); i += 4) {
            const auto cp = static_cast<char32_t>(std::stoul(hex.substr(i, 4), nullptr, 16));
            if (cp < 0x80)
                out += static_cast<char>(cp);
            else if (cp < 0x800) {
                out += static_cast<char>(0xC0 | (cp >> 6));
                out += static_cast<char>(0x80 | (cp & 0x3F));
            } else {
                out += static_cast<char>(0xE0 | (cp >> 12));
                out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (cp & 0x3F));
            }
        }
        out += '\n';
    }
    return out;
}

bool hasTool(const char* name) {
    const std::string command = std::string("command -v ") + name + " >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    pclose(pipe);
    return out;
}

}  // namespace

TEST_CASE("plan document: file names follow the template convention and are sanitised") {
    auto plan = demoPlan();
    CHECK(planDocumentFileName(plan, "pdf") == "2025年Q1新品推广协作计划_市场部.pdf");
    CHECK(planDocumentFileName(plan, "csv", "任务") == "2025年Q1新品推广协作计划_市场部_任务.csv");
    setField(plan.plan, "title", "2024年Q3新产品X推广协作计划", at("2025-01-03"));
    CHECK(planDocumentFileName(plan, "pdf") == "2024年Q3新产品X推广协作计划_市场部.pdf");
    setField(plan.plan, "title", "../Q3: a/b*c?\"d\"<e>|f\n", at("2025-01-03"));
    CHECK(planDocumentFileName(plan, "md") == "_Q3_ a_b_c__d__e__f_协作计划_市场部.md");
    std::string longTitle;
    for (int i = 0; i < 150; ++i) longTitle += "推";
    setField(plan.plan, "title", longTitle, at("2025-01-03"));
    const std::string name = planDocumentFileName(plan, "pdf");
    CHECK(name.size() <= 200);
    CHECK(utf8Length(name) > 0);  // cut on a code point boundary
    CHECK(name.ends_with(".pdf"));
}

TEST_CASE("plan document: CSV fields follow RFC 4180") {
    CHECK(csvField("plain") == "plain");
    CHECK(csvField("a,b") == "\"a,b\"");
    CHECK(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvField("two\nlines") == "\"two\nlines\"");
    CHECK(csvField("") == "");
}

TEST_CASE("plan document: tasks CSV has a BOM, a header and one row per task in plan order") {
    auto plan = demoPlan();
    const std::string csv = tasksCsv(plan, options());
    auto rows = parseCsv(csv);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0][0] == "序号");
    CHECK(rows[0][2] == "任务名称");
    CHECK(rows[0].back() == "RACI 产品部");
    for (const auto& row : rows) CHECK(row.size() == rows[0].size());
    CHECK(rows[1][2] == "推广方案设计");
    CHECK(rows[1][13] == "已完成");
    CHECK(rows[1][16] == "A");  // RACI 市场部
    CHECK(rows[2][2] == "销售培训材料制作");
    CHECK(rows[2][6] == "产品部");
    CHECK(rows[2][9] == "包含产品核心卖点、竞品对比话术, \"通过\"销售部内部测试");
    CHECK(rows[2][12] == "推广方案设计");
    CHECK(rows[3][2] == "'=HYPERLINK(\"x\")");  // not a formula in Excel
    CHECK(rows[3][3] == "销售培训材料制作");
    auto english = parseCsv(tasksCsv(plan, options(Language::English)));
    CHECK(english[0][2] == "Task");
    CHECK(english[1][13] == "done");
}

TEST_CASE("plan document: progress CSV lists entries oldest first with multi-line cells quoted") {
    auto rows = parseCsv(progressCsv(demoPlan(), options()));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0][0] == "填报时间");
    CHECK(rows[1][0] == "2025-03-07 10:00");
    CHECK(rows[1][5] == "'-已完成");
    CHECK(rows[2][1] == "销售培训材料制作");
    CHECK(rows[2][3] == "李娜");
    CHECK(rows[2][4] == "40");
    CHECK(rows[2][5] == "初稿完成,待审核");
    CHECK(rows[2][8] == "10月13日确定\n终稿");
}

TEST_CASE("plan document: Markdown has every section, the RACI table and sign-offs with stale marks") {
    const std::string md = planMarkdown(demoPlan(), options());
    for (const char* part : {"# 2025年Q1新品推广 跨部门协作计划",
                             "## 一、项目背景",
                             "## 二、协作目标（SMART）",
                             "## 三、协作范围",
                             "## 四、部门职责与目标共识",
                             "## 五、RACI 矩阵",
                             "## 六、沟通机制",
                             "## 七、任务与时间节点",
                             "## 八、里程碑",
                             "## 九、风险与应对",
                             "## 十、验收与整改",
                             "## 十一、审批会签",
                             "| 任务 | 市场部 | 销售部 | 产品部 |",
                             "| 推广方案设计 | A | I | C |",
                             "| 李强 | 销售部 | 2025-03-01 09:30 | 批准 | 同意 | 有效 |",
                             "已失效（内容已变更，需重新审批）",
                             "**审计链头**: 9f2c4e1a0b3d5e7f",
                             "整体状态**: 黄灯",
                             "保存期限不少于 2 年",
                             "渠道铺货覆盖全国30个核心城市"}) {
        INFO(part);
        CHECK(md.find(part) != std::string::npos);
    }
    const std::string en = planMarkdown(demoPlan(), options(Language::English));
    CHECK(en.find("## 5. RACI matrix") != std::string::npos);
    CHECK(en.find("STALE") != std::string::npos);
}

TEST_CASE("plan document: the PDF is well-formed PDF 1.4 with correct xref offsets") {
    auto pdf = planPdf(demoPlan(), options());
    REQUIRE(pdf);
    const std::string& bytes = *pdf;
    CHECK(bytes.rfind("%PDF-1.4\n", 0) == 0);
    CHECK(bytes.ends_with("%%EOF\n"));
    const auto startxref = bytes.rfind("startxref\n");
    REQUIRE(startxref != std::string::npos);
    const std::size_t xref = std::stoul(bytes.substr(startxref + 10));
    REQUIRE(bytes.compare(xref, 5, "xref\n") == 0);
    std::size_t pos = bytes.find('\n', xref + 5);
    const std::size_t count = std::stoul(bytes.substr(bytes.find(' ', xref + 5) + 1));
    REQUIRE(count > 8);
    pos = bytes.find('\n', pos + 1);  // skip the free entry
    for (std::size_t object = 1; object < count; ++object) {
        const std::string entry = bytes.substr(pos + 1, 20);
        REQUIRE(entry.size() == 20);
        CHECK(entry.substr(10) == " 00000 n \n");
        const std::size_t offset = std::stoul(entry.substr(0, 10));
        CHECK(bytes.compare(offset, std::to_string(object).size() + 6, std::to_string(object) + " 0 obj") == 0);
        pos += 20;
    }
    // Stream lengths match their data.
    std::regex lengthRe("/Length ([0-9]+) >>\nstream\n");
    for (auto it = std::sregex_iterator(bytes.begin(), bytes.end(), lengthRe); it != std::sregex_iterator(); ++it) {
        const std::size_t start = static_cast<std::size_t>(it->position(0) + it->length(0));
        const std::size_t length = std::stoul((*it)[1]);
        CHECK(bytes.compare(start + length, 10, "\nendstream") == 0);
    }
    CHECK(bytes.find("/BaseFont /STSong-Light /Encoding /UniGB-UCS2-H") != std::string::npos);
    CHECK(bytes.find("/MediaBox [0 0 595.28 841.89]") != std::string::npos);
    CHECK(bytes.find("/CreationDate (D:20250312180500+08'00')") != std::string::npos);
    // The same input gives the same bytes.
    CHECK(*planPdf(demoPlan(), options()) == bytes);
}

TEST_CASE("plan document: the PDF shows every section, tables and sign-offs in Chinese and English") {
    auto zh = planPdf(demoPlan(), options());
    REQUIRE(zh);
    const std::string shown = pdfShownText(*zh);
    for (const char* part : {"2025年Q1新品推广 跨部门协作计划", "一、项目背景", "五、RACI 矩阵", "七、任务与时间节点",
                             "十一、审批会签", "推广方案设计", "销售培训材料制作", "研发部人力不足", "李强", "已失效",
                             "审计链头", "9f2c4e1a0b3d5e7f", "1 / "}) {
        INFO(part);
        CHECK(shown.find(part) != std::string::npos);
    }
    auto en = planPdf(demoPlan(), options(Language::English));
    REQUIRE(en);
    const std::string shownEn = pdfShownText(*en);
    CHECK(shownEn.find("Cross-department Collaboration Plan") != std::string::npos);
    CHECK(shownEn.find("Sign-offs") != std::string::npos);
}

TEST_CASE("plan document: long plans break across pages and repeat table headers") {
    auto pdf = planPdf(demoPlan(120), options());
    REQUIRE(pdf);
    std::regex pageRe("/Type /Page /Parent");
    const auto pages = std::distance(std::sregex_iterator(pdf->begin(), pdf->end(), pageRe), std::sregex_iterator());
    CHECK(pages >= 5);
    CHECK(pdf->find("/Count " + std::to_string(pages)) != std::string::npos);
    const std::string shown = pdfShownText(*pdf);
    std::size_t headers = 0;
    for (std::size_t at = shown.find("交付标准\n"); at != std::string::npos; at = shown.find("交付标准\n", at + 1))
        ++headers;
    CHECK(headers >= 3);
    CHECK(shown.find("渠道铺货执行 第120批") != std::string::npos);
    CHECK(shown.find(std::to_string(pages) + " / " + std::to_string(pages)) != std::string::npos);
}

TEST_CASE("plan document: text outside UTF-8 is refused; outside the BMP prints as ?") {
    auto plan = demoPlan();
    setField(plan.plan, "background", "emoji 😀 here", at("2025-01-03"));
    auto pdf = planPdf(plan, options());
    REQUIRE(pdf);
    CHECK(pdfShownText(*pdf).find("emoji ? here") != std::string::npos);
    setField(plan.plan, "background", "约翰·史密斯", at("2025-01-03"));
    CHECK(pdfShownText(*planPdf(plan, options())).find("约翰\u30fb史密斯") != std::string::npos);
    setField(plan.plan, "background", std::string("bad \xC3\x28 utf8"), at("2025-01-03"));
    auto refused = planPdf(plan, options());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "invalid_value");
}

TEST_CASE("plan document: pdftotext extracts the Chinese text (when poppler-utils and poppler-data are installed)") {
    if (!hasTool("pdftotext")) {
        WARN("pdftotext not installed: skipped");
        return;
    }
    // poppler reads the non-embedded STSong-Light text through the UniGB-UCS2-H CMap of
    // the poppler-data package; without it nothing is extracted.
    if (!std::ifstream("/usr/share/poppler/cMap/Adobe-GB1/UniGB-UCS2-H")) {
        WARN("poppler-data not installed: skipped");
        return;
    }
    TempDir dir;
    auto pdf = planPdf(demoPlan(), options());
    REQUIRE(pdf);
    const std::string path = dir.file("plan.pdf");
    writeFile(path, *pdf);
    if (const char* keep = std::getenv("TANDEM_KEEP_PDF")) writeFile(keep, *pdf);
    const std::string extracted = run("pdftotext -enc UTF-8 '" + path + "' - 2>/dev/null");
    CHECK(extracted.find("跨部门协作计划") != std::string::npos);
    CHECK(extracted.find("销售培训材料制作") != std::string::npos);
    CHECK(extracted.find("审批会签") != std::string::npos);
}
