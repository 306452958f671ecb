// souk — the buyer's side before an order: the address book, the cart that spans shops, and
// the quote that prices a checkout exactly as placing it will (see docs/trade.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"

namespace souk {

namespace detail {
class Kernel;
struct TradePolicies;
}

// ---------------------------------------------------------------------------------------
// Addresses

// Administrative region codes as the host's region table spells them (GB/T 2260 codes such
// as "440000" / "440300" / "440305" in China). Each is 1..12 ASCII letters or digits;
// province is required, a district needs a city.
struct RegionCode {
    std::string province;
    std::string city;
    std::string district;
    friend bool operator==(const RegionCode&, const RegionCode&) = default;
};

// Where goods go. Orders keep a copy, so editing or removing an address never changes an order.
struct PostalAddress {
    std::string recipient;    // 1..40 characters
    std::string phone;        // 5..20 characters: digits, spaces, '-', an optional leading '+'
    RegionCode region;
    std::string detail;       // street, building, room: 1..200 characters
    std::string postal_code;  // 0..12 ASCII letters, digits, spaces or '-'
    friend bool operator==(const PostalAddress&, const PostalAddress&) = default;
};

struct AddressEntry {
    AddressId id;
    PostalAddress address;
    bool is_default = false;
    Timestamp updated_at{};
    friend bool operator==(const AddressEntry&, const AddressEntry&) = default;
};

// ---------------------------------------------------------------------------------------
// Cart

// One line of a cart as the customer sees it now. Problems are flagged, never fixed
// silently: a line stays until the customer removes it.
struct CartLineView {
    SkuId sku;
    ProductId product;
    std::string title;
    std::vector<std::string> spec;
    std::int64_t quantity = 0;
    bool selected = true;
    Money price_when_added;  // the unit price the customer saw when adding
    Money price;             // the unit price now
    std::int64_t available = 0;
    // Why the line cannot be bought now (the product is off sale or banned, the SKU was
    // dropped, the shop is not active); empty when it can.
    std::string unavailable_reason;
    bool out_of_stock = false;        // nothing available
    bool insufficient_stock = false;  // fewer available than quantity (but some)
    bool price_changed = false;       // price != price_when_added
    Timestamp added_at{};
    friend bool operator==(const CartLineView&, const CartLineView&) = default;
};

// A cart's lines of one shop, in the order they were first added.
struct CartShopGroup {
    ShopId shop;
    std::string shop_name;
    std::vector<CartLineView> lines;
    friend bool operator==(const CartShopGroup&, const CartShopGroup&) = default;
};

struct CartView {
    std::vector<CartShopGroup> shops;  // in the order each shop's first line was added
    std::size_t line_count = 0;
    std::size_t selected_count = 0;
    friend bool operator==(const CartView&, const CartView&) = default;
};

// ---------------------------------------------------------------------------------------
// Checkout selection and quote

// A quantity of one SKU in a checkout.
struct LineRequest {
    SkuId sku;
    std::int64_t quantity = 0;  // 1..Cart::max_quantity
    friend bool operator==(const LineRequest&, const LineRequest&) = default;
};

// Buying through a group offer: joining `group`, or opening a new group when it is zero.
// With `offer` zero the checkout is not a group purchase.
struct GroupCheckout {
    GroupOfferId offer;
    GroupId group;
    friend bool operator==(const GroupCheckout&, const GroupCheckout&) = default;
};

// What a checkout covers: with `buy_now` empty, the cart's selected lines at their cart
// quantities (placing them removes them from the cart); otherwise exactly these lines
// ("buy now"), and the cart is left alone. Lines naming one SKU twice are added together.
struct CheckoutRequest {
    AddressId address;
    std::vector<LineRequest> buy_now;
    // Coupons the customer applies: at most one per shop and one platform coupon
    // (see docs/promotions.md). Placing the order uses them; cancelling it unpaid returns them.
    std::vector<CouponId> coupons{};
    // A flash sale the checkout buys from: its SKUs are priced at the sale price and take
    // units of the sale (docs/promotions.md). Zero: none.
    FlashSaleId flash_sale{};
    // 拼团: buy-now of the offer's SKU alone, at its group price (see docs/promotions.md).
    GroupCheckout group{};
    friend bool operator==(const CheckoutRequest&, const CheckoutRequest&) = default;
};

struct QuoteLine {
    SkuId sku;
    ProductId product;
    std::string title;
    std::vector<std::string> spec;
    Money unit_price;
    std::int64_t quantity = 0;
    Money line_total;  // unit_price × quantity
    Money discount;    // this line's share of every discount
    Money platform_discount;  // the part of `discount` the platform funds (discounts of shop zero)
    Money payable;     // line_total − discount: what a refund of the line can return at most
    std::int64_t available = 0;
    friend bool operator==(const QuoteLine&, const QuoteLine&) = default;
};

// The kinds of discount the pricing pipeline applies, in pipeline order. Which kinds combine
// on one line is data: StackingRules (souk/promotions.hpp).
enum class DiscountKind : std::uint8_t {
    spend_tier = 1,       // a shop's 满减 tiers
    shop_coupon = 2,      // a coupon a shop issued
    platform_coupon = 3,  // a coupon the platform issued
    group_price = 4,      // a group offer's price (拼团), before every other discount
};

// The part of a discount one line carries.
struct DiscountShare {
    SkuId sku;
    Money amount;
    friend bool operator==(const DiscountShare&, const DiscountShare&) = default;
};

// A discount as a promotion names it, and where it went. shop is zero for a platform-funded
// one, else the shop that funds it.
struct QuoteDiscount {
    std::string label;
    ShopId shop;
    Money amount;
    DiscountKind kind = DiscountKind::spend_tier;
    // The rule behind it: a SpendPromotionId or a CouponId, by kind.
    std::uint64_t rule = 0;
    // How `amount` was shared among lines (largest remainder by what each line still cost);
    // the shares sum to `amount`. Empty for a waived shipping fee.
    std::vector<DiscountShare> lines{};
    // A free-shipping coupon: `amount` is the shipping fee of `shop` it waived.
    bool waives_shipping = false;
    friend bool operator==(const QuoteDiscount&, const QuoteDiscount&) = default;
};

// One shop's part: it becomes one sub-order.
struct ShopQuote {
    ShopId shop;
    std::string shop_name;
    std::vector<QuoteLine> lines;  // one per SKU, in selection order
    Money subtotal;                // Σ line_total
    Money discount;                // Σ line discount
    Money shipping;
    Money payable;                 // subtotal − discount + shipping
    friend bool operator==(const ShopQuote&, const ShopQuote&) = default;
};

struct Quote {
    Currency currency;
    std::vector<ShopQuote> shops;  // in the order each shop's first line appears
    std::vector<QuoteDiscount> discounts;
    Money subtotal;
    Money discount;
    Money shipping;
    Money total;  // Σ shop payable: what the customer pays
    friend bool operator==(const Quote&, const Quote&) = default;
};

// The cart service: one cart per customer across shops, the customer's address book, and
// quotes. Every command acts on the actor's own cart and addresses; platform staff may read
// a customer's (queries take the customer's id).
//
// Thread-safety: like every service, any number of threads may call it at once.
class Cart {
public:
    static constexpr std::size_t max_lines = 500;
    static constexpr std::int64_t max_quantity = 9999;
    static constexpr std::size_t max_addresses = 50;

