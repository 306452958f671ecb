// Group-buying events. Joining, paying and refunds of members are emitted by the orders
// commands that place, capture and refund (in the same command), so a group's record moves
// exactly with its members' orders.
#pragma once

#include <optional>

#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "group_buying/state.hpp"

namespace souk::detail {

struct GroupOfferCreated {
    static constexpr EventKind kind = EventKind::group_offer_created;
    static constexpr std::string_view name = "GroupOfferCreated";
    static constexpr std::uint8_t version = 1;
    GroupOfferId offer;
    ShopId shop;
    SkuId sku;
    Money group_price;
    std::int32_t group_size = 0;
    Duration window{};
    std::optional<std::int32_t> min_size;
    template <class V> void visit(V&& v) {
        v("offer", offer), v("shop", shop), v("sku", sku), v("group_price", group_price), v("group_size", group_size),
            v("window", window), v("min_size", min_size);
    }
    void apply(State& state, const EventContext& context) const;
};

struct GroupOfferEnded {
    static constexpr EventKind kind = EventKind::group_offer_ended;
    static constexpr std::string_view name = "GroupOfferEnded";
    static constexpr std::uint8_t version = 1;
    GroupOfferId offer;
    template <class V> void visit(V&& v) { v("offer", offer); }
    void apply(State& state, const EventContext& context) const;
};

struct GroupOpened {
    static constexpr EventKind kind = EventKind::group_opened;
    static constexpr std::string_view name = "GroupOpened";
    static constexpr std::uint8_t version = 1;
    GroupId group;
    GroupOfferId offer;
    UserId leader;
    Timestamp expires_at{};
    template <class V> void visit(V&& v) { v("group", group), v("offer", offer), v("leader", leader), v("expires_at", expires_at); }
    void apply(State& state, const EventContext& context) const;
};

// A customer placed an order in the group: they hold a place until it is paid or cancelled.
struct GroupMemberJoined {
    static constexpr EventKind kind = EventKind::group_member_joined;
    static constexpr std::string_view name = "GroupMemberJoined";
    static constexpr std::uint8_t version = 1;
    GroupId group;
    UserId customer;
    PaymentOrderId order;
    SubOrderId sub_order;
    template <class V> void visit(V&& v) {
        v("group", group), v("customer", customer), v("order", order), v("sub_order", sub_order);
    }
    void apply(State& state, const EventContext& context) const;
};

struct GroupMemberPaid {
    static constexpr EventKind kind = EventKind::group_member_paid;
    static constexpr std::string_view name = "GroupMemberPaid";
    static constexpr std::uint8_t version = 1;
    GroupId group;
    SubOrderId sub_order;
    template <class V> void visit(V&& v) { v("group", group), v("sub_order", sub_order); }
    void apply(State& state, const EventContext& context) const;
};

// Full, or at the window's end with at least the offer's min_size paid (full false).
struct GroupSucceeded {
    static constexpr EventKind kind = EventKind::group_succeeded;
    static constexpr std::string_view name = "GroupSucceeded";
    static constexpr std::uint8_t version = 1;
    GroupId group;
    bool full = false;
    template <class V> void visit(V&& v) { v("group", group), v("full", full); }
    void apply(State& state, const EventContext& context) const;
};

struct GroupFailed {
    static constexpr EventKind kind = EventKind::group_failed;
    static constexpr std::string_view name = "GroupFailed";
    static constexpr std::uint8_t version = 1;
    GroupId group;
    template <class V> void visit(V&& v) { v("group", group); }
    void apply(State& state, const EventContext& context) const;
};

struct GroupMemberRefunded {
    static constexpr EventKind kind = EventKind::group_member_refunded;
    static constexpr std::string_view name = "GroupMemberRefunded";
    static constexpr std::uint8_t version = 1;
    GroupId group;
    SubOrderId sub_order;
    RefundId refund;
    Money amount;
    template <class V> void visit(V&& v) {
        v("group", group), v("sub_order", sub_order), v("refund", refund), v("amount", amount);
    }
    void apply(State& state, const EventContext& context) const;
};

using GroupBuyingEvents = EventList<GroupOfferCreated, GroupOfferEnded, GroupOpened, GroupMemberJoined,
                                   GroupMemberPaid, GroupSucceeded, GroupFailed, GroupMemberRefunded>;

// Applied with SubOrderCancelled: an unpaid member leaves its group, and so does a paid one
// while the group forms (its cancellation refunded it). Members of a closed group keep their
// status: a failed group's refunds, a succeeded group's after-sales refunds.
void group_member_cancelled(State& state, SubOrderId sub_order);

}  // namespace souk::detail
