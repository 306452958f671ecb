#include "inventory/stock_moves.hpp"

#include <cassert>
#include <cstdlib>
#include <tuple>

#include <fmt/format.h>

#include "catalog/lookup.hpp"
#include "inventory/events.hpp"
#include "souk/error.hpp"
#include "validate.hpp"

namespace souk::detail {
namespace {

[[noreturn]] void invalid(std::string message) { throw Error(Errc::invalid_argument, message); }

void require_line_count(std::size_t count) {
    if (count == 0 || count > Inventory::max_lines)
        invalid(fmt::format("a stock operation names 1..{} SKUs, not {}", Inventory::max_lines, count));
}

// One line per SKU, by SKU id, quantities added together.
std::vector<StockLine> merged_lines(const std::vector<StockLine>& lines) {
    require_line_count(lines.size());
    std::map<SkuId, std::int64_t> totals;  // at most 200 × max_quantity: cannot overflow
    for (const auto& line : lines) {
        if (line.quantity < 1 || line.quantity > Inventory::max_quantity)
            invalid(fmt::format("quantity {} of SKU {} is outside 1..{}", line.quantity, line.sku,
                                Inventory::max_quantity));
        totals[line.sku] += line.quantity;
    }
    std::vector<StockLine> merged;
    for (const auto& [sku, quantity] : totals) {
        if (quantity > Inventory::max_quantity)
            invalid(fmt::format("SKU {} is asked for {} units, more than {}", sku, quantity, Inventory::max_quantity));
        merged.push_back({sku, quantity});
    }
    return merged;
}

// One change per SKU, by SKU id, deltas added together; SKUs whose deltas cancel out are left out.
std::vector<StockChange> merged_changes(const std::vector<StockChange>& changes) {
    require_line_count(changes.size());
    std::map<SkuId, std::int64_t> totals;  // at most 200 × max_on_hand either way: cannot overflow
    for (const auto& change : changes) {
        if (change.delta == 0 || std::llabs(change.delta) > Inventory::max_on_hand)
            invalid(fmt::format("stock change {} of SKU {} is zero or beyond ±{}", change.delta, change.sku,
                                Inventory::max_on_hand));
        totals[change.sku] += change.delta;
    }
    std::vector<StockChange> merged;
    for (const auto& [sku, delta] : totals)
        if (delta != 0) merged.push_back({sku, delta});
    if (merged.empty()) invalid("the stock changes cancel each other out");
    return merged;
}

void require_open_shop(const State& state, const SkuRecord& sku) {
    const auto* shop = state.shops.find(sku.shop);
    assert(shop);
    if (shop->status == ShopStatus::closed)
        throw Error(Errc::invalid_state, fmt::format("shop {} is closed: its stock is frozen", sku.shop));
}

}  // namespace

StockMoves::StockMoves(const State& state, EventSink& out)
    : state_(state), out_(out), last_reservation_(state.inventory.last_reservation) {}

StockMoves::Counts StockMoves::counts(SkuId sku) const {
    Counts result;
    if (const auto* record = state_.inventory.find(sku)) result = {record->on_hand, record->reserved};
    if (const auto it = moved_.find(sku); it != moved_.end()) {
        result.on_hand += it->second.on_hand;
        result.reserved += it->second.reserved;
    }
    assert(0 <= result.reserved && result.reserved <= result.on_hand);
    return result;
}

void StockMoves::move(const std::vector<StockLine>& lines, std::int64_t on_hand_sign, std::int64_t reserved_sign) {
    for (const auto& line : lines) {
        auto& moved = moved_[line.sku];
        moved.on_hand += on_hand_sign * line.quantity;
        moved.reserved += reserved_sign * line.quantity;
    }
}

void StockMoves::adjust(const std::vector<StockChange>& changes, const std::string& reason) {
    require_text("reason", reason, 1, 200);
    const auto merged = merged_changes(changes);
    for (const auto& change : merged) {
        require_open_shop(state_, sku_or_throw(state_.catalog, change.sku));
        const auto now = counts(change.sku);
        const auto on_hand = now.on_hand + change.delta;
        if (on_hand < now.reserved)
            throw Error(Errc::insufficient_stock,
                        fmt::format("SKU {} has {} units on hand of which {} are reserved: it cannot change by {}",
                                    change.sku, now.on_hand, now.reserved, change.delta));
        if (on_hand > Inventory::max_on_hand)
            throw Error(Errc::limit_exceeded, fmt::format("SKU {} would have {} units on hand, more than {}",
                                                          change.sku, on_hand, Inventory::max_on_hand));
    }
    StockAdjusted event{{}, reason};
    for (const auto& change : merged) {
        event.changes.push_back({change.sku, change.delta});
        moved_[change.sku].on_hand += change.delta;
    }
    out_.emit(event);
}

ReservationId StockMoves::reserve(const ReservationOwner& owner, const std::vector<StockLine>& lines,
                                  Timestamp expires_at) {
    const auto merged = merged_lines(lines);
    if (owner.holder != ReservationHolder::shop && owner.holder != ReservationHolder::order &&
        owner.holder != ReservationHolder::flash_sale)
        invalid(fmt::format("unknown reservation holder {}", static_cast<int>(owner.holder)));
    if (owner.id == 0) invalid("a reservation's owner needs an id");
    const auto now = out_.now();
    if (expires_at <= now || expires_at > now + Inventory::max_reservation_lifetime)
        invalid(fmt::format("a reservation expires after now and within {} days, not at {}",
                            std::chrono::duration_cast<std::chrono::days>(Inventory::max_reservation_lifetime).count(),
                            format_timestamp(expires_at)));
    ShopId shop;
    for (const auto& line : merged) {
        const auto& sku = sku_or_throw(state_.catalog, line.sku);
        if (sku.dropped)
            throw Error(Errc::invalid_state, fmt::format("SKU {} was dropped from product {}", sku.id, sku.product));
        if (shop && sku.shop != shop)
            invalid(fmt::format("a reservation holds one shop's stock: SKU {} is of shop {}, SKU {} of shop {}",
                                merged.front().sku, shop, sku.id, sku.shop));
        shop = sku.shop;
        require_open_shop(state_, sku);
        const auto now_counts = counts(line.sku);
        const auto available = now_counts.on_hand - now_counts.reserved;
        if (available < line.quantity)
            throw Error(Errc::insufficient_stock, fmt::format("SKU {} has {} units available, not {}", line.sku,
                                                              available, line.quantity));
    }
    if (owner.holder == ReservationHolder::shop && owner.id != shop.value)
        invalid(fmt::format("shop {} cannot hold stock of shop {}", owner.id, shop));
    const ReservationId id{++last_reservation_};
    out_.emit(StockReserved{id, owner.holder, owner.id, StockLineFields::from(merged), expires_at});
    move(merged, 0, +1);
    made_.emplace(id, ReservationRecord{id, shop, owner, merged, ReservationStatus::open, now, expires_at, {}});
    return id;
}

const ReservationRecord& StockMoves::open_reservation(ReservationId reservation) const {
    const auto made = made_.find(reservation);
    const auto* record = made != made_.end() ? &made->second : state_.inventory.find_reservation(reservation);
    if (!record) throw Error(Errc::not_found, fmt::format("no reservation {}", reservation));
    const auto closed = closed_.find(reservation);
    const auto status = closed != closed_.end() ? closed->second : record->status;
    if (status != ReservationStatus::open)
        throw Error(Errc::invalid_state, fmt::format("reservation {} is {}: only an open reservation can be released "
                                                     "or committed", reservation, reservation_status_name(status)));
    return *record;
}

ReservationId StockMoves::newest_for(const ReservationOwner& owner, ReservationId before) const {
    for (auto it = made_.rbegin(); it != made_.rend(); ++it)
        if (it->second.owner == owner) return it->first;
    return before;
}

void StockMoves::release(ReservationId reservation) {
    close(open_reservation(reservation), ReservationStatus::released);
}

void StockMoves::commit(ReservationId reservation) {
    close(open_reservation(reservation), ReservationStatus::committed);
}

std::size_t StockMoves::expire_due(Timestamp now, std::size_t limit) {
    const auto& due = state_.inventory.reservations.get<by_due>();
    const auto last = due.upper_bound(std::make_tuple(ReservationStatus::open, now));
    std::size_t expired = 0;
    for (auto it = due.lower_bound(std::make_tuple(ReservationStatus::open)); it != last && expired < limit; ++it) {
        if (closed_.contains(it->id)) continue;
        close(*it, ReservationStatus::expired);
        ++expired;
    }
    return expired;
}

void StockMoves::close(const ReservationRecord& reservation, ReservationStatus to) {
    assert(to != ReservationStatus::open && reservation.status == ReservationStatus::open);
    const auto lines = StockLineFields::from(reservation.lines);
    if (to == ReservationStatus::committed) {
        out_.emit(StockCommitted{reservation.id, lines});
        move(reservation.lines, -1, -1);
    } else {
        out_.emit(StockReleased{reservation.id, to == ReservationStatus::expired, lines});
        move(reservation.lines, 0, -1);
    }
    closed_[reservation.id] = to;
}

std::vector<StockLineFields> StockLineFields::from(const std::vector<StockLine>& lines) {
    std::vector<StockLineFields> fields;
    for (const auto& line : lines) fields.push_back({line.sku, line.quantity});
    return fields;
}

std::vector<StockLine> StockLineFields::to(const std::vector<StockLineFields>& lines) {
    std::vector<StockLine> result;
    for (const auto& line : lines) result.push_back({line.sku, line.quantity});
    return result;
}

}  // namespace souk::detail
