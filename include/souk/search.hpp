// souk — product search: keyword queries in Chinese and space-separated languages, with
// filters, sorts and paging. These are the values a search takes and returns;
// Catalog::search runs it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"
#include "souk/paging.hpp"

namespace souk {

// Result order. Every order ends with the product id, so equal results always come back in
// the same order.
enum class SearchSort : std::uint8_t {
    relevance = 1,         // best keyword match first; then best selling, newest
    price_ascending = 2,   // by the shown SKU's price; products without a SKU last
    price_descending = 3,  // by the shown SKU's price, highest first; products without a SKU last
    newest = 4,            // most recently created first
    sales = 5,             // most units sold first
};

// A search. Every field is optional: an empty text (or one without a single letter, digit
// or CJK character) browses every product the searcher may see (see Catalog::search) that
// passes the filters.
//
// Text matching is case-insensitive and treats full-width letters and digits as their ASCII
// forms. Every word of the query must occur in the product's title, one of its attribute or
// spec values, or its shop's name; the last word, when no space follows it, also matches
// longer words it begins ("blu" finds "bluetooth"). Chinese, Japanese and Korean need no
// spaces: each pair of adjacent characters in the query must occur as typed ("龙井" finds
// "西湖龙井绿茶"), and a single character matches wherever it occurs. When that finds
// nothing, the search runs once more requiring only each character of those runs, anywhere
// ("西湖绿茶" then finds "西湖龙井绿茶"), and says so in SearchResult::relaxed.
//
// A search covers the products priced in one currency (a product sells in one currency, and
// prices in different currencies neither filter nor sort together): `currency`, or the
// marketplace's (MarketplaceOptions::currency) when unset.
//
// Price bounds and in_stock_only look at each SKU: a product matches when one of its SKUs
// is within both bounds (and in stock, if asked). The hit then shows the cheapest such SKU,
// preferring one that is in stock.
struct SearchQuery {
    std::string text;                    // at most max_text_bytes; malformed UTF-8 separates words
    std::optional<CategoryId> category;  // this category and every category under it
    std::optional<ShopId> shop;
    std::optional<Currency> currency;    // whose products are searched; unset: the marketplace's
    std::optional<Money> min_price;      // inclusive, not negative, in the searched currency
    std::optional<Money> max_price;      // inclusive, at least min_price
    bool in_stock_only = false;
    SearchSort sort = SearchSort::relevance;
    Page page{};                         // limit 1..Page::max_limit, offset at most max_offset

    static constexpr std::size_t max_text_bytes = 1000;
    // Deeper pages cost a sort of everything before them; narrow the query instead.
    static constexpr std::size_t max_offset = 10'000;
};

// One product found: what a result list shows of it.
struct SearchHit {
    ProductId product;
    ShopId shop;
    SkuId sku;                   // the SKU shown (see SearchQuery); no id when the product has none
    std::optional<Money> price;  // that SKU's price; none when the product has no SKU
    bool in_stock = false;       // that SKU has units available
    std::uint64_t sales = 0;     // units sold, all SKUs
    Timestamp created{};
    std::int64_t score = 0;      // relevance: higher is better; 0 for a query without text
    // On sale in an active shop. Only the searches of platform staff and of a shop's own
    // staff return products that are not (drafts, delisted, banned, or their shop suspended
    // or closed).
    bool on_display = false;
    // From the catalog as it is when the search runs:
    std::string title;
    std::string image;                    // the product's first image URL; empty if it has none
    CategoryId category;
    std::string shop_name;
    std::vector<std::string> spec;        // the shown SKU's spec values, one per dimension
    std::optional<Money> list_price;      // the shown SKU's "was" price, if it has one
    friend bool operator==(const SearchHit&, const SearchHit&) = default;
};

struct SearchResult {
    std::size_t total = 0;  // every match, before paging
    std::vector<SearchHit> hits;
    // The query's CJK runs matched character by character: their adjacent pairs found
    // nothing (see SearchQuery). Storefronts may say "no exact matches; similar products".
    bool relaxed = false;
    friend bool operator==(const SearchResult&, const SearchResult&) = default;
};

}  // namespace souk
