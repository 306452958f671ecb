// Keeping the search indexes in step with the catalog, the shops and the inventory. The apply
// functions of their events call these once they have changed the state, so the indexes
// follow every event in exactly the same way live and in replay. Each function reads what
// it needs from the state as the event left it.
//
// What a product's document holds: its title; its attribute values and its spec dimensions'
// values; its shop (whose name is indexed once per shop); its category path; each live
// SKU's price and whether it has units available; its creation time and sales; and whether
// it is on display (on sale in an active shop). Descriptions, images and category names are
// not searched.
#pragma once

#include "kernel/state.hpp"

namespace souk::detail::search_sync {

// The product was created, or its title, attributes, category or specs changed: it is
// indexed anew, in its currency's index (leaving another currency's if its currency changed).
void product_changed(State& state, ProductId product);
// Its status changed: whether it is on display.
void product_status_changed(State& state, ProductId product);
void price_changed(State& state, ProductId product, SkuId sku);
// The SKU's available units changed. A dropped SKU is no longer indexed: nothing to do.
void stock_changed(State& state, SkuId sku);
void sales_changed(State& state, ProductId product);
// The category moved: every product at or under it has a new category path.
void category_moved(State& state, CategoryId category);
// The shop applied, changed its name or changed status: its name in every index, and
// whether each of its products is on display.
void shop_changed(State& state, ShopId shop);

}  // namespace souk::detail::search_sync
