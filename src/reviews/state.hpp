// Reviews state: every review, the lines reviewed, listings and the rating aggregates, all
// kept up to date as review events apply.
#pragma once

#include <map>
#include <set>
#include <utility>

#include "souk/ids.hpp"
#include "souk/reviews.hpp"

namespace souk::detail {

struct ReviewsState {
    std::map<ReviewId, ReviewInfo> reviews;
    std::set<std::pair<SubOrderId, SkuId>> reviewed;
    std::set<std::pair<ProductId, ReviewId>> by_product;  // visible ones
    std::set<std::pair<ShopId, ReviewId>> by_shop;        // visible ones
    std::map<ProductId, RatingSummary> product_ratings;
    std::map<ShopId, RatingSummary> shop_ratings;
    std::uint64_t last_review = 0;

    const ReviewInfo* find(ReviewId id) const {
        const auto it = reviews.find(id);
        return it == reviews.end() ? nullptr : &it->second;
    }
};

}  // namespace souk::detail
