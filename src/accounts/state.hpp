// Accounts state: users and sessions, indexed for the lookups commands and queries need.
#pragma once

#include <cstdint>
#include <string>

#include <boost/multi_index/hashed_index.hpp>
#include <boost/multi_index/member.hpp>
#include <boost/multi_index_container.hpp>

#include "souk/clock.hpp"
#include "souk/ids.hpp"

namespace souk::detail {

struct UserRecord {
    UserId id;
    std::string login;
    std::string display_name;
    std::string password_hash;  // argon2id, libsodium string format
    bool admin = false;
    bool operator_staff = false;
    bool disabled = false;
    Timestamp registered_at{};
};

struct SessionRecord {
    SessionId id;
    UserId user;
    std::string token_hash;  // BLAKE2b of the token: the token itself is never stored
    Timestamp started_at{};
    Timestamp expires_at{};
    bool revoked = false;
};

struct by_id {};
struct by_login {};
struct by_token {};
struct by_user {};

namespace bmi = boost::multi_index;

using UserTable = bmi::multi_index_container<
    UserRecord,
    bmi::indexed_by<
        bmi::hashed_unique<bmi::tag<by_id>, bmi::member<UserRecord, UserId, &UserRecord::id>, std::hash<UserId>>,
        bmi::hashed_unique<bmi::tag<by_login>, bmi::member<UserRecord, std::string, &UserRecord::login>>>>;

using SessionTable = bmi::multi_index_container<
    SessionRecord,
    bmi::indexed_by<
        bmi::hashed_unique<bmi::tag<by_id>, bmi::member<SessionRecord, SessionId, &SessionRecord::id>,
                           std::hash<SessionId>>,
        bmi::hashed_unique<bmi::tag<by_token>, bmi::member<SessionRecord, std::string, &SessionRecord::token_hash>>,
        bmi::hashed_non_unique<bmi::tag<by_user>, bmi::member<SessionRecord, UserId, &SessionRecord::user>,
                               std::hash<UserId>>>>;

struct AccountsState {
    UserTable users;
    SessionTable sessions;
    std::uint64_t last_user = 0;
    std::uint64_t last_session = 0;
    std::size_t admins = 0;

    const UserRecord* find_user(UserId id) const {
        const auto it = users.find(id);
        return it == users.end() ? nullptr : &*it;
    }
};

}  // namespace souk::detail
