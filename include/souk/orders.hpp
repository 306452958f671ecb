// souk — orders: placing a checkout, paying it, the sub-order state machine, refunds.
//
// A checkout becomes one payment order (what the customer pays at once) and one sub-order
// per shop (what that shop ships and is paid for). Each sub-order moves through
//
//   pending_payment ──pay──▶ paid ──ship part──▶ partially_shipped ──ship the rest──▶ shipped
//         │                   │ └─────────────────ship everything────────────────────▲  │
//         │ buyer, platform,  │ buyer, seller, platform                                 │ buyer, or
//         │ payment timeout   │ (before any shipment: full refund)                      │ automatically
//         ▼                   ▼                                                         ▼
//     cancelled ◀─────────────┘                             completed ◀──after-sales── received
//                                                                            window        │
//                                       refunded ◀──the window closes, every line refunded─┘
//
// The after-sales window waits for open after-sales requests (souk/after_sales.hpp).
//
// Deadlines (payment timeout, automatic receipt, completion) are derived from state and fired
// by tick(now). Every illegal transition is refused with invalid_state. See docs/trade.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "souk/actor.hpp"
#include "souk/cart.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"
#include "souk/paging.hpp"
#include "souk/payment.hpp"

namespace souk {

namespace detail {
class Kernel;
class PaymentProviders;
struct TradePolicies;
}

// Values are stable: they are journaled.
enum class SubOrderStatus : std::uint8_t {
    pending_payment = 1,
    paid = 2,
    partially_shipped = 3,
    shipped = 4,
    received = 5,
    completed = 6,
    cancelled = 7,
    refunded = 8,  // received, then every line refunded in full: closed, not a sale
};
std::string_view sub_order_status_name(SubOrderStatus status) noexcept;

//   pending_payment ──▶ paid        pending_payment ──▶ cancelled
enum class PaymentOrderStatus : std::uint8_t { pending_payment = 1, paid = 2, cancelled = 3 };
std::string_view payment_order_status_name(PaymentOrderStatus status) noexcept;

// Who or what cancelled a sub-order.
enum class CancelCause : std::uint8_t { buyer = 1, seller = 2, platform = 3, payment_timeout = 4 };
std::string_view cancel_cause_name(CancelCause cause) noexcept;

// One attempt to pay a payment order: one idempotency key at one provider.
//   started ──intent recorded──▶ open ──notification──▶ captured | declined
// A capture reported after a decline still counts: the money was taken.
enum class PaymentAttemptStatus : std::uint8_t { started = 1, open = 2, declined = 3, captured = 4 };
std::string_view payment_attempt_status_name(PaymentAttemptStatus status) noexcept;

//   requested ──provider accepted──▶ submitted ──notification──▶ succeeded | failed
//   requested ──provider refused, or a notification──▶ succeeded | failed
enum class RefundState : std::uint8_t { requested = 1, submitted = 2, succeeded = 3, failed = 4 };
std::string_view refund_state_name(RefundState state) noexcept;

// Why money goes back.
enum class RefundKind : std::uint8_t {
    lines = 1,         // the shop or the platform refunds (parts of) lines
    cancellation = 2,  // a paid sub-order was cancelled: everything left, shipping included
    reversal = 3,      // a payment the order could not take (it was cancelled or already paid)
};
std::string_view refund_kind_name(RefundKind kind) noexcept;

// ---------------------------------------------------------------------------------------
// Placing

struct PlaceRequest {
    // Chosen by the client, 1..64 visible ASCII characters. Placing again with the same key
    // returns the first order instead of placing another; with a different request it is
    // refused with conflict.
    std::string idempotency_key;
    CheckoutRequest checkout;
    // The total the customer was shown (Quote::total). If set and the price is now different,
    // place refuses with conflict: the customer is never charged what they did not see.
    std::optional<Money> expected_total;
    friend bool operator==(const PlaceRequest&, const PlaceRequest&) = default;
};

// A line of a sub-order: a snapshot taken when the order was placed.
struct OrderLine {
    SkuId sku;
    ProductId product;
    std::string title;
    std::vector<std::string> spec;
    Money unit_price;
    std::int64_t quantity = 0;
    Money line_total;
    Money discount;
    Money platform_discount;  // the part of `discount` the platform funds; the shop funds the rest
    Money paid_share;  // line_total − discount: the most refunds of this line can return
    Money refunded;    // by refunds that are requested, submitted or succeeded
    std::int64_t shipped = 0;
    // The platform's commission on the line, as it stood when the order was placed (the shop's
    // override, else the product's category rate), in basis points.
    int commission_bps = 0;
    friend bool operator==(const OrderLine&, const OrderLine&) = default;
};

struct ShippedLine {
    SkuId sku;
    std::int64_t quantity = 0;
    friend bool operator==(const ShippedLine&, const ShippedLine&) = default;
};

struct Shipment {
    std::uint32_t number = 0;  // 1, 2, ... within its sub-order
    std::string carrier;
    std::string tracking_number;
    std::vector<ShippedLine> lines;
    Timestamp shipped_at{};
    friend bool operator==(const Shipment&, const Shipment&) = default;
};

// What the seller sends. With `lines` empty, everything not shipped yet.
struct ShipmentRequest {
    std::string carrier;          // 1..40 characters
    std::string tracking_number;  // 1..40 ASCII letters, digits or '-'
    std::vector<ShippedLine> lines;
    friend bool operator==(const ShipmentRequest&, const ShipmentRequest&) = default;
};

struct RefundLine {
    SkuId sku;
    Money amount;
    friend bool operator==(const RefundLine&, const RefundLine&) = default;
};

struct RefundInfo {
    RefundId id;
    PaymentOrderId order;
    std::optional<SubOrderId> sub_order;  // none for a reversal
    RefundKind kind{};
    std::vector<RefundLine> lines;
    Money shipping;  // the part of the sub-order's shipping fee returned
    Money amount;    // Σ lines + shipping, or the reversed payment
    RefundState state{};
    std::string provider;
    std::string provider_payment_id;
    std::string provider_refund_id;  // once the provider told it
    std::string idempotency_key;     // derived from the id: every retry reuses it
    std::string reason;
    UserId requested_by;  // zero for the system
    Timestamp requested_at{};
    std::optional<Timestamp> settled_at;
    friend bool operator==(const RefundInfo&, const RefundInfo&) = default;
};

struct SubOrderInfo {
    SubOrderId id;
    PaymentOrderId order;
    ShopId shop;
    UserId customer;
    SubOrderStatus status{};
    PostalAddress address;
    std::vector<OrderLine> lines;
    Money subtotal;
    Money discount;
    Money shipping_fee;
    Money payable;            // subtotal − discount + shipping_fee
    Money refunded;           // Σ refunds that are requested, submitted or succeeded
    Money shipping_refunded;  // the part of `refunded` that returns shipping
    std::vector<Shipment> shipments;
    std::vector<RefundInfo> refunds;
    Timestamp placed_at{};
    std::optional<Timestamp> paid_at;
    std::optional<Timestamp> shipped_at;   // when the last unit shipped
    std::optional<Timestamp> received_at;
    std::optional<Timestamp> completed_at;  // completed, or closed as refunded
    std::optional<Timestamp> cancelled_at;
    std::optional<CancelCause> cancel_cause;
    std::string cancel_reason;
    // When tick moves it on by itself: the payment deadline while pending, automatic receipt
    // while shipped, completion while received.
    std::optional<Timestamp> deadline;
    std::optional<Timestamp> review_until;  // once completed
    friend bool operator==(const SubOrderInfo&, const SubOrderInfo&) = default;
};

struct PaymentAttemptInfo {
    std::uint32_t number = 0;  // 1, 2, ...
    std::string provider;
    std::string idempotency_key;  // derived from the order and the number
    PaymentAttemptStatus status{};
    std::string provider_payment_id;  // once the provider told it
    ClientAction action;
    Timestamp started_at{};
    friend bool operator==(const PaymentAttemptInfo&, const PaymentAttemptInfo&) = default;
};

struct PaymentOrderInfo {
    PaymentOrderId id;
    UserId customer;
    PaymentOrderStatus status{};
    Money total;     // Σ sub-order payable: what the customer pays
    Money paid;      // total once paid, else zero
    Money refunded;  // Σ refunds of the sub-orders that are requested, submitted or succeeded
    PostalAddress address;
    std::vector<SubOrderInfo> sub_orders;
    std::vector<PaymentAttemptInfo> attempts;
    std::vector<RefundInfo> reversals;  // of payments the order could not take
    Timestamp placed_at{};
    Timestamp payment_deadline{};
    std::optional<Timestamp> paid_at;
    std::optional<Timestamp> cancelled_at;
    friend bool operator==(const PaymentOrderInfo&, const PaymentOrderInfo&) = default;
};

// ---------------------------------------------------------------------------------------
// Payments

// What pay() returns: what the payer's client must do now.
struct PaymentStart {
    PaymentOrderId order;
    std::uint32_t attempt = 0;
    std::string provider;
    std::string provider_payment_id;
    ClientAction action;
    PaymentStatus status = PaymentStatus::pending;  // as the provider answered
    friend bool operator==(const PaymentStart&, const PaymentStart&) = default;
};

enum class NotificationOutcome : std::uint8_t {
    applied = 1,    // recorded; the order changed as the event says (or already had)
    duplicate = 2,  // its provider_event_id was handled before: nothing changed
    alert = 3,      // it contradicts the engine's records: a PaymentAlert was raised, nothing else changed
    refunding = 4,  // a payment the order could not take (cancelled, late or already paid): recorded,
                    // and the money is being refunded automatically
};
std::string_view notification_outcome_name(NotificationOutcome outcome) noexcept;

struct NotificationResult {
    NotificationOutcome outcome{};
    PaymentOrderId order;           // zero if the notification names no order the engine knows
    std::optional<RefundId> refund; // the automatic refund, for `refunding`
    friend bool operator==(const NotificationResult&, const NotificationResult&) = default;
};

enum class PaymentAlertReason : std::uint8_t {
    amount_mismatch = 1,  // a capture of another amount or currency than the order's
    unknown_order = 2,    // the event names a payment order the engine does not have
    unknown_payment = 3,  // the event names a payment the engine did not start
    unknown_refund = 4,   // a refund event for a refund the engine did not request
    contradiction = 5,    // it contradicts what is recorded (a decline after a capture, a refund
                          // reported failed after it was reported succeeded, ...)
};
std::string_view payment_alert_reason_name(PaymentAlertReason reason) noexcept;

// An authentic notification the engine could not act on: for platform staff to resolve.
struct PaymentAlert {
    std::uint64_t number = 0;  // 1, 2, ... in the order raised
    PaymentAlertReason reason{};
    std::string provider;
    PaymentEvent event;
    std::string details;
    Timestamp raised_at{};
    friend bool operator==(const PaymentAlert&, const PaymentAlert&) = default;
};

// ---------------------------------------------------------------------------------------
// Queries and ticks

struct OrderFilter {
    std::optional<PaymentOrderStatus> status;
    std::optional<Timestamp> placed_from;    // inclusive
    std::optional<Timestamp> placed_before;  // exclusive
    friend bool operator==(const OrderFilter&, const OrderFilter&) = default;
};

struct SubOrderFilter {
    std::optional<SubOrderStatus> status;
    std::optional<Timestamp> placed_from;    // inclusive
    std::optional<Timestamp> placed_before;  // exclusive
    friend bool operator==(const SubOrderFilter&, const SubOrderFilter&) = default;
};

// What one Orders::tick did.
struct OrdersTickReport {
    std::size_t cancelled = 0;  // payment orders cancelled unpaid
    std::size_t received = 0;   // sub-orders received automatically
    std::size_t completed = 0;  // sub-orders completed
    std::size_t refunded = 0;   // sub-orders closed as refunded in full instead of completing
    friend bool operator==(const OrdersTickReport&, const OrdersTickReport&) = default;
};

// The orders service. A payment order and its sub-orders are visible to the buyer and to
// platform staff; a sub-order also to its shop's owner and staff. To anyone else reading
// them is forbidden.
//
// Payment providers are called outside the writer lock: pay() and refunds record what they
// are about to do, call the provider, then record its answer. Every call carries an
// idempotency key derived from the payment attempt or the refund, so a retry never pays or
// refunds twice.
//
// Thread-safety: like every service, any number of threads may call it at once.
class Orders {
public:
    static constexpr std::size_t max_unpaid_orders = 20;  // per customer
    static constexpr std::size_t max_payment_attempts = 20;

