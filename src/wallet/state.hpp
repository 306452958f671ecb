// Wallet state: the top-ups, and which one a provider's payment id belongs to (how a
// notification finds its top-up). Balances live in the ledger.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "souk/wallet.hpp"

namespace souk::detail {

struct WalletState {
    std::map<WalletTopupId, WalletTopup> topups;
    // (provider, provider_payment_id) → top-up
    std::map<std::pair<std::string, std::string>, WalletTopupId> by_payment;
    std::uint64_t last_topup = 0;

    const WalletTopup* find(WalletTopupId id) const {
        const auto it = topups.find(id);
        return it == topups.end() ? nullptr : &it->second;
    }
    const WalletTopup* find(const std::string& provider, const std::string& payment_id) const {
        const auto it = by_payment.find({provider, payment_id});
        return it == by_payment.end() ? nullptr : find(it->second);
    }
};

}  // namespace souk::detail
