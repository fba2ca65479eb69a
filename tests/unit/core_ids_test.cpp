#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tandem/core/ids.h"

using namespace tandem::core;

TEST_CASE("ids: entity id round-trips through 32 lowercase hex", "[ids]") {
    const std::string text = "0123456789abcdef0f1e2d3c4b5a6978";
    auto id = EntityId::parse(text);
    REQUIRE(id.has_value());
    CHECK(id->hi == 0x0123456789abcdefULL);
    CHECK(id->lo == 0x0f1e2d3c4b5a6978ULL);
    CHECK(id->hex() == text);
    CHECK(EntityId{0, 1}.hex() == "00000000000000000000000000000001");
}

TEST_CASE("ids: entity id parse rejects uppercase, wrong length and non-hex", "[ids]") {
    const std::vector<std::string> bad = {
        "",
        "0123456789ABCDEF0f1e2d3c4b5a6978",   // uppercase
        "0123456789abcdef0f1e2d3c4b5a697",    // 31
        "0123456789abcdef0f1e2d3c4b5a69780",  // 33
        "0123456789abcdef0f1e2d3c4b5a697g",   // non-hex
        "0x23456789abcdef0f1e2d3c4b5a6978",
        " 123456789abcdef0f1e2d3c4b5a6978",
        "0123456789abcdef-f1e2d3c4b5a6978",
        std::string("0123456789abcdef0f1e2d3c4b5a697\0", 32),
    };
    for (const auto& text : bad) {
        INFO("input: " << text);
        CHECK_FALSE(EntityId::parse(text).has_value());
    }
}

TEST_CASE("ids: entity id bytes are big-endian and order-preserving", "[ids]") {
    EntityId a{0x0102030405060708ULL, 0x090a0b0c0d0e0f10ULL};
    auto bytes = a.bytes();
    for (int i = 0; i < 16; ++i) CHECK(bytes[static_cast<std::size_t>(i)] == i + 1);
    CHECK(EntityId::fromBytes(bytes.data()) == a);

    std::vector<EntityId> ids = {{1, 0}, {0, ~0ULL}, {0, 1}, {~0ULL, 0}, {1, 1}, {0x8000000000000000ULL, 5}};
    auto byIds = ids;
    std::sort(byIds.begin(), byIds.end());
    auto byBytes = ids;
    std::sort(byBytes.begin(), byBytes.end(), [](const EntityId& x, const EntityId& y) { return x.bytes() < y.bytes(); });
    CHECK(byIds == byBytes);
    auto byHex = ids;
    std::sort(byHex.begin(), byHex.end(), [](const EntityId& x, const EntityId& y) { return x.hex() < y.hex(); });
    CHECK(byIds == byHex);
}

TEST_CASE("ids: generated entity ids are deterministic under a seeded source and distinct", "[ids]") {
    auto r1 = seededRandom(42);
    auto r2 = seededRandom(42);
    std::set<EntityId> seen;
    for (int i = 0; i < 100; ++i) {
        auto a = EntityId::generate(r1);
        auto b = EntityId::generate(r2);
        CHECK(a == b);
        CHECK_FALSE(a.isNull());
        seen.insert(a);
    }
    CHECK(seen.size() == 100);
    auto r3 = seededRandom(43);
    CHECK(EntityId::generate(r3) != EntityId::generate(seededRandom(42)));
}

TEST_CASE("ids: site id round-trips through 16 lowercase hex and rejects bad input", "[ids]") {
    auto site = SiteId::parse("9f2c4e1a0b3d5e7f");
    REQUIRE(site.has_value());
    CHECK(site->value == 0x9f2c4e1a0b3d5e7fULL);
    CHECK(site->hex() == "9f2c4e1a0b3d5e7f");
    CHECK(kServerSite.hex() == "0000000000000000");
    for (std::string bad : {"", "9F2C4E1A0B3D5E7F", "9f2c4e1a0b3d5e7", "9f2c4e1a0b3d5e7f0", "9f2c4e1a0b3d5e7z", "+f2c4e1a0b3d5e7f"}) {
        INFO("input: " << bad);
        CHECK_FALSE(SiteId::parse(bad).has_value());
    }
}

TEST_CASE("ids: generated site id is never the server's 0", "[ids]") {
    // A source that yields zeros first: the generator must not hand out site 0.
    int calls = 0;
    RandomSource zerosFirst = [&calls]() -> std::uint64_t { return ++calls <= 3 ? 0 : 0x1234; };
    auto site = SiteId::generate(zerosFirst);
    CHECK(site.value != 0);
    auto seeded = seededRandom(7);
    for (int i = 0; i < 100; ++i) CHECK(SiteId::generate(seeded).value != 0);
}

TEST_CASE("ids: hex16 formats and parses 64-bit numbers", "[ids]") {
    CHECK(hex16(0) == "0000000000000000");
    CHECK(hex16(0xabcdefULL) == "0000000000abcdef");
    CHECK(hex16(~0ULL) == "ffffffffffffffff");
    CHECK(parseHex16("ffffffffffffffff") == std::optional<std::uint64_t>(~0ULL));
    CHECK(parseHex16("0000000000abcdef") == std::optional<std::uint64_t>(0xabcdefULL));
    CHECK_FALSE(parseHex16("FFFFFFFFFFFFFFFF").has_value());
    CHECK_FALSE(parseHex16("fffffffffffffff").has_value());
    CHECK_FALSE(parseHex16("-fffffffffffffff").has_value());
    CHECK_FALSE(parseHex16("").has_value());
}

TEST_CASE("ids: seeded random sources replay and differ by seed", "[ids]") {
    auto a = seededRandom(1);
    auto b = seededRandom(1);
    auto c = seededRandom(2);
    std::vector<std::uint64_t> va, vb, vc;
    for (int i = 0; i < 8; ++i) {
        va.push_back(a());
        vb.push_back(b());
        vc.push_back(c());
    }
    CHECK(va == vb);
    CHECK(va != vc);
    auto sys = systemRandom();
    CHECK(sys() != sys());  // 2^-64 chance of a false failure
}
