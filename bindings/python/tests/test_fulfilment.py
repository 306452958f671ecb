"""souk.Shipping, souk.AfterSales and souk.Reviews: fee templates priced alike into quotes and
orders, tracking from shops and carriers (one written in Python), refund and return requests
through to the provider, arbitration, deadlines fired by tick, reviews and their aggregates,
forbidden paths, and replay from a SQLite journal."""

import datetime as dt

import pytest

import souk
from souk import (
    AfterSalesKind,
    AfterSalesLine,
    AfterSalesRequest,
    AfterSalesStatus,
    CheckoutRequest,
    LineRequest,
    PlaceRequest,
    ReviewDraft,
    ShipmentRequest,
    ShippedLine,
    ShippingRate,
    ShippingTemplateSpec,
    SubOrderStatus,
    TrackingUpdate,
)
from support import Trading, cny, refused

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
SYSTEM = souk.Actor.system()


def later(w, by):
    w.clock.advance(by)
    return w.market.tick(w.clock.now())


def ship_rest(w, sub_order, tracking):
    w.tick()
    return w.orders.ship(SYSTEM, sub_order, ShipmentRequest(carrier="SF", tracking_number=tracking))


def ask(w, who, sub_order, kind, *lines):
    w.tick()
    request = AfterSalesRequest(
        sub_order=sub_order,
        kind=kind,
        lines=[AfterSalesLine(sku=sku, quantity=n) for sku, n in lines],
        reason="not as described",
        evidence=["https://img.example.com/evidence.jpg"],
    )
    return w.market.after_sales.request(who, request)


def refunded_at_sandbox(w, order):
    return sum((payment.refunded for payment in w.sandbox.payments_of(order)), cny("0"))


def standard_spec():
    """10.00 for the first unit and 5.00 for each more; in Shenzhen 6.00 for two and 3.00 more."""
    shenzhen = ShippingRate(label="Shenzhen", regions=["440300"], first_units=2, first_fee=cny("6.00"),
                            additional_fee=cny("3.00"))
    return ShippingTemplateSpec(name="Standard", default_rate=ShippingRate(first_fee=cny("10.00"),
                                                                           additional_fee=cny("5.00")),
                                regional_rates=[shenzhen])


def test_templates_price_quotes_and_orders_alike(trading):
    w, shipping = trading, trading.market.shipping
    template = shipping.create_template(w.staff, w.shop, standard_spec())
    shipping.set_product_template(w.owner, w.longjing, template)
    assert shipping.template_of(w.longjing) == template
    assert shipping.shipping_template(template).products == 1
    assert [t.id for t in shipping.templates_of(w.shop)] == [template]

    lines = [LineRequest(sku=w.skus[0], quantity=3), LineRequest(sku=w.other_sku, quantity=1)]
    quote = w.cart.quote(w.customer, CheckoutRequest(address=w.home, buy_now=lines))
    assert [shop.shipping for shop in quote.shops] == [cny("9.00"), cny("0.00")]
    w.tick()
    order = w.orders.place(w.customer, PlaceRequest(idempotency_key="fees", checkout=CheckoutRequest(
        address=w.home, buy_now=lines), expected_total=quote.total))
    assert w.orders.order(w.customer, order).total == quote.total
    assert w.sub_order_of(order, w.shop).shipping_fee == cny("9.00")

    # By weight: 80 g a unit, the first 100 g 8.00, each started 100 g more 2.00.
    weight = ShippingTemplateSpec(name="Light", basis="weight", default_rate=ShippingRate(
        first_units=100, first_fee=cny("8.00"), additional_units=100, additional_fee=cny("2.00")),
        free_from=cny("500.00"))
    assert weight.basis == souk.FeeBasis.weight
    w.tick()
    shipping.update_template(w.owner, template, weight)
    quote = w.cart.quote(w.customer, CheckoutRequest(address=w.home, buy_now=[LineRequest(sku=w.skus[0], quantity=3)]))
    assert quote.shipping == cny("12.00")
    quote = w.cart.quote(w.customer, CheckoutRequest(address=w.home, buy_now=[LineRequest(sku=w.skus[0], quantity=8)]))
    assert quote.shipping == cny("0.00")

    refused(w.market, lambda: shipping.create_template(w.customer, w.shop, standard_spec()), souk.Forbidden)
    refused(w.market, lambda: shipping.create_template(w.other_owner, w.shop, standard_spec()), souk.Forbidden)
    refused(w.market, lambda: shipping.set_product_template(w.other_owner, w.longjing, None), souk.Forbidden)
    refused(w.market, lambda: shipping.remove_template(w.owner, template), souk.InvalidState)
    bad = standard_spec()
    bad.default_rate = ShippingRate(first_fee=cny("-1.00"), additional_fee=cny("0.00"))
    refused(w.market, lambda: shipping.create_template(w.owner, w.shop, bad), souk.InvalidArgument)
    with pytest.raises(souk.InvalidArgument):
        ShippingTemplateSpec(name="x", basis="volume", default_rate=standard_spec().default_rate)
    shipping.set_product_template(w.owner, w.longjing, None)
    shipping.remove_template(w.owner, template)
    refused(w.market, lambda: shipping.shipping_template(template), souk.NotFound)


