// souk.AfterSales (marketplace.after_sales): refund and return requests, decisions,
// arbitration and returns, with their enums and records.
#include "bindings.hpp"

#include <optional>

#include "souk/after_sales.hpp"

namespace souk::python {
namespace {

const EnumNames<AfterSalesKind>& kind_names() {
    using enum AfterSalesKind;
    static const auto names = names_from({refund_only, return_and_refund}, after_sales_kind_name);
    return names;
}

const EnumNames<AfterSalesStatus>& status_names() {
    using enum AfterSalesStatus;
    static const auto names =
        names_from({requested, approved, rejected, return_shipped, refunded, withdrawn}, after_sales_status_name);
    return names;
}

const EnumNames<DecidedBy>& decided_by_names() {
    using enum DecidedBy;
    static const auto names = names_from({seller, platform, deadline}, decided_by_name);
    return names;
}

void bind_types(py::module_& m) {
    bind_enum(m, "AfterSalesKind", "refund_only (the buyer keeps the goods, or nothing shipped) or return_and_refund.",
              kind_names());
    bind_enum(m, "AfterSalesStatus",
              "requested -> approved (a return waits for the goods) -> return_shipped -> refunded; a refund only\n"
              "is refunded when approved; rejected; withdrawn by the buyer.",
              status_names());
    bind_enum(m, "DecidedBy", "Who decided an after-sales request: seller, platform or the response deadline.",
              decided_by_names());

    py::class_<AfterSalesLine> line(m, "AfterSalesLine", "Units of one SKU an after-sales request covers.");
    line.def(py::init([](SkuId sku, std::int64_t quantity) { return AfterSalesLine{sku, quantity}; }), py::kw_only(),
             py::arg("sku"), py::arg("quantity"));
    def_readwrite_fields(line, field("sku", &AfterSalesLine::sku), field("quantity", &AfterSalesLine::quantity));
    line.def(py::self == py::self).def(py::self != py::self);

    py::class_<AfterSalesRequest> request(
        m, "AfterSalesRequest",
        "What the buyer asks: the sub_order, kind (souk.AfterSalesKind or its name), AfterSalesLines, reason\n"
        "(1..500 characters) and evidence (at most 9 http(s) URLs).");
    request
        .def(py::init([](SubOrderId sub_order, const EnumArg<AfterSalesKind>& kind, std::vector<AfterSalesLine> lines,
                         std::string reason, std::vector<std::string> evidence) {
                 return AfterSalesRequest{sub_order, to_enum(kind, kind_names(), "after-sales kind"), std::move(lines),
                                          std::move(reason), std::move(evidence)};
             }),
             py::kw_only(), py::arg("sub_order"), py::arg("kind"), py::arg("lines"), py::arg("reason"),
             py::arg("evidence") = std::vector<std::string>{});
    def_readwrite_fields(request, field("sub_order", &AfterSalesRequest::sub_order),
                         enum_field("kind", &AfterSalesRequest::kind, kind_names(), "after-sales kind"),
                         field("lines", &AfterSalesRequest::lines), field("reason", &AfterSalesRequest::reason),
                         field("evidence", &AfterSalesRequest::evidence));
    request.def(py::self == py::self).def(py::self != py::self);

    py::class_<AfterSalesLineInfo> line_info(m, "AfterSalesLineInfo",
                                             "A requested line and its units' share of the line's paid share.");
    def_readonly_fields(line_info, field("sku", &AfterSalesLineInfo::sku),
                        field("quantity", &AfterSalesLineInfo::quantity), field("amount", &AfterSalesLineInfo::amount));
    line_info.def(py::self == py::self).def(py::self != py::self);

    py::class_<AfterSalesInfo> info(
        m, "AfterSalesInfo",
        "An after-sales request: amount = the lines + shipping (returned only with a whole unshipped\n"
        "sub-order); respond_by is when tick approves it if the shop has not answered; refund names the\n"
        "refund it issued.");
    def_readonly_fields(
        info, field("id", &AfterSalesInfo::id), field("sub_order", &AfterSalesInfo::sub_order),
        field("order", &AfterSalesInfo::order), field("shop", &AfterSalesInfo::shop),
        field("customer", &AfterSalesInfo::customer), field("kind", &AfterSalesInfo::kind),
        field("status", &AfterSalesInfo::status), field("lines", &AfterSalesInfo::lines),
        field("shipping", &AfterSalesInfo::shipping), field("amount", &AfterSalesInfo::amount),
        field("reason", &AfterSalesInfo::reason), field("evidence", &AfterSalesInfo::evidence),
        field("requested_at", &AfterSalesInfo::requested_at), field("respond_by", &AfterSalesInfo::respond_by),
        field("decided_by", &AfterSalesInfo::decided_by), field("decision_reason", &AfterSalesInfo::decision_reason),
        field("decided_at", &AfterSalesInfo::decided_at), field("arbitrated", &AfterSalesInfo::arbitrated),
        field("return_carrier", &AfterSalesInfo::return_carrier),
        field("return_tracking_number", &AfterSalesInfo::return_tracking_number),
        field("return_shipped_at", &AfterSalesInfo::return_shipped_at),
        field("return_received_at", &AfterSalesInfo::return_received_at),
        field("returned_sellable", &AfterSalesInfo::returned_sellable), field("refund", &AfterSalesInfo::refund));
    info.def(py::self == py::self).def(py::self != py::self);

    using StatusArg = std::optional<EnumArg<AfterSalesStatus>>;
    py::class_<AfterSalesFilter> filter(m, "AfterSalesFilter",
                                        "Which requests a list shows: status (souk.AfterSalesStatus or its name; None "
                                        "for any).");
    filter
        .def(py::init([](const StatusArg& status) {
                 return AfterSalesFilter{status ? std::optional(to_enum(*status, status_names(), "after-sales status"))
                                                : std::nullopt};
             }),
             py::kw_only(), py::arg("status") = py::none())
        .def_readonly("status", &AfterSalesFilter::status)
        .def(py::self == py::self)
        .def(py::self != py::self);
    def_repr(filter, {"status"});
}

void bind_service(py::module_& m) {
    py::class_<AfterSales> service(
        m, "AfterSales",
        "After-sales requests: marketplace.after_sales. The buyer requests, ships back and withdraws; the\n"
        "shop's owner and staff decide and receive returns; platform staff may do what the shop does and\n"
        "arbitrate. An open request holds its sub-order's after-sales window. See docs/fulfilment.md.");
    service.def_readonly_static("max_evidence", &AfterSales::max_evidence)
        .def("request", &AfterSales::request, py::arg("customer"), py::arg("request"), ReleaseGil(),
             "The buyer asks for a refund or a return (an AfterSalesRequest); returns its AfterSalesId.")
        .def("approve", &AfterSales::approve, py::arg("actor"), py::arg("id"), py::arg("reason") = std::string(),
             ReleaseGil(), "The shop approves: a refund only is refunded at once, a return waits for the goods.")
        .def("reject", &AfterSales::reject, py::arg("actor"), py::arg("id"), py::arg("reason"), ReleaseGil())
        .def("arbitrate", &AfterSales::arbitrate, py::arg("actor"), py::arg("id"), py::arg("approve"),
             py::arg("reason"), ReleaseGil(), "Platform staff settle a dispute: approve or reject.")
        .def("ship_return", &AfterSales::ship_return, py::arg("customer"), py::arg("id"), py::arg("carrier"),
             py::arg("tracking_number"), ReleaseGil())
        .def("receive_return", &AfterSales::receive_return, py::arg("actor"), py::arg("id"), py::arg("sellable"),
             ReleaseGil(), "The shop received the return; sellable units go back on hand; the refund is issued.")
        .def("withdraw", &AfterSales::withdraw, py::arg("customer"), py::arg("id"), ReleaseGil())
        .def("tick", &AfterSales::tick, py::arg("now"), ReleaseGil(),
             "Approves every request whose response deadline passed; Marketplace.tick calls it.")
        .def("info", &AfterSales::info, py::arg("actor"), py::arg("id"), ReleaseGil())
        .def("of_sub_order", &AfterSales::of_sub_order, py::arg("actor"), py::arg("sub_order"), ReleaseGil())
        .def("of_shop", &AfterSales::of_shop, py::arg("actor"), py::arg("shop"),
             py::arg("filter") = AfterSalesFilter{}, py::arg("page") = Page{}, ReleaseGil())
        .def("of_customer", &AfterSales::of_customer, py::arg("actor"), py::arg("customer"),
             py::arg("filter") = AfterSalesFilter{}, py::arg("page") = Page{}, ReleaseGil());
}

}  // namespace

void bind_after_sales(py::module_& m) {
    bind_types(m);
    bind_service(m);
}

}  // namespace souk::python
