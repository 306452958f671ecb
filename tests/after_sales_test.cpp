#include "souk/after_sales.hpp"

#include <doctest/doctest.h>

#include "support/fulfilment_fixtures.hpp"

using namespace souk;
using namespace souk::test;
using namespace std::chrono_literals;

namespace {

using F = Fulfilling;

Money refunded_at_sandbox(Fulfilling& w, PaymentOrderId order) {
    Money total = cny("0");
    for (const auto& payment : w.sandbox->payments_of(order)) total += payment.refunded;
    return total;
}

}  // namespace

TEST_CASE("a refund only of shipped units returns their share once the seller approves") {
    Fulfilling w;
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    w.ship_rest(shirts, "SF1");
    CHECK(error_of([&] { w.ask(w.buyer, shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 1}}); }) ==
          Errc::forbidden);
    const auto id = w.ask(w.customer, shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 1}});
    auto info = w.after_sales().info(F::as(w.customer), id);
    CHECK(info.status == AfterSalesStatus::requested);
    CHECK(info.amount == cny("99.00"));
    CHECK(info.shipping.is_zero());
    CHECK(info.respond_by == info.requested_at + 48h);
    CHECK(error_of([&] { w.after_sales().info(F::as(w.buyer), id); }) == Errc::forbidden);
    CHECK(error_of([&] { w.after_sales().approve(F::as(w.customer), id, ""); }) == Errc::forbidden);
    CHECK(error_of([&] { w.after_sales().approve(F::as(w.other_staff), id, ""); }) == Errc::forbidden);
    // One request open per sub-order.
    CHECK(error_of([&] { w.ask(w.customer, shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 1}}); }) ==
          Errc::conflict);

    w.tick();
    w.after_sales().approve(F::as(w.staff), id, "sorry");
    info = w.after_sales().info(F::as(w.owner), id);
    CHECK(info.status == AfterSalesStatus::refunded);
    CHECK(info.decided_by == DecidedBy::seller);
    REQUIRE(info.refund);
    CHECK(error_of([&] { w.after_sales().approve(F::as(w.staff), id, ""); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.after_sales().reject(F::as(w.staff), id, "no"); }) == Errc::invalid_state);
    w.settle();
    const auto refund = w.orders().refund_info(F::sys(), *info.refund);
    CHECK(refund.amount == cny("99.00"));
    CHECK(refund.state == RefundState::succeeded);
    CHECK(refunded_at_sandbox(w, order) == cny("99.00"));
    CHECK(w.fresh(shirts).lines[0].refunded == cny("99.00"));

    // One unit is left to ask for.
    CHECK(error_of([&] { w.ask(w.customer, shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 2}}); }) ==
          Errc::limit_exceeded);
    const auto second = w.ask(w.customer, shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 1}});
    CHECK(w.after_sales().info(F::sys(), second).amount == cny("99.00"));
    CHECK(w.after_sales().of_sub_order(F::as(w.customer), shirts.id).size() == 2);
    CHECK(w.after_sales().of_shop(F::as(w.owner), w.active, {AfterSalesStatus::requested}).size() == 1);
    CHECK(w.after_sales().of_customer(F::as(w.customer), w.customer).size() == 2);
    CHECK(error_of([&] { w.after_sales().of_shop(F::as(w.other_owner), w.active); }) == Errc::forbidden);
    CHECK(error_of([&] { w.after_sales().of_customer(F::as(w.buyer), w.customer); }) == Errc::forbidden);
}

TEST_CASE("a return is refunded once the seller receives it, and sellable units go back on hand") {
    Fulfilling w;
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    w.ship_rest(shirts, "SF1");
    const auto on_hand = w.stock_of(w.shirt_skus[0]).on_hand;
    const auto id = w.ask(w.customer, shirts.id, AfterSalesKind::return_and_refund, {{w.shirt_skus[0], 2}});
    CHECK(error_of([&] { w.after_sales().ship_return(F::as(w.customer), id, "SF", "RT1"); }) == Errc::invalid_state);
    w.tick();
    w.after_sales().approve(F::as(w.owner), id, "send it back");
    CHECK(w.after_sales().info(F::sys(), id).status == AfterSalesStatus::approved);
    CHECK_FALSE(w.after_sales().info(F::sys(), id).refund);
    CHECK(error_of([&] { w.after_sales().receive_return(F::as(w.owner), id, true); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.after_sales().ship_return(F::as(w.staff), id, "SF", "RT1"); }) == Errc::forbidden);
    CHECK(error_of([&] { w.after_sales().ship_return(F::as(w.customer), id, "SF", "bad number!"); }) ==
          Errc::invalid_argument);
    w.tick();
    w.after_sales().ship_return(F::as(w.customer), id, "SF", "RT1");
    CHECK(w.after_sales().info(F::sys(), id).status == AfterSalesStatus::return_shipped);
    CHECK(error_of([&] { w.after_sales().withdraw(F::as(w.customer), id); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.after_sales().receive_return(F::as(w.customer), id, true); }) == Errc::forbidden);
    w.tick();
    w.after_sales().receive_return(F::as(w.staff), id, true);
    const auto info = w.after_sales().info(F::sys(), id);
    CHECK(info.status == AfterSalesStatus::refunded);
    CHECK(info.returned_sellable);
    CHECK(w.stock_of(w.shirt_skus[0]).on_hand == on_hand + 2);
    w.settle();
    CHECK(w.orders().refund_info(F::sys(), *info.refund).amount == cny("198.00"));
    CHECK(refunded_at_sandbox(w, order) == cny("198.00"));
}

