// souk — the PaymentProvider port: how the engine talks to a payment gateway.
//
// The engine asks a provider to open a payment (an intent) for a payment order and to refund
// captured money; the provider reports what actually happened later, in signed notifications
// that the host's webhook endpoint hands to verify(). Every money-moving call carries an
// idempotency key: a retry after a timeout or a crash reuses the key of the first try, so the
// provider recognizes it and never charges or refunds twice. See docs/payments.md.
//
// No card data ever passes through this port: the payer enters it on the provider's page
// (the redirect URL or QR code the intent returns), never in souk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"

namespace souk {

// What the payer's client must do to complete a payment.
struct ClientAction {
    enum class Kind : std::uint8_t {
        none = 1,      // nothing: the payment completed (or failed) without the payer
        redirect = 2,  // open `payload`, the URL of the provider's payment page
        qr_code = 3,   // render `payload` as a QR code for the payer's wallet app to scan
    };
    Kind kind = Kind::none;
    std::string payload;  // empty for Kind::none
    friend bool operator==(const ClientAction&, const ClientAction&) = default;
};

// Where a payment stands at the provider. Values are stable (hosts may persist them).
enum class PaymentStatus : std::uint8_t {
    pending = 1,   // waiting for the payer (see ClientAction)
    captured = 2,  // the money is taken
    declined = 3,  // final: nothing was (or will be) taken
};

// Where a refund stands at the provider. Values are stable.
enum class RefundStatus : std::uint8_t {
    pending = 1,    // accepted; the outcome arrives as a notification
    succeeded = 2,  // final: the money went back to the payer
    failed = 3,     // final: no money moved, it stays captured
};

// Opens a payment for one payment order of the engine.
struct IntentRequest {
    PaymentOrderId payment_order;  // not zero; echoed in every event of the payment
    Money amount;                  // positive, in an ISO 4217 currency
    std::string idempotency_key;   // 1..255 visible ASCII characters; reuse it on every retry
    std::string description;       // shown to the payer, at most 1000 bytes
    friend bool operator==(const IntentRequest&, const IntentRequest&) = default;
};

// What create_intent returns: the provider's id for the payment and what the payer must do.
struct PaymentIntent {
    std::string provider_payment_id;
    ClientAction action;
    PaymentStatus status = PaymentStatus::pending;
    friend bool operator==(const PaymentIntent&, const PaymentIntent&) = default;
};

// Returns (part of) a captured payment. Partial refunds are allowed as long as the refunds of
// a payment never add up to more than was captured.
struct RefundRequest {
    std::string provider_payment_id;
    Money amount;                 // positive, at most the captured amount minus earlier refunds
    std::string idempotency_key;  // reuse it on every retry; echoed in the refund's events
    std::string reason;           // for the provider's records, at most 1000 bytes
    friend bool operator==(const RefundRequest&, const RefundRequest&) = default;
};

struct RefundReceipt {
    std::string provider_refund_id;
    Money amount;
    RefundStatus status = RefundStatus::pending;
    friend bool operator==(const RefundReceipt&, const RefundReceipt&) = default;
};

// A notification exactly as it reached the host's webhook endpoint: untrusted bytes.
struct Notification {
    std::vector<std::pair<std::string, std::string>> headers;  // names compare case-insensitively
    std::string body;
    friend bool operator==(const Notification&, const Notification&) = default;
};

// What a verified notification reports. Values are stable (the engine journals them).
enum class PaymentEventKind : std::uint8_t {
    captured = 1,       // the payer paid; `amount` was taken
    declined = 2,       // the payment failed; nothing was taken
    refunded = 3,       // `amount` went back to the payer
    refund_failed = 4,  // the refund did not happen; the money stays captured
};

// Which refund a refund event is about. The idempotency key is echoed so that the engine can
// match the event to a refund whose call timed out before it learned provider_refund_id.
struct RefundReference {
    std::string provider_refund_id;
    std::string idempotency_key;
    friend bool operator==(const RefundReference&, const RefundReference&) = default;
};

// A notification whose signature, timestamp and content were checked: safe to act on.
struct PaymentEvent {
    std::string provider_event_id;  // unique per event; a redelivery repeats it (deduplicate on it)
    PaymentEventKind kind = PaymentEventKind::captured;
    std::string provider_payment_id;
    PaymentOrderId payment_order;           // the IntentRequest's payment order
    std::optional<RefundReference> refund;  // set exactly for refunded and refund_failed
    Money amount;                           // positive: the payment's amount, or the refund's
    Timestamp occurred_at;                  // when the provider saw it happen
    friend bool operator==(const PaymentEvent&, const PaymentEvent&) = default;
};

// The payment gateway port. Implementations: SandboxProvider (include/souk/payment/), or the
// host's adapter for a real gateway (docs/payments.md shows how to write one).
//
// The engine calls a provider outside its writer lock (a gateway call takes network time) and
// records what it learned as events afterwards; a notification is an input like a command.
// Thread-safety: every method may be called concurrently from several threads.
// Errors are souk::Error:
//   invalid_argument  a malformed request
//   conflict          an idempotency key reused with different parameters
//   not_found         an unknown provider_payment_id
//   invalid_state     the payment is not in a state that allows the operation
//   currency_mismatch a refund in another currency than the payment's
//   limit_exceeded    a refund above what is left to refund
//   payment_failed    the provider failed or timed out: the outcome is UNKNOWN; retry with the
//                     same idempotency key to learn it (never with a new key, which could pay twice)
// A rejected request (any code but payment_failed) changes nothing at the provider.
class PaymentProvider {
public:
    virtual ~PaymentProvider() = default;
    PaymentProvider(const PaymentProvider&) = delete;
    PaymentProvider& operator=(const PaymentProvider&) = delete;

