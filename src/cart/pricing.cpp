#include "cart/pricing.hpp"

#include <algorithm>
#include <cassert>
#include <unordered_map>

#include <fmt/format.h>

#include "catalog/lookup.hpp"
#include "shipping/fees.hpp"
#include "promotions/flash_sales.hpp"
#include "promotions/pricing.hpp"
#include "souk/error.hpp"
#include "souk/inventory.hpp"
#include "souk/marketplace.hpp"

namespace souk::detail {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(Errc::invalid_argument, message); }

void require_quantity(SkuId sku, std::int64_t quantity) {
    if (quantity < 1 || quantity > Cart::max_quantity)
        invalid(fmt::format("the quantity of SKU {} must be 1..{}, not {}", sku, Cart::max_quantity, quantity));
}

void require_currency(const Money& amount, const Currency& currency, std::string_view what) {
    if (amount.currency() != currency)
        throw Error(Errc::currency_mismatch,
                    fmt::format("{} is in {} but the order is priced in {}", what, amount.currency(), currency));
}

}  // namespace

void total_quote(Quote& quote) {
    const Money zero = Money::zero(quote.currency);
    quote.subtotal = quote.discount = quote.shipping = quote.total = zero;
    for (auto& shop : quote.shops) {
        shop.subtotal = shop.discount = zero;
        for (auto& line : shop.lines) {
            line.payable = line.line_total - line.discount;
            shop.subtotal += line.line_total;
            shop.discount += line.discount;
        }
        shop.payable = shop.subtotal - shop.discount + shop.shipping;
        quote.subtotal += shop.subtotal;
        quote.discount += shop.discount;
        quote.shipping += shop.shipping;
        quote.total += shop.payable;
    }
}

FlatShippingFee::FlatShippingFee(std::optional<Money> fee, std::optional<Money> free_from)
    : fee_(std::move(fee)), free_from_(std::move(free_from)) {}

Money FlatShippingFee::fee(const State&, const ShopQuote& shop_part, const PostalAddress&) const {
    const Currency currency = shop_part.subtotal.currency();
    if (!fee_) return Money::zero(currency);
    require_currency(*fee_, currency, "the marketplace's shipping fee");
    if (free_from_) {
        require_currency(*free_from_, currency, "the marketplace's free-shipping threshold");
        if (shop_part.subtotal - shop_part.discount >= *free_from_) return Money::zero(currency);
    }
    return *fee_;
}

TradePolicies TradePolicies::from(const MarketplaceOptions& options) {
    const auto require_positive = [](Duration d, std::string_view what) {
        if (d <= Duration::zero()) invalid(fmt::format("the {} must be positive", what));
    };
    require_positive(options.payment_timeout, "payment timeout");
    require_positive(options.auto_receive_after, "automatic receipt delay");
    require_positive(options.after_sales_window, "after-sales window");
    require_positive(options.review_window, "review window");
    require_positive(options.after_sales_response_window, "after-sales response window");
    if (options.payment_timeout > Inventory::max_reservation_lifetime)
        invalid(fmt::format("the payment timeout can be at most {} days: stock is reserved until then",
                            std::chrono::duration_cast<std::chrono::days>(Inventory::max_reservation_lifetime).count()));
    const auto& fee = options.shipping_fee_per_shop;
    const auto& free_from = options.free_shipping_from;
    if (fee && fee->is_negative()) invalid("the shipping fee must not be negative");
    if (free_from && free_from->minor_units() <= 0)
        invalid("the free-shipping threshold must be positive");
    if (fee && free_from && fee->currency() != free_from->currency())
        throw Error(Errc::currency_mismatch, "the shipping fee and the free-shipping threshold need one currency");
    TradePolicies policies;
    policies.shipping = std::make_unique<TemplateShippingFee>(std::make_unique<FlatShippingFee>(fee, free_from));
    policies.discounts = make_promotion_pricing(options.stacking);
    policies.payment_timeout = options.payment_timeout;
    policies.auto_receive_after = options.auto_receive_after;
    policies.after_sales_window = options.after_sales_window;
    policies.review_window = options.review_window;
    policies.after_sales_response = options.after_sales_response_window;
    return policies;
}

