// Promotions: 满减 tiers, coupons, stacking rules, the explained quote, and coupon use and
// return with the orders that use them.
#include <doctest/doctest.h>

#include <random>

#include "support/errors.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

// The Trading world with a promotions handle and time helpers.
struct Promoting : Trading {
    Promotions& promotions() { return market.promotions(); }

    Timestamp in_days(int days) const { return clock->now() + std::chrono::hours(24 * days); }

    // 满100减10, 满200减30 and 满250 15 % off on shop `active`, for 30 days from now.
    SpendPromotionId tiers_on_active(PromotionScope scope = {}) {
        tick();
        return promotions().create_spend_promotion(
            as(owner), active,
            SpendPromotionSpec{"Autumn tiers",
                               {{cny("100"), cny("10"), 0}, {cny("200"), cny("30"), 0}, {cny("250"), std::nullopt, 1500}},
                               std::move(scope),
                               clock->now(),
                               in_days(30)});
    }

    CouponTemplateSpec amount_coupon(ShopId shop, const char* off, const char* min_spend) {
        CouponTemplateSpec spec;
        spec.name = fmt::format("{} off from {}", off, min_spend);
        spec.shop = shop;
        spec.benefit = CouponBenefit::amount_off;
        spec.min_spend = cny(min_spend);
        spec.amount_off = cny(off);
        spec.starts_at = clock->now();
        spec.ends_at = in_days(30);
        spec.total_quantity = 100;
        spec.per_customer_limit = 2;
        return spec;
    }

    CouponTemplateSpec percent_coupon(ShopId shop, std::int32_t bps, std::optional<Money> cap) {
        CouponTemplateSpec spec = amount_coupon(shop, "0", "0");
        spec.name = "Percent off";
        spec.benefit = CouponBenefit::percent_off;
        spec.amount_off = cny("0");
        spec.percent_off_bps = bps;
        spec.max_discount = cap;
        return spec;
    }

    CouponTemplateId create(const CouponTemplateSpec& spec) {
        tick();
        if (!spec.shop) return promotions().create_coupon_template(as(op), spec);
        return promotions().create_coupon_template(as(spec.shop == other_shop ? other_owner : owner), spec);
    }
    CouponId claim(UserId who, CouponTemplateId from) {
        tick();
        return promotions().claim_coupon(as(who), from);
    }

    CheckoutRequest checkout(UserId who, std::vector<LineRequest> lines, std::vector<CouponId> coupons = {}) {
        return CheckoutRequest{home_of(who), std::move(lines), std::move(coupons)};
    }
    Quote quote(UserId who, std::vector<LineRequest> lines, std::vector<CouponId> coupons = {}) {
        return cart().quote(as(who), checkout(who, std::move(lines), std::move(coupons)));
    }
    PaymentOrderId place(UserId who, std::vector<LineRequest> lines, std::vector<CouponId> coupons = {}) {
        tick();
        return orders().place(as(who), PlaceRequest{next_key(), checkout(who, std::move(lines), std::move(coupons)), {}});
    }
    CouponInfo coupon(UserId who, CouponId id) {
        for (const auto& c : promotions().coupons(sys(), who))
            if (c.id == id) return c;
        FAIL("no such coupon");
        return {};
    }
};

// What every quote must satisfy: shares sum to their discount, lines to their shares, the
// platform's part is the platform's discounts', no line below zero, totals add up.
void check_explained(const Quote& quote) {
    Money line_discounts = Money::zero(quote.currency), explained = Money::zero(quote.currency);
    std::map<SkuId, Money> by_line, platform_by_line;
    for (const auto& discount : quote.discounts) {
        CHECK(discount.amount.minor_units() > 0);
        if (discount.waives_shipping) {
            CHECK(discount.lines.empty());
            continue;
        }
        Money shares = Money::zero(quote.currency);
        for (const auto& share : discount.lines) {
            shares += share.amount;
            by_line.try_emplace(share.sku, Money::zero(quote.currency)).first->second += share.amount;
            auto& platform = platform_by_line.try_emplace(share.sku, Money::zero(quote.currency)).first->second;
            if (!discount.shop) platform += share.amount;
        }
        CHECK(shares == discount.amount);
        explained += discount.amount;
    }
    Money total = Money::zero(quote.currency);
    for (const auto& shop : quote.shops) {
        for (const auto& line : shop.lines) {
            CHECK(!line.payable.is_negative());
            CHECK(line.payable == line.line_total - line.discount);
            const auto found = by_line.find(line.sku);
            CHECK(line.discount == (found == by_line.end() ? Money::zero(quote.currency) : found->second));
            const auto platform = platform_by_line.find(line.sku);
            CHECK(line.platform_discount ==
                  (platform == platform_by_line.end() ? Money::zero(quote.currency) : platform->second));
            line_discounts += line.discount;
        }
        total += shop.payable;
    }
    CHECK(explained == quote.discount);
    CHECK(line_discounts == quote.discount);
    CHECK(total == quote.total);
}

