// Orders: placing (splitting by shop, reserving, idempotency), the sub-order state machine
// walked through every (state, action) pair, deadlines, shipping, visibility and queries.
#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "orders/state_machine.hpp"
#include "support/errors.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;
using detail::SubOrderAction;

namespace {

constexpr auto minutes = [](int n) { return std::chrono::minutes(n); };
constexpr auto days = [](int n) { return std::chrono::hours(24 * n); };

ShipmentRequest shipment(std::vector<ShippedLine> lines = {}) {
    return ShipmentRequest{"SF Express", "SF1234567890", std::move(lines)};
}

// Every status reachable from `from` by the deadlines tick fires.
SubOrderStatus after_deadlines(SubOrderStatus from) {
    for (bool moved = true; moved;) {
        moved = false;
        for (const auto action : {SubOrderAction::cancel_on_payment_timeout, SubOrderAction::receive_automatically,
                                  SubOrderAction::complete})
            if (const auto to = detail::next_status(from, action)) from = *to, moved = true;
    }
    return from;
}

// A world in which one order of 3 units of one shirt SKU (one sub-order) can be driven into
// any status.
struct Walk : Trading {
    Walk() {
        tick();
        inventory().adjust(as(owner), {{shirt_skus[0], 1000}}, "restock for the walk");
    }

    SubOrderId in_status(SubOrderStatus status) {
        const auto order = buy(customer, {{shirt_skus[0], 3}});
        const auto id = orders().order(sys(), order).sub_orders.at(0).id;
        switch (status) {
            case SubOrderStatus::pending_payment: break;
            case SubOrderStatus::cancelled: orders().cancel(as(customer), id, "changed my mind"); break;
            case SubOrderStatus::paid: pay(order, customer); break;
            case SubOrderStatus::partially_shipped:
                pay(order, customer);
                orders().ship(as(staff), id, shipment({{shirt_skus[0], 1}}));
                break;
            case SubOrderStatus::shipped:
            case SubOrderStatus::received:
            case SubOrderStatus::completed:
            case SubOrderStatus::refunded:
                pay(order, customer);
                orders().ship(as(staff), id, shipment());
                if (status == SubOrderStatus::shipped) break;
                orders().confirm_receipt(as(customer), id);
                if (status == SubOrderStatus::received) break;
                if (status == SubOrderStatus::refunded) orders().refund_all(as(staff), id, "all of it back");
                clock->advance(days(8));
                market.tick(clock->now());
                break;
        }
        REQUIRE(orders().sub_order(sys(), id).status == status);
        return id;
    }

    // Performs `action` on the sub-order through the public API.
    void perform(SubOrderId id, SubOrderAction action) {
        tick();
        const auto order = orders().sub_order(sys(), id).order;
        switch (action) {
            case SubOrderAction::capture_payment: pay(order, customer); break;
            case SubOrderAction::cancel_by_buyer: orders().cancel(as(customer), id, "changed my mind"); break;
            case SubOrderAction::cancel_by_seller: orders().cancel(as(staff), id, "out of stock"); break;
            case SubOrderAction::cancel_by_platform: orders().cancel(as(op), id, "fraud check"); break;
            case SubOrderAction::ship_some: orders().ship(as(staff), id, shipment({{shirt_skus[0], 1}})); break;
            case SubOrderAction::ship_rest: orders().ship(as(owner), id, shipment()); break;
            case SubOrderAction::confirm_receipt: orders().confirm_receipt(as(customer), id); break;
            case SubOrderAction::close_refunded:
                // Closing as refunded is the completion deadline of a sub-order refunded in full.
                if (orders().sub_order(sys(), id).status == SubOrderStatus::received)
                    orders().refund_all(as(staff), id, "all of it back");
                [[fallthrough]];
            case SubOrderAction::cancel_on_payment_timeout:
            case SubOrderAction::receive_automatically:
            case SubOrderAction::complete:
                clock->advance(days(40));
                market.tick(clock->now());
                break;
        }
    }
};

}  // namespace

