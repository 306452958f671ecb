// The payment port: souk.PaymentProvider (implementable in Python), its request, answer and
// notification records, and souk.SandboxProvider with its scripting, queue and ledger.
//
// GIL: every method releases it, because the engine calls providers from its own threads and a
// gateway call takes network time. Python code that C++ calls back (a provider's methods, a
// sandbox notification handler) takes it again first. A sandbox method must never run holding
// the GIL: the sandbox copies and destroys a Python handler under its mutex, which needs the GIL.
#include "bindings.hpp"

#include <pybind11/functional.h>

#include <initializer_list>
#include <memory>
#include <optional>

#include "souk/payment.hpp"
#include "souk/payment/sandbox_provider.hpp"

namespace souk::python {
namespace {

// Names from souk's own to_string, so that Python and C++ spell every value alike.
template <class E>
EnumNames<E> stable_names(std::initializer_list<E> values) {
    EnumNames<E> names;
    for (const E value : values) names.emplace_back(std::string(to_string(value)), value);
    return names;
}

const EnumNames<ClientAction::Kind>& client_action_kind_names() {
    using enum ClientAction::Kind;
    static const auto names = stable_names({none, redirect, qr_code});
    return names;
}

const EnumNames<PaymentStatus>& payment_status_names() {
    using enum PaymentStatus;
    static const auto names = stable_names({pending, captured, declined});
    return names;
}

const EnumNames<RefundStatus>& refund_status_names() {
    using enum RefundStatus;
    static const auto names = stable_names({pending, succeeded, failed});
    return names;
}

const EnumNames<PaymentEventKind>& payment_event_kind_names() {
    using enum PaymentEventKind;
    static const auto names = stable_names({captured, declined, refunded, refund_failed});
    return names;
}

const EnumNames<SandboxOutcome>& sandbox_outcome_names() {
    static const EnumNames<SandboxOutcome> names{{"succeed", SandboxOutcome::succeed},
                                                 {"decline", SandboxOutcome::decline},
                                                 {"timeout", SandboxOutcome::timeout}};
    return names;
}

using Headers = std::vector<std::pair<std::string, std::string>>;

// Headers as web frameworks hand them over: a mapping (a dict, or anything with items() such as
// werkzeug's Headers) or an iterable of (name, value) pairs, names and values str or bytes.
Headers headers_of(const py::handle& headers) {
    if (py::isinstance<py::str>(headers) || py::isinstance<py::bytes>(headers))
        throw py::type_error("headers must be a mapping or an iterable of (name, value) pairs, not a string");
    const py::object pairs =
        py::hasattr(headers, "items") ? headers.attr("items")() : py::reinterpret_borrow<py::object>(headers);
    Headers result;
    for (const py::handle pair : pairs) {
        try {
            result.push_back(pair.cast<std::pair<std::string, std::string>>());
        } catch (const py::cast_error&) {
            throw py::type_error(fmt::format("a header must be a (name, value) pair of str or bytes, not {}",
                                             std::string(py::repr(pair))));
        }
    }
    return result;
}

void bind_client_action(py::module_& m) {
    py::class_<ClientAction> action(m, "ClientAction",
                                    "What the payer's client must do to complete a payment: nothing (kind none), open\n"
                                    "the URL in payload (redirect), or show payload as a QR code (qr_code).");
    bind_enum(action, "Kind", "What a ClientAction asks of the payer.", client_action_kind_names());
    action.def(py::init([](const EnumArg<ClientAction::Kind>& kind, std::string payload) {
                   return ClientAction{to_enum(kind, client_action_kind_names(), "client action"), std::move(payload)};
               }),
               py::kw_only(), py::arg("kind") = ClientAction::Kind::none, py::arg("payload") = "");
    def_readonly_fields(action, field("kind", &ClientAction::kind), field("payload", &ClientAction::payload));
    action.def(py::self == py::self).def(py::self != py::self);
}

void bind_requests(py::module_& m) {
    py::class_<IntentRequest> intent(
        m, "IntentRequest",
        "Opens a payment for a payment order: amount positive in an ISO 4217 currency, idempotency_key 1..255\n"
        "visible ASCII characters (reuse it on every retry), description at most 1000 bytes.");
    intent.def(py::init([](PaymentOrderId payment_order, Money amount, std::string idempotency_key,
                           std::string description) {
                   return IntentRequest{payment_order, amount, std::move(idempotency_key), std::move(description)};
               }),
               py::kw_only(), py::arg("payment_order"), py::arg("amount"), py::arg("idempotency_key"),
               py::arg("description") = "");
    def_readwrite_fields(intent, field("payment_order", &IntentRequest::payment_order),
                         field("amount", &IntentRequest::amount),
                         field("idempotency_key", &IntentRequest::idempotency_key),
                         field("description", &IntentRequest::description));
    intent.def(py::self == py::self).def(py::self != py::self);

    py::class_<RefundRequest> refund(
        m, "RefundRequest",
        "Returns part or all of a captured payment: amount at most what is left to refund, idempotency_key\n"
        "as for IntentRequest, reason at most 1000 bytes.");
    refund.def(py::init([](std::string provider_payment_id, Money amount, std::string idempotency_key,
                           std::string reason) {
                   return RefundRequest{std::move(provider_payment_id), amount, std::move(idempotency_key),
                                        std::move(reason)};
               }),
               py::kw_only(), py::arg("provider_payment_id"), py::arg("amount"), py::arg("idempotency_key"),
               py::arg("reason") = "");
    def_readwrite_fields(refund, field("provider_payment_id", &RefundRequest::provider_payment_id),
                         field("amount", &RefundRequest::amount),
                         field("idempotency_key", &RefundRequest::idempotency_key),
                         field("reason", &RefundRequest::reason));
    refund.def(py::self == py::self).def(py::self != py::self);
}

// What a provider answers: read-only values, built with keywords by providers written in Python.
void bind_answers(py::module_& m) {
    py::class_<PaymentIntent> intent(m, "PaymentIntent",
                                     "What create_intent returns: the provider's payment id, what the payer must do,\n"
                                     "and the payment's status.");
    intent.def(py::init([](std::string provider_payment_id, ClientAction action, const EnumArg<PaymentStatus>& status) {
                   return PaymentIntent{std::move(provider_payment_id), std::move(action),
                                        to_enum(status, payment_status_names(), "payment status")};
               }),
               py::kw_only(), py::arg("provider_payment_id"), py::arg("action") = ClientAction{},
               py::arg("status") = PaymentStatus::pending);
    def_readonly_fields(intent, field("provider_payment_id", &PaymentIntent::provider_payment_id),
                        field("action", &PaymentIntent::action), field("status", &PaymentIntent::status));
    intent.def(py::self == py::self).def(py::self != py::self);

    py::class_<RefundReceipt> receipt(
        m, "RefundReceipt", "What refund returns: the provider's refund id, the amount and the refund's status.");
    receipt.def(py::init([](std::string provider_refund_id, Money amount, const EnumArg<RefundStatus>& status) {
                    return RefundReceipt{std::move(provider_refund_id), amount,
                                         to_enum(status, refund_status_names(), "refund status")};
                }),
                py::kw_only(), py::arg("provider_refund_id"), py::arg("amount"),
                py::arg("status") = RefundStatus::pending);
    def_readonly_fields(receipt, field("provider_refund_id", &RefundReceipt::provider_refund_id),
                        field("amount", &RefundReceipt::amount), field("status", &RefundReceipt::status));
    receipt.def(py::self == py::self).def(py::self != py::self);

    py::class_<RefundReference> reference(
        m, "RefundReference",
        "Which refund a refund event is about; the idempotency key is echoed so that a refund whose call timed\n"
        "out can be matched.");
    reference.def(py::init([](std::string provider_refund_id, std::string idempotency_key) {
                      return RefundReference{std::move(provider_refund_id), std::move(idempotency_key)};
                  }),
                  py::kw_only(), py::arg("provider_refund_id"), py::arg("idempotency_key"));
    def_readonly_fields(reference, field("provider_refund_id", &RefundReference::provider_refund_id),
                        field("idempotency_key", &RefundReference::idempotency_key));
    reference.def(py::self == py::self).def(py::self != py::self);
}

void bind_payment_event(py::module_& m) {
    py::class_<PaymentEvent> event(
        m, "PaymentEvent",
        "A verified notification: safe to act on. Deduplicate on provider_event_id (a redelivery repeats it);\n"
        "refund is set exactly for the refunded and refund_failed kinds.");
    event.def(py::init([](std::string provider_event_id, const EnumArg<PaymentEventKind>& kind,
                          std::string provider_payment_id, PaymentOrderId payment_order, Money amount,
                          Timestamp occurred_at, std::optional<RefundReference> refund) {
                  return PaymentEvent{std::move(provider_event_id),
                                      to_enum(kind, payment_event_kind_names(), "payment event kind"),
                                      std::move(provider_payment_id),
                                      payment_order,
                                      std::move(refund),
                                      amount,
                                      occurred_at};
              }),
              py::kw_only(), py::arg("provider_event_id"), py::arg("kind"), py::arg("provider_payment_id"),
              py::arg("payment_order"), py::arg("amount"), py::arg("occurred_at"), py::arg("refund") = py::none());
    def_readonly_fields(event, field("provider_event_id", &PaymentEvent::provider_event_id),
                        field("kind", &PaymentEvent::kind),
                        field("provider_payment_id", &PaymentEvent::provider_payment_id),
                        field("payment_order", &PaymentEvent::payment_order), field("refund", &PaymentEvent::refund),
                        field("amount", &PaymentEvent::amount), field("occurred_at", &PaymentEvent::occurred_at));
    event.def(py::self == py::self).def(py::self != py::self);
}

void bind_notification(py::module_& m) {
    py::class_<Notification> notification(
        m, "Notification",
        "A notification exactly as it reached the webhook endpoint: untrusted until a provider's verify()\n"
        "accepts it. headers takes a mapping or (name, value) pairs and reads back as a list of str pairs;\n"
        "names compare case-insensitively. body is bytes (str is taken as UTF-8): the signature covers the\n"
        "exact bytes, so pass them on unchanged.");
    notification
        .def(py::init([](const py::object& headers, std::string body) {
                 return Notification{headers_of(headers), std::move(body)};
             }),
             py::kw_only(), py::arg("headers") = py::tuple(), py::arg("body") = py::bytes())
        .def_property(
            "headers", [](const Notification& n) { return n.headers; },
            [](Notification& n, const py::object& headers) { n.headers = headers_of(headers); })
        .def_property(
            "body", [](const Notification& n) { return py::bytes(n.body); },
            [](Notification& n, std::string body) { n.body = std::move(body); })
        .def(py::self == py::self)
        .def(py::self != py::self);
    def_repr(notification, {"headers", "body"});
}

// A PaymentProvider written in Python. Each call takes the GIL, since the engine calls providers
// from threads that do not hold it, and turns whatever the Python method raises or returns wrong
// into the souk::Error that the port promises its callers: a souk.Error keeps its code; anything
// else is payment_failed, the port's "outcome unknown, retry with the same key".
class PythonPaymentProvider final : public PaymentProvider {
public:
    std::string name() const override { return call<std::string>("name", "a str"); }

