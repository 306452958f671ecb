// Who may do what: role checks shared by every service. Roles come from state, never from
// the Actor value itself.
#pragma once

#include "kernel/state.hpp"
#include "souk/actor.hpp"

namespace souk::detail {

// The actor's user record if it is an enabled user; throws unauthenticated for an unknown
// user and forbidden for a disabled one. Not for the system actor.
const UserRecord& require_user(const State& state, const Actor& actor);
// The system, or an enabled platform admin or operator.
bool is_platform_staff(const State& state, const Actor& actor);
void require_platform_staff(const State& state, const Actor& actor, std::string_view action);
// The system or an enabled platform admin.
void require_platform_admin(const State& state, const Actor& actor, std::string_view action);
// An enabled user who owns the shop or is on its staff (the system is no member).
bool is_shop_member(const State& state, ShopId shop, const Actor& actor);
// The system or a member of the shop: what acting as the shop takes. Platform staff are not
// members; throws forbidden naming `action`.
void require_shop_member(const State& state, ShopId shop, const Actor& actor, std::string_view action);

}  // namespace souk::detail
