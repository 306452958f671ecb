// Orders: paying, provider notifications, refunds. Providers are called between commands,
// never under the writer lock; what they answer is recorded by the command that follows.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "group_buying/hooks.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "ledger/moves.hpp"
#include "orders/commands.hpp"
#include "orders/state_machine.hpp"
#include "payment/providers.hpp"
#include "souk/error.hpp"
#include "souk/orders.hpp"
#include "souk/wallet.hpp"
#include "validate.hpp"
#include "wallet/events.hpp"

namespace souk {
namespace {

using detail::PaymentAttemptRecord;
using detail::PaymentOrderRecord;
using detail::State;

// What pay() learned under the lock: the request to send, or the answer already recorded.
struct PaymentStep {
    IntentRequest request;
    std::uint32_t attempt = 0;
    std::optional<PaymentStart> recorded;
};

PaymentStart start_of(const PaymentOrderRecord& order, const PaymentAttemptRecord& attempt) {
    const auto status = attempt.status == PaymentAttemptStatus::declined ? PaymentStatus::declined : PaymentStatus::pending;
    return PaymentStart{order.id, attempt.number, attempt.provider, attempt.provider_payment_id, attempt.action, status};
}

IntentRequest intent_request(const PaymentOrderRecord& order, const PaymentAttemptRecord& attempt) {
    return IntentRequest{order.id, attempt.amount, attempt.idempotency_key, fmt::format("Order {}", order.id)};
}

// The attempt a provider's event is about: the one with its payment id, or else the newest
// attempt at that provider whose payment id is not known yet (its intent was not recorded).
const PaymentAttemptRecord* attempt_of(const PaymentOrderRecord& order, const std::string& provider,
                                       const std::string& payment_id) {
    for (const auto& attempt : order.attempts)
        if (attempt.provider == provider && attempt.provider_payment_id == payment_id) return &attempt;
    for (auto it = order.attempts.rbegin(); it != order.attempts.rend(); ++it)
        if (it->provider == provider && it->provider_payment_id.empty()) return &*it;
    return nullptr;
}

// The order is paid by `attempt`: its sub-orders are paid, their stock committed and the
// capture booked, in the command that learned of the capture.
void record_paid(const State& s, detail::EventSink& out, const PaymentOrderRecord& order, std::uint32_t attempt,
                 const std::string& provider, const Money& amount) {
    detail::StockMoves stock(s, out);
    out.emit(detail::OrderPaid{order.id, attempt, amount});
    for (const auto id : order.sub_orders) {
        stock.commit(s.orders.find(id)->reservation);
        out.emit(detail::SubOrderPaid{id, order.id});
        detail::group_payment_captured(s, out, id);
    }
    detail::LedgerMoves(s, out).captured(order, provider);
}

// Checks that `customer` may pay `record` at `provider` now. Returns the attempt under way at
// that provider to resume, or nullptr when a new attempt may start.
const PaymentAttemptRecord* require_payable(const State& s, const Actor& customer, const PaymentOrderRecord& record,
                                            const std::string& provider, Timestamp now) {
    if (!detail::is_buyer(s, customer, record.customer))
        throw Error(Errc::forbidden, fmt::format("only the buyer may pay order {}", record.id));
    if (record.status != PaymentOrderStatus::pending_payment)
        throw Error(Errc::invalid_state, fmt::format("order {} is {}: only a pending order can be paid", record.id,
                                                     payment_order_status_name(record.status)));
    if (now >= record.payment_deadline)
        throw Error(Errc::invalid_state, fmt::format("order {} passed its payment deadline at {}", record.id,
                                                     format_timestamp(record.payment_deadline)));
    const auto* last = record.attempts.empty() ? nullptr : &record.attempts.back();
    if (last && last->status != PaymentAttemptStatus::declined) {
        if (last->provider != provider)
            throw Error(Errc::conflict, fmt::format("attempt {} to pay order {} is under way at '{}': finish it "
                                                    "there, or pay elsewhere once it is declined",
                                                    last->number, record.id, last->provider));
        return last;
    }
    if (record.attempts.size() >= Orders::max_payment_attempts)
        throw Error(Errc::limit_exceeded,
                    fmt::format("order {} was declined {} times: place a new order", record.id, record.attempts.size()));
    return nullptr;
}

// Decides what one verified notification does, as one command.
class NotificationDecision {
public:
    NotificationDecision(const State& s, detail::EventSink& out, const std::string& provider, const PaymentEvent& event)
        : s_(s), out_(out), provider_(provider), event_(event) {}

