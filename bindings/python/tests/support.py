"""Helpers shared by the tests: a valid shop application, a populated world (with a catalog, for
the catalog and inventory tests, and ready to trade, for the cart and orders tests), and a
snapshot of everything the public queries can tell about a marketplace."""

import datetime as dt
import json

import pytest

import souk

PASSWORD = "correct horse battery"
SANDBOX_SECRET = "trade-test-secret-0123456789"
# 2026-01-15T09:00:00Z: every test starts here, so every timestamp it sees is reproducible.
START = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.timezone.utc)


def application(name, **overrides):
    """A complete, valid application for a shop called `name`."""
    fields = dict(
        name=name,
        description="Fine things, shipped fast.",
        business_category="tea",
        contact_name="Li Lei",
        contact_phone="+86 138 0013 8000",
        contact_email="shop@example.com",
    )
    fields.update(overrides)
    return souk.ShopApplication(**fields)


def cny(amount):
    return souk.Money.parse(amount, "CNY")


def tea_draft(category, title="West Lake Longjing", **overrides):
    """A complete, valid draft of a tea in two sizes, one SKU each."""
    fields = dict(
        title=title,
        description="Spring harvest.\nPan-fired by hand.",
        category=category,
        attributes={"origin": "Hangzhou"},
        images=["https://img.example.com/longjing.jpg"],
        specs=[souk.SpecDimension(name="size", values=["50 g", "100 g"])],
        skus=[
            souk.SkuDraft(spec=["50 g"], price=cny("68.00"), weight_grams=80),
            souk.SkuDraft(spec=["100 g"], price=cny("128.00"), list_price=cny("150.00"), weight_grams=140),
        ],
    )
    fields.update(overrides)
    return souk.ProductDraft(**fields)


def single_draft(category, title, price):
    """A draft of a product without spec dimensions: one SKU."""
    return souk.ProductDraft(title=title, category=category, attributes={"origin": "Anxi"},
                             skus=[souk.SkuDraft(price=price)])


def home_address(recipient="Han Meimei", **overrides):
    """A complete, valid postal address in Shenzhen for `recipient`."""
    fields = dict(
        recipient=recipient,
        phone="+86 138 0013 8000",
        region=souk.RegionCode(province="440000", city="440300", district="440305"),
        detail="科技园 1 号楼 1201",
        postal_code="518057",
    )
    fields.update(overrides)
    return souk.PostalAddress(**fields)


def refused(market, call, error):
    """Asserts that call() raises `error` and that the marketplace's journal did not move: a
    rejected command changes nothing."""
    position = market.journal_position()
    with pytest.raises(error):
        call()
    assert market.journal_position() == position


class World:
    """admin (bootstrap admin), op (operator), owner of `shop` (active, with `staff` on it) and of
    `pending` (applied), customer and outsider (no shops). The clock moves one minute before every
    command, so every event has its own time."""

    def __init__(self, market, clock):
        self.market = market
        self.clock = clock
        self.accounts = market.accounts
        self.shops = market.shops
        self.admin_id = self.accounts.bootstrap_admin("admin@souk.test", PASSWORD, "Admin")
        self.admin = souk.Actor.user(self.admin_id)
        self.op_id = self.add_user("op", "Operator")
        self.tick()
        self.accounts.grant_role(self.admin, self.op_id, souk.PlatformRole.operator_staff)
        self.op = souk.Actor.user(self.op_id)
        self.owner_id = self.add_user("owner", "Owner")
        self.owner = souk.Actor.user(self.owner_id)
        self.staff_id = self.add_user("staff", "Staff")
        self.staff = souk.Actor.user(self.staff_id)
        self.customer_id = self.add_user("customer", "Customer")
        self.customer = souk.Actor.user(self.customer_id)
        self.outsider_id = self.add_user("outsider", "Outsider")
        self.outsider = souk.Actor.user(self.outsider_id)
        self.tick()
        self.shop = self.shops.apply(self.owner, application("Active Shop"))
        self.tick()
        self.shops.approve(self.op, self.shop)
        self.tick()
        self.shops.add_staff(self.owner, self.shop, self.staff_id)
        self.tick()
        self.pending = self.shops.apply(self.owner, application("Pending Shop"))

    def tick(self):
        self.clock.advance(dt.timedelta(minutes=1))

    def add_user(self, name, display_name):
        self.tick()
        return self.accounts.register_user(f"{name}@souk.test", PASSWORD, display_name)


