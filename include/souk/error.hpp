// souk — errors: one exception type with a stable code.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace souk {

// Stable error codes. Values are part of the public contract (Python maps them one to one
// to exception classes): never renumber, only append.
enum class Errc : std::uint16_t {
    invalid_argument = 1,    // a caller passed a value that can never be valid
    not_found = 2,           // the entity named does not exist (or is not visible to the actor)
    already_exists = 3,      // a unique key (email, shop name ...) is taken
    forbidden = 4,           // the actor may not do this
    unauthenticated = 5,     // bad credentials, unknown/expired/revoked session
    invalid_state = 6,       // the entity is in a state where this transition is illegal
    conflict = 7,            // stale state (retry with fresh state) or an idempotency key reused for another request
    insufficient_stock = 8,  // not enough available units
    payment_failed = 9,      // the payment provider declined or failed
    currency_mismatch = 10,  // money of different currencies combined
    overflow = 11,           // arithmetic left the representable range
    limit_exceeded = 12,     // a configured limit (per-user, quantity, size) was hit
    storage_failure = 13,    // the journal could not be read or written
    corrupt_journal = 14,    // the journal's content is damaged
    unsupported_version = 15,// the journal or an event was written by a newer version
    foreign_file = 16,       // the file is not a souk journal
};

// Stable lower-case name of a code ("not_found"), used in messages and bindings.
std::string_view errc_name(Errc code) noexcept;

// The one exception type souk throws for operating errors. Programmer errors
// (broken invariants) are assertions, not exceptions.
class Error : public std::runtime_error {
public:
    Error(Errc code, const std::string& message);
    Errc code() const noexcept { return code_; }
    // The message without the code's name, which what() starts with.
    const std::string& message() const noexcept { return message_; }

private:
    Errc code_;
    std::string message_;
};

}  // namespace souk
