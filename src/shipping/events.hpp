// Shipping events: fee templates, the template a product names, tracking updates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "souk/shipping.hpp"

namespace souk::detail {

struct ShippingRateFields {
    std::string label;
    std::vector<std::string> regions;
    std::int64_t first_units = 0;
    Money first_fee;
    std::int64_t additional_units = 0;
    Money additional_fee;
    template <class V> void visit(V&& v) {
        v("label", label), v("regions", regions), v("first_units", first_units), v("first_fee", first_fee),
            v("additional_units", additional_units), v("additional_fee", additional_fee);
    }
    static ShippingRateFields from(const ShippingRate& r) {
        return {r.label, r.regions, r.first_units, r.first_fee, r.additional_units, r.additional_fee};
    }
    ShippingRate to_rate() const { return {label, regions, first_units, first_fee, additional_units, additional_fee}; }
};

// Creates (when `created`) or replaces a template.
struct ShippingTemplateSaved {
    static constexpr EventKind kind = EventKind::shipping_template_saved;
    static constexpr std::string_view name = "ShippingTemplateSaved";
    static constexpr std::uint8_t version = 1;
    ShippingTemplateId shipping_template;
    ShopId shop;
    bool created = false;
    std::string template_name;
    FeeBasis basis = FeeBasis::piece;
    ShippingRateFields default_rate;
    std::vector<ShippingRateFields> regional_rates;
    std::optional<Money> free_from;
    std::vector<std::string> free_regions;
    template <class V> void visit(V&& v) {
        v("shipping_template", shipping_template), v("shop", shop), v("created", created),
            v("name", template_name), v("basis", basis), v("default_rate", default_rate),
            v("regional_rates", regional_rates), v("free_from", free_from), v("free_regions", free_regions);
    }
    ShippingTemplateSpec spec() const;
    void apply(State& state, const EventContext& context) const;
};

struct ShippingTemplateRemoved {
    static constexpr EventKind kind = EventKind::shipping_template_removed;
    static constexpr std::string_view name = "ShippingTemplateRemoved";
    static constexpr std::uint8_t version = 1;
    ShippingTemplateId shipping_template;
    ShopId shop;
    template <class V> void visit(V&& v) { v("shipping_template", shipping_template), v("shop", shop); }
    void apply(State& state, const EventContext& context) const;
};

// shipping_template zero: the product goes back to the flat fee.
struct ProductShippingTemplateSet {
    static constexpr EventKind kind = EventKind::product_shipping_template_set;
    static constexpr std::string_view name = "ProductShippingTemplateSet";
    static constexpr std::uint8_t version = 1;
    ProductId product;
    ShopId shop;
    ShippingTemplateId shipping_template;
    template <class V> void visit(V&& v) { v("product", product), v("shop", shop), v("shipping_template", shipping_template); }
    void apply(State& state, const EventContext& context) const;
};

struct TrackingRecorded {
    static constexpr EventKind kind = EventKind::tracking_recorded;
    static constexpr std::string_view name = "TrackingRecorded";
    static constexpr std::uint8_t version = 1;
    SubOrderId sub_order;
    std::uint32_t shipment = 0;
    Timestamp occurred_at{};
    std::string location;
    std::string status;
    bool delivered = false;
    template <class V> void visit(V&& v) {
        v("sub_order", sub_order), v("shipment", shipment), v("occurred_at", occurred_at), v("location", location),
            v("status", status), v("delivered", delivered);
    }
    void apply(State& state, const EventContext& context) const;
};

using ShippingEvents = EventList<ShippingTemplateSaved, ShippingTemplateRemoved, ProductShippingTemplateSet, TrackingRecorded>;

}  // namespace souk::detail