TEST_CASE("state machine: the transition table") {
    using S = SubOrderStatus;
    CHECK(detail::next_status(S::pending_payment, SubOrderAction::capture_payment) == S::paid);
    CHECK(detail::next_status(S::paid, SubOrderAction::ship_some) == S::partially_shipped);
    CHECK(detail::next_status(S::partially_shipped, SubOrderAction::ship_rest) == S::shipped);
    CHECK(detail::next_status(S::shipped, SubOrderAction::receive_automatically) == S::received);
    CHECK(detail::next_status(S::received, SubOrderAction::complete) == S::completed);
    CHECK_FALSE(detail::next_status(S::pending_payment, SubOrderAction::cancel_by_seller));
    CHECK_FALSE(detail::next_status(S::partially_shipped, SubOrderAction::cancel_by_buyer));
    for (const auto action : detail::all_sub_order_actions) {
        CHECK_FALSE(detail::next_status(S::completed, action));
        CHECK_FALSE(detail::next_status(S::cancelled, action));
        CHECK_FALSE(detail::next_status(S::refunded, action));
    }
    const auto message = error_message_of([] {
        detail::require_transition(SubOrderId{7}, S::shipped, SubOrderAction::cancel_by_buyer);
    });
    CHECK(message.find("sub-order 7 is shipped") != std::string::npos);
    CHECK(message.find("confirm receipt, receive automatically") != std::string::npos);
    CHECK(error_of([] { detail::require_transition(SubOrderId{7}, S::completed, SubOrderAction::complete); }) ==
          Errc::invalid_state);
}

TEST_CASE("state machine: every (state, action) pair through the API is legal exactly as the table says") {
    for (const auto from : detail::all_sub_order_statuses) {
        Walk w;
        for (const auto action : detail::all_sub_order_actions) {
            CAPTURE(sub_order_status_name(from));
            CAPTURE(detail::sub_order_action_name(action));
            const auto id = w.in_status(from);
            const bool by_tick = action == SubOrderAction::cancel_on_payment_timeout ||
                                 action == SubOrderAction::receive_automatically || action == SubOrderAction::complete;
            if (by_tick) {
                // tick fires whatever is due; from each state it is the table's deadline chain.
                w.perform(id, action);
                CHECK(w.orders().sub_order(w.sys(), id).status == after_deadlines(from));
                continue;
            }
            if (action == SubOrderAction::close_refunded) {
                // Refunded in full, then the deadlines: received closes as refunded.
                w.perform(id, action);
                const auto closed = detail::next_status(from, action);
                CHECK(w.orders().sub_order(w.sys(), id).status == (closed ? *closed : after_deadlines(from)));
                continue;
            }
            const auto expected = detail::next_status(from, action);
            const auto position = w.market.journal_position();
            if (expected) {
                w.perform(id, action);
                CHECK(w.orders().sub_order(w.sys(), id).status == *expected);
            } else {
                CHECK(error_of([&] { w.perform(id, action); }) == Errc::invalid_state);
                CHECK(w.orders().sub_order(w.sys(), id).status == from);
                CHECK(w.market.journal_position() == position);
            }
        }
    }
}

