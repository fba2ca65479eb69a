#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tandem/core/schema.h"

using namespace tandem::core;

namespace {

const TypeSpec& type(std::string_view name) {
    const TypeSpec* t = findType(name);
    INFO("type " << name);
    REQUIRE(t != nullptr);
    return *t;
}

/// "" when valid, else the error code.
std::string check(std::string_view typeName, std::string_view field, const Json& value) {
    Status s = validateField(type(typeName), field, value);
    return s.ok() ? std::string() : s.error().code;
}

std::string repeat(const std::string& unit, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += unit;
    return s;
}

const std::string kDept = "0123456789abcdef0123456789abcdef";
const std::string kCjk = "\xe4\xb8\xad";        // 中, 3 bytes
const std::string kEmoji = "\xf0\x9f\x98\x80";  // 😀, 4 bytes

}  // namespace

TEST_CASE("schema: every type of DESIGN §3 exists with its kind", "[schema]") {
    const std::vector<std::string> mutableTypes = {"department", "member", "calendar_day", "plan",
                                                   "milestone", "task", "risk", "problem",
                                                   "resource_request", "change_request", "meeting_record"};
    const std::vector<std::string> appendOnly = {"progress_entry", "signoff", "comment"};
    const std::set<std::string> orgScoped = {"plan", "department", "member", "calendar_day"};
    for (const auto& name : mutableTypes) {
        INFO(name);
        CHECK_FALSE(type(name).appendOnly);
    }
    for (const auto& name : appendOnly) {
        INFO(name);
        CHECK(type(name).appendOnly);
    }
    std::vector<std::string> all = mutableTypes;
    all.insert(all.end(), appendOnly.begin(), appendOnly.end());
    for (const auto& name : all) {
        INFO(name);
        const TypeSpec& t = type(name);
        CHECK(t.name == name);
        CHECK(t.planScoped == (orgScoped.count(name) == 0));
        if (t.planScoped) {
            const FieldSpec* plan = t.field("plan");
            REQUIRE(plan != nullptr);
            CHECK(plan->kind == ValueKind::Ref);
            CHECK(plan->fieldClass == FieldClass::Scope);
        }
    }
    CHECK(allTypes().size() == all.size());
    CHECK(findType("nonexistent") == nullptr);
    CHECK(findType("") == nullptr);
    CHECK(findType("Task") == nullptr);
}

TEST_CASE("schema: mutable types have a boolean deleted field", "[schema]") {
    for (const auto& t : allTypes()) {
        if (t.appendOnly) continue;
        INFO(t.name);
        const FieldSpec* deleted = t.field("deleted");
        REQUIRE(deleted != nullptr);
        CHECK(deleted->kind == ValueKind::Bool);
        CHECK(deleted->fieldClass == FieldClass::Deleted);
        CHECK(check(t.name, "deleted", true).empty());
        CHECK(check(t.name, "deleted", false).empty());
        CHECK(check(t.name, "deleted", 1) == "invalid_value");
    }
}

TEST_CASE("schema: notable fields of DESIGN §3 are present", "[schema]") {
    const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
        {"plan", {"title", "background", "scope_in", "scope_out", "lead_department", "owner", "status", "start", "end"}},
        {"task", {"plan", "parent", "name", "lead_department", "owner", "start", "due", "deliverable_standard",
                  "resource_needs", "contingency", "status", "percent", "actual_finish", "sort_key"}},
        {"progress_entry", {"task", "author", "percent", "note", "problem", "solution", "next_step"}},
        {"risk", {"plan", "title", "impact", "probability", "mitigation", "status", "rag"}},
        {"problem", {"plan", "task", "description", "impact", "severity", "reporter", "resolution", "status"}},
        {"resource_request", {"requester", "provider", "purpose", "needed_by", "status", "response"}},
        {"change_request", {"reason", "impact", "proposal", "status"}},
        {"signoff", {"subject", "signer", "department", "meaning", "comment", "content_hash", "signed_at", "stale"}},
        {"department", {"code", "name", "head"}},
        {"member", {"username", "display_name", "department"}},
    };
    for (const auto& [typeName, fields] : expected) {
        for (const auto& f : fields) {
            INFO(typeName << "." << f);
            CHECK(type(typeName).field(f) != nullptr);
        }
    }
    CHECK(type("signoff").field("stale")->fieldClass == FieldClass::Derived);
    CHECK(type("plan").field("status")->fieldClass == FieldClass::Lifecycle);
    CHECK(type("task").field("percent")->fieldClass == FieldClass::Execution);
    CHECK(type("task").field("status")->fieldClass == FieldClass::Execution);
    CHECK(type("task").field("actual_finish")->fieldClass == FieldClass::Execution);
}

