// A day of trade in two shops, told in order, with every money and stock figure checked to
// the minor unit at the end: orders placed, paid, cancelled by the payment timeout and by the
// buyer, a paid part cancelled by its seller, shipped in parts, received by the buyer and by
// the deadline, refunded in part, completed.
#include <doctest/doctest.h>

#include <map>

#include "support/errors.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;
using std::chrono::hours;

namespace {

constexpr auto day = hours(24);

// Shipping: 8.00 per shop, free from 150.00 of goods.
struct TradeDay : Trading {
    UserId carol;
    AddressId carol_home;

    TradeDay() {
        auto options = fast_options(clock);
        options.shipping_fee_per_shop = cny("8.00");
        options.free_shipping_from = cny("150.00");
        reopen(options);
        carol = add_user("carol", "Carol");
        carol_home = cart().add_address(as(carol), home_address("Carol"));
    }

    PaymentOrderId place_for_carol(std::vector<LineRequest> lines) {
        tick();
        return orders().place(as(carol), PlaceRequest{next_key(), CheckoutRequest{carol_home, std::move(lines)}, {}});
    }
    SubOrderId part(PaymentOrderId order, ShopId shop) { return sub_order_of(order, shop).id; }
    void refunds_confirmed() { sandbox->deliver_all(); }
};

Money sum(const std::vector<Money>& amounts) {
    Money total = cny("0.00");
    for (const auto& amount : amounts) total += amount;
    return total;
}

}  // namespace