    // Prices the checkout (exactly as Cart::quote), reserves the stock of every line until
    // the payment deadline, and creates the payment order and one sub-order per shop, all in
    // one command. Lines taken from the cart leave it. Throws invalid_state for a line that
    // cannot be bought, insufficient_stock, conflict (expected_total differs, or the key was
    // used for another request), limit_exceeded (too many unpaid orders).
    PaymentOrderId place(const Actor& customer, const PlaceRequest& request);

    // The buyer pays a pending order with a registered provider. The first call opens
    // attempt 1; calling again (after a timeout, a crash, or to get the client action back)
    // continues the same attempt with the same idempotency key. A new attempt, with a new key
    // and possibly another provider, opens only once the last one was declined. Provider
    // errors throw payment_failed; nothing is recorded as paid until the provider's
    // notification says so. With provider "wallet" the order is paid from the customer's
    // wallet at once, in this one call; a balance short of the total throws payment_failed
    // and changes nothing.
    PaymentStart pay(const Actor& customer, PaymentOrderId order, const std::string& provider);

    // Verifies a notification with the provider registered as `provider` and acts on it in
    // one command (see NotificationOutcome). Throws what verify throws (unauthenticated,
    // invalid_argument, limit_exceeded) and not_found for an unknown provider; then nothing
    // changed. Runs as the system.
    NotificationResult handle_notification(const std::string& provider, const Notification& notification);

