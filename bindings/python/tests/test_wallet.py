"""Customer wallets from Python: a top-up through the sandbox, paying an order from the wallet,
a short balance refused without a trace, refunds back to the wallet, statements, who may read
a wallet, and a reopened journal."""

import pytest

import souk
from souk import LedgerAccount, NotificationOutcome, RefundLine, TopupStatus
from support import Trading, cny, refused

YUAN = souk.Currency.of("CNY")


def top_up(w, who, amount):
    w.tick()
    started = w.market.wallet.start_topup(who, amount, "sandbox")
    w.sandbox.complete_payment(started.provider_payment_id)
    results = w.deliver()
    return w.market.wallet.topup(souk.Actor.system(), started.id), results


def test_a_top_up_credits_the_wallet_once(trading, market):
    w, wallet = trading, market.wallet
    started = wallet.start_topup(w.customer, cny("300.00"), "sandbox")
    assert started.status == TopupStatus.open
    assert started.idempotency_key == "topup-1"
    assert wallet.balance(w.customer, w.customer_id, "CNY") == cny("0.00")
    w.sandbox.complete_payment(started.provider_payment_id)
    notifications = w.sandbox.pending_notifications()
    assert [r.outcome for r in w.deliver()] == [NotificationOutcome.applied]
    assert market.orders.handle_notification("sandbox", notifications[0]).outcome == NotificationOutcome.duplicate
    assert wallet.balance(w.customer, w.customer_id, YUAN) == cny("300.00")
    topup = wallet.topup(w.customer, started.id)
    assert topup.status == TopupStatus.captured
    assert topup.captured_at is not None
    (posting,) = market.ledger.postings_of(w.op, souk.EntityRef(started.id))
    assert posting.cause_event == "WalletTopupCaptured"
    assert market.ledger.trial_balance(w.op).balanced()


def test_a_capture_of_another_amount_credits_nothing(trading, market):
    w = trading
    started = market.wallet.start_topup(w.customer, cny("300.00"), "sandbox")
    wrong = w.forged(id="evt_wrong", payment_id=started.provider_payment_id, payment_order=started.id.value,
                     amount=3)
    assert market.orders.handle_notification("sandbox", wrong).outcome == NotificationOutcome.alert
    assert market.wallet.balance(w.op, w.customer_id, YUAN) == cny("0.00")
    (alert,) = market.orders.payment_alerts(w.op)
    assert alert.reason == souk.PaymentAlertReason.amount_mismatch


def test_invalid_top_ups_and_readers(trading, market):
    w, wallet = trading, market.wallet
    refused(market, lambda: wallet.start_topup(w.customer, cny("0.00"), "sandbox"), souk.InvalidArgument)
    refused(market, lambda: wallet.start_topup(w.customer, cny("5.00"), souk.WALLET_PROVIDER), souk.InvalidArgument)
    refused(market, lambda: wallet.start_topup(w.customer, cny("5.00"), "paypal"), souk.NotFound)
    refused(market, lambda: wallet.start_topup(souk.Actor.system(), cny("5.00"), "sandbox"), souk.Unauthenticated)
    topup, _ = top_up(w, w.customer, cny("5.00"))
    refused(market, lambda: wallet.topup(w.buyer, topup.id), souk.Forbidden)
    refused(market, lambda: wallet.balance(w.buyer, w.customer_id, YUAN), souk.Forbidden)
    refused(market, lambda: wallet.statement(w.owner, w.customer_id, YUAN), souk.Forbidden)
    assert wallet.balance(w.op, w.customer_id, YUAN) == cny("5.00")
    assert market.ledger.balance(w.customer, LedgerAccount.wallet(w.customer_id, YUAN)).balance == cny("5.00")
    with pytest.raises(souk.AlreadyExists):
        market.register_payment_provider("wallet", w.sandbox)


def test_paying_from_the_wallet_and_refunds_back_to_it(trading, market):
    w, wallet = trading, market.wallet
    top_up(w, w.customer, cny("250.00"))
    order = w.buy(w.customer, (w.skus[0], 2), (w.other_sku, 1))  # 136.00 + 88.00
    w.tick()
    start = market.orders.pay(w.customer, order, "wallet")
    assert start.status == souk.PaymentStatus.captured
    assert market.orders.order(w.customer, order).status == souk.PaymentOrderStatus.paid
    assert wallet.balance(w.customer, w.customer_id, YUAN) == cny("26.00")

    tea = w.sub_order_of(order, w.shop).id
    w.tick()
    refund = market.orders.refund(w.staff, tea, [RefundLine(sku=w.skus[0], amount=cny("36.00"))], "dented tin")
    assert market.orders.refund_info(w.op, refund).state == souk.RefundState.succeeded
    assert wallet.balance(w.customer, w.customer_id, YUAN) == cny("62.00")
    w.tick()
    market.orders.refund_all(w.other_owner, w.sub_order_of(order, w.other_shop).id, "out of stock")
    assert wallet.balance(w.customer, w.customer_id, YUAN) == cny("150.00")

    statement = wallet.statement(w.customer, w.customer_id, YUAN, souk.Page(offset=1, limit=2))
    assert statement.total_lines == 4
    assert [line.running_balance for line in statement.lines] == [cny("26.00"), cny("62.00")]
    assert market.ledger.trial_balance(w.op).balanced()


def test_a_short_balance_is_refused_and_changes_nothing(trading, market):
    w = trading
    top_up(w, w.customer, cny("100.00"))
    order = w.buy(w.customer, (w.skus[0], 2))
    w.tick()
    refused(market, lambda: market.orders.pay(w.customer, order, "wallet"), souk.PaymentFailed)
    refused(market, lambda: market.orders.pay(w.buyer, order, "wallet"), souk.Forbidden)
    assert market.orders.order(w.customer, order).status == souk.PaymentOrderStatus.pending_payment
    assert market.wallet.balance(w.customer, w.customer_id, YUAN) == cny("100.00")


def test_a_reopened_journal_gives_the_same_wallet(tmp_path, clock):
    path = tmp_path / "wallet.souk"
    market = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    w = Trading(market, clock)
    top_up(w, w.customer, cny("300.00"))
    order = w.buy(w.customer, (w.other_sku, 1))
    w.tick()
    market.orders.pay(w.customer, order, "wallet")
    before = market.wallet.statement(w.op, w.customer_id, YUAN)
    topup = market.wallet.topup(w.op, souk.WalletTopupId(1))
    del w, market
    reopened = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    system = souk.Actor.system()
    assert reopened.wallet.statement(system, before.balance.account.customer, YUAN) == before
    assert reopened.wallet.topup(system, souk.WalletTopupId(1)) == topup
    assert before.balance.balance == cny("212.00")
