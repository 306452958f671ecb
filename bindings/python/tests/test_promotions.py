"""Promotions from Python: 满减 tiers, coupons with their use and return, stacking rules, the
explained quote, and coupon suggestions."""

import datetime as dt

import pytest

import souk
from support import Trading, cny, refused

DAY = dt.timedelta(days=1)


def tiers(t, **overrides):
    """满100减10, 满200减30 on t.shop for 30 days."""
    fields = dict(
        name="Autumn tiers",
        tiers=[
            souk.SpendTier(threshold=cny("100"), amount_off=cny("10")),
            souk.SpendTier(threshold=cny("200"), amount_off=cny("30")),
        ],
        starts_at=t.clock.now(),
        ends_at=t.clock.now() + 30 * DAY,
    )
    fields.update(overrides)
    return souk.SpendPromotionSpec(**fields)


def coupon_spec(t, shop=souk.ShopId(0), **overrides):
    fields = dict(
        name="20 off from 150",
        shop=shop,
        min_spend=cny("150"),
        amount_off=cny("20"),
        starts_at=t.clock.now(),
        ends_at=t.clock.now() + 30 * DAY,
        total_quantity=10,
        per_customer_limit=2,
    )
    fields.update(overrides)
    return souk.CouponTemplateSpec(**fields)


def checkout(t, lines, coupons=()):
    return souk.CheckoutRequest(
        address=t.home, buy_now=[souk.LineRequest(sku=s, quantity=n) for s, n in lines], coupons=list(coupons)
    )


def test_spend_tiers_explain_the_discount_and_place_charges_the_quote(trading):
    t = trading
    rule = t.market.promotions.create_spend_promotion(t.owner, t.shop, tiers(t))
    # 2 × 68 + 128 = 264: the 200 tier, 30 off, shared 136:128.
    quote = t.cart.quote(t.customer, checkout(t, [(t.skus[0], 2), (t.skus[1], 1), (t.other_sku, 1)]))
    (discount,) = quote.discounts
    assert discount.kind == souk.DiscountKind.spend_tier
    assert discount.rule == rule.value
    assert discount.shop == t.shop
    assert discount.amount == cny("30.00")
    assert [(share.sku, share.amount) for share in discount.lines] == [
        (t.skus[0], cny("15.45")),
        (t.skus[1], cny("14.55")),
    ]
    assert sum((s.amount for s in discount.lines), cny("0")) == discount.amount
    assert quote.total == cny("264.00") - cny("30.00") + cny("88.00")
    t.tick()
    order = t.market.orders.place(
        t.customer,
        souk.PlaceRequest(idempotency_key="tiers-1", checkout=checkout(t, [(t.skus[0], 2), (t.skus[1], 1), (t.other_sku, 1)]),
                          expected_total=quote.total),
    )
    placed = t.orders.order(t.customer, order)
    assert placed.total == quote.total
    assert [line.discount for line in placed.sub_orders[0].lines] == [cny("15.45"), cny("14.55")]
    assert [line.platform_discount for line in placed.sub_orders[0].lines] == [cny("0"), cny("0")]
    assert len(t.market.promotions.spend_promotions(t.shop)) == 1
    t.tick()
    t.market.promotions.end_spend_promotion(t.staff, rule)
    assert t.market.promotions.spend_promotions(t.shop) == []


def test_spend_tiers_refuse_outsiders_and_bad_tiers(trading):
    t = trading
    p = t.market.promotions
    refused(t.market, lambda: p.create_spend_promotion(t.other_owner, t.shop, tiers(t)), souk.Forbidden)
    refused(t.market, lambda: p.create_spend_promotion(t.customer, t.shop, tiers(t)), souk.Forbidden)
    bad = tiers(t, tiers=[souk.SpendTier(threshold=cny("100"), amount_off=cny("100"))])
    refused(t.market, lambda: p.create_spend_promotion(t.owner, t.shop, bad), souk.InvalidArgument)


