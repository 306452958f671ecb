#include "ledger/owner.hpp"

namespace souk::detail {

std::optional<ShopId> shop_of_cause(const State& s, EntityRef cause) {
    switch (cause.kind) {
        case EntityKind::sub_order:
            if (const auto* sub_order = s.orders.find(SubOrderId{cause.id})) return sub_order->shop;
            break;
        case EntityKind::refund:
            if (const auto* refund = s.orders.find(RefundId{cause.id}); refund && refund->sub_order)
                return s.orders.find(*refund->sub_order)->shop;
            break;
        case EntityKind::payout:
            if (const auto* payout = s.ledger.find(PayoutId{cause.id})) return payout->shop;
            break;
        default: break;  // payment orders and the rest are the platform's
    }
    return std::nullopt;
}

}  // namespace souk::detail
