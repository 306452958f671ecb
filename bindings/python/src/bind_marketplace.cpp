// souk.Marketplace, its options, and the audit trail it reads.
#include "bindings.hpp"

#include <pybind11/stl/filesystem.h>

#include <memory>
#include <optional>

#include "souk/marketplace.hpp"
#include "souk/pipeline.hpp"

namespace souk::python {
namespace {

const EnumNames<PasswordHashing>& password_hashing_names() {
    static const EnumNames<PasswordHashing> names{{"minimal", PasswordHashing::minimal},
                                                  {"interactive", PasswordHashing::interactive},
                                                  {"moderate", PasswordHashing::moderate}};
    return names;
}

// Binds a static factory that opens a marketplace with `open(leading..., options)`. Its arguments
// are `leading_names`, then the MarketplaceOptions fields as keyword-only arguments with the C++
// defaults.
template <class... Leading, class Open, class... LeadingNames>
void def_factory(py::class_<Marketplace>& market, const char* name, const char* doc, Open open,
                 LeadingNames... leading_names) {
    const MarketplaceOptions defaults;
    market.def_static(
        name,
        [open](Leading... leading, std::shared_ptr<Clock> clock, const EnumArg<PasswordHashing>& password_hashing,
               Duration session_lifetime, Duration payment_timeout, Duration auto_receive_after,
               Duration after_sales_window, Duration review_window, Duration after_sales_response_window,
               std::optional<Money> shipping_fee_per_shop, std::optional<Money> free_shipping_from,
               const CurrencyArg& currency, int settlement_days, StackingRules stacking) {
            return open(leading...,
                        MarketplaceOptions{
                            .clock = std::move(clock),
                            .password_hashing = to_enum(password_hashing, password_hashing_names(), "password hashing"),
                            .session_lifetime = session_lifetime,
                            .payment_timeout = payment_timeout,
                            .auto_receive_after = auto_receive_after,
                            .after_sales_window = after_sales_window,
                            .review_window = review_window,
                            .after_sales_response_window = after_sales_response_window,
                            .shipping_fee_per_shop = shipping_fee_per_shop,
                            .free_shipping_from = free_shipping_from,
                            .currency = to_currency(currency),
                            .settlement_days = settlement_days,
                            .stacking = std::move(stacking)});
        },
        leading_names..., py::kw_only(), py::arg("clock") = py::none(),
        py::arg("password_hashing") = defaults.password_hashing,
        py::arg("session_lifetime") = defaults.session_lifetime, py::arg("payment_timeout") = defaults.payment_timeout,
        py::arg("auto_receive_after") = defaults.auto_receive_after,
        py::arg("after_sales_window") = defaults.after_sales_window,
        py::arg("review_window") = defaults.review_window,
        py::arg("after_sales_response_window") = defaults.after_sales_response_window,
        py::arg("shipping_fee_per_shop") = defaults.shipping_fee_per_shop,
        py::arg("free_shipping_from") = defaults.free_shipping_from, py::arg("currency") = defaults.currency,
        py::arg("settlement_days") = defaults.settlement_days, py::arg("stacking") = defaults.stacking, ReleaseGil(),
        doc);
}

void bind_audit_entry(py::module_& m) {
    py::class_<AuditEntry> entry(m, "AuditEntry",
                                 "One event in an entity's history. `command` is the journal position of the command\n"
                                 "that emitted it, shared by all its events; `actor` is UserId(0) for the system;\n"
                                 "`details` holds the event's fields as JSON, secrets redacted.");
    def_readonly_fields(entry, field("command", &AuditEntry::command), field("time", &AuditEntry::time),
                        field("actor", &AuditEntry::actor), field("event", &AuditEntry::event),
                        field("details", &AuditEntry::details));
    entry.def(py::self == py::self).def(py::self != py::self);
}

void bind_tick_report(py::module_& m) {
    py::class_<TickReport> report(m, "TickReport",
                                  "What one Marketplace.tick did: the OrdersTickReport of the order deadlines, and the\n"
                                  "stock reservations that expired with no order releasing them first, and the\n"
                                  "after-sales requests approved because the shop did not answer in time.");
    def_readonly_fields(report, field("reservations_expired", &TickReport::reservations_expired),
                        field("orders", &TickReport::orders),
                        field("after_sales_approved", &TickReport::after_sales_approved),
                        field("groups", &TickReport::groups));
    report.def(py::self == py::self).def(py::self != py::self);
}

void bind_marketplace_class(py::module_& m) {
    py::class_<Marketplace> market(
        m, "Marketplace",
        "One marketplace: the engine state over one journal. Commands are serialized and return once durable;\n"
        "queries run concurrently. Every call releases the GIL, so Python threads may share one marketplace.\n"
        "Options (keyword-only): clock (default a SystemClock), password_hashing (souk.PasswordHashing or its\n"
        "name; default 'interactive'), session_lifetime (a timedelta; default 30 days), payment_timeout (default\n"
        "30 minutes, at most 30 days), auto_receive_after (default 10 days), after_sales_window (default 7\n"
        "days), review_window (default 15 days), after_sales_response_window (how long a shop has to answer an\n"
        "after-sales request; default 2 days), shipping_fee_per_shop (a Money charged for each shop's part of\n"
        "an order whose products name no shipping template; default None: free), free_shipping_from (a Money from which a shop's part ships free;\n"
        "default None: never) and currency (a souk.Currency or its code: what a search covers when its query\n"
        "names none; default CNY), settlement_days (the default T+N of payouts, 0..90; default 7) and stacking\n"
        "(souk.StackingRules: which discount kinds combine on a line; default: all).");
    def_factory(market, "in_memory", "A marketplace whose state lives only in memory.",
                [](MarketplaceOptions options) { return Marketplace::in_memory(std::move(options)); });
    def_factory<const std::filesystem::path&>(
        market, "open_sqlite",
        "A marketplace stored in a SQLite journal file (str or os.PathLike), created if missing; an existing\n"
        "file is replayed. The file is closed when the Marketplace is garbage-collected.",
        [](const std::filesystem::path& path, MarketplaceOptions options) {
            return Marketplace::open_sqlite(path, std::move(options));
        },
        py::arg("path"));
    market.def_property_readonly("accounts", &Marketplace::accounts)
        .def_property_readonly("shops", &Marketplace::shops)
        .def_property_readonly("catalog", &Marketplace::catalog)
        .def_property_readonly("inventory", &Marketplace::inventory)
        .def_property_readonly("cart", &Marketplace::cart)
        .def_property_readonly("orders", &Marketplace::orders)
        .def_property_readonly("shipping", &Marketplace::shipping)
        .def_property_readonly("after_sales", &Marketplace::after_sales)
        .def_property_readonly("reviews", &Marketplace::reviews)
        .def_property_readonly("ledger", &Marketplace::ledger)
        .def_property_readonly("promotions", &Marketplace::promotions)
        .def_property_readonly("reports", &Marketplace::reports)
        .def_property_readonly("wallet", &Marketplace::wallet)
        .def_property_readonly("flash_sales", &Marketplace::flash_sales)
        .def_property_readonly("group_buying", &Marketplace::group_buying)
        .def_property_readonly("clock", &Marketplace::clock)
        // The marketplace holds the provider through its C++ half only; keep_alive holds the Python
        // object too, or a provider written in Python would lose its methods once collected.
        .def("register_payment_provider", &Marketplace::register_payment_provider, py::arg("name"),
             py::arg("provider"), py::keep_alive<1, 3>(), ReleaseGil(),
             "Makes a souk.PaymentProvider (a SandboxProvider, or one written in Python) available to\n"
             "orders.pay and orders.handle_notification under name (1..40 lower-case letters, digits, '-' or\n"
             "'_'). Payments record the name: register each provider under the same name every time the\n"
             "marketplace is opened. souk.AlreadyExists for a name in use. The marketplace keeps the provider\n"
             "alive.")
        .def("register_carrier_tracker", &Marketplace::register_carrier_tracker, py::arg("carrier"),
             py::arg("tracker"), py::keep_alive<1, 3>(), ReleaseGil(),
             "Makes a souk.CarrierTracker (a ScriptedCarrierTracker, or one written in Python) answer\n"
             "shipping.poll_carriers for shipments of that carrier. souk.AlreadyExists for a carrier that has one.")
        .def("tick", &Marketplace::tick, py::arg("now"), ReleaseGil(),
             "Fires every deadline due at or before now, which must not be ahead of the marketplace clock:\n"
             "unanswered after-sales requests are approved, unpaid orders are cancelled, shipped sub-orders received and received ones completed, then expired\n"
             "stock reservations are released. Returns a TickReport. Hosts call it on a timer; tests drive it\n"
             "with a ManualClock.")
        .def("audit", &Marketplace::audit, py::arg("actor"), py::arg("entity"), ReleaseGil(),
             "The history of one entity (an EntityRef or any id), oldest first. Platform staff read any trail, a\n"
             "user their own and their addresses', orders', sub-orders' and refunds', a shop's owner and staff\n"
             "their shop's and its products', SKUs', reservations', sub-orders' and their refunds'; others get\n"
             "souk.Forbidden.")
        .def("journal_position", &Marketplace::journal_position, ReleaseGil(),
             "The journal position of the last durable command.");
}

// A Pipeline that Python can close at a known moment (the end of a with block) rather than
// whenever the object is collected.
class PipelineHandle {
public:
    explicit PipelineHandle(Marketplace& market) : pipeline_(std::make_unique<Pipeline>(market)) {}

