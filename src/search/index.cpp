#include "search/index.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <iterator>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "search/tokenize.hpp"
#include "souk/error.hpp"
#include "validate.hpp"

namespace souk::detail {
namespace {

constexpr std::uint32_t dead_slot = std::numeric_limits<std::uint32_t>::max();
// Below this many dead slots compaction is not worth a pass over every list.
constexpr std::size_t min_dead_slots_to_compact = 1024;

// `remedy` ends the message of a price in another currency: what the caller can do about it.
void check_price(const Money& price, Currency currency, std::string_view what, std::string_view remedy = {}) {
    if (price.currency() != currency)
        throw Error(Errc::currency_mismatch,
                    fmt::format("{} is in {}, but this search index holds prices in {}{}", what, price.currency(),
                                currency, remedy));
    if (price.is_negative()) throw Error(Errc::invalid_argument, fmt::format("{} must not be negative, not {}", what, price));
}

// The first position at or after `from` whose entry is not below `key` (a slot shifted into
// place, weight 0). Galloping, so walking a list with ascending keys costs O(log gap) per step
// rather than O(log size).
std::size_t seek(const std::vector<std::uint32_t>& list, std::size_t from, std::uint32_t key) {
    std::size_t low = from;
    std::size_t high = from;
    for (std::size_t step = 1; high < list.size() && list[high] < key; step *= 2) {
        low = high + 1;
        high += step;
    }
    high = std::min(high, list.size());
    return static_cast<std::size_t>(std::lower_bound(list.begin() + static_cast<std::ptrdiff_t>(low),
                                                     list.begin() + static_cast<std::ptrdiff_t>(high), key) -
                                    list.begin());
}

// Reverses the order of a key without overflow: ~key is -key - 1.
constexpr std::int64_t descending(std::int64_t key) { return ~key; }

// The sort key of one match; ascending order is the result order, before the product id.
std::array<std::int64_t, 4> rank_key(SearchSort sort, std::int64_t score, std::uint64_t sales, Timestamp created,
                                     std::optional<std::int64_t> price) {
    const std::int64_t by_score = descending(score);
    const std::int64_t by_sales = descending(static_cast<std::int64_t>(
        std::min<std::uint64_t>(sales, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))));
    const std::int64_t by_age = descending(created.time_since_epoch().count());
    const std::int64_t unpriced = price ? 0 : 1;
    switch (sort) {
        case SearchSort::relevance: return {by_score, by_sales, by_age, 0};
        case SearchSort::price_ascending: return {unpriced, price.value_or(0), by_score, by_sales};
        case SearchSort::price_descending: return {unpriced, descending(price.value_or(0)), by_score, by_sales};
        case SearchSort::newest: return {by_age, by_score, by_sales, 0};
        case SearchSort::sales: return {by_sales, by_score, by_age, 0};
    }
    assert(false && "search sort validated before ranking");
    return {};
}

}  // namespace

// One list a query term or filter reads, and what an entry in it scores.
struct SearchIndex::Source {
    const Postings* list = nullptr;
    bool halved = false;  // a longer word that the query's last word begins

    std::int32_t points(std::uint32_t entry) const {
        return static_cast<std::int32_t>((entry & weight_mask) >> (halved ? 1 : 0));
    }
};

// The shops whose names have a term: their products match through the shop.
struct SearchIndex::ShopNameSource {
    const std::vector<std::uint64_t>* shops = nullptr;  // ascending
    bool halved = false;

    std::int32_t points() const { return shop_name_weight >> (halved ? 1 : 0); }
};

// Everything one query term (or filter) may match; a product must be in one of the sources.
struct SearchIndex::Plan {
    std::vector<Source> sources;
    std::vector<ShopNameSource> shop_names;
    std::size_t estimate = 0;  // slots it stands for, counting a slot once per source

    std::size_t source_count() const { return sources.size() + shop_names.size(); }
};

struct SearchIndex::Candidate {
    std::uint32_t slot = 0;
    std::int32_t score = 0;
    std::optional<std::uint32_t> sku;  // the SKU shown, an index into skus_, once chosen
};

