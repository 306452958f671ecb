// Checkout and payment with the SandboxProvider: paying, declines, timeouts and retries under
// one key, duplicate and forged notifications, payments the order cannot take, and refunds
// that never return more than a line's paid share.
#include <doctest/doctest.h>

#include <algorithm>

#include "payment/notification.hpp"
#include "support/errors.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

// A signed notification of `event`, as the sandbox would send it.
Notification forged(const Trading& w, PaymentEvent event) {
    return w.sandbox->sign(detail::encode_event(event), w.clock->now());
}

PaymentEvent capture_of(const PaymentStart& start, PaymentOrderId order, Money amount, std::string event_id) {
    return PaymentEvent{std::move(event_id), PaymentEventKind::captured, start.provider_payment_id, order,
                        std::nullopt, amount, Timestamp{}};
}

std::size_t events_named(Trading& w, EntityRef entity, std::string_view name) {
    const auto trail = w.market.audit(World::sys(), entity);
    return static_cast<std::size_t>(std::count_if(trail.begin(), trail.end(), [&](const auto& e) { return e.event == name; }));
}

}  // namespace

TEST_CASE("payment: place, pay, the provider's notification, paid: stock is committed") {
    Trading w;
    const auto me = World::as(w.customer);
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}});
    const auto start = w.orders().pay(me, order, "sandbox");
    CHECK(start.order == order);
    CHECK(start.attempt == 1);
    CHECK(start.provider == "sandbox");
    CHECK(start.action.kind == ClientAction::Kind::redirect);
    CHECK(start.action.payload == "https://sandbox.souk.invalid/pay/" + start.provider_payment_id);
    CHECK(start.status == PaymentStatus::pending);
    auto info = w.orders().order(me, order);
    REQUIRE(info.attempts.size() == 1);
    CHECK(info.attempts[0].status == PaymentAttemptStatus::open);
    CHECK(info.attempts[0].provider_payment_id == start.provider_payment_id);
    CHECK(info.status == PaymentOrderStatus::pending_payment);
    // Asking again returns the same payment: nothing new is opened.
    CHECK(w.orders().pay(me, order, "sandbox") == start);
    CHECK(w.sandbox->intent_count() == 1);
    CHECK(w.sandbox->payments_of(order).at(0).amount == cny("243.50"));

    w.sandbox->complete_payment(start.provider_payment_id);
    w.sandbox->deliver_all();
    REQUIRE(w.notified.size() == 1);
    CHECK(w.notified[0] == NotificationResult{NotificationOutcome::applied, order, std::nullopt});
    info = w.orders().order(me, order);
    CHECK(info.status == PaymentOrderStatus::paid);
    CHECK(info.paid == cny("243.50"));
    CHECK(info.paid_at);
    CHECK(info.attempts[0].status == PaymentAttemptStatus::captured);
    for (const auto& sub_order : info.sub_orders) {
        CHECK(sub_order.status == SubOrderStatus::paid);
        CHECK_FALSE(sub_order.deadline);
    }
    const auto shirt = w.stock_of(w.shirt_skus[0]);
    CHECK(shirt.on_hand == 8);
    CHECK(shirt.reserved == 0);
    CHECK(shirt.sold == 2);
    CHECK(w.stock_of(w.atlas).sold == 1);
    CHECK(w.inventory().reservations(World::sys(), w.active, ReservationStatus::committed).size() == 1);
    CHECK(error_of([&] { w.orders().pay(me, order, "sandbox"); }) == Errc::invalid_state);
    CHECK(w.sandbox->charge_count() == 1);
}

