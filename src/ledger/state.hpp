// Ledger state: account balances kept as postings apply (a balance is one lookup), every
// posting, and what each shop has completed but not yet settled.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "souk/ledger.hpp"

namespace souk::detail {

// Why a posting was made: settlement reads it to tell proceeds and clawbacks apart.
enum class PostingPurpose : std::uint8_t {
    capture = 1,            // a sub-order's payment: clearing → shop escrow
    unclaimed_capture = 2,  // captured money no order took: clearing → refunds payable
    completion = 3,         // escrow → available, commission → platform revenue
    refund = 4,             // money back to the payer, from escrow or available
    payout_created = 5,     // available → payout
    payout_paid = 6,        // payout → disbursed
    payout_failed = 7,      // payout → available
    wallet_topup = 8,       // a captured top-up: clearing → the customer's wallet
    wallet_payment = 9,     // an order paid from the wallet: wallet → the wallet's clearing
    wallet_refund = 10,     // a refund of such an order: the wallet's clearing → wallet
};

struct AccountLine {
    std::uint64_t posting = 0;
    std::int64_t amount = 0;           // positive: debit
    std::int64_t running_balance = 0;  // normal side
};

struct AccountRecord {
    std::int64_t debits = 0;
    std::int64_t credits = 0;
    std::vector<AccountLine> lines;

    std::int64_t balance(LedgerAccountKind kind) const {
        return is_debit_normal(kind) ? debits - credits : credits - debits;
    }
};

struct ShopBooks {
    std::optional<int> settlement_days;  // none: the marketplace's default
    // (completed_at, sub-order) → its proceeds and commission.
    std::map<std::pair<Timestamp, SubOrderId>, PayoutSubOrder> unsettled;
    std::vector<PayoutClawback> clawbacks;  // since the last payout
    std::vector<PayoutId> payouts;
};

struct LedgerState {
    std::map<LedgerAccount, AccountRecord> accounts;
    std::vector<Posting> postings;  // posting n at index n - 1
    std::unordered_map<EntityRef, std::vector<std::uint64_t>> by_cause;
    std::map<ShopId, ShopBooks> shops;
    std::map<PayoutId, PayoutInfo> payouts;
    std::uint64_t last_payout = 0;

    const AccountRecord* find(const LedgerAccount& account) const {
        const auto it = accounts.find(account);
        return it == accounts.end() ? nullptr : &it->second;
    }
    const PayoutInfo* find(PayoutId id) const {
        const auto it = payouts.find(id);
        return it == payouts.end() ? nullptr : &it->second;
    }
    const ShopBooks* books_of(ShopId shop) const {
        const auto it = shops.find(shop);
        return it == shops.end() ? nullptr : &it->second;
    }
    // The account's balance on its normal side, zero if never posted to.
    Money balance(const LedgerAccount& account) const {
        const auto* record = find(account);
        return Money(record ? record->balance(account.kind) : 0, account.currency);
    }
};

}  // namespace souk::detail
