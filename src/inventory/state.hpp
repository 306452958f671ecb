// Inventory state: stock per SKU and every reservation, open or closed.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <boost/multi_index/composite_key.hpp>
#include <boost/multi_index/hashed_index.hpp>
#include <boost/multi_index/member.hpp>
#include <boost/multi_index/ordered_index.hpp>
#include <boost/multi_index_container.hpp>

#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/inventory.hpp"

namespace souk::detail {

// A SKU's stock. A SKU without a record has every count at zero and no threshold: records
// appear with the first inventory event that names the SKU.
struct StockRecord {
    SkuId sku;
    ShopId shop;
    ProductId product;
    std::int64_t on_hand = 0;
    std::int64_t reserved = 0;
    std::int64_t sold = 0;
    std::optional<std::int64_t> low_stock_threshold;

    std::int64_t available() const { return on_hand - reserved; }
    bool is_low() const { return low_stock_threshold && available() <= *low_stock_threshold; }
};

struct ReservationRecord {
    ReservationId id;
    ShopId shop;
    ReservationOwner owner;
    std::vector<StockLine> lines;  // one per SKU, by SKU id
    ReservationStatus status = ReservationStatus::open;
    Timestamp created_at{};
    Timestamp expires_at{};
    std::optional<Timestamp> closed_at;
};

struct by_stock_sku {};
struct by_reservation_id {};
struct by_due {};
struct by_reservation_shop {};

namespace bmi = boost::multi_index;

using StockTable = bmi::multi_index_container<
    StockRecord, bmi::indexed_by<bmi::hashed_unique<
                     bmi::tag<by_stock_sku>, bmi::member<StockRecord, SkuId, &StockRecord::sku>, std::hash<SkuId>>>>;

using ReservationTable = bmi::multi_index_container<
    ReservationRecord,
    bmi::indexed_by<
        bmi::hashed_unique<bmi::tag<by_reservation_id>,
                           bmi::member<ReservationRecord, ReservationId, &ReservationRecord::id>,
                           std::hash<ReservationId>>,
        // Open reservations soonest-expiring first: what tick walks.
        bmi::ordered_unique<
            bmi::tag<by_due>,
            bmi::composite_key<ReservationRecord,
                               bmi::member<ReservationRecord, ReservationStatus, &ReservationRecord::status>,
                               bmi::member<ReservationRecord, Timestamp, &ReservationRecord::expires_at>,
                               bmi::member<ReservationRecord, ReservationId, &ReservationRecord::id>>>,
        bmi::ordered_unique<
            bmi::tag<by_reservation_shop>,
            bmi::composite_key<ReservationRecord, bmi::member<ReservationRecord, ShopId, &ReservationRecord::shop>,
                               bmi::member<ReservationRecord, ReservationId, &ReservationRecord::id>>>>>;

struct InventoryState {
    StockTable stock;
    ReservationTable reservations;
    // SKUs whose available units are at or under their threshold, by shop: kept exact as stock moves.
    std::set<std::pair<ShopId, SkuId>> low;
    std::uint64_t last_reservation = 0;

    const StockRecord* find(SkuId sku) const {
        const auto it = stock.find(sku);
        return it == stock.end() ? nullptr : &*it;
    }
    std::int64_t available(SkuId sku) const {
        const auto* record = find(sku);
        return record ? record->available() : 0;
    }
    const ReservationRecord* find_reservation(ReservationId id) const {
        const auto it = reservations.find(id);
        return it == reservations.end() ? nullptr : &*it;
    }
};

}  // namespace souk::detail
