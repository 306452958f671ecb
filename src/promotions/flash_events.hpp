// Flash sale events. Units are taken and returned by the orders commands that place and
// cancel (in the same command as the stock moves), so the sale, the orders and the stock
// always agree.
#pragma once

#include <string>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "promotions/flash_state.hpp"

namespace souk::detail {

struct FlashSaleItemFields {
    SkuId sku;
    Money price;
    std::int64_t quantity = 0;
    template <class V> void visit(V&& v) { v("sku", sku), v("price", price), v("quantity", quantity); }
};

struct FlashUnitsFields {
    SkuId sku;
    std::int64_t quantity = 0;
    template <class V> void visit(V&& v) { v("sku", sku), v("quantity", quantity); }
};

struct FlashSaleCreated {
    static constexpr EventKind kind = EventKind::flash_sale_created;
    static constexpr std::string_view name = "FlashSaleCreated";
    static constexpr std::uint8_t version = 1;
    FlashSaleId sale;
    ShopId shop;
    std::string title;
    std::vector<FlashSaleItemFields> items;
    Timestamp starts_at{};
    Timestamp ends_at{};
    std::int32_t per_customer_limit = 0;
    Duration payment_timeout{};
    ReservationId reservation;
    template <class V> void visit(V&& v) {
        v("sale", sale), v("shop", shop), v("title", title), v("items", items), v("starts_at", starts_at),
            v("ends_at", ends_at), v("per_customer_limit", per_customer_limit), v("payment_timeout", payment_timeout),
            v("reservation", reservation);
    }
    void apply(State& state, const EventContext& context) const;
};

// Units of the sale went to `order`; what is left is held by `reservation` (zero: nothing).
struct FlashSaleUnitsTaken {
    static constexpr EventKind kind = EventKind::flash_sale_units_taken;
    static constexpr std::string_view name = "FlashSaleUnitsTaken";
    static constexpr std::uint8_t version = 1;
    FlashSaleId sale;
    PaymentOrderId order;
    UserId customer;
    std::vector<FlashUnitsFields> units;
    ReservationId reservation;
    template <class V> void visit(V&& v) {
        v("sale", sale), v("order", order), v("customer", customer), v("units", units), v("reservation", reservation);
    }
    void apply(State& state, const EventContext& context) const;
};

// `order` was cancelled unpaid: its units are the sale's again, all held by `reservation`.
struct FlashSaleUnitsReturned {
    static constexpr EventKind kind = EventKind::flash_sale_units_returned;
    static constexpr std::string_view name = "FlashSaleUnitsReturned";
    static constexpr std::uint8_t version = 1;
    FlashSaleId sale;
    PaymentOrderId order;
    UserId customer;
    std::vector<FlashUnitsFields> units;
    ReservationId reservation;
    template <class V> void visit(V&& v) {
        v("sale", sale), v("order", order), v("customer", customer), v("units", units), v("reservation", reservation);
    }
    void apply(State& state, const EventContext& context) const;
};

using FlashSaleEvents = EventList<FlashSaleCreated, FlashSaleUnitsTaken, FlashSaleUnitsReturned>;

}  // namespace souk::detail
