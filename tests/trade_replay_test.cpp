// Replay of trade: a marketplace with carts, addresses, orders in every status, payments,
// alerts and refunds, copied into a SqliteJournal and reopened, answers every query exactly as
// the original; and both carry on identically.
#include <doctest/doctest.h>

#include <optional>
#include <set>

#include "payment/notification.hpp"
#include "souk/storage/sqlite_journal.hpp"
#include "support/errors.hpp"
#include "support/temp_dir.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

struct TradeSnapshot {
    Snapshot base;
    std::vector<PaymentOrderInfo> orders;
    std::vector<SubOrderInfo> sub_orders;
    std::vector<PaymentAlert> alerts;
    std::map<std::uint64_t, CartView> carts;                        // by user
    std::map<std::uint64_t, std::vector<AddressEntry>> addresses;   // by user
    std::map<std::uint64_t, std::vector<AuditEntry>> order_audit;   // by payment order
    std::map<std::uint64_t, std::vector<AuditEntry>> sub_order_audit;
    std::map<std::uint64_t, std::vector<AuditEntry>> refund_audit;
    friend bool operator==(const TradeSnapshot&, const TradeSnapshot&) = default;
};

TradeSnapshot take_trade_snapshot(Marketplace& market) {
    const auto sys = Actor::system();
    TradeSnapshot s;
    s.base = take_snapshot(market);
    for (const auto& user : s.base.users) {
        const auto orders = market.orders().orders_of(sys, user.id, {}, Page{0, Page::max_limit});
        s.orders.insert(s.orders.end(), orders.begin(), orders.end());
        s.carts[user.id.value] = market.cart().view(sys, user.id);
        s.addresses[user.id.value] = market.cart().addresses(sys, user.id);
    }
    s.sub_orders = market.orders().sub_orders(sys, {}, Page{0, Page::max_limit});
    s.alerts = market.orders().payment_alerts(sys, Page{0, Page::max_limit});
    for (const auto& order : s.orders) {
        s.order_audit[order.id.value] = market.audit(sys, EntityRef::of(order.id));
        for (const auto& refund : order.reversals)
            s.refund_audit[refund.id.value] = market.audit(sys, EntityRef::of(refund.id));
    }
    for (const auto& sub_order : s.sub_orders) {
        s.sub_order_audit[sub_order.id.value] = market.audit(sys, EntityRef::of(sub_order.id));
        for (const auto& refund : sub_order.refunds)
            s.refund_audit[refund.id.value] = market.audit(sys, EntityRef::of(refund.id));
    }
    return s;
}

void check_same(const TradeSnapshot& a, const TradeSnapshot& b) {
    check_same(a.base, b.base);
    CHECK(a.orders.size() == b.orders.size());
    CHECK(a.orders == b.orders);
    CHECK(a.sub_orders == b.sub_orders);
    CHECK(a.alerts == b.alerts);
    CHECK(a.carts == b.carts);
    CHECK(a.addresses == b.addresses);
    CHECK(a.order_audit == b.order_audit);
    CHECK(a.sub_order_audit == b.sub_order_audit);
    CHECK(a.refund_audit == b.refund_audit);
    CHECK(a == b);
}

