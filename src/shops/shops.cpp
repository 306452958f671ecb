#include "souk/shops.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "ledger/closing.hpp"
#include "search/sync.hpp"
#include "shops/events.hpp"
#include "souk/error.hpp"
#include "validate.hpp"

namespace souk {

std::string_view shop_status_name(ShopStatus status) noexcept {
    switch (status) {
        case ShopStatus::applied: return "applied";
        case ShopStatus::active: return "active";
        case ShopStatus::rejected: return "rejected";
        case ShopStatus::suspended: return "suspended";
        case ShopStatus::closed: return "closed";
    }
    return "unknown";
}

namespace {

using detail::ShopRecord;
using detail::State;

constexpr std::size_t max_staff_per_shop = 200;
constexpr std::size_t max_shops_per_staff = 20;
constexpr std::size_t max_open_shops_per_owner = 20;

void validate_application(const ShopApplication& a) {
    detail::require_text("shop name", a.name, 1, 60);
    detail::require_paragraph("description", a.description, 0, 2000);
    detail::require_text("business category", a.business_category, 1, 60);
    detail::require_text("contact name", a.contact_name, 1, 60);
    detail::require_text("contact phone", a.contact_phone, 0, 30);
    detail::require_text("contact e-mail", a.contact_email, 0, 254);
    if (a.contact_phone.empty() && a.contact_email.empty())
        throw Error(Errc::invalid_argument, "a shop needs a contact phone or e-mail");
    if (detail::fold_shop_name(a.name).empty()) throw Error(Errc::invalid_argument, "shop name must not be blank");
}

void validate_reason(const std::string& reason) { detail::require_paragraph("reason", reason, 1, 500); }

const ShopRecord& shop_or_throw(const State& s, ShopId id) {
    const auto* shop = s.shops.find(id);
    if (!shop) throw Error(Errc::not_found, fmt::format("no shop {}", id));
    return *shop;
}

// Members and platform staff see everything of a shop; an enabled user must be behind them.
bool can_see_private(const State& s, const ShopRecord& shop, const Actor& actor) {
    return detail::is_platform_staff(s, actor) || detail::is_shop_member(s, shop.id, actor);
}

void require_owner_or_staff(const State& s, const ShopRecord& shop, const Actor& actor, std::string_view action) {
    if (detail::is_platform_staff(s, actor)) return;
    if (detail::require_user(s, actor).id != shop.owner)
        throw Error(Errc::forbidden, fmt::format("only the owner of shop {} or platform staff may {}", shop.id, action));
}

void require_status(const ShopRecord& shop, std::initializer_list<ShopStatus> allowed, std::string_view action) {
    if (std::find(allowed.begin(), allowed.end(), shop.status) != allowed.end()) return;
    std::string names;
    for (auto status : allowed) names += fmt::format("{}{}", names.empty() ? "" : " or ", shop_status_name(status));
    throw Error(Errc::invalid_state,
                fmt::format("cannot {} shop {}: it is {}, and only a shop that is {} can be", action, shop.id,
                            shop_status_name(shop.status), names));
}

void require_name_free(const State& s, const std::string& name, ShopId except = {}) {
    const auto it = s.shops.names_in_use.find(detail::fold_shop_name(name));
    if (it != s.shops.names_in_use.end() && it->second != except)
        throw Error(Errc::already_exists, fmt::format("the shop name '{}' is taken", name));
}

ShopProfile profile_of(const ShopRecord& r) {
    return {r.id, r.application.name, r.application.description, r.application.business_category, r.status};
}

ShopDetails details_of(const ShopRecord& r) {
    auto staff = r.staff;
    std::sort(staff.begin(), staff.end());
    return {profile_of(r),          r.owner,          staff,           r.application.contact_name,
            r.application.contact_phone, r.application.contact_email, r.commission_bps, r.status_reason,
            r.applied_at,           r.approved_at};
}

std::size_t open_shops_owned(const State& s, UserId owner) {
    const auto [first, last] = s.shops.shops.get<detail::by_owner>().equal_range(owner);
    return static_cast<std::size_t>(std::count_if(first, last, [](const auto& r) { return r.status != ShopStatus::closed; }));
}

}  // namespace

ShopId Shops::apply(const Actor& applicant, const ShopApplication& application) {
    validate_application(application);
    return kernel_->execute(applicant, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, applicant);
        require_name_free(s, application.name);
        if (open_shops_owned(s, user.id) >= max_open_shops_per_owner)
            throw Error(Errc::limit_exceeded, fmt::format("a user may hold at most {} shops", max_open_shops_per_owner));
        const ShopId id{s.shops.last_shop + 1};
        out.emit(detail::ShopApplied{id, user.id, detail::ApplicationFields::from(application)});
        return id;
    });
}

