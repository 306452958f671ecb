// Shipping: fee templates, the template a product names, tracking and shipment queries.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "orders/commands.hpp"
#include "shipping/events.hpp"
#include "shipping/trackers.hpp"
#include "souk/error.hpp"
#include "souk/shipping.hpp"
#include "validate.hpp"

namespace souk {
namespace {

using detail::State;

[[noreturn]] void invalid(const std::string& message) { throw Error(Errc::invalid_argument, message); }

void check_regions(std::string_view what, const std::vector<std::string>& regions) {
    if (regions.size() > 100) invalid(fmt::format("{} name at most 100 regions, not {}", what, regions.size()));
    for (const auto& code : regions)
        if (code.empty() || code.size() > 12 ||
            !std::all_of(code.begin(), code.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
            invalid(fmt::format("a region code is 1..12 ASCII letters or digits, not '{}'", code));
}

void check_rate(const ShippingRate& rate, const Currency& currency, bool is_default) {
    detail::require_text("a rate's label", rate.label, 0, 40);
    check_regions("a rate's regions", rate.regions);
    if (is_default != rate.regions.empty())
        invalid(is_default ? "the default rate names no regions: it is for everywhere else"
                           : fmt::format("regional rate '{}' needs at least one region", rate.label));
    constexpr std::int64_t max_units = 100'000'000;
    for (const auto units : {rate.first_units, rate.additional_units})
        if (units < 1 || units > max_units) invalid(fmt::format("rate units must be 1..{}, not {}", max_units, units));
    for (const auto& fee : {rate.first_fee, rate.additional_fee}) {
        if (fee.currency() != currency)
            throw Error(Errc::currency_mismatch,
                        fmt::format("fee {} is not in the template's currency {}", fee, currency));
        if (fee.is_negative()) invalid(fmt::format("a shipping fee must not be negative, not {}", fee));
    }
}

void check_spec(const ShippingTemplateSpec& spec) {
    detail::require_text("template name", spec.name, 1, 40);
    if (spec.basis != FeeBasis::piece && spec.basis != FeeBasis::weight) invalid("unknown fee basis");
    const Currency currency = spec.default_rate.first_fee.currency();
    check_rate(spec.default_rate, currency, true);
    if (spec.regional_rates.size() > 50)
        invalid(fmt::format("a template has at most 50 regional rates, not {}", spec.regional_rates.size()));
    for (const auto& rate : spec.regional_rates) check_rate(rate, currency, false);
    if (spec.free_from) {
        if (spec.free_from->currency() != currency)
            throw Error(Errc::currency_mismatch, "the free-shipping threshold must be in the template's currency");
        if (spec.free_from->minor_units() <= 0) invalid("the free-shipping threshold must be positive");
    }
    check_regions("free regions", spec.free_regions);
}

detail::ShippingTemplateSaved saved_event(ShippingTemplateId id, ShopId shop, bool created, const ShippingTemplateSpec& spec) {
    detail::ShippingTemplateSaved event{id, shop, created, spec.name, spec.basis,
                                        detail::ShippingRateFields::from(spec.default_rate), {}, spec.free_from,
                                        spec.free_regions};
    for (const auto& rate : spec.regional_rates) event.regional_rates.push_back(detail::ShippingRateFields::from(rate));
    return event;
}

const detail::ShippingTemplateRecord& template_or_throw(const State& s, ShippingTemplateId id) {
    const auto* record = s.shipping.find(id);
    if (!record) throw Error(Errc::not_found, fmt::format("no shipping template {}", id));
    return *record;
}

ShippingTemplateInfo info_of(const detail::ShippingTemplateRecord& r) {
    return ShippingTemplateInfo{r.id, r.shop, r.spec, r.products.size(), r.updated_at};
}

void check_update(const TrackingUpdate& update, Timestamp now) {
    detail::require_text("tracking location", update.location, 0, 100);
    detail::require_text("tracking status", update.status, 1, 200);
    if (update.occurred_at > now)
        invalid(fmt::format("a tracking update at {} is in the future", format_timestamp(update.occurred_at)));
}

// Refuses an update the shipment cannot take now.
void require_trackable(const State& s, SubOrderId sub_order, std::uint32_t number, const TrackingUpdate& update) {
    const auto& record = detail::sub_order_or_throw(s, sub_order);
    if (number < 1 || number > record.shipments.size())
        throw Error(Errc::not_found, fmt::format("sub-order {} has no shipment {}", sub_order, number));
    const auto it = s.shipping.tracking.find({sub_order, number});
    if (it == s.shipping.tracking.end()) return;
    if (it->second.delivered_at)
        throw Error(Errc::invalid_state, fmt::format("shipment {} of sub-order {} was delivered", number, sub_order));
    if (it->second.updates.size() >= Shipping::max_tracking_updates)
        throw Error(Errc::limit_exceeded, fmt::format("shipment {} of sub-order {} has {} tracking updates already",
                                                      number, sub_order, Shipping::max_tracking_updates));
    if (update.occurred_at < it->second.updates.back().occurred_at)
        invalid(fmt::format("shipment {} of sub-order {} was last tracked at {}: updates come in order", number,
                            sub_order, format_timestamp(it->second.updates.back().occurred_at)));
}

ShipmentView view_of(const State& s, const detail::SubOrderRecord& sub_order, const Shipment& shipment) {
    ShipmentView view{sub_order.id, sub_order.order, sub_order.shop, shipment, {}, std::nullopt};
    if (const auto it = s.shipping.tracking.find({sub_order.id, shipment.number}); it != s.shipping.tracking.end()) {
        view.tracking = it->second.updates;
        view.delivered_at = it->second.delivered_at;
    }
    return view;
}

bool may_read(const State& s, const Actor& actor, const detail::SubOrderRecord& sub_order) {
    return detail::is_buyer(s, actor, sub_order.customer) || detail::is_shop_member(s, sub_order.shop, actor) ||
           detail::is_platform_staff(s, actor);
}

// A shipment poll_carriers asks about.
struct Watched {
    SubOrderId sub_order;
    std::uint32_t number = 0;
    std::string carrier;
    std::string tracking_number;
};

}  // namespace

std::string_view fee_basis_name(FeeBasis basis) noexcept {
    switch (basis) {
        case FeeBasis::piece: return "piece";
        case FeeBasis::weight: return "weight";
    }
    return "unknown";
}

ShippingTemplateId Shipping::create_template(const Actor& actor, ShopId shop, const ShippingTemplateSpec& spec) {
    check_spec(spec);
    return kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        if (!s.shops.find(shop)) throw Error(Errc::not_found, fmt::format("no shop {}", shop));
        detail::require_shop_member(s, shop, actor, "create shipping templates");
        if (const auto it = s.shipping.templates_by_shop.find(shop);
            it != s.shipping.templates_by_shop.end() && it->second.size() >= max_templates_per_shop)
            throw Error(Errc::limit_exceeded,
                        fmt::format("shop {} has {} shipping templates: remove one first", shop, max_templates_per_shop));
        const ShippingTemplateId id{s.shipping.last_template + 1};
        out.emit(saved_event(id, shop, true, spec));
        return id;
    });
}

void Shipping::update_template(const Actor& actor, ShippingTemplateId id, const ShippingTemplateSpec& spec) {
    check_spec(spec);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = template_or_throw(s, id);
        detail::require_shop_member(s, record.shop, actor, "change its shipping templates");
        out.emit(saved_event(id, record.shop, false, spec));
    });
}

