"""Fixtures: a marketplace on a ManualClock with minimal password hashing, a populated world, and
one with a catalog."""

import pytest

import souk
from support import START, Catalogued, World


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
