// Who may touch a customer's things: the cart's and the orders' shared checks.
#pragma once

#include <string_view>

#include "kernel/state.hpp"
#include "souk/actor.hpp"

namespace souk::detail {

// The customer themself (an enabled user) or platform staff; otherwise forbidden naming `action`.
void require_self_or_staff(const State& state, const Actor& actor, UserId customer, std::string_view action);

// The actor's own address: not_found if there is none with that id, forbidden if it is another's.
const AddressRecord& own_address(const State& state, const Actor& actor, AddressId address);

}  // namespace souk::detail