TEST_CASE("payment: who may pay, with what, and until when") {
    Trading w;
    const auto order = w.buy(w.customer, {{w.atlas, 1}});
    CHECK(error_of([&] { w.orders().pay(World::as(w.buyer), order, "sandbox"); }) == Errc::forbidden);
    CHECK(error_of([&] { w.orders().pay(World::as(w.op), order, "sandbox"); }) == Errc::forbidden);
    CHECK(error_of([&] { w.orders().pay(World::as(w.customer), order, "nowhere"); }) == Errc::not_found);
    CHECK(error_of([&] { w.orders().pay(World::as(w.customer), PaymentOrderId{99}, "sandbox"); }) == Errc::not_found);
    CHECK(error_of([&] { w.market.register_payment_provider("sandbox", w.sandbox); }) == Errc::already_exists);
    CHECK(error_of([&] { w.market.register_payment_provider("Sand Box", w.sandbox); }) == Errc::invalid_argument);
    CHECK(error_of([&] { w.market.register_payment_provider("empty", nullptr); }) == Errc::invalid_argument);
    w.clock->advance(std::chrono::minutes(30));
    CHECK(error_of([&] { w.orders().pay(World::as(w.customer), order, "sandbox"); }) == Errc::invalid_state);
    CHECK(w.sandbox->intent_count() == 0);
}

TEST_CASE("payment: a declined attempt makes way for a new one, with a new key") {
    Trading w;
    const auto me = World::as(w.customer);
    const auto order = w.buy(w.customer, {{w.atlas, 2}});
    w.sandbox->set_behavior(order, SandboxBehavior{.payment = SandboxOutcome::decline});
    const auto first = w.orders().pay(me, order, "sandbox");
    w.sandbox->complete_payment(first.provider_payment_id);
    w.sandbox->deliver_all();
    CHECK(w.notified.at(0).outcome == NotificationOutcome::applied);
    auto info = w.orders().order(me, order);
    CHECK(info.status == PaymentOrderStatus::pending_payment);
    CHECK(info.attempts.at(0).status == PaymentAttemptStatus::declined);
    CHECK(w.stock_of(w.atlas).reserved == 2);

    w.sandbox->set_behavior(order, SandboxBehavior{});
    const auto second = w.orders().pay(me, order, "sandbox");
    CHECK(second.attempt == 2);
    CHECK(second.provider_payment_id != first.provider_payment_id);
    w.sandbox->complete_payment(second.provider_payment_id);
    w.sandbox->deliver_all();
    info = w.orders().order(me, order);
    CHECK(info.status == PaymentOrderStatus::paid);
    REQUIRE(info.attempts.size() == 2);
    CHECK(info.attempts[0].idempotency_key != info.attempts[1].idempotency_key);
    CHECK(info.attempts[1].status == PaymentAttemptStatus::captured);
    CHECK(w.sandbox->charge_count() == 1);
}

TEST_CASE("payment: an order can be declined only so many times") {
    Trading w;
    const auto me = World::as(w.customer);
    const auto order = w.buy(w.customer, {{w.atlas, 1}});
    w.sandbox->set_behavior(order, SandboxBehavior{.payment = SandboxOutcome::decline});
    for (std::size_t i = 0; i < Orders::max_payment_attempts; ++i) {
        w.sandbox->complete_payment(w.orders().pay(me, order, "sandbox").provider_payment_id);
        w.sandbox->deliver_all();
    }
    CHECK(error_of([&] { w.orders().pay(me, order, "sandbox"); }) == Errc::limit_exceeded);
    CHECK(w.orders().order(me, order).attempts.size() == Orders::max_payment_attempts);
}

