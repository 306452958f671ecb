#include "souk/inventory.hpp"

#include <cassert>
#include <cstdlib>

#include <fmt/format.h>

#include "catalog/lookup.hpp"
#include "inventory/events.hpp"
#include "inventory/stock_moves.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "search/sync.hpp"
#include "souk/error.hpp"
#include "validate.hpp"

namespace souk {

std::string_view reservation_holder_name(ReservationHolder holder) noexcept {
    switch (holder) {
        case ReservationHolder::shop: return "shop";
        case ReservationHolder::order: return "order";
        case ReservationHolder::flash_sale: return "flash sale";
    }
    return "unknown";
}

std::string_view reservation_status_name(ReservationStatus status) noexcept {
    switch (status) {
        case ReservationStatus::open: return "open";
        case ReservationStatus::released: return "released";
        case ReservationStatus::expired: return "expired";
        case ReservationStatus::committed: return "committed";
    }
    return "unknown";
}

namespace {

using detail::ReservationRecord;
using detail::State;

// How many reservations one tick command expires; tick runs as many commands as it needs.
constexpr std::size_t expiries_per_command = 500;

void require_stock_reader(const State& s, ShopId shop, const Actor& actor) {
    if (detail::is_platform_staff(s, actor) || detail::is_shop_member(s, shop, actor)) return;
    throw Error(Errc::forbidden, fmt::format("only the staff of shop {} and platform staff may see its stock", shop));
}

const detail::ShopRecord& shop_or_throw(const State& s, ShopId shop) {
    const auto* record = s.shops.find(shop);
    if (!record) throw Error(Errc::not_found, fmt::format("no shop {}", shop));
    return *record;
}

// A shop's hold, which its members may release or commit; an order's reservation is its order's to close.
const ReservationRecord& shop_hold(const State& s, ReservationId reservation, const Actor& actor) {
    const auto* record = s.inventory.find_reservation(reservation);
    if (!record) throw Error(Errc::not_found, fmt::format("no reservation {}", reservation));
    detail::require_shop_member(s, record->shop, actor, "manage its stock");
    if (record->owner.holder != ReservationHolder::shop)
        throw Error(Errc::forbidden, fmt::format("reservation {} holds stock for {} {}: only it releases or commits it",
                                                 reservation, reservation_holder_name(record->owner.holder),
                                                 record->owner.id));
    return *record;
}

StockLevel level_of(const State& s, const detail::SkuRecord& sku) {
    StockLevel level{sku.id, sku.product, sku.shop, 0, 0, 0, 0, {}, sku.dropped};
    if (const auto* stock = s.inventory.find(sku.id)) {
        level.on_hand = stock->on_hand;
        level.reserved = stock->reserved;
        level.available = stock->available();
        level.sold = stock->sold;
        level.low_stock_threshold = stock->low_stock_threshold;
    }
    return level;
}

ReservationInfo info_of(const ReservationRecord& r) {
    return {r.id, r.shop, r.owner, r.lines, r.status, r.created_at, r.expires_at, r.closed_at};
}

}  // namespace

void Inventory::adjust(const Actor& actor, const std::vector<StockChange>& changes, const std::string& reason) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        for (const auto& change : changes)
            detail::require_shop_member(s, detail::sku_or_throw(s.catalog, change.sku).shop, actor, "manage its stock");
        detail::StockMoves(s, out).adjust(changes, reason);
    });
}

ReservationId Inventory::reserve(const Actor& actor, const std::vector<StockLine>& lines, Timestamp expires_at) {
    return kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        if (lines.empty()) throw Error(Errc::invalid_argument, "a reservation needs at least one line");
        const auto shop = detail::sku_or_throw(s.catalog, lines.front().sku).shop;
        detail::require_shop_member(s, shop, actor, "manage its stock");
        return detail::StockMoves(s, out).reserve({ReservationHolder::shop, shop.value}, lines, expires_at);
    });
}

void Inventory::release(const Actor& actor, ReservationId reservation) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        shop_hold(s, reservation, actor);
        detail::StockMoves(s, out).release(reservation);
    });
}

void Inventory::commit(const Actor& actor, ReservationId reservation) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        shop_hold(s, reservation, actor);
        detail::StockMoves(s, out).commit(reservation);
    });
}

