// Accounts events.
#pragma once

#include "accounts/state.hpp"
#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "souk/accounts.hpp"

namespace souk::detail {

struct UserRegistered {
    static constexpr EventKind kind = EventKind::user_registered;
    static constexpr std::string_view name = "UserRegistered";
    static constexpr std::uint8_t version = 1;
    UserId user;
    std::string login;
    std::string display_name;
    Secret password_hash;
    bool admin = false;
    template <class V> void visit(V&& v) {
        v("user", user), v("login", login), v("display_name", display_name), v("password_hash", password_hash),
            v("admin", admin);
    }
    void apply(State& state, const EventContext& context) const;
};

struct PlatformRoleGranted {
    static constexpr EventKind kind = EventKind::platform_role_granted;
    static constexpr std::string_view name = "PlatformRoleGranted";
    static constexpr std::uint8_t version = 1;
    UserId user;
    PlatformRole role{};
    template <class V> void visit(V&& v) { v("user", user), v("role", role); }
    void apply(State& state, const EventContext& context) const;
};

struct PlatformRoleRevoked {
    static constexpr EventKind kind = EventKind::platform_role_revoked;
    static constexpr std::string_view name = "PlatformRoleRevoked";
    static constexpr std::uint8_t version = 1;
    UserId user;
    PlatformRole role{};
    template <class V> void visit(V&& v) { v("user", user), v("role", role); }
    void apply(State& state, const EventContext& context) const;
};

struct SessionStarted {
    static constexpr EventKind kind = EventKind::session_started;
    static constexpr std::string_view name = "SessionStarted";
    static constexpr std::uint8_t version = 1;
    SessionId session;
    UserId user;
    Secret token_hash;
    Timestamp expires_at{};
    template <class V> void visit(V&& v) {
        v("session", session), v("user", user), v("token_hash", token_hash), v("expires_at", expires_at);
    }
    void apply(State& state, const EventContext& context) const;
};

struct SessionRevoked {
    static constexpr EventKind kind = EventKind::session_revoked;
    static constexpr std::string_view name = "SessionRevoked";
    static constexpr std::uint8_t version = 1;
    SessionId session;
    UserId user;
    template <class V> void visit(V&& v) { v("session", session), v("user", user); }
    void apply(State& state, const EventContext& context) const;
};

struct PasswordChanged {
    static constexpr EventKind kind = EventKind::password_changed;
    static constexpr std::string_view name = "PasswordChanged";
    static constexpr std::uint8_t version = 1;
    UserId user;
    Secret password_hash;
    template <class V> void visit(V&& v) { v("user", user), v("password_hash", password_hash); }
    void apply(State& state, const EventContext& context) const;
};

struct UserDisabled {
    static constexpr EventKind kind = EventKind::user_disabled;
    static constexpr std::string_view name = "UserDisabled";
    static constexpr std::uint8_t version = 1;
    UserId user;
    std::string reason;
    template <class V> void visit(V&& v) { v("user", user), v("reason", reason); }
    void apply(State& state, const EventContext& context) const;
};

struct UserEnabled {
    static constexpr EventKind kind = EventKind::user_enabled;
    static constexpr std::string_view name = "UserEnabled";
    static constexpr std::uint8_t version = 1;
    UserId user;
    template <class V> void visit(V&& v) { v("user", user); }
    void apply(State& state, const EventContext& context) const;
};

using AccountsEvents = EventList<UserRegistered, PlatformRoleGranted, PlatformRoleRevoked, SessionStarted,
                                 SessionRevoked, PasswordChanged, UserDisabled, UserEnabled>;

}  // namespace souk::detail