TEST_CASE("payment: after a timeout the retry reuses the attempt's key; no second payment is opened") {
    Trading w;
    auto backup = std::make_shared<SandboxProvider>(sandbox_secret, w.clock);
    w.market.register_payment_provider("backup", backup);
    const auto me = World::as(w.customer);
    const auto order = w.buy(w.customer, {{w.atlas, 1}});
    w.sandbox->set_behavior(order, SandboxBehavior{.payment = SandboxOutcome::timeout});
    CHECK(error_of([&] { w.orders().pay(me, order, "sandbox"); }) == Errc::payment_failed);
    auto info = w.orders().order(me, order);
    REQUIRE(info.attempts.size() == 1);
    CHECK(info.attempts[0].status == PaymentAttemptStatus::started);
    CHECK(info.attempts[0].provider_payment_id.empty());
    CHECK(info.status == PaymentOrderStatus::pending_payment);
    // The attempt's outcome is unknown: another provider must wait.
    CHECK(error_of([&] { w.orders().pay(me, order, "backup"); }) == Errc::conflict);
    CHECK(backup->intent_count() == 0);

    const auto retry = w.orders().pay(me, order, "sandbox");
    CHECK(retry.attempt == 1);
    CHECK(w.sandbox->intent_count() == 1);
    info = w.orders().order(me, order);
    CHECK(info.attempts.size() == 1);
    CHECK(info.attempts[0].status == PaymentAttemptStatus::open);
    CHECK(info.attempts[0].provider_payment_id == retry.provider_payment_id);

    w.sandbox->complete_payment(retry.provider_payment_id);
    CHECK(w.sandbox->deliver_all().empty());  // the capture's notification is held back
    CHECK(w.orders().order(me, order).status == PaymentOrderStatus::pending_payment);
    w.sandbox->release_held_notifications();
    w.sandbox->deliver_all();
    CHECK(w.orders().order(me, order).status == PaymentOrderStatus::paid);
    CHECK(w.sandbox->charge_count() == 1);
}

TEST_CASE("payment: a duplicate notification changes nothing") {
    Trading w;
    const auto order = w.buy(w.customer, {{w.atlas, 1}});
    w.sandbox->set_behavior(order, SandboxBehavior{.duplicate_notifications = true});
    const auto start = w.orders().pay(World::as(w.customer), order, "sandbox");
    w.sandbox->complete_payment(start.provider_payment_id);
    const auto notifications = w.sandbox->pending_notifications();
    REQUIRE(notifications.size() == 2);
    w.sandbox->deliver_all();
    REQUIRE(w.notified.size() == 2);
    CHECK(w.notified[0].outcome == NotificationOutcome::applied);
    CHECK(w.notified[1] == NotificationResult{NotificationOutcome::duplicate, order, std::nullopt});
    const auto position = w.market.journal_position();
    const auto before = w.orders().order(World::sys(), order);
    CHECK(w.orders().handle_notification("sandbox", notifications[0]).outcome == NotificationOutcome::duplicate);
    CHECK(w.market.journal_position() == position);
    CHECK(w.orders().order(World::sys(), order) == before);
    CHECK(events_named(w, EntityRef::of(order), "PaymentCaptured") == 1);
    CHECK(w.stock_of(w.atlas).sold == 1);
}

TEST_CASE("payment: a capture of another amount or currency raises an alert and pays nothing") {
    Trading w;
    const auto me = World::as(w.customer);
    const auto order = w.buy(w.customer, {{w.atlas, 2}});
    const auto start = w.orders().pay(me, order, "sandbox");
    const auto short_paid = capture_of(start, order, cny("90.99"), "evt_short");
    auto result = w.orders().handle_notification("sandbox", forged(w, short_paid));
    CHECK(result == NotificationResult{NotificationOutcome::alert, order, std::nullopt});
    const auto in_dollars = capture_of(start, order, Money::parse("91.00", Currency::of("USD")), "evt_dollars");
    CHECK(w.orders().handle_notification("sandbox", forged(w, in_dollars)).outcome == NotificationOutcome::alert);
    auto info = w.orders().order(me, order);
    CHECK(info.status == PaymentOrderStatus::pending_payment);
    CHECK(info.attempts.at(0).status == PaymentAttemptStatus::open);
    CHECK(w.stock_of(w.atlas).reserved == 2);
    CHECK(w.stock_of(w.atlas).sold == 0);
    const auto alerts = w.orders().payment_alerts(World::as(w.op));
    REQUIRE(alerts.size() == 2);
    CHECK(alerts[0].number == 1);
    CHECK(alerts[0].reason == PaymentAlertReason::amount_mismatch);
    CHECK(alerts[0].provider == "sandbox");
    CHECK(alerts[0].event.provider_event_id == "evt_short");
    CHECK(alerts[0].event.amount == cny("90.99"));
    CHECK(alerts[0].details.find("91.00 CNY") != std::string::npos);
    CHECK(alerts[1].reason == PaymentAlertReason::amount_mismatch);
    // The same alert delivered again is a duplicate, not a second alert.
    CHECK(w.orders().handle_notification("sandbox", forged(w, short_paid)).outcome == NotificationOutcome::duplicate);
    CHECK(w.orders().payment_alerts(World::as(w.op)).size() == 2);
    CHECK(error_of([&] { w.orders().payment_alerts(World::as(w.customer)); }) == Errc::forbidden);
    // The real payment still goes through.
    w.sandbox->complete_payment(start.provider_payment_id);
    w.sandbox->deliver_all();
    CHECK(w.orders().order(me, order).status == PaymentOrderStatus::paid);
}