TEST_CASE("place: one payment order, one sub-order per shop, lines snapshotted, stock reserved") {
    Trading w;
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}, {w.shirt_skus[1], 1}, {w.shirt_skus[0], 1}});
    const auto info = w.orders().order(World::as(w.customer), order);
    CHECK(info.status == PaymentOrderStatus::pending_payment);
    CHECK(info.customer == w.customer);
    CHECK(info.address == home_address("Han Meimei"));
    CHECK(info.payment_deadline == info.placed_at + minutes(30));
    REQUIRE(info.sub_orders.size() == 2);
    const auto& shirts = info.sub_orders[0];
    const auto& books = info.sub_orders[1];
    CHECK(shirts.shop == w.active);
    CHECK(books.shop == w.other_shop);
    REQUIRE(shirts.lines.size() == 2);  // the two lines of the first SKU merged
    CHECK(shirts.lines[0].sku == w.shirt_skus[0]);
    CHECK(shirts.lines[0].quantity == 3);
    CHECK(shirts.lines[0].title == "Linen shirt");
    CHECK(shirts.lines[0].spec == std::vector<std::string>{"red", "S"});
    CHECK(shirts.lines[0].unit_price == cny("99.00"));
    CHECK(shirts.lines[0].line_total == cny("297.00"));
    CHECK(shirts.lines[0].paid_share == cny("297.00"));
    CHECK(shirts.subtotal == cny("396.00"));
    CHECK(shirts.payable == cny("396.00"));
    CHECK(books.payable == cny("45.50"));
    CHECK(info.total == cny("441.50"));
    CHECK(shirts.deadline == info.payment_deadline);
    CHECK(w.stock_of(w.shirt_skus[0]).reserved == 3);
    CHECK(w.stock_of(w.shirt_skus[0]).available == 7);
    CHECK(w.stock_of(w.atlas).reserved == 1);
    // One reservation per shop, held for the sub-order until the payment deadline.
    const auto holds = w.inventory().reservations(World::as(w.owner), w.active, ReservationStatus::open);
    REQUIRE(holds.size() == 1);
    CHECK(holds[0].owner == ReservationOwner{ReservationHolder::order, shirts.id.value});
    CHECK(holds[0].expires_at == info.payment_deadline);
}

TEST_CASE("place: from the cart, the selected lines are placed and leave the cart") {
    Trading w;
    const auto me = World::as(w.customer);
    w.cart().add(me, w.shirt_skus[0], 2);
    w.cart().add(me, w.atlas, 1);
    w.cart().add(me, w.other_skus[1], 1);
    w.cart().set_selected(me, {w.other_skus[1]}, false);
    const auto quote = w.cart().quote(me, CheckoutRequest{w.customer_home, {}});
    const auto order = w.orders().place(me, PlaceRequest{"cart-1", CheckoutRequest{w.customer_home, {}}, quote.total});
    const auto info = w.orders().order(me, order);
    CHECK(info.total == quote.total);
    CHECK(info.total == cny("243.50"));
    const auto cart = w.cart().view(me, w.customer);
    REQUIRE(cart.line_count == 1);
    CHECK(cart.shops[0].lines[0].sku == w.other_skus[1]);

    // A retry of the same request finds the order: the placed lines are gone from the selection.
    const auto journal = w.market.journal_position();
    CHECK(w.orders().place(me, PlaceRequest{"cart-1", CheckoutRequest{w.customer_home, {}}, quote.total}) == order);
    CHECK(w.market.journal_position() == journal);
    CHECK(w.stock_of(w.shirt_skus[0]).reserved == 2);
    // The same key with another selection is another request.
    w.cart().set_selected(me, {w.other_skus[1]}, true);
    const auto selected = w.market.journal_position();
    CHECK(error_of([&] {
        w.orders().place(me, PlaceRequest{"cart-1", CheckoutRequest{w.customer_home, {}}, quote.total});
    }) == Errc::conflict);
    CHECK(w.market.journal_position() == selected);
}