    NotificationResult decide() {
        const bool about_payment = event_.kind == PaymentEventKind::captured || event_.kind == PaymentEventKind::declined;
        // A top-up's payment is found by its payment id: its payment_order is the top-up's id.
        const auto* topup = about_payment ? s_.wallet.find(provider_, event_.provider_payment_id) : nullptr;
        const auto* order = topup ? nullptr : s_.orders.find(event_.payment_order);
        if (s_.orders.handled_events.contains({provider_, event_.provider_event_id}))
            return {NotificationOutcome::duplicate, order ? order->id : PaymentOrderId{}, std::nullopt};
        if (topup) return topup_event(*topup);
        return about_payment ? payment_event(order) : refund_event(order);
    }

private:
    NotificationResult alert(PaymentAlertReason reason, std::string details, const PaymentOrderRecord* order) {
        detail::PaymentAlertRaised raised;
        raised.number = s_.orders.alerts.size() + 1;
        raised.reason = reason;
        raised.provider = provider_;
        raised.provider_event_id = event_.provider_event_id;
        raised.event_kind = event_.kind;
        raised.provider_payment_id = event_.provider_payment_id;
        raised.order = event_.payment_order;
        if (event_.refund) {
            raised.provider_refund_id = event_.refund->provider_refund_id;
            raised.refund_key = event_.refund->idempotency_key;
        }
        raised.amount = event_.amount;
        raised.occurred_at = event_.occurred_at;
        raised.details = std::move(details);
        out_.emit(raised);
        return {NotificationOutcome::alert, order ? order->id : PaymentOrderId{}, std::nullopt};
    }

    NotificationResult payment_event(const PaymentOrderRecord* order) {
        if (!order) return alert(PaymentAlertReason::unknown_order, "no such payment order", nullptr);
        const auto* attempt = attempt_of(*order, provider_, event_.provider_payment_id);
        if (!attempt) return alert(PaymentAlertReason::unknown_payment, "no payment attempt of this order matches", order);
        if (event_.kind == PaymentEventKind::declined) {
            if (attempt->status == PaymentAttemptStatus::captured)
                return alert(PaymentAlertReason::contradiction,
                             fmt::format("attempt {} was captured before", attempt->number), order);
            out_.emit(detail::PaymentDeclined{order->id, attempt->number, event_.provider_event_id,
                                              event_.provider_payment_id});
            return {NotificationOutcome::applied, order->id, std::nullopt};
        }
        if (event_.amount != attempt->amount)
            return alert(PaymentAlertReason::amount_mismatch,
                         fmt::format("captured {}, but attempt {} asked for {}", event_.amount, attempt->number,
                                     attempt->amount),
                         order);
        const bool first_capture = attempt->status != PaymentAttemptStatus::captured;
        out_.emit(detail::PaymentCaptured{order->id, attempt->number, event_.provider_event_id,
                                          event_.provider_payment_id, event_.amount});
        if (!first_capture) return {NotificationOutcome::applied, order->id, std::nullopt};
        if (order->status == PaymentOrderStatus::pending_payment && out_.now() < order->payment_deadline) {
            record_paid(s_, out_, *order, attempt->number, provider_, event_.amount);
            return {NotificationOutcome::applied, order->id, std::nullopt};
        }
        detail::StockMoves stock(s_, out_);
        // The order cannot take this money: it is cancelled, late, or paid by another attempt
        // (one the provider first reported declined, then captured after all).
        std::string why = order->status == PaymentOrderStatus::paid
                              ? fmt::format("order {} was already paid by attempt {}", order->id, order->paid_by)
                              : fmt::format("order {} was cancelled before the payment arrived", order->id);
        if (order->status == PaymentOrderStatus::pending_payment) {
            detail::cancel_unpaid(s_, out_, stock, *order, CancelCause::payment_timeout,
                                  "not paid before the payment deadline");
            why = fmt::format("order {} passed its payment deadline before the payment arrived", order->id);
        }
        detail::LedgerMoves(s_, out_).captured_unclaimed(*order, provider_, event_.amount);
        detail::RefundRequested reversal;
        reversal.order = order->id;
        reversal.refund_kind = RefundKind::reversal;
        reversal.shipping = Money::zero(event_.amount.currency());
        reversal.amount = event_.amount;
        reversal.provider = provider_;
        reversal.provider_payment_id = event_.provider_payment_id;
        reversal.reason = why;
        const auto refund = detail::emit_refund(s_, out_, std::move(reversal));
        return {NotificationOutcome::refunding, order->id, refund};
    }

