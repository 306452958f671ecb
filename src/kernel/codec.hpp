// Binary encoding of event fields: LEB128 varints, zigzag for signed values, length-prefixed
// bytes. Layout is documented in docs/journal-format.md; changing it breaks old journals.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "souk/clock.hpp"
#include "souk/error.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"

namespace souk::detail {

// A string that must never be shown (password hashes, token hashes): audit output redacts it.
struct Secret {
    std::string value;
    friend bool operator==(const Secret&, const Secret&) = default;
};

class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}
    void byte(std::uint8_t b) { out_.push_back(static_cast<char>(b)); }
    void varint(std::uint64_t v) {
        while (v >= 0x80) {
            byte(static_cast<std::uint8_t>(v | 0x80));
            v >>= 7;
        }
        byte(static_cast<std::uint8_t>(v));
    }
    void svarint(std::int64_t v) { varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
    void bytes(std::string_view s) {
        varint(s.size());
        out_.append(s);
    }
    void fixed32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) byte(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    std::string& buffer() { return out_; }

private:
    std::string& out_;
};

// Reads what Writer wrote. Every read is bounds-checked; damage throws Error(corrupt_journal).
class Reader {
public:
    explicit Reader(std::string_view data) : data_(data) {}
    bool at_end() const { return pos_ == data_.size(); }
    std::size_t remaining() const { return data_.size() - pos_; }
    std::uint8_t byte() {
        if (at_end()) fail("truncated");
        return static_cast<std::uint8_t>(data_[pos_++]);
    }
    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            const std::uint8_t b = byte();
            if (shift == 63 && b > 1) fail("varint overflows 64 bits");
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80)) return v;
        }
        fail("varint too long");
    }
    std::int64_t svarint() {
        const std::uint64_t v = varint();
        return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
    }
    std::string_view bytes() {
        const std::uint64_t n = varint();
        if (n > remaining()) fail("length runs past the end");
        const auto s = data_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    std::uint32_t fixed32() {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(byte()) << (8 * i);
        return v;
    }
    [[noreturn]] static void fail(std::string_view why) {
        throw Error(Errc::corrupt_journal, std::string("undecodable data: ") + std::string(why));
    }

private:
    std::string_view data_;
    std::size_t pos_ = 0;
};

template <class T>
concept Visitable = requires(T& t) { t.visit([](const char*, auto&) {}); };

template <class T>
struct is_id : std::false_type {};
template <class Tag>
struct is_id<Id<Tag>> : std::true_type {};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

inline Currency decode_currency(Reader& r) {
    const auto code = r.bytes();
    const int exponent = r.byte();
    try {
        return Currency::custom(code, exponent);
    } catch (const Error&) {
        Reader::fail("bad currency");
    }
}

template <class T>
void encode_value(Writer& w, const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
        w.byte(v ? 1 : 0);
    } else if constexpr (std::is_enum_v<T>) {
        w.varint(static_cast<std::uint64_t>(v));
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        w.svarint(v);
    } else if constexpr (std::is_integral_v<T>) {
        w.varint(v);
    } else if constexpr (std::is_same_v<T, std::string>) {
        w.bytes(v);
    } else if constexpr (std::is_same_v<T, Secret>) {
        w.bytes(v.value);
    } else if constexpr (is_id<T>::value) {
        w.varint(v.value);
    } else if constexpr (std::is_same_v<T, Timestamp>) {
        w.svarint(v.time_since_epoch().count());
    } else if constexpr (std::is_same_v<T, Duration>) {
        w.svarint(v.count());
    } else if constexpr (std::is_same_v<T, Currency>) {
        w.bytes(v.code());
        w.byte(static_cast<std::uint8_t>(v.exponent()));
    } else if constexpr (std::is_same_v<T, Money>) {
        w.svarint(v.minor_units());
        encode_value(w, v.currency());
    } else if constexpr (is_optional<T>::value) {
        w.byte(v ? 1 : 0);
        if (v) encode_value(w, *v);
    } else if constexpr (is_vector<T>::value) {
        w.varint(v.size());
        for (const auto& item : v) encode_value(w, item);
    } else {
        static_assert(Visitable<T>, "no encoding for this field type");
        const_cast<T&>(v).visit([&](const char*, const auto& field) { encode_value(w, field); });
    }
}

template <class T>
void decode_value(Reader& r, T& v) {
    if constexpr (std::is_same_v<T, bool>) {
        const auto b = r.byte();
        if (b > 1) Reader::fail("bad bool");
        v = b == 1;
    } else if constexpr (std::is_enum_v<T>) {
        // Range-checked like any unsigned integer: a cast alone would wrap 257 onto 1.
        std::make_unsigned_t<std::underlying_type_t<T>> raw{};
        decode_value(r, raw);
        v = static_cast<T>(raw);
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        const auto x = r.svarint();
        if (x < std::numeric_limits<T>::min() || x > std::numeric_limits<T>::max()) Reader::fail("integer out of range");
        v = static_cast<T>(x);
    } else if constexpr (std::is_integral_v<T>) {
        const auto x = r.varint();
        if (x > std::numeric_limits<T>::max()) Reader::fail("integer out of range");
        v = static_cast<T>(x);
    } else if constexpr (std::is_same_v<T, std::string>) {
        v = std::string(r.bytes());
    } else if constexpr (std::is_same_v<T, Secret>) {
        v.value = std::string(r.bytes());
    } else if constexpr (is_id<T>::value) {
        v = T{r.varint()};
    } else if constexpr (std::is_same_v<T, Timestamp>) {
        v = Timestamp{Duration{r.svarint()}};
    } else if constexpr (std::is_same_v<T, Duration>) {
        v = Duration{r.svarint()};
    } else if constexpr (std::is_same_v<T, Currency>) {
        v = decode_currency(r);
    } else if constexpr (std::is_same_v<T, Money>) {
        const auto minor = r.svarint();
        v = Money(minor, decode_currency(r));
    } else if constexpr (is_optional<T>::value) {
        const auto present = r.byte();
        if (present > 1) Reader::fail("bad optional flag");
        if (present) {
            typename T::value_type inner{};
            decode_value(r, inner);
            v = std::move(inner);
        } else {
            v.reset();
        }
    } else if constexpr (is_vector<T>::value) {
        const auto n = r.varint();
        if (n > r.remaining()) Reader::fail("list longer than its data");
        v.clear();
        v.reserve(n);
        for (std::uint64_t i = 0; i < n; ++i) decode_value(r, v.emplace_back());
    } else {
        static_assert(Visitable<T>, "no decoding for this field type");
        v.visit([&](const char*, auto& field) { decode_value(r, field); });
    }
}

}  // namespace souk::detail
