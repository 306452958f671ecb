"""marketplace.shops: the shop lifecycle, staff, commission, privacy between shops, listing."""

import pytest

import souk
from souk import ShopStatus
from support import application


def status_of(world, shop):
    return world.shops.details(world.admin, shop).profile.status


def test_an_application_starts_a_shop_in_applied(world):
    shop = world.shops.apply(world.customer, application("Lin's Tea House"))
    assert isinstance(shop, souk.ShopId)
    details = world.shops.details(world.customer, shop)
    profile = details.profile
    assert (profile.id, profile.name, profile.status) == (shop, "Lin's Tea House", ShopStatus.applied)
    assert details.owner == world.customer_id
    assert details.staff == []
    assert (details.contact_name, details.contact_phone, details.contact_email) == (
        "Li Lei",
        "+86 138 0013 8000",
        "shop@example.com",
    )
    assert details.commission_bps is None
    assert details.applied_at == world.clock.now()
    assert details.approved_at is None


def test_application_records_are_keyword_built_and_editable():
    app = souk.ShopApplication(name="Tea", contact_name="Lin")
    assert (app.name, app.description, app.contact_email) == ("Tea", "", "")
    app.description = "Oolong"
    assert app.description == "Oolong"
    assert repr(app).startswith("ShopApplication(name='Tea', description='Oolong'")
    with pytest.raises(TypeError):
        souk.ShopApplication("Tea")  # keyword-only


def test_applications_are_validated_before_anything_is_stored(world):
    position = world.market.journal_position()
    with pytest.raises(souk.InvalidArgument, match="contact phone or e-mail"):
        world.shops.apply(world.customer, application("No Contact", contact_phone="", contact_email=""))
    with pytest.raises(souk.InvalidArgument, match="shop name"):
        world.shops.apply(world.customer, application("x" * 61))
    with pytest.raises(souk.InvalidArgument, match="business category"):
        world.shops.apply(world.customer, application("No Category", business_category=""))
    with pytest.raises(souk.AlreadyExists, match="taken"):
        world.shops.apply(world.customer, application("active  SHOP"))
    assert world.market.journal_position() == position


def test_approval_makes_a_shop_public(world):
    with pytest.raises(souk.NotFound):
        world.shops.profile(world.outsider, world.pending)
    world.tick()
    world.shops.approve(world.op, world.pending)
    profile = world.shops.profile(world.outsider, world.pending)
    assert (profile.name, profile.status, profile.business_category) == ("Pending Shop", ShopStatus.active, "tea")
    details = world.shops.details(world.owner, world.pending)
    assert details.approved_at == world.clock.now()


def test_only_platform_staff_review_and_only_applications(world):
    with pytest.raises(souk.Forbidden):
        world.shops.approve(world.owner, world.pending)
    with pytest.raises(souk.Forbidden):
        world.shops.reject(world.customer, world.pending, "no")
    with pytest.raises(souk.InvalidState, match="it is active"):
        world.shops.approve(world.op, world.shop)
    with pytest.raises(souk.NotFound, match="no shop 99"):
        world.shops.approve(world.op, souk.ShopId(99))
    with pytest.raises(souk.InvalidArgument, match="reason"):
        world.shops.reject(world.op, world.pending, "")


def test_a_rejected_application_is_resubmitted_by_its_owner(world):
    world.shops.reject(world.op, world.pending, "licence missing")
    details = world.shops.details(world.owner, world.pending)
    assert (details.profile.status, details.status_reason) == (ShopStatus.rejected, "licence missing")
    with pytest.raises(souk.Forbidden):
        world.shops.resubmit(world.staff, world.pending, application("Pending Shop"))
    with pytest.raises(souk.AlreadyExists):
        world.shops.resubmit(world.owner, world.pending, application("Active Shop"))
    world.shops.resubmit(world.owner, world.pending, application("Renamed Shop", description="Now licensed"))
    profile = world.shops.profile(world.owner, world.pending)
    assert (profile.name, profile.description, profile.status) == ("Renamed Shop", "Now licensed", ShopStatus.applied)
    with pytest.raises(souk.InvalidState):
        world.shops.resubmit(world.owner, world.pending, application("Renamed Shop"))


