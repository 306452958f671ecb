// Catalog: the category tree, products and SKUs, their status machine, who may do and see
// what, the purchasable check the trade modules rely on, and replay after reopening.
#include "souk/catalog.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "souk/error.hpp"
#include "souk/marketplace.hpp"
#include "support/catalog_fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace souk;
using namespace souk::test;

namespace {

std::vector<std::string> names_of(const std::vector<CategoryInfo>& categories) {
    std::vector<std::string> names;
    for (const auto& c : categories) names.push_back(c.name);
    return names;
}

std::vector<std::string> events_of(const std::vector<AuditEntry>& trail) {
    std::vector<std::string> names;
    for (const auto& e : trail) names.push_back(e.event);
    return names;
}

std::vector<ProductId> ids_of(const std::vector<ProductInfo>& products) {
    std::vector<ProductId> ids;
    for (const auto& p : products) ids.push_back(p.id);
    return ids;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Categories

TEST_CASE("catalog: categories form a tree whose commission and attributes children inherit") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto casual = catalog.create_category(World::as(w.op), CategorySpec{"Casual", w.shirts, std::nullopt,
                                                                              {{"material", true, {"denim"}}}});
    const auto info = catalog.category(casual);
    CHECK(info.parent == w.shirts);
    CHECK(info.path == std::vector{w.apparel, w.shirts, casual});
    CHECK_FALSE(info.commission_bps.has_value());
    CHECK(info.effective_commission_bps == 500);
    // The nearest definition of a name wins, in the place the ancestor gave it.
    CHECK(info.effective_attributes ==
          std::vector<AttributeDefinition>{{"brand", true, {}}, {"material", true, {"denim"}}});
    CHECK(catalog.category(w.shirts).children == std::vector{casual});

    catalog.set_category_commission(World::as(w.op), w.shirts, 800);
    CHECK(catalog.category(casual).effective_commission_bps == 800);
    catalog.set_category_commission(World::as(w.op), casual, 0);
    CHECK(catalog.category(casual).effective_commission_bps == 0);
    catalog.set_category_commission(World::as(w.op), casual, std::nullopt);
    catalog.set_category_commission(World::as(w.op), w.shirts, std::nullopt);
    CHECK(catalog.category(casual).effective_commission_bps == 500);

    // Top-level listing by name; retired ones only on request.
    catalog.create_category(World::as(w.op), CategorySpec{"Antiques", std::nullopt, std::nullopt, {}});
    CHECK(names_of(catalog.categories(std::nullopt)) == std::vector<std::string>{"Antiques", "Apparel", "Books"});
    catalog.retire_category(World::as(w.op), w.books);
    CHECK(names_of(catalog.categories(std::nullopt)) == std::vector<std::string>{"Antiques", "Apparel"});
    CHECK(names_of(catalog.categories(std::nullopt, true)) == std::vector<std::string>{"Antiques", "Apparel", "Books"});
    CHECK(error_of([&] { catalog.categories(CategoryId{999}); }) == Errc::not_found);
    CHECK(error_of([&] { catalog.category(CategoryId{999}); }) == Errc::not_found);
}

TEST_CASE("catalog: sibling names are unique, renames and moves keep them so") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto op = World::as(w.op);
    CHECK(error_of([&] { catalog.create_category(op, CategorySpec{"Books", std::nullopt, std::nullopt, {}}); }) ==
          Errc::already_exists);
    CHECK(error_of([&] { catalog.rename_category(op, w.apparel, "Books"); }) == Errc::already_exists);
    // The same name under another parent is fine, and so is a retired sibling's name.
    const auto nested = catalog.create_category(op, CategorySpec{"Books", w.apparel, std::nullopt, {}});
    CHECK(error_of([&] { catalog.move_category(op, nested, std::nullopt); }) == Errc::already_exists);
    catalog.retire_category(op, w.books);
    catalog.move_category(op, nested, std::nullopt);
    CHECK(catalog.category(nested).path == std::vector{nested});
    catalog.rename_category(op, nested, "Books & Comics");
    CHECK(catalog.category(nested).name == "Books & Comics");
}

TEST_CASE("catalog: moves keep the tree a tree of bounded depth") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto op = World::as(w.op);
    CHECK(error_of([&] { catalog.move_category(op, w.apparel, w.apparel); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.move_category(op, w.apparel, w.shirts); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.move_category(op, w.apparel, CategoryId{999}); }) == Errc::not_found);

    // A chain five deep under apparel reaches the limit of six levels.
    auto deepest = w.apparel;
    for (int level = 2; level <= 6; ++level)
        deepest = catalog.create_category(op, CategorySpec{fmt::format("Level {}", level), deepest, std::nullopt, {}});
    CHECK(catalog.category(deepest).path.size() == Catalog::max_category_depth);
    CHECK(error_of([&] { catalog.create_category(op, CategorySpec{"Level 7", deepest, std::nullopt, {}}); }) ==
          Errc::limit_exceeded);
    // Moving apparel's subtree (six levels) under books would make seven.
    CHECK(error_of([&] { catalog.move_category(op, w.apparel, w.books); }) == Errc::limit_exceeded);
    catalog.move_category(op, w.shirts, w.books);
    CHECK(catalog.category(w.shirts).path == std::vector{w.books, w.shirts});
    CHECK(catalog.category(w.shirts).effective_commission_bps == 300);
    // Products follow their category: the shirt now pays the books rate and lost the brand requirement.
    CHECK(catalog.commission_bps(World::as(w.owner), w.shirt) == 300);
    catalog.move_category(op, w.shirts, std::nullopt);
    CHECK(catalog.category(w.shirts).path == std::vector{w.shirts});
}