// What a candidate must pass besides the text: who may see it, and the SKU bounds.
struct SearchIndex::Filter {
    const SearchAudience* audience = nullptr;
    std::int64_t min_price = 0;
    std::int64_t max_price = std::numeric_limits<std::int64_t>::max();
    bool in_stock_only = false;
    bool restricts = false;  // a product needs a SKU that passes
};

SearchIndex::SearchIndex(Currency currency) : currency_(currency) {}

// ---- changes --------------------------------------------------------------------------

// Each distinct term of the document with its weight: occurrences per field, capped, times
// the field's weight.
SearchIndex::WeightedTerms SearchIndex::weighted_terms(const SearchDocument& document) {
    enum Field : std::uint8_t { title, attribute };
    std::vector<std::pair<std::string, Field>> occurrences;
    std::vector<std::string> terms;
    const auto add = [&](std::string_view text, Field field) {
        terms.clear();
        document_terms(text, terms);
        for (auto& term : terms) occurrences.emplace_back(std::move(term), field);
    };
    add(document.title, title);
    for (const auto& value : document.attribute_values) add(value, attribute);
    std::sort(occurrences.begin(), occurrences.end());

    WeightedTerms weighted;
    for (std::size_t i = 0; i < occurrences.size();) {
        std::array<int, 2> count{};
        std::size_t j = i;
        for (; j < occurrences.size() && occurrences[j].first == occurrences[i].first; ++j)
            ++count[occurrences[j].second];
        const int weight = title_weight * std::min(count[title], max_counted_occurrences) +
                           attribute_weight * std::min(count[attribute], max_counted_occurrences);
        weighted.emplace_back(std::move(occurrences[i].first), static_cast<std::uint32_t>(weight));
        i = j;
    }
    return weighted;
}

void SearchIndex::validate(const SearchDocument& document) const {
    const auto product = document.product;
    if (!product) throw Error(Errc::invalid_argument, "a search document needs a product id");
    if (!document.shop) throw Error(Errc::invalid_argument, fmt::format("product {} needs a shop id", product));
    const auto& path = document.category_path;
    if (path.size() > max_category_depth)
        throw Error(Errc::invalid_argument, fmt::format("product {}: the category path has {} levels, at most {}",
                                                        product, path.size(), max_category_depth));
    for (auto it = path.begin(); it != path.end(); ++it) {
        if (!*it) throw Error(Errc::invalid_argument, fmt::format("product {}: the category path has a zero id", product));
        if (std::find(path.begin(), it, *it) != it)
            throw Error(Errc::invalid_argument,
                        fmt::format("product {}: category {} appears twice in its path", product, *it));
    }
    if (document.skus.size() > max_skus)
        throw Error(Errc::invalid_argument,
                    fmt::format("product {} has {} SKUs, at most {}", product, document.skus.size(), max_skus));
    std::vector<SkuId> ids;
    for (const auto& sku : document.skus) {
        if (!sku.id) throw Error(Errc::invalid_argument, fmt::format("product {} has a SKU without an id", product));
        check_price(sku.price, currency_, fmt::format("the price of SKU {}", sku.id));
        ids.push_back(sku.id);
    }
    std::sort(ids.begin(), ids.end());
    if (const auto twice = std::adjacent_find(ids.begin(), ids.end()); twice != ids.end())
        throw Error(Errc::invalid_argument, fmt::format("product {} lists SKU {} twice", product, *twice));
}

void SearchIndex::make_room(std::size_t sku_count) {
    const auto full = [&] {
        return slots_.size() >= max_slots || skus_.size() + sku_count > std::numeric_limits<std::uint32_t>::max();
    };
    if (full() && dead_slots_ > 0) compact();
    if (full())
        throw Error(Errc::limit_exceeded,
                    fmt::format("the search index is full: {} products with {} SKUs", slots_.size(), skus_.size()));
}

