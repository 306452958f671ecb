// A multi-shop trading day from checkout to reviews: template shipping fees, partial
// shipments with carrier tracking, automatic receipt, a return and refund, a rejected request
// settled by the platform, and reviews. Every money and stock figure reconciles to the minor
// unit, and reopening the journal rebuilds exactly what the queries showed.
#include <doctest/doctest.h>

#include "support/fulfilment_fixtures.hpp"

using namespace souk;
using namespace souk::test;
using namespace std::chrono_literals;

namespace {

using F = Fulfilling;

// What the fulfilment queries show, to compare a marketplace with its replay.
struct FulfilmentView {
    std::vector<ShippingTemplateInfo> templates;
    std::vector<ShipmentView> shipments;
    std::vector<AfterSalesInfo> requests;
    std::vector<ReviewInfo> reviews;
    RatingSummary shop_rating, other_rating;
    std::vector<SubOrderInfo> sub_orders;
    friend bool operator==(const FulfilmentView&, const FulfilmentView&) = default;
};

FulfilmentView view_of(Fulfilling& w, const std::vector<PaymentOrderId>& orders) {
    FulfilmentView view;
    for (const auto shop : {w.active, w.other_shop}) {
        for (auto& t : w.shipping().templates_of(shop)) view.templates.push_back(std::move(t));
        for (auto& r : w.after_sales().of_shop(F::sys(), shop)) view.requests.push_back(std::move(r));
        for (auto& r : w.reviews().of_shop(shop)) view.reviews.push_back(std::move(r));
    }
    for (const auto order : orders) {
        for (auto& s : w.shipping().shipments_of_order(F::sys(), order)) view.shipments.push_back(std::move(s));
        for (auto& s : w.orders().order(F::sys(), order).sub_orders) view.sub_orders.push_back(std::move(s));
    }
    view.shop_rating = w.reviews().shop_rating(w.active);
    view.other_rating = w.reviews().shop_rating(w.other_shop);
    return view;
}

}  // namespace

