// souk — 秒杀 flash sales: a shop sells a fixed number of SKU units at a special price in a
// short window, at most so many per customer, with a short payment deadline (see
// docs/promotions.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/inventory.hpp"
#include "souk/money.hpp"

namespace souk {

namespace detail {
class Kernel;
}
class Orders;

// One SKU of a sale: its sale price and the units taken from available stock for the sale.
struct FlashSaleItem {
    SkuId sku;
    Money price;  // positive, in the SKU's currency, below its list price
    std::int64_t quantity = 0;  // 1..Inventory::max_quantity
    friend bool operator==(const FlashSaleItem&, const FlashSaleItem&) = default;
};

struct FlashSaleSpec {
    std::string name;                  // 1..60 characters
    std::vector<FlashSaleItem> items;  // 1..FlashSales::max_items SKUs of the shop, each once
    // Units sell in [starts_at, ends_at); at ends_at the units left return to stock. The
    // window ends within Inventory::max_reservation_lifetime of its creation.
    Timestamp starts_at{};
    Timestamp ends_at{};
    std::int32_t per_customer_limit = 1;  // units one customer may hold: 1..100
    // An unpaid order of sale units is cancelled this long after placing, and its units go
    // back to the sale while it runs: 1..30 minutes.
    Duration payment_timeout = std::chrono::minutes(5);
    friend bool operator==(const FlashSaleSpec&, const FlashSaleSpec&) = default;
};

struct FlashSaleInfo {
    FlashSaleId id;
    ShopId shop;
    FlashSaleSpec spec;
    // Units still for sale, per SKU in the order of spec.items: zero for all once the sale
    // is over and the stock has them back.
    std::vector<StockLine> left;
    Timestamp created_at{};
    friend bool operator==(const FlashSaleInfo&, const FlashSaleInfo&) = default;
};

// The flash sales service. A shop's owner and staff create sales; customers buy with
// `buy` (one SKU) or by naming the sale in CheckoutRequest::flash_sale (Cart::quote shows
// the sale price, Orders::place takes the units).
//
// Never oversold, never undersold: the sale's units are an inventory reservation of its own;
// each purchase moves units from it to the order's reservation in the order's command, and a
// cancelled unpaid order moves them back while the sale runs.
//
// Thread-safety: like every service, any number of threads may call it at once. `buy`
// refuses sold-out and over-limit attempts under the shared read lock, without queueing for
// the writer.
class FlashSales {
public:
    static constexpr std::size_t max_items = 20;
    static constexpr std::int32_t max_per_customer = 100;
    static constexpr Duration min_payment_timeout = std::chrono::minutes(1);
    static constexpr Duration max_payment_timeout = std::chrono::minutes(30);

    // Takes the units from the SKUs' available stock (insufficient_stock if there are not
    // enough). The shop's owner and staff.
    FlashSaleId create(const Actor& actor, ShopId shop, const FlashSaleSpec& spec);
    // Sales are public: what a storefront shows.
    FlashSaleInfo sale(FlashSaleId sale) const;
    // A shop's sales not yet over, by start.
    std::vector<FlashSaleInfo> sales(ShopId shop) const;
    // Units of the sale the customer holds in unpaid or paid orders. The customer or staff.
    std::int64_t held(const Actor& actor, FlashSaleId sale, UserId customer) const;

    // Places a buy-now order of `quantity` units of `sku` at the sale price, shipped to the
    // customer's `address`, due for payment within the sale's payment timeout. Refuses with
    // invalid_state outside the window, insufficient_stock when the units left are fewer,
    // limit_exceeded above the per-customer limit. A retry with the same key returns the
    // order the key placed.
    PaymentOrderId buy(const Actor& customer, FlashSaleId sale, SkuId sku, std::int64_t quantity, AddressId address,
                       const std::string& idempotency_key);

private:
    friend class Marketplace;
    FlashSales(detail::Kernel& kernel, Orders& orders) : kernel_(&kernel), orders_(&orders) {}
    detail::Kernel* kernel_;
    Orders* orders_;
};

}  // namespace souk
