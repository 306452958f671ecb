#include "souk/accounts.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "accounts/events.hpp"
#include "accounts/secrets.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "souk/error.hpp"
#include "souk/marketplace.hpp"
#include "validate.hpp"

namespace souk {
namespace {

using detail::AccountsState;
using detail::State;

// E-mail addresses are case-insensitive in practice: store them lower-cased. Phone numbers
// keep digits and a leading '+', dropping spaces and dashes people type.
std::string normalize_login(std::string_view raw) {
    detail::require_text("login", raw, 3, 254);
    std::string login;
    if (raw.find('@') != std::string_view::npos) {
        std::transform(raw.begin(), raw.end(), std::back_inserter(login),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const auto at = login.find('@');
        if (at == 0 || at + 1 >= login.size() || login.find('@', at + 1) != std::string::npos ||
            login.find(' ') != std::string::npos || login.find('.', at) == std::string::npos)
            throw Error(Errc::invalid_argument, fmt::format("'{}' is not an e-mail address", raw));
        return login;
    }
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (std::isdigit(static_cast<unsigned char>(c)) || (c == '+' && login.empty() && i == 0)) {
            login.push_back(c);
        } else if (c != ' ' && c != '-') {
            throw Error(Errc::invalid_argument, fmt::format("'{}' is neither an e-mail address nor a phone number", raw));
        }
    }
    const auto digits = login.size() - (login.starts_with('+') ? 1 : 0);
    if (digits < 6 || digits > 20)
        throw Error(Errc::invalid_argument, fmt::format("phone number '{}' must have 6..20 digits", raw));
    return login;
}

void require_password(const std::string& password) {
    if (password.size() < 8 || password.size() > 128)
        throw Error(Errc::invalid_argument, "a password must be 8..128 bytes long");
}

const detail::UserRecord& user_or_throw(const State& s, UserId id) {
    const auto* user = s.accounts.find_user(id);
    if (!user) throw Error(Errc::not_found, fmt::format("no user {}", id));
    return *user;
}

void require_self_or_staff(const State& s, const Actor& actor, UserId user, std::string_view action) {
    if (!actor.is_system() && actor.user_id() == user) {
        detail::require_user(s, actor);
        return;
    }
    detail::require_platform_staff(s, actor, action);
}

bool has_role(const detail::UserRecord& user, PlatformRole role) {
    return role == PlatformRole::admin ? user.admin : user.operator_staff;
}

void require_role(PlatformRole role) {
    if (role != PlatformRole::admin && role != PlatformRole::operator_staff)
        throw Error(Errc::invalid_argument, "unknown platform role");
}

// Sessions of `user` still usable at `now`, except `keep`.
std::vector<SessionId> live_sessions(const State& s, UserId user, Timestamp now, SessionId keep = {}) {
    std::vector<SessionId> ids;
    const auto [first, last] = s.accounts.sessions.get<detail::by_user>().equal_range(user);
    for (auto it = first; it != last; ++it)
        if (!it->revoked && it->expires_at > now && it->id != keep) ids.push_back(it->id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

void emit_revocations(detail::EventSink& out, UserId user, const std::vector<SessionId>& sessions) {
    for (const auto id : sessions) out.emit(detail::SessionRevoked{id, user});
}

const detail::SessionRecord* find_session(const State& s, const std::string& token) {
    const auto& index = s.accounts.sessions.get<detail::by_token>();
    const auto it = index.find(detail::token_hash(token));
    return it == index.end() ? nullptr : &*it;
}

}  // namespace

Accounts::Accounts(detail::Kernel& kernel, const MarketplaceOptions& options) : kernel_(&kernel), options_(&options) {}

UserId Accounts::register_with(const std::string& raw_login, const std::string& password,
                               const std::string& display_name, bool as_admin) {
    const auto login = normalize_login(raw_login);
    require_password(password);
    detail::require_text("display name", display_name, 1, 64);
    // Hash before taking the writer lock: argon2id is deliberately slow.
    const auto hash = detail::hash_password(password, options_->password_hashing);
    return kernel_->execute(Actor::system(), [&](const State& s, detail::EventSink& out) {
        if (as_admin && s.accounts.admins > 0)
            throw Error(Errc::invalid_state, "the platform already has an admin; admins grant roles to others");
        if (s.accounts.users.get<detail::by_login>().count(login))
            throw Error(Errc::already_exists, fmt::format("login '{}' is already registered", login));
        const UserId id{s.accounts.last_user + 1};
        out.emit(detail::UserRegistered{id, login, display_name, {hash}, as_admin});
        return id;
    });
}

UserId Accounts::register_user(const std::string& login, const std::string& password, const std::string& display_name) {
    return register_with(login, password, display_name, false);
}

UserId Accounts::bootstrap_admin(const std::string& login, const std::string& password,
                                 const std::string& display_name) {
    return register_with(login, password, display_name, true);
}

LoginSession Accounts::login(const std::string& raw_login, const std::string& password) {
    std::string login;
    try {
        login = normalize_login(raw_login);
    } catch (const Error&) {
        login.clear();  // malformed logins are unknown logins: same answer, same time
    }
    struct Found {
        UserId id;
        std::string hash;
        bool disabled = false;
    };
    const auto found = kernel_->read([&](const State& s) {
        const auto& index = s.accounts.users.get<detail::by_login>();
        const auto it = index.find(login);
        return it == index.end() ? Found{} : Found{it->id, it->password_hash, it->disabled};
    });
    const bool verified = detail::verify_password(found.id ? found.hash : detail::decoy_hash(options_->password_hashing),
                                                  password);
    if (!found.id || !verified) throw Error(Errc::unauthenticated, "login or password is incorrect");
    if (found.disabled) throw Error(Errc::unauthenticated, "this account is disabled");
    const auto token = detail::new_token();
    return kernel_->execute(Actor::user(found.id), [&](const State& s, detail::EventSink& out) {
        const auto& user = user_or_throw(s, found.id);
        if (user.disabled || user.password_hash != found.hash)
            throw Error(Errc::unauthenticated, "the account changed during login; try again");
        const SessionId id{s.accounts.last_session + 1};
        const auto expires = out.now() + options_->session_lifetime;
        out.emit(detail::SessionStarted{id, found.id, {detail::token_hash(token)}, expires});
        return LoginSession{id, found.id, token, expires};
    });
}

Actor Accounts::authenticate(const std::string& token) const {
    const auto now = kernel_->now();
    return kernel_->read([&](const State& s) {
        const auto* session = find_session(s, token);
        if (!session) throw Error(Errc::unauthenticated, "unknown session token");
        if (session->revoked) throw Error(Errc::unauthenticated, "the session was revoked; log in again");
        if (session->expires_at <= now) throw Error(Errc::unauthenticated, "the session expired; log in again");
        const auto& user = user_or_throw(s, session->user);
        if (user.disabled) throw Error(Errc::unauthenticated, "this account is disabled");
        return Actor::user(session->user);
    });
}

void Accounts::logout(const std::string& token) {
    kernel_->execute(Actor::system(), [&](const State& s, detail::EventSink& out) {
        const auto* session = find_session(s, token);
        if (!session) throw Error(Errc::unauthenticated, "unknown session token");
        if (!session->revoked) out.emit(detail::SessionRevoked{session->id, session->user});
    });
}

void Accounts::revoke_session(const Actor& actor, SessionId id) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& index = s.accounts.sessions.get<detail::by_id>();
        const auto it = index.find(id);
        if (it == index.end()) throw Error(Errc::not_found, fmt::format("no session {}", id));
        require_self_or_staff(s, actor, it->user, "revoke another user's session");
        if (!it->revoked) out.emit(detail::SessionRevoked{id, it->user});
    });
}

