"""marketplace.catalog: the category tree, products and SKUs, their status machine, who may do and
see what, the audit trail of products and SKUs, and a SQLite file reopened to the same catalog."""

import datetime as dt
import json

import pytest

import souk
from souk import (
    AttributeDefinition,
    CategorySpec,
    ProductStatus,
    ProductUpdate,
    SkuDraft,
    SpecDimension,
    StockChange,
    StockLine,
)
from support import Catalogued, catalog_snapshot, cny, single_draft, tea_draft


def events_of(trail):
    return [entry.event for entry in trail]


def ids_of(records):
    return [record.id for record in records]


# ---------------------------------------------------------------------------------------------
# Categories


def test_categories_form_a_tree_whose_commission_and_attributes_children_inherit(catalogued):
    w, catalog = catalogued, catalogued.catalog
    tea = catalog.category(w.tea)
    assert (tea.name, tea.parent, tea.path, tea.children) == ("Tea", None, [w.tea], [w.green])
    assert (tea.commission_bps, tea.effective_commission_bps) == (500, 500)
    assert tea.created_at == w.market.audit(w.op, w.tea)[0].time < w.clock.now()
    grade = AttributeDefinition(name="grade", allowed_values=["pre-Qingming", "spring"])
    w.tick()
    dragon_well = catalog.create_category(
        w.op, CategorySpec(name="Dragon Well", parent=w.green, commission_bps=800, attributes=[grade])
    )
    assert isinstance(dragon_well, souk.CategoryId)
    info = catalog.category(dragon_well)
    assert (info.parent, info.path) == (w.green, [w.tea, w.green, dragon_well])
    assert (info.commission_bps, info.effective_commission_bps) == (800, 800)
    assert catalog.category(w.green).commission_bps is None
    assert catalog.category(w.green).effective_commission_bps == 500
    assert info.attributes == [grade]
    assert [a.name for a in info.effective_attributes] == ["origin", "grade"]
    assert info.effective_attributes[0].required and not grade.required
    # Anyone reads the tree: children by name, top level with no parent.
    catalog.create_category(w.op, CategorySpec(name="Coffee"))
    assert [c.name for c in catalog.categories()] == ["Coffee", "Tea"]
    assert [c.name for c in catalog.categories(w.tea)] == ["Green tea"]
    assert catalog.categories(w.green) == [info]


def test_category_records_are_keyword_built_and_editable():
    spec = CategorySpec(name="Tea")
    assert (spec.parent, spec.commission_bps, spec.attributes) == (None, None, [])
    spec.commission_bps = 300
    spec.attributes = [AttributeDefinition(name="origin")]
    assert spec == CategorySpec(name="Tea", commission_bps=300, attributes=[AttributeDefinition(name="origin")])
    assert repr(spec) == (
        "CategorySpec(name='Tea', parent=None, commission_bps=300, "
        "attributes=[AttributeDefinition(name='origin', required=False, allowed_values=[])])"
    )
    with pytest.raises(TypeError):
        CategorySpec("Tea")  # keyword-only
    with pytest.raises(TypeError):
        CategorySpec()  # a name is required
    with pytest.raises(TypeError):
        CategorySpec(name="Tea", parent=souk.ShopId(1))  # a ShopId is no CategoryId


def test_renames_moves_and_retirement_keep_the_tree_sound(catalogued):
    w, catalog = catalogued, catalogued.catalog
    oolong = catalog.create_category(w.op, CategorySpec(name="Oolong", parent=w.tea))
    with pytest.raises(souk.AlreadyExists, match="already has a child named 'Green tea'"):
        catalog.rename_category(w.op, oolong, "Green tea")
    catalog.rename_category(w.op, oolong, "Wulong")
    assert catalog.category(oolong).name == "Wulong"
    with pytest.raises(souk.InvalidArgument, match="under itself or its own subtree"):
        catalog.move_category(w.op, w.tea, oolong)
    catalog.move_category(w.op, oolong, None)
    assert catalog.category(oolong).path == [oolong]
    catalog.move_category(w.op, oolong, w.green)
    assert catalog.category(oolong).path == [w.tea, w.green, oolong]
    # At most six levels.
    parent = oolong
    for level in range(3):
        parent = catalog.create_category(w.op, CategorySpec(name=f"Level {level + 4}", parent=parent))
    assert len(catalog.category(parent).path) == souk.Catalog.max_category_depth == 6
    with pytest.raises(souk.LimitExceeded, match="at most 6 levels"):
        catalog.create_category(w.op, CategorySpec(name="Too deep", parent=parent))
    # A category with a live child cannot retire; a retired one is frozen.
    with pytest.raises(souk.InvalidState, match="retire it first"):
        catalog.retire_category(w.op, w.green)
    coffee = catalog.create_category(w.op, CategorySpec(name="Coffee"))
    catalog.retire_category(w.op, coffee)
    assert catalog.category(coffee).retired
    assert [c.name for c in catalog.categories()] == ["Tea"]
    assert [c.name for c in catalog.categories(include_retired=True)] == ["Coffee", "Tea"]
    with pytest.raises(TypeError):
        catalog.categories(None, True)  # include_retired is keyword-only
    for attempt in (
        lambda: catalog.rename_category(w.op, coffee, "Kaffee"),
        lambda: catalog.create_category(w.op, CategorySpec(name="Espresso", parent=coffee)),
        lambda: catalog.create_product(w.owner, w.shop, tea_draft(coffee)),
        lambda: catalog.update_product(w.owner, w.longjing, ProductUpdate(category=coffee)),
    ):
        with pytest.raises(souk.InvalidState, match="retired"):
            attempt()


