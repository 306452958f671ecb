// Ledger scenarios, on books built directly through the kernel (completion postings as the
// orders module writes them), so that the figures time the ledger and not order taking:
//   ledger_settle        one settlement run over 1M completed sub-orders across 10,000 shops
//                        (a hundredth of that with --quick): every shop gets one payout
//   ledger_trial_balance the trial balance over the books after 10M postings (100k with --quick)
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench.hpp"
#include "kernel/kernel.hpp"
#include "ledger/events.hpp"
#include "souk/ledger.hpp"
#include "souk/storage/memory_journal.hpp"

namespace {

using namespace souk;
using namespace souk::bench;

constexpr std::size_t postings_per_command = 1000;
const Currency yuan = Currency::of("CNY");

struct Books {
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(parse_timestamp("2026-01-01T00:00:00Z"));
    detail::Kernel kernel{std::make_unique<MemoryJournal>(), clock};
};

// The completion of sub-order `n` of `shop`: 100.00 out of escrow, 5.00 commission.
detail::LedgerPosted completion(std::uint64_t sub_order, std::uint64_t shop) {
    const ShopId owner{shop};
    return detail::LedgerPosted{
        detail::PostingPurpose::completion,
        EntityKind::sub_order,
        sub_order,
        "SubOrderCompleted",
        {{LedgerAccountKind::shop_escrow, owner, {}, Money(10'000, yuan)},
         {LedgerAccountKind::shop_available, owner, {}, Money(-9'500, yuan)},
         {LedgerAccountKind::platform_commission, {}, {}, Money(-500, yuan)}},
        {}};
}

// Writes `count` completions spread round-robin over `shops` shops.
void complete(Books& books, std::uint64_t count, std::uint64_t shops) {
    for (std::uint64_t first = 1; first <= count; first += postings_per_command) {
        books.kernel.execute(Actor::system(), [&](const detail::State&, detail::EventSink& out) {
            for (std::uint64_t n = first; n < first + postings_per_command && n <= count; ++n)
                out.emit(completion(n, 1 + n % shops));
        });
    }
}

void ledger_settle(Context& ctx) {
    const std::uint64_t orders = ctx.quick() ? 10'000 : 1'000'000;
    const std::uint64_t shops = ctx.quick() ? 100 : 10'000;
    Books books;
    const auto build = time_seconds([&] { complete(books, orders, shops); });
    ctx.info("{} completions across {} shops written in {:.1f} s", orders, shops, build);
    books.clock->advance(std::chrono::hours(24 * 8));
    Ledger ledger(books.kernel, 7);
    SettlementReport report;
    const auto seconds = time_seconds([&] { report = ledger.settle(Actor::system(), books.clock->now()); });
    if (report.payouts.size() != shops) throw std::runtime_error("the settlement run missed shops");
    Result result;
    result.unit = "s";
    result.value = seconds;
    result.journal = "memory";
    result.extra["completed_sub_orders"] = orders;
    result.extra["shops"] = shops;
    result.extra["sub_orders_per_s"] = static_cast<double>(orders) / seconds;
    ctx.report(std::move(result));
}

void ledger_trial_balance(Context& ctx) {
    const std::uint64_t postings = ctx.quick() ? 100'000 : 10'000'000;
    const std::uint64_t shops = ctx.quick() ? 100 : 10'000;
    Books books;
    const auto build = time_seconds([&] { complete(books, postings, shops); });
    ctx.info("{} postings written in {:.1f} s", postings, build);
    Ledger ledger(books.kernel, 7);
    TrialBalance trial;
    const auto seconds = time_seconds([&] { trial = ledger.trial_balance(Actor::system()); });
    if (!trial.balanced() || ledger.posting_count(Actor::system()) != postings)
        throw std::runtime_error("the trial balance does not balance");
    Result result;
    result.unit = "s";
    result.value = seconds;
    result.journal = "memory";
    result.extra["postings"] = postings;
    result.extra["accounts"] = trial.accounts.size();
    ctx.report(std::move(result));
}

const bool registered = register_scenarios({
    {.name = "ledger_settle",
     .description = "one settlement run over 1M completed sub-orders across 10k shops",
     .fn = ledger_settle,
     .needs = {}},
    {.name = "ledger_trial_balance",
     .description = "the trial balance after 10M postings",
     .fn = ledger_trial_balance,
     .needs = {}},
});

}  // namespace
