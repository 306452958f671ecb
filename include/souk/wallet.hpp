// souk — customer wallets: a balance each customer holds in the ledger, topped up through a
// payment provider and spent at checkout through the built-in "wallet" provider. Refunds of
// an order paid from the wallet go back to it. A wallet never goes negative. See
// docs/ledger.md ("Customer wallets").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/ledger.hpp"
#include "souk/money.hpp"
#include "souk/paging.hpp"
#include "souk/payment.hpp"

namespace souk {

namespace detail {
class Kernel;
class PaymentProviders;
}  // namespace detail

// The name every Marketplace registers its WalletProvider under: `orders.pay(customer, order,
// "wallet")` pays from the customer's wallet.
inline constexpr std::string_view wallet_provider_name = "wallet";

// The customer wallet seen through the PaymentProvider port. Its money is in souk's own
// books, so it answers at once: an intent is captured and a refund succeeded as soon as they
// are asked for, and Orders calls it inside the very command that debits or credits the
// wallet (so the balance check, the debit and the order's payment are one atomic step). It
// sends no notifications: verify refuses every one.
class WalletProvider final : public PaymentProvider {
public:
    std::string name() const override;
    // Captured at once; the payment id is derived from the idempotency key.
    PaymentIntent create_intent(const IntentRequest& request) override;
    // Succeeded at once; the refund id is derived from the idempotency key.
    RefundReceipt refund(const RefundRequest& request) override;
    // Throws unauthenticated: nobody speaks for the wallet from outside.
    PaymentEvent verify(const Notification& raw) const override;
};

//   started ──intent──▶ open ──capture──▶ captured      (any but captured) ──decline──▶ declined
enum class TopupStatus : std::uint8_t { started = 1, open = 2, captured = 3, declined = 4 };
std::string_view topup_status_name(TopupStatus status) noexcept;

struct WalletTopup {
    WalletTopupId id;
    UserId customer;
    std::string provider;
    Money amount;
    TopupStatus status = TopupStatus::started;
    std::string idempotency_key;      // derived from the id: "topup-<id>"
    std::string provider_payment_id;  // once the provider opened the payment
    ClientAction action;              // what the customer must do to pay
    Timestamp created_at{};
    std::optional<Timestamp> captured_at;
    friend bool operator==(const WalletTopup&, const WalletTopup&) = default;
};

// Customer wallets. The balance is the ledger account LedgerAccount::wallet(customer,
// currency); these calls read it for the customer and platform staff.
class Wallet {
public:
    // Opens a payment of `amount` at `provider` (any registered provider but the wallet
    // itself) whose capture credits the customer's wallet. The customer acts as the action
    // says; the provider's notification, handed to Orders::handle_notification, credits the
    // wallet (a duplicate changes nothing; an amount that differs raises an alert instead).
    // A signed-in, enabled customer only. Throws payment_failed if the provider did not
    // answer: start another top-up (no money moved before the customer acts).
    WalletTopup start_topup(const Actor& customer, const Money& amount, const std::string& provider);
    // The customer who started it, or platform staff.
    WalletTopup topup(const Actor& actor, WalletTopupId topup) const;

    // The wallet's balance in `currency` (zero if never used). The customer, or platform staff.
    Money balance(const Actor& actor, UserId customer, Currency currency) const;
    // Its entries, oldest first, each with the balance after it.
    AccountStatement statement(const Actor& actor, UserId customer, Currency currency, Page page = {}) const;

    // Internal: the Marketplace builds it.
    Wallet(detail::Kernel& kernel, detail::PaymentProviders& providers, const Ledger& ledger);

private:
    detail::Kernel* kernel_;
    detail::PaymentProviders* providers_;
    const Ledger* ledger_;
};

}  // namespace souk