TEST_CASE("place: idempotent on (customer, key); the same key for another request is a conflict") {
    Trading w;
    const auto me = World::as(w.customer);
    const PlaceRequest request{"k-1", CheckoutRequest{w.customer_home, {{w.atlas, 2}}}, std::nullopt};
    const auto order = w.orders().place(me, request);
    const auto journal = w.market.journal_position();
    CHECK(w.orders().place(me, request) == order);
    CHECK(w.market.journal_position() == journal);
    CHECK(w.stock_of(w.atlas).reserved == 2);
    auto other = request;
    other.checkout.buy_now = {{w.atlas, 3}};
    CHECK(error_of([&] { w.orders().place(me, other); }) == Errc::conflict);
    other = request;
    other.expected_total = cny("91.00");
    CHECK(error_of([&] { w.orders().place(me, other); }) == Errc::conflict);
    // Keys are per customer: another customer's "k-1" is their own.
    const auto theirs = w.orders().place(World::as(w.buyer), PlaceRequest{"k-1", CheckoutRequest{w.buyer_home, {{w.atlas, 2}}}, {}});
    CHECK(theirs != order);
    CHECK(w.stock_of(w.atlas).reserved == 4);
    CHECK(error_of([&] { w.orders().place(me, PlaceRequest{"", request.checkout, {}}); }) == Errc::invalid_argument);
    CHECK(error_of([&] { w.orders().place(me, PlaceRequest{"with space", request.checkout, {}}); }) ==
          Errc::invalid_argument);
}

TEST_CASE("place: refused requests change nothing") {
    Trading w;
    const auto me = World::as(w.customer);
    const auto refused = [&](const PlaceRequest& request) {
        const auto journal = w.market.journal_position();
        const auto code = error_of([&] { w.orders().place(me, request); });
        CHECK(w.market.journal_position() == journal);
        CHECK(w.stock_of(w.shirt_skus[0]).reserved == 0);
        return code;
    };
    const auto home = w.customer_home;
    // Not enough of the second line: the first is not reserved either.
    CHECK(refused({"a", {home, {{w.shirt_skus[0], 2}, {w.atlas, 11}}}, {}}) == Errc::insufficient_stock);
    CHECK(refused({"b", {home, {{w.shirt_skus[0], 2}}}, cny("1.00")}) == Errc::conflict);
    CHECK(refused({"c", {home, {{w.shirt_skus[0], 0}}}, {}}) == Errc::invalid_argument);
    CHECK(refused({"d", {home, {{w.shirt_skus[0], Cart::max_quantity + 1}}}, {}}) == Errc::invalid_argument);
    CHECK(refused({"e", {home, {}}, {}}) == Errc::invalid_argument);  // the cart is empty
    CHECK(refused({"f", {w.buyer_home, {{w.shirt_skus[0], 1}}}, {}}) == Errc::forbidden);
    CHECK(refused({"g", {AddressId{999}, {{w.shirt_skus[0], 1}}}, {}}) == Errc::not_found);
    CHECK(refused({"h", {home, {{SkuId{999}, 1}}}, {}}) == Errc::not_found);
    w.catalog().delist(World::as(w.owner), w.shirt);
    CHECK(refused({"i", {home, {{w.shirt_skus[0], 1}}}, {}}) == Errc::invalid_state);
    CHECK(error_of([&] { w.orders().place(World::as(w.disabled), {"j", {home, {{w.atlas, 1}}}, {}}); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { w.orders().place(World::sys(), {"k", {home, {{w.atlas, 1}}}, {}}); }) ==
          Errc::unauthenticated);
}

TEST_CASE("place: a price change after the quote is refused when the client says what it expects") {
    Trading w;
    const auto me = World::as(w.customer);
    const CheckoutRequest checkout{w.customer_home, {{w.atlas, 2}}};
    const auto quote = w.cart().quote(me, checkout);
    CHECK(quote.total == cny("91.00"));
    w.catalog().set_sku_price(World::as(w.other_owner), w.atlas, cny("47.00"), std::nullopt);
    CHECK(error_of([&] { w.orders().place(me, PlaceRequest{"p", checkout, quote.total}); }) == Errc::conflict);
    const auto order = w.orders().place(me, PlaceRequest{"p", checkout, cny("94.00")});
    CHECK(w.orders().order(me, order).total == cny("94.00"));
}

TEST_CASE("place: a customer may hold a limited number of unpaid orders") {
    Trading w;
    w.inventory().adjust(World::as(w.other_owner), {{w.atlas, 100}}, "restock");
    for (std::size_t i = 0; i < Orders::max_unpaid_orders; ++i) w.buy(w.customer, {{w.atlas, 1}});
    CHECK(error_of([&] { w.buy(w.customer, {{w.atlas, 1}}); }) == Errc::limit_exceeded);
    const auto first = w.orders().orders_of(World::as(w.customer), w.customer).back();
    w.orders().cancel(World::as(w.customer), first.sub_orders[0].id, "too many");
    w.buy(w.customer, {{w.atlas, 1}});
}

TEST_CASE("deadlines: unpaid orders are cancelled at the payment deadline and their stock released") {
    Trading w;
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}});
    const auto deadline = w.orders().order(World::sys(), order).payment_deadline;
    w.clock->set(deadline - Duration(1));
    CHECK(w.market.tick(w.clock->now()).orders == OrdersTickReport{});
    CHECK(w.orders().order(World::sys(), order).status == PaymentOrderStatus::pending_payment);
    w.clock->set(deadline + minutes(5));
    const auto report = w.market.tick(w.clock->now());  // a late tick: the cancellation is dated at the deadline
    CHECK(report.orders == OrdersTickReport{1, 0, 0});
    CHECK(report.reservations_expired == 0);  // released by the cancellation, not expired
    const auto info = w.orders().order(World::sys(), order);
    CHECK(info.status == PaymentOrderStatus::cancelled);
    CHECK(info.cancelled_at == deadline);
    for (const auto& sub_order : info.sub_orders) {
        CHECK(sub_order.status == SubOrderStatus::cancelled);
        CHECK(sub_order.cancelled_at == deadline);
        CHECK(sub_order.cancel_cause == CancelCause::payment_timeout);
        CHECK_FALSE(sub_order.deadline);
    }
    CHECK(w.stock_of(w.shirt_skus[0]).reserved == 0);
    CHECK(w.stock_of(w.atlas).available == 10);
    // Idempotent: nothing is due any more.
    const auto journal = w.market.journal_position();
    CHECK(w.market.tick(deadline).orders == OrdersTickReport{});
    CHECK(w.market.journal_position() == journal);
    CHECK(error_of([&] { w.market.tick(deadline + minutes(6)); }) == Errc::invalid_argument);  // ahead of the clock
    // Paying a cancelled order is refused.
    CHECK(error_of([&] { w.orders().pay(World::as(w.customer), order, "sandbox"); }) == Errc::invalid_state);
}