TEST_CASE("schema: enums accept their values and nothing else", "[schema]") {
    for (auto state : kPlanStates) CHECK(check("plan", "status", std::string(state)).empty());
    for (std::string s : {"not_started", "in_progress", "done", "delayed", "blocked"}) CHECK(check("task", "status", s).empty());
    for (std::string s : {"H", "M", "L"}) {
        CHECK(check("risk", "impact", s).empty());
        CHECK(check("risk", "probability", s).empty());
    }
    for (std::string s : {"approve", "reject", "acknowledge"}) CHECK(check("signoff", "meaning", s).empty());
    for (std::string s : {"general", "key"}) CHECK(check("problem", "severity", s).empty());

    CHECK(check("plan", "status", "Draft") == "invalid_value");
    CHECK(check("plan", "status", "finished") == "invalid_value");
    CHECK(check("plan", "status", "") == "invalid_value");
    CHECK(check("plan", "status", 1) == "invalid_value");
    CHECK(check("task", "status", "started") == "invalid_value");
    CHECK(check("risk", "impact", "h") == "invalid_value");
    CHECK(check("signoff", "meaning", "approved") == "invalid_value");
    const FieldSpec* status = type("plan").field("status");
    REQUIRE(status != nullptr);
    CHECK(status->kind == ValueKind::Enum);
    CHECK(status->enumValues == std::vector<std::string>(std::begin(kPlanStates), std::end(kPlanStates)));
}

TEST_CASE("schema: dates must be real YYYY-MM-DD dates", "[schema]") {
    CHECK(isValidDate("2024-02-29"));
    CHECK(isValidDate("2000-02-29"));
    CHECK(isValidDate("2025-12-31"));
    CHECK(isValidDate("2025-01-01"));
    CHECK_FALSE(isValidDate("2025-02-29"));
    CHECK_FALSE(isValidDate("1900-02-29"));
    CHECK_FALSE(isValidDate("2025-13-01"));
    CHECK_FALSE(isValidDate("2025-00-10"));
    CHECK_FALSE(isValidDate("2025-04-31"));
    CHECK_FALSE(isValidDate("2025-01-00"));
    CHECK_FALSE(isValidDate("2025-1-01"));
    CHECK_FALSE(isValidDate("2025/01/01"));
    CHECK_FALSE(isValidDate("2025-01-01T00:00"));
    CHECK_FALSE(isValidDate(" 2025-01-01"));
    CHECK_FALSE(isValidDate("abcd-ef-gh"));
    CHECK_FALSE(isValidDate(""));

    CHECK(check("task", "due", "2024-02-29").empty());
    CHECK(check("task", "due", "2025-02-29") == "invalid_value");
    CHECK(check("task", "due", "2025-13-01") == "invalid_value");
    CHECK(check("task", "due", 20250101) == "invalid_value");
    CHECK(check("plan", "start", "2025-07-01").empty());
    CHECK(check("plan", "end", "2025-06-31") == "invalid_value");
}

