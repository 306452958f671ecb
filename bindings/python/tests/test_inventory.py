"""marketplace.inventory: stock adjustments, reservations and their expiry by tick, who may move
and see stock, Python threads reserving at once without overselling, and replay from SQLite."""

import datetime as dt
import json
import threading

import pytest

import souk
from souk import ReservationStatus, StockChange, StockLine
from support import Catalogued, catalog_snapshot


def change(sku, delta):
    return StockChange(sku=sku, delta=delta)


def line(sku, quantity):
    return StockLine(sku=sku, quantity=quantity)


def in_hours(world, hours):
    return world.clock.now() + dt.timedelta(hours=hours)


def counts(world, sku):
    level = world.inventory.stock(world.owner, sku)
    return level.on_hand, level.reserved, level.available, level.sold


def level_of(world, sku):
    return world.inventory.stock(world.op, sku)


def ids(records):
    return [record.id for record in records]


def test_adjusting_stock_adds_to_on_hand(catalogued):
    w = catalogued
    small, large = w.skus
    assert counts(w, small) == (0, 0, 0, 0)
    w.inventory.adjust(w.staff, [change(small, 10), change(large, 4), change(small, 2)], "delivery")
    level = w.inventory.stock(w.owner, small)
    assert (level.sku, level.product, level.shop) == (small, w.longjing, w.shop)
    assert (level.on_hand, level.reserved, level.available, level.sold) == (12, 0, 12, 0)
    assert (level.low_stock_threshold, level.dropped) == (None, False)
    w.inventory.adjust(w.owner, [change(small, -3)], "stock take")
    assert counts(w, small) == (9, 0, 9, 0)
    assert w.inventory.stock_of_product(w.op, w.longjing) == [level_of(w, small), level_of(w, large)]
    assert w.market.catalog.product(w.customer, w.longjing).skus[0].available == 9
    assert repr(change(small, 1)) == "StockChange(sku=SkuId(1), delta=1)"


def test_an_adjustment_is_all_or_nothing_across_skus(catalogued):
    w = catalogued
    small, large = w.skus
    w.inventory.adjust(w.owner, [change(small, 5), change(large, 5)], "delivery")
    w.inventory.reserve(w.owner, [line(large, 4)], in_hours(w, 1))
    position = w.market.journal_position()
    with pytest.raises(souk.InsufficientStock, match="4 are reserved"):
        w.inventory.adjust(w.owner, [change(small, 100), change(large, -2)], "breakage")
    with pytest.raises(souk.LimitExceeded, match="more than 1000000000"):
        w.inventory.adjust(w.owner, [change(small, 1), change(large, souk.Inventory.max_on_hand)], "typo")
    invalid = [
        ([change(small, 0)], "delivery", "zero"),
        ([change(small, souk.Inventory.max_on_hand + 1)], "delivery", "zero or beyond"),
        ([change(small, 2), change(small, -2)], "delivery", "cancel each other out"),
        ([], "delivery", "1..500 SKUs"),
        ([change(small, 1)] * 501, "delivery", "1..500 SKUs"),
        ([change(small, 1)], "", "reason"),
    ]
    for changes, reason, message in invalid:
        with pytest.raises(souk.InvalidArgument, match=message):
            w.inventory.adjust(w.owner, changes, reason)
    with pytest.raises(souk.NotFound, match="no SKU 99"):
        w.inventory.adjust(w.owner, [change(small, 1), change(souk.SkuId(99), 1)], "delivery")
    with pytest.raises(TypeError):
        change(small, 1.5)
    assert w.market.journal_position() == position
    assert counts(w, small) == (5, 0, 5, 0) and counts(w, large) == (5, 4, 1, 0)