    // ---- address book ----
    // The first address becomes the default, as does an address added with make_default.
    AddressId add_address(const Actor& customer, const PostalAddress& address, bool make_default = false);
    void update_address(const Actor& customer, AddressId address, const PostalAddress& changed);
    // Removing the default makes the oldest remaining address the default.
    void remove_address(const Actor& customer, AddressId address);
    void set_default_address(const Actor& customer, AddressId address);
    // The default first, then by id. The customer themself or platform staff.
    std::vector<AddressEntry> addresses(const Actor& actor, UserId customer) const;
    AddressEntry address(const Actor& actor, AddressId address) const;

    // ---- cart lines ----
    // Adds `quantity` units of a SKU that can be bought now; adding a SKU already in the cart
    // adds to its line (and takes its current price as the price seen). The line is selected.
    void add(const Actor& customer, SkuId sku, std::int64_t quantity);
    void set_quantity(const Actor& customer, SkuId sku, std::int64_t quantity);
    void remove(const Actor& customer, const std::vector<SkuId>& skus);
    void set_selected(const Actor& customer, const std::vector<SkuId>& skus, bool selected);
    void clear(const Actor& customer);
    // The customer themself or platform staff.
    CartView view(const Actor& actor, UserId customer) const;

    // ---- quote ----
    // Prices a checkout for the actor: every line, discounts, shipping per shop, the total.
    // Orders::place prices with the same function, so the total shown is the total charged.
    // Throws invalid_state for a line that cannot be bought now, currency_mismatch for
    // lines in several currencies, invalid_argument for an empty selection.
    Quote quote(const Actor& customer, const CheckoutRequest& request) const;

private:
    friend class Marketplace;
    Cart(detail::Kernel& kernel, const detail::TradePolicies& policies) : kernel_(&kernel), policies_(&policies) {}
    detail::Kernel* kernel_;
    const detail::TradePolicies* policies_;
};

}  // namespace souk
