"""The ledger from Python: one order's money from capture to payout, statements, the trial
balance, payout outcomes, settlement cycles, and who may do what."""

import datetime as dt

import pytest

import souk
from souk import LedgerAccount, LedgerAccountKind, PayoutStatus, RefundLine, ShipmentRequest
from support import Trading, cny, refused

DAY = dt.timedelta(days=1)
YUAN = souk.Currency.of("CNY")


def balance(market, kind, shop):
    return market.ledger.balance(souk.Actor.system(), LedgerAccount.of_shop(kind, shop, YUAN)).balance


def completed_tea(w, market, clock):
    """A paid order whose tea sub-order (136.00) had 36.00 refunded, then shipped, received and
    completed; returns the tea sub-order's id."""
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    w.tick()
    w.orders.refund(w.staff, tea, [RefundLine(sku=w.skus[0], amount=cny("36.00"))], "dented tin")
    w.deliver()
    w.tick()
    w.orders.ship(w.owner, tea, ShipmentRequest(carrier="SF Express", tracking_number="SF1"))
    w.tick()
    w.orders.confirm_receipt(w.customer, tea)
    clock.advance(8 * DAY)
    market.tick(clock.now())
    return tea


def test_an_orders_money_from_capture_to_payout(trading, market, clock):
    w, ledger = trading, market.ledger
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    clearing = LedgerAccount.clearing("sandbox", "CNY")
    assert ledger.balance(w.op, clearing).balance == cny("224.00")
    assert balance(market, "shop_escrow", w.shop) == cny("136.00")
    (capture,) = ledger.postings_of(w.owner, souk.EntityRef(tea))
    assert capture.cause_event == "OrderPaid"
    assert sum((e.amount for e in capture.entries), souk.Money.parse("0", YUAN)) == cny("0.00")

    w.tick()
    w.orders.refund(w.staff, tea, [RefundLine(sku=w.skus[0], amount=cny("36.00"))], "dented tin")
    w.deliver()
    assert balance(market, LedgerAccountKind.shop_escrow, w.shop) == cny("100.00")
    w.tick()
    w.orders.ship(w.owner, tea, ShipmentRequest(carrier="SF Express", tracking_number="SF1"))
    w.tick()
    w.orders.confirm_receipt(w.customer, tea)
    clock.advance(8 * DAY)
    market.tick(clock.now())

    # Commission: 5 % of 136.00 = 6.80, less 6.80 × 36/136 = 1.80 for the refunded part.
    assert balance(market, "shop_available", w.shop) == cny("95.00")
    platform = LedgerAccount.platform("platform_commission", YUAN)
    assert ledger.balance(w.op, platform).balance == cny("5.00")
    money = ledger.shop_money(w.owner, w.shop, "CNY")
    assert (money.escrow, money.available, money.not_due, money.settlement_days) == (
        cny("0.00"),
        cny("95.00"),
        cny("95.00"),
        7,
    )
    assert ledger.settle(w.op, clock.now()).payouts == []

    clock.advance(7 * DAY)
    report = ledger.settle(w.op, clock.now())
    (payout_id,) = report.payouts
    payout = ledger.payout(w.staff, payout_id)
    assert (payout.shop, payout.amount, payout.commission, payout.status) == (
        w.shop,
        cny("95.00"),
        cny("5.00"),
        PayoutStatus.pending,
    )
    assert [(s.sub_order, s.proceeds) for s in payout.sub_orders] == [(tea, cny("95.00"))]
    w.tick()
    ledger.mark_payout_paid(w.op, payout_id, "BANK-0001")
    assert ledger.payouts_of(w.owner, w.shop)[0].status == PayoutStatus.paid
    assert ledger.balance(w.op, LedgerAccount.platform("payouts_disbursed", YUAN)).balance == cny("95.00")

    statement = ledger.statement(w.owner, LedgerAccount.of_shop("shop_available", w.shop, YUAN))
    assert statement.total_lines == 2
    assert [line.running_balance for line in statement.lines] == [cny("95.00"), cny("0.00")]
    assert [line.cause_event for line in statement.lines] == ["SubOrderCompleted", "PayoutCreated"]

    trial = ledger.trial_balance(w.op)
    assert trial.balanced()
    for account in trial.accounts:
        if souk.must_not_go_negative(account.account.kind):
            assert not account.balance.is_negative
    # Two captures, the refund, the completion, the payout and its confirmation.
    assert ledger.posting_count(w.op) == 6
    assert ledger.posting(w.op, 1).number == 1