def test_commission_and_attribute_definitions_are_set_by_the_platform(catalogued):
    w, catalog = catalogued, catalogued.catalog
    catalog.set_category_commission(w.op, w.green, 650)
    assert catalog.category(w.green).effective_commission_bps == 650
    catalog.set_category_commission(w.op, w.green, None)
    assert catalog.category(w.green).effective_commission_bps == 500
    brand = AttributeDefinition(name="brand", required=True, allowed_values=["Souk", "Lin"])
    catalog.set_category_attributes(w.op, w.green, [brand])
    assert catalog.category(w.green).attributes == [brand]
    # The product on sale stays on sale; its next edit is checked against the new definitions.
    assert catalog.product(w.customer, w.longjing).status == ProductStatus.on_sale
    with pytest.raises(souk.InvalidArgument, match="attribute 'brand' is required"):
        catalog.update_product(w.owner, w.longjing, ProductUpdate(attributes={"origin": "Meijiawu"}))
    with pytest.raises(souk.InvalidArgument, match="not an allowed value of attribute 'brand'"):
        catalog.update_product(w.owner, w.longjing, ProductUpdate(attributes={"origin": "Meijiawu", "brand": "X"}))
    catalog.update_product(w.owner, w.longjing, ProductUpdate(attributes={"origin": "Meijiawu", "brand": "Lin"}))
    assert catalog.product(w.customer, w.longjing).attributes == {"brand": "Lin", "origin": "Meijiawu"}


def test_only_platform_staff_manage_categories_and_anyone_reads_them(catalogued):
    w, catalog = catalogued, catalogued.catalog
    position = w.market.journal_position()
    for who in (w.owner, w.staff, w.customer, w.other_owner):
        for attempt in (
            lambda: catalog.create_category(who, CategorySpec(name="Mine")),
            lambda: catalog.rename_category(who, w.green, "Mine"),
            lambda: catalog.move_category(who, w.green, None),
            lambda: catalog.retire_category(who, w.green),
            lambda: catalog.set_category_commission(who, w.green, 0),
            lambda: catalog.set_category_attributes(who, w.green, []),
        ):
            with pytest.raises(souk.Forbidden, match="only platform staff"):
                attempt()
    assert w.market.journal_position() == position
    assert catalog.category(w.green).name == "Green tea"
    # The engine itself, and admins as well as operators, may.
    catalog.create_category(souk.Actor.system(), CategorySpec(name="Coffee"))
    catalog.create_category(w.admin, CategorySpec(name="Cocoa"))


def test_category_input_is_checked_before_anything_changes(catalogued):
    w, catalog = catalogued, catalogued.catalog
    position = w.market.journal_position()
    invalid = [
        (lambda: catalog.create_category(w.op, CategorySpec(name="")), "category name"),
        (lambda: catalog.create_category(w.op, CategorySpec(name="x" * 41)), "category name"),
        (lambda: catalog.create_category(w.op, CategorySpec(name="Tea2", commission_bps=10001)), "0..10000"),
        (lambda: catalog.create_category(w.op, CategorySpec(name="Tea2", commission_bps=-1)), "0..10000"),
        (
            lambda: catalog.create_category(
                w.op, CategorySpec(name="Tea2", attributes=[AttributeDefinition(name="a")] * 2)
            ),
            "attribute name 'a' is given twice",
        ),
        (
            lambda: catalog.set_category_attributes(w.op, w.tea, [AttributeDefinition(name="a", allowed_values=[""])]),
            "allowed value",
        ),
        (lambda: catalog.rename_category(w.op, w.tea, ""), "category name"),
    ]
    for attempt, message in invalid:
        with pytest.raises(souk.InvalidArgument, match=message):
            attempt()
    with pytest.raises(souk.NotFound, match="no category 99"):
        catalog.category(souk.CategoryId(99))
    with pytest.raises(LookupError):
        catalog.create_category(w.op, CategorySpec(name="Orphan", parent=souk.CategoryId(99)))
    with pytest.raises(TypeError):
        catalog.set_category_commission(w.op, w.tea, 5.5)
    assert w.market.journal_position() == position


# ---------------------------------------------------------------------------------------------
# Products and SKUs


