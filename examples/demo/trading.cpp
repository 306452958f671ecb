// Stage 3: customers trade, hour by hour. They fill carts across shops, check out and pay
// through the sandbox gateway, sometimes change their minds or never pay; shops ship (in
// parts when a line is slow), now and then cancel what they cannot send or refund a damaged
// item; buyers confirm receipt, and the deadlines do the rest when they do not.
#include <fmt/format.h>

#include "demo.hpp"

namespace demo {
namespace {

using std::chrono::hours;

void deliver(DemoWorld& w) { w.sandbox->deliver_all(); }

// A customer fills the cart from one or two shops and checks out what is selected.
void shop_and_check_out(DemoWorld& w, std::size_t c, int& checkout_number) {
    const auto& customer = w.customers[c];
    auto& cart = w.market.cart();
    for (std::size_t s = 0, shops = 1 + w.pick(2); s < shops; ++s) {
        const auto& shop = w.shops[w.pick(w.shops.size())];
        cart.add(customer, shop.skus[w.pick(shop.skus.size())], static_cast<std::int64_t>(1 + w.pick(3)));
    }
    try {
        const souk::CheckoutRequest checkout{w.homes[c], {}};
        const auto quote = cart.quote(customer, checkout);
        const auto key = fmt::format("c{}-checkout-{}", c, ++checkout_number);
        const auto order = w.market.orders().place(customer, {key, checkout, quote.total});
        if (w.chance(8)) {  // changes their mind before paying
            w.market.orders().cancel(customer, w.market.orders().order(customer, order).sub_orders.front().id,
                                     "changed my mind");
        } else if (!w.chance(10)) {  // the rest never pay: the payment deadline cancels them
            const auto start = w.market.orders().pay(customer, order, "sandbox");
            w.sandbox->complete_payment(start.provider_payment_id);
            deliver(w);
        }
    } catch (const souk::Error& e) {
        if (e.code() != souk::Errc::insufficient_stock && e.code() != souk::Errc::invalid_state) throw;
        cart.clear(customer);  // sold out: the customer gives up
    }
}

std::vector<souk::SubOrderInfo> sub_orders_in(DemoWorld& w, const DemoShop& shop, souk::SubOrderStatus status) {
    return w.market.orders().sub_orders_of_shop(shop.owner, shop.id, {status, {}, {}}, {0, souk::Page::max_limit});
}

// Twice a day each shop sends what was paid: a line at a time when an order has several,
// now and then; rarely it cannot and cancels, refunding the buyer in full.
void ship_paid(DemoWorld& w, int& parcel) {
    for (const auto& shop : w.shops)
        for (const auto status : {souk::SubOrderStatus::paid, souk::SubOrderStatus::partially_shipped})
            for (const auto& sub_order : sub_orders_in(w, shop, status)) {
                if (status == souk::SubOrderStatus::paid && w.chance(2)) {
                    w.market.orders().cancel(shop.owner, sub_order.id, "out of stock at the warehouse");
                    deliver(w);
                    continue;
                }
                souk::ShipmentRequest shipment{"SF", fmt::format("SF{:010}", ++parcel), {}};
                if (status == souk::SubOrderStatus::paid && sub_order.lines.size() > 1 && w.chance(30))
                    shipment.lines = {{sub_order.lines.front().sku, sub_order.lines.front().quantity}};
                w.market.orders().ship(shop.owner, sub_order.id, shipment);
            }
}

// In the evening some buyers confirm what arrived; a few received parcels turn out damaged
// and the shop refunds a fifth of that line.
void confirm_and_refund(DemoWorld& w) {
    for (const auto& shop : w.shops) {
        for (const auto& sub_order : sub_orders_in(w, shop, souk::SubOrderStatus::shipped))
            if (w.clock->now() - *sub_order.shipped_at > hours(48) && w.chance(60))
                w.market.orders().confirm_receipt(souk::Actor::user(sub_order.customer), sub_order.id);
        for (const auto& sub_order : sub_orders_in(w, shop, souk::SubOrderStatus::received)) {
            const auto& line = sub_order.lines.front();
            if (line.refunded.is_zero() && w.chance(4)) {
                const souk::Money part(line.paid_share.minor_units() / 5, line.paid_share.currency());
                w.market.orders().refund(shop.owner, sub_order.id, {{line.sku, part}}, "arrived damaged");
                deliver(w);
            }
        }
    }
}

}  // namespace

void DemoWorld::advance(souk::Duration by) {
    clock->advance(by);
    market.tick(clock->now());
    sandbox->deliver_all();
}

void trade(DemoWorld& w, int days) {
    int checkout_number = 0, parcel = 0;
    w.sandbox->on_notification(
        [&market = w.market](const souk::Notification& n) { market.orders().handle_notification("sandbox", n); });
    for (int day = 0; day < days; ++day) {
        for (int hour = 0; hour < 24; ++hour) {
            if (hour >= 8 && hour <= 22)
                for (std::size_t visits = w.pick(4); visits > 0; --visits)
                    shop_and_check_out(w, w.pick(w.customers.size()), checkout_number);
            if (hour == 10 || hour == 16) ship_paid(w, parcel);
            if (hour == 20) confirm_and_refund(w);
            w.advance(hours(1));
        }
    }
}

}  // namespace demo