def test_suspension_hides_a_shop_until_reinstated(world):
    with pytest.raises(souk.Forbidden):
        world.shops.suspend(world.owner, world.shop, "self-suspension")
    world.shops.suspend(world.op, world.shop, "counterfeit goods")
    assert status_of(world, world.shop) == ShopStatus.suspended
    assert world.shops.details(world.staff, world.shop).status_reason == "counterfeit goods"
    with pytest.raises(souk.NotFound):
        world.shops.profile(world.customer, world.shop)
    with pytest.raises(souk.InvalidState):
        world.shops.suspend(world.op, world.shop, "again")
    with pytest.raises(souk.Forbidden):
        world.shops.reinstate(world.owner, world.shop)
    world.shops.reinstate(world.op, world.shop)
    assert world.shops.profile(world.customer, world.shop).status == ShopStatus.active
    with pytest.raises(souk.InvalidState):
        world.shops.reinstate(world.op, world.shop)


def test_closing_is_final(world):
    with pytest.raises(souk.Forbidden):
        world.shops.close(world.staff, world.shop, "staff may not")
    world.shops.close(world.owner, world.shop, "retiring")
    details = world.shops.details(world.admin, world.shop)
    assert (details.profile.status, details.status_reason) == (ShopStatus.closed, "retiring")
    for attempt in (
        lambda: world.shops.close(world.admin, world.shop, "again"),
        lambda: world.shops.add_staff(world.owner, world.shop, world.customer_id),
        lambda: world.shops.update_profile(world.owner, world.shop, souk.ShopProfileUpdate(description="x")),
        lambda: world.shops.set_commission(world.admin, world.shop, 100),
    ):
        with pytest.raises(souk.InvalidState, match="closed"):
            attempt()
    # A closed shop's name is free again.
    world.shops.apply(world.customer, application("Active Shop"))


def test_update_profile_changes_only_the_fields_given(world):
    world.shops.update_profile(world.staff, world.shop, souk.ShopProfileUpdate(description="New teas weekly"))
    details = world.shops.details(world.owner, world.shop)
    assert details.profile.description == "New teas weekly"
    assert details.contact_name == "Li Lei"
    world.shops.update_profile(
        world.owner, world.shop, souk.ShopProfileUpdate(contact_phone="", contact_email="tea@example.com")
    )
    details = world.shops.details(world.owner, world.shop)
    assert (details.contact_phone, details.contact_email) == ("", "tea@example.com")
    with pytest.raises(souk.InvalidArgument, match="contact phone or e-mail"):
        world.shops.update_profile(world.owner, world.shop, souk.ShopProfileUpdate(contact_email=""))
    with pytest.raises(souk.Forbidden):
        world.shops.update_profile(world.customer, world.shop, souk.ShopProfileUpdate(description="vandal"))
    with pytest.raises(souk.InvalidArgument, match="contact name"):
        world.shops.update_profile(world.owner, world.shop, souk.ShopProfileUpdate(contact_name=""))


def test_profile_updates_default_to_keeping_everything():
    update = souk.ShopProfileUpdate()
    assert (update.description, update.contact_name, update.contact_phone, update.contact_email) == (None,) * 4
    update.contact_name = "Lin"
    assert update.contact_name == "Lin"


def test_owners_manage_staff_and_staff_see_private_data(world):
    with pytest.raises(souk.Forbidden):
        world.shops.details(world.customer, world.shop)
    world.shops.add_staff(world.owner, world.shop, world.customer_id)
    assert world.shops.details(world.customer, world.shop).staff == sorted([world.staff_id, world.customer_id])
    assert [p.id for p in world.shops.shops_of(world.customer, world.customer_id)] == [world.shop]
    with pytest.raises(souk.AlreadyExists):
        world.shops.add_staff(world.owner, world.shop, world.customer_id)
    with pytest.raises(souk.Forbidden):
        world.shops.add_staff(world.staff, world.shop, world.outsider_id)
    with pytest.raises(souk.NotFound, match="no user"):
        world.shops.add_staff(world.owner, world.shop, souk.UserId(999))
    world.shops.remove_staff(world.owner, world.shop, world.customer_id)
    with pytest.raises(souk.Forbidden):
        world.shops.details(world.customer, world.shop)
    with pytest.raises(souk.NotFound, match="not on the staff"):
        world.shops.remove_staff(world.owner, world.shop, world.customer_id)


def test_disabled_users_cannot_join_a_staff(world):
    world.accounts.disable_user(world.op, world.customer_id, "fraud")
    with pytest.raises(souk.InvalidState, match="disabled"):
        world.shops.add_staff(world.owner, world.shop, world.customer_id)


