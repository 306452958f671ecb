// souk — typed identifiers: a ShopId is not a UserId.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string_view>

#include <fmt/format.h>

namespace souk {

// The kinds of entity an id can name; stable numbers (they appear in audit queries).
enum class EntityKind : std::uint8_t {
    user = 1,
    session = 2,
    shop = 3,
    category = 4,
    product = 5,
    sku = 6,
    payment_order = 7,
    reservation = 8,
    address = 9,
    sub_order = 10,
    refund = 11,
    shipping_template = 12,
    after_sales = 13,
    review = 14,
    payout = 17,
    wallet_topup = 19,
    // promotions 20..29
    coupon_template = 20,
    coupon = 21,
    spend_promotion = 22,
    flash_sale = 23,
    // group buying 25..26
    group_offer = 25,
    group = 26,
};

// A 64-bit identifier tagged with the entity it names. Zero is "no id".
template <class Tag>
struct Id {
    std::uint64_t value = 0;

    constexpr Id() = default;
    constexpr explicit Id(std::uint64_t v) : value(v) {}
    constexpr explicit operator bool() const { return value != 0; }
    friend constexpr auto operator<=>(Id, Id) = default;
};

struct UserTag { static constexpr EntityKind kind = EntityKind::user; };
struct SessionTag { static constexpr EntityKind kind = EntityKind::session; };
struct ShopTag { static constexpr EntityKind kind = EntityKind::shop; };
struct CategoryTag { static constexpr EntityKind kind = EntityKind::category; };
struct ProductTag { static constexpr EntityKind kind = EntityKind::product; };
struct SkuTag { static constexpr EntityKind kind = EntityKind::sku; };
struct PaymentOrderTag { static constexpr EntityKind kind = EntityKind::payment_order; };
struct ReservationTag { static constexpr EntityKind kind = EntityKind::reservation; };
struct AddressTag { static constexpr EntityKind kind = EntityKind::address; };
struct SubOrderTag { static constexpr EntityKind kind = EntityKind::sub_order; };
struct RefundTag { static constexpr EntityKind kind = EntityKind::refund; };
struct ShippingTemplateTag { static constexpr EntityKind kind = EntityKind::shipping_template; };
struct AfterSalesTag { static constexpr EntityKind kind = EntityKind::after_sales; };
struct ReviewTag { static constexpr EntityKind kind = EntityKind::review; };
struct PayoutTag { static constexpr EntityKind kind = EntityKind::payout; };
struct CouponTemplateTag { static constexpr EntityKind kind = EntityKind::coupon_template; };
struct CouponTag { static constexpr EntityKind kind = EntityKind::coupon; };
struct SpendPromotionTag { static constexpr EntityKind kind = EntityKind::spend_promotion; };
struct WalletTopupTag { static constexpr EntityKind kind = EntityKind::wallet_topup; };
struct FlashSaleTag { static constexpr EntityKind kind = EntityKind::flash_sale; };
struct GroupOfferTag { static constexpr EntityKind kind = EntityKind::group_offer; };
struct GroupTag { static constexpr EntityKind kind = EntityKind::group; };

using UserId = Id<UserTag>;
using SessionId = Id<SessionTag>;
using ShopId = Id<ShopTag>;
using CategoryId = Id<CategoryTag>;
using ProductId = Id<ProductTag>;
using SkuId = Id<SkuTag>;
// One checkout's payment: what the payer pays once for all the shops' sub-orders.
using PaymentOrderId = Id<PaymentOrderTag>;
using ReservationId = Id<ReservationTag>;
// An entry of a customer's address book.
using AddressId = Id<AddressTag>;
// One shop's part of a payment order: what that shop ships and is paid for.
using SubOrderId = Id<SubOrderTag>;
using RefundId = Id<RefundTag>;
// A shop's shipping fee template.
using ShippingTemplateId = Id<ShippingTemplateTag>;
// A buyer's refund or return request on lines of a sub-order.
using AfterSalesId = Id<AfterSalesTag>;
using ReviewId = Id<ReviewTag>;
// Money moved from a shop's available balance towards its bank account.
using PayoutId = Id<PayoutTag>;
// What a platform or a shop issues coupons from: the benefit, scope, validity and limits.
using CouponTemplateId = Id<CouponTemplateTag>;
// One coupon a customer holds.
using CouponId = Id<CouponTag>;
// A shop's spend-based tiers (满减).
using SpendPromotionId = Id<SpendPromotionTag>;
// Money a customer adds to their wallet through a payment provider.
using WalletTopupId = Id<WalletTopupTag>;
using FlashSaleId = Id<FlashSaleTag>;
// A shop's 拼团 offer on one SKU: group price, group size, window.
using GroupOfferId = Id<GroupOfferTag>;
// One group of customers buying together under an offer.
using GroupId = Id<GroupTag>;

// Any entity, by kind and id: what the audit trail is indexed by.
struct EntityRef {
    EntityKind kind{};
    std::uint64_t id = 0;

    template <class Tag>
    static constexpr EntityRef of(Id<Tag> id) { return {Tag::kind, id.value}; }
    friend constexpr auto operator<=>(const EntityRef&, const EntityRef&) = default;
};

// "shop", "user", ...
std::string_view entity_kind_name(EntityKind kind) noexcept;

}  // namespace souk

template <>
struct std::hash<souk::EntityRef> {
    std::size_t operator()(const souk::EntityRef& r) const noexcept {
        return std::hash<std::uint64_t>{}(r.id * 31 + static_cast<std::uint64_t>(r.kind));
    }
};

template <class Tag>
struct std::hash<souk::Id<Tag>> {
    std::size_t operator()(souk::Id<Tag> id) const noexcept { return std::hash<std::uint64_t>{}(id.value); }
};

template <class Tag>
struct fmt::formatter<souk::Id<Tag>> : fmt::formatter<std::uint64_t> {
    auto format(souk::Id<Tag> id, format_context& ctx) const { return fmt::formatter<std::uint64_t>::format(id.value, ctx); }
};
