// Inventory events. Every event names the SKUs it moves, so each SKU's audit trail shows
// every change to its stock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "inventory/state.hpp"
#include "kernel/event.hpp"
#include "kernel/registry.hpp"

namespace souk::detail {

struct StockLineFields {
    SkuId sku;
    std::int64_t quantity = 0;
    template <class V> void visit(V&& v) { v("sku", sku), v("quantity", quantity); }

    static std::vector<StockLineFields> from(const std::vector<StockLine>& lines);
    static std::vector<StockLine> to(const std::vector<StockLineFields>& lines);
};

struct StockChangeFields {
    SkuId sku;
    std::int64_t delta = 0;
    template <class V> void visit(V&& v) { v("sku", sku), v("delta", delta); }
};

struct StockAdjusted {
    static constexpr EventKind kind = EventKind::stock_adjusted;
    static constexpr std::string_view name = "StockAdjusted";
    static constexpr std::uint8_t version = 1;
    std::vector<StockChangeFields> changes;  // one per SKU
    std::string reason;
    template <class V> void visit(V&& v) { v("changes", changes), v("reason", reason); }
    void apply(State& state, const EventContext& context) const;
};

struct StockReserved {
    static constexpr EventKind kind = EventKind::stock_reserved;
    static constexpr std::string_view name = "StockReserved";
    static constexpr std::uint8_t version = 1;
    ReservationId reservation;
    ReservationHolder holder{};
    std::uint64_t holder_id = 0;
    std::vector<StockLineFields> lines;  // one per SKU, by SKU id
    Timestamp expires_at{};
    template <class V> void visit(V&& v) {
        v("reservation", reservation), v("holder", holder), v("holder_id", holder_id), v("lines", lines),
            v("expires_at", expires_at);
    }
    void apply(State& state, const EventContext& context) const;
};

// The reservation's units return to available: released on request, or expired by tick.
struct StockReleased {
    static constexpr EventKind kind = EventKind::stock_released;
    static constexpr std::string_view name = "StockReleased";
    static constexpr std::uint8_t version = 1;
    ReservationId reservation;
    bool expired = false;
    std::vector<StockLineFields> lines;  // the reservation's, restated for the SKUs' trails
    template <class V> void visit(V&& v) { v("reservation", reservation), v("expired", expired), v("lines", lines); }
    void apply(State& state, const EventContext& context) const;
};

struct StockCommitted {
    static constexpr EventKind kind = EventKind::stock_committed;
    static constexpr std::string_view name = "StockCommitted";
    static constexpr std::uint8_t version = 1;
    ReservationId reservation;
    std::vector<StockLineFields> lines;  // the reservation's, restated for the SKUs' trails
    template <class V> void visit(V&& v) { v("reservation", reservation), v("lines", lines); }
    void apply(State& state, const EventContext& context) const;
};

struct LowStockThresholdSet {
    static constexpr EventKind kind = EventKind::low_stock_threshold_set;
    static constexpr std::string_view name = "LowStockThresholdSet";
    static constexpr std::uint8_t version = 1;
    SkuId sku;
    std::optional<std::int64_t> threshold;
    template <class V> void visit(V&& v) { v("sku", sku), v("threshold", threshold); }
    void apply(State& state, const EventContext& context) const;
};

using InventoryEvents = EventList<StockAdjusted, StockReserved, StockReleased, StockCommitted, LowStockThresholdSet>;

}  // namespace souk::detail
