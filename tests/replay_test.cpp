// Replay: a marketplace reopened over the same journal is indistinguishable from the one
// that wrote it, and refused commands leave no trace in the journal.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "souk/error.hpp"
#include "souk/marketplace.hpp"
#include "souk/storage/memory_journal.hpp"
#include "support/catalog_fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

// Categories (4), products (5) and reservations (4) for run_workload; phone_user owns the
// active shop `tea`, with the customer on its staff.
void run_catalog_workload(World& w, UserId phone_user, ShopId tea) {
    auto& catalog = w.market.catalog();
    auto& inventory = w.market.inventory();
    const auto op = World::as(w.op), owner = World::as(w.owner);
    const auto apparel = catalog.create_category(
        op,
        CategorySpec{"Apparel", std::nullopt, 500, {{"brand", true, {}}, {"material", false, {"linen", "cotton"}}}});
    const auto shirts =
        catalog.create_category(World::as(w.admin), CategorySpec{"衬衫 Shirts", apparel, std::nullopt, {}});
    const auto tea_leaves = catalog.create_category(op, CategorySpec{"Tea", std::nullopt, 300, {}});
    const auto seasonal = catalog.create_category(op, CategorySpec{"Seasonal", apparel, 800, {}});
    catalog.rename_category(op, seasonal, "Seasonal picks");
    catalog.move_category(op, seasonal, tea_leaves);
    catalog.set_category_commission(op, shirts, 650);
    catalog.set_category_attributes(op, tea_leaves, {{"origin", true, {"云南", "福建"}}});
    catalog.retire_category(op, seasonal);
    w.tick();
    const auto shirt = catalog.create_product(World::as(w.staff), w.active, shirt_draft(shirts));
    catalog.put_on_sale(owner, shirt);
    const auto skus = catalog.product(owner, shirt).skus;
    catalog.set_sku_price(owner, skus[0].id, cny("89.00"), std::nullopt);
    catalog.set_sku_details(World::as(w.staff), skus[1].id, 270, "SHIRT-RM");
    auto pu_er = single_draft(tea_leaves, "普洱 Pu'er cake", cny("268.00"));
    pu_er.attributes = {{"origin", "云南"}};
    const auto cake = catalog.create_product(World::as(phone_user), tea, pu_er);
    catalog.put_on_sale(World::as(phone_user), cake);
    catalog.update_product(World::as(w.customer), cake, ProductUpdate{.description = std::string("Aged five years")});
    catalog.create_product(owner, w.active, single_draft(tea_leaves, "Unfinished", cny("1.00")));  // stays a draft
    const auto fake = catalog.create_product(World::as(w.other_owner), w.other_shop, shirt_draft(shirts, "Fake shirt"));
    catalog.put_on_sale(World::as(w.other_staff), fake);
    catalog.ban(op, fake, "counterfeit");
    const auto cleared =
        catalog.create_product(World::as(w.other_owner), w.other_shop, shirt_draft(shirts, "Real shirt"));
    catalog.ban(op, cleared, "under review");
    catalog.lift_ban(World::as(w.admin), cleared);
    w.tick();
    inventory.adjust(owner, {{skus[0].id, 30}, {skus[1].id, 5}, {skus[2].id, 2}}, "opening stock");
    inventory.set_low_stock_threshold(World::as(w.staff), skus[1].id, 4);
    inventory.set_low_stock_threshold(World::as(w.staff), skus[2].id, 2);
    const auto sold =
        inventory.reserve(owner, {{skus[0].id, 3}, {skus[1].id, 2}}, w.clock->now() + std::chrono::hours(1));
    inventory.commit(owner, sold);
    const auto cancelled =
        inventory.reserve(World::as(w.staff), {{skus[0].id, 1}}, w.clock->now() + std::chrono::hours(1));
    inventory.release(World::as(w.staff), cancelled);
    inventory.reserve(owner, {{skus[2].id, 2}}, w.clock->now() + std::chrono::hours(6));   // expires below
    inventory.reserve(owner, {{skus[0].id, 4}}, w.clock->now() + std::chrono::hours(24 * 20));  // stays open
    // Specs replaced: blue becomes navy (blue/S kept by `keep`), size M goes, so red/M and blue/M are dropped.
    std::vector<SkuDraft> resized{{{"red", "S"}, cny("89.00"), std::nullopt, 250, "SHIRT-RS", std::nullopt},
                                  {{"navy", "S"}, cny("99.00"), cny("129.00"), 250, "", skus[2].id}};
    catalog.set_specs(owner, shirt, {{"colour", {"red", "navy"}}, {"size", {"S"}}}, resized);
    catalog.delist(owner, shirt);
    catalog.put_on_sale(World::as(w.staff), shirt);
    CHECK(error_of([&] { inventory.reserve(owner, {{skus[0].id, 24}}, w.clock->now() + std::chrono::hours(1)); }) ==
          Errc::insufficient_stock);
    CHECK(error_of([&] { catalog.put_on_sale(owner, ProductId{3}); }) == Errc::invalid_argument);  // origin missing
}

