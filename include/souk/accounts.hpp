// souk — accounts: users, passwords, sessions and platform roles.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"

namespace souk {

namespace detail {
class Kernel;
}
struct MarketplaceOptions;

// Roles held on the platform itself. Shop roles (owner, staff) come from shop membership;
// every user is a customer.
enum class PlatformRole : std::uint8_t { admin = 1, operator_staff = 2 };

struct UserProfile {
    UserId id;
    std::string login;  // normalized e-mail address or phone number
    std::string display_name;
    bool admin = false;
    bool operator_staff = false;
    bool disabled = false;
    Timestamp registered_at{};
    friend bool operator==(const UserProfile&, const UserProfile&) = default;
};

// What a successful login returns. The token is shown once: souk stores only its hash.
struct LoginSession {
    SessionId id;
    UserId user;
    std::string token;
    Timestamp expires_at{};
};

struct SessionInfo {
    SessionId id;
    UserId user;
    Timestamp started_at{};
    Timestamp expires_at{};
    bool revoked = false;
    friend bool operator==(const SessionInfo&, const SessionInfo&) = default;
};

class Accounts {
public:
    // Registers a customer. `login` is an e-mail address or a phone number (digits, optional
    // leading '+'); passwords need 8..128 characters. Hashes with argon2id before taking the
    // writer lock. Throws already_exists if the login is taken.
    UserId register_user(const std::string& login, const std::string& password, const std::string& display_name);
    // Registers the first platform admin. Only allowed while no admin exists (invalid_state after).
    UserId bootstrap_admin(const std::string& login, const std::string& password, const std::string& display_name);

    // Verifies the password and starts a session. Unknown login and wrong password give the
    // same unauthenticated error and take the same time.
    LoginSession login(const std::string& login, const std::string& password);
    // The actor a session token stands for; unauthenticated if unknown, expired or revoked.
    Actor authenticate(const std::string& token) const;
    // Revokes the session the token belongs to.
    void logout(const std::string& token);
    // Revokes one session: its own user or platform staff.
    void revoke_session(const Actor& actor, SessionId session);
    std::vector<SessionInfo> sessions(const Actor& actor, UserId user) const;

    // Changes the actor's own password; every other session of the user is revoked.
    void change_password(const Actor& actor, const std::string& old_password, const std::string& new_password);

    // Platform admins grant and revoke platform roles; an admin cannot revoke their own admin role.
    void grant_role(const Actor& actor, UserId user, PlatformRole role);
    void revoke_role(const Actor& actor, UserId user, PlatformRole role);
    // Platform staff disable (every session revoked, logins refused) and re-enable users.
    void disable_user(const Actor& actor, UserId user, const std::string& reason);
    void enable_user(const Actor& actor, UserId user);

    // A user's profile: the user themself or platform staff.
    UserProfile user(const Actor& actor, UserId user) const;
    // Looks a login up: platform staff only.
    std::optional<UserId> find_by_login(const Actor& actor, const std::string& login) const;

private:
    friend class Marketplace;
    Accounts(detail::Kernel& kernel, const MarketplaceOptions& options);
    UserId register_with(const std::string& login, const std::string& password, const std::string& display_name,
                         bool as_admin);

    detail::Kernel* kernel_;
    const MarketplaceOptions* options_;
};

}  // namespace souk
