// Catalog state: the category tree, products and SKUs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/multi_index/composite_key.hpp>
#include <boost/multi_index/hashed_index.hpp>
#include <boost/multi_index/member.hpp>
#include <boost/multi_index/ordered_index.hpp>
#include <boost/multi_index_container.hpp>

#include "souk/catalog.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"

namespace souk::detail {

struct CategoryRecord {
    CategoryId id;
    CategoryId parent;  // zero for a top-level category
    std::string name;
    std::optional<int> commission_bps;
    std::vector<AttributeDefinition> attributes;
    bool retired = false;
    Timestamp created_at{};
};

struct SkuRecord {
    SkuId id;
    ProductId product;
    ShopId shop;
    std::vector<std::string> spec;
    Money price;
    std::optional<Money> list_price;
    std::int64_t weight_grams = 0;
    std::string code;
    bool dropped = false;  // no longer one of its product's SKUs; kept for its stock and history
};

struct ProductRecord {
    ProductId id;
    ShopId shop;
    CategoryId category;
    std::string title;
    std::string description;
    std::map<std::string, std::string> attributes;
    std::vector<std::string> images;
    std::vector<SpecDimension> specs;
    std::vector<SkuId> skus;  // the live SKUs, in the shop's order
    Currency currency;
    ProductStatus status = ProductStatus::draft;
    bool ever_on_sale = false;  // where a lifted ban leads: delisted if true, else draft
    std::string ban_reason;
    std::uint64_t sales = 0;  // units committed, all SKUs (kept by inventory events)
    Timestamp created_at{};
    Timestamp updated_at{};
};

struct by_category_id {};
struct by_parent {};
struct by_product_id {};
struct by_product_shop {};
struct by_sku_id {};
struct by_sku_product {};

namespace bmi = boost::multi_index;

using CategoryTable = bmi::multi_index_container<
    CategoryRecord,
    bmi::indexed_by<
        bmi::hashed_unique<bmi::tag<by_category_id>, bmi::member<CategoryRecord, CategoryId, &CategoryRecord::id>,
                           std::hash<CategoryId>>,
        bmi::ordered_unique<bmi::tag<by_parent>,
                            bmi::composite_key<CategoryRecord,
                                               bmi::member<CategoryRecord, CategoryId, &CategoryRecord::parent>,
                                               bmi::member<CategoryRecord, CategoryId, &CategoryRecord::id>>>>>;

using ProductTable = bmi::multi_index_container<
    ProductRecord,
    bmi::indexed_by<
        bmi::hashed_unique<bmi::tag<by_product_id>, bmi::member<ProductRecord, ProductId, &ProductRecord::id>,
                           std::hash<ProductId>>,
        bmi::ordered_unique<bmi::tag<by_product_shop>,
                            bmi::composite_key<ProductRecord, bmi::member<ProductRecord, ShopId, &ProductRecord::shop>,
                                               bmi::member<ProductRecord, ProductId, &ProductRecord::id>>>>>;

// Every SKU a product ever had, dropped ones included.
using SkuTable = bmi::multi_index_container<
    SkuRecord,
    bmi::indexed_by<
        bmi::hashed_unique<bmi::tag<by_sku_id>, bmi::member<SkuRecord, SkuId, &SkuRecord::id>, std::hash<SkuId>>,
        bmi::ordered_unique<bmi::tag<by_sku_product>,
                            bmi::composite_key<SkuRecord, bmi::member<SkuRecord, ProductId, &SkuRecord::product>,
                                               bmi::member<SkuRecord, SkuId, &SkuRecord::id>>>>>;

struct CatalogState {
    CategoryTable categories;
    ProductTable products;
    SkuTable skus;
    // The codes of live SKUs, per shop: a code names one SKU of a shop.
    std::map<std::pair<ShopId, std::string>, SkuId> sku_codes;
    std::unordered_map<ShopId, std::size_t> products_per_shop;
    std::uint64_t last_category = 0;
    std::uint64_t last_product = 0;
    std::uint64_t last_sku = 0;

    const CategoryRecord* find_category(CategoryId id) const {
        const auto it = categories.find(id);
        return it == categories.end() ? nullptr : &*it;
    }
    const ProductRecord* find_product(ProductId id) const {
        const auto it = products.find(id);
        return it == products.end() ? nullptr : &*it;
    }
    const SkuRecord* find_sku(SkuId id) const {
        const auto it = skus.find(id);
        return it == skus.end() ? nullptr : &*it;
    }
    // The live SKU of `shop` with `code`, if any.
    std::optional<SkuId> sku_with_code(ShopId shop, const std::string& code) const {
        const auto it = sku_codes.find({shop, code});
        return it == sku_codes.end() ? std::nullopt : std::optional(it->second);
    }
};

}  // namespace souk::detail
