"""souk.Error and its subclasses: one per souk.Errc code, each raised where the engine says so."""

import pickle
import sqlite3

import pytest

import souk
from support import PASSWORD, application

CLASSES = {
    "invalid_argument": souk.InvalidArgument,
    "not_found": souk.NotFound,
    "already_exists": souk.AlreadyExists,
    "forbidden": souk.Forbidden,
    "unauthenticated": souk.Unauthenticated,
    "invalid_state": souk.InvalidState,
    "conflict": souk.Conflict,
    "insufficient_stock": souk.InsufficientStock,
    "payment_failed": souk.PaymentFailed,
    "currency_mismatch": souk.CurrencyMismatch,
    "overflow": souk.Overflow,
    "limit_exceeded": souk.LimitExceeded,
    "storage_failure": souk.StorageFailure,
    "corrupt_journal": souk.CorruptJournal,
    "unsupported_version": souk.UnsupportedVersion,
    "foreign_file": souk.ForeignFile,
}


def test_every_code_has_its_own_class_and_stable_number():
    assert list(souk.Errc.__members__) == list(CLASSES)
    assert [int(code) for code in souk.Errc.__members__.values()] == list(range(1, len(CLASSES) + 1))
    for name, cls in CLASSES.items():
        assert issubclass(cls, souk.Error) and cls is not souk.Error
        assert cls.code == souk.Errc.__members__[name]
        assert cls.__module__ == "souk"
    assert len(set(CLASSES.values())) == len(CLASSES)
    assert issubclass(souk.Error, Exception)
    assert souk.Error.code is None


def test_some_errors_are_also_the_builtin_python_code_catches():
    assert issubclass(souk.InvalidArgument, ValueError)
    assert issubclass(souk.NotFound, LookupError)
    assert issubclass(souk.Overflow, OverflowError)
    assert not issubclass(souk.Forbidden, ValueError)


def test_raised_errors_carry_their_code_and_message(world):
    with pytest.raises(souk.Error) as caught:
        world.shops.details(world.customer, world.shop)
    assert type(caught.value) is souk.Forbidden
    assert caught.value.code == souk.Errc.forbidden
    assert str(caught.value) == "forbidden: only the staff of shop 1 and platform staff may see its details"


def test_errors_survive_pickling():
    error = pickle.loads(pickle.dumps(souk.NotFound("not_found: no shop 9")))
    assert type(error) is souk.NotFound
    assert str(error) == "not_found: no shop 9"
    assert error.code == souk.Errc.not_found


def test_limit_exceeded_when_a_user_holds_too_many_shops(market):
    owner = souk.Actor.user(market.accounts.register_user("owner@souk.test", PASSWORD, "Owner"))
    for n in range(20):
        market.shops.apply(owner, application(f"Shop {n}"))
    with pytest.raises(souk.LimitExceeded, match="at most 20 shops"):
        market.shops.apply(owner, application("Shop 20"))


def test_storage_failure_when_the_path_cannot_hold_a_journal(tmp_path):
    with pytest.raises(souk.StorageFailure, match="cannot open"):
        souk.Marketplace.open_sqlite(tmp_path / "missing" / "market.souk", password_hashing="minimal")


def test_storage_failure_for_a_command_another_process_overtook(tmp_path, clock):
    path = tmp_path / "shared.souk"
    first = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    second = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    first.accounts.register_user("first@souk.test", PASSWORD, "First")
    with pytest.raises(souk.StorageFailure, match="conflict"):
        second.accounts.register_user("second@souk.test", PASSWORD, "Second")
    # The stale marketplace catches up from the journal before its next command.
    second.accounts.register_user("second@souk.test", PASSWORD, "Second")
    assert second.accounts.find_by_login(souk.Actor.system(), "first@souk.test") == souk.UserId(1)
    assert second.journal_position() == 2


def test_foreign_file_for_a_file_that_is_not_a_journal(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("shopping list: tea, cake\n")
    with pytest.raises(souk.ForeignFile, match="not a SQLite database"):
        souk.Marketplace.open_sqlite(text, password_hashing="minimal")
    assert text.read_text() == "shopping list: tea, cake\n"
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE customers (name TEXT)")
    with pytest.raises(souk.ForeignFile, match="not a souk journal"):
        souk.Marketplace.open_sqlite(other, password_hashing="minimal")
    with pytest.raises(souk.ForeignFile):
        souk.Marketplace.open_sqlite(tmp_path, password_hashing="minimal")  # a directory


def journal_file(tmp_path):
    path = tmp_path / "market.souk"
    market = souk.Marketplace.open_sqlite(path, password_hashing="minimal")
    market.accounts.register_user("lin@souk.test", PASSWORD, "Lin")
    del market
    return path


def test_corrupt_journal_for_a_damaged_record(tmp_path):
    path = journal_file(tmp_path)
    with sqlite3.connect(path) as db:
        (record,) = db.execute("SELECT record FROM records WHERE position = 1").fetchone()
        damaged = bytearray(record)
        damaged[len(damaged) // 2] ^= 0xFF
        db.execute("UPDATE records SET record = ? WHERE position = 1", (bytes(damaged),))
    with pytest.raises(souk.CorruptJournal):
        souk.Marketplace.open_sqlite(path, password_hashing="minimal")


def test_unsupported_version_for_a_journal_from_a_newer_souk(tmp_path):
    path = journal_file(tmp_path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(souk.UnsupportedVersion, match="newer"):
        souk.Marketplace.open_sqlite(path, password_hashing="minimal")


def test_each_reachable_code_is_raised_as_its_class(world):
    cases = [
        (souk.InvalidArgument, lambda: souk.Money.parse("1.234", "CNY")),
        (souk.NotFound, lambda: world.shops.profile(world.admin, souk.ShopId(99))),
        (souk.AlreadyExists, lambda: world.accounts.register_user("customer@souk.test", PASSWORD, "Again")),
        (souk.Forbidden, lambda: world.shops.approve(world.customer, world.pending)),
        (souk.Unauthenticated, lambda: world.accounts.authenticate("forged")),
        (souk.InvalidState, lambda: world.shops.approve(world.op, world.shop)),
        (souk.CurrencyMismatch, lambda: souk.Money(1, "CNY") + souk.Money(1, "USD")),
        (souk.Overflow, lambda: souk.Money(2**62, "CNY") * 2),
    ]
    for cls, call in cases:
        with pytest.raises(cls) as caught:
            call()
        assert type(caught.value) is cls
        assert caught.value.code == cls.code
        assert str(caught.value).startswith(cls.code.name + ": ")
