// Flash sale scenario: a 秒杀 rush on a memory journal.
//
//   flash_sale_rush_16  1,000,000 purchase attempts (--quick: 100,000) from 16 threads on
//                       10,000 units (--quick: 1,000) across 10 SKUs, 5 units per customer;
//                       reports attempts/s, the units sold (must equal the units offered) and
//                       the p99 latency of one attempt
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench.hpp"
#include "souk/error.hpp"
#include "souk/marketplace.hpp"

namespace {

using namespace souk;
using namespace souk::bench;

constexpr const char* bench_password = "bench password";
constexpr int rush_threads = 16;
constexpr std::size_t sku_count = 10;
constexpr std::int32_t units_per_customer = 5;

Money cny(std::int64_t fen) { return Money(fen, Currency::of("CNY")); }

struct Buyer {
    Actor actor;
    AddressId home;
};

void rush(Context& ctx) {
    const std::int64_t attempts = ctx.quick() ? 100'000 : 1'000'000;
    const std::int64_t units_per_sku = ctx.quick() ? 100 : 1'000;
    const std::int64_t offered = units_per_sku * static_cast<std::int64_t>(sku_count);
    // Twice the customers the units need, so the rush ends sold out, not limited out.
    const auto customer_count = static_cast<std::size_t>(2 * offered / units_per_customer);

    auto clock = std::make_shared<SystemClock>();
    MarketplaceOptions options;
    options.clock = clock;
    options.password_hashing = PasswordHashing::minimal;
    auto market = Marketplace::in_memory(options);
    const auto admin =
        Actor::user(market.accounts().bootstrap_admin("admin@bench.example", bench_password, "Bench Admin"));
    const auto category = market.catalog().create_category(admin, CategorySpec{"Phones", std::nullopt, 300, {}});
    const auto owner = Actor::user(market.accounts().register_user("owner@bench.example", bench_password, "Owner"));
    const auto shop = market.shops().apply(owner, ShopApplication{.name = "Phone Shop",
                                                                  .description = "Phones",
                                                                  .business_category = "electronics",
                                                                  .contact_name = "Chen Jing",
                                                                  .contact_phone = "+86 138 0000 0000",
                                                                  .contact_email = "shop@bench.example"});
    market.shops().approve(admin, shop);
    ProductDraft draft;
    draft.title = "Phone";
    draft.category = category;
    std::vector<std::string> colours;
    for (std::size_t i = 0; i < sku_count; ++i) colours.push_back(fmt::format("colour {}", i));
    draft.specs = {{"colour", colours}};
    for (const auto& colour : colours)
        draft.skus.push_back(SkuDraft{{colour}, cny(199'900), std::nullopt, 500, "", std::nullopt});
    const auto product = market.catalog().create_product(owner, shop, draft);
    market.catalog().put_on_sale(owner, product);
    FlashSaleSpec spec{"Midnight phones", {}, clock->now(), clock->now() + std::chrono::hours(1), units_per_customer,
                       std::chrono::minutes(5)};
    std::vector<StockChange> stock;
    for (const auto& sku : market.catalog().product(owner, product).skus) {
        stock.push_back({sku.id, units_per_sku});
        spec.items.push_back({sku.id, cny(99'900), units_per_sku});
    }
    market.inventory().adjust(owner, stock, "for the sale");
    const auto sale = market.flash_sales().create(owner, shop, spec);
    std::vector<Buyer> buyers;
    for (std::size_t i = 0; i < customer_count; ++i) {
        const auto actor = Actor::user(market.accounts().register_user(fmt::format("c{}@bench.example", i),
                                                                       bench_password, fmt::format("Customer {}", i)));
        buyers.push_back({actor, market.cart().add_address(actor, PostalAddress{"Customer", "+86 138 0013 8000",
                                                                               {"440000", "440300", "440305"},
                                                                               "科技园 1 号楼 1201", "518057"})});
    }
    ctx.info("{} customers, {} units on sale; rushing", customer_count, offered);

    std::atomic<std::int64_t> sold{0};
    std::atomic<std::int64_t> unexpected{0};
    std::vector<std::vector<double>> latencies(rush_threads);
    const auto per_thread = attempts / rush_threads;
    std::vector<std::thread> pool;
    const Stopwatch wall;
    for (int t = 0; t < rush_threads; ++t)
        pool.emplace_back([&, t] {
            auto& mine = latencies[static_cast<std::size_t>(t)];
            mine.reserve(static_cast<std::size_t>(per_thread));
            for (std::int64_t i = 0; i < per_thread; ++i) {
                const auto n = static_cast<std::size_t>(i * rush_threads + t);
                const auto& buyer = buyers[n % buyers.size()];
                const auto sku = spec.items[n % sku_count].sku;
                const auto start = bench::Clock::now();
                try {
                    market.flash_sales().buy(buyer.actor, sale, sku, 1, buyer.home, fmt::format("rush-{}", n));
                    ++sold;
                } catch (const souk::Error& e) {
                    if (e.code() != Errc::insufficient_stock && e.code() != Errc::limit_exceeded) ++unexpected;
                }
                mine.push_back(seconds_between(start, bench::Clock::now()));
            }
        });
    for (auto& thread : pool) thread.join();
    const double wall_s = wall.elapsed();

    std::int64_t left = 0;
    for (const auto& line : market.flash_sales().sale(sale).left) left += line.quantity;
    if (unexpected != 0 || sold != offered || left != 0)
        throw std::runtime_error(fmt::format("flash sale sold {} of {} units ({} left, {} unexpected errors)",
                                             sold.load(), offered, left, unexpected.load()));
    std::vector<double> all;
    for (const auto& samples : latencies) all.insert(all.end(), samples.begin(), samples.end());
    Result result;
    result.unit = "attempts/s";
    result.value = static_cast<double>(all.size()) / wall_s;
    result.threads = rush_threads;
    result.journal = "memory";
    result.extra["attempts"] = all.size();
    result.extra["offered"] = offered;
    result.extra["sold"] = sold.load();
    result.extra["wall_s"] = wall_s;
    add_latency_fields(result.extra, all);
    result.extra["p99_us"] = result.extra["latency_p99_us"];
    ctx.report(result);
}

const bool registered = register_scenarios({
    {.name = "flash_sale_rush_16",
     .description = "1,000,000 flash sale purchase attempts from 16 threads on 10,000 units of 10 SKUs",
     .fn = rush,
     .needs = {}},
});

}  // namespace
