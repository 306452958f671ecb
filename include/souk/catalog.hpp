// souk — the catalog: the platform's category tree and what shops sell (products, their
// spec dimensions and SKUs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"
#include "souk/paging.hpp"
#include "souk/search.hpp"

namespace souk {

namespace detail {
class Kernel;
}

// ---------------------------------------------------------------------------------------
// Categories

// One attribute the products of a category describe themselves with ("brand", "material").
// With allowed_values empty any text of 1..120 characters is a valid value; otherwise the
// value must be one of them, exactly.
struct AttributeDefinition {
    std::string name;  // 1..30 characters, distinct within one category's definitions
    bool required = false;
    std::vector<std::string> allowed_values;  // at most 200, each 1..60 characters, distinct
    friend bool operator==(const AttributeDefinition&, const AttributeDefinition&) = default;
};

struct CategorySpec {
    std::string name;                   // 1..40 characters, unique among its live siblings
    std::optional<CategoryId> parent;   // nullopt: a top-level category
    std::optional<int> commission_bps;  // 0..10000; unset: inherited from the parent
    std::vector<AttributeDefinition> attributes;  // at most 30
    friend bool operator==(const CategorySpec&, const CategorySpec&) = default;
};

struct CategoryInfo {
    CategoryId id;
    std::optional<CategoryId> parent;
    std::string name;
    std::vector<CategoryId> path;       // from the top-level ancestor down to this category
    std::optional<int> commission_bps;  // set on this category itself
    int effective_commission_bps = 0;   // this one's, else the nearest ancestor's, else 0
    std::vector<AttributeDefinition> attributes;            // defined on this category
    std::vector<AttributeDefinition> effective_attributes;  // with the ancestors'; the nearest wins a name
    std::vector<CategoryId> children;   // by id, retired ones included
    bool retired = false;
    Timestamp created_at{};
    friend bool operator==(const CategoryInfo&, const CategoryInfo&) = default;
};

// ---------------------------------------------------------------------------------------
// Products and SKUs

//   draft ──put_on_sale──▶ on_sale ◀──put_on_sale── delisted
//                            └──────────delist──────────▲
//   draft | on_sale | delisted ──ban──▶ banned ──lift_ban──▶ delisted (draft if never on sale)
// Only the platform bans and lifts bans.
enum class ProductStatus : std::uint8_t { draft = 1, on_sale = 2, delisted = 3, banned = 4 };
std::string_view product_status_name(ProductStatus status) noexcept;

// A spec dimension the shop defines ("colour": red, blue; "size": S, M, L).
struct SpecDimension {
    std::string name;                 // 1..30 characters, distinct within the product
    std::vector<std::string> values;  // 1..100 values, each 1..40 characters, distinct
    friend bool operator==(const SpecDimension&, const SpecDimension&) = default;
};

// A SKU as the shop writes it. A product has exactly one SKU per combination of its
// dimensions' values (one SKU with an empty spec when it has no dimensions).
struct SkuDraft {
    std::vector<std::string> spec;     // one value per dimension, in dimension order
    Money price;                       // 1..Catalog::max_price_minor_units; every SKU of a product in one currency
    std::optional<Money> list_price;   // the "was" price, shown struck through: at least `price`
    std::int64_t weight_grams = 0;     // 0..100'000'000
    std::string code;                  // barcode or the shop's own code, 0..64 characters; unique in the shop when set
    // Only for Catalog::set_specs: the SKU this draft continues (its id, stock and history),
    // even if its spec values change. Unset: the SKU with the same spec values continues, if
    // there is one; otherwise the draft is a new SKU.
    std::optional<SkuId> keep;
    friend bool operator==(const SkuDraft&, const SkuDraft&) = default;
};

struct ProductDraft {
    std::string title;        // 1..120 characters
    std::string description;  // 0..10'000 characters, line breaks allowed
    CategoryId category;      // a category that is not retired
    std::map<std::string, std::string> attributes;  // checked against the category's definitions
    std::vector<std::string> images;  // at most 20 http:// or https:// URLs, each at most 2048 bytes
    std::vector<SpecDimension> specs; // at most 5 dimensions, at most 600 combinations
    std::vector<SkuDraft> skus;
    friend bool operator==(const ProductDraft&, const ProductDraft&) = default;
};

// A content edit: fields left unset keep their value; attributes and images replace the whole set.
struct ProductUpdate {
    std::optional<std::string> title{};
    std::optional<std::string> description{};
    std::optional<CategoryId> category{};
    std::optional<std::map<std::string, std::string>> attributes{};
    std::optional<std::vector<std::string>> images{};
    friend bool operator==(const ProductUpdate&, const ProductUpdate&) = default;
};

struct SkuInfo {
    SkuId id;
    ProductId product;
    std::vector<std::string> spec;
    Money price;
    std::optional<Money> list_price;
    std::int64_t weight_grams = 0;
    std::string code;
    std::int64_t available = 0;  // units that can be ordered now (see Inventory)
    friend bool operator==(const SkuInfo&, const SkuInfo&) = default;
};

struct ProductInfo {
    ProductId id;
    ShopId shop;
    CategoryId category;
    std::string title;
    std::string description;
    std::map<std::string, std::string> attributes;
    std::vector<std::string> images;
    std::vector<SpecDimension> specs;
    std::vector<SkuInfo> skus;  // in the shop's order
    Currency currency;          // of every SKU's price
    ProductStatus status{};
    std::string ban_reason;     // while banned
    std::uint64_t sales = 0;    // units sold over the product's life, all SKUs
    Timestamp created_at{};
    Timestamp updated_at{};
    friend bool operator==(const ProductInfo&, const ProductInfo&) = default;
};

// A SKU that can be bought right now: what an order line needs to know of it.
struct PurchasableSku {
    SkuId sku;
    ProductId product;
    ShopId shop;
    std::string title;               // the product's
    std::vector<std::string> spec;
    Money price;
    std::optional<Money> list_price;
    std::int64_t weight_grams = 0;
    std::int64_t available = 0;
    friend bool operator==(const PurchasableSku&, const PurchasableSku&) = default;
};

// The catalog service. Categories are the platform's: platform admins and operators manage
// them, anyone reads them. Products belong to their shop: only its owner and staff create
// and edit them (and the system actor); platform staff may ban and lift bans and read
// everything, but not edit. Anyone else sees only products on sale in active shops; every
// other product does not exist for them (not_found).
//
// Price and spec edits are events like any other: Marketplace::audit with
// EntityRef::of(product) or EntityRef::of(sku) shows a product's or a SKU's history.
//
// Thread-safety: like every service, any number of threads may call it at once.
class Catalog {
public:
    static constexpr std::size_t max_category_depth = 6;
    static constexpr std::size_t max_categories = 10'000;
    static constexpr std::size_t max_products_per_shop = 100'000;
    static constexpr std::size_t max_sku_combinations = 600;
    static constexpr std::int64_t max_price_minor_units = 1'000'000'000'000;

