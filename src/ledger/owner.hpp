// Which shop a posting's cause belongs to: who may read it, and whose report counts it.
#pragma once

#include <optional>

#include "kernel/state.hpp"

namespace souk::detail {

// The shop of a sub-order, of a sub-order's refund or of a payout; none for the platform's
// own causes (payment orders, reversals).
std::optional<ShopId> shop_of_cause(const State& state, EntityRef cause);

}  // namespace souk::detail