// The placed order's lines carry exactly the quote's discounts.
void check_placed_as_quoted(Promoting& w, PaymentOrderId id, const Quote& quote) {
    const auto order = w.orders().order(Actor::system(), id);
    CHECK(order.total == quote.total);
    REQUIRE(order.sub_orders.size() == quote.shops.size());
    for (std::size_t i = 0; i < quote.shops.size(); ++i) {
        const auto& placed = order.sub_orders[i];
        const auto& quoted = quote.shops[i];
        CHECK(placed.discount == quoted.discount);
        CHECK(placed.shipping_fee == quoted.shipping);
        REQUIRE(placed.lines.size() == quoted.lines.size());
        for (std::size_t j = 0; j < quoted.lines.size(); ++j) {
            CHECK(placed.lines[j].discount == quoted.lines[j].discount);
            CHECK(placed.lines[j].platform_discount == quoted.lines[j].platform_discount);
            CHECK(placed.lines[j].paid_share == quoted.lines[j].payable);
        }
    }
}

}  // namespace

TEST_CASE("spend tiers: the best tier of the rule applies, shared by the lines it covers") {
    Promoting w;
    const auto rule = w.tiers_on_active();
    // 198 + 99 = 297: 30 off (200) or 15 % (250) = 44.55; the most off wins.
    const auto quote = w.quote(w.customer, {{w.shirt_skus[0], 2}, {w.shirt_skus[1], 1}, {w.atlas, 1}});
    check_explained(quote);
    REQUIRE(quote.discounts.size() == 1);
    const auto& d = quote.discounts[0];
    CHECK(d.kind == DiscountKind::spend_tier);
    CHECK(d.rule == rule.value);
    CHECK(d.shop == w.active);
    CHECK(d.amount == cny("44.55"));
    CHECK(d.label == "Autumn tiers: 15.00 % off from 250.00 CNY");
    REQUIRE(d.lines.size() == 2);
    CHECK(d.lines[0] == DiscountShare{w.shirt_skus[0], cny("29.70")});
    CHECK(d.lines[1] == DiscountShare{w.shirt_skus[1], cny("14.85")});
    CHECK(quote.shops[1].discount == cny("0"));  // the atlas is another shop's
    CHECK(quote.shops[0].lines[0].platform_discount == cny("0"));  // 满减 is the shop's to fund

    // Below 100: nothing; from 100: 10 off.
    CHECK(w.quote(w.customer, {{w.atlas, 1}}).discounts.empty());
    CHECK(w.quote(w.customer, {{w.shirt_skus[0], 1}}).discount == cny("0"));
    const auto two = w.quote(w.customer, {{w.shirt_skus[0], 2}});
    CHECK(two.discount == cny("10.00"));

    // Placing charges what the quote showed, line by line.
    const auto order = w.place(w.customer, {{w.shirt_skus[0], 2}, {w.shirt_skus[1], 1}, {w.atlas, 1}});
    check_placed_as_quoted(w, order, quote);
}

TEST_CASE("spend tiers: a product scope counts only those products, and an ended rule stops") {
    Promoting w;
    const auto other_product =
        w.catalog().create_product(w.as(w.owner), w.active, single_draft(w.books, "Notebook", cny("120.00")));
    w.catalog().put_on_sale(w.as(w.owner), other_product);
    const auto notebook = w.sku_ids(other_product).front();
    w.inventory().adjust(w.as(w.owner), {{notebook, 5}}, "delivery");
    const auto rule = w.tiers_on_active(PromotionScope{ScopeKind::products, {}, {}, {w.shirt}});
    // 198 of shirts count (10 off); the notebook's 120 would have made it 15 % of 318.
    const auto quote = w.quote(w.customer, {{w.shirt_skus[0], 2}, {notebook, 1}});
    check_explained(quote);
    REQUIRE(quote.discounts.size() == 1);
    CHECK(quote.discounts[0].amount == cny("10.00"));
    CHECK(quote.discounts[0].lines == std::vector{DiscountShare{w.shirt_skus[0], cny("10.00")}});
    w.tick();
    CHECK(w.promotions().spend_promotions(w.active).size() == 1);
    w.promotions().end_spend_promotion(w.as(w.staff), rule);
    CHECK(w.promotions().spend_promotions(w.active).empty());
    CHECK(w.quote(w.customer, {{w.shirt_skus[0], 2}}).discounts.empty());
    CHECK(error_of([&] { w.promotions().end_spend_promotion(w.as(w.owner), rule); }) == Errc::invalid_state);
}

