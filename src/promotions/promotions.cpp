// The promotions service: coupon templates and coupons, 满减, and coupon suggestions.
#include <algorithm>

#include <fmt/format.h>

#include "cart/access.hpp"
#include "cart/pricing.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "promotions/events.hpp"
#include "souk/error.hpp"
#include "souk/promotions.hpp"
#include "validate.hpp"

namespace souk {
namespace {

using detail::State;

constexpr std::size_t max_scope_categories = 50;
constexpr std::size_t max_scope_products = 200;
constexpr std::int64_t max_total_quantity = 10'000'000;
constexpr std::int32_t max_per_customer = 100;
constexpr Duration min_valid_for = std::chrono::hours(1);
constexpr Duration max_valid_for = std::chrono::hours(24 * 366);

[[noreturn]] void invalid(const std::string& message) { throw Error(Errc::invalid_argument, message); }

void require_same_currency(const Money& amount, const Currency& currency, std::string_view what) {
    if (amount.currency() != currency)
        throw Error(Errc::currency_mismatch, fmt::format("{} is in {}, not {}", what, amount.currency(), currency));
}

void require_bps(std::int32_t bps, std::string_view what) {
    if (bps < 1 || bps > 9999) invalid(fmt::format("{} is 1..9999 basis points, not {}", what, bps));
}

void require_window(Timestamp starts_at, Timestamp ends_at, Timestamp now) {
    if (starts_at >= ends_at) invalid("a promotion must start before it ends");
    if (ends_at <= now) invalid(fmt::format("a promotion must end in the future, not at {}", format_timestamp(ends_at)));
}

// Acting for `shop` (its members) or, for shop zero, for the platform (its staff).
void require_issuer(const State& s, const Actor& actor, ShopId shop, std::string_view action) {
    if (!shop) return detail::require_platform_staff(s, actor, action);
    if (!s.shops.find(shop)) throw Error(Errc::not_found, fmt::format("no shop {}", shop));
    detail::require_shop_member(s, shop, actor, action);
}

// A scope's ids exist, and a shop's rule names only its own products.
void validate_scope(const State& s, const PromotionScope& scope, ShopId owner) {
    const bool ids_match = (scope.kind == ScopeKind::shop) == bool(scope.shop) &&
                           (scope.kind == ScopeKind::categories) == !scope.categories.empty() &&
                           (scope.kind == ScopeKind::products) == !scope.products.empty();
    if (!ids_match) invalid("a scope names the shop, categories or products its kind covers, and nothing else");
    switch (scope.kind) {
        case ScopeKind::everything: break;
        case ScopeKind::shop:
            if (owner) invalid("a shop's rule covers its own shop already: use ScopeKind::everything");
            if (!s.shops.find(scope.shop)) throw Error(Errc::not_found, fmt::format("no shop {}", scope.shop));
            break;
        case ScopeKind::categories:
            if (scope.categories.size() > max_scope_categories)
                invalid(fmt::format("a scope names at most {} categories", max_scope_categories));
            for (const auto id : scope.categories)
                if (!s.catalog.find_category(id)) throw Error(Errc::not_found, fmt::format("no category {}", id));
            break;
        case ScopeKind::products:
            if (scope.products.size() > max_scope_products)
                invalid(fmt::format("a scope names at most {} products", max_scope_products));
            for (const auto id : scope.products) {
                const auto* product = s.catalog.find_product(id);
                if (!product) throw Error(Errc::not_found, fmt::format("no product {}", id));
                if (owner && product->shop != owner)
                    invalid(fmt::format("product {} is not shop {}'s", id, owner));
            }
            break;
        default: invalid("unknown scope kind");
    }
}

// The spec as it is stored: amounts that do not apply to its benefit are zero in its currency.
CouponTemplateSpec checked_coupon_spec(const State& s, CouponTemplateSpec spec, Timestamp now) {
    detail::require_text("name", spec.name, 1, 60);
    const Currency currency = spec.min_spend.currency();
    if (spec.min_spend.is_negative()) invalid("the minimum spend must not be negative");
    switch (spec.benefit) {
        case CouponBenefit::amount_off:
            require_same_currency(spec.amount_off, currency, "the amount off");
            if (spec.amount_off.minor_units() <= 0) invalid("the amount off must be positive");
            if (spec.percent_off_bps != 0 || spec.max_discount) invalid("an amount-off coupon has no percent or cap");
            break;
        case CouponBenefit::percent_off:
            require_bps(spec.percent_off_bps, "the percent off");
            if (!spec.amount_off.is_zero()) invalid("a percent-off coupon has no amount off");
            if (spec.max_discount) {
                require_same_currency(*spec.max_discount, currency, "the cap");
                if (spec.max_discount->minor_units() <= 0) invalid("the cap must be positive");
            }
            spec.amount_off = Money::zero(currency);
            break;
        case CouponBenefit::free_shipping:
            if (!spec.shop) invalid("free shipping is a shop's coupon: the fee it waives is the shop's");
            if (!spec.amount_off.is_zero() || spec.percent_off_bps != 0 || spec.max_discount)
                invalid("a free-shipping coupon has no amount, percent or cap");
            spec.amount_off = Money::zero(currency);
            break;
        default: invalid("unknown coupon benefit");
    }
    validate_scope(s, spec.scope, spec.shop);
    require_window(spec.starts_at, spec.ends_at, now);
    if (spec.valid_for && (*spec.valid_for < min_valid_for || *spec.valid_for > max_valid_for))
        invalid("a coupon is valid for 1 hour to 366 days after its claim");
    if (spec.total_quantity < 1 || spec.total_quantity > max_total_quantity)
        invalid(fmt::format("a template issues 1..{} coupons, not {}", max_total_quantity, spec.total_quantity));
    if (spec.per_customer_limit < 1 || spec.per_customer_limit > max_per_customer)
        invalid(fmt::format("the per-customer limit is 1..{}, not {}", max_per_customer, spec.per_customer_limit));
    return spec;
}

const detail::CouponTemplateRecord& template_or_throw(const State& s, CouponTemplateId id) {
    const auto* record = s.promotions.find(id);
    if (!record) throw Error(Errc::not_found, fmt::format("no coupon template {}", id));
    return *record;
}

const detail::SpendPromotionRecord& spend_or_throw(const State& s, SpendPromotionId id) {
    const auto* record = s.promotions.find(id);
    if (!record) throw Error(Errc::not_found, fmt::format("no spend promotion {}", id));
    return *record;
}

CouponTemplateInfo info_of(const detail::CouponTemplateRecord& r) {
    return {r.id, r.spec, r.issued, r.stopped, r.created_at};
}

bool issuing(const detail::CouponTemplateRecord& r, Timestamp now) {
    return !r.stopped && r.spec.starts_at <= now && now < r.spec.ends_at && r.issued < r.spec.total_quantity;
}

// Emits one coupon of `from` for `customer`, if the template still issues and the customer
// is below its limit.
CouponId issue(const State& s, detail::EventSink& out, const detail::CouponTemplateRecord& from, UserId customer,
               bool granted) {
    const auto now = out.now();
    if (from.stopped) throw Error(Errc::invalid_state, fmt::format("coupon template {} was stopped", from.id));
    if (now < from.spec.starts_at || now >= from.spec.ends_at)
        throw Error(Errc::invalid_state,
                    fmt::format("coupon template {} issues from {} until {}", from.id,
                                format_timestamp(from.spec.starts_at), format_timestamp(from.spec.ends_at)));
    if (from.issued >= from.spec.total_quantity)
        throw Error(Errc::limit_exceeded, fmt::format("all {} coupons of template {} are gone", from.spec.total_quantity,
                                                      from.id));
    const auto held = from.issued_to.find(customer);
    if (held != from.issued_to.end() && held->second >= from.spec.per_customer_limit)
        throw Error(Errc::limit_exceeded, fmt::format("a customer may hold {} coupon(s) of template {}",
                                                      from.spec.per_customer_limit, from.id));
    const CouponId id{s.promotions.last_coupon + 1};
    const Timestamp until = from.spec.valid_for ? now + *from.spec.valid_for : from.spec.ends_at;
    const Timestamp valid_from = from.spec.valid_for ? now : from.spec.starts_at;
    out.emit(detail::CouponIssued{id, from.id, customer, granted, valid_from, until});
    return id;
}

SpendPromotionSpec checked_spend_spec(const State& s, ShopId shop, const SpendPromotionSpec& spec, Timestamp now) {
    detail::require_text("name", spec.name, 1, 60);
    if (spec.tiers.empty() || spec.tiers.size() > Promotions::max_tiers)
        invalid(fmt::format("a spend promotion has 1..{} tiers", Promotions::max_tiers));
    const Currency currency = spec.tiers.front().threshold.currency();
    for (const auto& tier : spec.tiers) {
        require_same_currency(tier.threshold, currency, "a tier's threshold");
        if (tier.threshold.minor_units() <= 0) invalid("a tier's threshold must be positive");
        if (tier.amount_off) {
            require_same_currency(*tier.amount_off, currency, "a tier's amount off");
            if (tier.percent_off_bps != 0) invalid("a tier takes an amount or a percent off, not both");
            if (tier.amount_off->minor_units() <= 0 || *tier.amount_off >= tier.threshold)
                invalid(fmt::format("a tier from {} takes off more than nothing and less than {}", tier.threshold,
                                    tier.threshold));
        } else {
            require_bps(tier.percent_off_bps, "a tier's percent off");
        }
    }
    if (spec.scope.kind != ScopeKind::everything && spec.scope.kind != ScopeKind::products)
        invalid("a spend promotion covers the whole shop or some of its products");
    validate_scope(s, spec.scope, shop);
    require_window(spec.starts_at, spec.ends_at, now);
    return spec;
}

}  // namespace

// ---- coupons

CouponTemplateId Promotions::create_coupon_template(const Actor& actor, const CouponTemplateSpec& spec) {
    return kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        require_issuer(s, actor, spec.shop, "issue coupons");
        const auto checked = checked_coupon_spec(s, spec, out.now());
        const CouponTemplateId id{s.promotions.last_template + 1};
        out.emit(detail::CouponTemplateCreated::from(id, checked));
        return id;
    });
}