void SearchIndex::upsert(const SearchDocument& document) {
    validate(document);
    auto terms = weighted_terms(document);
    make_room(document.skus.size());
    if (const auto it = slot_of_product_.find(document.product.value); it != slot_of_product_.end()) kill(it->second);

    const auto slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back({.product = document.product,
                      .shop = document.shop,
                      .created = document.created,
                      .sales = document.sales,
                      .first_sku = static_cast<std::uint32_t>(skus_.size()),
                      .sku_count = static_cast<std::uint16_t>(document.skus.size()),
                      .visible = document.visible});
    for (const auto& sku : document.skus) {
        skus_.push_back({sku.id, sku.price.minor_units()});
        sku_in_stock_.push_back(sku.in_stock);
    }
    append_postings(slot, std::move(terms), document);
    slot_of_product_[document.product.value] = slot;
    compact_if_worthwhile();
}

void SearchIndex::append_postings(std::uint32_t slot, WeightedTerms terms, const SearchDocument& document) {
    static_assert(title_weight * max_counted_occurrences + attribute_weight * max_counted_occurrences <= weight_mask);
    static_assert(((max_slots - 1) << weight_bits) <= std::numeric_limits<std::uint32_t>::max());
    assert(slot < max_slots);
    const std::uint32_t entry = slot << weight_bits;
    for (auto& [term, weight] : terms) {
        assert(weight > 0 && weight <= weight_mask);
        terms_.try_emplace(std::move(term)).first->second.push_back(entry | weight);
    }
    for (const auto category : document.category_path) category_slots_[category.value].push_back(entry);
    shop_slots_[document.shop.value].push_back(entry);
}

void SearchIndex::kill(std::uint32_t slot) {
    assert(slots_[slot].product);
    slots_[slot].product = ProductId{};
    ++dead_slots_;
}

void SearchIndex::compact_if_worthwhile() {
    if (dead_slots_ >= min_dead_slots_to_compact && dead_slots_ * 4 >= slots_.size()) compact();
}

std::uint32_t SearchIndex::slot_of(ProductId product) const {
    const auto it = slot_of_product_.find(product.value);
    if (it == slot_of_product_.end())
        throw Error(Errc::not_found, fmt::format("product {} is not in the search index", product));
    return it->second;
}

std::uint32_t SearchIndex::sku_index(ProductId product, SkuId sku) const {
    const Slot& slot = slots_[slot_of(product)];
    for (std::uint32_t k = slot.first_sku; k < slot.first_sku + slot.sku_count; ++k)
        if (skus_[k].id == sku) return k;
    throw Error(Errc::not_found, fmt::format("product {} has no SKU {} in the search index", product, sku));
}

void SearchIndex::remove(ProductId product) {
    kill(slot_of(product));
    slot_of_product_.erase(product.value);
    compact_if_worthwhile();
}

void SearchIndex::set_visible(ProductId product, bool visible) { slots_[slot_of(product)].visible = visible; }

void SearchIndex::set_price(ProductId product, SkuId sku, const Money& price) {
    check_price(price, currency_, fmt::format("the price of SKU {}", sku));
    skus_[sku_index(product, sku)].price = price.minor_units();
}

void SearchIndex::set_in_stock(ProductId product, SkuId sku, bool in_stock) {
    sku_in_stock_[sku_index(product, sku)] = in_stock;
}

void SearchIndex::set_sales(ProductId product, std::uint64_t sales) { slots_[slot_of(product)].sales = sales; }

void SearchIndex::set_shop_name(ShopId shop, std::string_view name) {
    if (!shop) throw Error(Errc::invalid_argument, "a shop name needs a shop id");
    std::vector<std::string> terms;
    document_terms(name, terms);
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());

    if (const auto old = shop_name_of_.find(shop.value); old != shop_name_of_.end()) {
        for (const auto& term : old->second) {
            const auto it = shop_name_terms_.find(term);
            assert(it != shop_name_terms_.end());
            auto& shops = it->second;
            shops.erase(std::lower_bound(shops.begin(), shops.end(), shop.value));
            if (shops.empty()) shop_name_terms_.erase(it);
        }
        shop_name_of_.erase(old);
    }
    if (terms.empty()) return;
    for (const auto& term : terms) {
        auto& shops = shop_name_terms_[term];
        shops.insert(std::lower_bound(shops.begin(), shops.end(), shop.value), shop.value);
    }
    shop_name_of_.emplace(shop.value, std::move(terms));
}

