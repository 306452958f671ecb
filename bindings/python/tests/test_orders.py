"""souk.Orders: options, ticks and queries of a marketplace without orders."""

import datetime as dt

import pytest

import souk

DAY = dt.timedelta(days=1)


def cny(amount):
    return souk.Money.parse(amount, "CNY")


def counts(report):
    return report.cancelled, report.received, report.completed


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
    assert repr(report) == "TickReport(reservations_expired=0, orders=OrdersTickReport(cancelled=0, received=0, completed=0))"
    assert counts(orders.tick(clock.now())) == (0, 0, 0)
    with pytest.raises(souk.InvalidArgument, match="ahead of the clock"):
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
        "pending_payment", "paid", "partially_shipped", "shipped", "received", "completed", "cancelled"]
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
        "PlaceRequest(idempotency_key='k-1', checkout=CheckoutRequest(address=AddressId(1), buy_now=[]), "
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
