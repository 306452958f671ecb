"""souk.Orders with a SandboxProvider: a purchase from the cart to completion, then what goes
wrong — declines, timeouts and retries under one key, duplicate and mismatched notifications,
payments after cancellation, refund limits, idempotent placing, forbidden paths and illegal
transitions — deadlines, options, queries, providers written in Python, and replay."""

import datetime as dt
import gc
import threading
import weakref

import pytest

import souk
from souk import (
    CancelCause,
    CheckoutRequest,
    LineRequest,
    NotificationOutcome,
    PaymentAttemptStatus,
    PaymentOrderStatus,
    PlaceRequest,
    RefundKind,
    RefundLine,
    RefundState,
    SandboxBehavior,
    ShipmentRequest,
    ShippedLine,
    SubOrderFilter,
    SubOrderStatus,
)
from support import Trading, cny, home_address, refused, trade_snapshot

MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)


def counts(report):
    return report.cancelled, report.received, report.completed


def outcomes(results):
    return [result.outcome.name for result in results]


def shipment(*lines):
    return ShipmentRequest(
        carrier="SF Express", tracking_number="SF1234567890", lines=[ShippedLine(sku=s, quantity=n) for s, n in lines]
    )


# --- the happy path


def test_a_purchase_from_the_cart_to_payment(trading):
    w, cart, orders = trading, trading.cart, trading.orders
    cart.add(w.customer, w.skus[0], 2)
    cart.add(w.customer, w.other_sku, 1)
    cart.add(w.customer, w.skus[1], 1)
    cart.set_selected(w.customer, [w.skus[1]], False)
    view = cart.view(w.customer, w.customer_id)
    assert [(group.shop, [line.sku for line in group.lines]) for group in view.shops] == [
        (w.shop, [w.skus[0], w.skus[1]]),
        (w.other_shop, [w.other_sku]),
    ]
    assert (view.line_count, view.selected_count) == (3, 2)

    checkout = CheckoutRequest(address=w.home)
    quote = cart.quote(w.customer, checkout)
    assert [(shop.shop, shop.payable) for shop in quote.shops] == [
        (w.shop, cny("136.00")),
        (w.other_shop, cny("88.00")),
    ]
    assert (quote.subtotal, quote.discount, quote.shipping, quote.total) == (
        cny("224.00"), cny("0.00"), cny("0.00"), cny("224.00"))
    line = quote.shops[0].lines[0]
    assert (line.title, line.spec, line.unit_price, line.quantity, line.payable) == (
        "West Lake Longjing", ["50 g"], cny("68.00"), 2, cny("136.00"))

    order = orders.place(w.customer, PlaceRequest(idempotency_key="k-1", checkout=checkout, expected_total=quote.total))
    assert isinstance(order, souk.PaymentOrderId)
    left = cart.view(w.customer, w.customer_id)
    assert [line.sku for group in left.shops for line in group.lines] == [w.skus[1]]  # placed lines left the cart
    info = orders.order(w.customer, order)
    assert (info.status, info.total, info.paid, info.customer) == (
        PaymentOrderStatus.pending_payment, cny("224.00"), cny("0.00"), w.customer_id)
    assert info.payment_deadline == info.placed_at + dt.timedelta(minutes=30)
    assert info.address == cart.address(w.customer, w.home).address
    assert [(s.shop, s.status, s.payable, s.deadline) for s in info.sub_orders] == [
        (w.shop, SubOrderStatus.pending_payment, cny("136.00"), info.payment_deadline),
        (w.other_shop, SubOrderStatus.pending_payment, cny("88.00"), info.payment_deadline),
    ]
    assert (w.stock(w.skus[0]).reserved, w.stock(w.skus[0]).available) == (2, 8)
    # Each line keeps the commission agreed when it was placed: Tea's 5 %, inherited by Green tea.
    assert [(l.commission_bps, l.platform_discount) for s in info.sub_orders for l in s.lines] == [
        (500, cny("0.00")), (500, cny("0.00"))]
    w.catalog.set_category_commission(w.op, w.tea, 700)
    assert orders.order(w.customer, order).sub_orders[0].lines[0].commission_bps == 500

    start = orders.pay(w.customer, order, "sandbox")
    assert (start.order, start.attempt, start.provider, start.status) == (
        order, 1, "sandbox", souk.PaymentStatus.pending)
    payment_page = "https://sandbox.souk.invalid/pay/" + start.provider_payment_id
    assert start.action == souk.ClientAction(kind="redirect", payload=payment_page)
    assert orders.pay(w.customer, order, "sandbox") == start  # asking again opens nothing new
    assert w.deliver() == []  # nothing happens until the payer pays
    w.sandbox.complete_payment(start.provider_payment_id)
    (result,) = w.deliver()
    assert (result.outcome, result.order, result.refund) == (NotificationOutcome.applied, order, None)
    info = orders.order(w.customer, order)
    assert (info.status, info.paid, info.attempts[0].status) == (
        PaymentOrderStatus.paid, cny("224.00"), PaymentAttemptStatus.captured)
    assert all(s.status == SubOrderStatus.paid and s.deadline is None for s in info.sub_orders)
    stock = w.stock(w.skus[0])
    assert (stock.on_hand, stock.reserved, stock.sold) == (8, 0, 2)
    assert w.sandbox.charge_count() == 1


