#include "souk/money.hpp"

#include <doctest/doctest.h>

#include <numeric>

#include "souk/error.hpp"

using namespace souk;

namespace {
const Currency cny = Currency::of("CNY");
const Currency jpy = Currency::of("JPY");
const Currency kwd = Currency::of("KWD");

Errc code_of(auto&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    FAIL("expected an Error");
    return Errc::invalid_argument;
}
}  // namespace

TEST_CASE("currency exponents follow ISO 4217") {
    CHECK(cny.exponent() == 2);
    CHECK(jpy.exponent() == 0);
    CHECK(kwd.exponent() == 3);
    CHECK(code_of([] { Currency::of("ABC"); }) == Errc::invalid_argument);
    CHECK(code_of([] { Currency::custom("ab", 2); }) == Errc::invalid_argument);
    CHECK(code_of([] { Currency::custom("PTS", 7); }) == Errc::invalid_argument);
    CHECK(Currency::custom("PTS", 0).code() == "PTS");
}

TEST_CASE("decimal strings parse to minor units and format back") {
    CHECK(Money::parse("128.50", cny).minor_units() == 12850);
    CHECK(Money::parse("128.5", cny).minor_units() == 12850);
    CHECK(Money::parse("128", cny).minor_units() == 12800);
    CHECK(Money::parse("-3.07", cny).minor_units() == -307);
    CHECK(Money::parse("1500", jpy).minor_units() == 1500);
    CHECK(Money::parse("1.234", kwd).minor_units() == 1234);
    CHECK(Money(12850, cny).to_decimal() == "128.50");
    CHECK(Money(-5, cny).to_decimal() == "-0.05");
    CHECK(Money(1500, jpy).to_decimal() == "1500");
    CHECK(Money(1, kwd).to_string() == "0.001 KWD");
    CHECK(fmt::format("{}", Money(12850, cny)) == "128.50 CNY");
}

TEST_CASE("bad decimal strings are refused with invalid_argument") {
    for (const char* bad : {"", "-", ".5", "1.", "1.234", "12a", "1,00", " 1", "+1", "1..2", "--1"})
        CHECK_MESSAGE(code_of([&] { Money::parse(bad, cny); }) == Errc::invalid_argument, bad);
    CHECK(code_of([] { Money::parse("1.5", jpy); }) == Errc::invalid_argument);
    CHECK(code_of([] { Money::parse("99999999999999999999", cny); }) == Errc::overflow);
    CHECK(code_of([] { Money::parse("92233720368547758.08", cny); }) == Errc::overflow);
    CHECK(Money::parse("92233720368547758.07", cny).minor_units() == INT64_MAX);
    // Every amount that formats also parses back, the most negative one included.
    for (const auto& amount : {Money(INT64_MIN, cny), Money(INT64_MIN, jpy), Money(INT64_MAX, jpy)})
        CHECK(Money::parse(amount.to_decimal(), amount.currency()) == amount);
    CHECK(code_of([] { Money::parse("9223372036854775808", jpy); }) == Errc::overflow);
    CHECK(code_of([] { Money::parse("-9223372036854775809", jpy); }) == Errc::overflow);
}

TEST_CASE("arithmetic is checked for overflow and currency mix") {
    const Money a(100, cny);
    CHECK((a + Money(50, cny)).minor_units() == 150);
    CHECK((a - Money(150, cny)).minor_units() == -50);
    CHECK(a.times(3).minor_units() == 300);
    CHECK(code_of([&] { a + Money(1, jpy); }) == Errc::currency_mismatch);
    CHECK(code_of([&] { (void)(a < Money(1, jpy)); }) == Errc::currency_mismatch);
    CHECK(code_of([] { Money(INT64_MAX, cny) + Money(1, cny); }) == Errc::overflow);
    CHECK(code_of([] { Money(INT64_MIN, cny) - Money(1, cny); }) == Errc::overflow);
    CHECK(code_of([] { -Money(INT64_MIN, cny); }) == Errc::overflow);
    CHECK(code_of([] { Money(INT64_MAX / 2 + 1, cny).times(2); }) == Errc::overflow);
    CHECK(Money(10000, cny).scaled(550, 10000).minor_units() == 550);
    CHECK(Money(999, cny).scaled(5, 10).minor_units() == 500);   // 499.5 rounds half away from zero
    CHECK(Money(-999, cny).scaled(5, 10).minor_units() == -500);
}

TEST_CASE("allocate splits exactly by largest remainder") {
    const std::int64_t thirds[] = {1, 1, 1};
    const auto parts = allocate(Money(100, cny), thirds);
    REQUIRE(parts.size() == 3);
    CHECK(parts[0].minor_units() == 34);
    CHECK(parts[1].minor_units() == 33);
    CHECK(parts[2].minor_units() == 33);

    const std::int64_t weights[] = {5000, 3000, 1999, 1};
    const auto negative = allocate(Money(-1001, cny), weights);
    std::int64_t sum = 0;
    for (const auto& p : negative) sum += p.minor_units();
    CHECK(sum == -1001);
    CHECK(negative[0].minor_units() == -501);

    const std::int64_t with_zero[] = {0, 7};
    CHECK(allocate(Money(9, cny), with_zero)[0].minor_units() == 0);
    const std::int64_t zeros[] = {0, 0};
    CHECK(code_of([&] { allocate(Money(9, cny), zeros); }) == Errc::invalid_argument);
    const std::int64_t negatives[] = {1, -1};
    CHECK(code_of([&] { allocate(Money(9, cny), negatives); }) == Errc::invalid_argument);
    CHECK(code_of([&] { allocate(Money(9, cny), std::span<const std::int64_t>{}); }) == Errc::invalid_argument);
}

TEST_CASE("allocate always sums to the whole on random inputs") {
    std::uint64_t seed = 12345;
    const auto next = [&] { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::int64_t> weights(1 + next() % 12);
        for (auto& w : weights) w = static_cast<std::int64_t>(next() % 100000);
        weights[0] += 1;
        const Money total(static_cast<std::int64_t>(next() % 10'000'000'000ULL) - 5'000'000'000LL, cny);
        const auto parts = allocate(total, weights);
        std::int64_t sum = 0;
        for (const auto& p : parts) sum += p.minor_units();
        REQUIRE(sum == total.minor_units());
    }
}
