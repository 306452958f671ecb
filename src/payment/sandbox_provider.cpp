#include "souk/payment/sandbox_provider.hpp"

#include <algorithm>
#include <cassert>
#include <deque>
#include <iterator>
#include <map>
#include <mutex>
#include <variant>

#include <fmt/format.h>
#include <sodium.h>

#include "payment/notification.hpp"
#include "souk/error.hpp"

namespace souk {
namespace {

constexpr std::size_t secret_bytes_min = 16;
constexpr std::size_t token_bytes_max = 255;
constexpr std::size_t free_text_bytes_max = 1000;

// Keys and ids travel in notifications and the journal: short visible ASCII only.
void require_token(std::string_view value, std::string_view what) {
    const bool visible = std::ranges::all_of(value, [](char c) { return c > ' ' && c < 0x7f; });
    if (value.empty() || value.size() > token_bytes_max || !visible)
        throw Error(Errc::invalid_argument,
                    fmt::format("{} must be 1..{} visible ASCII characters, not '{}'", what, token_bytes_max, value));
}

void require_free_text(std::string_view value, std::string_view what) {
    if (value.size() > free_text_bytes_max)
        throw Error(Errc::invalid_argument, fmt::format("{} is longer than {} bytes", what, free_text_bytes_max));
}

// A positive amount in an ISO 4217 currency of trade: anything else could not be sent back in
// a notification that verify() accepts.
void require_amount(const Money& amount, std::string_view what) {
    const Currency currency = amount.currency();
    bool listed = false;
    try {
        listed = Currency::of(currency.code()) == currency && currency.code() != "XXX";
    } catch (const Error&) {
        listed = false;
    }
    if (!listed)
        throw Error(Errc::invalid_argument, fmt::format("{} {} is not in an ISO 4217 currency of trade", what, amount));
    if (amount.minor_units() <= 0) throw Error(Errc::invalid_argument, fmt::format("{} {} must be positive", what, amount));
}

void require_payment_order(PaymentOrderId payment_order) {
    if (!payment_order) throw Error(Errc::invalid_argument, "the payment order id must not be zero");
}

Error timed_out(std::string_view operation, std::string_view key) {
    return Error(Errc::payment_failed,
                 fmt::format("sandbox {} timed out (scripted): the outcome is unknown; retry with the same "
                             "idempotency key '{}' to learn it",
                             operation, key));
}

}  // namespace

// Everything mutable, under one mutex. Members assume the caller holds `mutex`.
struct SandboxProvider::State {
    using Request = std::variant<IntentRequest, RefundRequest>;
    using Answer = std::variant<PaymentIntent, RefundReceipt>;
    struct KeyUse {
        Request request;  // the first request made with the key
        Answer answer;    // what it was answered, even if the answer was lost to a timeout
    };

    const Clock& clock;
    const SandboxOptions& options;
    mutable std::mutex mutex;
    std::vector<SandboxPayment> payments;                      // in the order they were opened
    std::map<std::string, std::size_t, std::less<>> by_id;    // provider_payment_id -> index in payments
    std::map<std::string, KeyUse, std::less<>> keys;
    SandboxBehavior default_behavior;
    std::map<PaymentOrderId, SandboxBehavior> behaviors;
    std::deque<PaymentEvent> queue;  // in delivery order
    std::vector<PaymentEvent> held;  // of timed-out operations, until released
    NotificationHandler handler;
    std::uint64_t events_sent = 0;
    std::uint64_t refunds_opened = 0;

    State(const Clock& c, const SandboxOptions& o) : clock(c), options(o) {}

    // The answer to an earlier use of `key`, or null if it is new. The same key with another
    // request is refused: answering it with the first request's result would hide a caller's bug.
    const Answer* replay(const std::string& key, const Request& request) const {
        const auto it = keys.find(key);
        if (it == keys.end()) return nullptr;
        if (it->second.request != request)
            throw Error(Errc::conflict,
                        fmt::format("idempotency key '{}' was already used for a different request; a retry must "
                                    "repeat the first request exactly, a new operation needs a new key",
                                    key));
        return &it->second.answer;
    }

    SandboxPayment& payment(std::string_view id) {
        const auto it = by_id.find(id);
        if (it == by_id.end()) throw Error(Errc::not_found, fmt::format("the sandbox has no payment '{}'", id));
        return payments[it->second];
    }

    const SandboxBehavior& behavior_for(PaymentOrderId payment_order) const {
        const auto it = behaviors.find(payment_order);
        return it == behaviors.end() ? default_behavior : it->second;
    }

    ClientAction action_for(const std::string& id) const {
        if (options.client_action == ClientAction::Kind::none) return {};
        return ClientAction{options.client_action, options.checkout_url + id};
    }

    SandboxPayment& open_payment(const IntentRequest& request) {
        const std::string id = fmt::format("pay_{:06}", payments.size() + 1);
        const Money zero = Money::zero(request.amount.currency());
        payments.push_back(SandboxPayment{id, request.payment_order, request.amount, PaymentStatus::pending, zero, {}});
        by_id.emplace(id, payments.size() - 1);
        return payments.back();
    }

