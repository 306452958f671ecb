// Applying group-buying events: pure, cannot fail for events a command validated.
#include <algorithm>

#include "group_buying/events.hpp"
#include "kernel/state.hpp"

namespace souk::detail {
namespace {

GroupRecord& group_or_corrupt(State& state, GroupId group) {
    const auto it = state.group_buying.groups.find(group);
    require_consistent(it != state.group_buying.groups.end(), "event of an unknown group");
    return it->second;
}

GroupMemberRecord& member_or_corrupt(GroupRecord& group, SubOrderId sub_order) {
    auto* member = group.member(sub_order);
    require_consistent(member != nullptr, "event of a sub-order outside its group");
    return *member;
}

void close(GroupBuyingState& g, GroupRecord& group, GroupStatus status, Timestamp at) {
    require_consistent(group.status == GroupStatus::forming, "a group closed twice");
    g.forming_until.erase({group.expires_at, group.id});
    group.status = status;
    group.closed_at = at;
}

}  // namespace

void GroupOfferCreated::apply(State& state, const EventContext& context) const {
    auto& g = state.group_buying;
    require_consistent(offer.value == g.last_offer + 1 && !g.running_offer_of_sku.contains(sku), "offer out of order");
    g.offers[offer] = GroupOfferRecord{offer, shop, GroupOfferSpec{sku, group_price, group_size, window, min_size},
                                       false, context.time};
    g.offers_by_shop[shop].push_back(offer);
    g.running_offer_of_sku[sku] = offer;
    g.last_offer = offer.value;
}

void GroupOfferEnded::apply(State& state, const EventContext&) const {
    auto& g = state.group_buying;
    const auto it = g.offers.find(offer);
    require_consistent(it != g.offers.end() && !it->second.ended, "end of an unknown or ended offer");
    it->second.ended = true;
    g.running_offer_of_sku.erase(it->second.spec.sku);
}

void GroupOpened::apply(State& state, const EventContext& context) const {
    auto& g = state.group_buying;
    require_consistent(group.value == g.last_group + 1 && g.offers.contains(offer), "group out of order");
    g.groups[group] = GroupRecord{group, offer, leader, GroupStatus::forming, {}, context.time, expires_at, {}};
    g.groups_by_offer[offer].push_back(group);
    g.forming_until.insert({expires_at, group});
    g.last_group = group.value;
}

void GroupMemberJoined::apply(State& state, const EventContext& context) const {
    auto& record = group_or_corrupt(state, group);
    require_consistent(record.status == GroupStatus::forming && !record.member(sub_order), "join of a closed group");
    record.members.push_back(GroupMemberRecord{customer, order, sub_order, GroupMemberStatus::joined,
                                               Money::zero(state.group_buying.offers.at(record.offer).spec.group_price.currency()),
                                               context.time});
    state.group_buying.group_of_sub_order[sub_order] = group;
}

void GroupMemberPaid::apply(State& state, const EventContext&) const {
    auto& member = member_or_corrupt(group_or_corrupt(state, group), sub_order);
    require_consistent(member.status == GroupMemberStatus::joined, "a member paid twice");
    member.status = GroupMemberStatus::paid;
}

void GroupSucceeded::apply(State& state, const EventContext& context) const {
    close(state.group_buying, group_or_corrupt(state, group), GroupStatus::succeeded, context.time);
}

void GroupFailed::apply(State& state, const EventContext& context) const {
    close(state.group_buying, group_or_corrupt(state, group), GroupStatus::failed, context.time);
}

void GroupMemberRefunded::apply(State& state, const EventContext&) const {
    auto& member = member_or_corrupt(group_or_corrupt(state, group), sub_order);
    require_consistent(amount.currency() == member.refunded.currency(), "refund in another currency");
    member.refunded += amount;
}

void group_member_cancelled(State& state, SubOrderId sub_order) {
    const auto it = state.group_buying.group_of_sub_order.find(sub_order);
    if (it == state.group_buying.group_of_sub_order.end()) return;
    auto& group = state.group_buying.groups.at(it->second);
    auto& member = *group.member(sub_order);
    if (member.status == GroupMemberStatus::joined || group.status == GroupStatus::forming)
        member.status = GroupMemberStatus::left;
}

}  // namespace souk::detail
