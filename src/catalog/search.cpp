// Catalog::search: the search indexes the state keeps (search/sync.hpp), read under the
// query lock, with each hit completed from the catalog.
#include <cassert>

#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "souk/catalog.hpp"

namespace souk {
namespace {

using detail::SearchAudience;
using detail::State;

// Whose products not on display the actor may find: every shop's for platform staff, their
// own shops' for an enabled shop member, nobody's for anyone else.
SearchAudience audience_of(const State& s, const Actor& actor) {
    SearchAudience audience;
    if (detail::is_platform_staff(s, actor)) {
        audience.every_shop = true;
        return audience;
    }
    const auto* user = s.accounts.find_user(actor.user_id());
    if (user && !user->disabled) audience.shops = s.shops.member_shops(user->id);
    return audience;
}

// What a result list shows beyond what the index keeps.
void complete(const State& s, SearchHit& hit) {
    const auto* product = s.catalog.find_product(hit.product);
    const auto* shop = s.shops.find(hit.shop);
    assert(product && shop);
    hit.title = product->title;
    hit.image = product->images.empty() ? std::string() : product->images.front();
    hit.category = product->category;
    hit.shop_name = shop->application.name;
    if (!hit.sku) return;
    const auto* sku = s.catalog.find_sku(hit.sku);
    assert(sku && sku->product == hit.product);
    hit.spec = sku->spec;
    hit.list_price = sku->list_price;
}

SearchResult run_search(const State& s, const SearchQuery& query, const SearchAudience& audience,
                        Currency default_currency) {
    const auto currency = query.currency.value_or(default_currency);
    const auto* index = s.search.find(currency);
    // No product was ever priced in this currency: an empty index still checks the query,
    // so a malformed query is refused whatever the catalog holds.
    auto result = index ? index->search(query, audience) : detail::SearchIndex(currency).search(query, audience);
    for (auto& hit : result.hits) complete(s, hit);
    return result;
}

}  // namespace

SearchResult Catalog::search(const SearchQuery& query) const {
    return kernel_->read([&](const State& s) { return run_search(s, query, SearchAudience{}, currency_); });
}

SearchResult Catalog::search(const Actor& actor, const SearchQuery& query) const {
    return kernel_->read([&](const State& s) { return run_search(s, query, audience_of(s, actor), currency_); });
}

}  // namespace souk
