// Payments: the PaymentProvider port through the SandboxProvider — signed notifications and
// their verification, scripted outcomes, idempotency, refund limits, delivery, concurrency.
#include "souk/payment/sandbox_provider.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "payment/notification.hpp"
#include "souk/error.hpp"
#include "souk/payment.hpp"
#include "support/fixtures.hpp"

using namespace souk;
using namespace souk::test;
using namespace std::chrono_literals;

namespace {

const Currency cny = Currency::of("CNY");
const std::string sandbox_secret = "sandbox-webhook-secret-0123456789";

struct Sandbox {
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(fixture_start());
    SandboxProvider sandbox;
    PaymentProvider& provider = sandbox;  // what the engine sees

    explicit Sandbox(SandboxOptions options = {}) : sandbox(sandbox_secret, clock, std::move(options)) {}

    static IntentRequest intent(std::uint64_t order, std::int64_t minor, std::string key) {
        return IntentRequest{PaymentOrderId{order}, Money(minor, cny), std::move(key), "Order at the sandbox"};
    }

    static RefundRequest refund(const std::string& payment_id, std::int64_t minor, std::string key) {
        return RefundRequest{payment_id, Money(minor, cny), std::move(key), "returned goods"};
    }

    // A captured payment of `minor` fen for payment order `order`; its notification stays queued.
    std::string captured(std::uint64_t order, std::int64_t minor) {
        const auto intent = provider.create_intent(Sandbox::intent(order, minor, fmt::format("pay-{}", order)));
        REQUIRE(sandbox.complete_payment(intent.provider_payment_id) == PaymentStatus::captured);
        return intent.provider_payment_id;
    }

    // Delivers everything queued and verifies each notification, in delivery order.
    std::vector<PaymentEvent> delivered_events() {
        std::vector<PaymentEvent> events;
        for (const auto& notification : sandbox.deliver_all()) events.push_back(provider.verify(notification));
        return events;
    }

    // A notification carrying `body` with a valid signature dated now.
    Notification signed_body(std::string body) const { return sandbox.sign(std::move(body), clock->now()); }
};

// The value of header `name` (std::string& or const std::string&, as `n` is).
template <class N>
auto& header(N& n, std::string_view name) {
    const auto it = std::ranges::find(n.headers, name, [](const auto& h) -> std::string_view { return h.first; });
    REQUIRE(it != n.headers.end());
    return it->second;
}

std::vector<PaymentEventKind> kinds_of(const std::vector<PaymentEvent>& events) {
    std::vector<PaymentEventKind> kinds;
    for (const auto& e : events) kinds.push_back(e.kind);
    return kinds;
}

// A well-formed body for tests that alter one field at a time.
nlohmann::json refund_body() {
    return {{"id", "evt_900001"},       {"type", "refund.succeeded"},
            {"created_at", "2026-01-15T09:00:00Z"},
            {"payment_id", "pay_000001"}, {"payment_order", 7},
            {"amount", 1250},             {"currency", "CNY"},
            {"refund", {{"id", "re_000001"}, {"idempotency_key", "refund-7-1"}}}};
}

}  // namespace

TEST_CASE("a sandbox notification verifies into the event it reports") {
    Sandbox s;
    const auto intent = s.provider.create_intent(Sandbox::intent(42, 12850, "order-42-try-1"));
    CHECK(intent.status == PaymentStatus::pending);
    CHECK(intent.action == ClientAction{ClientAction::Kind::redirect,
                                        "https://sandbox.souk.invalid/pay/" + intent.provider_payment_id});
    CHECK(s.sandbox.pending_notifications().empty());  // nothing happens until the payer pays

    s.clock->advance(30s);
    CHECK(s.sandbox.complete_payment(intent.provider_payment_id) == PaymentStatus::captured);
    const auto pending = s.sandbox.pending_notifications();
    REQUIRE(pending.size() == 1);

    const PaymentEvent event = s.provider.verify(pending[0]);
    CHECK(event.kind == PaymentEventKind::captured);
    CHECK(event.provider_payment_id == intent.provider_payment_id);
    CHECK(event.payment_order == PaymentOrderId{42});
    CHECK(event.amount == Money(12850, cny));
    CHECK(event.occurred_at == fixture_start() + 30s);
    CHECK_FALSE(event.refund.has_value());
    CHECK_FALSE(event.provider_event_id.empty());
    CHECK(s.sandbox.payment(intent.provider_payment_id).status == PaymentStatus::captured);
    CHECK(s.sandbox.charge_count() == 1);
}

TEST_CASE("the Souk-Signature header is t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\">") {
    Sandbox s;
    s.captured(1, 100);
    auto notification = s.sandbox.pending_notifications().at(0);
    const std::string value = header(notification, "Souk-Signature");
    const auto seconds = std::chrono::floor<std::chrono::seconds>(s.clock->now()).time_since_epoch().count();
    const std::string t = std::to_string(seconds);

    // Computed here independently, exactly as docs/payments.md tells a verifier to.
    REQUIRE(sodium_init() >= 0);
    const std::string message = t + "." + notification.body;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(sandbox_secret.data()), sandbox_secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&state, mac);
    char hex[sizeof mac * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    CHECK(value == fmt::format("t={},v1={}", t, hex));
    CHECK(header(notification, "Content-Type") == "application/json");
}

