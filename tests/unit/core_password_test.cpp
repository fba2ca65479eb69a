// Password hashes (tandem/core/password.h): the policy's strength, hashes made under an
// older policy, and telling which stored hashes are weaker than the policy.

#include <catch2/catch.hpp>

#include <string>

#include "tandem/core/password.h"

using namespace tandem::core;

namespace {

// Made outside this code (Python's hashlib.pbkdf2_hmac, salt 00 01 … 0f): what 0.1 stored.
const std::string kServerHash120k =
    "pbkdf2-sha256$120000$000102030405060708090a0b0c0d0e0f$"
    "632258b161df7f4a31c7259136f15dec2903bdf99af95541bdfffe9b2043a01d";
const std::string kClientVerifier100k =
    "pbkdf2-sha256$100000$000102030405060708090a0b0c0d0e0f$"
    "58ac3decba814aa5869bc3124b84dcd6c01df9bf7531f39efe274b59dad6088b";

}  // namespace

TEST_CASE("password: new hashes use at least 600,000 iterations (OWASP 2023) and verify", "[password]") {
    STATIC_REQUIRE(kDefaultPasswordIterations >= 600000);
    auto hash = hashPassword("tandem-demo");
    REQUIRE(hash);
    CHECK(passwordIterations(*hash) == kDefaultPasswordIterations);
    CHECK_FALSE(needsRehash(*hash));
    CHECK(verifyPassword("tandem-demo", *hash));
    CHECK_FALSE(verifyPassword("tandem-demO", *hash));
}

TEST_CASE("password: hashes made under the old policy still verify and are reported weaker", "[password]") {
    for (const std::string& old : {kServerHash120k, kClientVerifier100k}) {
        INFO(old);
        CHECK(verifyPassword("tandem-demo", old));
        CHECK_FALSE(verifyPassword("tandem-demO", old));
        CHECK(needsRehash(old));
        CHECK(needsRehash(old, kDefaultPasswordIterations));
    }
    CHECK(passwordIterations(kServerHash120k) == 120000);
    CHECK(passwordIterations(kClientVerifier100k) == 100000);
    // Measured against the policy given: equal or stronger is never weaker.
    CHECK_FALSE(needsRehash(kServerHash120k, 120000));
    CHECK_FALSE(needsRehash(kServerHash120k, 100000));
    CHECK(needsRehash(kServerHash120k, 120001));
}

TEST_CASE("password: a malformed encoding never verifies, has no iteration count and needs a rehash", "[password]") {
    for (const std::string& bad :
         {std::string(), std::string("pbkdf2-sha256$"), std::string("pbkdf2-sha256$0$00$") + std::string(64, '0'),
          std::string("pbkdf2-sha256$-5$00$") + std::string(64, '0'), std::string("pbkdf2-sha256$x$00$00"),
          std::string("pbkdf2-sha256$1000$zz$") + std::string(64, '0'),
          std::string("pbkdf2-sha256$1000$00$") + std::string(62, '0'),
          std::string("bcrypt$1000$00$") + std::string(64, '0')}) {
        INFO(bad);
        CHECK_FALSE(verifyPassword("", bad));
        CHECK_FALSE(passwordIterations(bad).has_value());
        CHECK(needsRehash(bad, 1));
    }
}
