// How promotions events change the state. Like every apply, these cannot fail for events a
// command validated; an impossible event means a damaged journal.
#include <algorithm>

#include "kernel/state.hpp"
#include "promotions/events.hpp"

namespace souk::detail {
namespace {

CouponRecord& coupon_row(State& state, CouponId id, std::string_view what) {
    const auto it = state.promotions.coupons.find(id);
    require_consistent(it != state.promotions.coupons.end(), what);
    return it->second;
}

CouponTemplateRecord& template_row(State& state, CouponTemplateId id, std::string_view what) {
    const auto it = state.promotions.templates.find(id);
    require_consistent(it != state.promotions.templates.end(), what);
    return it->second;
}

}  // namespace

void CouponTemplateCreated::apply(State& state, const EventContext& context) const {
    auto& p = state.promotions;
    require_consistent(template_id.value == p.last_template + 1, "coupon template ids run in sequence");
    CouponTemplateRecord record;
    record.id = template_id;
    record.spec = CouponTemplateSpec{title,     shop,    benefit,   min_spend,      amount_off,
                                     percent_off_bps, max_discount, scope.to_scope(), starts_at, ends_at,
                                     valid_for, total_quantity, per_customer_limit};
    record.created_at = context.time;
    p.templates.emplace(template_id, std::move(record));
    p.templates_by_shop[shop].push_back(template_id);
    p.last_template = template_id.value;
}

void CouponTemplateStopped::apply(State& state, const EventContext&) const {
    template_row(state, template_id, "CouponTemplateStopped of an unknown template").stopped = true;
}

void CouponIssued::apply(State& state, const EventContext& context) const {
    auto& p = state.promotions;
    require_consistent(coupon.value == p.last_coupon + 1, "coupon ids run in sequence");
    auto& from = template_row(state, template_id, "CouponIssued from an unknown template");
    ++from.issued;
    ++from.issued_to[owner];
    p.coupons.emplace(coupon, CouponRecord{coupon, template_id, owner, CouponStatus::available, PaymentOrderId{},
                                           valid_from, valid_until, context.time});
    p.coupons_by_owner[owner].push_back(coupon);
    p.last_coupon = coupon.value;
}

void CouponUsed::apply(State& state, const EventContext&) const {
    auto& record = coupon_row(state, coupon, "CouponUsed of an unknown coupon");
    require_consistent(record.status == CouponStatus::available, "CouponUsed of a coupon already used");
    record.status = CouponStatus::used;
    record.used_by = order;
    state.promotions.coupons_by_order[order].push_back(coupon);
}

void CouponReturned::apply(State& state, const EventContext&) const {
    auto& record = coupon_row(state, coupon, "CouponReturned of an unknown coupon");
    require_consistent(record.status == CouponStatus::used && record.used_by == order,
                       "CouponReturned of a coupon that order did not use");
    record.status = CouponStatus::available;
    record.used_by = PaymentOrderId{};
    auto& used = state.promotions.coupons_by_order[order];
    used.erase(std::remove(used.begin(), used.end(), coupon), used.end());
    if (used.empty()) state.promotions.coupons_by_order.erase(order);
}

void SpendPromotionCreated::apply(State& state, const EventContext& context) const {
    auto& p = state.promotions;
    require_consistent(promotion.value == p.last_spend_promotion + 1, "spend promotion ids run in sequence");
    SpendPromotionSpec spec{title, {}, scope.to_scope(), starts_at, ends_at};
    for (const auto& tier : tiers) spec.tiers.push_back(SpendTier{tier.threshold, tier.amount_off, tier.percent_off_bps});
    p.spend_promotions.emplace(promotion, SpendPromotionRecord{promotion, shop, std::move(spec), context.time});
    p.spend_by_shop[shop].push_back(promotion);
    p.last_spend_promotion = promotion.value;
}

void SpendPromotionEnded::apply(State& state, const EventContext& context) const {
    const auto it = state.promotions.spend_promotions.find(promotion);
    require_consistent(it != state.promotions.spend_promotions.end(), "SpendPromotionEnded of an unknown promotion");
    auto& spec = it->second.spec;
    spec.ends_at = std::max(spec.starts_at, std::min(spec.ends_at, context.time));
}

}  // namespace souk::detail
