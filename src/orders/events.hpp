// Orders and payments events. Every deadline an event starts is computed by the command and
// carried in the event, so replay never depends on the options of the process replaying.
//
// Privacy shapes the events: each names only what its readers may see. A sub-order's events
// name its shop's SKUs only, so a shop reading its SKUs' or reservations' trails never sees
// another shop's lines; the payment order's events name no shop or SKU at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cart/events.hpp"
#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "orders/state.hpp"

namespace souk::detail {

struct OrderLineFields {
    SkuId sku;
    ProductId product;
    std::string title;
    std::vector<std::string> spec;
    Money unit_price;
    std::int64_t quantity = 0;
    Money line_total;
    Money discount;
    template <class V> void visit(V&& v) {
        v("sku", sku), v("product", product), v("title", title), v("spec", spec), v("unit_price", unit_price),
            v("quantity", quantity), v("line_total", line_total), v("discount", discount);
    }
};

// What SubOrderPlaced version 2 adds per line, in line order: who funds the discount and the
// commission rate agreed at placement.
struct LineTermsFields {
    Money platform_discount;
    std::int32_t commission_bps = 0;
    template <class V> void visit(V&& v) { v("platform_discount", platform_discount), v("commission_bps", commission_bps); }
};

struct SkuQuantityFields {
    SkuId sku;
    std::int64_t quantity = 0;
    template <class V> void visit(V&& v) { v("sku", sku), v("quantity", quantity); }
};

struct SkuAmountFields {
    SkuId sku;
    Money amount;
    template <class V> void visit(V&& v) { v("sku", sku), v("amount", amount); }
};

// ---- orders

struct OrderPlaced {
    static constexpr EventKind kind = EventKind::order_placed;
    static constexpr std::string_view name = "OrderPlaced";
    static constexpr std::uint8_t version = 1;
    PaymentOrderId order;
    UserId customer;
    std::string idempotency_key;
    AddressId address_id;
    bool from_cart = false;
    std::optional<Money> expected_total;
    PostalAddressFields address;
    Money total;
    Timestamp payment_deadline{};
    template <class V> void visit(V&& v) {
        v("order", order), v("customer", customer), v("idempotency_key", idempotency_key), v("address_id", address_id),
            v("from_cart", from_cart), v("expected_total", expected_total), v("address", address), v("total", total),
            v("payment_deadline", payment_deadline);
    }
    void apply(State& state, const EventContext& context) const;
};

// Follows its OrderPlaced (and its StockReserved) in the same command.
struct SubOrderPlaced {
    static constexpr EventKind kind = EventKind::sub_order_placed;
    static constexpr std::string_view name = "SubOrderPlaced";
    static constexpr std::uint8_t version = 2;
    SubOrderId sub_order;
    PaymentOrderId order;
    ShopId shop;
    UserId customer;
    PostalAddressFields address;
    std::vector<OrderLineFields> lines;
    Money subtotal;
    Money discount;
    Money shipping_fee;
    Money payable;
    ReservationId reservation;
    // Version 2. Empty in version-1 records: their discounts were all shop-funded and their
    // commission is the rate in force when they apply, which replay reproduces.
    std::vector<LineTermsFields> line_terms;
    template <class V> void visit(V&& v) {
        v("sub_order", sub_order), v("order", order), v("shop", shop), v("customer", customer), v("address", address),
            v("lines", lines), v("subtotal", subtotal), v("discount", discount), v("shipping_fee", shipping_fee),
            v("payable", payable), v("reservation", reservation), v("line_terms", line_terms);
    }
    void apply(State& state, const EventContext& context) const;
};

struct OrderPaid {
    static constexpr EventKind kind = EventKind::order_paid;
    static constexpr std::string_view name = "OrderPaid";
    static constexpr std::uint8_t version = 1;
    PaymentOrderId order;
    std::uint32_t attempt = 0;
    Money amount;
    template <class V> void visit(V&& v) { v("order", order), v("attempt", attempt), v("amount", amount); }
    void apply(State& state, const EventContext& context) const;
};

struct SubOrderPaid {
    static constexpr EventKind kind = EventKind::sub_order_paid;
    static constexpr std::string_view name = "SubOrderPaid";
    static constexpr std::uint8_t version = 1;
    SubOrderId sub_order;
    PaymentOrderId order;
    template <class V> void visit(V&& v) { v("sub_order", sub_order), v("order", order); }
    void apply(State& state, const EventContext& context) const;
};

// An unpaid payment order is cancelled as a whole; each sub-order follows with SubOrderCancelled.
struct OrderCancelled {
    static constexpr EventKind kind = EventKind::order_cancelled;
    static constexpr std::string_view name = "OrderCancelled";
    static constexpr std::uint8_t version = 1;
    PaymentOrderId order;
    CancelCause cause{};
    std::string reason;
    template <class V> void visit(V&& v) { v("order", order), v("cause", cause), v("reason", reason); }
    void apply(State& state, const EventContext& context) const;
};

struct SubOrderCancelled {
    static constexpr EventKind kind = EventKind::sub_order_cancelled;
    static constexpr std::string_view name = "SubOrderCancelled";
    static constexpr std::uint8_t version = 1;
    SubOrderId sub_order;
    PaymentOrderId order;
    CancelCause cause{};
    std::string reason;
    template <class V> void visit(V&& v) {
        v("sub_order", sub_order), v("order", order), v("cause", cause), v("reason", reason);
    }
    void apply(State& state, const EventContext& context) const;
};

struct SubOrderShipped {
    static constexpr EventKind kind = EventKind::sub_order_shipped;
    static constexpr std::string_view name = "SubOrderShipped";
    static constexpr std::uint8_t version = 1;
    SubOrderId sub_order;
    std::uint32_t shipment = 0;
    std::string carrier;
    std::string tracking_number;
    std::vector<SkuQuantityFields> lines;
    std::optional<Timestamp> receive_by;  // set when every unit has shipped
    template <class V> void visit(V&& v) {
        v("sub_order", sub_order), v("shipment", shipment), v("carrier", carrier),
            v("tracking_number", tracking_number), v("lines", lines), v("receive_by", receive_by);
    }
    void apply(State& state, const EventContext& context) const;
};

struct SubOrderReceived {
    static constexpr EventKind kind = EventKind::sub_order_received;
    static constexpr std::string_view name = "SubOrderReceived";
    static constexpr std::uint8_t version = 1;
    SubOrderId sub_order;
    bool automatic = false;
    Timestamp complete_by{};  // the end of the after-sales window
    template <class V> void visit(V&& v) {
        v("sub_order", sub_order), v("automatic", automatic), v("complete_by", complete_by);
    }
    void apply(State& state, const EventContext& context) const;
};

struct SubOrderCompleted {
    static constexpr EventKind kind = EventKind::sub_order_completed;
    static constexpr std::string_view name = "SubOrderCompleted";
    static constexpr std::uint8_t version = 1;
    SubOrderId sub_order;
    Timestamp review_until{};
    template <class V> void visit(V&& v) { v("sub_order", sub_order), v("review_until", review_until); }
    void apply(State& state, const EventContext& context) const;
};

// The after-sales window closed on a sub-order whose every line was refunded in full: it
// ends as refunded instead of completed. (Numbered in the after-sales range.)
struct SubOrderClosedRefunded {
    static constexpr EventKind kind = EventKind::sub_order_closed_refunded;
    static constexpr std::string_view name = "SubOrderClosedRefunded";
    static constexpr std::uint8_t version = 1;
    SubOrderId sub_order;
    template <class V> void visit(V&& v) { v("sub_order", sub_order); }
    void apply(State& state, const EventContext& context) const;
};

// ---- payments

struct PaymentStarted {
    static constexpr EventKind kind = EventKind::payment_started;
    static constexpr std::string_view name = "PaymentStarted";
    static constexpr std::uint8_t version = 1;
    PaymentOrderId order;
    std::uint32_t attempt = 0;
    std::string provider;
    std::string idempotency_key;
    Money amount;
    template <class V> void visit(V&& v) {
        v("order", order), v("attempt", attempt), v("provider", provider), v("idempotency_key", idempotency_key),
            v("amount", amount);
    }
    void apply(State& state, const EventContext& context) const;
};

struct PaymentIntentRecorded {
    static constexpr EventKind kind = EventKind::payment_intent_recorded;
    static constexpr std::string_view name = "PaymentIntentRecorded";
    static constexpr std::uint8_t version = 1;
    PaymentOrderId order;
    std::uint32_t attempt = 0;
    std::string provider_payment_id;
    ClientAction::Kind action = ClientAction::Kind::none;
    std::string action_payload;
    PaymentStatus status = PaymentStatus::pending;
    template <class V> void visit(V&& v) {
        v("order", order), v("attempt", attempt), v("provider_payment_id", provider_payment_id), v("action", action),
            v("action_payload", action_payload), v("status", status);
    }
    void apply(State& state, const EventContext& context) const;
};

// The provider took the money for an attempt. Whether the order takes it is decided by the
// events that follow: OrderPaid, or a reversal RefundRequested.
struct PaymentCaptured {
    static constexpr EventKind kind = EventKind::payment_captured;
    static constexpr std::string_view name = "PaymentCaptured";
    static constexpr std::uint8_t version = 1;
    PaymentOrderId order;
    std::uint32_t attempt = 0;
    std::string provider_event_id;
    std::string provider_payment_id;
    Money amount;
    template <class V> void visit(V&& v) {
        v("order", order), v("attempt", attempt), v("provider_event_id", provider_event_id),
            v("provider_payment_id", provider_payment_id), v("amount", amount);
    }
    void apply(State& state, const EventContext& context) const;
};

struct PaymentDeclined {
    static constexpr EventKind kind = EventKind::payment_declined;
    static constexpr std::string_view name = "PaymentDeclined";
    static constexpr std::uint8_t version = 1;
    PaymentOrderId order;
    std::uint32_t attempt = 0;
    std::string provider_event_id;
    std::string provider_payment_id;
    template <class V> void visit(V&& v) {
        v("order", order), v("attempt", attempt), v("provider_event_id", provider_event_id),
            v("provider_payment_id", provider_payment_id);
    }
    void apply(State& state, const EventContext& context) const;
};

struct PaymentAlertRaised {
    static constexpr EventKind kind = EventKind::payment_alert_raised;
    static constexpr std::string_view name = "PaymentAlertRaised";
    static constexpr std::uint8_t version = 1;
    std::uint64_t number = 0;
    PaymentAlertReason reason{};
    std::string provider;
    std::string provider_event_id;
    PaymentEventKind event_kind{};
    std::string provider_payment_id;
    PaymentOrderId order;  // as the event names it, known or not
    std::string provider_refund_id;
    std::string refund_key;
    Money amount;
    Timestamp occurred_at{};
    std::string details;
    template <class V> void visit(V&& v) {
        v("number", number), v("reason", reason), v("provider", provider), v("provider_event_id", provider_event_id),
            v("event_kind", event_kind), v("provider_payment_id", provider_payment_id), v("order", order),
            v("provider_refund_id", provider_refund_id), v("refund_key", refund_key), v("amount", amount),
            v("occurred_at", occurred_at), v("details", details);
    }
    void apply(State& state, const EventContext& context) const;
};

struct RefundRequested {
    static constexpr EventKind kind = EventKind::refund_requested;
    static constexpr std::string_view name = "RefundRequested";
    static constexpr std::uint8_t version = 1;
    RefundId refund;
    PaymentOrderId order;
    SubOrderId sub_order;  // zero for a reversal
    RefundKind refund_kind{};
    std::vector<SkuAmountFields> lines;
    Money shipping;
    Money amount;
    std::string provider;
    std::string provider_payment_id;
    std::string idempotency_key;
    std::string reason;
    template <class V> void visit(V&& v) {
        v("refund", refund), v("order", order), v("sub_order", sub_order), v("refund_kind", refund_kind),
            v("lines", lines), v("shipping", shipping), v("amount", amount), v("provider", provider),
            v("provider_payment_id", provider_payment_id), v("idempotency_key", idempotency_key), v("reason", reason);
    }
    void apply(State& state, const EventContext& context) const;
};

// The provider accepted the refund; its outcome follows as a notification.
struct RefundSubmitted {
    static constexpr EventKind kind = EventKind::refund_submitted;
    static constexpr std::string_view name = "RefundSubmitted";
    static constexpr std::uint8_t version = 1;
    RefundId refund;
    std::string provider_refund_id;
    template <class V> void visit(V&& v) { v("refund", refund), v("provider_refund_id", provider_refund_id); }
    void apply(State& state, const EventContext& context) const;
};

struct RefundSucceeded {
    static constexpr EventKind kind = EventKind::refund_succeeded;
    static constexpr std::string_view name = "RefundSucceeded";
    static constexpr std::uint8_t version = 1;
    RefundId refund;
    std::string provider_event_id;
    std::string provider_refund_id;
    template <class V> void visit(V&& v) {
        v("refund", refund), v("provider_event_id", provider_event_id), v("provider_refund_id", provider_refund_id);
    }
    void apply(State& state, const EventContext& context) const;
};

// No money went back: the amount counts as refundable again. provider_event_id is empty when
// the provider refused the request outright instead of reporting a failure later.
struct RefundFailed {
    static constexpr EventKind kind = EventKind::refund_failed;
    static constexpr std::string_view name = "RefundFailed";
    static constexpr std::uint8_t version = 1;
    RefundId refund;
    std::string provider_event_id;
    std::string provider_refund_id;
    std::string details;
    template <class V> void visit(V&& v) {
        v("refund", refund), v("provider_event_id", provider_event_id), v("provider_refund_id", provider_refund_id),
            v("details", details);
    }
    void apply(State& state, const EventContext& context) const;
};

using OrdersEvents =
    EventList<OrderPlaced, SubOrderPlaced, OrderPaid, SubOrderPaid, OrderCancelled, SubOrderCancelled, SubOrderShipped,
              SubOrderReceived, SubOrderCompleted, SubOrderClosedRefunded, PaymentStarted, PaymentIntentRecorded, PaymentCaptured,
              PaymentDeclined, PaymentAlertRaised, RefundRequested, RefundSubmitted, RefundSucceeded, RefundFailed>;

}  // namespace souk::detail
