// Where group buying meets pricing and orders: each function is one call site in the
// pricing pipeline or an orders command, emitting into that command.
#pragma once

#include <optional>

#include "cart/pricing.hpp"
#include "kernel/event.hpp"
#include "kernel/state.hpp"

namespace souk::detail {

struct RefundRequested;

// The offer, or not_found.
const GroupOfferRecord& group_offer_or_throw(const State& state, GroupOfferId offer);

// The group-price step of the pipeline: nullopt for a checkout that names no offer, else the
// discount that brings the offer's SKU down to the group price. Throws for a checkout that
// cannot open or join the group it names (the quote shows why, placing refuses).
std::optional<QuoteDiscount> group_price_discount(const State& state, const PricingInput& input, const Quote& quote);

// Orders::place, after pricing accepted the checkout: opens the group or joins it.
void join_group(const State& state, EventSink& out, const PricingInput& input, PaymentOrderId order,
                SubOrderId sub_order);

// The payment of `sub_order` was captured: its member counts, and the last place filled
// makes the group succeed.
void group_payment_captured(const State& state, EventSink& out, SubOrderId sub_order);

// A refund of a member's sub-order was requested: the group's record keeps it.
void note_group_refund(const State& state, EventSink& out, const RefundRequested& refund);

// Orders::ship: a member's sub-order ships only once its group succeeded.
void require_group_succeeded(const State& state, const SubOrderRecord& sub_order);

}  // namespace souk::detail