def test_a_new_product_is_a_draft_only_its_shop_and_the_platform_see(catalogued):
    w, catalog = catalogued, catalogued.catalog
    w.tick()
    product = catalog.create_product(w.staff, w.shop, tea_draft(w.green, title="Biluochun"))
    assert isinstance(product, souk.ProductId)
    info = catalog.product(w.owner, product)
    assert (info.id, info.shop, info.category, info.title) == (product, w.shop, w.green, "Biluochun")
    assert info.description == "Spring harvest.\nPan-fired by hand."
    assert (info.attributes, info.images) == ({"origin": "Hangzhou"}, ["https://img.example.com/longjing.jpg"])
    assert info.specs == [SpecDimension(name="size", values=["50 g", "100 g"])]
    assert (info.status, info.ban_reason, info.sales, info.currency) == (
        ProductStatus.draft,
        "",
        0,
        souk.Currency.of("CNY"),
    )
    assert info.created_at == info.updated_at == w.clock.now()
    small, large = info.skus
    assert (small.product, small.spec, small.price, small.list_price) == (product, ["50 g"], cny("68.00"), None)
    assert (large.price, large.list_price, large.weight_grams, large.code) == (cny("128.00"), cny("150.00"), 140, "")
    assert small.id.value + 1 == large.id.value and small.available == 0
    assert catalog.product_of_sku(w.staff, large.id) == info
    assert catalog.product(w.op, product) == info == catalog.product(souk.Actor.system(), product)
    for outsider in (w.customer, w.other_owner):
        with pytest.raises(souk.NotFound, match=f"no product {product.value}"):
            catalog.product(outsider, product)
        with pytest.raises(souk.NotFound):
            catalog.product_of_sku(outsider, small.id)
    catalog.put_on_sale(w.owner, product)
    assert catalog.product(w.customer, product).status == ProductStatus.on_sale


def test_product_records_are_keyword_built_and_editable():
    draft = tea_draft(souk.CategoryId(1))
    draft.skus = draft.skus[:1]  # reads return copies: a list is edited by assigning it
    draft.skus[0].price = cny("1.00")
    assert draft.skus[0].price == cny("68.00")
    assert SkuDraft(price=cny("1.00")) == SkuDraft(spec=[], price=cny("1.00"), weight_grams=0, code="")
    assert repr(SkuDraft(price=cny("1.00"))) == (
        "SkuDraft(spec=[], price=Money.parse('1.00', 'CNY'), list_price=None, weight_grams=0, code='', keep=None)"
    )
    update = ProductUpdate(title="New")
    assert (update.title, update.description, update.category, update.attributes, update.images) == (
        "New",
        None,
        None,
        None,
        None,
    )
    with pytest.raises(TypeError):
        souk.ProductDraft(title="No category or SKUs")
    with pytest.raises(TypeError):
        SkuDraft(price=68.00)  # money is never a float
    with pytest.raises(TypeError):
        SkuDraft(price=cny("1.00"), weight_grams=1.5)
    with pytest.raises(TypeError):
        SpecDimension(name="size", values="S")  # a str is not a list of values


def test_product_input_is_checked_before_anything_changes(catalogued):
    w, catalog = catalogued, catalogued.catalog
    catalog.set_sku_details(w.owner, w.skus[0], 80, "LJ-50")
    position = w.market.journal_position()

    def create(**overrides):
        catalog.create_product(w.owner, w.shop, tea_draft(overrides.pop("category", w.green), **overrides))

    sizes = [SpecDimension(name="size", values=["S", "M"])]
    invalid = [
        (lambda: create(title=""), "title"),
        (lambda: create(title="x" * 121), "title"),
        (lambda: create(images=["ftp://img.example.com/a.jpg"]), "http"),
        (lambda: create(images=["https://img.example.com/a.jpg"] * 21), "at most 20 images"),
        (lambda: create(specs=sizes, skus=[SkuDraft(spec=["S"], price=cny("1.00"))]), "exactly one SKU for each"),
        (lambda: create(specs=sizes, skus=[SkuDraft(spec=["S"], price=cny("1.00"))] * 2), "two SKUs have the spec"),
        (
            lambda: create(specs=sizes, skus=[SkuDraft(spec=[v], price=cny("1.00")) for v in ("S", "XL")]),
            "'XL' is not a value of spec dimension 'size'",
        ),
        (lambda: create(specs=[], skus=[SkuDraft(price=cny("0.00"))]), "not positive"),
        (lambda: create(specs=[], skus=[SkuDraft(price=cny("2.00"), list_price=cny("1.00"))]), "at least the price"),
        (lambda: create(specs=[], skus=[SkuDraft(price=cny("1.00"), weight_grams=-1)]), "weight"),
        (lambda: create(specs=[], skus=[SkuDraft(price=cny("1.00"), keep=souk.SkuId(1))]), "cannot continue"),
        (lambda: create(attributes={"colour": "green"}), "defines no attribute 'colour'"),
        (lambda: catalog.products_of(w.owner, w.shop, "sold"), "expected one of draft, on_sale, delisted, banned"),
    ]
    for attempt, message in invalid:
        with pytest.raises(souk.InvalidArgument, match=message):
            attempt()
    usd = souk.Money(100, "USD")
    with pytest.raises(souk.CurrencyMismatch, match="one currency"):
        create(specs=sizes, skus=[SkuDraft(spec=["S"], price=cny("1.00")), SkuDraft(spec=["M"], price=usd)])
    with pytest.raises(souk.CurrencyMismatch, match="list price"):
        create(specs=[], skus=[SkuDraft(price=cny("1.00"), list_price=usd)])
    with pytest.raises(souk.AlreadyExists, match="SKU code 'LJ-50' is taken by SKU 1"):
        create(specs=[], skus=[SkuDraft(price=cny("1.00"), code="LJ-50")])
    with pytest.raises(souk.NotFound, match="no category 99"):
        create(category=souk.CategoryId(99))
    with pytest.raises(souk.NotFound, match="no shop 99"):
        catalog.create_product(w.owner, souk.ShopId(99), tea_draft(w.green))
    with pytest.raises(souk.InvalidState, match="only active and suspended shops"):
        catalog.create_product(w.owner, w.pending, tea_draft(w.green))
    assert w.market.journal_position() == position