TEST_CASE("payment: notifications the engine cannot place are alerts; unauthentic ones change nothing") {
    Trading w;
    const auto order = w.buy(w.customer, {{w.atlas, 1}});
    const auto start = w.orders().pay(World::as(w.customer), order, "sandbox");
    auto unknown_order = capture_of(start, PaymentOrderId{999}, cny("45.50"), "evt_a");
    auto result = w.orders().handle_notification("sandbox", forged(w, unknown_order));
    CHECK(result == NotificationResult{NotificationOutcome::alert, PaymentOrderId{}, std::nullopt});
    auto stranger = capture_of(start, order, cny("45.50"), "evt_b");
    stranger.provider_payment_id = "pay_not_ours";
    CHECK(w.orders().handle_notification("sandbox", forged(w, stranger)).outcome == NotificationOutcome::alert);
    PaymentEvent refund{"evt_c", PaymentEventKind::refunded, start.provider_payment_id, order,
                        RefundReference{"re_x", "souk-refund-77"}, cny("1.00"), Timestamp{}};
    CHECK(w.orders().handle_notification("sandbox", forged(w, refund)).outcome == NotificationOutcome::alert);
    const auto alerts = w.orders().payment_alerts(World::as(w.admin));
    REQUIRE(alerts.size() == 3);
    CHECK(alerts[0].reason == PaymentAlertReason::unknown_order);
    CHECK(alerts[1].reason == PaymentAlertReason::unknown_payment);
    CHECK(alerts[2].reason == PaymentAlertReason::unknown_refund);
    CHECK(alerts[2].event.refund == RefundReference{"re_x", "souk-refund-77"});
    CHECK(w.orders().payment_alerts(World::as(w.admin), Page{1, 1}).at(0).number == 2);

    const auto position = w.market.journal_position();
    auto tampered = forged(w, capture_of(start, order, cny("45.50"), "evt_d"));
    tampered.body.replace(tampered.body.find("4550"), 4, "4551");  // amounts travel in minor units
    CHECK(error_of([&] { w.orders().handle_notification("sandbox", tampered); }) == Errc::unauthenticated);
    CHECK(error_of([&] { w.orders().handle_notification("paypal", forged(w, stranger)); }) == Errc::not_found);
    CHECK(w.market.journal_position() == position);
    CHECK(w.orders().order(World::sys(), order).status == PaymentOrderStatus::pending_payment);
}