void Shipping::remove_template(const Actor& actor, ShippingTemplateId id) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = template_or_throw(s, id);
        detail::require_shop_member(s, record.shop, actor, "remove its shipping templates");
        if (!record.products.empty())
            throw Error(Errc::invalid_state, fmt::format("shipping template {} is named by {} products: give them "
                                                         "another template first",
                                                         id, record.products.size()));
        out.emit(detail::ShippingTemplateRemoved{id, record.shop});
    });
}

void Shipping::set_product_template(const Actor& actor, ProductId product, std::optional<ShippingTemplateId> id) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto* record = s.catalog.find_product(product);
        if (!record) throw Error(Errc::not_found, fmt::format("no product {}", product));
        detail::require_shop_member(s, record->shop, actor, "choose its products' shipping templates");
        if (id) {
            const auto& chosen = template_or_throw(s, *id);
            if (chosen.shop != record->shop)
                throw Error(Errc::invalid_argument,
                            fmt::format("shipping template {} belongs to shop {}, not to the product's shop {}", *id,
                                        chosen.shop, record->shop));
        }
        if (s.shipping.template_of(product) == id) return;
        out.emit(detail::ProductShippingTemplateSet{product, record->shop, id.value_or(ShippingTemplateId{})});
    });
}

ShippingTemplateInfo Shipping::shipping_template(ShippingTemplateId id) const {
    return kernel_->read([&](const State& s) { return info_of(template_or_throw(s, id)); });
}