    // A top-up's capture credits the customer's wallet; a decline closes it.
    NotificationResult topup_event(const WalletTopup& topup) {
        if (event_.kind == PaymentEventKind::declined) {
            if (topup.status == TopupStatus::captured)
                return alert(PaymentAlertReason::contradiction, fmt::format("top-up {} was captured before", topup.id),
                             nullptr);
            out_.emit(detail::WalletTopupDeclined{topup.id, event_.provider_event_id});
            return {NotificationOutcome::applied, PaymentOrderId{}, std::nullopt};
        }
        if (event_.amount != topup.amount)
            return alert(PaymentAlertReason::amount_mismatch,
                         fmt::format("captured {}, but top-up {} asked for {}", event_.amount, topup.id, topup.amount),
                         nullptr);
        if (topup.status == TopupStatus::captured)
            return alert(PaymentAlertReason::contradiction,
                         fmt::format("top-up {} was captured before, under another event", topup.id), nullptr);
        out_.emit(detail::WalletTopupCaptured{topup.id, event_.provider_event_id, event_.amount});
        detail::LedgerMoves(s_, out_).wallet_topped_up(topup);
        return {NotificationOutcome::applied, PaymentOrderId{}, std::nullopt};
    }

    NotificationResult refund_event(const PaymentOrderRecord* order) {
        const auto key = s_.orders.refund_keys.find(event_.refund ? event_.refund->idempotency_key : std::string());
        const RefundInfo* refund = key == s_.orders.refund_keys.end() ? nullptr : s_.orders.find(key->second);
        if (!refund || refund->provider != provider_ || refund->order != event_.payment_order)
            return alert(PaymentAlertReason::unknown_refund, "no refund of this order has this key", order);
        if (event_.amount != refund->amount)
            return alert(PaymentAlertReason::amount_mismatch,
                         fmt::format("refund {} is of {}, the event reports {}", refund->id, refund->amount, event_.amount),
                         order);
        const bool succeeded = event_.kind == PaymentEventKind::refunded;
        const auto settled_as = succeeded ? RefundState::succeeded : RefundState::failed;
        if ((refund->state == RefundState::succeeded || refund->state == RefundState::failed) &&
            refund->state != settled_as)
            return alert(PaymentAlertReason::contradiction,
                         fmt::format("refund {} was already reported {}", refund->id, refund_state_name(refund->state)),
                         order);
        const auto& refund_id = event_.refund->provider_refund_id;
        if (succeeded) {
            out_.emit(detail::RefundSucceeded{refund->id, event_.provider_event_id, refund_id});
            detail::LedgerMoves(s_, out_).refund_succeeded(*refund);
        } else {
            out_.emit(detail::RefundFailed{refund->id, event_.provider_event_id, refund_id, "the provider reported a failure"});
        }
        return {NotificationOutcome::applied, order->id, std::nullopt};
    }