def test_a_paid_order_is_shipped_received_and_completed(trading, market, clock):
    w, orders = trading, trading.orders
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    assert orders.ship(w.staff, tea, shipment((w.skus[0], 1))) == 1
    assert orders.sub_order(w.staff, tea).status == SubOrderStatus.partially_shipped
    clock.advance(MINUTE)
    assert orders.ship(w.owner, tea, shipment()) == 2
    shipped = orders.sub_order(w.customer, tea)
    assert shipped.status == SubOrderStatus.shipped
    assert [(s.number, s.lines) for s in shipped.shipments] == [
        (1, [ShippedLine(sku=w.skus[0], quantity=1)]),
        (2, [ShippedLine(sku=w.skus[0], quantity=1)]),
    ]
    assert shipped.lines[0].shipped == 2
    assert shipped.deadline == shipped.shipped_at + 10 * DAY
    clock.advance(MINUTE)
    orders.confirm_receipt(w.customer, tea)
    received = orders.sub_order(w.customer, tea)
    assert received.status == SubOrderStatus.received and received.received_at == clock.now()
    assert received.deadline == received.received_at + 7 * DAY

    # The other shop ships; nobody confirms: tick receives it, and completes both in time.
    oolong = w.sub_order_of(order, w.other_shop).id
    orders.ship(w.other_owner, oolong, ShipmentRequest(carrier="EMS", tracking_number="EE123"))
    clock.advance(10 * DAY)
    report = market.tick(clock.now())
    assert (report.reservations_expired, counts(report.orders)) == (0, (0, 1, 1))
    clock.advance(7 * DAY)
    assert counts(market.tick(clock.now()).orders) == (0, 0, 1)
    for sub_order in (orders.sub_order(w.op, tea), orders.sub_order(w.op, oolong)):
        assert sub_order.status == SubOrderStatus.completed and sub_order.deadline is None
    # The tea completed at a late tick; its review window still runs from its completion deadline.
    assert orders.sub_order(w.op, tea).review_until == received.deadline + 15 * DAY
    oolong_done = orders.sub_order(w.op, oolong)
    assert oolong_done.review_until == oolong_done.completed_at + 15 * DAY
    position = market.journal_position()
    assert counts(market.tick(clock.now()).orders) == (0, 0, 0)  # idempotent
    assert market.journal_position() == position


# --- payments that go wrong


def test_a_declined_attempt_makes_way_for_a_new_one_with_a_new_key(trading):
    w, orders = trading, trading.orders
    order = w.buy(w.customer, (w.other_sku, 2))
    w.sandbox.set_behavior(order, SandboxBehavior(payment="decline"))
    first = orders.pay(w.customer, order, "sandbox")
    w.sandbox.complete_payment(first.provider_payment_id)
    assert outcomes(w.deliver()) == ["applied"]
    info = orders.order(w.customer, order)
    assert (info.status, info.attempts[0].status) == (PaymentOrderStatus.pending_payment, PaymentAttemptStatus.declined)
    assert w.stock(w.other_sku).reserved == 2  # still held for the order

    w.sandbox.set_behavior(order, SandboxBehavior())
    second = orders.pay(w.customer, order, "sandbox")
    assert second.attempt == 2 and second.provider_payment_id != first.provider_payment_id
    w.sandbox.complete_payment(second.provider_payment_id)
    w.deliver()
    info = orders.order(w.customer, order)
    assert info.status == PaymentOrderStatus.paid
    assert [a.status for a in info.attempts] == [PaymentAttemptStatus.declined, PaymentAttemptStatus.captured]
    assert info.attempts[0].idempotency_key != info.attempts[1].idempotency_key
    assert w.sandbox.charge_count() == 1


def test_after_a_timeout_the_retry_reuses_the_attempt_and_its_key(trading, market, clock):
    w, orders = trading, trading.orders
    backup = souk.SandboxProvider("another-secret-0123456789", clock)
    market.register_payment_provider("backup", backup)
    order = w.buy(w.customer, (w.other_sku, 1))
    w.sandbox.set_behavior(order, SandboxBehavior(payment="timeout"))
    with pytest.raises(souk.PaymentFailed):
        orders.pay(w.customer, order, "sandbox")
    (attempt,) = orders.order(w.customer, order).attempts
    assert (attempt.status, attempt.provider_payment_id) == (PaymentAttemptStatus.started, "")
    with pytest.raises(souk.Conflict):  # the outcome is unknown: another provider must wait
        orders.pay(w.customer, order, "backup")
    assert backup.intent_count() == 0

    retry = orders.pay(w.customer, order, "sandbox")
    assert retry.attempt == 1
    (again,) = orders.order(w.customer, order).attempts
    assert (again.status, again.idempotency_key, again.provider_payment_id) == (
        PaymentAttemptStatus.open, attempt.idempotency_key, retry.provider_payment_id)
    assert w.sandbox.intent_count() == 1  # the provider opened one payment, not two

    w.sandbox.complete_payment(retry.provider_payment_id)
    assert w.deliver() == []  # the capture's notification is held back
    w.sandbox.release_held_notifications()
    assert outcomes(w.deliver()) == ["applied"]
    assert orders.order(w.customer, order).status == PaymentOrderStatus.paid
    assert w.sandbox.charge_count() == 1


def test_a_duplicate_notification_changes_nothing(trading, market):
    w, orders = trading, trading.orders
    order = w.buy(w.customer, (w.other_sku, 1))
    w.sandbox.set_behavior(order, SandboxBehavior(duplicate_notifications=True))
    start = orders.pay(w.customer, order, "sandbox")
    w.sandbox.complete_payment(start.provider_payment_id)
    notifications = w.sandbox.pending_notifications()
    assert len(notifications) == 2  # the same event twice
    assert outcomes(w.deliver()) == ["applied", "duplicate"]
    before, position = orders.order(souk.Actor.system(), order), market.journal_position()
    result = orders.handle_notification("sandbox", notifications[0])  # delivered once more, signed anew
    assert (result.outcome, result.order) == (NotificationOutcome.duplicate, order)
    assert market.journal_position() == position
    assert orders.order(souk.Actor.system(), order) == before
    assert [e.event for e in market.audit(souk.Actor.system(), order)].count("PaymentCaptured") == 1
    assert w.stock(w.other_sku).sold == 1


