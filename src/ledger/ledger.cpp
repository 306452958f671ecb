// Ledger: reading the books, settlement runs and payout outcomes.
#include "souk/ledger.hpp"

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "ledger/moves.hpp"
#include "ledger/owner.hpp"
#include "orders/commands.hpp"
#include "souk/error.hpp"
#include "validate.hpp"

namespace souk {
namespace {

using detail::State;

void require_shop_reader(const State& s, const Actor& actor, std::optional<ShopId> shop, std::string_view what) {
    if (detail::is_platform_staff(s, actor) || (shop && detail::is_shop_member(s, *shop, actor))) return;
    throw Error(Errc::forbidden, fmt::format("only platform staff{} may read {}",
                                             shop ? fmt::format(" and shop {}", *shop) : std::string(), what));
}

void require_account_reader(const State& s, const Actor& actor, const LedgerAccount& account) {
    if (account.kind == LedgerAccountKind::customer_wallet && detail::is_buyer(s, actor, account.customer)) return;
    const bool shop_kind = account.kind == LedgerAccountKind::shop_escrow ||
                           account.kind == LedgerAccountKind::shop_available ||
                           account.kind == LedgerAccountKind::shop_payout;
    require_shop_reader(s, actor, shop_kind ? std::optional(account.shop) : std::nullopt,
                        fmt::format("account {}", account));
}

AccountBalance balance_of(const LedgerAccount& account, const detail::AccountRecord* record) {
    const auto currency = account.currency;
    if (!record) return {account, Money::zero(currency), Money::zero(currency), Money::zero(currency)};
    return {account, Money(record->debits, currency), Money(record->credits, currency),
            Money(record->balance(account.kind), currency)};
}

const detail::ShopRecord& shop_or_throw(const State& s, ShopId shop) {
    const auto* record = s.shops.find(shop);
    if (!record) throw Error(Errc::not_found, fmt::format("no shop {}", shop));
    return *record;
}

const PayoutInfo& payout_or_throw(const State& s, PayoutId payout) {
    const auto* info = s.ledger.find(payout);
    if (!info) throw Error(Errc::not_found, fmt::format("no payout {}", payout));
    return *info;
}

const PayoutInfo& pending_payout_or_throw(const State& s, PayoutId payout) {
    const auto& info = payout_or_throw(s, payout);
    if (info.status != PayoutStatus::pending)
        throw Error(Errc::invalid_state, fmt::format("payout {} is {}: only a pending payout can be marked paid or failed",
                                                     payout, payout_status_name(info.status)));
    return info;
}

int settlement_days_of(const State& s, ShopId shop, int default_days) {
    const auto* books = s.ledger.books_of(shop);
    return books && books->settlement_days ? *books->settlement_days : default_days;
}

// Of a shop's unsettled completions in `currency`: those completed by `cutoff`, and the sum of the rest.
std::pair<std::vector<PayoutSubOrder>, Money> split_due(const detail::ShopBooks* books, Currency currency,
                                                        Timestamp cutoff) {
    std::vector<PayoutSubOrder> due;
    Money not_due = Money::zero(currency);
    if (!books) return {due, not_due};
    for (const auto& [key, proceeds] : books->unsettled) {
        if (proceeds.proceeds.currency() != currency) continue;
        if (key.first <= cutoff)
            due.push_back(proceeds);
        else
            not_due += proceeds.proceeds;
    }
    return {due, not_due};
}

// The payout of one shop's available balance in one currency; an amount of zero or less
// means nothing is due (below zero: the shop owes more than is due).
PayoutInfo payout_due(const State& s, ShopId shop, Currency currency, Timestamp cutoff, PayoutId id,
                                     Timestamp now) {
    const auto* books = s.ledger.books_of(shop);
    auto [due, not_due] = split_due(books, currency, cutoff);
    const Money available = s.ledger.balance(LedgerAccount::of_shop(LedgerAccountKind::shop_available, shop, currency));
    PayoutInfo payout{id, shop, available - not_due, PayoutStatus::pending, std::move(due), {},
                      Money::zero(currency), now, std::nullopt, {}};
    for (const auto& settled : payout.sub_orders) payout.commission += settled.commission;
    if (books)
        for (const auto& clawback : books->clawbacks)
            if (clawback.amount.currency() == currency) payout.clawbacks.push_back(clawback);
    return payout;
}

detail::PayoutCreated created_event(const PayoutInfo& payout) {
    detail::PayoutCreated created{payout.id, payout.shop, payout.amount, {}, {}, payout.commission};
    for (const auto& s : payout.sub_orders) created.sub_orders.push_back({s.sub_order, s.proceeds, s.commission});
    for (const auto& c : payout.clawbacks) created.clawbacks.push_back({c.refund, c.sub_order, c.amount});
    return created;
}

}  // namespace

Ledger::Ledger(detail::Kernel& kernel, int default_settlement_days)
    : kernel_(&kernel), default_settlement_days_(default_settlement_days) {}

AccountBalance Ledger::balance(const Actor& actor, const LedgerAccount& account) const {
    return kernel_->read([&](const State& s) {
        require_account_reader(s, actor, account);
        return balance_of(account, s.ledger.find(account));
    });
}

AccountStatement Ledger::statement(const Actor& actor, const LedgerAccount& account, Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        require_account_reader(s, actor, account);
        const auto* record = s.ledger.find(account);
        AccountStatement statement{balance_of(account, record), record ? record->lines.size() : 0, {}};
        if (!record) return statement;
        const auto first = std::min(page.offset, record->lines.size());
        const auto last = std::min(record->lines.size(), first + page.limit);
        for (auto i = first; i < last; ++i) {
            const auto& line = record->lines[i];
            const auto& posting = s.ledger.postings[line.posting - 1];
            statement.lines.push_back(StatementLine{line.posting, posting.posted_at, posting.cause, posting.cause_event,
                                                    Money(line.amount, account.currency),
                                                    Money(line.running_balance, account.currency)});
        }
        return statement;
    });
}

