#include "ledger/closing.hpp"

#include <tuple>

#include <fmt/format.h>

#include "orders/state_machine.hpp"
#include "souk/error.hpp"

namespace souk::detail {

void require_books_closed(const State& state, ShopId shop) {
    const auto [first, last] = state.orders.sub_orders.get<by_sub_order_shop>().equal_range(std::make_tuple(shop));
    for (auto it = first; it != last; ++it)
        if (!window_closed(it->status) && it->status != SubOrderStatus::cancelled)
            throw Error(Errc::invalid_state, fmt::format("shop {} has sub-order {} still {}: it can close once every "
                                                         "order is completed or cancelled",
                                                         shop, it->id, sub_order_status_name(it->status)));
    for (const auto& [account, record] : state.ledger.accounts) {
        if (account.shop != shop || record.balance(account.kind) == 0) continue;
        throw Error(Errc::invalid_state,
                    fmt::format("shop {} still has {} in {}: it can close once its money is settled and paid out",
                                shop, Money(record.balance(account.kind), account.currency), account));
    }
}

}  // namespace souk::detail