def test_a_capture_of_another_amount_raises_an_alert_and_pays_nothing(trading):
    w, orders = trading, trading.orders
    order = w.buy(w.customer, (w.other_sku, 2))  # 176.00 CNY
    start = orders.pay(w.customer, order, "sandbox")
    short = w.forged(id="evt_short", payment_id=start.provider_payment_id, payment_order=order.value, amount=17599)
    result = orders.handle_notification("sandbox", short)
    assert (result.outcome, result.order, result.refund) == (NotificationOutcome.alert, order, None)
    dollars = w.forged(id="evt_usd", payment_id=start.provider_payment_id, payment_order=order.value, amount=17600,
                       currency="USD")
    assert orders.handle_notification("sandbox", dollars).outcome == NotificationOutcome.alert
    info = orders.order(w.customer, order)
    assert (info.status, info.attempts[0].status) == (PaymentOrderStatus.pending_payment, PaymentAttemptStatus.open)
    assert (w.stock(w.other_sku).reserved, w.stock(w.other_sku).sold) == (2, 0)

    alerts = orders.payment_alerts(w.op)
    assert [(a.number, a.reason, a.provider) for a in alerts] == [
        (1, souk.PaymentAlertReason.amount_mismatch, "sandbox"),
        (2, souk.PaymentAlertReason.amount_mismatch, "sandbox"),
    ]
    assert (alerts[0].event.provider_event_id, alerts[0].event.amount) == ("evt_short", cny("175.99"))
    assert "176.00 CNY" in alerts[0].details
    assert orders.handle_notification("sandbox", short).outcome == NotificationOutcome.duplicate
    assert len(orders.payment_alerts(w.op)) == 2
    with pytest.raises(souk.Forbidden):
        orders.payment_alerts(w.customer)

    # The real payment still goes through.
    w.sandbox.complete_payment(start.provider_payment_id)
    w.deliver()
    assert orders.order(w.customer, order).status == PaymentOrderStatus.paid


def test_unauthentic_notifications_and_unknown_providers_change_nothing(trading, market):
    w, orders = trading, trading.orders
    order = w.buy(w.customer, (w.other_sku, 1))
    start = orders.pay(w.customer, order, "sandbox")
    genuine = w.forged(id="evt_1", payment_id=start.provider_payment_id, payment_order=order.value, amount=8800)
    tampered = souk.Notification(headers=genuine.headers, body=genuine.body.replace(b"8800", b"8801"))
    refused(market, lambda: orders.handle_notification("sandbox", tampered), souk.Unauthenticated)
    refused(market, lambda: orders.handle_notification("paypal", genuine), souk.NotFound)
    stranger = w.forged(id="evt_2", payment_id="pay_not_ours", payment_order=order.value, amount=8800)
    assert orders.handle_notification("sandbox", stranger).outcome == NotificationOutcome.alert
    nowhere = w.forged(id="evt_3", payment_id=start.provider_payment_id, payment_order=999, amount=8800)
    result = orders.handle_notification("sandbox", nowhere)
    assert (result.outcome, result.order) == (NotificationOutcome.alert, souk.PaymentOrderId(0))
    assert [a.reason.name for a in orders.payment_alerts(w.admin)] == ["unknown_payment", "unknown_order"]
    assert [a.number for a in orders.payment_alerts(w.admin, souk.Page(offset=1, limit=1))] == [2]
    assert orders.order(w.customer, order).status == PaymentOrderStatus.pending_payment


def test_a_payment_after_cancellation_is_refunded_automatically(trading):
    w, orders = trading, trading.orders
    order = w.buy(w.customer, (w.skus[0], 1), (w.other_sku, 1))  # 68.00 + 88.00
    start = orders.pay(w.customer, order, "sandbox")
    first = orders.order(w.customer, order).sub_orders[0].id
    orders.cancel(w.customer, first, "ordered by mistake")  # an unpaid order is cancelled whole
    info = orders.order(w.customer, order)
    assert info.status == PaymentOrderStatus.cancelled
    assert [(s.status, s.cancel_cause) for s in info.sub_orders] == [(SubOrderStatus.cancelled, CancelCause.buyer)] * 2
    assert w.stock(w.skus[0]).reserved == 0

    w.sandbox.complete_payment(start.provider_payment_id)  # the payer paid anyway
    results = w.deliver()
    assert outcomes(results) == ["refunding", "applied"]  # the capture, then its refund's notification
    info = orders.order(w.customer, order)
    (reversal,) = info.reversals
    assert reversal.id == results[0].refund
    assert (reversal.kind, reversal.amount, reversal.state, reversal.sub_order, reversal.requested_by) == (
        RefundKind.reversal, cny("156.00"), RefundState.succeeded, None, souk.UserId(0))
    assert (info.status, info.paid, info.attempts[0].status) == (
        PaymentOrderStatus.cancelled, cny("0.00"), PaymentAttemptStatus.captured)
    assert w.sandbox.payment(start.provider_payment_id).refunded == cny("156.00")
    assert (w.stock(w.skus[0]).sold, w.stock(w.skus[0]).available) == (0, 10)
    assert orders.refund_info(w.customer, reversal.id) == reversal
    with pytest.raises(souk.Forbidden):
        orders.refund_info(w.buyer, reversal.id)


# --- refunds


