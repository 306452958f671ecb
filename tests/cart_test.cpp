// Cart: the address book, cart lines and their limits, the cart view's flags, quotes with
// shipping fees, and how discounts are shared among lines.
#include <doctest/doctest.h>

#include "cart/pricing.hpp"
#include "support/errors.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

std::vector<AddressId> ids_of(const std::vector<AddressEntry>& entries) {
    std::vector<AddressId> ids;
    for (const auto& e : entries) ids.push_back(e.id);
    return ids;
}

const CartLineView& line_of(const CartView& view, SkuId sku) {
    for (const auto& group : view.shops)
        for (const auto& line : group.lines)
            if (line.sku == sku) return line;
    FAIL("no such line");
    return view.shops.at(0).lines.at(0);
}

}  // namespace

TEST_CASE("addresses: the first is the default; removing the default promotes the oldest left") {
    Trading w;
    auto& cart = w.cart();
    const auto me = World::as(w.buyer);
    const auto office = cart.add_address(me, home_address("Office"));
    const auto parents = cart.add_address(me, home_address("Parents"), true);
    CHECK(ids_of(cart.addresses(me, w.buyer)) == std::vector{parents, w.buyer_home, office});
    CHECK(cart.address(me, parents).is_default);
    cart.set_default_address(me, office);
    CHECK(ids_of(cart.addresses(me, w.buyer)) == std::vector{office, w.buyer_home, parents});
    cart.remove_address(me, office);
    CHECK(ids_of(cart.addresses(me, w.buyer)) == std::vector{w.buyer_home, parents});
    auto changed = home_address("Wang Wu");
    changed.detail = "新地址 8 号";
    changed.region.district.clear();
    cart.update_address(me, w.buyer_home, changed);
    const auto entry = cart.address(me, w.buyer_home);
    CHECK(entry.address == changed);
    CHECK(entry.is_default);
    cart.remove_address(me, w.buyer_home);
    cart.remove_address(me, parents);
    CHECK(cart.addresses(me, w.buyer).empty());
    const auto again = cart.add_address(me, home_address("Again"));
    CHECK(cart.address(me, again).is_default);
}

TEST_CASE("addresses: fields are validated, other customers' addresses are out of reach") {
    Trading w;
    auto& cart = w.cart();
    const auto me = World::as(w.buyer);
    const auto bad = [&](auto change) {
        auto a = home_address("Wang Wu");
        change(a);
        return error_of([&] { cart.add_address(me, a); });
    };
    CHECK(bad([](PostalAddress& a) { a.recipient.clear(); }) == Errc::invalid_argument);
    CHECK(bad([](PostalAddress& a) { a.recipient = std::string(41, 'x'); }) == Errc::invalid_argument);
    CHECK(bad([](PostalAddress& a) { a.phone = "12"; }) == Errc::invalid_argument);
    CHECK(bad([](PostalAddress& a) { a.phone = "138 abc 8000"; }) == Errc::invalid_argument);
    CHECK(bad([](PostalAddress& a) { a.phone = "1+38000138000"; }) == Errc::invalid_argument);
    CHECK(bad([](PostalAddress& a) { a.region.province.clear(); }) == Errc::invalid_argument);
    CHECK(bad([](PostalAddress& a) { a.region.city.clear(); }) == Errc::invalid_argument);  // a district without a city
    CHECK(bad([](PostalAddress& a) { a.region.city = "44-03"; }) == Errc::invalid_argument);
    CHECK(bad([](PostalAddress& a) { a.region.province = "4400000000000"; }) == Errc::invalid_argument);
    CHECK(bad([](PostalAddress& a) { a.detail.clear(); }) == Errc::invalid_argument);
    CHECK(bad([](PostalAddress& a) { a.detail = "line\nbreak"; }) == Errc::invalid_argument);
    CHECK(bad([](PostalAddress& a) { a.postal_code = "518057!"; }) == Errc::invalid_argument);
    auto minimal = home_address("Li");
    minimal.region = {"810000", "", ""};
    minimal.postal_code.clear();
    cart.add_address(me, minimal);

    const auto other = World::as(w.customer);
    CHECK(error_of([&] { cart.update_address(other, w.buyer_home, home_address("Thief")); }) == Errc::forbidden);
    CHECK(error_of([&] { cart.remove_address(other, w.buyer_home); }) == Errc::forbidden);
    CHECK(error_of([&] { cart.set_default_address(other, w.buyer_home); }) == Errc::forbidden);
    CHECK(error_of([&] { cart.address(other, w.buyer_home); }) == Errc::forbidden);
    CHECK(error_of([&] { cart.addresses(other, w.buyer); }) == Errc::forbidden);
    CHECK(error_of([&] { cart.remove_address(me, AddressId{999}); }) == Errc::not_found);
    CHECK(cart.addresses(World::as(w.op), w.buyer).size() == 2);  // platform staff may read
    CHECK(error_of([&] { cart.add_address(World::as(w.disabled), home_address("X")); }) == Errc::forbidden);

    for (std::size_t i = cart.addresses(me, w.buyer).size(); i < Cart::max_addresses; ++i)
        cart.add_address(me, home_address("Many"));
    CHECK(error_of([&] { cart.add_address(me, home_address("One too many")); }) == Errc::limit_exceeded);
}