TEST_CASE("schema: percent is an integer from 0 to 100", "[schema]") {
    CHECK(check("task", "percent", 0).empty());
    CHECK(check("task", "percent", 100).empty());
    CHECK(check("task", "percent", 55).empty());
    CHECK(check("task", "percent", -1) == "invalid_value");
    CHECK(check("task", "percent", 101) == "invalid_value");
    CHECK(check("task", "percent", 50.5) == "invalid_value");
    CHECK(check("task", "percent", "50") == "invalid_value");
    CHECK(check("task", "percent", true) == "invalid_value");
    CHECK(check("task", "percent", std::uint64_t{18446744073709551615ULL}) == "invalid_value");
    CHECK(check("progress_entry", "percent", 100).empty());
    CHECK(check("progress_entry", "percent", 200) == "invalid_value");
}

TEST_CASE("schema: titles are at most 200 code points, CJK counted as 1 each", "[schema]") {
    CHECK(type("plan").field("title")->kind == ValueKind::Title);
    CHECK(type("task").field("name")->kind == ValueKind::Title);
    CHECK(check("plan", "title", repeat("a", 200)).empty());
    CHECK(check("plan", "title", repeat("a", 201)) == "invalid_value");
    CHECK(check("plan", "title", repeat(kCjk, 200)).empty());   // 600 bytes
    CHECK(check("plan", "title", repeat(kCjk, 201)) == "invalid_value");
    CHECK(check("task", "name", repeat(kEmoji, 200)).empty());  // 800 bytes
    CHECK(check("task", "name", repeat(kEmoji, 201)) == "invalid_value");
    CHECK(check("plan", "title", 5) == "invalid_value");
    CHECK(check("plan", "title", std::string("bad \xff utf8")) == "invalid_value");
}