TEST_CASE("catalog: a retired category is frozen and takes no new products or children") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto op = World::as(w.op);
    CHECK(error_of([&] { catalog.retire_category(op, w.apparel); }) == Errc::invalid_state);  // shirts is live
    catalog.retire_category(op, w.shirts);
    CHECK(catalog.category(w.shirts).retired);
    CHECK(error_of([&] { catalog.retire_category(op, w.shirts); }) == Errc::invalid_state);
    CHECK(error_of([&] { catalog.rename_category(op, w.shirts, "Old shirts"); }) == Errc::invalid_state);
    CHECK(error_of([&] { catalog.move_category(op, w.shirts, w.books); }) == Errc::invalid_state);
    CHECK(error_of([&] { catalog.set_category_commission(op, w.shirts, 100); }) == Errc::invalid_state);
    CHECK(error_of([&] { catalog.set_category_attributes(op, w.shirts, {}); }) == Errc::invalid_state);
    CHECK(error_of([&] { catalog.create_category(op, CategorySpec{"Sub", w.shirts, std::nullopt, {}}); }) ==
          Errc::invalid_state);
    CHECK(error_of([&] { catalog.create_product(World::as(w.owner), w.active, shirt_draft(w.shirts)); }) ==
          Errc::invalid_state);
    // Products already on sale stay on sale; once delisted they need another category first.
    CHECK(catalog.purchasable(w.shirt_skus[0]).product == w.shirt);
    catalog.delist(World::as(w.owner), w.shirt);
    CHECK(error_of([&] { catalog.put_on_sale(World::as(w.owner), w.shirt); }) == Errc::invalid_state);
    catalog.retire_category(op, w.books);
    CHECK(error_of([&] {
              catalog.update_product(World::as(w.owner), w.shirt, ProductUpdate{.category = w.books});
          }) == Errc::invalid_state);
    const auto shirts2 = catalog.create_category(op, CategorySpec{"Shirts", w.apparel, std::nullopt, {}});
    catalog.update_product(
        World::as(w.owner), w.shirt,
        ProductUpdate{.category = shirts2, .attributes = std::map<std::string, std::string>{{"brand", "Souk"}}});
    catalog.put_on_sale(World::as(w.owner), w.shirt);
    CHECK(catalog.purchasable(w.shirt_skus[0]).product == w.shirt);
}

TEST_CASE("catalog: only platform staff manage categories") {
    Catalogued w;
    auto& catalog = w.catalog();
    for (const auto who : {w.owner, w.staff, w.customer, w.disabled}) {
        CAPTURE(who.value);
        const auto actor = World::as(who);
        CHECK(error_of([&] { catalog.create_category(actor, CategorySpec{"Mine", std::nullopt, std::nullopt, {}}); }) ==
              Errc::forbidden);
        CHECK(error_of([&] { catalog.rename_category(actor, w.books, "Mine"); }) == Errc::forbidden);
        CHECK(error_of([&] { catalog.move_category(actor, w.shirts, w.books); }) == Errc::forbidden);
        CHECK(error_of([&] { catalog.retire_category(actor, w.books); }) == Errc::forbidden);
        CHECK(error_of([&] { catalog.set_category_commission(actor, w.books, 0); }) == Errc::forbidden);
        CHECK(error_of([&] { catalog.set_category_attributes(actor, w.books, {}); }) == Errc::forbidden);
    }
    CHECK(error_of([&] {
              catalog.create_category(Actor::user(UserId{999}), CategorySpec{"Ghost", std::nullopt, std::nullopt, {}});
          }) == Errc::forbidden);
    CHECK(catalog.category(w.books).name == "Books");
}

TEST_CASE("catalog: category input is checked before anything changes") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto op = World::as(w.op);
    const auto position = w.market.journal_position();
    const auto spec = [](std::string name, std::optional<int> bps, std::vector<AttributeDefinition> attributes) {
        return CategorySpec{std::move(name), std::nullopt, bps, std::move(attributes)};
    };
    CHECK(error_of([&] { catalog.create_category(op, spec("", std::nullopt, {})); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.create_category(op, spec(std::string(41, 'x'), std::nullopt, {})); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { catalog.create_category(op, spec("Bad\x01", std::nullopt, {})); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.create_category(op, spec("Rate", 10001, {})); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.create_category(op, spec("Rate", -1, {})); }) == Errc::invalid_argument);
    CHECK(error_of([&] {
              catalog.create_category(op, spec("Dup", std::nullopt, {{"a", false, {}}, {"a", true, {}}}));
          }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.create_category(op, spec("Vals", std::nullopt, {{"a", false, {"x", "x"}}})); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { catalog.create_category(op, spec("Empty", std::nullopt, {{"a", false, {""}}})); }) ==
          Errc::invalid_argument);
    std::vector<AttributeDefinition> many;
    for (int i = 0; i < 31; ++i) many.push_back({fmt::format("attribute {}", i), false, {}});
    CHECK(error_of([&] { catalog.create_category(op, spec("Many", std::nullopt, many)); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.set_category_commission(op, w.books, 10001); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.rename_category(op, w.books, ""); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.rename_category(op, CategoryId{999}, "Ghost"); }) == Errc::not_found);
    CHECK(w.market.journal_position() == position);
    // Unchanged values are no change: nothing is written.
    catalog.rename_category(op, w.books, "Books");
    catalog.set_category_commission(op, w.books, 300);
    catalog.move_category(op, w.shirts, w.apparel);
    CHECK(w.market.journal_position() == position);
}