def test_refunds_never_exceed_a_lines_paid_share(trading, market):
    w, orders = trading, trading.orders
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    payment = orders.order(w.op, order).attempts[0].provider_payment_id

    first = orders.refund(w.staff, tea, [RefundLine(sku=w.skus[0], amount=cny("50.00"))], "scratched tin")
    refund = orders.refund_info(w.staff, first)
    assert (refund.kind, refund.state, refund.amount, refund.requested_by, refund.reason) == (
        RefundKind.lines, RefundState.submitted, cny("50.00"), w.staff_id, "scratched tin")
    assert refund.idempotency_key.startswith(f"souk-refund-{first.value}-")
    sub_order = orders.sub_order(w.staff, tea)
    assert (sub_order.status, sub_order.refunded, sub_order.lines[0].refunded) == (
        SubOrderStatus.paid, cny("50.00"), cny("50.00"))  # a refund is no transition
    assert outcomes(w.deliver()) == ["applied"]
    assert orders.refund_info(w.staff, first).state == RefundState.succeeded

    def refund_of(amount, sku=w.skus[0], reason="again", by=w.staff):
        return lambda: orders.refund(by, tea, [RefundLine(sku=sku, amount=amount)], reason)

    refused(market, refund_of(cny("86.01")), souk.LimitExceeded)  # 136.00 paid, 50.00 back already
    refused(market, refund_of(cny("0.00")), souk.InvalidArgument)
    refused(market, refund_of(cny("1.00"), sku=w.other_sku), souk.InvalidArgument)  # not a line of this sub-order
    refused(market, refund_of(cny("1.00"), reason=""), souk.InvalidArgument)
    refused(market, refund_of(souk.Money.parse("1.00", "USD")), souk.CurrencyMismatch)
    refused(market, refund_of(cny("1.00"), by=w.other_owner), souk.Forbidden)
    refused(market, refund_of(cny("1.00"), by=w.customer), souk.Forbidden)
    refused(market, lambda: orders.refund(w.staff, tea, [], "nothing"), souk.InvalidArgument)

    rest = orders.refund_all(w.owner, tea, "returned")
    assert orders.refund_info(w.owner, rest).amount == cny("86.00")
    refused(market, lambda: orders.refund_all(w.owner, tea, "again"), souk.InvalidState)
    refused(market, refund_of(cny("0.01")), souk.LimitExceeded)
    oolong = w.sub_order_of(order, w.other_shop).id
    orders.refund(w.op, oolong, [RefundLine(sku=w.other_sku, amount=cny("88.00"))], "lost in transit")  # platform staff
    w.deliver()
    info = orders.order(w.op, order)
    assert info.refunded == info.paid == cny("224.00")
    assert all(line.refunded == line.paid_share for s in info.sub_orders for line in s.lines)
    assert w.sandbox.payment(payment).refunded == cny("224.00")


def test_a_timed_out_refund_is_sent_again_under_its_own_key(trading):
    w, orders = trading, trading.orders
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    w.sandbox.set_behavior(order, SandboxBehavior(refund="timeout"))
    slow = orders.refund(w.owner, tea, [RefundLine(sku=w.skus[0], amount=cny("136.00"))], "defective")
    assert orders.refund_info(w.owner, slow).state == RefundState.requested
    assert orders.sub_order(w.owner, tea).refunded == cny("136.00")  # in flight counts
    assert orders.send_pending_refunds() == 1
    assert orders.send_pending_refunds() == 0
    assert orders.refund_info(w.owner, slow).state == RefundState.submitted
    w.sandbox.release_held_notifications()
    w.deliver()
    assert orders.refund_info(w.owner, slow).state == RefundState.succeeded
    payment = orders.refund_info(w.owner, slow).provider_payment_id
    assert len(w.sandbox.payment(payment).refunds) == 1  # refunded once


def test_cancelling_a_paid_sub_order_refunds_it_in_full_with_shipping(shipping_trading):
    w = shipping_trading
    orders = w.orders
    order = w.paid_order(w.customer)  # 136.00 + 8.00 shipping, 88.00 + 8.00 shipping
    tea = w.sub_order_of(order, w.shop).id
    orders.cancel(w.owner, tea, "cannot source the tea")
    w.deliver()
    info = orders.sub_order(w.customer, tea)
    assert (info.status, info.cancel_cause, info.cancel_reason) == (
        SubOrderStatus.cancelled, CancelCause.seller, "cannot source the tea")
    (refund,) = info.refunds
    assert (refund.kind, refund.amount, refund.shipping, refund.state) == (
        RefundKind.cancellation, cny("144.00"), cny("8.00"), RefundState.succeeded)
    assert (info.refunded, info.shipping_refunded) == (info.payable, cny("8.00"))
    stock = w.stock(w.skus[0])
    assert (stock.on_hand, stock.available, stock.sold) == (10, 10, 2)  # the units are back on hand
    assert orders.order(w.customer, order).status == PaymentOrderStatus.paid  # the other sub-order is not affected


# --- placing


def test_placing_is_idempotent_on_the_key(trading, market):
    w, orders = trading, trading.orders
    def tap(quantity, address=w.home):
        checkout = CheckoutRequest(address=address, buy_now=[LineRequest(sku=w.other_sku, quantity=quantity)])
        return PlaceRequest(idempotency_key="tap-tap", checkout=checkout)

    request = tap(1)
    order = orders.place(w.customer, request)
    position = market.journal_position()
    assert orders.place(w.customer, request) == order
    assert market.journal_position() == position
    assert w.stock(w.other_sku).reserved == 1  # reserved once

    refused(market, lambda: orders.place(w.customer, tap(2)), souk.Conflict)  # the key of another request
    w.pay(order, w.customer)
    assert orders.place(w.customer, request) == order
    assert len(orders.orders_of(w.customer, w.customer_id)) == 1
    assert w.sandbox.intent_count() == 1 and w.stock(w.other_sku).sold == 1
    assert orders.place(w.buyer, tap(1, address=w.buyer_home)) != order  # keys are per customer