def test_status_machine_of_a_product_with_bans(catalogued):
    w, catalog = catalogued, catalogued.catalog
    bare = catalog.create_product(w.owner, w.shop, tea_draft(w.green, title="Bare", attributes={}))
    with pytest.raises(souk.InvalidArgument, match="attribute 'origin' is required"):
        catalog.put_on_sale(w.owner, bare)
    with pytest.raises(souk.InvalidState, match="only a product on sale can be delisted"):
        catalog.delist(w.owner, bare)
    catalog.delist(w.staff, w.longjing)
    assert catalog.product(w.owner, w.longjing).status == ProductStatus.delisted
    with pytest.raises(souk.NotFound):
        catalog.product(w.customer, w.longjing)
    catalog.put_on_sale(w.staff, w.longjing)
    catalog.ban(w.op, w.longjing, "mislabelled origin")
    info = catalog.product(w.owner, w.longjing)
    assert (info.status, info.ban_reason) == (ProductStatus.banned, "mislabelled origin")
    with pytest.raises(souk.InvalidState, match="only drafts and delisted products"):
        catalog.put_on_sale(w.owner, w.longjing)
    with pytest.raises(souk.InvalidState, match="banned already"):
        catalog.ban(w.admin, w.longjing, "again")
    catalog.lift_ban(w.op, w.longjing)
    assert catalog.product(w.owner, w.longjing).status == ProductStatus.delisted  # it was on sale once
    catalog.ban(w.op, bare, "empty")
    catalog.lift_ban(w.admin, bare)
    assert catalog.product(w.owner, bare).status == ProductStatus.draft  # never on sale
    with pytest.raises(souk.InvalidState, match="not banned"):
        catalog.lift_ban(w.op, bare)
    with pytest.raises(souk.InvalidArgument, match="reason"):
        catalog.ban(w.op, bare, "")
    assert [s.name for s in ProductStatus.__members__.values()] == ["draft", "on_sale", "delisted", "banned"]


def test_only_the_shops_owner_and_staff_edit_its_products(catalogued):
    w, catalog = catalogued, catalogued.catalog
    position = w.market.journal_position()
    sku = w.skus[0]
    # Customers, another shop's owner and platform staff alike: the platform bans, it does not edit.
    for who in (w.customer, w.other_owner, w.op, w.admin):
        for attempt in (
            lambda: catalog.create_product(who, w.shop, tea_draft(w.green, title="Intruder")),
            lambda: catalog.update_product(who, w.longjing, ProductUpdate(title="Vandal")),
            lambda: catalog.set_specs(who, w.longjing, [], [SkuDraft(price=cny("1.00"))]),
            lambda: catalog.set_sku_price(who, sku, cny("1.00")),
            lambda: catalog.set_sku_details(who, sku, 1, ""),
            lambda: catalog.delist(who, w.longjing),
            lambda: catalog.put_on_sale(who, w.longjing),
        ):
            with pytest.raises(souk.Forbidden, match="only the owner and staff of shop 1"):
                attempt()
    for who in (w.owner, w.staff, w.other_owner, w.customer):
        with pytest.raises(souk.Forbidden, match="only platform staff may ban"):
            catalog.ban(who, w.longjing, "spite")
        with pytest.raises(souk.Forbidden, match="only platform staff may lift"):
            catalog.lift_ban(who, w.longjing)
    # The other shop's owner edits their own products only.
    with pytest.raises(souk.Forbidden):
        catalog.update_product(w.owner, w.tieguanyin, ProductUpdate(title="Mine now"))
    # Someone who is not a registered user at all.
    with pytest.raises(souk.Unauthenticated):
        catalog.update_product(souk.Actor.user(souk.UserId(999)), w.longjing, ProductUpdate(title="Ghost"))
    assert w.market.journal_position() == position


def test_product_updates_change_only_what_is_given(catalogued):
    w, catalog = catalogued, catalogued.catalog
    w.tick()
    catalog.update_product(w.staff, w.longjing, ProductUpdate(description="Now sweeter."))
    info = catalog.product(w.owner, w.longjing)
    assert (info.title, info.description, info.images) == (
        "West Lake Longjing",
        "Now sweeter.",
        ["https://img.example.com/longjing.jpg"],
    )
    assert info.updated_at == w.clock.now() > info.created_at
    catalog.update_product(w.owner, w.longjing, ProductUpdate(category=w.tea, images=[]))
    info = catalog.product(w.owner, w.longjing)
    assert (info.category, info.images) == (w.tea, [])
    position = w.market.journal_position()
    catalog.update_product(w.owner, w.longjing, ProductUpdate(title="West Lake Longjing"))  # no change, no event
    assert w.market.journal_position() == position
    with pytest.raises(souk.InvalidArgument, match="attribute 'origin' is required"):
        catalog.update_product(w.owner, w.longjing, ProductUpdate(attributes={}))  # on sale: required stays


