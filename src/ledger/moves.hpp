// Moving money inside a command: the orders commands call one method per business fact
// (a capture, a completion, a refund) and settlement one per payout step, so every posting
// is emitted by the command whose event causes it and is atomic with it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/state.hpp"
#include "ledger/events.hpp"

namespace souk::detail {

// The rules of where money goes (docs/ledger.md). Each method reads the state as it was
// before the command and emits one LedgerPosted, or nothing when no money moves.
class LedgerMoves {
public:
    LedgerMoves(const State& state, EventSink& out) : state_(state), out_(out) {}

    // The order was paid by `attempt`: per sub-order, clearing and (for platform-funded
    // discounts) promotion expense → the shop's escrow.
    void captured(const PaymentOrderRecord& order, const std::string& provider);
    // Captured money that no order takes (late, or a second payment): clearing → refunds payable.
    void captured_unclaimed(const PaymentOrderRecord& order, const std::string& provider, const Money& amount);
    // The sub-order completed: escrow → available less commission → platform revenue.
    // `event` names the closing event: SubOrderCompleted, or SubOrderClosedRefunded for a
    // sub-order refunded in full (whatever escrow still holds, such as shipping, is the shop's).
    void completed(const SubOrderRecord& sub_order, std::string_view event);
    // The provider confirmed the refund: the payer's money leaves clearing, taken back from
    // the shop's escrow (or available balance, with its commission returned, once completed)
    // and the platform's promotion expense in proportion.
    void refund_succeeded(const RefundInfo& refund);

    // A top-up was captured: the provider's clearing → the customer's wallet.
    void wallet_topped_up(const WalletTopup& topup);
    // The order is paid from the customer's wallet: wallet → the wallet's clearing, from which
    // captured() moves it on to the shops' escrow.
    void wallet_paid(const PaymentOrderRecord& order);
    // A refund of an order paid from the wallet succeeded: what refund_succeeded() took out of
    // the wallet's clearing goes back to the customer's wallet.
    void wallet_refunded(const RefundInfo& refund, UserId customer);

    void payout_created(const PayoutInfo& payout);
    void payout_paid(const PayoutInfo& payout);
    void payout_failed(const PayoutInfo& payout);

private:
    void post(PostingPurpose purpose, EntityRef cause, std::string_view cause_event,
              std::vector<LedgerEntryFields> entries, UserId customer = {});

    const State& state_;
    EventSink& out_;
};

// The commission a line bears if nothing of it is refunded: its rate on line_total less the
// shop-funded discount.
Money full_commission(const OrderLine& line);
// The part of `whole` that follows `refunded` of a line's paid share (all of it once the
// line is refunded in full); refunds return the difference of two of these, so the parts
// of many partial refunds add up exactly.
Money refunded_part(const Money& whole, const Money& refunded, const OrderLine& line);
// Per SKU, what refunds that succeeded returned of the sub-order's lines (shipping under SkuId{}).
std::map<SkuId, Money> succeeded_refunds(const State& state, const SubOrderRecord& sub_order);

}  // namespace souk::detail