class Catalogued(World):
    """A World with a category tree, Tea (5 % commission, a required attribute "origin") > Green
    tea, and a product on sale in `shop`: `longjing`, SKUs `skus` (50 g, 100 g). Another active
    shop, `other_shop` of `other_owner`, sells `tieguanyin` (SKU `other_sku`)."""

    def __init__(self, market, clock):
        super().__init__(market, clock)
        self.catalog = market.catalog
        self.inventory = market.inventory
        self.other_owner_id = self.add_user("other", "Other Owner")
        self.other_owner = souk.Actor.user(self.other_owner_id)
        self.other_shop = self.shops.apply(self.other_owner, application("Other Shop"))
        self.shops.approve(self.op, self.other_shop)
        self.tick()
        origin = souk.AttributeDefinition(name="origin", required=True)
        self.tea = self.catalog.create_category(
            self.op, souk.CategorySpec(name="Tea", commission_bps=500, attributes=[origin])
        )
        self.green = self.catalog.create_category(self.op, souk.CategorySpec(name="Green tea", parent=self.tea))
        self.tick()
        self.longjing = self.catalog.create_product(self.owner, self.shop, tea_draft(self.green))
        self.catalog.put_on_sale(self.owner, self.longjing)
        self.skus = [sku.id for sku in self.catalog.product(self.owner, self.longjing).skus]
        self.tick()
        self.tieguanyin = self.catalog.create_product(
            self.other_owner, self.other_shop, single_draft(self.tea, "Tieguanyin", cny("88.00"))
        )
        self.catalog.put_on_sale(self.other_owner, self.tieguanyin)
        self.other_sku = self.catalog.product(self.other_owner, self.tieguanyin).skus[0].id
        self.tick()



class Trading(Catalogued):
    """A Catalogued world ready to trade: 10 units on hand of each of `skus` (longjing 50 g at
    68.00, 100 g at 128.00, in `shop`) and of `other_sku` (tieguanyin at 88.00, in `other_shop`);
    a second customer `buyer`; default addresses `home` (customer's) and `buyer_home`; and a
    SandboxProvider `sandbox` registered as "sandbox". Its notifications wait until deliver()."""

    def __init__(self, market, clock):
        super().__init__(market, clock)
        self.cart = market.cart
        self.orders = market.orders
        self.inventory.adjust(self.owner, [souk.StockChange(sku=sku, delta=10) for sku in self.skus], "delivery")
        self.inventory.adjust(self.other_owner, [souk.StockChange(sku=self.other_sku, delta=10)], "delivery")
        self.buyer_id = self.add_user("buyer", "Second Buyer")
        self.buyer = souk.Actor.user(self.buyer_id)
        self.home = self.cart.add_address(self.customer, home_address("Han Meimei"))
        self.buyer_home = self.cart.add_address(self.buyer, home_address("Wang Wu"))
        self.sandbox = souk.SandboxProvider(SANDBOX_SECRET, clock)
        market.register_payment_provider("sandbox", self.sandbox)
        self.keys_used = 0
        self.tick()

    def home_of(self, who):
        return self.buyer_home if who == self.buyer else self.home

    def buy(self, who, *lines):
        """Places a buy-now order of (sku, quantity) lines for `who` with a fresh key."""
        self.tick()
        self.keys_used += 1
        checkout = souk.CheckoutRequest(
            address=self.home_of(who), buy_now=[souk.LineRequest(sku=sku, quantity=n) for sku, n in lines]
        )
        request = souk.PlaceRequest(idempotency_key=f"checkout-{self.keys_used}", checkout=checkout)
        return self.orders.place(who, request)

    def deliver(self):
        """What the host's webhook does: every queued notification, including those that handling
        one causes (an automatic refund's), goes to orders.handle_notification. Returns the results."""
        results = []
        while notifications := self.sandbox.deliver_all():
            results += [self.orders.handle_notification("sandbox", n) for n in notifications]
        return results

    def pay(self, order, who):
        """The payer pays through the sandbox and its notifications arrive."""
        self.tick()
        start = self.orders.pay(who, order, "sandbox")
        self.sandbox.complete_payment(start.provider_payment_id)
        return self.deliver()

    def paid_order(self, who):
        """A paid order of 2 × longjing 50 g (136.00, `shop`) and 1 × tieguanyin (88.00, `other_shop`)."""
        order = self.buy(who, (self.skus[0], 2), (self.other_sku, 1))
        self.pay(order, who)
        assert self.orders.order(who, order).status == souk.PaymentOrderStatus.paid
        return order

    def sub_order_of(self, order, shop):
        (found,) = [s for s in self.orders.order(souk.Actor.system(), order).sub_orders if s.shop == shop]
        return found

    def stock(self, sku):
        return self.inventory.stock(souk.Actor.system(), sku)

    def forged(self, **fields):
        """A notification signed with the sandbox's secret, with a hand-made body: captured by
        default, dated now."""
        body = dict(type="payment.captured", currency="CNY", created_at=souk.format_timestamp(self.clock.now()))
        body.update(fields)
        return self.sandbox.sign(json.dumps(body), self.clock.now())


