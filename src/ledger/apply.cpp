// How ledger events change the state.
#include <algorithm>
#include <map>

#include "kernel/state.hpp"
#include "ledger/events.hpp"

namespace souk::detail {
namespace {

// Settlement's view of a posting: completions wait to be settled; refunds that take money
// back from an available balance are clawbacks the next payout nets.
void track_settlement(State& state, const LedgerPosted& posted, const EventContext& context) {
    const auto available = std::find_if(posted.entries.begin(), posted.entries.end(), [](const auto& e) {
        return e.account_kind == LedgerAccountKind::shop_available;
    });
    if (available == posted.entries.end()) return;
    auto& books = state.ledger.shops[available->shop];
    if (posted.purpose == PostingPurpose::completion) {
        require_consistent(posted.cause_kind == EntityKind::sub_order, "completion posting of something else");
        Money commission = Money::zero(available->amount.currency());
        for (const auto& e : posted.entries)
            if (e.account_kind == LedgerAccountKind::platform_commission) commission = -e.amount;
        const SubOrderId sub_order{posted.cause_id};
        books.unsettled[{context.time, sub_order}] = PayoutSubOrder{sub_order, -available->amount, commission};
    } else if (posted.purpose == PostingPurpose::refund) {
        require_consistent(posted.cause_kind == EntityKind::refund, "refund posting of something else");
        const auto* refund = state.orders.find(RefundId{posted.cause_id});
        require_consistent(refund && refund->sub_order, "refund posting of an unknown refund");
        books.clawbacks.push_back(PayoutClawback{refund->id, *refund->sub_order, available->amount});
    }
}

PayoutInfo& pending_payout(State& state, PayoutId id) {
    const auto it = state.ledger.payouts.find(id);
    require_consistent(it != state.ledger.payouts.end() && it->second.status == PayoutStatus::pending,
                       "outcome of an unknown or settled payout");
    return it->second;
}

}  // namespace

void LedgerPosted::apply(State& state, const EventContext& context) const {
    auto& ledger = state.ledger;
    require_consistent(!entries.empty() && cause_id != 0, "empty posting or posting without a cause");
    std::map<std::string, std::int64_t> sums;
    for (const auto& e : entries) {
        require_consistent(!e.amount.is_zero(), "posting entry of zero");
        require_consistent(e.account_kind != LedgerAccountKind::customer_wallet || customer, "wallet entry without its customer");
        auto& sum = sums[std::string(e.amount.currency().code())];
        require_consistent(!__builtin_add_overflow(sum, e.amount.minor_units(), &sum), "posting overflows");
    }
    require_consistent(std::all_of(sums.begin(), sums.end(), [](const auto& s) { return s.second == 0; }),
                       "posting does not balance");
    const std::uint64_t number = ledger.postings.size() + 1;
    Posting posting{number, context.time, EntityRef{cause_kind, cause_id}, cause_event, {}};
    for (const auto& e : entries) {
        const auto account = e.account(customer);
        auto& record = ledger.accounts[account];
        const auto units = e.amount.minor_units();
        (units > 0 ? record.debits : record.credits) += units > 0 ? units : -units;
        record.lines.push_back(AccountLine{number, units, record.balance(account.kind)});
        posting.entries.push_back(LedgerEntry{account, e.amount});
    }
    track_settlement(state, *this, context);
    ledger.by_cause[posting.cause].push_back(number);
    ledger.postings.push_back(std::move(posting));
}

void PayoutCreated::apply(State& state, const EventContext& context) const {
    auto& ledger = state.ledger;
    require_consistent(payout.value == ledger.last_payout + 1 && amount.minor_units() > 0, "payout out of order");
    auto& books = ledger.shops[shop];
    PayoutInfo info{payout, shop, amount, PayoutStatus::pending, {}, {}, commission, context.time, std::nullopt, {}};
    for (const auto& s : sub_orders) {
        const auto it = std::find_if(books.unsettled.begin(), books.unsettled.end(),
                                     [&](const auto& u) { return u.first.second == s.sub_order; });
        require_consistent(it != books.unsettled.end(), "payout of a sub-order not waiting to be settled");
        books.unsettled.erase(it);
        info.sub_orders.push_back(PayoutSubOrder{s.sub_order, s.proceeds, s.commission});
    }
    for (const auto& c : clawbacks) {
        const auto it = std::find_if(books.clawbacks.begin(), books.clawbacks.end(),
                                     [&](const auto& k) { return k.refund == c.refund; });
        require_consistent(it != books.clawbacks.end(), "payout of a clawback not pending");
        books.clawbacks.erase(it);
        info.clawbacks.push_back(PayoutClawback{c.refund, c.sub_order, c.amount});
    }
    books.payouts.push_back(payout);
    ledger.payouts.emplace(payout, std::move(info));
    ledger.last_payout = payout.value;
}

void PayoutPaid::apply(State& state, const EventContext& context) const {
    auto& info = pending_payout(state, payout);
    info.status = PayoutStatus::paid;
    info.settled_at = context.time;
    info.reference = reference;
}

void PayoutFailed::apply(State& state, const EventContext& context) const {
    auto& info = pending_payout(state, payout);
    info.status = PayoutStatus::failed;
    info.settled_at = context.time;
    info.reference = reason;
}

void SettlementDaysSet::apply(State& state, const EventContext&) const {
    require_consistent(state.shops.find(shop) != nullptr && days >= 0 && days <= Ledger::max_settlement_days,
                       "settlement days of an unknown shop or out of range");
    state.ledger.shops[shop].settlement_days = days;
}

}  // namespace souk::detail
