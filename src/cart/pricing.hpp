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

// What a checkout is priced for besides its lines.
struct PricingInput {
    UserId customer;
    Timestamp now{};
    std::vector<CouponId> coupons;  // as the customer applies them
    FlashSaleId flash_sale{};       // zero: none
    GroupCheckout group{};
};

// The discounts a customer gets on a checkout: the pricing pipeline of the promotions module.
class DiscountPolicy {
public:
    virtual ~DiscountPolicy() = default;
    // Applies every discount to `quote` (lines priced, no discount yet) through apply_discount,
    // in pipeline order. Throws for a coupon that cannot be applied.
    virtual void apply(const State& state, const PricingInput& input, Quote& quote) const = 0;
    // Once each shop's shipping fee is known: waives the fees that coupons make free.
    virtual void waive_shipping(const State& state, const PricingInput& input, Quote& quote) const = 0;
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
// SKU that cannot be bought now, currency_mismatch for lines or fees in several currencies,
// and what DiscountPolicy::apply throws for coupons.
Quote price_checkout(const State& state, const TradePolicies& policies, const PricingInput& input,
                     const PostalAddress& to, const std::vector<LineRequest>& lines);

// Shares `discount.amount` among `lines` by what each still costs (largest remainder), capped
// at their sum; a discount of shop zero is platform-funded. Records the shares in the
// discount, appends it to quote.discounts unless nothing was granted, and returns the amount
// granted. Line amounts change; the quote's totals are recomputed by the caller (total_quote).
Money apply_discount(Quote& quote, QuoteDiscount discount, const std::vector<QuoteLine*>& lines);

// Recomputes every amount of the quote that follows from its lines, discounts and fees.
void total_quote(Quote& quote);

// Applies each discount to its shop's lines (every line for shop zero) and totals the quote
// again. Exposed for tests.
void apply_discounts(Quote& quote, const std::vector<QuoteDiscount>& discounts);

}  // namespace souk::detail
