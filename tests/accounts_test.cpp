// Accounts: registration, login and sessions, passwords, roles, disabling, authorization.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "souk/accounts.hpp"
#include "souk/error.hpp"
#include "souk/marketplace.hpp"
#include "support/fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

struct Fresh {
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(fixture_start());
    OpenMarket open = open_market(clock);
    Accounts& accounts() { return open.market.accounts(); }
    JournalPosition position() const { return open.market.journal_position(); }
};

bool is_revoked(Accounts& accounts, UserId user, SessionId session) {
    for (const auto& info : accounts.sessions(Actor::system(), user))
        if (info.id == session) return info.revoked;
    FAIL_CHECK("no such session");
    return false;
}

}  // namespace

TEST_CASE("accounts: register_user normalizes e-mail logins and records the profile") {
    Fresh f;
    const auto id = f.accounts().register_user("Alice@Example.COM", fixture_password, "Alice");
    CHECK(id == UserId{1});
    const auto profile = f.accounts().user(Actor::user(id), id);
    CHECK(profile.id == id);
    CHECK(profile.login == "alice@example.com");
    CHECK(profile.display_name == "Alice");
    CHECK_FALSE(profile.admin);
    CHECK_FALSE(profile.operator_staff);
    CHECK_FALSE(profile.disabled);
    CHECK(profile.registered_at == f.clock->now());
    CHECK(f.position() == 1);
    // A second user gets the next id.
    CHECK(f.accounts().register_user("bob@example.com", fixture_password, "Bob") == UserId{2});
    CHECK(f.position() == 2);
}

TEST_CASE("accounts: phone logins keep digits and a leading plus") {
    Fresh f;
    const auto a = f.accounts().register_user("+86 138-0013-8000", fixture_password, "Phone A");
    CHECK(f.accounts().user(Actor::system(), a).login == "+8613800138000");
    const auto b = f.accounts().register_user("010-1234 5678", fixture_password, "Phone B");
    CHECK(f.accounts().user(Actor::system(), b).login == "01012345678");
    // Six and twenty digits are the bounds.
    CHECK(f.accounts().user(Actor::system(), f.accounts().register_user("123456", fixture_password, "Six")).login ==
          "123456");
    CHECK(f.accounts()
              .user(Actor::system(), f.accounts().register_user("+12345678901234567890", fixture_password, "Twenty"))
              .login == "+12345678901234567890");
}

TEST_CASE("accounts: a login registered twice in any spelling is already_exists and writes nothing") {
    Fresh f;
    f.accounts().register_user("alice@example.com", fixture_password, "Alice");
    f.accounts().register_user("+8613800138000", fixture_password, "Phone");
    const auto before = f.position();
    CHECK(error_of([&] { f.accounts().register_user("ALICE@example.com", "another password", "Alice 2"); }) ==
          Errc::already_exists);
    CHECK(error_of([&] { f.accounts().register_user("alice@EXAMPLE.com", fixture_password, "Alice 3"); }) ==
          Errc::already_exists);
    CHECK(error_of([&] { f.accounts().register_user("+86 138 0013 8000", fixture_password, "Phone 2"); }) ==
          Errc::already_exists);
    CHECK(error_of([&] { f.accounts().register_user("+86-138-0013-8000", fixture_password, "Phone 3"); }) ==
          Errc::already_exists);
    CHECK(f.position() == before);
    // The original owner of the login is untouched and the next id is still dense.
    CHECK(f.accounts().user(Actor::system(), UserId{1}).display_name == "Alice");
    CHECK(f.accounts().register_user("carol@example.com", fixture_password, "Carol") == UserId{3});
}