void Shops::approve(const Actor& reviewer, ShopId shop) {
    kernel_->execute(reviewer, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, reviewer, "review shop applications");
        require_status(shop_or_throw(s, shop), {ShopStatus::applied}, "approve");
        out.emit(detail::ShopApproved{shop, {}});
    });
}

void Shops::reject(const Actor& reviewer, ShopId shop, const std::string& reason) {
    validate_reason(reason);
    kernel_->execute(reviewer, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, reviewer, "review shop applications");
        require_status(shop_or_throw(s, shop), {ShopStatus::applied}, "reject");
        out.emit(detail::ShopRejected{shop, reason});
    });
}

void Shops::resubmit(const Actor& owner, ShopId shop, const ShopApplication& application) {
    validate_application(application);
    kernel_->execute(owner, [&](const State& s, detail::EventSink& out) {
        const auto& record = shop_or_throw(s, shop);
        if (detail::require_user(s, owner).id != record.owner)
            throw Error(Errc::forbidden, fmt::format("only the owner may resubmit shop {}", shop));
        require_status(record, {ShopStatus::rejected}, "resubmit");
        require_name_free(s, application.name, shop);
        out.emit(detail::ShopResubmitted{shop, detail::ApplicationFields::from(application)});
    });
}

void Shops::suspend(const Actor& actor, ShopId shop, const std::string& reason) {
    validate_reason(reason);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "suspend shops");
        require_status(shop_or_throw(s, shop), {ShopStatus::active}, "suspend");
        out.emit(detail::ShopSuspended{shop, reason});
    });
}

void Shops::reinstate(const Actor& actor, ShopId shop) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "reinstate shops");
        require_status(shop_or_throw(s, shop), {ShopStatus::suspended}, "reinstate");
        out.emit(detail::ShopReinstated{shop, {}});
    });
}

void Shops::close(const Actor& actor, ShopId shop, const std::string& reason) {
    validate_reason(reason);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = shop_or_throw(s, shop);
        require_owner_or_staff(s, record, actor, "close it");
        require_status(record, {ShopStatus::applied, ShopStatus::rejected, ShopStatus::active, ShopStatus::suspended},
                       "close");
        detail::require_books_closed(s, shop);
        out.emit(detail::ShopClosed{shop, reason});
    });
}

void Shops::update_profile(const Actor& actor, ShopId shop, const ShopProfileUpdate& update) {
    if (update.description) detail::require_paragraph("description", *update.description, 0, 2000);
    if (update.contact_name) detail::require_text("contact name", *update.contact_name, 1, 60);
    if (update.contact_phone) detail::require_text("contact phone", *update.contact_phone, 0, 30);
    if (update.contact_email) detail::require_text("contact e-mail", *update.contact_email, 0, 254);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = shop_or_throw(s, shop);
        if (!can_see_private(s, record, actor))
            throw Error(Errc::forbidden, fmt::format("only the staff of shop {} may edit its profile", shop));
        require_status(record, {ShopStatus::applied, ShopStatus::rejected, ShopStatus::active, ShopStatus::suspended},
                       "edit");
        const auto phone = update.contact_phone.value_or(record.application.contact_phone);
        const auto email = update.contact_email.value_or(record.application.contact_email);
        if (phone.empty() && email.empty()) throw Error(Errc::invalid_argument, "a shop needs a contact phone or e-mail");
        out.emit(detail::ShopProfileUpdated{shop, update.description, update.contact_name, update.contact_phone,
                                            update.contact_email});
    });
}

