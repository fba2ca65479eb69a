#include "tandem/core/calendar.h"

#include <cstdio>
#include <tuple>

#include "tandem/core/schema.h"

namespace tandem::core {

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::int64_t kMsPerMinute = 60'000;

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

// 0 = Monday … 6 = Sunday.
int weekdayIndex(CalendarDate date) {
    const auto days = static_cast<std::int64_t>(date.time_since_epoch().count()) + 3;  // 1969-12-29 was a Monday
    return static_cast<int>(days - 7 * floorDiv(days, 7));
}

bool isWeekend(CalendarDate date) {
    return weekdayIndex(date) >= 5;
}

// Weekdays from Monday 1969-12-29 up to and including `date` (negative before it);
// differences of this give weekday counts over any range in O(1).
std::int64_t weekdaysThrough(CalendarDate date) {
    const auto days = static_cast<std::int64_t>(date.time_since_epoch().count()) + 3;
    const std::int64_t weeks = floorDiv(days, 7);
    const std::int64_t rest = days - 7 * weeks;
    return 5 * weeks + std::min<std::int64_t>(rest + 1, 5);
}

CalendarDate ymd(int y, unsigned m, unsigned d) {
    return CalendarDate{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

void holidays(WorkCalendar& cal, CalendarDate from, CalendarDate to, const std::string& name) {
    for (CalendarDate d = from; d <= to; d += std::chrono::days{1}) cal.setDay({d, DayKind::Holiday, name});
}

void workday(WorkCalendar& cal, CalendarDate date, const std::string& name) {
    cal.setDay({date, DayKind::Workday, name + "调休上班"});
}

}  // namespace

std::optional<CalendarDate> parseDate(std::string_view text) {
    if (!isValidDate(text)) return std::nullopt;
    auto num = [&](std::size_t from, std::size_t count) {
        int v = 0;
        for (std::size_t i = from; i < from + count; ++i) v = v * 10 + (text[i] - '0');
        return v;
    };
    return ymd(num(0, 4), static_cast<unsigned>(num(5, 2)), static_cast<unsigned>(num(8, 2)));
}

std::string formatDate(CalendarDate date) {
    const std::chrono::year_month_day ymdValue{date};
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymdValue.year()),
                  static_cast<unsigned>(ymdValue.month()), static_cast<unsigned>(ymdValue.day()));
    return buffer;
}

CalendarDate localDate(std::int64_t instantMs, int utcOffsetMinutes) {
    const std::int64_t local = instantMs + static_cast<std::int64_t>(utcOffsetMinutes) * kMsPerMinute;
    return CalendarDate{std::chrono::days{floorDiv(local, kMsPerDay)}};
}

std::int64_t startOfDay(CalendarDate date, int utcOffsetMinutes) {
    return static_cast<std::int64_t>(date.time_since_epoch().count()) * kMsPerDay -
           static_cast<std::int64_t>(utcOffsetMinutes) * kMsPerMinute;
}

std::string formatLocalTime(std::int64_t instantMs, int utcOffsetMinutes) {
    const CalendarDate date = localDate(instantMs, utcOffsetMinutes);
    const std::int64_t minutes = (instantMs - startOfDay(date, utcOffsetMinutes)) / kMsPerMinute;
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
    return formatDate(date) + " " + buffer;
}

CalendarDate weekStart(CalendarDate date) {
    return date - std::chrono::days{weekdayIndex(date)};
}

WorkCalendar WorkCalendar::chinaDefault() {
    WorkCalendar cal;
    // 2025 (国办发明电〔2024〕12号).
    holidays(cal, ymd(2025, 1, 1), ymd(2025, 1, 1), "元旦");
    holidays(cal, ymd(2025, 1, 28), ymd(2025, 2, 4), "春节");
    workday(cal, ymd(2025, 1, 26), "春节");
    workday(cal, ymd(2025, 2, 8), "春节");
    holidays(cal, ymd(2025, 4, 4), ymd(2025, 4, 6), "清明节");
    holidays(cal, ymd(2025, 5, 1), ymd(2025, 5, 5), "劳动节");
    workday(cal, ymd(2025, 4, 27), "劳动节");
    holidays(cal, ymd(2025, 5, 31), ymd(2025, 6, 2), "端午节");
    holidays(cal, ymd(2025, 10, 1), ymd(2025, 10, 8), "国庆节、中秋节");
    workday(cal, ymd(2025, 9, 28), "国庆节");
    workday(cal, ymd(2025, 10, 11), "国庆节");
    // 2026 (State Council notice on the 2026 holidays).
    holidays(cal, ymd(2026, 1, 1), ymd(2026, 1, 3), "元旦");
    workday(cal, ymd(2026, 1, 4), "元旦");
    holidays(cal, ymd(2026, 2, 15), ymd(2026, 2, 23), "春节");
    workday(cal, ymd(2026, 2, 14), "春节");
    workday(cal, ymd(2026, 2, 28), "春节");
    holidays(cal, ymd(2026, 4, 4), ymd(2026, 4, 6), "清明节");
    holidays(cal, ymd(2026, 5, 1), ymd(2026, 5, 5), "劳动节");
    workday(cal, ymd(2026, 5, 9), "劳动节");
    holidays(cal, ymd(2026, 6, 19), ymd(2026, 6, 21), "端午节");
    holidays(cal, ymd(2026, 9, 25), ymd(2026, 9, 27), "中秋节");
    holidays(cal, ymd(2026, 10, 1), ymd(2026, 10, 7), "国庆节");
    workday(cal, ymd(2026, 9, 20), "国庆节");
    workday(cal, ymd(2026, 10, 10), "国庆节");
    return cal;
}

