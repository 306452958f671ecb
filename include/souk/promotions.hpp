// souk — marketing: coupons, a shop's spend-based tiers (满减), and the stacking rules the
// pricing pipeline follows (see docs/promotions.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "souk/actor.hpp"
#include "souk/cart.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"

namespace souk {

namespace detail {
class Kernel;
struct TradePolicies;
}

// Which discount kinds combine on one line. A rule of kind B skips a line that a rule of
// kind A already discounted when {A, B} is listed (in either order); every other pair
// combines. The pipeline order decides which of two exclusive kinds wins: the earlier one.
struct StackingRules {
    std::vector<std::pair<DiscountKind, DiscountKind>> exclusive;

    bool combine(DiscountKind a, DiscountKind b) const;
    // Everything combines: 满减, then a shop coupon, then a platform coupon.
    static StackingRules standard() { return {}; }
    friend bool operator==(const StackingRules&, const StackingRules&) = default;
};

// ---------------------------------------------------------------------------------------
// Scope: which lines a coupon or a promotion covers

enum class ScopeKind : std::uint8_t {
    everything = 1,  // a platform coupon: every line; a shop's rule: every line of the shop
    shop = 2,        // a platform coupon on one shop's lines
    categories = 3,  // lines whose product is in one of these categories or below them
    products = 4,    // lines of these products
};

struct PromotionScope {
    ScopeKind kind = ScopeKind::everything;
    ShopId shop;                        // ScopeKind::shop
    std::vector<CategoryId> categories;  // ScopeKind::categories: 1..50
    std::vector<ProductId> products;     // ScopeKind::products: 1..200
    friend bool operator==(const PromotionScope&, const PromotionScope&) = default;
};

// ---------------------------------------------------------------------------------------
// Coupons

enum class CouponBenefit : std::uint8_t {
    amount_off = 1,     // amount_off from lines in scope costing at least min_spend
    percent_off = 2,    // percent_off_bps of the lines in scope, at most max_discount
    free_shipping = 3,  // the shop's shipping fee is waived (shop coupons only)
};

// What a coupon template promises. shop zero: a platform coupon, platform-funded, valid in
// any shop; otherwise a shop coupon, shop-funded, valid on that shop's lines only.
struct CouponTemplateSpec {
    std::string name;  // 1..60 characters, shown in quotes
    ShopId shop;
    CouponBenefit benefit = CouponBenefit::amount_off;
    // The least the lines in scope must cost (before this coupon) for it to apply; its currency
    // is the coupon's: it applies only to checkouts priced in it. Zero for no threshold.
    Money min_spend;
    Money amount_off;                    // amount_off: positive, in min_spend's currency
    std::int32_t percent_off_bps = 0;    // percent_off: 1..9999 (1000 = 10 % off)
    std::optional<Money> max_discount;   // percent_off: the cap, positive
    PromotionScope scope;
    // Coupons are claimed in [starts_at, ends_at) and, without valid_for, used in it too.
    Timestamp starts_at{};
    Timestamp ends_at{};
    // With a value, each coupon is usable from its claim for this long (1 hour..366 days).
    std::optional<Duration> valid_for;
    std::int64_t total_quantity = 0;    // coupons issued at most: 1..10,000,000
    std::int32_t per_customer_limit = 1;  // coupons one customer may hold from it: 1..100
    friend bool operator==(const CouponTemplateSpec&, const CouponTemplateSpec&) = default;
};

struct CouponTemplateInfo {
    CouponTemplateId id;
    CouponTemplateSpec spec;
    std::int64_t issued = 0;
    bool stopped = false;  // no more coupons issued; those issued stay usable
    Timestamp created_at{};
    friend bool operator==(const CouponTemplateInfo&, const CouponTemplateInfo&) = default;
};

enum class CouponStatus : std::uint8_t {
    available = 1,  // may be applied (while valid)
    used = 2,       // tied to an order; returned if that order is cancelled before payment
};

struct CouponInfo {
    CouponId id;
    CouponTemplateId template_id;
    UserId owner;
    std::string name;
    ShopId shop;  // zero: a platform coupon
    CouponStatus status = CouponStatus::available;
    std::optional<PaymentOrderId> used_by;
    Timestamp valid_from{};
    Timestamp valid_until{};  // usable before this
    bool expired = false;     // valid_until has passed (as of the query)
    Timestamp issued_at{};
    friend bool operator==(const CouponInfo&, const CouponInfo&) = default;
};

// ---------------------------------------------------------------------------------------
// 满减: spend-based tiers

// Spend at least `threshold` on the lines in scope, get amount_off (or percent_off_bps of
// them) off. Exactly one of amount_off and percent_off_bps is set.
struct SpendTier {
    Money threshold;                  // positive
    std::optional<Money> amount_off;  // positive, less than threshold
    std::int32_t percent_off_bps = 0;  // 1..9999
    friend bool operator==(const SpendTier&, const SpendTier&) = default;
};

struct SpendPromotionSpec {
    std::string name;  // 1..60 characters
    // 1..10 tiers in one currency; only the one that takes most off applies.
    std::vector<SpendTier> tiers;
    // ScopeKind::everything (the whole shop) or ScopeKind::products (the shop's own products).
    PromotionScope scope;
    Timestamp starts_at{};
    Timestamp ends_at{};
    friend bool operator==(const SpendPromotionSpec&, const SpendPromotionSpec&) = default;
};

struct SpendPromotionInfo {
    SpendPromotionId id;
    ShopId shop;
    SpendPromotionSpec spec;  // ends_at moves to when it was ended early
    Timestamp created_at{};
    friend bool operator==(const SpendPromotionInfo&, const SpendPromotionInfo&) = default;
};

// The promotions service. Platform coupons are issued by platform staff, a shop's coupons and
// 满减 by the shop's owner and staff. Customers claim coupons and apply them at checkout
// (CheckoutRequest::coupons); Cart::quote and Orders::place price them with one pipeline.
//
// Thread-safety: like every service, any number of threads may call it at once.
class Promotions {
public:
    static constexpr std::size_t max_tiers = 10;
    static constexpr std::size_t max_active_spend_promotions = 20;  // per shop at once

