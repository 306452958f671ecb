// The stable numeric tag of every event type. A journal stores these numbers: never
// renumber or reuse one. Each module owns a range of one hundred.
#pragma once

#include <cstdint>

namespace souk::detail {

enum class EventKind : std::uint16_t {
    // accounts 100..199
    user_registered = 100,
    platform_role_granted = 101,
    platform_role_revoked = 102,
    session_started = 103,
    session_revoked = 104,
    password_changed = 105,
    user_disabled = 106,
    user_enabled = 107,
    // shops 200..299
    shop_applied = 200,
    shop_approved = 201,
    shop_rejected = 202,
    shop_resubmitted = 203,
    shop_suspended = 204,
    shop_reinstated = 205,
    shop_closed = 206,
    shop_profile_updated = 207,
    shop_staff_added = 208,
    shop_staff_removed = 209,
    shop_commission_set = 210,
    // catalog 300..399
    category_created = 300,
    category_renamed = 301,
    category_moved = 302,
    category_retired = 303,
    category_commission_set = 304,
    category_attributes_set = 305,
    product_created = 306,
    product_updated = 307,
    product_specs_set = 308,
    sku_price_changed = 309,
    sku_details_changed = 310,
    product_listed = 311,
    product_delisted = 312,
    product_banned = 313,
    product_ban_lifted = 314,
    // inventory 400..499
    stock_adjusted = 400,
    stock_reserved = 401,
    stock_released = 402,
    stock_committed = 403,
    low_stock_threshold_set = 404,
    // orders 500..599: address book and cart 500..519, orders 520..
    address_added = 500,
    address_updated = 501,
    address_removed = 502,
    default_address_set = 503,
    cart_line_added = 504,
    cart_quantity_set = 505,
    cart_lines_removed = 506,
    cart_selection_set = 507,
    order_placed = 520,
    sub_order_placed = 521,
    order_paid = 522,
    sub_order_paid = 523,
    order_cancelled = 524,
    sub_order_cancelled = 525,
    sub_order_shipped = 526,
    sub_order_received = 527,
    sub_order_completed = 528,
    // payments 600..699
    payment_started = 600,
    payment_intent_recorded = 601,
    payment_captured = 602,
    payment_declined = 603,
    payment_alert_raised = 604,
    refund_requested = 605,
    refund_submitted = 606,
    refund_succeeded = 607,
    refund_failed = 608,
    // promotions 800..899
    coupon_template_created = 800,
    coupon_template_stopped = 801,
    coupon_issued = 802,
    coupon_used = 803,
    coupon_returned = 804,
    spend_promotion_created = 810,
    spend_promotion_ended = 811,
    // group buying 830..849
    group_offer_created = 830,
    group_offer_ended = 831,
    group_opened = 832,
    group_member_joined = 833,
    group_member_paid = 834,
    group_succeeded = 835,
    group_failed = 836,
    group_member_refunded = 837,
};

}  // namespace souk::detail