// ---------------------------------------------------------------------------------------
// Products

TEST_CASE("catalog: a new product is a draft only its shop and the platform can see") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto created_at = w.clock->now();
    const auto id = catalog.create_product(World::as(w.owner), w.active, shirt_draft(w.shirts, "Draft shirt"));
    const auto product = catalog.product(World::as(w.staff), id);
    CHECK(product.status == ProductStatus::draft);
    CHECK(product.shop == w.active);
    CHECK(product.title == "Draft shirt");
    CHECK(product.currency == Currency::of("CNY"));
    CHECK(product.created_at == created_at);
    REQUIRE(product.skus.size() == 4);
    CHECK(product.skus[0].spec == std::vector<std::string>{"red", "S"});
    CHECK(product.skus[3].spec == std::vector<std::string>{"blue", "M"});
    CHECK(product.skus[1].id.value == product.skus[0].id.value + 1);
    CHECK(product.skus[0].price == cny("99.00"));
    CHECK(product.skus[0].list_price == cny("129.00"));
    CHECK(product.skus[0].available == 0);
    CHECK(catalog.product(World::as(w.op), id) == product);
    CHECK(catalog.product_of_sku(World::as(w.owner), product.skus[2].id) == product);
    for (const auto outsider : {w.customer, w.other_owner, w.other_staff, w.disabled}) {
        CAPTURE(outsider.value);
        CHECK(error_of([&] { catalog.product(World::as(outsider), id); }) == Errc::not_found);
        CHECK(error_of([&] { catalog.product_of_sku(World::as(outsider), product.skus[0].id); }) == Errc::not_found);
    }
    CHECK(error_of([&] { catalog.product(World::as(w.customer), ProductId{999}); }) == Errc::not_found);
    CHECK(error_of([&] { catalog.product_of_sku(World::as(w.customer), SkuId{999}); }) == Errc::not_found);
    catalog.put_on_sale(World::as(w.staff), id);
    CHECK(catalog.product(World::as(w.customer), id).status == ProductStatus::on_sale);
}

TEST_CASE("catalog: attribute values are checked against the category's definitions") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto owner = World::as(w.owner);
    auto draft = shirt_draft(w.shirts);
    draft.attributes = {{"brand", "Souk"}, {"colourway", "sunset"}};
    CHECK(error_of([&] { catalog.create_product(owner, w.active, draft); }) == Errc::invalid_argument);
    draft.attributes = {{"brand", "Souk"}, {"material", "silk"}};  // not an allowed value
    CHECK(error_of([&] { catalog.create_product(owner, w.active, draft); }) == Errc::invalid_argument);
    draft.attributes = {{"brand", ""}};  // free text, but not empty
    CHECK(error_of([&] { catalog.create_product(owner, w.active, draft); }) == Errc::invalid_argument);
    // A draft may lack a required attribute; it cannot go on sale without it.
    draft.attributes = {{"material", "cotton"}};
    const auto id = catalog.create_product(owner, w.active, draft);
    CHECK(error_of([&] { catalog.put_on_sale(owner, id); }) == Errc::invalid_argument);
    catalog.update_product(
        owner, id,
        ProductUpdate{.attributes = std::map<std::string, std::string>{{"brand", "Acme"}, {"material", "cotton"}}});
    catalog.put_on_sale(owner, id);
    // On sale, a required attribute cannot be dropped.
    CHECK(error_of([&] {
              catalog.update_product(owner, id, ProductUpdate{.attributes = std::map<std::string, std::string>{}});
          }) == Errc::invalid_argument);
    // New definitions apply when a product is next edited or listed, not retroactively.
    catalog.set_category_attributes(World::as(w.op), w.shirts, {{"material", true, {"cotton"}}, {"fit", true, {}}});
    CHECK(catalog.product(World::as(w.customer), id).status == ProductStatus::on_sale);
    CHECK(error_of([&] { catalog.update_product(owner, id, ProductUpdate{.category = w.books}); }) ==
          Errc::invalid_argument);  // books defines neither brand nor material
    catalog.update_product(owner, id,
                           ProductUpdate{.attributes = std::map<std::string, std::string>{
                                             {"brand", "Acme"}, {"material", "cotton"}, {"fit", "slim"}}});
    CHECK(catalog.product(owner, id).attributes.at("fit") == "slim");
}