struct Tokens {
    std::string live, revoked, expired, of_disabled;
};

// A mixed workload on top of the World fixture: every kind of event, every shop status,
// sessions in every state, role changes, staff churn, commissions and profile edits, a
// category tree, products in every status, stock in every kind of move, and a few refused
// commands.
Tokens run_workload(World& w) {
    auto& accounts = w.accounts();
    auto& shops = w.shops();
    Tokens tokens;
    // Users by phone and e-mail, sessions alive, revoked, logged out, expiring.
    w.tick();
    const auto phone_user = accounts.register_user("+86 139-0000-0001", fixture_password, "电话用户");
    w.tick();
    const auto expiring = accounts.login("customer@souk.test", fixture_password);
    tokens.expired = expiring.token;
    w.clock->advance(std::chrono::hours(24 * 29));
    tokens.live = accounts.login("+8613900000001", fixture_password).token;
    tokens.revoked = accounts.login("owner@souk.test", fixture_password).token;
    accounts.logout(tokens.revoked);
    const auto op_session = accounts.login("op@souk.test", fixture_password);
    accounts.revoke_session(World::as(w.admin), op_session.id);
    w.tick();
    accounts.change_password(World::as(w.staff), fixture_password, "staff's new password");
    accounts.login("staff@souk.test", "staff's new password");
    // Roles.
    accounts.grant_role(World::as(w.admin), phone_user, PlatformRole::operator_staff);
    accounts.grant_role(World::as(w.admin), w.other_owner, PlatformRole::admin);
    accounts.revoke_role(World::as(w.other_owner), phone_user, PlatformRole::operator_staff);
    // A disabled user with a session that died with it, then re-enabled.
    const auto victim = accounts.register_user("victim@souk.test", fixture_password, "Victim");
    tokens.of_disabled = accounts.login("victim@souk.test", fixture_password).token;
    accounts.disable_user(World::as(w.op), victim, "suspicious activity");
    w.tick();
    accounts.enable_user(World::as(w.op), victim);
    // Shops: more of every status, renamed, re-staffed, commissions.
    const auto tea = shops.apply(World::as(phone_user), application_named("茶馆 Tea House"));
    shops.reject(World::as(w.op), tea, "photo of licence missing");
    auto renamed = application_named("Tea House 茶馆");
    renamed.description = "第二次申请";
    shops.resubmit(World::as(phone_user), tea, renamed);
    w.tick();
    shops.approve(World::as(w.admin), tea);
    shops.add_staff(World::as(phone_user), tea, victim);
    shops.add_staff(World::as(phone_user), tea, w.customer);
    shops.remove_staff(World::as(phone_user), tea, victim);
    shops.set_commission(World::as(w.op), tea, 550);
    shops.set_commission(World::as(w.op), w.active, 0);
    shops.set_commission(World::as(w.op), w.active, std::nullopt);
    shops.set_commission(World::as(w.op), w.suspended, 10000);
    ShopProfileUpdate update;
    update.description = "Fresh leaves daily\n新茶";
    update.contact_email = "";
    shops.update_profile(World::as(w.customer), tea, update);
    shops.suspend(World::as(w.op), tea, "quality complaints");
    shops.reinstate(World::as(w.op), tea);
    const auto withdrawn = shops.apply(World::as(w.customer), application_named("Withdrawn"));
    shops.close(World::as(w.customer), withdrawn, "changed my mind");
    const auto reused = shops.apply(World::as(w.other_staff), application_named("withdrawn"));
    shops.approve(World::as(w.op), reused);
    shops.suspend(World::as(w.op), reused, "audit");
    shops.close(World::as(w.admin), reused, "audit failed");
    shops.close(World::as(w.owner), w.suspended, "winding down");
    run_catalog_workload(w, phone_user, tea);
    // Refused commands in between.
    CHECK(error_of([&] { shops.approve(World::as(w.op), tea); }) == Errc::invalid_state);
    CHECK(error_of([&] { shops.apply(World::as(w.customer), application_named("TEA HOUSE 茶馆")); }) ==
          Errc::already_exists);
    CHECK(error_of([&] { accounts.register_user("victim@souk.test", fixture_password, "Again"); }) ==
          Errc::already_exists);
    w.clock->advance(std::chrono::hours(24 * 2));  // the first customer session has expired now
    CHECK(w.market.tick(w.clock->now()).reservations_expired == 1);
    return tokens;
}

}  // namespace

