// Wallet: top-ups through a provider, the wallet's own provider, and reading balances.
#include "souk/wallet.hpp"

#include <fmt/format.h>

#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "orders/commands.hpp"
#include "payment/providers.hpp"
#include "souk/error.hpp"
#include "wallet/events.hpp"

namespace souk {
namespace {

using detail::State;

void require_wallet_reader(const State& s, const Actor& actor, UserId customer, std::string_view what) {
    if (detail::is_buyer(s, actor, customer) || detail::is_platform_staff(s, actor)) return;
    throw Error(Errc::forbidden, fmt::format("only customer {} and platform staff may read {}", customer, what));
}

}  // namespace

std::string WalletProvider::name() const { return std::string(wallet_provider_name); }

PaymentIntent WalletProvider::create_intent(const IntentRequest& request) {
    return PaymentIntent{fmt::format("wallet-pay-{}", request.idempotency_key), {}, PaymentStatus::captured};
}

RefundReceipt WalletProvider::refund(const RefundRequest& request) {
    return RefundReceipt{fmt::format("wallet-refund-{}", request.idempotency_key), request.amount,
                         RefundStatus::succeeded};
}

PaymentEvent WalletProvider::verify(const Notification&) const {
    throw Error(Errc::unauthenticated, "the wallet sends no notifications: none can be authentic");
}

std::string_view topup_status_name(TopupStatus status) noexcept {
    switch (status) {
        case TopupStatus::started: return "started";
        case TopupStatus::open: return "open";
        case TopupStatus::captured: return "captured";
        case TopupStatus::declined: return "declined";
    }
    return "unknown";
}

Wallet::Wallet(detail::Kernel& kernel, detail::PaymentProviders& providers, const Ledger& ledger)
    : kernel_(&kernel), providers_(&providers), ledger_(&ledger) {}

WalletTopup Wallet::start_topup(const Actor& customer, const Money& amount, const std::string& provider_name) {
    if (amount.minor_units() <= 0)
        throw Error(Errc::invalid_argument, fmt::format("a top-up must be positive, not {}", amount));
    if (provider_name == wallet_provider_name)
        throw Error(Errc::invalid_argument, "a wallet cannot be topped up from itself: name a payment provider");
    const auto provider = providers_->get(provider_name);
    const auto started = kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, customer);
        const WalletTopupId id{s.wallet.last_topup + 1};
        const auto key = fmt::format("topup-{}", id);
        out.emit(detail::WalletTopupStarted{id, user.id, provider_name, key, amount});
        return WalletTopup{id, user.id, provider_name, amount, TopupStatus::started, key, {}, {}, out.now(), std::nullopt};
    });
    PaymentIntent intent;
    try {
        // The top-up's id stands in for the payment order: notifications find it by payment id.
        intent = provider->create_intent(IntentRequest{PaymentOrderId{started.id.value}, amount, started.idempotency_key,
                                                       fmt::format("Wallet top-up {}", started.id)});
    } catch (const Error& e) {
        throw Error(Errc::payment_failed,
                    fmt::format("payment provider '{}' did not open top-up {} ({}): start another top-up", provider_name,
                                started.id, e.what()));
    }
    kernel_->execute(customer, [&](const State&, detail::EventSink& out) {
        out.emit(detail::WalletTopupIntentRecorded{started.id, intent.provider_payment_id, intent.action.kind,
                                                   intent.action.payload, intent.status});
    });
    return topup(customer, started.id);
}

WalletTopup Wallet::topup(const Actor& actor, WalletTopupId id) const {
    return kernel_->read([&](const State& s) {
        const auto* record = s.wallet.find(id);
        if (!record) throw Error(Errc::not_found, fmt::format("no top-up {}", id));
        require_wallet_reader(s, actor, record->customer, fmt::format("top-up {}", id));
        return *record;
    });
}

Money Wallet::balance(const Actor& actor, UserId customer, Currency currency) const {
    return ledger_->balance(actor, LedgerAccount::wallet(customer, currency)).balance;
}

AccountStatement Wallet::statement(const Actor& actor, UserId customer, Currency currency, Page page) const {
    return ledger_->statement(actor, LedgerAccount::wallet(customer, currency), page);
}

}  // namespace souk
