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
};

}  // namespace souk::detail