void Inventory::set_low_stock_threshold(const Actor& actor, SkuId sku, std::optional<std::int64_t> threshold) {
    if (threshold && (*threshold < 0 || *threshold > max_on_hand))
        throw Error(Errc::invalid_argument,
                    fmt::format("low-stock threshold {} is outside 0..{}", *threshold, max_on_hand));
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::sku_or_throw(s.catalog, sku);
        detail::require_shop_member(s, record.shop, actor, "manage its stock");
        if (s.shops.find(record.shop)->status == ShopStatus::closed)
            throw Error(Errc::invalid_state, fmt::format("shop {} is closed: its stock is frozen", record.shop));
        const auto* stock = s.inventory.find(sku);
        if ((stock ? stock->low_stock_threshold : std::nullopt) != threshold)
            out.emit(detail::LowStockThresholdSet{sku, threshold});
    });
}

std::size_t Inventory::tick(Timestamp now) {
    detail::require_not_ahead_of_clock(now, kernel_->now());
    std::size_t expired = 0;
    for (;;) {
        const auto batch = kernel_->execute(Actor::system(), [&](const State& s, detail::EventSink& out) {
            return detail::StockMoves(s, out).expire_due(now, expiries_per_command);
        });
        expired += batch;
        if (batch < expiries_per_command) return expired;
    }
}

StockLevel Inventory::stock(const Actor& actor, SkuId sku) const {
    return kernel_->read([&](const State& s) {
        const auto& record = detail::sku_or_throw(s.catalog, sku);
        require_stock_reader(s, record.shop, actor);
        return level_of(s, record);
    });
}

std::vector<StockLevel> Inventory::stock_of_product(const Actor& actor, ProductId product) const {
    return kernel_->read([&](const State& s) {
        const auto& record = detail::product_or_throw(s.catalog, product);
        require_stock_reader(s, record.shop, actor);
        std::vector<StockLevel> levels;
        const auto [first, last] = s.catalog.skus.get<detail::by_sku_product>().equal_range(std::make_tuple(product));
        for (auto it = first; it != last; ++it) levels.push_back(level_of(s, *it));
        return levels;
    });
}

std::vector<StockLevel> Inventory::low_stock(const Actor& actor, ShopId shop, Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        shop_or_throw(s, shop);
        require_stock_reader(s, shop, actor);
        std::vector<StockLevel> levels;
        std::size_t skipped = 0;
        const auto& low = s.inventory.low;
        for (auto it = low.lower_bound({shop, SkuId{}}); it != low.end() && it->first == shop; ++it) {
            if (levels.size() == page.limit) break;
            const auto* sku = s.catalog.find_sku(it->second);
            assert(sku);
            if (sku->dropped || skipped++ < page.offset) continue;
            levels.push_back(level_of(s, *sku));
        }
        return levels;
    });
}

ReservationInfo Inventory::reservation(const Actor& actor, ReservationId reservation) const {
    return kernel_->read([&](const State& s) {
        const auto* record = s.inventory.find_reservation(reservation);
        if (!record) throw Error(Errc::not_found, fmt::format("no reservation {}", reservation));
        require_stock_reader(s, record->shop, actor);
        return info_of(*record);
    });
}

std::vector<ReservationInfo> Inventory::reservations(const Actor& actor, ShopId shop,
                                                     std::optional<ReservationStatus> status, Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        shop_or_throw(s, shop);
        require_stock_reader(s, shop, actor);
        std::vector<ReservationInfo> result;
        std::size_t skipped = 0;
        const auto [first, last] =
            s.inventory.reservations.get<detail::by_reservation_shop>().equal_range(std::make_tuple(shop));
        for (auto it = std::make_reverse_iterator(last); it != std::make_reverse_iterator(first); ++it) {
            if (result.size() == page.limit) break;
            if (status && it->status != *status) continue;
            if (skipped++ < page.offset) continue;
            result.push_back(info_of(*it));
        }
        return result;
    });
}

