#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tandem/core/op.h"

using namespace tandem::core;

namespace {

Json wireOp() {
    return Json::parse(R"({"site":"9f2c4e1a0b3d5e7f","n":42,"entity":"3f0c0000000000000000000000000001",
        "type":"task","field":"percent","value":60,"hlc":"0190a3b2c4d50001"})");
}

/// Decodes without letting anything escape; the test fails if decodeOp throws.
Result<Op> decodeNoThrow(const Json& j) {
    Result<Op> r = makeError("unset", "");
    CHECK_NOTHROW(r = decodeOp(j));
    return r;
}

}  // namespace

TEST_CASE("op: decodes the wire form of DESIGN §5", "[op]") {
    auto r = decodeOp(wireOp());
    REQUIRE(r.ok());
    const Op& op = r.value();
    CHECK(op.site.value == 0x9f2c4e1a0b3d5e7fULL);
    CHECK(op.n == 42);
    CHECK(op.entity.hex() == "3f0c0000000000000000000000000001");
    CHECK(op.type == "task");
    CHECK(op.field == "percent");
    CHECK(op.value == 60);
    CHECK(op.hlc.hex() == "0190a3b2c4d50001");
    CHECK_FALSE(op.seq.has_value());
    CHECK_FALSE(op.author.has_value());
    CHECK(op.idString() == "9f2c4e1a0b3d5e7f:42");
}

TEST_CASE("op: encode and decode round-trip, server fields only when asked", "[op]") {
    Op op = decodeOp(wireOp()).value();
    Json plain = encodeOp(op);
    CHECK(plain == wireOp());
    CHECK_FALSE(plain.contains("seq"));
    CHECK_FALSE(plain.contains("author"));

    op.seq = 17;
    op.author = EntityId{0xaa, 0xbb};
    Json withServer = encodeOp(op, true);
    CHECK(withServer["seq"] == 17);
    CHECK(withServer["author"] == "00000000000000aa00000000000000bb");
    auto back = decodeOp(withServer);
    REQUIRE(back.ok());
    CHECK(back->seq == std::optional<std::int64_t>(17));
    CHECK(back->author == op.author);
    CHECK(back->sameContent(op));
    CHECK(encodeOp(back.value(), true) == withServer);
}

TEST_CASE("op: the server site's ops carry a null author", "[op]") {
    Op op = decodeOp(wireOp()).value();
    op.site = kServerSite;
    op.seq = 3;
    Json j = encodeOp(op, true);
    CHECK(j["site"] == "0000000000000000");
    REQUIRE(j.contains("author"));
    CHECK(j["author"].is_null());
    auto back = decodeOp(j);
    REQUIRE(back.ok());
    CHECK_FALSE(back->author.has_value());
}

TEST_CASE("op: values of every JSON kind are taken as they are", "[op]") {
    for (Json value : {Json(nullptr), Json(true), Json("\xe4\xb8\xad"), Json(-5), Json(1.5), Json::array({1}),
                       Json::object({{"a", 1}})}) {
        Json j = wireOp();
        j["value"] = value;
        auto r = decodeNoThrow(j);
        REQUIRE(r.ok());
        CHECK(r->value == value);
    }
}

