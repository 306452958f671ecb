// souk.Catalog (marketplace.catalog): the category tree, products and SKUs, their records, and
// product search. Every method runs without the GIL.
#include "bindings.hpp"

#include <map>
#include <optional>

#include "souk/catalog.hpp"

namespace souk::python {
namespace {

// product_status_name says "on sale"; Python names are the C++ member names.
const EnumNames<ProductStatus>& product_status_names() {
    static const EnumNames<ProductStatus> names{{"draft", ProductStatus::draft},
                                                {"on_sale", ProductStatus::on_sale},
                                                {"delisted", ProductStatus::delisted},
                                                {"banned", ProductStatus::banned}};
    return names;
}

void bind_category_records(py::module_& m) {
    py::class_<AttributeDefinition> definition(
        m, "AttributeDefinition",
        "One attribute the products of a category describe themselves with: name 1..30 characters, distinct\n"
        "within the category; required; allowed_values (at most 200, each 1..60 characters) or, when empty,\n"
        "any text of 1..120 characters.");
    definition.def(py::init([](std::string name, bool required, std::vector<std::string> allowed_values) {
                       return AttributeDefinition{std::move(name), required, std::move(allowed_values)};
                   }),
                   py::kw_only(), py::arg("name"), py::arg("required") = false,
                   py::arg("allowed_values") = std::vector<std::string>{});
    def_readwrite_fields(definition, field("name", &AttributeDefinition::name),
                         field("required", &AttributeDefinition::required),
                         field("allowed_values", &AttributeDefinition::allowed_values));
    definition.def(py::self == py::self).def(py::self != py::self);

    py::class_<CategorySpec> spec(
        m, "CategorySpec",
        "A new category: name 1..40 characters, unique among its live siblings; parent (None: top level);\n"
        "commission_bps 0..10000 (None: inherited); at most 30 AttributeDefinitions.");
    spec.def(py::init([](std::string name, std::optional<CategoryId> parent, std::optional<int> commission_bps,
                         std::vector<AttributeDefinition> attributes) {
                 return CategorySpec{std::move(name), parent, commission_bps, std::move(attributes)};
             }),
             py::kw_only(), py::arg("name"), py::arg("parent") = py::none(), py::arg("commission_bps") = py::none(),
             py::arg("attributes") = std::vector<AttributeDefinition>{});
    def_readwrite_fields(spec, field("name", &CategorySpec::name), field("parent", &CategorySpec::parent),
                         field("commission_bps", &CategorySpec::commission_bps),
                         field("attributes", &CategorySpec::attributes));
    spec.def(py::self == py::self).def(py::self != py::self);

    py::class_<CategoryInfo> info(
        m, "CategoryInfo",
        "A category: path runs from its top-level ancestor down to itself; commission_bps and attributes are\n"
        "its own, effective_commission_bps and effective_attributes include what it inherits (the nearest\n"
        "ancestor wins); children are by id, retired ones included.");
    def_readonly_fields(info, field("id", &CategoryInfo::id), field("parent", &CategoryInfo::parent),
                        field("name", &CategoryInfo::name), field("path", &CategoryInfo::path),
                        field("commission_bps", &CategoryInfo::commission_bps),
                        field("effective_commission_bps", &CategoryInfo::effective_commission_bps),
                        field("attributes", &CategoryInfo::attributes),
                        field("effective_attributes", &CategoryInfo::effective_attributes),
                        field("children", &CategoryInfo::children), field("retired", &CategoryInfo::retired),
                        field("created_at", &CategoryInfo::created_at));
    info.def(py::self == py::self).def(py::self != py::self);
}

void bind_product_arguments(py::module_& m) {
    py::class_<SpecDimension> dimension(
        m, "SpecDimension",
        "A spec dimension a shop defines: name 1..30 characters, distinct within the product, and 1..100\n"
        "distinct values of 1..40 characters (colour: red, blue).");
    dimension.def(py::init([](std::string name, std::vector<std::string> values) {
                      return SpecDimension{std::move(name), std::move(values)};
                  }),
                  py::kw_only(), py::arg("name"), py::arg("values"));
    def_readwrite_fields(dimension, field("name", &SpecDimension::name), field("values", &SpecDimension::values));
    dimension.def(py::self == py::self).def(py::self != py::self);

    py::class_<SkuDraft> sku(
        m, "SkuDraft",
        "A SKU as the shop writes it: spec has one value per dimension, in dimension order; price is\n"
        "positive, every SKU of a product in one currency; list_price (the 'was' price) at least price;\n"
        "weight_grams 0..100000000; code 0..64 characters, unique in the shop when set. keep, only for\n"
        "Catalog.set_specs, names the SKU this draft continues.");
    sku.def(py::init([](std::vector<std::string> spec, Money price, std::optional<Money> list_price,
                        std::int64_t weight_grams, std::string code, std::optional<SkuId> keep) {
                return SkuDraft{std::move(spec), price, list_price, weight_grams, std::move(code), keep};
            }),
            py::kw_only(), py::arg("spec") = std::vector<std::string>{}, py::arg("price"),
            py::arg("list_price") = py::none(), py::arg("weight_grams") = 0, py::arg("code") = "",
            py::arg("keep") = py::none());
    def_readwrite_fields(sku, field("spec", &SkuDraft::spec), field("price", &SkuDraft::price),
                         field("list_price", &SkuDraft::list_price), field("weight_grams", &SkuDraft::weight_grams),
                         field("code", &SkuDraft::code), field("keep", &SkuDraft::keep));
    sku.def(py::self == py::self).def(py::self != py::self);

    using Attributes = std::map<std::string, std::string>;
    using Texts = std::vector<std::string>;
    py::class_<ProductDraft> draft(
        m, "ProductDraft",
        "A new product: title 1..120 characters; description up to 10000; a category that is not retired;\n"
        "attributes (a dict) checked against the category's definitions; at most 20 http(s) image URLs; at\n"
        "most 5 SpecDimensions; exactly one SkuDraft per combination of their values (one with an empty\n"
        "spec when there are none).");
    draft.def(py::init([](std::string title, std::string description, CategoryId category, Attributes attributes,
                          Texts images, std::vector<SpecDimension> specs, std::vector<SkuDraft> skus) {
                  return ProductDraft{std::move(title),  std::move(description), category, std::move(attributes),
                                      std::move(images), std::move(specs),       std::move(skus)};
              }),
              py::kw_only(), py::arg("title"), py::arg("description") = "", py::arg("category"),
              py::arg("attributes") = Attributes{}, py::arg("images") = Texts{},
              py::arg("specs") = std::vector<SpecDimension>{}, py::arg("skus"));
    def_readwrite_fields(draft, field("title", &ProductDraft::title), field("description", &ProductDraft::description),
                         field("category", &ProductDraft::category), field("attributes", &ProductDraft::attributes),
                         field("images", &ProductDraft::images), field("specs", &ProductDraft::specs),
                         field("skus", &ProductDraft::skus));
    draft.def(py::self == py::self).def(py::self != py::self);

    py::class_<ProductUpdate> update(
        m, "ProductUpdate",
        "A content edit: fields left None keep their value; attributes and images replace the whole set.");
    update.def(py::init([](std::optional<std::string> title, std::optional<std::string> description,
                           std::optional<CategoryId> category, std::optional<Attributes> attributes,
                           std::optional<Texts> images) {
                   return ProductUpdate{std::move(title), std::move(description), category, std::move(attributes),
                                        std::move(images)};
               }),
               py::kw_only(), py::arg("title") = py::none(), py::arg("description") = py::none(),
               py::arg("category") = py::none(), py::arg("attributes") = py::none(), py::arg("images") = py::none());
    def_readwrite_fields(update, field("title", &ProductUpdate::title),
                         field("description", &ProductUpdate::description),
                         field("category", &ProductUpdate::category), field("attributes", &ProductUpdate::attributes),
                         field("images", &ProductUpdate::images));
    update.def(py::self == py::self).def(py::self != py::self);
}

void bind_product_results(py::module_& m) {
    py::class_<SkuInfo> sku(m, "SkuInfo", "A live SKU of a product; available is the units that can be ordered now.");
    def_readonly_fields(sku, field("id", &SkuInfo::id), field("product", &SkuInfo::product),
                        field("spec", &SkuInfo::spec), field("price", &SkuInfo::price),
                        field("list_price", &SkuInfo::list_price), field("weight_grams", &SkuInfo::weight_grams),
                        field("code", &SkuInfo::code), field("available", &SkuInfo::available));
    sku.def(py::self == py::self).def(py::self != py::self);

    py::class_<ProductInfo> product(
        m, "ProductInfo",
        "A product with its live SKUs in the shop's order. currency is every SKU's; sales counts units sold\n"
        "over the product's life; ban_reason is set while it is banned.");
    def_readonly_fields(product, field("id", &ProductInfo::id), field("shop", &ProductInfo::shop),
                        field("category", &ProductInfo::category), field("title", &ProductInfo::title),
                        field("description", &ProductInfo::description),
                        field("attributes", &ProductInfo::attributes), field("images", &ProductInfo::images),
                        field("specs", &ProductInfo::specs), field("skus", &ProductInfo::skus),
                        field("currency", &ProductInfo::currency), field("status", &ProductInfo::status),
                        field("ban_reason", &ProductInfo::ban_reason), field("sales", &ProductInfo::sales),
                        field("created_at", &ProductInfo::created_at), field("updated_at", &ProductInfo::updated_at));
    product.def(py::self == py::self).def(py::self != py::self);

    py::class_<PurchasableSku> purchasable(m, "PurchasableSku",
                                           "A SKU that can be bought right now: what an order line needs of it.");
    def_readonly_fields(purchasable, field("sku", &PurchasableSku::sku), field("product", &PurchasableSku::product),
                        field("shop", &PurchasableSku::shop), field("title", &PurchasableSku::title),
                        field("spec", &PurchasableSku::spec), field("price", &PurchasableSku::price),
                        field("list_price", &PurchasableSku::list_price),
                        field("weight_grams", &PurchasableSku::weight_grams),
                        field("available", &PurchasableSku::available));
    purchasable.def(py::self == py::self).def(py::self != py::self);
}

void def_category_methods(py::class_<Catalog>& catalog) {
    catalog
        .def("create_category", &Catalog::create_category, py::arg("actor"), py::arg("spec"), ReleaseGil(),
             "Platform staff add a category (a CategorySpec) at most 6 levels deep; returns its CategoryId.")
        .def("rename_category", &Catalog::rename_category, py::arg("actor"), py::arg("category"), py::arg("name"),
             ReleaseGil())
        .def("move_category", &Catalog::move_category, py::arg("actor"), py::arg("category"), py::arg("parent"),
             ReleaseGil(),
             "Moves a category and its subtree under another parent, or to the top with None. Not under itself,\n"
             "nor under a retired category; the tree stays at most 6 levels deep.")
        .def("retire_category", &Catalog::retire_category, py::arg("actor"), py::arg("category"), ReleaseGil(),
             "Final: a retired category takes no new products or children, and its products cannot be put on\n"
             "sale until moved. Its children must be retired first.")
        .def("set_category_commission", &Catalog::set_category_commission, py::arg("actor"), py::arg("category"),
             py::arg("basis_points"), ReleaseGil(), "0..10000 bp, or None to inherit the parent's rate.")
        .def("set_category_attributes", &Catalog::set_category_attributes, py::arg("actor"), py::arg("category"),
             py::arg("attributes"), ReleaseGil(),
             "Replaces the category's own AttributeDefinitions; products are checked against them when next\n"
             "edited or put on sale.")
        .def("category", &Catalog::category, py::arg("category"), ReleaseGil(), "A CategoryInfo; anyone.")
        .def("categories", &Catalog::categories, py::arg("parent") = py::none(), py::kw_only(),
             py::arg("include_retired") = false, ReleaseGil(),
             "The children of parent (top-level categories for None), by name then id; anyone.");
}

void def_product_commands(py::class_<Catalog>& catalog) {
    catalog
        .def("create_product", &Catalog::create_product, py::arg("actor"), py::arg("shop"), py::arg("draft"),
             ReleaseGil(),
             "The shop's owner or staff create a draft (a ProductDraft, its SKUs without keep) in an active or\n"
             "suspended shop; returns its ProductId.")
        .def("update_product", &Catalog::update_product, py::arg("actor"), py::arg("product"), py::arg("update"),
             ReleaseGil(), "Applies a ProductUpdate; a product on sale keeps its category's required attributes.")
        .def("set_specs", &Catalog::set_specs, py::arg("actor"), py::arg("product"), py::arg("specs"),
             py::arg("skus"), ReleaseGil(),
             "Replaces the spec dimensions and the SKUs. A SkuDraft continues the SKU its keep names, else the\n"
             "live SKU with the same spec, else it is new; the SKUs no draft continues are dropped (refused with\n"
             "souk.InvalidState while they hold reserved units).")
        .def("set_sku_price", &Catalog::set_sku_price, py::arg("actor"), py::arg("sku"), py::arg("price"),
             py::arg("list_price") = py::none(), ReleaseGil(),
             "A new price (and list price, or None) in the product's currency.")
        .def("set_sku_details", &Catalog::set_sku_details, py::arg("actor"), py::arg("sku"), py::arg("weight_grams"),
             py::arg("code"), ReleaseGil(), "A SKU's weight and code ('' for none).")
        .def("put_on_sale", &Catalog::put_on_sale, py::arg("actor"), py::arg("product"), ReleaseGil(),
             "draft or delisted -> on_sale: the shop active, the category not retired, every required attribute\n"
             "set.")
        .def("delist", &Catalog::delist, py::arg("actor"), py::arg("product"), ReleaseGil(), "on_sale -> delisted.")
        .def("ban", &Catalog::ban, py::arg("actor"), py::arg("product"), py::arg("reason"), ReleaseGil(),
             "Platform staff ban a product in any status but banned; reason 1..500 characters.")
        .def("lift_ban", &Catalog::lift_ban, py::arg("actor"), py::arg("product"), ReleaseGil(),
             "Platform staff lift a ban: banned -> delisted (draft if it was never on sale).");
}

void def_product_queries(py::class_<Catalog>& catalog) {
    catalog
        .def("product", &Catalog::product, py::arg("actor"), py::arg("product"), ReleaseGil(),
             "A ProductInfo. Products not on sale in an active shop are souk.NotFound to all but the shop's\n"
             "members and platform staff.")
        .def("product_of_sku", &Catalog::product_of_sku, py::arg("actor"), py::arg("sku"), ReleaseGil(),
             "The product a SKU belongs to, with the same visibility.")
        .def(
            "products_of",
            [](const Catalog& catalog, const Actor& actor, ShopId shop,
               const std::optional<EnumArg<ProductStatus>>& status, Page page) {
                std::optional<ProductStatus> wanted;
                if (status) wanted = to_enum(*status, product_status_names(), "product status");
                return catalog.products_of(actor, shop, wanted, page);
            },
            py::arg("actor"), py::arg("shop"), py::arg("status") = py::none(), py::arg("page") = Page{}, ReleaseGil(),
            "A shop's products, newest first, in a status (souk.ProductStatus or its name) or in any with None.\n"
            "Others than the shop's members and platform staff see products on sale in an active shop only.")
        .def("purchasable", &Catalog::purchasable, py::arg("sku"), ReleaseGil(),
             "What buying the SKU costs now, as a PurchasableSku; souk.NotFound for no such SKU, souk.InvalidState\n"
             "saying why it cannot be bought. Stock is not checked: available tells it.")
        .def("commission_bps", &Catalog::commission_bps, py::arg("actor"), py::arg("product"), ReleaseGil(),
             "The platform's commission on the product, in basis points: the shop's override, else the\n"
             "category's effective rate. Shop members and platform staff.");
}

void def_search(py::class_<Catalog>& catalog) {
    catalog
        .def("search", py::overload_cast<const Actor&, const SearchQuery&>(&Catalog::search, py::const_),
             py::arg("actor"), py::arg("query"), ReleaseGil(),
             "Runs a souk.SearchQuery as the actor: the products on display, and the ones not on display that\n"
             "the actor may see (every product for platform staff, their own shops' for a shop's owner and\n"
             "staff; SearchHit.on_display tells them apart). Returns a SearchResult.")
        .def("search", py::overload_cast<const SearchQuery&>(&Catalog::search, py::const_), py::arg("query"),
             ReleaseGil(), "Runs a souk.SearchQuery as the public, who have no Actor: products on display only.");
}

void bind_service(py::module_& m) {
    py::class_<Catalog> catalog(
        m, "Catalog",
        "The platform's category tree and what shops sell: marketplace.catalog. Platform staff manage\n"
        "categories and ban products; a shop's owner and staff create and edit its products; anyone reads\n"
        "categories and products on sale in active shops.");
    catalog.def_readonly_static("max_category_depth", &Catalog::max_category_depth)
        .def_readonly_static("max_categories", &Catalog::max_categories)
        .def_readonly_static("max_products_per_shop", &Catalog::max_products_per_shop)
        .def_readonly_static("max_sku_combinations", &Catalog::max_sku_combinations)
        .def_readonly_static("max_price_minor_units", &Catalog::max_price_minor_units);
    def_category_methods(catalog);
    def_product_commands(catalog);
    def_product_queries(catalog);
    def_search(catalog);
}

}  // namespace

void bind_catalog(py::module_& m) {
    bind_enum(m, "ProductStatus",
              "draft -> on_sale <-> delisted; any but banned -> banned (by the platform) -> delisted, or draft if\n"
              "never on sale.",
              product_status_names());
    bind_category_records(m);
    bind_product_arguments(m);
    bind_product_results(m);
    bind_service(m);
}

}  // namespace souk::python
