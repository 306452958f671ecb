"""souk.Pipeline: commands that return once applied, one wait for all of them, and what a
pipeline ran surviving a reopen of the SQLite file."""

import threading

import pytest

import souk
from support import PASSWORD


def register(market, name):
    return market.accounts.register_user(f"{name}@example.com", PASSWORD, name)


def test_a_pipeline_waits_once_for_every_command_it_ran(tmp_path, clock):
    path = tmp_path / "pipelined.souk"
    market = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    with souk.Pipeline(market) as pipeline:
        ids = [register(market, f"user{i}") for i in range(20)]
        assert pipeline.unwaited == 20
        assert [i.value for i in ids] == list(range(1, 21))  # applied at once: ids follow each other
    assert pipeline.closed
    assert market.journal_position() == 20
    end = market.journal_position()
    del pipeline, market  # the pipeline keeps its marketplace alive
    reopened = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    assert reopened.journal_position() == end
    admin = souk.Actor.user(reopened.accounts.bootstrap_admin("admin@example.com", PASSWORD, "Admin"))
    assert reopened.accounts.find_by_login(admin, "user19@example.com") is not None


def test_wait_can_be_called_inside_the_block_and_the_pipeline_goes_on(market):
    pipeline = souk.Pipeline(market)
    register(market, "first")
    pipeline.wait()
    assert pipeline.unwaited == 0
    assert market.journal_position() == 1
    register(market, "second")
    assert pipeline.unwaited == 1
    pipeline.wait()
    pipeline.close()
    with pytest.raises(souk.InvalidState, match="closed"):
        pipeline.wait()


def test_one_pipeline_per_thread(market):
    with souk.Pipeline(market):
        with pytest.raises(souk.InvalidState, match="already has a pipeline"):
            souk.Pipeline(market)
        errors = []

        def elsewhere():
            try:
                with souk.Pipeline(market):
                    register(market, "elsewhere")
            except souk.Error as e:  # pragma: no cover - reported below
                errors.append(e)

        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
        assert errors == []
    with souk.Pipeline(market):  # open again once the first is closed
        register(market, "again")
    assert market.journal_position() == 2


def test_a_rejected_command_in_a_pipeline_changes_nothing(market):
    with souk.Pipeline(market) as pipeline:
        register(market, "lin")
        with pytest.raises(souk.AlreadyExists):
            register(market, "lin")
        assert pipeline.unwaited == 1
    assert market.journal_position() == 1


def test_an_exception_in_the_block_closes_the_pipeline_without_hiding_the_error(market):
    with pytest.raises(ValueError):
        with souk.Pipeline(market) as pipeline:
            register(market, "lin")
            raise ValueError("the host's own error")
    assert pipeline.closed
    with souk.Pipeline(market):  # the thread is free again
        pass