TEST_CASE("accounts: malformed logins, passwords and display names are invalid_argument and write nothing") {
    Fresh f;
    for (const char* login :
         {"", "ab", "alice", "@example.com", "alice@", "a@b@example.com", "alice@example", "al ice@example.com",
          "alice\n@example.com", "12345", "123456789012345678901", "+", "12+3456789", "abc123456", "138 0013 800x",
          "++8613800138000"}) {
        CAPTURE(login);
        CHECK(error_of([&] { f.accounts().register_user(login, fixture_password, "Name"); }) == Errc::invalid_argument);
    }
    // Passwords: 8..128 bytes.
    CHECK(error_of([&] { f.accounts().register_user("a@example.com", "1234567", "Name"); }) == Errc::invalid_argument);
    CHECK(error_of([&] { f.accounts().register_user("a@example.com", "", "Name"); }) == Errc::invalid_argument);
    CHECK(error_of([&] { f.accounts().register_user("a@example.com", std::string(129, 'p'), "Name"); }) ==
          Errc::invalid_argument);
    // Display names: 1..64 code points of valid UTF-8 without control characters.
    for (const std::string& name :
         {std::string(), std::string(65, 'n'), std::string("\xff\xfe"), std::string("\xc0\xaf"),
          std::string("ok\xe4\xb8"), std::string("\xed\xa0\x80"), std::string("tab\there"),
          std::string("new\nline"), std::string("del\x7f")}) {
        CAPTURE(name);
        CHECK(error_of([&] { f.accounts().register_user("a@example.com", fixture_password, name); }) ==
              Errc::invalid_argument);
    }
    CHECK(f.position() == 0);
    CHECK(error_of([&] { f.accounts().user(Actor::system(), UserId{1}); }) == Errc::not_found);

    // The bounds themselves are accepted; length counts code points, not bytes.
    f.accounts().register_user("p8@example.com", "12345678", "Eight");
    f.accounts().register_user("p128@example.com", std::string(128, 'p'), std::string(64, 'n'));
    std::string cjk;
    for (int i = 0; i < 64; ++i) cjk += "\xe5\x95\x86";  // 商: 3 bytes, 1 code point
    const auto id = f.accounts().register_user("cjk@example.com", fixture_password, cjk);
    CHECK(f.accounts().user(Actor::system(), id).display_name == cjk);
    CHECK(error_of([&] { f.accounts().register_user("cjk2@example.com", fixture_password, cjk + "\xe5\x95\x86"); }) ==
          Errc::invalid_argument);
    CHECK(f.position() == 3);
}

TEST_CASE("accounts: bootstrap_admin works once only") {
    Fresh f;
    const auto customer = f.accounts().register_user("first@example.com", fixture_password, "First");
    const auto admin = f.accounts().bootstrap_admin("Root@Example.com", fixture_password, "Root");
    const auto profile = f.accounts().user(Actor::user(admin), admin);
    CHECK(profile.admin);
    CHECK_FALSE(profile.operator_staff);
    CHECK(profile.login == "root@example.com");
    CHECK_FALSE(f.accounts().user(Actor::user(customer), customer).admin);

    const auto before = f.position();
    CHECK(error_of([&] { f.accounts().bootstrap_admin("root2@example.com", fixture_password, "Root 2"); }) ==
          Errc::invalid_state);
    CHECK(f.position() == before);
    // Still refused once a second admin was granted and the first one lost the role.
    f.accounts().grant_role(Actor::user(admin), customer, PlatformRole::admin);
    f.accounts().revoke_role(Actor::user(customer), admin, PlatformRole::admin);
    CHECK(error_of([&] { f.accounts().bootstrap_admin("root3@example.com", fixture_password, "Root 3"); }) ==
          Errc::invalid_state);
    CHECK_FALSE(f.accounts().find_by_login(Actor::system(), "root3@example.com").has_value());
}

TEST_CASE("accounts: login starts a session that authenticates as the user") {
    Fresh f;
    const auto id = f.accounts().register_user("alice@example.com", fixture_password, "Alice");
    const auto before = f.position();
    const auto session = f.accounts().login("ALICE@example.com", fixture_password);
    CHECK(session.user == id);
    CHECK(session.id == SessionId{1});
    CHECK(session.token.size() == 64);
    CHECK(session.expires_at == f.clock->now() + std::chrono::hours(24 * 30));
    CHECK(f.position() == before + 1);
    CHECK(f.accounts().authenticate(session.token) == Actor::user(id));

    const auto second = f.accounts().login("alice@example.com", fixture_password);
    CHECK(second.id == SessionId{2});
    CHECK(second.token != session.token);
    const auto sessions = f.accounts().sessions(Actor::user(id), id);
    REQUIRE(sessions.size() == 2);
    CHECK(sessions[0] == SessionInfo{session.id, id, fixture_start(), session.expires_at, false});
    CHECK(sessions[1].id == second.id);
    CHECK_FALSE(sessions[1].revoked);
}

