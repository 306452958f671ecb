// souk.Reviews (marketplace.reviews): reviews of completed lines, replies, follow-ups,
// moderation and rating aggregates.
#include "bindings.hpp"

#include "souk/reviews.hpp"

namespace souk::python {
namespace {

void bind_types(py::module_& m) {
    py::class_<ReviewDraft> draft(m, "ReviewDraft",
                                  "A review as the buyer writes it: rating 1..5, text (0..2000 characters) and at most "
                                  "9 image URLs.");
    draft
        .def(py::init([](int rating, std::string text, std::vector<std::string> images) {
                 return ReviewDraft{rating, std::move(text), std::move(images)};
             }),
             py::kw_only(), py::arg("rating"), py::arg("text") = std::string(),
             py::arg("images") = std::vector<std::string>{});
    def_readwrite_fields(draft, field("rating", &ReviewDraft::rating), field("text", &ReviewDraft::text),
                         field("images", &ReviewDraft::images));
    draft.def(py::self == py::self).def(py::self != py::self);

    py::class_<ReviewInfo> info(m, "ReviewInfo",
                                "A review of one line with the seller's reply and the buyer's follow-up; hidden ones "
                                "are out of listings and aggregates.");
    def_readonly_fields(info, field("id", &ReviewInfo::id), field("sub_order", &ReviewInfo::sub_order),
                        field("shop", &ReviewInfo::shop), field("product", &ReviewInfo::product),
                        field("sku", &ReviewInfo::sku), field("customer", &ReviewInfo::customer),
                        field("rating", &ReviewInfo::rating), field("text", &ReviewInfo::text),
                        field("images", &ReviewInfo::images), field("posted_at", &ReviewInfo::posted_at),
                        field("reply", &ReviewInfo::reply), field("replied_at", &ReviewInfo::replied_at),
                        field("follow_up", &ReviewInfo::follow_up),
                        field("followed_up_at", &ReviewInfo::followed_up_at), field("hidden", &ReviewInfo::hidden),
                        field("hidden_reason", &ReviewInfo::hidden_reason));
    info.def(py::self == py::self).def(py::self != py::self);

    py::class_<RatingSummary> summary(
        m, "RatingSummary",
        "Visible reviews: count, stars (the sum), distribution (counts of 1..5 stars) and\n"
        "average_hundredths (4.67 stars is 467).");
    def_readonly_fields(summary, field("count", &RatingSummary::count), field("stars", &RatingSummary::stars),
                        field("distribution", &RatingSummary::distribution));
    summary.def_property_readonly("average_hundredths", &RatingSummary::average_hundredths)
        .def(py::self == py::self)
        .def(py::self != py::self);
}

void bind_service(py::module_& m) {
    py::class_<Reviews> reviews(
        m, "Reviews",
        "Reviews: marketplace.reviews. One per completed line, by its buyer, before review_until; one seller\n"
        "reply; one follow-up by the author; platform staff hide abusive ones.");
    reviews.def_readonly_static("max_images", &Reviews::max_images)
        .def("post", &Reviews::post, py::arg("customer"), py::arg("sub_order"), py::arg("sku"), py::arg("draft"),
             ReleaseGil(), "Reviews a line of a completed sub-order; returns the ReviewId.")
        .def("reply", &Reviews::reply, py::arg("actor"), py::arg("review"), py::arg("text"), ReleaseGil())
        .def("follow_up", &Reviews::follow_up, py::arg("customer"), py::arg("review"), py::arg("text"), ReleaseGil())
        .def("hide", &Reviews::hide, py::arg("actor"), py::arg("review"), py::arg("reason"), ReleaseGil())
        .def("review", &Reviews::review, py::arg("actor"), py::arg("review"), ReleaseGil())
        .def("of_product", &Reviews::of_product, py::arg("product"), py::arg("page") = Page{}, ReleaseGil())
        .def("of_shop", &Reviews::of_shop, py::arg("shop"), py::arg("page") = Page{}, ReleaseGil())
        .def("product_rating", &Reviews::product_rating, py::arg("product"), ReleaseGil())
        .def("shop_rating", &Reviews::shop_rating, py::arg("shop"), ReleaseGil());
}

}  // namespace

void bind_reviews(py::module_& m) {
    bind_types(m);
    bind_service(m);
}

}  // namespace souk::python