TEST_CASE("catalog: specs and SKUs must match one to one") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto owner = World::as(w.owner);
    const auto position = w.market.journal_position();
    const auto refused = [&](const std::function<void(ProductDraft&)>& spoil) {
        auto draft = shirt_draft(w.shirts);
        spoil(draft);
        return error_of([&] { catalog.create_product(owner, w.active, draft); });
    };
    CHECK(refused([](auto& d) { d.skus.pop_back(); }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.skus.back().spec = {"red", "S"}; }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.skus.back().spec = {"green", "M"}; }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.skus.back().spec = {"blue"}; }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.specs[1].values.push_back("S"); }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.specs[1].name = "colour"; }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.specs[1].values.clear(); }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.skus[1].price = Money::parse("99", Currency::of("JPY")); }) ==
          Errc::currency_mismatch);
    CHECK(refused([](auto& d) { d.skus[1].list_price = Money::parse("99", Currency::of("JPY")); }) ==
          Errc::currency_mismatch);
    CHECK(refused([](auto& d) { d.skus[1].list_price = cny("98.99"); }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.skus[1].price = cny("0"); }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.skus[1].price = cny("-1"); }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.skus[1].weight_grams = -1; }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.skus[0].code = d.skus[1].code = "SHIRT"; }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.skus[0].keep = SkuId{1}; }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.title = ""; }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.images = {"ftp://img.example.com/a.jpg"}; }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.images = {"https://img.example.com/a b.jpg"}; }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.images.assign(21, "https://img.example.com/a.jpg"); }) == Errc::invalid_argument);
    CHECK(refused([](auto& d) { d.category = CategoryId{999}; }) == Errc::not_found);
    CHECK(refused([](auto& d) {
              // 30 × 30 combinations exceed the limit of 600.
              d.specs = {{"a", {}}, {"b", {}}};
              for (int i = 0; i < 30; ++i) {
                  d.specs[0].values.push_back(fmt::format("a{}", i));
                  d.specs[1].values.push_back(fmt::format("b{}", i));
              }
          }) == Errc::invalid_argument);
    CHECK(w.market.journal_position() == position);

    // Codes are unique within a shop, not across shops.
    auto coded = shirt_draft(w.shirts, "Coded shirt");
    coded.skus[0].code = "6901234567892";
    catalog.create_product(owner, w.active, coded);
    coded.title = "Twin shirt";
    CHECK(error_of([&] { catalog.create_product(owner, w.active, coded); }) == Errc::already_exists);
    catalog.create_product(World::as(w.other_owner), w.other_shop, coded);

    // No dimensions: exactly one SKU with an empty spec.
    auto single = single_draft(w.books, "A book", cny("45.00"));
    const auto book = catalog.create_product(owner, w.active, single);
    CHECK(catalog.product(owner, book).skus.size() == 1);
    single.skus.push_back(single.skus.front());
    CHECK(error_of([&] { catalog.create_product(owner, w.active, single); }) == Errc::invalid_argument);
}

TEST_CASE("catalog: status machine of a product, bans included") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto owner = World::as(w.owner), op = World::as(w.op);
    const auto id = catalog.create_product(owner, w.active, shirt_draft(w.shirts, "Status shirt"));
    const auto status = [&] { return catalog.product(World::sys(), id).status; };
    CHECK(error_of([&] { catalog.delist(owner, id); }) == Errc::invalid_state);
    CHECK(error_of([&] { catalog.lift_ban(op, id); }) == Errc::invalid_state);
    // A banned draft returns to draft: it was never on sale.
    catalog.ban(op, id, "counterfeit brand");
    CHECK(status() == ProductStatus::banned);
    CHECK(catalog.product(owner, id).ban_reason == "counterfeit brand");
    CHECK(error_of([&] { catalog.ban(op, id, "again"); }) == Errc::invalid_state);
    CHECK(error_of([&] { catalog.put_on_sale(owner, id); }) == Errc::invalid_state);
    CHECK(error_of([&] { catalog.delist(owner, id); }) == Errc::invalid_state);
    catalog.update_product(owner, id, ProductUpdate{.title = std::string("Genuine shirt")});  // fixing it is allowed
    catalog.lift_ban(op, id);
    CHECK(status() == ProductStatus::draft);
    CHECK(catalog.product(owner, id).ban_reason.empty());

    catalog.put_on_sale(owner, id);
    CHECK(status() == ProductStatus::on_sale);
    CHECK(error_of([&] { catalog.put_on_sale(owner, id); }) == Errc::invalid_state);
    catalog.delist(owner, id);
    CHECK(status() == ProductStatus::delisted);
    catalog.put_on_sale(owner, id);
    // Banned while on sale: it leaves sale, and after the lift the shop decides when to sell again.
    catalog.ban(World::as(w.admin), id, "misleading photos");
    CHECK(error_of([&] { catalog.product(World::as(w.customer), id); }) == Errc::not_found);
    CHECK(error_of([&] { catalog.purchasable(catalog.product(owner, id).skus[0].id); }) == Errc::invalid_state);
    catalog.lift_ban(op, id);
    CHECK(status() == ProductStatus::delisted);
    catalog.put_on_sale(owner, id);
    CHECK(status() == ProductStatus::on_sale);
    CHECK(error_of([&] { catalog.ban(op, id, ""); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.ban(op, ProductId{999}, "ghost"); }) == Errc::not_found);
}