std::vector<LineRequest> checkout_lines(const State& state, UserId customer, const CheckoutRequest& request) {
    std::vector<LineRequest> asked = request.buy_now;
    if (asked.empty()) {
        if (const auto* cart = state.cart.cart_of(customer))
            for (const auto& line : cart->lines)
                if (line.selected) asked.push_back(LineRequest{line.sku, line.quantity});
        if (asked.empty()) invalid("nothing to check out: no cart line is selected and no line was given");
    }
    std::vector<LineRequest> merged;
    // Where each SKU's line is in `merged`: merging stays linear in the number of lines.
    std::unordered_map<SkuId, std::size_t> position;
    for (const auto& line : asked) {
        require_quantity(line.sku, line.quantity);
        const auto [it, first] = position.try_emplace(line.sku, merged.size());
        if (first) {
            merged.push_back(line);
        } else {
            auto& same = merged[it->second];
            same.quantity += line.quantity;
            require_quantity(line.sku, same.quantity);
        }
    }
    if (merged.size() > Cart::max_lines)
        throw Error(Errc::limit_exceeded,
                    fmt::format("a checkout holds at most {} SKUs, not {}", Cart::max_lines, merged.size()));
    return merged;
}

Quote price_checkout(const State& state, const TradePolicies& policies, const PricingInput& input,
                     const PostalAddress& to, const std::vector<LineRequest>& lines) {
    if (lines.empty()) invalid("nothing to check out");
    Quote quote;
    for (const auto& request : lines) {
        const auto found = require_purchasable(state, request.sku);
        if (quote.shops.empty()) quote.currency = found.sku.price.currency();
        require_currency(found.sku.price, quote.currency, fmt::format("the price of SKU {}", request.sku));
        auto shop = std::find_if(quote.shops.begin(), quote.shops.end(), [&](const auto& s) { return s.shop == found.shop.id; });
        if (shop == quote.shops.end()) {
            quote.shops.push_back(ShopQuote{found.shop.id, found.shop.application.name, {}, {}, {}, {}, {}});
            shop = std::prev(quote.shops.end());
            shop->shipping = Money::zero(quote.currency);
        }
        const Money zero = Money::zero(quote.currency);
        shop->lines.push_back(QuoteLine{request.sku, found.product.id, found.product.title, found.sku.spec,
                                        found.sku.price, request.quantity, found.sku.price.times(request.quantity),
                                        zero, zero, zero, state.inventory.available(request.sku)});
    }
    apply_flash_sale_prices(state, input, quote);
    total_quote(quote);
    policies.discounts->apply(state, input, quote);
    total_quote(quote);
    for (auto& shop : quote.shops) {
        shop.shipping = policies.shipping->fee(state, shop, to);
        require_currency(shop.shipping, quote.currency, "the shipping fee");
        assert(!shop.shipping.is_negative());
    }
    policies.discounts->waive_shipping(state, input, quote);
    total_quote(quote);
    return quote;
}

Money apply_discount(Quote& quote, QuoteDiscount discount, const std::vector<QuoteLine*>& lines) {
    require_currency(discount.amount, quote.currency, fmt::format("the discount '{}'", discount.label));
    std::vector<std::int64_t> weights;
    weights.reserve(lines.size());
    std::int64_t left = 0;
    for (const auto* line : lines) {
        weights.push_back((line->line_total - line->discount).minor_units());
        left += weights.back();
    }
    const Money granted(std::min(discount.amount.minor_units(), left), quote.currency);
    if (granted.minor_units() <= 0) return Money::zero(quote.currency);
    const auto shares = allocate(granted, weights);
    discount.lines.clear();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (shares[i].is_zero()) continue;
        lines[i]->discount += shares[i];
        if (!discount.shop) lines[i]->platform_discount += shares[i];
        discount.lines.push_back(DiscountShare{lines[i]->sku, shares[i]});
    }
    discount.amount = granted;
    quote.discounts.push_back(std::move(discount));
    return granted;
}

void apply_discounts(Quote& quote, const std::vector<QuoteDiscount>& discounts) {
    for (const auto& discount : discounts) {
        std::vector<QuoteLine*> lines;
        for (auto& shop : quote.shops)
            if (!discount.shop || shop.shop == discount.shop)
                for (auto& line : shop.lines) lines.push_back(&line);
        apply_discount(quote, discount, lines);
    }
    total_quote(quote);
}

}  // namespace souk::detail
