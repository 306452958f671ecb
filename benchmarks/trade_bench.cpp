// Trade scenarios: how many orders per second a marketplace places and takes payment for, and
// at what latency, next to what a host application would do without souk.
//
//   order_place_pay_{memory,sqlite}_N  N customers each place orders of 2–3 lines from two
//                                      shops and pay them through a SandboxProvider
//   order_place_pay_pipelined_{memory,sqlite}_N
//                                      the same, each customer keeping a batch of orders in
//                                      flight in a souk::Pipeline and waiting once per batch
//   baseline_orders_sqlite_N           the conventional way: one SQLite transaction per order
//                                      (order row, line rows, stock rows, order marked paid)
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "baseline_sqlite.hpp"
#include "bench.hpp"
#include "pipelined.hpp"
#include "souk/cart.hpp"
#include "souk/marketplace.hpp"
#include "souk/orders.hpp"
#include "souk/payment/sandbox_provider.hpp"

namespace {

using namespace souk;
using namespace souk::bench;

constexpr int thread_counts[] = {1, 16};
constexpr const char* bench_password = "bench password";
constexpr const char* sandbox_secret = "trade-bench-secret-0123456789";
constexpr std::size_t shop_count = 2;
constexpr std::size_t skus_per_shop = 4;
// Units of every SKU on hand before the run: far more than any run sells.
constexpr std::int64_t opening_stock = 100'000'000;

// The unit price of a SKU, in fen: both sides of the comparison charge the same.
std::int64_t unit_price_fen(std::size_t shop, std::size_t slot) {
    return 3'900 + static_cast<std::int64_t>(shop * 1'000 + slot * 100);
}

// One line of an order, by position in the catalogue: the shop and the SKU's slot in it.
struct LinePick {
    std::size_t shop = 0;
    std::size_t slot = 0;
    std::int64_t quantity = 0;
};

// The order a thread places n-th: a line from each shop, and every other order a second line
// from the first shop. Threads start on different SKUs, so their lines overlap only partly.
std::vector<LinePick> order_lines(std::size_t thread, std::uint64_t n) {
    const auto slot = [&](std::uint64_t k) { return static_cast<std::size_t>((k + thread) % skus_per_shop); };
    std::vector<LinePick> lines{{0, slot(n), 1}, {1, slot(n + 1), 2}};
    if (n % 2 == 1) lines.push_back({0, slot(n + 2), 1});
    return lines;
}

// Both sides run the same timing. --quick only proves that every scenario works, and the
// trade scenarios run six of them, so they measure a shorter window than Context::window().
Load run_trade_load(const Context& ctx, int threads, const auto& op) {
    using std::chrono::milliseconds;
    return ctx.quick() ? run_load(milliseconds(100), milliseconds(400), threads, op) : run_load(ctx, threads, op);
}

// ---- souk ----------------------------------------------------------------------------

MarketplaceOptions bench_options(std::shared_ptr<const souk::Clock> clock) {
    MarketplaceOptions options;
    options.clock = std::move(clock);
    // Only setup registers users; the measured commands hash nothing.
    options.password_hashing = PasswordHashing::minimal;
    return options;
}

PostalAddress bench_address(std::size_t n) {
    return PostalAddress{fmt::format("Customer {}", n), "+86 138 0013 8000", {"440000", "440300", "440305"},
                         "科技园 1 号楼 1201", "518057"};
}

// A customer with a default address and a payment provider of their own, registered on the
// marketplace as `provider`. A gateway is another system: giving every thread its own keeps
// the sandbox's internal lock and notification queue out of what is measured, and lets each
// thread deliver exactly its own notifications.
struct Buyer {
    UserId id;
    AddressId home;
    std::string provider;
    std::shared_ptr<SandboxProvider> sandbox;
};

// Two approved shops with a product of `skus_per_shop` SKUs each, stocked, and one buyer per
// thread: everything the measured orders need, set up before the measurement.
struct TradeWorld {
    std::array<std::vector<SkuId>, shop_count> skus;
    std::vector<Buyer> buyers;
};

ProductDraft bench_product(CategoryId category, std::size_t shop) {
    ProductDraft draft;
    draft.title = fmt::format("西湖龙井 Longjing green tea, shop {}", shop + 1);
    draft.category = category;
    draft.specs = {{"weight", {"50g", "100g", "250g", "500g"}}};
    for (std::size_t slot = 0; slot < skus_per_shop; ++slot)
        draft.skus.push_back(SkuDraft{{draft.specs[0].values[slot]},
                                      Money(unit_price_fen(shop, slot), Currency::of("CNY")),
                                      std::nullopt, 250, "", std::nullopt});
    return draft;
}

