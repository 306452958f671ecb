"""souk.Marketplace: factories and options, the journal position, reopening a SQLite file, the
audit trail, and Python threads sharing one marketplace."""

import datetime as dt
import json
import sqlite3
import threading
import time

import pytest

import souk
from support import PASSWORD, START, World, application, snapshot


def test_every_accepted_command_moves_the_journal_and_a_rejected_one_does_not(market):
    assert market.journal_position() == 0
    market.accounts.register_user("lin@example.com", PASSWORD, "Lin")
    assert market.journal_position() == 1
    with pytest.raises(souk.AlreadyExists):
        market.accounts.register_user("lin@example.com", PASSWORD, "Lin")
    assert market.journal_position() == 1
    market.accounts.login("lin@example.com", PASSWORD)
    assert market.journal_position() == 2


def test_the_marketplace_keeps_the_clock_it_was_given(market, clock):
    assert market.clock is clock
    clock.advance(dt.timedelta(hours=1))
    assert market.clock.now() == START + dt.timedelta(hours=1)
    assert isinstance(souk.Marketplace.in_memory(password_hashing="minimal").clock, souk.SystemClock)


def test_options_are_checked(clock):
    with pytest.raises(souk.InvalidArgument, match="session lifetime"):
        souk.Marketplace.in_memory(clock=clock, session_lifetime=dt.timedelta(0))
    with pytest.raises(souk.InvalidArgument, match="expected one of minimal, interactive, moderate"):
        souk.Marketplace.in_memory(clock=clock, password_hashing="none")
    with pytest.raises(TypeError):
        souk.Marketplace.in_memory(clock, "minimal")  # options are keyword-only
    with pytest.raises(TypeError):
        souk.Marketplace()


def test_real_password_hashing_is_the_default():
    assert souk.PasswordHashing.interactive.name == "interactive"
    market = souk.Marketplace.in_memory()
    market.accounts.register_user("lin@example.com", PASSWORD, "Lin")
    assert market.accounts.authenticate(market.accounts.login("lin@example.com", PASSWORD).token)


def populate(market, clock):
    world = World(market, clock)
    world.tick()
    session = world.accounts.login("customer@souk.test", PASSWORD)
    world.tick()
    world.accounts.logout(session.token)
    world.tick()
    world.shops.reject(world.op, world.pending, "licence missing")
    world.tick()
    world.shops.set_commission(world.admin, world.shop, 350)
    world.tick()
    world.shops.update_profile(world.staff, world.shop, souk.ShopProfileUpdate(description="Oolong and more"))
    world.tick()
    world.accounts.disable_user(world.admin, world.outsider_id, "spam")
    return world


def test_a_sqlite_marketplace_reopens_to_the_same_state(tmp_path, clock):
    path = tmp_path / "market.souk"
    market = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    world = populate(market, clock)
    before = snapshot(market)
    assert before[0] == market.journal_position() > 10
    del world, market

    reopened = souk.Marketplace.open_sqlite(str(path), clock=clock, password_hashing="minimal")
    assert snapshot(reopened) == before
    # The reopened marketplace carries on where the first stopped.
    uid = reopened.accounts.register_user("late@souk.test", PASSWORD, "Late")
    assert uid == souk.UserId(len(before[1]) + 1)
    assert reopened.journal_position() == before[0] + 1


def test_a_sqlite_file_is_created_when_missing(tmp_path):
    path = tmp_path / "new.souk"
    market = souk.Marketplace.open_sqlite(path, password_hashing="minimal")
    assert path.exists()
    assert market.journal_position() == 0


def test_the_audit_trail_tells_a_shops_history(world):
    world.tick()
    world.shops.suspend(world.op, world.shop, "counterfeit goods")
    trail = world.market.audit(world.owner, world.shop)
    assert [e.event for e in trail] == ["ShopApplied", "ShopApproved", "ShopStaffAdded", "ShopSuspended"]
    assert [e.actor for e in trail] == [world.owner_id, world.op_id, world.owner_id, world.op_id]
    assert all(isinstance(e, souk.AuditEntry) for e in trail)
    assert [e.command for e in trail] == sorted(e.command for e in trail)
    assert trail[-1].command == world.market.journal_position()
    assert trail[-1].time == world.clock.now()
    assert json.loads(trail[-1].details)["reason"] == "counterfeit goods"
    assert world.market.audit(world.admin, souk.EntityRef.of(world.shop)) == trail
    assert world.market.audit(world.admin, souk.EntityRef(souk.EntityKind.shop, world.shop.value)) == trail


def test_the_audit_trail_redacts_secrets_and_names_the_system(world):
    trail = world.market.audit(world.customer, world.customer_id)
    assert [e.event for e in trail] == ["UserRegistered"]
    assert trail[0].actor == souk.UserId(0)
    assert json.loads(trail[0].details)["password_hash"] == "<redacted>"
    assert PASSWORD not in trail[0].details


def test_the_audit_trail_is_private(world):
    with pytest.raises(souk.Forbidden):
        world.market.audit(world.customer, world.shop)
    with pytest.raises(souk.Forbidden):
        world.market.audit(world.customer, world.owner_id)
    assert world.market.audit(world.staff, world.shop)
    assert world.market.audit(world.op, world.owner_id)
    assert world.market.audit(world.admin, souk.ShopId(99)) == []


def test_python_threads_share_one_marketplace(tmp_path, clock):
    market = souk.Marketplace.open_sqlite(tmp_path / "busy.souk", clock=clock, password_hashing="minimal")
    admin = souk.Actor.user(market.accounts.bootstrap_admin("admin@souk.test", PASSWORD, "Admin"))
    threads_count, per_thread = 8, 10
    shops, errors = [], []
    lock = threading.Lock()

    def trade(n):
        try:
            for i in range(per_thread):
                owner = souk.Actor.user(market.accounts.register_user(f"owner{n}.{i}@souk.test", PASSWORD, "Owner"))
                shop = market.shops.apply(owner, application(f"Shop {n}.{i}"))
                market.shops.approve(admin, shop)
                with lock:
                    shops.append(shop)
        except Exception as e:  # reported below: an exception in a thread would otherwise vanish
            errors.append(e)

    threads = [threading.Thread(target=trade, args=(n,)) for n in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(s.value for s in shops) == list(range(1, threads_count * per_thread + 1))
    assert market.journal_position() == 1 + 3 * threads_count * per_thread
    active = market.shops.list(admin, souk.ShopStatus.active, souk.Page(limit=souk.Page.max_limit))
    assert len(active) == threads_count * per_thread


def test_a_command_waiting_for_the_journal_does_not_hold_the_gil(tmp_path, clock):
    path = tmp_path / "locked.souk"
    market = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    # Another connection takes SQLite's write lock, so the next append waits for it (up to the
    # journal's 5 s busy timeout). Only if that wait releases the GIL can this thread go on
    # running Python and let the lock go in time for the command to succeed.
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    result = {}

    def register():
        try:
            result["user"] = market.accounts.register_user("lin@souk.test", PASSWORD, "Lin")
        except souk.Error as e:
            result["error"] = e

    worker = threading.Thread(target=register)
    worker.start()
    time.sleep(0.3)
    counted = sum(1 for _ in range(100_000))  # Python work while the command waits
    assert worker.is_alive(), "the command should still be waiting for the write lock"
    blocker.execute("ROLLBACK")
    blocker.close()
    worker.join()
    assert counted == 100_000
    assert "error" not in result
    assert result["user"] == souk.UserId(1)