def test_replacing_specs_keeps_skus_by_spec_or_by_keep_and_drops_the_rest(catalogued):
    w, catalog = catalogued, catalogued.catalog
    small, large = w.skus
    w.inventory.adjust(w.owner, [StockChange(sku=small, delta=5), StockChange(sku=large, delta=3)], "delivery")
    grams = SpecDimension(name="size", values=["100 g", "250 g"])
    skus = [
        SkuDraft(spec=["100 g"], price=cny("120.00")),  # continues the 100 g SKU by its spec
        SkuDraft(spec=["250 g"], price=cny("280.00"), keep=small),  # continues the 50 g SKU by keep
    ]
    catalog.set_specs(w.owner, w.longjing, [grams], skus)
    info = catalog.product(w.owner, w.longjing)
    assert [(s.id, s.spec, s.price, s.available) for s in info.skus] == [
        (large, ["100 g"], cny("120.00"), 3),
        (small, ["250 g"], cny("280.00"), 5),
    ]
    # One SKU, new: both old ones are dropped but keep their stock and history.
    catalog.set_specs(w.owner, w.longjing, [], [SkuDraft(price=cny("99.00"))])
    (single,) = catalog.product(w.owner, w.longjing).skus
    assert single.id not in (small, large)
    levels = w.inventory.stock_of_product(w.owner, w.longjing)
    assert [(level.sku, level.on_hand, level.dropped) for level in levels] == [
        (small, 5, True),
        (large, 3, True),
        (single.id, 0, False),
    ]
    with pytest.raises(souk.InvalidState, match="dropped"):
        catalog.set_sku_price(w.owner, small, cny("1.00"))
    # A SKU holding reserved units cannot be dropped.
    w.inventory.adjust(w.owner, [StockChange(sku=single.id, delta=2)], "delivery")
    w.inventory.reserve(w.owner, [StockLine(sku=single.id, quantity=1)], w.clock.now() + dt.timedelta(hours=1))
    with pytest.raises(souk.InvalidState, match="1 units reserved"):
        catalog.set_specs(w.owner, w.longjing, [SpecDimension(name="size", values=["1 kg"])],
                          [SkuDraft(spec=["1 kg"], price=cny("980.00"))])
    with pytest.raises(souk.InvalidArgument, match="not a live SKU"):
        catalog.set_specs(w.owner, w.longjing, [], [SkuDraft(price=cny("99.00"), keep=small)])


def test_sku_prices_details_and_codes(catalogued):
    w, catalog = catalogued, catalogued.catalog
    small, large = w.skus
    catalog.set_sku_price(w.owner, small, cny("58.00"), cny("68.00"))
    catalog.set_sku_details(w.staff, large, 150, "LJ-100")
    small_info, large_info = catalog.product(w.owner, w.longjing).skus
    assert (small_info.price, small_info.list_price) == (cny("58.00"), cny("68.00"))
    assert (large_info.weight_grams, large_info.code) == (150, "LJ-100")
    catalog.set_sku_price(w.owner, small, cny("60.00"))  # list_price defaults to None
    assert catalog.product(w.owner, w.longjing).skus[0].list_price is None
    with pytest.raises(souk.CurrencyMismatch, match="sells in CNY, not USD"):
        catalog.set_sku_price(w.owner, small, souk.Money(100, "USD"))
    with pytest.raises(souk.AlreadyExists, match="SKU code 'LJ-100' is taken by SKU 2"):
        catalog.set_sku_details(w.owner, small, 80, "LJ-100")
    # Codes are unique per shop: another shop may use the same one.
    catalog.set_sku_details(w.other_owner, w.other_sku, 100, "LJ-100")
    with pytest.raises(souk.InvalidArgument, match="weight"):
        catalog.set_sku_details(w.owner, small, 100_000_001, "")
    with pytest.raises(souk.InvalidArgument, match="not positive"):
        catalog.set_sku_price(w.owner, small, cny("-1.00"))
    with pytest.raises(souk.NotFound, match="no SKU 99"):
        catalog.set_sku_price(w.owner, souk.SkuId(99), cny("1.00"))
    with pytest.raises(TypeError):
        catalog.set_sku_price(w.owner, small, "60.00")  # a price is a souk.Money


def test_purchasable_says_what_a_sku_costs_or_why_it_cannot_be_bought(catalogued):
    w, catalog = catalogued, catalogued.catalog
    small, large = w.skus
    w.inventory.adjust(w.owner, [StockChange(sku=large, delta=4)], "delivery")
    offer = catalog.purchasable(large)
    assert (offer.sku, offer.product, offer.shop, offer.title, offer.spec) == (
        large,
        w.longjing,
        w.shop,
        "West Lake Longjing",
        ["100 g"],
    )
    assert (offer.price, offer.list_price, offer.weight_grams, offer.available) == (
        cny("128.00"),
        cny("150.00"),
        140,
        4,
    )
    assert catalog.purchasable(small).available == 0  # stock is not checked here
    with pytest.raises(souk.NotFound, match="no SKU 99"):
        catalog.purchasable(souk.SkuId(99))
    catalog.delist(w.owner, w.longjing)
    with pytest.raises(souk.InvalidState, match="not on sale"):
        catalog.purchasable(large)
    catalog.put_on_sale(w.owner, w.longjing)
    w.shops.suspend(w.op, w.shop, "inspection")
    with pytest.raises(souk.InvalidState, match="only active shops sell"):
        catalog.purchasable(large)


