#include "catalog/lookup.hpp"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "souk/error.hpp"

namespace souk::detail {

const CategoryRecord& category_or_throw(const CatalogState& catalog, CategoryId category) {
    const auto* record = catalog.find_category(category);
    if (!record) throw Error(Errc::not_found, fmt::format("no category {}", category));
    return *record;
}

const ProductRecord& product_or_throw(const CatalogState& catalog, ProductId product) {
    const auto* record = catalog.find_product(product);
    if (!record) throw Error(Errc::not_found, fmt::format("no product {}", product));
    return *record;
}

const SkuRecord& sku_or_throw(const CatalogState& catalog, SkuId sku) {
    const auto* record = catalog.find_sku(sku);
    if (!record) throw Error(Errc::not_found, fmt::format("no SKU {}", sku));
    return *record;
}

std::vector<CategoryId> category_path(const CatalogState& catalog, CategoryId category) {
    std::vector<CategoryId> path;
    for (auto id = category; id;) {
        const auto* record = catalog.find_category(id);
        assert(record && path.size() < Catalog::max_category_depth);
        path.push_back(id);
        id = record->parent;
    }
    std::reverse(path.begin(), path.end());
    return path;
}

std::vector<AttributeDefinition> effective_attributes(const CatalogState& catalog, CategoryId category) {
    std::vector<AttributeDefinition> effective;
    for (const auto id : category_path(catalog, category)) {
        for (const auto& definition : catalog.find_category(id)->attributes) {
            const auto same_name = std::find_if(effective.begin(), effective.end(),
                                                [&](const auto& d) { return d.name == definition.name; });
            if (same_name == effective.end()) {
                effective.push_back(definition);
            } else {
                *same_name = definition;
            }
        }
    }
    return effective;
}

int effective_commission_bps(const CatalogState& catalog, CategoryId category) {
    for (auto id = category; id;) {
        const auto* record = catalog.find_category(id);
        assert(record);
        if (record->commission_bps) return *record->commission_bps;
        id = record->parent;
    }
    return 0;
}

int product_commission_bps(const State& state, const ProductRecord& product) {
    const auto* shop = state.shops.find(product.shop);
    assert(shop);
    return shop->commission_bps ? *shop->commission_bps : effective_commission_bps(state.catalog, product.category);
}

bool on_display(const State& state, const ProductRecord& product) {
    const auto* shop = state.shops.find(product.shop);
    assert(shop);
    return product.status == ProductStatus::on_sale && shop->status == ShopStatus::active;
}

Purchasable require_purchasable(const State& state, SkuId sku_id) {
    const auto& sku = sku_or_throw(state.catalog, sku_id);
    if (sku.dropped)
        throw Error(Errc::invalid_state,
                    fmt::format("SKU {} is no longer sold: product {} dropped it", sku.id, sku.product));
    const auto* product = state.catalog.find_product(sku.product);
    const auto* shop = state.shops.find(sku.shop);
    assert(product && shop);
    if (product->status != ProductStatus::on_sale)
        throw Error(Errc::invalid_state, fmt::format("product {} is not on sale: it is {}", product->id,
                                                     product_status_name(product->status)));
    if (shop->status != ShopStatus::active)
        throw Error(Errc::invalid_state,
                    fmt::format("shop {} is {}: only active shops sell", shop->id, shop_status_name(shop->status)));
    return {sku, *product, *shop};
}

}  // namespace souk::detail
