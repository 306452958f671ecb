// How flash sale events change the state. Like every apply, these cannot fail for events a
// command validated; an impossible event means a damaged journal.
#include "kernel/state.hpp"
#include "promotions/flash_events.hpp"

namespace souk::detail {
namespace {

FlashSaleRecord& sale_row(State& state, FlashSaleId id, std::string_view what) {
    const auto it = state.flash_sales.sales.find(id);
    require_consistent(it != state.flash_sales.sales.end(), what);
    return it->second;
}

std::int64_t units_in(const std::vector<FlashUnitsFields>& units) {
    std::int64_t sum = 0;
    for (const auto& unit : units) sum += unit.quantity;
    return sum;
}

}  // namespace

void FlashSaleCreated::apply(State& state, const EventContext& context) const {
    auto& f = state.flash_sales;
    require_consistent(sale.value == f.last_sale + 1 && !items.empty(), "flash sale ids run in sequence");
    FlashSaleRecord record;
    record.id = sale;
    record.shop = shop;
    record.spec = FlashSaleSpec{title, {}, starts_at, ends_at, per_customer_limit, payment_timeout};
    for (const auto& item : items) record.spec.items.push_back({item.sku, item.price, item.quantity});
    record.reservation = reservation;
    record.created_at = context.time;
    f.sales.emplace(sale, std::move(record));
    f.by_shop[shop].push_back(sale);
    f.last_sale = sale.value;
}

void FlashSaleUnitsTaken::apply(State& state, const EventContext&) const {
    auto& record = sale_row(state, sale, "FlashSaleUnitsTaken of an unknown sale");
    require_consistent(!units.empty() && !record.taken_by_order.contains(order),
                       "FlashSaleUnitsTaken without units, or twice for one order");
    record.held[customer] += units_in(units);
    auto& taken = record.taken_by_order[order];
    for (const auto& unit : units) taken.push_back({unit.sku, unit.quantity});
    record.reservation = reservation;
    state.flash_sales.by_order[order] = sale;
}

void FlashSaleUnitsReturned::apply(State& state, const EventContext&) const {
    auto& record = sale_row(state, sale, "FlashSaleUnitsReturned of an unknown sale");
    const auto it = record.taken_by_order.find(order);
    require_consistent(it != record.taken_by_order.end(), "FlashSaleUnitsReturned of an order that took none");
    auto& held = record.held[customer];
    held -= units_in(units);
    require_consistent(held >= 0, "FlashSaleUnitsReturned of more units than the customer held");
    if (held == 0) record.held.erase(customer);
    record.taken_by_order.erase(it);
    record.reservation = reservation;
    state.flash_sales.by_order.erase(order);
}

}  // namespace souk::detail