TradeWorld open_trade(Marketplace& market, const std::shared_ptr<const souk::Clock>& clock, int threads) {
    const auto admin =
        Actor::user(market.accounts().bootstrap_admin("admin@bench.example", bench_password, "Bench Admin"));
    const auto tea = market.catalog().create_category(admin, CategorySpec{"Tea", std::nullopt, 300, {}});
    TradeWorld world;
    for (std::size_t shop = 0; shop < shop_count; ++shop) {
        const auto owner = Actor::user(market.accounts().register_user(
            fmt::format("owner{}@bench.example", shop), bench_password, fmt::format("Owner {}", shop)));
        const auto id = market.shops().apply(
            owner, ShopApplication{.name = fmt::format("Bench Tea House {}", shop + 1),
                                   .description = "Loose-leaf tea and teaware",
                                   .business_category = "tea",
                                   .contact_name = "Chen Jing",
                                   .contact_phone = "+86 138 0000 0000",
                                   .contact_email = fmt::format("shop{}@bench.example", shop)});
        market.shops().approve(admin, id);
        const auto product = market.catalog().create_product(owner, id, bench_product(tea, shop));
        market.catalog().put_on_sale(owner, product);
        std::vector<StockChange> stock;
        for (const auto& sku : market.catalog().product(owner, product).skus) {
            world.skus[shop].push_back(sku.id);
            stock.push_back({sku.id, opening_stock});
        }
        market.inventory().adjust(owner, stock, "opening stock");
    }
    for (int n = 0; n < threads; ++n) {
        const auto index = static_cast<std::size_t>(n);
        const auto id = market.accounts().register_user(fmt::format("customer{}@bench.example", n), bench_password,
                                                        fmt::format("Customer {}", n));
        const auto home = market.cart().add_address(Actor::user(id), bench_address(index));
        SandboxOptions options;
        options.client_action = ClientAction::Kind::none;  // the payer pays inside create_intent
        auto sandbox = std::make_shared<SandboxProvider>(sandbox_secret, clock, options);
        auto provider = fmt::format("sandbox-{}", n);
        market.register_payment_provider(provider, sandbox);
        world.buyers.push_back({id, home, std::move(provider), std::move(sandbox)});
    }
    return world;
}

// The measured operation: place the order, pay it, and deliver the provider's capture
// notification, after which the order is paid and its stock sold.
void place_and_pay(Marketplace& market, const TradeWorld& world, std::size_t thread, std::uint64_t n) {
    const auto& buyer = world.buyers[thread];
    const auto customer = Actor::user(buyer.id);
    std::vector<LineRequest> lines;
    for (const auto& pick : order_lines(thread, n)) lines.push_back({world.skus[pick.shop][pick.slot], pick.quantity});
    const auto order =
        market.orders().place(customer, PlaceRequest{fmt::format("order-{}", n), {buyer.home, std::move(lines)}, {}});
    market.orders().pay(customer, order, buyer.provider);
    while (const auto notification = buyer.sandbox->deliver_next())
        if (const auto handled = market.orders().handle_notification(buyer.provider, *notification);
            handled.outcome != NotificationOutcome::applied || handled.order != order)
            throw std::runtime_error(fmt::format("order {}: the capture notification was {}", order.value,
                                                 notification_outcome_name(handled.outcome)));
}

// Every order placed was charged once and none is left unpaid.
void check_all_paid(Marketplace& market, const TradeWorld& world, const std::vector<std::uint64_t>& placed) {
    for (std::size_t t = 0; t < world.buyers.size(); ++t) {
        const auto& buyer = world.buyers[t];
        OrderFilter pending;
        pending.status = PaymentOrderStatus::pending_payment;
        const auto unpaid = market.orders().orders_of(Actor::user(buyer.id), buyer.id, pending);
        if (!unpaid.empty() || buyer.sandbox->charge_count() != placed[t])
            throw std::runtime_error(fmt::format("customer {}: {} orders placed, {} charged, {} left unpaid", t,
                                                 placed[t], buyer.sandbox->charge_count(), unpaid.size()));
    }
}

enum class Backend { memory, sqlite };

std::string_view backend_name(Backend backend) { return backend == Backend::memory ? "memory" : "sqlite"; }