TEST_CASE("the signed example of docs/payments.md still verifies") {
    const std::string body =
        R"({"amount":4000,"created_at":"2026-01-15T09:00:30.000000Z","currency":"CNY","id":"evt_000002",)"
        R"("payment_id":"pay_000001","payment_order":42,"refund":{"id":"re_000001","idempotency_key":"refund-42-1"},)"
        R"("type":"refund.succeeded"})";
    const std::string signature = "t=1768467630,v1=23c415ea394da4ecedda4238e4b375258f930f54953fe149a8d8491364f514cf";
    const Timestamp signed_at{std::chrono::seconds(1768467630)};
    const auto clock = std::make_shared<ManualClock>(signed_at + 10s);
    SandboxProvider sandbox("whsec_example_0123456789", clock);

    const PaymentEvent event = sandbox.verify(Notification{{{"Souk-Signature", signature}}, body});
    CHECK(event == PaymentEvent{"evt_000002", PaymentEventKind::refunded, "pay_000001", PaymentOrderId{42},
                                RefundReference{"re_000001", "refund-42-1"}, Money(4000, cny), signed_at});
    auto resigned = sandbox.sign(body, signed_at);
    CHECK(header(resigned, "Souk-Signature") == signature);
}

TEST_CASE("verification refuses a tampered body, a wrong secret and malformed signature headers") {
    Sandbox s;
    s.captured(1, 1000);
    const Notification good = s.sandbox.pending_notifications().at(0);
    CHECK(s.provider.verify(good).amount == Money(1000, cny));

    SUBCASE("a tampered body") {
        auto tampered = good;
        const auto at = tampered.body.find("1000");
        REQUIRE(at != std::string::npos);
        tampered.body.replace(at, 4, "9000");
        CHECK(error_of([&] { s.provider.verify(tampered); }) == Errc::unauthenticated);
        CHECK(error_message_of([&] { s.provider.verify(tampered); }).find("does not match") != std::string::npos);
    }
    SUBCASE("a wrong secret") {
        SandboxProvider other("another-secret-of-enough-bytes", s.clock);
        CHECK(error_of([&] { other.verify(good); }) == Errc::unauthenticated);
        const auto forged = other.sign(good.body, s.clock->now());
        CHECK(error_of([&] { s.provider.verify(forged); }) == Errc::unauthenticated);
    }
    SUBCASE("a changed timestamp invalidates the signature") {
        auto moved = good;
        auto& value = header(moved, "Souk-Signature");
        const auto seconds = std::chrono::floor<std::chrono::seconds>(s.clock->now()).time_since_epoch().count();
        value.replace(0, value.find(','), fmt::format("t={}", seconds + 1));
        CHECK(error_message_of([&] { s.provider.verify(moved); }).find("does not match") != std::string::npos);
    }
    SUBCASE("header names compare case-insensitively") {
        auto lower = good;
        for (auto& [name, value] : lower.headers)
            if (name == "Souk-Signature") name = "souk-signature";
        CHECK(s.provider.verify(lower) == s.provider.verify(good));
    }
    SUBCASE("one matching v1 among several (a secret being rotated), unknown schemes skipped") {
        auto rotated = good;
        auto& value = header(rotated, "Souk-Signature");
        value = "v0=legacy, " + value.substr(0, value.find(',')) + ",v1=" + std::string(64, 'a') + "," +
                value.substr(value.find(',') + 1);
        CHECK(s.provider.verify(rotated) == s.provider.verify(good));
    }
    SUBCASE("malformed or missing headers") {
        const std::string v1 = header(good, "Souk-Signature");
        const std::string t = v1.substr(0, v1.find(','));
        const std::string sig = v1.substr(v1.find(',') + 1);
        const std::vector<std::pair<std::string, std::string>> bad_headers = {
            {"", "no Souk-Signature header"},
            {"garbage", "not key=value"},
            {sig, "no timestamp"},
            {t, "no v1"},
            {t + "," + t + "," + sig, "two timestamps"},
            {"t=12ab," + sig, "not a number of seconds"},
            {"t=," + sig, "not a number of seconds"},
            {"t=-5," + sig, "not a number of seconds"},
            {"t=1234567890123," + sig, "not a number of seconds"},
            {t + ",v1=zz" + sig.substr(5), "does not match"},
            {t + ",v1=" + sig.substr(3, 10), "does not match"},
            {t + ",v1=" + std::string(2000, 'a'), "too long"},
        };
        for (const auto& [value, why] : bad_headers) {
            CAPTURE(value);
            auto bad = good;
            bad.headers.clear();
            if (!value.empty()) bad.headers.emplace_back("Souk-Signature", value);
            CHECK(error_of([&] { s.provider.verify(bad); }) == Errc::unauthenticated);
            CHECK(error_message_of([&] { s.provider.verify(bad); }).find(why) != std::string::npos);
        }
        auto twice = good;
        twice.headers.emplace_back("SOUK-SIGNATURE", v1);
        CHECK(error_message_of([&] { s.provider.verify(twice); }).find("more than one") != std::string::npos);
        auto many = good;
        std::string value = t;
        for (int i = 0; i < 9; ++i) value += "," + sig;
        header(many, "Souk-Signature") = value;
        CHECK(error_message_of([&] { s.provider.verify(many); }).find("too many") != std::string::npos);
    }
}

