// The product search index: an inverted index from terms to products, plus what filters
// and sorts read of each product. The catalog feeds it; it knows nothing of catalog types.
//
// One document per product, with its SKUs' prices and stock inside it, rather than one per
// SKU: a search lists products, the SKUs of a product share its title, attributes, shop and
// category (so per-SKU documents would repeat every posting once per SKU and need collapsing
// before counting and paging), and the price and stock filters still look at each SKU.
// The cost: text matches the product as a whole, so "红色" with in_stock_only finds a product
// whose red SKU is sold out when another of its SKUs is in stock. SKU updates name the
// product too (the catalog knows it), so the index keeps no map from SKU to product.
//
// Storage, sized for millions of SKUs:
//   - every document lives in a slot; term, category and shop lists hold slot numbers in
//     sorted std::vector<uint32_t>, each entry carrying the term's weight in its low bits;
//   - a new or changed document takes a fresh slot at the end, so lists only ever append;
//     the slot it leaves is dead until compaction filters dead slots out of every list and
//     renumbers the rest (when a quarter of the slots are dead, or on compact()).
// So no document keeps a copy of its own terms, and price, stock, sales and visibility
// change in place.
//
// Not synchronised: writers need exclusive access; const members may run concurrently.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"
#include "search/tokenize.hpp"
#include "souk/search.hpp"

namespace souk::detail {

struct SearchSku {
    SkuId id;
    Money price;  // in the index's currency, not negative
    bool in_stock = false;
    friend bool operator==(const SearchSku&, const SearchSku&) = default;
};

// What the index keeps of one product.
struct SearchDocument {
    ProductId product;
    ShopId shop;
    std::vector<CategoryId> category_path;     // root first, the product's own category last
    std::string title;                          // weighs most
    std::vector<std::string> attribute_values;  // attribute and spec values ("红色", "XL")
    std::vector<SearchSku> skus;                // may be empty: the product then has no price
    Timestamp created{};
    std::uint64_t sales = 0;
    bool visible = false;  // whether searches may return it at all
    friend bool operator==(const SearchDocument&, const SearchDocument&) = default;
};

// Whose hidden products a search may return besides the visible ones: nobody's for the
// public, every shop's for platform staff, their own shops' for a shop's staff.
struct SearchAudience {
    bool every_shop = false;
    std::vector<ShopId> shops;  // when not every_shop

    bool sees_hidden_of(ShopId shop) const {
        return every_shop || std::find(shops.begin(), shops.end(), shop) != shops.end();
    }
};

struct SearchIndexStats {
    std::size_t products = 0;    // documents
    std::size_t skus = 0;        // their SKUs
    std::size_t dead_slots = 0;  // slots left by removed or replaced documents, until compaction
    std::size_t terms = 0;       // distinct terms of documents
    std::size_t postings = 0;    // entries in term lists, dead slots' included
    friend bool operator==(const SearchIndexStats&, const SearchIndexStats&) = default;
};

class SearchIndex {
public:
    // Relevance points of one occurrence of a term, by field. Occurrences count up to
    // max_counted_occurrences per field, so repeating a word in a title stops paying.
    static constexpr int title_weight = 6;
    static constexpr int attribute_weight = 3;
    static constexpr int shop_name_weight = 2;
    static constexpr int max_counted_occurrences = 3;

    static constexpr std::size_t max_skus = 1000;
    static constexpr std::size_t max_category_depth = 16;
    // How many indexed words a query's last word may stand for as a prefix; beyond this,
    // the words that sort last in byte order are left out (the word itself never is).
    static constexpr std::size_t max_prefix_expansions = 1024;
    // Slots, live and dead: what the 27 bits of a list entry can number.
    static constexpr std::size_t max_slots = std::size_t{1} << 27;

    // Every price in the index is in `currency`: the state keeps one index per currency.
    explicit SearchIndex(Currency currency);

    Currency currency() const { return currency_; }
    bool contains(ProductId product) const { return slot_of_product_.contains(product.value); }

    // Adds the product or replaces everything known of it. Throws Error: invalid_argument for
    // a zero product or shop id, a zero or repeated category or SKU id, a negative price,
    // more than max_skus SKUs or max_category_depth categories; currency_mismatch for a price
    // in another currency; limit_exceeded when max_slots live products are indexed.
    void upsert(const SearchDocument& document);
    // The changes a catalog makes most often, in place. Throw Error(not_found) for a product
    // not indexed or a SKU it does not have; set_price as upsert for the price itself.
    void remove(ProductId product);
    void set_visible(ProductId product, bool visible);
    void set_price(ProductId product, SkuId sku, const Money& price);
    void set_in_stock(ProductId product, SkuId sku, bool in_stock);
    void set_sales(ProductId product, std::uint64_t sales);
    // A shop's name is indexed once for all its products; an empty name removes it.
    // Throws Error(invalid_argument) for a zero shop id.
    void set_shop_name(ShopId shop, std::string_view name);

