#include "search/sync.hpp"

#include <algorithm>
#include <cassert>
#include <unordered_set>
#include <vector>

#include "catalog/lookup.hpp"

namespace souk::detail::search_sync {
namespace {

// The index of `currency`, created on the first product priced in it. A new index learns
// every shop's name, as the existing ones did when each shop applied or changed its name.
SearchIndex& index_of(State& state, Currency currency) {
    if (auto* index = state.search.find(currency)) return *index;
    auto& index = state.search.indexes.emplace_back(currency);
    for (const auto& shop : state.shops.shops) index.set_shop_name(shop.id, shop.application.name);
    return index;
}

const ProductRecord& product_of(const State& state, ProductId product) {
    const auto* record = state.catalog.find_product(product);
    assert(record);
    return *record;
}

// The index holding the product: its currency's. Every product is indexed from its creation on.
SearchIndex& holding(State& state, const ProductRecord& product) {
    auto* index = state.search.find(product.currency);
    assert(index && index->contains(product.id));
    return *index;
}

SearchDocument document_of(const State& state, const ProductRecord& product) {
    SearchDocument document;
    document.product = product.id;
    document.shop = product.shop;
    document.category_path = category_path(state.catalog, product.category);
    document.title = product.title;
    for (const auto& [name, value] : product.attributes) document.attribute_values.push_back(value);
    for (const auto& dimension : product.specs)
        document.attribute_values.insert(document.attribute_values.end(), dimension.values.begin(),
                                         dimension.values.end());
    for (const auto id : product.skus) {
        const auto* sku = state.catalog.find_sku(id);
        assert(sku && !sku->dropped);
        document.skus.push_back({id, sku->price, state.inventory.available(id) > 0});
    }
    document.created = product.created_at;
    document.sales = product.sales;
    document.visible = on_display(state, product);
    return document;
}

}  // namespace

void product_changed(State& state, ProductId product) {
    const auto& record = product_of(state, product);
    for (auto& index : state.search.indexes)
        if (index.currency() != record.currency && index.contains(product)) index.remove(product);
    auto document = document_of(state, record);
    index_of(state, record.currency).upsert(document);
}

void product_status_changed(State& state, ProductId product) {
    const auto& record = product_of(state, product);
    holding(state, record).set_visible(product, on_display(state, record));
}

void price_changed(State& state, ProductId product, SkuId sku) {
    const auto* sku_record = state.catalog.find_sku(sku);
    assert(sku_record && sku_record->product == product);
    holding(state, product_of(state, product)).set_price(product, sku, sku_record->price);
}

void stock_changed(State& state, SkuId sku) {
    const auto* sku_record = state.catalog.find_sku(sku);
    assert(sku_record);
    if (sku_record->dropped) return;
    holding(state, product_of(state, sku_record->product))
        .set_in_stock(sku_record->product, sku, state.inventory.available(sku) > 0);
}

void sales_changed(State& state, ProductId product) {
    const auto& record = product_of(state, product);
    holding(state, record).set_sales(product, record.sales);
}

void category_moved(State& state, CategoryId category) {
    std::unordered_set<CategoryId> subtree{category};
    for (std::vector<CategoryId> pending{category}; !pending.empty();) {
        const auto parent = pending.back();
        pending.pop_back();
        const auto [first, last] = state.catalog.categories.get<by_parent>().equal_range(std::make_tuple(parent));
        for (auto it = first; it != last; ++it) {
            subtree.insert(it->id);
            pending.push_back(it->id);
        }
    }
    // Products are not indexed by category: moves are rare platform edits, so one pass over
    // the products costs less than an index kept up to date on every product edit.
    std::vector<ProductId> moved;
    for (const auto& product : state.catalog.products)
        if (subtree.contains(product.category)) moved.push_back(product.id);
    std::sort(moved.begin(), moved.end());
    for (const auto product : moved) product_changed(state, product);
}

void shop_changed(State& state, ShopId shop) {
    const auto* record = state.shops.find(shop);
    assert(record);
    for (auto& index : state.search.indexes) index.set_shop_name(shop, record->application.name);
    const auto [first, last] = state.catalog.products.get<by_product_shop>().equal_range(std::make_tuple(shop));
    for (auto it = first; it != last; ++it) holding(state, *it).set_visible(it->id, on_display(state, *it));
}

}  // namespace souk::detail::search_sync
