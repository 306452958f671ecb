// Shipping state: the shops' fee templates, which product names which, and the tracking of
// every shipment (the shipments themselves are the orders' records).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "souk/ids.hpp"
#include "souk/shipping.hpp"

namespace souk::detail {

struct ShippingTemplateRecord {
    ShippingTemplateId id;
    ShopId shop;
    ShippingTemplateSpec spec;
    std::set<ProductId> products;
    Timestamp updated_at{};
};

struct TrackingRecord {
    std::vector<TrackingUpdate> updates;  // oldest first
    std::optional<Timestamp> delivered_at;
};

// A shipment: its sub-order and its number there.
using ShipmentKey = std::pair<SubOrderId, std::uint32_t>;

struct ShippingState {
    std::map<ShippingTemplateId, ShippingTemplateRecord> templates;  // live ones
    std::map<ShopId, std::set<ShippingTemplateId>> templates_by_shop;
    std::unordered_map<ProductId, ShippingTemplateId> product_templates;
    std::map<ShipmentKey, TrackingRecord> tracking;
    std::uint64_t last_template = 0;

    const ShippingTemplateRecord* find(ShippingTemplateId id) const {
        const auto it = templates.find(id);
        return it == templates.end() ? nullptr : &it->second;
    }
    std::optional<ShippingTemplateId> template_of(ProductId product) const {
        const auto it = product_templates.find(product);
        return it == product_templates.end() ? std::nullopt : std::optional(it->second);
    }
};

}  // namespace souk::detail
