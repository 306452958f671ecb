// souk — shops: the marketplace's tenants, from application to closing.
#pragma once

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

//   applied ──approve──▶ active ◀──reinstate── suspended
//      │ ▲                  │ └────suspend─────▶   │
//   reject│resubmit         └──────close──▶ closed ◀┘
//      ▼ │
//   rejected
enum class ShopStatus : std::uint8_t { applied = 1, active = 2, rejected = 3, suspended = 4, closed = 5 };
std::string_view shop_status_name(ShopStatus status) noexcept;

// What an applicant submits. name 1..60 characters, unique among shops that are not closed.
struct ShopApplication {
    std::string name;
    std::string description;
    std::string business_category;  // what the shop intends to sell, for the reviewer
    std::string contact_name;
    std::string contact_phone;
    std::string contact_email;
};

// What anyone may see of an active shop.
struct ShopProfile {
    ShopId id;
    std::string name;
    std::string description;
    std::string business_category;
    ShopStatus status{};
    friend bool operator==(const ShopProfile&, const ShopProfile&) = default;
};

// The private view: the owner, the shop's staff and platform staff only.
struct ShopDetails {
    ShopProfile profile;
    UserId owner;
    std::vector<UserId> staff;
    std::string contact_name;
    std::string contact_phone;
    std::string contact_email;
    std::optional<int> commission_bps;  // overrides the category rate when set
    std::string status_reason;          // why it was last rejected, suspended or closed
    Timestamp applied_at{};
    std::optional<Timestamp> approved_at;
    friend bool operator==(const ShopDetails&, const ShopDetails&) = default;
};

// A profile edit by the shop: fields left empty keep their value.
struct ShopProfileUpdate {
    std::optional<std::string> description;
    std::optional<std::string> contact_name;
    std::optional<std::string> contact_phone;
    std::optional<std::string> contact_email;
};

class Shops {
public:
    // Any enabled user may apply; the shop starts in `applied`.
    ShopId apply(const Actor& applicant, const ShopApplication& application);
    // Platform staff review an application.
    void approve(const Actor& reviewer, ShopId shop);
    void reject(const Actor& reviewer, ShopId shop, const std::string& reason);
    // The owner edits a rejected application and sends it back for review.
    void resubmit(const Actor& owner, ShopId shop, const ShopApplication& application);
    // Platform staff suspend an active shop (it stops selling) and reinstate it.
    void suspend(const Actor& actor, ShopId shop, const std::string& reason);
    void reinstate(const Actor& actor, ShopId shop);
    // The owner or platform staff close an active or suspended shop. Final. Refused with
    // invalid_state while any of its orders is open or any of its ledger balances is not zero.
    void close(const Actor& actor, ShopId shop, const std::string& reason);

    // The owner or staff edit the shop's profile.
    void update_profile(const Actor& actor, ShopId shop, const ShopProfileUpdate& update);
    // The owner manages staff; a staff member belongs to at most 20 shops, a shop has at most 200 staff.
    void add_staff(const Actor& owner, ShopId shop, UserId user);
    void remove_staff(const Actor& owner, ShopId shop, UserId user);
    // Platform staff set (or clear, with nullopt) the shop's commission override, 0..10000 bp.
    void set_commission(const Actor& actor, ShopId shop, std::optional<int> basis_points);

    // Active shops are visible to everyone; others only to their members and platform staff
    // (to anyone else they do not exist: not_found).
    ShopProfile profile(const Actor& actor, ShopId shop) const;
    // Private data: forbidden to anyone but the owner, the shop's staff and platform staff.
    ShopDetails details(const Actor& actor, ShopId shop) const;
    // Platform staff list shops in any status; everyone else sees active shops only.
    std::vector<ShopProfile> list(const Actor& actor, std::optional<ShopStatus> status, Page page = {}) const;
    // The shops a user owns or works for: the user themself or platform staff.
    std::vector<ShopProfile> shops_of(const Actor& actor, UserId user) const;

private:
    friend class Marketplace;
    explicit Shops(detail::Kernel& kernel) : kernel_(&kernel) {}
    detail::Kernel* kernel_;
};

}  // namespace souk
