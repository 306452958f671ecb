// Decoding and encoding UTF-8, shared by input validation and search tokenisation.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace souk::detail {

// What decode_utf8 returns for malformed input; never a code point.
inline constexpr char32_t invalid_code_point = 0xFFFFFFFF;

// Decodes the code point that starts at s[i] (i < s.size()) and advances i past it.
// Malformed input — a stray continuation byte, a truncated sequence, an overlong form, a
// surrogate or a value above U+10FFFF — yields invalid_code_point and advances one byte, so
// a caller that tolerates bad input resynchronises at the next byte.
char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept;

// Appends the UTF-8 encoding of a valid code point.
void append_utf8(std::string& out, char32_t cp);

}  // namespace souk::detail
