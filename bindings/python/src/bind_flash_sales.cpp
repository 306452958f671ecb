// 秒杀 flash sales: the sale spec, its state and the service.
#include "bindings.hpp"

#include "souk/flash_sales.hpp"

namespace souk::python {

void bind_flash_sales(py::module_& m) {
    py::class_<FlashSaleItem> item(m, "FlashSaleItem",
                                   "One SKU of a flash sale: its sale price (below the SKU's price) and the units\n"
                                   "taken from available stock for the sale.");
    item.def(py::init([](SkuId sku, Money price, std::int64_t quantity) { return FlashSaleItem{sku, price, quantity}; }),
             py::kw_only(), py::arg("sku"), py::arg("price"), py::arg("quantity"));
    def_readwrite_fields(item, field("sku", &FlashSaleItem::sku), field("price", &FlashSaleItem::price),
                         field("quantity", &FlashSaleItem::quantity));
    item.def(py::self == py::self).def(py::self != py::self);

    py::class_<FlashSaleSpec> spec(m, "FlashSaleSpec",
                                   "A flash sale: 1..20 FlashSaleItems of one shop, a window [starts_at, ends_at),\n"
                                   "units per customer (1..100) and the payment timeout of its orders (1..30 minutes).");
    spec.def(py::init([](std::string name, std::vector<FlashSaleItem> items, Timestamp starts_at, Timestamp ends_at,
                         std::int32_t per_customer_limit, Duration payment_timeout) {
                 return FlashSaleSpec{std::move(name), std::move(items), starts_at, ends_at, per_customer_limit,
                                      payment_timeout};
             }),
             py::kw_only(), py::arg("name"), py::arg("items"), py::arg("starts_at"), py::arg("ends_at"),
             py::arg("per_customer_limit") = 1, py::arg("payment_timeout") = Duration(std::chrono::minutes(5)));
    def_readwrite_fields(spec, field("name", &FlashSaleSpec::name), field("items", &FlashSaleSpec::items),
                         field("starts_at", &FlashSaleSpec::starts_at), field("ends_at", &FlashSaleSpec::ends_at),
                         field("per_customer_limit", &FlashSaleSpec::per_customer_limit),
                         field("payment_timeout", &FlashSaleSpec::payment_timeout));
    spec.def(py::self == py::self).def(py::self != py::self);

    py::class_<FlashSaleInfo> info(m, "FlashSaleInfo",
                                   "A flash sale as it stands: left holds the units still for sale per SKU.");
    def_readonly_fields(info, field("id", &FlashSaleInfo::id), field("shop", &FlashSaleInfo::shop),
                        field("spec", &FlashSaleInfo::spec), field("left", &FlashSaleInfo::left),
                        field("created_at", &FlashSaleInfo::created_at));
    info.def(py::self == py::self).def(py::self != py::self);

    py::class_<FlashSales> sales(
        m, "FlashSales",
        "秒杀 flash sales (marketplace.flash_sales): a shop's owner and staff create them; customers buy with\n"
        "buy() or CheckoutRequest(flash_sale=...). Never oversold: the units are a reservation of the sale's\n"
        "own; unpaid orders return theirs to the sale at their deadline. See docs/promotions.md.");
    sales.def_readonly_static("max_items", &FlashSales::max_items)
        .def_readonly_static("max_per_customer", &FlashSales::max_per_customer)
        .def("create", &FlashSales::create, py::arg("actor"), py::arg("shop"), py::arg("spec"), ReleaseGil(),
             "Takes the units from available stock (souk.InsufficientStock if short); returns the FlashSaleId.")
        .def("sale", &FlashSales::sale, py::arg("sale"), ReleaseGil())
        .def("sales", &FlashSales::sales, py::arg("shop"), ReleaseGil(), "A shop's sales not yet over, by start.")
        .def("held", &FlashSales::held, py::arg("actor"), py::arg("sale"), py::arg("customer"), ReleaseGil(),
             "Units of the sale the customer holds in orders: the customer themself or platform staff.")
        .def("buy", &FlashSales::buy, py::arg("customer"), py::arg("sale"), py::arg("sku"), py::arg("quantity"),
             py::arg("address"), py::arg("idempotency_key"), ReleaseGil(),
             "Places a buy-now order at the sale price, due within the sale's payment timeout. souk.InvalidState\n"
             "outside the window, souk.InsufficientStock when sold out, souk.LimitExceeded above the limit.");
}

}  // namespace souk::python
