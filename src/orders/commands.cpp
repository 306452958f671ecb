#include "orders/commands.hpp"

#include <fmt/format.h>

#include "group_buying/hooks.hpp"

#include "kernel/authz.hpp"
#include "orders/state_machine.hpp"
#include "promotions/flash_sales.hpp"
#include "promotions/pricing.hpp"
#include "souk/error.hpp"

namespace souk::detail {

const PaymentOrderRecord& order_or_throw(const State& state, PaymentOrderId order) {
    const auto* record = state.orders.find(order);
    if (!record) throw Error(Errc::not_found, fmt::format("no order {}", order));
    return *record;
}

const SubOrderRecord& sub_order_or_throw(const State& state, SubOrderId sub_order) {
    const auto* record = state.orders.find(sub_order);
    if (!record) throw Error(Errc::not_found, fmt::format("no sub-order {}", sub_order));
    return *record;
}

bool is_buyer(const State& state, const Actor& actor, UserId customer) {
    if (actor.is_system() || actor.user_id() != customer) return false;
    const auto* user = state.accounts.find_user(customer);
    return user && !user->disabled;
}

void require_sub_order_reader(const State& state, const Actor& actor, const SubOrderRecord& sub_order) {
    if (is_buyer(state, actor, sub_order.customer) || is_shop_member(state, sub_order.shop, actor) ||
        is_platform_staff(state, actor))
        return;
    throw Error(Errc::forbidden, fmt::format("only the buyer, shop {} and platform staff may see sub-order {}",
                                             sub_order.shop, sub_order.id));
}

void require_refunder(const State& state, const Actor& actor, const SubOrderRecord& sub_order) {
    if (is_shop_member(state, sub_order.shop, actor) || is_platform_staff(state, actor)) return;
    throw Error(Errc::forbidden, fmt::format("only shop {} and platform staff may refund sub-order {}", sub_order.shop,
                                             sub_order.id));
}

std::string payment_key(const PaymentOrderRecord& order, std::uint32_t attempt) {
    return fmt::format("souk-pay-{}-{}-{}", order.id, order.placed_at.time_since_epoch().count(), attempt);
}

void cancel_unpaid(const State& state, EventSink& out, StockMoves& stock, const PaymentOrderRecord& order,
                   CancelCause cause, const std::string& reason) {
    out.emit(OrderCancelled{order.id, cause, reason});
    return_coupons(state, out, order.id);
    for (const auto id : order.sub_orders) {
        const auto& sub_order = *state.orders.find(id);
        require_transition(id, sub_order.status, cancel_action(cause));
        const auto* reservation = state.inventory.find_reservation(sub_order.reservation);
        if (reservation && reservation->status == ReservationStatus::open) stock.release(sub_order.reservation);
        out.emit(SubOrderCancelled{id, order.id, cause, reason});
    }
    return_flash_units(state, out, stock, order);
}

RefundId emit_refund(const State& state, EventSink& out, RefundRequested request, std::uint64_t earlier) {
    request.refund = RefundId{state.orders.last_refund + earlier + 1};
    request.idempotency_key = fmt::format("souk-refund-{}-{}", request.refund, out.now().time_since_epoch().count());
    out.emit(request);
    note_group_refund(state, out, request);
    return request.refund;
}

std::optional<RefundId> cancel_paid(const State& s, EventSink& out, StockMoves& stock, const SubOrderRecord& sub_order,
                                    CancelCause cause, const std::string& reason, std::uint64_t earlier) {
    std::optional<RefundId> refund;
    if (auto request =
            remaining_refund(s, sub_order, RefundKind::cancellation, fmt::format("sub-order {} cancelled", sub_order.id)))
        refund = emit_refund(s, out, std::move(*request), earlier);
    if (s.shops.find(sub_order.shop)->status != ShopStatus::closed) {
        std::vector<StockChange> back;
        for (const auto& line : sub_order.lines) back.push_back({line.sku, line.quantity});
        stock.adjust(back, fmt::format("sub-order {} cancelled before shipment", sub_order.id));
    }
    out.emit(SubOrderCancelled{sub_order.id, sub_order.order, cause, reason});
    return refund;
}

std::optional<RefundRequested> remaining_refund(const State& state, const SubOrderRecord& sub_order, RefundKind kind,
                                                const std::string& reason) {
    const auto& order = *state.orders.find(sub_order.order);
    const auto* paid_by = order.attempt(order.paid_by);
    if (!paid_by) throw Error(Errc::invalid_state, fmt::format("sub-order {} was never paid", sub_order.id));
    RefundRequested request;
    request.order = order.id;
    request.sub_order = sub_order.id;
    request.refund_kind = kind;
    request.shipping = sub_order.shipping_fee - sub_order.shipping_refunded;
    request.amount = request.shipping;
    for (const auto& line : sub_order.lines) {
        const Money left = line.paid_share - line.refunded;
        if (left.is_zero()) continue;
        request.lines.push_back(SkuAmountFields{line.sku, left});
        request.amount += left;
    }
    if (request.amount.is_zero()) return std::nullopt;
    request.provider = paid_by->provider;
    request.provider_payment_id = paid_by->provider_payment_id;
    request.reason = reason;
    return request;
}

}  // namespace souk::detail
