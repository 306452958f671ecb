// souk — reviews: one rating and text per completed line, the seller's reply, the buyer's
// follow-up, moderation, and the shop and product rating aggregates (see docs/fulfilment.md).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/paging.hpp"

namespace souk {

namespace detail {
class Kernel;
}

struct ReviewDraft {
    int rating = 5;                   // 1..5 stars
    std::string text;                 // 0..2000 characters, line breaks allowed
    std::vector<std::string> images;  // at most 9 http:// or https:// URLs
    friend bool operator==(const ReviewDraft&, const ReviewDraft&) = default;
};

struct ReviewInfo {
    ReviewId id;
    SubOrderId sub_order;
    ShopId shop;
    ProductId product;
    SkuId sku;
    UserId customer;
    int rating = 0;
    std::string text;
    std::vector<std::string> images;
    Timestamp posted_at{};
    std::string reply;  // the seller's, once
    std::optional<Timestamp> replied_at;
    std::string follow_up;  // the buyer's, once
    std::optional<Timestamp> followed_up_at;
    bool hidden = false;  // by the platform: out of listings and aggregates
    std::string hidden_reason;
    friend bool operator==(const ReviewInfo&, const ReviewInfo&) = default;
};

// Visible reviews only. distribution[i] counts ratings of i + 1 stars.
struct RatingSummary {
    std::uint64_t count = 0;
    std::uint64_t stars = 0;  // Σ ratings
    std::array<std::uint64_t, 5> distribution{};
    // stars / count rounded half up to hundredths (4.67 is 467); 0 without reviews.
    std::uint64_t average_hundredths() const { return count == 0 ? 0 : (stars * 200 + count) / (count * 2); }
    friend bool operator==(const RatingSummary&, const RatingSummary&) = default;
};

// The reviews service. Reviews are public once posted, unless hidden; a hidden review stays
// visible to its author, its shop and platform staff.
//
// Thread-safety: like every service, any number of threads may call it at once.
class Reviews {
public:
    static constexpr std::size_t max_images = 9;

    // The buyer reviews a line of a completed sub-order before its review_until, once per line.
    // A line refunded in full cannot be reviewed.
    ReviewId post(const Actor& customer, SubOrderId sub_order, SkuId sku, const ReviewDraft& draft);
    // The shop's owner or staff reply once; 1..1000 characters.
    void reply(const Actor& actor, ReviewId review, const std::string& text);
    // The author appends once, after posting; 1..1000 characters.
    void follow_up(const Actor& customer, ReviewId review, const std::string& text);
    // Platform staff hide an abusive review; reason 1..200 characters. Final.
    void hide(const Actor& actor, ReviewId review, const std::string& reason);

    ReviewInfo review(const Actor& actor, ReviewId review) const;
    // Newest first, visible ones only.
    std::vector<ReviewInfo> of_product(ProductId product, Page page = {}) const;
    std::vector<ReviewInfo> of_shop(ShopId shop, Page page = {}) const;
    RatingSummary product_rating(ProductId product) const;
    RatingSummary shop_rating(ShopId shop) const;

private:
    friend class Marketplace;
    explicit Reviews(detail::Kernel& kernel) : kernel_(&kernel) {}
    detail::Kernel* kernel_;
};

}  // namespace souk
