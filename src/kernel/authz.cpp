#include "kernel/authz.hpp"

#include <fmt/format.h>

#include "souk/error.hpp"

namespace souk::detail {

const UserRecord& require_user(const State& state, const Actor& actor) {
    const auto* user = state.accounts.find_user(actor.user_id());
    if (actor.is_system() || !user) throw Error(Errc::unauthenticated, "the actor is not a registered user");
    if (user->disabled) throw Error(Errc::forbidden, fmt::format("user {} is disabled", user->id));
    return *user;
}

bool is_platform_staff(const State& state, const Actor& actor) {
    if (actor.is_system()) return true;
    const auto* user = state.accounts.find_user(actor.user_id());
    return user && !user->disabled && (user->admin || user->operator_staff);
}

void require_platform_staff(const State& state, const Actor& actor, std::string_view action) {
    if (!is_platform_staff(state, actor))
        throw Error(Errc::forbidden, fmt::format("only platform staff may {}", action));
}

void require_platform_admin(const State& state, const Actor& actor, std::string_view action) {
    if (actor.is_system()) return;
    const auto* user = state.accounts.find_user(actor.user_id());
    if (!user || user->disabled || !user->admin)
        throw Error(Errc::forbidden, fmt::format("only a platform admin may {}", action));
}

bool is_shop_member(const State& state, ShopId shop, const Actor& actor) {
    if (actor.is_system()) return false;
    const auto* user = state.accounts.find_user(actor.user_id());
    const auto* record = state.shops.find(shop);
    return user && !user->disabled && record && record->has_member(user->id);
}

void require_shop_member(const State& state, ShopId shop, const Actor& actor, std::string_view action) {
    if (actor.is_system()) return;
    require_user(state, actor);
    if (!is_shop_member(state, shop, actor))
        throw Error(Errc::forbidden, fmt::format("only the owner and staff of shop {} may {}", shop, action));
}

}  // namespace souk::detail
