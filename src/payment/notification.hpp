// Signed notifications: the HMAC-SHA256 signature scheme of docs/payments.md and the JSON
// body the sandbox sends and verify() reads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "souk/clock.hpp"
#include "souk/payment.hpp"

namespace souk::detail {

// The header carrying "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">".
inline constexpr std::string_view signature_header = "Souk-Signature";

struct SignaturePolicy {
    Duration tolerance;          // how far from now a signature may be dated, either way
    std::size_t body_bytes_max;  // larger bodies are refused unread
};

// A notification carrying `body`, signed with `secret` and dated `at`.
Notification sign_notification(std::string body, std::string_view secret, Timestamp at);

// Throws limit_exceeded for a body over the policy's limit, and unauthenticated unless `raw`
// carries exactly one well-formed signature header, one of whose v1 signatures matches and
// whose date lies within the tolerance of `now`. Compares signatures in constant time.
void check_signature(const Notification& raw, std::string_view secret, const SignaturePolicy& policy,
                     Timestamp now);

// The JSON body of an event, and back. decode throws invalid_argument for anything but such
// a body, and never anything but souk::Error.
std::string encode_event(const PaymentEvent& event);
PaymentEvent decode_event(std::string_view body);

}  // namespace souk::detail