    // ---- categories: platform staff ----
    CategoryId create_category(const Actor& actor, const CategorySpec& spec);
    void rename_category(const Actor& actor, CategoryId category, const std::string& name);
    // Moves a category and its subtree under another parent, or to the top with nullopt. The
    // new parent must not be the category itself or under it, nor retired; depth stays ≤ 6.
    void move_category(const Actor& actor, CategoryId category, std::optional<CategoryId> parent);
    // A retired category takes no new products or children, and its products cannot be put
    // on sale until moved to another category; products on sale stay on sale. Its children
    // must be retired first. Final.
    void retire_category(const Actor& actor, CategoryId category);
    void set_category_commission(const Actor& actor, CategoryId category, std::optional<int> basis_points);
    // Replaces the category's own attribute definitions. Products are checked against the
    // new definitions when next edited or put on sale; products on sale stay on sale.
    void set_category_attributes(const Actor& actor, CategoryId category,
                                 const std::vector<AttributeDefinition>& attributes);

    // ---- categories: anyone ----
    CategoryInfo category(CategoryId category) const;
    // The children of `parent` (top-level categories for nullopt), by name then id.
    std::vector<CategoryInfo> categories(std::optional<CategoryId> parent, bool include_retired = false) const;

    // ---- products: the shop's owner and staff ----
    // Creates a draft in an active or suspended shop. The SKUs' drafts must not set `keep`.
    ProductId create_product(const Actor& actor, ShopId shop, const ProductDraft& draft);
    // A product on sale must keep its category's required attributes.
    void update_product(const Actor& actor, ProductId product, const ProductUpdate& update);
    // Replaces the spec dimensions and the SKUs (see SkuDraft::keep). A SKU that is dropped
    // while it has reserved units is refused (invalid_state); a dropped SKU keeps its id,
    // stock and history but can no longer be reserved or bought.
    void set_specs(const Actor& actor, ProductId product, const std::vector<SpecDimension>& specs,
                   const std::vector<SkuDraft>& skus);
    // The price must be in the product's currency (set_specs changes the currency).
    void set_sku_price(const Actor& actor, SkuId sku, const Money& price, const std::optional<Money>& list_price);
    void set_sku_details(const Actor& actor, SkuId sku, std::int64_t weight_grams, const std::string& code);
    // draft or delisted → on_sale. The shop must be active, the category not retired and every
    // required attribute set.
    void put_on_sale(const Actor& actor, ProductId product);
    // on_sale → delisted.
    void delist(const Actor& actor, ProductId product);