def test_reserve_release_and_commit_move_units_between_available_reserved_and_sold(catalogued):
    w = catalogued
    small, large = w.skus
    w.inventory.adjust(w.owner, [change(small, 10), change(large, 10)], "delivery")
    w.tick()
    expires = in_hours(w, 2)
    held = w.inventory.reserve(w.staff, [line(large, 2), line(small, 3), line(small, 1)], expires)
    assert isinstance(held, souk.ReservationId)
    info = w.inventory.reservation(w.owner, held)
    assert (info.id, info.shop, info.status) == (held, w.shop, ReservationStatus.open)
    assert (info.owner.holder, info.owner.id) == (souk.ReservationHolder.shop, w.shop.value)
    assert info.lines == [line(small, 4), line(large, 2)]  # one per SKU, by SKU id
    assert (info.created_at, info.expires_at, info.closed_at) == (w.clock.now(), expires, None)
    assert counts(w, small) == (10, 4, 6, 0)
    w.tick()
    w.inventory.release(w.owner, held)
    released = w.inventory.reservation(w.owner, held)
    assert (released.status, released.closed_at) == (ReservationStatus.released, w.clock.now())
    assert counts(w, small) == (10, 0, 10, 0)
    with pytest.raises(souk.InvalidState, match="is released"):
        w.inventory.release(w.owner, held)
    sold = w.inventory.reserve(w.owner, [line(small, 3)], expires)
    w.inventory.commit(w.staff, sold)
    assert counts(w, small) == (7, 0, 7, 3)
    assert w.market.catalog.product(w.customer, w.longjing).sales == 3
    with pytest.raises(souk.InvalidState, match="committed"):
        w.inventory.commit(w.owner, sold)
    open_hold = w.inventory.reserve(w.owner, [line(large, 1)], expires)
    assert ids(w.inventory.reservations(w.owner, w.shop)) == [open_hold, sold, held]
    assert ids(w.inventory.reservations(w.op, w.shop, "open")) == [open_hold]
    assert w.inventory.reservations(w.owner, w.shop, ReservationStatus.committed) == [
        w.inventory.reservation(w.owner, sold)
    ]
    assert ids(w.inventory.reservations(w.owner, w.shop, page=souk.Page(offset=1, limit=1))) == [sold]
    with pytest.raises(souk.InvalidArgument, match="expected one of open, released, expired, committed"):
        w.inventory.reservations(w.owner, w.shop, "cancelled")
    with pytest.raises(souk.NotFound, match="no reservation 99"):
        w.inventory.release(w.owner, souk.ReservationId(99))


def test_what_a_reservation_may_hold_and_for_how_long(catalogued):
    w = catalogued
    small, large = w.skus
    w.inventory.adjust(w.owner, [change(small, 5)], "delivery")
    w.inventory.adjust(w.other_owner, [change(w.other_sku, 5)], "delivery")
    position = w.market.journal_position()
    with pytest.raises(souk.InsufficientStock, match="SKU 2 has 0 units available, not 1"):
        w.inventory.reserve(w.owner, [line(small, 5), line(large, 1)], in_hours(w, 1))
    too_late = w.clock.now() + souk.Inventory.max_reservation_lifetime + dt.timedelta(microseconds=1)
    invalid = [
        ([line(small, 1)], w.clock.now(), "after now"),
        ([line(small, 1)], too_late, "within 30 days"),
        ([line(small, 0)], in_hours(w, 1), "outside 1..1000000"),
        ([], in_hours(w, 1), "at least one line"),
    ]
    for lines, expires_at, message in invalid:
        with pytest.raises(souk.InvalidArgument, match=message):
            w.inventory.reserve(w.owner, lines, expires_at)
    with pytest.raises(souk.InvalidArgument, match="one shop's stock"):
        w.inventory.reserve(souk.Actor.system(), [line(small, 1), line(w.other_sku, 1)], in_hours(w, 1))
    with pytest.raises(TypeError, match="timezone-aware"):
        w.inventory.reserve(w.owner, [line(small, 1)], dt.datetime(2026, 1, 16, 9, 0))
    with pytest.raises(TypeError):
        w.inventory.reserve(w.owner, [line(small, 1)], dt.timedelta(hours=1))
    assert w.market.journal_position() == position
    assert counts(w, small) == (5, 0, 5, 0)
    # The whole lifetime is allowed; any aware datetime works, whatever its zone.
    china = dt.timezone(dt.timedelta(hours=8))
    longest = (w.clock.now() + souk.Inventory.max_reservation_lifetime).astimezone(china)
    held = w.inventory.reserve(w.owner, [line(small, 5)], longest)
    assert w.inventory.reservation(w.owner, held).expires_at == longest
    # A closed shop's stock is frozen; its open reservations can still be closed.
    w.shops.close(w.owner, w.shop, "retiring")
    with pytest.raises(souk.InvalidState, match="closed"):
        w.inventory.adjust(w.owner, [change(small, 1)], "delivery")
    with pytest.raises(souk.InvalidState, match="closed"):
        w.inventory.set_low_stock_threshold(w.owner, small, 1)
    w.inventory.commit(w.owner, held)
    assert counts(w, small) == (0, 0, 0, 5)


