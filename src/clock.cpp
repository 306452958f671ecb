#include "souk/clock.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "souk/error.hpp"

namespace souk {

std::string format_timestamp(Timestamp t) {
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{days};
    const std::chrono::hh_mm_ss<Duration> hms{t - days};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", int(ymd.year()), unsigned(ymd.month()),
                       unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                       hms.subseconds().count());
}

Timestamp parse_timestamp(std::string_view text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
    const std::string copy(text);
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) != 6 || used != 19)
        throw Error(Errc::invalid_argument, fmt::format("'{}' is not an ISO 8601 UTC timestamp", text));
    std::int64_t micros = 0;
    std::string_view rest = text.substr(19);
    if (!rest.empty() && rest.front() == '.') {
        rest.remove_prefix(1);
        int digits = 0;
        while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9' && digits < 6) {
            micros = micros * 10 + (rest.front() - '0');
            rest.remove_prefix(1);
            ++digits;
        }
        if (digits == 0) throw Error(Errc::invalid_argument, fmt::format("'{}' has an empty fraction", text));
        for (; digits < 6; ++digits) micros *= 10;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month(unsigned(mo)),
                                          std::chrono::day(unsigned(d))};
    if (rest != "Z" || !ymd.ok() || h > 23 || mi > 59 || s > 59)
        throw Error(Errc::invalid_argument, fmt::format("'{}' is not an ISO 8601 UTC timestamp", text));
    return std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s} +
           Duration{micros};
}

Timestamp SystemClock::now() const {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

ManualClock::ManualClock(Timestamp start) : micros_(start.time_since_epoch().count()) {}

Timestamp ManualClock::now() const { return Timestamp{Duration{micros_.load()}}; }

void ManualClock::set(Timestamp t) { micros_.store(t.time_since_epoch().count()); }

void ManualClock::advance(Duration d) { micros_.fetch_add(d.count()); }

}  // namespace souk