    void wait() { open().wait(); }
    std::size_t unwaited() { return open().unwaited(); }
    void close() { pipeline_.reset(); }
    bool closed() const { return !pipeline_; }

private:
    Pipeline& open() {
        if (!pipeline_) throw Error(Errc::invalid_state, "the pipeline is closed");
        return *pipeline_;
    }
    std::unique_ptr<Pipeline> pipeline_;
};

void bind_pipeline(py::module_& m) {
    py::class_<PipelineHandle>(
        m, "Pipeline",
        "Pipeline(marketplace): while open on a thread, that thread's commands on the marketplace return as\n"
        "soon as they are applied instead of waiting until they are durable; wait() returns once all of them\n"
        "are, or raises souk.StorageFailure if any was not stored. Acknowledge nothing a pipelined command\n"
        "did outside the process (a customer, a payment webhook) before wait() returns. As a context manager\n"
        "it waits on a clean exit and closes either way. One open pipeline per thread (souk.InvalidState\n"
        "for a second). See docs/benchmarks.md and the C++ header souk/pipeline.hpp.")
        .def(py::init<Marketplace&>(), py::arg("marketplace"), py::keep_alive<1, 2>())
        .def("wait", &PipelineHandle::wait, ReleaseGil(),
             "Waits until every command run in the pipeline so far is durable; souk.StorageFailure if any\n"
             "was not stored.")
        .def_property_readonly("unwaited", &PipelineHandle::unwaited,
                               "Commands run since the last wait() (or since the pipeline opened).")
        .def("close", &PipelineHandle::close,
             "Ends the pipeline without waiting: later commands on this thread wait for durability again.")
        .def_property_readonly("closed", &PipelineHandle::closed)
        .def("__enter__", [](PipelineHandle& self) -> PipelineHandle& { return self; },
             py::return_value_policy::reference_internal)
        .def("__exit__", [](PipelineHandle& self, const py::object& type, const py::object&, const py::object&) {
            // Closed even if the wait raises, so the thread is back to waiting commands.
            struct Close {
                PipelineHandle& handle;
                ~Close() { handle.close(); }
            } close{self};
            if (type.is_none() && !self.closed()) {
                py::gil_scoped_release release;
                self.wait();
            }
            return false;
        });
}

}  // namespace

void bind_marketplace(py::module_& m) {
    bind_enum(m, "PasswordHashing",
              "How hard password hashing works: 'interactive' for real deployments, 'minimal' for tests and demos.",
              password_hashing_names());
    bind_audit_entry(m);
    bind_tick_report(m);
    bind_marketplace_class(m);
    bind_pipeline(m);
}

}  // namespace souk::python