    void emit(PaymentEventKind kind, const SandboxPayment& p, const Money& amount,
              std::optional<RefundReference> refund, const SandboxBehavior& behavior, bool hold) {
        const PaymentEvent event{fmt::format("evt_{:06}", ++events_sent), kind,   p.provider_payment_id,
                                 p.payment_order, std::move(refund), amount, clock.now()};
        const std::size_t copies = behavior.duplicate_notifications ? 2 : 1;
        if (hold) {
            held.insert(held.end(), copies, event);
            return;
        }
        auto at = queue.end();
        if (behavior.reverse_notifications)
            at = std::ranges::find(queue, p.provider_payment_id, &PaymentEvent::provider_payment_id);
        queue.insert(at, copies, event);
    }

    // The payer has acted: the script decides what the money does.
    void complete(SandboxPayment& p) {
        assert(p.status == PaymentStatus::pending);
        const SandboxBehavior& behavior = behavior_for(p.payment_order);
        const bool declined = behavior.payment == SandboxOutcome::decline;
        p.status = declined ? PaymentStatus::declined : PaymentStatus::captured;
        emit(declined ? PaymentEventKind::declined : PaymentEventKind::captured, p, p.amount, std::nullopt, behavior,
             behavior.payment == SandboxOutcome::timeout);
    }

    void check_refundable(const SandboxPayment& p, const Money& amount) const {
        if (amount.currency() != p.amount.currency())
            throw Error(Errc::currency_mismatch, fmt::format("a refund of {} on payment '{}' in {}", amount,
                                                             p.provider_payment_id, p.amount.currency()));
        if (p.status != PaymentStatus::captured)
            throw Error(Errc::invalid_state, fmt::format("payment '{}' is {}: only a captured payment can be refunded",
                                                         p.provider_payment_id, p.status));
        const Money refundable = p.amount - p.refunded;
        if (amount > refundable)
            throw Error(Errc::limit_exceeded,
                        fmt::format("a refund of {} exceeds the {} left to refund on payment '{}' ({} captured, {} "
                                    "refunded)",
                                    amount, refundable, p.provider_payment_id, p.amount, p.refunded));
    }

