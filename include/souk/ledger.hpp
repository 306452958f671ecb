// souk — the double-entry ledger: where every minor unit of an order's money sits, from
// the payment through completion and commission to the shop's payout, refunds included.
//
// Every posting balances to zero per currency and is written by the same command as the
// business event that causes it (a capture, a completion, a refund, a payout), so the books
// and the orders can never disagree, and a posting once written is never changed: a
// correction is a new posting. See docs/ledger.md for the chart of accounts and every rule.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"
#include "souk/paging.hpp"

namespace souk {

namespace detail {
class Kernel;
}

// Values are stable: they are journaled.
enum class LedgerAccountKind : std::uint8_t {
    payment_clearing = 1,     // asset: captured money held at a provider (owner: the provider's name)
    shop_escrow = 2,          // liability: a shop's money for sub-orders not completed yet
    shop_available = 3,       // liability: a shop's completed proceeds not paid out (negative: the shop owes)
    shop_payout = 4,          // liability: payouts created, not yet confirmed paid or failed
    platform_commission = 5,  // revenue: commission earned
    platform_promotion = 6,   // expense: discounts the platform funds
    refunds_payable = 7,      // liability: captured money no order took, owed back to the payer
    payouts_disbursed = 8,    // the money sent out to shops' bank accounts
    customer_wallet = 9,      // liability: a customer's wallet balance (owner: the customer)
};
std::string_view ledger_account_kind_name(LedgerAccountKind kind) noexcept;
// Debit-normal kinds (assets, expenses) show debits − credits as their balance; the others
// credits − debits.
bool is_debit_normal(LedgerAccountKind kind) noexcept;
// Kinds whose balance can never go below zero (shop_available may: a shop in debt).
bool must_not_go_negative(LedgerAccountKind kind) noexcept;

// One account: a kind, its owner (a shop for the shop_* kinds, a provider name for
// payment_clearing, a customer for customer_wallet, nobody for the platform's) and a currency.
struct LedgerAccount {
    LedgerAccountKind kind{};
    ShopId shop;
    std::string provider;
    Currency currency;
    UserId customer;

    static LedgerAccount of_shop(LedgerAccountKind kind, ShopId shop, Currency currency) {
        return {kind, shop, {}, currency, {}};
    }
    static LedgerAccount clearing(std::string provider, Currency currency) {
        return {LedgerAccountKind::payment_clearing, {}, std::move(provider), currency, {}};
    }
    static LedgerAccount platform(LedgerAccountKind kind, Currency currency) { return {kind, {}, {}, currency, {}}; }
    static LedgerAccount wallet(UserId customer, Currency currency) {
        return {LedgerAccountKind::customer_wallet, {}, {}, currency, customer};
    }
    friend bool operator==(const LedgerAccount&, const LedgerAccount&) = default;
    friend bool operator<(const LedgerAccount& a, const LedgerAccount& b);
};
// "shop_escrow:3:CNY", "payment_clearing:sandbox:CNY", "customer_wallet:7:CNY", "platform_commission:CNY"
std::string ledger_account_name(const LedgerAccount& account);

// One side of a posting: positive amounts debit the account, negative ones credit it.
struct LedgerEntry {
    LedgerAccount account;
    Money amount;
    friend bool operator==(const LedgerEntry&, const LedgerEntry&) = default;
};

// A balanced set of entries and the business event that caused it.
struct Posting {
    std::uint64_t number = 0;  // 1, 2, ... in journal order
    Timestamp posted_at{};
    EntityRef cause;          // the sub-order, refund, payout, ... the money moved for
    std::string cause_event;  // the event that moved it: "OrderPaid", "SubOrderCompleted", ...
    std::vector<LedgerEntry> entries;
    friend bool operator==(const Posting&, const Posting&) = default;
};

struct AccountBalance {
    LedgerAccount account;
    Money debits;   // the sum of its debit entries
    Money credits;  // the sum of its credit entries (positive)
    Money balance;  // on its normal side: see is_debit_normal
    friend bool operator==(const AccountBalance&, const AccountBalance&) = default;
};

struct StatementLine {
    std::uint64_t posting = 0;
    Timestamp posted_at{};
    EntityRef cause;
    std::string cause_event;
    Money amount;           // positive: a debit
    Money running_balance;  // on the account's normal side, after this line
    friend bool operator==(const StatementLine&, const StatementLine&) = default;
};

struct AccountStatement {
    AccountBalance balance;
    std::size_t total_lines = 0;
    std::vector<StatementLine> lines;  // oldest first, the page asked for
    friend bool operator==(const AccountStatement&, const AccountStatement&) = default;
};

struct TrialBalanceTotal {
    Currency currency;
    Money debits;
    Money credits;
    friend bool operator==(const TrialBalanceTotal&, const TrialBalanceTotal&) = default;
};

struct TrialBalance {
    std::vector<AccountBalance> accounts;  // every account that was ever posted to
    std::vector<TrialBalanceTotal> totals; // per currency
    // Debits equal credits in every currency. Always true, unless the books are damaged.
    bool balanced() const;
    friend bool operator==(const TrialBalance&, const TrialBalance&) = default;
};

// ---------------------------------------------------------------------------------------
// Settlement and payouts

//   pending ──mark_paid──▶ paid        pending ──mark_failed──▶ failed (money back to available)
enum class PayoutStatus : std::uint8_t { pending = 1, paid = 2, failed = 3 };
std::string_view payout_status_name(PayoutStatus status) noexcept;

struct PayoutSubOrder {
    SubOrderId sub_order;
    Money proceeds;    // what the completion credited to the shop's available balance
    Money commission;  // what it charged as commission
    friend bool operator==(const PayoutSubOrder&, const PayoutSubOrder&) = default;
};

struct PayoutClawback {
    RefundId refund;
    SubOrderId sub_order;
    Money amount;  // what the refund took back from the available balance (commission returned netted)
    friend bool operator==(const PayoutClawback&, const PayoutClawback&) = default;
};

// A payout and its statement: the completions and the refunds it settles.
struct PayoutInfo {
    PayoutId id;
    ShopId shop;
    // Exactly what moved: the available balance less what is not due yet, which is Σ proceeds
    // − Σ clawbacks plus anything returned by failed payouts.
    Money amount;
    PayoutStatus status{};
    std::vector<PayoutSubOrder> sub_orders;
    std::vector<PayoutClawback> clawbacks;  // refunds after completion since the last settlement
    Money commission;  // Σ sub_orders' commission
    Timestamp created_at{};
    std::optional<Timestamp> settled_at;
    std::string reference;  // the bank's reference once paid, or why it failed
    friend bool operator==(const PayoutInfo&, const PayoutInfo&) = default;
};

// Where a shop's money is now.
struct ShopMoney {
    ShopId shop;
    Money escrow;     // sub-orders not completed yet
    Money available;  // completed, not paid out; negative when the shop owes (a clawback pending)
    Money not_due;    // the part of `available` from completions inside the settlement cycle
    Money in_payout;  // payouts pending
    int settlement_days = 0;
    friend bool operator==(const ShopMoney&, const ShopMoney&) = default;
};

struct SettlementReport {
    std::vector<PayoutId> payouts;  // created, one per shop with money due
    std::vector<ShopId> in_debt;    // shops whose refunds exceed what is due: netted next time
    friend bool operator==(const SettlementReport&, const SettlementReport&) = default;
};

// ---------------------------------------------------------------------------------------

// Reads the books; runs settlements; records payout outcomes. Platform staff may read and do
// everything; a shop's owner and staff may read their shop's accounts, statements and payouts.
class Ledger {
public:
    static constexpr int max_settlement_days = 90;

