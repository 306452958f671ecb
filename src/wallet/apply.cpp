// How wallet events change the state.
#include "kernel/state.hpp"
#include "wallet/events.hpp"

namespace souk::detail {
namespace {

WalletTopup& topup_or_corrupt(State& state, WalletTopupId id) {
    const auto it = state.wallet.topups.find(id);
    require_consistent(it != state.wallet.topups.end(), "event of an unknown top-up");
    return it->second;
}

// The provider's event is handled once; the orders' notification path deduplicates on it.
void mark_handled(State& state, const WalletTopup& topup, const std::string& event_id) {
    require_consistent(state.orders.handled_events.emplace(topup.provider, event_id).second,
                       "notification handled twice");
}

}  // namespace

void WalletTopupStarted::apply(State& state, const EventContext& context) const {
    auto& wallet = state.wallet;
    require_consistent(topup.value == wallet.last_topup + 1 && amount.minor_units() > 0, "top-up out of order");
    wallet.topups.emplace(topup, WalletTopup{topup, customer, provider, amount, TopupStatus::started, idempotency_key,
                                             {}, {}, context.time, std::nullopt});
    wallet.last_topup = topup.value;
}

void WalletTopupIntentRecorded::apply(State& state, const EventContext&) const {
    auto& record = topup_or_corrupt(state, topup);
    require_consistent(record.status == TopupStatus::started && !provider_payment_id.empty(),
                       "intent of a top-up already under way");
    record.provider_payment_id = provider_payment_id;
    record.action = ClientAction{action, action_payload};
    record.status = status == PaymentStatus::declined ? TopupStatus::declined : TopupStatus::open;
    state.wallet.by_payment.emplace(std::pair(record.provider, provider_payment_id), topup);
}

void WalletTopupCaptured::apply(State& state, const EventContext& context) const {
    auto& record = topup_or_corrupt(state, topup);
    // A capture is the truth about money: it stands even over an earlier decline.
    require_consistent(record.status != TopupStatus::captured && amount == record.amount,
                       "second capture of a top-up, or of another amount");
    mark_handled(state, record, provider_event_id);
    record.status = TopupStatus::captured;
    record.captured_at = context.time;
}

void WalletTopupDeclined::apply(State& state, const EventContext&) const {
    auto& record = topup_or_corrupt(state, topup);
    require_consistent(record.status != TopupStatus::captured, "decline of a captured top-up");
    mark_handled(state, record, provider_event_id);
    record.status = TopupStatus::declined;
}

}  // namespace souk::detail