TEST_CASE("verification refuses stale and future signatures outside the tolerance window") {
    Sandbox s;
    s.captured(1, 1000);
    const Notification signed_now = s.sandbox.pending_notifications().at(0);

    SUBCASE("default window: 300 seconds either way, inclusive") {
        s.clock->advance(300s);
        CHECK(s.provider.verify(signed_now).payment_order == PaymentOrderId{1});
        s.clock->advance(1s);
        CHECK(error_of([&] { s.provider.verify(signed_now); }) == Errc::unauthenticated);
        CHECK(error_message_of([&] { s.provider.verify(signed_now); }).find("before now") != std::string::npos);

        const auto future = s.sandbox.sign(signed_now.body, s.clock->now() + 301s);
        CHECK(error_message_of([&] { s.provider.verify(future); }).find("after now") != std::string::npos);
        CHECK(s.provider.verify(s.sandbox.sign(signed_now.body, s.clock->now() + 300s)).payment_order ==
              PaymentOrderId{1});
    }
    SUBCASE("a notification is signed when handed out, so a late delivery carries a fresh date") {
        s.clock->advance(1h);
        const auto redelivered = s.sandbox.pending_notifications().at(0);
        CHECK(s.provider.verify(redelivered) == s.provider.verify(s.sandbox.sign(signed_now.body, s.clock->now())));
        CHECK(error_of([&] { s.provider.verify(signed_now); }) == Errc::unauthenticated);
    }
    SUBCASE("a custom tolerance") {
        SandboxProvider strict(sandbox_secret, s.clock, SandboxOptions{.signature_tolerance = 10s});
        s.clock->advance(11s);
        CHECK(error_of([&] { strict.verify(signed_now); }) == Errc::unauthenticated);
        CHECK(s.provider.verify(signed_now).payment_order == PaymentOrderId{1});
    }
}

TEST_CASE("an oversized notification body is refused before it is read") {
    Sandbox s;
    SandboxProvider small(sandbox_secret, s.clock, SandboxOptions{.notification_bytes_max = 64});
    auto body = refund_body().dump();
    REQUIRE(body.size() > 64);
    CHECK(error_of([&] { small.verify(s.signed_body(body)); }) == Errc::limit_exceeded);
    CHECK(s.provider.verify(s.signed_body(body)).kind == PaymentEventKind::refunded);
    CHECK(error_of([&] { s.provider.verify(s.signed_body(std::string(64 * 1024 + 1, ' '))); }) == Errc::limit_exceeded);
}

