// Pricing a checkout: the one function behind Cart::quote and Orders::place, so that what a
// customer is shown is what placing charges. Shipping fees and discounts come from policies
// that the promotions and shipping modules replace.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "kernel/state.hpp"
#include "souk/cart.hpp"
#include "souk/clock.hpp"
#include "souk/money.hpp"

namespace souk {
struct MarketplaceOptions;
}

namespace souk::detail {

// What one shop charges for shipping its part of an order.
class ShippingFeePolicy {
public:
    virtual ~ShippingFeePolicy() = default;
    // The fee for `shop_part` (lines priced and discounted) shipped to `to`: zero or more, in
    // the part's currency.
    virtual Money fee(const State& state, const ShopQuote& shop_part, const PostalAddress& to) const = 0;
};

// The discounts a customer gets on a checkout.
class DiscountPolicy {
public:
    virtual ~DiscountPolicy() = default;
    // The discounts on `undiscounted` (lines priced, no discount yet), each positive, in the
    // quote's currency. A shop's discount is shared among that shop's lines, a platform one
    // (shop zero) among every line.
    virtual std::vector<QuoteDiscount> discounts(const State& state, UserId customer, const Quote& undiscounted) const = 0;
};

// The marketplace's flat fee per shop, free from a threshold on (MarketplaceOptions).
class FlatShippingFee final : public ShippingFeePolicy {
public:
    FlatShippingFee(std::optional<Money> fee, std::optional<Money> free_from);
    Money fee(const State& state, const ShopQuote& shop_part, const PostalAddress& to) const override;

private:
    std::optional<Money> fee_;
    std::optional<Money> free_from_;
};

class NoDiscounts final : public DiscountPolicy {
public:
    std::vector<QuoteDiscount> discounts(const State&, UserId, const Quote&) const override { return {}; }
};

// Everything the trade services take from the marketplace's options.
struct TradePolicies {
    std::unique_ptr<const ShippingFeePolicy> shipping;
    std::unique_ptr<const DiscountPolicy> discounts;
    Duration payment_timeout{};
    Duration auto_receive_after{};
    Duration after_sales_window{};
    Duration review_window{};
    Duration after_sales_response{};  // how long a shop has to answer an after-sales request

    // Throws invalid_argument for options out of range.
    static TradePolicies from(const MarketplaceOptions& options);
};

// The lines a checkout covers for `customer`: the buy-now lines, or the selected cart lines.
// Lines naming one SKU twice are merged, in the order each SKU first appears. Throws
// invalid_argument for an empty selection, quantities outside 1..Cart::max_quantity or more
// than Cart::max_lines lines.
std::vector<LineRequest> checkout_lines(const State& state, UserId customer, const CheckoutRequest& request);

// Prices `lines` (as checkout_lines returns them) shipped to `to`. Throws invalid_state for a
// SKU that cannot be bought now, currency_mismatch for lines or fees in several currencies.
Quote price_checkout(const State& state, const TradePolicies& policies, UserId customer, const PostalAddress& to,
                     const std::vector<LineRequest>& lines);

// Shares each discount among its lines by their payable amounts (largest remainder), capped
// at what those lines still cost, and totals the quote again. Exposed for tests.
void apply_discounts(Quote& quote, const std::vector<QuoteDiscount>& discounts);

}  // namespace souk::detail