class PythonCarrier(souk.CarrierTracker):
    """A carrier adapter written in Python: every shipment was picked up an hour after `since`."""

    def __init__(self, since):
        super().__init__()
        self.since = since
        self.asked = []

    def track(self, carrier, tracking_number):
        self.asked.append((carrier, tracking_number))
        return [TrackingUpdate(occurred_at=self.since + HOUR, status="Picked up", location="Hangzhou")]


def test_tracking_from_shops_and_carriers_and_shipment_queries(trading):
    w, shipping = trading, trading.market.shipping
    scripted = souk.ScriptedCarrierTracker()
    w.market.register_carrier_tracker("SF", scripted)
    with pytest.raises(souk.AlreadyExists):
        w.market.register_carrier_tracker("SF", scripted)
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    other = w.sub_order_of(order, w.other_shop).id
    python_carrier = PythonCarrier(w.clock.now())
    w.market.register_carrier_tracker("YTO", python_carrier)
    w.tick()
    w.orders.ship(w.staff, tea, ShipmentRequest(carrier="SF", tracking_number="SF001",
                                                lines=[ShippedLine(sku=w.skus[0], quantity=1)]))
    w.tick()
    w.orders.ship(w.other_owner, other, ShipmentRequest(carrier="YTO", tracking_number="YT001"))

    # Overdue: the tea still has a unit to ship two days after payment.
    later(w, 2 * DAY)
    (overdue,) = shipping.overdue(w.owner, w.shop, dt.timedelta(hours=48))
    assert (overdue.sub_order, overdue.units_to_ship) == (tea, 1)
    refused(w.market, lambda: shipping.overdue(w.other_owner, w.shop, DAY), souk.Forbidden)

    now = w.clock.now()
    shipping.add_tracking(w.staff, tea, 1, TrackingUpdate(occurred_at=now - HOUR, status="Picked up"))
    refused(w.market, lambda: shipping.add_tracking(w.customer, tea, 1, TrackingUpdate(occurred_at=now, status="x")),
            souk.Forbidden)
    refused(w.market, lambda: shipping.add_tracking(w.staff, tea, 1, TrackingUpdate(
        occurred_at=now - 2 * HOUR, status="earlier")), souk.InvalidArgument)
    scripted.script("SF001", TrackingUpdate(occurred_at=now, status="Delivered", location="Nanshan", delivered=True))
    assert shipping.poll_carriers() == 2
    assert python_carrier.asked == [("YTO", "YT001")]
    assert shipping.poll_carriers() == 0
    refused(w.market, lambda: shipping.add_tracking(w.staff, tea, 1, TrackingUpdate(occurred_at=now, status="x")),
            souk.InvalidState)

    views = shipping.shipments_of_order(w.customer, order)
    assert [v.shipment.tracking_number for v in views] == ["SF001", "YT001"]
    assert views[0].delivered_at == now
    assert [u.status for u in views[0].tracking] == ["Picked up", "Delivered"]
    assert views[1].tracking[0].location == "Hangzhou"
    assert [v.sub_order for v in shipping.shipments_of_order(w.staff, order)] == [tea]
    refused(w.market, lambda: shipping.shipments_of_order(w.buyer, order), souk.Forbidden)
    assert [v.sub_order for v in shipping.shipments_by_tracking(w.customer, "YT001")] == [other]
    assert shipping.shipments_by_tracking(w.staff, "YT001") == []