TEST_CASE("a refund only of a whole unshipped sub-order cancels it and returns its shipping") {
    Fulfilling w;
    const auto standard = w.shipping().create_template(F::as(w.owner), w.active, per_piece("Standard", "10.00", "5.00"));
    w.shipping().set_product_template(F::as(w.owner), w.shirt, standard);
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    REQUIRE(shirts.shipping_fee == cny("15.00"));
    const auto on_hand = w.stock_of(w.shirt_skus[0]).on_hand;
    CHECK(error_of([&] { w.ask(w.customer, shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 1}}); }) ==
          Errc::invalid_state);
    CHECK(error_of([&] { w.ask(w.customer, shirts.id, AfterSalesKind::return_and_refund, {{w.shirt_skus[0], 2}}); }) ==
          Errc::invalid_state);
    const auto id = w.ask(w.customer, shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 2}});
    CHECK(w.after_sales().info(F::sys(), id).amount == cny("213.00"));
    CHECK(w.after_sales().info(F::sys(), id).shipping == cny("15.00"));
    w.tick();
    w.after_sales().approve(F::as(w.owner), id, "");
    const auto after = w.fresh(shirts);
    CHECK(after.status == SubOrderStatus::cancelled);
    CHECK(after.cancel_cause == CancelCause::seller);
    CHECK(after.refunded == cny("213.00"));
    CHECK(after.shipping_refunded == cny("15.00"));
    CHECK(w.stock_of(w.shirt_skus[0]).on_hand == on_hand + 2);
    w.settle();
    CHECK(refunded_at_sandbox(w, order) == cny("213.00"));
}

TEST_CASE("requests the shop does not answer are approved at the response deadline") {
    Fulfilling w;
    const auto order = w.paid_order(w.customer);
    const auto books = w.sub_order_of(order, w.other_shop);
    w.ship_rest(books, "YT1");
    const auto id = w.ask(w.customer, books.id, AfterSalesKind::refund_only, {{w.atlas, 1}});
    CHECK(w.later(47h).after_sales_approved == 0);
    CHECK(w.after_sales().info(F::sys(), id).status == AfterSalesStatus::requested);
    CHECK(w.later(1h).after_sales_approved == 1);
    const auto info = w.after_sales().info(F::sys(), id);
    CHECK(info.status == AfterSalesStatus::refunded);
    CHECK(info.decided_by == DecidedBy::deadline);
    CHECK(w.later(1h).after_sales_approved == 0);
    w.settle();
    CHECK(refunded_at_sandbox(w, order) == cny("45.50"));
}

TEST_CASE("an open request holds the after-sales window, and a sub-order refunded in full closes as refunded") {
    Fulfilling w;
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    const auto books = w.sub_order_of(order, w.other_shop);
    for (const auto& sub_order : {shirts, books}) {
        w.ship_rest(sub_order, fmt::format("T{}", sub_order.id));
        w.tick();
        w.orders().confirm_receipt(F::as(w.customer), sub_order.id);
    }
    const auto held = w.ask(w.customer, shirts.id, AfterSalesKind::return_and_refund, {{w.shirt_skus[0], 1}});
    const auto everything = w.ask(w.customer, books.id, AfterSalesKind::refund_only, {{w.atlas, 1}});
    w.tick();
    w.after_sales().approve(F::as(w.other_owner), everything, "");
    w.tick();
    w.after_sales().approve(F::as(w.owner), held, "");
    auto report = w.later(24h * 7);
    CHECK(report.orders.refunded == 1);
    CHECK(report.orders.completed == 0);
    CHECK(w.fresh(books).status == SubOrderStatus::refunded);
    CHECK(w.fresh(shirts).status == SubOrderStatus::received);
    w.after_sales().arbitrate(F::as(w.op), held, false, "the photos show no defect");
    report = w.later(1min);
    CHECK(report.orders.completed == 1);
    CHECK(w.fresh(shirts).status == SubOrderStatus::completed);
    CHECK(error_of([&] { w.ask(w.customer, shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 1}}); }) ==
          Errc::invalid_state);
    CHECK(error_of([&] { w.after_sales().arbitrate(F::as(w.op), held, true, "changed my mind"); }) ==
          Errc::invalid_state);
}