namespace detail {
namespace {

// Changes one SKU's stock, creating its record on first use; refuses a change that would
// break 0 ≤ reserved ≤ on_hand ≤ max_on_hand, and keeps the low-stock set exact.
template <class Change>
void change_stock(State& state, SkuId sku, Change&& change) {
    auto& table = state.inventory.stock;
    auto it = table.find(sku);
    if (it == table.end()) {
        const auto* record = state.catalog.find_sku(sku);
        require_consistent(record != nullptr, "stock of an unknown SKU");
        StockRecord fresh;
        fresh.sku = sku;
        fresh.shop = record->shop;
        fresh.product = record->product;
        it = table.insert(fresh).first;
    }
    StockRecord updated = *it;
    change(updated);
    require_consistent(0 <= updated.reserved && updated.reserved <= updated.on_hand &&
                           updated.on_hand <= Inventory::max_on_hand,
                       "stock out of bounds");
    table.replace(it, updated);
    if (updated.is_low()) {
        state.inventory.low.insert({updated.shop, sku});
    } else {
        state.inventory.low.erase({updated.shop, sku});
    }
    search_sync::stock_changed(state, sku);
}

// The open reservation a release or commit names, restating its lines exactly.
const ReservationRecord& closing(const State& state, ReservationId id, const std::vector<StockLineFields>& lines) {
    const auto* record = state.inventory.find_reservation(id);
    require_consistent(
        record && record->status == ReservationStatus::open && record->lines == StockLineFields::to(lines),
        "closing a reservation that is not open, or with other lines");
    return *record;
}

void close_reservation(State& state, ReservationId id, ReservationStatus to, Timestamp time) {
    modify_row(state.inventory.reservations, id, "unknown reservation", [&](ReservationRecord& r) {
        r.status = to;
        r.closed_at = time;
    });
}

}  // namespace

void StockAdjusted::apply(State& state, const EventContext&) const {
    for (const auto& c : changes) {
        require_consistent(c.delta != 0 && std::llabs(c.delta) <= Inventory::max_on_hand, "stock change out of range");
        change_stock(state, c.sku, [&](StockRecord& r) { r.on_hand += c.delta; });
    }
}

void StockReserved::apply(State& state, const EventContext& context) const {
    require_consistent(reservation.value == state.inventory.last_reservation + 1 && !lines.empty() &&
                           (holder == ReservationHolder::shop || holder == ReservationHolder::order ||
                            holder == ReservationHolder::flash_sale),
                       "reservation out of order, empty or of an unknown holder");
    const auto* first_sku = state.catalog.find_sku(lines.front().sku);
    require_consistent(first_sku != nullptr, "reservation of an unknown SKU");
    const auto shop = first_sku->shop;
    for (const auto& line : lines) {
        const auto* sku = state.catalog.find_sku(line.sku);
        require_consistent(sku && sku->shop == shop && line.quantity > 0 && line.quantity <= Inventory::max_quantity,
                           "reservation across shops, or of a quantity out of range");
        change_stock(state, line.sku, [&](StockRecord& r) { r.reserved += line.quantity; });
    }
    state.inventory.reservations.insert(ReservationRecord{reservation,
                                                          shop,
                                                          {holder, holder_id},
                                                          StockLineFields::to(lines),
                                                          ReservationStatus::open,
                                                          context.time,
                                                          expires_at,
                                                          {}});
    state.inventory.last_reservation = reservation.value;
}

void StockReleased::apply(State& state, const EventContext& context) const {
    closing(state, reservation, lines);
    for (const auto& line : lines) change_stock(state, line.sku, [&](StockRecord& r) { r.reserved -= line.quantity; });
    close_reservation(state, reservation, expired ? ReservationStatus::expired : ReservationStatus::released,
                      context.time);
}

void StockCommitted::apply(State& state, const EventContext& context) const {
    closing(state, reservation, lines);
    for (const auto& line : lines) {
        change_stock(state, line.sku, [&](StockRecord& r) {
            r.on_hand -= line.quantity;
            r.reserved -= line.quantity;
            r.sold += line.quantity;
        });
        const auto product = state.catalog.find_sku(line.sku)->product;
        modify_row(state.catalog.products, product, "unknown product",
                   [&](ProductRecord& p) { p.sales += static_cast<std::uint64_t>(line.quantity); });
        search_sync::sales_changed(state, product);
    }
    close_reservation(state, reservation, ReservationStatus::committed, context.time);
}

void LowStockThresholdSet::apply(State& state, const EventContext&) const {
    require_consistent(!threshold || (*threshold >= 0 && *threshold <= Inventory::max_on_hand),
                       "threshold out of range");
    change_stock(state, sku, [&](StockRecord& r) { r.low_stock_threshold = threshold; });
}

}  // namespace detail
}  // namespace souk