    // The buyer cancels a pending or paid sub-order, the seller a paid one, platform staff
    // either. A pending order is paid at once, so cancelling one of its sub-orders cancels
    // them all and releases their stock. A paid sub-order is refunded in full, shipping
    // included, and its units go back on hand. reason: 1..500 characters.
    void cancel(const Actor& actor, SubOrderId sub_order, const std::string& reason);

    // The shop's owner or staff ship some or all of what is left to ship of a paid sub-order.
    // Returns the shipment's number.
    std::uint32_t ship(const Actor& actor, SubOrderId sub_order, const ShipmentRequest& shipment);

    // The buyer confirms a shipped sub-order arrived.
    void confirm_receipt(const Actor& customer, SubOrderId sub_order);

    // The shop's owner or staff, or platform staff, refund lines of a paid sub-order that is
    // not completed yet: for each line at most its paid share minus what was refunded. The
    // provider is called with a key derived from the refund's id; its outcome arrives as a
    // notification (see RefundInfo::state). Returns the refund.
    RefundId refund(const Actor& actor, SubOrderId sub_order, const std::vector<RefundLine>& lines,
                    const std::string& reason);
    // Everything not yet refunded of the sub-order's lines and shipping.
    RefundId refund_all(const Actor& actor, SubOrderId sub_order, const std::string& reason);
    // Sends every refund the provider has not accepted yet (its call failed, timed out, or
    // was cut short by a crash) again, with its own key. Returns how many the provider
    // accepted now. Hosts call it on a timer, like tick.
    std::size_t send_pending_refunds();