    const State& s_;
    detail::EventSink& out_;
    const std::string& provider_;
    const PaymentEvent& event_;
};

void validate_refund_reason(const std::string& reason) { detail::require_paragraph("refund reason", reason, 1, 200); }

// A paid sub-order that is not completed can be refunded; a cancelled one too, for what its
// cancellation could not refund (a refund that failed).
void require_refundable(const detail::SubOrderRecord& sub_order) {
    if (!sub_order.paid_at)
        throw Error(Errc::invalid_state, fmt::format("sub-order {} was never paid: there is nothing to refund", sub_order.id));
    if (sub_order.status == SubOrderStatus::completed)
        throw Error(Errc::invalid_state,
                    fmt::format("sub-order {} is completed: its after-sales window has closed", sub_order.id));
}

}  // namespace

PaymentStart Orders::pay(const Actor& customer, PaymentOrderId order, const std::string& provider_name) {
    const auto provider = providers_->get(provider_name);
    if (provider_name == wallet_provider_name) return pay_from_wallet(customer, order, *provider);
    const auto step = kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::order_or_throw(s, order);
        if (const auto* last = require_payable(s, customer, record, provider_name, out.now())) {
            if (last->status == PaymentAttemptStatus::started)
                return PaymentStep{intent_request(record, *last), last->number, std::nullopt};
            return PaymentStep{intent_request(record, *last), last->number, start_of(record, *last)};
        }
        const auto number = static_cast<std::uint32_t>(record.attempts.size() + 1);
        const auto key = detail::payment_key(record, number);
        out.emit(detail::PaymentStarted{order, number, provider_name, key, record.total});
        const PaymentAttemptRecord started{number, provider_name, key, record.total, PaymentAttemptStatus::started, {}, {}, out.now()};
        return PaymentStep{intent_request(record, started), number, std::nullopt};
    });
    if (step.recorded) return *step.recorded;
    PaymentIntent intent;
    try {
        intent = provider->create_intent(step.request);
    } catch (const Error& e) {
        throw Error(Errc::payment_failed,
                    fmt::format("payment provider '{}' did not open the payment ({}): pay again to retry attempt {} "
                                "with the same key",
                                provider_name, e.what(), step.attempt));
    }
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& attempt = *s.orders.find(order)->attempt(step.attempt);
        if (attempt.status == PaymentAttemptStatus::started)
            out.emit(detail::PaymentIntentRecorded{order, step.attempt, intent.provider_payment_id, intent.action.kind,
                                                   intent.action.payload, intent.status});
    });
    return PaymentStart{order, step.attempt, provider_name, intent.provider_payment_id, intent.action, intent.status};
}

// The wallet's money is in our own books: the balance check, the debit, the capture and the
// order's payment are one command, and the provider answers at once from inside it.
PaymentStart Orders::pay_from_wallet(const Actor& customer, PaymentOrderId order, PaymentProvider& wallet) {
    return kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::order_or_throw(s, order);
        const std::string provider(wallet_provider_name);
        require_payable(s, customer, record, provider, out.now());
        const Money balance = s.ledger.balance(LedgerAccount::wallet(record.customer, record.total.currency()));
        if (balance < record.total)
            throw Error(Errc::payment_failed,
                        fmt::format("the wallet holds {}, short of order {}'s {}: top it up or pay another way", balance,
                                    order, record.total));
        const auto number = static_cast<std::uint32_t>(record.attempts.size() + 1);
        const auto key = detail::payment_key(record, number);
        out.emit(detail::PaymentStarted{order, number, provider, key, record.total});
        const PaymentAttemptRecord started{number, provider, key, record.total, PaymentAttemptStatus::started, {}, {}, out.now()};
        const auto intent = wallet.create_intent(intent_request(record, started));
        out.emit(detail::PaymentIntentRecorded{order, number, intent.provider_payment_id, intent.action.kind,
                                               intent.action.payload, intent.status});
        out.emit(detail::PaymentCaptured{order, number, intent.provider_payment_id, intent.provider_payment_id,
                                         record.total});
        record_paid(s, out, record, number, provider, record.total);
        detail::LedgerMoves(s, out).wallet_paid(record);
        return PaymentStart{order, number, provider, intent.provider_payment_id, intent.action, intent.status};
    });
}

NotificationResult Orders::handle_notification(const std::string& provider, const Notification& notification) {
    const PaymentEvent event = providers_->get(provider)->verify(notification);
    const auto result = kernel_->execute(Actor::system(), [&](const State& s, detail::EventSink& out) {
        return NotificationDecision(s, out, provider, event).decide();
    });
    if (result.refund) submit_refund(*result.refund);
    return result;
}