def test_a_shops_product_list_is_newest_first_and_shows_outsiders_only_what_is_on_sale(catalogued):
    w, catalog = catalogued, catalogued.catalog
    draft = catalog.create_product(w.owner, w.shop, single_draft(w.green, "Draft", cny("10.00")))
    listed = catalog.create_product(w.owner, w.shop, single_draft(w.green, "Listed", cny("20.00")))
    catalog.put_on_sale(w.owner, listed)
    assert ids_of(catalog.products_of(w.owner, w.shop)) == [listed, draft, w.longjing]
    assert ids_of(catalog.products_of(w.staff, w.shop, ProductStatus.draft)) == [draft]
    assert catalog.products_of(w.op, w.shop, "on_sale") == catalog.products_of(w.op, w.shop, ProductStatus.on_sale)
    assert ids_of(catalog.products_of(w.owner, w.shop, None, souk.Page(offset=1, limit=1))) == [draft]
    assert ids_of(catalog.products_of(w.customer, w.shop)) == [listed, w.longjing]
    assert ids_of(catalog.products_of(w.other_owner, w.shop, "on_sale")) == [listed, w.longjing]
    with pytest.raises(souk.Forbidden, match="not on sale"):
        catalog.products_of(w.customer, w.shop, "draft")
    with pytest.raises(souk.Forbidden):
        catalog.products_of(w.other_owner, w.shop, ProductStatus.delisted)
    with pytest.raises(souk.InvalidArgument, match="page limit"):
        catalog.products_of(w.owner, w.shop, page=souk.Page(limit=0))
    with pytest.raises(souk.NotFound, match="no shop 99"):
        catalog.products_of(w.owner, souk.ShopId(99))
    # A shop that is not active is invisible to outsiders, as the shop itself is.
    w.shops.suspend(w.op, w.shop, "inspection")
    with pytest.raises(souk.NotFound):
        catalog.products_of(w.customer, w.shop)
    assert len(catalog.products_of(w.owner, w.shop)) == 3


def test_commission_is_the_shops_override_else_the_categorys_inherited_rate(catalogued):
    w, catalog = catalogued, catalogued.catalog
    assert catalog.commission_bps(w.owner, w.longjing) == 500  # Green tea inherits Tea's 5 %
    catalog.set_category_commission(w.op, w.green, 650)
    assert catalog.commission_bps(w.staff, w.longjing) == 650
    w.shops.set_commission(w.op, w.shop, 120)
    assert catalog.commission_bps(w.op, w.longjing) == 120
    assert catalog.commission_bps(w.other_owner, w.tieguanyin) == 500
    for who in (w.customer, w.other_owner):
        with pytest.raises(souk.Forbidden, match="commission"):
            catalog.commission_bps(who, w.longjing)


# ---------------------------------------------------------------------------------------------
# Audit trail and replay


def test_price_and_spec_edits_are_in_the_products_and_the_skus_audit_trail(catalogued):
    w, catalog = catalogued, catalogued.catalog
    small, large = w.skus
    w.tick()
    catalog.set_sku_price(w.owner, large, cny("88.00"))
    priced_at = w.clock.now()
    w.tick()
    catalog.update_product(w.staff, w.longjing, ProductUpdate(description="Now softer."))
    catalog.set_sku_price(w.other_owner, w.other_sku, cny("1.00"))
    product_trail = w.market.audit(w.owner, w.longjing)
    assert events_of(product_trail) == ["ProductCreated", "ProductListed", "SkuPriceChanged", "ProductUpdated"]
    priced = product_trail[2]
    assert (priced.time, priced.actor) == (priced_at, w.owner_id)
    assert json.loads(priced.details)["price"] == {"amount": "88.00", "currency": "CNY"}
    assert product_trail[3].actor == w.staff_id
    sku_trail = w.market.audit(w.staff, large)
    assert events_of(sku_trail) == ["ProductCreated", "SkuPriceChanged"]
    assert sku_trail[1] == priced
    assert events_of(w.market.audit(w.owner, small)) == ["ProductCreated"]
    # Stock moves are in the SKU's trail too.
    w.inventory.adjust(w.owner, [StockChange(sku=large, delta=2)], "delivery")
    assert events_of(w.market.audit(w.owner, souk.EntityRef.of(large)))[-1] == "StockAdjusted"
    # The trail is the shop's and the platform's to read.
    assert w.market.audit(w.op, w.longjing) == product_trail
    for who in (w.customer, w.other_owner):
        with pytest.raises(souk.Forbidden):
            w.market.audit(who, w.longjing)
        with pytest.raises(souk.Forbidden):
            w.market.audit(who, large)
    # A category's trail shows the products put into it; it is the platform's.
    assert events_of(w.market.audit(w.op, w.green)) == ["CategoryCreated", "ProductCreated"]
    with pytest.raises(souk.Forbidden):
        w.market.audit(w.owner, w.green)


