"""souk.Currency, souk.Money and souk.allocate: exact decimals, checked arithmetic, no floats."""

import decimal
from decimal import Decimal

import pytest

import souk
from souk import Currency, Money

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


def test_currencies_come_from_the_iso_table_with_their_exponents():
    assert Currency.of("CNY").exponent == 2
    assert Currency.of("JPY").exponent == 0
    assert Currency.of("KWD").exponent == 3
    assert Currency.of("CNY").code == "CNY"
    assert str(Currency.of("CNY")) == "CNY"
    assert repr(Currency.of("CNY")) == "Currency.of('CNY')"


def test_custom_currencies_need_three_letters_and_an_exponent_up_to_six():
    points = Currency.custom("PTS", 0)
    assert (points.code, points.exponent) == ("PTS", 0)
    assert repr(points) == "Currency.custom('PTS', 0)"
    with pytest.raises(souk.InvalidArgument, match="three letters"):
        Currency.custom("ab", 2)
    with pytest.raises(souk.InvalidArgument, match="0..6"):
        Currency.custom("PTS", 7)


def test_unknown_currency_codes_are_invalid_arguments_wherever_a_code_is_taken():
    with pytest.raises(souk.InvalidArgument):
        Currency.of("ABC")
    with pytest.raises(souk.InvalidArgument):
        Money.parse("1", "ABC")
    with pytest.raises(souk.InvalidArgument):
        Money(1, "ABC")
    with pytest.raises(souk.InvalidArgument):
        Money.zero("ABC")


def test_currencies_compare_and_hash_by_code_and_exponent():
    assert Currency.of("CNY") == Currency.of("CNY")
    assert Currency.of("CNY") != Currency.of("JPY")
    assert Currency.custom("CNY", 2) == Currency.of("CNY")
    assert Currency.custom("PTS", 0) != Currency.custom("PTS", 2)
    assert Currency.of("CNY") != "CNY"
    assert len({Currency.of("CNY"), Currency.custom("CNY", 2), Currency.of("JPY")}) == 2


def test_parse_reads_decimal_strings_in_the_currency_exponent():
    assert Money.parse("128.50", "CNY").minor_units == 12850
    assert Money.parse("128.5", "CNY").minor_units == 12850
    assert Money.parse("-3.07", "CNY").minor_units == -307
    assert Money.parse("1500", "JPY").minor_units == 1500
    assert Money.parse("1.234", Currency.of("KWD")).minor_units == 1234
    assert Money.parse("92233720368547758.07", "CNY").minor_units == INT64_MAX


def test_parse_takes_decimal_values_exactly():
    assert Money.parse(Decimal("128.50"), "CNY") == Money(12850, "CNY")
    assert Money.parse(Decimal("1E+2"), "CNY") == Money(10000, "CNY")
    assert Money.parse(Decimal("-0.07"), "CNY") == Money(-7, "CNY")
    with pytest.raises(souk.InvalidArgument):
        Money.parse(Decimal("0.001"), "CNY")
    with pytest.raises(souk.InvalidArgument):
        Money.parse(Decimal("NaN"), "CNY")


@pytest.mark.parametrize("bad", ["", "-", ".5", "1.", "1.234", "12a", "1,00", " 1", "+1", "1..2", "--1"])
def test_malformed_amounts_are_invalid_arguments(bad):
    with pytest.raises(souk.InvalidArgument):
        Money.parse(bad, "CNY")


def test_amounts_beyond_64_bits_overflow():
    with pytest.raises(souk.Overflow):
        Money.parse("99999999999999999999", "CNY")
    with pytest.raises(souk.Overflow):
        Money.parse("92233720368547758.08", "CNY")
    with pytest.raises(souk.Overflow):
        Money(2**63, "CNY")
    with pytest.raises(souk.Overflow):
        Money(INT64_MIN - 1, "CNY")


def test_floats_are_refused_everywhere():
    with pytest.raises(TypeError, match="never a float"):
        Money.parse(1.5, "CNY")
    with pytest.raises(TypeError):
        Money(1.5, "CNY")
    with pytest.raises(TypeError):
        Money(150, "CNY") * 1.5
    with pytest.raises(TypeError):
        Money(150, "CNY").times(1.5)
    with pytest.raises(TypeError):
        Money(150, "CNY").scaled(1.5, 2)
    with pytest.raises(TypeError):
        souk.allocate(Money(150, "CNY"), [0.5, 0.5])


def test_formatting_has_exactly_the_currency_exponent_in_fraction_digits():
    assert str(Money(12850, "CNY")) == "128.50 CNY"
    assert str(Money(-5, "CNY")) == "-0.05 CNY"
    assert str(Money(1500, "JPY")) == "1500 JPY"
    assert str(Money(1, "KWD")) == "0.001 KWD"
    assert Money(12850, "CNY").to_decimal() == Decimal("128.50")
    assert str(Money(12850, "CNY").to_decimal()) == "128.50"
    assert isinstance(Money(1, "CNY").to_decimal(), Decimal)


def test_to_decimal_is_exact_beyond_float_precision():
    big = Money(INT64_MAX, "CNY")
    with decimal.localcontext() as context:
        context.prec = 5  # the result must not depend on the caller's decimal context
        assert big.to_decimal() == Decimal("92233720368547758.07")


