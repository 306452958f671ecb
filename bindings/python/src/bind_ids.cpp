// Typed ids, souk.EntityKind and souk.EntityRef. Each id kind is its own Python type, so a
// ShopId passed where a UserId belongs is a TypeError, as it is a compile error in C++. Ids
// deliberately have no __int__ or __index__: either would let pybind11 convert them to plain
// ints silently. `.value` gives the number.
#include "bindings.hpp"

#include <algorithm>

#include "souk/ids.hpp"

namespace souk::python {
namespace {

template <class Tag>
void bind_id(py::module_& m, py::class_<EntityRef>& entity_ref, const char* name) {
    using IdType = Id<Tag>;
    std::string noun(entity_kind_name(Tag::kind));
    std::ranges::replace(noun, '_', ' ');  // "payment order"
    py::class_<IdType>(m, name, fmt::format("The id of a {}. {}(0) means no {}.", noun, name, noun).c_str())
        .def(py::init<std::uint64_t>(), py::arg("value"))
        .def_readonly("value", &IdType::value)
        .def("__bool__", [](IdType id) { return static_cast<bool>(id); })
        .def(py::self == py::self)
        .def(py::self != py::self)
        .def(py::self < py::self)
        .def(py::self <= py::self)
        .def(py::self > py::self)
        .def(py::self >= py::self)
        .def("__hash__", [](IdType id) { return py::hash(py::int_(id.value)); })
        .def("__str__", [](IdType id) { return std::to_string(id.value); })
        .def("__repr__", [name](IdType id) { return fmt::format("{}({})", name, id.value); });

    entity_ref.def(py::init([](IdType id) { return EntityRef::of(id); }), py::arg("id"))
        .def_static("of", [](IdType id) { return EntityRef::of(id); }, py::arg("id"));
    py::implicitly_convertible<IdType, EntityRef>();
}

}  // namespace

void bind_ids(py::module_& m) {
    using enum EntityKind;
    const auto kinds = names_from(
        {user, session, shop, category, product, sku, payment_order, reservation, address, sub_order, refund,
         shipping_template, after_sales, review, payout, wallet_topup, coupon_template, coupon, spend_promotion,
         flash_sale, group_offer, group},
        entity_kind_name);
    bind_enum(m, "EntityKind", "The kinds of entity an id can name.", kinds);

    py::class_<EntityRef> entity_ref(m, "EntityRef",
                                     "Any entity, by kind and id: what the audit trail is indexed by. Every id converts "
                                     "to one implicitly.");
    entity_ref
        .def(py::init([](EntityKind kind, std::uint64_t id) { return EntityRef{kind, id}; }), py::arg("kind"),
             py::arg("id"))
        .def_readonly("kind", &EntityRef::kind)
        .def_readonly("id", &EntityRef::id)
        .def(py::self == py::self)
        .def(py::self != py::self)
        .def("__hash__", [](const EntityRef& r) { return std::hash<EntityRef>{}(r); })
        .def("__repr__", [](const EntityRef& r) {
            return fmt::format("EntityRef(EntityKind.{}, {})", entity_kind_name(r.kind), r.id);
        });

    bind_id<UserTag>(m, entity_ref, "UserId");
    bind_id<SessionTag>(m, entity_ref, "SessionId");
    bind_id<ShopTag>(m, entity_ref, "ShopId");
    bind_id<CategoryTag>(m, entity_ref, "CategoryId");
    bind_id<ProductTag>(m, entity_ref, "ProductId");
    bind_id<SkuTag>(m, entity_ref, "SkuId");
    bind_id<PaymentOrderTag>(m, entity_ref, "PaymentOrderId");
    bind_id<ReservationTag>(m, entity_ref, "ReservationId");
    bind_id<AddressTag>(m, entity_ref, "AddressId");
    bind_id<SubOrderTag>(m, entity_ref, "SubOrderId");
    bind_id<RefundTag>(m, entity_ref, "RefundId");
    bind_id<ShippingTemplateTag>(m, entity_ref, "ShippingTemplateId");
    bind_id<AfterSalesTag>(m, entity_ref, "AfterSalesId");
    bind_id<ReviewTag>(m, entity_ref, "ReviewId");
    bind_id<PayoutTag>(m, entity_ref, "PayoutId");
    bind_id<CouponTemplateTag>(m, entity_ref, "CouponTemplateId");
    bind_id<CouponTag>(m, entity_ref, "CouponId");
    bind_id<SpendPromotionTag>(m, entity_ref, "SpendPromotionId");
    bind_id<WalletTopupTag>(m, entity_ref, "WalletTopupId");
    bind_id<FlashSaleTag>(m, entity_ref, "FlashSaleId");
    bind_id<GroupOfferTag>(m, entity_ref, "GroupOfferId");
    bind_id<GroupTag>(m, entity_ref, "GroupId");
}

}  // namespace souk::python
