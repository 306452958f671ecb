"""souk.Cart: the address book and its checks, cart lines and their limits, the cart view's flags,
and quotes with shipping fees."""

import pytest

import souk
from souk import CheckoutRequest, LineRequest, RegionCode
from support import cny, home_address, refused, single_draft


# --- the address book


def test_the_first_address_is_the_default_and_removing_the_default_promotes_the_oldest_left(world, clock):
    cart, me = world.market.cart, world.customer

    def ids():
        return [entry.id for entry in cart.addresses(me, world.customer_id)]

    home = cart.add_address(me, home_address("Han Meimei"))
    office = cart.add_address(me, home_address("Office"))
    parents = cart.add_address(me, home_address("Parents"), make_default=True)
    assert isinstance(home, souk.AddressId)
    assert ids() == [parents, home, office]
    entry = cart.address(me, parents)
    assert entry.is_default and entry.address == home_address("Parents") and entry.updated_at == clock.now()
    cart.set_default_address(me, office)
    assert ids() == [office, home, parents]
    cart.remove_address(me, office)
    assert ids() == [home, parents]
    assert cart.address(me, home).is_default

    changed = home_address("Han Meimei", detail="新地址 8 号", region=RegionCode(province="440000", city="440300"))
    cart.update_address(me, home, changed)
    assert cart.address(me, home).address == changed
    cart.remove_address(me, home)
    cart.remove_address(me, parents)
    assert cart.addresses(me, world.customer_id) == []
    assert cart.address(me, cart.add_address(me, home_address("Again"))).is_default


@pytest.mark.parametrize(
    "change",
    [
        dict(recipient=""),
        dict(recipient="x" * 41),
        dict(phone="12"),
        dict(phone="138 abc 8000"),
        dict(phone="1+38000138000"),
        dict(region=RegionCode(province="")),
        dict(region=RegionCode(province="440000", district="440305")),  # a district needs a city
        dict(region=RegionCode(province="440000", city="44-03")),
        dict(region=RegionCode(province="4" * 13)),
        dict(detail=""),
        dict(detail="line\nbreak"),
        dict(postal_code="518057!"),
    ],
)
def test_address_fields_are_checked_and_a_refused_address_changes_nothing(world, change):
    position = world.market.journal_position()
    with pytest.raises(souk.InvalidArgument):
        world.market.cart.add_address(world.customer, home_address(**change))
    assert world.market.journal_position() == position
    assert world.market.cart.addresses(world.customer, world.customer_id) == []


def test_the_least_address_is_enough(world):
    minimal = souk.PostalAddress(recipient="Li", phone="12345", region=RegionCode(province="810000"), detail="1 Road")
    address = world.market.cart.add_address(world.customer, minimal)
    assert world.market.cart.address(world.customer, address).address.postal_code == ""


def test_other_customers_addresses_are_out_of_reach(world):
    cart = world.market.cart
    home = cart.add_address(world.customer, home_address("Han Meimei"))
    thief = world.outsider
    with pytest.raises(souk.Forbidden):
        cart.update_address(thief, home, home_address("Thief"))
    with pytest.raises(souk.Forbidden):
        cart.remove_address(thief, home)
    with pytest.raises(souk.Forbidden):
        cart.set_default_address(thief, home)
    with pytest.raises(souk.Forbidden):
        cart.address(thief, home)
    with pytest.raises(souk.Forbidden):
        cart.addresses(thief, world.customer_id)
    with pytest.raises(souk.Forbidden):
        cart.view(thief, world.customer_id)
    with pytest.raises(souk.NotFound):
        cart.remove_address(world.customer, souk.AddressId(999))
    assert [e.id for e in cart.addresses(world.op, world.customer_id)] == [home]  # platform staff may read
    assert cart.address(world.op, home).address.recipient == "Han Meimei"
    world.accounts.disable_user(world.admin, world.outsider_id, "spam")
    with pytest.raises(souk.Forbidden):
        cart.add_address(world.outsider, home_address("Disabled"))


def test_the_address_book_is_limited(world):
    cart = world.market.cart
    for _ in range(souk.Cart.max_addresses):
        cart.add_address(world.customer, home_address("Many"))
    with pytest.raises(souk.LimitExceeded):
        cart.add_address(world.customer, home_address("One too many"))
    assert len(cart.addresses(world.customer, world.customer_id)) == souk.Cart.max_addresses == 50


