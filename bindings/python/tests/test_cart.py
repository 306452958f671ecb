"""souk.Cart: the address book and its checks, cart lines and their limits, the cart view's flags,
and quotes with shipping fees."""

import pytest

import souk
from souk import CheckoutRequest, LineRequest, RegionCode
from support import home_address


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
    assert repr(request) == "CheckoutRequest(address=AddressId(1), buy_now=[LineRequest(sku=SkuId(3), quantity=2)])"
    assert CheckoutRequest(address=souk.AddressId(1)).buy_now == []
    with pytest.raises(TypeError):
        LineRequest(sku=souk.SkuId(3), quantity=1.5)  # never a float
    with pytest.raises(TypeError):
        CheckoutRequest(address=souk.UserId(1))
    assert (souk.Cart.max_lines, souk.Cart.max_quantity) == (200, 9999)