std::vector<ShippingTemplateInfo> Shipping::templates_of(ShopId shop) const {
    return kernel_->read([&](const State& s) {
        std::vector<ShippingTemplateInfo> result;
        if (const auto it = s.shipping.templates_by_shop.find(shop); it != s.shipping.templates_by_shop.end())
            for (const auto id : it->second) result.push_back(info_of(*s.shipping.find(id)));
        return result;
    });
}

std::optional<ShippingTemplateId> Shipping::template_of(ProductId product) const {
    return kernel_->read([&](const State& s) { return s.shipping.template_of(product); });
}

void Shipping::add_tracking(const Actor& actor, SubOrderId sub_order, std::uint32_t number, const TrackingUpdate& update) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        check_update(update, out.now());
        const auto& record = detail::sub_order_or_throw(s, sub_order);
        detail::require_shop_member(s, record.shop, actor, fmt::format("track sub-order {}", sub_order));
        require_trackable(s, sub_order, number, update);
        out.emit(detail::TrackingRecorded{sub_order, number, update.occurred_at, update.location, update.status,
                                          update.delivered});
    });
}

std::size_t Shipping::poll_carriers() {
    const auto watched = kernel_->read([](const State& s) {
        std::vector<Watched> result;
        const auto& by_status = s.orders.sub_orders.get<detail::by_sub_order_status>();
        for (const auto status : {SubOrderStatus::partially_shipped, SubOrderStatus::shipped, SubOrderStatus::received})
            for (auto it = by_status.lower_bound(status); it != by_status.end() && it->status == status; ++it)
                for (const auto& shipment : it->shipments) {
                    const auto tracked = s.shipping.tracking.find({it->id, shipment.number});
                    if (tracked != s.shipping.tracking.end() && tracked->second.delivered_at) continue;
                    result.push_back({it->id, shipment.number, shipment.carrier, shipment.tracking_number});
                }
        return result;
    });
    std::size_t recorded = 0;
    for (const auto& shipment : watched) {
        const auto tracker = trackers_->find(shipment.carrier);
        if (!tracker) continue;
        std::vector<TrackingUpdate> updates;
        try {
            updates = tracker->track(shipment.carrier, shipment.tracking_number);
        } catch (const std::exception&) {
            continue;  // no answer now: asked again on the next poll
        }
        std::stable_sort(updates.begin(), updates.end(),
                         [](const auto& a, const auto& b) { return a.occurred_at < b.occurred_at; });
        recorded += kernel_->execute(Actor::system(), [&](const State& s, detail::EventSink& out) {
            // The state as it is now: another poll or the shop may have recorded updates meanwhile.
            const auto tracked = s.shipping.tracking.find({shipment.sub_order, shipment.number});
            std::size_t existing = 0;
            std::optional<Timestamp> last;
            if (tracked != s.shipping.tracking.end()) {
                if (tracked->second.delivered_at) return std::size_t{0};
                existing = tracked->second.updates.size();
                last = tracked->second.updates.back().occurred_at;
            }
            std::size_t count = 0;
            for (const auto& update : updates) {
                if ((last && update.occurred_at <= *last) || existing + count >= max_tracking_updates) continue;
                // A carrier's malformed update is skipped, never recorded.
                try {
                    check_update(update, out.now());
                } catch (const Error&) {
                    continue;
                }
                out.emit(detail::TrackingRecorded{shipment.sub_order, shipment.number, update.occurred_at,
                                                  update.location, update.status, update.delivered});
                last = update.occurred_at;
                ++count;
                if (update.delivered) break;
            }
            return count;
        });
    }
    return recorded;
}