TEST_CASE("payment: money for a cancelled order is recorded and refunded automatically") {
    Trading w;
    const auto me = World::as(w.customer);
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 1}, {w.atlas, 1}});
    const auto start = w.orders().pay(me, order, "sandbox");
    w.orders().cancel(me, w.orders().order(me, order).sub_orders[0].id, "ordered by mistake");
    w.sandbox->complete_payment(start.provider_payment_id);  // the payer paid anyway
    w.sandbox->deliver_all();
    REQUIRE(w.notified.size() == 2);
    CHECK(w.notified[0].outcome == NotificationOutcome::refunding);
    REQUIRE(w.notified[0].refund);
    CHECK(w.notified[1].outcome == NotificationOutcome::applied);  // the refund's own notification
    const auto info = w.orders().order(me, order);
    CHECK(info.status == PaymentOrderStatus::cancelled);
    CHECK(info.paid == cny("0.00"));
    CHECK(info.attempts[0].status == PaymentAttemptStatus::captured);
    REQUIRE(info.reversals.size() == 1);
    const auto& reversal = info.reversals[0];
    CHECK(reversal.id == *w.notified[0].refund);
    CHECK(reversal.kind == RefundKind::reversal);
    CHECK(reversal.amount == cny("144.50"));
    CHECK(reversal.state == RefundState::succeeded);
    CHECK_FALSE(reversal.sub_order);
    CHECK(reversal.requested_by == UserId{});
    CHECK(reversal.provider_payment_id == start.provider_payment_id);
    const auto at_provider = w.sandbox->payment(start.provider_payment_id);
    CHECK(at_provider.refunded == cny("144.50"));
    CHECK(at_provider.refunds.size() == 1);
    CHECK(w.stock_of(w.shirt_skus[0]).sold == 0);
    CHECK(w.stock_of(w.shirt_skus[0]).available == 10);
    CHECK(w.orders().refund_info(me, reversal.id) == reversal);
    CHECK(error_of([&] { w.orders().refund_info(World::as(w.buyer), reversal.id); }) == Errc::forbidden);
}

TEST_CASE("payment: a payment after the deadline cancels the order and is refunded, even before tick") {
    Trading w;
    const auto me = World::as(w.customer);
    const auto order = w.buy(w.customer, {{w.atlas, 1}});
    const auto start = w.orders().pay(me, order, "sandbox");
    w.clock->advance(std::chrono::minutes(31));
    w.sandbox->complete_payment(start.provider_payment_id);
    w.sandbox->deliver_all();
    CHECK(w.notified.at(0).outcome == NotificationOutcome::refunding);
    const auto info = w.orders().order(me, order);
    CHECK(info.status == PaymentOrderStatus::cancelled);
    CHECK(info.sub_orders[0].cancel_cause == CancelCause::payment_timeout);
    CHECK(info.reversals.at(0).state == RefundState::succeeded);
    CHECK(w.stock_of(w.atlas).reserved == 0);
    CHECK(w.stock_of(w.atlas).sold == 0);
    CHECK(w.market.tick(w.clock->now()).orders == OrdersTickReport{});
}

TEST_CASE("payment: a second successful payment is reversed; a provider that refuses the reversal leaves it failed") {
    Trading w;
    const auto me = World::as(w.customer);
    const auto order = w.buy(w.customer, {{w.atlas, 1}});
    w.sandbox->set_behavior(order, SandboxBehavior{.payment = SandboxOutcome::decline});
    const auto first = w.orders().pay(me, order, "sandbox");
    w.sandbox->complete_payment(first.provider_payment_id);
    w.sandbox->deliver_all();
    w.sandbox->set_behavior(order, SandboxBehavior{});
    w.pay(order, w.customer);
    REQUIRE(w.orders().order(me, order).status == PaymentOrderStatus::paid);
    // The provider now says the first attempt was captured after all.
    const auto result = w.orders().handle_notification("sandbox", forged(w, capture_of(first, order, cny("45.50"), "evt_late")));
    CHECK(result.outcome == NotificationOutcome::refunding);
    const auto info = w.orders().order(me, order);
    CHECK(info.status == PaymentOrderStatus::paid);
    CHECK(info.paid_at);
    CHECK(info.attempts[0].status == PaymentAttemptStatus::captured);
    REQUIRE(info.reversals.size() == 1);
    CHECK(info.reversals[0].reason.find("already paid by attempt 2") != std::string::npos);
    // The sandbox knows the first payment as declined and refuses to refund it: nothing moved.
    CHECK(info.reversals[0].state == RefundState::failed);
    CHECK(w.sandbox->payment(first.provider_payment_id).refunds.empty());
    // A decline reported after a capture is an alert.
    PaymentEvent decline{"evt_decline", PaymentEventKind::declined, first.provider_payment_id, order, std::nullopt,
                         cny("45.50"), Timestamp{}};
    CHECK(w.orders().handle_notification("sandbox", forged(w, decline)).outcome == NotificationOutcome::alert);
    CHECK(w.orders().payment_alerts(World::as(w.op)).at(0).reason == PaymentAlertReason::contradiction);
}

