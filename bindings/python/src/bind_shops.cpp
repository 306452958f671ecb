// souk.Shops (marketplace.shops), shop statuses and the shop records. Every method runs
// without the GIL.
#include "bindings.hpp"

#include "souk/shops.hpp"

namespace souk::python {
namespace {

const EnumNames<ShopStatus>& shop_status_names() {
    using enum ShopStatus;
    static const auto names = names_from({applied, active, rejected, suspended, closed}, shop_status_name);
    return names;
}

void bind_arguments(py::module_& m) {
    py::class_<ShopApplication> application(
        m, "ShopApplication",
        "What an applicant submits: name 1..60 characters, unique among open shops, a business category,\n"
        "a contact name, and a contact phone or e-mail.");
    application.def(py::init([](std::string name, std::string description, std::string business_category,
                                std::string contact_name, std::string contact_phone, std::string contact_email) {
                        return ShopApplication{std::move(name),         std::move(description),
                                               std::move(business_category), std::move(contact_name),
                                               std::move(contact_phone), std::move(contact_email)};
                    }),
                    py::kw_only(), py::arg("name") = "", py::arg("description") = "",
                    py::arg("business_category") = "", py::arg("contact_name") = "", py::arg("contact_phone") = "",
                    py::arg("contact_email") = "");
    def_readwrite_fields(application, field("name", &ShopApplication::name),
                         field("description", &ShopApplication::description),
                         field("business_category", &ShopApplication::business_category),
                         field("contact_name", &ShopApplication::contact_name),
                         field("contact_phone", &ShopApplication::contact_phone),
                         field("contact_email", &ShopApplication::contact_email));

    using Text = std::optional<std::string>;
    py::class_<ShopProfileUpdate> update(m, "ShopProfileUpdate",
                                         "A profile edit by the shop: fields left None keep their value.");
    update.def(py::init([](Text description, Text contact_name, Text contact_phone, Text contact_email) {
                   return ShopProfileUpdate{std::move(description), std::move(contact_name), std::move(contact_phone),
                                            std::move(contact_email)};
               }),
               py::kw_only(), py::arg("description") = py::none(), py::arg("contact_name") = py::none(),
               py::arg("contact_phone") = py::none(), py::arg("contact_email") = py::none());
    def_readwrite_fields(update, field("description", &ShopProfileUpdate::description),
                         field("contact_name", &ShopProfileUpdate::contact_name),
                         field("contact_phone", &ShopProfileUpdate::contact_phone),
                         field("contact_email", &ShopProfileUpdate::contact_email));
}

void bind_results(py::module_& m) {
    py::class_<ShopProfile> profile(m, "ShopProfile", "What anyone may see of an active shop.");
    def_readonly_fields(profile, field("id", &ShopProfile::id), field("name", &ShopProfile::name),
                        field("description", &ShopProfile::description),
                        field("business_category", &ShopProfile::business_category),
                        field("status", &ShopProfile::status));
    profile.def(py::self == py::self).def(py::self != py::self);

    py::class_<ShopDetails> details(m, "ShopDetails",
                                    "The private view of a shop: its owner, its staff and platform staff only.");
    def_readonly_fields(details, field("profile", &ShopDetails::profile), field("owner", &ShopDetails::owner),
                        field("staff", &ShopDetails::staff), field("contact_name", &ShopDetails::contact_name),
                        field("contact_phone", &ShopDetails::contact_phone),
                        field("contact_email", &ShopDetails::contact_email),
                        field("commission_bps", &ShopDetails::commission_bps),
                        field("status_reason", &ShopDetails::status_reason),
                        field("applied_at", &ShopDetails::applied_at), field("approved_at", &ShopDetails::approved_at));
    details.def(py::self == py::self).def(py::self != py::self);
}

void bind_service(py::module_& m) {
    py::class_<Shops>(m, "Shops", "The marketplace's tenants, from application to closing: marketplace.shops.")
        .def("apply", &Shops::apply, py::arg("applicant"), py::arg("application"), ReleaseGil(),
             "Any enabled user applies for a shop; returns its ShopId, in status applied.")
        .def("approve", &Shops::approve, py::arg("reviewer"), py::arg("shop"), ReleaseGil(),
             "Platform staff approve an application.")
        .def("reject", &Shops::reject, py::arg("reviewer"), py::arg("shop"), py::arg("reason"), ReleaseGil(),
             "Platform staff reject an application, saying why.")
        .def("resubmit", &Shops::resubmit, py::arg("owner"), py::arg("shop"), py::arg("application"), ReleaseGil(),
             "The owner edits a rejected application and sends it back for review.")
        .def("suspend", &Shops::suspend, py::arg("actor"), py::arg("shop"), py::arg("reason"), ReleaseGil(),
             "Platform staff suspend an active shop: it stops selling.")
        .def("reinstate", &Shops::reinstate, py::arg("actor"), py::arg("shop"), ReleaseGil())
        .def("close", &Shops::close, py::arg("actor"), py::arg("shop"), py::arg("reason"), ReleaseGil(),
             "The owner or platform staff close a shop. Final.")
        .def("update_profile", &Shops::update_profile, py::arg("actor"), py::arg("shop"), py::arg("update"),
             ReleaseGil(), "The owner or staff edit the shop's profile.")
        .def("add_staff", &Shops::add_staff, py::arg("owner"), py::arg("shop"), py::arg("user"), ReleaseGil())
        .def("remove_staff", &Shops::remove_staff, py::arg("owner"), py::arg("shop"), py::arg("user"), ReleaseGil())
        .def("set_commission", &Shops::set_commission, py::arg("actor"), py::arg("shop"), py::arg("basis_points"),
             ReleaseGil(), "Platform staff set the shop's commission override, 0..10000 bp, or clear it with None.")
        .def("profile", &Shops::profile, py::arg("actor"), py::arg("shop"), ReleaseGil(),
             "The public profile; a shop that is not active is souk.NotFound to all but its members and platform staff.")
        .def("details", &Shops::details, py::arg("actor"), py::arg("shop"), ReleaseGil(),
             "The private view; souk.Forbidden to all but the shop's owner and staff and platform staff.")
        .def(
            "list",
            [](const Shops& shops, const Actor& actor, const std::optional<EnumArg<ShopStatus>>& status, Page page) {
                std::optional<ShopStatus> wanted;
                if (status) wanted = to_enum(*status, shop_status_names(), "shop status");
                return shops.list(actor, wanted, page);
            },
            py::arg("actor"), py::arg("status") = py::none(), py::arg("page") = Page{}, ReleaseGil(),
            "Shops in a status (souk.ShopStatus or its name), or in any status with None. Platform staff see\n"
            "every status; everyone else active shops only.")
        .def("shops_of", &Shops::shops_of, py::arg("actor"), py::arg("user"), ReleaseGil(),
             "The shops a user owns or works for: the user themself or platform staff.");
}

}  // namespace

void bind_shops(py::module_& m) {
    bind_enum(m, "ShopStatus", "applied -> active | rejected; active <-> suspended; -> closed.", shop_status_names());
    bind_arguments(m);
    bind_results(m);
    bind_service(m);
}

}  // namespace souk::python
