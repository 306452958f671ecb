// How orders and payments events change the state.
#include <algorithm>
#include <functional>

#include "catalog/lookup.hpp"
#include "group_buying/events.hpp"
#include "kernel/state.hpp"
#include "orders/events.hpp"
#include "orders/state_machine.hpp"
#include "validate.hpp"

namespace souk::detail {
namespace {

const SubOrderRecord& sub_order_or_corrupt(const State& state, SubOrderId id) {
    const auto* record = state.orders.find(id);
    require_consistent(record != nullptr, "event of an unknown sub-order");
    return *record;
}

const PaymentOrderRecord& order_or_corrupt(const State& state, PaymentOrderId id) {
    const auto* record = state.orders.find(id);
    require_consistent(record != nullptr, "event of an unknown payment order");
    return *record;
}

// Moves a sub-order along the state machine; an illegal move means a damaged journal.
SubOrderStatus checked_next(const SubOrderRecord& sub_order, SubOrderAction action) {
    const auto to = next_status(sub_order.status, action);
    require_consistent(to.has_value(), "illegal sub-order transition");
    return *to;
}

// Replaces the sub-order's deadline in the record and in the index.
void set_deadline(OrdersState& orders, const SubOrderRecord& sub_order, std::optional<Deadline> next) {
    if (sub_order.deadline) {
        const auto kind = sub_order.status == SubOrderStatus::shipped ? DeadlineKind::receipt : DeadlineKind::completion;
        orders.deadlines.erase(Deadline{*sub_order.deadline, kind, sub_order.id.value});
    }
    if (next) orders.deadlines.insert(*next);
    modify_row(orders.sub_orders, sub_order.id, "unknown sub-order",
               [&](SubOrderRecord& r) { r.deadline = next ? std::optional(next->due) : std::nullopt; });
}

// A pending payment order leaves pending: it no longer counts as unpaid nor waits for its deadline.
void close_pending(OrdersState& orders, const PaymentOrderRecord& order) {
    orders.deadlines.erase(Deadline{order.payment_deadline, DeadlineKind::payment, order.id.value});
    auto& unpaid = orders.unpaid_orders[order.customer];
    require_consistent(unpaid > 0, "unpaid order count underflow");
    if (--unpaid == 0) orders.unpaid_orders.erase(order.customer);
}

void modify_attempt(OrdersState& orders, PaymentOrderId order, std::uint32_t number,
                    const std::function<void(PaymentAttemptRecord&)>& change) {
    const auto* record = orders.find(order);
    require_consistent(record && record->attempt(number), "event of an unknown payment attempt");
    modify_row(orders.orders, order, "unknown payment order",
               [&](PaymentOrderRecord& r) { change(r.attempts[number - 1]); });
}

// The first event that tells an attempt's provider payment id records it.
void learn_payment_id(OrdersState& orders, PaymentOrderId order, std::uint32_t number, const std::string& payment_id) {
    const auto* record = orders.find(order);
    require_consistent(record && record->attempt(number), "event of an unknown payment attempt");
    const auto& attempt = *record->attempt(number);
    if (!attempt.provider_payment_id.empty() || payment_id.empty()) return;
    orders.payments.emplace(std::pair(attempt.provider, payment_id), order);
    modify_attempt(orders, order, number, [&](PaymentAttemptRecord& a) { a.provider_payment_id = payment_id; });
}

void mark_handled(OrdersState& orders, const std::string& provider, const std::string& event_id) {
    if (event_id.empty()) return;
    require_consistent(orders.handled_events.emplace(provider, event_id).second, "notification handled twice");
}

// A refund reaches a final state; a failed one gives its amount back to what can be refunded.
void settle_refund(State& state, RefundId id, RefundState to, const std::string& event_id,
                   const std::string& provider_refund_id, Timestamp at) {
    auto& orders = state.orders;
    const auto it = orders.refunds.find(id);
    require_consistent(it != orders.refunds.end(), "settlement of an unknown refund");
    auto& refund = it->second;
    require_consistent(refund.state == RefundState::requested || refund.state == RefundState::submitted ||
                           refund.state == to,
                       "refund settled twice in different ways");
    mark_handled(orders, refund.provider, event_id);
    if (refund.provider_refund_id.empty()) refund.provider_refund_id = provider_refund_id;
    if (refund.state == to) return;
    refund.state = to;
    refund.settled_at = at;
    orders.unsubmitted_refunds.erase(id);
    if (to != RefundState::failed || !refund.sub_order) return;
    modify_row(orders.sub_orders, *refund.sub_order, "unknown sub-order", [&](SubOrderRecord& r) {
        r.refunded -= refund.amount;
        r.shipping_refunded -= refund.shipping;
        for (const auto& line : refund.lines)
            for (auto& l : r.lines)
                if (l.sku == line.sku) l.refunded -= line.amount;
    });
}

// When the after-sales window of a sub-order closed: at its deadline, however late tick ran;
// but a request made before the deadline may have held it open past it, and then it closed
// when tick closed it.
Timestamp window_closed_at(const State& state, const SubOrderRecord& record, Timestamp tick_time) {
    if (!record.deadline) return tick_time;
    if (const auto it = state.after_sales.by_sub_order.find(record.id); it != state.after_sales.by_sub_order.end())
        for (const auto request : it->second)
            if (state.after_sales.requests.at(request).requested_at < *record.deadline) return tick_time;
    return *record.deadline;
}

}  // namespace

void OrderPlaced::apply(State& state, const EventContext& context) const {
    auto& orders = state.orders;
    require_consistent(order.value == orders.last_order + 1 && state.accounts.find_user(customer),
                       "order out of order or of an unknown customer");
    require_consistent(!orders.placed_keys.contains({customer, idempotency_key}), "idempotency key used twice");
    PaymentOrderRecord record;
    record.id = order;
    record.customer = customer;
    record.idempotency_key = idempotency_key;
    record.request = PlacedRequest{address_id, from_cart, {}, expected_total};
    record.address = address.to_address();
    record.total = total;
    record.placed_at = context.time;
    record.payment_deadline = payment_deadline;
    orders.orders.insert(std::move(record));
    orders.placed_keys.emplace(std::pair(customer, idempotency_key), order);
    ++orders.unpaid_orders[customer];
    orders.deadlines.insert(Deadline{payment_deadline, DeadlineKind::payment, order.value});
    orders.last_order = order.value;
}

void SubOrderPlaced::apply(State& state, const EventContext& context) const {
    auto& orders = state.orders;
    const auto& parent = order_or_corrupt(state, order);
    require_consistent(sub_order.value == orders.last_sub_order + 1 && parent.customer == customer &&
                           parent.status == PaymentOrderStatus::pending_payment && !lines.empty(),
                       "sub-order out of order or of another order");
    SubOrderRecord record;
    record.id = sub_order;
    record.order = order;
    record.shop = shop;
    record.customer = customer;
    record.address = address.to_address();
    const Money zero = Money::zero(payable.currency());
    require_consistent(line_terms.empty() || line_terms.size() == lines.size(), "sub-order line terms do not match its lines");
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& l = lines[i];
        OrderLine line{l.sku, l.product, l.title, l.spec, l.unit_price, l.quantity, l.line_total, l.discount,
                       zero, l.line_total - l.discount, zero, 0, 0};
        if (line_terms.empty()) {
            const auto product = state.catalog.products.find(l.product);
            require_consistent(product != state.catalog.products.end(), "sub-order line of an unknown product");
            line.commission_bps = product_commission_bps(state, *product);
        } else {
            line.platform_discount = line_terms[i].platform_discount;
            line.commission_bps = line_terms[i].commission_bps;
            require_consistent(line.platform_discount.currency() == l.discount.currency() &&
                                   !line.platform_discount.is_negative() && line.platform_discount <= l.discount &&
                                   is_basis_points(line.commission_bps),
                               "sub-order line terms out of range");
        }
        record.lines.push_back(std::move(line));
    }
    record.subtotal = subtotal;
    record.discount = discount;
    record.shipping_fee = shipping_fee;
    record.payable = payable;
    record.refunded = zero;
    record.shipping_refunded = zero;
    record.reservation = reservation;
    record.placed_at = context.time;
    orders.sub_orders.insert(std::move(record));
    modify_row(orders.orders, order, "unknown payment order", [&](PaymentOrderRecord& r) {
        r.sub_orders.push_back(sub_order);
        for (const auto& l : lines) r.request.lines.push_back(LineRequest{l.sku, l.quantity});
        std::sort(r.request.lines.begin(), r.request.lines.end(),
                  [](const auto& a, const auto& b) { return a.sku < b.sku; });
    });
    orders.last_sub_order = sub_order.value;
}