    // A stable identifier ("sandbox"), recorded with each payment so that notifications and
    // refunds go back to the provider that took the money.
    virtual std::string name() const = 0;

    // Opens a payment. A key seen before with the same request returns the first call's
    // answer and opens nothing; with a different request it throws conflict.
    virtual PaymentIntent create_intent(const IntentRequest& request) = 0;

    // Refunds part or all of a captured payment. Idempotent on the key like create_intent.
    virtual RefundReceipt refund(const RefundRequest& request) = 0;

    // Checks an incoming notification and decodes it. Never trusts the bytes: an oversized
    // body throws limit_exceeded; a missing, malformed or wrong signature, or one dated
    // outside the provider's tolerance around its clock's now, throws unauthenticated; an
    // authentic body that is not a well-formed event (missing fields, wrong types, a negative,
    // fractional or overflowing amount, an unknown currency or event type) throws
    // invalid_argument. Pure: it records nothing, so the caller deduplicates on
    // provider_event_id and checks amount and currency against its own payment order.
    virtual PaymentEvent verify(const Notification& raw) const = 0;

protected:
    PaymentProvider() = default;
};

// Stable lower-case names ("captured", "redirect", ...) for logs and bindings.
std::string_view to_string(ClientAction::Kind kind) noexcept;
std::string_view to_string(PaymentStatus status) noexcept;
std::string_view to_string(RefundStatus status) noexcept;
std::string_view to_string(PaymentEventKind kind) noexcept;

}  // namespace souk

// fmt support for the enums above: fmt::format("{}", PaymentEventKind::refund_failed).
template <class E>
    requires std::is_same_v<E, souk::ClientAction::Kind> || std::is_same_v<E, souk::PaymentStatus> ||
             std::is_same_v<E, souk::RefundStatus> || std::is_same_v<E, souk::PaymentEventKind>
struct fmt::formatter<E> : fmt::formatter<std::string_view> {
    auto format(E value, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(souk::to_string(value), ctx);
    }
};
