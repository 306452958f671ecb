// souk.Promotions (marketplace.promotions): coupon templates and coupons, 满减 tiers, and the
// stacking rules, with their enums and records. Every method runs without the GIL.
#include "bindings.hpp"

#include <optional>

#include "souk/promotions.hpp"

namespace souk::python {
namespace {

const EnumNames<ScopeKind>& scope_kind_names() {
    static const EnumNames<ScopeKind> names{{"everything", ScopeKind::everything},
                                            {"shop", ScopeKind::shop},
                                            {"categories", ScopeKind::categories},
                                            {"products", ScopeKind::products}};
    return names;
}

const EnumNames<CouponBenefit>& coupon_benefit_names() {
    static const EnumNames<CouponBenefit> names{{"amount_off", CouponBenefit::amount_off},
                                                {"percent_off", CouponBenefit::percent_off},
                                                {"free_shipping", CouponBenefit::free_shipping}};
    return names;
}

const EnumNames<CouponStatus>& coupon_status_names() {
    static const EnumNames<CouponStatus> names{{"available", CouponStatus::available}, {"used", CouponStatus::used}};
    return names;
}

void bind_rules(py::module_& m) {
    bind_enum(m, "ScopeKind", "Which lines a coupon or a promotion covers.", scope_kind_names());
    bind_enum(m, "CouponBenefit", "What a coupon takes off.", coupon_benefit_names());
    bind_enum(m, "CouponStatus", "available (may be applied while valid) or used (tied to an order).",
              coupon_status_names());

    py::class_<StackingRules> stacking(
        m, "StackingRules",
        "Which DiscountKinds combine on one line: a rule of kind B skips a line a rule of kind A already\n"
        "discounted when (A, B) is in exclusive, in either order. Default: everything combines.");
    stacking
        .def(py::init([](std::vector<std::pair<DiscountKind, DiscountKind>> exclusive) {
                 return StackingRules{std::move(exclusive)};
             }),
             py::kw_only(), py::arg("exclusive") = std::vector<std::pair<DiscountKind, DiscountKind>>{})
        .def("combine", &StackingRules::combine, py::arg("a"), py::arg("b"));
    def_readwrite_fields(stacking, field("exclusive", &StackingRules::exclusive));
    stacking.def(py::self == py::self).def(py::self != py::self);

    py::class_<PromotionScope> scope(m, "PromotionScope",
                                     "kind (a ScopeKind or its name) and the shop, categories or products it names.");
    scope.def(py::init([](const EnumArg<ScopeKind>& kind, ShopId shop, std::vector<CategoryId> categories,
                          std::vector<ProductId> products) {
                  return PromotionScope{to_enum(kind, scope_kind_names(), "scope kind"), shop, std::move(categories),
                                        std::move(products)};
              }),
              py::kw_only(), py::arg("kind") = ScopeKind::everything, py::arg("shop") = ShopId{},
              py::arg("categories") = std::vector<CategoryId>{}, py::arg("products") = std::vector<ProductId>{});
    def_readwrite_fields(scope, enum_field("kind", &PromotionScope::kind, scope_kind_names(), "scope kind"),
                         field("shop", &PromotionScope::shop), field("categories", &PromotionScope::categories),
                         field("products", &PromotionScope::products));
    scope.def(py::self == py::self).def(py::self != py::self);
}

void bind_coupon_records(py::module_& m) {
    py::class_<CouponTemplateSpec> spec(
        m, "CouponTemplateSpec",
        "A coupon template: shop ShopId(0) for a platform (platform-funded) coupon. benefit amount_off takes\n"
        "amount_off from lines in scope costing at least min_spend; percent_off takes percent_off_bps of them,\n"
        "at most max_discount; free_shipping waives the shop's fee. Claimed in [starts_at, ends_at) and used\n"
        "there too unless valid_for (a timedelta) makes each coupon valid that long after its claim.");
    spec.def(py::init([](std::string name, ShopId shop, const EnumArg<CouponBenefit>& benefit, Money min_spend,
                         std::optional<Money> amount_off, std::int32_t percent_off_bps,
                         std::optional<Money> max_discount, PromotionScope scope, Timestamp starts_at,
                         Timestamp ends_at, std::optional<Duration> valid_for, std::int64_t total_quantity,
                         std::int32_t per_customer_limit) {
                 return CouponTemplateSpec{std::move(name),
                                           shop,
                                           to_enum(benefit, coupon_benefit_names(), "coupon benefit"),
                                           min_spend,
                                           amount_off.value_or(Money::zero(min_spend.currency())),
                                           percent_off_bps,
                                           max_discount,
                                           std::move(scope),
                                           starts_at,
                                           ends_at,
                                           valid_for,
                                           total_quantity,
                                           per_customer_limit};
             }),
             py::kw_only(), py::arg("name"), py::arg("shop") = ShopId{}, py::arg("benefit") = CouponBenefit::amount_off,
             py::arg("min_spend"), py::arg("amount_off") = py::none(), py::arg("percent_off_bps") = 0,
             py::arg("max_discount") = py::none(), py::arg("scope") = PromotionScope{}, py::arg("starts_at"),
             py::arg("ends_at"), py::arg("valid_for") = py::none(), py::arg("total_quantity"),
             py::arg("per_customer_limit") = 1);
    def_readwrite_fields(
        spec, field("name", &CouponTemplateSpec::name), field("shop", &CouponTemplateSpec::shop),
        enum_field("benefit", &CouponTemplateSpec::benefit, coupon_benefit_names(), "coupon benefit"),
        field("min_spend", &CouponTemplateSpec::min_spend), field("amount_off", &CouponTemplateSpec::amount_off),
        field("percent_off_bps", &CouponTemplateSpec::percent_off_bps),
        field("max_discount", &CouponTemplateSpec::max_discount), field("scope", &CouponTemplateSpec::scope),
        field("starts_at", &CouponTemplateSpec::starts_at), field("ends_at", &CouponTemplateSpec::ends_at),
        field("valid_for", &CouponTemplateSpec::valid_for), field("total_quantity", &CouponTemplateSpec::total_quantity),
        field("per_customer_limit", &CouponTemplateSpec::per_customer_limit));
    spec.def(py::self == py::self).def(py::self != py::self);

    py::class_<CouponTemplateInfo> info(m, "CouponTemplateInfo",
                                        "A template as it stands: issued so far, stopped (no more issued).");
    def_readonly_fields(info, field("id", &CouponTemplateInfo::id), field("spec", &CouponTemplateInfo::spec),
                        field("issued", &CouponTemplateInfo::issued), field("stopped", &CouponTemplateInfo::stopped),
                        field("created_at", &CouponTemplateInfo::created_at));
    info.def(py::self == py::self).def(py::self != py::self);

    py::class_<CouponInfo> coupon(m, "CouponInfo",
                                  "A coupon a customer holds: usable in [valid_from, valid_until) while available.");
    def_readonly_fields(coupon, field("id", &CouponInfo::id), field("template_id", &CouponInfo::template_id),
                        field("owner", &CouponInfo::owner), field("name", &CouponInfo::name),
                        field("shop", &CouponInfo::shop), field("status", &CouponInfo::status),
                        field("used_by", &CouponInfo::used_by), field("valid_from", &CouponInfo::valid_from),
                        field("valid_until", &CouponInfo::valid_until), field("expired", &CouponInfo::expired),
                        field("issued_at", &CouponInfo::issued_at));
    coupon.def(py::self == py::self).def(py::self != py::self);
}

void bind_spend_records(py::module_& m) {
    py::class_<SpendTier> tier(m, "SpendTier",
                               "满减: spend at least threshold, get amount_off (or percent_off_bps) off.");
    tier.def(py::init([](Money threshold, std::optional<Money> amount_off, std::int32_t percent_off_bps) {
                 return SpendTier{threshold, amount_off, percent_off_bps};
             }),
             py::kw_only(), py::arg("threshold"), py::arg("amount_off") = py::none(), py::arg("percent_off_bps") = 0);
    def_readwrite_fields(tier, field("threshold", &SpendTier::threshold), field("amount_off", &SpendTier::amount_off),
                         field("percent_off_bps", &SpendTier::percent_off_bps));
    tier.def(py::self == py::self).def(py::self != py::self);

    py::class_<SpendPromotionSpec> spec(m, "SpendPromotionSpec",
                                        "A shop's 满减: 1..10 tiers (the best reached applies), a scope of the whole\n"
                                        "shop (everything) or its products, a window.");
    spec.def(py::init([](std::string name, std::vector<SpendTier> tiers, PromotionScope scope, Timestamp starts_at,
                         Timestamp ends_at) {
                 return SpendPromotionSpec{std::move(name), std::move(tiers), std::move(scope), starts_at, ends_at};
             }),
             py::kw_only(), py::arg("name"), py::arg("tiers"), py::arg("scope") = PromotionScope{},
             py::arg("starts_at"), py::arg("ends_at"));
    def_readwrite_fields(spec, field("name", &SpendPromotionSpec::name), field("tiers", &SpendPromotionSpec::tiers),
                         field("scope", &SpendPromotionSpec::scope), field("starts_at", &SpendPromotionSpec::starts_at),
                         field("ends_at", &SpendPromotionSpec::ends_at));
    spec.def(py::self == py::self).def(py::self != py::self);

    py::class_<SpendPromotionInfo> info(m, "SpendPromotionInfo", "A shop's 满减 as it stands.");
    def_readonly_fields(info, field("id", &SpendPromotionInfo::id), field("shop", &SpendPromotionInfo::shop),
                        field("spec", &SpendPromotionInfo::spec), field("created_at", &SpendPromotionInfo::created_at));
    info.def(py::self == py::self).def(py::self != py::self);
}

void bind_service(py::module_& m) {
    py::class_<Promotions> promotions(
        m, "Promotions",
        "Coupons and 满减 (marketplace.promotions). Platform coupons are issued by platform staff, a shop's\n"
        "coupons and 满减 by its owner and staff; customers claim coupons and apply them in\n"
        "CheckoutRequest(coupons=[...]). See docs/promotions.md.");
    promotions.def_readonly_static("max_tiers", &Promotions::max_tiers)
        .def_readonly_static("max_active_spend_promotions", &Promotions::max_active_spend_promotions)
        .def("create_coupon_template", &Promotions::create_coupon_template, py::arg("actor"), py::arg("spec"),
             ReleaseGil(), "Creates a CouponTemplateSpec; returns its CouponTemplateId.")
        .def("stop_coupon_template", &Promotions::stop_coupon_template, py::arg("actor"), py::arg("template_id"),
             ReleaseGil(), "Ends issuing; coupons already issued stay usable.")
        .def("coupon_template", &Promotions::coupon_template, py::arg("template_id"), ReleaseGil())
        .def("claimable_templates", &Promotions::claimable_templates, py::arg("shop"), ReleaseGil(),
             "A shop's templates (ShopId(0): the platform's) issuing now, oldest first.")
        .def("claim_coupon", &Promotions::claim_coupon, py::arg("customer"), py::arg("template_id"), ReleaseGil())
        .def("grant_coupon", &Promotions::grant_coupon, py::arg("actor"), py::arg("template_id"), py::arg("customer"),
             ReleaseGil(), "The issuer gives a customer one coupon, under the template's limits.")
        .def("coupons", &Promotions::coupons, py::arg("actor"), py::arg("customer"), ReleaseGil(),
             "The customer's CouponInfos, newest first: the customer themself or platform staff.")
        .def("suggest_coupons", &Promotions::suggest_coupons, py::arg("customer"), py::arg("request"), ReleaseGil(),
             "The CouponIds that take most off the checkout: each shop's best, then the best platform coupon.")
        .def("create_spend_promotion", &Promotions::create_spend_promotion, py::arg("actor"), py::arg("shop"),
             py::arg("spec"), ReleaseGil())
        .def("end_spend_promotion", &Promotions::end_spend_promotion, py::arg("actor"), py::arg("promotion"),
             ReleaseGil())
        .def("spend_promotions", &Promotions::spend_promotions, py::arg("shop"), ReleaseGil(),
             "A shop's 满减 not yet over, by start.");
}

}  // namespace

void bind_promotions(py::module_& m) {
    bind_rules(m);
    bind_coupon_records(m);
    bind_spend_records(m);
    bind_service(m);
}

}  // namespace souk::python