TEST_CASE("replay: a reopened marketplace answers every query exactly as the original") {
    World w;
    const auto tokens = run_workload(w);
    const auto original = take_snapshot(w.market);
    REQUIRE(original.users.size() == 10);
    REQUIRE(original.shops.size() == 9);
    REQUIRE(original.categories.size() == 4);
    REQUIRE(original.products.size() == 5);
    REQUIRE(original.reservations.at(w.active.value).size() == 4);
    REQUIRE(original.low_stock.at(w.active.value).size() == 1);
    CHECK(original.position == w.journal->end_position() - 1);

    auto reopened = open_market(w.clock, copy_journal(*w.journal));
    const auto replayed = take_snapshot(reopened.market);
    check_same(original, replayed);

    // Sessions mean the same on both: token hashes, revocations and expiry all replayed.
    for (auto* market : {&w.market, &reopened.market}) {
        CHECK(market->accounts().authenticate(tokens.live).user_id() == UserId{9});
        CHECK(error_of([&] { market->accounts().authenticate(tokens.revoked); }) == Errc::unauthenticated);
        CHECK(error_of([&] { market->accounts().authenticate(tokens.expired); }) == Errc::unauthenticated);
        CHECK(error_of([&] { market->accounts().authenticate(tokens.of_disabled); }) == Errc::unauthenticated);
        // Changed passwords were replayed too.
        CHECK(error_of([&] { market->accounts().login("staff@souk.test", fixture_password); }) ==
              Errc::unauthenticated);
    }
}

TEST_CASE("replay: the same commands after reopening give the same results on both marketplaces") {
    World w;
    run_workload(w);
    auto reopened = open_market(w.clock, copy_journal(*w.journal));
    for (auto* market : {&w.market, &reopened.market}) {
        auto& accounts = market->accounts();
        auto& shops = market->shops();
        // Ids continue densely after the replayed ones; names and logins stay unique.
        CHECK(accounts.register_user("late@souk.test", fixture_password, "Late") == UserId{11});
        CHECK(error_of([&] { accounts.register_user("OWNER@souk.test", fixture_password, "Dup"); }) ==
              Errc::already_exists);
        const auto shop = shops.apply(Actor::user(UserId{11}), application_named("Late Shop"));
        CHECK(shop == ShopId{10});
        CHECK(error_of([&] { shops.apply(Actor::user(UserId{11}), application_named("active shop")); }) ==
              Errc::already_exists);
        shops.apply(Actor::user(UserId{11}), application_named("Withdrawn"));  // both holders closed
        shops.approve(World::as(w.op), shop);
        CHECK(error_of([&] { accounts.bootstrap_admin("root2@souk.test", fixture_password, "Root"); }) ==
              Errc::invalid_state);
        // Catalog and stock ids continue too, and the stock allows exactly the same.
        auto& catalog = market->catalog();
        const auto late =
            catalog.create_category(World::as(w.op), CategorySpec{"Late", std::nullopt, std::nullopt, {}});
        CHECK(late == CategoryId{5});
        const auto product =
            catalog.create_product(World::as(w.owner), w.active, single_draft(late, "Late", cny("9.90")));
        CHECK(product == ProductId{6});
        const auto sku = catalog.product(World::as(w.owner), product).skus[0].id;
        market->inventory().adjust(World::as(w.owner), {{sku, 2}}, "delivery");
        CHECK(market->inventory().reserve(World::as(w.owner), {{sku, 2}}, w.clock->now() + std::chrono::hours(1)) ==
              ReservationId{5});
        CHECK(error_of([&] {
                  market->inventory().reserve(World::as(w.owner), {{sku, 1}}, w.clock->now() + std::chrono::hours(1));
              }) == Errc::insufficient_stock);
    }
    check_same(take_snapshot(w.market), take_snapshot(reopened.market));
    // And a third generation, reopened from the second.
    auto third = open_market(w.clock, copy_journal(*reopened.journal));
    check_same(take_snapshot(reopened.market), take_snapshot(third.market));
}

TEST_CASE("replay: an empty journal opens as an empty marketplace") {
    auto clock = std::make_shared<ManualClock>(fixture_start());
    auto first = open_market(clock);
    auto reopened = open_market(clock, copy_journal(*first.journal));
    const auto a = take_snapshot(first.market);
    CHECK(a.position == 0);
    CHECK(a.users.empty());
    CHECK(a.shops.empty());
    check_same(a, take_snapshot(reopened.market));
}