TEST_CASE("deadlines: the inventory's expiry of an order's hold does not break the order's cancellation") {
    Trading w;
    const auto order = w.buy(w.customer, {{w.atlas, 1}});
    const auto deadline = w.orders().order(World::sys(), order).payment_deadline;
    w.clock->set(deadline);
    CHECK(w.inventory().tick(deadline) == 1);  // the hold expires first, on its own
    CHECK(w.orders().tick(deadline) == OrdersTickReport{1, 0, 0});
    CHECK(w.orders().order(World::sys(), order).status == PaymentOrderStatus::cancelled);
    CHECK(w.stock_of(w.atlas).reserved == 0);
}

TEST_CASE("deadlines: automatic receipt after shipping, completion after the after-sales window") {
    Trading w;
    const auto order = w.paid_order(w.customer);
    const auto sub_order = w.sub_order_of(order, w.active).id;
    w.tick();
    w.orders().ship(World::as(w.staff), sub_order, shipment());
    auto info = w.orders().sub_order(World::sys(), sub_order);
    REQUIRE(info.shipped_at);
    const auto receive_by = *info.shipped_at + days(10);
    CHECK(info.deadline == receive_by);
    w.clock->set(receive_by - Duration(1));
    CHECK(w.market.tick(w.clock->now()).orders == OrdersTickReport{});
    w.clock->set(receive_by);
    CHECK(w.market.tick(receive_by).orders == OrdersTickReport{0, 1, 0});
    info = w.orders().sub_order(World::sys(), sub_order);
    CHECK(info.status == SubOrderStatus::received);
    CHECK(info.deadline == receive_by + days(7));
    // Long after: completion, dated from the deadline, not from when tick ran.
    w.clock->advance(days(30));
    CHECK(w.market.tick(w.clock->now()).orders == OrdersTickReport{0, 0, 1});
    info = w.orders().sub_order(World::sys(), sub_order);
    CHECK(info.status == SubOrderStatus::completed);
    CHECK_FALSE(info.deadline);
    CHECK(info.received_at == receive_by);
    CHECK(info.completed_at == receive_by + days(7));
    CHECK(info.review_until == receive_by + days(7) + days(15));
    // The other shop's sub-order is still waiting to ship.
    CHECK(w.sub_order_of(order, w.other_shop).status == SubOrderStatus::paid);
}