void Shops::add_staff(const Actor& owner, ShopId shop, UserId user) {
    kernel_->execute(owner, [&](const State& s, detail::EventSink& out) {
        const auto& record = shop_or_throw(s, shop);
        require_owner_or_staff(s, record, owner, "manage its staff");
        require_status(record, {ShopStatus::applied, ShopStatus::rejected, ShopStatus::active, ShopStatus::suspended},
                       "add staff to");
        const auto* member = s.accounts.find_user(user);
        if (!member) throw Error(Errc::not_found, fmt::format("no user {}", user));
        if (member->disabled) throw Error(Errc::invalid_state, fmt::format("user {} is disabled", user));
        if (record.has_member(user)) throw Error(Errc::already_exists, fmt::format("user {} already works for shop {}", user, shop));
        if (record.staff.size() >= max_staff_per_shop)
            throw Error(Errc::limit_exceeded, fmt::format("a shop may have at most {} staff", max_staff_per_shop));
        if (s.shops.staff_of.count(user) >= max_shops_per_staff)
            throw Error(Errc::limit_exceeded, fmt::format("a user may work for at most {} shops", max_shops_per_staff));
        out.emit(detail::ShopStaffAdded{shop, user});
    });
}

void Shops::remove_staff(const Actor& owner, ShopId shop, UserId user) {
    kernel_->execute(owner, [&](const State& s, detail::EventSink& out) {
        const auto& record = shop_or_throw(s, shop);
        require_owner_or_staff(s, record, owner, "manage its staff");
        if (std::find(record.staff.begin(), record.staff.end(), user) == record.staff.end())
            throw Error(Errc::not_found, fmt::format("user {} is not on the staff of shop {}", user, shop));
        out.emit(detail::ShopStaffRemoved{shop, user});
    });
}

void Shops::set_commission(const Actor& actor, ShopId shop, std::optional<int> basis_points) {
    detail::require_commission(basis_points);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "set commission rates");
        const auto& record = shop_or_throw(s, shop);
        require_status(record, {ShopStatus::applied, ShopStatus::rejected, ShopStatus::active, ShopStatus::suspended},
                       "set the commission of");
        if (record.commission_bps != basis_points) out.emit(detail::ShopCommissionSet{shop, basis_points});
    });
}

ShopProfile Shops::profile(const Actor& actor, ShopId shop) const {
    return kernel_->read([&](const State& s) {
        const auto* record = s.shops.find(shop);
        if (!record || (record->status != ShopStatus::active && !can_see_private(s, *record, actor)))
            throw Error(Errc::not_found, fmt::format("no shop {}", shop));
        return profile_of(*record);
    });
}

ShopDetails Shops::details(const Actor& actor, ShopId shop) const {
    return kernel_->read([&](const State& s) {
        const auto& record = shop_or_throw(s, shop);
        if (!can_see_private(s, record, actor))
            throw Error(Errc::forbidden, fmt::format("only the staff of shop {} and platform staff may see its details", shop));
        return details_of(record);
    });
}

std::vector<ShopProfile> Shops::list(const Actor& actor, std::optional<ShopStatus> status, Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        if (!detail::is_platform_staff(s, actor)) {
            if (status && *status != ShopStatus::active)
                throw Error(Errc::forbidden, "only platform staff may list shops that are not active");
            status = ShopStatus::active;
        }
        std::vector<ShopId> ids;
        const auto& index = s.shops.shops.get<detail::by_status>();
        if (status) {
            const auto [first, last] = index.equal_range(std::make_tuple(*status));
            for (auto it = first; it != last; ++it) ids.push_back(it->id);
        } else {
            for (const auto& r : index) ids.push_back(r.id);
            std::sort(ids.begin(), ids.end());
        }
        std::vector<ShopProfile> result;
        for (std::size_t i = page.offset; i < ids.size() && result.size() < page.limit; ++i)
            result.push_back(profile_of(*s.shops.find(ids[i])));
        return result;
    });
}

std::vector<ShopProfile> Shops::shops_of(const Actor& actor, UserId user) const {
    return kernel_->read([&](const State& s) {
        if (actor.is_system() || actor.user_id() != user)
            detail::require_platform_staff(s, actor, "list another user's shops");
        else
            detail::require_user(s, actor);  // a disabled user sees nothing private, own shops included
        std::vector<ShopProfile> result;
        for (const auto id : s.shops.member_shops(user)) result.push_back(profile_of(*s.shops.find(id)));
        return result;
    });
}