TEST_CASE("op: every malformed wire op is bad_request, never a throw", "[op]") {
    std::vector<std::pair<std::string, Json>> cases;
    for (const char* member : {"site", "n", "entity", "type", "field", "value", "hlc"}) {
        Json j = wireOp();
        j.erase(member);
        cases.emplace_back(std::string("missing ") + member, j);
    }
    auto with = [](const char* member, Json v) {
        Json j = wireOp();
        j[member] = std::move(v);
        return j;
    };
    cases.emplace_back("site number", with("site", 12345));
    cases.emplace_back("site uppercase", with("site", "9F2C4E1A0B3D5E7F"));
    cases.emplace_back("site short", with("site", "9f2c4e1a0b3d5e7"));
    cases.emplace_back("site null", with("site", nullptr));
    cases.emplace_back("n string", with("n", "42"));
    cases.emplace_back("n zero", with("n", 0));
    cases.emplace_back("n negative", with("n", -1));
    cases.emplace_back("n fraction", with("n", 1.5));
    cases.emplace_back("n bool", with("n", true));
    cases.emplace_back("n null", with("n", nullptr));
    cases.emplace_back("entity number", with("entity", 1));
    cases.emplace_back("entity uppercase", with("entity", "3F0C0000000000000000000000000001"));
    cases.emplace_back("entity short", with("entity", "3f0c"));
    cases.emplace_back("entity non-hex", with("entity", "3f0c000000000000000000000000000z"));
    cases.emplace_back("type number", with("type", 7));
    cases.emplace_back("type null", with("type", nullptr));
    cases.emplace_back("field number", with("field", 7));
    cases.emplace_back("field array", with("field", Json::array({"percent"})));
    cases.emplace_back("hlc number", with("hlc", 1234));
    cases.emplace_back("hlc uppercase", with("hlc", "0190A3B2C4D50001"));
    cases.emplace_back("hlc long", with("hlc", "0190a3b2c4d500010"));
    cases.emplace_back("hlc non-hex", with("hlc", "0190a3b2c4d5000x"));
    cases.emplace_back("seq string", with("seq", "5"));
    cases.emplace_back("seq fraction", with("seq", 2.5));
    cases.emplace_back("author number", with("author", 5));
    cases.emplace_back("author short", with("author", "abc"));
    cases.emplace_back("not an object: array", Json::array({wireOp()}));
    cases.emplace_back("not an object: string", Json("op"));
    cases.emplace_back("not an object: null", Json(nullptr));
    cases.emplace_back("not an object: number", Json(5));
    cases.emplace_back("empty object", Json::object());
    for (const auto& [name, j] : cases) {
        INFO(name << ": " << j.dump());
        auto r = decodeNoThrow(j);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "bad_request");
        CHECK_FALSE(r.error().message.empty());
    }
}

TEST_CASE("op: sameContent compares id, type, entity, field, value and hlc", "[op]") {
    Op a = decodeOp(wireOp()).value();
    Op b = a;
    CHECK(a.sameContent(b));
    b.seq = 9;  // server fields do not matter
    b.author = EntityId{1, 2};
    CHECK(a.sameContent(b));
    auto differs = [&a](auto mutate) {
        Op c = a;
        mutate(c);
        return !a.sameContent(c);
    };
    CHECK(differs([](Op& c) { c.site = SiteId{1}; }));
    CHECK(differs([](Op& c) { c.n = 43; }));
    CHECK(differs([](Op& c) { c.entity = EntityId{0, 9}; }));
    CHECK(differs([](Op& c) { c.type = "plan"; }));
    CHECK(differs([](Op& c) { c.field = "status"; }));
    CHECK(differs([](Op& c) { c.value = 61; }));
    CHECK(differs([](Op& c) { c.value = "60"; }));
    CHECK(differs([](Op& c) { c.hlc = Hlc{c.hlc.value + 1}; }));
}

TEST_CASE("op: writeWins orders by hlc, then site, then n", "[op]") {
    Op a = decodeOp(wireOp()).value();
    Op b = a;
    b.hlc = Hlc{a.hlc.value + 1};
    CHECK(writeWins(b, a));
    CHECK_FALSE(writeWins(a, b));
    b = a;
    b.site = SiteId{a.site.value + 1};
    CHECK(writeWins(b, a));
    CHECK_FALSE(writeWins(a, b));
    b = a;
    b.site = SiteId{0xffffffffffffffffULL};  // unsigned comparison of sites
    CHECK(writeWins(b, a));
    b = a;
    b.n = a.n + 1;
    CHECK(writeWins(b, a));
    CHECK_FALSE(writeWins(a, a));
}

TEST_CASE("op: appendOpJson writes exactly what encodeOp dumps", "[op]") {
    Op op = decodeOp(wireOp()).value();
    std::vector<Op> ops;
    ops.push_back(op);
    op.seq = 17;
    op.author = EntityId{0xaa, 0xbb};
    ops.push_back(op);
    op.author.reset();
    op.site = kServerSite;
    ops.push_back(op);
    op.field = "note";
    for (const Json& value : {Json("拜访客户，\"样品\"\n已演示\t\\ ok"), Json(nullptr), Json(true), Json(-12345678901LL),
                              Json(0.5), Json("")}) {
        op.value = value;
        ops.push_back(op);
    }
    op.field = "we\"ird\x01";  // never valid in the schema, but escaped all the same
    op.type = "类型";
    ops.push_back(op);
    for (const Op& o : ops) {
        for (bool withServer : {false, true}) {
            std::string text = "[";
            appendOpJson(text, o, withServer);
            text += ']';
            INFO(text);
            CHECK(text == "[" + encodeOp(o, withServer).dump() + "]");
        }
    }
}