TEST_CASE("cart: adding merges lines, quantities are limited, lines are removed and selected by SKU") {
    Trading w;
    auto& cart = w.cart();
    const auto me = World::as(w.customer);
    cart.add(me, w.shirt_skus[0], 2);
    cart.add(me, w.atlas, 1);
    cart.add(me, w.shirt_skus[0], 3);
    auto view = cart.view(me, w.customer);
    CHECK(view.line_count == 2);
    CHECK(view.selected_count == 2);
    CHECK(line_of(view, w.shirt_skus[0]).quantity == 5);
    CHECK(error_of([&] { cart.add(me, w.shirt_skus[0], Cart::max_quantity); }) == Errc::limit_exceeded);
    CHECK(error_of([&] { cart.add(me, w.shirt_skus[1], 0); }) == Errc::invalid_argument);
    CHECK(error_of([&] { cart.add(me, SkuId{999}, 1); }) == Errc::not_found);
    cart.set_quantity(me, w.shirt_skus[0], 1);
    CHECK(line_of(cart.view(me, w.customer), w.shirt_skus[0]).quantity == 1);
    CHECK(error_of([&] { cart.set_quantity(me, w.shirt_skus[1], 1); }) == Errc::not_found);
    CHECK(error_of([&] { cart.set_quantity(me, w.shirt_skus[0], Cart::max_quantity + 1); }) == Errc::invalid_argument);
    cart.set_selected(me, {w.atlas, w.atlas}, false);
    view = cart.view(me, w.customer);
    CHECK(view.selected_count == 1);
    CHECK_FALSE(line_of(view, w.atlas).selected);
    cart.add(me, w.atlas, 1);  // adding again selects the line
    CHECK(line_of(cart.view(me, w.customer), w.atlas).selected);
    CHECK(error_of([&] { cart.remove(me, {w.atlas, w.shirt_skus[3]}); }) == Errc::not_found);
    cart.remove(me, {w.atlas});
    CHECK(cart.view(me, w.customer).line_count == 1);
    cart.clear(me);
    CHECK(cart.view(me, w.customer) == CartView{});
    CHECK(error_of([&] { cart.remove(me, {}); }) == Errc::invalid_argument);
    // Other people's carts.
    CHECK(error_of([&] { cart.view(World::as(w.buyer), w.customer); }) == Errc::forbidden);
    CHECK(cart.view(World::as(w.op), w.customer) == CartView{});
    CHECK(error_of([&] { cart.add(World::sys(), w.atlas, 1); }) == Errc::unauthenticated);
}

TEST_CASE("cart: a cart holds a limited number of lines") {
    static_assert(Cart::max_lines % 5 == 0, "the product below has max_lines SKUs: sizes × five covers");
    Trading w;
    const auto me = World::as(w.customer);
    w.tick();
    std::vector<std::string> sizes;
    const std::vector<std::string> covers{"soft", "hard", "cloth", "leather", "spiral"};
    for (std::size_t i = 0; i < Cart::max_lines / covers.size(); ++i) sizes.push_back(fmt::format("size {}", i));
    ProductDraft draft;
    draft.title = "Many sizes";
    draft.category = w.books;
    draft.specs = {{"size", sizes}, {"cover", covers}};
    for (const auto& size : sizes)
        for (const auto& cover : covers)
            draft.skus.push_back(SkuDraft{{size, cover}, cny("1.00"), std::nullopt, 10, "", std::nullopt});
    const auto product = w.catalog().create_product(World::as(w.owner), w.active, draft);
    w.catalog().put_on_sale(World::as(w.owner), product);
    for (const auto sku : w.sku_ids(product)) w.cart().add(me, sku, 1);
    CHECK(w.cart().view(me, w.customer).line_count == Cart::max_lines);
    CHECK(error_of([&] { w.cart().add(me, w.atlas, 1); }) == Errc::limit_exceeded);
}

