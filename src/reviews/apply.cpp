// How review events change the state, aggregates included.
#include "kernel/state.hpp"
#include "reviews/events.hpp"

namespace souk::detail {
namespace {

ReviewInfo& review_or_corrupt(State& state, ReviewId id) {
    const auto it = state.reviews.reviews.find(id);
    require_consistent(it != state.reviews.reviews.end(), "event of an unknown review");
    return it->second;
}

// Adds (+1) or removes (-1) a visible review from its aggregates.
void count(RatingSummary& summary, int rating, int sign) {
    summary.count += sign;
    summary.stars += sign * rating;
    summary.distribution[rating - 1] += sign;
}

}  // namespace

void ReviewPosted::apply(State& state, const EventContext& context) const {
    auto& part = state.reviews;
    require_consistent(review.value == part.last_review + 1 && rating >= 1 && rating <= 5 &&
                           !part.reviewed.contains({sub_order, sku}),
                       "review out of order, of a line reviewed or with a rating outside 1..5");
    const int stars = static_cast<int>(rating);
    part.reviews.emplace(review, ReviewInfo{review, sub_order, shop, product, sku, customer, stars, text, images,
                                            context.time, {}, std::nullopt, {}, std::nullopt, false, {}});
    part.reviewed.emplace(sub_order, sku);
    part.by_product.emplace(product, review);
    part.by_shop.emplace(shop, review);
    count(part.product_ratings[product], stars, 1);
    count(part.shop_ratings[shop], stars, 1);
    part.last_review = review.value;
}

void ReviewReplied::apply(State& state, const EventContext& context) const {
    auto& r = review_or_corrupt(state, review);
    require_consistent(!r.replied_at, "second reply to a review");
    r.reply = text;
    r.replied_at = context.time;
}

void ReviewFollowedUp::apply(State& state, const EventContext& context) const {
    auto& r = review_or_corrupt(state, review);
    require_consistent(!r.followed_up_at, "second follow-up to a review");
    r.follow_up = text;
    r.followed_up_at = context.time;
}

void ReviewHidden::apply(State& state, const EventContext&) const {
    auto& part = state.reviews;
    auto& r = review_or_corrupt(state, review);
    require_consistent(!r.hidden, "review hidden twice");
    r.hidden = true;
    r.hidden_reason = reason;
    part.by_product.erase({r.product, r.id});
    part.by_shop.erase({r.shop, r.id});
    count(part.product_ratings[r.product], r.rating, -1);
    count(part.shop_ratings[r.shop], r.rating, -1);
}

}  // namespace souk::detail