def test_a_return_is_refunded_once_received_and_goes_back_on_hand(trading):
    w, after_sales = trading, trading.market.after_sales
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    ship_rest(w, tea, "SF001")
    on_hand = w.stock(w.skus[0]).on_hand
    request = ask(w, w.customer, tea, "return_and_refund", (w.skus[0], 1))
    info = after_sales.info(w.customer, request)
    assert (info.status, info.kind, info.amount) == (AfterSalesStatus.requested, AfterSalesKind.return_and_refund,
                                                     cny("68.00"))
    refused(w.market, lambda: after_sales.approve(w.customer, request), souk.Forbidden)
    refused(w.market, lambda: after_sales.approve(w.other_owner, request), souk.Forbidden)
    w.tick()
    after_sales.approve(w.staff, request, "send it back")
    refused(w.market, lambda: after_sales.receive_return(w.owner, request, True), souk.InvalidState)
    w.tick()
    after_sales.ship_return(w.customer, request, "SF", "RT001")
    w.tick()
    after_sales.receive_return(w.owner, request, sellable=True)
    info = after_sales.info(w.owner, request)
    assert info.status == AfterSalesStatus.refunded and info.returned_sellable
    assert w.stock(w.skus[0]).on_hand == on_hand + 1
    w.deliver()
    assert w.orders.refund_info(w.customer, info.refund).state == souk.RefundState.succeeded
    assert refunded_at_sandbox(w, order) == cny("68.00")
    assert [r.id for r in after_sales.of_customer(w.customer, w.customer_id)] == [request]
    assert after_sales.of_shop(w.owner, w.shop, souk.AfterSalesFilter(status="refunded"))[0].id == request


def test_deadlines_arbitration_and_the_after_sales_window(trading):
    w, after_sales = trading, trading.market.after_sales
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    other = w.sub_order_of(order, w.other_shop).id
    for sub_order in (tea, other):
        ship_rest(w, sub_order, f"T{sub_order.value}")
        w.tick()
        w.orders.confirm_receipt(w.customer, sub_order)

    # The tea shop never answers: tick approves at the response deadline.
    unanswered = ask(w, w.customer, tea, AfterSalesKind.refund_only, (w.skus[0], 1))
    assert later(w, 47 * HOUR).after_sales_approved == 0
    assert later(w, HOUR).after_sales_approved == 1
    assert after_sales.info(w.customer, unanswered).decided_by == souk.DecidedBy.deadline

    # The other shop rejects; the buyer disputes; an operator rules for the buyer, refunding all of
    # the sub-order, which then closes as refunded rather than completed.
    disputed = ask(w, w.customer, other, AfterSalesKind.refund_only, (w.other_sku, 1))
    w.tick()
    after_sales.reject(w.other_owner, disputed, "used")
    refused(w.market, lambda: after_sales.arbitrate(w.other_owner, disputed, True, "ok"), souk.Forbidden)
    w.tick()
    after_sales.arbitrate(w.op, disputed, True, "the tin arrived dented")
    info = after_sales.info(w.op, disputed)
    assert info.arbitrated and info.status == AfterSalesStatus.refunded
    report = later(w, 7 * DAY)
    assert (report.orders.completed, report.orders.refunded) == (1, 1)
    assert w.orders.sub_order(w.customer, tea).status == SubOrderStatus.completed
    assert w.orders.sub_order(w.customer, other).status == SubOrderStatus.refunded
    w.deliver()
    assert refunded_at_sandbox(w, order) == cny("68.00") + cny("88.00")
    refused(w.market, lambda: ask(w, w.customer, tea, "refund_only", (w.skus[0], 1)), souk.InvalidState)