std::vector<ShipmentView> Shipping::shipments_of_order(const Actor& actor, PaymentOrderId order) const {
    return kernel_->read([&](const State& s) {
        const auto& record = detail::order_or_throw(s, order);
        std::vector<ShipmentView> result;
        bool any_readable = false;
        for (const auto id : record.sub_orders) {
            const auto& sub_order = *s.orders.find(id);
            if (!may_read(s, actor, sub_order)) continue;
            any_readable = true;
            for (const auto& shipment : sub_order.shipments) result.push_back(view_of(s, sub_order, shipment));
        }
        if (!any_readable)
            throw Error(Errc::forbidden, fmt::format("only the buyer, its shops and platform staff may see the shipments "
                                                     "of order {}",
                                                     order));
        return result;
    });
}

std::vector<ShipmentView> Shipping::shipments_by_tracking(const Actor& actor, const std::string& tracking_number) const {
    return kernel_->read([&](const State& s) {
        std::vector<ShipmentView> result;
        const auto [first, last] = s.orders.shipments_by_tracking.equal_range(tracking_number);
        for (auto it = first; it != last; ++it) {
            const auto& sub_order = *s.orders.find(it->second.first);
            if (may_read(s, actor, sub_order))
                result.push_back(view_of(s, sub_order, sub_order.shipments.at(it->second.second - 1)));
        }
        return result;
    });
}

std::vector<OverdueSubOrder> Shipping::overdue(const Actor& actor, ShopId shop, Duration older_than, Page page) const {
    detail::require_page(page);
    if (older_than < Duration::zero()) invalid("an overdue query needs a delay of zero or more");
    const Timestamp now = kernel_->now();
    return kernel_->read([&](const State& s) {
        if (!detail::is_shop_member(s, shop, actor) && !detail::is_platform_staff(s, actor))
            throw Error(Errc::forbidden, fmt::format("only shop {} and platform staff may list its overdue orders", shop));
        std::vector<OverdueSubOrder> all;
        const auto& by_shop = s.orders.sub_orders.get<detail::by_sub_order_shop>();
        for (auto it = by_shop.lower_bound(std::make_tuple(shop)); it != by_shop.end() && it->shop == shop; ++it) {
            if (it->status != SubOrderStatus::paid && it->status != SubOrderStatus::partially_shipped) continue;
            if (!it->paid_at || *it->paid_at + older_than > now) continue;
            std::int64_t left = 0;
            for (const auto& line : it->lines) left += line.quantity - line.shipped;
            all.push_back({it->id, it->order, *it->paid_at, left});
        }
        std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
            return std::tie(a.paid_at, a.sub_order) < std::tie(b.paid_at, b.sub_order);
        });
        std::vector<OverdueSubOrder> result;
        for (std::size_t i = page.offset; i < all.size() && result.size() < page.limit; ++i) result.push_back(all[i]);
        return result;
    });
}

}  // namespace souk