void SearchIndex::compact() {
    std::vector<std::uint32_t> renumbered(slots_.size(), dead_slot);
    std::vector<Slot> slots;
    slots.reserve(slots_.size() - dead_slots_);
    std::vector<SkuSlot> skus;
    std::vector<bool> in_stock;
    for (std::size_t old = 0; old < slots_.size(); ++old) {
        Slot slot = slots_[old];
        if (!slot.product) continue;
        renumbered[old] = static_cast<std::uint32_t>(slots.size());
        const std::uint32_t first = slot.first_sku;
        slot.first_sku = static_cast<std::uint32_t>(skus.size());
        for (std::uint32_t k = first; k < first + slot.sku_count; ++k) {
            skus.push_back(skus_[k]);
            in_stock.push_back(sku_in_stock_[k]);
        }
        slots.push_back(slot);
    }
    // Renumbering keeps the order of the survivors, so every list stays sorted.
    const auto rewrite = [&](Postings& list) {
        std::size_t kept = 0;
        for (const auto entry : list) {
            const auto slot = renumbered[entry >> weight_bits];
            if (slot != dead_slot) list[kept++] = (slot << weight_bits) | (entry & weight_mask);
        }
        list.resize(kept);
        list.shrink_to_fit();
        return list.empty();
    };
    const auto rewrite_all = [&](auto& lists) {
        for (auto it = lists.begin(); it != lists.end();) it = rewrite(it->second) ? lists.erase(it) : std::next(it);
    };
    rewrite_all(terms_);
    rewrite_all(category_slots_);
    rewrite_all(shop_slots_);
    for (auto& [product, slot] : slot_of_product_) slot = renumbered[slot];
    skus.shrink_to_fit();
    in_stock.shrink_to_fit();
    slots_ = std::move(slots);
    skus_ = std::move(skus);
    sku_in_stock_ = std::move(in_stock);
    dead_slots_ = 0;
}

SearchIndexStats SearchIndex::stats() const {
    SearchIndexStats stats;
    stats.products = slot_of_product_.size();
    for (const auto& slot : slots_)
        if (slot.product) stats.skus += slot.sku_count;
    stats.dead_slots = dead_slots_;
    stats.terms = terms_.size();
    for (const auto& [term, list] : terms_) stats.postings += list.size();
    return stats;
}

// ---- queries --------------------------------------------------------------------------

void SearchIndex::validate(const SearchQuery& query) const {
    require_page(query.page);
    if (query.page.offset > SearchQuery::max_offset)
        throw Error(Errc::invalid_argument, fmt::format("the page offset must be at most {}, not {}; narrow the search",
                                                        SearchQuery::max_offset, query.page.offset));
    if (query.text.size() > SearchQuery::max_text_bytes)
        throw Error(Errc::invalid_argument, fmt::format("the search text must be at most {} bytes, not {}",
                                                        SearchQuery::max_text_bytes, query.text.size()));
    if (query.category && !*query.category)
        throw Error(Errc::invalid_argument, "the category filter needs a category id");
    if (query.shop && !*query.shop) throw Error(Errc::invalid_argument, "the shop filter needs a shop id");
    switch (query.sort) {
        case SearchSort::relevance:
        case SearchSort::price_ascending:
        case SearchSort::price_descending:
        case SearchSort::newest:
        case SearchSort::sales: break;
        default:
            throw Error(Errc::invalid_argument,
                        fmt::format("unknown search sort {}", static_cast<unsigned>(query.sort)));
    }
    if (query.currency && *query.currency != currency_)
        throw Error(Errc::currency_mismatch,
                    fmt::format("the query searches prices in {}, but this index holds prices in {}", *query.currency,
                                currency_));
    constexpr std::string_view remedy = ": set the query's currency to search another";
    if (query.min_price) check_price(*query.min_price, currency_, "the minimum price", remedy);
    if (query.max_price) check_price(*query.max_price, currency_, "the maximum price", remedy);
    if (query.min_price && query.max_price && *query.max_price < *query.min_price)
        throw Error(Errc::invalid_argument, fmt::format("the minimum price {} is above the maximum price {}",
                                                        *query.min_price, *query.max_price));
}

