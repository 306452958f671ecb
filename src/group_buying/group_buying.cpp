// The group-buying service: offers, group queries, and closing groups whose window ended.
#include "souk/group_buying.hpp"

#include <fmt/format.h>

#include "group_buying/events.hpp"
#include "group_buying/hooks.hpp"
#include "inventory/stock_moves.hpp"
#include "catalog/lookup.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "orders/commands.hpp"
#include "souk/error.hpp"
#include "souk/orders.hpp"

namespace souk {

std::string_view group_status_name(GroupStatus status) noexcept {
    switch (status) {
        case GroupStatus::forming: return "forming";
        case GroupStatus::succeeded: return "succeeded";
        case GroupStatus::failed: return "failed";
    }
    return "unknown";
}

std::string_view group_member_status_name(GroupMemberStatus status) noexcept {
    switch (status) {
        case GroupMemberStatus::joined: return "joined";
        case GroupMemberStatus::paid: return "paid";
        case GroupMemberStatus::left: return "left";
    }
    return "unknown";
}

namespace {

using detail::State;

constexpr Duration min_window = std::chrono::minutes(1);
constexpr Duration max_window = std::chrono::hours(24 * 30);
// Groups closed per command: a long-idle marketplace catches up in several short commands.
constexpr std::size_t groups_per_command = 64;

void validate_spec(const State& s, ShopId shop, const GroupOfferSpec& spec) {
    const auto& sku = detail::sku_or_throw(s.catalog, spec.sku);
    if (sku.shop != shop) throw Error(Errc::invalid_argument, fmt::format("SKU {} is not shop {}'s", spec.sku, shop));
    if (spec.group_price.currency() != sku.price.currency())
        throw Error(Errc::currency_mismatch, fmt::format("SKU {} is priced in {}, not {}", spec.sku,
                                                         sku.price.currency(), spec.group_price.currency()));
    if (spec.group_price <= Money::zero(spec.group_price.currency()) || spec.group_price >= sku.price)
        throw Error(Errc::invalid_argument, fmt::format("a group price is positive and below the SKU's price {}, not {}",
                                                        sku.price, spec.group_price));
    if (spec.group_size < 2 || spec.group_size > GroupBuying::max_group_size)
        throw Error(Errc::invalid_argument, fmt::format("a group has 2..{} members, not {}", GroupBuying::max_group_size,
                                                        spec.group_size));
    if (spec.window < min_window || spec.window > max_window)
        throw Error(Errc::invalid_argument, "a group's window is 1 minute..30 days");
    if (spec.min_size && (*spec.min_size < 2 || *spec.min_size >= spec.group_size))
        throw Error(Errc::invalid_argument, fmt::format("a group's min_size is 2..{} (below its size), not {}",
                                                        spec.group_size - 1, *spec.min_size));
    if (const auto it = s.group_buying.running_offer_of_sku.find(spec.sku); it != s.group_buying.running_offer_of_sku.end())
        throw Error(Errc::already_exists,
                    fmt::format("SKU {} is in group offer {} already: end it first", spec.sku, it->second));
}

GroupOfferInfo info_of(const detail::GroupOfferRecord& r) { return {r.id, r.shop, r.spec, r.ended, r.created_at}; }

// The group as `actor` may see it; with no actor, without members.
GroupInfo info_of(const State& s, const detail::GroupRecord& r, const Actor* actor) {
    const auto& offer = *s.group_buying.find(r.offer);
    GroupInfo info{r.id,   r.offer, offer.shop, offer.spec.sku, offer.spec.group_price, offer.spec.group_size,
                   r.status, r.leader, r.count(GroupMemberStatus::paid), 0, {}, r.opened_at, r.expires_at, r.closed_at};
    const bool sees_all =
        actor && (detail::is_shop_member(s, offer.shop, *actor) || detail::is_platform_staff(s, *actor));
    for (const auto& m : r.members) {
        info.refunded_members += !m.refunded.is_zero();
        if (sees_all || (actor && !actor->is_system() && actor->user_id() == m.customer))
            info.members.push_back({m.customer, m.order, m.sub_order, m.status, m.refunded, m.joined_at});
    }
    return info;
}

// Ends a group whose window closed: it succeeds with enough paid members if its offer allows,
// otherwise it fails and every paid member is refunded. Unpaid members' orders are cancelled
// either way. The group's fate is emitted first, so the cancellations find it closed.
// `refunds` counts the refunds the command emitted so far.
bool close_group(const State& s, detail::EventSink& out, detail::StockMoves& stock, const detail::GroupRecord& group,
                 std::uint64_t& refunds) {
    const auto& offer = *s.group_buying.find(group.offer);
    const auto paid = group.count(GroupMemberStatus::paid);
    const bool succeeds = offer.spec.min_size && paid >= *offer.spec.min_size;
    std::string reason;
    if (succeeds) {
        out.emit(detail::GroupSucceeded{group.id, false});
        reason = fmt::format("group {} closed with {} of {} members: unpaid orders leave it", group.id, paid,
                             offer.spec.group_size);
    } else {
        out.emit(detail::GroupFailed{group.id});
        reason = fmt::format("group {} failed: {} of {} members paid before its window ended", group.id, paid,
                             offer.spec.group_size);
    }
    for (const auto& member : group.members) {
        if (member.status == GroupMemberStatus::joined) {
            detail::cancel_unpaid(s, out, stock, *s.orders.find(member.order), CancelCause::platform, reason);
        } else if (member.status == GroupMemberStatus::paid && !succeeds) {
            const auto& sub_order = *s.orders.find(member.sub_order);
            if (detail::cancel_paid(s, out, stock, sub_order, CancelCause::platform, reason, refunds)) ++refunds;
        }
    }
    return succeeds;
}

}  // namespace

GroupOfferId GroupBuying::create_offer(const Actor& actor, ShopId shop, const GroupOfferSpec& spec) {
    return kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto* record = s.shops.find(shop);
        if (!record) throw Error(Errc::not_found, fmt::format("no shop {}", shop));
        detail::require_shop_member(s, shop, actor, "create a group offer");
        if (record->status != ShopStatus::active)
            throw Error(Errc::invalid_state, fmt::format("shop {} is not active: it cannot sell", shop));
        validate_spec(s, shop, spec);
        const GroupOfferId id{s.group_buying.last_offer + 1};
        out.emit(detail::GroupOfferCreated{id, shop, spec.sku, spec.group_price, spec.group_size, spec.window,
                                           spec.min_size});
        return id;
    });
}

