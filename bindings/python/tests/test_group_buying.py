"""拼团 group buying from Python: an offer, a group that fills and ships, one that fails at
its window's end and refunds every payment, and who may do what."""

import datetime as dt

import souk
from support import cny, refused

HOURS = dt.timedelta(hours=1)


def grouping(trading):
    """An offer of longjing 50 g (68.00) at 58.00 in groups of two for 24 hours."""
    t = trading
    t.tick()
    spec = souk.GroupOfferSpec(sku=t.skus[0], group_price=cny("58"), group_size=2, window=24 * HOURS)
    t.offer = t.market.group_buying.create_offer(t.owner, t.shop, spec)
    return t


def join(t, who, group=souk.GroupId(0), quantity=1):
    t.tick()
    t.keys_used += 1
    checkout = souk.CheckoutRequest(
        address=t.home_of(who),
        buy_now=[souk.LineRequest(sku=t.skus[0], quantity=quantity)],
        group=souk.GroupCheckout(offer=t.offer, group=group),
    )
    return t.orders.place(who, souk.PlaceRequest(idempotency_key=f"group-{t.keys_used}", checkout=checkout))


def test_a_group_fills_succeeds_and_ships(trading):
    t = grouping(trading)
    groups = t.market.group_buying
    quote = t.cart.quote(
        t.customer,
        souk.CheckoutRequest(
            address=t.home,
            buy_now=[souk.LineRequest(sku=t.skus[0], quantity=1)],
            group=souk.GroupCheckout(offer=t.offer),
        ),
    )
    assert quote.total == cny("58.00")
    assert quote.discounts[0].kind == souk.DiscountKind.group_price

    first = join(t, t.customer)
    t.pay(first, t.customer)
    (forming,) = groups.forming_groups(t.offer)
    assert forming.status == souk.GroupStatus.forming
    assert forming.paid_members == 1
    sub_order = t.orders.order(t.customer, first).sub_orders[0].id
    shipment = souk.ShipmentRequest(carrier="SF", tracking_number="SF1")
    refused(t.market, lambda: t.orders.ship(t.owner, sub_order, shipment), souk.InvalidState)

    second = join(t, t.buyer, forming.id)
    t.pay(second, t.buyer)
    group = groups.group(t.owner, forming.id)
    assert group.status == souk.GroupStatus.succeeded
    assert [m.status for m in group.members] == [souk.GroupMemberStatus.paid] * 2
    assert len(groups.group(t.buyer, forming.id).members) == 1
    t.tick()
    assert t.orders.ship(t.owner, sub_order, shipment) == 1
    refused(t.market, lambda: join(t, t.customer, forming.id), souk.InvalidState)  # closed


def test_a_group_short_at_its_window_end_fails_and_refunds(trading):
    t = grouping(trading)
    before = t.stock(t.skus[0])
    order = join(t, t.customer, quantity=2)
    t.pay(order, t.customer)
    (forming,) = t.market.group_buying.forming_groups(t.offer)
    t.clock.advance(24 * HOURS)
    report = t.market.tick(t.clock.now())
    assert report.groups.failed == 1
    t.deliver()
    group = t.market.group_buying.group(t.op, forming.id)
    assert group.status == souk.GroupStatus.failed
    assert group.refunded_members == 1
    assert group.members[0].refunded == cny("116.00")
    sub_order = t.orders.order(t.customer, order).sub_orders[0]
    assert sub_order.status == souk.SubOrderStatus.cancelled
    assert sub_order.refunds[0].state == souk.RefundState.succeeded
    after = t.stock(t.skus[0])
    assert (after.on_hand, after.available) == (before.on_hand, before.available)


def test_offers_are_the_shops_to_run(trading):
    t = grouping(trading)
    groups = t.market.group_buying
    spec = souk.GroupOfferSpec(sku=t.skus[1], group_price=cny("100"), group_size=3, window=HOURS, min_size=2)
    refused(t.market, lambda: groups.create_offer(t.customer, t.shop, spec), souk.Forbidden)
    too_dear = souk.GroupOfferSpec(sku=t.skus[1], group_price=cny("200"), group_size=3, window=HOURS)
    refused(t.market, lambda: groups.create_offer(t.owner, t.shop, too_dear), souk.InvalidArgument)
    offer = groups.create_offer(t.staff, t.shop, spec)
    assert groups.offer(offer).spec == spec
    assert [o.id for o in groups.offers(t.shop)] == [t.offer, offer]
    refused(t.market, lambda: groups.end_offer(t.outsider, offer), souk.Forbidden)
    groups.end_offer(t.owner, offer)
    assert groups.offer(offer).ended
    assert souk.EntityKind.group_offer in list(souk.EntityKind.__members__.values())
