// Promotions state: coupon templates, the coupons customers hold, and shops' 满减.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/promotions.hpp"

namespace souk::detail {

struct CouponTemplateRecord {
    CouponTemplateId id;
    CouponTemplateSpec spec;
    std::int64_t issued = 0;
    bool stopped = false;
    Timestamp created_at{};
    std::unordered_map<UserId, std::int32_t> issued_to;  // per customer, for the limit
};

struct CouponRecord {
    CouponId id;
    CouponTemplateId template_id;
    UserId owner;
    CouponStatus status = CouponStatus::available;
    PaymentOrderId used_by;  // zero unless used
    Timestamp valid_from{};
    Timestamp valid_until{};
    Timestamp issued_at{};
};

struct SpendPromotionRecord {
    SpendPromotionId id;
    ShopId shop;
    SpendPromotionSpec spec;
    Timestamp created_at{};
};

struct PromotionsState {
    std::map<CouponTemplateId, CouponTemplateRecord> templates;
    std::map<ShopId, std::vector<CouponTemplateId>> templates_by_shop;  // shop zero: the platform's
    std::unordered_map<CouponId, CouponRecord> coupons;
    std::unordered_map<UserId, std::vector<CouponId>> coupons_by_owner;  // ascending
    std::unordered_map<PaymentOrderId, std::vector<CouponId>> coupons_by_order;
    std::map<SpendPromotionId, SpendPromotionRecord> spend_promotions;
    std::unordered_map<ShopId, std::vector<SpendPromotionId>> spend_by_shop;  // ascending
    std::uint64_t last_template = 0;
    std::uint64_t last_coupon = 0;
    std::uint64_t last_spend_promotion = 0;

    const CouponTemplateRecord* find(CouponTemplateId id) const {
        const auto it = templates.find(id);
        return it == templates.end() ? nullptr : &it->second;
    }
    const CouponRecord* find(CouponId id) const {
        const auto it = coupons.find(id);
        return it == coupons.end() ? nullptr : &it->second;
    }
    const SpendPromotionRecord* find(SpendPromotionId id) const {
        const auto it = spend_promotions.find(id);
        return it == spend_promotions.end() ? nullptr : &it->second;
    }
};

}  // namespace souk::detail
