// souk — money: integer minor units with an ISO 4217 currency. No floating point, anywhere.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace souk {

// An ISO 4217 currency: a three-letter upper-case code and its minor-unit exponent
// (CNY 2, JPY 0, KWD 3). Regular and trivially copyable.
class Currency {
public:
    // "XXX", ISO 4217's code for "no currency": the value of a default-constructed Currency.
    Currency() : code_{'X', 'X', 'X'}, exponent_(0) {}
    // Looks the code up in souk's ISO 4217 table; throws Error(invalid_argument) if unknown.
    static Currency of(std::string_view code);
    // A currency outside the table (a points unit, a new code): code must be three A–Z letters,
    // exponent 0..6.
    static Currency custom(std::string_view code, int exponent);

    std::string_view code() const { return {code_.data(), code_.size()}; }
    int exponent() const { return exponent_; }
    friend bool operator==(const Currency&, const Currency&) = default;

private:
    Currency(std::array<char, 3> code, std::uint8_t exponent) : code_(code), exponent_(exponent) {}
    std::array<char, 3> code_;
    std::uint8_t exponent_;
};

// An amount in integer minor units of one currency. All arithmetic is checked:
// overflow throws Error(overflow), mixing currencies throws Error(currency_mismatch).
class Money {
public:
    Money() = default;  // 0 XXX: a placeholder that any real amount must replace
    Money(std::int64_t minor_units, Currency currency) : minor_(minor_units), currency_(currency) {}
    static Money zero(Currency currency) { return Money(0, currency); }
    // Parses a decimal string such as "128.50", "-3", "0.5" in the currency's exponent.
    // More fraction digits than the exponent allows, or anything but [-]digits[.digits],
    // throws Error(invalid_argument).
    static Money parse(std::string_view decimal, Currency currency);

    std::int64_t minor_units() const { return minor_; }
    const Currency& currency() const { return currency_; }
    bool is_zero() const { return minor_ == 0; }
    bool is_negative() const { return minor_ < 0; }

    // "128.50" — the amount alone, with exactly exponent() fraction digits.
    std::string to_decimal() const;
    // "128.50 CNY"
    std::string to_string() const;

    Money operator-() const;
    Money& operator+=(const Money& other);
    Money& operator-=(const Money& other);
    friend Money operator+(Money a, const Money& b) { return a += b; }
    friend Money operator-(Money a, const Money& b) { return a -= b; }
    // Multiplication by an integer count (quantity): checked.
    Money times(std::int64_t factor) const;
    // this × numerator ÷ denominator, rounded half away from zero (basis points, rates).
    Money scaled(std::int64_t numerator, std::int64_t denominator) const;

    friend bool operator==(const Money&, const Money&) = default;
    // Ordering is only defined within one currency; comparing across throws currency_mismatch.
    friend bool operator<(const Money& a, const Money& b);
    friend bool operator<=(const Money& a, const Money& b) { return !(b < a); }
    friend bool operator>(const Money& a, const Money& b) { return b < a; }
    friend bool operator>=(const Money& a, const Money& b) { return !(a < b); }

private:
    std::int64_t minor_ = 0;
    Currency currency_;
};

// Splits `total` into parts proportional to `weights` (non-negative, not all zero) by the
// largest-remainder method: the parts always sum exactly to `total`; leftover minor units
// go to the largest remainders, ties to the earlier weight. Negative totals split symmetrically.
std::vector<Money> allocate(const Money& total, std::span<const std::int64_t> weights);

}  // namespace souk

template <>
struct fmt::formatter<souk::Money> : fmt::formatter<std::string_view> {
    auto format(const souk::Money& m, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(m.to_string(), ctx);
    }
};

template <>
struct fmt::formatter<souk::Currency> : fmt::formatter<std::string_view> {
    auto format(const souk::Currency& c, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(c.code(), ctx);
    }
};
