#include "souk/money.hpp"

#include <algorithm>
#include <cassert>
#include <limits>
#include <numeric>

#include "souk/error.hpp"

namespace souk {
namespace {

// 128-bit intermediates make every 64-bit product and sum exact before the range check.
__extension__ typedef __int128 Wide;

struct KnownCurrency {
    const char* code;
    std::uint8_t exponent;
};

// ISO 4217 currencies in common trade use, with their minor-unit exponents.
constexpr KnownCurrency known_currencies[] = {
    {"AED", 2}, {"AUD", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2}, {"CLP", 0}, {"CNY", 2},
    {"CZK", 2}, {"DKK", 2}, {"EGP", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"HUF", 2}, {"IDR", 2},
    {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KRW", 0}, {"KWD", 3},
    {"LYD", 3}, {"MOP", 2}, {"MXN", 2}, {"MYR", 2}, {"NOK", 2}, {"NZD", 2}, {"OMR", 3}, {"PHP", 2},
    {"PKR", 2}, {"PLN", 2}, {"QAR", 2}, {"RUB", 2}, {"SAR", 2}, {"SEK", 2}, {"SGD", 2}, {"THB", 2},
    {"TND", 3}, {"TRY", 2}, {"TWD", 2}, {"UAH", 2}, {"USD", 2}, {"VND", 0}, {"XAF", 0}, {"XOF", 0},
    {"XXX", 0}, {"ZAR", 2},
};

constexpr std::int64_t pow10(int exponent) {
    std::int64_t result = 1;
    for (int i = 0; i < exponent; ++i) result *= 10;
    return result;
}

std::int64_t checked(Wide value, std::string_view what) {
    if (value > std::numeric_limits<std::int64_t>::max() || value < std::numeric_limits<std::int64_t>::min())
        throw Error(Errc::overflow, fmt::format("{} does not fit in 64-bit minor units", what));
    return static_cast<std::int64_t>(value);
}

void require_same_currency(const Money& a, const Money& b) {
    if (a.currency() != b.currency())
        throw Error(Errc::currency_mismatch, fmt::format("cannot combine {} with {}", a.currency(), b.currency()));
}

bool is_code(std::string_view code) {
    return code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

Currency Currency::of(std::string_view code) {
    for (const auto& known : known_currencies)
        if (code == known.code) return Currency({code[0], code[1], code[2]}, known.exponent);
    throw Error(Errc::invalid_argument,
                fmt::format("unknown currency '{}': use an ISO 4217 code such as CNY, or Currency::custom", code));
}

Currency Currency::custom(std::string_view code, int exponent) {
    if (!is_code(code))
        throw Error(Errc::invalid_argument, fmt::format("currency code '{}' must be three letters A-Z", code));
    if (exponent < 0 || exponent > 6)
        throw Error(Errc::invalid_argument, fmt::format("currency exponent {} must be within 0..6", exponent));
    return Currency({code[0], code[1], code[2]}, static_cast<std::uint8_t>(exponent));
}

Money Money::parse(std::string_view text, Currency currency) {
    const auto bad = [&](std::string_view why) {
        return Error(Errc::invalid_argument, fmt::format("'{}' is not a {} amount: {}", text, currency, why));
    };
    std::string_view rest = text;
    const bool negative = !rest.empty() && rest.front() == '-';
    if (negative) rest.remove_prefix(1);
    const auto dot = rest.find('.');
    const std::string_view whole = rest.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    const auto all_digits = [](std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (whole.empty() || !all_digits(whole) || !all_digits(fraction)) throw bad("expected [-]digits[.digits]");
    if (dot != std::string_view::npos && fraction.empty()) throw bad("no digits after the decimal point");
    if (static_cast<int>(fraction.size()) > currency.exponent())
        throw bad(fmt::format("{} allows at most {} decimal places", currency, currency.exponent()));
    Wide minor = 0;
    for (char c : whole) {
        minor = minor * 10 + (c - '0');
        // One past the maximum stays readable: negated, it is the minimum; `checked` decides.
        if (minor > Wide{std::numeric_limits<std::int64_t>::max()} + 1)
            throw Error(Errc::overflow, fmt::format("'{}' is too large", text));
    }
    for (int i = 0; i < currency.exponent(); ++i)
        minor = minor * 10 + (i < static_cast<int>(fraction.size()) ? fraction[i] - '0' : 0);
    return Money(checked(negative ? -minor : minor, text), currency);
}

std::string Money::to_decimal() const {
    const int exponent = currency_.exponent();
    const std::uint64_t magnitude = minor_ < 0 ? 0 - static_cast<std::uint64_t>(minor_) : static_cast<std::uint64_t>(minor_);
    const auto scale = static_cast<std::uint64_t>(pow10(exponent));
    std::string out = minor_ < 0 ? "-" : "";
    out += std::to_string(magnitude / scale);
    if (exponent > 0) out += fmt::format(".{:0{}}", magnitude % scale, exponent);
    return out;
}

std::string Money::to_string() const { return fmt::format("{} {}", to_decimal(), currency_); }

Money Money::operator-() const { return Money(checked(-static_cast<Wide>(minor_), "negation"), currency_); }

Money& Money::operator+=(const Money& other) {
    require_same_currency(*this, other);
    minor_ = checked(static_cast<Wide>(minor_) + other.minor_, "sum");
    return *this;
}

Money& Money::operator-=(const Money& other) {
    require_same_currency(*this, other);
    minor_ = checked(static_cast<Wide>(minor_) - other.minor_, "difference");
    return *this;
}

Money Money::times(std::int64_t factor) const {
    return Money(checked(static_cast<Wide>(minor_) * factor, "product"), currency_);
}

Money Money::scaled(std::int64_t numerator, std::int64_t denominator) const {
    if (denominator <= 0) throw Error(Errc::invalid_argument, "scale denominator must be positive");
    const Wide product = static_cast<Wide>(minor_) * numerator;
    const Wide magnitude = product < 0 ? -product : product;
    const Wide rounded = (magnitude + denominator / 2) / denominator;
    return Money(checked(product < 0 ? -rounded : rounded, "scaled amount"), currency_);
}

bool operator<(const Money& a, const Money& b) {
    require_same_currency(a, b);
    return a.minor_ < b.minor_;
}

std::vector<Money> allocate(const Money& total, std::span<const std::int64_t> weights) {
    if (weights.empty()) throw Error(Errc::invalid_argument, "allocate needs at least one weight");
    Wide weight_sum = 0;
    for (auto w : weights) {
        if (w < 0) throw Error(Errc::invalid_argument, "allocation weights must not be negative");
        weight_sum += w;
    }
    if (weight_sum == 0) throw Error(Errc::invalid_argument, "allocation weights must not all be zero");
    const Wide amount = total.minor_units() < 0 ? -static_cast<Wide>(total.minor_units()) : total.minor_units();
    std::vector<std::int64_t> parts(weights.size());
    std::vector<Wide> remainders(weights.size());
    Wide assigned = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const Wide product = amount * weights[i];
        parts[i] = static_cast<std::int64_t>(product / weight_sum);
        remainders[i] = product % weight_sum;
        assigned += parts[i];
    }
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return remainders[a] > remainders[b]; });
    for (Wide left = amount - assigned, k = 0; left > 0; --left, ++k) ++parts[order[static_cast<std::size_t>(k)]];
    std::vector<Money> result;
    result.reserve(parts.size());
    for (auto part : parts) result.emplace_back(total.minor_units() < 0 ? -part : part, total.currency());
    assert(std::accumulate(parts.begin(), parts.end(), Wide{0}) == amount);
    return result;
}

}  // namespace souk
