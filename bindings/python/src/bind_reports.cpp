// souk.Reports (marketplace.reports): a period's figures for the platform or one shop, the
// CSV exports, and reconciliation of a provider's settlement file. Every method runs without
// the GIL.
#include "bindings.hpp"

#include "souk/reports.hpp"

namespace souk::python {
namespace {

const EnumNames<ProviderTransactionType>& transaction_type_names() {
    using enum ProviderTransactionType;
    static const auto names = names_from({capture, refund}, provider_transaction_type_name);
    return names;
}

void bind_period_and_figures(py::module_& m) {
    py::class_<ReportPeriod> period(
        m, "ReportPeriod",
        "What a report covers: [from_, until), the whole platform (shop None) or one shop; days begin at\n"
        "midnight at utc_offset_minutes from UTC (480 for China Standard Time).");
    period
        .def(py::init([](Timestamp from, Timestamp until, std::optional<ShopId> shop, int utc_offset_minutes) {
                 return ReportPeriod{from, until, shop, utc_offset_minutes};
             }),
             py::arg("from_"), py::arg("until"), py::kw_only(), py::arg("shop") = py::none(),
             py::arg("utc_offset_minutes") = 0)
        .def_readwrite("from_", &ReportPeriod::from)
        .def_readwrite("until", &ReportPeriod::until)
        .def_readwrite("shop", &ReportPeriod::shop)
        .def_readwrite("utc_offset_minutes", &ReportPeriod::utc_offset_minutes)
        .def(py::self == py::self)
        .def(py::self != py::self);
    def_repr(period, {"from_", "until", "shop", "utc_offset_minutes"});

    py::class_<SalesSummary> summary(
        m, "SalesSummary",
        "A period's headline figures in one currency: gmv, paid_orders, average_order_value, refunds,\n"
        "refund_count, refund_rate_bps, commission, subsidies and payouts (docs/reports.md defines each).");
    def_readonly_fields(summary, field("currency", &SalesSummary::currency), field("gmv", &SalesSummary::gmv),
                        field("paid_orders", &SalesSummary::paid_orders),
                        field("average_order_value", &SalesSummary::average_order_value),
                        field("refunds", &SalesSummary::refunds), field("refund_count", &SalesSummary::refund_count),
                        field("refund_rate_bps", &SalesSummary::refund_rate_bps),
                        field("commission", &SalesSummary::commission), field("subsidies", &SalesSummary::subsidies),
                        field("payouts", &SalesSummary::payouts));
    summary.def(py::self == py::self).def(py::self != py::self);

    py::class_<DailySales> daily(m, "DailySales", "One day's gmv, paid_orders and refunds in one currency.");
    def_readonly_fields(daily, field("day", &DailySales::day), field("currency", &DailySales::currency),
                        field("gmv", &DailySales::gmv), field("paid_orders", &DailySales::paid_orders),
                        field("refunds", &DailySales::refunds));
    daily.def(py::self == py::self).def(py::self != py::self);

    py::class_<CategorySales> category(m, "CategorySales", "A category's sales (paid lines, shipping excluded) and units.");
    def_readonly_fields(category, field("category", &CategorySales::category), field("name", &CategorySales::name),
                        field("currency", &CategorySales::currency), field("sales", &CategorySales::sales),
                        field("units", &CategorySales::units));
    category.def(py::self == py::self).def(py::self != py::self);

    py::class_<ProductSales> product(m, "ProductSales", "A product's sales (paid lines) and units.");
    def_readonly_fields(product, field("product", &ProductSales::product), field("shop", &ProductSales::shop),
                        field("title", &ProductSales::title), field("currency", &ProductSales::currency),
                        field("sales", &ProductSales::sales), field("units", &ProductSales::units));
    product.def(py::self == py::self).def(py::self != py::self);
}

void bind_reconciliation(py::module_& m) {
    bind_enum(m, "ProviderTransactionType", "capture or refund: a movement of money at a payment provider.",
              transaction_type_names());

    py::class_<ProviderTransaction> transaction(
        m, "ProviderTransaction", "A capture or refund at a provider: its reference (the provider's id) and amount.");
    def_readonly_fields(transaction, field("type", &ProviderTransaction::type),
                        field("reference", &ProviderTransaction::reference),
                        field("amount", &ProviderTransaction::amount));
    transaction.def(py::self == py::self).def(py::self != py::self);

    py::class_<ReconciliationMismatch> mismatch(m, "ReconciliationMismatch",
                                                "The same reference with another amount, currency or type.");
    def_readonly_fields(mismatch, field("in_file", &ReconciliationMismatch::in_file),
                        field("in_ledger", &ReconciliationMismatch::in_ledger));
    mismatch.def(py::self == py::self).def(py::self != py::self);

    py::class_<Reconciliation> result(m, "Reconciliation",
                                      "matched, missing_in_ledger (file only), missing_in_file (ledger only) and\n"
                                      "mismatched transactions; clean() when only matched.");
    def_readonly_fields(result, field("matched", &Reconciliation::matched),
                        field("missing_in_ledger", &Reconciliation::missing_in_ledger),
                        field("missing_in_file", &Reconciliation::missing_in_file),
                        field("mismatched", &Reconciliation::mismatched));
    result.def("clean", &Reconciliation::clean).def(py::self == py::self).def(py::self != py::self);
}

void bind_service(py::module_& m) {
    py::class_<Reports> reports(m, "Reports",
                                "Reports (marketplace.reports). Platform staff read the platform's and any shop's; a\n"
                                "shop's owner and staff their own shop's; reconcile is platform staff's only.");
    reports.attr("max_top_products") = Reports::max_top_products;
    reports.attr("max_settlement_file_bytes") = Reports::max_settlement_file_bytes;
    reports
        .def("summary", &Reports::summary, py::arg("actor"), py::arg("period"), ReleaseGil(),
             "One SalesSummary per currency traded in the period.")
        .def("sales_by_day", &Reports::sales_by_day, py::arg("actor"), py::arg("period"), ReleaseGil(),
             "DailySales of every day with a sale or a refund, oldest first.")
        .def("sales_by_category", &Reports::sales_by_category, py::arg("actor"), py::arg("period"), ReleaseGil(),
             "CategorySales of every category with sales.")
        .def("top_products", &Reports::top_products, py::arg("actor"), py::arg("period"), py::arg("limit"),
             ReleaseGil(), "The best `limit` ProductSales of each currency, by sales, then units.")
        .def("summary_csv", &Reports::summary_csv, py::arg("actor"), py::arg("period"), ReleaseGil())
        .def("sales_by_day_csv", &Reports::sales_by_day_csv, py::arg("actor"), py::arg("period"), ReleaseGil())
        .def("sales_by_category_csv", &Reports::sales_by_category_csv, py::arg("actor"), py::arg("period"),
             ReleaseGil())
        .def("top_products_csv", &Reports::top_products_csv, py::arg("actor"), py::arg("period"), py::arg("limit"),
             ReleaseGil())
        .def(
            "reconcile",
            [](const Reports& self, const Actor& actor, const std::string& provider, const std::string& settlement_file,
               Timestamp from, Timestamp until) {
                py::gil_scoped_release release;
                return self.reconcile(actor, provider, settlement_file, from, until);
            },
            py::arg("actor"), py::arg("provider"), py::arg("settlement_file"), py::arg("from_"), py::arg("until"),
            "Compares the provider's settlement file (CSV text: type, reference, amount, currency) with the\n"
            "captures and refunds the ledger posted through it in [from_, until).");
}

}  // namespace

void bind_reports(py::module_& m) {
    bind_period_and_figures(m);
    bind_reconciliation(m);
    bind_service(m);
}

}  // namespace souk::python