def test_placing_refuses_what_the_customer_did_not_see_or_cannot_have(trading, market):
    w, orders = trading, trading.orders

    def place(quantity, expected_total=None, address=w.home):
        checkout = CheckoutRequest(address=address, buy_now=[LineRequest(sku=w.other_sku, quantity=quantity)])
        request = PlaceRequest(idempotency_key=f"k-{quantity}", checkout=checkout, expected_total=expected_total)
        return lambda: orders.place(w.customer, request)

    w.catalog.set_sku_price(w.other_owner, w.other_sku, cny("98.00"), None)
    refused(market, place(1, expected_total=cny("88.00")), souk.Conflict)  # the price changed after the quote
    refused(market, place(11), souk.InsufficientStock)
    refused(market, place(1, address=w.buyer_home), souk.Forbidden)
    refused(market, place(0), souk.InvalidArgument)
    w.catalog.delist(w.other_owner, w.tieguanyin)
    refused(market, place(1), souk.InvalidState)
    assert orders.orders_of(w.customer, w.customer_id) == []


# --- who may do what, and when


def test_orders_are_the_buyers_sub_orders_also_their_shops(trading):
    w, orders = trading, trading.orders
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    assert orders.order(w.customer, order) == orders.order(w.op, order)
    assert orders.sub_order(w.staff, tea) == orders.sub_order(w.customer, tea)
    for reader, read in [
        (w.buyer, lambda a: orders.order(a, order)),
        (w.owner, lambda a: orders.order(a, order)),  # a shop sees its sub-order, not the whole order
        (w.other_owner, lambda a: orders.sub_order(a, tea)),
        (w.buyer, lambda a: orders.sub_order(a, tea)),
        (w.buyer, lambda a: orders.orders_of(a, w.customer_id)),
        (w.customer, lambda a: orders.sub_orders(a)),
        (w.other_owner, lambda a: orders.sub_orders_of_shop(a, w.shop)),
        (w.buyer, lambda a: w.market.audit(a, tea)),
    ]:
        with pytest.raises(souk.Forbidden):
            read(reader)
    assert [s.id for s in orders.sub_orders_of_shop(w.staff, w.shop)] == [tea]
    assert [e.event for e in w.market.audit(w.owner, tea)][:2] == ["SubOrderPlaced", "SubOrderPaid"]


def test_commands_are_refused_to_those_who_may_not_issue_them(trading, market):
    w, orders = trading, trading.orders
    order = w.buy(w.customer, (w.other_sku, 1))
    oolong = orders.order(w.customer, order).sub_orders[0].id
    refused(market, lambda: orders.pay(w.buyer, order, "sandbox"), souk.Forbidden)
    refused(market, lambda: orders.pay(w.op, order, "sandbox"), souk.Forbidden)
    refused(market, lambda: orders.pay(w.customer, order, "nowhere"), souk.NotFound)
    refused(market, lambda: orders.pay(w.customer, souk.PaymentOrderId(99), "sandbox"), souk.NotFound)
    refused(market, lambda: orders.cancel(w.buyer, oolong, "not mine"), souk.Forbidden)
    w.pay(order, w.customer)
    refused(market, lambda: orders.ship(w.owner, oolong, shipment()), souk.Forbidden)  # another shop's
    refused(market, lambda: orders.ship(w.customer, oolong, shipment()), souk.Forbidden)
    orders.ship(w.other_owner, oolong, shipment())
    refused(market, lambda: orders.confirm_receipt(w.other_owner, oolong), souk.Forbidden)
    refused(market, lambda: orders.confirm_receipt(w.buyer, oolong), souk.Forbidden)


def sub_order_in(w, status):
    """The only sub-order of a new order of 3 units of one SKU, driven into `status`; and its order."""
    order = w.buy(w.customer, (w.skus[0], 3))
    sub_order = w.orders.order(w.customer, order).sub_orders[0].id
    if status == "cancelled":
        w.orders.cancel(w.customer, sub_order, "changed my mind")
    elif status != "pending_payment":
        w.pay(order, w.customer)
    if status == "partially_shipped":
        w.orders.ship(w.staff, sub_order, shipment((w.skus[0], 1)))
    if status in ("shipped", "received", "completed"):
        w.orders.ship(w.staff, sub_order, shipment())
    if status in ("received", "completed"):
        w.orders.confirm_receipt(w.customer, sub_order)
    if status == "completed":
        w.clock.advance(8 * DAY)
        w.market.tick(w.clock.now())
    assert w.orders.sub_order(w.op, sub_order).status.name == status
    return order, sub_order


@pytest.mark.parametrize(
    "status, action",
    [
        ("pending_payment", "ship"),
        ("pending_payment", "confirm_receipt"),
        ("pending_payment", "cancel_by_seller"),
        ("pending_payment", "refund_all"),
        ("paid", "confirm_receipt"),
        ("paid", "pay"),
        ("partially_shipped", "cancel_by_buyer"),
        ("shipped", "ship"),
        ("shipped", "cancel_by_platform"),
        ("received", "confirm_receipt"),
        ("completed", "refund_all"),
        ("completed", "cancel_by_platform"),
        ("cancelled", "pay"),
        ("cancelled", "cancel_by_buyer"),
    ],
)
def test_illegal_transitions_raise_invalid_state_and_change_nothing(trading, market, status, action):
    w, orders = trading, trading.orders
    order, sub_order = sub_order_in(w, status)
    actions = {
        "ship": lambda: orders.ship(w.staff, sub_order, shipment()),
        "confirm_receipt": lambda: orders.confirm_receipt(w.customer, sub_order),
        "cancel_by_buyer": lambda: orders.cancel(w.customer, sub_order, "changed my mind"),
        "cancel_by_seller": lambda: orders.cancel(w.owner, sub_order, "out of stock"),
        "cancel_by_platform": lambda: orders.cancel(w.op, sub_order, "fraud check"),
        "refund_all": lambda: orders.refund_all(w.owner, sub_order, "goodwill"),
        "pay": lambda: orders.pay(w.customer, order, "sandbox"),
    }
    refused(market, actions[action], souk.InvalidState)
    assert orders.sub_order(w.op, sub_order).status.name == status