    RefundReceipt make_refund(SandboxPayment& p, const RefundRequest& request) {
        const SandboxBehavior& behavior = behavior_for(p.payment_order);
        const std::string id = fmt::format("re_{:06}", ++refunds_opened);
        const bool failed = behavior.refund == SandboxOutcome::decline;
        p.refunds.push_back(RefundReceipt{id, request.amount, failed ? RefundStatus::failed : RefundStatus::succeeded});
        if (!failed) p.refunded += request.amount;
        assert(p.refunded <= p.amount);
        emit(failed ? PaymentEventKind::refund_failed : PaymentEventKind::refunded, p, request.amount,
             RefundReference{id, request.idempotency_key}, behavior, behavior.refund == SandboxOutcome::timeout);
        // The outcome is known at once here, but a gateway reports it asynchronously; so does the sandbox.
        return RefundReceipt{id, request.amount, RefundStatus::pending};
    }
};

SandboxProvider::SandboxProvider(std::string secret, std::shared_ptr<const Clock> clock, SandboxOptions options)
    : secret_(std::move(secret)), clock_(std::move(clock)), options_(std::move(options)) {
    if (secret_.size() < secret_bytes_min)
        throw Error(Errc::invalid_argument, fmt::format("the sandbox secret needs at least {} bytes", secret_bytes_min));
    if (!clock_) throw Error(Errc::invalid_argument, "the sandbox needs a clock");
    if (options_.signature_tolerance < Duration::zero() || options_.notification_bytes_max == 0)
        throw Error(Errc::invalid_argument, "the signature tolerance must not be negative, the body limit not zero");
    if (options_.client_action != ClientAction::Kind::none && options_.checkout_url.empty())
        throw Error(Errc::invalid_argument, "redirect and QR payments need a checkout_url");
    state_ = std::make_unique<State>(*clock_, options_);
}

SandboxProvider::~SandboxProvider() { sodium_memzero(secret_.data(), secret_.size()); }

std::string SandboxProvider::name() const { return "sandbox"; }

PaymentIntent SandboxProvider::create_intent(const IntentRequest& request) {
    require_payment_order(request.payment_order);
    require_amount(request.amount, "the intent amount");
    require_token(request.idempotency_key, "the idempotency key");
    require_free_text(request.description, "the description");
    std::lock_guard lock(state_->mutex);
    if (const auto* answer = state_->replay(request.idempotency_key, request)) return std::get<PaymentIntent>(*answer);
    auto& payment = state_->open_payment(request);
    // With no client action there is no payer step to wait for: the payment completes now.
    if (options_.client_action == ClientAction::Kind::none) state_->complete(payment);
    const PaymentIntent intent{payment.provider_payment_id, state_->action_for(payment.provider_payment_id),
                               payment.status};
    state_->keys.emplace(request.idempotency_key, State::KeyUse{request, intent});
    if (state_->behavior_for(request.payment_order).payment == SandboxOutcome::timeout)
        throw timed_out("create_intent", request.idempotency_key);
    return intent;
}

RefundReceipt SandboxProvider::refund(const RefundRequest& request) {
    require_token(request.provider_payment_id, "the provider payment id");
    require_amount(request.amount, "the refund amount");
    require_token(request.idempotency_key, "the idempotency key");
    require_free_text(request.reason, "the reason");
    std::lock_guard lock(state_->mutex);
    if (const auto* answer = state_->replay(request.idempotency_key, request)) return std::get<RefundReceipt>(*answer);
    auto& payment = state_->payment(request.provider_payment_id);
    state_->check_refundable(payment, request.amount);
    const RefundReceipt receipt = state_->make_refund(payment, request);
    state_->keys.emplace(request.idempotency_key, State::KeyUse{request, receipt});
    if (state_->behavior_for(payment.payment_order).refund == SandboxOutcome::timeout)
        throw timed_out("refund", request.idempotency_key);
    return receipt;
}

PaymentEvent SandboxProvider::verify(const Notification& raw) const {
    const detail::SignaturePolicy policy{options_.signature_tolerance, options_.notification_bytes_max};
    detail::check_signature(raw, secret_, policy, clock_->now());
    return detail::decode_event(raw.body);
}

void SandboxProvider::set_default_behavior(const SandboxBehavior& behavior) {
    std::lock_guard lock(state_->mutex);
    state_->default_behavior = behavior;
}

void SandboxProvider::set_behavior(PaymentOrderId payment_order, const SandboxBehavior& behavior) {
    require_payment_order(payment_order);
    std::lock_guard lock(state_->mutex);
    state_->behaviors.insert_or_assign(payment_order, behavior);
}

PaymentStatus SandboxProvider::complete_payment(const std::string& provider_payment_id) {
    std::lock_guard lock(state_->mutex);
    auto& payment = state_->payment(provider_payment_id);
    if (payment.status != PaymentStatus::pending)
        throw Error(Errc::invalid_state, fmt::format("payment '{}' is already {}", provider_payment_id, payment.status));
    state_->complete(payment);
    return payment.status;
}

void SandboxProvider::on_notification(NotificationHandler handler) {
    std::lock_guard lock(state_->mutex);
    state_->handler = std::move(handler);
}

std::vector<Notification> SandboxProvider::pending_notifications() const {
    std::deque<PaymentEvent> queued;
    {
        std::lock_guard lock(state_->mutex);
        queued = state_->queue;
    }
    const Timestamp now = clock_->now();
    std::vector<Notification> out;
    out.reserve(queued.size());
    for (const auto& event : queued) out.push_back(sign(detail::encode_event(event), now));
    return out;
}

std::optional<Notification> SandboxProvider::deliver_next() {
    std::optional<PaymentEvent> event;
    NotificationHandler handler;
    {
        std::lock_guard lock(state_->mutex);
        if (state_->queue.empty()) return std::nullopt;
        event = std::move(state_->queue.front());
        state_->queue.pop_front();
        handler = state_->handler;
    }
    Notification notification = sign(detail::encode_event(*event), clock_->now());
    if (!handler) return notification;
    try {
        handler(notification);
    } catch (...) {
        std::lock_guard lock(state_->mutex);
        state_->queue.push_front(std::move(*event));
        throw;
    }
    return notification;
}

std::vector<Notification> SandboxProvider::deliver_all() {
    std::vector<Notification> delivered;
    while (auto notification = deliver_next()) delivered.push_back(std::move(*notification));
    return delivered;
}

std::size_t SandboxProvider::held_notification_count() const {
    std::lock_guard lock(state_->mutex);
    return state_->held.size();
}

void SandboxProvider::release_held_notifications() {
    std::lock_guard lock(state_->mutex);
    state_->queue.insert(state_->queue.end(), state_->held.begin(), state_->held.end());
    state_->held.clear();
}

Notification SandboxProvider::sign(std::string body, Timestamp at) const {
    return detail::sign_notification(std::move(body), secret_, at);
}

SandboxPayment SandboxProvider::payment(const std::string& provider_payment_id) const {
    std::lock_guard lock(state_->mutex);
    return state_->payment(provider_payment_id);
}

std::vector<SandboxPayment> SandboxProvider::payments_of(PaymentOrderId payment_order) const {
    std::lock_guard lock(state_->mutex);
    std::vector<SandboxPayment> out;
    std::ranges::copy_if(state_->payments, std::back_inserter(out),
                         [&](const SandboxPayment& p) { return p.payment_order == payment_order; });
    return out;
}

std::size_t SandboxProvider::intent_count() const {
    std::lock_guard lock(state_->mutex);
    return state_->payments.size();
}

std::size_t SandboxProvider::charge_count() const {
    std::lock_guard lock(state_->mutex);
    return static_cast<std::size_t>(std::ranges::count(state_->payments, PaymentStatus::captured, &SandboxPayment::status));
}

}  // namespace souk