// Orders a pipelined customer places and pays before waiting for them to be durable.
constexpr std::uint64_t orders_per_wait = 64;

// Each thread is its own customer, so the threads contend only inside the engine: for the
// writer lock, for the same SKUs' stock and, on SQLite, for the group commit. Unpipelined,
// every command waits until it is durable; pipelined, a customer places and pays
// `orders_per_wait` orders in a Pipeline and then waits once: an order counts only when that
// wait has returned, and the latency fields are those of the whole batch.
void order_place_pay(Context& ctx, Backend backend, int threads, bool pipelined) {
    const std::shared_ptr<const souk::Clock> clock = std::make_shared<SystemClock>();
    auto market = backend == Backend::memory
                      ? Marketplace::in_memory(bench_options(clock))
                      : Marketplace::open_sqlite(ctx.work_dir() / "trade.souk", bench_options(clock));
    const auto world = open_trade(market, clock, threads);
    const auto setup_end = market.journal_position();
    std::vector<std::uint64_t> placed(world.buyers.size());
    const auto order = [&](std::size_t thread, std::uint64_t n) {
        place_and_pay(market, world, thread, n);
        placed[thread] = n + 1;
    };
    const auto load = pipelined ? counted_per_operation(run_trade_load(ctx, threads, in_pipelines(market, threads,
                                                                                                   orders_per_wait, order)),
                                                        orders_per_wait)
                                : run_trade_load(ctx, threads, order);
    check_all_paid(market, world, placed);
    auto result = throughput_result(load, threads, std::string(backend_name(backend)), "orders");
    if (pipelined) result.extra["orders_per_wait"] = orders_per_wait;
    std::uint64_t orders = 0;
    for (const auto count : placed) orders += count;
    result.extra["records_per_order"] =
        static_cast<double>(market.journal_position() - setup_end) / static_cast<double>(orders);
    if (backend == Backend::sqlite) compare_with(ctx, result, scenario_name("baseline_orders", "sqlite", threads));
    ctx.report(std::move(result));
}

// ---- the conventional way ------------------------------------------------------------

// What a host application would do without souk: a row per order and per line, stock as a
// counter per SKU, and one SQLite transaction per order that inserts the order, takes each
// line's stock with a check (and reads its price), inserts the line and marks the order paid.
// WAL and synchronous=FULL like souk's journal, on one connection that the threads share
// behind a mutex (see baseline_sqlite in journal_bench.cpp for why not one per thread).
void baseline_orders_sqlite(Context& ctx, int threads) {
    auto db = open_baseline_database(ctx.work_dir() / "orders.db");
    db.exec("CREATE TABLE skus (id INTEGER PRIMARY KEY, shop INTEGER NOT NULL, price INTEGER NOT NULL, "
            "on_hand INTEGER NOT NULL CHECK (on_hand >= 0))");
    db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, idempotency_key TEXT NOT NULL, "
            "status TEXT NOT NULL, total INTEGER NOT NULL, currency TEXT NOT NULL, placed_at INTEGER NOT NULL, "
            "paid_at INTEGER, UNIQUE (customer, idempotency_key))");
    db.exec("CREATE TABLE order_lines (order_id INTEGER NOT NULL REFERENCES orders, line INTEGER NOT NULL, "
            "sku INTEGER NOT NULL REFERENCES skus, shop INTEGER NOT NULL, quantity INTEGER NOT NULL, "
            "unit_price INTEGER NOT NULL, PRIMARY KEY (order_id, line))");
    const auto sku_row = [](const LinePick& pick) { return static_cast<std::int64_t>(pick.shop * skus_per_shop + pick.slot); };
    for (std::size_t shop = 0; shop < shop_count; ++shop)
        for (std::size_t slot = 0; slot < skus_per_shop; ++slot)
            db.exec(fmt::format("INSERT INTO skus VALUES ({}, {}, {}, {})", sku_row({shop, slot, 0}), shop,
                                unit_price_fen(shop, slot), opening_stock));
    SQLite::Statement insert_order(db, "INSERT INTO orders (customer, idempotency_key, status, total, currency, "
                                       "placed_at) VALUES (?, ?, 'pending_payment', 0, 'CNY', ?)");
    SQLite::Statement take_stock(db, "UPDATE skus SET on_hand = on_hand - ?1 WHERE id = ?2 AND on_hand >= ?1 "
                                     "RETURNING price");
    SQLite::Statement insert_line(db, "INSERT INTO order_lines VALUES (?, ?, ?, ?, ?, ?)");
    SQLite::Statement mark_paid(db, "UPDATE orders SET status = 'paid', total = ?, paid_at = ? WHERE id = ? "
                                    "AND status = 'pending_payment'");
    const auto now = [] { return std::chrono::system_clock::now().time_since_epoch().count(); };
    std::mutex connection;
    const auto load = run_trade_load(ctx, threads, [&](std::size_t thread, std::uint64_t n) {
        const auto lines = order_lines(thread, n);
        const auto key = fmt::format("order-{}", n);
        const std::lock_guard lock(connection);
        SQLite::Transaction transaction(db);
        insert_order.reset();
        insert_order.bind(1, static_cast<std::int64_t>(thread));
        insert_order.bind(2, key);
        insert_order.bind(3, static_cast<std::int64_t>(now()));
        insert_order.exec();
        const auto order = db.getLastInsertRowid();
        std::int64_t total = 0;
        for (std::size_t line = 0; line < lines.size(); ++line) {
            const auto& pick = lines[line];
            take_stock.reset();
            take_stock.bind(1, pick.quantity);
            take_stock.bind(2, sku_row(pick));
            if (!take_stock.executeStep()) throw std::runtime_error("a SKU ran out of stock");
            const auto price = take_stock.getColumn(0).getInt64();
            while (take_stock.executeStep()) {}  // RETURNING: step to the end so the update completes
            total += price * pick.quantity;
            insert_line.reset();
            insert_line.bind(1, order);
            insert_line.bind(2, static_cast<std::int64_t>(line));
            insert_line.bind(3, sku_row(pick));
            insert_line.bind(4, static_cast<std::int64_t>(pick.shop));
            insert_line.bind(5, pick.quantity);
            insert_line.bind(6, price);
            insert_line.exec();
        }
        mark_paid.reset();
        mark_paid.bind(1, total);
        mark_paid.bind(2, static_cast<std::int64_t>(now()));
        mark_paid.bind(3, order);
        if (mark_paid.exec() != 1) throw std::runtime_error("the order to mark paid is missing");
        transaction.commit();
    });
    auto result = throughput_result(load, threads, "baseline-sqlite", "orders");
    result.extra["storage"] = "rows per order and per line, stock counters, one transaction per order";
    ctx.report(std::move(result));
}

