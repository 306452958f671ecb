// A marketplace ready to trade, for the cart, orders, payment, simulation and replay tests:
// the Catalogued world with stock, a second customer, addresses, a book shop line, and a
// SandboxProvider registered as "sandbox" whose notifications go to Orders::handle_notification.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "souk/cart.hpp"
#include "souk/orders.hpp"
#include "souk/payment/sandbox_provider.hpp"
#include "support/catalog_fixtures.hpp"

namespace souk::test {

inline const std::string sandbox_secret = "trade-test-secret-0123456789";

inline PostalAddress home_address(std::string recipient) {
    return PostalAddress{std::move(recipient), "+86 138 0013 8000", {"440000", "440300", "440305"},
                         "科技园 1 号楼 1201", "518057"};
}

// The Catalogued world plus:
//   shirt_skus (shop `active`) and other_skus (shop `other_shop`): 10 units each on hand;
//   atlas: a single-SKU book of other_shop at 45.50 CNY, 10 units;
//   buyer: a second customer; customer_home and buyer_home: their default addresses;
//   sandbox: registered as "sandbox", notifications delivered to handle_notification and
//   their results kept in `notified`.
struct Trading : Catalogued {
    ProductId atlas_product;
    SkuId atlas;
    UserId buyer;
    AddressId customer_home, buyer_home;
    std::shared_ptr<SandboxProvider> sandbox = std::make_shared<SandboxProvider>(sandbox_secret, clock);
    std::vector<NotificationResult> notified;
    int keys_used = 0;

    Trading() {
        tick();
        atlas_product = catalog().create_product(as(other_owner), other_shop, single_draft(books, "Atlas", cny("45.50")));
        catalog().put_on_sale(as(other_owner), atlas_product);
        atlas = sku_ids(atlas_product).front();
        std::vector<StockChange> own, others;
        for (const auto sku : shirt_skus) own.push_back({sku, 10});
        for (const auto sku : other_skus) others.push_back({sku, 10});
        others.push_back({atlas, 10});
        inventory().adjust(as(owner), own, "first delivery");
        inventory().adjust(as(other_owner), others, "first delivery");
        buyer = add_user("buyer", "Second Buyer");
        customer_home = cart().add_address(as(customer), home_address("Han Meimei"));
        buyer_home = cart().add_address(as(buyer), home_address("Wang Wu"));
        market.register_payment_provider("sandbox", sandbox);
        sandbox->on_notification([this](const Notification& n) {
            notified.push_back(orders().handle_notification("sandbox", n));
        });
    }

    // Reopens the marketplace over a copy of its journal with other options (and the same
    // clock and provider): how a test changes shipping fees or deadlines of a populated world.
    void reopen(MarketplaceOptions options) {
        options.clock = clock;
        auto copy = copy_journal(*journal);
        journal = copy.get();
        market = Marketplace(std::move(copy), std::move(options));
        market.register_payment_provider("sandbox", sandbox);
    }

    Cart& cart() { return market.cart(); }
    Orders& orders() { return market.orders(); }

    AddressId home_of(UserId who) const { return who == buyer ? buyer_home : customer_home; }
    std::string next_key() { return fmt::format("checkout-{}", ++keys_used); }

    // Places a buy-now order for `who` with a fresh key.
    PaymentOrderId buy(UserId who, std::vector<LineRequest> lines) {
        tick();
        return orders().place(as(who), PlaceRequest{next_key(), CheckoutRequest{home_of(who), std::move(lines)}, {}});
    }
    // Pays through the sandbox: the payer completes the payment and its notifications arrive.
    void pay(PaymentOrderId order, UserId who) {
        tick();
        const auto start = orders().pay(as(who), order, "sandbox");
        sandbox->complete_payment(start.provider_payment_id);
        sandbox->deliver_all();
    }
    // A paid order of one shirt (2 units of the first SKU) and one atlas: two sub-orders.
    PaymentOrderId paid_order(UserId who) {
        const auto order = buy(who, {{shirt_skus[0], 2}, {atlas, 1}});
        pay(order, who);
        REQUIRE(orders().order(sys(), order).status == PaymentOrderStatus::paid);
        return order;
    }
    SubOrderInfo sub_order_of(PaymentOrderId order, ShopId shop) {
        for (const auto& sub_order : orders().order(sys(), order).sub_orders)
            if (sub_order.shop == shop) return sub_order;
        FAIL("no sub-order of that shop");
        return {};
    }
    StockLevel stock_of(SkuId sku) { return inventory().stock(sys(), sku); }
};

}  // namespace souk::test