void Promotions::stop_coupon_template(const Actor& actor, CouponTemplateId template_id) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = template_or_throw(s, template_id);
        require_issuer(s, actor, record.spec.shop, "stop coupon templates");
        if (record.stopped) throw Error(Errc::invalid_state, fmt::format("coupon template {} is stopped already", template_id));
        out.emit(detail::CouponTemplateStopped{template_id});
    });
}

CouponTemplateInfo Promotions::coupon_template(CouponTemplateId template_id) const {
    return kernel_->read([&](const State& s) { return info_of(template_or_throw(s, template_id)); });
}

std::vector<CouponTemplateInfo> Promotions::claimable_templates(ShopId shop) const {
    const auto now = kernel_->now();
    return kernel_->read([&](const State& s) {
        std::vector<CouponTemplateInfo> found;
        const auto it = s.promotions.templates_by_shop.find(shop);
        if (it == s.promotions.templates_by_shop.end()) return found;
        for (const auto id : it->second)
            if (const auto& record = *s.promotions.find(id); issuing(record, now)) found.push_back(info_of(record));
        return found;
    });
}

CouponId Promotions::claim_coupon(const Actor& customer, CouponTemplateId template_id) {
    return kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, customer);
        return issue(s, out, template_or_throw(s, template_id), user.id, false);
    });
}

