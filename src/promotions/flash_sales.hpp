// The flash sale steps of the pricing pipeline and of placing and cancelling orders.
#pragma once

#include <vector>

#include "cart/pricing.hpp"
#include "inventory/stock_moves.hpp"
#include "kernel/event.hpp"
#include "kernel/state.hpp"
#include "souk/flash_sales.hpp"

namespace souk::detail {

const FlashSaleRecord& flash_sale_or_throw(const State& state, FlashSaleId sale);

// `customer` may take `units` of `sale` at `now`: the window is open, each SKU is the sale's
// with that many units left, and the customer stays within the limit. Throws invalid_state,
// invalid_argument, insufficient_stock or limit_exceeded.
void require_flash_units(const State& state, const FlashSaleRecord& sale, UserId customer, Timestamp now,
                         const std::vector<StockLine>& units);

// The pricing step: lines of the named sale's SKUs cost the sale price (before any discount).
// Throws as require_flash_units, and invalid_argument if no line is the sale's.
void apply_flash_sale_prices(const State& state, const PricingInput& input, Quote& quote);

// How long an order placed through `sale` (zero: none) waits for payment.
Duration payment_timeout_for(const State& state, FlashSaleId sale, Duration standard);

// Orders::place, before reserving the order's stock: moves the quoted sale lines' units out of
// the sale's reservation, so the order's own reservation takes exactly them.
void take_flash_units(const State& state, EventSink& out, StockMoves& stock, FlashSaleId sale, UserId customer,
                      PaymentOrderId order, const Quote& quote);

// Cancelling `order` unpaid, after its reservations were released: while its sale runs, the
// order's sale units go back to the sale, not to general stock.
void return_flash_units(const State& state, EventSink& out, StockMoves& stock, const PaymentOrderRecord& order);

}  // namespace souk::detail