void OrderPaid::apply(State& state, const EventContext& context) const {
    const auto& record = order_or_corrupt(state, order);
    const auto* paying = record.attempt(attempt);
    require_consistent(record.status == PaymentOrderStatus::pending_payment && paying &&
                           paying->status == PaymentAttemptStatus::captured && amount == record.total,
                       "order paid twice, or by an attempt that captured nothing");
    close_pending(state.orders, record);
    modify_row(state.orders.orders, order, "unknown payment order", [&](PaymentOrderRecord& r) {
        r.status = PaymentOrderStatus::paid;
        r.paid_by = attempt;
        r.paid_at = context.time;
    });
}

void SubOrderPaid::apply(State& state, const EventContext& context) const {
    const auto& record = sub_order_or_corrupt(state, sub_order);
    require_consistent(record.order == order && order_or_corrupt(state, order).status == PaymentOrderStatus::paid,
                       "sub-order paid before its order");
    const auto to = checked_next(record, SubOrderAction::capture_payment);
    modify_row(state.orders.sub_orders, sub_order, "unknown sub-order", [&](SubOrderRecord& r) {
        r.status = to;
        r.paid_at = context.time;
    });
}

void OrderCancelled::apply(State& state, const EventContext& context) const {
    const auto& record = order_or_corrupt(state, order);
    require_consistent(record.status == PaymentOrderStatus::pending_payment, "cancellation of an order not pending");
    close_pending(state.orders, record);
    // A pending order cancelled after its deadline was cancelled by the deadline.
    const Timestamp cancelled_at = std::min(context.time, record.payment_deadline);
    modify_row(state.orders.orders, order, "unknown payment order", [&](PaymentOrderRecord& r) {
        r.status = PaymentOrderStatus::cancelled;
        r.cancelled_at = cancelled_at;
    });
}

