#include "payment/notification.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "crypto.hpp"
#include "souk/error.hpp"

namespace souk::detail {
namespace {

using Json = nlohmann::json;
using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

// Bounds on untrusted input, so that a hostile notification costs little to refuse.
constexpr std::size_t header_value_bytes_max = 1024;
constexpr std::size_t signatures_max = 8;         // v1 entries: several only while a secret is rotated
constexpr std::size_t timestamp_digits_max = 12;  // unix seconds up to year 33658: no overflow in micros
constexpr std::size_t field_bytes_max = 255;
constexpr int json_depth_max = 8;

Error unauthenticated(std::string_view why) {
    return Error(Errc::unauthenticated, fmt::format("payment notification refused: {}", why));
}

Error malformed(std::string_view why) {
    return Error(Errc::invalid_argument, fmt::format("payment notification body unreadable: {}", why));
}

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// HMAC-SHA256 over "<t>.<body>": binding the date into the MAC is what stops an attacker from
// replaying an old body under a fresh date.
Mac signature_of(std::string_view secret, std::string_view t, std::string_view body) {
    ensure_sodium();
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, bytes_of(secret), secret.size());
    crypto_auth_hmacsha256_update(&state, bytes_of(t), t.size());
    crypto_auth_hmacsha256_update(&state, bytes_of("."), 1);
    crypto_auth_hmacsha256_update(&state, bytes_of(body), body.size());
    Mac mac{};
    crypto_auth_hmacsha256_final(&state, mac.data());
    sodium_memzero(&state, sizeof state);
    return mac;
}

bool same_header_name(std::string_view a, std::string_view b) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return std::ranges::equal(a, b, [&](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The one signature header: two would be ambiguous, so they are refused like none.
std::string_view signature_header_value(const Notification& raw) {
    const std::string* found = nullptr;
    for (const auto& [name, value] : raw.headers) {
        if (!same_header_name(name, signature_header)) continue;
        if (found != nullptr) throw unauthenticated("more than one Souk-Signature header");
        found = &value;
    }
    if (found == nullptr) throw unauthenticated("no Souk-Signature header");
    if (found->size() > header_value_bytes_max) throw unauthenticated("the Souk-Signature header is too long");
    return *found;
}

struct SignatureHeader {
    std::string_view t;
    std::vector<std::string_view> v1;
};

// "t=1700000000,v1=abc...,v1=def..." — elements of unknown schemes (v0, v2) are skipped, so
// that a sender can add a scheme before every verifier knows it.
SignatureHeader parse_signature_header(std::string_view value) {
    SignatureHeader header;
    bool have_t = false;
    while (!value.empty()) {
        const auto comma = value.find(',');
        const std::string_view item = trimmed(value.substr(0, comma));
        value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
        const auto equals = item.find('=');
        if (equals == std::string_view::npos) throw unauthenticated("a Souk-Signature element is not key=value");
        const std::string_view key = item.substr(0, equals), val = item.substr(equals + 1);
        if (key == "t") {
            if (have_t) throw unauthenticated("the Souk-Signature header has two timestamps");
            header.t = val;
            have_t = true;
        } else if (key == "v1") {
            if (header.v1.size() == signatures_max) throw unauthenticated("too many v1 signatures");
            header.v1.push_back(val);
        }
    }
    if (!have_t) throw unauthenticated("the Souk-Signature header has no timestamp t=");
    if (header.v1.empty()) throw unauthenticated("the Souk-Signature header has no v1= signature");
    return header;
}

std::int64_t unix_seconds(std::string_view t) {
    const bool digits = std::ranges::all_of(t, [](char c) { return c >= '0' && c <= '9'; });
    if (t.empty() || t.size() > timestamp_digits_max || !digits)
        throw unauthenticated("the signature timestamp t= is not a number of seconds");
    std::int64_t seconds = 0;
    for (char c : t) seconds = seconds * 10 + (c - '0');
    return seconds;
}

// Every candidate is decoded and compared in constant time, so the work done does not reveal
// which one (if any) matched, nor how much of it.
bool any_signature_matches(const Mac& expected, const std::vector<std::string_view>& candidates) {
    bool matched = false;
    for (const auto hex : candidates) {
        Mac given{};
        std::size_t length = 0;
        const char* end = nullptr;
        const bool decoded =
            hex.size() == given.size() * 2 &&
            sodium_hex2bin(given.data(), given.size(), hex.data(), hex.size(), nullptr, &length, &end) == 0 &&
            length == given.size() && end == hex.data() + hex.size();
        const bool equal = sodium_memcmp(given.data(), expected.data(), given.size()) == 0;
        matched = matched || (decoded && equal);
    }
    return matched;
}

void check_window(std::int64_t seconds, Timestamp now, Duration tolerance) {
    const Timestamp signed_at{std::chrono::seconds(seconds)};
    const auto tolerance_s = std::chrono::floor<std::chrono::seconds>(tolerance).count();
    if (signed_at < now - tolerance)
        throw unauthenticated(fmt::format("signed at {}, more than {} s before now {} (a replay?)",
                                          format_timestamp(signed_at), tolerance_s, format_timestamp(now)));
    if (signed_at > now + tolerance)
        throw unauthenticated(fmt::format("signed at {}, more than {} s after now {} (a skewed or forged clock?)",
                                          format_timestamp(signed_at), tolerance_s, format_timestamp(now)));
}

}  // namespace

Notification sign_notification(std::string body, std::string_view secret, Timestamp at) {
    assert(!secret.empty());
    const auto seconds = std::chrono::floor<std::chrono::seconds>(at).time_since_epoch().count();
    assert(seconds >= 0);
    const std::string t = std::to_string(seconds);
    const Mac mac = signature_of(secret, t, body);
    Notification out;
    out.headers.emplace_back("Content-Type", "application/json");
    out.headers.emplace_back(std::string(signature_header), fmt::format("t={},v1={}", t, to_hex(mac.data(), mac.size())));
    out.body = std::move(body);
    return out;
}

void check_signature(const Notification& raw, std::string_view secret, const SignaturePolicy& policy,
                     Timestamp now) {
    assert(!secret.empty());
    if (raw.body.size() > policy.body_bytes_max)
        throw Error(Errc::limit_exceeded, fmt::format("payment notification refused: a body of {} bytes exceeds {}",
                                                      raw.body.size(), policy.body_bytes_max));
    const SignatureHeader header = parse_signature_header(signature_header_value(raw));
    const std::int64_t seconds = unix_seconds(header.t);
    // Authenticity first, then freshness: a forged notification is reported as forged.
    if (!any_signature_matches(signature_of(secret, header.t, raw.body), header.v1))
        throw unauthenticated("the signature does not match the body (a wrong secret or an altered body)");
    check_window(seconds, now, policy.tolerance);
}

namespace {

struct WireKind {
    PaymentEventKind kind;
    std::string_view type;
};

constexpr WireKind wire_kinds[] = {
    {PaymentEventKind::captured, "payment.captured"},
    {PaymentEventKind::declined, "payment.declined"},
    {PaymentEventKind::refunded, "refund.succeeded"},
    {PaymentEventKind::refund_failed, "refund.failed"},
};

bool is_refund(PaymentEventKind kind) {
    return kind == PaymentEventKind::refunded || kind == PaymentEventKind::refund_failed;
}

std::string_view wire_type(PaymentEventKind kind) {
    const auto* it = std::ranges::find(wire_kinds, kind, &WireKind::kind);
    assert(it != std::end(wire_kinds) && "every PaymentEventKind has a wire type");
    return it->type;
}

PaymentEventKind kind_of(const std::string& type) {
    const auto* it = std::ranges::find(wire_kinds, type, &WireKind::type);
    if (it == std::end(wire_kinds)) throw malformed(fmt::format("unknown event type \"{}\"", type));
    return it->kind;
}

const Json& field(const Json& object, std::string_view path, const char* name) {
    const auto it = object.find(name);
    if (it == object.end()) throw malformed(fmt::format("no \"{}{}\" field", path, name));
    return *it;
}

std::string text(const Json& object, std::string_view path, const char* name) {
    const Json& value = field(object, path, name);
    if (!value.is_string()) throw malformed(fmt::format("\"{}{}\" is not a string", path, name));
    const auto& s = value.get_ref<const std::string&>();
    if (s.empty() || s.size() > field_bytes_max)
        throw malformed(fmt::format("\"{}{}\" must have 1..{} bytes", path, name, field_bytes_max));
    return s;
}

// Ids and keys end up in the journal and in logs: visible ASCII only.
std::string identifier(const Json& object, std::string_view path, const char* name) {
    std::string s = text(object, path, name);
    if (!std::ranges::all_of(s, [](char c) { return c > ' ' && c < 0x7f; }))
        throw malformed(fmt::format("\"{}{}\" must be visible ASCII", path, name));
    return s;
}

// An integer within 1..max. A fraction or a number beyond 64 bits is refused outright, never
// rounded: nlohmann reads those as floating point, which cannot carry money exactly.
std::uint64_t positive_integer(const Json& object, const char* name, std::uint64_t max) {
    const Json& value = field(object, "", name);
    if (!value.is_number_integer())
        throw malformed(fmt::format("\"{}\" must be an integer (amounts in minor units: 1250 for 12.50)", name));
    // nlohmann stores every integer without a minus sign as unsigned.
    const bool in_range = value.is_number_unsigned() && value.get<std::uint64_t>() >= 1 && value.get<std::uint64_t>() <= max;
    if (!in_range) throw malformed(fmt::format("\"{}\" must be within 1..{}", name, max));
    return value.get<std::uint64_t>();
}

Currency currency_of(const Json& object) {
    const std::string code = text(object, "", "currency");
    try {
        const Currency currency = Currency::of(code);
        if (currency.code() != "XXX") return currency;
    } catch (const Error& e) {
        if (e.code() != Errc::invalid_argument) throw;
    }
    throw malformed(fmt::format("\"currency\" \"{}\" is not an ISO 4217 currency of trade", code));
}

Timestamp occurred_at_of(const Json& object) {
    const std::string created_at = text(object, "", "created_at");
    try {
        return parse_timestamp(created_at);
    } catch (const Error& e) {
        throw malformed(fmt::format("\"created_at\": {}", e.what()));
    }
}

std::optional<RefundReference> refund_of(const Json& object, PaymentEventKind kind) {
    if (!is_refund(kind)) {
        if (object.contains("refund")) throw malformed("a payment event carries a \"refund\"");
        return std::nullopt;
    }
    const Json& refund = field(object, "", "refund");
    if (!refund.is_object()) throw malformed("\"refund\" is not an object");
    return RefundReference{identifier(refund, "refund.", "id"), identifier(refund, "refund.", "idempotency_key")};
}

Json parse_bounded(std::string_view body) {
    // A notification is flat: refuse a deep document before building it.
    const Json::parser_callback_t depth_guard = [](int depth, Json::parse_event_t, Json&) {
        if (depth > json_depth_max) throw malformed(fmt::format("nested deeper than {} levels", json_depth_max));
        return true;
    };
    return Json::parse(body.begin(), body.end(), depth_guard);
}

// Fields the event does not use are ignored, so that a sender can add some.
PaymentEvent decode_object(const Json& object) {
    if (!object.is_object()) throw malformed("not a JSON object");
    PaymentEvent event;
    event.provider_event_id = identifier(object, "", "id");
    event.kind = kind_of(text(object, "", "type"));
    event.occurred_at = occurred_at_of(object);
    event.provider_payment_id = identifier(object, "", "payment_id");
    event.payment_order = PaymentOrderId{positive_integer(object, "payment_order", std::numeric_limits<std::uint64_t>::max())};
    event.refund = refund_of(object, event.kind);
    const auto minor = positive_integer(object, "amount", std::numeric_limits<std::int64_t>::max());
    event.amount = Money(static_cast<std::int64_t>(minor), currency_of(object));
    return event;
}

}  // namespace

namespace {

// Printable ASCII needs no escaping in JSON but for '"' and '\\'.
bool printable_ascii(std::string_view s) {
    return std::ranges::all_of(s, [](char c) { return c >= ' ' && c < 0x7f; });
}

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}

// What nlohmann's dump() writes for the body below (keys in sorted order, no spaces), written
// directly: the sandbox encodes a body for every notification it sends.
std::string encode_printable(const PaymentEvent& event, std::string_view created_at) {
    std::string out;
    out.reserve(256);
    out += "{\"amount\":";
    out += std::to_string(event.amount.minor_units());
    out += ",\"created_at\":";
    append_json_string(out, created_at);
    out += ",\"currency\":";
    append_json_string(out, event.amount.currency().code());
    out += ",\"id\":";
    append_json_string(out, event.provider_event_id);
    out += ",\"payment_id\":";
    append_json_string(out, event.provider_payment_id);
    out += ",\"payment_order\":";
    out += std::to_string(event.payment_order.value);
    if (event.refund) {
        out += ",\"refund\":{\"id\":";
        append_json_string(out, event.refund->provider_refund_id);
        out += ",\"idempotency_key\":";
        append_json_string(out, event.refund->idempotency_key);
        out += '}';
    }
    out += ",\"type\":";
    append_json_string(out, wire_type(event.kind));
    out += '}';
    return out;
}

}  // namespace

std::string encode_event(const PaymentEvent& event) {
    assert(event.amount.minor_units() > 0);
    assert(event.payment_order);
    assert(is_refund(event.kind) == event.refund.has_value());
    const std::string created_at = format_timestamp(event.occurred_at);
    const bool printable = printable_ascii(event.provider_event_id) && printable_ascii(event.provider_payment_id) &&
                           (!event.refund || (printable_ascii(event.refund->provider_refund_id) &&
                                              printable_ascii(event.refund->idempotency_key)));
    if (printable) return encode_printable(event, created_at);
    // Anything else (control characters, UTF-8) is escaped and validated by the JSON library.
    Json body = {
        {"id", event.provider_event_id},
        {"type", std::string(wire_type(event.kind))},
        {"created_at", created_at},
        {"payment_id", event.provider_payment_id},
        {"payment_order", event.payment_order.value},
        {"amount", event.amount.minor_units()},
        {"currency", std::string(event.amount.currency().code())},
    };
    if (event.refund)
        body["refund"] = {{"id", event.refund->provider_refund_id}, {"idempotency_key", event.refund->idempotency_key}};
    return body.dump();
}

PaymentEvent decode_event(std::string_view body) {
    try {
        return decode_object(parse_bounded(body));
    } catch (const Json::exception& e) {
        // nlohmann's messages name the byte offset, which is what a person debugging needs.
        throw malformed(e.what());
    }
}

}  // namespace souk::detail