    // Fires every deadline due at or before `now` (not ahead of the clock): unpaid orders are
    // cancelled and their stock released, shipped sub-orders received, received ones
    // completed (or closed as refunded when every line was refunded in full) unless an
    // after-sales request of theirs is open. Deterministic and idempotent. Runs as the system.
    OrdersTickReport tick(Timestamp now);

    // ---- queries ----
    PaymentOrderInfo order(const Actor& actor, PaymentOrderId order) const;
    SubOrderInfo sub_order(const Actor& actor, SubOrderId sub_order) const;
    RefundInfo refund_info(const Actor& actor, RefundId refund) const;
    // Newest first. The customer themself or platform staff.
    std::vector<PaymentOrderInfo> orders_of(const Actor& actor, UserId customer, const OrderFilter& filter = {},
                                            Page page = {}) const;
    std::vector<SubOrderInfo> sub_orders_of_customer(const Actor& actor, UserId customer,
                                                     const SubOrderFilter& filter = {}, Page page = {}) const;
    // Newest first. The shop's owner and staff, or platform staff.
    std::vector<SubOrderInfo> sub_orders_of_shop(const Actor& actor, ShopId shop, const SubOrderFilter& filter = {},
                                                 Page page = {}) const;
    // Every shop's, newest first: platform staff.
    std::vector<SubOrderInfo> sub_orders(const Actor& actor, const SubOrderFilter& filter = {}, Page page = {}) const;
    // Oldest first: platform staff.
    std::vector<PaymentAlert> payment_alerts(const Actor& actor, Page page = {}) const;

private:
    friend class Marketplace;
    friend class AfterSales;  // issues refunds of approved requests
    Orders(detail::Kernel& kernel, const detail::TradePolicies& policies, detail::PaymentProviders& providers)
        : kernel_(&kernel), policies_(&policies), providers_(&providers) {}
    // Sends a requested refund to its provider and records the answer; true if accepted.
    bool submit_refund(RefundId refund);
    // pay() through the wallet: debit, capture and payment in one command.
    PaymentStart pay_from_wallet(const Actor& customer, PaymentOrderId order, PaymentProvider& wallet);

    detail::Kernel* kernel_;
    const detail::TradePolicies* policies_;
    detail::PaymentProviders* providers_;
};

}  // namespace souk
