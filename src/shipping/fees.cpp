#include "shipping/fees.hpp"

#include <algorithm>
#include <map>

#include "kernel/event.hpp"
#include "souk/error.hpp"

namespace souk::detail {
namespace {

bool names(const std::vector<std::string>& regions, const std::string& code) {
    return !code.empty() && std::find(regions.begin(), regions.end(), code) != regions.end();
}

// The regional rate naming the city, else one naming the province, else the default.
const ShippingRate& rate_for(const ShippingTemplateSpec& spec, const RegionCode& region) {
    for (const auto& rate : spec.regional_rates)
        if (names(rate.regions, region.city)) return rate;
    for (const auto& rate : spec.regional_rates)
        if (names(rate.regions, region.province)) return rate;
    return spec.default_rate;
}

std::int64_t units_of(const State& state, FeeBasis basis, const QuoteLine& line) {
    if (basis == FeeBasis::piece) return line.quantity;
    const auto* sku = state.catalog.find_sku(line.sku);
    require_consistent(sku != nullptr, "a quoted SKU the catalog does not have");
    return sku->weight_grams * line.quantity;
}

}  // namespace

Money template_fee(const State& state, const ShippingTemplateSpec& spec, const std::vector<const QuoteLine*>& lines,
                   const PostalAddress& to) {
    const Currency currency = spec.default_rate.first_fee.currency();
    Money payable = Money::zero(currency);
    std::int64_t units = 0;
    for (const auto* line : lines) {
        payable += line->line_total - line->discount;
        units += units_of(state, spec.basis, *line);
    }
    if (names(spec.free_regions, to.region.city) || names(spec.free_regions, to.region.province))
        return Money::zero(currency);
    if (spec.free_from && payable >= *spec.free_from) return Money::zero(currency);
    const auto& rate = rate_for(spec, to.region);
    const std::int64_t beyond = std::max<std::int64_t>(0, units - rate.first_units);
    const std::int64_t blocks = (beyond + rate.additional_units - 1) / rate.additional_units;
    return rate.first_fee + rate.additional_fee.times(blocks);
}

Money TemplateShippingFee::fee(const State& state, const ShopQuote& shop_part, const PostalAddress& to) const {
    std::map<ShippingTemplateId, std::vector<const QuoteLine*>> by_template;
    ShopQuote flat_part{shop_part.shop, shop_part.shop_name, {}, {}, {}, {}, {}};
    const Money zero = Money::zero(shop_part.subtotal.currency());
    flat_part.subtotal = flat_part.discount = zero;
    for (const auto& line : shop_part.lines) {
        if (const auto id = state.shipping.template_of(line.product)) {
            by_template[*id].push_back(&line);
        } else {
            flat_part.lines.push_back(line);
            flat_part.subtotal += line.line_total;
            flat_part.discount += line.discount;
        }
    }
    Money total = flat_part.lines.empty() ? zero : flat_->fee(state, flat_part, to);
    for (const auto& [id, lines] : by_template) {
        const auto* record = state.shipping.find(id);
        require_consistent(record != nullptr, "a product names a removed shipping template");
        total += template_fee(state, record->spec, lines, to);
    }
    return total;
}

}  // namespace souk::detail
