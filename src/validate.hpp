// Checks for text that comes from outside: every command runs these before emitting.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "souk/clock.hpp"
#include "souk/paging.hpp"

namespace souk::detail {

// Valid UTF-8, no control characters, min..max code points; otherwise Error(invalid_argument)
// naming `field`.
void require_text(std::string_view field, std::string_view value, std::size_t min_chars, std::size_t max_chars);
// Like require_text but also allows line breaks and tabs (descriptions, reasons).
void require_paragraph(std::string_view field, std::string_view value, std::size_t min_chars, std::size_t max_chars);
// At most `max_count` http:// or https:// URLs of printable ASCII, each at most 2048 bytes;
// otherwise Error(invalid_argument) naming `field` ("images", "evidence").
void require_web_urls(std::string_view field, const std::vector<std::string>& urls, std::size_t max_count);
// 1..40 ASCII letters, digits or '-'; otherwise Error(invalid_argument).
void require_tracking_number(std::string_view tracking_number);
// A page's limit is 1..Page::max_limit; otherwise Error(invalid_argument).
void require_page(const Page& page);
// Commission rates are basis points of the amount they apply to: 0..10000.
constexpr int max_basis_points = 10000;
constexpr bool is_basis_points(int value) { return value >= 0 && value <= max_basis_points; }
// An unset rate (inherited) or a rate in 0..10000; otherwise Error(invalid_argument).
void require_commission(std::optional<int> basis_points);
// A tick fires deadlines up to `now`, which must not be ahead of the marketplace clock:
// events carry the clock's time, and nothing may happen before its cause.
void require_not_ahead_of_clock(Timestamp now, Timestamp clock_now);
// Code points in valid UTF-8, or npos when invalid.
std::size_t utf8_length(std::string_view value);

}  // namespace souk::detail
