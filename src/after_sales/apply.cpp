// How after-sales events change the state.
#include "after_sales/events.hpp"
#include "kernel/state.hpp"

namespace souk::detail {
namespace {

AfterSalesInfo& request_or_corrupt(State& state, AfterSalesId id) {
    const auto it = state.after_sales.requests.find(id);
    require_consistent(it != state.after_sales.requests.end(), "event of an unknown after-sales request");
    return it->second;
}

// The request leaves `requested`: it no longer waits for its response deadline.
void stop_waiting(AfterSalesState& after_sales, const AfterSalesInfo& request) {
    after_sales.response_deadlines.erase({request.respond_by, request.id});
}

void close(AfterSalesState& after_sales, const AfterSalesInfo& request) {
    const auto it = after_sales.open.find(request.sub_order);
    if (it != after_sales.open.end() && it->second == request.id) after_sales.open.erase(it);
}

std::optional<RefundId> refund_of(State& state, RefundId refund) {
    if (!refund) return std::nullopt;
    require_consistent(state.orders.find(refund) != nullptr, "after-sales names an unknown refund");
    return refund;
}

}  // namespace

void AfterSalesRequested::apply(State& state, const EventContext& context) const {
    auto& part = state.after_sales;
    const auto* sub_order_record = state.orders.find(sub_order);
    require_consistent(after_sales.value == part.last_request + 1 && sub_order_record &&
                           sub_order_record->customer == customer && !part.has_open(sub_order),
                       "after-sales request out of order or on a sub-order with one open");
    AfterSalesInfo info;
    info.id = after_sales;
    info.sub_order = sub_order;
    info.order = order;
    info.shop = shop;
    info.customer = customer;
    info.kind = request_kind;
    info.status = AfterSalesStatus::requested;
    for (const auto& line : lines) info.lines.push_back({line.sku, line.quantity, line.amount});
    info.shipping = shipping;
    info.amount = amount;
    info.reason = reason;
    info.evidence = evidence;
    info.requested_at = context.time;
    info.respond_by = respond_by;
    part.requests.emplace(info.id, info);
    part.by_sub_order[sub_order].push_back(info.id);
    part.open.emplace(sub_order, info.id);
    part.by_shop.emplace(shop, info.id);
    part.by_customer.emplace(customer, info.id);
    part.response_deadlines.emplace(respond_by, info.id);
    part.last_request = info.id.value;
}

void AfterSalesDecided::apply(State& state, const EventContext& context) const {
    auto& part = state.after_sales;
    auto& request = request_or_corrupt(state, after_sales);
    const bool approvable = request.status == AfterSalesStatus::requested || request.status == AfterSalesStatus::rejected;
    const bool rejectable = request.status == AfterSalesStatus::requested || request.status == AfterSalesStatus::approved;
    require_consistent(approved ? approvable : rejectable, "after-sales decision in the wrong status");
    stop_waiting(part, request);
    request.decided_by = decided_by;
    request.decision_reason = reason;
    request.decided_at = context.time;
    request.arbitrated = request.arbitrated || arbitrated;
    if (!approved) {
        request.status = AfterSalesStatus::rejected;
        close(part, request);
        return;
    }
    require_consistent(!part.has_open(request.sub_order) || part.open.at(request.sub_order) == request.id,
                       "two open after-sales requests on one sub-order");
    if (request.kind == AfterSalesKind::return_and_refund) {
        request.status = AfterSalesStatus::approved;
        part.open[request.sub_order] = request.id;
        return;
    }
    request.status = AfterSalesStatus::refunded;
    request.refund = refund_of(state, refund);
    close(part, request);
}

void AfterSalesReturnShipped::apply(State& state, const EventContext& context) const {
    auto& request = request_or_corrupt(state, after_sales);
    require_consistent(request.status == AfterSalesStatus::approved && request.kind == AfterSalesKind::return_and_refund,
                       "return shipped before it was approved");
    request.status = AfterSalesStatus::return_shipped;
    request.return_carrier = carrier;
    request.return_tracking_number = tracking_number;
    request.return_shipped_at = context.time;
}

void AfterSalesReturnReceived::apply(State& state, const EventContext& context) const {
    auto& request = request_or_corrupt(state, after_sales);
    require_consistent(request.status == AfterSalesStatus::return_shipped, "return received before it shipped");
    request.status = AfterSalesStatus::refunded;
    request.return_received_at = context.time;
    request.returned_sellable = sellable;
    request.refund = refund_of(state, refund);
    close(state.after_sales, request);
}

void AfterSalesWithdrawn::apply(State& state, const EventContext&) const {
    auto& request = request_or_corrupt(state, after_sales);
    require_consistent(request.status == AfterSalesStatus::requested || request.status == AfterSalesStatus::approved,
                       "withdrawal of a closed or shipped-back request");
    stop_waiting(state.after_sales, request);
    request.status = AfterSalesStatus::withdrawn;
    close(state.after_sales, request);
}

}  // namespace souk::detail
