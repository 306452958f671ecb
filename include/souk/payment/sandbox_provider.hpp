// souk — SandboxProvider: a real, in-process payment provider for tests and demos.
//
// It keeps its own ledger of payments and refunds, honours idempotency keys as a real gateway
// must, and sends HMAC-SHA256-signed notifications that verify() checks like a real gateway's
// (docs/payments.md). What happens is scriptable, globally or per payment order: success,
// decline, timeout, notifications sent twice or out of order. Nothing is delivered behind the
// test's back: notifications wait in a queue until deliver_next() or deliver_all().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"
#include "souk/payment.hpp"

namespace souk {

struct SandboxOptions {
    // What create_intent asks the payer to do. With redirect or qr_code the payment waits for
    // complete_payment(); with none it completes inside create_intent. Default: redirect.
    ClientAction::Kind client_action = ClientAction::Kind::redirect;
    // Prefix of redirect URLs and QR payloads; the payment id is appended. The default host is
    // under the reserved .invalid domain, so a demo can never send a payer anywhere real.
    std::string checkout_url = "https://sandbox.souk.invalid/pay/";
    // verify() refuses a signature dated further than this from the clock's now, in the past
    // (a replay) or in the future (a forged or skewed clock). Default: 300 seconds.
    Duration signature_tolerance = std::chrono::seconds(300);
    // verify() refuses larger bodies before any other work. Default: 64 KiB.
    std::size_t notification_bytes_max = 64 * 1024;
};

// How the sandbox answers a payment or a refund.
enum class SandboxOutcome : std::uint8_t {
    succeed = 1,  // the default
    decline = 2,  // the payment is declined (declined event) or the refund fails (refund_failed)
    timeout = 3,  // the sandbox does the work but the answer is lost: the call throws
                  // payment_failed, a retry with the same key returns the recorded answer, and
                  // the operation's notification is held until release_held_notifications()
};

// A script for the payments of one payment order, or for all of them by default.
struct SandboxBehavior {
    // create_intent (timeout) and the payer completing the payment (decline; timeout holds
    // the captured notification).
    SandboxOutcome payment = SandboxOutcome::succeed;
    // Every refund of the payment.
    SandboxOutcome refund = SandboxOutcome::succeed;
    // Each notification is queued twice: same event id, same body.
    bool duplicate_notifications = false;
    // Each notification is queued ahead of the payment's undelivered earlier ones, so that a
    // refund's can arrive before the capture's.
    bool reverse_notifications = false;
    friend bool operator==(const SandboxBehavior&, const SandboxBehavior&) = default;
};

// What the sandbox's ledger knows about one payment: for tests that check no money moved twice.
struct SandboxPayment {
    std::string provider_payment_id;
    PaymentOrderId payment_order;
    Money amount;  // as requested by the intent
    PaymentStatus status = PaymentStatus::pending;
    Money refunded;                      // by succeeded refunds; never above `amount`
    std::vector<RefundReceipt> refunds;  // every refund accepted, in order, with its outcome
    friend bool operator==(const SandboxPayment&, const SandboxPayment&) = default;
};

// Thread-safe: every method may be called from any thread.
class SandboxProvider final : public PaymentProvider {
public:
    using NotificationHandler = std::function<void(const Notification&)>;

    // `secret` is the HMAC-SHA256 key shared with the webhook verifier, at least 16 bytes.
    // `clock` (not null) dates events and signatures and is the "now" verify() checks against.
    // Throws invalid_argument for a short secret, a null clock or unusable options.
    SandboxProvider(std::string secret, std::shared_ptr<const Clock> clock, SandboxOptions options = {});
    ~SandboxProvider() override;

    std::string name() const override;  // "sandbox"
    PaymentIntent create_intent(const IntentRequest& request) override;
    RefundReceipt refund(const RefundRequest& request) override;
    PaymentEvent verify(const Notification& raw) const override;

    // --- scripting. Each step reads the behavior in force when it happens.
    void set_default_behavior(const SandboxBehavior& behavior);
    // Overrides the default for the payments of one payment order.
    void set_behavior(PaymentOrderId payment_order, const SandboxBehavior& behavior);

    // The payer completes a pending payment (what the payment page or a QR scan would do): it
    // is captured or declined as scripted and its notification queued. Returns the new status.
    // Throws not_found, or invalid_state if the payment is not pending.
    PaymentStatus complete_payment(const std::string& provider_payment_id);

    // --- notifications. Queued as events; signed, dated now, each time they are handed out.
    // Receives what deliver_next() and deliver_all() deliver; an empty handler removes it.
    void on_notification(NotificationHandler handler);
    // What deliver_next() would hand out, in order. Held notifications are not pending.
    std::vector<Notification> pending_notifications() const;
    // Removes the first pending notification and passes it to the handler, if any, on the
    // calling thread and without holding the sandbox's lock (the handler may call the sandbox).
    // Like a gateway that retries until acknowledged, a notification whose handler throws goes
    // back to the front of the queue and the exception propagates. Returns what was delivered.
    std::optional<Notification> deliver_next();
    // deliver_next() until the queue is empty, including what the handler causes meanwhile.
    std::vector<Notification> deliver_all();
    // Notifications of timed-out operations, not yet released.
    std::size_t held_notification_count() const;
    // The held notifications join the end of the queue, like a late delivery.
    void release_held_notifications();
    // Signs any body with this sandbox's secret, dated `at`: lets tests feed hand-made bodies
    // through the real verification.
    Notification sign(std::string body, Timestamp at) const;

    // --- the sandbox's ledger
    SandboxPayment payment(const std::string& provider_payment_id) const;  // not_found if unknown
    std::vector<SandboxPayment> payments_of(PaymentOrderId payment_order) const;
    std::size_t intent_count() const;  // payments opened
    std::size_t charge_count() const;  // payments captured

private:
    struct State;

    std::string secret_;  // wiped on destruction
    const std::shared_ptr<const Clock> clock_;
    const SandboxOptions options_;
    std::unique_ptr<State> state_;
};

}  // namespace souk
