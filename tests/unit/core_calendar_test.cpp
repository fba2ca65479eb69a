#include <catch2/catch.hpp>

#include "tandem/core/calendar.h"
#include "test_support.h"

using namespace tandem::core;

namespace {

CalendarDate d(const char* text) {
    auto parsed = parseDate(text);
    REQUIRE(parsed);
    return *parsed;
}

// Every day of [from, to] is a day off, and the days just outside are working days
// (the callers pick blocks whose neighbours are working days).
void requireHolidayBlock(const WorkCalendar& cal, const char* before, const char* from, const char* to,
                         const char* after) {
    INFO("block " << from << " .. " << to);
    CHECK(cal.isWorkingDay(d(before)));
    for (CalendarDate day = d(from); day <= d(to); day += std::chrono::days{1}) {
        INFO("day " << formatDate(day));
        CHECK_FALSE(cal.isWorkingDay(day));
    }
    CHECK(cal.isWorkingDay(d(after)));
}

Entity calendarDay(std::uint64_t n, const char* date, const char* kind, std::uint64_t hlcMs, bool deleted = false) {
    Entity e;
    e.id = tandem::test::entityId(n);
    e.type = "calendar_day";
    auto set = [&](const char* field, Json value) {
        FieldValue fv;
        fv.value = std::move(value);
        fv.hlc = Hlc::make(hlcMs, 0);
        fv.site = SiteId{1};
        e.fields[field] = fv;
    };
    set("date", date);
    set("kind", kind);
    set("name", "company day");
    set("deleted", deleted);
    return e;
}

}  // namespace

TEST_CASE("calendar: dates parse, format and round-trip; invalid dates are refused") {
    CHECK(formatDate(d("2025-02-08")) == "2025-02-08");
    CHECK_FALSE(parseDate("2025-02-29"));
    CHECK_FALSE(parseDate("2025-2-8"));
    CHECK(parseDate("2024-02-29"));
    CHECK(weekStart(d("2025-02-09")) == d("2025-02-03"));  // Sunday → Monday of that week
    CHECK(weekStart(d("2025-02-03")) == d("2025-02-03"));
}

