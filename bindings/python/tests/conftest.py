"""Fixtures: a marketplace on a ManualClock with minimal password hashing, a populated world, one
with a catalog, and one ready to trade (with and without shipping fees)."""

import pytest

import souk
from support import START, Catalogued, Trading, World, cny


@pytest.fixture
def clock():
    return souk.ManualClock(START)


@pytest.fixture
def market(clock):
    return souk.Marketplace.in_memory(clock=clock, password_hashing="minimal")


@pytest.fixture
def world(market, clock):
    return World(market, clock)


@pytest.fixture
def catalogued(market, clock):
    return Catalogued(market, clock)


@pytest.fixture
def trading(market, clock):
    return Trading(market, clock)


@pytest.fixture
def shipping_trading(clock):
    """Trading on a marketplace that charges 8.00 CNY shipping per shop, free from 200.00 CNY."""
    market = souk.Marketplace.in_memory(
        clock=clock, password_hashing="minimal", shipping_fee_per_shop=cny("8.00"), free_shipping_from=cny("200.00")
    )
    return Trading(market, clock)