@pytest.mark.parametrize(
    "money",
    [Money(12850, "CNY"), Money(-7, "JPY"), Money(1, "KWD"), Money(42, Currency.custom("PTS", 0)), Money.zero("CNY")],
)
def test_repr_rebuilds_an_equal_value(money):
    assert eval(repr(money), {"Money": Money, "Currency": Currency}) == money


def test_properties_and_predicates():
    price = Money(-250, "CNY")
    assert price.minor_units == -250
    assert price.currency == Currency.of("CNY")
    assert price.is_negative and not price.is_zero
    assert Money.zero("JPY").is_zero and not Money.zero("JPY").is_negative
    assert not Money.zero("CNY")
    assert Money(1, "CNY")


def test_arithmetic_stays_in_minor_units():
    a = Money(100, "CNY")
    assert a + Money(50, "CNY") == Money(150, "CNY")
    assert a - Money(150, "CNY") == Money(-50, "CNY")
    assert -a == Money(-100, "CNY")
    assert a * 3 == Money(300, "CNY")
    assert 3 * a == Money(300, "CNY")
    assert a.times(-2) == Money(-200, "CNY")
    total = Money.zero("CNY")
    total += a
    total -= Money(1, "CNY")
    assert total == Money(99, "CNY")


def test_scaled_rounds_half_away_from_zero():
    assert Money(10000, "CNY").scaled(550, 10000) == Money(550, "CNY")
    assert Money(999, "CNY").scaled(5, 10) == Money(500, "CNY")
    assert Money(-999, "CNY").scaled(5, 10) == Money(-500, "CNY")
    with pytest.raises(souk.InvalidArgument):
        Money(1, "CNY").scaled(1, 0)


def test_arithmetic_overflow_raises_overflow_which_is_an_overflow_error():
    with pytest.raises(souk.Overflow):
        Money(INT64_MAX, "CNY") + Money(1, "CNY")
    with pytest.raises(souk.Overflow):
        Money(INT64_MIN, "CNY") - Money(1, "CNY")
    with pytest.raises(souk.Overflow):
        -Money(INT64_MIN, "CNY")
    with pytest.raises(souk.Overflow):
        Money(INT64_MAX // 2 + 1, "CNY") * 2
    with pytest.raises(souk.Overflow):
        Money(1, "CNY") * 2**64
    with pytest.raises(OverflowError):
        Money(INT64_MAX, "CNY").times(2)


def test_mixing_currencies_raises_currency_mismatch():
    cny, jpy = Money(100, "CNY"), Money(100, "JPY")
    with pytest.raises(souk.CurrencyMismatch, match="CNY"):
        cny + jpy
    with pytest.raises(souk.CurrencyMismatch):
        cny - jpy
    with pytest.raises(souk.CurrencyMismatch):
        cny < jpy
    with pytest.raises(souk.CurrencyMismatch):
        cny >= jpy


def test_money_only_combines_with_money():
    with pytest.raises(TypeError):
        Money(1, "CNY") + 1
    with pytest.raises(TypeError):
        Money(1, "CNY") < 1
    assert Money(1, "CNY") != 1


def test_equality_ordering_and_hashing():
    assert Money(100, "CNY") == Money.parse("1.00", "CNY")
    assert Money(100, "CNY") != Money(100, "JPY")
    assert Money(1, "CNY") < Money(2, "CNY") <= Money(2, "CNY") < Money(3, "CNY")
    assert Money(3, "CNY") > Money(-3, "CNY") >= Money(-3, "CNY")
    assert sorted([Money(3, "CNY"), Money(-1, "CNY"), Money(2, "CNY")]) == [
        Money(-1, "CNY"),
        Money(2, "CNY"),
        Money(3, "CNY"),
    ]
    prices = {Money(100, "CNY"): "a", Money.parse("1", "CNY"): "b", Money(100, "JPY"): "c"}
    assert len(prices) == 2


def test_allocate_splits_exactly_by_largest_remainder():
    parts = souk.allocate(Money(100, "CNY"), [1, 1, 1])
    assert [p.minor_units for p in parts] == [34, 33, 33]
    assert sum(p.minor_units for p in parts) == 100
    assert all(p.currency == Currency.of("CNY") for p in parts)
    assert [p.minor_units for p in souk.allocate(Money(-100, "CNY"), [1, 1, 1])] == [-34, -33, -33]
    assert [p.minor_units for p in souk.allocate(Money(9, "CNY"), [0, 1, 2])] == [0, 3, 6]
    odd = souk.allocate(Money.parse("1000.01", "CNY"), [3, 7, 11, 13])
    assert sum(p.minor_units for p in odd) == 100001


def test_allocate_refuses_weights_that_cannot_split():
    with pytest.raises(souk.InvalidArgument, match="at least one"):
        souk.allocate(Money(9, "CNY"), [])
    with pytest.raises(souk.InvalidArgument, match="negative"):
        souk.allocate(Money(9, "CNY"), [1, -1])
    with pytest.raises(souk.InvalidArgument, match="zero"):
        souk.allocate(Money(9, "CNY"), [0, 0])
