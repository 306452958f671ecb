// souk.Inventory (marketplace.inventory): stock per SKU, reservations, and their records. Every
// method runs without the GIL, so Python threads reserving at once wait in the engine, which
// serializes them and never oversells.
#include "bindings.hpp"

#include <optional>

#include "souk/inventory.hpp"

namespace souk::python {
namespace {

const EnumNames<ReservationHolder>& reservation_holder_names() {
    using enum ReservationHolder;
    static const auto names = names_from({shop, order, flash_sale}, reservation_holder_name);
    return names;
}

const EnumNames<ReservationStatus>& reservation_status_names() {
    using enum ReservationStatus;
    static const auto names = names_from({open, released, expired, committed}, reservation_status_name);
    return names;
}

void bind_arguments(py::module_& m) {
    py::class_<StockChange> change(
        m, "StockChange",
        "A change to a SKU's units on hand: delta positive for goods received, negative for shrinkage or a\n"
        "stock take; non-zero and at most Inventory.max_on_hand either way.");
    change.def(py::init([](SkuId sku, std::int64_t delta) { return StockChange{sku, delta}; }), py::kw_only(),
               py::arg("sku"), py::arg("delta"));
    def_readwrite_fields(change, field("sku", &StockChange::sku), field("delta", &StockChange::delta));
    change.def(py::self == py::self).def(py::self != py::self);

    py::class_<StockLine> line(m, "StockLine", "A quantity of one SKU, 1..Inventory.max_quantity.");
    line.def(py::init([](SkuId sku, std::int64_t quantity) { return StockLine{sku, quantity}; }), py::kw_only(),
             py::arg("sku"), py::arg("quantity"));
    def_readwrite_fields(line, field("sku", &StockLine::sku), field("quantity", &StockLine::quantity));
    line.def(py::self == py::self).def(py::self != py::self);
}

void bind_results(py::module_& m) {
    py::class_<StockLevel> level(
        m, "StockLevel",
        "A SKU's stock: available = on_hand - reserved, 0 <= reserved <= on_hand always; sold counts units\n"
        "committed over the SKU's life; dropped: no longer one of its product's SKUs, it cannot be reserved.");
    def_readonly_fields(level, field("sku", &StockLevel::sku), field("product", &StockLevel::product),
                        field("shop", &StockLevel::shop), field("on_hand", &StockLevel::on_hand),
                        field("reserved", &StockLevel::reserved), field("available", &StockLevel::available),
                        field("sold", &StockLevel::sold),
                        field("low_stock_threshold", &StockLevel::low_stock_threshold),
                        field("dropped", &StockLevel::dropped));
    level.def(py::self == py::self).def(py::self != py::self);

    py::class_<ReservationOwner> owner(m, "ReservationOwner",
                                       "Who a reservation holds stock for: a shop or an order, by its id number.");
    def_readonly_fields(owner, field("holder", &ReservationOwner::holder), field("id", &ReservationOwner::id));
    owner.def(py::self == py::self).def(py::self != py::self);

    py::class_<ReservationInfo> info(
        m, "ReservationInfo",
        "Units held for a shop or an order: one StockLine per SKU, by SKU id, all of one shop. closed_at is\n"
        "when it left open, None while open.");
    def_readonly_fields(info, field("id", &ReservationInfo::id), field("shop", &ReservationInfo::shop),
                        field("owner", &ReservationInfo::owner), field("lines", &ReservationInfo::lines),
                        field("status", &ReservationInfo::status), field("created_at", &ReservationInfo::created_at),
                        field("expires_at", &ReservationInfo::expires_at),
                        field("closed_at", &ReservationInfo::closed_at));
    info.def(py::self == py::self).def(py::self != py::self);
}

void def_commands(py::class_<Inventory>& inventory) {
    inventory
        .def("adjust", &Inventory::adjust, py::arg("actor"), py::arg("changes"), py::arg("reason"), ReleaseGil(),
             "Adds each StockChange's delta to its SKU's on_hand (one SKU named twice: added together); reason\n"
             "1..200 characters. souk.InsufficientStock if a SKU would end below its reserved units,\n"
             "souk.LimitExceeded above max_on_hand; then nothing changes.")
        .def("reserve", &Inventory::reserve, py::arg("actor"), py::arg("lines"), py::arg("expires_at"), ReleaseGil(),
             "Holds units of one shop's SKUs (a list of StockLine) for the shop until released, committed or\n"
             "expired; returns the ReservationId. souk.InsufficientStock if any SKU has fewer available units,\n"
             "and then nothing is held. expires_at is after now and at most max_reservation_lifetime ahead.")
        .def("release", &Inventory::release, py::arg("actor"), py::arg("reservation"), ReleaseGil(),
             "Returns an open hold's units to available.")
        .def("commit", &Inventory::commit, py::arg("actor"), py::arg("reservation"), ReleaseGil(),
             "An open hold's units are sold: they leave on_hand and reserved, and count as sold.")
        .def("set_low_stock_threshold", &Inventory::set_low_stock_threshold, py::arg("actor"), py::arg("sku"),
             py::arg("threshold"), ReleaseGil(),
             "The available units at or under which a SKU is low on stock, 0..max_on_hand; None clears it.")
        .def("tick", &Inventory::tick, py::arg("now"), ReleaseGil(),
             "Expires every open reservation due at or before now (not ahead of the marketplace clock), as the\n"
             "system; returns how many. Marketplace.tick calls it.");
}

void def_queries(py::class_<Inventory>& inventory) {
    inventory
        .def("stock", &Inventory::stock, py::arg("actor"), py::arg("sku"), ReleaseGil(),
             "A SKU's StockLevel: the shop's members and platform staff.")
        .def("stock_of_product", &Inventory::stock_of_product, py::arg("actor"), py::arg("product"), ReleaseGil(),
             "Every SKU the product ever had, by SKU id, dropped ones included.")
        .def("low_stock", &Inventory::low_stock, py::arg("actor"), py::arg("shop"), py::arg("page") = Page{},
             ReleaseGil(), "The shop's live SKUs at or under their low-stock threshold, by SKU id.")
        .def("reservation", &Inventory::reservation, py::arg("actor"), py::arg("reservation"), ReleaseGil(),
             "A ReservationInfo: the shop's members and platform staff.")
        .def(
            "reservations",
            [](const Inventory& inventory, const Actor& actor, ShopId shop,
               const std::optional<EnumArg<ReservationStatus>>& status, Page page) {
                std::optional<ReservationStatus> wanted;
                if (status) wanted = to_enum(*status, reservation_status_names(), "reservation status");
                return inventory.reservations(actor, shop, wanted, page);
            },
            py::arg("actor"), py::arg("shop"), py::arg("status") = py::none(), py::arg("page") = Page{}, ReleaseGil(),
            "The shop's reservations, newest first, in a status (souk.ReservationStatus or its name) or in any\n"
            "with None.");
}

void bind_service(py::module_& m) {
    py::class_<Inventory> inventory(
        m, "Inventory",
        "Stock per SKU, never oversold: marketplace.inventory. A shop's owner and staff manage its stock;\n"
        "they and platform staff read it. Every operation is all-or-nothing across the SKUs it names.\n"
        "A closed shop's stock can no longer be adjusted or reserved (souk.InvalidState).");
    inventory.def_readonly_static("max_lines", &Inventory::max_lines)
        .def_readonly_static("max_quantity", &Inventory::max_quantity)
        .def_readonly_static("max_on_hand", &Inventory::max_on_hand)
        .def_readonly_static("max_reservation_lifetime", &Inventory::max_reservation_lifetime);
    def_commands(inventory);
    def_queries(inventory);
}

}  // namespace

void bind_inventory(py::module_& m) {
    bind_enum(m, "ReservationHolder", "Who a reservation holds stock for.", reservation_holder_names());
    bind_enum(m, "ReservationStatus",
              "open -> released (by its holder) | expired (by tick, past expires_at) | committed (sold).",
              reservation_status_names());
    bind_arguments(m);
    bind_results(m);
    bind_service(m);
}

}  // namespace souk::python