def test_tick_expires_due_reservations_and_releases_their_units(catalogued):
    w = catalogued
    small, large = w.skus
    w.inventory.adjust(w.owner, [change(small, 10), change(large, 10)], "delivery")
    soon = w.inventory.reserve(w.owner, [line(small, 4)], w.clock.now() + dt.timedelta(minutes=15))
    also_soon = w.inventory.reserve(w.owner, [line(large, 1)], w.clock.now() + dt.timedelta(minutes=15))
    later = w.inventory.reserve(w.owner, [line(small, 2)], in_hours(w, 2))
    assert w.market.tick(w.clock.now()).reservations_expired == 0
    w.clock.advance(dt.timedelta(minutes=15))  # due exactly now: expires
    report = w.market.tick(w.clock.now())
    assert report.reservations_expired == 2
    assert repr(report) == (
        "TickReport(reservations_expired=2, orders=OrdersTickReport(cancelled=0, received=0, completed=0, refunded=0), "
        "after_sales_approved=0, groups=GroupBuyingTickReport(succeeded=0, failed=0))"
    )
    expired = w.inventory.reservation(w.owner, soon)
    assert (expired.status, expired.closed_at) == (ReservationStatus.expired, w.clock.now())
    assert w.inventory.reservation(w.owner, also_soon).status == ReservationStatus.expired
    assert w.inventory.reservation(w.owner, later).status == ReservationStatus.open
    assert counts(w, small) == (10, 2, 8, 0) and counts(w, large) == (10, 0, 10, 0)
    with pytest.raises(souk.InvalidState, match="expired"):
        w.inventory.commit(w.owner, soon)
    # Ticking again, or at an earlier time, finds nothing more to do.
    assert w.market.tick(w.clock.now()).reservations_expired == 0
    assert w.inventory.tick(w.clock.now() - dt.timedelta(hours=1)) == 0
    # The future cannot be ticked.
    with pytest.raises(souk.InvalidArgument, match="ahead of the marketplace clock"):
        w.inventory.tick(in_hours(w, 3))
    with pytest.raises(souk.InvalidArgument, match="ahead of the marketplace clock"):
        w.market.tick(in_hours(w, 3))
    w.clock.advance(dt.timedelta(hours=2))
    assert w.inventory.tick(w.clock.now()) == 1
    assert counts(w, small) == (10, 0, 10, 0)
    # The expiry is the system's doing, in the reservation's and the SKUs' trails.
    trail = w.market.audit(w.owner, later)
    assert [e.event for e in trail] == ["StockReserved", "StockReleased"]
    assert trail[-1].actor == souk.UserId(0) and json.loads(trail[-1].details)["expired"] is True
    assert [e.event for e in w.market.audit(w.staff, small)][-1] == "StockReleased"


def test_low_stock_thresholds_and_the_shops_low_stock_list(catalogued):
    w = catalogued
    small, large = w.skus
    w.inventory.adjust(w.owner, [change(small, 10), change(large, 3)], "delivery")
    w.inventory.set_low_stock_threshold(w.owner, small, 5)
    w.inventory.set_low_stock_threshold(w.staff, large, 3)
    assert w.inventory.stock(w.owner, small).low_stock_threshold == 5
    assert [level.sku for level in w.inventory.low_stock(w.owner, w.shop)] == [large]
    w.inventory.reserve(w.owner, [line(small, 5)], in_hours(w, 1))  # available 5: low now
    assert [level.sku for level in w.inventory.low_stock(w.op, w.shop)] == [small, large]
    assert [level.sku for level in w.inventory.low_stock(w.owner, w.shop, souk.Page(offset=1))] == [large]
    w.inventory.set_low_stock_threshold(w.owner, large, None)
    assert w.inventory.stock(w.owner, large).low_stock_threshold is None
    assert [level.sku for level in w.inventory.low_stock(w.owner, w.shop)] == [small]
    with pytest.raises(souk.InvalidArgument, match="threshold -1"):
        w.inventory.set_low_stock_threshold(w.owner, small, -1)
    with pytest.raises(souk.NotFound, match="no shop 99"):
        w.inventory.low_stock(w.owner, souk.ShopId(99))


