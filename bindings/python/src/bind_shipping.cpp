// souk.Shipping (marketplace.shipping): fee templates, tracking, shipment queries, and the
// CarrierTracker port, which Python code may implement.
#include "bindings.hpp"

#include <memory>
#include <optional>

#include "souk/shipping.hpp"

namespace souk::python {
namespace {

const EnumNames<FeeBasis>& fee_basis_names() {
    using enum FeeBasis;
    static const auto names = names_from({piece, weight}, fee_basis_name);
    return names;
}

void bind_arguments(py::module_& m) {
    bind_enum(m, "FeeBasis", "What a shipping template counts: pieces, or grams (weight_grams x quantity).",
              fee_basis_names());

    py::class_<ShippingRate> rate(
        m, "ShippingRate",
        "A fee for a set of regions: first_fee covers up to first_units; each started block of\n"
        "additional_units beyond costs additional_fee. regions are province or city codes (none for a\n"
        "template's default rate); label names the set.");
    rate.def(py::init([](Money first_fee, Money additional_fee, std::int64_t first_units,
                         std::int64_t additional_units, std::vector<std::string> regions, std::string label) {
                 return ShippingRate{std::move(label), std::move(regions), first_units, first_fee, additional_units,
                                     additional_fee};
             }),
             py::kw_only(), py::arg("first_fee"), py::arg("additional_fee"), py::arg("first_units") = 1,
             py::arg("additional_units") = 1, py::arg("regions") = std::vector<std::string>{},
             py::arg("label") = std::string());
    def_readwrite_fields(rate, field("label", &ShippingRate::label), field("regions", &ShippingRate::regions),
                         field("first_units", &ShippingRate::first_units), field("first_fee", &ShippingRate::first_fee),
                         field("additional_units", &ShippingRate::additional_units),
                         field("additional_fee", &ShippingRate::additional_fee));
    rate.def(py::self == py::self).def(py::self != py::self);

    py::class_<ShippingTemplateSpec> spec(
        m, "ShippingTemplateSpec",
        "A shop's shipping fee template: name (1..40 characters), basis (souk.FeeBasis or its name), the\n"
        "default_rate, regional_rates (a city code beats a province code), free_from (a Money from which the\n"
        "template's lines ship free) and free_regions.");
    spec.def(py::init([](std::string name, ShippingRate default_rate, const EnumArg<FeeBasis>& basis,
                         std::vector<ShippingRate> regional_rates, std::optional<Money> free_from,
                         std::vector<std::string> free_regions) {
                 return ShippingTemplateSpec{std::move(name), to_enum(basis, fee_basis_names(), "fee basis"),
                                             std::move(default_rate), std::move(regional_rates), free_from,
                                             std::move(free_regions)};
             }),
             py::kw_only(), py::arg("name"), py::arg("default_rate"), py::arg("basis") = FeeBasis::piece,
             py::arg("regional_rates") = std::vector<ShippingRate>{}, py::arg("free_from") = py::none(),
             py::arg("free_regions") = std::vector<std::string>{});
    def_readwrite_fields(spec, field("name", &ShippingTemplateSpec::name),
                         enum_field("basis", &ShippingTemplateSpec::basis, fee_basis_names(), "fee basis"),
                         field("default_rate", &ShippingTemplateSpec::default_rate),
                         field("regional_rates", &ShippingTemplateSpec::regional_rates),
                         field("free_from", &ShippingTemplateSpec::free_from),
                         field("free_regions", &ShippingTemplateSpec::free_regions));
    spec.def(py::self == py::self).def(py::self != py::self);

    py::class_<TrackingUpdate> update(
        m, "TrackingUpdate",
        "One step of a shipment's journey: occurred_at (an aware datetime), location (0..100 characters),\n"
        "status (1..200 characters: the carrier's words) and delivered.");
    update.def(py::init([](Timestamp occurred_at, std::string status, std::string location, bool delivered) {
                   return TrackingUpdate{occurred_at, std::move(location), std::move(status), delivered};
               }),
               py::kw_only(), py::arg("occurred_at"), py::arg("status"), py::arg("location") = std::string(),
               py::arg("delivered") = false);
    def_readwrite_fields(update, field("occurred_at", &TrackingUpdate::occurred_at),
                         field("location", &TrackingUpdate::location), field("status", &TrackingUpdate::status),
                         field("delivered", &TrackingUpdate::delivered));
    update.def(py::self == py::self).def(py::self != py::self);
}

void bind_records(py::module_& m) {
    py::class_<ShippingTemplateInfo> info(m, "ShippingTemplateInfo",
                                          "A shipping template: its shop, spec, and how many products name it.");
    def_readonly_fields(info, field("id", &ShippingTemplateInfo::id), field("shop", &ShippingTemplateInfo::shop),
                        field("spec", &ShippingTemplateInfo::spec), field("products", &ShippingTemplateInfo::products),
                        field("updated_at", &ShippingTemplateInfo::updated_at));
    info.def(py::self == py::self).def(py::self != py::self);

    py::class_<ShipmentView> view(m, "ShipmentView",
                                  "A shipment (souk.Shipment) of a sub-order with its tracking, oldest first.");
    def_readonly_fields(view, field("sub_order", &ShipmentView::sub_order), field("order", &ShipmentView::order),
                        field("shop", &ShipmentView::shop), field("shipment", &ShipmentView::shipment),
                        field("tracking", &ShipmentView::tracking), field("delivered_at", &ShipmentView::delivered_at));
    view.def(py::self == py::self).def(py::self != py::self);

    py::class_<OverdueSubOrder> overdue(m, "OverdueSubOrder",
                                        "A paid sub-order with units still to ship long after payment.");
    def_readonly_fields(overdue, field("sub_order", &OverdueSubOrder::sub_order),
                        field("order", &OverdueSubOrder::order), field("paid_at", &OverdueSubOrder::paid_at),
                        field("units_to_ship", &OverdueSubOrder::units_to_ship));
    overdue.def(py::self == py::self).def(py::self != py::self);
}

// A CarrierTracker written in Python; the engine calls it without the GIL, so the override
// takes it. Whatever it raises means "no answer now": the shipment is asked again next poll.
class PythonCarrierTracker final : public CarrierTracker {
public:
    std::vector<TrackingUpdate> track(const std::string& carrier, const std::string& tracking_number) override {
        PYBIND11_OVERRIDE_PURE(std::vector<TrackingUpdate>, CarrierTracker, track, carrier, tracking_number);
    }
};

void bind_trackers(py::module_& m) {
    py::class_<CarrierTracker, PythonCarrierTracker, std::shared_ptr<CarrierTracker>>(
        m, "CarrierTracker",
        "The carrier adapter port. Subclass it in Python (call super().__init__()) and implement\n"
        "track(carrier, tracking_number) returning every TrackingUpdate the carrier knows; register it with\n"
        "Marketplace.register_carrier_tracker. Raising means no answer now.")
        .def(py::init<>())
        .def("track", &CarrierTracker::track, py::arg("carrier"), py::arg("tracking_number"), ReleaseGil());
    py::class_<ScriptedCarrierTracker, CarrierTracker, std::shared_ptr<ScriptedCarrierTracker>>(
        m, "ScriptedCarrierTracker", "A CarrierTracker for tests and demos: it reports what was scripted.")
        .def(py::init<>())
        .def("script", &ScriptedCarrierTracker::script, py::arg("tracking_number"), py::arg("update"), ReleaseGil(),
             "Adds a TrackingUpdate the carrier will report for tracking_number.");
}

void bind_service(py::module_& m) {
    py::class_<Shipping> shipping(
        m, "Shipping",
        "Shipping fee templates and shipment tracking: marketplace.shipping. A shop's owner and staff manage\n"
        "its templates and tracking; anyone reads templates; a shipment is visible to whoever may see its\n"
        "sub-order. See docs/fulfilment.md for how fees are computed.");
    shipping.def_readonly_static("max_templates_per_shop", &Shipping::max_templates_per_shop)
        .def_readonly_static("max_tracking_updates", &Shipping::max_tracking_updates)
        .def("create_template", &Shipping::create_template, py::arg("actor"), py::arg("shop"), py::arg("spec"),
             ReleaseGil(), "Creates a ShippingTemplateSpec for the shop; returns its ShippingTemplateId.")
        .def("update_template", &Shipping::update_template, py::arg("actor"), py::arg("template"), py::arg("spec"),
             ReleaseGil(), "Replaces a template's spec; orders keep what they were charged.")
        .def("remove_template", &Shipping::remove_template, py::arg("actor"), py::arg("template"), ReleaseGil(),
             "Removes a template no product names (souk.InvalidState otherwise).")
        .def("set_product_template", &Shipping::set_product_template, py::arg("actor"), py::arg("product"),
             py::arg("template"), ReleaseGil(),
             "Names one of the shop's templates on a product, or None for the marketplace's flat fee.")
        .def("shipping_template", &Shipping::shipping_template, py::arg("template"), ReleaseGil())
        .def("templates_of", &Shipping::templates_of, py::arg("shop"), ReleaseGil())
        .def("template_of", &Shipping::template_of, py::arg("product"), ReleaseGil())
        .def("add_tracking", &Shipping::add_tracking, py::arg("actor"), py::arg("sub_order"), py::arg("number"),
             py::arg("update"), ReleaseGil(),
             "The shop records a TrackingUpdate of shipment `number`; updates come in time order, nothing after\n"
             "a delivered one.")
        .def("poll_carriers", &Shipping::poll_carriers, ReleaseGil(),
             "Asks the registered CarrierTrackers about every undelivered shipment and records what is new;\n"
             "returns how many updates were recorded.")
        .def("shipments_of_order", &Shipping::shipments_of_order, py::arg("actor"), py::arg("order"), ReleaseGil())
        .def("shipments_by_tracking", &Shipping::shipments_by_tracking, py::arg("actor"), py::arg("tracking_number"),
             ReleaseGil())
        .def("overdue", &Shipping::overdue, py::arg("actor"), py::arg("shop"), py::arg("older_than"),
             py::arg("page") = Page{}, ReleaseGil(),
             "The shop's paid sub-orders with units to ship, paid at least older_than (a timedelta) ago, oldest\n"
             "first: its owner and staff, or platform staff.");
}

}  // namespace

void bind_shipping(py::module_& m) {
    bind_arguments(m);
    bind_records(m);
    bind_trackers(m);
    bind_service(m);
}

}  // namespace souk::python
