// Password hashing and session tokens on libsodium.
#pragma once

#include <string>

#include "souk/marketplace.hpp"

namespace souk::detail {

// argon2id hash in libsodium's self-describing string format.
std::string hash_password(const std::string& password, PasswordHashing cost);
// Constant-time verification; an empty or malformed hash verifies nothing.
bool verify_password(const std::string& hash, const std::string& password);
// A hash of the given cost for a password nobody knows: verifying against it takes as long
// as verifying a real user's, so an unknown login is not revealed by timing.
const std::string& decoy_hash(PasswordHashing cost);
// 256 random bits, hex.
std::string new_token();
// BLAKE2b-256 of the token, hex: what the journal stores.
std::string token_hash(const std::string& token);

}  // namespace souk::detail