def test_a_reopened_sqlite_marketplace_holds_the_same_catalog(tmp_path, clock):
    path = tmp_path / "catalog.souk"
    market = souk.Marketplace.open_sqlite(path, clock=clock, password_hashing="minimal")
    w = Catalogued(market, clock)
    catalog = market.catalog
    small, large = w.skus
    oolong = catalog.create_category(w.op, CategorySpec(name="Oolong", parent=w.tea))
    catalog.rename_category(w.op, oolong, "Wulong")
    catalog.move_category(w.op, oolong, None)
    catalog.set_category_commission(w.op, oolong, 700)
    catalog.set_category_attributes(w.op, oolong, [AttributeDefinition(name="roast", allowed_values=["light"])])
    catalog.retire_category(w.op, oolong)
    w.tick()
    catalog.set_sku_price(w.owner, small, cny("59.00"), cny("68.00"))
    catalog.set_sku_details(w.owner, large, 150, "LJ-100")
    catalog.update_product(w.owner, w.longjing, ProductUpdate(description="v2"))
    catalog.set_specs(
        w.owner,
        w.longjing,
        [SpecDimension(name="size", values=["100 g", "250 g"])],
        [SkuDraft(spec=["100 g"], price=cny("120.00"), code="LJ-100"), SkuDraft(spec=["250 g"], price=cny("280.00"))],
    )
    catalog.delist(w.other_owner, w.tieguanyin)
    catalog.ban(w.op, w.tieguanyin, "review")
    catalog.lift_ban(w.op, w.tieguanyin)
    market.inventory.adjust(w.owner, [StockChange(sku=large, delta=3)], "delivery")
    before = catalog_snapshot(market)
    assert len(before[1]) == 3 and len(before[2]) == 2
    del w, catalog, market

    reopened = souk.Marketplace.open_sqlite(str(path), clock=clock, password_hashing="minimal")
    assert catalog_snapshot(reopened) == before
    # Ids and codes carry on where they left off.
    catalog = reopened.catalog
    owner = souk.Actor.user(souk.UserId(3))
    assert catalog.create_category(souk.Actor.system(), CategorySpec(name="Coffee")) == souk.CategoryId(4)
    product = catalog.create_product(owner, souk.ShopId(1), single_draft(souk.CategoryId(2), "Next", cny("5.00")))
    assert product == souk.ProductId(3)
    (next_sku,) = catalog.product(owner, product).skus
    assert next_sku.id.value == max(level.sku.value for levels in before[3] for level in levels) + 1
    with pytest.raises(souk.AlreadyExists):
        catalog.set_sku_details(owner, next_sku.id, 0, "LJ-100")


# ---------------------------------------------------------------------------------------------
# Search


def titles(result):
    return [hit.title for hit in result.hits]


@pytest.fixture
def shelves(catalogued):
    """Catalogued, plus a Chinese-titled tea on sale in `shop` and a draft nobody outside sees."""
    w, catalog = catalogued, catalogued.catalog
    w.chinese = catalog.create_product(
        w.owner,
        w.shop,
        tea_draft(w.green, title="西湖龙井绿茶 明前特级", attributes={"origin": "杭州"}, images=[]),
    )
    catalog.put_on_sale(w.owner, w.chinese)
    w.draft = catalog.create_product(w.staff, w.shop, single_draft(w.green, "Secret Longjing blend", cny("9.00")))
    return w


def test_search_finds_chinese_words_without_spaces(shelves):
    w, catalog = shelves, shelves.catalog
    found = catalog.search(souk.SearchQuery(text="龙井"))
    assert (found.total, titles(found), found.relaxed) == (1, ["西湖龙井绿茶 明前特级"], False)
    hit = found.hits[0]
    assert (hit.product, hit.shop, hit.shop_name, hit.category, hit.on_display) == (
        w.chinese,
        w.shop,
        "Active Shop",
        w.green,
        True,
    )
    # The cheapest SKU is shown, with its spec and prices.
    assert (hit.spec, hit.price, hit.list_price, hit.in_stock, hit.image) == (["50 g"], cny("68.00"), None, False, "")
    assert hit.sku == catalog.product(w.customer, w.chinese).skus[0].id
    assert hit.score > 0 and hit.created == catalog.product(w.customer, w.chinese).created_at
    # Attribute values match too; characters typed apart are found only by relaxing the query.
    assert titles(catalog.search(w.customer, souk.SearchQuery(text="杭州"))) == ["西湖龙井绿茶 明前特级"]
    relaxed = catalog.search(souk.SearchQuery(text="西湖绿茶"))
    assert (titles(relaxed), relaxed.relaxed) == (["西湖龙井绿茶 明前特级"], True)
    assert catalog.search(souk.SearchQuery(text="普洱")).total == 0


def test_search_finds_english_words_in_any_case_and_by_their_beginning(shelves):
    w, catalog = shelves, shelves.catalog
    assert titles(catalog.search(souk.SearchQuery(text="LONGJING"))) == ["West Lake Longjing"]
    assert titles(catalog.search(souk.SearchQuery(text="lake long"))) == ["West Lake Longjing"]  # the last word
    assert catalog.search(souk.SearchQuery(text="long lake")).total == 0  # is a prefix; the others are words
    assert titles(catalog.search(w.customer, souk.SearchQuery(text="tieguanyin"))) == ["Tieguanyin"]
    assert titles(catalog.search(souk.SearchQuery(text="other shop"))) == ["Tieguanyin"]  # the shop's name
    full_width = souk.SearchQuery(text="ＬＯＮＧＪＩＮＧ")
    assert titles(catalog.search(full_width)) == ["West Lake Longjing"]


