// What a shop must have settled before it may close.
#pragma once

#include "kernel/state.hpp"

namespace souk::detail {

// Throws invalid_state while the shop has a sub-order that is neither completed nor
// cancelled, or any non-zero balance (escrow, available, payout) in any currency.
void require_books_closed(const State& state, ShopId shop);

}  // namespace souk::detail