void SubOrderCancelled::apply(State& state, const EventContext& context) const {
    const auto& record = sub_order_or_corrupt(state, sub_order);
    require_consistent(record.order == order, "sub-order of another order");
    const auto to = checked_next(record, cancel_action(cause));
    const Timestamp cancelled_at = record.status == SubOrderStatus::pending_payment
                                       ? std::min(context.time, order_or_corrupt(state, order).payment_deadline)
                                       : context.time;
    modify_row(state.orders.sub_orders, sub_order, "unknown sub-order", [&](SubOrderRecord& r) {
        r.status = to;
        r.cancelled_at = cancelled_at;
        r.cancel_cause = cause;
        r.cancel_reason = reason;
    });
    group_member_cancelled(state, sub_order);
}

void SubOrderShipped::apply(State& state, const EventContext& context) const {
    const auto& record = sub_order_or_corrupt(state, sub_order);
    const auto to = checked_next(record, receive_by ? SubOrderAction::ship_rest : SubOrderAction::ship_some);
    require_consistent(shipment == record.shipments.size() + 1 && !lines.empty(), "shipment out of order");
    modify_row(state.orders.sub_orders, sub_order, "unknown sub-order", [&](SubOrderRecord& r) {
        Shipment s{shipment, carrier, tracking_number, {}, context.time};
        for (const auto& line : lines) {
            s.lines.push_back(ShippedLine{line.sku, line.quantity});
            const auto it = std::find_if(r.lines.begin(), r.lines.end(), [&](const auto& l) { return l.sku == line.sku; });
            require_consistent(it != r.lines.end() && it->shipped + line.quantity <= it->quantity,
                               "shipment of more than was ordered");
            it->shipped += line.quantity;
        }
        r.shipments.push_back(std::move(s));
        r.status = to;
        if (receive_by) r.shipped_at = context.time;
    });
    state.orders.shipments_by_tracking.emplace(tracking_number, std::pair(sub_order, shipment));
    if (receive_by) set_deadline(state.orders, *state.orders.find(sub_order), Deadline{*receive_by, DeadlineKind::receipt, sub_order.value});
}

