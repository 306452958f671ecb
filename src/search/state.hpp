// Search state: the product search indexes, derived data of the catalog, the shops and the
// inventory. No event is journaled for them: the apply functions of those modules keep them
// in step (search/sync.hpp), so replaying the journal rebuilds them exactly.
#pragma once

#include <vector>

#include "search/index.hpp"
#include "souk/money.hpp"

namespace souk::detail {

// One index per currency that products have been priced in. A product sells in one currency
// at a time (Catalog::set_specs may change it), and prices in different currencies can
// neither be filtered by one bound nor sorted together, so each currency gets its own index
// and a search names the currency it covers. Marketplaces rarely trade in more than a few,
// so a list searched in order is enough.
struct SearchState {
    std::vector<SearchIndex> indexes;  // in the order their currencies first appeared

    const SearchIndex* find(Currency currency) const {
        for (const auto& index : indexes)
            if (index.currency() == currency) return &index;
        return nullptr;
    }
    SearchIndex* find(Currency currency) {
        return const_cast<SearchIndex*>(static_cast<const SearchState&>(*this).find(currency));
    }
};

}  // namespace souk::detail