    PaymentIntent create_intent(const IntentRequest& request) override {
        return call<PaymentIntent>("create_intent", "a souk.PaymentIntent", request);
    }

    RefundReceipt refund(const RefundRequest& request) override {
        return call<RefundReceipt>("refund", "a souk.RefundReceipt", request);
    }

    PaymentEvent verify(const Notification& raw) const override {
        return call<PaymentEvent>("verify", "a souk.PaymentEvent", raw);
    }

private:
    template <class R, class... Args>
    R call(const char* method, const char* expected, const Args&... args) const {
        py::gil_scoped_acquire gil;
        const py::function override = py::get_override(static_cast<const PaymentProvider*>(this), method);
        if (!override) throw Error(Errc::payment_failed, fmt::format("{} is not implemented", where(method)));
        py::object result;
        try {
            // Copies: the method gets objects of its own, never the caller's, which it could keep
            // and see change.
            result = override(Args(args)...);
        } catch (const py::error_already_set& e) {
            // KeyboardInterrupt and SystemExit are no provider failures: they reach Python as they are.
            if (!e.matches(PyExc_Exception)) throw;
            throw error_from_python(e, Errc::payment_failed, where(method));
        }
        try {
            return result.cast<R>();
        } catch (const py::cast_error&) {
            const std::string type = py::str(py::type::of(result).attr("__name__"));
            throw Error(Errc::payment_failed, fmt::format("{} returned {}, not {}", where(method), type, expected));
        }
    }