void SubOrderReceived::apply(State& state, const EventContext& context) const {
    const auto& record = sub_order_or_corrupt(state, sub_order);
    const auto to =
        checked_next(record, automatic ? SubOrderAction::receive_automatically : SubOrderAction::confirm_receipt);
    // What a deadline does is dated from the deadline, however late tick ran.
    const Timestamp received_at = automatic ? record.deadline.value_or(context.time) : context.time;
    set_deadline(state.orders, record, Deadline{complete_by, DeadlineKind::completion, sub_order.value});
    modify_row(state.orders.sub_orders, sub_order, "unknown sub-order", [&](SubOrderRecord& r) {
        r.status = to;
        r.received_at = received_at;
    });
}

void SubOrderCompleted::apply(State& state, const EventContext& context) const {
    const auto& record = sub_order_or_corrupt(state, sub_order);
    const auto to = checked_next(record, SubOrderAction::complete);
    const Timestamp completed_at = window_closed_at(state, record, context.time);
    set_deadline(state.orders, record, std::nullopt);
    modify_row(state.orders.sub_orders, sub_order, "unknown sub-order", [&](SubOrderRecord& r) {
        r.status = to;
        r.completed_at = completed_at;
        r.review_until = review_until;
    });
}

void SubOrderClosedRefunded::apply(State& state, const EventContext& context) const {
    const auto& record = sub_order_or_corrupt(state, sub_order);
    const auto to = checked_next(record, SubOrderAction::close_refunded);
    const Timestamp closed_at = window_closed_at(state, record, context.time);
    set_deadline(state.orders, record, std::nullopt);
    modify_row(state.orders.sub_orders, sub_order, "unknown sub-order", [&](SubOrderRecord& r) {
        r.status = to;
        r.completed_at = closed_at;
    });
}

void PaymentStarted::apply(State& state, const EventContext& context) const {
    const auto& record = order_or_corrupt(state, order);
    require_consistent(attempt == record.attempts.size() + 1 && record.status == PaymentOrderStatus::pending_payment,
                       "payment attempt out of order");
    modify_row(state.orders.orders, order, "unknown payment order", [&](PaymentOrderRecord& r) {
        r.attempts.push_back(PaymentAttemptRecord{attempt, provider, idempotency_key, amount,
                                                  PaymentAttemptStatus::started, {}, {}, context.time});
    });
}

void PaymentIntentRecorded::apply(State& state, const EventContext&) const {
    learn_payment_id(state.orders, order, attempt, provider_payment_id);
    modify_attempt(state.orders, order, attempt, [&](PaymentAttemptRecord& a) {
        a.action = ClientAction{action, action_payload};
        if (status == PaymentStatus::declined && a.status != PaymentAttemptStatus::captured)
            a.status = PaymentAttemptStatus::declined;
        else if (a.status == PaymentAttemptStatus::started)
            a.status = PaymentAttemptStatus::open;
    });
}

void PaymentCaptured::apply(State& state, const EventContext&) const {
    const auto& record = order_or_corrupt(state, order);
    const auto* captured = record.attempt(attempt);
    // A capture is the truth about money: it stands even over an earlier decline.
    require_consistent(captured && amount == captured->amount, "capture of an unknown attempt or of another amount");
    mark_handled(state.orders, captured->provider, provider_event_id);
    learn_payment_id(state.orders, order, attempt, provider_payment_id);
    modify_attempt(state.orders, order, attempt, [](PaymentAttemptRecord& a) { a.status = PaymentAttemptStatus::captured; });
}

