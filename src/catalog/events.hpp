// Catalog events: categories, products, SKUs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/state.hpp"
#include "kernel/event.hpp"
#include "kernel/registry.hpp"

namespace souk::detail {

struct AttributeDefinitionFields {
    std::string name;
    bool required = false;
    std::vector<std::string> allowed_values;
    template <class V>
    void visit(V&& v) {
        v("name", name), v("required", required), v("allowed_values", allowed_values);
    }

    static std::vector<AttributeDefinitionFields> from(const std::vector<AttributeDefinition>& list);
    static std::vector<AttributeDefinition> to(const std::vector<AttributeDefinitionFields>& list);
};

// One attribute value of a product (events hold the product's map as a list).
struct AttributeValueFields {
    std::string name;
    std::string value;
    template <class V> void visit(V&& v) { v("name", name), v("value", value); }

    static std::vector<AttributeValueFields> from(const std::map<std::string, std::string>& values);
    static std::map<std::string, std::string> to(const std::vector<AttributeValueFields>& list);
};

struct SpecDimensionFields {
    std::string name;
    std::vector<std::string> values;
    template <class V> void visit(V&& v) { v("name", name), v("values", values); }

    static std::vector<SpecDimensionFields> from(const std::vector<SpecDimension>& list);
    static std::vector<SpecDimension> to(const std::vector<SpecDimensionFields>& list);
};

// One SKU as a product event states it: the whole SKU, so apply needs nothing else.
struct SkuFields {
    SkuId sku;
    std::vector<std::string> spec;
    Money price;
    std::optional<Money> list_price;
    std::int64_t weight_grams = 0;
    std::string code;
    template <class V> void visit(V&& v) {
        v("sku", sku), v("spec", spec), v("price", price), v("list_price", list_price),
            v("weight_grams", weight_grams), v("code", code);
    }
    static SkuFields from(SkuId id, const SkuDraft& draft) {
        return {id, draft.spec, draft.price, draft.list_price, draft.weight_grams, draft.code};
    }
};

// ---- categories ----

struct CategoryCreated {
    static constexpr EventKind kind = EventKind::category_created;
    static constexpr std::string_view name = "CategoryCreated";
    static constexpr std::uint8_t version = 1;
    CategoryId category;
    CategoryId parent;  // zero: top level
    std::string category_name;
    std::optional<int> commission_bps;
    std::vector<AttributeDefinitionFields> attributes;
    template <class V> void visit(V&& v) {
        v("category", category), v("parent", parent), v("name", category_name), v("commission_bps", commission_bps),
            v("attributes", attributes);
    }
    void apply(State& state, const EventContext& context) const;
};

struct CategoryRenamed {
    static constexpr EventKind kind = EventKind::category_renamed;
    static constexpr std::string_view name = "CategoryRenamed";
    static constexpr std::uint8_t version = 1;
    CategoryId category;
    std::string category_name;
    template <class V> void visit(V&& v) { v("category", category), v("name", category_name); }
    void apply(State& state, const EventContext& context) const;
};

struct CategoryMoved {
    static constexpr EventKind kind = EventKind::category_moved;
    static constexpr std::string_view name = "CategoryMoved";
    static constexpr std::uint8_t version = 1;
    CategoryId category;
    CategoryId parent;  // zero: top level
    template <class V> void visit(V&& v) { v("category", category), v("parent", parent); }
    void apply(State& state, const EventContext& context) const;
};

struct CategoryRetired {
    static constexpr EventKind kind = EventKind::category_retired;
    static constexpr std::string_view name = "CategoryRetired";
    static constexpr std::uint8_t version = 1;
    CategoryId category;
    template <class V> void visit(V&& v) { v("category", category); }
    void apply(State& state, const EventContext& context) const;
};

struct CategoryCommissionSet {
    static constexpr EventKind kind = EventKind::category_commission_set;
    static constexpr std::string_view name = "CategoryCommissionSet";
    static constexpr std::uint8_t version = 1;
    CategoryId category;
    std::optional<int> basis_points;
    template <class V> void visit(V&& v) { v("category", category), v("basis_points", basis_points); }
    void apply(State& state, const EventContext& context) const;
};

struct CategoryAttributesSet {
    static constexpr EventKind kind = EventKind::category_attributes_set;
    static constexpr std::string_view name = "CategoryAttributesSet";
    static constexpr std::uint8_t version = 1;
    CategoryId category;
    std::vector<AttributeDefinitionFields> attributes;
    template <class V> void visit(V&& v) { v("category", category), v("attributes", attributes); }
    void apply(State& state, const EventContext& context) const;
};

// ---- products ----

struct ProductCreated {
    static constexpr EventKind kind = EventKind::product_created;
    static constexpr std::string_view name = "ProductCreated";
    static constexpr std::uint8_t version = 1;
    ProductId product;
    ShopId shop;
    CategoryId category;
    std::string title;
    std::string description;
    std::vector<AttributeValueFields> attributes;
    std::vector<std::string> images;
    std::vector<SpecDimensionFields> specs;
    std::vector<SkuFields> skus;  // with consecutive fresh ids
    template <class V> void visit(V&& v) {
        v("product", product), v("shop", shop), v("category", category), v("title", title),
            v("description", description), v("attributes", attributes), v("images", images), v("specs", specs),
            v("skus", skus);
    }
    void apply(State& state, const EventContext& context) const;
};

struct ProductUpdated {
    static constexpr EventKind kind = EventKind::product_updated;
    static constexpr std::string_view name = "ProductUpdated";
    static constexpr std::uint8_t version = 1;
    ProductId product;
    std::optional<std::string> title;
    std::optional<std::string> description;
    std::optional<CategoryId> category;
    std::optional<std::vector<AttributeValueFields>> attributes;
    std::optional<std::vector<std::string>> images;
    template <class V> void visit(V&& v) {
        v("product", product), v("title", title), v("description", description), v("category", category),
            v("attributes", attributes), v("images", images);
    }
    void apply(State& state, const EventContext& context) const;
};

// The product's whole spec: its dimensions and every live SKU (continuing ones with their
// ids, new ones with consecutive fresh ids), and the SKUs it drops.
struct ProductSpecsSet {
    static constexpr EventKind kind = EventKind::product_specs_set;
    static constexpr std::string_view name = "ProductSpecsSet";
    static constexpr std::uint8_t version = 1;
    ProductId product;
    std::vector<SpecDimensionFields> specs;
    std::vector<SkuFields> skus;
    std::vector<SkuId> dropped;
    template <class V>
    void visit(V&& v) {
        v("product", product), v("specs", specs), v("skus", skus), v("dropped", dropped);
    }
    void apply(State& state, const EventContext& context) const;
};

struct SkuPriceChanged {
    static constexpr EventKind kind = EventKind::sku_price_changed;
    static constexpr std::string_view name = "SkuPriceChanged";
    static constexpr std::uint8_t version = 1;
    ProductId product;
    SkuId sku;
    Money price;
    std::optional<Money> list_price;
    template <class V>
    void visit(V&& v) {
        v("product", product), v("sku", sku), v("price", price), v("list_price", list_price);
    }
    void apply(State& state, const EventContext& context) const;
};

struct SkuDetailsChanged {
    static constexpr EventKind kind = EventKind::sku_details_changed;
    static constexpr std::string_view name = "SkuDetailsChanged";
    static constexpr std::uint8_t version = 1;
    ProductId product;
    SkuId sku;
    std::int64_t weight_grams = 0;
    std::string code;
    template <class V> void visit(V&& v) {
        v("product", product), v("sku", sku), v("weight_grams", weight_grams), v("code", code);
    }
    void apply(State& state, const EventContext& context) const;
};

// Status changes of a product: each carries the product and, for a ban, the reason.
template <EventKind Kind, const char* Name>
struct ProductTransition {
    static constexpr EventKind kind = Kind;
    static constexpr std::string_view name = Name;
    static constexpr std::uint8_t version = 1;
    ProductId product;
    std::string reason;
    template <class V> void visit(V&& v) { v("product", product), v("reason", reason); }
    void apply(State& state, const EventContext& context) const;
};

inline constexpr char product_listed_name[] = "ProductListed";
inline constexpr char product_delisted_name[] = "ProductDelisted";
inline constexpr char product_banned_name[] = "ProductBanned";
inline constexpr char product_ban_lifted_name[] = "ProductBanLifted";
using ProductListed = ProductTransition<EventKind::product_listed, product_listed_name>;
using ProductDelisted = ProductTransition<EventKind::product_delisted, product_delisted_name>;
using ProductBanned = ProductTransition<EventKind::product_banned, product_banned_name>;
using ProductBanLifted = ProductTransition<EventKind::product_ban_lifted, product_ban_lifted_name>;

using CatalogEvents =
    EventList<CategoryCreated, CategoryRenamed, CategoryMoved, CategoryRetired, CategoryCommissionSet,
              CategoryAttributesSet, ProductCreated, ProductUpdated, ProductSpecsSet, SkuPriceChanged,
              SkuDetailsChanged, ProductListed, ProductDelisted, ProductBanned, ProductBanLifted>;

}  // namespace souk::detail
