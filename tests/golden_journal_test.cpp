// The golden journal: tests/data/golden-v1.souk was written once by souk 0.1 (journal
// schema 1, record format 1, every event at version 1) with the scripted workload below.
// Every later souk must open it and rebuild exactly the state asserted here; a change to
// the record format, the event encoding or an event's meaning that breaks old journals
// fails this test. Never regenerate the file to make the test pass: add a golden-v2 next
// to it when the format moves on, and keep reading v1.
//
// To (re)create it after deleting it on purpose:
//   build/tests/souk-tests --no-skip -tc="golden journal: write*"
#include <doctest/doctest.h>

#include <filesystem>

#include "souk/marketplace.hpp"
#include "souk/storage/sqlite_journal.hpp"
#include "support/errors.hpp"
#include "support/marketplace_setup.hpp"
#include "support/temp_dir.hpp"

using namespace souk;
using namespace souk::test;
namespace fs = std::filesystem;

namespace {

const fs::path golden_file = fs::path(SOUK_TEST_DATA_DIR) / "golden-v1.souk";
const std::string new_bob_password = "new bob password";
constexpr JournalPosition golden_commands = 27;

Timestamp at(int minute) { return epoch() + std::chrono::minutes(minute); }
Timestamp session_expiry(int minute) { return at(minute) + std::chrono::hours(24 * 30); }

// The scripted workload: command n runs at minute n - 1 (the assertions below rely on it).
// It touches every event type of accounts and shops.
void run_golden_workload(Marketplace& m, ManualClock& clock) {
    const auto minute = [&](int n) { clock.set(at(n)); };
    auto& accounts = m.accounts();
    auto& shops = m.shops();
    const auto admin = Actor::user(UserId{1}), ops = Actor::user(UserId{2}), alice = Actor::user(UserId{3}),
               bob = Actor::user(UserId{4}), carol = Actor::user(UserId{5}), dave = Actor::user(UserId{6});
    minute(0), accounts.bootstrap_admin("admin@souk.example", password, "Platform Admin");
    minute(1), accounts.register_user("ops@souk.example", password, "Ops Olga");
    minute(2), accounts.grant_role(admin, ops.user_id(), PlatformRole::operator_staff);
    minute(3), accounts.register_user("Alice@Example.com", password, "Alice");
    minute(4), accounts.register_user("+86 138-0013-8000", password, "Bob");
    minute(5), accounts.register_user("carol@example.com", password, "Carol 陈");
    minute(6), accounts.register_user("dave@example.com", password, "Dave");
    minute(7), accounts.login("alice@example.com", password);
    minute(8), accounts.login("+8613800138000", password);
    minute(9), shops.apply(alice, shop_application("Alice Books"));
    minute(10), shops.approve(ops, ShopId{1});
    auto tea = shop_application("Bob Tea");
    tea.business_category = "tea";
    minute(11), shops.apply(bob, tea);
    minute(12), shops.reject(ops, ShopId{2}, "business licence missing");
    tea.description = "Oolong and pu'er; licence attached";
    minute(13), shops.resubmit(bob, ShopId{2}, tea);
    minute(14), shops.approve(admin, ShopId{2});
    minute(15), shops.suspend(ops, ShopId{2}, "counterfeit complaint");
    minute(16), shops.reinstate(admin, ShopId{2});
    minute(17), shops.apply(carol, shop_application("Carol Crafts"));
    minute(18), shops.approve(ops, ShopId{3});
    minute(19), shops.close(carol, ShopId{3}, "retiring");
    minute(20), shops.apply(dave, shop_application("Dave Gadgets"));
    minute(21), shops.add_staff(alice, ShopId{1}, carol.user_id());
    minute(22), shops.set_commission(admin, ShopId{1}, 550);
    ShopProfileUpdate update;
    update.description = "Fine teas";
    update.contact_email = "tea@bob.example";
    minute(23), shops.update_profile(bob, ShopId{2}, update);
    minute(24), accounts.change_password(bob, password, new_bob_password);
    minute(25), accounts.revoke_session(alice, SessionId{1});
    minute(26), accounts.disable_user(ops, dave.user_id(), "fraud suspected");
    REQUIRE(m.journal_position() == golden_commands);
}

UserProfile profile(std::uint64_t id, std::string login, std::string name, int minute) {
    return UserProfile{.id = UserId{id},
                       .login = std::move(login),
                       .display_name = std::move(name),
                       .registered_at = at(minute)};
}

ShopDetails shop(std::uint64_t id, const ShopApplication& a, ShopStatus status, std::uint64_t owner, int applied) {
    ShopDetails details;
    details.profile = {ShopId{id}, a.name, a.description, a.business_category, status};
    details.owner = UserId{owner};
    details.contact_name = a.contact_name;
    details.contact_phone = a.contact_phone;
    details.contact_email = a.contact_email;
    details.applied_at = at(applied);
    return details;
}

void check_users(Marketplace& m, const Actor& admin) {
    auto admin_profile = profile(1, "admin@souk.example", "Platform Admin", 0);
    admin_profile.admin = true;
    auto ops = profile(2, "ops@souk.example", "Ops Olga", 1);
    ops.operator_staff = true;
    auto dave = profile(6, "dave@example.com", "Dave", 6);
    dave.disabled = true;
    const UserProfile expected[] = {admin_profile, ops, profile(3, "alice@example.com", "Alice", 3),
                                    profile(4, "+8613800138000", "Bob", 4),
                                    profile(5, "carol@example.com", "Carol 陈", 5), dave};
    for (const auto& user : expected) CHECK(m.accounts().user(admin, user.id) == user);
    CHECK(error_of([&] { m.accounts().user(admin, UserId{7}); }) == Errc::not_found);
    CHECK(m.accounts().find_by_login(admin, "ALICE@example.com") == UserId{3});
}

void check_sessions(Marketplace& m, const Actor& admin) {
    CHECK(m.accounts().sessions(admin, UserId{3}) ==
          std::vector<SessionInfo>{{SessionId{1}, UserId{3}, at(7), session_expiry(7), true}});
    CHECK(m.accounts().sessions(admin, UserId{4}) ==
          std::vector<SessionInfo>{{SessionId{2}, UserId{4}, at(8), session_expiry(8), true}});
    // The password hashes decode and verify: bob's changed, dave is disabled.
    CHECK(m.accounts().login("alice@example.com", password).user == UserId{3});
    CHECK(m.accounts().login("+86 138 0013 8000", new_bob_password).user == UserId{4});
    CHECK(error_of([&] { m.accounts().login("+8613800138000", password); }) == Errc::unauthenticated);
    CHECK(error_of([&] { m.accounts().login("dave@example.com", password); }) == Errc::unauthenticated);
}

void check_shops(Marketplace& m, const Actor& admin) {
    auto alice_books = shop(1, shop_application("Alice Books"), ShopStatus::active, 3, 9);
    alice_books.staff = {UserId{5}};
    alice_books.commission_bps = 550;
    alice_books.approved_at = at(10);

    auto tea = shop_application("Bob Tea");
    tea.business_category = "tea";
    tea.description = "Fine teas";
    tea.contact_email = "tea@bob.example";
    auto bob_tea = shop(2, tea, ShopStatus::active, 4, 11);
    bob_tea.approved_at = at(14);

    auto carol_crafts = shop(3, shop_application("Carol Crafts"), ShopStatus::closed, 5, 17);
    carol_crafts.status_reason = "retiring";
    carol_crafts.approved_at = at(18);

    const auto dave_gadgets = shop(4, shop_application("Dave Gadgets"), ShopStatus::applied, 6, 20);
    for (const auto& expected : {alice_books, bob_tea, carol_crafts, dave_gadgets})
        CHECK(m.shops().details(admin, expected.profile.id) == expected);
    CHECK(error_of([&] { m.shops().details(admin, ShopId{5}); }) == Errc::not_found);

    CHECK(m.shops().list(admin, ShopStatus::active) == std::vector<ShopProfile>{alice_books.profile, bob_tea.profile});
    CHECK(m.shops().list(Actor::user(UserId{6}), std::nullopt) ==
          std::vector<ShopProfile>{alice_books.profile, bob_tea.profile});
    CHECK(m.shops().shops_of(admin, UserId{5}).size() == 2);  // staff of 1, owner of 3
}

void check_audit(Marketplace& m, const Actor& admin) {
    const auto trail = m.audit(admin, EntityRef::of(ShopId{2}));
    const std::vector<std::pair<std::string, JournalPosition>> expected{
        {"ShopApplied", 12}, {"ShopRejected", 13},  {"ShopResubmitted", 14},   {"ShopApproved", 15},
        {"ShopSuspended", 16}, {"ShopReinstated", 17}, {"ShopProfileUpdated", 24}};
    REQUIRE(trail.size() == expected.size());
    for (std::size_t i = 0; i < trail.size(); ++i) {
        CHECK(trail[i].event == expected[i].first);
        CHECK(trail[i].command == expected[i].second);
        CHECK(trail[i].time == at(static_cast<int>(expected[i].second) - 1));
    }
    CHECK(trail[0].actor == UserId{4});
    CHECK(trail[1].actor == UserId{2});
    CHECK(trail[3].actor == UserId{1});
}

}  // namespace

