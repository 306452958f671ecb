// The discount side of pricing: which promotions apply to a checkout, how much each takes
// off, and which lines carry it. The cost grows with lines × rules, never with quantities:
// every amount is computed from line totals.
#include "promotions/pricing.hpp"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "group_buying/hooks.hpp"
#include "kernel/state.hpp"
#include "promotions/events.hpp"
#include "souk/error.hpp"

namespace souk {

bool StackingRules::combine(DiscountKind a, DiscountKind b) const {
    return std::none_of(exclusive.begin(), exclusive.end(), [&](const auto& pair) {
        return (pair.first == a && pair.second == b) || (pair.first == b && pair.second == a);
    });
}

namespace detail {
namespace {

constexpr std::int64_t bps_whole = 10'000;

// A line as the pipeline sees it: where it belongs and which kinds already discount it.
struct PricedLine {
    QuoteLine* line = nullptr;
    ShopId shop;
    ProductId product;
    CategoryId category;
    std::vector<DiscountKind> kinds;
};

bool in_category(const CatalogState& catalog, CategoryId category, const std::vector<CategoryId>& wanted) {
    for (auto id = category; id;) {
        if (std::find(wanted.begin(), wanted.end(), id) != wanted.end()) return true;
        const auto* record = catalog.find_category(id);
        assert(record);
        id = record->parent;
    }
    return false;
}

bool in_scope(const State& state, const PromotionScope& scope, const PricedLine& line) {
    switch (scope.kind) {
        case ScopeKind::everything: return true;
        case ScopeKind::shop: return line.shop == scope.shop;
        case ScopeKind::categories: return in_category(state.catalog, line.category, scope.categories);
        case ScopeKind::products:
            return std::find(scope.products.begin(), scope.products.end(), line.product) != scope.products.end();
    }
    return false;
}

// The lines of `shop` (every shop when zero) in `scope` that a discount of `kind` may join.
std::vector<PricedLine*> eligible(const State& state, const StackingRules& rules, std::vector<PricedLine>& lines,
                                  ShopId shop, const PromotionScope& scope, DiscountKind kind) {
    std::vector<PricedLine*> chosen;
    for (auto& line : lines) {
        if (shop && line.shop != shop) continue;
        if (!in_scope(state, scope, line)) continue;
        const bool combines = std::all_of(line.kinds.begin(), line.kinds.end(),
                                          [&](DiscountKind earlier) { return rules.combine(earlier, kind); });
        if (combines) chosen.push_back(&line);
    }
    return chosen;
}

Money still_costs(const std::vector<PricedLine*>& lines, const Currency& currency) {
    Money sum = Money::zero(currency);
    for (const auto* line : lines) sum += line->line->line_total - line->line->discount;
    return sum;
}

// Shares `amount` among `lines` and marks them as discounted by `kind`.
void grant(Quote& quote, std::vector<PricedLine*>& lines, QuoteDiscount discount) {
    std::vector<QuoteLine*> targets;
    for (auto* line : lines) targets.push_back(line->line);
    const DiscountKind kind = discount.kind;
    if (apply_discount(quote, std::move(discount), targets).is_zero()) return;
    for (auto* line : lines) line->kinds.push_back(kind);
}

Money percent_of(const Money& base, std::int32_t bps) { return base.scaled(bps, bps_whole); }

bool running(Timestamp starts_at, Timestamp ends_at, Timestamp now) { return starts_at <= now && now < ends_at; }

// What the best tier of a 满减 rule takes off `spend`; zero when no tier is reached.
std::pair<Money, const SpendTier*> best_tier(const SpendPromotionSpec& spec, const Money& spend) {
    Money best = Money::zero(spend.currency());
    const SpendTier* chosen = nullptr;
    for (const auto& tier : spec.tiers) {
        if (tier.threshold.currency() != spend.currency() || spend < tier.threshold) continue;
        const Money off = tier.amount_off ? *tier.amount_off : percent_of(spend, tier.percent_off_bps);
        if (off > best) best = off, chosen = &tier;
    }
    return {best, chosen};
}

std::string tier_label(const SpendPromotionSpec& spec, const SpendTier& tier) {
    if (tier.amount_off) return fmt::format("{}: {} off from {}", spec.name, *tier.amount_off, tier.threshold);
    return fmt::format("{}: {}.{:02} % off from {}", spec.name, tier.percent_off_bps / 100, tier.percent_off_bps % 100,
                       tier.threshold);
}

// 拼团 comes first: the group price stands in for the SKU's price, and every later rule sees
// what is left of it.
void apply_group_price(const State& state, const PricingInput& input, Quote& quote, std::vector<PricedLine>& lines) {
    auto discount = group_price_discount(state, input, quote);
    if (!discount) return;
    std::vector<PricedLine*> covered{&lines.front()};
    grant(quote, covered, std::move(*discount));
}

void apply_spend_tiers(const State& state, const StackingRules& rules, Timestamp now, Quote& quote,
                       std::vector<PricedLine>& lines) {
    for (const auto& shop : quote.shops) {
        const auto found = state.promotions.spend_by_shop.find(shop.shop);
        if (found == state.promotions.spend_by_shop.end()) continue;
        for (const auto id : found->second) {
            const auto& promotion = *state.promotions.find(id);
            if (!running(promotion.spec.starts_at, promotion.spec.ends_at, now)) continue;
            auto covered = eligible(state, rules, lines, shop.shop, promotion.spec.scope, DiscountKind::spend_tier);
            const auto [off, tier] = best_tier(promotion.spec, still_costs(covered, quote.currency));
            if (!tier) continue;
            grant(quote, covered,
                  QuoteDiscount{tier_label(promotion.spec, *tier), shop.shop, off, DiscountKind::spend_tier, id.value});
        }
    }
}

// A coupon the customer applies, checked against the checkout.
struct AppliedCoupon {
    const CouponRecord* coupon = nullptr;
    const CouponTemplateSpec* spec = nullptr;
};

[[noreturn]] void refuse(Errc code, const std::string& message) { throw Error(code, message); }

// The applied coupons, checked: the customer's, available, valid now, in the checkout's
// currency, at most one per shop and one platform coupon, each for a shop of the checkout.
std::vector<AppliedCoupon> resolve(const State& state, const PricingInput& input, const Quote& quote) {
    std::vector<AppliedCoupon> applied;
    for (const auto id : input.coupons) {
        const auto* coupon = state.promotions.find(id);
        if (!coupon) refuse(Errc::not_found, fmt::format("no coupon {}", id));
        if (coupon->owner != input.customer) refuse(Errc::forbidden, fmt::format("coupon {} is not yours", id));
        const auto& spec = state.promotions.find(coupon->template_id)->spec;
        if (coupon->status == CouponStatus::used)
            refuse(Errc::invalid_state, fmt::format("coupon {} was used by order {}", id, coupon->used_by));
        if (!running(coupon->valid_from, coupon->valid_until, input.now))
            refuse(Errc::invalid_state, fmt::format("coupon {} is valid from {} until {}", id,
                                                    format_timestamp(coupon->valid_from),
                                                    format_timestamp(coupon->valid_until)));
        if (spec.min_spend.currency() != quote.currency)
            refuse(Errc::currency_mismatch, fmt::format("coupon {} is for checkouts in {}, this one is in {}", id,
                                                        spec.min_spend.currency(), quote.currency));
        for (const auto& other : applied) {
            if (other.coupon->id == id) refuse(Errc::invalid_argument, fmt::format("coupon {} is applied twice", id));
            if (other.spec->shop == spec.shop)
                refuse(Errc::invalid_argument,
                       spec.shop ? fmt::format("one coupon per shop: coupons {} and {} are both shop {}'s",
                                               other.coupon->id, id, spec.shop)
                                 : fmt::format("one platform coupon per order: {} and {} are both the platform's",
                                               other.coupon->id, id));
        }
        if (spec.shop && std::none_of(quote.shops.begin(), quote.shops.end(), [&](const auto& s) { return s.shop == spec.shop; }))
            refuse(Errc::invalid_state, fmt::format("coupon {} is shop {}'s and this checkout has none of its lines", id,
                                                    spec.shop));
        applied.push_back({coupon, &spec});
    }
    // Shop coupons before the platform's, as the pipeline applies them.
    std::stable_partition(applied.begin(), applied.end(), [](const auto& a) { return bool(a.spec->shop); });
    return applied;
}

void apply_coupon(const State& state, const StackingRules& rules, const AppliedCoupon& applied, Quote& quote,
                  std::vector<PricedLine>& lines) {
    const auto& spec = *applied.spec;
    const auto kind = spec.shop ? DiscountKind::shop_coupon : DiscountKind::platform_coupon;
    auto covered = eligible(state, rules, lines, spec.shop, spec.scope, kind);
    if (covered.empty())
        refuse(Errc::invalid_state,
               fmt::format("coupon {} ('{}') covers none of these lines", applied.coupon->id, spec.name));
    const Money spend = still_costs(covered, quote.currency);
    if (spend < spec.min_spend)
        refuse(Errc::invalid_state, fmt::format("coupon {} ('{}') needs {} spent on the lines it covers, not {}",
                                                applied.coupon->id, spec.name, spec.min_spend, spend));
    Money off = Money::zero(quote.currency);
    switch (spec.benefit) {
        case CouponBenefit::amount_off: off = spec.amount_off; break;
        case CouponBenefit::percent_off:
            off = percent_of(spend, spec.percent_off_bps);
            if (spec.max_discount) off = std::min(off, *spec.max_discount);
            break;
        case CouponBenefit::free_shipping: return;  // waive_shipping, once the fee is known
    }
    grant(quote, covered, QuoteDiscount{spec.name, spec.shop, off, kind, applied.coupon->id.value});
}

class PromotionPricing final : public DiscountPolicy {
public:
    explicit PromotionPricing(StackingRules rules) : rules_(std::move(rules)) {}

