#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tandem/core/hlc.h"
#include "test_support.h"

using namespace tandem::core;
using tandem::test::ManualClock;

TEST_CASE("hlc: packs 48-bit physical ms and a 16-bit counter", "[hlc]") {
    auto h = Hlc::make(0x0190a3b2c4d5ULL, 1);
    CHECK(h.value == 0x0190a3b2c4d50001ULL);
    CHECK(h.physicalMs() == 0x0190a3b2c4d5ULL);
    CHECK(h.counter() == 1);
    CHECK(h.hex() == "0190a3b2c4d50001");
    CHECK(Hlc::parse("0190a3b2c4d50001") == std::optional<Hlc>(h));
    CHECK(Hlc::make(5, 0xffff) < Hlc::make(6, 0));
    CHECK(Hlc{0x8000000000000000ULL} > Hlc{0x7fffffffffffffffULL});  // unsigned order
}

TEST_CASE("hlc: parse rejects uppercase, wrong length and non-hex", "[hlc]") {
    for (std::string bad : {"", "0190A3B2C4D50001", "0190a3b2c4d5000", "0190a3b2c4d500010", "0190a3b2c4d5000x",
                            "0x90a3b2c4d50001", " 190a3b2c4d50001"}) {
        INFO("input: " << bad);
        CHECK_FALSE(Hlc::parse(bad).has_value());
    }
}

TEST_CASE("hlc: now is strictly increasing at a fixed wall time", "[hlc]") {
    ManualClock wall;
    wall.set(1000);
    HlcClock clock(wall.wall());
    Hlc prev = clock.now();
    CHECK(prev.physicalMs() == 1000);
    for (int i = 0; i < 1000; ++i) {
        Hlc next = clock.now();
        REQUIRE(next > prev);
        CHECK(next.physicalMs() == 1000);
        prev = next;
    }
    CHECK(clock.last() == prev);
}

TEST_CASE("hlc: now follows the wall clock when it moves ahead", "[hlc]") {
    ManualClock wall;
    wall.set(1000);
    HlcClock clock(wall.wall());
    (void)clock.now();
    (void)clock.now();
    wall.set(2000);
    Hlc h = clock.now();
    CHECK(h.physicalMs() == 2000);
    CHECK(h.counter() == 0);
}

TEST_CASE("hlc: wall clock going backwards stays monotonic", "[hlc]") {
    ManualClock wall;
    wall.set(50'000);
    HlcClock clock(wall.wall());
    Hlc before = clock.now();
    wall.set(10'000);  // the device clock jumps back 40 s
    Hlc after = clock.now();
    CHECK(after > before);
    CHECK(after.physicalMs() == before.physicalMs());
    wall.set(50'001);
    CHECK(clock.now() > after);
}

TEST_CASE("hlc: counter overflow rolls the physical part forward", "[hlc]") {
    ManualClock wall;
    wall.set(7000);
    HlcClock clock(wall.wall(), Hlc::make(7000, 0xfffe));
    Hlc a = clock.now();
    CHECK(a == Hlc::make(7000, 0xffff));
    Hlc b = clock.now();
    CHECK(b > a);
    CHECK(b.physicalMs() == 7001);
    CHECK(b.counter() == 0);
    CHECK(clock.now() > b);
}

TEST_CASE("hlc: counter overflow while receiving still yields a greater stamp", "[hlc]") {
    ManualClock wall;
    wall.set(100);
    HlcClock clock(wall.wall());
    clock.receive(Hlc::make(9000, 0xffff));
    CHECK(clock.last() >= Hlc::make(9000, 0xffff));
    Hlc h = clock.now();
    CHECK(h > Hlc::make(9000, 0xffff));
    CHECK(h.physicalMs() == 9001);
}

TEST_CASE("hlc: receive advances past a remote stamp", "[hlc]") {
    ManualClock wall;
    wall.set(1000);
    HlcClock clock(wall.wall());
    (void)clock.now();
    Hlc remote = Hlc::make(5000, 3);
    clock.receive(remote);
    CHECK(clock.last() >= remote);
    Hlc next = clock.now();
    CHECK(next > remote);
    CHECK(next.physicalMs() == 5000);
}

TEST_CASE("hlc: receive of an older stamp never moves the clock back", "[hlc]") {
    ManualClock wall;
    wall.set(8000);
    HlcClock clock(wall.wall());
    Hlc a = clock.now();
    clock.receive(Hlc::make(10, 0));
    CHECK(clock.last() >= a);
    CHECK(clock.now() > a);
}

TEST_CASE("hlc: starts after the stamp it was restored with", "[hlc]") {
    ManualClock wall;
    wall.set(1000);
    HlcClock clock(wall.wall(), Hlc::make(90'000, 12));
    CHECK(clock.last() == Hlc::make(90'000, 12));
    CHECK(clock.now() > Hlc::make(90'000, 12));
}

TEST_CASE("hlc: setOffset corrects the wall clock from then on", "[hlc]") {
    ManualClock wall;
    wall.set(100'000);
    HlcClock clock(wall.wall());
    CHECK(clock.wallMs() == 100'000);
    clock.setOffset(25'000);
    CHECK(clock.offset() == 25'000);
    CHECK(clock.wallMs() == 125'000);
    CHECK(clock.now().physicalMs() == 125'000);
    clock.setOffset(-50'000);
    CHECK(clock.wallMs() == 50'000);
    // Monotonic still: a negative correction does not go back below what was issued.
    CHECK(clock.now() > Hlc::make(125'000, 0));
}

TEST_CASE("hlc: resetTo lets a clock that ran ahead start again from a floor", "[hlc]") {
    ManualClock wall;
    wall.set(1'000'000);
    HlcClock clock(wall.wall());
    (void)clock.now();
    clock.setOffset(-900'000);
    clock.resetTo(Hlc::make(50'000, 0));
    Hlc h = clock.now();
    CHECK(h > Hlc::make(50'000, 0));
    CHECK(h.physicalMs() == 100'000);
}

TEST_CASE("hlc: system wall clock reads the current time", "[hlc]") {
    auto wall = systemWallClock();
    auto a = wall();
    CHECK(a > 1'600'000'000'000);  // after 2020
    CHECK(a < 4'000'000'000'000);
    CHECK(wall() >= a);
}
