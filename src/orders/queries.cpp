// Orders: what the queries return, and the names of the enums.
#include <tuple>

#include <fmt/format.h>

#include "cart/access.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "orders/commands.hpp"
#include "souk/error.hpp"
#include "souk/orders.hpp"
#include "validate.hpp"

namespace souk {

std::string_view sub_order_status_name(SubOrderStatus status) noexcept {
    switch (status) {
        case SubOrderStatus::pending_payment: return "pending_payment";
        case SubOrderStatus::paid: return "paid";
        case SubOrderStatus::partially_shipped: return "partially_shipped";
        case SubOrderStatus::shipped: return "shipped";
        case SubOrderStatus::received: return "received";
        case SubOrderStatus::completed: return "completed";
        case SubOrderStatus::cancelled: return "cancelled";
        case SubOrderStatus::refunded: return "refunded";
    }
    return "unknown";
}

std::string_view payment_order_status_name(PaymentOrderStatus status) noexcept {
    switch (status) {
        case PaymentOrderStatus::pending_payment: return "pending_payment";
        case PaymentOrderStatus::paid: return "paid";
        case PaymentOrderStatus::cancelled: return "cancelled";
    }
    return "unknown";
}

std::string_view cancel_cause_name(CancelCause cause) noexcept {
    switch (cause) {
        case CancelCause::buyer: return "buyer";
        case CancelCause::seller: return "seller";
        case CancelCause::platform: return "platform";
        case CancelCause::payment_timeout: return "payment_timeout";
    }
    return "unknown";
}

std::string_view payment_attempt_status_name(PaymentAttemptStatus status) noexcept {
    switch (status) {
        case PaymentAttemptStatus::started: return "started";
        case PaymentAttemptStatus::open: return "open";
        case PaymentAttemptStatus::declined: return "declined";
        case PaymentAttemptStatus::captured: return "captured";
    }
    return "unknown";
}

std::string_view refund_state_name(RefundState state) noexcept {
    switch (state) {
        case RefundState::requested: return "requested";
        case RefundState::submitted: return "submitted";
        case RefundState::succeeded: return "succeeded";
        case RefundState::failed: return "failed";
    }
    return "unknown";
}

std::string_view refund_kind_name(RefundKind kind) noexcept {
    switch (kind) {
        case RefundKind::lines: return "lines";
        case RefundKind::cancellation: return "cancellation";
        case RefundKind::reversal: return "reversal";
    }
    return "unknown";
}

std::string_view notification_outcome_name(NotificationOutcome outcome) noexcept {
    switch (outcome) {
        case NotificationOutcome::applied: return "applied";
        case NotificationOutcome::duplicate: return "duplicate";
        case NotificationOutcome::alert: return "alert";
        case NotificationOutcome::refunding: return "refunding";
    }
    return "unknown";
}

std::string_view payment_alert_reason_name(PaymentAlertReason reason) noexcept {
    switch (reason) {
        case PaymentAlertReason::amount_mismatch: return "amount_mismatch";
        case PaymentAlertReason::unknown_order: return "unknown_order";
        case PaymentAlertReason::unknown_payment: return "unknown_payment";
        case PaymentAlertReason::unknown_refund: return "unknown_refund";
        case PaymentAlertReason::contradiction: return "contradiction";
    }
    return "unknown";
}

namespace {

using detail::PaymentOrderRecord;
using detail::State;
using detail::SubOrderRecord;

SubOrderInfo info_of(const State& s, const SubOrderRecord& r) {
    SubOrderInfo info;
    info.id = r.id;
    info.order = r.order;
    info.shop = r.shop;
    info.customer = r.customer;
    info.status = r.status;
    info.address = r.address;
    info.lines = r.lines;
    info.subtotal = r.subtotal;
    info.discount = r.discount;
    info.shipping_fee = r.shipping_fee;
    info.payable = r.payable;
    info.refunded = r.refunded;
    info.shipping_refunded = r.shipping_refunded;
    info.shipments = r.shipments;
    for (const auto id : r.refunds) info.refunds.push_back(*s.orders.find(id));
    info.placed_at = r.placed_at;
    info.paid_at = r.paid_at;
    info.shipped_at = r.shipped_at;
    info.received_at = r.received_at;
    info.completed_at = r.completed_at;
    info.cancelled_at = r.cancelled_at;
    info.cancel_cause = r.cancel_cause;
    info.cancel_reason = r.cancel_reason;
    info.deadline = r.status == SubOrderStatus::pending_payment ? s.orders.find(r.order)->payment_deadline : r.deadline;
    info.review_until = r.review_until;
    return info;
}

PaymentOrderInfo info_of(const State& s, const PaymentOrderRecord& r) {
    PaymentOrderInfo info;
    info.id = r.id;
    info.customer = r.customer;
    info.status = r.status;
    info.total = r.total;
    info.paid = r.status == PaymentOrderStatus::paid ? r.total : Money::zero(r.total.currency());
    info.refunded = Money::zero(r.total.currency());
    info.address = r.address;
    for (const auto id : r.sub_orders) {
        info.sub_orders.push_back(info_of(s, *s.orders.find(id)));
        info.refunded += info.sub_orders.back().refunded;
    }
    for (const auto& a : r.attempts)
        info.attempts.push_back(PaymentAttemptInfo{a.number, a.provider, a.idempotency_key, a.status,
                                                   a.provider_payment_id, a.action, a.started_at});
    for (const auto id : r.reversals) info.reversals.push_back(*s.orders.find(id));
    info.placed_at = r.placed_at;
    info.payment_deadline = r.payment_deadline;
    info.paid_at = r.paid_at;
    info.cancelled_at = r.cancelled_at;
    return info;
}

// Walks [first, last) of an index ordered by placing time, newest first, keeping what the
// filter lets through and the page asks for.
template <class Iterator, class Filter, class Convert>
auto newest_first(Iterator first, Iterator last, const Filter& keep, const Page& page, const Convert& convert) {
    std::vector<decltype(convert(*first))> result;
    std::size_t skipped = 0;
    for (auto it = last; it != first && result.size() < page.limit;) {
        --it;
        if (!keep(*it)) continue;
        if (skipped++ < page.offset) continue;
        result.push_back(convert(*it));
    }
    return result;
}

// The [first, last) range of an index keyed (prefix..., placed_at, id) for the filter's times.
template <class Index, class... Prefix>
auto placed_range(const Index& index, const std::optional<Timestamp>& from, const std::optional<Timestamp>& before,
                  Prefix... prefix) {
    if (from && before && *before < *from)
        throw Error(Errc::invalid_argument, fmt::format("the placing time range ends ({}) before it starts ({})",
                                                        format_timestamp(*before), format_timestamp(*from)));
    auto first = index.begin();
    auto last = index.end();
    if constexpr (sizeof...(Prefix) > 0) {
        first = index.lower_bound(std::make_tuple(prefix...));
        last = index.upper_bound(std::make_tuple(prefix...));
    }
    if (from) first = index.lower_bound(std::make_tuple(prefix..., *from));
    if (before) last = index.lower_bound(std::make_tuple(prefix..., *before));
    return std::pair(first, last);
}

template <class Index, class... Prefix>
std::vector<SubOrderInfo> list_sub_orders(const State& s, const Index& index, const SubOrderFilter& filter,
                                          const Page& page, Prefix... prefix) {
    const auto [first, last] = placed_range(index, filter.placed_from, filter.placed_before, prefix...);
    return newest_first(
        first, last, [&](const SubOrderRecord& r) { return !filter.status || r.status == *filter.status; }, page,
        [&](const SubOrderRecord& r) { return info_of(s, r); });
}

}  // namespace

PaymentOrderInfo Orders::order(const Actor& actor, PaymentOrderId order) const {
    return kernel_->read([&](const State& s) {
        const auto& record = detail::order_or_throw(s, order);
        detail::require_self_or_staff(s, actor, record.customer, fmt::format("see another customer's order {}", order));
        return info_of(s, record);
    });
}

SubOrderInfo Orders::sub_order(const Actor& actor, SubOrderId sub_order) const {
    return kernel_->read([&](const State& s) {
        const auto& record = detail::sub_order_or_throw(s, sub_order);
        detail::require_sub_order_reader(s, actor, record);
        return info_of(s, record);
    });
}

RefundInfo Orders::refund_info(const Actor& actor, RefundId refund) const {
    return kernel_->read([&](const State& s) {
        const auto* record = s.orders.find(refund);
        if (!record) throw Error(Errc::not_found, fmt::format("no refund {}", refund));
        if (record->sub_order)
            detail::require_sub_order_reader(s, actor, *s.orders.find(*record->sub_order));
        else
            detail::require_self_or_staff(s, actor, s.orders.find(record->order)->customer,
                                          fmt::format("see refund {} of another customer", refund));
        return *record;
    });
}

std::vector<PaymentOrderInfo> Orders::orders_of(const Actor& actor, UserId customer, const OrderFilter& filter,
                                                Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        detail::require_self_or_staff(s, actor, customer, "list another customer's orders");
        const auto& index = s.orders.orders.get<detail::by_order_customer>();
        const auto [first, last] = placed_range(index, filter.placed_from, filter.placed_before, customer);
        return newest_first(
            first, last, [&](const PaymentOrderRecord& r) { return !filter.status || r.status == *filter.status; }, page,
            [&](const PaymentOrderRecord& r) { return info_of(s, r); });
    });
}