TEST_CASE("schema: text is at most 10,000 code points", "[schema]") {
    const FieldSpec* text = nullptr;
    for (const auto& f : type("plan").fields)
        if (f.kind == ValueKind::Text && !f.family) {
            text = &f;
            break;
        }
    REQUIRE(text != nullptr);
    INFO("plan." << text->name);
    CHECK(check("plan", text->name, repeat(kCjk, 10'000)).empty());
    CHECK(check("plan", text->name, repeat(kCjk, 10'001)) == "invalid_value");
    CHECK(check("plan", text->name, repeat("x", 10'000)).empty());
    CHECK(check("plan", text->name, repeat("x", 10'001)) == "invalid_value");
    CHECK(check("plan", "background", repeat(kCjk, 5'000)).empty());
    CHECK(check("plan", "background", std::string("\xc0\xaf")) == "invalid_value");
}

TEST_CASE("schema: objects and arrays are invalid for every field", "[schema]") {
    for (const auto& t : allTypes()) {
        for (const auto& f : t.fields) {
            std::string name = f.family ? f.name + "." + kDept : f.name;
            if (f.family && f.name == "roles") name = "roles.hq";
            INFO(t.name << "." << name);
            CHECK(check(t.name, name, Json::object()) == "invalid_value");
            CHECK(check(t.name, name, Json::array()) == "invalid_value");
            CHECK(check(t.name, name, Json::parse(R"({"a":1})")) == "invalid_value");
            CHECK(check(t.name, name, Json::parse(R"([1])")) == "invalid_value");
        }
    }
}

TEST_CASE("schema: null clears a nullable field", "[schema]") {
    CHECK(check("plan", "title", nullptr).empty());
    CHECK(check("task", "percent", nullptr).empty());
    CHECK(check("task", "due", nullptr).empty());
}

TEST_CASE("schema: set families take 32-hex keys and true/false", "[schema]") {
    CHECK(check("plan", "participants." + kDept, true).empty());
    CHECK(check("plan", "participants." + kDept, false).empty());
    CHECK(check("task", "collaborators." + kDept, true).empty());
    CHECK(check("task", "predecessors." + kDept, true).empty());
    CHECK(check("plan", "participants." + kDept, "yes") == "invalid_value");
    CHECK(check("plan", "participants." + kDept, 1) == "invalid_value");
    CHECK(check("plan", "participants.0123456789ABCDEF0123456789ABCDEF", true) == "unknown_field");
    CHECK(check("plan", "participants.0123456789abcdef0123456789abcde", true) == "unknown_field");
    CHECK(check("plan", "participants.0123456789abcdef0123456789abcdef0", true) == "unknown_field");
    CHECK(check("plan", "participants.0123456789abcdef0123456789abcdeg", true) == "unknown_field");
    CHECK(check("plan", "participants.", true) == "unknown_field");
    CHECK(check("plan", "participants", true) == "unknown_field");
    CHECK(check("plan", "participants." + kDept + ".x", true) == "unknown_field");
    const FieldSpec* family = type("plan").field("participants." + kDept);
    REQUIRE(family != nullptr);
    CHECK(family->family);
    CHECK(family->name == "participants");
}

TEST_CASE("schema: raci cells take R, A, C, I or null", "[schema]") {
    for (std::string role : {"R", "A", "C", "I"}) CHECK(check("task", "raci." + kDept, role).empty());
    CHECK(check("task", "raci." + kDept, nullptr).empty());
    CHECK(check("task", "raci." + kDept, "r") == "invalid_value");
    CHECK(check("task", "raci." + kDept, "X") == "invalid_value");
    CHECK(check("task", "raci." + kDept, "RA") == "invalid_value");
    CHECK(check("task", "raci." + kDept, true) == "invalid_value");
    CHECK(check("task", "raci.sales", "R") == "unknown_field");
    CHECK(check("task", "raci", "R") == "unknown_field");
}

TEST_CASE("schema: member roles family takes known roles only", "[schema]") {
    for (auto role : kRoles) CHECK(check("member", "roles." + std::string(role), true).empty());
    CHECK(check("member", "roles.superuser", true) == "unknown_field");
    CHECK(check("member", "roles." + kDept, true) == "unknown_field");
}

TEST_CASE("schema: unknown fields are unknown_field", "[schema]") {
    CHECK(check("task", "nonexistent", 1) == "unknown_field");
    CHECK(check("task", "", 1) == "unknown_field");
    CHECK(check("task", "Percent", 1) == "unknown_field");
    CHECK(check("plan", "percent", 1) == "unknown_field");
    CHECK(check("plan", "subgoal." + kDept, "x").empty());
    CHECK(check("department", "participants." + kDept, true) == "unknown_field");
    CHECK(type("task").field("nonexistent") == nullptr);
}

TEST_CASE("schema: refs are 32 lowercase hex, instants non-negative integers", "[schema]") {
    CHECK(check("task", "plan", kDept).empty());
    CHECK(check("task", "plan", "0123456789ABCDEF0123456789ABCDEF") == "invalid_value");
    CHECK(check("task", "plan", "abc") == "invalid_value");
    CHECK(check("task", "owner", 5) == "invalid_value");
    const FieldSpec* signedAt = type("signoff").field("signed_at");
    REQUIRE(signedAt != nullptr);
    CHECK(signedAt->kind == ValueKind::Instant);
    CHECK(check("signoff", "signed_at", std::int64_t{1'700'000'000'000}).empty());
    CHECK(check("signoff", "signed_at", 0).empty());
    CHECK(check("signoff", "signed_at", -1) == "invalid_value");
    CHECK(check("signoff", "signed_at", 1.5) == "invalid_value");
    CHECK(check("signoff", "signed_at", "1700000000000") == "invalid_value");
}

TEST_CASE("schema: plan defining fields are signable, execution fields are not", "[schema]") {
    CHECK(type("plan").field("title")->signable);
    CHECK(type("task").field("name")->signable);
    CHECK_FALSE(type("task").field("percent")->signable);
    CHECK_FALSE(type("task").field("status")->signable);
    CHECK_FALSE(type("plan").field("deleted")->signable);
}
