// souk.Marketplace, its options, and the audit trail it reads.
#include "bindings.hpp"

#include <pybind11/stl/filesystem.h>

#include <memory>

#include "souk/marketplace.hpp"

namespace souk::python {
namespace {

const EnumNames<PasswordHashing>& password_hashing_names() {
    static const EnumNames<PasswordHashing> names{{"minimal", PasswordHashing::minimal},
                                                  {"interactive", PasswordHashing::interactive},
                                                  {"moderate", PasswordHashing::moderate}};
    return names;
}

MarketplaceOptions options_of(std::shared_ptr<Clock> clock, const EnumArg<PasswordHashing>& password_hashing,
                              Duration session_lifetime) {
    return MarketplaceOptions{.clock = std::move(clock),
                              .password_hashing = to_enum(password_hashing, password_hashing_names(), "password hashing"),
                              .session_lifetime = session_lifetime};
}

// Binds a static factory whose arguments after `leading` are the MarketplaceOptions fields, as
// keyword-only arguments with the C++ defaults.
template <class Factory, class... Leading>
void def_factory(py::class_<Marketplace>& market, const char* name, const char* doc, Factory&& factory,
                 Leading... leading) {
    const MarketplaceOptions defaults;
    market.def_static(name, std::forward<Factory>(factory), leading..., py::kw_only(), py::arg("clock") = py::none(),
                      py::arg("password_hashing") = defaults.password_hashing,
                      py::arg("session_lifetime") = defaults.session_lifetime, ReleaseGil(), doc);
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

void bind_marketplace_class(py::module_& m) {
    py::class_<Marketplace> market(
        m, "Marketplace",
        "One marketplace: the engine state over one journal. Commands are serialized and return once durable;\n"
        "queries run concurrently. Every call releases the GIL, so Python threads may share one marketplace.\n"
        "Options (keyword-only): clock (default a SystemClock), password_hashing (souk.PasswordHashing or its\n"
        "name; default 'interactive'), session_lifetime (a timedelta; default 30 days).");
    def_factory(market, "in_memory", "A marketplace whose state lives only in memory.",
                [](std::shared_ptr<Clock> clock, const EnumArg<PasswordHashing>& password_hashing,
                   Duration session_lifetime) {
                    return Marketplace::in_memory(options_of(std::move(clock), password_hashing, session_lifetime));
                });
    def_factory(
        market, "open_sqlite",
        "A marketplace stored in a SQLite journal file (str or os.PathLike), created if missing; an existing\n"
        "file is replayed. The file is closed when the Marketplace is garbage-collected.",
        [](const std::filesystem::path& path, std::shared_ptr<Clock> clock,
           const EnumArg<PasswordHashing>& password_hashing, Duration session_lifetime) {
            return Marketplace::open_sqlite(path, options_of(std::move(clock), password_hashing, session_lifetime));
        },
        py::arg("path"));
    market.def_property_readonly("accounts", &Marketplace::accounts)
        .def_property_readonly("shops", &Marketplace::shops)
        .def_property_readonly("clock", &Marketplace::clock)
        .def("audit", &Marketplace::audit, py::arg("actor"), py::arg("entity"), ReleaseGil(),
             "The history of one entity (an EntityRef or any id), oldest first. Platform staff read any trail, a\n"
             "user their own, a shop's owner and staff their shop's; others get souk.Forbidden.")
        .def("journal_position", &Marketplace::journal_position, ReleaseGil(),
             "The journal position of the last durable command.");
}

}  // namespace

void bind_marketplace(py::module_& m) {
    bind_enum(m, "PasswordHashing",
              "How hard password hashing works: 'interactive' for real deployments, 'minimal' for tests and demos.",
              password_hashing_names());
    bind_audit_entry(m);
    bind_marketplace_class(m);
}

}  // namespace souk::python