    // Balance of one account (zero if never posted to). A customer may read their own wallet.
    AccountBalance balance(const Actor& actor, const LedgerAccount& account) const;
    // The account's entries, oldest first, each with the balance after it.
    AccountStatement statement(const Actor& actor, const LedgerAccount& account, Page page = {}) const;
    // Every account with its totals, and debits against credits per currency. Platform staff only.
    TrialBalance trial_balance(const Actor& actor) const;
    // One posting by number; not_found if there is none. Platform staff only.
    Posting posting(const Actor& actor, std::uint64_t number) const;
    // The postings a business entity caused (a sub-order's capture and completion, a refund,
    // a payout), oldest first. Platform staff, or the shop the entity belongs to.
    std::vector<Posting> postings_of(const Actor& actor, EntityRef cause) const;
    std::uint64_t posting_count(const Actor& actor) const;

    ShopMoney shop_money(const Actor& actor, ShopId shop, Currency currency) const;

    // How many days after completion a shop's proceeds become due (T+N). Platform staff;
    // 0..max_settlement_days; applies from the next settlement run.
    void set_settlement_days(const Actor& actor, ShopId shop, int days);

    // Moves what is due into payouts: for every shop, the proceeds of completions at least
    // its settlement days before `now`, less refunds taken back after completion and any debt.
    // Platform staff (or the system). `now` must not be ahead of the clock.
    SettlementReport settle(const Actor& actor, Timestamp now);

    PayoutInfo payout(const Actor& actor, PayoutId payout) const;
    std::vector<PayoutInfo> payouts_of(const Actor& actor, ShopId shop, Page page = {}) const;
    // The bank confirmed the transfer; reference: 1..100 characters. Platform staff only;
    // invalid_state unless pending.
    void mark_payout_paid(const Actor& actor, PayoutId payout, const std::string& reference);
    // The transfer failed: the amount returns to the shop's available balance. reason: 1..200.
    void mark_payout_failed(const Actor& actor, PayoutId payout, const std::string& reason);

    // Internal: the Marketplace builds it.
    Ledger(detail::Kernel& kernel, int default_settlement_days);

private:
    detail::Kernel* kernel_;
    int default_settlement_days_;
};

}  // namespace souk

template <>
struct fmt::formatter<souk::LedgerAccount> : fmt::formatter<std::string_view> {
    auto format(const souk::LedgerAccount& a, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(souk::ledger_account_name(a), ctx);
    }
};