TEST_CASE("refunds: partial and full, never above a line's paid share") {
    Trading w;
    const auto order = w.paid_order(w.customer);  // 2 shirts at 99.00 from `active`, 1 atlas from other_shop
    const auto shirts = w.sub_order_of(order, w.active).id;
    const auto books = w.sub_order_of(order, w.other_shop).id;
    const auto staff = World::as(w.staff);
    const auto payment = w.orders().order(World::sys(), order).attempts.at(0).provider_payment_id;

    const auto first = w.orders().refund(staff, shirts, {{w.shirt_skus[0], cny("50.00")}}, "scratched");
    auto refund = w.orders().refund_info(staff, first);
    CHECK(refund.state == RefundState::submitted);
    CHECK(refund.kind == RefundKind::lines);
    CHECK(refund.amount == cny("50.00"));
    CHECK(refund.requested_by == w.staff);
    CHECK(refund.idempotency_key.find(fmt::format("souk-refund-{}-", first.value)) == 0);
    auto sub_order = w.orders().sub_order(staff, shirts);
    CHECK(sub_order.refunded == cny("50.00"));
    CHECK(sub_order.lines[0].refunded == cny("50.00"));
    CHECK(sub_order.status == SubOrderStatus::paid);  // a refund is no transition
    w.sandbox->deliver_all();
    CHECK(w.orders().refund_info(staff, first).state == RefundState::succeeded);

    const auto refused = [&](auto&& f) {
        const auto position = w.market.journal_position();
        const auto code = error_of(f);
        CHECK(w.market.journal_position() == position);
        return code;
    };
    CHECK(refused([&] { w.orders().refund(staff, shirts, {{w.shirt_skus[0], cny("148.01")}}, "too much"); }) ==
          Errc::limit_exceeded);
    CHECK(refused([&] { w.orders().refund(staff, shirts, {{w.shirt_skus[0], cny("0.00")}}, "nothing"); }) ==
          Errc::invalid_argument);
    CHECK(refused([&] {
        w.orders().refund(staff, shirts, {{w.shirt_skus[0], cny("1.00")}, {w.shirt_skus[0], cny("1.00")}}, "twice");
    }) == Errc::invalid_argument);
    CHECK(refused([&] { w.orders().refund(staff, shirts, {{w.atlas, cny("1.00")}}, "not here"); }) ==
          Errc::invalid_argument);
    CHECK(refused([&] { w.orders().refund(staff, shirts, {}, "empty"); }) == Errc::invalid_argument);
    CHECK(refused([&] { w.orders().refund(staff, shirts, {{w.shirt_skus[0], cny("1.00")}}, ""); }) ==
          Errc::invalid_argument);
    CHECK(refused([&] {
        w.orders().refund(staff, shirts, {{w.shirt_skus[0], Money::parse("1", Currency::of("USD"))}}, "dollars");
    }) == Errc::currency_mismatch);

    const auto rest = w.orders().refund_all(staff, shirts, "returned");
    CHECK(w.orders().refund_info(staff, rest).amount == cny("148.00"));
    CHECK(refused([&] { w.orders().refund_all(staff, shirts, "again"); }) == Errc::invalid_state);
    CHECK(refused([&] { w.orders().refund(staff, shirts, {{w.shirt_skus[0], cny("0.01")}}, "a cent"); }) ==
          Errc::limit_exceeded);
    // Platform staff may refund too.
    w.orders().refund(World::as(w.op), books, {{w.atlas, cny("45.50")}}, "lost in transit");
    w.sandbox->deliver_all();
    const auto info = w.orders().order(World::sys(), order);
    CHECK(info.refunded == cny("243.50"));
    CHECK(info.refunded <= info.paid);
    CHECK(w.sandbox->payment(payment).refunded == cny("243.50"));
    for (const auto& s : info.sub_orders)
        for (const auto& line : s.lines) CHECK(line.refunded == line.paid_share);
}

