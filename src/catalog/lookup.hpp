// Reads of the catalog that its commands and queries share, and that the trade modules
// (orders, settlement) build on.
#pragma once

#include <vector>

#include "kernel/state.hpp"

namespace souk::detail {

const CategoryRecord& category_or_throw(const CatalogState& catalog, CategoryId category);
const ProductRecord& product_or_throw(const CatalogState& catalog, ProductId product);
const SkuRecord& sku_or_throw(const CatalogState& catalog, SkuId sku);

// The category's ancestors and the category itself, top-level first.
std::vector<CategoryId> category_path(const CatalogState& catalog, CategoryId category);
// The attribute definitions that apply to the category's products: its ancestors' and its
// own, top-level first; a definition replaces an ancestor's of the same name in place.
std::vector<AttributeDefinition> effective_attributes(const CatalogState& catalog, CategoryId category);
// The category's own rate, else its nearest ancestor's, else 0.
int effective_commission_bps(const CatalogState& catalog, CategoryId category);
// The commission on a product's sales: its shop's override, else its category's effective rate.
int product_commission_bps(const State& state, const ProductRecord& product);

// On sale in an active shop: what anyone may see, and what searches return to the public.
bool on_display(const State& state, const ProductRecord& product);

// A SKU that can be bought now, with its product and shop.
struct Purchasable {
    const SkuRecord& sku;
    const ProductRecord& product;
    const ShopRecord& shop;
};
// The SKU if it is live, its product on sale and its shop active. Otherwise throws
// not_found (no such SKU) or invalid_state saying which of these fails.
Purchasable require_purchasable(const State& state, SkuId sku);

}  // namespace souk::detail
