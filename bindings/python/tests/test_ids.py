"""Typed ids, entity references and actors: a ShopId is not a UserId, in Python too."""

import pytest

import souk
from souk import EntityKind, EntityRef, ShopId, UserId

ID_TYPES = [
    souk.UserId,
    souk.SessionId,
    souk.ShopId,
    souk.CategoryId,
    souk.ProductId,
    souk.SkuId,
    souk.PaymentOrderId,
    souk.ReservationId,
    souk.AddressId,
    souk.SubOrderId,
    souk.RefundId,
    souk.PayoutId,
]


@pytest.mark.parametrize("id_type", ID_TYPES)
def test_ids_are_values(id_type):
    a = id_type(7)
    assert a.value == 7
    assert a == id_type(7) and a != id_type(8)
    assert hash(a) == hash(id_type(7))
    assert id_type(1) < a <= id_type(7) < id_type(9)
    assert repr(a) == f"{id_type.__name__}(7)"
    assert str(a) == "7"
    assert a and not id_type(0)


def test_ids_of_different_kinds_never_compare_equal_or_order():
    assert UserId(3) != ShopId(3)
    assert len({UserId(3), ShopId(3)}) == 2
    with pytest.raises(TypeError):
        UserId(3) < ShopId(4)


def test_ids_are_not_ints():
    assert UserId(3) != 3
    with pytest.raises(TypeError):
        int(UserId(3))
    with pytest.raises(TypeError):
        [0, 1, 2, 3][UserId(3)]
    with pytest.raises(TypeError):
        UserId(-1)
    with pytest.raises(TypeError):
        UserId(1.0)


def test_an_id_of_the_wrong_kind_is_a_type_error(world):
    with pytest.raises(TypeError):
        world.shops.profile(world.admin, world.owner_id)  # a UserId where a ShopId belongs
    with pytest.raises(TypeError):
        world.accounts.user(world.admin, world.shop)  # a ShopId where a UserId belongs
    with pytest.raises(TypeError):
        world.shops.profile(world.admin, 1)  # a bare int
    with pytest.raises(TypeError):
        souk.Actor.user(world.shop)


def test_entity_refs_name_any_entity():
    ref = EntityRef.of(ShopId(4))
    assert (ref.kind, ref.id) == (EntityKind.shop, 4)
    assert ref == EntityRef(EntityKind.shop, 4) == EntityRef(ShopId(4))
    assert EntityRef.of(UserId(4)) != ref
    assert EntityRef.of(souk.SessionId(2)).kind == EntityKind.session
    assert hash(ref) == hash(EntityRef(EntityKind.shop, 4))
    assert repr(ref) == "EntityRef(EntityKind.shop, 4)"
    assert [kind.name for kind in EntityKind.__members__.values()] == [
        "user",
        "session",
        "shop",
        "category",
        "product",
        "sku",
        "payment_order",
        "reservation",
        "address",
        "sub_order",
        "refund",
        "shipping_template",
        "after_sales",
        "review",
        "payout",
        "wallet_topup",
        "coupon_template",
        "coupon",
        "spend_promotion",
        "flash_sale",
        "group_offer",
        "group",
    ]
    assert EntityRef.of(souk.PaymentOrderId(3)) == EntityRef(EntityKind.payment_order, 3)
    assert EntityRef.of(souk.ReservationId(5)) == EntityRef(EntityKind.reservation, 5)
    assert EntityRef.of(souk.SubOrderId(3)) == EntityRef(EntityKind.sub_order, 3)
    assert EntityRef.of(souk.RefundId(5)) == EntityRef(EntityKind.refund, 5)
    assert EntityRef.of(souk.ShippingTemplateId(6)) == EntityRef(EntityKind.shipping_template, 6)
    assert EntityRef.of(souk.AfterSalesId(7)) == EntityRef(EntityKind.after_sales, 7)
    assert EntityRef.of(souk.ReviewId(8)) == EntityRef(EntityKind.review, 8)
    assert EntityRef.of(souk.PayoutId(9)) == EntityRef(EntityKind.payout, 9)
    assert EntityRef.of(souk.PayoutId(6)) == EntityRef(EntityKind.payout, 6)
    assert EntityRef.of(souk.WalletTopupId(7)) == EntityRef(EntityKind.wallet_topup, 7)


def test_actors_carry_identity_only():
    system = souk.Actor.system()
    assert system.is_system and system.user_id == UserId(0)
    user = souk.Actor.user(UserId(5))
    assert not user.is_system and user.user_id == UserId(5)
    assert user == souk.Actor.user(UserId(5)) != system
    assert len({user, souk.Actor.user(UserId(5)), system}) == 2
    assert repr(user) == "Actor.user(UserId(5))"
    assert repr(system) == "Actor.system()"
    with pytest.raises(TypeError):
        souk.Actor()