    void apply(const State& state, const PricingInput& input, Quote& quote) const override {
        const auto coupons = resolve(state, input, quote);
        std::vector<PricedLine> lines;
        for (auto& shop : quote.shops)
            for (auto& line : shop.lines)
                lines.push_back(
                    PricedLine{&line, shop.shop, line.product, state.catalog.find_product(line.product)->category, {}});
        apply_group_price(state, input, quote, lines);
        apply_spend_tiers(state, rules_, input.now, quote, lines);
        for (const auto& coupon : coupons) apply_coupon(state, rules_, coupon, quote, lines);
    }

    void waive_shipping(const State& state, const PricingInput& input, Quote& quote) const override {
        for (const auto id : input.coupons) {
            const auto& spec = state.promotions.find(state.promotions.find(id)->template_id)->spec;
            if (spec.benefit != CouponBenefit::free_shipping) continue;
            for (auto& shop : quote.shops) {
                if (shop.shop != spec.shop || shop.shipping.is_zero()) continue;
                quote.discounts.push_back(
                    QuoteDiscount{spec.name, shop.shop, shop.shipping, DiscountKind::shop_coupon, id.value, {}, true});
                shop.shipping = Money::zero(quote.currency);
            }
        }
    }

private:
    StackingRules rules_;
};

}  // namespace

std::unique_ptr<const DiscountPolicy> make_promotion_pricing(StackingRules rules) {
    return std::make_unique<PromotionPricing>(std::move(rules));
}

void use_coupons(EventSink& out, PaymentOrderId order, const std::vector<CouponId>& coupons) {
    for (const auto coupon : coupons) out.emit(CouponUsed{coupon, order});
}

void return_coupons(const State& state, EventSink& out, PaymentOrderId order) {
    const auto found = state.promotions.coupons_by_order.find(order);
    if (found == state.promotions.coupons_by_order.end()) return;
    for (const auto coupon : found->second) out.emit(CouponReturned{coupon, order});
}

}  // namespace detail
}  // namespace souk