CouponId Promotions::grant_coupon(const Actor& actor, CouponTemplateId template_id, UserId customer) {
    return kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = template_or_throw(s, template_id);
        require_issuer(s, actor, record.spec.shop, "grant coupons");
        const auto* user = s.accounts.find_user(customer);
        if (!user) throw Error(Errc::not_found, fmt::format("no user {}", customer));
        if (user->disabled) throw Error(Errc::invalid_state, fmt::format("user {} is disabled", customer));
        return issue(s, out, record, customer, true);
    });
}

std::vector<CouponInfo> Promotions::coupons(const Actor& actor, UserId customer) const {
    const auto now = kernel_->now();
    return kernel_->read([&](const State& s) {
        detail::require_self_or_staff(s, actor, customer, "see another customer's coupons");
        std::vector<CouponInfo> found;
        const auto it = s.promotions.coupons_by_owner.find(customer);
        if (it == s.promotions.coupons_by_owner.end()) return found;
        for (auto id = it->second.rbegin(); id != it->second.rend(); ++id) {
            const auto& c = *s.promotions.find(*id);
            const auto& spec = s.promotions.find(c.template_id)->spec;
            found.push_back(CouponInfo{c.id, c.template_id, c.owner, spec.name, spec.shop, c.status,
                                       c.used_by ? std::optional(c.used_by) : std::nullopt, c.valid_from,
                                       c.valid_until, c.valid_until <= now, c.issued_at});
        }
        return found;
    });
}

