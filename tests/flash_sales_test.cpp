// 秒杀 flash sales: units held for the sale, the sale price, the window, the per-customer
// limit, the short payment deadline, the end of the sale, replay and many buyers at once.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "support/errors.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

// The Trading world with a flash sale helper: shirt_skus[0] and [1] (10 units each on hand).
struct Flashing : Trading {
    FlashSales& flash() { return market.flash_sales(); }

    FlashSaleSpec spec(std::int64_t units = 3, std::int32_t limit = 2) const {
        return FlashSaleSpec{"Midnight shirts",
                             {{shirt_skus[0], cny("9.90"), units}, {shirt_skus[1], cny("19.90"), units}},
                             clock->now(),
                             clock->now() + std::chrono::hours(2),
                             limit,
                             std::chrono::minutes(5)};
    }
    FlashSaleId create(const FlashSaleSpec& s) {
        tick();
        return flash().create(as(owner), active, s);
    }
    PaymentOrderId grab(UserId who, FlashSaleId sale, SkuId sku, std::int64_t quantity = 1) {
        return flash().buy(as(who), sale, sku, quantity, home_of(who), next_key());
    }
    std::int64_t left(FlashSaleId sale, std::size_t item) { return flash().sale(sale).left.at(item).quantity; }
    PaymentOrderStatus status(PaymentOrderId order) { return orders().order(sys(), order).status; }
};

}  // namespace

TEST_CASE("flash sales: creating one holds its units out of available stock") {
    Flashing w;
    w.tick();
    const auto spec = w.spec(3);
    const auto sale = w.flash().create(w.as(w.owner), w.active, spec);
    const auto info = w.flash().sale(sale);
    CHECK(info.shop == w.active);
    CHECK(info.spec == spec);
    CHECK(info.left == std::vector<StockLine>{{w.shirt_skus[0], 3}, {w.shirt_skus[1], 3}});
    CHECK(w.stock_of(w.shirt_skus[0]).available == 7);
    CHECK(w.stock_of(w.shirt_skus[0]).reserved == 3);
    CHECK(w.flash().sales(w.active).size() == 1);
    CHECK(w.flash().sales(w.other_shop).empty());
    // The sale's hold is the sale's: the shop cannot release it through the inventory service.
    const auto holds = w.inventory().reservations(w.as(w.owner), w.active, ReservationStatus::open);
    REQUIRE(holds.size() == 1);
    CHECK(holds[0].owner == ReservationOwner{ReservationHolder::flash_sale, sale.value});
    CHECK(error_of([&] { w.inventory().release(w.as(w.owner), holds[0].id); }) == Errc::forbidden);
    CHECK(error_of([&] { w.flash().create(w.as(w.owner), w.active, w.spec(8)); }) == Errc::insufficient_stock);
}

TEST_CASE("flash sales: a purchase pays the sale price, within the short deadline and the limit") {
    Flashing w;
    const auto sale = w.create(w.spec(3, 2));
    const auto order = w.grab(w.customer, sale, w.shirt_skus[0], 2);
    const auto placed = w.orders().order(w.sys(), order);
    CHECK(placed.total == cny("19.80"));
    CHECK(placed.payment_deadline == placed.placed_at + std::chrono::minutes(5));
    CHECK(w.left(sale, 0) == 1);
    CHECK(w.flash().held(w.as(w.customer), sale, w.customer) == 2);
    CHECK(w.stock_of(w.shirt_skus[0]).reserved == 3);  // 1 for the sale, 2 for the order
    CHECK(error_of([&] { w.grab(w.customer, sale, w.shirt_skus[1]); }) == Errc::limit_exceeded);
    CHECK(error_of([&] { w.grab(w.buyer, sale, w.shirt_skus[0], 2); }) == Errc::insufficient_stock);
    CHECK(error_of([&] { w.grab(w.buyer, sale, w.shirt_skus[2]); }) == Errc::invalid_argument);
    w.grab(w.buyer, sale, w.shirt_skus[0]);
    CHECK(error_of([&] { w.grab(w.buyer, sale, w.shirt_skus[0]); }) == Errc::insufficient_stock);
    // Paid, the units are sold; the held count stays.
    w.pay(order, w.customer);
    CHECK(w.status(order) == PaymentOrderStatus::paid);
    CHECK(w.stock_of(w.shirt_skus[0]).sold == 2);
    CHECK(w.flash().held(w.sys(), sale, w.customer) == 2);
    // A retry of a placed key returns its order, even when sold out.
    const auto key = w.next_key();
    const auto first = w.flash().buy(w.as(w.buyer), sale, w.shirt_skus[1], 1, w.buyer_home, key);
    CHECK(w.flash().buy(w.as(w.buyer), sale, w.shirt_skus[1], 1, w.buyer_home, key) == first);
}