TEST_CASE("spend tiers: only the shop's members set them, and bad tiers are refused") {
    Promoting w;
    const auto spec = [&](std::vector<SpendTier> tiers) {
        return SpendPromotionSpec{"Tiers", std::move(tiers), {}, w.clock->now(), w.in_days(3)};
    };
    const SpendPromotionSpec good = spec({{cny("100"), cny("10"), 0}});
    CHECK(error_of([&] { w.promotions().create_spend_promotion(w.as(w.other_staff), w.active, good); }) == Errc::forbidden);
    CHECK(error_of([&] { w.promotions().create_spend_promotion(w.as(w.customer), w.active, good); }) == Errc::forbidden);
    CHECK(error_of([&] { w.promotions().create_spend_promotion(w.as(w.op), w.active, good); }) == Errc::forbidden);
    CHECK(error_of([&] { w.promotions().create_spend_promotion(w.as(w.owner), ShopId{999}, good); }) == Errc::not_found);
    CHECK(error_of([&] { w.promotions().create_spend_promotion(w.as(w.owner), w.active, spec({})); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.promotions().create_spend_promotion(w.as(w.owner), w.active, spec({{cny("100"), cny("100"), 0}})); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.promotions().create_spend_promotion(w.as(w.owner), w.active, spec({{cny("100"), std::nullopt, 0}})); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.promotions().create_spend_promotion(w.as(w.owner), w.active, spec({{cny("100"), cny("5"), 500}})); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] {
              w.promotions().create_spend_promotion(
                  w.as(w.owner), w.active, spec({{cny("100"), Money::parse("5", Currency::of("USD")), 0}}));
          }) == Errc::currency_mismatch);
    auto other_products = good;
    other_products.scope = PromotionScope{ScopeKind::products, {}, {}, {w.other_shirt}};
    CHECK(error_of([&] { w.promotions().create_spend_promotion(w.as(w.owner), w.active, other_products); }) ==
          Errc::invalid_argument);
    auto over = good;
    over.starts_at = w.clock->now() - std::chrono::hours(48);
    over.ends_at = w.clock->now() - std::chrono::hours(1);
    CHECK(error_of([&] { w.promotions().create_spend_promotion(w.as(w.owner), w.active, over); }) == Errc::invalid_argument);
    const auto rule = w.promotions().create_spend_promotion(w.as(w.staff), w.active, good);
    CHECK(error_of([&] { w.promotions().end_spend_promotion(w.as(w.other_owner), rule); }) == Errc::forbidden);
    CHECK(error_of([&] { w.promotions().end_spend_promotion(w.as(w.owner), SpendPromotionId{99}); }) == Errc::not_found);
    // Nothing refused left a trace: one promotion, still running.
    CHECK(w.promotions().spend_promotions(w.active).size() == 1);
}

TEST_CASE("coupons: a shop coupon takes its amount off the shop's lines from the minimum spend") {
    Promoting w;
    const auto from = w.create(w.amount_coupon(w.active, "20", "150"));
    const auto coupon = w.claim(w.customer, from);
    CHECK(w.coupon(w.customer, coupon).status == CouponStatus::available);
    // 99 < 150: refused, and the coupon stays available.
    CHECK(error_of([&] { w.quote(w.customer, {{w.shirt_skus[0], 1}}, {coupon}); }) == Errc::invalid_state);
    const auto quote = w.quote(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}}, {coupon});
    check_explained(quote);
    REQUIRE(quote.discounts.size() == 1);
    CHECK(quote.discounts[0].kind == DiscountKind::shop_coupon);
    CHECK(quote.discounts[0].rule == coupon.value);
    CHECK(quote.discounts[0].lines == std::vector{DiscountShare{w.shirt_skus[0], cny("20.00")}});
    CHECK(quote.total == cny("223.50"));  // 198 − 20 + 45.50
    const auto order = w.place(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}}, {coupon});
    check_placed_as_quoted(w, order, quote);
    const auto used = w.coupon(w.customer, coupon);
    CHECK(used.status == CouponStatus::used);
    CHECK(used.used_by == order);
    // A used coupon cannot be applied again.
    CHECK(error_of([&] { w.quote(w.customer, {{w.shirt_skus[0], 2}}, {coupon}); }) == Errc::invalid_state);
}