TEST_CASE("deadlines: one tick catches up a receipt and its completion; options out of range are refused") {
    Trading w;
    const auto order = w.paid_order(w.customer);
    const auto sub_order = w.sub_order_of(order, w.other_shop).id;
    w.orders().ship(World::as(w.other_staff), sub_order, shipment());
    w.clock->advance(days(365));
    CHECK(w.market.tick(w.clock->now()).orders == OrdersTickReport{0, 1, 1});
    const auto late = w.orders().sub_order(World::sys(), sub_order);
    CHECK(late.received_at == *late.shipped_at + days(10));  // dated from the deadlines, a year before the tick
    CHECK(late.completed_at == *late.shipped_at + days(17));

    auto options = fast_options(w.clock);
    options.payment_timeout = std::chrono::hours(24 * 31);
    CHECK(error_of([&] { Marketplace::in_memory(options); }) == Errc::invalid_argument);
    options.payment_timeout = Duration::zero();
    CHECK(error_of([&] { Marketplace::in_memory(options); }) == Errc::invalid_argument);
    options = fast_options(w.clock);
    options.shipping_fee_per_shop = cny("-1.00");
    CHECK(error_of([&] { Marketplace::in_memory(options); }) == Errc::invalid_argument);
    options.shipping_fee_per_shop = cny("8.00");
    options.free_shipping_from = Money::parse("50", Currency::of("USD"));
    CHECK(error_of([&] { Marketplace::in_memory(options); }) == Errc::currency_mismatch);
}

TEST_CASE("shipping: partial shipments, then the rest; every shipment is kept") {
    Trading w;
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 3}, {w.shirt_skus[1], 1}});
    w.pay(order, w.customer);
    const auto id = w.sub_order_of(order, w.active).id;
    CHECK(w.orders().ship(World::as(w.staff), id, shipment({{w.shirt_skus[0], 1}, {w.shirt_skus[0], 1}})) == 1);
    auto info = w.orders().sub_order(World::sys(), id);
    CHECK(info.status == SubOrderStatus::partially_shipped);
    CHECK(info.lines[0].shipped == 2);
    CHECK_FALSE(info.shipped_at);
    CHECK_FALSE(info.deadline);
    CHECK(error_of([&] { w.orders().ship(World::as(w.staff), id, shipment({{w.shirt_skus[0], 2}})); }) ==
          Errc::invalid_argument);  // one left
    CHECK(error_of([&] { w.orders().ship(World::as(w.staff), id, shipment({{w.atlas, 1}})); }) ==
          Errc::invalid_argument);  // not in this sub-order
    CHECK(error_of([&] { w.orders().ship(World::as(w.staff), id, shipment({{w.shirt_skus[0], 0}})); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.orders().ship(World::as(w.staff), id, {"SF", "bad number!", {}}); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.orders().ship(World::as(w.staff), id, {"", "SF1", {}}); }) == Errc::invalid_argument);
    // A partially shipped sub-order can no longer be cancelled.
    CHECK(error_of([&] { w.orders().cancel(World::as(w.customer), id, "too slow"); }) == Errc::invalid_state);
    CHECK(w.orders().ship(World::as(w.owner), id, shipment()) == 2);
    info = w.orders().sub_order(World::sys(), id);
    CHECK(info.status == SubOrderStatus::shipped);
    REQUIRE(info.shipments.size() == 2);
    CHECK(info.shipments[0].lines == std::vector<ShippedLine>{{w.shirt_skus[0], 2}});
    CHECK(info.shipments[1].lines == std::vector<ShippedLine>{{w.shirt_skus[0], 1}, {w.shirt_skus[1], 1}});
    CHECK(info.shipments[1].carrier == "SF Express");
    CHECK(info.lines[1].shipped == 1);
}

