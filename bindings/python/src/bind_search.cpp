// Product search: souk.SearchQuery, souk.SearchSort and the records Catalog.search returns.
#include "bindings.hpp"

#include <optional>

#include "souk/search.hpp"

namespace souk::python {
namespace {

const EnumNames<SearchSort>& search_sort_names() {
    static const EnumNames<SearchSort> names{{"relevance", SearchSort::relevance},
                                             {"price_ascending", SearchSort::price_ascending},
                                             {"price_descending", SearchSort::price_descending},
                                             {"newest", SearchSort::newest},
                                             {"sales", SearchSort::sales}};
    return names;
}

SearchQuery query_of(std::string text, std::optional<CategoryId> category, std::optional<ShopId> shop,
                     const std::optional<CurrencyArg>& currency, std::optional<Money> min_price,
                     std::optional<Money> max_price, bool in_stock_only, const EnumArg<SearchSort>& sort, Page page) {
    return SearchQuery{.text = std::move(text),
                       .category = category,
                       .shop = shop,
                       .currency = currency ? std::optional(to_currency(*currency)) : std::nullopt,
                       .min_price = min_price,
                       .max_price = max_price,
                       .in_stock_only = in_stock_only,
                       .sort = to_enum(sort, search_sort_names(), "search sort"),
                       .page = page};
}

void bind_query(py::module_& m) {
    const SearchQuery defaults;
    py::class_<SearchQuery> query(
        m, "SearchQuery",
        "A product search; every field is optional. text (at most SearchQuery.max_text_bytes) must match every\n"
        "word, case-insensitively, in a product's title, attribute or spec values or shop name; Chinese,\n"
        "Japanese and Korean need no spaces. An empty text browses. category includes the categories under\n"
        "it. currency (a souk.Currency or its code; None: the marketplace's) is whose products are searched;\n"
        "min_price and max_price (inclusive, souk.Money in that currency) and in_stock_only look at each SKU.\n"
        "sort is a souk.SearchSort or its name; page.offset is at most SearchQuery.max_offset.");
    query
        .def(py::init(&query_of), py::kw_only(), py::arg("text") = defaults.text, py::arg("category") = py::none(),
             py::arg("shop") = py::none(), py::arg("currency") = py::none(), py::arg("min_price") = py::none(),
             py::arg("max_price") = py::none(), py::arg("in_stock_only") = defaults.in_stock_only,
             py::arg("sort") = defaults.sort, py::arg("page") = defaults.page)
        .def_readonly_static("max_text_bytes", &SearchQuery::max_text_bytes)
        .def_readonly_static("max_offset", &SearchQuery::max_offset);
    def_readwrite_fields(query, field("text", &SearchQuery::text), field("category", &SearchQuery::category),
                         field("shop", &SearchQuery::shop), field("currency", &SearchQuery::currency),
                         field("min_price", &SearchQuery::min_price), field("max_price", &SearchQuery::max_price),
                         field("in_stock_only", &SearchQuery::in_stock_only),
                         enum_field("sort", &SearchQuery::sort, search_sort_names(), "search sort"),
                         field("page", &SearchQuery::page));
}

void bind_results(py::module_& m) {
    py::class_<SearchHit> hit(
        m, "SearchHit",
        "One product found, as a result list shows it. sku is the SKU shown: the cheapest that passes the\n"
        "filters, preferring one in stock (SkuId(0), and price None, when the product has none); price,\n"
        "list_price, spec and in_stock are that SKU's. score is the relevance (0 without text). on_display:\n"
        "on sale in an active shop; only platform staff and a shop's own staff find products that are not.");
    def_readonly_fields(hit, field("product", &SearchHit::product), field("shop", &SearchHit::shop),
                        field("sku", &SearchHit::sku), field("price", &SearchHit::price),
                        field("in_stock", &SearchHit::in_stock), field("sales", &SearchHit::sales),
                        field("created", &SearchHit::created), field("score", &SearchHit::score),
                        field("on_display", &SearchHit::on_display), field("title", &SearchHit::title),
                        field("image", &SearchHit::image), field("category", &SearchHit::category),
                        field("shop_name", &SearchHit::shop_name), field("spec", &SearchHit::spec),
                        field("list_price", &SearchHit::list_price));
    hit.def(py::self == py::self).def(py::self != py::self);

    py::class_<SearchResult> result(
        m, "SearchResult",
        "One page of hits and the total of matches before paging. relaxed: the query's Chinese, Japanese or\n"
        "Korean words matched character by character, because as typed they found nothing.");
    def_readonly_fields(result, field("total", &SearchResult::total), field("hits", &SearchResult::hits),
                        field("relaxed", &SearchResult::relaxed));
    result.def(py::self == py::self).def(py::self != py::self);
}

}  // namespace

void bind_search(py::module_& m) {
    bind_enum(m, "SearchSort",
              "Result order: relevance, price_ascending, price_descending (products without a SKU last), newest,\n"
              "sales. Ties go by product id, so equal results always come back in the same order.",
              search_sort_names());
    bind_query(m);
    bind_results(m);
}

}  // namespace souk::python
