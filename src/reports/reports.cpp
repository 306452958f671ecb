// Reports: the period's figures, gathered from the sub-orders, refunds and postings under
// one read of the state, so that they agree with the ledger to the minor unit.
#include "souk/reports.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "ledger/owner.hpp"
#include "reports/csv.hpp"
#include "souk/error.hpp"

namespace souk {
namespace {

using detail::State;
using detail::SubOrderRecord;

void require_valid(const ReportPeriod& period) {
    if (period.until <= period.from)
        throw Error(Errc::invalid_argument, fmt::format("a report period must end after it begins: {} is not after {}",
                                                        format_timestamp(period.until), format_timestamp(period.from)));
    if (period.utc_offset_minutes < -ReportPeriod::max_utc_offset_minutes ||
        period.utc_offset_minutes > ReportPeriod::max_utc_offset_minutes)
        throw Error(Errc::invalid_argument, fmt::format("a UTC offset is -{0}..{0} minutes, not {1}",
                                                        ReportPeriod::max_utc_offset_minutes, period.utc_offset_minutes));
}

void require_reader(const State& s, const Actor& actor, const ReportPeriod& period) {
    if (!period.shop) {
        detail::require_platform_staff(s, actor, "read the platform's reports");
        return;
    }
    if (!s.shops.find(*period.shop)) throw Error(Errc::not_found, fmt::format("no shop {}", *period.shop));
    if (detail::is_platform_staff(s, actor) || detail::is_shop_member(s, *period.shop, actor)) return;
    throw Error(Errc::forbidden,
                fmt::format("only platform staff and shop {}'s owner and staff may read its reports", *period.shop));
}

bool within(const ReportPeriod& period, Timestamp t) { return period.from <= t && t < period.until; }
bool within(const ReportPeriod& period, const std::optional<Timestamp>& t) { return t && within(period, *t); }

// Calls f for every sub-order of the report's scope paid in the period.
template <class F>
void for_each_paid(const State& s, const ReportPeriod& period, F&& f) {
    const auto visit = [&](const SubOrderRecord& sub_order) {
        if (within(period, sub_order.paid_at)) f(sub_order);
    };
    if (!period.shop) {
        for (const auto& sub_order : s.orders.sub_orders) visit(sub_order);
        return;
    }
    // Paid no earlier than placed: a shop's sub-orders placed before `until` are enough.
    const auto& by_shop = s.orders.sub_orders.get<detail::by_sub_order_shop>();
    const auto last = by_shop.lower_bound(std::make_tuple(*period.shop, period.until));
    for (auto it = by_shop.lower_bound(std::make_tuple(*period.shop)); it != last; ++it) visit(*it);
}

// Calls f for every refund of an order in the report's scope that the provider confirmed in
// the period (reversals of payments no order took are not sales, so not refunds of them).
template <class F>
void for_each_refund(const State& s, const ReportPeriod& period, F&& f) {
    for (const auto& [id, refund] : s.orders.refunds) {
        if (refund.kind == RefundKind::reversal || refund.state != RefundState::succeeded) continue;
        if (!within(period, refund.settled_at)) continue;
        if (!period.shop || s.orders.find(*refund.sub_order)->shop == *period.shop) f(refund);
    }
}

// Calls f for every posting in the period whose cause is in the report's scope.
template <class F>
void for_each_posting(const State& s, const ReportPeriod& period, F&& f) {
    for (const auto& posting : s.ledger.postings)
        if (within(period, posting.posted_at) &&
            (!period.shop || detail::shop_of_cause(s, posting.cause) == period.shop))
            f(posting);
}

SalesSummary& summary_in(std::map<std::string, SalesSummary, std::less<>>& by_currency, Currency currency) {
    const auto code = std::string(currency.code());
    auto it = by_currency.find(code);
    if (it == by_currency.end()) {
        const auto zero = Money::zero(currency);
        it = by_currency.emplace(code, SalesSummary{currency, zero, 0, zero, zero, 0, 0, zero, zero, zero}).first;
    }
    return it->second;
}

std::vector<SalesSummary> summarize(const State& s, const ReportPeriod& period) {
    std::map<std::string, SalesSummary, std::less<>> by_currency;
    for_each_paid(s, period, [&](const SubOrderRecord& sub_order) {
        auto& summary = summary_in(by_currency, sub_order.payable.currency());
        summary.gmv += sub_order.payable;
        ++summary.paid_orders;
    });
    for_each_refund(s, period, [&](const RefundInfo& refund) {
        auto& summary = summary_in(by_currency, refund.amount.currency());
        summary.refunds += refund.amount;
        ++summary.refund_count;
    });
    for_each_posting(s, period, [&](const Posting& posting) {
        for (const auto& entry : posting.entries) {
            switch (entry.account.kind) {
                case LedgerAccountKind::platform_commission:  // credit-normal: a credit is a positive entry's negation
                    summary_in(by_currency, entry.amount.currency()).commission -= entry.amount;
                    break;
                case LedgerAccountKind::platform_promotion:
                    summary_in(by_currency, entry.amount.currency()).subsidies += entry.amount;
                    break;
                case LedgerAccountKind::payouts_disbursed:
                    summary_in(by_currency, entry.amount.currency()).payouts -= entry.amount;
                    break;
                default: break;
            }
        }
    });
    std::vector<SalesSummary> summaries;
    for (auto& [code, summary] : by_currency) {
        if (summary.paid_orders > 0) summary.average_order_value = summary.gmv.scaled(1, summary.paid_orders);
        if (!summary.gmv.is_zero())
            summary.refund_rate_bps =
                static_cast<int>(summary.refunds.scaled(10000, summary.gmv.minor_units()).minor_units());
        summaries.push_back(summary);
    }
    return summaries;
}

std::string day_of(Timestamp t, int utc_offset_minutes) {
    const auto local = t + std::chrono::minutes(utc_offset_minutes);
    const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(local)};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                       static_cast<unsigned>(date.day()));
}