def test_search_filters_sorts_and_pages(shelves):
    w, catalog = shelves, shelves.catalog
    everything = catalog.search(souk.SearchQuery())
    assert everything.total == 3 and all(hit.score == 0 for hit in everything.hits)
    by_price = catalog.search(souk.SearchQuery(sort="price_descending"))
    assert [hit.price for hit in by_price.hits] == [cny("88.00"), cny("68.00"), cny("68.00")]
    assert catalog.search(souk.SearchQuery(sort=souk.SearchSort.newest)).hits[0].product == w.chinese
    assert titles(catalog.search(souk.SearchQuery(shop=w.other_shop))) == ["Tieguanyin"]
    assert catalog.search(souk.SearchQuery(category=w.tea)).total == 3  # categories under it included
    assert catalog.search(souk.SearchQuery(category=w.green)).total == 2
    # A product matches when one of its SKUs is within the bounds; the hit shows that SKU.
    (hit,) = catalog.search(souk.SearchQuery(text="longjing", min_price=cny("100.00"), max_price=cny("130.00"))).hits
    assert (hit.spec, hit.price, hit.list_price) == (["100 g"], cny("128.00"), cny("150.00"))
    w.inventory.adjust(w.owner, [StockChange(sku=w.skus[1], delta=1)], "delivery")
    in_stock = catalog.search(souk.SearchQuery(in_stock_only=True))
    assert [(hit.product, hit.sku, hit.in_stock) for hit in in_stock.hits] == [(w.longjing, w.skus[1], True)]
    page = catalog.search(souk.SearchQuery(sort="newest", page=souk.Page(offset=1, limit=1)))
    assert (page.total, [hit.product for hit in page.hits]) == (3, [everything.hits[1].product])
    query = souk.SearchQuery(text="tea")
    query.sort = "sales"
    query.currency = "CNY"
    assert (query.sort, query.currency) == (souk.SearchSort.sales, souk.Currency.of("CNY"))


def test_search_shows_the_shop_and_the_platform_what_is_not_on_display(shelves):
    w, catalog = shelves, shelves.catalog
    query = souk.SearchQuery(text="longjing")
    public = ["West Lake Longjing"]
    assert titles(catalog.search(query)) == public
    for outsider in (w.customer, w.other_owner, souk.Actor.user(souk.UserId(999))):
        assert titles(catalog.search(outsider, query)) == public
    for insider in (w.owner, w.staff, w.op, souk.Actor.system()):
        found = catalog.search(insider, query)
        assert sorted((hit.title, hit.on_display) for hit in found.hits) == [
            ("Secret Longjing blend", False),
            ("West Lake Longjing", True),
        ]
    # A suspended shop's products leave the public's results.
    w.shops.suspend(w.op, w.shop, "inspection")
    assert catalog.search(query).total == 0
    assert catalog.search(w.owner, query).total == 2


def test_search_input_is_checked(shelves):
    catalog = shelves.catalog
    for query, message in (
        (souk.SearchQuery(text="x" * (souk.SearchQuery.max_text_bytes + 1)), "at most 1000 bytes"),
        (souk.SearchQuery(page=souk.Page(offset=souk.SearchQuery.max_offset + 1)), "offset"),
        (souk.SearchQuery(page=souk.Page(limit=0)), "page limit"),
        (souk.SearchQuery(min_price=cny("2.00"), max_price=cny("1.00")), "above the maximum"),
        (souk.SearchQuery(min_price=cny("-1.00")), "negative"),
    ):
        with pytest.raises(souk.InvalidArgument, match=message):
            catalog.search(query)
    with pytest.raises(souk.CurrencyMismatch, match="USD"):
        catalog.search(souk.SearchQuery(max_price=souk.Money(100, "USD")))
    with pytest.raises(souk.InvalidArgument, match="expected one of relevance, price_ascending"):
        souk.SearchQuery(sort="cheapest")
    with pytest.raises(souk.InvalidArgument):
        souk.SearchQuery(currency="XXXX")
    with pytest.raises(TypeError):
        souk.SearchQuery(min_price=1.5)
    with pytest.raises(TypeError):
        souk.SearchQuery("longjing")  # keyword-only


def test_a_search_covers_the_marketplaces_currency_unless_the_query_names_another(clock):
    market = souk.Marketplace.in_memory(clock=clock, password_hashing="minimal", currency="JPY")
    w = Catalogued(market, clock)  # its products sell in CNY
    catalog = market.catalog
    gyokuro = souk.ProductDraft(
        title="Gyokuro", category=w.tea, attributes={"origin": "Uji"}, skus=[SkuDraft(price=souk.Money(3200, "JPY"))]
    )
    yen = catalog.create_product(w.owner, w.shop, gyokuro)
    catalog.put_on_sale(w.owner, yen)
    assert [hit.product for hit in catalog.search(souk.SearchQuery()).hits] == [yen]
    assert catalog.search(souk.SearchQuery(currency="CNY")).total == 2
    assert catalog.search(souk.SearchQuery(currency=souk.Currency.of("CNY"), text="longjing")).total == 1
    with pytest.raises(souk.InvalidArgument):
        souk.Marketplace.in_memory(clock=clock, password_hashing="minimal", currency="ZZZ")