TEST_CASE("cart view: lines grouped by shop; problems are flagged, never dropped") {
    Trading w;
    auto& cart = w.cart();
    const auto me = World::as(w.customer);
    cart.add(me, w.shirt_skus[0], 12);
    cart.add(me, w.atlas, 1);
    cart.add(me, w.shirt_skus[1], 1);
    cart.add(me, w.other_skus[0], 1);
    auto view = cart.view(me, w.customer);
    REQUIRE(view.shops.size() == 2);
    CHECK(view.shops[0].shop == w.active);
    CHECK(view.shops[0].shop_name == "Active Shop");
    REQUIRE(view.shops[0].lines.size() == 2);
    CHECK(view.shops[0].lines[0].sku == w.shirt_skus[0]);
    CHECK(view.shops[0].lines[1].sku == w.shirt_skus[1]);
    CHECK(view.shops[1].shop == w.other_shop);
    CHECK(view.shops[1].lines.size() == 2);
    const auto& shirt = line_of(view, w.shirt_skus[0]);
    CHECK(shirt.title == "Linen shirt");
    CHECK(shirt.spec == std::vector<std::string>{"red", "S"});
    CHECK(shirt.insufficient_stock);
    CHECK_FALSE(shirt.out_of_stock);
    CHECK(shirt.available == 10);
    CHECK(shirt.unavailable_reason.empty());
    CHECK_FALSE(shirt.price_changed);

    w.tick();
    w.catalog().set_sku_price(World::as(w.owner), w.shirt_skus[1], cny("79.00"), std::nullopt);
    w.inventory().adjust(World::as(w.other_owner), {{w.atlas, -10}}, "water damage");
    w.catalog().ban(World::as(w.op), w.other_shirt, "counterfeit");
    view = cart.view(me, w.customer);
    CHECK(view.line_count == 4);
    const auto& cheaper = line_of(view, w.shirt_skus[1]);
    CHECK(cheaper.price_changed);
    CHECK(cheaper.price_when_added == cny("99.00"));
    CHECK(cheaper.price == cny("79.00"));
    CHECK(line_of(view, w.atlas).out_of_stock);
    CHECK_FALSE(line_of(view, w.atlas).insufficient_stock);
    CHECK(line_of(view, w.other_skus[0]).unavailable_reason.find("banned") != std::string::npos);
    CHECK(line_of(view, w.atlas).unavailable_reason.empty());
    // Adding again takes the price the customer sees now.
    cart.add(me, w.shirt_skus[1], 1);
    CHECK_FALSE(line_of(cart.view(me, w.customer), w.shirt_skus[1]).price_changed);
    // A suspended shop's lines stay, flagged.
    w.shops().suspend(World::as(w.op), w.active, "audit");
    view = cart.view(me, w.customer);
    CHECK(line_of(view, w.shirt_skus[0]).unavailable_reason.find("suspended") != std::string::npos);
    CHECK(view.line_count == 4);
    CHECK(error_of([&] { cart.add(me, w.shirt_skus[2], 1); }) == Errc::invalid_state);
}

TEST_CASE("quote: lines, per-shop subtotals, a flat shipping fee that is free from a threshold") {
    Trading w;
    auto options = fast_options(w.clock);
    options.shipping_fee_per_shop = cny("8.00");
    options.free_shipping_from = cny("100.00");
    w.reopen(options);
    const auto me = World::as(w.customer);
    const auto quote = w.cart().quote(me, CheckoutRequest{w.customer_home, {{w.shirt_skus[0], 1}, {w.atlas, 3}}});
    CHECK(quote.currency == Currency::of("CNY"));
    REQUIRE(quote.shops.size() == 2);
    CHECK(quote.shops[0].subtotal == cny("99.00"));
    CHECK(quote.shops[0].shipping == cny("8.00"));
    CHECK(quote.shops[0].payable == cny("107.00"));
    CHECK(quote.shops[1].subtotal == cny("136.50"));
    CHECK(quote.shops[1].shipping == cny("0.00"));
    CHECK(quote.shops[1].lines[0].available == 10);
    CHECK(quote.subtotal == cny("235.50"));
    CHECK(quote.shipping == cny("8.00"));
    CHECK(quote.discount == cny("0.00"));
    CHECK(quote.total == cny("243.50"));
    // Placing charges what the quote showed, shipping included.
    const auto order = w.orders().place(me, PlaceRequest{"q", CheckoutRequest{w.customer_home, {{w.shirt_skus[0], 1}, {w.atlas, 3}}}, quote.total});
    const auto info = w.orders().order(me, order);
    CHECK(info.total == cny("243.50"));
    CHECK(info.sub_orders[0].shipping_fee == cny("8.00"));

    CHECK(error_of([&] { w.cart().quote(me, CheckoutRequest{w.customer_home, {}}); }) == Errc::invalid_argument);
    CHECK(error_of([&] { w.cart().quote(me, CheckoutRequest{w.buyer_home, {{w.atlas, 1}}}); }) == Errc::forbidden);
    w.catalog().delist(World::as(w.other_owner), w.atlas_product);
    CHECK(error_of([&] { w.cart().quote(me, CheckoutRequest{w.customer_home, {{w.atlas, 1}}}); }) ==
          Errc::invalid_state);
}