RefundId Orders::refund(const Actor& actor, SubOrderId sub_order, const std::vector<RefundLine>& lines,
                        const std::string& reason) {
    validate_refund_reason(reason);
    if (lines.empty()) throw Error(Errc::invalid_argument, "a refund needs at least one line");
    std::set<SkuId> seen;
    for (const auto& line : lines) {
        if (line.amount.minor_units() <= 0)
            throw Error(Errc::invalid_argument, fmt::format("the refund of SKU {} must be positive", line.sku));
        if (!seen.insert(line.sku).second)
            throw Error(Errc::invalid_argument, fmt::format("SKU {} appears twice in one refund", line.sku));
    }
    const auto id = kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::sub_order_or_throw(s, sub_order);
        detail::require_refunder(s, actor, record);
        require_refundable(record);
        const auto& order = *s.orders.find(record.order);
        const auto& paid_by = *order.attempt(order.paid_by);
        detail::RefundRequested request;
        request.order = order.id;
        request.sub_order = sub_order;
        request.refund_kind = RefundKind::lines;
        request.shipping = Money::zero(record.payable.currency());
        request.amount = request.shipping;
        for (const auto& line : lines) {
            const auto* ordered = record.line(line.sku);
            if (!ordered)
                throw Error(Errc::invalid_argument, fmt::format("sub-order {} has no line of SKU {}", sub_order, line.sku));
            const Money left = ordered->paid_share - ordered->refunded;
            if (line.amount > left)
                throw Error(Errc::limit_exceeded,
                            fmt::format("SKU {} of sub-order {} has {} left to refund (paid {}, refunded {}), not {}",
                                        line.sku, sub_order, left, ordered->paid_share, ordered->refunded, line.amount));
            request.lines.push_back({line.sku, line.amount});
            request.amount += line.amount;
        }
        request.provider = paid_by.provider;
        request.provider_payment_id = paid_by.provider_payment_id;
        request.reason = reason;
        return detail::emit_refund(s, out, std::move(request));
    });
    submit_refund(id);
    return id;
}

RefundId Orders::refund_all(const Actor& actor, SubOrderId sub_order, const std::string& reason) {
    validate_refund_reason(reason);
    const auto id = kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::sub_order_or_throw(s, sub_order);
        detail::require_refunder(s, actor, record);
        require_refundable(record);
        auto request = detail::remaining_refund(s, record, RefundKind::lines, reason);
        if (!request)
            throw Error(Errc::invalid_state, fmt::format("sub-order {} has nothing left to refund", sub_order));
        return detail::emit_refund(s, out, std::move(*request));
    });
    submit_refund(id);
    return id;
}

std::size_t Orders::send_pending_refunds() {
    const auto pending = kernel_->read([](const State& s) { return s.orders.unsubmitted_refunds; });
    std::size_t accepted = 0;
    for (const auto id : pending)
        if (submit_refund(id)) ++accepted;
    return accepted;
}

bool Orders::submit_refund(RefundId id) {
    const auto refund = kernel_->read([&](const State& s) { return *s.orders.find(id); });
    if (refund.state != RefundState::requested) return false;
    std::shared_ptr<PaymentProvider> provider;
    RefundReceipt receipt;
    try {
        provider = providers_->get(refund.provider);
        receipt = provider->refund(
            RefundRequest{refund.provider_payment_id, refund.amount, refund.idempotency_key, refund.reason});
    } catch (const Error& e) {
        // Not registered (yet), or an unknown outcome: it stays requested, to be sent again.
        if (!provider || e.code() == Errc::payment_failed) return false;
        // Refused outright: nothing moved at the provider.
        kernel_->execute(Actor::system(), [&](const State& s, detail::EventSink& out) {
            if (s.orders.find(id)->state == RefundState::requested)
                out.emit(detail::RefundFailed{id, {}, {}, fmt::format("the provider refused the refund: {}", e.what())});
        });
        return false;
    }
    return kernel_->execute(Actor::system(), [&](const State& s, detail::EventSink& out) {
        const auto& requested = *s.orders.find(id);
        if (requested.state != RefundState::requested) return false;
        out.emit(detail::RefundSubmitted{id, receipt.provider_refund_id});
        // The wallet sends no notification: its refund succeeded as it answered, and the money
        // is back in the customer's wallet in the same command.
        if (requested.provider == wallet_provider_name) {
            out.emit(detail::RefundSucceeded{id, receipt.provider_refund_id, receipt.provider_refund_id});
            detail::LedgerMoves moves(s, out);
            moves.wallet_refunded(requested, s.orders.find(requested.order)->customer);
            moves.refund_succeeded(requested);
        }
        return true;
    });
}

}  // namespace souk
