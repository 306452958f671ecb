// Wallet events: a top-up's life. Its credit to the wallet is the LedgerPosted that follows
// WalletTopupCaptured in the same command.
#pragma once

#include <string>

#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "wallet/state.hpp"

namespace souk::detail {

struct WalletTopupStarted {
    static constexpr EventKind kind = EventKind::wallet_topup_started;
    static constexpr std::string_view name = "WalletTopupStarted";
    static constexpr std::uint8_t version = 1;
    WalletTopupId topup;
    UserId customer;
    std::string provider;
    std::string idempotency_key;
    Money amount;
    template <class V> void visit(V&& v) {
        v("topup", topup), v("customer", customer), v("provider", provider), v("idempotency_key", idempotency_key),
            v("amount", amount);
    }
    void apply(State& state, const EventContext& context) const;
};

struct WalletTopupIntentRecorded {
    static constexpr EventKind kind = EventKind::wallet_topup_intent_recorded;
    static constexpr std::string_view name = "WalletTopupIntentRecorded";
    static constexpr std::uint8_t version = 1;
    WalletTopupId topup;
    std::string provider_payment_id;
    ClientAction::Kind action = ClientAction::Kind::none;
    std::string action_payload;
    PaymentStatus status = PaymentStatus::pending;
    template <class V> void visit(V&& v) {
        v("topup", topup), v("provider_payment_id", provider_payment_id), v("action", action),
            v("action_payload", action_payload), v("status", status);
    }
    void apply(State& state, const EventContext& context) const;
};

struct WalletTopupCaptured {
    static constexpr EventKind kind = EventKind::wallet_topup_captured;
    static constexpr std::string_view name = "WalletTopupCaptured";
    static constexpr std::uint8_t version = 1;
    WalletTopupId topup;
    std::string provider_event_id;
    Money amount;
    template <class V> void visit(V&& v) { v("topup", topup), v("provider_event_id", provider_event_id), v("amount", amount); }
    void apply(State& state, const EventContext& context) const;
};

struct WalletTopupDeclined {
    static constexpr EventKind kind = EventKind::wallet_topup_declined;
    static constexpr std::string_view name = "WalletTopupDeclined";
    static constexpr std::uint8_t version = 1;
    WalletTopupId topup;
    std::string provider_event_id;
    template <class V> void visit(V&& v) { v("topup", topup), v("provider_event_id", provider_event_id); }
    void apply(State& state, const EventContext& context) const;
};

using WalletEvents = EventList<WalletTopupStarted, WalletTopupIntentRecorded, WalletTopupCaptured, WalletTopupDeclined>;

}  // namespace souk::detail