TEST_CASE("quote: one currency per order; a fee in another currency is refused") {
    Trading w;
    const auto usd = Currency::of("USD");
    const auto dollar_book = w.catalog().create_product(
        World::as(w.other_owner), w.other_shop, single_draft(w.books, "Dollar book", Money::parse("10.00", usd)));
    w.catalog().put_on_sale(World::as(w.other_owner), dollar_book);
    const auto dollar_sku = w.sku_ids(dollar_book).front();
    const auto me = World::as(w.customer);
    CHECK(error_of([&] { w.cart().quote(me, CheckoutRequest{w.customer_home, {{w.atlas, 1}, {dollar_sku, 1}}}); }) ==
          Errc::currency_mismatch);
    auto options = fast_options(w.clock);
    options.shipping_fee_per_shop = Money::parse("2.00", usd);
    w.reopen(options);
    CHECK(w.cart().quote(me, CheckoutRequest{w.customer_home, {{dollar_sku, 1}}}).total == Money::parse("12.00", usd));
    CHECK(error_of([&] { w.cart().quote(me, CheckoutRequest{w.customer_home, {{w.atlas, 1}}}); }) ==
          Errc::currency_mismatch);
}

TEST_CASE("discounts: shared among their lines by largest remainder, capped at what the lines cost") {
    const auto line = [](std::uint64_t sku, const char* total) {
        QuoteLine l;
        l.sku = SkuId{sku};
        l.quantity = 1;
        l.unit_price = l.line_total = cny(total);
        l.discount = l.platform_discount = l.payable = cny("0");
        return l;
    };
    Quote quote;
    quote.currency = Currency::of("CNY");
    quote.shops.push_back(ShopQuote{ShopId{1}, "A", {line(1, "100.00"), line(2, "50.00")}, {}, {}, cny("0"), {}});
    quote.shops.push_back(ShopQuote{ShopId{2}, "B", {line(3, "0.01")}, {}, {}, cny("5.00"), {}});
    detail::apply_discounts(quote, {{"shop A: 10 off", ShopId{1}, cny("10.00")},
                                    {"platform: 1 off", ShopId{}, cny("1.00")},
                                    {"shop B: more than it costs", ShopId{2}, cny("3.00")}});
    const auto& a = quote.shops[0].lines;
    const auto& b = quote.shops[1].lines;
    // 10.00 over 100:50 → 6.67 + 3.33; then 1.00 over 93.33:46.67:0.01 → 0.67 + 0.33 + 0.00.
    CHECK(a[0].discount == cny("7.34"));
    CHECK(a[1].discount == cny("3.66"));
    CHECK(b[0].discount == cny("0.01"));  // capped: a line never costs less than nothing
    CHECK(b[0].payable == cny("0.00"));
    // Only the discount of shop zero is the platform's to fund.
    CHECK(a[0].platform_discount == cny("0.67"));
    CHECK(a[1].platform_discount == cny("0.33"));
    CHECK(b[0].platform_discount == cny("0.00"));
    CHECK(quote.shops[0].discount == cny("11.00"));
    CHECK(quote.shops[0].payable == cny("139.00"));
    CHECK(quote.shops[1].payable == cny("5.00"));
    CHECK(quote.discount == cny("11.01"));
    CHECK(quote.total == cny("144.00"));
    REQUIRE(quote.discounts.size() == 3);
    CHECK(quote.discounts[2].amount == cny("0.01"));
    CHECK(error_of([&] { detail::apply_discounts(quote, {{"dollars", ShopId{}, Money::parse("1", Currency::of("USD"))}}); }) ==
          Errc::currency_mismatch);
}