TEST_CASE("catalog: only the shop's owner and staff edit its products; only the platform bans") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto sku = w.shirt_skus[0];
    const auto position = w.market.journal_position();
    // Outsiders: another shop's people, customers, a disabled former staff member, platform staff.
    for (const auto who : {w.other_owner, w.other_staff, w.customer, w.disabled, w.op, w.admin}) {
        CAPTURE(who.value);
        const auto actor = World::as(who);
        CHECK(error_of([&] { catalog.create_product(actor, w.active, shirt_draft(w.shirts)); }) == Errc::forbidden);
        CHECK(error_of([&] { catalog.update_product(actor, w.shirt, ProductUpdate{.title = std::string("Mine")}); }) ==
              Errc::forbidden);
        CHECK(error_of([&] { catalog.set_specs(actor, w.shirt, {}, single_draft(w.shirts, "x", cny("1")).skus); }) ==
              Errc::forbidden);
        CHECK(error_of([&] { catalog.set_sku_price(actor, sku, cny("1.00"), std::nullopt); }) == Errc::forbidden);
        CHECK(error_of([&] { catalog.set_sku_details(actor, sku, 1, "X"); }) == Errc::forbidden);
        CHECK(error_of([&] { catalog.delist(actor, w.shirt); }) == Errc::forbidden);
        CHECK(error_of([&] { catalog.put_on_sale(actor, w.shirt); }) == Errc::forbidden);
    }
    for (const auto who : {w.owner, w.staff, w.other_owner, w.customer, w.disabled}) {
        CAPTURE(who.value);
        CHECK(error_of([&] { catalog.ban(World::as(who), w.shirt, "spam"); }) == Errc::forbidden);
    }
    catalog.ban(World::as(w.op), w.shirt, "spam");
    for (const auto who : {w.owner, w.staff, w.customer})
        CHECK(error_of([&] { catalog.lift_ban(World::as(who), w.shirt); }) == Errc::forbidden);
    CHECK(error_of([&] { catalog.create_product(Actor::user(UserId{999}), w.active, shirt_draft(w.shirts)); }) ==
          Errc::unauthenticated);
    CHECK(w.market.journal_position() == position + 1);  // the ban alone
}

TEST_CASE("catalog: products are made in active or suspended shops and frozen in closed ones") {
    Catalogued w;
    auto& catalog = w.catalog();
    CHECK(error_of([&] { catalog.create_product(World::as(w.owner), w.applied, shirt_draft(w.shirts)); }) ==
          Errc::invalid_state);
    CHECK(error_of([&] { catalog.create_product(World::as(w.owner), w.rejected, shirt_draft(w.shirts)); }) ==
          Errc::invalid_state);
    CHECK(error_of([&] { catalog.create_product(World::as(w.owner), w.closed, shirt_draft(w.shirts)); }) ==
          Errc::invalid_state);
    CHECK(error_of([&] { catalog.create_product(World::as(w.owner), ShopId{999}, shirt_draft(w.shirts)); }) ==
          Errc::not_found);
    // Suspended: editing goes on, selling does not.
    const auto draft = catalog.create_product(World::as(w.owner), w.suspended, shirt_draft(w.shirts, "Waiting shirt"));
    CHECK(error_of([&] { catalog.put_on_sale(World::as(w.owner), draft); }) == Errc::invalid_state);
    w.shops().suspend(World::as(w.op), w.active, "inspection");
    CHECK(error_of([&] { catalog.purchasable(w.shirt_skus[0]); }) == Errc::invalid_state);
    CHECK(error_of([&] { catalog.product(World::as(w.customer), w.shirt); }) == Errc::not_found);
    catalog.set_sku_price(World::as(w.owner), w.shirt_skus[0], cny("89.00"), std::nullopt);
    catalog.delist(World::as(w.owner), w.shirt);
    w.shops().reinstate(World::as(w.op), w.active);
    catalog.put_on_sale(World::as(w.owner), w.shirt);
    CHECK(catalog.purchasable(w.shirt_skus[0]).price == cny("89.00"));
    w.shops().close(World::as(w.owner), w.active, "moving on");
    CHECK(error_of([&] { catalog.delist(World::as(w.owner), w.shirt); }) == Errc::invalid_state);
    CHECK(error_of([&] { catalog.purchasable(w.shirt_skus[0]); }) == Errc::invalid_state);
}

TEST_CASE("catalog: purchasable says what a SKU costs, or exactly why it cannot be bought") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto owner = World::as(w.owner);
    w.inventory().adjust(owner, {{w.shirt_skus[1], 7}}, "delivery");
    const auto found = catalog.purchasable(w.shirt_skus[1]);
    CHECK(found == PurchasableSku{w.shirt_skus[1], w.shirt, w.active, "Linen shirt", {"red", "M"}, cny("99.00"),
                                  cny("129.00"), 250, 7});
    CHECK(error_of([&] { catalog.purchasable(SkuId{999}); }) == Errc::not_found);
    const auto reason = [&](SkuId sku) { return error_message_of([&] { catalog.purchasable(sku); }); };
    catalog.delist(owner, w.shirt);
    CHECK(
        reason(w.shirt_skus[1]).find("product " + std::to_string(w.shirt.value) + " is not on sale: it is delisted") !=
        std::string::npos);
    catalog.put_on_sale(owner, w.shirt);
    w.shops().suspend(World::as(w.op), w.active, "inspection");
    CHECK(reason(w.shirt_skus[1]).find("is suspended") != std::string::npos);
    w.shops().reinstate(World::as(w.op), w.active);
    auto draft = shirt_draft(w.shirts);
    draft.skus.erase(draft.skus.begin() + 2, draft.skus.end());
    draft.specs[0].values = {"red"};
    catalog.set_specs(owner, w.shirt, draft.specs, draft.skus);
    CHECK(reason(w.shirt_skus[3]).find("no longer sold") != std::string::npos);
    CHECK(error_of([&] { catalog.purchasable(w.shirt_skus[3]); }) == Errc::invalid_state);
    CHECK(catalog.purchasable(w.shirt_skus[1]).available == 7);
}