    // Runs the query for `audience` (the public by default); the hits carry what the index
    // knows, not titles or names (see SearchHit). Throws Error: invalid_argument for a page
    // limit outside 1..Page::max_limit, an offset above SearchQuery::max_offset, text longer
    // than SearchQuery::max_text_bytes, a zero category or shop id, an unknown sort, a
    // negative price bound or min above max; currency_mismatch for a query currency or a
    // bound in another currency than the index's.
    SearchResult search(const SearchQuery& query, const SearchAudience& audience = {}) const;

    // Drops dead slots from every list and returns spare list capacity to the allocator.
    // Results never change; worth calling after a bulk load.
    void compact();
    SearchIndexStats stats() const;

private:
    // A document's distinct terms, each with its weight in the document.
    using WeightedTerms = std::vector<std::pair<std::string, std::uint32_t>>;
    // A list entry: (slot << weight_bits) | weight. Category and shop lists carry weight 0.
    using Postings = std::vector<std::uint32_t>;
    static constexpr unsigned weight_bits = 5;
    static constexpr std::uint32_t weight_mask = (1u << weight_bits) - 1;

    struct Slot {
        ProductId product;  // no id: the slot is dead
        ShopId shop;
        Timestamp created{};
        std::uint64_t sales = 0;
        std::uint32_t first_sku = 0;  // the product's SKUs are skus_[first_sku, first_sku + sku_count)
        std::uint16_t sku_count = 0;
        bool visible = false;
    };
    struct SkuSlot {
        SkuId id;
        std::int64_t price = 0;  // minor units of currency_
    };
    struct Source;
    struct ShopNameSource;
    struct Plan;
    struct Candidate;
    struct Filter;

    static WeightedTerms weighted_terms(const SearchDocument& document);
    void validate(const SearchDocument& document) const;
    void validate(const SearchQuery& query) const;
    void make_room(std::size_t sku_count);
    void append_postings(std::uint32_t slot, WeightedTerms terms, const SearchDocument& document);
    void kill(std::uint32_t slot);
    void compact_if_worthwhile();
    std::uint32_t slot_of(ProductId product) const;
    std::uint32_t sku_index(ProductId product, SkuId sku) const;

    std::optional<std::vector<Plan>> plan(const std::vector<QueryTerm>& terms, const SearchQuery& query) const;
    bool plan_term(std::string_view term, bool prefix, Plan& plan) const;
    std::vector<Candidate> matches(const std::vector<QueryTerm>& terms, const SearchQuery& query,
                                   const Filter& filter) const;
    std::vector<Candidate> candidates(std::vector<Plan> plans, const Filter& filter) const;
    std::vector<Candidate> materialize(const Plan& plan) const;
    void intersect(std::vector<Candidate>& candidates, const Plan& plan) const;
    std::int32_t shop_name_points(const Plan& plan, std::uint32_t slot) const;
    bool accept(Candidate& candidate, const Filter& filter) const;
    std::optional<std::uint32_t> shown_sku(std::uint32_t slot, const Filter& filter) const;
    std::vector<SearchHit> page(const std::vector<Candidate>& candidates, const SearchQuery& query,
                                const Filter& filter) const;
    SearchHit hit(const Candidate& candidate, const Filter& filter) const;

    Currency currency_;
    std::vector<Slot> slots_;
    std::vector<SkuSlot> skus_;
    std::vector<bool> sku_in_stock_;  // beside skus_ rather than in it: a bit instead of 8 padded bytes
    std::unordered_map<std::uint64_t, std::uint32_t> slot_of_product_;
    std::map<std::string, Postings, std::less<>> terms_;
    std::unordered_map<std::uint64_t, Postings> category_slots_;  // every product at or below the category
    std::unordered_map<std::uint64_t, Postings> shop_slots_;
    std::map<std::string, std::vector<std::uint64_t>, std::less<>> shop_name_terms_;  // term → shop ids, ascending
    std::unordered_map<std::uint64_t, std::vector<std::string>> shop_name_of_;       // shop → its name's terms
    std::size_t dead_slots_ = 0;
};

}  // namespace souk::detail