    // ---- products: platform staff ----
    // Any status but banned → banned: the product leaves sale and the shop cannot list it.
    void ban(const Actor& actor, ProductId product, const std::string& reason);
    // banned → delisted (draft if it was never on sale); the shop decides when to sell again.
    void lift_ban(const Actor& actor, ProductId product);

    // ---- products: queries ----
    ProductInfo product(const Actor& actor, ProductId product) const;
    // The product a SKU belongs to, with the same visibility.
    ProductInfo product_of_sku(const Actor& actor, SkuId sku) const;
    // A shop's products, newest first, optionally of one status: every status for the shop's
    // members and platform staff; for anyone else only products on sale in an active shop
    // (another status is forbidden, a shop that is not active not_found).
    std::vector<ProductInfo> products_of(const Actor& actor, ShopId shop, std::optional<ProductStatus> status,
                                         Page page = {}) const;
    // What buying the SKU would cost now, if it can be bought: the SKU is live, its product
    // on sale and its shop active. Otherwise not_found (no such SKU) or invalid_state saying
    // why (the SKU was dropped, the product is not on sale, the shop is not active). Anyone.
    // Stock is not checked here: `available` tells it, reserving enforces it.
    PurchasableSku purchasable(SkuId sku) const;
    // The commission the platform takes on the product's sales, in basis points: the shop's
    // override if set, else its category's effective rate. Shop members and platform staff.
    int commission_bps(const Actor& actor, ProductId product) const;

    // ---- search (see souk/search.hpp) ----
    // What the public finds: products on display (on sale in an active shop). For guests of
    // a storefront, who have no Actor.
    SearchResult search(const SearchQuery& query) const;
    // What the actor finds: the public's products, and also the ones not on display that the
    // actor may see — every product for platform staff, their own shops' for a shop's owner
    // and staff (SearchHit::on_display tells them apart). Anyone else, including a disabled
    // or unknown user, finds what the public finds.
    SearchResult search(const Actor& actor, const SearchQuery& query) const;

private:
    friend class Marketplace;
    Catalog(detail::Kernel& kernel, Currency currency) : kernel_(&kernel), currency_(currency) {}
    detail::Kernel* kernel_;
    Currency currency_;  // what a search covers when its query names no currency
};

}  // namespace souk