def catalog_snapshot(market):
    """Every category, product, SKU stock level, reservation and their audit trails, and what a
    search finds, read as the system."""
    system = souk.Actor.system()

    def every(read, id_type):
        found, n = [], 1
        while True:
            try:
                found.append(read(id_type(n)))
            except souk.NotFound:
                return found
            n += 1

    categories = every(market.catalog.category, souk.CategoryId)
    products = every(lambda p: market.catalog.product(system, p), souk.ProductId)
    stock = [market.inventory.stock_of_product(system, p.id) for p in products]
    reservations = every(lambda r: market.inventory.reservation(system, r), souk.ReservationId)
    trails = [market.audit(system, entity) for entity in [c.id for c in categories] + [p.id for p in products]]
    trails += [market.audit(system, level.sku) for levels in stock for level in levels]
    trails += [market.audit(system, r.id) for r in reservations]
    found = market.catalog.search(system, souk.SearchQuery(page=souk.Page(limit=souk.Page.max_limit)))
    return market.journal_position(), categories, products, stock, reservations, trails, found


def snapshot(market):
    """Everything the public queries tell about a marketplace, read as the system: two
    marketplaces with equal snapshots are indistinguishable through the API."""
    system = souk.Actor.system()
    users, shops = [], []
    uid = 1
    while True:
        try:
            profile = market.accounts.user(system, souk.UserId(uid))
        except souk.NotFound:
            break
        users.append(
            (
                profile,
                market.accounts.sessions(system, profile.id),
                market.shops.shops_of(system, profile.id),
                market.audit(system, profile.id),
            )
        )
        uid += 1
    sid = 1
    while True:
        try:
            details = market.shops.details(system, souk.ShopId(sid))
        except souk.NotFound:
            break
        shops.append((details, market.audit(system, details.profile.id)))
        sid += 1
    listed = market.shops.list(system, page=souk.Page(limit=souk.Page.max_limit))
    return market.journal_position(), users, shops, listed


def trade_snapshot(market):
    """Everything the trade queries tell, read as the system: every customer's addresses, cart and
    orders, every sub-order, refund and payment alert, and the orders' audit trails."""
    system = souk.Actor.system()
    everything = souk.Page(limit=souk.Page.max_limit)
    customers = []
    uid = 1
    while True:
        try:
            market.accounts.user(system, souk.UserId(uid))
        except souk.NotFound:
            break
        user = souk.UserId(uid)
        customers.append(
            (
                market.cart.addresses(system, user),
                market.cart.view(system, user),
                market.orders.orders_of(system, user, page=everything),
            )
        )
        uid += 1
    sub_orders = market.orders.sub_orders(system, page=everything)
    refunds = [r for s in sub_orders for r in s.refunds]
    trails = [market.audit(system, s.id) for s in sub_orders] + [market.audit(system, s.order) for s in sub_orders]
    trails += [market.audit(system, r.id) for r in refunds]
    alerts = market.orders.payment_alerts(system, everything)
    return market.journal_position(), customers, sub_orders, alerts, trails