TEST_CASE("an authentic body that is not a well-formed event is refused with invalid_argument") {
    Sandbox s;
    const PaymentEvent event = s.provider.verify(s.signed_body(refund_body().dump()));
    CHECK(event.kind == PaymentEventKind::refunded);
    CHECK(event.provider_event_id == "evt_900001");
    CHECK(event.payment_order == PaymentOrderId{7});
    CHECK(event.amount == Money(1250, cny));
    CHECK(event.occurred_at == fixture_start());
    CHECK(event.refund == RefundReference{"re_000001", "refund-7-1"});

    using Json = nlohmann::json;
    struct Case {
        const char* what;
        std::function<void(Json&)> alter;
        const char* message;
    };
    const Case cases[] = {
        {"amount negative", [](Json& j) { j["amount"] = -1250; }, "within 1.."},
        {"amount zero", [](Json& j) { j["amount"] = 0; }, "within 1.."},
        {"amount fractional", [](Json& j) { j["amount"] = 12.5; }, "must be an integer"},
        {"amount over int64", [](Json& j) { j["amount"] = std::uint64_t{1} << 63; }, "within 1.."},
        {"amount a string", [](Json& j) { j["amount"] = "1250"; }, "must be an integer"},
        {"amount beyond 64 bits", [](Json& j) { j["amount"] = Json::parse("18446744073709551616"); }, "must be an integer"},
        {"amount in exponent notation", [](Json& j) { j["amount"] = Json::parse("1e3"); }, "must be an integer"},
        {"amount missing", [](Json& j) { j.erase("amount"); }, "no \"amount\""},
        {"currency unknown", [](Json& j) { j["currency"] = "ABC"; }, "not an ISO 4217"},
        {"currency XXX", [](Json& j) { j["currency"] = "XXX"; }, "not an ISO 4217"},
        {"currency lower case", [](Json& j) { j["currency"] = "cny"; }, "not an ISO 4217"},
        {"currency a number", [](Json& j) { j["currency"] = 156; }, "not a string"},
        {"type unknown", [](Json& j) { j["type"] = "payment.teleported"; }, "unknown event type"},
        {"type missing", [](Json& j) { j.erase("type"); }, "no \"type\""},
        {"id empty", [](Json& j) { j["id"] = ""; }, "1..255 bytes"},
        {"id with a space", [](Json& j) { j["id"] = "evt 1"; }, "visible ASCII"},
        {"id too long", [](Json& j) { j["id"] = std::string(256, 'e'); }, "1..255 bytes"},
        {"payment_id an object", [](Json& j) { j["payment_id"] = Json::object(); }, "not a string"},
        {"payment_order zero", [](Json& j) { j["payment_order"] = 0; }, "within 1.."},
        {"payment_order negative", [](Json& j) { j["payment_order"] = -7; }, "within 1.."},
        {"payment_order a string", [](Json& j) { j["payment_order"] = "7"; }, "must be an integer"},
        {"created_at not a time", [](Json& j) { j["created_at"] = "yesterday"; }, "created_at"},
        {"refund missing", [](Json& j) { j.erase("refund"); }, "no \"refund\""},
        {"refund not an object", [](Json& j) { j["refund"] = "re_1"; }, "not an object"},
        {"refund id missing", [](Json& j) { j["refund"].erase("id"); }, "no \"refund.id\""},
        {"refund key a number", [](Json& j) { j["refund"]["idempotency_key"] = 5; }, "\"refund.idempotency_key\" is not"},
        {"refund on a payment event", [](Json& j) { j["type"] = "payment.captured"; }, "carries a \"refund\""},
        {"deeply nested", [](Json& j) { j["extra"] = Json::parse(std::string(20, '[') + std::string(20, ']')); },
         "nested deeper"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        Json body = refund_body();
        c.alter(body);
        const auto notification = s.signed_body(body.dump());
        CHECK(error_of([&] { s.provider.verify(notification); }) == Errc::invalid_argument);
        CHECK(error_message_of([&] { s.provider.verify(notification); }).find(c.message) != std::string::npos);
    }
    for (const char* raw : {"", "not json", "[1,2]", "{\"id\":", "null", "\"text\""}) {
        CAPTURE(raw);
        CHECK(error_of([&] { s.provider.verify(s.signed_body(raw)); }) == Errc::invalid_argument);
    }

    // Fields a sender adds later are ignored.
    Json extended = refund_body();
    extended["livemode"] = false;
    CHECK(s.provider.verify(s.signed_body(extended.dump())) == event);
}

TEST_CASE("the sandbox validates requests and refuses what it could never report") {
    Sandbox s;
    const auto code_of_intent = [&](IntentRequest r) { return error_of([&] { s.provider.create_intent(r); }); };
    auto good = Sandbox::intent(1, 100, "k1");
    auto r = good;
    r.payment_order = PaymentOrderId{};
    CHECK(code_of_intent(r) == Errc::invalid_argument);
    for (const Money& amount : {Money(0, cny), Money(-5, cny), Money(100, Currency()), Money(100, Currency::custom("PTS", 0))}) {
        CAPTURE(amount);
        r = good;
        r.amount = amount;
        CHECK(code_of_intent(r) == Errc::invalid_argument);
    }
    for (const std::string& key : {std::string(), std::string("has space"), std::string(256, 'k'), std::string("k\xc3\xa9")}) {
        r = good;
        r.idempotency_key = key;
        CHECK(code_of_intent(r) == Errc::invalid_argument);
    }
    r = good;
    r.description = std::string(1001, 'd');
    CHECK(code_of_intent(r) == Errc::invalid_argument);
    CHECK(s.sandbox.intent_count() == 0);

    CHECK(error_of([&] { SandboxProvider("short", s.clock); }) == Errc::invalid_argument);
    CHECK(error_of([&] { SandboxProvider(sandbox_secret, nullptr); }) == Errc::invalid_argument);
    CHECK(error_of([&] { SandboxProvider(sandbox_secret, s.clock, SandboxOptions{.signature_tolerance = -1s}); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { SandboxProvider(sandbox_secret, s.clock, SandboxOptions{.checkout_url = ""}); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { s.sandbox.set_behavior(PaymentOrderId{}, {}); }) == Errc::invalid_argument);
    CHECK(s.provider.name() == "sandbox");
}

TEST_CASE("the client action: redirect, QR code, or none when the payment completes at once") {
    SUBCASE("qr_code") {
        Sandbox s(SandboxOptions{.client_action = ClientAction::Kind::qr_code, .checkout_url = "sandbox://qr/"});
        const auto intent = s.provider.create_intent(Sandbox::intent(1, 100, "k"));
        CHECK(intent.action == ClientAction{ClientAction::Kind::qr_code, "sandbox://qr/" + intent.provider_payment_id});
        CHECK(intent.status == PaymentStatus::pending);
    }
    SUBCASE("none: captured inside create_intent") {
        Sandbox s(SandboxOptions{.client_action = ClientAction::Kind::none});
        const auto intent = s.provider.create_intent(Sandbox::intent(1, 100, "k"));
        CHECK(intent.action == ClientAction{});
        CHECK(intent.status == PaymentStatus::captured);
        CHECK(kinds_of(s.delivered_events()) == std::vector{PaymentEventKind::captured});
        CHECK(error_of([&] { s.sandbox.complete_payment(intent.provider_payment_id); }) == Errc::invalid_state);
    }
    SUBCASE("none, declined") {
        Sandbox s(SandboxOptions{.client_action = ClientAction::Kind::none});
        s.sandbox.set_default_behavior({.payment = SandboxOutcome::decline});
        CHECK(s.provider.create_intent(Sandbox::intent(1, 100, "k")).status == PaymentStatus::declined);
        CHECK(kinds_of(s.delivered_events()) == std::vector{PaymentEventKind::declined});
        CHECK(s.sandbox.charge_count() == 0);
    }
}

TEST_CASE("the payer completes a payment once, and unknown payments are not found") {
    Sandbox s;
    const auto id = s.captured(1, 100);
    CHECK(error_of([&] { s.sandbox.complete_payment(id); }) == Errc::invalid_state);
    CHECK(error_of([&] { s.sandbox.complete_payment("pay_999999"); }) == Errc::not_found);
    CHECK(error_of([&] { s.sandbox.payment("pay_999999"); }) == Errc::not_found);
    CHECK(s.sandbox.pending_notifications().size() == 1);
}

TEST_CASE("declines are scripted globally or per payment order, the per-order script winning") {
    Sandbox s;
    s.sandbox.set_default_behavior({.payment = SandboxOutcome::decline});
    s.sandbox.set_behavior(PaymentOrderId{2}, {.payment = SandboxOutcome::succeed});
    const auto first = s.provider.create_intent(Sandbox::intent(1, 100, "k1"));
    const auto second = s.provider.create_intent(Sandbox::intent(2, 200, "k2"));
    CHECK(s.sandbox.complete_payment(first.provider_payment_id) == PaymentStatus::declined);
    CHECK(s.sandbox.complete_payment(second.provider_payment_id) == PaymentStatus::captured);

    const auto events = s.delivered_events();
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == PaymentEventKind::declined);
    CHECK(events[0].payment_order == PaymentOrderId{1});
    CHECK(events[0].amount == Money(100, cny));
    CHECK(events[1].kind == PaymentEventKind::captured);
    CHECK(events[1].payment_order == PaymentOrderId{2});
    CHECK(s.sandbox.charge_count() == 1);
    CHECK(s.sandbox.payment(first.provider_payment_id).status == PaymentStatus::declined);

    // A declined payment cannot be refunded; the payer may pay a new intent of the same order.
    CHECK(error_of([&] { s.provider.refund(Sandbox::refund(first.provider_payment_id, 100, "r1")); }) ==
          Errc::invalid_state);
    s.sandbox.set_behavior(PaymentOrderId{1}, {});
    const auto retry = s.provider.create_intent(Sandbox::intent(1, 100, "k1-second-try"));
    CHECK(s.sandbox.complete_payment(retry.provider_payment_id) == PaymentStatus::captured);
    CHECK(s.sandbox.payments_of(PaymentOrderId{1}).size() == 2);
}

TEST_CASE("a timed-out intent was created: the retry returns it and its notification waits for release") {
    Sandbox s;
    s.sandbox.set_behavior(PaymentOrderId{5}, {.payment = SandboxOutcome::timeout});
    const auto request = Sandbox::intent(5, 500, "order-5");
    try {
        s.provider.create_intent(request);
        FAIL("create_intent did not time out");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::payment_failed);
        CHECK(std::string(e.what()).find("retry with the same idempotency key 'order-5'") != std::string::npos);
    }
    CHECK(s.sandbox.intent_count() == 1);

    // The retry is answered from the record, even while the script still says timeout.
    const auto intent = s.provider.create_intent(request);
    CHECK(s.sandbox.intent_count() == 1);
    CHECK(intent.status == PaymentStatus::pending);
    CHECK(intent.provider_payment_id == s.sandbox.payments_of(PaymentOrderId{5}).at(0).provider_payment_id);

    CHECK(s.sandbox.complete_payment(intent.provider_payment_id) == PaymentStatus::captured);
    CHECK(s.sandbox.pending_notifications().empty());
    CHECK(s.sandbox.held_notification_count() == 1);
    CHECK_FALSE(s.sandbox.deliver_next().has_value());

    s.sandbox.release_held_notifications();
    CHECK(s.sandbox.held_notification_count() == 0);
    const auto events = s.delivered_events();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == PaymentEventKind::captured);
    CHECK(events[0].provider_payment_id == intent.provider_payment_id);
}

