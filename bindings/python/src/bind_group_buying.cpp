// souk.GroupBuying (marketplace.group_buying): 拼团 offers and groups, with their enums and
// records. Every method runs without the GIL.
#include "bindings.hpp"

#include <optional>

#include "souk/group_buying.hpp"

namespace souk::python {
namespace {

const EnumNames<GroupStatus>& group_status_names() {
    static const EnumNames<GroupStatus> names{{"forming", GroupStatus::forming},
                                              {"succeeded", GroupStatus::succeeded},
                                              {"failed", GroupStatus::failed}};
    return names;
}

const EnumNames<GroupMemberStatus>& group_member_status_names() {
    static const EnumNames<GroupMemberStatus> names{{"joined", GroupMemberStatus::joined},
                                                    {"paid", GroupMemberStatus::paid},
                                                    {"left", GroupMemberStatus::left}};
    return names;
}

void bind_records(py::module_& m) {
    bind_enum(m, "GroupStatus", "forming, then succeeded (full, or min_size at the window's end) or failed.",
              group_status_names());
    bind_enum(m, "GroupMemberStatus", "joined (not paid yet), paid (counts), left (its order was cancelled).",
              group_member_status_names());

    py::class_<GroupOfferSpec> spec(
        m, "GroupOfferSpec",
        "A group offer on one SKU: group_price (below the SKU's price), group_size (2..100 paid members fill a\n"
        "group), window (a timedelta, 1 minute..30 days), min_size (2..group_size - 1, or None): with it, a\n"
        "group with that many paid members at the window's end succeeds instead of failing.");
    spec.def(py::init([](SkuId sku, Money group_price, std::int32_t group_size, Duration window,
                         std::optional<std::int32_t> min_size) {
                 return GroupOfferSpec{sku, group_price, group_size, window, min_size};
             }),
             py::kw_only(), py::arg("sku"), py::arg("group_price"), py::arg("group_size"), py::arg("window"),
             py::arg("min_size") = py::none());
    def_readwrite_fields(spec, field("sku", &GroupOfferSpec::sku), field("group_price", &GroupOfferSpec::group_price),
                         field("group_size", &GroupOfferSpec::group_size), field("window", &GroupOfferSpec::window),
                         field("min_size", &GroupOfferSpec::min_size));
    spec.def(py::self == py::self).def(py::self != py::self);

    py::class_<GroupOfferInfo> offer(m, "GroupOfferInfo", "An offer as it stands: ended means no new groups open.");
    def_readonly_fields(offer, field("id", &GroupOfferInfo::id), field("shop", &GroupOfferInfo::shop),
                        field("spec", &GroupOfferInfo::spec), field("ended", &GroupOfferInfo::ended),
                        field("created_at", &GroupOfferInfo::created_at));
    offer.def(py::self == py::self).def(py::self != py::self);

    py::class_<GroupMember> member(m, "GroupMember", "One member: their order, status and what was refunded.");
    def_readonly_fields(member, field("customer", &GroupMember::customer), field("order", &GroupMember::order),
                        field("sub_order", &GroupMember::sub_order), field("status", &GroupMember::status),
                        field("refunded", &GroupMember::refunded), field("joined_at", &GroupMember::joined_at));
    member.def(py::self == py::self).def(py::self != py::self);

    py::class_<GroupInfo> group(
        m, "GroupInfo",
        "A group: status, paid_members, refunded_members, its window, and members (every member for the\n"
        "shop's members and platform staff, a customer's own entry for them, none for others).");
    def_readonly_fields(group, field("id", &GroupInfo::id), field("offer", &GroupInfo::offer),
                        field("shop", &GroupInfo::shop), field("sku", &GroupInfo::sku),
                        field("group_price", &GroupInfo::group_price), field("group_size", &GroupInfo::group_size),
                        field("status", &GroupInfo::status), field("leader", &GroupInfo::leader),
                        field("paid_members", &GroupInfo::paid_members),
                        field("refunded_members", &GroupInfo::refunded_members), field("members", &GroupInfo::members),
                        field("opened_at", &GroupInfo::opened_at), field("expires_at", &GroupInfo::expires_at),
                        field("closed_at", &GroupInfo::closed_at));
    group.def(py::self == py::self).def(py::self != py::self);

    py::class_<GroupBuyingTickReport> report(m, "GroupBuyingTickReport",
                                             "Groups closed by a tick: succeeded (min_size reached) and failed.");
    def_readonly_fields(report, field("succeeded", &GroupBuyingTickReport::succeeded),
                        field("failed", &GroupBuyingTickReport::failed));
    report.def(py::self == py::self).def(py::self != py::self);
}

void bind_service(py::module_& m) {
    py::class_<GroupBuying> service(
        m, "GroupBuying",
        "拼团 (marketplace.group_buying). A shop's owner and staff run offers; customers open or join a group\n"
        "by placing CheckoutRequest(group=GroupCheckout(offer=..., group=...)) and paying. See\n"
        "docs/promotions.md.");
    service.def_readonly_static("max_group_size", &GroupBuying::max_group_size)
        .def("create_offer", &GroupBuying::create_offer, py::arg("actor"), py::arg("shop"), py::arg("spec"),
             ReleaseGil(), "Creates a GroupOfferSpec; returns its GroupOfferId. One running offer per SKU.")
        .def("end_offer", &GroupBuying::end_offer, py::arg("actor"), py::arg("offer"), ReleaseGil(),
             "No new groups open; groups forming keep their window.")
        .def("offer", &GroupBuying::offer, py::arg("offer"), ReleaseGil())
        .def("offers", &GroupBuying::offers, py::arg("shop"), ReleaseGil(), "A shop's offers not ended, oldest first.")
        .def("group", &GroupBuying::group, py::arg("actor"), py::arg("group"), ReleaseGil())
        .def("forming_groups", &GroupBuying::forming_groups, py::arg("offer"), ReleaseGil(),
             "The offer's groups still forming (the ones to join), oldest first, without members.")
        .def("tick", &GroupBuying::tick, py::arg("now"), ReleaseGil(),
             "Closes the groups whose window ended; Marketplace.tick calls it first.");
}

}  // namespace

void bind_group_buying(py::module_& m) {
    bind_records(m);
    bind_service(m);
}

}  // namespace souk::python