namespace detail {

std::string fold_shop_name(std::string_view name) {
    std::string folded;
    for (unsigned char c : name) {
        if (c == ' ' && (folded.empty() || folded.back() == ' ')) continue;
        folded.push_back(static_cast<char>(std::tolower(c)));
    }
    while (!folded.empty() && folded.back() == ' ') folded.pop_back();
    return folded;
}

namespace {

void claim_name(State& state, ShopId shop, const std::string& name) {
    const bool free = state.shops.names_in_use.emplace(fold_shop_name(name), shop).second;
    require_consistent(free, "shop name claimed twice");
}

}  // namespace

void ShopApplied::apply(State& state, const EventContext& context) const {
    require_consistent(shop.value == state.shops.last_shop + 1 && state.accounts.find_user(owner),
                       "shop out of order or of an unknown owner");
    claim_name(state, shop, application.name);
    ShopRecord record{shop, owner, application.to_application(), ShopStatus::applied, {}, {}, {}, context.time, {}};
    state.shops.shops.insert(std::move(record));
    state.shops.last_shop = shop.value;
    search_sync::shop_changed(state, shop);
}

template <EventKind Kind, const char* Name, ShopStatus To>
void ShopTransition<Kind, Name, To>::apply(State& state, const EventContext& context) const {
    const auto* record = state.shops.find(shop);
    require_consistent(record && record->status != ShopStatus::closed, "transition of an unknown or closed shop");
    if constexpr (To == ShopStatus::closed) state.shops.names_in_use.erase(fold_shop_name(record->application.name));
    modify_row(state.shops.shops, shop, "unknown shop", [&](ShopRecord& r) {
        r.status = To;
        if (!reason.empty() || To == ShopStatus::active) r.status_reason = reason;
        if (To == ShopStatus::active && !r.approved_at) r.approved_at = context.time;
    });
    search_sync::shop_changed(state, shop);
}

template struct ShopTransition<EventKind::shop_approved, shop_approved_name, ShopStatus::active>;
template struct ShopTransition<EventKind::shop_rejected, shop_rejected_name, ShopStatus::rejected>;
template struct ShopTransition<EventKind::shop_suspended, shop_suspended_name, ShopStatus::suspended>;
template struct ShopTransition<EventKind::shop_reinstated, shop_reinstated_name, ShopStatus::active>;
template struct ShopTransition<EventKind::shop_closed, shop_closed_name, ShopStatus::closed>;

void ShopResubmitted::apply(State& state, const EventContext&) const {
    const auto* record = state.shops.find(shop);
    require_consistent(record != nullptr, "resubmission of an unknown shop");
    state.shops.names_in_use.erase(fold_shop_name(record->application.name));
    claim_name(state, shop, application.name);
    modify_row(state.shops.shops, shop, "unknown shop", [&](ShopRecord& r) {
        r.application = application.to_application();
        r.status = ShopStatus::applied;
        r.status_reason.clear();
    });
    search_sync::shop_changed(state, shop);
}

void ShopProfileUpdated::apply(State& state, const EventContext&) const {
    modify_row(state.shops.shops, shop, "unknown shop", [&](ShopRecord& r) {
        if (description) r.application.description = *description;
        if (contact_name) r.application.contact_name = *contact_name;
        if (contact_phone) r.application.contact_phone = *contact_phone;
        if (contact_email) r.application.contact_email = *contact_email;
    });
}

void ShopStaffAdded::apply(State& state, const EventContext&) const {
    require_consistent(state.accounts.find_user(user) != nullptr, "staff member is not a user");
    modify_row(state.shops.shops, shop, "unknown shop", [&](ShopRecord& r) { r.staff.push_back(user); });
    state.shops.staff_of.emplace(user, shop);
}

void ShopStaffRemoved::apply(State& state, const EventContext&) const {
    modify_row(state.shops.shops, shop, "unknown shop", [&](ShopRecord& r) { std::erase(r.staff, user); });
    const auto [first, last] = state.shops.staff_of.equal_range(user);
    for (auto it = first; it != last; ++it)
        if (it->second == shop) {
            state.shops.staff_of.erase(it);
            break;
        }
}

void ShopCommissionSet::apply(State& state, const EventContext&) const {
    require_consistent(!basis_points || is_basis_points(*basis_points), "shop commission out of range");
    modify_row(state.shops.shops, shop, "unknown shop", [&](ShopRecord& r) { r.commission_bps = basis_points; });
}

}  // namespace detail
}  // namespace souk
