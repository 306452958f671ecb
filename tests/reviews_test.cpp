#include "souk/reviews.hpp"

#include <doctest/doctest.h>

#include "support/fulfilment_fixtures.hpp"

using namespace souk;
using namespace souk::test;
using namespace std::chrono_literals;

namespace {
using F = Fulfilling;
}

TEST_CASE("one review per completed line, one reply, one follow-up, and aggregates as they apply") {
    Fulfilling w;
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 2}, {w.shirt_skus[1], 1}, {w.atlas, 1}});
    w.pay(order, w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    const auto books = w.sub_order_of(order, w.other_shop);
    const ReviewDraft five{5, "Lovely linen.", {"https://img.example.com/r1.jpg"}};
    CHECK(error_of([&] { w.reviews().post(F::as(w.customer), shirts.id, w.shirt_skus[0], five); }) ==
          Errc::invalid_state);
    w.complete(shirts, "SF1");
    w.complete(books, "YT1");

    CHECK(error_of([&] { w.reviews().post(F::as(w.buyer), shirts.id, w.shirt_skus[0], five); }) == Errc::forbidden);
    CHECK(error_of([&] { w.reviews().post(F::as(w.customer), shirts.id, w.shirt_skus[0], {6, "", {}}); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.reviews().post(F::as(w.customer), shirts.id, w.shirt_skus[0], {0, "", {}}); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.reviews().post(F::as(w.customer), shirts.id, w.atlas, five); }) == Errc::not_found);
    const auto first = w.reviews().post(F::as(w.customer), shirts.id, w.shirt_skus[0], five);
    CHECK(error_of([&] { w.reviews().post(F::as(w.customer), shirts.id, w.shirt_skus[0], five); }) ==
          Errc::already_exists);
    const auto second = w.reviews().post(F::as(w.customer), shirts.id, w.shirt_skus[1], {2, "Too small.", {}});
    w.reviews().post(F::as(w.customer), books.id, w.atlas, {4, "", {}});

    auto shirt_rating = w.reviews().product_rating(w.shirt);
    CHECK(shirt_rating.count == 2);
    CHECK(shirt_rating.stars == 7);
    CHECK(shirt_rating.average_hundredths() == 350);
    CHECK(shirt_rating.distribution == std::array<std::uint64_t, 5>{0, 1, 0, 0, 1});
    CHECK(w.reviews().shop_rating(w.active).count == 2);
    CHECK(w.reviews().shop_rating(w.other_shop).average_hundredths() == 400);
    const auto listed = w.reviews().of_product(w.shirt);
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].id == second);  // newest first

    CHECK(error_of([&] { w.reviews().reply(F::as(w.customer), first, "Thanks"); }) == Errc::forbidden);
    CHECK(error_of([&] { w.reviews().reply(F::as(w.other_staff), first, "Thanks"); }) == Errc::forbidden);
    w.reviews().reply(F::as(w.staff), first, "Thank you!");
    CHECK(error_of([&] { w.reviews().reply(F::as(w.owner), first, "Again"); }) == Errc::already_exists);
    CHECK(error_of([&] { w.reviews().follow_up(F::as(w.staff), first, "Still good"); }) == Errc::forbidden);
    w.reviews().follow_up(F::as(w.customer), first, "Still good after ten washes.");
    CHECK(error_of([&] { w.reviews().follow_up(F::as(w.customer), first, "More"); }) == Errc::already_exists);
    const auto info = w.reviews().review(F::as(w.buyer), first);
    CHECK(info.reply == "Thank you!");
    CHECK(info.follow_up == "Still good after ten washes.");

    CHECK(error_of([&] { w.reviews().hide(F::as(w.owner), second, "unfair"); }) == Errc::forbidden);
    w.reviews().hide(F::as(w.op), second, "abusive language");
    CHECK(error_of([&] { w.reviews().hide(F::as(w.op), second, "again"); }) == Errc::invalid_state);
    shirt_rating = w.reviews().product_rating(w.shirt);
    CHECK(shirt_rating.count == 1);
    CHECK(shirt_rating.distribution == std::array<std::uint64_t, 5>{0, 0, 0, 0, 1});
    CHECK(w.reviews().of_product(w.shirt).size() == 1);
    CHECK(w.reviews().of_shop(w.active).size() == 1);
    CHECK(error_of([&] { w.reviews().review(F::as(w.buyer), second); }) == Errc::not_found);
    CHECK(w.reviews().review(F::as(w.customer), second).hidden);
    CHECK(w.reviews().review(F::as(w.staff), second).hidden_reason == "abusive language");
}

TEST_CASE("reviews close with the review window and skip lines refunded in full") {
    Fulfilling w;
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 1}, {w.shirt_skus[1], 1}});
    w.pay(order, w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    w.ship_rest(shirts, "SF1");
    const auto id = w.ask(w.customer, shirts.id, AfterSalesKind::refund_only, {{w.shirt_skus[1], 1}});
    w.tick();
    w.after_sales().approve(F::as(w.owner), id, "");
    w.tick();
    w.orders().confirm_receipt(F::as(w.customer), shirts.id);
    w.later(24h * 7);
    REQUIRE(w.fresh(shirts).status == SubOrderStatus::completed);
    CHECK(error_of([&] { w.reviews().post(F::as(w.customer), shirts.id, w.shirt_skus[1], {1, "", {}}); }) ==
          Errc::invalid_state);
    w.later(24h * 15 + 1min);
    CHECK(error_of([&] { w.reviews().post(F::as(w.customer), shirts.id, w.shirt_skus[0], {5, "", {}}); }) ==
          Errc::invalid_state);
}