    // ---- coupons ----
    CouponTemplateId create_coupon_template(const Actor& actor, const CouponTemplateSpec& spec);
    // Ends issuing; coupons already issued stay usable until they expire.
    void stop_coupon_template(const Actor& actor, CouponTemplateId template_id);
    // Templates are public: what a storefront shows customers to claim.
    CouponTemplateInfo coupon_template(CouponTemplateId template_id) const;
    // The templates of a shop (zero: the platform's) still issuing at `now`, oldest first.
    std::vector<CouponTemplateInfo> claimable_templates(ShopId shop) const;

    // The customer claims one coupon while the template issues (window open, not stopped,
    // quantity left, below the per-customer limit).
    CouponId claim_coupon(const Actor& customer, CouponTemplateId template_id);
    // The issuer (platform staff or the shop's members) gives one coupon to a customer, under
    // the same limits.
    CouponId grant_coupon(const Actor& actor, CouponTemplateId template_id, UserId customer);
    // The customer's coupons, newest first. The customer themself or platform staff.
    std::vector<CouponInfo> coupons(const Actor& actor, UserId customer) const;
    // The coupons that take most off this checkout: for each shop the best of its coupons,
    // then the best platform coupon on what is left. Pass them in CheckoutRequest::coupons.
    std::vector<CouponId> suggest_coupons(const Actor& customer, const CheckoutRequest& request) const;

    // ---- 满减 ----
    SpendPromotionId create_spend_promotion(const Actor& actor, ShopId shop, const SpendPromotionSpec& spec);
    // Ends it now (a promotion that has not started yet ends before it starts).
    void end_spend_promotion(const Actor& actor, SpendPromotionId promotion);
    // A shop's promotions not yet over, by start. Public.
    std::vector<SpendPromotionInfo> spend_promotions(ShopId shop) const;

private:
    friend class Marketplace;
    Promotions(detail::Kernel& kernel, const detail::TradePolicies& policies) : kernel_(&kernel), policies_(&policies) {}
    detail::Kernel* kernel_;
    const detail::TradePolicies* policies_;
};

}  // namespace souk