def test_only_the_shops_owner_and_staff_move_its_stock_and_platform_staff_may_look(catalogued):
    w = catalogued
    small = w.skus[0]
    w.inventory.adjust(w.owner, [change(small, 10)], "delivery")
    held = w.inventory.reserve(w.owner, [line(small, 2)], in_hours(w, 1))
    position = w.market.journal_position()
    # Customers, another shop's owner, and platform staff alike.
    for who in (w.customer, w.other_owner, w.op, w.admin):
        for attempt in (
            lambda: w.inventory.adjust(who, [change(small, 1)], "delivery"),
            lambda: w.inventory.reserve(who, [line(small, 1)], in_hours(w, 1)),
            lambda: w.inventory.release(who, held),
            lambda: w.inventory.commit(who, held),
            lambda: w.inventory.set_low_stock_threshold(who, small, 1),
        ):
            with pytest.raises(souk.Forbidden, match="only the owner and staff of shop 1"):
                attempt()
    # A shop's owner cannot move another shop's stock in the same call as its own.
    with pytest.raises(souk.Forbidden, match=f"shop {w.other_shop.value}"):
        w.inventory.adjust(w.owner, [change(small, 1), change(w.other_sku, 1)], "delivery")
    for who in (w.customer, w.other_owner):
        for attempt in (
            lambda: w.inventory.stock(who, small),
            lambda: w.inventory.stock_of_product(who, w.longjing),
            lambda: w.inventory.low_stock(who, w.shop),
            lambda: w.inventory.reservation(who, held),
            lambda: w.inventory.reservations(who, w.shop),
            lambda: w.market.audit(who, held),
        ):
            with pytest.raises(souk.Forbidden):
                attempt()
    with pytest.raises(souk.Unauthenticated):
        w.inventory.adjust(souk.Actor.user(souk.UserId(999)), [change(small, 1)], "delivery")
    assert w.market.journal_position() == position
    assert w.inventory.stock(w.op, small).reserved == 2
    assert w.inventory.reservations(w.admin, w.shop) == [w.inventory.reservation(w.op, held)]
    assert [e.event for e in w.market.audit(w.op, held)] == ["StockReserved"]


def test_python_threads_reserving_at_once_never_oversell(catalogued):
    w = catalogued
    small, large = w.skus
    w.inventory.adjust(w.owner, [change(small, 50), change(large, 60)], "delivery")
    expires = in_hours(w, 1)
    held, refused, errors = [], [], []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def reserve_until_sold_out(actor):
        start.wait()
        try:
            while True:
                # Two SKUs at once: the large one runs out first, after 30 reservations.
                reservation = w.inventory.reserve(actor, [line(small, 1), line(large, 2)], expires)
                with lock:
                    held.append(reservation)
        except souk.InsufficientStock:
            with lock:
                refused.append(actor)
        except Exception as error:  # anything else fails the test below, with its cause
            errors.append(error)

    threads = [threading.Thread(target=reserve_until_sold_out, args=(w.owner if n % 2 else w.staff,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(refused) == 8
    assert len(held) == len(set(held)) == 30
    assert counts(w, small) == (50, 30, 20, 0)
    assert counts(w, large) == (60, 60, 0, 0)
    open_holds = w.inventory.reservations(w.owner, w.shop, "open", souk.Page(limit=souk.Page.max_limit))
    assert sorted(ids(open_holds)) == sorted(held)
    assert all(r.lines == [line(small, 1), line(large, 2)] for r in open_holds)


def test_a_reopened_sqlite_marketplace_holds_the_same_stock_and_reservations(tmp_path, clock):
    path = tmp_path / "inventory.souk"
    market = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    w = Catalogued(market, clock)
    small, large = w.skus
    w.inventory.adjust(w.owner, [change(small, 10), change(large, 8)], "delivery")
    w.inventory.set_low_stock_threshold(w.owner, large, 5)
    released = w.inventory.reserve(w.owner, [line(small, 1)], in_hours(w, 1))
    committed = w.inventory.reserve(w.staff, [line(small, 2), line(large, 3)], in_hours(w, 1))
    w.inventory.reserve(w.owner, [line(large, 1)], w.clock.now() + dt.timedelta(minutes=10))
    w.inventory.reserve(w.owner, [line(small, 4)], in_hours(w, 5))
    w.inventory.release(w.owner, released)
    w.inventory.commit(w.owner, committed)
    clock.advance(dt.timedelta(minutes=10))
    assert market.tick(clock.now()).reservations_expired == 1
    before = catalog_snapshot(market)
    low_before = w.inventory.low_stock(w.op, w.shop)
    assert [r.status for r in before[4]] == [
        ReservationStatus.released,
        ReservationStatus.committed,
        ReservationStatus.expired,
        ReservationStatus.open,
    ]
    del w, market

    reopened = souk.Marketplace.open_sqlite(str(path), clock=clock, password_hashing="minimal")
    assert catalog_snapshot(reopened) == before
    assert reopened.inventory.low_stock(souk.Actor.system(), souk.ShopId(1)) == low_before
    # It goes on the same way: the open hold expires on time, and ids continue.
    owner = souk.Actor.user(souk.UserId(3))
    clock.advance(dt.timedelta(hours=5))
    assert reopened.tick(clock.now()).reservations_expired == 1
    assert reopened.inventory.stock(owner, small).available == 8
    assert reopened.inventory.reserve(owner, [line(small, 8)], clock.now() + dt.timedelta(hours=1)) == (
        souk.ReservationId(5)
    )
