// Group-buying state: shops' offers and the groups formed under them.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "souk/clock.hpp"
#include "souk/group_buying.hpp"
#include "souk/ids.hpp"

namespace souk::detail {

struct GroupOfferRecord {
    GroupOfferId id;
    ShopId shop;
    GroupOfferSpec spec;
    bool ended = false;
    Timestamp created_at{};
};

struct GroupMemberRecord {
    UserId customer;
    PaymentOrderId order;
    SubOrderId sub_order;
    GroupMemberStatus status = GroupMemberStatus::joined;
    Money refunded;
    Timestamp joined_at{};
};

struct GroupRecord {
    GroupId id;
    GroupOfferId offer;
    UserId leader;
    GroupStatus status = GroupStatus::forming;
    std::vector<GroupMemberRecord> members;
    Timestamp opened_at{};
    Timestamp expires_at{};
    std::optional<Timestamp> closed_at;

    std::int32_t count(GroupMemberStatus wanted) const {
        std::int32_t n = 0;
        for (const auto& m : members) n += m.status == wanted;
        return n;
    }
    // Members holding a place: joined or paid.
    std::int32_t places_taken() const { return static_cast<std::int32_t>(members.size()) - count(GroupMemberStatus::left); }
    GroupMemberRecord* member(SubOrderId sub_order) {
        for (auto& m : members)
            if (m.sub_order == sub_order) return &m;
        return nullptr;
    }
};

struct GroupBuyingState {
    std::map<GroupOfferId, GroupOfferRecord> offers;
    std::map<ShopId, std::vector<GroupOfferId>> offers_by_shop;  // ascending
    std::map<SkuId, GroupOfferId> running_offer_of_sku;           // offers not ended
    std::map<GroupId, GroupRecord> groups;
    std::map<GroupOfferId, std::vector<GroupId>> groups_by_offer;  // ascending
    std::unordered_map<SubOrderId, GroupId> group_of_sub_order;
    std::set<std::pair<Timestamp, GroupId>> forming_until;  // forming groups by window end
    std::uint64_t last_offer = 0;
    std::uint64_t last_group = 0;

    const GroupOfferRecord* find(GroupOfferId id) const {
        const auto it = offers.find(id);
        return it == offers.end() ? nullptr : &it->second;
    }
    const GroupRecord* find(GroupId id) const {
        const auto it = groups.find(id);
        return it == groups.end() ? nullptr : &it->second;
    }
    const GroupRecord* group_of(SubOrderId sub_order) const {
        const auto it = group_of_sub_order.find(sub_order);
        return it == group_of_sub_order.end() ? nullptr : find(it->second);
    }
};

}  // namespace souk::detail