TEST_CASE("coupons: a platform coupon is platform-funded, capped, and limited to its scope") {
    Promoting w;
    auto spec = w.percent_coupon(ShopId{}, 1000, cny("12"));
    spec.scope = PromotionScope{ScopeKind::categories, {}, {w.apparel}, {}};  // shirts are below apparel
    const auto from = w.create(spec);
    const auto coupon = w.claim(w.customer, from);
    // 10 % of 99 + 99 = 19.80, capped at 12; the atlas (books) is out of scope.
    const auto quote = w.quote(w.customer, {{w.shirt_skus[0], 1}, {w.other_skus[0], 1}, {w.atlas, 1}}, {coupon});
    check_explained(quote);
    REQUIRE(quote.discounts.size() == 1);
    const auto& d = quote.discounts[0];
    CHECK(d.kind == DiscountKind::platform_coupon);
    CHECK(d.shop == ShopId{});
    CHECK(d.amount == cny("12.00"));
    CHECK(d.lines == std::vector{DiscountShare{w.shirt_skus[0], cny("6.00")}, DiscountShare{w.other_skus[0], cny("6.00")}});
    CHECK(quote.shops[0].lines[0].platform_discount == cny("6.00"));
    CHECK(quote.shops[1].lines[1].discount == cny("0"));
    // Nothing in scope: refused.
    CHECK(error_of([&] { w.quote(w.customer, {{w.atlas, 1}}, {coupon}); }) == Errc::invalid_state);
    const auto order = w.place(w.customer, {{w.shirt_skus[0], 1}, {w.other_skus[0], 1}, {w.atlas, 1}}, {coupon});
    check_placed_as_quoted(w, order, quote);
}

TEST_CASE("coupons: the pipeline stacks 满减, then the shop coupon, then the platform coupon") {
    Promoting w;
    w.tiers_on_active();
    const auto shop_coupon = w.claim(w.customer, w.create(w.amount_coupon(w.active, "20", "150")));
    const auto platform_coupon = w.claim(w.customer, w.create(w.amount_coupon(ShopId{}, "5", "0")));
    const auto quote =
        w.quote(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}}, {platform_coupon, shop_coupon});
    check_explained(quote);
    REQUIRE(quote.discounts.size() == 3);
    CHECK(quote.discounts[0].kind == DiscountKind::spend_tier);
    CHECK(quote.discounts[0].amount == cny("10.00"));  // 198: the 100 tier
    CHECK(quote.discounts[1].kind == DiscountKind::shop_coupon);
    CHECK(quote.discounts[1].amount == cny("20.00"));  // 188 left ≥ 150
    CHECK(quote.discounts[2].kind == DiscountKind::platform_coupon);
    CHECK(quote.total == cny("208.50"));  // 198 − 30 + 45.50 − 5
    check_placed_as_quoted(w, w.place(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}}, {platform_coupon, shop_coupon}),
                           quote);
}

TEST_CASE("stacking rules are data: an exclusive pair keeps the later kind off the earlier one's lines") {
    Promoting w;
    MarketplaceOptions options = fast_options(w.clock);
    options.stacking.exclusive = {{DiscountKind::spend_tier, DiscountKind::shop_coupon}};
    w.reopen(options);
    CHECK_FALSE(options.stacking.combine(DiscountKind::shop_coupon, DiscountKind::spend_tier));
    CHECK(options.stacking.combine(DiscountKind::shop_coupon, DiscountKind::platform_coupon));
    w.tiers_on_active(PromotionScope{ScopeKind::products, {}, {}, {w.shirt}});
    const auto notebook_product =
        w.catalog().create_product(w.as(w.owner), w.active, single_draft(w.books, "Notebook", cny("160.00")));
    w.catalog().put_on_sale(w.as(w.owner), notebook_product);
    const auto notebook = w.sku_ids(notebook_product).front();
    w.inventory().adjust(w.as(w.owner), {{notebook, 5}}, "delivery");
    const auto coupon = w.claim(w.customer, w.create(w.amount_coupon(w.active, "20", "150")));
    // The shirts carry 满减, so the coupon covers only the notebook (160 ≥ 150).
    const auto quote = w.quote(w.customer, {{w.shirt_skus[0], 2}, {notebook, 1}}, {coupon});
    check_explained(quote);
    REQUIRE(quote.discounts.size() == 2);
    CHECK(quote.discounts[1].lines == std::vector{DiscountShare{notebook, cny("20.00")}});
    // Shirts alone: the coupon covers nothing it may join.
    CHECK(error_of([&] { w.quote(w.customer, {{w.shirt_skus[0], 2}}, {coupon}); }) == Errc::invalid_state);
}