def test_address_records_are_keyword_built_values():
    address = home_address("Han Meimei")
    assert address == home_address("Han Meimei") != home_address("Li Lei")
    assert repr(address.region) == "RegionCode(province='440000', city='440300', district='440305')"
    assert repr(address).startswith("PostalAddress(recipient='Han Meimei', phone='+86 138 0013 8000', region=")
    address.postal_code = "518000"
    assert address.postal_code == "518000"
    with pytest.raises(TypeError):
        souk.PostalAddress("Han", "12345", RegionCode(province="440000"), "1 Road")  # keywords only
    with pytest.raises(TypeError):
        souk.PostalAddress(recipient="Han", phone="12345", detail="1 Road")  # region is required


# --- cart lines and quotes that need no products


def test_an_empty_selection_cannot_be_quoted_and_unknown_skus_cannot_be_added(world):
    cart = world.market.cart
    home = cart.add_address(world.customer, home_address("Han Meimei"))
    with pytest.raises(souk.InvalidArgument, match="nothing to check out"):
        cart.quote(world.customer, CheckoutRequest(address=home))
    with pytest.raises(souk.NotFound):
        cart.add(world.customer, souk.SkuId(999), 1)
    view = cart.view(world.customer, world.customer_id)
    assert view == cart.view(world.op, world.customer_id)
    assert (view.shops, view.line_count, view.selected_count) == ([], 0, 0)


def test_checkout_records_are_keyword_built_values():
    line = LineRequest(sku=souk.SkuId(3), quantity=2)
    request = CheckoutRequest(address=souk.AddressId(1), buy_now=[line])
    assert request == CheckoutRequest(address=souk.AddressId(1), buy_now=[LineRequest(sku=souk.SkuId(3), quantity=2)])
    assert repr(request) == (
        "CheckoutRequest(address=AddressId(1), buy_now=[LineRequest(sku=SkuId(3), quantity=2)], coupons=[], "
        "flash_sale=FlashSaleId(0), group=GroupCheckout(offer=GroupOfferId(0), group=GroupId(0)))"
    )
    assert CheckoutRequest(address=souk.AddressId(1)).buy_now == []
    with pytest.raises(TypeError):
        LineRequest(sku=souk.SkuId(3), quantity=1.5)  # never a float
    with pytest.raises(TypeError):
        CheckoutRequest(address=souk.UserId(1))
    assert (souk.Cart.max_lines, souk.Cart.max_quantity) == (500, 9999)


# --- cart lines


def lines_of(view):
    return {line.sku: line for group in view.shops for line in group.lines}


def test_adding_merges_lines_and_quantities_are_limited(trading, market):
    w, cart = trading, trading.cart
    cart.add(w.customer, w.skus[0], 2)
    cart.add(w.customer, w.other_sku, 1)
    cart.add(w.customer, w.skus[0], 3)
    view = cart.view(w.customer, w.customer_id)
    assert (view.line_count, view.selected_count) == (2, 2)
    assert [(g.shop, g.shop_name) for g in view.shops] == [(w.shop, "Active Shop"), (w.other_shop, "Other Shop")]
    line = lines_of(view)[w.skus[0]]
    assert (line.product, line.title, line.spec, line.quantity, line.selected, line.price) == (
        w.longjing, "West Lake Longjing", ["50 g"], 5, True, cny("68.00"))
    assert (line.available, line.unavailable_reason, line.out_of_stock, line.insufficient_stock) == (
        10, "", False, False)

    refused(market, lambda: cart.add(w.customer, w.skus[0], souk.Cart.max_quantity), souk.LimitExceeded)
    refused(market, lambda: cart.add(w.customer, w.skus[1], 0), souk.InvalidArgument)
    refused(market, lambda: cart.set_quantity(w.customer, w.skus[1], 1), souk.NotFound)  # not in the cart
    refused(market, lambda: cart.set_quantity(w.customer, w.skus[0], souk.Cart.max_quantity + 1), souk.InvalidArgument)
    cart.set_quantity(w.customer, w.skus[0], 1)
    assert lines_of(cart.view(w.customer, w.customer_id))[w.skus[0]].quantity == 1

    cart.set_selected(w.customer, [w.other_sku], False)
    view = cart.view(w.customer, w.customer_id)
    assert view.selected_count == 1 and not lines_of(view)[w.other_sku].selected
    cart.add(w.customer, w.other_sku, 1)  # adding again selects the line
    assert lines_of(cart.view(w.customer, w.customer_id))[w.other_sku].selected
    cart.remove(w.customer, [w.skus[0]])
    assert list(lines_of(cart.view(w.customer, w.customer_id))) == [w.other_sku]
    cart.clear(w.customer)
    assert cart.view(w.customer, w.customer_id).line_count == 0
    assert cart.view(w.buyer, w.buyer_id).line_count == 0  # one cart per customer


