// souk.Orders (marketplace.orders): placing a checkout, paying it, the sub-order state machine,
// refunds and payment alerts, with their enums and records. Every method runs without the GIL;
// a payment provider written in Python takes it back for each call the engine makes to it.
#include "bindings.hpp"

#include <optional>

#include "souk/orders.hpp"

namespace souk::python {
namespace {

const EnumNames<SubOrderStatus>& sub_order_status_names() {
    using enum SubOrderStatus;
    static const auto names = names_from(
        {pending_payment, paid, partially_shipped, shipped, received, completed, cancelled, refunded},
        sub_order_status_name);
    return names;
}

const EnumNames<PaymentOrderStatus>& payment_order_status_names() {
    using enum PaymentOrderStatus;
    static const auto names = names_from({pending_payment, paid, cancelled}, payment_order_status_name);
    return names;
}

const EnumNames<CancelCause>& cancel_cause_names() {
    using enum CancelCause;
    static const auto names = names_from({buyer, seller, platform, payment_timeout}, cancel_cause_name);
    return names;
}

const EnumNames<PaymentAttemptStatus>& payment_attempt_status_names() {
    using enum PaymentAttemptStatus;
    static const auto names = names_from({started, open, declined, captured}, payment_attempt_status_name);
    return names;
}

const EnumNames<RefundState>& refund_state_names() {
    using enum RefundState;
    static const auto names = names_from({requested, submitted, succeeded, failed}, refund_state_name);
    return names;
}

const EnumNames<RefundKind>& refund_kind_names() {
    using enum RefundKind;
    static const auto names = names_from({lines, cancellation, reversal}, refund_kind_name);
    return names;
}

const EnumNames<NotificationOutcome>& notification_outcome_names() {
    using enum NotificationOutcome;
    static const auto names = names_from({applied, duplicate, alert, refunding}, notification_outcome_name);
    return names;
}

const EnumNames<PaymentAlertReason>& payment_alert_reason_names() {
    using enum PaymentAlertReason;
    static const auto names =
        names_from({amount_mismatch, unknown_order, unknown_payment, unknown_refund, contradiction},
                   payment_alert_reason_name);
    return names;
}

void bind_enums(py::module_& m) {
    bind_enum(m, "SubOrderStatus",
              "pending_payment -> paid -> partially_shipped -> shipped -> received -> completed; cancelled from\n"
              "pending_payment, or from paid before any shipment; refunded instead of completed when every line\n"
              "was refunded in full.",
              sub_order_status_names());
    bind_enum(m, "PaymentOrderStatus", "pending_payment -> paid | cancelled.", payment_order_status_names());
    bind_enum(m, "CancelCause", "Who or what cancelled a sub-order.", cancel_cause_names());
    bind_enum(m, "PaymentAttemptStatus",
              "started -> open (the provider's intent recorded) -> captured | declined. A capture reported after a\n"
              "decline still counts.",
              payment_attempt_status_names());
    bind_enum(m, "RefundState",
              "requested -> submitted (the provider accepted it) -> succeeded | failed, as its notification says.",
              refund_state_names());
    bind_enum(m, "RefundKind",
              "lines (the shop or the platform refunds lines), cancellation (a paid sub-order was cancelled),\n"
              "reversal (a payment the order could not take).",
              refund_kind_names());
    bind_enum(m, "NotificationOutcome",
              "applied; duplicate (handled before: nothing changed); alert (it contradicts the records: a\n"
              "PaymentAlert, nothing else changed); refunding (a payment the order could not take, being refunded).",
              notification_outcome_names());
    bind_enum(m, "PaymentAlertReason", "Why an authentic notification could not be acted on.",
              payment_alert_reason_names());
}

// OrderFilter and SubOrderFilter: a status (the enum or its name; None for any) and a placing-time
// window.
template <class Filter, class Status>
void bind_filter(py::module_& m, const char* name, const char* doc, const EnumNames<Status>& names,
                 const char* what) {
    using StatusArg = std::optional<EnumArg<Status>>;
    // `names` is a function-local static, so the pointer outlives the binding.
    const auto to_status = [names = &names, what](const StatusArg& status) -> std::optional<Status> {
        if (!status) return std::nullopt;
        return to_enum(*status, *names, what);
    };
    py::class_<Filter> filter(m, name, doc);
    filter
        .def(py::init([to_status](const StatusArg& status, std::optional<Timestamp> placed_from,
                                  std::optional<Timestamp> placed_before) {
                 return Filter{to_status(status), placed_from, placed_before};
             }),
             py::kw_only(), py::arg("status") = py::none(), py::arg("placed_from") = py::none(),
             py::arg("placed_before") = py::none())
        .def_property(
            "status", [](const Filter& self) { return self.status; },
            [to_status](Filter& self, const StatusArg& status) { self.status = to_status(status); })
        .def_readwrite("placed_from", &Filter::placed_from)
        .def_readwrite("placed_before", &Filter::placed_before)
        .def(py::self == py::self)
        .def(py::self != py::self);
    def_repr(filter, {"status", "placed_from", "placed_before"});
}

void bind_arguments(py::module_& m) {
    py::class_<PlaceRequest> place(
        m, "PlaceRequest",
        "Places a CheckoutRequest. idempotency_key (1..64 visible ASCII characters) is the client's: placing\n"
        "again with it returns the first order. expected_total is the total the customer was shown\n"
        "(Quote.total); if the price now differs, place raises souk.Conflict.");
    place
        .def(py::init([](std::string idempotency_key, CheckoutRequest checkout, std::optional<Money> expected_total) {
                 return PlaceRequest{std::move(idempotency_key), std::move(checkout), expected_total};
             }),
             py::kw_only(), py::arg("idempotency_key"), py::arg("checkout"), py::arg("expected_total") = py::none());
    def_readwrite_fields(place, field("idempotency_key", &PlaceRequest::idempotency_key),
                         field("checkout", &PlaceRequest::checkout),
                         field("expected_total", &PlaceRequest::expected_total));
    place.def(py::self == py::self).def(py::self != py::self);

    py::class_<ShippedLine> shipped(m, "ShippedLine", "A quantity of one SKU in a shipment.");
    shipped.def(py::init([](SkuId sku, std::int64_t quantity) { return ShippedLine{sku, quantity}; }), py::kw_only(),
                py::arg("sku"), py::arg("quantity"));
    def_readwrite_fields(shipped, field("sku", &ShippedLine::sku), field("quantity", &ShippedLine::quantity));
    shipped.def(py::self == py::self).def(py::self != py::self);

    py::class_<ShipmentRequest> shipment(
        m, "ShipmentRequest",
        "What the seller sends: carrier 1..40 characters, tracking_number 1..40 ASCII letters, digits or '-',\n"
        "and ShippedLines; with lines empty, everything not shipped yet.");
    shipment
        .def(py::init([](std::string carrier, std::string tracking_number, std::vector<ShippedLine> lines) {
                 return ShipmentRequest{std::move(carrier), std::move(tracking_number), std::move(lines)};
             }),
             py::kw_only(), py::arg("carrier"), py::arg("tracking_number"),
             py::arg("lines") = std::vector<ShippedLine>{});
    def_readwrite_fields(shipment, field("carrier", &ShipmentRequest::carrier),
                         field("tracking_number", &ShipmentRequest::tracking_number),
                         field("lines", &ShipmentRequest::lines));
    shipment.def(py::self == py::self).def(py::self != py::self);

    py::class_<RefundLine> refund(m, "RefundLine", "An amount refunded of one line, by SKU.");
    refund.def(py::init([](SkuId sku, Money amount) { return RefundLine{sku, amount}; }), py::kw_only(),
               py::arg("sku"), py::arg("amount"));
    def_readwrite_fields(refund, field("sku", &RefundLine::sku), field("amount", &RefundLine::amount));
    refund.def(py::self == py::self).def(py::self != py::self);

    bind_filter<OrderFilter>(m, "OrderFilter",
                             "Which payment orders a list shows: status (souk.PaymentOrderStatus or its name; None for\n"
                             "any), placed_from (inclusive) and placed_before (exclusive).",
                             payment_order_status_names(), "payment order status");
    bind_filter<SubOrderFilter>(m, "SubOrderFilter",
                                "Which sub-orders a list shows: status (souk.SubOrderStatus or its name; None for\n"
                                "any), placed_from (inclusive) and placed_before (exclusive).",
                                sub_order_status_names(), "sub-order status");
}

void bind_sub_order_records(py::module_& m) {
    py::class_<OrderLine> line(m, "OrderLine",
                               "A sub-order line as placed: paid_share = line_total - discount is what refunds of the\n"
                               "line return at most; refunded counts refunds requested, submitted or succeeded.");
    def_readonly_fields(line, field("sku", &OrderLine::sku), field("product", &OrderLine::product),
                        field("title", &OrderLine::title), field("spec", &OrderLine::spec),
                        field("unit_price", &OrderLine::unit_price), field("quantity", &OrderLine::quantity),
                        field("line_total", &OrderLine::line_total), field("discount", &OrderLine::discount),
                        field("platform_discount", &OrderLine::platform_discount),
                        field("paid_share", &OrderLine::paid_share), field("refunded", &OrderLine::refunded),
                        field("shipped", &OrderLine::shipped), field("commission_bps", &OrderLine::commission_bps));
    line.def(py::self == py::self).def(py::self != py::self);

    py::class_<Shipment> shipment(m, "Shipment", "A shipment of a sub-order, numbered 1, 2, ... within it.");
    def_readonly_fields(shipment, field("number", &Shipment::number), field("carrier", &Shipment::carrier),
                        field("tracking_number", &Shipment::tracking_number), field("lines", &Shipment::lines),
                        field("shipped_at", &Shipment::shipped_at));
    shipment.def(py::self == py::self).def(py::self != py::self);

    py::class_<RefundInfo> refund(
        m, "RefundInfo",
        "A refund: sub_order is None for a reversal; amount = the lines + shipping, or the reversed payment;\n"
        "idempotency_key is derived from the id, so every retry reuses it; requested_by is UserId(0) for the\n"
        "system.");
    def_readonly_fields(refund, field("id", &RefundInfo::id), field("order", &RefundInfo::order),
                        field("sub_order", &RefundInfo::sub_order), field("kind", &RefundInfo::kind),
                        field("lines", &RefundInfo::lines), field("shipping", &RefundInfo::shipping),
                        field("amount", &RefundInfo::amount), field("state", &RefundInfo::state),
                        field("provider", &RefundInfo::provider),
                        field("provider_payment_id", &RefundInfo::provider_payment_id),
                        field("provider_refund_id", &RefundInfo::provider_refund_id),
                        field("idempotency_key", &RefundInfo::idempotency_key), field("reason", &RefundInfo::reason),
                        field("requested_by", &RefundInfo::requested_by),
                        field("requested_at", &RefundInfo::requested_at),
                        field("settled_at", &RefundInfo::settled_at));
    refund.def(py::self == py::self).def(py::self != py::self);

    py::class_<SubOrderInfo> sub_order(
        m, "SubOrderInfo",
        "One shop's part of a payment order: payable = subtotal - discount + shipping_fee. deadline is when\n"
        "tick moves it on by itself (payment while pending, automatic receipt while shipped, completion\n"
        "while received).");
    def_readonly_fields(
        sub_order, field("id", &SubOrderInfo::id), field("order", &SubOrderInfo::order),
        field("shop", &SubOrderInfo::shop), field("customer", &SubOrderInfo::customer),
        field("status", &SubOrderInfo::status), field("address", &SubOrderInfo::address),
        field("lines", &SubOrderInfo::lines), field("subtotal", &SubOrderInfo::subtotal),
        field("discount", &SubOrderInfo::discount), field("shipping_fee", &SubOrderInfo::shipping_fee),
        field("payable", &SubOrderInfo::payable), field("refunded", &SubOrderInfo::refunded),
        field("shipping_refunded", &SubOrderInfo::shipping_refunded), field("shipments", &SubOrderInfo::shipments),
        field("refunds", &SubOrderInfo::refunds), field("placed_at", &SubOrderInfo::placed_at),
        field("paid_at", &SubOrderInfo::paid_at), field("shipped_at", &SubOrderInfo::shipped_at),
        field("received_at", &SubOrderInfo::received_at), field("completed_at", &SubOrderInfo::completed_at),
        field("cancelled_at", &SubOrderInfo::cancelled_at), field("cancel_cause", &SubOrderInfo::cancel_cause),
        field("cancel_reason", &SubOrderInfo::cancel_reason), field("deadline", &SubOrderInfo::deadline),
        field("review_until", &SubOrderInfo::review_until));
    sub_order.def(py::self == py::self).def(py::self != py::self);
}

void bind_payment_records(py::module_& m) {
    py::class_<PaymentAttemptInfo> attempt(
        m, "PaymentAttemptInfo",
        "One attempt to pay a payment order: one idempotency key (derived from the order and the number) at\n"
        "one provider.");
    def_readonly_fields(attempt, field("number", &PaymentAttemptInfo::number),
                        field("provider", &PaymentAttemptInfo::provider),
                        field("idempotency_key", &PaymentAttemptInfo::idempotency_key),
                        field("status", &PaymentAttemptInfo::status),
                        field("provider_payment_id", &PaymentAttemptInfo::provider_payment_id),
                        field("action", &PaymentAttemptInfo::action),
                        field("started_at", &PaymentAttemptInfo::started_at));
    attempt.def(py::self == py::self).def(py::self != py::self);

    py::class_<PaymentOrderInfo> order(
        m, "PaymentOrderInfo",
        "What the customer pays at once: total = the sub-orders' payable; paid is total once paid, else zero;\n"
        "reversals refund payments the order could not take.");
    def_readonly_fields(order, field("id", &PaymentOrderInfo::id), field("customer", &PaymentOrderInfo::customer),
                        field("status", &PaymentOrderInfo::status), field("total", &PaymentOrderInfo::total),
                        field("paid", &PaymentOrderInfo::paid), field("refunded", &PaymentOrderInfo::refunded),
                        field("address", &PaymentOrderInfo::address),
                        field("sub_orders", &PaymentOrderInfo::sub_orders),
                        field("attempts", &PaymentOrderInfo::attempts),
                        field("reversals", &PaymentOrderInfo::reversals),
                        field("placed_at", &PaymentOrderInfo::placed_at),
                        field("payment_deadline", &PaymentOrderInfo::payment_deadline),
                        field("paid_at", &PaymentOrderInfo::paid_at),
                        field("cancelled_at", &PaymentOrderInfo::cancelled_at));
    order.def(py::self == py::self).def(py::self != py::self);

    py::class_<PaymentStart> start(m, "PaymentStart",
                                   "What pay returns: the attempt, the provider's payment id, what the payer's client\n"
                                   "must do now (a ClientAction), and the status as the provider answered.");
    def_readonly_fields(start, field("order", &PaymentStart::order), field("attempt", &PaymentStart::attempt),
                        field("provider", &PaymentStart::provider),
                        field("provider_payment_id", &PaymentStart::provider_payment_id),
                        field("action", &PaymentStart::action), field("status", &PaymentStart::status));
    start.def(py::self == py::self).def(py::self != py::self);

    py::class_<NotificationResult> result(
        m, "NotificationResult",
        "What handle_notification did: its outcome, the payment order (PaymentOrderId(0) if the notification\n"
        "names none the engine knows) and, for refunding, the automatic refund.");
    def_readonly_fields(result, field("outcome", &NotificationResult::outcome),
                        field("order", &NotificationResult::order), field("refund", &NotificationResult::refund));
    result.def(py::self == py::self).def(py::self != py::self);

    py::class_<PaymentAlert> alert(m, "PaymentAlert",
                                   "An authentic notification the engine could not act on, for platform staff to\n"
                                   "resolve; numbered 1, 2, ... in the order raised.");
    def_readonly_fields(alert, field("number", &PaymentAlert::number), field("reason", &PaymentAlert::reason),
                        field("provider", &PaymentAlert::provider), field("event", &PaymentAlert::event),
                        field("details", &PaymentAlert::details), field("raised_at", &PaymentAlert::raised_at));
    alert.def(py::self == py::self).def(py::self != py::self);

    py::class_<OrdersTickReport> report(
        m, "OrdersTickReport",
        "What one Orders.tick did: payment orders cancelled unpaid, sub-orders received automatically and\n"
        "sub-orders completed, and sub-orders closed as refunded in full instead.");
    def_readonly_fields(report, field("cancelled", &OrdersTickReport::cancelled),
                        field("received", &OrdersTickReport::received),
                        field("completed", &OrdersTickReport::completed),
                        field("refunded", &OrdersTickReport::refunded));
    report.def(py::self == py::self).def(py::self != py::self);
}

void def_commands(py::class_<Orders>& orders) {
    orders
        .def("place", &Orders::place, py::arg("customer"), py::arg("request"), ReleaseGil(),
             "Prices a PlaceRequest's checkout as Cart.quote does, reserves every line's stock until the payment\n"
             "deadline, and creates the payment order and one sub-order per shop, in one command; returns the\n"
             "PaymentOrderId. souk.InvalidState for a line that cannot be bought, souk.InsufficientStock,\n"
             "souk.Conflict (expected_total differs, or the key was used for another request),\n"
             "souk.LimitExceeded (too many unpaid orders).")
        .def("pay", &Orders::pay, py::arg("customer"), py::arg("order"), py::arg("provider"), ReleaseGil(),
             "The buyer pays a pending order with the provider registered under that name; returns a\n"
             "PaymentStart. Calling again continues the same attempt with the same idempotency key; a new\n"
             "attempt opens only once the last was declined. Provider errors raise souk.PaymentFailed; nothing\n"
             "is paid until the provider's notification says so. With provider \"wallet\" the order is paid from\n"
             "the customer's wallet at once; a short balance raises souk.PaymentFailed and changes nothing.")
        .def("handle_notification", &Orders::handle_notification, py::arg("provider"), py::arg("notification"),
             ReleaseGil(),
             "Verifies a Notification with the named provider and acts on it in one command; returns a\n"
             "NotificationResult. Raises what verify raises, or souk.NotFound for an unknown provider; then\n"
             "nothing changed. Runs as the system.")
        .def("cancel", &Orders::cancel, py::arg("actor"), py::arg("sub_order"), py::arg("reason"), ReleaseGil(),
             "The buyer cancels a pending or paid sub-order, the seller a paid one, platform staff either; reason\n"
             "1..500 characters. A pending order is cancelled whole and its stock released; a paid sub-order is\n"
             "refunded in full, shipping included.")
        .def("ship", &Orders::ship, py::arg("actor"), py::arg("sub_order"), py::arg("shipment"), ReleaseGil(),
             "The shop's owner or staff ship (a ShipmentRequest) some or all of what is left of a paid\n"
             "sub-order; returns the shipment's number.")
        .def("confirm_receipt", &Orders::confirm_receipt, py::arg("customer"), py::arg("sub_order"), ReleaseGil(),
             "The buyer confirms a shipped sub-order arrived.")
        .def("refund", &Orders::refund, py::arg("actor"), py::arg("sub_order"), py::arg("lines"), py::arg("reason"),
             ReleaseGil(),
             "The shop's owner or staff, or platform staff, refund RefundLines of a paid sub-order that is not\n"
             "completed; each line at most its paid share minus what was refunded (souk.LimitExceeded). Returns\n"
             "the RefundId; the outcome arrives as the provider's notification.")
        .def("refund_all", &Orders::refund_all, py::arg("actor"), py::arg("sub_order"), py::arg("reason"),
             ReleaseGil(), "Refunds everything not yet refunded of the sub-order's lines and shipping.")
        .def("send_pending_refunds", &Orders::send_pending_refunds, ReleaseGil(),
             "Sends every refund its provider has not accepted yet again, with its own key; returns how many the\n"
             "provider accepted now. Hosts call it on a timer, like tick.")
        .def("tick", &Orders::tick, py::arg("now"), ReleaseGil(),
             "Fires every order deadline due at or before now (not ahead of the clock), as the system; returns an\n"
             "OrdersTickReport. Marketplace.tick calls it.");
}

void def_queries(py::class_<Orders>& orders) {
    orders
        .def("order", &Orders::order, py::arg("actor"), py::arg("order"), ReleaseGil(),
             "A PaymentOrderInfo: its buyer or platform staff.")
        .def("sub_order", &Orders::sub_order, py::arg("actor"), py::arg("sub_order"), ReleaseGil(),
             "A SubOrderInfo: its buyer, its shop's owner and staff, or platform staff.")
        .def("refund_info", &Orders::refund_info, py::arg("actor"), py::arg("refund"), ReleaseGil(),
             "A RefundInfo, visible to whoever may read its order or sub-order.")
        .def("orders_of", &Orders::orders_of, py::arg("actor"), py::arg("customer"),
             py::arg("filter") = OrderFilter{}, py::arg("page") = Page{}, ReleaseGil(),
             "A customer's payment orders, newest first: the customer themself or platform staff.")
        .def("sub_orders_of_customer", &Orders::sub_orders_of_customer, py::arg("actor"), py::arg("customer"),
             py::arg("filter") = SubOrderFilter{}, py::arg("page") = Page{}, ReleaseGil(),
             "A customer's sub-orders, newest first: the customer themself or platform staff.")
        .def("sub_orders_of_shop", &Orders::sub_orders_of_shop, py::arg("actor"), py::arg("shop"),
             py::arg("filter") = SubOrderFilter{}, py::arg("page") = Page{}, ReleaseGil(),
             "A shop's sub-orders, newest first: its owner and staff, or platform staff.")
        .def("sub_orders", &Orders::sub_orders, py::arg("actor"), py::arg("filter") = SubOrderFilter{},
             py::arg("page") = Page{}, ReleaseGil(), "Every shop's sub-orders, newest first: platform staff.")
        .def("payment_alerts", &Orders::payment_alerts, py::arg("actor"), py::arg("page") = Page{}, ReleaseGil(),
             "PaymentAlerts, oldest first: platform staff.");
}

void bind_service(py::module_& m) {
    py::class_<Orders> orders(
        m, "Orders",
        "Payment orders, their sub-orders (one per shop), payments and refunds: marketplace.orders. A payment\n"
        "order is visible to its buyer and platform staff, a sub-order also to its shop's owner and staff.\n"
        "Providers are called outside the engine's writer lock, each call with an idempotency key derived\n"
        "from the payment attempt or the refund, so a retry never pays or refunds twice.");
    orders.def_readonly_static("max_unpaid_orders", &Orders::max_unpaid_orders)
        .def_readonly_static("max_payment_attempts", &Orders::max_payment_attempts);
    def_commands(orders);
    def_queries(orders);
}

}  // namespace

void bind_orders(py::module_& m) {
    bind_enums(m);
    bind_arguments(m);
    bind_sub_order_records(m);
    bind_payment_records(m);
    bind_service(m);
}

}  // namespace souk::python