SearchResult SearchIndex::search(const SearchQuery& query, const SearchAudience& audience) const {
    validate(query);
    Filter filter;
    filter.audience = &audience;
    if (query.min_price) filter.min_price = query.min_price->minor_units();
    if (query.max_price) filter.max_price = query.max_price->minor_units();
    filter.in_stock_only = query.in_stock_only;
    filter.restricts = query.min_price || query.max_price || query.in_stock_only;

    SearchResult result;
    const auto terms = query_terms(query.text);
    auto found = matches(terms, query, filter);
    if (found.empty()) {
        // Adjacent pairs miss a word typed inside a longer name (西湖绿茶 for 西湖龙井绿茶);
        // only when they find nothing at all do single characters stand in for them.
        const auto characters = query_terms(query.text, CjkMatch::characters);
        if (characters != terms) {
            found = matches(characters, query, filter);
            result.relaxed = !found.empty();
        }
    }
    result.total = found.size();
    result.hits = page(found, query, filter);
    return result;
}

std::vector<SearchIndex::Candidate> SearchIndex::matches(const std::vector<QueryTerm>& terms, const SearchQuery& query,
                                                         const Filter& filter) const {
    auto plans = plan(terms, query);
    return plans ? candidates(std::move(*plans), filter) : std::vector<Candidate>{};
}

// One plan per query term, category and shop; none when something the query requires is
// not indexed at all, so nothing can match.
std::optional<std::vector<SearchIndex::Plan>> SearchIndex::plan(const std::vector<QueryTerm>& terms,
                                                                const SearchQuery& query) const {
    std::vector<Plan> plans;
    for (const auto& term : terms) {
        Plan& term_plan = plans.emplace_back();
        if (!plan_term(term.text, term.prefix, term_plan)) return std::nullopt;
    }
    const auto require = [&](const std::unordered_map<std::uint64_t, Postings>& lists, std::uint64_t key) {
        const auto it = lists.find(key);
        if (it == lists.end()) return false;
        Plan& filter_plan = plans.emplace_back();
        filter_plan.sources.push_back({&it->second, false});
        filter_plan.estimate = it->second.size();
        return true;
    };
    if (query.category && !require(category_slots_, query.category->value)) return std::nullopt;
    if (query.shop && !require(shop_slots_, query.shop->value)) return std::nullopt;
    return plans;
}

bool SearchIndex::plan_term(std::string_view term, bool prefix, Plan& plan) const {
    // The term itself sorts first among the words it begins.
    const auto expand = [&](const auto& dictionary, auto&& add) {
        const std::size_t limit = prefix ? max_prefix_expansions : 1;
        std::size_t taken = 0;
        for (auto it = dictionary.lower_bound(term); it != dictionary.end() && taken < limit; ++it, ++taken) {
            const std::string_view key = it->first;
            if (!key.starts_with(term) || (!prefix && key != term)) break;
            add(it->second, key != term);
        }
    };
    expand(terms_, [&](const Postings& list, bool longer) {
        plan.sources.push_back({&list, longer});
        plan.estimate += list.size();
    });
    expand(shop_name_terms_, [&](const std::vector<std::uint64_t>& shops, bool longer) {
        plan.shop_names.push_back({&shops, longer});
        for (const auto shop : shops)
            if (const auto it = shop_slots_.find(shop); it != shop_slots_.end()) plan.estimate += it->second.size();
    });
    return plan.source_count() > 0;
}

