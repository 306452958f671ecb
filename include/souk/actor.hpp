// souk — who issues a command.
#pragma once

#include "souk/ids.hpp"

namespace souk {

// The initiator of a command or query. The engine looks the user's roles up in its own
// state, so an Actor carries identity only: holding an Actor for a user grants nothing
// that user does not have. Obtain one from Accounts::authenticate (a session token) or,
// for trusted host code, Actor::user(id). Actor::system() is the engine itself (timers,
// automatic transitions) and is allowed everything.
class Actor {
public:
    static Actor system() { return Actor(UserId{}); }
    static Actor user(UserId id) { return Actor(id); }

    bool is_system() const { return !user_; }
    UserId user_id() const { return user_; }
    friend bool operator==(const Actor&, const Actor&) = default;

private:
    explicit Actor(UserId user) : user_(user) {}
    UserId user_;
};

}  // namespace souk