TEST_CASE("coupons: claiming respects the window, the quantity, the per-customer limit and a stop") {
    Promoting w;
    auto spec = w.amount_coupon(w.active, "5", "0");
    spec.total_quantity = 3;
    spec.per_customer_limit = 2;
    const auto from = w.create(spec);
    w.claim(w.customer, from);
    w.claim(w.customer, from);
    CHECK(error_of([&] { w.claim(w.customer, from); }) == Errc::limit_exceeded);
    w.claim(w.buyer, from);
    CHECK(error_of([&] { w.claim(w.buyer, from); }) == Errc::limit_exceeded);  // all 3 are gone
    CHECK(w.promotions().coupon_template(from).issued == 3);
    CHECK(w.promotions().claimable_templates(w.active).empty());

    auto later = w.amount_coupon(w.active, "5", "0");
    later.starts_at = w.in_days(1);
    later.ends_at = w.in_days(2);
    const auto upcoming = w.create(later);
    CHECK(error_of([&] { w.claim(w.customer, upcoming); }) == Errc::invalid_state);
    w.clock->advance(std::chrono::hours(24));
    CHECK(w.promotions().claimable_templates(w.active).size() == 1);
    w.tick();
    w.promotions().stop_coupon_template(w.as(w.staff), upcoming);
    CHECK(error_of([&] { w.claim(w.customer, upcoming); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.promotions().stop_coupon_template(w.as(w.owner), upcoming); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.claim(w.customer, CouponTemplateId{99}); }) == Errc::not_found);
}

TEST_CASE("coupons: validity after the claim expires with the clock") {
    Promoting w;
    auto spec = w.amount_coupon(w.active, "5", "0");
    spec.valid_for = std::chrono::hours(2);
    const auto coupon = w.claim(w.customer, w.create(spec));
    CHECK(w.quote(w.customer, {{w.shirt_skus[0], 1}}, {coupon}).discount == cny("5.00"));
    w.clock->advance(std::chrono::hours(2));
    CHECK(w.coupon(w.customer, coupon).expired);
    CHECK(error_of([&] { w.quote(w.customer, {{w.shirt_skus[0], 1}}, {coupon}); }) == Errc::invalid_state);
}

TEST_CASE("coupons: who may issue, grant, see and apply them") {
    Promoting w;
    const auto shop_spec = w.amount_coupon(w.active, "5", "0");
    const auto platform_spec = w.amount_coupon(ShopId{}, "5", "0");
    CHECK(error_of([&] { w.promotions().create_coupon_template(w.as(w.customer), platform_spec); }) == Errc::forbidden);
    CHECK(error_of([&] { w.promotions().create_coupon_template(w.as(w.owner), platform_spec); }) == Errc::forbidden);
    CHECK(error_of([&] { w.promotions().create_coupon_template(w.as(w.other_staff), shop_spec); }) == Errc::forbidden);
    CHECK(error_of([&] { w.promotions().create_coupon_template(w.as(w.op), shop_spec); }) == Errc::forbidden);
    const auto from = w.create(shop_spec);
    CHECK(error_of([&] { w.promotions().grant_coupon(w.as(w.other_owner), from, w.customer); }) == Errc::forbidden);
    CHECK(error_of([&] { w.promotions().grant_coupon(w.as(w.customer), from, w.customer); }) == Errc::forbidden);
    CHECK(error_of([&] { w.promotions().grant_coupon(w.as(w.owner), from, UserId{999}); }) == Errc::not_found);
    const auto granted = w.promotions().grant_coupon(w.as(w.staff), from, w.buyer);
    CHECK(error_of([&] { w.promotions().coupons(w.as(w.customer), w.buyer); }) == Errc::forbidden);
    CHECK(w.promotions().coupons(w.as(w.buyer), w.buyer).size() == 1);
    CHECK(w.promotions().coupons(w.as(w.op), w.buyer).size() == 1);
    // Another customer's coupon is not theirs to apply.
    CHECK(error_of([&] { w.quote(w.customer, {{w.shirt_skus[0], 1}}, {granted}); }) == Errc::forbidden);
    CHECK(error_of([&] { w.quote(w.customer, {{w.shirt_skus[0], 1}}, {CouponId{77}}); }) == Errc::not_found);
    // Two coupons of one shop, or one twice: refused.
    const auto first = w.claim(w.customer, from);
    const auto second = w.claim(w.customer, from);
    CHECK(error_of([&] { w.quote(w.customer, {{w.shirt_skus[0], 1}}, {first, second}); }) == Errc::invalid_argument);
    CHECK(error_of([&] { w.quote(w.customer, {{w.shirt_skus[0], 1}}, {first, first}); }) == Errc::invalid_argument);
    // A shop coupon on a checkout without that shop's lines: refused, and placing changes nothing.
    const auto position = w.market.journal_position();
    CHECK(error_of([&] { w.place(w.customer, {{w.atlas, 1}}, {first}); }) == Errc::invalid_state);
    CHECK(w.market.journal_position() == position);
    CHECK(w.coupon(w.customer, first).status == CouponStatus::available);
}