def test_unpaid_orders_are_cancelled_at_the_payment_deadline(trading, market, clock):
    w, orders = trading, trading.orders
    order = w.buy(w.customer, (w.skus[0], 2), (w.other_sku, 1))
    deadline = orders.order(w.customer, order).payment_deadline
    clock.set(deadline - dt.timedelta(microseconds=1))
    assert counts(market.tick(clock.now()).orders) == (0, 0, 0)
    clock.set(deadline)
    report = market.tick(deadline)
    assert (counts(report.orders), report.reservations_expired) == ((1, 0, 0), 0)  # released, not expired
    info = orders.order(w.customer, order)
    assert info.status == PaymentOrderStatus.cancelled and info.cancelled_at == deadline
    assert {s.cancel_cause for s in info.sub_orders} == {CancelCause.payment_timeout}
    assert (w.stock(w.skus[0]).reserved, w.stock(w.other_sku).available) == (0, 10)
    with pytest.raises(souk.InvalidArgument, match="ahead of the marketplace clock"):
        market.tick(deadline + MINUTE)
    refused(market, lambda: orders.pay(w.customer, order, "sandbox"), souk.InvalidState)


def test_a_customer_may_hold_a_limited_number_of_unpaid_orders(trading, market):
    w = trading
    w.inventory.adjust(w.owner, [souk.StockChange(sku=w.skus[1], delta=100)], "restock")
    for _ in range(souk.Orders.max_unpaid_orders):
        w.buy(w.customer, (w.skus[1], 1))
    refused(market, lambda: w.buy(w.customer, (w.skus[1], 1)), souk.LimitExceeded)
    w.buy(w.buyer, (w.skus[1], 1))  # another customer's count is their own


# --- options, deadlines and queries


def test_trade_options_are_keyword_only_and_checked(clock):
    def make(**options):
        return souk.Marketplace.in_memory(clock=clock, password_hashing="minimal", **options)

    with pytest.raises(souk.InvalidArgument, match="at most 30 days"):
        make(payment_timeout=31 * DAY)
    with pytest.raises(souk.InvalidArgument, match="payment timeout must be positive"):
        make(payment_timeout=dt.timedelta(0))
    for name in ["auto_receive_after", "after_sales_window", "review_window"]:
        with pytest.raises(souk.InvalidArgument, match="must be positive"):
            make(**{name: -DAY})
    with pytest.raises(souk.InvalidArgument, match="shipping fee"):
        make(shipping_fee_per_shop=cny("-1.00"))
    with pytest.raises(souk.InvalidArgument, match="free-shipping threshold"):
        make(free_shipping_from=cny("0.00"))
    with pytest.raises(souk.CurrencyMismatch):
        make(shipping_fee_per_shop=cny("8.00"), free_shipping_from=souk.Money.parse("50", "USD"))
    with pytest.raises(TypeError):
        make(shipping_fee_per_shop=8.0)  # money is never a float
    with pytest.raises(TypeError):
        souk.Marketplace.in_memory(clock, "minimal", dt.timedelta(days=1), dt.timedelta(minutes=5))
    make(payment_timeout=30 * DAY, shipping_fee_per_shop=cny("8.00"), free_shipping_from=cny("99.00"))


def test_a_marketplace_without_orders_ticks_and_answers(world, clock):
    market, orders = world.market, world.market.orders
    report = market.tick(clock.now())
    assert (report.reservations_expired, counts(report.orders)) == (0, (0, 0, 0))
    assert report == market.tick(clock.now())
    assert repr(report) == (
        "TickReport(reservations_expired=0, orders=OrdersTickReport(cancelled=0, received=0, completed=0, refunded=0), "
        "after_sales_approved=0, groups=GroupBuyingTickReport(succeeded=0, failed=0))"
    )
    assert counts(orders.tick(clock.now())) == (0, 0, 0)
    with pytest.raises(souk.InvalidArgument, match="ahead of the marketplace clock"):
        orders.tick(clock.now() + dt.timedelta(seconds=1))
    assert orders.send_pending_refunds() == 0
    assert orders.payment_alerts(world.op) == []
    assert orders.sub_orders(world.admin) == []
    assert orders.orders_of(world.customer, world.customer_id) == []
    assert orders.sub_orders_of_shop(world.staff, world.shop) == []
    with pytest.raises(souk.NotFound):
        orders.order(world.customer, souk.PaymentOrderId(1))
    with pytest.raises(souk.NotFound):
        orders.sub_order(world.op, souk.SubOrderId(1))
    with pytest.raises(souk.NotFound):
        orders.refund_info(world.op, souk.RefundId(1))
    for forbidden in [
        lambda: orders.payment_alerts(world.customer),
        lambda: orders.sub_orders(world.owner),
        lambda: orders.orders_of(world.outsider, world.customer_id),
        lambda: orders.sub_orders_of_customer(world.outsider, world.customer_id),
        lambda: orders.sub_orders_of_shop(world.outsider, world.shop),
    ]:
        with pytest.raises(souk.Forbidden):
            forbidden()
    assert (souk.Orders.max_unpaid_orders, souk.Orders.max_payment_attempts) == (20, 20)


