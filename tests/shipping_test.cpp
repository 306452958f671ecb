#include "souk/shipping.hpp"

#include <doctest/doctest.h>

#include "support/fulfilment_fixtures.hpp"

using namespace souk;
using namespace souk::test;
using namespace std::chrono_literals;

namespace {

Quote quote_of(Fulfilling& w, UserId who, std::vector<LineRequest> lines) {
    return w.cart().quote(Fulfilling::as(who), CheckoutRequest{w.home_of(who), std::move(lines)});
}

Money shipping_of(const Quote& quote, ShopId shop) {
    for (const auto& part : quote.shops)
        if (part.shop == shop) return part.shipping;
    FAIL("no such shop in the quote");
    return {};
}

}  // namespace

TEST_CASE("shipping fees follow the product's template by piece, region and threshold") {
    Fulfilling w;
    auto spec = per_piece("Standard", "10.00", "5.00");
    spec.regional_rates = {ShippingRate{"Remote", {"650000", "540000"}, 1, cny("20.00"), 1, cny("10.00")},
                           ShippingRate{"Shenzhen", {"440300"}, 2, cny("8.00"), 1, cny("2.00")},
                           ShippingRate{"Guangdong", {"440000"}, 1, cny("9.00"), 1, cny("3.00")}};
    const auto standard = w.shipping().create_template(Fulfilling::as(w.staff), w.active, spec);
    w.shipping().set_product_template(Fulfilling::as(w.owner), w.shirt, standard);
    CHECK(w.shipping().template_of(w.shirt) == standard);
    CHECK(w.shipping().shipping_template(standard).products == 1);

    // The city's rate beats the province's: 8.00 for two units, 2.00 for the third.
    CHECK(shipping_of(quote_of(w, w.customer, {{w.shirt_skus[0], 3}}), w.active) == cny("10.00"));
    // Within the first units.
    CHECK(shipping_of(quote_of(w, w.customer, {{w.shirt_skus[0], 1}, {w.shirt_skus[1], 1}}), w.active) == cny("8.00"));
    // The other shop's book names no template and there is no flat fee: free.
    CHECK(shipping_of(quote_of(w, w.customer, {{w.atlas, 1}}), w.other_shop).is_zero());

    SUBCASE("province rate, default rate") {
        auto elsewhere = home_address("Li Si");
        elsewhere.region = {"440000", "440100", ""};
        w.tick();
        const auto guangzhou = w.cart().add_address(Fulfilling::as(w.customer), elsewhere, true);
        CHECK(w.cart().quote(Fulfilling::as(w.customer), CheckoutRequest{guangzhou, {{w.shirt_skus[0], 3}}}).shipping ==
              cny("15.00"));
        elsewhere.region = {"310000", "", ""};
        w.tick();
        const auto shanghai = w.cart().add_address(Fulfilling::as(w.customer), elsewhere);
        CHECK(w.cart().quote(Fulfilling::as(w.customer), CheckoutRequest{shanghai, {{w.shirt_skus[0], 3}}}).shipping ==
              cny("20.00"));
    }
    SUBCASE("free from a threshold or to a free region") {
        spec.free_from = cny("250.00");
        w.tick();
        w.shipping().update_template(Fulfilling::as(w.owner), standard, spec);
        CHECK(shipping_of(quote_of(w, w.customer, {{w.shirt_skus[0], 2}}), w.active) == cny("8.00"));
        CHECK(shipping_of(quote_of(w, w.customer, {{w.shirt_skus[0], 3}}), w.active).is_zero());
        spec.free_from.reset();
        spec.free_regions = {"440300"};
        w.tick();
        w.shipping().update_template(Fulfilling::as(w.owner), standard, spec);
        CHECK(shipping_of(quote_of(w, w.customer, {{w.shirt_skus[0], 5}}), w.active).is_zero());
    }
    SUBCASE("place charges exactly what the quote showed") {
        const auto quote = quote_of(w, w.customer, {{w.shirt_skus[0], 3}, {w.atlas, 2}});
        w.tick();
        const auto order = w.orders().place(
            Fulfilling::as(w.customer),
            PlaceRequest{"fees-1", CheckoutRequest{w.customer_home, {{w.shirt_skus[0], 3}, {w.atlas, 2}}}, quote.total});
        const auto info = w.orders().order(Fulfilling::sys(), order);
        CHECK(info.total == quote.total);
        CHECK(w.sub_order_of(order, w.active).shipping_fee == cny("10.00"));
        // A template changed after the quote: placing with the old total is refused.
        spec.default_rate.first_fee = cny("11.00");
        spec.regional_rates[1].first_fee = cny("9.00");
        w.tick();
        w.shipping().update_template(Fulfilling::as(w.owner), standard, spec);
        w.tick();
        CHECK(error_of([&] {
                  w.orders().place(Fulfilling::as(w.customer),
                                   PlaceRequest{"fees-2", CheckoutRequest{w.customer_home, {{w.shirt_skus[0], 3}}},
                                                quote_of(w, w.customer, {{w.shirt_skus[0], 3}}).total - cny("1.00")});
              }) == Errc::conflict);
        // The order keeps what it was charged.
        CHECK(w.sub_order_of(order, w.active).shipping_fee == cny("10.00"));
    }
}

