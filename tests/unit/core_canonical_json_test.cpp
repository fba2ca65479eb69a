#include <catch2/catch.hpp>

#include "tandem/core/canonical_json.h"

TEST_CASE("canonical json: keys sorted, no whitespace") {
    auto text = tandem::core::canonicalJson(tandem::core::Json::parse(R"({"b":1,"a":[true,null,"x"]})"));
    REQUIRE(text.ok());
    CHECK(*text == R"({"a":[true,null,"x"],"b":1})");
}
