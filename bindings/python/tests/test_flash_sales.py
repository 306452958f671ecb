"""秒杀 flash sales from Python: the sale's units, the sale price, the limit, the short payment
deadline returning units to the sale, the end of the sale, and who may run one."""

import datetime as dt

import pytest

import souk
from support import Trading, cny, refused


def sale_spec(t, units=3, limit=2, **overrides):
    fields = dict(
        name="Midnight tea",
        items=[
            souk.FlashSaleItem(sku=t.skus[0], price=cny("9.90"), quantity=units),
            souk.FlashSaleItem(sku=t.skus[1], price=cny("19.90"), quantity=units),
        ],
        starts_at=t.clock.now(),
        ends_at=t.clock.now() + dt.timedelta(hours=2),
        per_customer_limit=limit,
    )
    fields.update(overrides)
    return souk.FlashSaleSpec(**fields)


def grab(t, who, sale, sku, quantity=1):
    t.keys_used += 1
    return t.market.flash_sales.buy(who, sale, sku, quantity, t.home_of(who), f"flash-{t.keys_used}")


def test_a_purchase_pays_the_sale_price_within_the_limit(trading):
    t = trading
    flash = t.market.flash_sales
    spec = sale_spec(t)
    assert spec.payment_timeout == dt.timedelta(minutes=5)
    sale = flash.create(t.owner, t.shop, spec)
    info = flash.sale(sale)
    assert info.spec == spec
    assert info.left == [souk.StockLine(sku=t.skus[0], quantity=3), souk.StockLine(sku=t.skus[1], quantity=3)]
    assert t.stock(t.skus[0]).available == 7
    assert [s.id for s in flash.sales(t.shop)] == [sale]

    order = grab(t, t.customer, sale, t.skus[0], 2)
    placed = t.orders.order(t.customer, order)
    assert placed.total == cny("19.80")
    assert placed.payment_deadline - placed.placed_at == dt.timedelta(minutes=5)
    assert flash.held(t.customer, sale, t.customer_id) == 2
    refused(t.market, lambda: grab(t, t.customer, sale, t.skus[1]), souk.LimitExceeded)
    refused(t.market, lambda: grab(t, t.buyer, sale, t.skus[0], 2), souk.InsufficientStock)

    quote = t.cart.quote(t.buyer, souk.CheckoutRequest(address=t.buyer_home,
                                                       buy_now=[souk.LineRequest(sku=t.skus[1], quantity=1)],
                                                       flash_sale=sale))
    assert quote.total == cny("19.90")


def test_unpaid_units_return_to_the_sale_and_the_rest_to_stock_at_the_end(trading):
    t = trading
    flash = t.market.flash_sales
    sale = flash.create(t.owner, t.shop, sale_spec(t, units=2))
    order = grab(t, t.customer, sale, t.skus[0], 2)
    refused(t.market, lambda: grab(t, t.buyer, sale, t.skus[0]), souk.InsufficientStock)
    t.clock.advance(dt.timedelta(minutes=6))
    t.market.tick(t.clock.now())
    assert t.orders.order(t.customer, order).status == souk.PaymentOrderStatus.cancelled
    assert flash.sale(sale).left[0].quantity == 2
    assert t.stock(t.skus[0]).available == 8
    t.clock.advance(dt.timedelta(hours=2))
    t.market.tick(t.clock.now())
    assert [line.quantity for line in flash.sale(sale).left] == [0, 0]
    assert t.stock(t.skus[0]).available == 10
    refused(t.market, lambda: grab(t, t.buyer, sale, t.skus[0]), souk.InvalidState)


def test_only_the_shops_members_run_sales_and_bad_sales_are_refused(trading):
    t = trading
    flash = t.market.flash_sales
    refused(t.market, lambda: flash.create(t.customer, t.shop, sale_spec(t)), souk.Forbidden)
    refused(t.market, lambda: flash.create(t.other_owner, t.shop, sale_spec(t)), souk.Forbidden)
    refused(t.market, lambda: flash.create(t.owner, t.shop, sale_spec(t, units=11)), souk.InsufficientStock)
    refused(t.market, lambda: flash.create(t.owner, t.shop, sale_spec(t, limit=0)), souk.InvalidArgument)
    too_dear = sale_spec(t, items=[souk.FlashSaleItem(sku=t.skus[0], price=cny("68.00"), quantity=1)])
    refused(t.market, lambda: flash.create(t.owner, t.shop, too_dear), souk.InvalidArgument)
    slow = sale_spec(t, payment_timeout=dt.timedelta(hours=1))
    refused(t.market, lambda: flash.create(t.owner, t.shop, slow), souk.InvalidArgument)
    sale = flash.create(t.staff, t.shop, sale_spec(t))
    with pytest.raises(souk.Forbidden):
        flash.held(t.buyer, sale, t.customer_id)
    with pytest.raises(souk.NotFound):
        flash.sale(souk.FlashSaleId(99))


def test_a_reopened_sqlite_marketplace_holds_the_same_sales(tmp_path, clock):
    path = tmp_path / "flash.souk"
    market = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    t = Trading(market, clock)
    sale = market.flash_sales.create(t.owner, t.shop, sale_spec(t))
    t.pay(grab(t, t.customer, sale, t.skus[0], 2), t.customer)
    grab(t, t.buyer, sale, t.skus[1])
    clock.advance(dt.timedelta(minutes=6))
    market.tick(clock.now())
    system = souk.Actor.system()
    shop, skus, customer, buyer = t.shop, t.skus, t.customer_id, t.buyer_id

    def read(m):
        f = m.flash_sales
        return (f.sale(sale), f.sales(shop), f.held(system, sale, customer), f.held(system, sale, buyer),
                m.inventory.stock(system, skus[0]), m.inventory.stock(system, skus[1]))

    before = read(market)
    assert [line.quantity for line in before[0].left] == [1, 3]
    assert before[2:4] == (2, 0)
    del t, market

    reopened = souk.Marketplace.open_sqlite(str(path), clock=clock, password_hashing="minimal")
    assert read(reopened) == before