TEST_CASE("weight templates count grams in started blocks, and flat-fee products are charged once per shop") {
    Fulfilling w;
    ShippingTemplateSpec spec;
    spec.name = "By weight";
    spec.basis = FeeBasis::weight;
    spec.default_rate = ShippingRate{"", {}, 1000, cny("6.00"), 500, cny("2.00")};
    const auto heavy = w.shipping().create_template(Fulfilling::as(w.other_owner), w.other_shop, spec);
    w.shipping().set_product_template(Fulfilling::as(w.other_staff), w.atlas_product, heavy);
    // The atlas weighs 500 g: 2 → 1000 g (the first 1000 g only), 3 → 1500 g (one started
    // 500 g block more), 4 → 2000 g (two), 5 → 2500 g (three).
    CHECK(shipping_of(quote_of(w, w.customer, {{w.atlas, 2}}), w.other_shop) == cny("6.00"));
    CHECK(shipping_of(quote_of(w, w.customer, {{w.atlas, 3}}), w.other_shop) == cny("8.00"));
    CHECK(shipping_of(quote_of(w, w.customer, {{w.atlas, 4}}), w.other_shop) == cny("10.00"));
    CHECK(shipping_of(quote_of(w, w.customer, {{w.atlas, 5}}), w.other_shop) == cny("12.00"));

    auto options = fast_options(w.clock);
    options.shipping_fee_per_shop = cny("7.00");
    w.reopen(options);
    // The other shop's shirts name no template: the flat fee, once, beside the atlas's.
    CHECK(shipping_of(quote_of(w, w.customer, {{w.atlas, 3}, {w.other_skus[0], 1}, {w.other_skus[1], 2}}),
                      w.other_shop) == cny("15.00"));
    CHECK(shipping_of(quote_of(w, w.customer, {{w.other_skus[0], 1}}), w.other_shop) == cny("7.00"));
    // Back to the flat fee.
    w.tick();
    w.shipping().set_product_template(Fulfilling::as(w.other_owner), w.atlas_product, std::nullopt);
    CHECK(shipping_of(quote_of(w, w.customer, {{w.atlas, 3}}), w.other_shop) == cny("7.00"));
    CHECK(w.shipping().shipping_template(heavy).products == 0);
}