TEST_CASE("a timed-out refund was made: the retry returns its receipt, nothing is refunded twice") {
    Sandbox s;
    const auto id = s.captured(3, 1000);
    s.delivered_events();
    s.sandbox.set_default_behavior({.refund = SandboxOutcome::timeout});
    const auto request = Sandbox::refund(id, 400, "refund-3-1");
    CHECK(error_of([&] { s.provider.refund(request); }) == Errc::payment_failed);
    CHECK(s.sandbox.payment(id).refunded == Money(400, cny));
    CHECK(s.sandbox.held_notification_count() == 1);

    s.sandbox.set_default_behavior({});
    const auto receipt = s.provider.refund(request);
    CHECK(receipt.amount == Money(400, cny));
    CHECK(receipt.status == RefundStatus::pending);
    CHECK(s.sandbox.payment(id).refunded == Money(400, cny));
    CHECK(s.sandbox.payment(id).refunds.size() == 1);
    CHECK(s.sandbox.pending_notifications().empty());

    s.sandbox.release_held_notifications();
    const auto events = s.delivered_events();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == PaymentEventKind::refunded);
    CHECK(events[0].amount == Money(400, cny));
    // The engine learns which refund it was even though the timed-out call never told it.
    CHECK(events[0].refund == RefundReference{receipt.provider_refund_id, "refund-3-1"});
}