std::vector<SessionInfo> Accounts::sessions(const Actor& actor, UserId user) const {
    return kernel_->read([&](const State& s) {
        require_self_or_staff(s, actor, user, "list another user's sessions");
        std::vector<SessionInfo> result;
        const auto [first, last] = s.accounts.sessions.get<detail::by_user>().equal_range(user);
        for (auto it = first; it != last; ++it)
            result.push_back(SessionInfo{it->id, it->user, it->started_at, it->expires_at, it->revoked});
        std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
        return result;
    });
}

void Accounts::change_password(const Actor& actor, const std::string& old_password, const std::string& new_password) {
    require_password(new_password);
    const auto old_hash = kernel_->read([&](const State& s) { return detail::require_user(s, actor).password_hash; });
    if (!detail::verify_password(old_hash, old_password))
        throw Error(Errc::unauthenticated, "the current password is incorrect");
    const auto new_hash = detail::hash_password(new_password, options_->password_hashing);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, actor);
        if (user.password_hash != old_hash)
            throw Error(Errc::conflict, "the password was changed meanwhile; try again");
        out.emit(detail::PasswordChanged{user.id, {new_hash}});
        emit_revocations(out, user.id, live_sessions(s, user.id, out.now()));
    });
}

void Accounts::grant_role(const Actor& actor, UserId user, PlatformRole role) {
    require_role(role);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_admin(s, actor, "grant platform roles");
        if (!has_role(user_or_throw(s, user), role)) out.emit(detail::PlatformRoleGranted{user, role});
    });
}