TEST_CASE("replay: a refused command leaves the journal position and the journal unchanged") {
    World w;
    auto& accounts = w.accounts();
    auto& shops = w.shops();
    const auto position = w.market.journal_position();
    const auto records = records_of(*w.journal);
    const auto snapshot = take_snapshot(w.market);
    const std::vector<std::function<void()>> refused = {
        [&] { accounts.register_user("owner@souk.test", fixture_password, "Dup"); },
        [&] { accounts.register_user("bad", fixture_password, "Bad"); },
        [&] { accounts.bootstrap_admin("root2@souk.test", fixture_password, "Root"); },
        [&] { accounts.login("owner@souk.test", "wrong password"); },
        [&] { accounts.logout("not a token"); },
        [&] { accounts.change_password(World::as(w.owner), "wrong password", "whatever password"); },
        [&] { accounts.grant_role(World::as(w.customer), w.customer, PlatformRole::admin); },
        [&] { accounts.revoke_role(World::as(w.admin), w.admin, PlatformRole::admin); },
        [&] { accounts.disable_user(World::as(w.op), w.admin, "coup"); },
        [&] { accounts.revoke_session(World::as(w.customer), SessionId{42}); },
        [&] { shops.apply(World::as(w.customer), application_named("Active Shop")); },
        [&] { shops.approve(World::as(w.op), w.active); },
        [&] { shops.approve(World::as(w.customer), w.applied); },
        [&] { shops.close(World::as(w.owner), w.closed, "again"); },
        [&] { shops.resubmit(World::as(w.owner), w.applied, application_named("Applied Shop")); },
        [&] { shops.add_staff(World::as(w.owner), w.active, w.staff); },
        [&] { shops.remove_staff(World::as(w.owner), w.active, w.customer); },
        [&] { shops.set_commission(World::as(w.op), w.active, 10001); },
        [&] { shops.update_profile(World::as(w.customer), w.active, ShopProfileUpdate{}); },
        [&] { w.market.catalog().create_category(World::as(w.customer), CategorySpec{"Mine", std::nullopt, 0, {}}); },
        [&] { w.market.catalog().create_category(World::as(w.op), CategorySpec{"", std::nullopt, 0, {}}); },
        [&] { w.market.catalog().create_product(World::as(w.owner), w.active, shirt_draft(CategoryId{1})); },
        [&] { w.market.catalog().ban(World::as(w.op), ProductId{1}, "no such product"); },
        [&] { w.market.inventory().adjust(World::as(w.owner), {{SkuId{1}, 1}}, "no such SKU"); },
        [&] { w.market.tick(w.clock->now() + std::chrono::seconds(1)); },
    };
    for (std::size_t i = 0; i < refused.size(); ++i) {
        CAPTURE(i);
        CHECK(error_of(refused[i]).has_value());
        CHECK(w.market.journal_position() == position);
    }
    CHECK(records_of(*w.journal) == records);
    check_same(snapshot, take_snapshot(w.market));
    // The next accepted command takes the very next position.
    shops.approve(World::as(w.op), w.applied);
    CHECK(w.market.journal_position() == position + 1);
}

TEST_CASE("replay: a journal that cannot be decoded is refused as a whole") {
    World w;
    auto records = records_of(*w.journal);
    REQUIRE(records.size() > 5);
    SUBCASE("a flipped byte") {
        records[3][records[3].size() / 2] ^= 0x20;
        auto journal = std::make_unique<MemoryJournal>();
        journal->append(1, records);
        CHECK(error_of([&] { Marketplace m(std::move(journal), fast_options(w.clock)); }) == Errc::corrupt_journal);
    }
    SUBCASE("a truncated record") {
        records.back().pop_back();
        auto journal = std::make_unique<MemoryJournal>();
        journal->append(1, records);
        CHECK(error_of([&] { Marketplace m(std::move(journal), fast_options(w.clock)); }) == Errc::corrupt_journal);
    }
    SUBCASE("records out of order") {
        std::swap(records[1], records[2]);  // a role grant before the user it names exists
        auto journal = std::make_unique<MemoryJournal>();
        journal->append(1, records);
        CHECK(error_of([&] { Marketplace m(std::move(journal), fast_options(w.clock)); }) == Errc::corrupt_journal);
    }
    SUBCASE("a record replayed twice") {
        records.insert(records.begin() + 2, records[1]);
        auto journal = std::make_unique<MemoryJournal>();
        journal->append(1, records);
        CHECK(error_of([&] { Marketplace m(std::move(journal), fast_options(w.clock)); }) == Errc::corrupt_journal);
    }
}
