// Shared fixtures for the accounts, shops, catalog, inventory, audit, replay and concurrency tests: a
// marketplace on a ManualClock with minimal password hashing, populated with an admin, an
// operator, shop owners, staff, customers and one shop in every status.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "souk/error.hpp"
#include "souk/marketplace.hpp"
#include "souk/storage/memory_journal.hpp"
#include "support/errors.hpp"

namespace souk::test {

// 2026-01-15T09:00:00Z: every fixture starts here.
inline Timestamp fixture_start() {
    using namespace std::chrono;
    return sys_days{year{2026} / January / 15} + hours{9};
}

inline MarketplaceOptions fast_options(std::shared_ptr<const Clock> clock) {
    return MarketplaceOptions{.clock = std::move(clock), .password_hashing = PasswordHashing::minimal};
}

inline const std::string fixture_password = "correct horse battery";

// The message of the Error that f throws ("" and a failed check if none).
template <class F>
std::string error_message_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    FAIL_CHECK("expected a souk::Error");
    return {};
}

// A complete, valid application for a shop called `name`.
inline ShopApplication application_named(std::string name) {
    ShopApplication a;
    a.name = std::move(name);
    a.description = "Fine things, shipped fast.\nSecond line.";
    a.business_category = "groceries";
    a.contact_name = "Li Lei";
    a.contact_phone = "+86 138 0013 8000";
    a.contact_email = "shop@example.com";
    return a;
}

// Every record of a journal, in order.
inline std::vector<std::string> records_of(const Journal& journal) {
    std::vector<std::string> records;
    journal.read(1, [&](JournalPosition position, std::string_view bytes) {
        REQUIRE(position == records.size() + 1);
        records.emplace_back(bytes);
        return true;
    });
    return records;
}

// A second MemoryJournal holding the same records: what "reopening" means in memory.
inline std::unique_ptr<MemoryJournal> copy_journal(const Journal& from) {
    auto copy = std::make_unique<MemoryJournal>();
    const auto records = records_of(from);
    if (!records.empty()) copy->append(1, records);
    return copy;
}

// A Marketplace over a MemoryJournal the test can still look at.
struct OpenMarket {
    MemoryJournal* journal = nullptr;  // owned by market
    Marketplace market;
};

inline OpenMarket open_market(std::shared_ptr<const Clock> clock,
                              std::unique_ptr<MemoryJournal> journal = std::make_unique<MemoryJournal>()) {
    auto* raw = journal.get();
    return OpenMarket{raw, Marketplace(std::move(journal), fast_options(std::move(clock)))};
}

// A populated marketplace:
//   admin (bootstrap admin), op (operator), owner with one shop in every status, staff on the
//   staff of each of owner's shops, other_owner with an active other_shop and its other_staff,
//   customer (no shop), disabled (was on the staff of owner's shops, then disabled).
// The clock advances one minute before every command, so every event has its own time.
struct World {
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(fixture_start());
    MemoryJournal* journal = nullptr;
    Marketplace market;

    UserId admin, op, owner, staff, other_owner, other_staff, customer, disabled;
    ShopId applied, active, rejected, suspended, closed, other_shop;

    World() : market(make_market(clock, journal)) {
        admin = accounts().bootstrap_admin("admin@souk.test", fixture_password, "Admin");
        op = add_user("op", "Operator");
        tick();
        accounts().grant_role(as(admin), op, PlatformRole::operator_staff);
        owner = add_user("owner", "Owner");
        staff = add_user("staff", "Staff");
        other_owner = add_user("other.owner", "Other Owner");
        other_staff = add_user("other.staff", "Other Staff");
        customer = add_user("customer", "Customer");
        disabled = add_user("disabled", "Disabled");

        applied = shop_in(ShopStatus::applied, "Applied Shop");
        active = shop_in(ShopStatus::active, "Active Shop");
        rejected = shop_in(ShopStatus::rejected, "Rejected Shop");
        suspended = shop_in(ShopStatus::suspended, "Suspended Shop");
        closed = shop_in(ShopStatus::closed, "Closed Shop");
        for (const auto shop : {applied, active, rejected, suspended}) {
            tick();
            shops().add_staff(as(owner), shop, disabled);
        }
        tick();
        accounts().disable_user(as(admin), disabled, "fraud");

        tick();
        other_shop = shops().apply(as(other_owner), application_named("Other Shop"));
        tick();
        shops().approve(as(op), other_shop);
        tick();
        shops().add_staff(as(other_owner), other_shop, other_staff);
    }

    Accounts& accounts() { return market.accounts(); }
    Shops& shops() { return market.shops(); }
    static Actor as(UserId id) { return Actor::user(id); }
    static Actor sys() { return Actor::system(); }
    void tick() { clock->advance(std::chrono::minutes(1)); }

