#include "validate.hpp"

#include <fmt/format.h>

#include "souk/error.hpp"

namespace souk::detail {
namespace {

// Returns the code point at `i` and advances `i`; returns -1 for invalid UTF-8.
long next_code_point(std::string_view s, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    int extra = 0;
    long cp = 0;
    if (lead < 0x80) {
        ++i;
        return lead;
    } else if ((lead & 0xE0) == 0xC0) {
        extra = 1, cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        extra = 2, cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        extra = 3, cp = lead & 0x07;
    } else {
        return -1;
    }
    if (i + extra >= s.size()) return -1;
    for (int k = 1; k <= extra; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr long min_for_length[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += extra + 1;
    return cp;
}

void check(std::string_view field, std::string_view value, std::size_t min_chars, std::size_t max_chars,
           bool multiline) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < value.size();) {
        const long cp = next_code_point(value, i);
        if (cp < 0) throw Error(Errc::invalid_argument, fmt::format("{} is not valid UTF-8", field));
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
        if (next_code_point(value, i) < 0) return std::string_view::npos;
    return count;
}

void require_text(std::string_view field, std::string_view value, std::size_t min_chars, std::size_t max_chars) {
    check(field, value, min_chars, max_chars, false);
}

void require_paragraph(std::string_view field, std::string_view value, std::size_t min_chars, std::size_t max_chars) {
    check(field, value, min_chars, max_chars, true);
}

void require_page(const Page& page) {
    if (page.limit == 0 || page.limit > Page::max_limit)
        throw Error(Errc::invalid_argument, fmt::format("page limit must be 1..{}, not {}", Page::max_limit, page.limit));
}

}  // namespace souk::detail