TrialBalance Ledger::trial_balance(const Actor& actor) const {
    return kernel_->read([&](const State& s) {
        detail::require_platform_staff(s, actor, "read the trial balance");
        TrialBalance trial;
        for (const auto& [account, record] : s.ledger.accounts) {
            trial.accounts.push_back(balance_of(account, &record));
            auto total = std::find_if(trial.totals.begin(), trial.totals.end(),
                                      [&](const auto& t) { return t.currency == account.currency; });
            if (total == trial.totals.end())
                total = trial.totals.insert(trial.totals.end(), TrialBalanceTotal{account.currency, Money::zero(account.currency),
                                                                                  Money::zero(account.currency)});
            total->debits += trial.accounts.back().debits;
            total->credits += trial.accounts.back().credits;
        }
        return trial;
    });
}

bool TrialBalance::balanced() const {
    return std::all_of(totals.begin(), totals.end(), [](const auto& t) { return t.debits == t.credits; });
}

Posting Ledger::posting(const Actor& actor, std::uint64_t number) const {
    return kernel_->read([&](const State& s) {
        detail::require_platform_staff(s, actor, "read postings");
        if (number == 0 || number > s.ledger.postings.size())
            throw Error(Errc::not_found, fmt::format("no posting {}", number));
        return s.ledger.postings[number - 1];
    });
}

std::vector<Posting> Ledger::postings_of(const Actor& actor, EntityRef cause) const {
    return kernel_->read([&](const State& s) {
        require_shop_reader(s, actor, detail::shop_of_cause(s, cause), "these postings");
        std::vector<Posting> postings;
        if (const auto it = s.ledger.by_cause.find(cause); it != s.ledger.by_cause.end())
            for (const auto number : it->second) postings.push_back(s.ledger.postings[number - 1]);
        return postings;
    });
}

std::uint64_t Ledger::posting_count(const Actor& actor) const {
    return kernel_->read([&](const State& s) {
        detail::require_platform_staff(s, actor, "count postings");
        return static_cast<std::uint64_t>(s.ledger.postings.size());
    });
}

ShopMoney Ledger::shop_money(const Actor& actor, ShopId shop, Currency currency) const {
    const auto now = kernel_->now();
    return kernel_->read([&](const State& s) {
        shop_or_throw(s, shop);
        require_shop_reader(s, actor, shop, fmt::format("the money of shop {}", shop));
        const int days = settlement_days_of(s, shop, default_settlement_days_);
        const auto account = [&](LedgerAccountKind kind) {
            return s.ledger.balance(LedgerAccount::of_shop(kind, shop, currency));
        };
        return ShopMoney{shop,
                         account(LedgerAccountKind::shop_escrow),
                         account(LedgerAccountKind::shop_available),
                         split_due(s.ledger.books_of(shop), currency, now - std::chrono::hours(24 * days)).second,
                         account(LedgerAccountKind::shop_payout),
                         days};
    });
}

void Ledger::set_settlement_days(const Actor& actor, ShopId shop, int days) {
    if (days < 0 || days > max_settlement_days)
        throw Error(Errc::invalid_argument,
                    fmt::format("settlement days are 0..{}, not {}", max_settlement_days, days));
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "set settlement cycles");
        shop_or_throw(s, shop);
        out.emit(detail::SettlementDaysSet{shop, days});
    });
}

