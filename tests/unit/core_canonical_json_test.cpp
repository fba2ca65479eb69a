#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "tandem/core/canonical_json.h"

using namespace tandem::core;

namespace {
std::string canon(const Json& j) {
    auto r = canonicalJson(j);
    REQUIRE(r.ok());
    return r.value();
}
}  // namespace

TEST_CASE("canonical json: no whitespace, keys sorted, arrays keep order", "[canonical_json]") {
    Json j = Json::parse(R"({ "b": [3, 1, 2], "a": {"y": true, "x": null}, "c": "s" })");
    CHECK(canon(j) == R"({"a":{"x":null,"y":true},"b":[3,1,2],"c":"s"})");
    CHECK(canon(Json::object()) == "{}");
    CHECK(canon(Json::array()) == "[]");
    CHECK(canon(Json(false)) == "false");
    CHECK(canon(Json(nullptr)) == "null");
}

TEST_CASE("canonical json: keys sort by UTF-16 code units (RFC 8785 §3.2.3 example)", "[canonical_json]") {
    // The RFC's own sorting example.
    Json j = Json::object();
    j["\xe2\x82\xac"] = "Euro Sign";                          // U+20AC
    j["\r"] = "Carriage Return";                              // U+000D
    j["\xef\xac\xb3"] = "Hebrew Letter Dalet With Dagesh";    // U+FB33
    j["1"] = "One";                                           // U+0031
    j["\xf0\x9f\x98\x80"] = "Emoji: Grinning Face";           // U+1F600
    j["\xc2\x80"] = "Control";                                // U+0080
    j["\xc3\xb6"] = "Latin Small Letter O With Diaeresis";    // U+00F6
    const std::string expected =
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
        "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
        "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}";
    CHECK(canon(j) == expected);
}

TEST_CASE("canonical json: a non-BMP key sorts before a U+E000-range key", "[canonical_json]") {
    // UTF-8 byte order puts U+E000 (EE 80 80) first; UTF-16 order puts U+1F600
    // (D83D DE00) first, and RFC 8785 uses UTF-16.
    Json j = Json::object();
    j["\xee\x80\x80"] = 1;      // U+E000
    j["\xf0\x9f\x98\x80"] = 2;  // U+1F600
    j["\xef\xbf\xbf"] = 3;      // U+FFFF
    j["\xed\x9f\xbf"] = 4;      // U+D7FF, below the surrogates
    CHECK(canon(j) == "{\"\xed\x9f\xbf\":4,\"\xf0\x9f\x98\x80\":2,\"\xee\x80\x80\":1,\"\xef\xbf\xbf\":3}");
}

TEST_CASE("canonical json: strings escape as JSON.stringify does", "[canonical_json]") {
    CHECK(canon(Json("a\"b\\c")) == R"("a\"b\\c")");
    CHECK(canon(Json("\b\t\n\f\r")) == R"("\b\t\n\f\r")");
    CHECK(canon(Json(std::string("\x00\x01\x1f", 3))) == R"("\u0000\u0001\u001f")");
    CHECK(canon(Json("/")) == "\"/\"");            // solidus not escaped
    CHECK(canon(Json("\x7f")) == "\"\x7f\"");      // DEL not escaped
    CHECK(canon(Json("\xe2\x80\xa8")) == "\"\xe2\x80\xa8\"");  // U+2028 kept as is
}

TEST_CASE("canonical json: unicode text is kept as UTF-8, not escaped", "[canonical_json]") {
    const std::string text = "Q3 \xe6\x96\xb0\xe5\x93\x81\xe6\x8e\xa8\xe5\xb9\xbf \xc3\xa9 \xf0\x9f\x98\x80";  // Q3 新品推广 é 😀
    CHECK(canon(Json(text)) == "\"" + text + "\"");
    Json j = Json::object();
    j[text] = text;
    CHECK(canon(j) == "{\"" + text + "\":\"" + text + "\"}");
}