def test_filters_take_statuses_by_name_and_check_them():
    wanted = souk.OrderFilter()
    assert wanted.status is None
    wanted.status = "cancelled"
    assert wanted == souk.OrderFilter(status=souk.PaymentOrderStatus.cancelled) != souk.OrderFilter()
    assert repr(wanted) == "OrderFilter(status=<PaymentOrderStatus.cancelled: 3>, placed_from=None, placed_before=None)"
    wanted.status = None
    assert wanted == souk.OrderFilter()
    with pytest.raises(souk.InvalidArgument, match="expected one of pending_payment, paid, cancelled"):
        souk.OrderFilter(status="shipped")  # a sub-order status, not a payment order's
    since = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    shipped = souk.SubOrderFilter(status="shipped", placed_from=since)
    assert (shipped.status, shipped.placed_from, shipped.placed_before) == (souk.SubOrderStatus.shipped, since, None)
    with pytest.raises(TypeError):
        souk.SubOrderFilter(placed_from=dt.datetime(2026, 1, 1))  # a naive datetime
    with pytest.raises(TypeError):
        souk.SubOrderFilter("paid")  # keywords only


def test_enums_spell_their_values_as_in_cpp():
    assert [s.name for s in souk.SubOrderStatus.__members__.values()] == [
        "pending_payment", "paid", "partially_shipped", "shipped", "received", "completed", "cancelled", "refunded"]
    assert [c.name for c in souk.CancelCause.__members__.values()] == ["buyer", "seller", "platform", "payment_timeout"]
    assert list(souk.RefundState.__members__) == ["requested", "submitted", "succeeded", "failed"]
    assert list(souk.RefundKind.__members__) == ["lines", "cancellation", "reversal"]
    assert list(souk.PaymentAttemptStatus.__members__) == ["started", "open", "declined", "captured"]
    assert list(souk.NotificationOutcome.__members__) == ["applied", "duplicate", "alert", "refunding"]
    assert list(souk.PaymentAlertReason.__members__) == [
        "amount_mismatch", "unknown_order", "unknown_payment", "unknown_refund", "contradiction"]
    assert souk.SubOrderStatus.cancelled.value == 7  # the journaled values


def test_order_arguments_are_keyword_built_values():
    checkout = souk.CheckoutRequest(address=souk.AddressId(1))
    request = souk.PlaceRequest(idempotency_key="k-1", checkout=checkout)
    assert request.expected_total is None
    request.expected_total = cny("88.00")
    assert request == souk.PlaceRequest(idempotency_key="k-1", checkout=checkout, expected_total=cny("88.00"))
    assert repr(request) == (
        "PlaceRequest(idempotency_key='k-1', checkout=CheckoutRequest(address=AddressId(1), buy_now=[], coupons=[], "
        "flash_sale=FlashSaleId(0), group=GroupCheckout(offer=GroupOfferId(0), group=GroupId(0))), "
        "expected_total=Money.parse('88.00', 'CNY'))"
    )
    shipment = souk.ShipmentRequest(carrier="SF Express", tracking_number="SF1")
    assert shipment.lines == []
    shipment.lines = [souk.ShippedLine(sku=souk.SkuId(2), quantity=1)]
    assert shipment.lines[0] == souk.ShippedLine(sku=souk.SkuId(2), quantity=1)
    assert souk.RefundLine(sku=souk.SkuId(2), amount=cny("1.00")).amount == cny("1.00")
    with pytest.raises(TypeError):
        souk.RefundLine(sku=souk.SkuId(2), amount=1.0)  # money is never a float
    with pytest.raises(TypeError):
        souk.PlaceRequest("k-1", checkout)  # keywords only


def test_deadlines_follow_the_options(clock):
    market = souk.Marketplace.in_memory(clock=clock, password_hashing="minimal", payment_timeout=5 * MINUTE,
                                        auto_receive_after=DAY, after_sales_window=2 * DAY, review_window=3 * DAY)
    w = Trading(market, clock)
    order = w.buy(w.customer, (w.other_sku, 1))
    info = w.orders.order(w.customer, order)
    assert info.payment_deadline == info.placed_at + 5 * MINUTE
    w.pay(order, w.customer)
    oolong = info.sub_orders[0].id
    w.orders.ship(w.other_owner, oolong, shipment())
    shipped = w.orders.sub_order(w.customer, oolong)
    assert shipped.deadline == shipped.shipped_at + DAY
    clock.advance(DAY)
    assert counts(market.tick(clock.now()).orders) == (0, 1, 0)
    assert w.orders.sub_order(w.customer, oolong).deadline == shipped.shipped_at + 3 * DAY
    clock.advance(2 * DAY)
    assert counts(market.tick(clock.now()).orders) == (0, 0, 1)
    completed = w.orders.sub_order(w.customer, oolong)
    assert completed.review_until == completed.completed_at + 3 * DAY == shipped.shipped_at + 6 * DAY


def test_lists_are_newest_first_filtered_and_paged(trading, clock):
    w, orders = trading, trading.orders
    first = w.paid_order(w.customer)
    middle = w.buy(w.customer, (w.skus[1], 1))
    last = w.buy(w.customer, (w.other_sku, 1))
    middle_placed_at = orders.order(w.customer, middle).placed_at

    def ids(found):
        return [o.id for o in found]

    assert ids(orders.orders_of(w.customer, w.customer_id)) == [last, middle, first]
    assert ids(orders.orders_of(w.op, w.customer_id, souk.OrderFilter(status="paid"))) == [first]
    since_middle = souk.OrderFilter(placed_from=middle_placed_at)
    assert ids(orders.orders_of(w.customer, w.customer_id, since_middle)) == [last, middle]
    before_middle = souk.OrderFilter(placed_before=middle_placed_at)
    assert ids(orders.orders_of(w.customer, w.customer_id, before_middle)) == [first]
    assert ids(orders.orders_of(w.customer, w.customer_id, page=souk.Page(offset=1, limit=1))) == [middle]

    def orders_of(sub_orders):
        return [s.order for s in sub_orders]

    pending = SubOrderFilter(status=SubOrderStatus.pending_payment)
    assert orders_of(orders.sub_orders_of_customer(w.customer, w.customer_id, pending)) == [last, middle]
    assert orders_of(orders.sub_orders_of_shop(w.staff, w.shop)) == [middle, first]
    assert orders_of(orders.sub_orders_of_shop(w.other_owner, w.other_shop, SubOrderFilter(status="paid"))) == [first]
    assert orders_of(orders.sub_orders(w.op, SubOrderFilter(status="paid"))) == [first, first]
    assert orders.orders_of(w.buyer, w.buyer_id) == []