TEST_CASE("coupons: bad templates are refused") {
    Promoting w;
    const auto refused = [&](CouponTemplateSpec spec) {
        return error_of([&] { w.promotions().create_coupon_template(w.as(w.op), spec); });
    };
    auto spec = w.amount_coupon(ShopId{}, "5", "0");
    spec.amount_off = cny("0");
    CHECK(refused(spec) == Errc::invalid_argument);
    spec = w.amount_coupon(ShopId{}, "5", "0");
    spec.min_spend = Money::parse("10", Currency::of("USD"));
    CHECK(refused(spec) == Errc::currency_mismatch);
    spec = w.percent_coupon(ShopId{}, 10000, std::nullopt);
    CHECK(refused(spec) == Errc::invalid_argument);
    spec = w.amount_coupon(ShopId{}, "5", "0");
    spec.benefit = CouponBenefit::free_shipping;
    spec.amount_off = cny("0");
    CHECK(refused(spec) == Errc::invalid_argument);  // the platform does not waive a shop's fee
    spec = w.amount_coupon(ShopId{}, "5", "0");
    spec.total_quantity = 0;
    CHECK(refused(spec) == Errc::invalid_argument);
    spec = w.amount_coupon(ShopId{}, "5", "0");
    spec.valid_for = std::chrono::minutes(5);
    CHECK(refused(spec) == Errc::invalid_argument);
    spec = w.amount_coupon(ShopId{}, "5", "0");
    spec.scope = PromotionScope{ScopeKind::categories, {}, {}, {}};
    CHECK(refused(spec) == Errc::invalid_argument);
    spec.scope = PromotionScope{ScopeKind::categories, {}, {CategoryId{999}}, {}};
    CHECK(refused(spec) == Errc::not_found);
    spec = w.amount_coupon(ShopId{}, "5", "0");
    spec.name = "";
    CHECK(refused(spec) == Errc::invalid_argument);
}

TEST_CASE("coupons: returned when the order is cancelled unpaid, by the buyer or the payment deadline") {
    Promoting w;
    const auto from = w.create(w.amount_coupon(w.active, "5", "0"));
    const auto coupon = w.claim(w.customer, from);
    const auto order = w.place(w.customer, {{w.shirt_skus[0], 1}}, {coupon});
    w.tick();
    w.orders().cancel(w.as(w.customer), w.orders().order(w.sys(), order).sub_orders[0].id, "changed my mind");
    CHECK(w.coupon(w.customer, coupon).status == CouponStatus::available);
    CHECK(w.coupon(w.customer, coupon).used_by == std::nullopt);

    const auto again = w.place(w.customer, {{w.shirt_skus[0], 1}}, {coupon});
    CHECK(w.coupon(w.customer, coupon).used_by == again);
    w.clock->advance(std::chrono::minutes(31));
    w.market.tick(w.clock->now());
    CHECK(w.orders().order(w.sys(), again).status == PaymentOrderStatus::cancelled);
    CHECK(w.coupon(w.customer, coupon).status == CouponStatus::available);

    // Paid, then cancelled: the coupon stays used.
    const auto paid = w.place(w.customer, {{w.shirt_skus[0], 1}}, {coupon});
    w.pay(paid, w.customer);
    w.tick();
    w.orders().cancel(w.as(w.customer), w.orders().order(w.sys(), paid).sub_orders[0].id, "too late");
    CHECK(w.coupon(w.customer, coupon).status == CouponStatus::used);
}