TEST_CASE("flash sales: the checkout names the sale: quote and place show the sale price") {
    Flashing w;
    const auto sale = w.create(w.spec());
    CheckoutRequest checkout{w.customer_home, {{w.shirt_skus[0], 1}, {w.atlas, 1}}, {}, sale};
    const auto quote = w.cart().quote(w.as(w.customer), checkout);
    CHECK(quote.total == cny("55.40"));  // 9.90 + 45.50
    CHECK(quote.shops[0].lines[0].unit_price == cny("9.90"));
    const auto order = w.orders().place(w.as(w.customer), PlaceRequest{w.next_key(), checkout, quote.total});
    CHECK(w.orders().order(w.sys(), order).total == quote.total);
    CHECK(w.left(sale, 0) == 2);
    // Without the sale named, the list price.
    checkout.flash_sale = FlashSaleId{};
    CHECK(w.cart().quote(w.as(w.customer), checkout).total == cny("144.50"));
    checkout.buy_now = {{w.atlas, 1}};
    checkout.flash_sale = sale;
    CHECK(error_of([&] { w.cart().quote(w.as(w.customer), checkout); }) == Errc::invalid_argument);
    checkout.flash_sale = FlashSaleId{99};
    CHECK(error_of([&] { w.cart().quote(w.as(w.customer), checkout); }) == Errc::not_found);
}

TEST_CASE("flash sales: nothing sells before the window opens or after it closes") {
    Flashing w;
    auto later = w.spec();
    later.starts_at = w.clock->now() + std::chrono::hours(1);
    const auto sale = w.create(later);
    CHECK(error_of([&] { w.grab(w.customer, sale, w.shirt_skus[0]); }) == Errc::invalid_state);
    w.clock->advance(std::chrono::hours(1));
    w.grab(w.customer, sale, w.shirt_skus[0]);
    w.clock->advance(std::chrono::hours(2));
    CHECK(error_of([&] { w.grab(w.buyer, sale, w.shirt_skus[0]); }) == Errc::invalid_state);
}

TEST_CASE("flash sales: an unpaid order's units go back to the sale at the payment deadline") {
    Flashing w;
    const auto sale = w.create(w.spec(2, 2));
    const auto first = w.grab(w.customer, sale, w.shirt_skus[0], 2);
    CHECK(w.left(sale, 0) == 0);
    CHECK(error_of([&] { w.grab(w.buyer, sale, w.shirt_skus[0]); }) == Errc::insufficient_stock);
    w.clock->advance(std::chrono::minutes(4));
    w.market.tick(w.clock->now());
    CHECK(w.status(first) == PaymentOrderStatus::pending_payment);
    w.clock->advance(std::chrono::minutes(2));
    w.market.tick(w.clock->now());
    CHECK(w.status(first) == PaymentOrderStatus::cancelled);
    CHECK(w.left(sale, 0) == 2);
    CHECK(w.flash().held(w.sys(), sale, w.customer) == 0);
    CHECK(w.stock_of(w.shirt_skus[0]).available == 8);  // back to the sale, not to general stock
    // Two unpaid orders of the sale expiring in one tick both return.
    const auto a = w.grab(w.customer, sale, w.shirt_skus[0]);
    const auto b = w.grab(w.buyer, sale, w.shirt_skus[1]);
    w.clock->advance(std::chrono::minutes(6));
    w.market.tick(w.clock->now());
    CHECK(w.status(a) == PaymentOrderStatus::cancelled);
    CHECK(w.status(b) == PaymentOrderStatus::cancelled);
    CHECK(w.flash().sale(sale).left == std::vector<StockLine>{{w.shirt_skus[0], 2}, {w.shirt_skus[1], 2}});
    // The buyer's own cancel returns them too.
    const auto c = w.grab(w.customer, sale, w.shirt_skus[1], 2);
    w.tick();
    w.orders().cancel(w.as(w.customer), w.orders().order(w.sys(), c).sub_orders[0].id, "changed my mind");
    CHECK(w.left(sale, 1) == 2);
}