TEST_CASE("catalog: replacing specs keeps SKUs by spec or by keep, and drops the rest") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto owner = World::as(w.owner);
    const auto& old = w.shirt_skus;  // red/S, red/M, blue/S, blue/M
    w.inventory().adjust(owner, {{old[0], 5}, {old[2], 3}, {old[3], 1}}, "stock take");
    // Rename "blue" to "navy", keeping blue/S's stock by `keep`; add size L; drop blue/M.
    std::vector<SpecDimension> specs{{"colour", {"red", "navy"}}, {"size", {"S", "M", "L"}}};
    std::vector<SkuDraft> skus;
    for (const auto* colour : {"red", "navy"})
        for (const auto* size : {"S", "M", "L"})
            skus.push_back(SkuDraft{{colour, size}, cny("109.00"), std::nullopt, 260, "", std::nullopt});
    skus[3].keep = old[2];  // navy/S continues blue/S
    skus[0].code = "RED-S";
    catalog.set_specs(owner, w.shirt, specs, skus);
    const auto product = catalog.product(owner, w.shirt);
    REQUIRE(product.skus.size() == 6);
    CHECK(product.specs == specs);
    CHECK(product.skus[0].id == old[0]);  // red/S by its spec, stock and all
    CHECK(product.skus[0].available == 5);
    CHECK(product.skus[0].code == "RED-S");
    CHECK(product.skus[1].id == old[1]);
    CHECK(product.skus[3].id == old[2]);
    CHECK(product.skus[3].spec == std::vector<std::string>{"navy", "S"});
    CHECK(product.skus[3].available == 3);
    CHECK(product.skus[2].id.value > old[3].value);  // red/L is new
    CHECK(product.skus[5].price == cny("109.00"));
    // The dropped SKU keeps its stock for the record but is no longer sold.
    const auto dropped = w.inventory().stock(owner, old[3]);
    CHECK(dropped.dropped);
    CHECK(dropped.on_hand == 1);
    CHECK(error_of([&] { catalog.set_sku_price(owner, old[3], cny("1.00"), std::nullopt); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.inventory().reserve(owner, {{old[3], 1}}, w.soon()); }) == Errc::invalid_state);

    // keep must name a live SKU of this product, once.
    skus[3].keep = old[3];
    CHECK(error_of([&] { catalog.set_specs(owner, w.shirt, specs, skus); }) == Errc::invalid_argument);
    skus[3].keep = w.other_skus[0];
    CHECK(error_of([&] { catalog.set_specs(owner, w.shirt, specs, skus); }) == Errc::invalid_argument);
    skus[3].keep = skus[4].keep = old[0];
    CHECK(error_of([&] { catalog.set_specs(owner, w.shirt, specs, skus); }) == Errc::invalid_argument);

    // A SKU with reserved units cannot be dropped.
    w.inventory().adjust(owner, {{old[1], 2}}, "delivery");
    w.inventory().reserve(owner, {{old[1], 1}}, w.soon());
    const auto one = single_draft(w.shirts, "x", cny("10.00")).skus;
    CHECK(error_of([&] { catalog.set_specs(owner, w.shirt, {}, one); }) == Errc::invalid_state);
    // A full replacement may change the currency.
    auto yen = one;
    yen[0].price = Money::parse("1200", Currency::of("JPY"));
    yen[0].keep = old[1];
    catalog.set_specs(owner, w.shirt, {}, yen);
    CHECK(catalog.product(owner, w.shirt).currency == Currency::of("JPY"));
    CHECK(error_of([&] { catalog.set_sku_price(owner, old[1], cny("1.00"), std::nullopt); }) ==
          Errc::currency_mismatch);
}

TEST_CASE("catalog: SKU prices and details, and SKU codes unique within the shop") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto staff = World::as(w.staff);
    const auto sku = w.shirt_skus[0];
    catalog.set_sku_price(staff, sku, cny("79.50"), cny("99.00"));
    catalog.set_sku_details(staff, sku, 300, "SH-RED-S");
    const auto info = catalog.product(World::as(w.customer), w.shirt).skus[0];
    CHECK(info.price == cny("79.50"));
    CHECK(info.list_price == cny("99.00"));
    CHECK(info.weight_grams == 300);
    CHECK(info.code == "SH-RED-S");
    CHECK(error_of([&] { catalog.set_sku_details(staff, w.shirt_skus[1], 300, "SH-RED-S"); }) == Errc::already_exists);
    catalog.set_sku_details(staff, sku, 300, "SH-RED-S2");
    catalog.set_sku_details(staff, w.shirt_skus[1], 300, "SH-RED-S");  // the old code is free again
    catalog.set_sku_details(World::as(w.other_staff), w.other_skus[0], 300, "SH-RED-S2");  // another shop
    CHECK(error_of([&] { catalog.set_sku_price(staff, sku, cny("80.00"), cny("79.99")); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.set_sku_price(staff, sku, Money::parse("80", Currency::of("JPY")), std::nullopt); }) ==
          Errc::currency_mismatch);
    CHECK(error_of([&] { catalog.set_sku_price(staff, SkuId{999}, cny("1.00"), std::nullopt); }) == Errc::not_found);
    CHECK(error_of([&] { catalog.set_sku_details(staff, sku, 100'000'001, ""); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.set_sku_details(staff, sku, 1, std::string(65, 'c')); }) == Errc::invalid_argument);
    const auto position = w.market.journal_position();
    catalog.set_sku_price(staff, sku, cny("79.50"), cny("99.00"));  // unchanged: nothing written
    catalog.update_product(staff, w.shirt, ProductUpdate{.title = std::string("Linen shirt")});
    CHECK(w.market.journal_position() == position);
}

