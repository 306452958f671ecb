#include "accounts/secrets.hpp"

#include <array>
#include <mutex>

#include <sodium.h>

#include "crypto.hpp"
#include "souk/error.hpp"

namespace souk::detail {
namespace {

struct Limits {
    unsigned long long ops;
    std::size_t mem;
};

Limits limits_for(PasswordHashing cost) {
    switch (cost) {
        case PasswordHashing::minimal: return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
        case PasswordHashing::interactive:
            return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
        case PasswordHashing::moderate: return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
    }
    throw Error(Errc::invalid_argument, "unknown password hashing cost");
}

}  // namespace

std::string hash_password(const std::string& password, PasswordHashing cost) {
    ensure_sodium();
    const auto limits = limits_for(cost);
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), limits.ops, limits.mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw Error(Errc::limit_exceeded, "not enough memory to hash the password");
    return std::string(out.data());
}

bool verify_password(const std::string& hash, const std::string& password) {
    ensure_sodium();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& decoy_hash(PasswordHashing cost) {
    static std::once_flag once[3];
    static std::string hashes[3];
    const auto index = static_cast<std::size_t>(cost);
    std::call_once(once[index], [&] {
        hashes[index] = hash_password(new_token(), cost);
    });
    return hashes[index];
}

std::string new_token() {
    ensure_sodium();
    std::array<unsigned char, 32> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    return to_hex(bytes.data(), bytes.size());
}

std::string token_hash(const std::string& token) {
    ensure_sodium();
    std::array<unsigned char, crypto_generichash_BYTES> digest{};
    crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), nullptr, 0);
    return to_hex(digest.data(), digest.size());
}

}  // namespace souk::detail