void PaymentDeclined::apply(State& state, const EventContext&) const {
    const auto& record = order_or_corrupt(state, order);
    const auto* declined = record.attempt(attempt);
    require_consistent(declined && declined->status != PaymentAttemptStatus::captured, "decline of a captured attempt");
    mark_handled(state.orders, declined->provider, provider_event_id);
    learn_payment_id(state.orders, order, attempt, provider_payment_id);
    modify_attempt(state.orders, order, attempt, [](PaymentAttemptRecord& a) { a.status = PaymentAttemptStatus::declined; });
}

void PaymentAlertRaised::apply(State& state, const EventContext& context) const {
    auto& orders = state.orders;
    require_consistent(number == orders.alerts.size() + 1, "payment alert out of order");
    mark_handled(orders, provider, provider_event_id);
    std::optional<RefundReference> refund;
    if (event_kind == PaymentEventKind::refunded || event_kind == PaymentEventKind::refund_failed)
        refund = RefundReference{provider_refund_id, refund_key};
    orders.alerts.push_back(PaymentAlert{
        number, reason, provider,
        PaymentEvent{provider_event_id, event_kind, provider_payment_id, order, std::move(refund), amount, occurred_at},
        details, context.time});
}

void RefundRequested::apply(State& state, const EventContext& context) const {
    auto& orders = state.orders;
    const auto& parent = order_or_corrupt(state, order);
    require_consistent(refund.value == orders.last_refund + 1 && !orders.refund_keys.contains(idempotency_key),
                       "refund out of order or with a used key");
    RefundInfo info;
    info.id = refund;
    info.order = order;
    info.kind = refund_kind;
    info.shipping = shipping;
    info.amount = amount;
    info.state = RefundState::requested;
    info.provider = provider;
    info.provider_payment_id = provider_payment_id;
    info.idempotency_key = idempotency_key;
    info.reason = reason;
    info.requested_by = context.actor.user_id();
    info.requested_at = context.time;
    for (const auto& line : lines) info.lines.push_back(RefundLine{line.sku, line.amount});
    if (sub_order) {
        const auto& record = sub_order_or_corrupt(state, sub_order);
        require_consistent(record.order == order, "refund of a sub-order of another order");
        info.sub_order = sub_order;
        modify_row(orders.sub_orders, sub_order, "unknown sub-order", [&](SubOrderRecord& r) {
            r.refunds.push_back(refund);
            r.refunded += amount;
            r.shipping_refunded += shipping;
            for (const auto& line : lines) {
                const auto it =
                    std::find_if(r.lines.begin(), r.lines.end(), [&](const auto& l) { return l.sku == line.sku; });
                require_consistent(it != r.lines.end(), "refund of a line the sub-order does not have");
                it->refunded += line.amount;
                require_consistent(it->refunded <= it->paid_share, "refund above a line's paid share");
            }
            require_consistent(r.shipping_refunded <= r.shipping_fee, "refund above the shipping fee");
        });
    } else {
        require_consistent(parent.attempts.size() >= 1, "reversal of an order never paid");
        modify_row(orders.orders, order, "unknown payment order", [&](PaymentOrderRecord& r) { r.reversals.push_back(refund); });
    }
    orders.refunds.emplace(refund, std::move(info));
    orders.refund_keys.emplace(idempotency_key, refund);
    orders.unsubmitted_refunds.insert(refund);
    orders.last_refund = refund.value;
}

void RefundSubmitted::apply(State& state, const EventContext&) const {
    const auto it = state.orders.refunds.find(refund);
    require_consistent(it != state.orders.refunds.end() && it->second.state == RefundState::requested,
                       "submission of an unknown or settled refund");
    it->second.state = RefundState::submitted;
    it->second.provider_refund_id = provider_refund_id;
    state.orders.unsubmitted_refunds.erase(refund);
}

void RefundSucceeded::apply(State& state, const EventContext& context) const {
    settle_refund(state, refund, RefundState::succeeded, provider_event_id, provider_refund_id, context.time);
}

void RefundFailed::apply(State& state, const EventContext& context) const {
    settle_refund(state, refund, RefundState::failed, provider_event_id, provider_refund_id, context.time);
}

}  // namespace souk::detail