TEST_CASE("calendar: instants map to local dates at a fixed offset") {
    // 2025-01-01T16:00:00Z is 2025-01-02 00:00 in Beijing.
    const std::int64_t ms = 1735747200000;
    CHECK(localDate(ms, 0) == d("2025-01-01"));
    CHECK(localDate(ms, kChinaUtcOffsetMinutes) == d("2025-01-02"));
    CHECK(localDate(ms - 1, kChinaUtcOffsetMinutes) == d("2025-01-01"));
    CHECK(startOfDay(d("2025-01-02"), kChinaUtcOffsetMinutes) == ms);
    CHECK(formatLocalTime(ms + 90 * 60'000, kChinaUtcOffsetMinutes) == "2025-01-02 01:30");
    CHECK(localDate(-1, 0) == d("1969-12-31"));
}

TEST_CASE("calendar: without exceptions, Monday to Friday are working days") {
    WorkCalendar plain;
    CHECK(plain.isWorkingDay(d("2025-02-07")));        // Friday
    CHECK_FALSE(plain.isWorkingDay(d("2025-02-08")));  // Saturday
    CHECK_FALSE(plain.isWorkingDay(d("2025-02-09")));  // Sunday
    CHECK(plain.isWorkingDay(d("2025-01-28")));        // 春节 is not in a plain calendar
    CHECK(plain.workingDaysBetween(d("2025-02-07"), d("2025-02-14")) == 5);
    CHECK(plain.workingDaysBetween(d("2025-02-14"), d("2025-02-07")) == -5);
    CHECK(plain.workingDaysBetween(d("2025-02-07"), d("2025-02-07")) == 0);
    CHECK(plain.addWorkingDays(d("2025-02-07"), 1) == d("2025-02-10"));
    CHECK(plain.addWorkingDays(d("2025-02-10"), -1) == d("2025-02-07"));
}

TEST_CASE("calendar: China 2025 holiday blocks are days off") {
    const auto cal = WorkCalendar::chinaDefault();
    requireHolidayBlock(cal, "2024-12-31", "2025-01-01", "2025-01-01", "2025-01-02");  // 元旦
    requireHolidayBlock(cal, "2025-01-27", "2025-01-28", "2025-02-04", "2025-02-05");  // 春节
    requireHolidayBlock(cal, "2025-04-03", "2025-04-04", "2025-04-06", "2025-04-07");  // 清明
    requireHolidayBlock(cal, "2025-04-30", "2025-05-01", "2025-05-05", "2025-05-06");  // 劳动节
    requireHolidayBlock(cal, "2025-05-30", "2025-05-31", "2025-06-02", "2025-06-03");  // 端午
    requireHolidayBlock(cal, "2025-09-30", "2025-10-01", "2025-10-08", "2025-10-09");  // 国庆+中秋
    CHECK(cal.exception(d("2025-01-29"))->name == "春节");
}

TEST_CASE("calendar: China 2025 make-up working days (调休) are working days") {
    const auto cal = WorkCalendar::chinaDefault();
    for (const char* day : {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"}) {
        INFO(day);
        CHECK(cal.isWorkingDay(d(day)));
        CHECK(cal.exception(d(day))->kind == DayKind::Workday);
        CHECK_FALSE(WorkCalendar{}.isWorkingDay(d(day)));  // a weekend day in a plain calendar
    }
    // The weekend days around them stay off.
    CHECK_FALSE(cal.isWorkingDay(d("2025-01-25")));
    CHECK_FALSE(cal.isWorkingDay(d("2025-02-09")));
    CHECK_FALSE(cal.isWorkingDay(d("2025-10-12")));
}

TEST_CASE("calendar: China 2026 holiday blocks are days off") {
    const auto cal = WorkCalendar::chinaDefault();
    requireHolidayBlock(cal, "2025-12-31", "2026-01-01", "2026-01-03", "2026-01-05");  // 元旦 (1/4 make-up)
    requireHolidayBlock(cal, "2026-02-13", "2026-02-15", "2026-02-23", "2026-02-24");  // 春节
    requireHolidayBlock(cal, "2026-04-03", "2026-04-04", "2026-04-06", "2026-04-07");  // 清明
    requireHolidayBlock(cal, "2026-04-30", "2026-05-01", "2026-05-05", "2026-05-06");  // 劳动节
    requireHolidayBlock(cal, "2026-06-18", "2026-06-19", "2026-06-21", "2026-06-22");  // 端午
    requireHolidayBlock(cal, "2026-09-24", "2026-09-25", "2026-09-27", "2026-09-28");  // 中秋
    requireHolidayBlock(cal, "2026-09-30", "2026-10-01", "2026-10-07", "2026-10-08");  // 国庆
}

TEST_CASE("calendar: China 2026 make-up working days (调休) are working days") {
    const auto cal = WorkCalendar::chinaDefault();
    for (const char* day : {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}) {
        INFO(day);
        CHECK(cal.isWorkingDay(d(day)));
        CHECK_FALSE(WorkCalendar{}.isWorkingDay(d(day)));
    }
    CHECK(cal.isWorkingDay(d("2026-01-04")));
    CHECK_FALSE(cal.isWorkingDay(d("2026-02-22")));  // Sunday inside 春节
}

TEST_CASE("calendar: counting working days crosses holidays and make-up days") {
    const auto cal = WorkCalendar::chinaDefault();
    // Friday 2025-01-24 → Thursday 2025-02-06: 1/26 (Sun, make-up) and 1/27 work, then
    // 春节 1/28–2/4, then 2/5 and 2/6: four working days.
    CHECK(cal.workingDaysBetween(d("2025-01-24"), d("2025-02-06")) == 4);
    CHECK(cal.addWorkingDays(d("2025-01-24"), 1) == d("2025-01-26"));
    CHECK(cal.addWorkingDays(d("2025-01-24"), 3) == d("2025-02-05"));
    CHECK(cal.addWorkingDays(d("2025-02-05"), -3) == d("2025-01-24"));
    // Friday 2025-02-07, then Saturday 2/8 is a make-up working day.
    CHECK(cal.addWorkingDays(d("2025-02-07"), 1) == d("2025-02-08"));
    CHECK(cal.workingDaysBetween(d("2025-02-07"), d("2025-02-10")) == 2);
    // A whole year: 261 weekdays − 18 weekday holidays + 5 make-up days.
    CHECK(cal.workingDaysBetween(d("2024-12-31"), d("2025-12-31")) == 248);
    // Counting day by day agrees with the closed-form count, both ways.
    int count = 0;
    for (CalendarDate day = d("2026-01-01"); day <= d("2026-12-31"); day += std::chrono::days{1})
        count += cal.isWorkingDay(day);
    CHECK(cal.workingDaysBetween(d("2025-12-31"), d("2026-12-31")) == count);
    CHECK(cal.workingDaysBetween(d("2026-12-31"), d("2025-12-31")) == -count);
}

TEST_CASE("calendar: instant deadlines keep the time of day; days off start the clock next working day") {
    const auto cal = WorkCalendar::chinaDefault();
    const int tz = kChinaUtcOffsetMinutes;
    const std::int64_t hour = 3'600'000;
    // Monday 2025-03-03 10:00 + 2 working days → Wednesday 10:00.
    CHECK(cal.addWorkingDays(startOfDay(d("2025-03-03"), tz) + 10 * hour, 2, tz) ==
          startOfDay(d("2025-03-05"), tz) + 10 * hour);
    // Thursday 2025-01-23 15:00 + 2 → Sunday 1/26 (make-up working day) 15:00.
    CHECK(cal.addWorkingDays(startOfDay(d("2025-01-23"), tz) + 15 * hour, 2, tz) ==
          startOfDay(d("2025-01-26"), tz) + 15 * hour);
    // Saturday 2025-03-08 10:00 + 2 → end of Tuesday (Wednesday 00:00).
    CHECK(cal.addWorkingDays(startOfDay(d("2025-03-08"), tz) + 10 * hour, 2, tz) == startOfDay(d("2025-03-12"), tz));
    // During 春节: the clock starts on 2/5.
    CHECK(cal.addWorkingDays(startOfDay(d("2025-01-30"), tz), 1, tz) == startOfDay(d("2025-02-06"), tz));
}

TEST_CASE("calendar: calendar_day entities override the bundled days; last kind write wins") {
    const auto base = WorkCalendar::chinaDefault();
    std::vector<Entity> days{
        calendarDay(1, "2025-03-07", "holiday", 100),  // a company day off on a Friday
        calendarDay(2, "2025-02-08", "holiday", 100),  // cancels a make-up day
        calendarDay(3, "2025-03-15", "workday", 100),  // an extra working Saturday…
        calendarDay(4, "2025-03-15", "holiday", 200),  // …withdrawn by a later write
        calendarDay(5, "2025-03-22", "workday", 100, /*deleted=*/true),
        calendarDay(6, "2025-13-01", "workday", 100),  // invalid date: ignored
    };
    const auto cal = WorkCalendar::withOverrides(base, days);
    CHECK_FALSE(cal.isWorkingDay(d("2025-03-07")));
    CHECK_FALSE(cal.isWorkingDay(d("2025-02-08")));
    CHECK_FALSE(cal.isWorkingDay(d("2025-03-15")));
    CHECK_FALSE(cal.isWorkingDay(d("2025-03-22")));
    CHECK(cal.isWorkingDay(d("2025-01-26")));  // untouched bundled make-up day
    CHECK(cal.exception(d("2025-03-07"))->name == "company day");
    // Order of the entities does not matter.
    std::reverse(days.begin(), days.end());
    const auto reversed = WorkCalendar::withOverrides(base, days);
    CHECK_FALSE(reversed.isWorkingDay(d("2025-03-15")));
    CHECK(reversed.workingDaysBetween(d("2025-01-01"), d("2025-04-01")) ==
          cal.workingDaysBetween(d("2025-01-01"), d("2025-04-01")));
}

TEST_CASE("calendar: a replica's calendar_day entities override the bundled calendar") {
    tandem::test::TempDir dir;
    tandem::test::ManualClock clock;
    auto replica = Replica::open(dir.file("r.db"), tandem::test::fastOptions(clock, 0x42));
    REQUIRE(replica);
    const EntityId day = tandem::test::entityId(1);
    REQUIRE((*replica)->write(day, "calendar_day", {{"date", "2025-03-07"}, {"kind", "holiday"}, {"name", "司庆日"}}));
    auto cal = WorkCalendar::fromReplica(**replica);
    REQUIRE(cal);
    CHECK_FALSE(cal->isWorkingDay(d("2025-03-07")));
    CHECK(cal->exception(d("2025-03-07"))->name == "司庆日");
    CHECK_FALSE(cal->isWorkingDay(d("2025-01-28")));  // bundled 春节 still there
    REQUIRE((*replica)->write(day, "calendar_day", "deleted", true));
    CHECK(WorkCalendar::fromReplica(**replica)->isWorkingDay(d("2025-03-07")));
}