def test_platform_staff_set_and_clear_commission_overrides(world):
    world.shops.set_commission(world.op, world.shop, 250)
    assert world.shops.details(world.owner, world.shop).commission_bps == 250
    world.shops.set_commission(world.op, world.shop, None)
    assert world.shops.details(world.owner, world.shop).commission_bps is None
    with pytest.raises(souk.InvalidArgument, match="0..10000"):
        world.shops.set_commission(world.op, world.shop, 10001)
    with pytest.raises(souk.Forbidden):
        world.shops.set_commission(world.owner, world.shop, 0)


def test_one_shop_never_sees_another_shops_private_data(world):
    other_owner = souk.Actor.user(world.add_user("other", "Other Owner"))
    other_shop = world.shops.apply(other_owner, application("Other Shop"))
    world.shops.approve(world.op, other_shop)
    with pytest.raises(souk.Forbidden):
        world.shops.details(world.owner, other_shop)
    with pytest.raises(souk.Forbidden):
        world.shops.details(other_owner, world.shop)
    with pytest.raises(souk.Forbidden):
        world.shops.add_staff(other_owner, world.shop, world.customer_id)
    with pytest.raises(souk.Forbidden):
        world.market.audit(other_owner, world.shop)


def test_staff_list_shops_in_any_status_and_others_only_active_ones(world):
    world.shops.apply(world.customer, application("Third Shop"))
    everything = world.shops.list(world.op)
    assert [p.id for p in everything] == [world.shop, world.pending, souk.ShopId(3)]
    assert [p.name for p in world.shops.list(world.op, ShopStatus.applied)] == ["Pending Shop", "Third Shop"]
    assert world.shops.list(world.op, "applied") == world.shops.list(world.op, ShopStatus.applied)
    assert [p.id for p in world.shops.list(world.customer)] == [world.shop]
    assert world.shops.list(world.customer, "active") == world.shops.list(world.customer)
    with pytest.raises(souk.Forbidden):
        world.shops.list(world.customer, ShopStatus.applied)
    with pytest.raises(souk.InvalidArgument, match="expected one of applied, active, rejected, suspended, closed"):
        world.shops.list(world.op, "open")


def test_list_pages_through_results(world):
    for n in range(5):
        world.shops.apply(world.customer, application(f"Shop {n}"))
    all_ids = [p.id for p in world.shops.list(world.op)]
    assert len(all_ids) == 7
    page = souk.Page(offset=2, limit=3)
    assert (page.offset, page.limit) == (2, 3)
    assert [p.id for p in world.shops.list(world.op, None, page)] == all_ids[2:5]
    assert [p.id for p in world.shops.list(world.op, page=souk.Page(offset=6))] == all_ids[6:]
    assert world.shops.list(world.op, page=souk.Page(offset=100)) == []
    assert souk.Page().limit == 50 and souk.Page.max_limit == 1000
    assert repr(page) == "Page(offset=2, limit=3)"
    with pytest.raises(souk.InvalidArgument, match="page limit"):
        world.shops.list(world.op, page=souk.Page(limit=0))
    with pytest.raises(souk.InvalidArgument, match="page limit"):
        world.shops.list(world.op, page=souk.Page(limit=souk.Page.max_limit + 1))
    with pytest.raises(TypeError):
        souk.Page(offset=-1)


def test_shops_of_lists_owned_and_staffed_shops(world):
    assert [p.id for p in world.shops.shops_of(world.owner, world.owner_id)] == [world.shop, world.pending]
    assert [p.id for p in world.shops.shops_of(world.op, world.staff_id)] == [world.shop]
    assert world.shops.shops_of(world.customer, world.customer_id) == []
    with pytest.raises(souk.Forbidden):
        world.shops.shops_of(world.customer, world.owner_id)


def test_shop_records_print_their_fields(world):
    profile = world.shops.profile(world.customer, world.shop)
    assert repr(profile) == (
        "ShopProfile(id=ShopId(1), name='Active Shop', description='Fine things, shipped fast.', "
        "business_category='tea', status=<ShopStatus.active: 2>)"
    )
    details = world.shops.details(world.owner, world.shop)
    assert "staff=[UserId(4)]" in repr(details)
    assert details == world.shops.details(world.admin, world.shop)
