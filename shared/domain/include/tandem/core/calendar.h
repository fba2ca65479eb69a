#pragma once
// The working-day calendar of DESIGN §8: weekends, public holidays and make-up
// working days (调休). China's official 2025 and 2026 calendars are bundled; synced
// `calendar_day` entities (date, kind holiday|workday, name) override them day by day.
//
// Pure and deterministic: no wall clock, no time zone database. An instant (ms since
// the epoch) becomes a local date through a fixed UTC offset that the caller passes
// (China: +08:00, kChinaUtcOffsetMinutes). A WorkCalendar is a value; const methods are
// thread-safe. Nothing throws.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tandem/core/replica.h"
#include "tandem/core/result.h"

namespace tandem::core {

/// A calendar date (days since 1970-01-01, proleptic Gregorian).
using CalendarDate = std::chrono::sys_days;

/// China Standard Time, +08:00.
inline constexpr int kChinaUtcOffsetMinutes = 8 * 60;

/// Parses "YYYY-MM-DD" (a real date), or nullopt.
std::optional<CalendarDate> parseDate(std::string_view text);
/// "YYYY-MM-DD".
std::string formatDate(CalendarDate date);
/// The local date of an instant at a fixed UTC offset.
CalendarDate localDate(std::int64_t instantMs, int utcOffsetMinutes);
/// The instant local midnight starts `date` at a fixed UTC offset.
std::int64_t startOfDay(CalendarDate date, int utcOffsetMinutes);
/// "YYYY-MM-DD HH:MM" local time of an instant at a fixed UTC offset.
std::string formatLocalTime(std::int64_t instantMs, int utcOffsetMinutes);
/// Monday of the ISO week holding `date`.
CalendarDate weekStart(CalendarDate date);

enum class DayKind { Holiday, Workday };

/// An exception to the weekday/weekend rule: a public holiday on a weekday or a
/// make-up working day (调休) on a weekend. (A holiday on a weekend or a workday on a
/// weekday is allowed too and simply restates the default.)
struct CalendarDay {
    CalendarDate date;
    DayKind kind = DayKind::Holiday;
    std::string name;  // "春节", "春节调休上班", …
};

class WorkCalendar {
public:
    /// Monday–Friday working, no holidays.
    WorkCalendar() = default;
    /// China's official 2025 and 2026 calendars (State Council notices); years beyond
    /// fall back to Monday–Friday until `calendar_day` entities say otherwise.
    static WorkCalendar chinaDefault();
    /// `base` overridden by synced `calendar_day` entities. Deleted entities and those
    /// with an invalid date or kind are ignored (the base day stands). When several
    /// entities name the same date, the one whose `kind` was written last (greatest
    /// (hlc, site)) wins, then the greatest entity id, so every replica agrees.
    static WorkCalendar withOverrides(const WorkCalendar& base, std::span<const Entity> calendarDays);

    /// `base` overridden by the replica's `calendar_day` entities (withOverrides).
    /// Fails only when the replica cannot be read.
    static Result<WorkCalendar> fromReplica(Replica& replica, const WorkCalendar& base = chinaDefault());

    /// Sets (or replaces) one day's exception.
    void setDay(CalendarDay day);
    /// The exception for `date`, if any.
    const CalendarDay* exception(CalendarDate date) const;
    const std::map<CalendarDate, CalendarDay>& exceptions() const { return m_days; }

    /// A weekday that is not a holiday, or a weekend day that is a make-up working day.
    bool isWorkingDay(CalendarDate date) const;
    /// The n-th working day after `date` (n > 0), before it (n < 0), or `date` itself
    /// (n == 0, whether or not it is a working day).
    CalendarDate addWorkingDays(CalendarDate date, int n) const;
    /// Deadline arithmetic for instants ("answer within 2 working days"): the same
    /// local time of day on the n-th working day after the instant's local date. An
    /// instant on a non-working day counts from the start of the next working day, so
    /// a request made on Saturday with n = 2 is due at the end of Tuesday (n ≥ 0).
    std::int64_t addWorkingDays(std::int64_t instantMs, int n, int utcOffsetMinutes) const;
    /// The number of working days d with a < d ≤ b; negative (−count of b < d ≤ a)
    /// when b < a. A task due `a` and still open on `b` is this many working days late.
    int workingDaysBetween(CalendarDate a, CalendarDate b) const;

private:
    std::map<CalendarDate, CalendarDay> m_days;
};

}  // namespace tandem::core
