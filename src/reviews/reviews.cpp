// Reviews: posting, replying, following up, hiding, listings and aggregates.
#include <fmt/format.h>

#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "orders/commands.hpp"
#include "reviews/events.hpp"
#include "souk/error.hpp"
#include "souk/reviews.hpp"
#include "validate.hpp"

namespace souk {
namespace {

using detail::State;

const ReviewInfo& review_or_throw(const State& s, ReviewId id) {
    const auto* review = s.reviews.find(id);
    if (!review) throw Error(Errc::not_found, fmt::format("no review {}", id));
    return *review;
}

template <class Key>
std::vector<ReviewInfo> newest_of(const State& s, const std::set<std::pair<Key, ReviewId>>& index, Key key,
                                  const Page& page) {
    std::vector<ReviewInfo> result;
    std::size_t skipped = 0;
    auto it = index.lower_bound({key, ReviewId{~std::uint64_t{0}}});
    while (it != index.begin() && result.size() < page.limit) {
        --it;
        if (it->first != key) break;
        if (skipped++ < page.offset) continue;
        result.push_back(*s.reviews.find(it->second));
    }
    return result;
}

template <class Key>
RatingSummary rating_of(const std::map<Key, RatingSummary>& ratings, Key key) {
    const auto it = ratings.find(key);
    return it == ratings.end() ? RatingSummary{} : it->second;
}

}  // namespace

ReviewId Reviews::post(const Actor& customer, SubOrderId sub_order, SkuId sku, const ReviewDraft& draft) {
    if (draft.rating < 1 || draft.rating > 5)
        throw Error(Errc::invalid_argument, fmt::format("a rating is 1..5 stars, not {}", draft.rating));
    detail::require_paragraph("review text", draft.text, 0, 2000);
    detail::require_web_urls("images", draft.images, max_images);
    return kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::sub_order_or_throw(s, sub_order);
        if (!detail::is_buyer(s, customer, record.customer))
            throw Error(Errc::forbidden, fmt::format("only the buyer may review sub-order {}", sub_order));
        if (record.status != SubOrderStatus::completed)
            throw Error(Errc::invalid_state, fmt::format("sub-order {} is {}: only completed sub-orders are reviewed",
                                                         sub_order, sub_order_status_name(record.status)));
        if (record.review_until && out.now() > *record.review_until)
            throw Error(Errc::invalid_state, fmt::format("the review window of sub-order {} closed at {}", sub_order,
                                                         format_timestamp(*record.review_until)));
        const auto* line = record.line(sku);
        if (!line) throw Error(Errc::not_found, fmt::format("sub-order {} has no line of SKU {}", sub_order, sku));
        if (line->refunded == line->paid_share && !line->paid_share.is_zero())
            throw Error(Errc::invalid_state, fmt::format("SKU {} of sub-order {} was refunded in full", sku, sub_order));
        if (s.reviews.reviewed.contains({sub_order, sku}))
            throw Error(Errc::already_exists, fmt::format("SKU {} of sub-order {} is reviewed already", sku, sub_order));
        const ReviewId id{s.reviews.last_review + 1};
        out.emit(detail::ReviewPosted{id, sub_order, record.shop, line->product, sku, record.customer, draft.rating,
                                      draft.text, draft.images});
        return id;
    });
}

void Reviews::reply(const Actor& actor, ReviewId review, const std::string& text) {
    detail::require_paragraph("reply", text, 1, 1000);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = review_or_throw(s, review);
        detail::require_shop_member(s, record.shop, actor, fmt::format("reply to review {}", review));
        if (record.replied_at)
            throw Error(Errc::already_exists, fmt::format("review {} has its reply already", review));
        out.emit(detail::ReviewReplied{review, text});
    });
}

void Reviews::follow_up(const Actor& customer, ReviewId review, const std::string& text) {
    detail::require_paragraph("follow-up", text, 1, 1000);
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& record = review_or_throw(s, review);
        if (!detail::is_buyer(s, customer, record.customer))
            throw Error(Errc::forbidden, fmt::format("only the author may follow review {} up", review));
        if (record.followed_up_at)
            throw Error(Errc::already_exists, fmt::format("review {} has its follow-up already", review));
        out.emit(detail::ReviewFollowedUp{review, text});
    });
}

void Reviews::hide(const Actor& actor, ReviewId review, const std::string& reason) {
    detail::require_paragraph("reason", reason, 1, 200);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = review_or_throw(s, review);
        detail::require_platform_staff(s, actor, "hide reviews");
        if (record.hidden) throw Error(Errc::invalid_state, fmt::format("review {} is hidden already", review));
        out.emit(detail::ReviewHidden{review, reason});
    });
}

ReviewInfo Reviews::review(const Actor& actor, ReviewId review) const {
    return kernel_->read([&](const State& s) {
        const auto& record = review_or_throw(s, review);
        const bool privileged = detail::is_buyer(s, actor, record.customer) ||
                                detail::is_shop_member(s, record.shop, actor) || detail::is_platform_staff(s, actor);
        if (record.hidden && !privileged) throw Error(Errc::not_found, fmt::format("no review {}", review));
        return record;
    });
}

std::vector<ReviewInfo> Reviews::of_product(ProductId product, Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) { return newest_of(s, s.reviews.by_product, product, page); });
}

std::vector<ReviewInfo> Reviews::of_shop(ShopId shop, Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) { return newest_of(s, s.reviews.by_shop, shop, page); });
}

RatingSummary Reviews::product_rating(ProductId product) const {
    return kernel_->read([&](const State& s) { return rating_of(s.reviews.product_ratings, product); });
}

RatingSummary Reviews::shop_rating(ShopId shop) const {
    return kernel_->read([&](const State& s) { return rating_of(s.reviews.shop_ratings, shop); });
}

}  // namespace souk
