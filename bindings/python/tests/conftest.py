"""Fixtures: a marketplace on a ManualClock with minimal password hashing, and a populated world."""

import pytest

import souk
from support import START, World


@pytest.fixture
def clock():
    return souk.ManualClock(START)


@pytest.fixture
def market(clock):
    return souk.Marketplace.in_memory(clock=clock, password_hashing="minimal")


@pytest.fixture
def world(market, clock):
    return World(market, clock)