TEST_CASE("an idempotency key reused with the same request returns the first answer, with another conflicts") {
    Sandbox s;
    const auto request = Sandbox::intent(9, 900, "order-9");
    const auto first = s.provider.create_intent(request);
    CHECK(s.provider.create_intent(request) == first);
    CHECK(s.sandbox.intent_count() == 1);
    s.sandbox.complete_payment(first.provider_payment_id);
    CHECK(s.provider.create_intent(request) == first);  // the first answer, not a second payment
    CHECK(s.sandbox.charge_count() == 1);

    auto other = request;
    other.amount = Money(901, cny);
    CHECK(error_of([&] { s.provider.create_intent(other); }) == Errc::conflict);
    other = request;
    other.payment_order = PaymentOrderId{10};
    CHECK(error_of([&] { s.provider.create_intent(other); }) == Errc::conflict);
    other = request;
    other.description = "changed";
    CHECK(error_message_of([&] { s.provider.create_intent(other); }).find("'order-9' was already used") !=
          std::string::npos);
    CHECK(s.sandbox.intent_count() == 1);

    const auto refund = Sandbox::refund(first.provider_payment_id, 300, "refund-9-1");
    const auto receipt = s.provider.refund(refund);
    CHECK(s.provider.refund(refund) == receipt);
    CHECK(s.sandbox.payment(first.provider_payment_id).refunded == Money(300, cny));
    auto changed = refund;
    changed.amount = Money(200, cny);
    CHECK(error_of([&] { s.provider.refund(changed); }) == Errc::conflict);
    // A key is one operation's, whatever its kind.
    CHECK(error_of([&] { s.provider.refund(Sandbox::refund(first.provider_payment_id, 300, "order-9")); }) ==
          Errc::conflict);
    CHECK(error_of([&] { s.provider.create_intent(Sandbox::intent(11, 300, "refund-9-1")); }) == Errc::conflict);
    CHECK(s.sandbox.payment(first.provider_payment_id).refunds.size() == 1);
    CHECK(s.sandbox.intent_count() == 1);

    // The replay answers before the limit is checked: a retry of a full refund is not "too much".
    const auto rest = Sandbox::refund(first.provider_payment_id, 600, "refund-9-2");
    CHECK(s.provider.refund(rest) == s.provider.refund(rest));
    CHECK(s.sandbox.payment(first.provider_payment_id).refunded == Money(900, cny));
}

TEST_CASE("refunds never exceed what was captured minus what was refunded") {
    Sandbox s;
    const auto id = s.captured(4, 1000);
    CHECK(s.provider.refund(Sandbox::refund(id, 300, "r1")).status == RefundStatus::pending);
    CHECK(s.provider.refund(Sandbox::refund(id, 300, "r2")).amount == Money(300, cny));
    CHECK(error_of([&] { s.provider.refund(Sandbox::refund(id, 401, "r3")); }) == Errc::limit_exceeded);
    CHECK(error_message_of([&] { s.provider.refund(Sandbox::refund(id, 401, "r3")); })
              .find("exceeds the 4.00 CNY left to refund") != std::string::npos);
    CHECK(s.sandbox.payment(id).refunds.size() == 2);  // the refused refund changed nothing

    // A failed refund moves no money, so it does not count against the limit.
    s.sandbox.set_behavior(PaymentOrderId{4}, {.refund = SandboxOutcome::decline});
    CHECK(s.provider.refund(Sandbox::refund(id, 400, "r3")).status == RefundStatus::pending);
    CHECK(s.sandbox.payment(id).refunded == Money(600, cny));
    s.sandbox.set_behavior(PaymentOrderId{4}, {});
    s.provider.refund(Sandbox::refund(id, 400, "r4"));
    CHECK(s.sandbox.payment(id).refunded == Money(1000, cny));
    CHECK(error_of([&] { s.provider.refund(Sandbox::refund(id, 1, "r5")); }) == Errc::limit_exceeded);

    const auto payment = s.sandbox.payment(id);
    REQUIRE(payment.refunds.size() == 4);
    CHECK(payment.refunds[2].status == RefundStatus::failed);
    CHECK(payment.refunds[3].status == RefundStatus::succeeded);
    CHECK(kinds_of(s.delivered_events()) == std::vector{PaymentEventKind::captured, PaymentEventKind::refunded,
                                                        PaymentEventKind::refunded, PaymentEventKind::refund_failed,
                                                        PaymentEventKind::refunded});

    const auto pending = s.provider.create_intent(Sandbox::intent(6, 100, "pending"));
    CHECK(error_of([&] { s.provider.refund(Sandbox::refund(pending.provider_payment_id, 1, "r6")); }) ==
          Errc::invalid_state);
    CHECK(error_of([&] { s.provider.refund(Sandbox::refund("pay_999999", 1, "r7")); }) == Errc::not_found);
    CHECK(error_of([&] {
              s.provider.refund(RefundRequest{id, Money(1, Currency::of("USD")), "r8", ""});
          }) == Errc::currency_mismatch);
    CHECK(error_of([&] { s.provider.refund(Sandbox::refund(id, 0, "r9")); }) == Errc::invalid_argument);
    CHECK(error_of([&] { s.provider.refund(Sandbox::refund("", 1, "r10")); }) == Errc::invalid_argument);
    auto long_reason = Sandbox::refund(id, 1, "r11");
    long_reason.reason = std::string(1001, 'x');
    CHECK(error_of([&] { s.provider.refund(long_reason); }) == Errc::invalid_argument);
}