std::vector<SearchIndex::Candidate> SearchIndex::candidates(std::vector<Plan> plans, const Filter& filter) const {
    std::vector<Candidate> found;
    if (plans.empty()) {
        for (std::uint32_t slot = 0; slot < slots_.size(); ++slot)
            if (Candidate candidate{slot, 0, std::nullopt}; accept(candidate, filter)) found.push_back(candidate);
        return found;
    }
    // The smallest plan proposes and the others cut it down, reading lists in order; only
    // the survivors pay for the scattered reads of slots and SKUs.
    std::sort(plans.begin(), plans.end(), [](const Plan& a, const Plan& b) { return a.estimate < b.estimate; });
    found = materialize(plans.front());
    for (std::size_t i = 1; i < plans.size() && !found.empty(); ++i) intersect(found, plans[i]);
    std::size_t kept = 0;
    for (auto& candidate : found)
        if (accept(candidate, filter)) found[kept++] = candidate;
    found.resize(kept);
    return found;
}

// The plan's slots, ascending, each with its best points over the sources.
std::vector<SearchIndex::Candidate> SearchIndex::materialize(const Plan& plan) const {
    std::vector<Candidate> out;
    if (plan.sources.size() == 1 && plan.shop_names.empty()) {
        const Source& source = plan.sources.front();
        out.reserve(source.list->size());
        for (const auto entry : *source.list) out.push_back({entry >> weight_bits, source.points(entry), std::nullopt});
        return out;
    }
    // (slot << 8) | points, sorted: a slot's best points come last among its entries.
    std::vector<std::uint64_t> merged;
    merged.reserve(plan.estimate);
    const auto add = [&](std::uint32_t entry, std::int32_t points) {
        merged.push_back((std::uint64_t{entry >> weight_bits} << 8) | static_cast<std::uint64_t>(points));
    };
    for (const auto& source : plan.sources)
        for (const auto entry : *source.list) add(entry, source.points(entry));
    for (const auto& shop_name : plan.shop_names)
        for (const auto shop : *shop_name.shops)
            if (const auto it = shop_slots_.find(shop); it != shop_slots_.end())
                for (const auto entry : it->second) add(entry, shop_name.points());
    std::sort(merged.begin(), merged.end());
    for (std::size_t i = 0; i < merged.size(); ++i) {
        if (i + 1 < merged.size() && (merged[i + 1] >> 8) == (merged[i] >> 8)) continue;
        out.push_back({static_cast<std::uint32_t>(merged[i] >> 8), static_cast<std::int32_t>(merged[i] & 0xFF),
                       std::nullopt});
    }
    return out;
}

// Keeps the candidates the plan has, adding their points. Probing walks each list alongside
// the ascending candidates; when that would cost more than reading the plan whole, the plan
// is materialized and merged instead.
void SearchIndex::intersect(std::vector<Candidate>& candidates, const Plan& plan) const {
    std::size_t kept = 0;
    if (candidates.size() * plan.source_count() <= plan.estimate || plan.source_count() == 1) {
        std::vector<std::size_t> cursor(plan.sources.size(), 0);
        for (const auto& candidate : candidates) {
            std::int32_t best = shop_name_points(plan, candidate.slot);
            const std::uint32_t key = candidate.slot << weight_bits;
            for (std::size_t k = 0; k < plan.sources.size(); ++k) {
                const auto& list = *plan.sources[k].list;
                cursor[k] = seek(list, cursor[k], key);
                if (cursor[k] < list.size() && (list[cursor[k]] >> weight_bits) == candidate.slot)
                    best = std::max(best, plan.sources[k].points(list[cursor[k]]));
            }
            if (best >= 0) candidates[kept++] = {candidate.slot, candidate.score + best, candidate.sku};
        }
    } else {
        const auto other = materialize(plan);
        auto it = other.begin();
        for (const auto& candidate : candidates) {
            while (it != other.end() && it->slot < candidate.slot) ++it;
            if (it == other.end()) break;
            if (it->slot == candidate.slot)
                candidates[kept++] = {candidate.slot, candidate.score + it->score, candidate.sku};
        }
    }
    candidates.resize(kept);
}

// The points the slot's shop name earns in the plan, or -1 if it earns none.
std::int32_t SearchIndex::shop_name_points(const Plan& plan, std::uint32_t slot) const {
    std::int32_t best = -1;
    if (plan.shop_names.empty()) return best;
    const std::uint64_t shop = slots_[slot].shop.value;
    for (const auto& shop_name : plan.shop_names)
        if (std::binary_search(shop_name.shops->begin(), shop_name.shops->end(), shop))
            best = std::max(best, shop_name.points());
    return best;
}

