// souk — 拼团 group buying: a shop offers a SKU at a group price to groups of customers who
// pay within a window. A group is
//
//   forming ──the last member's payment is captured──▶ succeeded
//      │ └──window ends with at least min_size paid (if the offer allows)──▲
//      └──window ends short──▶ failed: every paid member refunded, every unpaid order cancelled
//
// Members' sub-orders ship only once their group succeeded. See docs/promotions.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"

namespace souk {

namespace detail {
class Kernel;
}
class Orders;

struct GroupOfferSpec {
    SkuId sku;
    Money group_price;            // positive, below the SKU's price, in its currency
    std::int32_t group_size = 2;  // 2..100 paid members fill a group
    Duration window{};            // how long a group forms: 1 minute..30 days
    // With a value (2..group_size − 1), a group with at least this many paid members when its
    // window ends succeeds instead of failing.
    std::optional<std::int32_t> min_size;
    friend bool operator==(const GroupOfferSpec&, const GroupOfferSpec&) = default;
};

struct GroupOfferInfo {
    GroupOfferId id;
    ShopId shop;
    GroupOfferSpec spec;
    bool ended = false;  // no new groups open; groups forming run to their window's end
    Timestamp created_at{};
    friend bool operator==(const GroupOfferInfo&, const GroupOfferInfo&) = default;
};

// Values are stable: they are journaled.
enum class GroupStatus : std::uint8_t { forming = 1, succeeded = 2, failed = 3 };
std::string_view group_status_name(GroupStatus status) noexcept;

enum class GroupMemberStatus : std::uint8_t {
    joined = 1,  // placed the order, not paid yet
    paid = 2,    // counts toward the group
    left = 3,    // the order was cancelled (unpaid, or paid and refunded before the group closed)
};
std::string_view group_member_status_name(GroupMemberStatus status) noexcept;

struct GroupMember {
    UserId customer;
    PaymentOrderId order;
    SubOrderId sub_order;
    GroupMemberStatus status{};
    Money refunded;  // returned to this member so far (a failed group returns everything)
    Timestamp joined_at{};
    friend bool operator==(const GroupMember&, const GroupMember&) = default;
};

struct GroupInfo {
    GroupId id;
    GroupOfferId offer;
    ShopId shop;
    SkuId sku;
    Money group_price;
    std::int32_t group_size = 0;
    GroupStatus status{};
    UserId leader;  // who opened it
    std::int32_t paid_members = 0;
    std::int32_t refunded_members = 0;  // members with any refund
    // Every member for the shop's members and platform staff; a customer sees their own entry.
    std::vector<GroupMember> members;
    Timestamp opened_at{};
    Timestamp expires_at{};
    std::optional<Timestamp> closed_at;  // succeeded or failed
    friend bool operator==(const GroupInfo&, const GroupInfo&) = default;
};

// What one GroupBuying::tick did.
struct GroupBuyingTickReport {
    std::size_t succeeded = 0;  // groups that reached their offer's min_size by the window's end
    std::size_t failed = 0;
    friend bool operator==(const GroupBuyingTickReport&, const GroupBuyingTickReport&) = default;
};

// The group-buying service. A shop's owner and staff run its offers; customers open and join
// groups by placing an order with CheckoutRequest::group and paying it.
//
// Thread-safety: like every service, any number of threads may call it at once.
class GroupBuying {
public:
    static constexpr std::int32_t max_group_size = 100;

    // One offer at a time per SKU. Throws already_exists while another offer of the SKU runs.
    GroupOfferId create_offer(const Actor& actor, ShopId shop, const GroupOfferSpec& spec);
    // No new groups open under the offer; groups forming keep their window.
    void end_offer(const Actor& actor, GroupOfferId offer);
    // Offers are public: what a storefront shows.
    GroupOfferInfo offer(GroupOfferId offer) const;
    // A shop's offers not ended, oldest first.
    std::vector<GroupOfferInfo> offers(ShopId shop) const;

    // Anyone may read a group's state and counts (see GroupInfo::members for who sees whom).
    GroupInfo group(const Actor& actor, GroupId group) const;
    // The offer's groups still forming, oldest first: the ones a customer may join. No members.
    std::vector<GroupInfo> forming_groups(GroupOfferId offer) const;

    // Closes every group whose window ended at or before `now` (not ahead of the clock):
    // succeeded if the offer's min_size is reached, else failed, paid members refunded (and
    // the refunds sent) and unpaid orders cancelled. Runs as the system.
    GroupBuyingTickReport tick(Timestamp now);

private:
    friend class Marketplace;
    GroupBuying(detail::Kernel& kernel, Orders& orders) : kernel_(&kernel), orders_(&orders) {}
    detail::Kernel* kernel_;
    Orders* orders_;
};

}  // namespace souk