TEST_CASE("catalog: price and spec edits are in the product's and the SKU's audit trail") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto owner = World::as(w.owner);
    const auto sku = w.shirt_skus[2];
    w.tick();
    catalog.set_sku_price(owner, sku, cny("88.00"), std::nullopt);
    const auto priced_at = w.clock->now();
    w.tick();
    catalog.update_product(owner, w.shirt, ProductUpdate{.description = std::string("Now softer.")});
    catalog.set_sku_price(World::as(w.other_owner), w.other_skus[2], cny("1.00"), std::nullopt);
    const auto product_trail = w.market.audit(owner, EntityRef::of(w.shirt));
    CHECK(events_of(product_trail) ==
          std::vector<std::string>{"ProductCreated", "ProductListed", "SkuPriceChanged", "ProductUpdated"});
    CHECK(product_trail[2].time == priced_at);
    CHECK(product_trail[2].actor == w.owner);
    CHECK(product_trail[2].details.find("\"88.00\"") != std::string::npos);
    const auto sku_trail = w.market.audit(World::as(w.staff), EntityRef::of(sku));
    CHECK(events_of(sku_trail) == std::vector<std::string>{"ProductCreated", "SkuPriceChanged"});
    // Stock moves are in the SKU's trail too.
    w.inventory().adjust(owner, {{sku, 2}}, "delivery");
    CHECK(events_of(w.market.audit(owner, EntityRef::of(sku))).back() == "StockAdjusted");
    // The trail is the shop's and the platform's to read.
    CHECK(w.market.audit(World::as(w.op), EntityRef::of(w.shirt)) == product_trail);
    for (const auto who : {w.customer, w.other_owner, w.disabled}) {
        CAPTURE(who.value);
        CHECK(error_of([&] { w.market.audit(World::as(who), EntityRef::of(w.shirt)); }) == Errc::forbidden);
        CHECK(error_of([&] { w.market.audit(World::as(who), EntityRef::of(sku)); }) == Errc::forbidden);
    }
    // A category's trail shows the products put into it.
    CHECK(events_of(w.market.audit(World::as(w.op), EntityRef::of(w.shirts))) ==
          std::vector<std::string>{"CategoryCreated", "ProductCreated", "ProductCreated"});
    CHECK(error_of([&] { w.market.audit(owner, EntityRef::of(w.shirts)); }) == Errc::forbidden);
}

