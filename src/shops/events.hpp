// Shops events.
#pragma once

#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "shops/state.hpp"

namespace souk::detail {

// The application fields, shared by ShopApplied and ShopResubmitted.
struct ApplicationFields {
    std::string name;
    std::string description;
    std::string business_category;
    std::string contact_name;
    std::string contact_phone;
    std::string contact_email;
    template <class V> void visit(V&& v) {
        v("name", name), v("description", description), v("business_category", business_category),
            v("contact_name", contact_name), v("contact_phone", contact_phone), v("contact_email", contact_email);
    }
    static ApplicationFields from(const ShopApplication& a) {
        return {a.name, a.description, a.business_category, a.contact_name, a.contact_phone, a.contact_email};
    }
    ShopApplication to_application() const {
        return {name, description, business_category, contact_name, contact_phone, contact_email};
    }
};

// Events that change a shop's status carry the shop and, where one is required, a reason.
template <EventKind Kind, const char* Name, ShopStatus To>
struct ShopTransition {
    static constexpr EventKind kind = Kind;
    static constexpr std::string_view name = Name;
    static constexpr std::uint8_t version = 1;
    static constexpr ShopStatus to = To;
    ShopId shop;
    std::string reason;
    template <class V> void visit(V&& v) { v("shop", shop), v("reason", reason); }
    void apply(State& state, const EventContext& context) const;
};

inline constexpr char shop_approved_name[] = "ShopApproved";
inline constexpr char shop_rejected_name[] = "ShopRejected";
inline constexpr char shop_suspended_name[] = "ShopSuspended";
inline constexpr char shop_reinstated_name[] = "ShopReinstated";
inline constexpr char shop_closed_name[] = "ShopClosed";
using ShopApproved = ShopTransition<EventKind::shop_approved, shop_approved_name, ShopStatus::active>;
using ShopRejected = ShopTransition<EventKind::shop_rejected, shop_rejected_name, ShopStatus::rejected>;
using ShopSuspended = ShopTransition<EventKind::shop_suspended, shop_suspended_name, ShopStatus::suspended>;
using ShopReinstated = ShopTransition<EventKind::shop_reinstated, shop_reinstated_name, ShopStatus::active>;
using ShopClosed = ShopTransition<EventKind::shop_closed, shop_closed_name, ShopStatus::closed>;

struct ShopApplied {
    static constexpr EventKind kind = EventKind::shop_applied;
    static constexpr std::string_view name = "ShopApplied";
    static constexpr std::uint8_t version = 1;
    ShopId shop;
    UserId owner;
    ApplicationFields application;
    template <class V> void visit(V&& v) { v("shop", shop), v("owner", owner), v("application", application); }
    void apply(State& state, const EventContext& context) const;
};

struct ShopResubmitted {
    static constexpr EventKind kind = EventKind::shop_resubmitted;
    static constexpr std::string_view name = "ShopResubmitted";
    static constexpr std::uint8_t version = 1;
    ShopId shop;
    ApplicationFields application;
    template <class V> void visit(V&& v) { v("shop", shop), v("application", application); }
    void apply(State& state, const EventContext& context) const;
};

struct ShopProfileUpdated {
    static constexpr EventKind kind = EventKind::shop_profile_updated;
    static constexpr std::string_view name = "ShopProfileUpdated";
    static constexpr std::uint8_t version = 1;
    ShopId shop;
    std::optional<std::string> description;
    std::optional<std::string> contact_name;
    std::optional<std::string> contact_phone;
    std::optional<std::string> contact_email;
    template <class V> void visit(V&& v) {
        v("shop", shop), v("description", description), v("contact_name", contact_name),
            v("contact_phone", contact_phone), v("contact_email", contact_email);
    }
    void apply(State& state, const EventContext& context) const;
};

struct ShopStaffAdded {
    static constexpr EventKind kind = EventKind::shop_staff_added;
    static constexpr std::string_view name = "ShopStaffAdded";
    static constexpr std::uint8_t version = 1;
    ShopId shop;
    UserId user;
    template <class V> void visit(V&& v) { v("shop", shop), v("user", user); }
    void apply(State& state, const EventContext& context) const;
};

struct ShopStaffRemoved {
    static constexpr EventKind kind = EventKind::shop_staff_removed;
    static constexpr std::string_view name = "ShopStaffRemoved";
    static constexpr std::uint8_t version = 1;
    ShopId shop;
    UserId user;
    template <class V> void visit(V&& v) { v("shop", shop), v("user", user); }
    void apply(State& state, const EventContext& context) const;
};

struct ShopCommissionSet {
    static constexpr EventKind kind = EventKind::shop_commission_set;
    static constexpr std::string_view name = "ShopCommissionSet";
    static constexpr std::uint8_t version = 1;
    ShopId shop;
    std::optional<int> basis_points;
    template <class V> void visit(V&& v) { v("shop", shop), v("basis_points", basis_points); }
    void apply(State& state, const EventContext& context) const;
};

using ShopsEvents = EventList<ShopApplied, ShopApproved, ShopRejected, ShopResubmitted, ShopSuspended,
                              ShopReinstated, ShopClosed, ShopProfileUpdated, ShopStaffAdded, ShopStaffRemoved,
                              ShopCommissionSet>;

}  // namespace souk::detail