TEST_CASE("a refund_failed notification names the refund and leaves the money captured") {
    Sandbox s;
    const auto id = s.captured(8, 800);
    s.sandbox.set_default_behavior({.refund = SandboxOutcome::decline});
    const auto receipt = s.provider.refund(Sandbox::refund(id, 800, "refund-8"));
    const auto events = s.delivered_events();
    REQUIRE(events.size() == 2);
    CHECK(events[1].kind == PaymentEventKind::refund_failed);
    CHECK(events[1].amount == Money(800, cny));
    CHECK(events[1].payment_order == PaymentOrderId{8});
    CHECK(events[1].refund == RefundReference{receipt.provider_refund_id, "refund-8"});
    CHECK(s.sandbox.payment(id).refunded == Money(0, cny));
    CHECK(s.sandbox.payment(id).status == PaymentStatus::captured);
}

TEST_CASE("a notification scripted twice arrives twice with the same event id and body") {
    Sandbox s;
    s.sandbox.set_behavior(PaymentOrderId{1}, {.duplicate_notifications = true});
    const auto id = s.captured(1, 100);
    s.captured(2, 200);
    const auto pending = s.sandbox.pending_notifications();
    REQUIRE(pending.size() == 3);
    CHECK(pending[0] == pending[1]);
    const auto events = s.delivered_events();
    REQUIRE(events.size() == 3);
    CHECK(events[0] == events[1]);
    CHECK(events[0].provider_payment_id == id);
    CHECK(events[2].payment_order == PaymentOrderId{2});
    CHECK(events[2].provider_event_id != events[0].provider_event_id);
    CHECK(s.sandbox.charge_count() == 2);  // two notifications, one charge
}

TEST_CASE("notifications scripted out of order: the refund's arrives before the capture's") {
    Sandbox s;
    s.sandbox.set_behavior(PaymentOrderId{1}, {.reverse_notifications = true});
    const auto other = s.captured(2, 200);
    const auto id = s.captured(1, 1000);
    s.provider.refund(Sandbox::refund(id, 250, "r1"));
    s.provider.refund(Sandbox::refund(other, 50, "r2"));

    const auto events = s.delivered_events();
    REQUIRE(events.size() == 4);
    CHECK(events[0].payment_order == PaymentOrderId{2});
    CHECK(events[0].kind == PaymentEventKind::captured);
    CHECK(events[1].payment_order == PaymentOrderId{1});
    CHECK(events[1].kind == PaymentEventKind::refunded);
    CHECK(events[2].kind == PaymentEventKind::captured);
    CHECK(events[2].payment_order == PaymentOrderId{1});
    CHECK(events[3].payment_order == PaymentOrderId{2});  // the other order keeps its order
    CHECK(events[3].kind == PaymentEventKind::refunded);
}

TEST_CASE("a held capture released after a refund arrives after the refund's notification") {
    Sandbox s;
    s.sandbox.set_default_behavior({.payment = SandboxOutcome::timeout});
    const auto request = Sandbox::intent(3, 300, "k3");
    CHECK(error_of([&] { s.provider.create_intent(request); }) == Errc::payment_failed);
    const auto intent = s.provider.create_intent(request);
    s.sandbox.complete_payment(intent.provider_payment_id);
    s.sandbox.set_default_behavior({});
    s.provider.refund(Sandbox::refund(intent.provider_payment_id, 300, "r3"));
    s.sandbox.release_held_notifications();
    CHECK(kinds_of(s.delivered_events()) == std::vector{PaymentEventKind::refunded, PaymentEventKind::captured});
}

TEST_CASE("a registered handler receives deliveries, and a throwing handler gets the notification again") {
    Sandbox s;
    std::vector<PaymentEvent> received;
    int failures_left = 1;
    s.sandbox.on_notification([&](const Notification& n) {
        const PaymentEvent event = s.provider.verify(n);
        if (failures_left > 0) {
            --failures_left;
            throw Error(Errc::storage_failure, "the webhook endpoint is down");
        }
        received.push_back(event);
        // A handler may call the sandbox: the refund's notification joins this delivery run.
        if (event.kind == PaymentEventKind::captured)
            s.provider.refund(Sandbox::refund(event.provider_payment_id, 100, "refund-on-capture"));
    });
    s.captured(1, 100);
    CHECK(error_of([&] { s.sandbox.deliver_next(); }) == Errc::storage_failure);
    CHECK(s.sandbox.pending_notifications().size() == 1);  // back at the front of the queue
    CHECK(s.sandbox.deliver_all().size() == 2);
    CHECK(kinds_of(received) == std::vector{PaymentEventKind::captured, PaymentEventKind::refunded});
    CHECK(s.sandbox.pending_notifications().empty());

    s.sandbox.on_notification({});
    s.captured(2, 100);
    const auto pulled = s.sandbox.deliver_next();
    REQUIRE(pulled.has_value());
    CHECK(s.provider.verify(*pulled).payment_order == PaymentOrderId{2});
    CHECK(received.size() == 2);
}