std::vector<DailySales> daily(const State& s, const ReportPeriod& period) {
    std::map<std::pair<std::string, std::string>, DailySales> by_day;
    const auto day_in = [&](Timestamp t, Currency currency) -> DailySales& {
        auto key = std::make_pair(day_of(t, period.utc_offset_minutes), std::string(currency.code()));
        auto it = by_day.find(key);
        if (it == by_day.end())
            it = by_day.emplace(key, DailySales{key.first, currency, Money::zero(currency), 0, Money::zero(currency)}).first;
        return it->second;
    };
    for_each_paid(s, period, [&](const SubOrderRecord& sub_order) {
        auto& day = day_in(*sub_order.paid_at, sub_order.payable.currency());
        day.gmv += sub_order.payable;
        ++day.paid_orders;
    });
    for_each_refund(s, period, [&](const RefundInfo& refund) {
        day_in(*refund.settled_at, refund.amount.currency()).refunds += refund.amount;
    });
    std::vector<DailySales> days;
    for (auto& [key, day] : by_day) days.push_back(std::move(day));
    return days;
}

// Calls f(sub_order, line) for every line of the sub-orders paid in the period.
template <class F>
void for_each_paid_line(const State& s, const ReportPeriod& period, F&& f) {
    for_each_paid(s, period, [&](const SubOrderRecord& sub_order) {
        for (const auto& line : sub_order.lines) f(sub_order, line);
    });
}

std::vector<CategorySales> by_category(const State& s, const ReportPeriod& period) {
    std::map<std::pair<CategoryId, std::string>, CategorySales> sales;
    for_each_paid_line(s, period, [&](const SubOrderRecord&, const OrderLine& line) {
        const auto category = s.catalog.find_product(line.product)->category;
        const auto key = std::make_pair(category, std::string(line.paid_share.currency().code()));
        auto it = sales.find(key);
        if (it == sales.end()) {
            const auto* record = s.catalog.find_category(category);
            it = sales.emplace(key, CategorySales{category, record ? record->name : std::string(),
                                                  line.paid_share.currency(), Money::zero(line.paid_share.currency()), 0})
                     .first;
        }
        it->second.sales += line.paid_share;
        it->second.units += line.quantity;
    });
    std::vector<CategorySales> rows;
    for (auto& [key, row] : sales) rows.push_back(std::move(row));
    return rows;
}

std::vector<ProductSales> best_sellers(const State& s, const ReportPeriod& period, std::size_t limit) {
    std::map<std::pair<ProductId, std::string>, ProductSales> sales;
    for_each_paid_line(s, period, [&](const SubOrderRecord& sub_order, const OrderLine& line) {
        const auto currency = line.paid_share.currency();
        const auto key = std::make_pair(line.product, std::string(currency.code()));
        auto it = sales.find(key);
        if (it == sales.end())
            it = sales.emplace(key, ProductSales{line.product, sub_order.shop, line.title, currency, Money::zero(currency), 0})
                     .first;
        it->second.sales += line.paid_share;
        it->second.units += line.quantity;
    });
    std::vector<ProductSales> rows;
    for (auto& [key, row] : sales) rows.push_back(std::move(row));
    std::sort(rows.begin(), rows.end(), [](const ProductSales& a, const ProductSales& b) {
        if (a.currency != b.currency) return a.currency.code() < b.currency.code();
        return std::make_tuple(b.sales.minor_units(), b.units, a.product) <
               std::make_tuple(a.sales.minor_units(), a.units, b.product);
    });
    // The best `limit` of each currency.
    std::vector<ProductSales> top;
    std::size_t taken = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i > 0 && rows[i].currency != rows[i - 1].currency) taken = 0;
        if (taken++ < limit) top.push_back(std::move(rows[i]));
    }
    return top;
}

