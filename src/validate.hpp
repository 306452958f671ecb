// Checks for text that comes from outside: every command runs these before emitting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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
// Code points in valid UTF-8, or npos when invalid.
std::size_t utf8_length(std::string_view value);

}  // namespace souk::detail
