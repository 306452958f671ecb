// The pricing pipeline's discount side, and the coupon events placing and cancelling emit.
#pragma once

#include <memory>
#include <vector>

#include "cart/pricing.hpp"
#include "kernel/event.hpp"
#include "souk/promotions.hpp"

namespace souk::detail {

// The pipeline: 满减 per shop, then each shop's coupon, then the platform coupon, each on the
// lines its scope covers and `rules` lets it combine with (docs/promotions.md).
std::unique_ptr<const DiscountPolicy> make_promotion_pricing(StackingRules rules);

// Emits CouponUsed for each coupon a checkout applied (Orders::place, after pricing accepted
// them), tying it to `order`.
void use_coupons(EventSink& out, PaymentOrderId order, const std::vector<CouponId>& coupons);

// Emits CouponReturned for each coupon `order` used: it was cancelled before payment.
void return_coupons(const State& state, EventSink& out, PaymentOrderId order);

}  // namespace souk::detail
