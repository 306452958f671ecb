// souk.Wallet (marketplace.wallet): customer wallets, their top-ups through a provider, and
// reading balances and statements. Paying from the wallet is orders.pay(customer, order,
// "wallet"). Every method runs without the GIL.
#include "bindings.hpp"

#include "souk/wallet.hpp"

namespace souk::python {
namespace {

const EnumNames<TopupStatus>& topup_status_names() {
    using enum TopupStatus;
    static const auto names = names_from({started, open, captured, declined}, topup_status_name);
    return names;
}

}  // namespace

void bind_wallet(py::module_& m) {
    m.attr("WALLET_PROVIDER") = std::string(wallet_provider_name);
    bind_enum(m, "TopupStatus", "started -> open -> captured (the wallet credited) | declined.", topup_status_names());

    py::class_<WalletTopup> topup(m, "WalletTopup",
                                  "A top-up: its amount, provider, status and what the customer must do to pay it\n"
                                  "(action).");
    def_readonly_fields(topup, field("id", &WalletTopup::id), field("customer", &WalletTopup::customer),
                        field("provider", &WalletTopup::provider), field("amount", &WalletTopup::amount),
                        field("status", &WalletTopup::status), field("idempotency_key", &WalletTopup::idempotency_key),
                        field("provider_payment_id", &WalletTopup::provider_payment_id),
                        field("action", &WalletTopup::action), field("created_at", &WalletTopup::created_at),
                        field("captured_at", &WalletTopup::captured_at));
    topup.def(py::self == py::self).def(py::self != py::self);

    py::class_<Wallet>(m, "Wallet",
                       "Customer wallets (marketplace.wallet): balances in the ledger, topped up through a\n"
                       "provider and spent with orders.pay(customer, order, \"wallet\"). Never negative.")
        .def("start_topup", &Wallet::start_topup, py::arg("customer"), py::arg("amount"), py::arg("provider"),
             ReleaseGil(),
             "Opens a payment of `amount` at `provider` whose capture, notified through\n"
             "orders.handle_notification, credits the customer's wallet. Returns the WalletTopup.")
        .def("topup", &Wallet::topup, py::arg("actor"), py::arg("topup"), ReleaseGil(),
             "A top-up: its customer or platform staff.")
        .def(
            "balance",
            [](const Wallet& self, const Actor& actor, UserId customer, const CurrencyArg& currency) {
                const auto code = to_currency(currency);
                py::gil_scoped_release release;
                return self.balance(actor, customer, code);
            },
            py::arg("actor"), py::arg("customer"), py::arg("currency"),
            "The wallet's balance (Money): the customer or platform staff.")
        .def(
            "statement",
            [](const Wallet& self, const Actor& actor, UserId customer, const CurrencyArg& currency, Page page) {
                const auto code = to_currency(currency);
                py::gil_scoped_release release;
                return self.statement(actor, customer, code, page);
            },
            py::arg("actor"), py::arg("customer"), py::arg("currency"), py::arg("page") = Page{},
            "A page of the wallet's entries with their running balance (an AccountStatement).");
}

}  // namespace souk::python