// ---- registration --------------------------------------------------------------------

bool register_trade_scenarios() {
    for (const int threads : thread_counts)
        register_scenarios({{.name = scenario_name("order_place_pay", "memory", threads),
                             .description = fmt::format("{} customer(s) placing and paying orders, memory journal",
                                                        threads),
                             .fn = [threads](Context& ctx) { order_place_pay(ctx, Backend::memory, threads, false); },
                             .needs = {}},
                            {.name = scenario_name("order_place_pay_pipelined", "memory", threads),
                             .description = fmt::format("{} customer(s) placing and paying orders {} per wait in a "
                                                        "pipeline, memory journal",
                                                        threads, orders_per_wait),
                             .fn = [threads](Context& ctx) { order_place_pay(ctx, Backend::memory, threads, true); },
                             .needs = {}}});
    // Each baseline runs right before the souk scenario it is compared with, so that both see
    // the machine in the same state.
    for (const int threads : thread_counts) {
        const auto baseline = scenario_name("baseline_orders", "sqlite", threads);
        register_scenarios(
            {{.name = baseline,
              .description = fmt::format("{} thread(s), one SQLite transaction per paid order, no souk", threads),
              .fn = [threads](Context& ctx) { baseline_orders_sqlite(ctx, threads); },
              .needs = {}},
             {.name = scenario_name("order_place_pay", "sqlite", threads),
              .description = fmt::format("{} customer(s) placing and paying orders, SQLite journal (full durability)",
                                         threads),
              .fn = [threads](Context& ctx) { order_place_pay(ctx, Backend::sqlite, threads, false); },
              .needs = {baseline}},
             {.name = scenario_name("order_place_pay_pipelined", "sqlite", threads),
              .description = fmt::format("{} customer(s) placing and paying orders {} per wait in a pipeline, SQLite "
                                         "journal (full durability)",
                                         threads, orders_per_wait),
              .fn = [threads](Context& ctx) { order_place_pay(ctx, Backend::sqlite, threads, true); },
              .needs = {baseline}}});
    }
    return true;
}

const bool registered = register_trade_scenarios();

}  // namespace
