// Fuzzes the reading of payment notifications, which arrive from the network: the signature
// check and the JSON body. Input: header lines "Name: value", an empty line, then the body
// (no empty line: no headers, all body).
//
// The notification as received must verify or be refused with unauthenticated or
// limit_exceeded; its body must decode or be refused with invalid_argument, and an event it
// decodes to must survive its own wire form. The same body signed with the secret must verify,
// and fail to once altered.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "payment/notification.hpp"
#include "souk/error.hpp"

namespace {

using namespace souk;
using namespace souk::detail;
using souk::fuzz::expect;

constexpr std::string_view secret = "whsec_fuzz";
const SignaturePolicy policy{std::chrono::minutes(5), 64 * 1024};

// 2026-01-01T00:00:00Z, the time the corpus's notifications were signed at.
Timestamp now() { return Timestamp{std::chrono::seconds(1767225600)}; }

Notification parse_input(std::string_view input) {
    Notification raw;
    const auto blank = input.find("\n\n");
    if (blank == std::string_view::npos) {
        raw.body = std::string(input);
        return raw;
    }
    raw.body = std::string(input.substr(blank + 2));
    std::string_view headers = input.substr(0, blank + 1);
    while (!headers.empty()) {
        const auto end = headers.find('\n');
        const std::string_view line = headers.substr(0, end);
        headers.remove_prefix(end == std::string_view::npos ? headers.size() : end + 1);
        const auto colon = line.find(':');
        const std::string_view name = line.substr(0, colon);
        std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        raw.headers.emplace_back(std::string(name), std::string(value));
    }
    return raw;
}

bool verifies(const Notification& raw) {
    try {
        check_signature(raw, secret, policy, now());
        return true;
    } catch (const Error& e) {
        expect(e.code() == Errc::unauthenticated || e.code() == Errc::limit_exceeded,
               "a notification is refused with unauthenticated or limit_exceeded");
        return false;
    }
}

std::optional<PaymentEvent> decoded(std::string_view body) {
    try {
        return decode_event(body);
    } catch (const Error& e) {
        expect(e.code() == Errc::invalid_argument, "a body is refused with invalid_argument");
        return std::nullopt;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Notification raw = parse_input(std::string_view(reinterpret_cast<const char*>(data), size));
    static_cast<void>(verifies(raw));
    if (const auto event = decoded(raw.body))
        expect(decoded(encode_event(*event)) == event, "a decoded event survives its own wire form");

    if (raw.body.size() > policy.body_bytes_max) return 0;
    auto genuine = sign_notification(raw.body, secret, now());
    expect(verifies(genuine), "a body signed with the secret verifies");
    genuine.body += ' ';
    expect(!verifies(genuine), "an altered body does not verify");
    return 0;
}
