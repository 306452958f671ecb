// souk — shipping: the shops' fee templates that price shipping at checkout, and the tracking
// of the shipments that Orders::ship records (see docs/fulfilment.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"
#include "souk/orders.hpp"
#include "souk/paging.hpp"

namespace souk {

namespace detail {
class Kernel;
class CarrierTrackers;
}

// ---------------------------------------------------------------------------------------
// Fee templates

// What a template counts: pieces, or grams (each SKU's weight_grams × quantity). Stable values.
enum class FeeBasis : std::uint8_t { piece = 1, weight = 2 };
std::string_view fee_basis_name(FeeBasis basis) noexcept;

// The fee for one set of regions: `first_fee` covers up to `first_units`; every started block
// of `additional_units` beyond costs `additional_fee`.
struct ShippingRate {
    // A name for the region set ("Remote provinces"); 0..40 characters.
    std::string label;
    // Province or city codes (RegionCode), each 1..12 ASCII letters or digits; at most 100.
    // Empty only for the template's default rate.
    std::vector<std::string> regions;
    std::int64_t first_units = 1;       // 1..100'000'000
    Money first_fee;                    // zero or more
    std::int64_t additional_units = 1;  // 1..100'000'000
    Money additional_fee;               // zero or more, in first_fee's currency
    friend bool operator==(const ShippingRate&, const ShippingRate&) = default;
};

struct ShippingTemplateSpec {
    std::string name;  // 1..40 characters
    FeeBasis basis = FeeBasis::piece;
    ShippingRate default_rate;             // where no regional rate applies; regions empty
    std::vector<ShippingRate> regional_rates;  // at most 50; a city code beats a province code
    // The template's lines ship free when they cost at least this after discounts.
    std::optional<Money> free_from;
    // Province or city codes that always ship free (at most 100).
    std::vector<std::string> free_regions;
    friend bool operator==(const ShippingTemplateSpec&, const ShippingTemplateSpec&) = default;
};

struct ShippingTemplateInfo {
    ShippingTemplateId id;
    ShopId shop;
    ShippingTemplateSpec spec;
    std::size_t products = 0;  // how many products name it
    Timestamp updated_at{};
    friend bool operator==(const ShippingTemplateInfo&, const ShippingTemplateInfo&) = default;
};

// ---------------------------------------------------------------------------------------
// Tracking

// One step of a shipment's journey as the carrier or the shop reports it.
struct TrackingUpdate {
    Timestamp occurred_at{};
    std::string location;  // 0..100 characters
    std::string status;    // 1..200 characters: the carrier's words
    bool delivered = false;
    friend bool operator==(const TrackingUpdate&, const TrackingUpdate&) = default;
};

// A shipment with its tracking history.
struct ShipmentView {
    SubOrderId sub_order;
    PaymentOrderId order;
    ShopId shop;
    Shipment shipment;
    std::vector<TrackingUpdate> tracking;  // oldest first
    std::optional<Timestamp> delivered_at;
    friend bool operator==(const ShipmentView&, const ShipmentView&) = default;
};

// A paid sub-order with units still to ship long after payment.
struct OverdueSubOrder {
    SubOrderId sub_order;
    PaymentOrderId order;
    Timestamp paid_at{};
    std::int64_t units_to_ship = 0;
    friend bool operator==(const OverdueSubOrder&, const OverdueSubOrder&) = default;
};

// The carrier adapter port: what a carrier reports about one tracking number. Called outside
// every engine lock, from whichever thread calls Shipping::poll_carriers. Throwing means "no
// answer now"; the shipment is asked again on the next poll.
class CarrierTracker {
public:
    virtual ~CarrierTracker() = default;
    // Every update the carrier knows of, in any order; the engine records those it has not.
    virtual std::vector<TrackingUpdate> track(const std::string& carrier, const std::string& tracking_number) = 0;
};

// A CarrierTracker for tests and demos: it reports what the test scripts.
class ScriptedCarrierTracker final : public CarrierTracker {
public:
    ScriptedCarrierTracker();
    void script(const std::string& tracking_number, TrackingUpdate update);
    std::vector<TrackingUpdate> track(const std::string& carrier, const std::string& tracking_number) override;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

// The shipping service. Templates belong to their shop: its owner and staff manage them and
// name them on products; anyone may read them. Tracking is the shop's (or the system's, for a
// carrier); a shipment is visible to whoever may see its sub-order.
//
// Fees: a shop's part of a checkout groups its lines by their product's template; each group
// costs its rate (the first regional rate naming the address's city, else its province, else
// the default) unless it reaches free_from or ships to a free region. Lines whose product
// names no template cost the marketplace's flat fee (MarketplaceOptions), charged once per
// shop part. The part's fee is the sum. Cart::quote and Orders::place price alike.
//
// Thread-safety: like every service, any number of threads may call it at once.
class Shipping {
public:
    static constexpr std::size_t max_templates_per_shop = 100;
    static constexpr std::size_t max_tracking_updates = 200;  // per shipment

    ShippingTemplateId create_template(const Actor& actor, ShopId shop, const ShippingTemplateSpec& spec);
    // Products naming it are priced with the new spec from now on; orders keep what they paid.
    void update_template(const Actor& actor, ShippingTemplateId id, const ShippingTemplateSpec& spec);
    // Refused (invalid_state) while a product names it.
    void remove_template(const Actor& actor, ShippingTemplateId id);
    // The product's template (one of its shop's), or none for the flat fee.
    void set_product_template(const Actor& actor, ProductId product, std::optional<ShippingTemplateId> id);

    ShippingTemplateInfo shipping_template(ShippingTemplateId id) const;
    // By id.
    std::vector<ShippingTemplateInfo> templates_of(ShopId shop) const;
    std::optional<ShippingTemplateId> template_of(ProductId product) const;

    // The shop (or the system) records a tracking update of shipment `number` of a sub-order.
    // Updates older than the newest recorded one are refused (invalid_argument); after a
    // delivered update nothing more is recorded (invalid_state).
    void add_tracking(const Actor& actor, SubOrderId sub_order, std::uint32_t number, const TrackingUpdate& update);
    // Asks the tracker registered for each undelivered shipment's carrier and records what is
    // new (updates later than the newest recorded). Returns how many updates were recorded.
    std::size_t poll_carriers();

    // Every shipment of the payment order's sub-orders the actor may see.
    std::vector<ShipmentView> shipments_of_order(const Actor& actor, PaymentOrderId order) const;
    // The shipments with this tracking number that the actor may see.
    std::vector<ShipmentView> shipments_by_tracking(const Actor& actor, const std::string& tracking_number) const;
    // The shop's paid sub-orders with units to ship, paid at least `older_than` before now,
    // oldest first. The shop's members or platform staff.
    std::vector<OverdueSubOrder> overdue(const Actor& actor, ShopId shop, Duration older_than, Page page = {}) const;

private:
    friend class Marketplace;
    Shipping(detail::Kernel& kernel, detail::CarrierTrackers& trackers) : kernel_(&kernel), trackers_(&trackers) {}
    detail::Kernel* kernel_;
    detail::CarrierTrackers* trackers_;
};

}  // namespace souk