SettlementReport Ledger::settle(const Actor& actor, Timestamp now) {
    if (now > kernel_->now())
        throw Error(Errc::invalid_argument, fmt::format("settle({}) is ahead of the clock ({})", format_timestamp(now),
                                                        format_timestamp(kernel_->now())));
    return kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "run settlements");
        SettlementReport report;
        detail::LedgerMoves ledger(s, out);
        auto next = s.ledger.last_payout;
        for (const auto& [account, record] : s.ledger.accounts) {
            if (account.kind != LedgerAccountKind::shop_available) continue;
            const auto days = settlement_days_of(s, account.shop, default_settlement_days_);
            const auto payout = payout_due(s, account.shop, account.currency, now - std::chrono::hours(24 * days),
                                           PayoutId{next + 1}, out.now());
            if (payout.amount.minor_units() <= 0) {
                if (payout.amount.is_negative()) report.in_debt.push_back(account.shop);
                continue;
            }
            ++next;
            out.emit(created_event(payout));
            ledger.payout_created(payout);
            report.payouts.push_back(payout.id);
        }
        return report;
    });
}

PayoutInfo Ledger::payout(const Actor& actor, PayoutId payout) const {
    return kernel_->read([&](const State& s) {
        const auto& info = payout_or_throw(s, payout);
        require_shop_reader(s, actor, info.shop, fmt::format("payout {}", payout));
        return info;
    });
}

std::vector<PayoutInfo> Ledger::payouts_of(const Actor& actor, ShopId shop, Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        shop_or_throw(s, shop);
        require_shop_reader(s, actor, shop, fmt::format("the payouts of shop {}", shop));
        std::vector<PayoutInfo> payouts;
        const auto* books = s.ledger.books_of(shop);
        if (!books) return payouts;
        const auto first = std::min(page.offset, books->payouts.size());
        const auto last = std::min(books->payouts.size(), first + page.limit);
        for (auto i = first; i < last; ++i) payouts.push_back(*s.ledger.find(books->payouts[i]));
        return payouts;
    });
}

void Ledger::mark_payout_paid(const Actor& actor, PayoutId payout, const std::string& reference) {
    detail::require_text("payout reference", reference, 1, 100);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "confirm payouts");
        const auto& info = pending_payout_or_throw(s, payout);
        out.emit(detail::PayoutPaid{payout, reference});
        detail::LedgerMoves(s, out).payout_paid(info);
    });
}

void Ledger::mark_payout_failed(const Actor& actor, PayoutId payout, const std::string& reason) {
    detail::require_paragraph("payout failure reason", reason, 1, 200);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "record failed payouts");
        const auto& info = pending_payout_or_throw(s, payout);
        out.emit(detail::PayoutFailed{payout, reason});
        detail::LedgerMoves(s, out).payout_failed(info);
    });
}

std::string_view ledger_account_kind_name(LedgerAccountKind kind) noexcept {
    switch (kind) {
        case LedgerAccountKind::payment_clearing: return "payment_clearing";
        case LedgerAccountKind::shop_escrow: return "shop_escrow";
        case LedgerAccountKind::shop_available: return "shop_available";
        case LedgerAccountKind::shop_payout: return "shop_payout";
        case LedgerAccountKind::platform_commission: return "platform_commission";
        case LedgerAccountKind::platform_promotion: return "platform_promotion";
        case LedgerAccountKind::refunds_payable: return "refunds_payable";
        case LedgerAccountKind::payouts_disbursed: return "payouts_disbursed";
        case LedgerAccountKind::customer_wallet: return "customer_wallet";
    }
    return "unknown";
}

bool is_debit_normal(LedgerAccountKind kind) noexcept {
    return kind == LedgerAccountKind::payment_clearing || kind == LedgerAccountKind::platform_promotion;
}

bool must_not_go_negative(LedgerAccountKind kind) noexcept { return kind != LedgerAccountKind::shop_available; }

bool operator<(const LedgerAccount& a, const LedgerAccount& b) {
    return std::tuple(a.kind, a.shop, std::string_view(a.provider), a.customer, a.currency.code()) <
           std::tuple(b.kind, b.shop, std::string_view(b.provider), b.customer, b.currency.code());
}

std::string ledger_account_name(const LedgerAccount& account) {
    const auto kind = ledger_account_kind_name(account.kind);
    if (account.shop) return fmt::format("{}:{}:{}", kind, account.shop, account.currency);
    if (account.customer) return fmt::format("{}:{}:{}", kind, account.customer, account.currency);
    if (!account.provider.empty()) return fmt::format("{}:{}:{}", kind, account.provider, account.currency);
    return fmt::format("{}:{}", kind, account.currency);
}

std::string_view payout_status_name(PayoutStatus status) noexcept {
    switch (status) {
        case PayoutStatus::pending: return "pending";
        case PayoutStatus::paid: return "paid";
        case PayoutStatus::failed: return "failed";
    }
    return "unknown";
}

}  // namespace souk
