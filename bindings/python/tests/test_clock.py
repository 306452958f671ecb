"""Clocks and timestamps: aware datetimes in, UTC datetimes out, exact to the microsecond."""

import datetime as dt

import pytest

import souk
from support import START

UTC = dt.timezone.utc


def test_a_manual_clock_moves_only_when_told():
    clock = souk.ManualClock(START)
    assert clock.now() == START
    assert clock.now().tzinfo == UTC
    clock.advance(dt.timedelta(days=2, microseconds=7))
    assert clock.now() == START + dt.timedelta(days=2, microseconds=7)
    clock.advance(dt.timedelta(seconds=-1))
    assert clock.now() == START + dt.timedelta(days=2, seconds=-1, microseconds=7)
    later = dt.datetime(2030, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    clock.set(later)
    assert clock.now() == later
    assert isinstance(clock, souk.Clock)


def test_aware_datetimes_in_any_zone_are_converted_to_utc():
    shanghai = dt.timezone(dt.timedelta(hours=8))
    clock = souk.ManualClock(dt.datetime(2026, 1, 15, 17, 0, tzinfo=shanghai))
    assert clock.now() == START
    assert clock.now().utcoffset() == dt.timedelta(0)


def test_naive_datetimes_are_refused():
    with pytest.raises(TypeError, match="timezone-aware"):
        souk.ManualClock(dt.datetime(2026, 1, 15, 9, 0))
    with pytest.raises(TypeError, match="timezone-aware"):
        souk.ManualClock(START).set(dt.datetime(2026, 1, 15, 9, 0))


def test_times_before_the_epoch_are_exact():
    early = dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert souk.ManualClock(early).now() == early


def test_durations_beyond_64_bit_microseconds_overflow():
    with pytest.raises(souk.Overflow):
        souk.ManualClock(START).advance(dt.timedelta(days=200_000_000))


def test_the_system_clock_tells_the_wall_clock_time():
    before = dt.datetime.now(UTC)
    now = souk.SystemClock().now()
    after = dt.datetime.now(UTC)
    assert before <= now <= after


def test_clocks_cannot_be_made_in_python():
    with pytest.raises(TypeError):
        souk.Clock()


def test_timestamps_format_and_parse_as_iso_8601_utc():
    t = dt.datetime(2026, 11, 25, 6, 13, 4, 123, tzinfo=UTC)
    assert souk.format_timestamp(t) == "2026-11-25T06:13:04.000123Z"
    assert souk.parse_timestamp("2026-11-25T06:13:04.000123Z") == t
    assert souk.parse_timestamp("2026-11-25T06:13:04Z") == t.replace(microsecond=0)
    with pytest.raises(souk.InvalidArgument, match="ISO 8601"):
        souk.parse_timestamp("25/11/2026")
