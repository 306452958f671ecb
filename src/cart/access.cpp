#include "cart/access.hpp"

#include <fmt/format.h>

#include "kernel/authz.hpp"
#include "souk/error.hpp"

namespace souk::detail {

void require_self_or_staff(const State& state, const Actor& actor, UserId customer, std::string_view action) {
    if (is_platform_staff(state, actor)) return;
    if (require_user(state, actor).id != customer)
        throw Error(Errc::forbidden, fmt::format("only platform staff may {}", action));
}

const AddressRecord& own_address(const State& state, const Actor& actor, AddressId address) {
    const auto& user = require_user(state, actor);
    const auto* record = state.cart.find_address(address);
    if (!record) throw Error(Errc::not_found, fmt::format("no address {}", address));
    if (record->owner != user.id)
        throw Error(Errc::forbidden, fmt::format("address {} belongs to another customer", address));
    return *record;
}

}  // namespace souk::detail