TEST_CASE("coupons: a shop's free-shipping coupon waives that shop's fee") {
    Promoting w;
    MarketplaceOptions options = fast_options(w.clock);
    options.shipping_fee_per_shop = cny("8");
    w.reopen(options);
    auto spec = w.amount_coupon(w.active, "0", "50");
    spec.benefit = CouponBenefit::free_shipping;
    const auto coupon = w.claim(w.customer, w.create(spec));
    const auto quote = w.quote(w.customer, {{w.shirt_skus[0], 1}, {w.atlas, 1}}, {coupon});
    check_explained(quote);
    CHECK(quote.shops[0].shipping == cny("0"));
    CHECK(quote.shops[1].shipping == cny("8.00"));
    REQUIRE(quote.discounts.size() == 1);
    CHECK(quote.discounts[0].waives_shipping);
    CHECK(quote.discounts[0].amount == cny("8.00"));
    CHECK(quote.total == cny("152.50"));  // 99 + 45.50 + 8
    check_placed_as_quoted(w, w.place(w.customer, {{w.shirt_skus[0], 1}, {w.atlas, 1}}, {coupon}), quote);
}

TEST_CASE("coupons: the suggestion picks the coupons that take most off") {
    Promoting w;
    const auto small = w.claim(w.customer, w.create(w.amount_coupon(w.active, "5", "0")));
    const auto big = w.claim(w.customer, w.create(w.amount_coupon(w.active, "30", "150")));
    const auto unreachable = w.claim(w.customer, w.create(w.amount_coupon(w.other_shop, "50", "1000")));
    const auto platform_small = w.claim(w.customer, w.create(w.amount_coupon(ShopId{}, "3", "0")));
    const auto platform_big = w.claim(w.customer, w.create(w.percent_coupon(ShopId{}, 1000, cny("20"))));
    (void)unreachable;
    (void)platform_small;
    CHECK(w.promotions().suggest_coupons(w.as(w.customer), w.checkout(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}})) ==
          std::vector{big, platform_big});
    CHECK(w.promotions().suggest_coupons(w.as(w.customer), w.checkout(w.customer, {{w.shirt_skus[0], 1}})) ==
          std::vector{small, platform_big});
}

TEST_CASE("promotions replay: a reopened journal answers every promotions query and quote the same") {
    Promoting w;
    w.tiers_on_active();
    const auto from = w.create(w.amount_coupon(w.active, "20", "150"));
    const auto stopped = w.create(w.amount_coupon(ShopId{}, "5", "0"));
    const auto used = w.claim(w.customer, from);
    const auto kept = w.claim(w.customer, from);
    w.claim(w.buyer, stopped);
    w.tick();
    w.promotions().stop_coupon_template(w.as(w.op), stopped);
    w.place(w.customer, {{w.shirt_skus[0], 2}}, {used});
    const auto returned_order = w.place(w.customer, {{w.shirt_skus[1], 2}}, {kept});
    w.tick();
    w.orders().cancel(w.as(w.customer), w.orders().order(w.sys(), returned_order).sub_orders[0].id, "no");
    const auto lines = std::vector<LineRequest>{{w.shirt_skus[2], 2}, {w.atlas, 1}};
    const auto read = [&](Marketplace& m) {
        auto& p = m.promotions();
        return std::tuple(p.coupons(w.sys(), w.customer), p.coupons(w.sys(), w.buyer), p.coupon_template(from),
                          p.coupon_template(stopped), p.claimable_templates(w.active), p.claimable_templates(ShopId{}),
                          p.spend_promotions(w.active),
                          m.cart().quote(w.as(w.customer), w.checkout(w.customer, lines, {kept})),
                          m.audit(w.sys(), EntityRef::of(kept)), m.audit(w.sys(), EntityRef::of(from)));
    };
    const auto before = read(w.market);
    Marketplace reopened(copy_journal(*w.journal), fast_options(w.clock));
    CHECK(read(reopened) == before);
    // The shop sees its template's trail, the customer their coupon's; others do not.
    CHECK_FALSE(w.market.audit(w.as(w.staff), EntityRef::of(from)).empty());
    CHECK_FALSE(w.market.audit(w.as(w.customer), EntityRef::of(kept)).empty());
    CHECK(error_of([&] { w.market.audit(w.as(w.buyer), EntityRef::of(kept)); }) == Errc::forbidden);
}

