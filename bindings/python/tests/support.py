"""Helpers shared by the tests: a valid shop application, a populated world, and a snapshot of
everything the public queries can tell about a marketplace."""

import datetime as dt

import souk

PASSWORD = "correct horse battery"
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
