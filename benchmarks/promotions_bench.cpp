// Promotions scenarios: what the pricing pipeline costs on a large checkout.
//
//   promotions_quote_500x20  a quote of 500 lines from 5 shops under 20 active rules (three
//                            满减 promotions per shop and one applied coupon per shop); one
//                            line holds 6,000 units, which must cost no more than one unit
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench.hpp"
#include "souk/cart.hpp"
#include "souk/marketplace.hpp"
#include "souk/promotions.hpp"

namespace {

using namespace souk;
using namespace souk::bench;

constexpr const char* bench_password = "bench password";
constexpr std::size_t shop_count = 5;
constexpr std::size_t sizes_per_product = 50;  // × two covers: 100 SKUs per shop
constexpr std::size_t spend_rules_per_shop = 3;

Money cny(std::int64_t fen) { return Money(fen, Currency::of("CNY")); }

ProductDraft many_skus(CategoryId category, std::size_t shop) {
    ProductDraft draft;
    draft.title = fmt::format("Notebook, shop {}", shop + 1);
    draft.category = category;
    std::vector<std::string> sizes;
    for (std::size_t i = 0; i < sizes_per_product; ++i) sizes.push_back(fmt::format("size {}", i));
    draft.specs = {{"size", sizes}, {"cover", {"soft", "hard"}}};
    for (std::size_t i = 0; i < sizes_per_product; ++i)
        for (const auto* cover : {"soft", "hard"})
            draft.skus.push_back(SkuDraft{{sizes[i], cover}, cny(1'000 + static_cast<std::int64_t>(i) * 10),
                                          std::nullopt, 100'000, "", std::nullopt});
    return draft;
}

void quote_500x20(Context& ctx) {
    auto clock = std::make_shared<SystemClock>();
    MarketplaceOptions options;
    options.clock = clock;
    options.password_hashing = PasswordHashing::minimal;
    auto market = Marketplace::in_memory(options);
    const auto admin =
        Actor::user(market.accounts().bootstrap_admin("admin@bench.example", bench_password, "Bench Admin"));
    const auto category = market.catalog().create_category(admin, CategorySpec{"Paper", std::nullopt, 300, {}});
    const auto customer_id = market.accounts().register_user("customer@bench.example", bench_password, "Customer");
    const auto customer = Actor::user(customer_id);
    const auto now = clock->now();
    const auto until = now + std::chrono::hours(24);
    CheckoutRequest request{market.cart().add_address(customer, PostalAddress{"Customer", "+86 138 0013 8000",
                                                                              {"440000", "440300", "440305"},
                                                                              "科技园 1 号楼 1201", "518057"}),
                            {},
                            {}};
    for (std::size_t shop = 0; shop < shop_count; ++shop) {
        const auto owner = Actor::user(market.accounts().register_user(
            fmt::format("owner{}@bench.example", shop), bench_password, fmt::format("Owner {}", shop)));
        const auto id = market.shops().apply(owner, ShopApplication{.name = fmt::format("Paper Shop {}", shop + 1),
                                                                    .description = "Notebooks",
                                                                    .business_category = "stationery",
                                                                    .contact_name = "Chen Jing",
                                                                    .contact_phone = "+86 138 0000 0000",
                                                                    .contact_email = "shop@bench.example"});
        market.shops().approve(admin, id);
        const auto product = market.catalog().create_product(owner, id, many_skus(category, shop));
        market.catalog().put_on_sale(owner, product);
        for (const auto& sku : market.catalog().product(owner, product).skus)
            request.buy_now.push_back({sku.id, request.buy_now.empty() ? 6'000 : 2});
        for (std::size_t rule = 0; rule < spend_rules_per_shop; ++rule)
            market.promotions().create_spend_promotion(
                owner, id,
                SpendPromotionSpec{fmt::format("Tiers {}", rule),
                                   {{cny(10'000), cny(500), 0}, {cny(100'000), cny(8'000), 0}, {cny(500'000), std::nullopt, 500}},
                                   {},
                                   now,
                                   until});
        CouponTemplateSpec coupon;
        coupon.name = "30 off from 300";
        coupon.shop = id;
        coupon.min_spend = cny(30'000);
        coupon.amount_off = cny(3'000);
        coupon.starts_at = now;
        coupon.ends_at = until;
        coupon.total_quantity = 10;
        const auto from = market.promotions().create_coupon_template(owner, coupon);
        request.coupons.push_back(market.promotions().claim_coupon(customer, from));
    }
    const auto rules = shop_count * spend_rules_per_shop + request.coupons.size();
    const auto first = market.cart().quote(customer, request);
    std::size_t lines = 0;
    for (const auto& shop : first.shops) lines += shop.lines.size();
    if (lines != 500 || first.discounts.size() != rules)
        throw std::runtime_error(fmt::format("the quote has {} lines and {} discounts, not 500 and {}", lines,
                                             first.discounts.size(), rules));
    const auto load = run_load(ctx, 1, [&](std::size_t, std::uint64_t) {
        if (market.cart().quote(customer, request).total != first.total)
            throw std::runtime_error("a quote of the same checkout changed");
    });
    Result result = throughput_result(load, 1, "memory", "quotes");
    result.extra["lines"] = lines;
    result.extra["rules"] = rules;
    ctx.report(std::move(result));
}

const bool registered = register_scenarios({
    {.name = "promotions_quote_500x20",
     .description = "Cart::quote of 500 lines from 5 shops under 20 active promotion rules",
     .fn = quote_500x20,
     .needs = {}},
});

}  // namespace
