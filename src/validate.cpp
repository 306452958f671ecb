#include "validate.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "souk/error.hpp"
#include "utf8.hpp"

namespace souk::detail {
namespace {

void check(std::string_view field, std::string_view value, std::size_t min_chars, std::size_t max_chars,
           bool multiline) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < value.size();) {
        const char32_t cp = decode_utf8(value, i);
        if (cp == invalid_code_point) throw Error(Errc::invalid_argument, fmt::format("{} is not valid UTF-8", field));
        const bool allowed_control = multiline && (cp == '\n' || cp == '\r' || cp == '\t');
        if ((cp < 0x20 || cp == 0x7F) && !allowed_control)
            throw Error(Errc::invalid_argument, fmt::format("{} contains a control character", field));
        ++count;
    }
    if (count < min_chars || count > max_chars)
        throw Error(Errc::invalid_argument,
                    min_chars > 0 && count == 0
                        ? fmt::format("{} must not be empty", field)
                        : fmt::format("{} must be {}..{} characters long, not {}", field, min_chars, max_chars, count));
}

}  // namespace

std::size_t utf8_length(std::string_view value) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < value.size(); ++count)
        if (decode_utf8(value, i) == invalid_code_point) return std::string_view::npos;
    return count;
}

void require_text(std::string_view field, std::string_view value, std::size_t min_chars, std::size_t max_chars) {
    check(field, value, min_chars, max_chars, false);
}

void require_paragraph(std::string_view field, std::string_view value, std::size_t min_chars, std::size_t max_chars) {
    check(field, value, min_chars, max_chars, true);
}

void require_web_urls(std::string_view field, const std::vector<std::string>& urls, std::size_t max_count) {
    constexpr std::size_t max_url_bytes = 2048;
    if (urls.size() > max_count)
        throw Error(Errc::invalid_argument, fmt::format("at most {} {}, not {}", max_count, field, urls.size()));
    for (const auto& url : urls) {
        const bool web = url.starts_with("https://") || url.starts_with("http://");
        const bool printable = std::all_of(url.begin(), url.end(), [](char c) { return c > 0x20 && c < 0x7f; });
        if (!web || !printable || url.size() > max_url_bytes)
            throw Error(Errc::invalid_argument,
                        fmt::format("{} '{}' is not an http(s) URL of printable ASCII of at most {} bytes", field, url,
                                    max_url_bytes));
    }
}

void require_tracking_number(std::string_view tracking) {
    if (tracking.empty() || tracking.size() > 40 || !std::all_of(tracking.begin(), tracking.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
        }))
        throw Error(Errc::invalid_argument,
                    fmt::format("a tracking number is 1..40 ASCII letters, digits or '-', not '{}'", tracking));
}

void require_page(const Page& page) {
    if (page.limit == 0 || page.limit > Page::max_limit)
        throw Error(Errc::invalid_argument, fmt::format("page limit must be 1..{}, not {}", Page::max_limit, page.limit));
}

void require_commission(std::optional<int> basis_points) {
    if (basis_points && !is_basis_points(*basis_points))
        throw Error(Errc::invalid_argument,
                    fmt::format("commission {} bp is outside 0..{}", *basis_points, max_basis_points));
}

void require_not_ahead_of_clock(Timestamp now, Timestamp clock_now) {
    if (now > clock_now)
        throw Error(Errc::invalid_argument, fmt::format("tick at {} is ahead of the marketplace clock ({})",
                                                        format_timestamp(now), format_timestamp(clock_now)));
}

}  // namespace souk::detail
