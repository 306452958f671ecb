// Reconciliation: a provider's settlement file against the captures and refunds the ledger
// posted through that provider's clearing account.
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "reports/csv.hpp"
#include "souk/error.hpp"
#include "souk/reports.hpp"

namespace souk {
namespace {

using detail::State;

constexpr std::size_t max_reference_length = 200;

// The provider's transactions as the ledger has them, in the order first posted.
class LedgerSide {
public:
    void add(ProviderTransactionType type, const std::string& reference, const Money& amount) {
        const auto [it, added] = index_.emplace(reference, transactions_.size());
        if (added)
            transactions_.push_back({type, reference, amount});
        else
            transactions_[it->second].amount += amount;  // one payment paid several sub-orders
    }
    const ProviderTransaction* find(const std::string& reference) const {
        const auto it = index_.find(reference);
        return it == index_.end() ? nullptr : &transactions_[it->second];
    }
    const std::vector<ProviderTransaction>& transactions() const { return transactions_; }

private:
    std::vector<ProviderTransaction> transactions_;
    std::map<std::string, std::size_t> index_;
};

// The provider's id of the money a posting moved through clearing.
std::pair<ProviderTransactionType, std::string> transaction_of(const State& s, const Posting& posting) {
    if (posting.cause_event == "RefundSucceeded")
        return {ProviderTransactionType::refund, s.orders.find(RefundId{posting.cause.id})->provider_refund_id};
    if (posting.cause_event == "OrderPaid") {
        const auto& order = *s.orders.find(s.orders.find(SubOrderId{posting.cause.id})->order);
        return {ProviderTransactionType::capture, order.attempt(order.paid_by)->provider_payment_id};
    }
    // PaymentCaptured: a payment the order could not take. Each such posting of an order was
    // written with the reversal that returns it, so the k-th posting is the k-th reversal's.
    const auto& order = *s.orders.find(PaymentOrderId{posting.cause.id});
    const auto& numbers = s.ledger.by_cause.at(posting.cause);
    const auto k = static_cast<std::size_t>(std::find(numbers.begin(), numbers.end(), posting.number) - numbers.begin());
    return {ProviderTransactionType::capture, s.orders.find(order.reversals.at(k))->provider_payment_id};
}

LedgerSide ledger_side(const State& s, const std::string& provider, Timestamp from, Timestamp until) {
    LedgerSide side;
    for (const auto& posting : s.ledger.postings) {
        if (posting.posted_at < from || posting.posted_at >= until) continue;
        for (const auto& entry : posting.entries) {
            if (entry.account.kind != LedgerAccountKind::payment_clearing || entry.account.provider != provider) continue;
            const auto [type, reference] = transaction_of(s, posting);
            // Clearing is debit-normal: a capture debits it, a refund credits it.
            side.add(type, reference, type == ProviderTransactionType::capture ? entry.amount : -entry.amount);
        }
    }
    return side;
}

constexpr std::array<std::string_view, 4> required_columns{"type", "reference", "amount", "currency"};

Error malformed(std::size_t line, std::size_t column, std::string_view name, std::string_view problem) {
    return Error(Errc::invalid_argument, fmt::format("line {}, column {} ({}): {}", line, column, name, problem));
}

std::vector<ProviderTransaction> read_settlement_file(std::string_view text) {
    if (text.size() > Reports::max_settlement_file_bytes)
        throw Error(Errc::limit_exceeded, fmt::format("a settlement file is at most {} bytes, this one has {}",
                                                      Reports::max_settlement_file_bytes, text.size()));
    const auto records = detail::parse_csv(text);
    if (records.empty())
        throw Error(Errc::invalid_argument, "line 1: the settlement file is empty; a header row is expected");
    const auto& header = records.front().fields;
    std::array<std::size_t, required_columns.size()> position{};
    for (std::size_t c = 0; c < required_columns.size(); ++c) {
        const auto found = std::find(header.begin(), header.end(), required_columns[c]);
        if (found == header.end())
            throw Error(Errc::invalid_argument,
                        fmt::format("line 1: the header has no column '{}' (type, reference, amount and currency are required)",
                                    required_columns[c]));
        if (std::find(found + 1, header.end(), required_columns[c]) != header.end())
            throw Error(Errc::invalid_argument, fmt::format("line 1: the header names column '{}' twice", required_columns[c]));
        position[c] = static_cast<std::size_t>(found - header.begin());
    }

    std::vector<ProviderTransaction> rows;
    std::map<std::string, std::size_t> line_of_reference;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& record = records[r];
        if (record.fields.size() != header.size())
            throw Error(Errc::invalid_argument, fmt::format("line {}: {} fields, but the header has {}", record.line,
                                                            record.fields.size(), header.size()));
        const auto field = [&](std::size_t c) -> const std::string& { return record.fields[position[c]]; };
        const auto fail = [&](std::size_t c, std::string_view problem) {
            return malformed(record.line, position[c] + 1, required_columns[c], problem);
        };

        ProviderTransaction row;
        if (field(0) == "capture")
            row.type = ProviderTransactionType::capture;
        else if (field(0) == "refund")
            row.type = ProviderTransactionType::refund;
        else
            throw fail(0, fmt::format("'{}' is neither capture nor refund", field(0)));

        row.reference = field(1);
        if (row.reference.empty() || row.reference.size() > max_reference_length)
            throw fail(1, fmt::format("a reference is 1..{} characters", max_reference_length));
        if (const auto [it, added] = line_of_reference.emplace(row.reference, record.line); !added)
            throw fail(1, fmt::format("'{}' is already on line {}", row.reference, it->second));

        Currency currency;
        try {
            currency = Currency::of(field(3));
        } catch (const Error&) {
            throw fail(3, fmt::format("'{}' is not an ISO 4217 currency code", field(3)));
        }
        try {
            row.amount = Money::parse(field(2), currency);
        } catch (const Error&) {
            throw fail(2, fmt::format("'{}' is not an amount of {} (at most {} decimals)", field(2), currency.code(),
                                      currency.exponent()));
        }
        if (row.amount.minor_units() <= 0) throw fail(2, "an amount must be positive");
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

std::string_view provider_transaction_type_name(ProviderTransactionType type) noexcept {
    switch (type) {
        case ProviderTransactionType::capture: return "capture";
        case ProviderTransactionType::refund: return "refund";
    }
    return "unknown";
}

Reconciliation Reports::reconcile(const Actor& actor, const std::string& provider, std::string_view settlement_file,
                                  Timestamp from, Timestamp until) const {
    if (until <= from)
        throw Error(Errc::invalid_argument, fmt::format("a reconciliation period must end after it begins: {} is not after {}",
                                                        format_timestamp(until), format_timestamp(from)));
    return kernel_->read([&](const State& s) {
        detail::require_platform_staff(s, actor, "reconcile a provider's settlement file");
        const auto rows = read_settlement_file(settlement_file);
        const auto ledger = ledger_side(s, provider, from, until);
        Reconciliation result;
        std::set<std::string> in_file;
        for (const auto& row : rows) {
            in_file.insert(row.reference);
            const auto* booked = ledger.find(row.reference);
            if (!booked)
                result.missing_in_ledger.push_back(row);
            else if (*booked == row)
                result.matched.push_back(row);
            else
                result.mismatched.push_back({row, *booked});
        }
        for (const auto& booked : ledger.transactions())
            if (!in_file.contains(booked.reference)) result.missing_in_file.push_back(booked);
        return result;
    });
}

}  // namespace souk
