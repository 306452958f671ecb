// souk._core: the compiled half of the souk package; souk/__init__.py re-exports it.
#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
    using namespace souk::python;
    m.doc() = "souk: an embeddable commerce engine for multi-merchant marketplaces.";
    m.attr("__version__") = SOUK_VERSION;

    // Errors first: every later binding may raise them. Types before the services that take
    // them, so that default arguments (Page()) can be converted when they are declared.
    bind_errors(m);
    bind_money(m);
    bind_ids(m);
    bind_clock(m);
    bind_actor(m);
    bind_paging(m);
    bind_accounts(m);
    bind_shops(m);
    bind_search(m);
    bind_catalog(m);
    bind_inventory(m);
    bind_payment(m);
    bind_cart(m);
    bind_orders(m);
    bind_shipping(m);
    bind_after_sales(m);
    bind_reviews(m);
    bind_ledger(m);
    bind_promotions(m);
    bind_reports(m);
    bind_wallet(m);
    bind_flash_sales(m);
    bind_group_buying(m);
    bind_marketplace(m);
}
