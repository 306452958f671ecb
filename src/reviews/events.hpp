// Review events.
#pragma once

#include <string>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "souk/reviews.hpp"

namespace souk::detail {

struct ReviewPosted {
    static constexpr EventKind kind = EventKind::review_posted;
    static constexpr std::string_view name = "ReviewPosted";
    static constexpr std::uint8_t version = 1;
    ReviewId review;
    SubOrderId sub_order;
    ShopId shop;
    ProductId product;
    SkuId sku;
    UserId customer;
    std::int64_t rating = 0;
    std::string text;
    std::vector<std::string> images;
    template <class V> void visit(V&& v) {
        v("review", review), v("sub_order", sub_order), v("shop", shop), v("product", product), v("sku", sku),
            v("customer", customer), v("rating", rating), v("text", text), v("images", images);
    }
    void apply(State& state, const EventContext& context) const;
};

struct ReviewReplied {
    static constexpr EventKind kind = EventKind::review_replied;
    static constexpr std::string_view name = "ReviewReplied";
    static constexpr std::uint8_t version = 1;
    ReviewId review;
    std::string text;
    template <class V> void visit(V&& v) { v("review", review), v("text", text); }
    void apply(State& state, const EventContext& context) const;
};

struct ReviewFollowedUp {
    static constexpr EventKind kind = EventKind::review_followed_up;
    static constexpr std::string_view name = "ReviewFollowedUp";
    static constexpr std::uint8_t version = 1;
    ReviewId review;
    std::string text;
    template <class V> void visit(V&& v) { v("review", review), v("text", text); }
    void apply(State& state, const EventContext& context) const;
};

struct ReviewHidden {
    static constexpr EventKind kind = EventKind::review_hidden;
    static constexpr std::string_view name = "ReviewHidden";
    static constexpr std::uint8_t version = 1;
    ReviewId review;
    std::string reason;
    template <class V> void visit(V&& v) { v("review", review), v("reason", reason); }
    void apply(State& state, const EventContext& context) const;
};

using ReviewsEvents = EventList<ReviewPosted, ReviewReplied, ReviewFollowedUp, ReviewHidden>;

}  // namespace souk::detail