TEST_CASE("accounts: wrong password, unknown and malformed logins fail identically") {
    Fresh f;
    f.accounts().register_user("alice@example.com", fixture_password, "Alice");
    const auto before = f.position();
    const auto wrong = [&] { f.accounts().login("alice@example.com", "not the password"); };
    const auto unknown = [&] { f.accounts().login("nobody@example.com", fixture_password); };
    const auto malformed = [&] { f.accounts().login("not a login", fixture_password); };
    const auto empty = [&] { f.accounts().login("", ""); };
    CHECK(error_of(wrong) == Errc::unauthenticated);
    CHECK(error_of(unknown) == Errc::unauthenticated);
    CHECK(error_of(malformed) == Errc::unauthenticated);
    CHECK(error_of(empty) == Errc::unauthenticated);
    const auto message = error_message_of(wrong);
    CHECK_FALSE(message.empty());
    CHECK(error_message_of(unknown) == message);
    CHECK(error_message_of(malformed) == message);
    CHECK(error_message_of(empty) == message);
    CHECK(f.position() == before);
    CHECK(f.accounts().sessions(Actor::system(), UserId{1}).empty());
}

namespace {

double median_micros(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

// Medians of failed logins for an unknown login and for a known login with a wrong password,
// measured interleaved so drift on a busy machine hits both alike.
std::pair<double, double> failed_login_medians(Accounts& accounts, int rounds) {
    std::vector<double> unknown, wrong;
    const auto time_one = [&](const char* login) {
        const auto start = std::chrono::steady_clock::now();
        CHECK(error_of([&] { accounts.login(login, "wrong password!"); }) == Errc::unauthenticated);
        return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    };
    for (int i = 0; i < 3; ++i) time_one("nobody@example.com"), time_one("alice@example.com");  // warm-up, decoy hash
    for (int i = 0; i < rounds; ++i) {
        if (i % 2 == 0) {
            unknown.push_back(time_one("nobody@example.com"));
            wrong.push_back(time_one("alice@example.com"));
        } else {
            wrong.push_back(time_one("alice@example.com"));
            unknown.push_back(time_one("nobody@example.com"));
        }
    }
    return {median_micros(unknown), median_micros(wrong)};
}

}  // namespace

TEST_CASE("accounts: an unknown login takes as long as a wrong password") {
    // Interactive cost: what deployments use, and where a missing decoy hash would show as a
    // difference of orders of magnitude.
    auto clock = std::make_shared<ManualClock>(fixture_start());
    Marketplace market(std::make_unique<MemoryJournal>(),
                       MarketplaceOptions{.clock = clock, .password_hashing = PasswordHashing::interactive});
    market.accounts().register_user("alice@example.com", fixture_password, "Alice");
    const auto [unknown, wrong] = failed_login_medians(market.accounts(), 5);
    const double ratio = unknown / wrong;
    INFO("median unknown: " << unknown << " us, median wrong password: " << wrong << " us");
    CHECK(ratio > 0.5);
    CHECK(ratio < 2.0);
}

TEST_CASE("accounts: authenticate refuses unknown, expired, revoked and logged-out tokens") {
    Fresh f;
    const auto id = f.accounts().register_user("alice@example.com", fixture_password, "Alice");
    const auto expiring = f.accounts().login("alice@example.com", fixture_password);
    const auto revoked = f.accounts().login("alice@example.com", fixture_password);
    const auto logged_out = f.accounts().login("alice@example.com", fixture_password);
    const auto kept = f.accounts().login("alice@example.com", fixture_password);

    CHECK(error_of([&] { f.accounts().authenticate(""); }) == Errc::unauthenticated);
    CHECK(error_of([&] { f.accounts().authenticate(std::string(64, '0')); }) == Errc::unauthenticated);
    CHECK(error_of([&] { f.accounts().authenticate(kept.token.substr(1)); }) == Errc::unauthenticated);

    f.accounts().revoke_session(Actor::user(id), revoked.id);
    CHECK(error_of([&] { f.accounts().authenticate(revoked.token); }) == Errc::unauthenticated);
    CHECK(is_revoked(f.accounts(), id, revoked.id));

    f.accounts().logout(logged_out.token);
    CHECK(error_of([&] { f.accounts().authenticate(logged_out.token); }) == Errc::unauthenticated);
    CHECK(is_revoked(f.accounts(), id, logged_out.id));
    // Logging out again changes nothing; an unknown token is unauthenticated.
    const auto before = f.position();
    f.accounts().logout(logged_out.token);
    CHECK(f.position() == before);
    CHECK(error_of([&] { f.accounts().logout("no-such-token"); }) == Errc::unauthenticated);
    CHECK(f.position() == before);

    // Expiry: valid until the last microsecond before expires_at.
    f.clock->set(expiring.expires_at - std::chrono::microseconds(1));
    CHECK(f.accounts().authenticate(expiring.token) == Actor::user(id));
    f.clock->set(expiring.expires_at);
    CHECK(error_of([&] { f.accounts().authenticate(expiring.token); }) == Errc::unauthenticated);
    CHECK(error_of([&] { f.accounts().authenticate(kept.token); }) == Errc::unauthenticated);  // same lifetime
    f.clock->set(fixture_start());
    CHECK(f.accounts().authenticate(kept.token) == Actor::user(id));
}

TEST_CASE("accounts: a fresh session after advancing the clock outlives the old one") {
    Fresh f;
    const auto id = f.accounts().register_user("alice@example.com", fixture_password, "Alice");
    const auto old_session = f.accounts().login("alice@example.com", fixture_password);
    f.clock->advance(std::chrono::hours(24 * 20));
    const auto new_session = f.accounts().login("alice@example.com", fixture_password);
    CHECK(new_session.expires_at == f.clock->now() + std::chrono::hours(24 * 30));
    f.clock->advance(std::chrono::hours(24 * 15));
    CHECK(error_of([&] { f.accounts().authenticate(old_session.token); }) == Errc::unauthenticated);
    CHECK(f.accounts().authenticate(new_session.token) == Actor::user(id));
}

TEST_CASE("accounts: session lifetime follows the options") {
    auto clock = std::make_shared<ManualClock>(fixture_start());
    auto options = fast_options(clock);
    options.session_lifetime = std::chrono::minutes(15);
    Marketplace market(std::make_unique<MemoryJournal>(), options);
    market.accounts().register_user("alice@example.com", fixture_password, "Alice");
    const auto session = market.accounts().login("alice@example.com", fixture_password);
    CHECK(session.expires_at == fixture_start() + std::chrono::minutes(15));
    clock->advance(std::chrono::minutes(15));
    CHECK(error_of([&] { market.accounts().authenticate(session.token); }) == Errc::unauthenticated);

    options.session_lifetime = Duration::zero();
    CHECK(error_of([&] { Marketplace bad(std::make_unique<MemoryJournal>(), options); }) == Errc::invalid_argument);
}

TEST_CASE("accounts: revoke_session is for the session's user and platform staff") {
    World w;
    auto& accounts = w.accounts();
    const auto mine = accounts.login("customer@souk.test", fixture_password);
    const auto other = accounts.login("staff@souk.test", fixture_password);
    const auto before = w.market.journal_position();
    CHECK(error_of([&] { accounts.revoke_session(World::as(w.customer), other.id); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.revoke_session(World::as(w.owner), mine.id); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.revoke_session(World::as(w.disabled), mine.id); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.revoke_session(World::as(w.customer), SessionId{999}); }) == Errc::not_found);
    CHECK(w.market.journal_position() == before);
    CHECK(accounts.authenticate(other.token) == World::as(w.staff));

    accounts.revoke_session(World::as(w.op), other.id);
    CHECK(error_of([&] { accounts.authenticate(other.token); }) == Errc::unauthenticated);
    accounts.revoke_session(World::as(w.customer), mine.id);
    CHECK(error_of([&] { accounts.authenticate(mine.token); }) == Errc::unauthenticated);
    // Revoking a revoked session is a no-op.
    const auto after = w.market.journal_position();
    accounts.revoke_session(World::as(w.customer), mine.id);
    CHECK(w.market.journal_position() == after);
}

TEST_CASE("accounts: change_password revokes the user's sessions and swaps the password") {
    Fresh f;
    const auto id = f.accounts().register_user("alice@example.com", fixture_password, "Alice");
    const auto other_user = f.accounts().register_user("bob@example.com", fixture_password, "Bob");
    const auto s1 = f.accounts().login("alice@example.com", fixture_password);
    const auto s2 = f.accounts().login("alice@example.com", fixture_password);
    const auto bob = f.accounts().login("bob@example.com", fixture_password);
    const auto me = f.accounts().authenticate(s1.token);

    // Refusals change nothing.
    const auto before = f.position();
    CHECK(error_of([&] { f.accounts().change_password(me, "wrong old password", "brand new password"); }) ==
          Errc::unauthenticated);
    CHECK(error_of([&] { f.accounts().change_password(me, fixture_password, "short"); }) == Errc::invalid_argument);
    CHECK(error_of([&] { f.accounts().change_password(Actor::system(), fixture_password, "brand new password"); }) ==
          Errc::unauthenticated);
    CHECK(f.position() == before);
    CHECK(f.accounts().authenticate(s2.token) == me);

    f.accounts().change_password(me, fixture_password, "brand new password");
    CHECK(f.position() == before + 1);  // one command, one record
    CHECK(error_of([&] { f.accounts().authenticate(s2.token); }) == Errc::unauthenticated);
    CHECK(error_of([&] { f.accounts().authenticate(s1.token); }) == Errc::unauthenticated);
    CHECK(is_revoked(f.accounts(), id, s1.id));
    CHECK(is_revoked(f.accounts(), id, s2.id));
    // Another user's sessions are untouched.
    CHECK(f.accounts().authenticate(bob.token) == Actor::user(other_user));
    CHECK_FALSE(is_revoked(f.accounts(), other_user, bob.id));

    CHECK(error_of([&] { f.accounts().login("alice@example.com", fixture_password); }) == Errc::unauthenticated);
    const auto fresh = f.accounts().login("alice@example.com", "brand new password");
    CHECK(f.accounts().authenticate(fresh.token) == me);
    // The old password no longer works for changing it either.
    CHECK(error_of([&] { f.accounts().change_password(me, fixture_password, "third password"); }) ==
          Errc::unauthenticated);
}

TEST_CASE("accounts: disable_user revokes sessions and blocks login until enabled") {
    World w;
    auto& accounts = w.accounts();
    const auto s1 = accounts.login("customer@souk.test", fixture_password);
    const auto s2 = accounts.login("customer@souk.test", fixture_password);

    accounts.disable_user(World::as(w.op), w.customer, "chargebacks");
    CHECK(accounts.user(World::as(w.op), w.customer).disabled);
    CHECK(error_of([&] { accounts.authenticate(s1.token); }) == Errc::unauthenticated);
    CHECK(error_of([&] { accounts.authenticate(s2.token); }) == Errc::unauthenticated);
    CHECK(is_revoked(accounts, w.customer, s1.id));
    CHECK(is_revoked(accounts, w.customer, s2.id));
    CHECK(error_of([&] { accounts.login("customer@souk.test", fixture_password); }) == Errc::unauthenticated);
    // A wrong password for a disabled account says nothing about it being disabled.
    CHECK(error_message_of([&] { accounts.login("customer@souk.test", "wrong password"); }) ==
          error_message_of([&] { accounts.login("nobody@souk.test", "wrong password"); }));
    // A disabled user's commands are refused.
    CHECK(error_of([&] { w.shops().apply(World::as(w.customer), application_named("Nope")); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.change_password(World::as(w.customer), fixture_password, "another password"); }) ==
          Errc::forbidden);
    // Disabling twice is a no-op.
    const auto before = w.market.journal_position();
    accounts.disable_user(World::as(w.admin), w.customer, "again");
    CHECK(w.market.journal_position() == before);

    accounts.enable_user(World::as(w.op), w.customer);
    CHECK_FALSE(accounts.user(World::as(w.customer), w.customer).disabled);
    const auto s3 = accounts.login("customer@souk.test", fixture_password);
    CHECK(accounts.authenticate(s3.token) == World::as(w.customer));
    // Old sessions stay revoked.
    CHECK(error_of([&] { accounts.authenticate(s1.token); }) == Errc::unauthenticated);
    // Enabling an enabled user is a no-op.
    const auto after = w.market.journal_position();
    accounts.enable_user(World::as(w.admin), w.customer);
    CHECK(w.market.journal_position() == after);
}

TEST_CASE("accounts: who may disable and enable users") {
    World w;
    auto& accounts = w.accounts();
    const auto before = w.market.journal_position();
    CHECK(error_of([&] { accounts.disable_user(World::as(w.customer), w.staff, "spite"); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.disable_user(World::as(w.owner), w.staff, "fired"); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.disable_user(World::as(w.disabled), w.staff, "spite"); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.disable_user(World::as(w.op), w.admin, "coup"); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.disable_user(World::as(w.admin), w.admin, "oops"); }) == Errc::invalid_state);
    CHECK(error_of([&] { accounts.disable_user(World::as(w.op), w.op, "oops"); }) == Errc::invalid_state);
    CHECK(error_of([&] { accounts.disable_user(World::as(w.op), UserId{999}, "ghost"); }) == Errc::not_found);
    CHECK(error_of([&] { accounts.disable_user(World::as(w.op), w.staff, ""); }) == Errc::invalid_argument);
    CHECK(error_of([&] { accounts.enable_user(World::as(w.customer), w.disabled); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.enable_user(World::as(w.disabled), w.disabled); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.enable_user(World::as(w.op), UserId{999}); }) == Errc::not_found);
    CHECK(w.market.journal_position() == before);
    CHECK(accounts.user(Actor::system(), w.disabled).disabled);
    CHECK_FALSE(accounts.user(Actor::system(), w.staff).disabled);

    // An operator loses their powers while disabled.
    accounts.disable_user(World::as(w.admin), w.op, "on leave");
    CHECK(error_of([&] { accounts.enable_user(World::as(w.op), w.disabled); }) == Errc::forbidden);
    CHECK(error_of([&] { w.shops().approve(World::as(w.op), w.applied); }) == Errc::forbidden);
    accounts.enable_user(World::as(w.admin), w.op);
    accounts.enable_user(World::as(w.op), w.disabled);
    CHECK_FALSE(accounts.user(Actor::system(), w.disabled).disabled);
}

TEST_CASE("accounts: only admins grant and revoke platform roles") {
    World w;
    auto& accounts = w.accounts();
    const auto before = w.market.journal_position();
    CHECK(error_of([&] { accounts.grant_role(World::as(w.op), w.customer, PlatformRole::operator_staff); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { accounts.grant_role(World::as(w.op), w.op, PlatformRole::admin); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.grant_role(World::as(w.customer), w.customer, PlatformRole::admin); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { accounts.grant_role(World::as(w.owner), w.staff, PlatformRole::operator_staff); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { accounts.revoke_role(World::as(w.op), w.admin, PlatformRole::admin); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.revoke_role(World::as(w.customer), w.op, PlatformRole::operator_staff); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { accounts.grant_role(World::as(w.admin), UserId{999}, PlatformRole::operator_staff); }) ==
          Errc::not_found);
    CHECK(error_of([&] { accounts.grant_role(World::as(w.admin), w.customer, static_cast<PlatformRole>(7)); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { accounts.revoke_role(World::as(w.admin), w.admin, PlatformRole::admin); }) ==
          Errc::invalid_state);
    CHECK(w.market.journal_position() == before);
    CHECK_FALSE(accounts.user(Actor::system(), w.customer).operator_staff);
    CHECK(accounts.user(Actor::system(), w.admin).admin);

    // Granting makes the role effective at once.
    CHECK(error_of([&] { accounts.find_by_login(World::as(w.customer), "owner@souk.test"); }) == Errc::forbidden);
    accounts.grant_role(World::as(w.admin), w.customer, PlatformRole::operator_staff);
    CHECK(accounts.user(Actor::system(), w.customer).operator_staff);
    CHECK(accounts.find_by_login(World::as(w.customer), "owner@souk.test") == w.owner);
    // Granting a held role is a no-op.
    const auto granted = w.market.journal_position();
    accounts.grant_role(World::as(w.admin), w.customer, PlatformRole::operator_staff);
    CHECK(w.market.journal_position() == granted);
    accounts.revoke_role(World::as(w.admin), w.customer, PlatformRole::operator_staff);
    CHECK_FALSE(accounts.user(Actor::system(), w.customer).operator_staff);
    CHECK(error_of([&] { accounts.find_by_login(World::as(w.customer), "owner@souk.test"); }) == Errc::forbidden);
    const auto revoked = w.market.journal_position();
    accounts.revoke_role(World::as(w.admin), w.customer, PlatformRole::operator_staff);
    CHECK(w.market.journal_position() == revoked);

    // A second admin may take the first one's admin role away (and the operator role is
    // independent of the admin role).
    accounts.grant_role(World::as(w.admin), w.owner, PlatformRole::admin);
    CHECK(accounts.user(Actor::system(), w.owner).admin);
    CHECK_FALSE(accounts.user(Actor::system(), w.owner).operator_staff);
    accounts.revoke_role(World::as(w.owner), w.admin, PlatformRole::admin);
    CHECK_FALSE(accounts.user(Actor::system(), w.admin).admin);
    CHECK(error_of([&] { accounts.grant_role(World::as(w.admin), w.admin, PlatformRole::admin); }) == Errc::forbidden);
    // An admin may drop their own operator role, just not their admin role.
    accounts.grant_role(World::as(w.owner), w.owner, PlatformRole::operator_staff);
    accounts.revoke_role(World::as(w.owner), w.owner, PlatformRole::operator_staff);
    CHECK_FALSE(accounts.user(Actor::system(), w.owner).operator_staff);
    CHECK(error_of([&] { accounts.revoke_role(World::as(w.owner), w.owner, PlatformRole::admin); }) ==
          Errc::invalid_state);
}

TEST_CASE("accounts: user(), sessions() and find_by_login() are for the user and platform staff") {
    World w;
    auto& accounts = w.accounts();
    const auto session = accounts.login("customer@souk.test", fixture_password);

    // The user themself.
    CHECK(accounts.user(World::as(w.customer), w.customer).login == "customer@souk.test");
    CHECK(accounts.sessions(World::as(w.customer), w.customer).size() == 1);
    // Platform staff and the system.
    for (const auto& staff : {World::as(w.admin), World::as(w.op), Actor::system()}) {
        CHECK(accounts.user(staff, w.customer).display_name == "Customer");
        REQUIRE(accounts.sessions(staff, w.customer).size() == 1);
        CHECK(accounts.sessions(staff, w.customer)[0].id == session.id);
        CHECK(accounts.find_by_login(staff, "CUSTOMER@souk.test") == w.customer);
        CHECK(accounts.find_by_login(staff, "nobody@souk.test") == std::nullopt);
        CHECK(error_of([&] { accounts.user(staff, UserId{999}); }) == Errc::not_found);
    }
    // Everyone else.
    for (const auto other : {w.owner, w.staff, w.other_owner, w.other_staff}) {
        CAPTURE(other.value);
        CHECK(error_of([&] { accounts.user(World::as(other), w.customer); }) == Errc::forbidden);
        CHECK(error_of([&] { accounts.sessions(World::as(other), w.customer); }) == Errc::forbidden);
        CHECK(error_of([&] { accounts.find_by_login(World::as(other), "customer@souk.test"); }) == Errc::forbidden);
        CHECK(error_of([&] { accounts.find_by_login(World::as(other), "nobody@souk.test"); }) == Errc::forbidden);
    }
    // A disabled user cannot even read their own profile; an unknown actor is refused.
    CHECK(error_of([&] { accounts.user(World::as(w.disabled), w.disabled); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.sessions(World::as(w.disabled), w.disabled); }) == Errc::forbidden);
    CHECK(error_of([&] { accounts.user(World::as(UserId{999}), UserId{999}); }) == Errc::unauthenticated);
    CHECK(error_of([&] { accounts.user(World::as(UserId{999}), w.customer); }) == Errc::forbidden);
    // A user may list their sessions even when there are none.
    CHECK(accounts.sessions(World::as(w.other_owner), w.other_owner).empty());
}