void require_limit(std::size_t limit) {
    if (limit == 0 || limit > Reports::max_top_products)
        throw Error(Errc::invalid_argument,
                    fmt::format("top products are 1..{} per currency, not {}", Reports::max_top_products, limit));
}

std::string count(std::int64_t n) { return std::to_string(n); }

}  // namespace

Reports::Reports(detail::Kernel& kernel) : kernel_(&kernel) {}

std::vector<SalesSummary> Reports::summary(const Actor& actor, const ReportPeriod& period) const {
    require_valid(period);
    return kernel_->read([&](const State& s) {
        require_reader(s, actor, period);
        return summarize(s, period);
    });
}

std::vector<DailySales> Reports::sales_by_day(const Actor& actor, const ReportPeriod& period) const {
    require_valid(period);
    return kernel_->read([&](const State& s) {
        require_reader(s, actor, period);
        return daily(s, period);
    });
}

std::vector<CategorySales> Reports::sales_by_category(const Actor& actor, const ReportPeriod& period) const {
    require_valid(period);
    return kernel_->read([&](const State& s) {
        require_reader(s, actor, period);
        return by_category(s, period);
    });
}

std::vector<ProductSales> Reports::top_products(const Actor& actor, const ReportPeriod& period, std::size_t limit) const {
    require_valid(period);
    require_limit(limit);
    return kernel_->read([&](const State& s) {
        require_reader(s, actor, period);
        return best_sellers(s, period, limit);
    });
}

std::string Reports::summary_csv(const Actor& actor, const ReportPeriod& period) const {
    std::string csv;
    detail::append_csv_record(csv, {"currency", "gmv", "paid_orders", "average_order_value", "refunds", "refund_count",
                                    "refund_rate_bps", "commission", "subsidies", "payouts"});
    for (const auto& r : summary(actor, period))
        detail::append_csv_record(csv, {r.currency.code(), r.gmv.to_decimal(), count(r.paid_orders),
                                        r.average_order_value.to_decimal(), r.refunds.to_decimal(), count(r.refund_count),
                                        count(r.refund_rate_bps), r.commission.to_decimal(), r.subsidies.to_decimal(),
                                        r.payouts.to_decimal()});
    return csv;
}

std::string Reports::sales_by_day_csv(const Actor& actor, const ReportPeriod& period) const {
    std::string csv;
    detail::append_csv_record(csv, {"day", "currency", "gmv", "paid_orders", "refunds"});
    for (const auto& r : sales_by_day(actor, period))
        detail::append_csv_record(
            csv, {r.day, r.currency.code(), r.gmv.to_decimal(), count(r.paid_orders), r.refunds.to_decimal()});
    return csv;
}

std::string Reports::sales_by_category_csv(const Actor& actor, const ReportPeriod& period) const {
    std::string csv;
    detail::append_csv_record(csv, {"category", "name", "currency", "sales", "units"});
    for (const auto& r : sales_by_category(actor, period))
        detail::append_csv_record(
            csv, {std::to_string(r.category.value), r.name, r.currency.code(), r.sales.to_decimal(), count(r.units)});
    return csv;
}

std::string Reports::top_products_csv(const Actor& actor, const ReportPeriod& period, std::size_t limit) const {
    std::string csv;
    detail::append_csv_record(csv, {"rank", "product", "shop", "title", "currency", "sales", "units"});
    std::int64_t rank = 0;
    std::optional<Currency> currency;
    for (const auto& r : top_products(actor, period, limit)) {
        rank = currency == r.currency ? rank + 1 : 1;  // ranks restart with each currency
        currency = r.currency;
        detail::append_csv_record(csv, {count(rank), std::to_string(r.product.value),
                                        std::to_string(r.shop.value), r.title, r.currency.code(),
                                        r.sales.to_decimal(), count(r.units)});
    }
    return csv;
}

}  // namespace souk