TEST_CASE("golden journal: write tests/data/golden-v1.souk" * doctest::skip()) {
    REQUIRE_MESSAGE(!fs::exists(golden_file), "refusing to overwrite " << golden_file << "; delete it first");
    const auto clock = std::make_shared<ManualClock>(epoch());
    {
        auto market = Marketplace::open_sqlite(golden_file, test_options(clock));
        run_golden_workload(market, *clock);
    }
    CHECK_FALSE(fs::exists(golden_file.string() + "-wal"));  // closing folded the WAL into the file
}

TEST_CASE("golden journal: a v1 journal opens to exactly the state it was written with") {
    REQUIRE_MESSAGE(fs::exists(golden_file), golden_file << " is missing");
    TempDir dir;
    const auto copy = dir / "golden.souk";  // opening writes (WAL, new commands): never touch the original
    fs::copy_file(golden_file, copy);
    const auto clock = std::make_shared<ManualClock>(at(60));
    const auto admin = Actor::user(UserId{1});
    {
        auto market = Marketplace::open_sqlite(copy, test_options(clock));
        CHECK(market.journal_position() == golden_commands);
        check_users(market, admin);
        check_shops(market, admin);
        check_audit(market, admin);
        check_sessions(market, admin);  // logs in: appends to the copy
    }
    // The old journal stays writable: what was appended to it reads back.
    auto market = Marketplace::open_sqlite(copy, test_options(clock));
    CHECK(market.journal_position() == golden_commands + 2);
    CHECK(market.accounts().sessions(admin, UserId{3}).size() == 2);
}