def test_a_failed_payout_returns_the_money(trading, market, clock):
    w, ledger = trading, market.ledger
    completed_tea(w, market, clock)
    clock.advance(7 * DAY)
    (payout_id,) = ledger.settle(w.op, clock.now()).payouts
    w.tick()
    refused(market, lambda: ledger.mark_payout_failed(w.owner, payout_id, "bounced"), souk.Forbidden)
    ledger.mark_payout_failed(w.op, payout_id, "the account number was wrong")
    assert ledger.payout(w.op, payout_id).status == PayoutStatus.failed
    assert balance(market, "shop_available", w.shop) == cny("95.00")
    refused(market, lambda: ledger.mark_payout_paid(w.op, payout_id, "BANK-1"), souk.InvalidState)
    refused(market, lambda: ledger.mark_payout_paid(w.op, souk.PayoutId(42), "BANK-1"), souk.NotFound)


def test_who_may_read_and_settle(trading, market, clock):
    w, ledger = trading, market.ledger
    w.paid_order(w.customer)
    escrow = LedgerAccount.of_shop("shop_escrow", w.shop, YUAN)
    assert ledger.balance(w.staff, escrow).balance == cny("136.00")
    with pytest.raises(souk.Forbidden):
        ledger.balance(w.other_owner, escrow)
    with pytest.raises(souk.Forbidden):
        ledger.statement(w.customer, escrow)
    with pytest.raises(souk.Forbidden):
        ledger.trial_balance(w.owner)
    with pytest.raises(souk.Forbidden):
        ledger.shop_money(w.outsider, w.shop, "CNY")
    refused(market, lambda: ledger.settle(w.owner, clock.now()), souk.Forbidden)
    refused(market, lambda: ledger.set_settlement_days(w.owner, w.shop, 1), souk.Forbidden)
    refused(market, lambda: ledger.set_settlement_days(w.op, w.shop, 91), souk.InvalidArgument)
    refused(market, lambda: ledger.settle(w.op, clock.now() + DAY), souk.InvalidArgument)
    with pytest.raises(souk.InvalidArgument):
        ledger.statement(w.op, escrow, souk.Page(offset=0, limit=0))
    with pytest.raises(souk.InvalidArgument):
        LedgerAccount.of_shop("shop_vault", w.shop, YUAN)


def test_a_shop_settlement_cycle_and_the_marketplace_default(clock):
    market = souk.Marketplace.in_memory(clock=clock, password_hashing="minimal", settlement_days=0)
    w = Trading(market, clock)
    completed_tea(w, market, clock)
    assert market.ledger.shop_money(w.op, w.shop, YUAN).settlement_days == 0
    (payout_id,) = market.ledger.settle(w.op, clock.now()).payouts
    assert market.ledger.payout(w.op, payout_id).amount == cny("95.00")
    w.tick()
    market.ledger.set_settlement_days(w.op, w.other_shop, 30)
    assert market.ledger.shop_money(w.other_owner, w.other_shop, YUAN).settlement_days == 30
    with pytest.raises(souk.InvalidArgument):
        souk.Marketplace.in_memory(clock=clock, password_hashing="minimal", settlement_days=91)


def test_a_shop_closes_only_with_its_books_settled(trading, market, clock):
    w, ledger = trading, market.ledger
    completed_tea(w, market, clock)
    refused(market, lambda: w.shops.close(w.owner, w.shop, "retiring"), souk.InvalidState)  # 95.00 not paid out
    clock.advance(7 * DAY)
    (payout_id,) = ledger.settle(w.op, clock.now()).payouts
    w.tick()
    ledger.mark_payout_paid(w.op, payout_id, "BANK-0002")
    w.shops.close(w.owner, w.shop, "retiring")
    assert w.shops.profile(w.owner, w.shop).status == souk.ShopStatus.closed
