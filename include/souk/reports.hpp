// souk — reports: what a period's trade amounted to, for the platform or one shop, worked
// out from the orders and the ledger so that every figure agrees with the books to the minor
// unit; and reconciliation of a payment provider's settlement file against the ledger.
// Every figure is defined in docs/reports.md. Reports are pure queries: they change nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"

namespace souk {

namespace detail {
class Kernel;
}

// What a report covers: [from, until), the whole platform or one shop. Days (sales_by_day)
// begin at midnight at `utc_offset_minutes` from UTC (480 for China Standard Time).
struct ReportPeriod {
    static constexpr int max_utc_offset_minutes = 14 * 60;
    Timestamp from{};
    Timestamp until{};
    std::optional<ShopId> shop;  // none: the whole platform
    int utc_offset_minutes = 0;
    friend bool operator==(const ReportPeriod&, const ReportPeriod&) = default;
};

// The headline figures of a period in one currency.
struct SalesSummary {
    Currency currency;
    Money gmv;                       // Σ payable of sub-orders paid in the period
    std::int64_t paid_orders = 0;    // sub-orders paid in the period
    Money average_order_value;       // gmv ÷ paid_orders, rounded half away from zero
    Money refunds;                   // Σ refunds of orders the provider confirmed in the period
    std::int64_t refund_count = 0;
    int refund_rate_bps = 0;         // refunds ÷ gmv in basis points, rounded half away from zero
    Money commission;                // net platform_commission credits posted in the period
    Money subsidies;                 // net platform_promotion debits posted in the period
    Money payouts;                   // payouts confirmed paid in the period
    friend bool operator==(const SalesSummary&, const SalesSummary&) = default;
};

struct DailySales {
    std::string day;  // "2026-11-25" in the period's offset
    Currency currency;
    Money gmv;
    std::int64_t paid_orders = 0;
    Money refunds;
    friend bool operator==(const DailySales&, const DailySales&) = default;
};

// Sales of paid lines (what the buyer paid for goods: line total less discount; shipping excluded).
struct CategorySales {
    CategoryId category;
    std::string name;
    Currency currency;
    Money sales;
    std::int64_t units = 0;
    friend bool operator==(const CategorySales&, const CategorySales&) = default;
};

struct ProductSales {
    ProductId product;
    ShopId shop;
    std::string title;
    Currency currency;
    Money sales;
    std::int64_t units = 0;
    friend bool operator==(const ProductSales&, const ProductSales&) = default;
};

// ---------------------------------------------------------------------------------------
// Reconciliation of a provider's settlement file

enum class ProviderTransactionType : std::uint8_t { capture = 1, refund = 2 };
std::string_view provider_transaction_type_name(ProviderTransactionType type) noexcept;

// One money movement at a provider: the payment's or the refund's provider id.
struct ProviderTransaction {
    ProviderTransactionType type{};
    std::string reference;
    Money amount;
    friend bool operator==(const ProviderTransaction&, const ProviderTransaction&) = default;
};

struct ReconciliationMismatch {
    ProviderTransaction in_file;
    ProviderTransaction in_ledger;
    friend bool operator==(const ReconciliationMismatch&, const ReconciliationMismatch&) = default;
};

struct Reconciliation {
    std::vector<ProviderTransaction> matched;
    std::vector<ProviderTransaction> missing_in_ledger;  // in the file only
    std::vector<ProviderTransaction> missing_in_file;    // in the ledger only
    std::vector<ReconciliationMismatch> mismatched;      // same reference, other amount, currency or type
    bool clean() const { return missing_in_ledger.empty() && missing_in_file.empty() && mismatched.empty(); }
    friend bool operator==(const Reconciliation&, const Reconciliation&) = default;
};

// ---------------------------------------------------------------------------------------

// Platform staff may read the platform's reports and any shop's; a shop's owner and staff
// their own shop's; reconciliation is platform staff's only.
class Reports {
public:
    static constexpr std::size_t max_top_products = 1000;
    static constexpr std::size_t max_settlement_file_bytes = 16 * 1024 * 1024;

    // One summary per currency traded in the period, by currency code.
    std::vector<SalesSummary> summary(const Actor& actor, const ReportPeriod& period) const;
    // Days with any sale or refund, oldest first (then by currency).
    std::vector<DailySales> sales_by_day(const Actor& actor, const ReportPeriod& period) const;
    // Every category with sales, by category id (then currency).
    std::vector<CategorySales> sales_by_category(const Actor& actor, const ReportPeriod& period) const;
    // Best sellers: by sales descending, then units descending, then product id; 1..max_top_products.
    std::vector<ProductSales> top_products(const Actor& actor, const ReportPeriod& period, std::size_t limit) const;

    // The same reports as CSV (RFC 4180, a header row, amounts as decimals of their currency).
    std::string summary_csv(const Actor& actor, const ReportPeriod& period) const;
    std::string sales_by_day_csv(const Actor& actor, const ReportPeriod& period) const;
    std::string sales_by_category_csv(const Actor& actor, const ReportPeriod& period) const;
    std::string top_products_csv(const Actor& actor, const ReportPeriod& period, std::size_t limit) const;

    // Compares `provider`'s settlement file (CSV with the columns type, reference, amount and
    // currency; docs/reports.md) with the captures and refunds the ledger posted through that
    // provider in [from, until). A malformed file is refused with invalid_argument naming its
    // line and column. Platform staff only.
    Reconciliation reconcile(const Actor& actor, const std::string& provider, std::string_view settlement_file,
                             Timestamp from, Timestamp until) const;

    // Internal: the Marketplace builds it.
    explicit Reports(detail::Kernel& kernel);

private:
    detail::Kernel* kernel_;
};

}  // namespace souk
