// souk.Page: the window into a list query's results.
#include "bindings.hpp"

#include "souk/paging.hpp"

namespace souk::python {

void bind_paging(py::module_& m) {
    py::class_<Page> page(m, "Page", "A window into a result list: limit 1..Page.max_limit, checked by the query.");
    page.def(py::init([](std::size_t offset, std::size_t limit) { return Page{offset, limit}; }), py::kw_only(),
             py::arg("offset") = Page{}.offset, py::arg("limit") = Page{}.limit)
        .def_readonly_static("max_limit", &Page::max_limit);
    def_readwrite_fields(page, field("offset", &Page::offset), field("limit", &Page::limit));
}

}  // namespace souk::python
