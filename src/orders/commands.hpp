// What the orders commands share: lookups, who is acting, and the event sequences that
// several commands emit (cancelling an unpaid order, requesting a refund).
#pragma once

#include <optional>
#include <string>

#include "inventory/stock_moves.hpp"
#include "kernel/event.hpp"
#include "kernel/state.hpp"
#include "orders/events.hpp"

namespace souk::detail {

const PaymentOrderRecord& order_or_throw(const State& state, PaymentOrderId order);
const SubOrderRecord& sub_order_or_throw(const State& state, SubOrderId sub_order);

// The actor is the order's buyer (an enabled user).
bool is_buyer(const State& state, const Actor& actor, UserId customer);
// The buyer, the shop's members or platform staff; otherwise forbidden.
void require_sub_order_reader(const State& state, const Actor& actor, const SubOrderRecord& sub_order);
// The shop's members or platform staff (the system included): who may refund.
void require_refunder(const State& state, const Actor& actor, const SubOrderRecord& sub_order);

// The idempotency key of a payment attempt: the same for every retry of the attempt. The
// placing time keeps keys apart across marketplaces that share one provider account.
std::string payment_key(const PaymentOrderRecord& order, std::uint32_t attempt);

// Emits the cancellation of a pending payment order: OrderCancelled, then for each sub-order
// the release of its stock (unless the inventory already expired the reservation) and
// SubOrderCancelled.
void cancel_unpaid(const State& state, EventSink& out, StockMoves& stock, const PaymentOrderRecord& order,
                   CancelCause cause, const std::string& reason);

// Emits `request` with the next refund id and a key derived from it; returns the id. Ids come
// from the state before the command: `earlier` counts the refunds this command emitted before.
RefundId emit_refund(const State& state, EventSink& out, RefundRequested request, std::uint64_t earlier = 0);

// Cancels a paid sub-order before anything shipped: everything left is refunded and the
// units go back on hand (a closed shop's stock is frozen, so there they stay sold). Returns
// the refund, if anything was left to refund; `earlier` as for emit_refund.
std::optional<RefundId> cancel_paid(const State& state, EventSink& out, StockMoves& stock,
                                    const SubOrderRecord& sub_order, CancelCause cause, const std::string& reason,
                                    std::uint64_t earlier = 0);

// A RefundRequested for everything not yet refunded of a paid sub-order's lines and shipping;
// nullopt if nothing is left.
std::optional<RefundRequested> remaining_refund(const State& state, const SubOrderRecord& sub_order, RefundKind kind,
                                                const std::string& reason);

}  // namespace souk::detail