// Whether the candidate is a product the audience may see with a SKU that passes the filter
// (when there is a SKU filter at all); picks the SKU to show when it has to look anyway.
bool SearchIndex::accept(Candidate& candidate, const Filter& filter) const {
    const Slot& slot = slots_[candidate.slot];
    if (!slot.product || (!slot.visible && !filter.audience->sees_hidden_of(slot.shop))) return false;
    if (!filter.restricts) return true;
    candidate.sku = shown_sku(candidate.slot, filter);
    return candidate.sku.has_value();
}

// The cheapest SKU within the filter, preferring one in stock; none if no SKU passes.
std::optional<std::uint32_t> SearchIndex::shown_sku(std::uint32_t slot, const Filter& filter) const {
    const Slot& s = slots_[slot];
    std::optional<std::uint32_t> shown;
    for (std::uint32_t k = s.first_sku; k < s.first_sku + s.sku_count; ++k) {
        const bool in_stock = sku_in_stock_[k];
        const std::int64_t price = skus_[k].price;
        if (price < filter.min_price || price > filter.max_price || (filter.in_stock_only && !in_stock)) continue;
        if (!shown || (in_stock != sku_in_stock_[*shown] ? in_stock : price < skus_[*shown].price)) shown = k;
    }
    return shown;
}

std::vector<SearchHit> SearchIndex::page(const std::vector<Candidate>& candidates, const SearchQuery& query,
                                         const Filter& filter) const {
    const std::size_t begin = query.page.offset;
    if (begin >= candidates.size()) return {};
    const std::size_t end = std::min(candidates.size(), begin + query.page.limit);

    struct Ranked {
        std::array<std::int64_t, 4> key;
        std::uint64_t product;
        std::uint32_t candidate;
    };
    const auto before = [](const Ranked& a, const Ranked& b) {
        return a.key != b.key ? a.key < b.key : a.product < b.product;
    };
    const bool by_price = query.sort == SearchSort::price_ascending || query.sort == SearchSort::price_descending;
    // The first `end` in result order, kept in a heap whose top is the last of them.
    std::vector<Ranked> first;
    first.reserve(end);
    for (std::uint32_t i = 0; i < candidates.size(); ++i) {
        const Candidate& c = candidates[i];
        const Slot& slot = slots_[c.slot];
        std::optional<std::int64_t> price;
        if (by_price)
            if (const auto sku = c.sku ? c.sku : shown_sku(c.slot, filter)) price = skus_[*sku].price;
        const Ranked ranked{rank_key(query.sort, c.score, slot.sales, slot.created, price), slot.product.value, i};
        if (first.size() < end) {
            first.push_back(ranked);
            std::push_heap(first.begin(), first.end(), before);
        } else if (before(ranked, first.front())) {
            std::pop_heap(first.begin(), first.end(), before);
            first.back() = ranked;
            std::push_heap(first.begin(), first.end(), before);
        }
    }
    std::sort_heap(first.begin(), first.end(), before);

    std::vector<SearchHit> hits;
    hits.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) hits.push_back(hit(candidates[first[i].candidate], filter));
    return hits;
}

SearchHit SearchIndex::hit(const Candidate& candidate, const Filter& filter) const {
    const Slot& slot = slots_[candidate.slot];
    SearchHit shown;
    shown.product = slot.product;
    shown.shop = slot.shop;
    shown.sales = slot.sales;
    shown.created = slot.created;
    shown.score = candidate.score;
    shown.on_display = slot.visible;
    if (const auto sku = candidate.sku ? candidate.sku : shown_sku(candidate.slot, filter)) {
        shown.sku = skus_[*sku].id;
        shown.price = Money(skus_[*sku].price, currency_);
        shown.in_stock = sku_in_stock_[*sku];
    }
    return shown;
}

}  // namespace souk::detail