TEST_CASE("a platform operator arbitrates a rejected request") {
    Fulfilling w;
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    w.ship_rest(shirts, "SF1");
    const auto id = w.ask(w.customer, shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 2}});
    CHECK(error_of([&] { w.after_sales().reject(F::as(w.staff), id, ""); }) == Errc::invalid_argument);
    w.tick();
    w.after_sales().reject(F::as(w.staff), id, "worn");
    CHECK(w.after_sales().info(F::sys(), id).status == AfterSalesStatus::rejected);
    CHECK(error_of([&] { w.after_sales().approve(F::as(w.owner), id, ""); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.after_sales().arbitrate(F::as(w.owner), id, true, "fine"); }) == Errc::forbidden);
    CHECK(error_of([&] { w.after_sales().arbitrate(F::as(w.customer), id, true, "please"); }) == Errc::forbidden);
    CHECK(error_of([&] { w.after_sales().arbitrate(F::as(w.op), id, false, "again"); }) == Errc::invalid_state);
    w.tick();
    w.after_sales().arbitrate(F::as(w.op), id, true, "the seller's photos are of another shirt");
    const auto info = w.after_sales().info(F::sys(), id);
    CHECK(info.status == AfterSalesStatus::refunded);
    CHECK(info.arbitrated);
    CHECK(info.decided_by == DecidedBy::platform);
    w.settle();
    CHECK(refunded_at_sandbox(w, order) == cny("198.00"));
}

TEST_CASE("after-sales requests check their input and their sub-order") {
    Fulfilling w;
    const auto unpaid = w.buy(w.customer, {{w.shirt_skus[0], 1}});
    const auto pending = w.sub_order_of(unpaid, w.active);
    CHECK(error_of([&] { w.ask(w.customer, pending.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 1}}); }) ==
          Errc::invalid_state);
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    w.ship_rest(shirts, "SF1");
    const auto request = [&](AfterSalesRequest r) { return error_of([&] { w.after_sales().request(F::as(w.customer), r); }); };
    const AfterSalesRequest good{shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[0], 1}}, "torn", {}};
    auto bad = good;
    bad.reason = "";
    CHECK(request(bad) == Errc::invalid_argument);
    bad = good;
    bad.evidence = {"ftp://example.com/a.jpg"};
    CHECK(request(bad) == Errc::invalid_argument);
    bad = good;
    bad.lines = {};
    CHECK(request(bad) == Errc::invalid_argument);
    bad.lines = {{w.shirt_skus[0], 0}};
    CHECK(request(bad) == Errc::invalid_argument);
    bad.lines = {{w.shirt_skus[0], 1}, {w.shirt_skus[0], 1}};
    CHECK(request(bad) == Errc::invalid_argument);
    bad.lines = {{w.atlas, 1}};
    CHECK(request(bad) == Errc::invalid_argument);
    bad = good;
    bad.sub_order = SubOrderId{999};
    CHECK(request(bad) == Errc::not_found);
    CHECK(error_of([&] { w.after_sales().info(F::sys(), AfterSalesId{999}); }) == Errc::not_found);
    // Nothing was recorded by the refused requests.
    CHECK(w.after_sales().of_sub_order(F::sys(), shirts.id).empty());
    const auto id = w.after_sales().request(F::as(w.customer), good);
    CHECK(error_of([&] { w.after_sales().withdraw(F::as(w.buyer), id); }) == Errc::forbidden);
    w.tick();
    w.after_sales().withdraw(F::as(w.customer), id);
    CHECK(w.after_sales().info(F::sys(), id).status == AfterSalesStatus::withdrawn);
    CHECK(error_of([&] { w.after_sales().withdraw(F::as(w.customer), id); }) == Errc::invalid_state);
    // Withdrawn units may be asked for again, and the withdrawn request never fires.
    w.after_sales().request(F::as(w.customer), good);
    CHECK(w.later(48h).after_sales_approved == 1);
}