void Accounts::revoke_role(const Actor& actor, UserId user, PlatformRole role) {
    require_role(role);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_admin(s, actor, "revoke platform roles");
        if (role == PlatformRole::admin && actor.user_id() == user)
            throw Error(Errc::invalid_state, "an admin cannot revoke their own admin role");
        if (has_role(user_or_throw(s, user), role)) out.emit(detail::PlatformRoleRevoked{user, role});
    });
}

void Accounts::disable_user(const Actor& actor, UserId user, const std::string& reason) {
    detail::require_paragraph("reason", reason, 1, 500);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "disable users");
        const auto& target = user_or_throw(s, user);
        if (target.admin && !actor.is_system())
            detail::require_platform_admin(s, actor, "disable a platform admin");
        if (actor.user_id() == user) throw Error(Errc::invalid_state, "users cannot disable themselves");
        if (target.disabled) return;
        out.emit(detail::UserDisabled{user, reason});
        emit_revocations(out, user, live_sessions(s, user, out.now()));
    });
}

void Accounts::enable_user(const Actor& actor, UserId user) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "enable users");
        if (user_or_throw(s, user).disabled) out.emit(detail::UserEnabled{user});
    });
}

UserProfile Accounts::user(const Actor& actor, UserId id) const {
    return kernel_->read([&](const State& s) {
        require_self_or_staff(s, actor, id, "read another user's profile");
        const auto& u = user_or_throw(s, id);
        return UserProfile{u.id, u.login, u.display_name, u.admin, u.operator_staff, u.disabled, u.registered_at};
    });
}

std::optional<UserId> Accounts::find_by_login(const Actor& actor, const std::string& raw_login) const {
    const auto login = normalize_login(raw_login);
    return kernel_->read([&](const State& s) -> std::optional<UserId> {
        detail::require_platform_staff(s, actor, "look users up by login");
        const auto& index = s.accounts.users.get<detail::by_login>();
        const auto it = index.find(login);
        return it == index.end() ? std::nullopt : std::optional(it->id);
    });
}

namespace detail {

void UserRegistered::apply(State& state, const EventContext& context) const {
    require_consistent(user.value == state.accounts.last_user + 1, "user ids must be consecutive");
    const bool inserted = state.accounts.users
                              .insert(UserRecord{user, login, display_name, password_hash.value, admin, false, false,
                                                 context.time})
                              .second;
    require_consistent(inserted, "login registered twice");
    state.accounts.last_user = user.value;
    if (admin) ++state.accounts.admins;
}

void PlatformRoleGranted::apply(State& state, const EventContext&) const {
    require_consistent(role == PlatformRole::admin || role == PlatformRole::operator_staff, "unknown role");
    modify_row(state.accounts.users, user, "unknown user",
               [&](UserRecord& u) { (role == PlatformRole::admin ? u.admin : u.operator_staff) = true; });
    if (role == PlatformRole::admin) ++state.accounts.admins;
}

void PlatformRoleRevoked::apply(State& state, const EventContext&) const {
    require_consistent(role == PlatformRole::admin || role == PlatformRole::operator_staff, "unknown role");
    modify_row(state.accounts.users, user, "unknown user",
               [&](UserRecord& u) { (role == PlatformRole::admin ? u.admin : u.operator_staff) = false; });
    if (role == PlatformRole::admin) --state.accounts.admins;
}

void SessionStarted::apply(State& state, const EventContext& context) const {
    require_consistent(session.value == state.accounts.last_session + 1 && state.accounts.find_user(user),
                       "session of an unknown user or out of order");
    const bool inserted =
        state.accounts.sessions.insert(SessionRecord{session, user, token_hash.value, context.time, expires_at, false})
            .second;
    require_consistent(inserted, "session token reused");
    state.accounts.last_session = session.value;
}

void SessionRevoked::apply(State& state, const EventContext&) const {
    auto& sessions = state.accounts.sessions;
    const auto it = sessions.find(session);
    require_consistent(it != sessions.end(), "unknown session");
    sessions.modify(it, [](SessionRecord& s) { s.revoked = true; });
}

void PasswordChanged::apply(State& state, const EventContext&) const {
    modify_row(state.accounts.users, user, "unknown user", [&](UserRecord& u) { u.password_hash = password_hash.value; });
}

void UserDisabled::apply(State& state, const EventContext&) const {
    modify_row(state.accounts.users, user, "unknown user", [](UserRecord& u) { u.disabled = true; });
}

void UserEnabled::apply(State& state, const EventContext&) const {
    modify_row(state.accounts.users, user, "unknown user", [](UserRecord& u) { u.disabled = false; });
}

}  // namespace detail
}  // namespace souk