TEST_CASE("intents and refunds from several threads: one payment per key, never too much refunded") {
    Sandbox s(SandboxOptions{.client_action = ClientAction::Kind::none});
    constexpr int threads = 4;
    constexpr int orders = 50;
    std::vector<std::vector<std::string>> seen(threads);
    {
        std::vector<std::jthread> workers;
        for (int t = 0; t < threads; ++t)
            workers.emplace_back([&, t] {
                // Every thread opens every order's intent with the same key: retries racing each other.
                for (int i = 0; i < orders; ++i) {
                    const auto order = static_cast<std::uint64_t>((i + t * 7) % orders + 1);
                    const auto intent = s.provider.create_intent(
                        Sandbox::intent(order, 1000, fmt::format("order-{}", order)));
                    seen[t].push_back(fmt::format("{}={}", order, intent.provider_payment_id));
                }
            });
    }
    CHECK(s.sandbox.intent_count() == orders);
    CHECK(s.sandbox.charge_count() == orders);
    std::set<std::string> answers;
    for (const auto& list : seen) answers.insert(list.begin(), list.end());
    CHECK(answers.size() == orders);  // every thread got the same payment for the same order

    const std::string target = s.sandbox.payments_of(PaymentOrderId{1}).at(0).provider_payment_id;
    std::atomic<int> accepted = 0, refused = 0;
    {
        std::vector<std::jthread> workers;
        for (int t = 0; t < threads; ++t)
            workers.emplace_back([&, t] {
                for (int i = 0; i < 20; ++i) {
                    try {
                        s.provider.refund(Sandbox::refund(target, 30, fmt::format("refund-{}-{}", t, i)));
                        ++accepted;
                    } catch (const Error& e) {
                        CHECK(e.code() == Errc::limit_exceeded);
                        ++refused;
                    }
                }
            });
    }
    CHECK(accepted == 33);  // 33 × 30 = 990 of 1000
    CHECK(refused == threads * 20 - 33);
    CHECK(s.sandbox.payment(target).refunded == Money(990, cny));

    const auto events = s.delivered_events();
    CHECK(events.size() == static_cast<std::size_t>(orders + 33));
    std::set<std::string> event_ids;
    for (const auto& e : events) event_ids.insert(e.provider_event_id);
    CHECK(event_ids.size() == events.size());
}

TEST_CASE("payment enums have stable names") {
    CHECK(fmt::format("{}", PaymentEventKind::refund_failed) == "refund_failed");
    CHECK(fmt::format("{}", PaymentEventKind::captured) == "captured");
    CHECK(fmt::format("{}", PaymentStatus::declined) == "declined");
    CHECK(fmt::format("{}", RefundStatus::succeeded) == "succeeded");
    CHECK(fmt::format("{}", ClientAction::Kind::qr_code) == "qr_code");
}

// The sandbox writes notification bodies without building a JSON document; they must be
// byte for byte what the JSON library writes, escapes included, and read back unchanged.
TEST_CASE("a notification body is what the JSON library would write for the event") {
    const auto library_body = [](const PaymentEvent& e) {
        nlohmann::json body = {{"id", e.provider_event_id},
                               {"type", e.kind == PaymentEventKind::refunded ? "refund.succeeded" : "payment.captured"},
                               {"created_at", format_timestamp(e.occurred_at)},
                               {"payment_id", e.provider_payment_id},
                               {"payment_order", e.payment_order.value},
                               {"amount", e.amount.minor_units()},
                               {"currency", std::string(e.amount.currency().code())}};
        if (e.refund)
            body["refund"] = {{"id", e.refund->provider_refund_id}, {"idempotency_key", e.refund->idempotency_key}};
        return body.dump();
    };
    PaymentEvent captured{"evt_000001", PaymentEventKind::captured, "pay_000001", PaymentOrderId{42}, std::nullopt,
                          Money(12'345, Currency::of("CNY")), Timestamp{std::chrono::seconds(1767225600)}};
    PaymentEvent refunded{"evt_\"quoted\"\\back", PaymentEventKind::refunded, "pay_{}~!", PaymentOrderId{7},
                          RefundReference{"re_\\\"", "souk-refund-1-2"}, Money(1, Currency::of("JPY")),
                          Timestamp{std::chrono::seconds(1767225601)}};
    PaymentEvent unicode = captured;
    unicode.provider_payment_id = "支付\t1";
    for (const auto& event : {captured, refunded, unicode}) CHECK(detail::encode_event(event) == library_body(event));
    // verify() reads back only visible ASCII ids.
    for (const auto& event : {captured, refunded}) CHECK(detail::decode_event(detail::encode_event(event)) == event);
}
