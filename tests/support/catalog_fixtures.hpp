// A World with a category tree and products on sale, for the catalog, inventory and replay
// tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "souk/catalog.hpp"
#include "souk/inventory.hpp"
#include "souk/money.hpp"
#include "support/fixtures.hpp"

namespace souk::test {

inline Money cny(std::string_view amount) { return Money::parse(amount, Currency::of("CNY")); }

// A shirt in colour {red, blue} × size {S, M}: four SKUs in that order, 99.00 CNY (was 129.00).
inline ProductDraft shirt_draft(CategoryId category, std::string title = "Linen shirt") {
    ProductDraft draft;
    draft.title = std::move(title);
    draft.description = "Breathable.\nMachine washable.";
    draft.category = category;
    draft.attributes = {{"brand", "Souk"}, {"material", "linen"}};
    draft.images = {"https://img.example.com/shirt-front.jpg", "https://img.example.com/shirt-back.jpg"};
    draft.specs = {{"colour", {"red", "blue"}}, {"size", {"S", "M"}}};
    for (const auto* colour : {"red", "blue"})
        for (const auto* size : {"S", "M"})
            draft.skus.push_back(SkuDraft{{colour, size}, cny("99.00"), cny("129.00"), 250, "", std::nullopt});
    return draft;
}

// A product without spec dimensions: one SKU.
inline ProductDraft single_draft(CategoryId category, std::string title, Money price) {
    ProductDraft draft;
    draft.title = std::move(title);
    draft.category = category;
    draft.skus.push_back(SkuDraft{{}, price, std::nullopt, 500, "", std::nullopt});
    return draft;
}

// The World plus:
//   apparel (top level, 5 %, requires "brand") ⊃ shirts (inherits the rate, "material": linen|cotton);
//   books (top level, 3 %, no attributes);
//   shirt: owner's active shop, on sale, 4 SKUs; other_shirt: other_shop's, on sale, 4 SKUs.
struct Catalogued : World {
    CategoryId apparel, shirts, books;
    ProductId shirt, other_shirt;
    std::vector<SkuId> shirt_skus, other_skus;

    Catalogued() {
        apparel = catalog().create_category(as(op), CategorySpec{"Apparel", std::nullopt, 500, {{"brand", true, {}}}});
        shirts = catalog().create_category(
            as(op), CategorySpec{"Shirts", apparel, std::nullopt, {{"material", false, {"linen", "cotton"}}}});
        books = catalog().create_category(as(admin), CategorySpec{"Books", std::nullopt, 300, {}});
        tick();
        shirt = catalog().create_product(as(staff), active, shirt_draft(shirts));
        catalog().put_on_sale(as(owner), shirt);
        shirt_skus = sku_ids(shirt);
        tick();
        other_shirt = catalog().create_product(as(other_owner), other_shop, shirt_draft(shirts, "Cotton shirt"));
        catalog().put_on_sale(as(other_staff), other_shirt);
        other_skus = sku_ids(other_shirt);
    }

    Catalog& catalog() { return market.catalog(); }
    Inventory& inventory() { return market.inventory(); }

    std::vector<SkuId> sku_ids(ProductId product) {
        std::vector<SkuId> ids;
        for (const auto& sku : catalog().product(sys(), product).skus) ids.push_back(sku.id);
        return ids;
    }
    // An hour from now: a valid reservation expiry.
    Timestamp soon() const { return clock->now() + std::chrono::hours(1); }
};

}  // namespace souk::test