WorkCalendar WorkCalendar::withOverrides(const WorkCalendar& base, std::span<const Entity> calendarDays) {
    struct Winner {
        std::tuple<std::uint64_t, std::uint64_t, EntityId> rank;
        CalendarDay day;
    };
    std::map<CalendarDate, Winner> winners;
    for (const Entity& entity : calendarDays) {
        if (entity.type != "calendar_day" || entity.deleted()) continue;
        const Json& dateValue = entity.get("date");
        const Json& kindValue = entity.get("kind");
        if (!dateValue.is_string() || !kindValue.is_string()) continue;
        const auto date = parseDate(dateValue.get<std::string>());
        const auto& kindText = kindValue.get_ref<const std::string&>();
        if (!date || (kindText != "holiday" && kindText != "workday")) continue;
        const FieldValue& kindField = entity.fields.at("kind");
        Winner candidate{{kindField.hlc.value, kindField.site.value, entity.id},
                         CalendarDay{*date, kindText == "holiday" ? DayKind::Holiday : DayKind::Workday,
                                     entity.get("name").is_string() ? entity.get("name").get<std::string>() : ""}};
        auto it = winners.find(*date);
        if (it == winners.end() || it->second.rank < candidate.rank) winners[*date] = std::move(candidate);
    }
    WorkCalendar result = base;
    for (auto& [date, winner] : winners) result.setDay(std::move(winner.day));
    return result;
}

Result<WorkCalendar> WorkCalendar::fromReplica(Replica& replica, const WorkCalendar& base) {
    auto days = replica.entities("calendar_day");
    if (!days) return days.error();
    return withOverrides(base, *days);
}

void WorkCalendar::setDay(CalendarDay day) {
    const CalendarDate date = day.date;
    m_days[date] = std::move(day);
}

const CalendarDay* WorkCalendar::exception(CalendarDate date) const {
    auto it = m_days.find(date);
    return it == m_days.end() ? nullptr : &it->second;
}

bool WorkCalendar::isWorkingDay(CalendarDate date) const {
    if (const CalendarDay* day = exception(date)) return day->kind == DayKind::Workday;
    return !isWeekend(date);
}

CalendarDate WorkCalendar::addWorkingDays(CalendarDate date, int n) const {
    const std::chrono::days step{n >= 0 ? 1 : -1};
    for (int remaining = n >= 0 ? n : -n; remaining > 0;) {
        date += step;
        if (isWorkingDay(date)) --remaining;
    }
    return date;
}

std::int64_t WorkCalendar::addWorkingDays(std::int64_t instantMs, int n, int utcOffsetMinutes) const {
    CalendarDate date = localDate(instantMs, utcOffsetMinutes);
    std::int64_t timeOfDay = instantMs - startOfDay(date, utcOffsetMinutes);
    if (!isWorkingDay(date)) {
        // The clock starts at the beginning of the next working day: from there, n
        // working days later at 00:00 is the end of the n-th working day.
        date = addWorkingDays(date, 1);
        timeOfDay = 0;
    }
    return startOfDay(addWorkingDays(date, n), utcOffsetMinutes) + timeOfDay;
}

int WorkCalendar::workingDaysBetween(CalendarDate a, CalendarDate b) const {
    if (b < a) return -workingDaysBetween(b, a);
    std::int64_t count = weekdaysThrough(b) - weekdaysThrough(a);
    for (auto it = m_days.upper_bound(a); it != m_days.end() && it->first <= b; ++it) {
        const bool weekend = isWeekend(it->first);
        if (it->second.kind == DayKind::Holiday && !weekend) --count;
        if (it->second.kind == DayKind::Workday && weekend) ++count;
    }
    return static_cast<int>(count);
}

}  // namespace tandem::core