def test_a_claimed_coupon_is_used_by_the_order_and_returned_when_it_is_cancelled_unpaid(trading):
    t = trading
    p = t.market.promotions
    template = p.create_coupon_template(t.owner, coupon_spec(t, shop=t.shop))
    assert [info.id for info in p.claimable_templates(t.shop)] == [template]
    t.tick()
    coupon = p.claim_coupon(t.customer, template)
    refused(t.market, lambda: t.cart.quote(t.customer, checkout(t, [(t.skus[0], 1)], [coupon])), souk.InvalidState)
    quote = t.cart.quote(t.customer, checkout(t, [(t.skus[1], 2)], [coupon]))
    assert quote.discount == cny("20.00")
    assert quote.discounts[0].kind == souk.DiscountKind.shop_coupon
    t.tick()
    order = t.orders.place(t.customer, souk.PlaceRequest(idempotency_key="c-1", checkout=checkout(t, [(t.skus[1], 2)], [coupon])))
    (info,) = p.coupons(t.customer, t.customer_id)
    assert (info.status, info.used_by) == (souk.CouponStatus.used, order)
    refused(t.market, lambda: t.cart.quote(t.customer, checkout(t, [(t.skus[1], 2)], [coupon])), souk.InvalidState)
    t.tick()
    t.orders.cancel(t.customer, t.orders.order(t.customer, order).sub_orders[0].id, "changed my mind")
    (info,) = p.coupons(t.customer, t.customer_id)
    assert (info.status, info.used_by) == (souk.CouponStatus.available, None)
    # Someone else's coupons: neither readable nor usable.
    with pytest.raises(souk.Forbidden):
        p.coupons(t.buyer, t.customer_id)
    with pytest.raises(souk.Forbidden):
        t.cart.quote(t.buyer, souk.CheckoutRequest(address=t.buyer_home, buy_now=[souk.LineRequest(sku=t.skus[1], quantity=2)], coupons=[coupon]))


def test_platform_coupons_are_platform_funded_and_suggested_when_best(trading):
    t = trading
    p = t.market.promotions
    with pytest.raises(souk.Forbidden):
        p.create_coupon_template(t.owner, coupon_spec(t))
    small = p.create_coupon_template(t.op, coupon_spec(t, name="3 off", min_spend=cny("0"), amount_off=cny("3")))
    percent = p.create_coupon_template(
        t.op,
        coupon_spec(t, name="10 % off", benefit="percent_off", min_spend=cny("0"), amount_off=None, percent_off_bps=1000,
                    max_discount=cny("15")),
    )
    t.tick()
    small_coupon = p.claim_coupon(t.customer, small)
    t.tick()
    percent_coupon = p.grant_coupon(t.op, percent, t.customer_id)
    request = checkout(t, [(t.skus[0], 1), (t.other_sku, 1)])
    assert p.suggest_coupons(t.customer, request) == [percent_coupon]
    request.coupons = [percent_coupon]
    quote = t.cart.quote(t.customer, request)
    # 10 % of 156 = 15.60, capped at 15, shared 68:88 and funded by the platform.
    (discount,) = quote.discounts
    assert (discount.kind, discount.shop, discount.amount) == (souk.DiscountKind.platform_coupon, souk.ShopId(0), cny("15.00"))
    assert [line.platform_discount for shop in quote.shops for line in shop.lines] == [cny("6.54"), cny("8.46")]
    refused(t.market, lambda: t.cart.quote(t.customer, checkout(t, [(t.skus[0], 1)], [small_coupon, percent_coupon])),
            souk.InvalidArgument)


def test_stacking_rules_are_options(clock):
    market = souk.Marketplace.in_memory(
        clock=clock,
        password_hashing="minimal",
        stacking=souk.StackingRules(exclusive=[(souk.DiscountKind.spend_tier, souk.DiscountKind.shop_coupon)]),
    )
    t = Trading(market, clock)
    p = market.promotions
    p.create_spend_promotion(t.owner, t.shop, tiers(t))
    template = p.create_coupon_template(t.owner, coupon_spec(t, shop=t.shop, min_spend=cny("0")))
    t.tick()
    coupon = p.claim_coupon(t.customer, template)
    # Every line of the shop carries 满减, so the shop coupon may join none of them.
    with pytest.raises(souk.InvalidState):
        t.cart.quote(t.customer, checkout(t, [(t.skus[1], 1)], [coupon]))
    assert not souk.StackingRules(exclusive=[(souk.DiscountKind.spend_tier, souk.DiscountKind.shop_coupon)]).combine(
        souk.DiscountKind.shop_coupon, souk.DiscountKind.spend_tier
    )


def test_coupon_templates_keep_their_limits(trading):
    t = trading
    p = t.market.promotions
    template = p.create_coupon_template(t.owner, coupon_spec(t, shop=t.shop, total_quantity=2, per_customer_limit=1))
    t.tick()
    p.claim_coupon(t.customer, template)
    refused(t.market, lambda: p.claim_coupon(t.customer, template), souk.LimitExceeded)
    t.tick()
    p.claim_coupon(t.buyer, template)
    assert p.coupon_template(template).issued == 2
    assert p.claimable_templates(t.shop) == []
    t.tick()
    p.stop_coupon_template(t.owner, template)
    assert p.coupon_template(template).stopped
    audit = t.market.audit(t.owner, souk.EntityRef(souk.EntityKind.coupon_template, template.value))
    assert [entry.event for entry in audit] == ["CouponTemplateCreated", "CouponIssued", "CouponIssued", "CouponTemplateStopped"]
