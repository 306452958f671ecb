// Flash sale state: each sale, the reservation holding its units, and who holds which units.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "souk/clock.hpp"
#include "souk/flash_sales.hpp"
#include "souk/ids.hpp"

namespace souk::detail {

struct FlashSaleRecord {
    FlashSaleId id;
    ShopId shop;
    FlashSaleSpec spec;
    // Holds the units still for sale; zero once every unit is taken. Replaced by a new one
    // whenever units are taken or returned.
    ReservationId reservation;
    Timestamp created_at{};
    std::unordered_map<UserId, std::int64_t> held;  // units per customer, for the limit
    std::unordered_map<PaymentOrderId, std::vector<StockLine>> taken_by_order;

    const FlashSaleItem* item(SkuId sku) const {
        for (const auto& item : spec.items)
            if (item.sku == sku) return &item;
        return nullptr;
    }
    std::int64_t held_by(UserId customer) const {
        const auto it = held.find(customer);
        return it == held.end() ? 0 : it->second;
    }
};

struct FlashSalesState {
    std::map<FlashSaleId, FlashSaleRecord> sales;
    std::unordered_map<ShopId, std::vector<FlashSaleId>> by_shop;  // ascending
    std::unordered_map<PaymentOrderId, FlashSaleId> by_order;
    std::uint64_t last_sale = 0;

    const FlashSaleRecord* find(FlashSaleId id) const {
        const auto it = sales.find(id);
        return it == sales.end() ? nullptr : &it->second;
    }
};

}  // namespace souk::detail