TEST_CASE("catalog: a shop's product list, newest first, shows outsiders only what is on sale") {
    Catalogued w;
    auto& catalog = w.catalog();
    const auto owner = World::as(w.owner);
    const auto draft = catalog.create_product(owner, w.active, single_draft(w.books, "Draft book", cny("10.00")));
    const auto sold = catalog.create_product(owner, w.active, single_draft(w.books, "Listed book", cny("20.00")));
    catalog.put_on_sale(owner, sold);
    const auto delisted = catalog.create_product(owner, w.active, single_draft(w.books, "Old book", cny("30.00")));
    catalog.put_on_sale(owner, delisted);
    catalog.delist(owner, delisted);
    CHECK(ids_of(catalog.products_of(owner, w.active, std::nullopt)) == std::vector{delisted, sold, draft, w.shirt});
    CHECK(ids_of(catalog.products_of(World::as(w.op), w.active, ProductStatus::on_sale)) == std::vector{sold, w.shirt});
    CHECK(ids_of(catalog.products_of(owner, w.active, std::nullopt, Page{1, 2})) == std::vector{sold, draft});
    CHECK(ids_of(catalog.products_of(World::as(w.customer), w.active, std::nullopt)) == std::vector{sold, w.shirt});
    CHECK(ids_of(catalog.products_of(World::as(w.other_staff), w.active, ProductStatus::on_sale)) ==
          std::vector{sold, w.shirt});
    CHECK(error_of([&] { catalog.products_of(World::as(w.customer), w.active, ProductStatus::draft); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { catalog.products_of(owner, w.active, std::nullopt, Page{0, 0}); }) == Errc::invalid_argument);
    CHECK(error_of([&] { catalog.products_of(owner, ShopId{999}, std::nullopt); }) == Errc::not_found);
    // A suspended shop's products are invisible to outsiders, as the shop itself is.
    w.shops().suspend(World::as(w.op), w.active, "inspection");
    CHECK(error_of([&] { catalog.products_of(World::as(w.customer), w.active, std::nullopt); }) == Errc::not_found);
    CHECK(catalog.products_of(owner, w.active, std::nullopt).size() == 4);
}

TEST_CASE("catalog: commission is the shop's override, else the category's inherited rate") {
    Catalogued w;
    auto& catalog = w.catalog();
    CHECK(catalog.commission_bps(World::as(w.owner), w.shirt) == 500);  // shirts inherits apparel's 5 %
    catalog.set_category_commission(World::as(w.op), w.shirts, 650);
    CHECK(catalog.commission_bps(World::as(w.staff), w.shirt) == 650);
    w.shops().set_commission(World::as(w.op), w.active, 120);
    CHECK(catalog.commission_bps(World::as(w.op), w.shirt) == 120);
    CHECK(catalog.commission_bps(World::as(w.other_owner), w.other_shirt) == 650);
    CHECK(error_of([&] { catalog.commission_bps(World::as(w.customer), w.shirt); }) == Errc::forbidden);
    CHECK(error_of([&] { catalog.commission_bps(World::as(w.other_owner), w.shirt); }) == Errc::forbidden);
}

// ---------------------------------------------------------------------------------------
// Replay

namespace {

struct CatalogView {
    std::vector<CategoryInfo> categories;
    std::vector<ProductInfo> products;
    std::vector<std::vector<AuditEntry>> trails;
    friend bool operator==(const CatalogView&, const CatalogView&) = default;
};

CatalogView view_of(Marketplace& market) {
    CatalogView view;
    for (std::uint64_t id = 1;; ++id) {
        try {
            view.categories.push_back(market.catalog().category(CategoryId{id}));
        } catch (const Error& e) {
            REQUIRE(e.code() == Errc::not_found);
            break;
        }
    }
    for (std::uint64_t id = 1;; ++id) {
        try {
            view.products.push_back(market.catalog().product(Actor::system(), ProductId{id}));
        } catch (const Error& e) {
            REQUIRE(e.code() == Errc::not_found);
            break;
        }
        view.trails.push_back(market.audit(Actor::system(), EntityRef::of(ProductId{id})));
    }
    return view;
}

}  // namespace

TEST_CASE("catalog: a reopened SQLite marketplace holds the same catalog, and goes on the same way") {
    TempDir dir;
    const auto path = dir / "catalog.souk";
    auto clock = std::make_shared<ManualClock>(fixture_start());
    CatalogView before;
    {
        auto market = Marketplace::open_sqlite(path, fast_options(clock));
        auto& catalog = market.catalog();
        const auto admin = Actor::user(market.accounts().bootstrap_admin("admin@souk.test", fixture_password, "Admin"));
        const auto seller =
            Actor::user(market.accounts().register_user("seller@souk.test", fixture_password, "Seller"));
        const auto shop = market.shops().apply(seller, application_named("Seller Shop"));
        market.shops().approve(admin, shop);
        const auto apparel =
            catalog.create_category(admin, CategorySpec{"Apparel", std::nullopt, 500, {{"brand", true, {}}}});
        const auto shirts = catalog.create_category(admin, CategorySpec{"Shirts", apparel, std::nullopt, {}});
        const auto misc = catalog.create_category(admin, CategorySpec{"Misc", std::nullopt, std::nullopt, {}});
        catalog.rename_category(admin, misc, "Miscellany");
        catalog.move_category(admin, misc, apparel);
        catalog.set_category_commission(admin, shirts, 700);
        catalog.set_category_attributes(admin, shirts, {{"material", false, {"linen"}}});
        catalog.retire_category(admin, misc);
        clock->advance(std::chrono::minutes(5));
        const auto shirt = catalog.create_product(seller, shop, shirt_draft(shirts));
        catalog.put_on_sale(seller, shirt);
        const auto skus = catalog.product(seller, shirt).skus;
        catalog.set_sku_price(seller, skus[0].id, cny("59.00"), cny("99.00"));
        catalog.set_sku_details(seller, skus[1].id, 200, "CODE-1");
        catalog.update_product(seller, shirt, ProductUpdate{.description = std::string("v2")});
        auto draft = shirt_draft(shirts);
        draft.specs[1].values.push_back("L");
        draft.skus.push_back(SkuDraft{{"red", "L"}, cny("99.00"), std::nullopt, 250, "", std::nullopt});
        draft.skus.push_back(SkuDraft{{"blue", "L"}, cny("99.00"), std::nullopt, 250, "", std::nullopt});
        draft.skus.erase(draft.skus.begin());
        draft.specs[0].values = {"red", "blue"};
        draft.skus.insert(draft.skus.begin(), SkuDraft{{"red", "S"}, cny("1.00"), std::nullopt, 1, "", skus[0].id});
        draft.skus[1].code = "CODE-1";  // red/M keeps its code
        catalog.set_specs(seller, shirt, draft.specs, draft.skus);
        catalog.delist(seller, shirt);
        catalog.ban(admin, shirt, "review");
        catalog.lift_ban(admin, shirt);
        auto book_draft = single_draft(shirts, "Book", cny("12.00"));
        book_draft.attributes = {{"brand", "Souk"}};
        const auto book = catalog.create_product(seller, shop, book_draft);
        catalog.put_on_sale(seller, book);
        market.inventory().adjust(seller, {{catalog.product(seller, book).skus[0].id, 3}}, "delivery");
        before = view_of(market);
        REQUIRE(before.categories.size() == 3);
        REQUIRE(before.products.size() == 2);
    }
    auto reopened = Marketplace::open_sqlite(path, fast_options(clock));
    CHECK(view_of(reopened) == before);
    // Ids, codes and names carry on where they left off.
    const auto seller = Actor::user(UserId{2});
    auto& catalog = reopened.catalog();
    CHECK(catalog.create_category(Actor::system(), CategorySpec{"Toys", std::nullopt, std::nullopt, {}}) ==
          CategoryId{4});
    const auto next = catalog.create_product(seller, ShopId{1}, single_draft(CategoryId{2}, "Next", cny("5.00")));
    CHECK(next == ProductId{3});
    CHECK(catalog.product(seller, next).skus[0].id.value == before.products[1].skus[0].id.value + 1);
    CHECK(error_of([&] {
              catalog.set_sku_details(seller, catalog.product(seller, next).skus[0].id, 0, "CODE-1");
          }) == Errc::already_exists);
}