TEST_CASE("refunds: a failed refund gives its amount back; a timed-out one is resent under its own key") {
    Trading w;
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active).id;
    const auto owner = World::as(w.owner);
    const auto payment = w.orders().order(World::sys(), order).attempts.at(0).provider_payment_id;

    w.sandbox->set_behavior(order, SandboxBehavior{.refund = SandboxOutcome::decline});
    const auto failing = w.orders().refund(owner, shirts, {{w.shirt_skus[0], cny("198.00")}}, "defective");
    w.sandbox->deliver_all();
    CHECK(w.orders().refund_info(owner, failing).state == RefundState::failed);
    CHECK(w.orders().sub_order(owner, shirts).refunded == cny("0.00"));
    CHECK(w.orders().sub_order(owner, shirts).lines[0].refunded == cny("0.00"));
    // A success reported for a failed refund contradicts it.
    const auto failed = w.orders().refund_info(owner, failing);
    PaymentEvent contradiction{"evt_contra", PaymentEventKind::refunded, payment, order,
                               RefundReference{failed.provider_refund_id, failed.idempotency_key}, cny("198.00"),
                               Timestamp{}};
    CHECK(w.orders().handle_notification("sandbox", forged(w, contradiction)).outcome == NotificationOutcome::alert);
    CHECK(w.orders().refund_info(owner, failing).state == RefundState::failed);

    w.sandbox->set_behavior(order, SandboxBehavior{.refund = SandboxOutcome::timeout});
    const auto slow = w.orders().refund(owner, shirts, {{w.shirt_skus[0], cny("198.00")}}, "defective");
    CHECK(w.orders().refund_info(owner, slow).state == RefundState::requested);
    CHECK(w.orders().sub_order(owner, shirts).refunded == cny("198.00"));  // in flight counts
    CHECK(error_of([&] { w.orders().refund(owner, shirts, {{w.shirt_skus[0], cny("0.01")}}, "more"); }) ==
          Errc::limit_exceeded);
    CHECK(w.orders().send_pending_refunds() == 1);
    CHECK(w.orders().send_pending_refunds() == 0);
    CHECK(w.orders().refund_info(owner, slow).state == RefundState::submitted);
    w.sandbox->release_held_notifications();
    w.sandbox->deliver_all();
    CHECK(w.orders().refund_info(owner, slow).state == RefundState::succeeded);
    const auto at_provider = w.sandbox->payment(payment);
    CHECK(at_provider.refunded == cny("198.00"));
    CHECK(at_provider.refunds.size() == 2);  // the failed one and the slow one, each once
}

TEST_CASE("refunds: only paid sub-orders that are not completed") {
    Trading w;
    const auto unpaid = w.buy(w.customer, {{w.atlas, 1}});
    const auto pending = w.orders().order(World::sys(), unpaid).sub_orders[0].id;
    CHECK(error_of([&] { w.orders().refund_all(World::as(w.other_owner), pending, "why"); }) == Errc::invalid_state);
    const auto order = w.paid_order(w.customer);
    const auto books = w.sub_order_of(order, w.other_shop).id;
    w.orders().ship(World::as(w.other_owner), books, ShipmentRequest{"EMS", "EE123", {}});
    w.orders().confirm_receipt(World::as(w.customer), books);
    w.orders().refund(World::as(w.other_owner), books, {{w.atlas, cny("5.00")}}, "late");  // received: still open
    w.clock->advance(std::chrono::hours(24 * 8));
    w.market.tick(w.clock->now());
    CHECK(error_of([&] { w.orders().refund_all(World::as(w.other_owner), books, "too late"); }) == Errc::invalid_state);
}