TEST_CASE("cancel: the buyer cancels an unpaid order as a whole; stock is released") {
    Trading w;
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}});
    const auto info = w.orders().order(World::sys(), order);
    CHECK(error_of([&] { w.orders().cancel(World::as(w.customer), info.sub_orders[0].id, ""); }) ==
          Errc::invalid_argument);
    w.orders().cancel(World::as(w.customer), info.sub_orders[0].id, "found it cheaper");
    const auto after = w.orders().order(World::sys(), order);
    CHECK(after.status == PaymentOrderStatus::cancelled);
    for (const auto& sub_order : after.sub_orders) {
        CHECK(sub_order.status == SubOrderStatus::cancelled);
        CHECK(sub_order.cancel_cause == CancelCause::buyer);
        CHECK(sub_order.cancel_reason == "found it cheaper");
    }
    CHECK(w.stock_of(w.shirt_skus[0]).reserved == 0);
    CHECK(w.stock_of(w.atlas).reserved == 0);
}

TEST_CASE("visibility: orders are the buyer's, sub-orders also their shop's, all of them platform staff's") {
    Trading w;
    const auto order = w.paid_order(w.customer);
    const auto mine = w.sub_order_of(order, w.active).id;
    const auto theirs = w.sub_order_of(order, w.other_shop).id;
    auto& orders = w.orders();
    const auto me = World::as(w.customer), buyer = World::as(w.buyer), staff = World::as(w.staff),
               other_staff = World::as(w.other_staff), op = World::as(w.op);

    CHECK(orders.order(me, order).id == order);
    CHECK(orders.order(op, order).id == order);
    CHECK(error_of([&] { orders.order(buyer, order); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.order(staff, order); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.order(me, PaymentOrderId{999}); }) == Errc::not_found);

    CHECK(orders.sub_order(staff, mine).shop == w.active);
    CHECK(orders.sub_order(me, mine).shop == w.active);
    CHECK(error_of([&] { orders.sub_order(staff, theirs); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.sub_order(other_staff, mine); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.sub_order(buyer, mine); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.sub_order(World::as(w.disabled), mine); }) == Errc::forbidden);

    // Commands on another shop's or customer's orders.
    CHECK(error_of([&] { orders.ship(other_staff, mine, shipment()); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.ship(op, mine, shipment()); }) == Errc::forbidden);  // staff do not ship
    CHECK(error_of([&] { orders.ship(me, mine, shipment()); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.cancel(other_staff, mine, "not mine"); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.cancel(buyer, mine, "not mine"); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.refund(other_staff, mine, {{w.shirt_skus[0], cny("1.00")}}, "no"); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { orders.refund(me, mine, {{w.shirt_skus[0], cny("1.00")}}, "please"); }) == Errc::forbidden);
    orders.ship(staff, mine, shipment());
    CHECK(error_of([&] { orders.confirm_receipt(buyer, mine); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.confirm_receipt(staff, mine); }) == Errc::forbidden);

    // Lists.
    CHECK(orders.sub_orders_of_shop(staff, w.active).size() == 1);
    CHECK(error_of([&] { orders.sub_orders_of_shop(other_staff, w.active); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.sub_orders_of_shop(op, ShopId{999}); }) == Errc::not_found);
    CHECK(error_of([&] { orders.orders_of(buyer, w.customer); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.sub_orders_of_customer(staff, w.customer); }) == Errc::forbidden);
    CHECK(error_of([&] { orders.sub_orders(staff); }) == Errc::forbidden);
    CHECK(orders.sub_orders(op).size() == 2);

    // Audit trails follow the same lines; a shop's trail of its SKUs shows only its own sub-order.
    CHECK_FALSE(w.market.audit(me, EntityRef::of(order)).empty());
    CHECK_FALSE(w.market.audit(staff, EntityRef::of(mine)).empty());
    CHECK(error_of([&] { w.market.audit(other_staff, EntityRef::of(mine)); }) == Errc::forbidden);
    CHECK(error_of([&] { w.market.audit(buyer, EntityRef::of(order)); }) == Errc::forbidden);
    CHECK(error_of([&] { w.market.audit(staff, EntityRef::of(order)); }) == Errc::forbidden);
    for (const auto& entry : w.market.audit(staff, EntityRef::of(w.shirt_skus[0])))
        CHECK(entry.details.find(fmt::format("\"sub_order\":{}", theirs.value)) == std::string::npos);
}

TEST_CASE("queries: newest first, by status and placing time, with paging") {
    Trading w;
    std::vector<PaymentOrderId> placed;
    for (int i = 0; i < 5; ++i) placed.push_back(w.buy(w.customer, {{w.atlas, 1}}));
    w.pay(placed[1], w.customer);
    w.pay(placed[3], w.customer);
    const auto me = World::as(w.customer);
    auto& orders = w.orders();
    const auto all = orders.orders_of(me, w.customer);
    REQUIRE(all.size() == 5);
    CHECK(all.front().id == placed[4]);
    CHECK(all.back().id == placed[0]);
    const auto paid = orders.orders_of(me, w.customer, OrderFilter{PaymentOrderStatus::paid, {}, {}});
    REQUIRE(paid.size() == 2);
    CHECK(paid[0].id == placed[3]);
    CHECK(paid[0].paid == paid[0].total);
    const auto page = orders.orders_of(me, w.customer, {}, Page{1, 2});
    REQUIRE(page.size() == 2);
    CHECK(page[0].id == placed[3]);
    CHECK(page[1].id == placed[2]);
    const auto from = orders.order(me, placed[1]).placed_at;
    const auto before = orders.order(me, placed[3]).placed_at;
    const auto window = orders.orders_of(me, w.customer, OrderFilter{{}, from, before});
    REQUIRE(window.size() == 2);
    CHECK(window[0].id == placed[2]);
    CHECK(window[1].id == placed[1]);
    CHECK(error_of([&] { orders.orders_of(me, w.customer, OrderFilter{{}, before, from}); }) == Errc::invalid_argument);
    CHECK(error_of([&] { orders.orders_of(me, w.customer, {}, Page{0, 0}); }) == Errc::invalid_argument);

    const auto shop_paid = orders.sub_orders_of_shop(World::as(w.other_owner), w.other_shop,
                                                     SubOrderFilter{SubOrderStatus::paid, {}, {}});
    REQUIRE(shop_paid.size() == 2);
    CHECK(shop_paid[0].order == placed[3]);
    const auto pending = orders.sub_orders(World::as(w.op), SubOrderFilter{SubOrderStatus::pending_payment, {}, {}});
    CHECK(pending.size() == 3);
    CHECK(orders.sub_orders_of_customer(me, w.customer, {}, Page{4, 10}).size() == 1);
    CHECK(orders.orders_of(World::as(w.buyer), w.buyer).empty());
}