TEST_CASE("flash sales: at the end of the sale the units left return to stock") {
    Flashing w;
    const auto sale = w.create(w.spec(3, 2));
    w.pay(w.grab(w.customer, sale, w.shirt_skus[0], 2), w.customer);
    const auto late = w.grab(w.buyer, sale, w.shirt_skus[1]);
    w.clock->advance(std::chrono::minutes(116));  // the next order is due after the sale ends
    const auto pending = w.grab(w.buyer, sale, w.shirt_skus[0]);
    w.clock->advance(std::chrono::minutes(3));
    w.market.tick(w.clock->now());
    CHECK(w.status(late) == PaymentOrderStatus::cancelled);
    CHECK(w.flash().sale(sale).left == std::vector<StockLine>{{w.shirt_skus[0], 0}, {w.shirt_skus[1], 0}});
    CHECK(w.flash().sales(w.active).empty());
    CHECK(w.stock_of(w.shirt_skus[1]).available == 10);
    CHECK(w.stock_of(w.shirt_skus[0]).available == 7);  // two sold, one in an unpaid order
    w.clock->advance(std::chrono::minutes(5));
    w.market.tick(w.clock->now());
    CHECK(w.status(pending) == PaymentOrderStatus::cancelled);
    CHECK(w.stock_of(w.shirt_skus[0]).available == 8);  // after the sale: to general stock
    CHECK(w.stock_of(w.shirt_skus[0]).sold == 2);
}

TEST_CASE("flash sales: only the shop's members run them, and bad sales are refused") {
    Flashing w;
    w.tick();
    const auto refused = [&](UserId who, const FlashSaleSpec& s) {
        return error_of([&] { w.flash().create(w.as(who), w.active, s); });
    };
    CHECK(refused(w.customer, w.spec()) == Errc::forbidden);
    CHECK(refused(w.other_owner, w.spec()) == Errc::forbidden);
    CHECK(w.flash().create(w.as(w.staff), w.active, w.spec(1)));
    CHECK(error_of([&] { w.flash().create(w.as(w.owner), ShopId{999}, w.spec()); }) == Errc::not_found);
    auto s = w.spec();
    s.items[0].price = cny("99.00");
    CHECK(refused(w.owner, s) == Errc::invalid_argument);
    s = w.spec();
    s.items[0].price = Money::parse("1", Currency::of("USD"));
    CHECK(refused(w.owner, s) == Errc::currency_mismatch);
    s = w.spec();
    s.items[1].sku = w.other_skus[0];
    CHECK(refused(w.owner, s) == Errc::invalid_argument);
    s.items[1].sku = s.items[0].sku;
    CHECK(refused(w.owner, s) == Errc::invalid_argument);
    s = w.spec();
    s.items[0].quantity = 0;
    CHECK(refused(w.owner, s) == Errc::invalid_argument);
    s = w.spec();
    s.ends_at = s.starts_at;
    CHECK(refused(w.owner, s) == Errc::invalid_argument);
    s = w.spec();
    s.ends_at = w.clock->now() + std::chrono::hours(24 * 31);
    CHECK(refused(w.owner, s) == Errc::invalid_argument);
    s = w.spec();
    s.per_customer_limit = 0;
    CHECK(refused(w.owner, s) == Errc::invalid_argument);
    s = w.spec();
    s.payment_timeout = std::chrono::seconds(30);
    CHECK(refused(w.owner, s) == Errc::invalid_argument);
    s = w.spec();
    s.name = "";
    CHECK(refused(w.owner, s) == Errc::invalid_argument);
    s = w.spec();
    s.items.clear();
    CHECK(refused(w.owner, s) == Errc::invalid_argument);
    CHECK(w.flash().sales(w.active).size() == 1);  // the refused ones changed nothing
    CHECK(w.stock_of(w.shirt_skus[0]).reserved == 1);

    const auto sale = w.flash().sales(w.active).front().id;
    CHECK(error_of([&] { w.flash().held(w.as(w.buyer), sale, w.customer); }) == Errc::forbidden);
    CHECK(error_of([&] { w.flash().buy(Actor::system(), sale, w.shirt_skus[0], 1, w.customer_home, "k"); }) ==
          Errc::unauthenticated);
    CHECK(error_of([&] { w.flash().buy(w.as(w.buyer), sale, w.shirt_skus[0], 1, w.customer_home, "k"); }) ==
          Errc::forbidden);
    CHECK(w.flash().held(w.as(w.customer), sale, w.customer) == 0);
    CHECK_FALSE(w.market.audit(w.as(w.staff), EntityRef::of(sale)).empty());
    CHECK(error_of([&] { w.market.audit(w.as(w.customer), EntityRef::of(sale)); }) == Errc::forbidden);
}