std::vector<SubOrderInfo> Orders::sub_orders_of_customer(const Actor& actor, UserId customer,
                                                         const SubOrderFilter& filter, Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        detail::require_self_or_staff(s, actor, customer, "list another customer's orders");
        return list_sub_orders(s, s.orders.sub_orders.get<detail::by_sub_order_customer>(), filter, page, customer);
    });
}

std::vector<SubOrderInfo> Orders::sub_orders_of_shop(const Actor& actor, ShopId shop, const SubOrderFilter& filter,
                                                     Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        if (!s.shops.find(shop)) throw Error(Errc::not_found, fmt::format("no shop {}", shop));
        if (!detail::is_shop_member(s, shop, actor) && !detail::is_platform_staff(s, actor))
            throw Error(Errc::forbidden, fmt::format("only shop {} and platform staff may list its orders", shop));
        return list_sub_orders(s, s.orders.sub_orders.get<detail::by_sub_order_shop>(), filter, page, shop);
    });
}

std::vector<SubOrderInfo> Orders::sub_orders(const Actor& actor, const SubOrderFilter& filter, Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        detail::require_platform_staff(s, actor, "list every shop's orders");
        if (filter.status)
            return list_sub_orders(s, s.orders.sub_orders.get<detail::by_sub_order_status>(), filter, page,
                                   *filter.status);
        return list_sub_orders(s, s.orders.sub_orders.get<detail::by_sub_order_placed>(), filter, page);
    });
}

std::vector<PaymentAlert> Orders::payment_alerts(const Actor& actor, Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        detail::require_platform_staff(s, actor, "read payment alerts");
        const auto& alerts = s.orders.alerts;
        std::vector<PaymentAlert> result;
        for (std::size_t i = page.offset; i < alerts.size() && result.size() < page.limit; ++i)
            result.push_back(alerts[i]);
        return result;
    });
}

}  // namespace souk