def test_the_view_flags_problems_instead_of_dropping_lines(trading):
    w, cart = trading, trading.cart
    cart.add(w.customer, w.skus[0], 4)
    cart.add(w.customer, w.skus[1], 1)
    cart.add(w.customer, w.other_sku, 1)
    w.catalog.set_sku_price(w.owner, w.skus[0], cny("58.00"), None)
    w.inventory.adjust(w.owner, [souk.StockChange(sku=w.skus[0], delta=-7)], "stock take")
    w.inventory.adjust(w.owner, [souk.StockChange(sku=w.skus[1], delta=-10)], "stock take")
    w.catalog.delist(w.other_owner, w.tieguanyin)
    lines = lines_of(cart.view(w.customer, w.customer_id))
    cheaper = lines[w.skus[0]]
    assert (cheaper.price_when_added, cheaper.price, cheaper.price_changed) == (cny("68.00"), cny("58.00"), True)
    assert (cheaper.available, cheaper.insufficient_stock, cheaper.out_of_stock) == (3, True, False)
    assert (lines[w.skus[1]].out_of_stock, lines[w.skus[1]].available) == (True, 0)
    assert "not on sale: it is delisted" in lines[w.other_sku].unavailable_reason
    with pytest.raises(souk.InvalidState):
        cart.quote(w.customer, CheckoutRequest(address=w.home))  # the delisted line is selected
    cart.set_selected(w.customer, [w.other_sku, w.skus[1]], False)
    quote = cart.quote(w.customer, CheckoutRequest(address=w.home))
    assert quote.total == cny("232.00")  # at the current price


# --- quotes


def test_a_quote_prices_buy_now_lines_per_shop_and_leaves_the_cart_alone(trading):
    w, cart = trading, trading.cart
    cart.add(w.customer, w.skus[1], 1)
    buy_now = [
        LineRequest(sku=w.other_sku, quantity=1),
        LineRequest(sku=w.skus[0], quantity=2),
        LineRequest(sku=w.other_sku, quantity=2),  # one SKU twice: added together
    ]
    quote = cart.quote(w.customer, CheckoutRequest(address=w.home, buy_now=buy_now))
    assert quote.currency == souk.Currency.of("CNY")
    priced = [(s.shop, s.shop_name, [(i.sku, i.quantity, i.line_total) for i in s.lines]) for s in quote.shops]
    assert priced == [
        (w.other_shop, "Other Shop", [(w.other_sku, 3, cny("264.00"))]),
        (w.shop, "Active Shop", [(w.skus[0], 2, cny("136.00"))]),
    ]
    assert (quote.subtotal, quote.total, quote.discounts) == (cny("400.00"), cny("400.00"), [])
    assert quote == cart.quote(w.customer, CheckoutRequest(address=w.home, buy_now=buy_now))
    assert cart.view(w.customer, w.customer_id).line_count == 1
    with pytest.raises(souk.Forbidden):
        cart.quote(w.customer, CheckoutRequest(address=w.buyer_home, buy_now=buy_now))


def test_a_quote_charges_shipping_per_shop_unless_the_shop_part_reaches_the_threshold(shipping_trading):
    w = shipping_trading  # 8.00 per shop, free from 200.00
    buy_now = [LineRequest(sku=w.skus[1], quantity=2), LineRequest(sku=w.other_sku, quantity=1)]
    quote = w.cart.quote(w.customer, CheckoutRequest(address=w.home, buy_now=buy_now))
    assert [(s.subtotal, s.shipping, s.payable) for s in quote.shops] == [
        (cny("256.00"), cny("0.00"), cny("256.00")),
        (cny("88.00"), cny("8.00"), cny("96.00")),
    ]
    assert (quote.shipping, quote.total) == (cny("8.00"), cny("352.00"))


def test_lines_in_several_currencies_cannot_be_quoted(trading):
    w = trading
    darjeeling = single_draft(w.tea, "Darjeeling", souk.Money.parse("12.00", "USD"))
    imported = w.catalog.create_product(w.other_owner, w.other_shop, darjeeling)
    w.catalog.put_on_sale(w.other_owner, imported)
    (dollar_sku,) = [sku.id for sku in w.catalog.product(w.other_owner, imported).skus]
    w.inventory.adjust(w.other_owner, [souk.StockChange(sku=dollar_sku, delta=5)], "delivery")
    w.cart.add(w.customer, dollar_sku, 1)
    w.cart.add(w.customer, w.skus[0], 1)
    with pytest.raises(souk.CurrencyMismatch):
        w.cart.quote(w.customer, CheckoutRequest(address=w.home))
    w.cart.set_selected(w.customer, [w.skus[0]], False)
    assert w.cart.quote(w.customer, CheckoutRequest(address=w.home)).total == souk.Money.parse("12.00", "USD")