TEST_CASE("a day of trade: every money and stock figure reconciles") {
    TradeDay w;
    const auto shirt = w.shirt_skus[0], blue_shirt = w.shirt_skus[2], other_red = w.other_skus[0],
               other_blue = w.other_skus[2];

    // 09:00 The customer buys two shirts (198.00, free shipping) and an atlas (45.50 + 8.00).
    const auto morning = w.buy(w.customer, {{shirt, 2}, {w.atlas, 1}});
    CHECK(w.orders().order(World::sys(), morning).total == cny("251.50"));
    w.pay(morning, w.customer);
    // The buyer orders a shirt from the other shop (99.00 + 8.00) and never pays.
    const auto abandoned = w.buy(w.buyer, {{other_red, 1}});
    // The customer orders another shirt, then thinks better of it before paying.
    const auto regretted = w.buy(w.customer, {{w.shirt_skus[1], 1}});
    w.orders().cancel(World::as(w.customer), w.part(regretted, w.active), "ordered the wrong size");
    // The buyer buys a blue shirt (99.00 + 8.00) and an atlas (45.50 + 8.00) and pays 160.50.
    const auto split = w.buy(w.buyer, {{blue_shirt, 1}, {w.atlas, 1}});
    w.pay(split, w.buyer);
    // Carol buys three blue shirts of the other shop: 297.00, free shipping.
    const auto bulk = w.place_for_carol({{other_blue, 3}});
    w.pay(bulk, w.carol);

    // 10:00 The payment deadline of the abandoned order passes; tick cancels it.
    w.clock->advance(hours(1));
    CHECK(w.market.tick(w.clock->now()).orders.cancelled == 1);

    // 11:00 The shops work: the active shop ships the two shirts in two parcels; the other shop
    // has no atlas left to sell the buyer and cancels that part, then ships the rest.
    w.tick();
    CHECK(w.orders().ship(World::as(w.staff), w.part(morning, w.active), {"SF", "SF-1", {{shirt, 1}}}) == 1);
    CHECK(w.orders().ship(World::as(w.owner), w.part(morning, w.active), {"SF", "SF-2", {}}) == 2);
    w.orders().cancel(World::as(w.other_owner), w.part(split, w.other_shop), "atlas out of print");
    w.orders().ship(World::as(w.other_staff), w.part(morning, w.other_shop), {"YTO", "YT-1", {}});
    w.orders().ship(World::as(w.owner), w.part(split, w.active), {"SF", "SF-3", {}});
    w.orders().ship(World::as(w.other_owner), w.part(bulk, w.other_shop), {"JD", "JD-1", {}});
    w.refunds_confirmed();

    // Two days later: the customer confirms the shirts; one arrived stained, 30.00 goes back.
    // Carol returns nothing but is refunded one shirt of three (99.00) by the shop's goodwill.
    w.clock->advance(2 * day);
    w.orders().confirm_receipt(World::as(w.customer), w.part(morning, w.active));
    w.orders().refund(World::as(w.owner), w.part(morning, w.active), {{shirt, cny("30.00")}}, "stained on arrival");
    w.orders().confirm_receipt(World::as(w.carol), w.part(bulk, w.other_shop));
    w.orders().refund(World::as(w.other_staff), w.part(bulk, w.other_shop), {{other_blue, cny("99.00")}},
                      "one shirt was too small");
    w.refunds_confirmed();

    // Three weeks on, every deadline has passed: unconfirmed parts were received ten days after
    // shipping, and everything received completed seven days after that.
    w.clock->advance(21 * day);
    const auto report = w.market.tick(w.clock->now());
    CHECK(report.orders.received == 2);   // the morning's atlas and the buyer's blue shirt
    CHECK(report.orders.completed == 4);

    // ---- statuses
    const auto status = [&](PaymentOrderId order, ShopId shop) { return w.sub_order_of(order, shop).status; };
    CHECK(status(morning, w.active) == SubOrderStatus::completed);
    CHECK(status(morning, w.other_shop) == SubOrderStatus::completed);
    CHECK(w.sub_order_of(abandoned, w.other_shop).cancel_cause == CancelCause::payment_timeout);
    CHECK(w.sub_order_of(regretted, w.active).cancel_cause == CancelCause::buyer);
    CHECK(status(split, w.active) == SubOrderStatus::completed);
    CHECK(w.sub_order_of(split, w.other_shop).cancel_cause == CancelCause::seller);
    CHECK(status(bulk, w.other_shop) == SubOrderStatus::completed);
    CHECK(w.sub_order_of(morning, w.active).shipments.size() == 2);

    // ---- money: the engine, the provider and the day's story agree to the minor unit
    std::map<ShopId, Money> kept;  // what each shop keeps: paid less refunded
    Money paid = cny("0.00"), refunded = cny("0.00");
    for (const auto order : {morning, abandoned, regretted, split, bulk}) {
        const auto info = w.orders().order(World::sys(), order);
        paid += info.paid;
        refunded += info.refunded;
        Money charged = cny("0.00"), returned = cny("0.00");
        for (const auto& payment : w.sandbox->payments_of(order)) {
            if (payment.status == PaymentStatus::captured) charged += payment.amount;
            returned += payment.refunded;
        }
        CHECK(charged == info.paid);
        CHECK(returned == info.refunded);  // every refund was confirmed by the provider
        for (const auto& sub : info.sub_orders) {
            if (!kept.contains(sub.shop)) kept[sub.shop] = cny("0.00");
            if (sub.paid_at) kept[sub.shop] += sub.payable - sub.refunded;
            for (const auto& refund : sub.refunds) CHECK(refund.state == RefundState::succeeded);
        }
    }
    CHECK(paid == sum({cny("251.50"), cny("160.50"), cny("297.00")}));
    CHECK(refunded == sum({cny("30.00"), cny("53.50"), cny("99.00")}));
    CHECK(kept[w.active] == cny("275.00"));      // 198.00 − 30.00 + 107.00
    CHECK(kept[w.other_shop] == cny("251.50"));  // 53.50 + 297.00 − 99.00
    CHECK(kept[w.active] + kept[w.other_shop] == paid - refunded);
    const auto cancelled_part = w.sub_order_of(split, w.other_shop);
    CHECK(cancelled_part.shipping_refunded == cny("8.00"));  // a seller's cancellation returns shipping too
    CHECK(w.sub_order_of(morning, w.active).lines[0].refunded == cny("30.00"));

    // ---- stock: on hand = delivered − sold + returned; nothing left reserved
    const auto stock = [&](SkuId sku) { return w.stock_of(sku); };
    const auto on_hand_sold = [&](SkuId sku) { return std::pair{stock(sku).on_hand, stock(sku).sold}; };
    CHECK(on_hand_sold(shirt) == std::pair<std::int64_t, std::int64_t>{8, 2});
    CHECK(on_hand_sold(w.shirt_skus[1]) == std::pair<std::int64_t, std::int64_t>{10, 0});  // never paid
    CHECK(on_hand_sold(blue_shirt) == std::pair<std::int64_t, std::int64_t>{9, 1});
    CHECK(on_hand_sold(w.atlas) == std::pair<std::int64_t, std::int64_t>{9, 2});  // one sold, one back from a cancellation
    CHECK(on_hand_sold(other_red) == std::pair<std::int64_t, std::int64_t>{10, 0});
    CHECK(on_hand_sold(other_blue) == std::pair<std::int64_t, std::int64_t>{7, 3});  // a refund without return keeps it sold
    for (const auto sku : {shirt, w.shirt_skus[1], blue_shirt, w.atlas, other_red, other_blue})
        CHECK(stock(sku).reserved == 0);

    // ---- queries agree with the story
    const auto completed = SubOrderFilter{SubOrderStatus::completed, {}, {}};
    const auto cancelled = SubOrderFilter{SubOrderStatus::cancelled, {}, {}};
    CHECK(w.orders().sub_orders_of_shop(World::as(w.owner), w.active, completed).size() == 2);
    CHECK(w.orders().sub_orders_of_shop(World::as(w.owner), w.active, cancelled).size() == 1);
    CHECK(w.orders().sub_orders_of_shop(World::as(w.other_owner), w.other_shop, completed).size() == 2);
    CHECK(w.orders().sub_orders_of_shop(World::as(w.other_owner), w.other_shop, cancelled).size() == 2);
    CHECK(w.orders().orders_of(World::as(w.customer), w.customer).size() == 2);
}