std::vector<CouponId> Promotions::suggest_coupons(const Actor& customer, const CheckoutRequest& request) const {
    const auto now = kernel_->now();
    return kernel_->read([&](const State& s) {
        const auto& user = detail::require_user(s, customer);
        const auto& address = detail::own_address(s, customer, request.address);
        const auto lines = detail::checkout_lines(s, user.id, request);
        // What the checkout costs with `coupons`, or nothing when they do not apply together.
        const auto total_with = [&](const std::vector<CouponId>& coupons) -> std::optional<Money> {
            try {
                return detail::price_checkout(s, *policies_, {user.id, now, coupons, request.flash_sale, request.group},
                                              address.address, lines)
                    .total;
            } catch (const Error&) {
                return std::nullopt;
            }
        };
        const auto base = detail::price_checkout(s, *policies_, {user.id, now, {}, request.flash_sale, request.group},
                                                 address.address, lines);
        const auto shop_of = [&](CouponId id) { return s.promotions.find(s.promotions.find(id)->template_id)->spec.shop; };
        std::vector<CouponId> usable;
        if (const auto it = s.promotions.coupons_by_owner.find(user.id); it != s.promotions.coupons_by_owner.end())
            for (const auto id : it->second) {
                const auto& c = *s.promotions.find(id);
                if (c.status == CouponStatus::available && c.valid_from <= now && now < c.valid_until) usable.push_back(id);
            }
        // The coupon of `shop` that lowers the total most on top of `chosen`, if any lowers it.
        std::vector<CouponId> chosen;
        Money total = base.total;
        const auto choose_best = [&](ShopId shop) {
            std::optional<CouponId> best;
            for (const auto id : usable) {
                if (shop_of(id) != shop) continue;
                auto candidate = chosen;
                candidate.push_back(id);
                if (const auto with = total_with(candidate); with && *with < total) best = id, total = *with;
            }
            if (best) chosen.push_back(*best);
        };
        // Shop coupons touch only their own shop's lines, so each shop's best is found alone;
        // the platform coupon then applies to what they leave.
        for (const auto& shop : base.shops) choose_best(shop.shop);
        choose_best(ShopId{});
        return chosen;
    });
}

// ---- 满减

SpendPromotionId Promotions::create_spend_promotion(const Actor& actor, ShopId shop, const SpendPromotionSpec& spec) {
    return kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        if (!shop) invalid("a spend promotion belongs to a shop");
        require_issuer(s, actor, shop, "run spend promotions");
        const auto checked = checked_spend_spec(s, shop, spec, out.now());
        if (const auto it = s.promotions.spend_by_shop.find(shop); it != s.promotions.spend_by_shop.end()) {
            const auto live = std::count_if(it->second.begin(), it->second.end(), [&](SpendPromotionId id) {
                return s.promotions.find(id)->spec.ends_at > out.now();
            });
            if (static_cast<std::size_t>(live) >= max_active_spend_promotions)
                throw Error(Errc::limit_exceeded, fmt::format("a shop runs at most {} spend promotions at once",
                                                              max_active_spend_promotions));
        }
        const SpendPromotionId id{s.promotions.last_spend_promotion + 1};
        detail::SpendPromotionCreated event{id, shop, checked.name, {}, detail::ScopeFields::from(checked.scope),
                                            checked.starts_at, checked.ends_at};
        for (const auto& tier : checked.tiers)
            event.tiers.push_back({tier.threshold, tier.amount_off, tier.percent_off_bps});
        out.emit(event);
        return id;
    });
}

void Promotions::end_spend_promotion(const Actor& actor, SpendPromotionId promotion) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = spend_or_throw(s, promotion);
        require_issuer(s, actor, record.shop, "end spend promotions");
        if (record.spec.ends_at <= out.now())
            throw Error(Errc::invalid_state, fmt::format("spend promotion {} is over already", promotion));
        out.emit(detail::SpendPromotionEnded{promotion});
    });
}

std::vector<SpendPromotionInfo> Promotions::spend_promotions(ShopId shop) const {
    const auto now = kernel_->now();
    return kernel_->read([&](const State& s) {
        std::vector<SpendPromotionInfo> found;
        const auto it = s.promotions.spend_by_shop.find(shop);
        if (it == s.promotions.spend_by_shop.end()) return found;
        for (const auto id : it->second)
            if (const auto& r = *s.promotions.find(id); r.spec.ends_at > now)
                found.push_back({r.id, r.shop, r.spec, r.created_at});
        std::stable_sort(found.begin(), found.end(),
                         [](const auto& a, const auto& b) { return a.spec.starts_at < b.spec.starts_at; });
        return found;
    });
}

}  // namespace souk