def test_reviews_replies_follow_ups_and_aggregates(trading):
    w, reviews = trading, trading.market.reviews
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    refused(w.market, lambda: reviews.post(w.customer, tea, w.skus[0], ReviewDraft(rating=5)), souk.InvalidState)
    ship_rest(w, tea, "SF001")
    w.tick()
    w.orders.confirm_receipt(w.customer, tea)
    later(w, 7 * DAY)
    review = reviews.post(w.customer, tea, w.skus[0], ReviewDraft(rating=4, text="Fragrant.",
                                                                 images=["https://img.example.com/r.jpg"]))
    refused(w.market, lambda: reviews.post(w.customer, tea, w.skus[0], ReviewDraft(rating=5)), souk.AlreadyExists)
    refused(w.market, lambda: reviews.post(w.buyer, tea, w.skus[0], ReviewDraft(rating=5)), souk.Forbidden)
    with pytest.raises(souk.InvalidArgument):
        reviews.post(w.customer, tea, w.skus[0], ReviewDraft(rating=6))
    reviews.reply(w.staff, review, "Thank you!")
    refused(w.market, lambda: reviews.reply(w.owner, review, "again"), souk.AlreadyExists)
    reviews.follow_up(w.customer, review, "Still fragrant a month on.")
    summary = reviews.product_rating(w.longjing)
    assert (summary.count, summary.stars, summary.average_hundredths) == (1, 4, 400)
    assert summary.distribution == [0, 0, 0, 1, 0]
    assert reviews.shop_rating(w.shop) == summary
    assert [r.id for r in reviews.of_product(w.longjing)] == [review]
    refused(w.market, lambda: reviews.hide(w.owner, review, "unfair"), souk.Forbidden)
    reviews.hide(w.op, review, "abusive")
    assert reviews.product_rating(w.longjing).count == 0
    assert reviews.of_shop(w.shop) == []
    with pytest.raises(souk.NotFound):
        reviews.review(w.buyer, review)
    assert reviews.review(w.customer, review).hidden


def test_a_sqlite_marketplace_reopens_to_the_same_fulfilment_state(tmp_path, clock):
    path = tmp_path / "fulfilment.souk"
    market = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    w = Trading(market, clock)
    template = market.shipping.create_template(w.owner, w.shop, standard_spec())
    market.shipping.set_product_template(w.owner, w.longjing, template)
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    ship_rest(w, tea, "SF001")
    market.shipping.add_tracking(w.staff, tea, 1, TrackingUpdate(occurred_at=clock.now(), status="Picked up"))
    request = ask(w, w.customer, tea, "refund_only", (w.skus[0], 2))
    w.tick()
    market.after_sales.approve(w.owner, request)
    w.deliver()

    shop = w.shop

    def state(m):
        return (m.shipping.templates_of(shop), m.shipping.shipments_of_order(SYSTEM, order),
                m.after_sales.of_sub_order(SYSTEM, tea), m.orders.order(SYSTEM, order), m.journal_position())

    before = state(market)
    del w, market
    reopened = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    assert state(reopened) == before
    # The response deadline and the after-sales window were journaled: the window closes on time.
    clock.advance(dt.timedelta(days=10))
    assert reopened.tick(clock.now()).orders.received == 1