// Every trade event type, orders in every status, and a refund left unsent.
void run_trade_workload(Trading& w) {
    const auto me = World::as(w.customer), buyer = World::as(w.buyer);
    auto& cart = w.cart();
    auto& orders = w.orders();
    // Addresses and carts.
    const auto office = cart.add_address(me, home_address("Office"));
    cart.update_address(me, office, home_address("Office 2"));
    cart.set_default_address(me, office);
    cart.remove_address(me, office);
    cart.add(me, w.shirt_skus[0], 2);
    cart.add(me, w.shirt_skus[1], 1);
    cart.add(me, w.atlas, 1);
    cart.set_quantity(me, w.shirt_skus[1], 3);
    cart.set_selected(me, {w.shirt_skus[1]}, false);
    cart.add(buyer, w.other_skus[2], 1);
    cart.remove(buyer, {w.other_skus[2]});
    cart.add(buyer, w.other_skus[3], 2);
    w.catalog().set_sku_price(World::as(w.owner), w.shirt_skus[1], cny("89.00"), std::nullopt);
    // From the cart, paid, shipped in two parts, received, completed.
    const auto from_cart = orders.place(me, PlaceRequest{"cart", CheckoutRequest{w.customer_home, {}}, {}});
    w.pay(from_cart, w.customer);
    const auto shirts = w.sub_order_of(from_cart, w.active).id;
    orders.ship(World::as(w.staff), shirts, ShipmentRequest{"SF", "SF1", {{w.shirt_skus[0], 1}}});
    orders.ship(World::as(w.staff), shirts, ShipmentRequest{"SF", "SF2", {}});
    orders.confirm_receipt(me, shirts);
    orders.refund(World::as(w.owner), shirts, {{w.shirt_skus[0], cny("9.90")}}, "small scratch");
    w.clock->advance(std::chrono::hours(24 * 8));
    w.market.tick(w.clock->now());
    // The book of the same order: a refund that fails, then one that times out and stays unsent.
    const auto books = w.sub_order_of(from_cart, w.other_shop).id;
    w.sandbox->set_behavior(from_cart, SandboxBehavior{.refund = SandboxOutcome::decline});
    orders.refund(World::as(w.other_owner), books, {{w.atlas, cny("45.50")}}, "damaged");
    w.sandbox->deliver_all();
    w.sandbox->set_behavior(from_cart, SandboxBehavior{.refund = SandboxOutcome::timeout});
    orders.refund_all(World::as(w.other_owner), books, "damaged");
    // Declined, then paid, then cancelled by the seller with a refund; shipped and auto-received.
    const auto declined_first = w.buy(w.buyer, {{w.other_skus[0], 1}, {w.shirt_skus[2], 1}});
    w.sandbox->set_behavior(declined_first, SandboxBehavior{.payment = SandboxOutcome::decline});
    w.sandbox->complete_payment(orders.pay(buyer, declined_first, "sandbox").provider_payment_id);
    w.sandbox->deliver_all();
    w.sandbox->set_behavior(declined_first, SandboxBehavior{});
    w.pay(declined_first, w.buyer);
    orders.cancel(World::as(w.other_staff), w.sub_order_of(declined_first, w.other_shop).id, "discontinued");
    w.sandbox->deliver_all();
    orders.ship(World::as(w.owner), w.sub_order_of(declined_first, w.active).id, ShipmentRequest{"EMS", "E1", {}});
    // Cancelled by the buyer, by timeout, paid late (reversed), and one still pending with an open intent.
    orders.cancel(buyer, orders.order(buyer, w.buy(w.buyer, {{w.atlas, 1}})).sub_orders[0].id, "mistake");
    w.buy(w.customer, {{w.other_skus[1], 1}});
    const auto late = w.buy(w.buyer, {{w.shirt_skus[3], 1}});
    const auto late_start = orders.pay(buyer, late, "sandbox");
    w.clock->advance(std::chrono::minutes(45));
    w.market.tick(w.clock->now());
    w.sandbox->complete_payment(late_start.provider_payment_id);
    w.sandbox->deliver_all();
    w.clock->advance(std::chrono::hours(24 * 11));
    w.market.tick(w.clock->now() - std::chrono::hours(24));  // the buyer's shipment is received, not completed
    const auto open = w.buy(w.customer, {{w.shirt_skus[0], 1}});
    orders.pay(me, open, "sandbox");
    // An alert and a few refused commands.
    const auto wrong = PaymentEvent{"evt_wrong", PaymentEventKind::captured, "pay_none", open, std::nullopt,
                                    cny("1.00"), Timestamp{}};
    orders.handle_notification("sandbox", w.sandbox->sign(detail::encode_event(wrong), w.clock->now()));
    CHECK(error_of([&] { orders.cancel(buyer, shirts, "too late"); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.confirm_receipt(me, shirts); }) == Errc::invalid_state);
}

}  // namespace

TEST_CASE("trade replay: reopened on SqliteJournal, every query answers as the original") {
    Trading w;
    run_trade_workload(w);
    const auto original = take_trade_snapshot(w.market);
    REQUIRE(original.orders.size() == 6);
    REQUIRE(original.alerts.size() == 1);
    std::set<SubOrderStatus> statuses;
    for (const auto& sub_order : original.sub_orders) statuses.insert(sub_order.status);
    CHECK(statuses == std::set<SubOrderStatus>{SubOrderStatus::pending_payment, SubOrderStatus::paid,
                                               SubOrderStatus::received, SubOrderStatus::completed,
                                               SubOrderStatus::cancelled});

    TempDir dir;
    const auto path = dir / "trade.souk";
    {
        SqliteJournal journal(path);
        journal.append(1, records_of(*w.journal));
    }
    std::optional<Marketplace> reopened;
    reopened.emplace(Marketplace::open_sqlite(path, fast_options(w.clock)));
    reopened->register_payment_provider("sandbox", w.sandbox);
    check_same(original, take_trade_snapshot(*reopened));

    // Both carry on alike: the unsent refund is sent (the provider answers both from its key).
    CHECK(w.orders().send_pending_refunds() == 1);
    CHECK(reopened->orders().send_pending_refunds() == 1);
    CHECK(w.market.tick(w.clock->now()).orders == reopened->tick(w.clock->now()).orders);
    const auto carried_on = take_trade_snapshot(w.market);
    check_same(carried_on, take_trade_snapshot(*reopened));
    const auto books = w.sub_order_of(w.orders().orders_of(World::sys(), w.customer).back().id, w.other_shop);
    CHECK(books.refunds.back().state == RefundState::submitted);
    // At the provider: the shirt's refund, the book's failed one, and the one both sent, once.
    CHECK(w.sandbox->payment(books.refunds.back().provider_payment_id).refunds.size() == 3);

    // And after closing and opening the file again.
    const auto position = reopened->journal_position();
    reopened.reset();
    reopened.emplace(Marketplace::open_sqlite(path, fast_options(w.clock)));
    CHECK(reopened->journal_position() == position);
    check_same(carried_on, take_trade_snapshot(*reopened));
}