void GroupBuying::end_offer(const Actor& actor, GroupOfferId offer) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::group_offer_or_throw(s, offer);
        detail::require_shop_member(s, record.shop, actor, "end a group offer");
        if (record.ended) throw Error(Errc::invalid_state, fmt::format("group offer {} has ended already", offer));
        out.emit(detail::GroupOfferEnded{offer});
    });
}

GroupOfferInfo GroupBuying::offer(GroupOfferId offer) const {
    return kernel_->read([&](const State& s) { return info_of(detail::group_offer_or_throw(s, offer)); });
}

std::vector<GroupOfferInfo> GroupBuying::offers(ShopId shop) const {
    return kernel_->read([&](const State& s) {
        std::vector<GroupOfferInfo> result;
        if (const auto it = s.group_buying.offers_by_shop.find(shop); it != s.group_buying.offers_by_shop.end())
            for (const auto id : it->second)
                if (const auto& record = *s.group_buying.find(id); !record.ended) result.push_back(info_of(record));
        return result;
    });
}

GroupInfo GroupBuying::group(const Actor& actor, GroupId group) const {
    return kernel_->read([&](const State& s) {
        const auto* record = s.group_buying.find(group);
        if (!record) throw Error(Errc::not_found, fmt::format("no group {}", group));
        return info_of(s, *record, &actor);
    });
}

std::vector<GroupInfo> GroupBuying::forming_groups(GroupOfferId offer) const {
    return kernel_->read([&](const State& s) {
        detail::group_offer_or_throw(s, offer);
        std::vector<GroupInfo> result;
        if (const auto it = s.group_buying.groups_by_offer.find(offer); it != s.group_buying.groups_by_offer.end())
            for (const auto id : it->second)
                if (const auto& record = *s.group_buying.find(id); record.status == GroupStatus::forming)
                    result.push_back(info_of(s, record, nullptr));
        return result;
    });
}

GroupBuyingTickReport GroupBuying::tick(Timestamp now) {
    if (now > kernel_->now())
        throw Error(Errc::invalid_argument, fmt::format("tick({}) is ahead of the clock ({})", format_timestamp(now),
                                                        format_timestamp(kernel_->now())));
    GroupBuyingTickReport report;
    for (;;) {
        const auto closed = kernel_->execute(Actor::system(), [&](const State& s, detail::EventSink& out) {
            GroupBuyingTickReport batch;
            detail::StockMoves stock(s, out);
            std::uint64_t refunds = 0;
            for (const auto& [expires_at, id] : s.group_buying.forming_until) {
                if (expires_at > now || batch.succeeded + batch.failed == groups_per_command) break;
                ++(close_group(s, out, stock, *s.group_buying.find(id), refunds) ? batch.succeeded : batch.failed);
            }
            return batch;
        });
        report.succeeded += closed.succeeded;
        report.failed += closed.failed;
        if (closed.succeeded + closed.failed < groups_per_command) break;
    }
    // The failed groups' refunds go to their providers now; anything refused waits for the
    // next send_pending_refunds.
    if (report.failed > 0) orders_->send_pending_refunds();
    return report;
}

}  // namespace souk
