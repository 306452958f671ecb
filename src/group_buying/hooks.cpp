// Group buying inside pricing and the orders commands.
#include "group_buying/hooks.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "group_buying/events.hpp"
#include "orders/events.hpp"
#include "souk/error.hpp"

namespace souk::detail {
namespace {

// The group a checkout joins may take it: still forming, within its window, a place free,
// and the customer not in it already.
void require_joinable(const GroupRecord& group, const GroupOfferRecord& offer, UserId customer, Timestamp now) {
    if (group.offer != offer.id)
        throw Error(Errc::invalid_argument, fmt::format("group {} is not of offer {}", group.id, offer.id));
    if (group.status != GroupStatus::forming)
        throw Error(Errc::invalid_state,
                    fmt::format("group {} has {}: it takes no more members", group.id, group_status_name(group.status)));
    if (now >= group.expires_at)
        throw Error(Errc::invalid_state, fmt::format("group {}'s window ended at {}", group.id,
                                                     format_timestamp(group.expires_at)));
    if (group.places_taken() >= offer.spec.group_size)
        throw Error(Errc::invalid_state, fmt::format("group {} is full: open a new group or join another", group.id));
    const bool member = std::any_of(group.members.begin(), group.members.end(), [&](const GroupMemberRecord& m) {
        return m.customer == customer && m.status != GroupMemberStatus::left;
    });
    if (member) throw Error(Errc::invalid_state, fmt::format("customer {} is in group {} already", customer, group.id));
}

}  // namespace

const GroupOfferRecord& group_offer_or_throw(const State& state, GroupOfferId offer) {
    const auto* record = state.group_buying.find(offer);
    if (!record) throw Error(Errc::not_found, fmt::format("no group offer {}", offer));
    return *record;
}

std::optional<QuoteDiscount> group_price_discount(const State& state, const PricingInput& input, const Quote& quote) {
    if (!input.group.offer) {
        if (input.group.group) throw Error(Errc::invalid_argument, "a group purchase names the group's offer");
        return std::nullopt;
    }
    const auto& offer = group_offer_or_throw(state, input.group.offer);
    const auto& spec = offer.spec;
    if (quote.shops.size() != 1 || quote.shops.front().lines.size() != 1 ||
        quote.shops.front().lines.front().sku != spec.sku)
        throw Error(Errc::invalid_argument,
                    fmt::format("a purchase through group offer {} buys its SKU {} alone", offer.id, spec.sku));
    if (input.group.group) {
        const auto* group = state.group_buying.find(input.group.group);
        if (!group) throw Error(Errc::not_found, fmt::format("no group {}", input.group.group));
        require_joinable(*group, offer, input.customer, input.now);
    } else if (offer.ended) {
        throw Error(Errc::invalid_state, fmt::format("group offer {} has ended: no new groups open", offer.id));
    }
    const auto& line = quote.shops.front().lines.front();
    if (spec.group_price.currency() != quote.currency)
        throw Error(Errc::currency_mismatch, fmt::format("group offer {} is priced in {}, the checkout in {}", offer.id,
                                                         spec.group_price.currency(), quote.currency));
    const Money at_group_price = spec.group_price.times(line.quantity);
    const Money off = line.line_total > at_group_price ? line.line_total - at_group_price : Money::zero(quote.currency);
    return QuoteDiscount{fmt::format("Group of {}: {} each", spec.group_size, spec.group_price), offer.shop, off,
                         DiscountKind::group_price, offer.id.value};
}

void join_group(const State& state, EventSink& out, const PricingInput& input, PaymentOrderId order,
                SubOrderId sub_order) {
    if (!input.group.offer) return;
    GroupId group = input.group.group;
    if (!group) {
        group = GroupId{state.group_buying.last_group + 1};
        const auto& offer = group_offer_or_throw(state, input.group.offer);
        out.emit(GroupOpened{group, offer.id, input.customer, out.now() + offer.spec.window});
    }
    out.emit(GroupMemberJoined{group, input.customer, order, sub_order});
}

void group_payment_captured(const State& state, EventSink& out, SubOrderId sub_order) {
    const auto* group = state.group_buying.group_of(sub_order);
    if (!group || group->status != GroupStatus::forming) return;
    out.emit(GroupMemberPaid{group->id, sub_order});
    // A payment after the window's end counts, but only tick decides such a group's fate.
    const auto& offer = *state.group_buying.find(group->offer);
    if (group->count(GroupMemberStatus::paid) + 1 >= offer.spec.group_size && out.now() < group->expires_at)
        out.emit(GroupSucceeded{group->id, true});
}

void note_group_refund(const State& state, EventSink& out, const RefundRequested& refund) {
    if (const auto* group = state.group_buying.group_of(refund.sub_order))
        out.emit(GroupMemberRefunded{group->id, refund.sub_order, refund.refund, refund.amount});
}

void require_group_succeeded(const State& state, const SubOrderRecord& sub_order) {
    const auto* group = state.group_buying.group_of(sub_order.id);
    if (!group || group->status == GroupStatus::succeeded) return;
    throw Error(Errc::invalid_state, fmt::format("sub-order {} belongs to group {}, which has {}: it ships only once "
                                                 "the group succeeded",
                                                 sub_order.id, group->id,
                                                 group->status == GroupStatus::forming ? "not filled yet" : "failed"));
}

}  // namespace souk::detail