# --- providers written in Python


class Relay(souk.PaymentProvider):
    """A provider written in Python that passes every call on to a gateway (a sandbox), as an
    adapter passes them on to a real one; `fail_next` makes the next call time out."""

    def __init__(self, gateway):
        super().__init__()
        self.gateway = gateway
        self.calls = []
        self.fail_next = False

    def name(self):
        return "relay"

    def call(self, method, argument):
        self.calls.append(method)
        if self.fail_next:
            self.fail_next = False
            raise TimeoutError("the gateway did not answer")
        return getattr(self.gateway, method)(argument)

    def create_intent(self, request):
        return self.call("create_intent", request)

    def refund(self, request):
        return self.call("refund", request)

    def verify(self, raw):
        return self.call("verify", raw)


def test_a_provider_written_in_python_lives_as_long_as_its_marketplace(trading, market, clock):
    w, orders = trading, trading.orders
    gateway = souk.SandboxProvider("relay-secret-0123456789", clock)
    relay = Relay(gateway)
    calls, alive = relay.calls, weakref.ref(relay)
    market.register_payment_provider("relay", relay)
    del relay
    gc.collect()
    assert alive() is not None  # the marketplace keeps the Python object, not only its C++ half

    order = w.buy(w.customer, (w.other_sku, 1))
    alive().fail_next = True
    with pytest.raises(souk.PaymentFailed, match="Relay.create_intent raised TimeoutError"):
        orders.pay(w.customer, order, "relay")
    start = orders.pay(w.customer, order, "relay")  # the same attempt, the same key
    assert (start.attempt, gateway.intent_count()) == (1, 1)
    gateway.complete_payment(start.provider_payment_id)
    assert outcomes([orders.handle_notification("relay", n) for n in gateway.deliver_all()]) == ["applied"]
    assert orders.order(w.customer, order).status == PaymentOrderStatus.paid
    orders.refund_all(w.other_owner, orders.order(w.customer, order).sub_orders[0].id, "out of date")
    assert calls == ["create_intent", "create_intent", "verify", "refund"]

    with pytest.raises(souk.AlreadyExists):
        market.register_payment_provider("relay", souk.SandboxProvider("relay-secret-0123456789", clock))

    elsewhere = souk.Marketplace.in_memory(clock=clock, password_hashing="minimal")
    short_lived = Relay(gateway)
    gone = weakref.ref(short_lived)
    elsewhere.register_payment_provider("relay", short_lived)
    del short_lived, elsewhere
    gc.collect()
    assert gone() is None  # and lets it go with the marketplace


def test_threads_place_and_pay_at_once_through_a_provider_written_in_python(trading, market, clock):
    w, orders = trading, trading.orders
    gateway = souk.SandboxProvider("relay-secret-0123456789", clock)
    market.register_payment_provider("relay", Relay(gateway))
    w.inventory.adjust(w.owner, [souk.StockChange(sku=w.skus[1], delta=90)], "restock")
    customers = [w.customer] + [souk.Actor.user(w.add_user(f"c{n}", f"Customer {n}")) for n in range(3)]
    homes = [w.home] + [w.cart.add_address(c, home_address()) for c in customers[1:]]
    errors = []

    def shop(n):
        try:
            for i in range(5):
                checkout = CheckoutRequest(address=homes[n], buy_now=[LineRequest(sku=w.skus[1], quantity=1)])
                order = orders.place(customers[n], PlaceRequest(idempotency_key=f"t{n}-{i}", checkout=checkout))
                orders.pay(customers[n], order, "relay")
        except BaseException as e:  # reported below: an exception in a thread would otherwise vanish
            errors.append(e)

    threads = [threading.Thread(target=shop, args=(n,)) for n in range(len(customers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert gateway.intent_count() == 20
    assert w.stock(w.skus[1]).reserved == 20


# --- replay


def test_a_sqlite_marketplace_reopens_to_the_same_trade_state(tmp_path, clock):
    path = tmp_path / "trade.souk"
    market = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal",
                                          shipping_fee_per_shop=cny("8.00"))
    w = Trading(market, clock)
    w.cart.add(w.customer, w.skus[1], 1)
    paid = w.paid_order(w.customer)
    tea = w.sub_order_of(paid, w.shop).id
    w.orders.ship(w.staff, tea, shipment((w.skus[0], 1)))
    w.orders.refund(w.owner, tea, [RefundLine(sku=w.skus[0], amount=cny("10.00"))], "dented tin")
    w.orders.cancel(w.customer, w.sub_order_of(paid, w.other_shop).id, "changed my mind")
    w.deliver()
    cancelled = w.buy(w.buyer, (w.other_sku, 1))
    w.orders.cancel(w.buyer, w.orders.order(w.buyer, cancelled).sub_orders[0].id, "ordered twice")
    pending = w.buy(w.customer, (w.skus[1], 2))
    start = w.orders.pay(w.customer, pending, "sandbox")
    mismatch = w.forged(id="evt_x", payment_id=start.provider_payment_id, payment_order=pending.value, amount=1)
    assert w.orders.handle_notification("sandbox", mismatch).outcome == NotificationOutcome.alert
    before = trade_snapshot(market)
    assert before[0] == market.journal_position() > 40
    del w, market

    reopened = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    assert trade_snapshot(reopened) == before
    # Deadlines were journaled with their orders: the pending order is cancelled on time.
    clock.advance(dt.timedelta(minutes=30))
    assert counts(reopened.tick(clock.now()).orders) == (1, 0, 0)
