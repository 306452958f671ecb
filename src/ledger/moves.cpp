#include "ledger/moves.hpp"

#include "orders/state_machine.hpp"
#include "souk/wallet.hpp"

namespace souk::detail {
namespace {

constexpr std::int64_t basis_points = 10000;

LedgerEntryFields entry(LedgerAccountKind kind, ShopId shop, const Money& amount) { return {kind, shop, {}, amount}; }
LedgerEntryFields platform(LedgerAccountKind kind, const Money& amount) { return {kind, {}, {}, amount}; }
LedgerEntryFields clearing(std::string_view provider, const Money& amount) {
    return {LedgerAccountKind::payment_clearing, {}, std::string(provider), amount};
}
LedgerEntryFields wallet(const Money& amount) { return {LedgerAccountKind::customer_wallet, {}, {}, amount}; }

}  // namespace

Money full_commission(const OrderLine& line) {
    const Money shop_funded = line.discount - line.platform_discount;
    return (line.line_total - shop_funded).scaled(line.commission_bps, basis_points);
}

Money refunded_part(const Money& whole, const Money& refunded, const OrderLine& line) {
    if (line.paid_share.is_zero()) return refunded.is_zero() ? Money::zero(whole.currency()) : whole;
    return whole.scaled(refunded.minor_units(), line.paid_share.minor_units());
}

std::map<SkuId, Money> succeeded_refunds(const State& state, const SubOrderRecord& sub_order) {
    std::map<SkuId, Money> returned;
    const auto zero = Money::zero(sub_order.payable.currency());
    for (const auto id : sub_order.refunds) {
        const auto* refund = state.orders.find(id);
        if (refund->state != RefundState::succeeded) continue;
        for (const auto& line : refund->lines) returned.try_emplace(line.sku, zero).first->second += line.amount;
        returned.try_emplace(SkuId{}, zero).first->second += refund->shipping;
    }
    return returned;
}

void LedgerMoves::post(PostingPurpose purpose, EntityRef cause, std::string_view cause_event,
                       std::vector<LedgerEntryFields> entries, UserId customer) {
    std::erase_if(entries, [](const LedgerEntryFields& e) { return e.amount.is_zero(); });
    if (entries.empty()) return;
    out_.emit(LedgerPosted{purpose, cause.kind, cause.id, std::string(cause_event), std::move(entries), customer});
}

void LedgerMoves::captured(const PaymentOrderRecord& order, const std::string& provider) {
    for (const auto id : order.sub_orders) {
        const auto& sub_order = *state_.orders.find(id);
        Money subsidy = Money::zero(sub_order.payable.currency());
        for (const auto& line : sub_order.lines) subsidy += line.platform_discount;
        post(PostingPurpose::capture, EntityRef::of(id), "OrderPaid",
             {clearing(provider, sub_order.payable), platform(LedgerAccountKind::platform_promotion, subsidy),
              entry(LedgerAccountKind::shop_escrow, sub_order.shop, -(sub_order.payable + subsidy))});
    }
}

void LedgerMoves::captured_unclaimed(const PaymentOrderRecord& order, const std::string& provider, const Money& amount) {
    post(PostingPurpose::unclaimed_capture, EntityRef::of(order.id), "PaymentCaptured",
         {clearing(provider, amount), platform(LedgerAccountKind::refunds_payable, -amount)});
}

void LedgerMoves::completed(const SubOrderRecord& sub_order, std::string_view event) {
    const auto refunded = succeeded_refunds(state_, sub_order);
    const auto zero = Money::zero(sub_order.payable.currency());
    const auto refunded_of = [&](SkuId sku) {
        const auto it = refunded.find(sku);
        return it == refunded.end() ? zero : it->second;
    };
    Money escrow = sub_order.shipping_fee - refunded_of(SkuId{});
    Money commission = zero;
    for (const auto& line : sub_order.lines) {
        const Money back = refunded_of(line.sku);
        const Money shop_share = line.paid_share + line.platform_discount;
        escrow += shop_share - back - refunded_part(line.platform_discount, back, line);
        const Money full = full_commission(line);
        commission += full - refunded_part(full, back, line);
    }
    post(PostingPurpose::completion, EntityRef::of(sub_order.id), event,
         {entry(LedgerAccountKind::shop_escrow, sub_order.shop, escrow),
          entry(LedgerAccountKind::shop_available, sub_order.shop, -(escrow - commission)),
          platform(LedgerAccountKind::platform_commission, -commission)});
}

void LedgerMoves::refund_succeeded(const RefundInfo& refund) {
    if (refund.state == RefundState::succeeded) return;  // a second report of a refund already booked
    const auto cause = EntityRef::of(refund.id);
    if (!refund.sub_order) {
        post(PostingPurpose::refund, cause, "RefundSucceeded",
             {platform(LedgerAccountKind::refunds_payable, refund.amount), clearing(refund.provider, -refund.amount)});
        return;
    }
    const auto& sub_order = *state_.orders.find(*refund.sub_order);
    const auto before = succeeded_refunds(state_, sub_order);
    const bool completed = window_closed(sub_order.status);
    const auto zero = Money::zero(refund.amount.currency());
    Money subsidy_back = zero, commission_back = zero;
    for (const auto& returned : refund.lines) {
        const auto& line = *sub_order.line(returned.sku);
        const auto it = before.find(returned.sku);
        const Money was = it == before.end() ? zero : it->second;
        const Money now = was + returned.amount;
        subsidy_back += refunded_part(line.platform_discount, now, line) - refunded_part(line.platform_discount, was, line);
        if (completed) {
            const Money full = full_commission(line);
            commission_back += refunded_part(full, now, line) - refunded_part(full, was, line);
        }
    }
    const auto shop_account = completed ? LedgerAccountKind::shop_available : LedgerAccountKind::shop_escrow;
    post(PostingPurpose::refund, cause, "RefundSucceeded",
         {clearing(refund.provider, -refund.amount),
          entry(shop_account, sub_order.shop, refund.amount + subsidy_back - commission_back),
          platform(LedgerAccountKind::platform_promotion, -subsidy_back),
          platform(LedgerAccountKind::platform_commission, commission_back)});
}

void LedgerMoves::wallet_topped_up(const WalletTopup& topup) {
    post(PostingPurpose::wallet_topup, EntityRef::of(topup.id), "WalletTopupCaptured",
         {clearing(topup.provider, topup.amount), wallet(-topup.amount)}, topup.customer);
}

void LedgerMoves::wallet_paid(const PaymentOrderRecord& order) {
    post(PostingPurpose::wallet_payment, EntityRef::of(order.id), "OrderPaid",
         {wallet(order.total), clearing(wallet_provider_name, -order.total)}, order.customer);
}

void LedgerMoves::wallet_refunded(const RefundInfo& refund, UserId customer) {
    post(PostingPurpose::wallet_refund, EntityRef::of(refund.id), "RefundSucceeded",
         {clearing(wallet_provider_name, refund.amount), wallet(-refund.amount)}, customer);
}

void LedgerMoves::payout_created(const PayoutInfo& payout) {
    post(PostingPurpose::payout_created, EntityRef::of(payout.id), "PayoutCreated",
         {entry(LedgerAccountKind::shop_available, payout.shop, payout.amount),
          entry(LedgerAccountKind::shop_payout, payout.shop, -payout.amount)});
}

void LedgerMoves::payout_paid(const PayoutInfo& payout) {
    post(PostingPurpose::payout_paid, EntityRef::of(payout.id), "PayoutPaid",
         {entry(LedgerAccountKind::shop_payout, payout.shop, payout.amount),
          platform(LedgerAccountKind::payouts_disbursed, -payout.amount)});
}

void LedgerMoves::payout_failed(const PayoutInfo& payout) {
    post(PostingPurpose::payout_failed, EntityRef::of(payout.id), "PayoutFailed",
         {entry(LedgerAccountKind::shop_payout, payout.shop, payout.amount),
          entry(LedgerAccountKind::shop_available, payout.shop, -payout.amount)});
}

}  // namespace souk::detail
