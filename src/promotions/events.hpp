// Promotions events. Coupon use and return are emitted by the orders commands that place and
// cancel (in the same command), so a coupon is used exactly when its order exists.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "promotions/state.hpp"

namespace souk::detail {

struct ScopeFields {
    ScopeKind kind = ScopeKind::everything;
    ShopId shop;
    std::vector<CategoryId> categories;
    std::vector<ProductId> products;
    template <class V> void visit(V&& v) {
        v("kind", kind), v("shop", shop), v("categories", categories), v("products", products);
    }
    static ScopeFields from(const PromotionScope& s) { return {s.kind, s.shop, s.categories, s.products}; }
    PromotionScope to_scope() const { return {kind, shop, categories, products}; }
};

struct SpendTierFields {
    Money threshold;
    std::optional<Money> amount_off;
    std::int32_t percent_off_bps = 0;
    template <class V> void visit(V&& v) {
        v("threshold", threshold), v("amount_off", amount_off), v("percent_off_bps", percent_off_bps);
    }
};

struct CouponTemplateCreated {
    static constexpr EventKind kind = EventKind::coupon_template_created;
    static constexpr std::string_view name = "CouponTemplateCreated";
    static constexpr std::uint8_t version = 1;
    CouponTemplateId template_id;
    std::string title;
    ShopId shop;
    CouponBenefit benefit{};
    Money min_spend;
    Money amount_off;
    std::int32_t percent_off_bps = 0;
    std::optional<Money> max_discount;
    ScopeFields scope;
    Timestamp starts_at{};
    Timestamp ends_at{};
    std::optional<Duration> valid_for;
    std::int64_t total_quantity = 0;
    std::int32_t per_customer_limit = 0;
    template <class V> void visit(V&& v) {
        v("template", template_id), v("title", title), v("shop", shop), v("benefit", benefit),
            v("min_spend", min_spend), v("amount_off", amount_off), v("percent_off_bps", percent_off_bps),
            v("max_discount", max_discount), v("scope", scope), v("starts_at", starts_at), v("ends_at", ends_at),
            v("valid_for", valid_for), v("total_quantity", total_quantity),
            v("per_customer_limit", per_customer_limit);
    }
    static CouponTemplateCreated from(CouponTemplateId id, const CouponTemplateSpec& s) {
        return {id,           s.name,         s.shop,           s.benefit,         s.min_spend,
                s.amount_off, s.percent_off_bps, s.max_discount, ScopeFields::from(s.scope), s.starts_at,
                s.ends_at,    s.valid_for,    s.total_quantity, s.per_customer_limit};
    }
    void apply(State& state, const EventContext& context) const;
};

struct CouponTemplateStopped {
    static constexpr EventKind kind = EventKind::coupon_template_stopped;
    static constexpr std::string_view name = "CouponTemplateStopped";
    static constexpr std::uint8_t version = 1;
    CouponTemplateId template_id;
    template <class V> void visit(V&& v) { v("template", template_id); }
    void apply(State& state, const EventContext& context) const;
};

// A claim (granted false) or a grant by the issuer.
struct CouponIssued {
    static constexpr EventKind kind = EventKind::coupon_issued;
    static constexpr std::string_view name = "CouponIssued";
    static constexpr std::uint8_t version = 1;
    CouponId coupon;
    CouponTemplateId template_id;
    UserId owner;
    bool granted = false;
    Timestamp valid_from{};
    Timestamp valid_until{};
    template <class V> void visit(V&& v) {
        v("coupon", coupon), v("template", template_id), v("owner", owner), v("granted", granted),
            v("valid_from", valid_from), v("valid_until", valid_until);
    }
    void apply(State& state, const EventContext& context) const;
};

struct CouponUsed {
    static constexpr EventKind kind = EventKind::coupon_used;
    static constexpr std::string_view name = "CouponUsed";
    static constexpr std::uint8_t version = 1;
    CouponId coupon;
    PaymentOrderId order;
    template <class V> void visit(V&& v) { v("coupon", coupon), v("order", order); }
    void apply(State& state, const EventContext& context) const;
};

// The order that used the coupon was cancelled before payment: the coupon is available again.
struct CouponReturned {
    static constexpr EventKind kind = EventKind::coupon_returned;
    static constexpr std::string_view name = "CouponReturned";
    static constexpr std::uint8_t version = 1;
    CouponId coupon;
    PaymentOrderId order;
    template <class V> void visit(V&& v) { v("coupon", coupon), v("order", order); }
    void apply(State& state, const EventContext& context) const;
};

struct SpendPromotionCreated {
    static constexpr EventKind kind = EventKind::spend_promotion_created;
    static constexpr std::string_view name = "SpendPromotionCreated";
    static constexpr std::uint8_t version = 1;
    SpendPromotionId promotion;
    ShopId shop;
    std::string title;
    std::vector<SpendTierFields> tiers;
    ScopeFields scope;
    Timestamp starts_at{};
    Timestamp ends_at{};
    template <class V> void visit(V&& v) {
        v("promotion", promotion), v("shop", shop), v("title", title), v("tiers", tiers), v("scope", scope),
            v("starts_at", starts_at), v("ends_at", ends_at);
    }
    void apply(State& state, const EventContext& context) const;
};

// Ends a promotion at the event's time.
struct SpendPromotionEnded {
    static constexpr EventKind kind = EventKind::spend_promotion_ended;
    static constexpr std::string_view name = "SpendPromotionEnded";
    static constexpr std::uint8_t version = 1;
    SpendPromotionId promotion;
    template <class V> void visit(V&& v) { v("promotion", promotion); }
    void apply(State& state, const EventContext& context) const;
};

using PromotionsEvents = EventList<CouponTemplateCreated, CouponTemplateStopped, CouponIssued, CouponUsed,
                                   CouponReturned, SpendPromotionCreated, SpendPromotionEnded>;

}  // namespace souk::detail
