#include "souk/ids.hpp"

namespace souk {

std::string_view entity_kind_name(EntityKind kind) noexcept {
    switch (kind) {
        case EntityKind::user: return "user";
        case EntityKind::session: return "session";
        case EntityKind::shop: return "shop";
        case EntityKind::category: return "category";
        case EntityKind::product: return "product";
        case EntityKind::sku: return "sku";
        case EntityKind::payment_order: return "payment_order";
        case EntityKind::reservation: return "reservation";
        case EntityKind::address: return "address";
        case EntityKind::sub_order: return "sub_order";
        case EntityKind::refund: return "refund";
        case EntityKind::shipping_template: return "shipping_template";
        case EntityKind::after_sales: return "after_sales";
        case EntityKind::review: return "review";
        case EntityKind::payout: return "payout";
        case EntityKind::coupon_template: return "coupon_template";
        case EntityKind::coupon: return "coupon";
        case EntityKind::spend_promotion: return "spend_promotion";
        case EntityKind::wallet_topup: return "wallet_topup";
        case EntityKind::flash_sale: return "flash_sale";
        case EntityKind::group_offer: return "group_offer";
        case EntityKind::group: return "group";
    }
    return "unknown";
}

}  // namespace souk
