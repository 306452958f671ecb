// How shipping events change the state.
#include "kernel/state.hpp"
#include "shipping/events.hpp"

namespace souk::detail {

ShippingTemplateSpec ShippingTemplateSaved::spec() const {
    ShippingTemplateSpec s{template_name, basis, default_rate.to_rate(), {}, free_from, free_regions};
    for (const auto& rate : regional_rates) s.regional_rates.push_back(rate.to_rate());
    return s;
}

void ShippingTemplateSaved::apply(State& state, const EventContext& context) const {
    auto& shipping = state.shipping;
    require_consistent(state.shops.find(shop) != nullptr, "template of an unknown shop");
    if (created) {
        require_consistent(shipping_template.value == shipping.last_template + 1, "shipping template out of order");
        shipping.templates.emplace(shipping_template, ShippingTemplateRecord{shipping_template, shop, spec(), {}, context.time});
        shipping.templates_by_shop[shop].insert(shipping_template);
        shipping.last_template = shipping_template.value;
        return;
    }
    const auto it = shipping.templates.find(shipping_template);
    require_consistent(it != shipping.templates.end() && it->second.shop == shop, "update of an unknown template");
    it->second.spec = spec();
    it->second.updated_at = context.time;
}

void ShippingTemplateRemoved::apply(State& state, const EventContext&) const {
    auto& shipping = state.shipping;
    const auto* record = shipping.find(shipping_template);
    require_consistent(record && record->shop == shop && record->products.empty(), "removal of a template in use");
    shipping.templates_by_shop[shop].erase(shipping_template);
    shipping.templates.erase(shipping_template);
}

void ProductShippingTemplateSet::apply(State& state, const EventContext&) const {
    auto& shipping = state.shipping;
    const auto* product_record = state.catalog.find_product(product);
    require_consistent(product_record && product_record->shop == shop, "template of an unknown product");
    if (const auto previous = shipping.template_of(product)) {
        shipping.templates.at(*previous).products.erase(product);
        shipping.product_templates.erase(product);
    }
    if (!shipping_template) return;
    const auto it = shipping.templates.find(shipping_template);
    require_consistent(it != shipping.templates.end() && it->second.shop == shop, "a product names another shop's template");
    it->second.products.insert(product);
    shipping.product_templates.emplace(product, shipping_template);
}

void TrackingRecorded::apply(State& state, const EventContext&) const {
    const auto* record = state.orders.find(sub_order);
    require_consistent(record && shipment >= 1 && shipment <= record->shipments.size(), "tracking of an unknown shipment");
    auto& tracking = state.shipping.tracking[{sub_order, shipment}];
    require_consistent(!tracking.delivered_at, "tracking after delivery");
    tracking.updates.push_back(TrackingUpdate{occurred_at, location, status, delivered});
    if (delivered) tracking.delivered_at = occurred_at;
}

}  // namespace souk::detail