TEST_CASE("shipping templates refuse strangers, bad specs and removal while named") {
    Fulfilling w;
    const auto spec = per_piece("Standard", "10.00", "5.00");
    CHECK(error_of([&] { w.shipping().create_template(Fulfilling::as(w.customer), w.active, spec); }) == Errc::forbidden);
    CHECK(error_of([&] { w.shipping().create_template(Fulfilling::as(w.other_owner), w.active, spec); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { w.shipping().create_template(Fulfilling::as(w.owner), ShopId{999}, spec); }) == Errc::not_found);

    auto bad = spec;
    bad.default_rate.first_fee = cny("-1.00");
    CHECK(error_of([&] { w.shipping().create_template(Fulfilling::as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    bad = spec;
    bad.default_rate.regions = {"440000"};
    CHECK(error_of([&] { w.shipping().create_template(Fulfilling::as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    bad = spec;
    bad.default_rate.additional_units = 0;
    CHECK(error_of([&] { w.shipping().create_template(Fulfilling::as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    bad = spec;
    bad.regional_rates = {ShippingRate{"Nowhere", {}, 1, cny("1.00"), 1, cny("1.00")}};
    CHECK(error_of([&] { w.shipping().create_template(Fulfilling::as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    bad = spec;
    bad.regional_rates = {ShippingRate{"Bad code", {"44-00"}, 1, cny("1.00"), 1, cny("1.00")}};
    CHECK(error_of([&] { w.shipping().create_template(Fulfilling::as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    bad = spec;
    bad.default_rate.additional_fee = Money::parse("5", Currency::of("JPY"));
    CHECK(error_of([&] { w.shipping().create_template(Fulfilling::as(w.owner), w.active, bad); }) ==
          Errc::currency_mismatch);
    bad = spec;
    bad.name = "";
    CHECK(error_of([&] { w.shipping().create_template(Fulfilling::as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    CHECK(w.shipping().templates_of(w.active).empty());

    const auto mine = w.shipping().create_template(Fulfilling::as(w.owner), w.active, spec);
    const auto theirs = w.shipping().create_template(Fulfilling::as(w.other_owner), w.other_shop, spec);
    CHECK(error_of([&] { w.shipping().set_product_template(Fulfilling::as(w.owner), w.shirt, theirs); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.shipping().set_product_template(Fulfilling::as(w.other_owner), w.shirt, theirs); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { w.shipping().update_template(Fulfilling::as(w.other_owner), mine, spec); }) == Errc::forbidden);
    w.shipping().set_product_template(Fulfilling::as(w.owner), w.shirt, mine);
    CHECK(error_of([&] { w.shipping().remove_template(Fulfilling::as(w.owner), mine); }) == Errc::invalid_state);
    w.shipping().set_product_template(Fulfilling::as(w.owner), w.shirt, std::nullopt);
    CHECK(error_of([&] { w.shipping().remove_template(Fulfilling::as(w.other_owner), mine); }) == Errc::forbidden);
    w.shipping().remove_template(Fulfilling::as(w.owner), mine);
    CHECK(error_of([&] { w.shipping().shipping_template(mine); }) == Errc::not_found);
    CHECK(w.shipping().templates_of(w.active).empty());
    CHECK(w.shipping().templates_of(w.other_shop).size() == 1);
}

TEST_CASE("tracking updates per shipment, queries by order, by tracking number, and overdue shipments") {
    Fulfilling w;
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    const auto books = w.sub_order_of(order, w.other_shop);
    w.tick();
    w.orders().ship(Fulfilling::as(w.staff), shirts.id, ShipmentRequest{"SF", "SF100", {{w.shirt_skus[0], 1}}});

    // Overdue: paid, units left to ship, paid at least the given time ago.
    CHECK(w.shipping().overdue(Fulfilling::as(w.owner), w.active, 48h).empty());
    w.later(49h);
    const auto overdue = w.shipping().overdue(Fulfilling::as(w.owner), w.active, 48h);
    REQUIRE(overdue.size() == 1);
    CHECK(overdue[0].sub_order == shirts.id);
    CHECK(overdue[0].units_to_ship == 1);
    CHECK(w.shipping().overdue(Fulfilling::as(w.op), w.other_shop, 48h).size() == 1);
    CHECK(error_of([&] { w.shipping().overdue(Fulfilling::as(w.other_owner), w.active, 48h); }) == Errc::forbidden);

    const auto at = w.clock->now();
    w.shipping().add_tracking(Fulfilling::as(w.staff), shirts.id, 1, TrackingUpdate{at - 2h, "Shenzhen", "Picked up", false});
    CHECK(error_of([&] {
              w.shipping().add_tracking(Fulfilling::as(w.customer), shirts.id, 1, TrackingUpdate{at, "", "Lost", false});
          }) == Errc::forbidden);
    CHECK(error_of([&] {
              w.shipping().add_tracking(Fulfilling::as(w.other_staff), shirts.id, 1, TrackingUpdate{at, "", "x", false});
          }) == Errc::forbidden);
    CHECK(error_of([&] {
              w.shipping().add_tracking(Fulfilling::as(w.staff), shirts.id, 1, TrackingUpdate{at - 3h, "", "Earlier", false});
          }) == Errc::invalid_argument);
    CHECK(error_of([&] {
              w.shipping().add_tracking(Fulfilling::as(w.staff), shirts.id, 1, TrackingUpdate{at + 1h, "", "Future", false});
          }) == Errc::invalid_argument);
    CHECK(error_of([&] {
              w.shipping().add_tracking(Fulfilling::as(w.staff), shirts.id, 2, TrackingUpdate{at, "", "No such", false});
          }) == Errc::not_found);
    w.shipping().add_tracking(Fulfilling::as(w.staff), shirts.id, 1, TrackingUpdate{at, "Nanshan", "Delivered", true});
    CHECK(error_of([&] {
              w.shipping().add_tracking(Fulfilling::as(w.staff), shirts.id, 1, TrackingUpdate{at, "", "Again", false});
          }) == Errc::invalid_state);

    w.ship_rest(shirts, "SF101");
    w.ship_rest(books, "YT200");
    const auto all = w.shipping().shipments_of_order(Fulfilling::as(w.customer), order);
    REQUIRE(all.size() == 3);
    CHECK(all[0].shipment.tracking_number == "SF100");
    CHECK(all[0].tracking.size() == 2);
    CHECK(all[0].delivered_at == at);
    CHECK_FALSE(all[1].delivered_at);
    // A shop sees its own shipments only; strangers none.
    CHECK(w.shipping().shipments_of_order(Fulfilling::as(w.other_staff), order).size() == 1);
    CHECK(error_of([&] { w.shipping().shipments_of_order(Fulfilling::as(w.buyer), order); }) == Errc::forbidden);
    const auto found = w.shipping().shipments_by_tracking(Fulfilling::as(w.customer), "YT200");
    REQUIRE(found.size() == 1);
    CHECK(found[0].sub_order == books.id);
    CHECK(w.shipping().shipments_by_tracking(Fulfilling::as(w.staff), "YT200").empty());
    CHECK(w.shipping().shipments_by_tracking(Fulfilling::as(w.customer), "NOPE").empty());
    CHECK(w.shipping().overdue(Fulfilling::as(w.owner), w.active, 48h).empty());
}

TEST_CASE("a carrier tracker's updates are recorded once, in order, up to delivery") {
    Fulfilling w;
    auto tracker = std::make_shared<ScriptedCarrierTracker>();
    w.market.register_carrier_tracker("SF", tracker);
    CHECK(error_of([&] { w.market.register_carrier_tracker("SF", tracker); }) == Errc::already_exists);
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    w.ship_rest(shirts, "SF300");
    const auto shipped = w.clock->now();
    CHECK(w.shipping().poll_carriers() == 0);
    tracker->script("SF300", TrackingUpdate{shipped + 2h, "Hub", "In transit", false});
    tracker->script("SF300", TrackingUpdate{shipped + 1h, "Shenzhen", "Picked up", false});
    tracker->script("SF300", TrackingUpdate{shipped + 1h, "", "", false});  // malformed: skipped
    w.clock->advance(3h);
    CHECK(w.shipping().poll_carriers() == 2);
    CHECK(w.shipping().poll_carriers() == 0);
    tracker->script("SF300", TrackingUpdate{shipped + 3h, "Nanshan", "Delivered", true});
    tracker->script("SF300", TrackingUpdate{shipped + 4h, "Nanshan", "After delivery", false});
    w.clock->advance(2h);
    CHECK(w.shipping().poll_carriers() == 1);
    const auto views = w.shipping().shipments_by_tracking(Fulfilling::sys(), "SF300");
    REQUIRE(views.size() == 1);
    REQUIRE(views[0].tracking.size() == 3);
    CHECK(views[0].tracking[0].status == "Picked up");
    CHECK(views[0].delivered_at == shipped + 3h);
    CHECK(w.shipping().poll_carriers() == 0);
}
