// A trading marketplace with the fulfilment services at hand: shipping templates, tracking,
// after-sales and reviews, and shortcuts that drive a sub-order along.
#pragma once

#include <chrono>
#include <string>

#include "souk/after_sales.hpp"
#include "souk/reviews.hpp"
#include "souk/shipping.hpp"
#include "support/trade_fixtures.hpp"

namespace souk::test {

// A rate of `first` for the first unit and `next` for each further one, everywhere.
inline ShippingTemplateSpec per_piece(std::string name, std::string_view first, std::string_view next) {
    ShippingTemplateSpec spec;
    spec.name = std::move(name);
    spec.basis = FeeBasis::piece;
    spec.default_rate = ShippingRate{"", {}, 1, cny(first), 1, cny(next)};
    return spec;
}

struct Fulfilling : Trading {
    Shipping& shipping() { return market.shipping(); }
    AfterSales& after_sales() { return market.after_sales(); }
    Reviews& reviews() { return market.reviews(); }

    // Moves the clock on and fires what is due.
    TickReport later(Duration by) {
        clock->advance(by);
        return market.tick(clock->now());
    }
    // The shop ships everything left of the sub-order under `tracking`.
    void ship_rest(const SubOrderInfo& sub_order, const std::string& tracking) {
        tick();
        orders().ship(sys(), sub_order.id, ShipmentRequest{"SF", tracking, {}});
    }
    // Delivers every notification the sandbox holds (refund outcomes included).
    void settle() { sandbox->deliver_all(); }
    SubOrderInfo fresh(const SubOrderInfo& sub_order) { return orders().sub_order(sys(), sub_order.id); }
    // Ships everything, the buyer confirms, and the after-sales window closes.
    void complete(const SubOrderInfo& sub_order, const std::string& tracking) {
        ship_rest(sub_order, tracking);
        tick();
        orders().confirm_receipt(as(sub_order.customer), sub_order.id);
        later(std::chrono::hours(24 * 7));
        REQUIRE(fresh(sub_order).status == SubOrderStatus::completed);
    }
    AfterSalesId ask(UserId who, SubOrderId sub_order, AfterSalesKind kind, std::vector<AfterSalesLine> lines) {
        tick();
        return after_sales().request(as(who), AfterSalesRequest{sub_order, kind, std::move(lines), "not as described",
                                                                {"https://img.example.com/evidence-1.jpg"}});
    }
};

}  // namespace souk::test