    // "MyGateway.refund", for messages. Needs the GIL.
    std::string where(const char* method) const {
        const py::handle self = py::detail::get_object_handle(static_cast<const PaymentProvider*>(this),
                                                              py::detail::get_type_info(typeid(PaymentProvider)));
        const std::string owner = self ? std::string(py::str(py::type::of(self).attr("__name__"))) : "PaymentProvider";
        return fmt::format("{}.{}", owner, method);
    }
};

void bind_provider(py::module_& m) {
    py::class_<PaymentProvider, PythonPaymentProvider, std::shared_ptr<PaymentProvider>>(
        m, "PaymentProvider",
        "The payment gateway port. Subclass it in Python to write an adapter: call super().__init__() and\n"
        "implement name(), create_intent(request), refund(request) and verify(raw) as docs/payments.md\n"
        "describes. The engine may call them from several threads at once. A souk.Error raised in them reaches\n"
        "C++ callers with its code; any other exception, or a result of the wrong type, becomes\n"
        "souk.PaymentFailed (the outcome is unknown: retry with the same idempotency key).")
        .def(py::init<>())
        .def("name", &PaymentProvider::name, ReleaseGil(),
             "A stable identifier ('sandbox'), recorded with each payment so that notifications and refunds\n"
             "go back to the provider that took the money.")
        .def("create_intent", &PaymentProvider::create_intent, py::arg("request"), ReleaseGil(),
             "Opens a payment (an IntentRequest) and returns a PaymentIntent. The same idempotency key with the\n"
             "same request returns the first answer; with a different request it raises souk.Conflict.")
        .def("refund", &PaymentProvider::refund, py::arg("request"), ReleaseGil(),
             "Refunds part or all of a captured payment (a RefundRequest); returns a RefundReceipt. Idempotent\n"
             "on the key like create_intent. Above what is left to refund: souk.LimitExceeded.")
        .def("verify", &PaymentProvider::verify, py::arg("raw"), ReleaseGil(),
             "Checks a Notification and decodes it into a PaymentEvent. Oversized: souk.LimitExceeded; a\n"
             "missing, malformed, wrong or stale signature: souk.Unauthenticated; an authentic body that is not\n"
             "a well-formed event: souk.InvalidArgument. Records nothing.");
}

void bind_sandbox_records(py::module_& m) {
    py::class_<SandboxBehavior> behavior(
        m, "SandboxBehavior",
        "A script for the sandbox's payments: payment and refund outcomes (souk.SandboxOutcome or its name),\n"
        "duplicate_notifications (each queued twice), reverse_notifications (each queued ahead of the\n"
        "payment's undelivered earlier ones).");
    behavior
        .def(py::init([](const EnumArg<SandboxOutcome>& payment, const EnumArg<SandboxOutcome>& refund,
                         bool duplicate_notifications, bool reverse_notifications) {
                 return SandboxBehavior{to_enum(payment, sandbox_outcome_names(), "sandbox outcome"),
                                        to_enum(refund, sandbox_outcome_names(), "sandbox outcome"),
                                        duplicate_notifications, reverse_notifications};
             }),
             py::kw_only(), py::arg("payment") = SandboxOutcome::succeed, py::arg("refund") = SandboxOutcome::succeed,
             py::arg("duplicate_notifications") = false, py::arg("reverse_notifications") = false)
        .def(py::self == py::self)
        .def(py::self != py::self);
    def_readwrite_fields(behavior,
                         enum_field("payment", &SandboxBehavior::payment, sandbox_outcome_names(), "sandbox outcome"),
                         enum_field("refund", &SandboxBehavior::refund, sandbox_outcome_names(), "sandbox outcome"),
                         field("duplicate_notifications", &SandboxBehavior::duplicate_notifications),
                         field("reverse_notifications", &SandboxBehavior::reverse_notifications));

    py::class_<SandboxPayment> payment(m, "SandboxPayment",
                                       "What the sandbox's ledger knows about one payment; refunded counts succeeded\n"
                                       "refunds only, refunds lists every refund accepted with its outcome.");
    def_readonly_fields(payment, field("provider_payment_id", &SandboxPayment::provider_payment_id),
                        field("payment_order", &SandboxPayment::payment_order),
                        field("amount", &SandboxPayment::amount),
                        field("status", &SandboxPayment::status), field("refunded", &SandboxPayment::refunded),
                        field("refunds", &SandboxPayment::refunds));
    payment.def(py::self == py::self).def(py::self != py::self);
}

std::shared_ptr<SandboxProvider> make_sandbox(std::string secret, std::shared_ptr<Clock> clock,
                                              const EnumArg<ClientAction::Kind>& client_action,
                                              std::string checkout_url, Duration signature_tolerance,
                                              std::size_t notification_bytes_max) {
    SandboxOptions options{.client_action = to_enum(client_action, client_action_kind_names(), "client action"),
                           .checkout_url = std::move(checkout_url),
                           .signature_tolerance = signature_tolerance,
                           .notification_bytes_max = notification_bytes_max};
    return std::make_shared<SandboxProvider>(std::move(secret), std::move(clock), std::move(options));
}

void bind_sandbox_provider(py::module_& m) {
    const SandboxOptions defaults;
    py::class_<SandboxProvider, PaymentProvider, std::shared_ptr<SandboxProvider>> sandbox(
        m, "SandboxProvider",
        "An in-process payment provider for tests and demos, with its own ledger, real idempotency and\n"
        "HMAC-SHA256-signed notifications. secret (str or bytes, at least 16 bytes) is shared with the webhook\n"
        "verifier; clock dates events and signatures and is verify()'s now. Options (keyword-only): client_action\n"
        "('redirect'; 'none' completes payments inside create_intent), checkout_url, signature_tolerance (a\n"
        "timedelta, default 300 s), notification_bytes_max (default 65536). Nothing is delivered until\n"
        "deliver_next() or deliver_all().",
        py::is_final());
    sandbox.def(py::init(&make_sandbox), py::arg("secret"), py::arg("clock"), py::kw_only(),
                py::arg("client_action") = defaults.client_action, py::arg("checkout_url") = defaults.checkout_url,
                py::arg("signature_tolerance") = defaults.signature_tolerance,
                py::arg("notification_bytes_max") = defaults.notification_bytes_max)
        .def("set_default_behavior", &SandboxProvider::set_default_behavior, py::arg("behavior"), ReleaseGil(),
             "The SandboxBehavior of every payment order without its own.")
        .def("set_behavior", &SandboxProvider::set_behavior, py::arg("payment_order"), py::arg("behavior"),
             ReleaseGil(), "The SandboxBehavior of one payment order's payments, overriding the default.")
        .def("complete_payment", &SandboxProvider::complete_payment, py::arg("provider_payment_id"), ReleaseGil(),
             "The payer completes a pending payment: captured or declined as scripted, its notification queued.\n"
             "Returns the new PaymentStatus; souk.NotFound, or souk.InvalidState if it is not pending.")
        .def("sign", &SandboxProvider::sign, py::arg("body"), py::arg("at"), ReleaseGil(),
             "A Notification carrying body (bytes or str), signed with the sandbox's secret and dated at.");
    sandbox.def("on_notification", &SandboxProvider::on_notification, py::arg("handler"), ReleaseGil(),
                "Registers handler(notification), called by deliver_next() and deliver_all() on the calling thread;\n"
                "None removes it. An exception from the handler propagates and puts the notification back at the\n"
                "front of the queue. The sandbox holds the handler until it is replaced.")
        .def("pending_notifications", &SandboxProvider::pending_notifications, ReleaseGil(),
             "What deliver_next() would hand out, in order, each signed now. Held notifications are not pending.")
        .def("deliver_next", &SandboxProvider::deliver_next, ReleaseGil(),
             "Removes the first pending Notification, passes it to the handler if any, and returns it; None if\n"
             "the queue is empty.")
        .def("deliver_all", &SandboxProvider::deliver_all, ReleaseGil(),
             "deliver_next() until the queue is empty, including what the handler causes; returns the list.")
        .def("held_notification_count", &SandboxProvider::held_notification_count, ReleaseGil(),
             "Notifications of timed-out operations, not yet released.")
        .def("release_held_notifications", &SandboxProvider::release_held_notifications, ReleaseGil(),
             "The held notifications join the end of the queue, like a late delivery.")
        .def("payment", &SandboxProvider::payment, py::arg("provider_payment_id"), ReleaseGil(),
             "The ledger's SandboxPayment; souk.NotFound if unknown.")
        .def("payments_of", &SandboxProvider::payments_of, py::arg("payment_order"), ReleaseGil(),
             "Every payment opened for a payment order, oldest first.")
        .def("intent_count", &SandboxProvider::intent_count, ReleaseGil(), "Payments opened.")
        .def("charge_count", &SandboxProvider::charge_count, ReleaseGil(), "Payments captured.");
}

}  // namespace

void bind_payment(py::module_& m) {
    bind_enum(m, "PaymentStatus", "Where a payment stands at the provider: pending, captured or declined.",
              payment_status_names());
    bind_enum(m, "RefundStatus", "Where a refund stands at the provider: pending, succeeded or failed.",
              refund_status_names());
    bind_enum(m, "PaymentEventKind", "What a verified notification reports.", payment_event_kind_names());
    bind_enum(m, "SandboxOutcome",
              "How the sandbox answers: succeed; decline; timeout (the work is done, the answer lost: the call\n"
              "raises souk.PaymentFailed, a retry with the same key returns it, its notification is held).",
              sandbox_outcome_names());
    bind_client_action(m);
    bind_requests(m);
    bind_answers(m);
    bind_payment_event(m);
    bind_notification(m);
    bind_provider(m);
    bind_sandbox_records(m);
    bind_sandbox_provider(m);
}

}  // namespace souk::python