TEST_CASE("canonical json: integers are written in decimal", "[canonical_json]") {
    CHECK(canon(Json(0)) == "0");
    CHECK(canon(Json(-7)) == "-7");
    CHECK(canon(Json(42u)) == "42");
    CHECK(canon(Json(std::int64_t{1'700'000'000'000})) == "1700000000000");
    CHECK(canon(Json(std::int64_t{9'007'199'254'740'991})) == "9007199254740991");
    CHECK(canon(Json::parse("[100, -100, 1000000]")) == "[100,-100,1000000]");
}

TEST_CASE("canonical json: numbers that are whole doubles print as integers", "[canonical_json]") {
    CHECK(canon(Json(1.0)) == "1");
    CHECK(canon(Json(-0.0)) == "0");
    CHECK(canon(Json(1.5)) == "1.5");
}

TEST_CASE("canonical json: invalid UTF-8 is rejected", "[canonical_json]") {
    for (std::string bad : {std::string("\xff"), std::string("a\xc3"), std::string("\xc0\xaf"),
                            std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
        auto asValue = canonicalJson(Json(bad));
        REQUIRE_FALSE(asValue.ok());
        CHECK(asValue.error().code == "invalid_value");
        Json obj = Json::object();
        obj[bad] = 1;
        auto asKey = canonicalJson(obj);
        REQUIRE_FALSE(asKey.ok());
        CHECK(asKey.error().code == "invalid_value");
    }
}

TEST_CASE("canonical json: non-finite numbers are rejected", "[canonical_json]") {
    auto nan = canonicalJson(Json(std::numeric_limits<double>::quiet_NaN()));
    REQUIRE_FALSE(nan.ok());
    CHECK(nan.error().code == "invalid_value");
    auto inf = canonicalJson(Json::array({1, std::numeric_limits<double>::infinity()}));
    REQUIRE_FALSE(inf.ok());
    CHECK(inf.error().code == "invalid_value");
}

TEST_CASE("canonical json: output parses back to the same value and is stable", "[canonical_json]") {
    Json j = Json::parse(R"({"z":{"b":[{"d":1,"c":2}],"a":"\u00e9"},"y":-3,"x":[true,false,null]})");
    auto once = canon(j);
    auto twice = canon(Json::parse(once));
    CHECK(once == twice);
    CHECK(Json::parse(once) == j);
}

TEST_CASE("sha256: known vectors", "[canonical_json]") {
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256Hex(std::string(1'000'000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("parse json: valid text parses, malformed text is bad_request without throwing", "[canonical_json]") {
    auto ok = parseJson(R"({"a":[1,"x",null]})");
    REQUIRE(ok.ok());
    CHECK(ok.value()["a"][1] == "x");
    for (std::string bad : {std::string(""), std::string("{"), std::string("{\"a\":}"), std::string("[1,]"),
                            std::string("nul"), std::string("{\"a\":1} x"), std::string("\"\xff\""),
                            std::string("{\"\xc3\":1}")}) {
        INFO("input: " << bad);
        Result<Json> r = Json();
        CHECK_NOTHROW(r = parseJson(bad));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "bad_request");
    }
}

TEST_CASE("parse json: nesting deeper than the limit is bad_request", "[canonical_json]") {
    auto nested = [](int depth) { return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']'); };
    CHECK(parseJson(nested(64)).ok());
    auto deep = parseJson(nested(65));
    REQUIRE_FALSE(deep.ok());
    CHECK(deep.error().code == "bad_request");
    CHECK_FALSE(parseJson(nested(5), 4).ok());
    CHECK(parseJson(nested(4), 4).ok());
    auto veryDeep = parseJson(nested(100000));
    CHECK_FALSE(veryDeep.ok());
}

TEST_CASE("utf8 length: counts code points, -1 for invalid UTF-8", "[canonical_json]") {
    CHECK(utf8Length("") == 0);
    CHECK(utf8Length("abc") == 3);
    CHECK(utf8Length("\xe4\xb8\xad\xe6\x96\x87") == 2);  // 中文
    CHECK(utf8Length("\xf0\x9f\x98\x80") == 1);          // 😀
    CHECK(utf8Length("\xc3\xa9x") == 2);
    CHECK(utf8Length("\xff") == -1);
    CHECK(utf8Length("\xc0\xaf") == -1);                 // overlong
    CHECK(utf8Length("\xed\xa0\x80") == -1);             // encoded surrogate
    CHECK(utf8Length("\xe4\xb8") == -1);                 // truncated
    CHECK(utf8Length("\xf4\x90\x80\x80") == -1);         // above U+10FFFF
}