TEST_CASE("flash sales replay: a reopened journal answers every flash sale query the same") {
    Flashing w;
    const auto sale = w.create(w.spec(3, 2));
    const auto paid = w.grab(w.customer, sale, w.shirt_skus[0], 2);
    w.pay(paid, w.customer);
    w.grab(w.buyer, sale, w.shirt_skus[1]);
    w.clock->advance(std::chrono::minutes(6));
    w.market.tick(w.clock->now());
    w.grab(w.buyer, sale, w.shirt_skus[0]);
    const auto read = [&](Marketplace& m) {
        auto& f = m.flash_sales();
        return std::tuple(f.sale(sale), f.sales(w.active), f.held(w.sys(), sale, w.customer),
                          f.held(w.sys(), sale, w.buyer), m.inventory().stock(w.sys(), w.shirt_skus[0]),
                          m.inventory().stock(w.sys(), w.shirt_skus[1]), m.audit(w.sys(), EntityRef::of(sale)));
    };
    const auto before = read(w.market);
    Marketplace reopened(copy_journal(*w.journal), fast_options(w.clock));
    CHECK(read(reopened) == before);
}

TEST_CASE("flash sales under load: many buyers at once never oversell nor undersell") {
    Flashing w;
    constexpr int threads = 8;
    constexpr int customers_per_thread = 4;
    constexpr std::int64_t units = 10;  // per SKU: 20 in all for 32 customers who want 3 each
    std::vector<std::pair<UserId, AddressId>> customers;
    for (int i = 0; i < threads * customers_per_thread; ++i) {
        const auto id = w.add_user(fmt::format("rush{}", i), fmt::format("Rush {}", i));
        customers.emplace_back(id, w.cart().add_address(w.as(id), home_address("Rush")));
    }
    const auto sale = w.create(w.spec(units, 3));
    std::atomic<std::int64_t> bought{0};
    std::atomic<int> unexpected{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (int attempt = 0; attempt < 12; ++attempt) {
                const auto& [who, home] = customers[static_cast<std::size_t>(t * customers_per_thread + attempt % customers_per_thread)];
                const auto sku = w.shirt_skus[static_cast<std::size_t>(attempt % 2)];
                try {
                    w.flash().buy(Actor::user(who), sale, sku, 1, home, fmt::format("rush-{}-{}", t, attempt));
                    ++bought;
                } catch (const Error& e) {
                    if (e.code() != Errc::insufficient_stock && e.code() != Errc::limit_exceeded) ++unexpected;
                }
            }
        });
    for (auto& thread : pool) thread.join();
    CHECK(unexpected == 0);
    CHECK(bought == 2 * units);
    CHECK(w.flash().sale(sale).left == std::vector<StockLine>{{w.shirt_skus[0], 0}, {w.shirt_skus[1], 0}});
    std::int64_t held = 0;
    for (const auto& [who, home] : customers) {
        const auto mine = w.flash().held(w.sys(), sale, who);
        CHECK(mine <= 3);
        held += mine;
    }
    CHECK(held == 2 * units);
    CHECK(w.stock_of(w.shirt_skus[0]).reserved == units);
    CHECK(w.stock_of(w.shirt_skus[0]).available == 10 - units);
}