    // Registers "<name>@souk.test".
    UserId add_user(const std::string& name, const std::string& display_name) {
        tick();
        return accounts().register_user(name + "@souk.test", fixture_password, display_name);
    }

    // A new shop of `by` (owner by default) driven into `status`, with `staff` on its staff.
    ShopId shop_in(ShopStatus status, const std::string& name, std::optional<UserId> by = std::nullopt) {
        const UserId shop_owner = by.value_or(owner);
        tick();
        const auto id = shops().apply(as(shop_owner), application_named(name));
        tick();
        shops().add_staff(as(shop_owner), id, staff);
        switch (status) {
            case ShopStatus::applied: break;
            case ShopStatus::rejected:
                tick();
                shops().reject(as(op), id, "incomplete licence");
                break;
            case ShopStatus::active:
            case ShopStatus::suspended:
            case ShopStatus::closed:
                tick();
                shops().approve(as(op), id);
                if (status == ShopStatus::suspended) {
                    tick();
                    shops().suspend(as(op), id, "counterfeit goods");
                } else if (status == ShopStatus::closed) {
                    tick();
                    shops().close(as(shop_owner), id, "retiring");
                }
                break;
        }
        REQUIRE(shops().details(sys(), id).profile.status == status);
        return id;
    }

private:
    static Marketplace make_market(const std::shared_ptr<ManualClock>& clock, MemoryJournal*& journal) {
        auto owned = std::make_unique<MemoryJournal>();
        journal = owned.get();
        return Marketplace(std::move(owned), fast_options(clock));
    }
};

// Whether a SKU can be bought, and if not, why.
struct PurchaseCheck {
    std::optional<PurchasableSku> sku;
    std::optional<Errc> refused;
    friend bool operator==(const PurchaseCheck&, const PurchaseCheck&) = default;
};

// Everything the public queries can tell about a marketplace, read as the system actor:
// two marketplaces with equal snapshots are indistinguishable through the API.
struct Snapshot {
    JournalPosition position = 0;
    std::vector<UserProfile> users;
    std::map<std::uint64_t, std::vector<SessionInfo>> sessions;        // by user
    std::map<std::uint64_t, std::vector<ShopProfile>> shops_of;        // by user
    std::map<std::uint64_t, std::vector<AuditEntry>> user_audit;       // by user
    std::vector<ShopDetails> shops;
    std::vector<ShopProfile> public_profiles;                          // profile() as the system
    std::map<std::uint64_t, std::vector<AuditEntry>> shop_audit;       // by shop
    std::map<std::uint64_t, std::vector<AuditEntry>> session_audit;    // by session
    std::map<int, std::vector<ShopProfile>> lists;                     // by status (0: all)
    std::vector<ShopProfile> customer_list;                            // what an outsider sees
    std::vector<CategoryInfo> categories;
    std::map<std::uint64_t, std::vector<AuditEntry>> category_audit;   // by category
    std::vector<ProductInfo> products;
    std::map<std::uint64_t, std::vector<ProductInfo>> customer_products;  // by shop: what an outsider sees
    std::map<std::uint64_t, std::vector<AuditEntry>> product_audit;    // by product
    std::map<std::uint64_t, std::vector<StockLevel>> stock;            // by product
    std::map<std::uint64_t, PurchaseCheck> purchasable;                // by SKU
    std::map<std::uint64_t, std::vector<AuditEntry>> sku_audit;        // by SKU
    std::map<std::uint64_t, std::vector<ReservationInfo>> reservations;  // by shop
    std::map<std::uint64_t, std::vector<StockLevel>> low_stock;       // by shop

    friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

inline std::vector<ShopProfile> list_all(const Shops& shops, const Actor& actor, std::optional<ShopStatus> status) {
    std::vector<ShopProfile> all;
    for (std::size_t offset = 0;; offset += Page::max_limit) {
        const auto page = shops.list(actor, status, Page{offset, Page::max_limit});
        all.insert(all.end(), page.begin(), page.end());
        if (page.size() < Page::max_limit) return all;
    }
}

// Calls visit(id, lookup(id)) for ids 1, 2, ... until lookup throws not_found: ids are dense.
template <class Lookup, class Visit>
void for_each_id(Lookup&& lookup, Visit&& visit) {
    for (std::uint64_t id = 1;; ++id) {
        decltype(lookup(id)) found;
        try {
            found = lookup(id);
        } catch (const Error& e) {
            REQUIRE(e.code() == Errc::not_found);
            return;
        }
        visit(id, found);
    }
}

inline void snapshot_catalog(Marketplace& market, Snapshot& s) {
    const auto sys = Actor::system();
    auto& catalog = market.catalog();
    auto& inventory = market.inventory();
    for_each_id([&](std::uint64_t id) { return catalog.category(CategoryId{id}); },
                [&](std::uint64_t id, const CategoryInfo& category) {
                    s.categories.push_back(category);
                    s.category_audit[id] = market.audit(sys, EntityRef::of(category.id));
                });
    for_each_id([&](std::uint64_t id) { return catalog.product(sys, ProductId{id}); },
                [&](std::uint64_t id, const ProductInfo& product) {
                    s.products.push_back(product);
                    s.product_audit[id] = market.audit(sys, EntityRef::of(product.id));
                    s.stock[id] = inventory.stock_of_product(sys, product.id);
                });
    for_each_id([&](std::uint64_t id) { return catalog.product_of_sku(sys, SkuId{id}); },
                [&](std::uint64_t id, const ProductInfo&) {
                    s.sku_audit[id] = market.audit(sys, EntityRef::of(SkuId{id}));
                    try {
                        s.purchasable[id].sku = catalog.purchasable(SkuId{id});
                    } catch (const Error& e) {
                        s.purchasable[id].refused = e.code();
                    }
                });
    for (const auto& shop : s.shops) {
        const auto id = shop.profile.id;
        s.reservations[id.value] = inventory.reservations(sys, id, std::nullopt, Page{0, Page::max_limit});
        s.low_stock[id.value] = inventory.low_stock(sys, id, Page{0, Page::max_limit});
        if (shop.profile.status == ShopStatus::active && !s.users.empty())
            s.customer_products[id.value] =
                catalog.products_of(Actor::user(s.users.back().id), id, std::nullopt, Page{0, Page::max_limit});
    }
}

inline Snapshot take_snapshot(Marketplace& market) {
    const auto sys = Actor::system();
    Snapshot s;
    s.position = market.journal_position();
    for_each_id([&](std::uint64_t id) { return market.accounts().user(sys, UserId{id}); },
                [&](std::uint64_t id, const UserProfile& profile) {
                    s.users.push_back(profile);
                    s.sessions[id] = market.accounts().sessions(sys, UserId{id});
                    s.shops_of[id] = market.shops().shops_of(sys, UserId{id});
                    s.user_audit[id] = market.audit(sys, EntityRef::of(UserId{id}));
                    for (const auto& session : s.sessions[id])
                        s.session_audit[session.id.value] = market.audit(sys, EntityRef::of(session.id));
                });
    for_each_id([&](std::uint64_t id) { return market.shops().details(sys, ShopId{id}); },
                [&](std::uint64_t id, const ShopDetails& details) {
                    s.shops.push_back(details);
                    s.public_profiles.push_back(market.shops().profile(sys, ShopId{id}));
                    s.shop_audit[id] = market.audit(sys, EntityRef::of(ShopId{id}));
                });
    s.lists[0] = list_all(market.shops(), sys, std::nullopt);
    for (auto status : {ShopStatus::applied, ShopStatus::active, ShopStatus::rejected, ShopStatus::suspended,
                        ShopStatus::closed})
        s.lists[static_cast<int>(status)] = list_all(market.shops(), sys, status);
    if (!s.users.empty()) {
        // The last user is not platform staff in any fixture: what the public sees.
        s.customer_list = list_all(market.shops(), Actor::user(s.users.back().id), std::nullopt);
    }
    snapshot_catalog(market, s);
    return s;
}

// Compares two snapshots part by part, so a failure names the part that differs.
inline void check_same(const Snapshot& a, const Snapshot& b) {
    CHECK(a.position == b.position);
    CHECK(a.users.size() == b.users.size());
    CHECK(a.users == b.users);
    CHECK(a.sessions == b.sessions);
    CHECK(a.shops_of == b.shops_of);
    CHECK(a.user_audit == b.user_audit);
    CHECK(a.shops.size() == b.shops.size());
    CHECK(a.shops == b.shops);
    CHECK(a.public_profiles == b.public_profiles);
    CHECK(a.shop_audit == b.shop_audit);
    CHECK(a.session_audit == b.session_audit);
    CHECK(a.lists == b.lists);
    CHECK(a.customer_list == b.customer_list);
    CHECK(a.categories == b.categories);
    CHECK(a.category_audit == b.category_audit);
    CHECK(a.products.size() == b.products.size());
    CHECK(a.products == b.products);
    CHECK(a.customer_products == b.customer_products);
    CHECK(a.product_audit == b.product_audit);
    CHECK(a.stock == b.stock);
    CHECK(a.purchasable == b.purchasable);
    CHECK(a.sku_audit == b.sku_audit);
    CHECK(a.reservations == b.reservations);
    CHECK(a.low_stock == b.low_stock);
    CHECK(a == b);
}

}  // namespace souk::test