TEST_CASE("cancel: a paid sub-order cancelled before shipping is refunded in full, shipping included") {
    Trading w;
    auto options = fast_options(w.clock);
    options.shipping_fee_per_shop = cny("8.00");
    w.reopen(options);
    const auto order = w.paid_order(w.customer);  // shirts 198.00 + 8.00, atlas 45.50 + 8.00
    const auto shirts = w.sub_order_of(order, w.active).id;
    const auto books = w.sub_order_of(order, w.other_shop).id;
    w.orders().refund(World::as(w.owner), shirts, {{w.shirt_skus[0], cny("10.00")}}, "goodwill");
    w.orders().cancel(World::as(w.owner), shirts, "cannot source the colour");
    w.sandbox->deliver_all();
    const auto info = w.orders().sub_order(World::as(w.customer), shirts);
    CHECK(info.status == SubOrderStatus::cancelled);
    CHECK(info.cancel_cause == CancelCause::seller);
    REQUIRE(info.refunds.size() == 2);
    CHECK(info.refunds[1].kind == RefundKind::cancellation);
    CHECK(info.refunds[1].amount == cny("196.00"));
    CHECK(info.refunds[1].shipping == cny("8.00"));
    CHECK(info.refunds[1].state == RefundState::succeeded);
    CHECK(info.refunded == info.payable);
    CHECK(info.shipping_refunded == cny("8.00"));
    const auto shirt = w.stock_of(w.shirt_skus[0]);  // the units are back on hand
    CHECK(shirt.on_hand == 10);
    CHECK(shirt.available == 10);
    CHECK(shirt.sold == 2);
    // The buyer cancels the other; a cancelled one cannot be cancelled again.
    w.orders().cancel(World::as(w.customer), books, "no longer needed");
    CHECK(w.orders().sub_order(World::sys(), books).cancel_cause == CancelCause::buyer);
    CHECK(error_of([&] { w.orders().cancel(World::as(w.op), books, "again"); }) == Errc::invalid_state);
    w.sandbox->deliver_all();
    const auto whole = w.orders().order(World::sys(), order);
    CHECK(whole.status == PaymentOrderStatus::paid);  // paid, then its sub-orders were cancelled
    CHECK(whole.refunded == whole.paid);
    CHECK(w.sandbox->payments_of(order).at(0).refunded == cny("259.50"));
}

TEST_CASE("cancel: a shop cannot close under a paid order, and can once it is cancelled and refunded") {
    Trading w;
    const auto order = w.paid_order(w.customer);
    const auto books = w.sub_order_of(order, w.other_shop).id;
    CHECK(error_of([&] { w.shops().close(World::as(w.other_owner), w.other_shop, "retiring"); }) ==
          Errc::invalid_state);
    w.orders().cancel(World::as(w.customer), books, "the shop is closing");
    // Refunded, but not yet confirmed: the money is still in the shop's escrow.
    CHECK(error_of([&] { w.shops().close(World::as(w.other_owner), w.other_shop, "retiring"); }) ==
          Errc::invalid_state);
    w.sandbox->deliver_all();
    const auto info = w.orders().sub_order(World::as(w.customer), books);
    CHECK(info.status == SubOrderStatus::cancelled);
    CHECK(info.refunds.at(0).state == RefundState::succeeded);
    w.shops().close(World::as(w.other_owner), w.other_shop, "retiring");
    CHECK(w.shops().details(World::sys(), w.other_shop).profile.status == ShopStatus::closed);
}

TEST_CASE("place and pay: the same key never places or pays twice") {
    Trading w;
    const auto me = World::as(w.customer);
    const PlaceRequest request{"tap-tap", CheckoutRequest{w.customer_home, {{w.atlas, 1}}}, cny("45.50")};
    const auto order = w.orders().place(me, request);
    CHECK(w.orders().place(me, request) == order);
    const auto start = w.orders().pay(me, order, "sandbox");
    CHECK(w.orders().pay(me, order, "sandbox") == start);
    w.sandbox->complete_payment(start.provider_payment_id);
    w.sandbox->deliver_all();
    CHECK(w.orders().place(me, request) == order);
    CHECK(w.orders().orders_of(me, w.customer).size() == 1);
    CHECK(w.sandbox->intent_count() == 1);
    CHECK(w.stock_of(w.atlas).sold == 1);
}