TEST_CASE("a fulfilment day reconciles to the minor unit and replays to the same state") {
    Fulfilling w;
    auto tracker = std::make_shared<ScriptedCarrierTracker>();
    w.market.register_carrier_tracker("SF", tracker);

    // Morning: both shops set up shipping. Shirts by piece (Shenzhen cheaper), books by weight.
    auto by_piece = per_piece("Standard", "10.00", "5.00");
    by_piece.regional_rates = {ShippingRate{"Shenzhen", {"440300"}, 1, cny("6.00"), 1, cny("3.00")}};
    const auto shirts_template = w.shipping().create_template(F::as(w.owner), w.active, by_piece);
    w.shipping().set_product_template(F::as(w.owner), w.shirt, shirts_template);
    ShippingTemplateSpec by_weight;
    by_weight.name = "Books";
    by_weight.basis = FeeBasis::weight;
    by_weight.default_rate = ShippingRate{"", {}, 1000, cny("8.00"), 1000, cny("4.00")};
    by_weight.free_from = cny("300.00");
    const auto books_template = w.shipping().create_template(F::as(w.other_owner), w.other_shop, by_weight);
    w.shipping().set_product_template(F::as(w.other_owner), w.atlas_product, books_template);

    // Two customers check out what their quotes showed.
    const std::vector<LineRequest> a_lines{{w.shirt_skus[0], 2}, {w.shirt_skus[1], 1}, {w.atlas, 3}};
    const std::vector<LineRequest> b_lines{{w.shirt_skus[2], 1}, {w.other_skus[0], 2}};
    const auto a_quote = w.cart().quote(F::as(w.customer), CheckoutRequest{w.customer_home, a_lines});
    const auto b_quote = w.cart().quote(F::as(w.buyer), CheckoutRequest{w.buyer_home, b_lines});
    // Shirts: 6.00 + 2 × 3.00; atlas: 1500 g → 8.00 + 4.00. Buyer: one shirt 6.00; the other
    // shop's shirts name no template and there is no flat fee.
    CHECK(a_quote.shipping == cny("24.00"));
    CHECK(b_quote.shipping == cny("6.00"));
    w.tick();
    const auto a = w.orders().place(F::as(w.customer), PlaceRequest{"day-a", {w.customer_home, a_lines}, a_quote.total});
    w.tick();
    const auto b = w.orders().place(F::as(w.buyer), PlaceRequest{"day-b", {w.buyer_home, b_lines}, b_quote.total});
    w.pay(a, w.customer);
    w.pay(b, w.buyer);
    CHECK(w.orders().order(F::sys(), a).paid == a_quote.total);
    CHECK(w.orders().order(F::sys(), b).paid == b_quote.total);
    const auto a_shirts = w.sub_order_of(a, w.active);
    const auto a_books = w.sub_order_of(a, w.other_shop);
    const auto b_shirts = w.sub_order_of(b, w.active);
    const auto b_other = w.sub_order_of(b, w.other_shop);

    // Partial shipments, tracked by the carrier.
    w.tick();
    w.orders().ship(F::as(w.staff), a_shirts.id, ShipmentRequest{"SF", "SF001", {{w.shirt_skus[0], 2}}});
    w.tick();
    w.orders().ship(F::as(w.staff), a_shirts.id, ShipmentRequest{"SF", "SF002", {}});
    w.ship_rest(a_books, "YT001");
    w.ship_rest(b_shirts, "SF003");
    CHECK(w.fresh(a_shirts).status == SubOrderStatus::shipped);
    const auto shipped = w.clock->now();
    tracker->script("SF001", {shipped + 1h, "Shenzhen hub", "In transit", false});
    tracker->script("SF001", {shipped + 20h, "Nanshan", "Delivered", true});
    tracker->script("SF002", {shipped + 2h, "Shenzhen hub", "In transit", false});
    w.clock->advance(24h);
    CHECK(w.shipping().poll_carriers() == 3);
    // The other shop has not shipped the buyer's shirts two days after payment.
    w.later(24h);
    const auto overdue = w.shipping().overdue(F::as(w.other_staff), w.other_shop, 48h);
    REQUIRE(overdue.size() == 1);
    CHECK(overdue[0].sub_order == b_other.id);
    w.ship_rest(b_other, "ZT001");

    // The customer confirms the books; everything else is received automatically.
    w.tick();
    w.orders().confirm_receipt(F::as(w.customer), a_books.id);
    const auto auto_received = w.later(24h * 10);
    CHECK(auto_received.orders.received == 3);
    CHECK(auto_received.orders.completed == 1);  // the confirmed books' window closed first

    // A return and refund of one shirt: back in stock, sellable.
    const auto on_hand_before = w.stock_of(w.shirt_skus[0]).on_hand;
    const auto ret = w.ask(w.customer, a_shirts.id, AfterSalesKind::return_and_refund, {{w.shirt_skus[0], 1}});
    w.tick();
    w.after_sales().approve(F::as(w.staff), ret, "send it back");
    w.tick();
    w.after_sales().ship_return(F::as(w.customer), ret, "SF", "SFR01");
    w.tick();
    w.after_sales().receive_return(F::as(w.owner), ret, true);
    CHECK(w.stock_of(w.shirt_skus[0]).on_hand == on_hand_before + 1);

    // The buyer's refund request is rejected, then the platform rules for the buyer.
    const auto disputed = w.ask(w.buyer, b_other.id, AfterSalesKind::refund_only, {{w.other_skus[0], 1}});
    w.tick();
    w.after_sales().reject(F::as(w.other_owner), disputed, "used");
    w.tick();
    w.after_sales().arbitrate(F::as(w.op), disputed, true, "arrived damaged, photos attached");
    w.settle();

    // The after-sales windows close; the customers review.
    const auto closed = w.later(24h * 7);
    CHECK(closed.orders.completed == 3);
    w.tick();
    w.reviews().post(F::as(w.customer), a_shirts.id, w.shirt_skus[1], {5, "Perfect fit.", {}});
    w.reviews().post(F::as(w.customer), a_books.id, w.atlas, {4, "Heavy but fine.", {}});
    w.reviews().post(F::as(w.buyer), b_shirts.id, w.shirt_skus[2], {3, "", {}});
    const auto review = w.reviews().post(F::as(w.buyer), b_other.id, w.other_skus[0], {1, "Damaged.", {}});
    w.reviews().reply(F::as(w.other_staff), review, "We are sorry: refunded.");
    CHECK(w.reviews().shop_rating(w.active).average_hundredths() == 400);
    CHECK(w.reviews().shop_rating(w.other_shop).average_hundredths() == 250);

    // Money: what was captured is what the quotes showed; what was refunded is what the
    // after-sales requests said, at the sandbox and in every sub-order.
    Money captured = cny("0"), refunded_at_provider = cny("0"), refunded_in_orders = cny("0"), requested = cny("0");
    for (const auto order : {a, b}) {
        for (const auto& payment : w.sandbox->payments_of(order)) {
            if (payment.status == PaymentStatus::captured) captured += payment.amount;
            refunded_at_provider += payment.refunded;
        }
        for (const auto& sub_order : w.orders().order(F::sys(), order).sub_orders) {
            CHECK(sub_order.payable == sub_order.subtotal - sub_order.discount + sub_order.shipping_fee);
            refunded_in_orders += sub_order.refunded;
        }
    }
    for (const auto id : {ret, disputed}) requested += w.after_sales().info(F::sys(), id).amount;
    CHECK(captured == a_quote.total + b_quote.total);
    CHECK(requested == cny("99.00") + cny("99.00"));
    CHECK(refunded_at_provider == requested);
    CHECK(refunded_in_orders == requested);
    // Stock: 10 on hand each at the start; sold units left, the sellable return came back.
    CHECK(w.stock_of(w.shirt_skus[0]).on_hand == 10 - 2 + 1);
    CHECK(w.stock_of(w.shirt_skus[1]).on_hand == 9);
    CHECK(w.stock_of(w.shirt_skus[2]).on_hand == 9);
    CHECK(w.stock_of(w.atlas).on_hand == 7);
    CHECK(w.stock_of(w.other_skus[0]).on_hand == 8);

    // Replay: a marketplace reopened over the journal shows exactly the same.
    const auto before = view_of(w, {a, b});
    CHECK(before.shipments.size() == 5);
    CHECK(before.requests.size() == 2);
    w.reopen(fast_options(w.clock));
    CHECK(view_of(w, {a, b}) == before);
}