TEST_CASE("pricing property: random carts under random promotions quote as they place, every discount explained") {
    Promoting w;
    std::mt19937_64 random(20261125);
    const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<std::uint64_t>(n)); };
    std::vector<SkuId> skus = w.shirt_skus;
    skus.insert(skus.end(), w.other_skus.begin(), w.other_skus.end());
    skus.push_back(w.atlas);
    for (int round = 0; round < 40; ++round) {
        // Sometimes a new rule or coupon.
        switch (pick(4)) {
            case 0: {
                const auto shop = pick(2) ? w.active : w.other_shop;
                const auto by = shop == w.active ? w.owner : w.other_owner;
                std::vector<SpendTier> tiers;
                for (int t = 0, n = 1 + pick(3); t < n; ++t) {
                    const auto threshold = Money((1 + pick(30)) * 1000, Currency::of("CNY"));
                    if (pick(2)) tiers.push_back({threshold, Money(1 + pick(int(threshold.minor_units()) - 1), Currency::of("CNY")), 0});
                    else tiers.push_back({threshold, std::nullopt, 1 + pick(9999)});
                }
                w.tick();
                w.promotions().create_spend_promotion(w.as(by), shop,
                                                      {"Random tiers", tiers, {}, w.clock->now(), w.in_days(300)});
                break;
            }
            case 1: {
                const ShopId shops[] = {w.active, w.other_shop, ShopId{}};
                const auto shop = shops[pick(3)];
                auto spec = pick(2) ? w.amount_coupon(shop, "1", "0") : w.percent_coupon(shop, 1 + pick(9999), std::nullopt);
                if (spec.benefit == CouponBenefit::amount_off) spec.amount_off = Money(1 + pick(50000), Currency::of("CNY"));
                else if (pick(2)) spec.max_discount = Money(1 + pick(5000), Currency::of("CNY"));
                spec.ends_at = w.in_days(300);
                w.tick();
                const auto from = shop ? w.promotions().create_coupon_template(w.as(shop == w.active ? w.owner : w.other_owner), spec)
                                       : w.promotions().create_coupon_template(w.as(w.op), spec);
                w.promotions().grant_coupon(w.sys(), from, w.customer);
                break;
            }
            default: break;
        }
        std::vector<LineRequest> lines;
        for (const auto sku : skus)
            if (pick(3) == 0) lines.push_back({sku, 1 + pick(3)});
        if (lines.empty()) lines.push_back({skus[std::size_t(pick(int(skus.size())))], 1});
        const auto request = w.checkout(w.customer, lines);
        auto with = request;
        with.coupons = w.promotions().suggest_coupons(w.as(w.customer), request);
        const auto quote = w.cart().quote(w.as(w.customer), with);
        check_explained(quote);
        w.tick();
        const auto order = w.orders().place(w.as(w.customer), PlaceRequest{w.next_key(), with, quote.total});
        check_placed_as_quoted(w, order, quote);
        // Half are paid and refunded line by line: each refund returns exactly the line's share.
        // An order discounted to nothing has nothing to pay (a provider takes no zero intent).
        if (pick(2) && !quote.total.is_zero()) {
            w.pay(order, w.customer);
            for (const auto& sub_order : w.orders().order(w.sys(), order).sub_orders) {
                if (sub_order.payable.is_zero()) continue;  // discounted to nothing: nothing to return
                w.tick();
                w.orders().refund_all(w.sys(), sub_order.id, "property check");
                const auto after = w.orders().sub_order(w.sys(), sub_order.id);
                for (const auto& line : after.lines) CHECK(line.refunded == line.paid_share);
                CHECK(after.refunded == after.payable);
            }
        } else {
            w.tick();
            w.orders().cancel(w.as(w.customer), w.orders().order(w.sys(), order).sub_orders[0].id, "property check");
        }
        // Keep stock up for the next round.
        std::vector<StockChange> active_stock, other_stock;
        for (const auto sku : w.shirt_skus) active_stock.push_back({sku, 10});
        for (const auto sku : w.other_skus) other_stock.push_back({sku, 10});
        other_stock.push_back({w.atlas, 10});
        w.tick();
        w.inventory().adjust(w.as(w.owner), active_stock, "restock");
        w.inventory().adjust(w.as(w.other_owner), other_stock, "restock");
    }
}
