// What the engine does when its journal fails: the failed command is not acknowledged and
// leaves no trace, everything acknowledged before it stays.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "souk/marketplace.hpp"
#include "souk/storage/sqlite_journal.hpp"
#include "support/errors.hpp"
#include "support/faulty_journal.hpp"
#include "support/marketplace_setup.hpp"
#include "support/temp_dir.hpp"

using namespace souk;
using namespace souk::test;

namespace {

// A marketplace over a FaultyJournal, with an admin to look things up.
struct Harness {
    explicit Harness(std::unique_ptr<Journal> inner = std::make_unique<MemoryJournal>())
        : owned(std::make_unique<FaultyJournal>(std::move(inner))) {}

    std::unique_ptr<FaultyJournal> owned;
    FaultyJournal& journal = *owned;  // stays valid: the marketplace owns it from here on
    Marketplace market{std::move(owned), test_options()};
    Actor admin = Actor::user(market.accounts().bootstrap_admin("admin@example.com", password, "Admin"));

    UserId register_user(const std::string& name) {
        return market.accounts().register_user(name + "@example.com", password, name);
    }
    bool has_user(const std::string& name) {
        return market.accounts().find_by_login(admin, name + "@example.com").has_value();
    }
    // Commands the journal holds; each command here writes one record.
    JournalPosition stored_commands() { return journal.inner().end_position() - 1; }
};

}  // namespace

TEST_CASE("kernel recovery: a command whose append fails is gone once the next command runs") {
    Harness h;
    const auto alice = h.register_user("alice");
    const auto shop = h.market.shops().apply(Actor::user(alice), shop_application("Alice Books"));
    h.market.shops().approve(h.admin, shop);
    const auto acknowledged = h.market.journal_position();

    h.journal.fail_nth_append(1);
    CHECK(error_of([&] { h.register_user("bob"); }) == Errc::storage_failure);
    h.journal.fail_nth_append(1);
    CHECK(error_of([&] { h.market.shops().suspend(h.admin, shop, "failed to store"); }) == Errc::storage_failure);
    CHECK(h.market.journal_position() == acknowledged);
    CHECK(h.stored_commands() == acknowledged);

    // The next command first rebuilds the state from the journal: bob's id is free again.
    const auto carol = h.register_user("carol");
    CHECK(carol == UserId{alice.value + 1});
    CHECK_FALSE(h.has_user("bob"));
    CHECK(h.has_user("alice"));
    const auto details = h.market.shops().details(h.admin, shop);
    CHECK(details.profile.status == ShopStatus::active);
    CHECK(details.status_reason.empty());
    CHECK(h.market.journal_position() == acknowledged + 1);

    h.register_user("bob");  // the login was never taken
    CHECK(h.has_user("bob"));
}

TEST_CASE("kernel recovery: while the journal cannot be read back commands fail, and nothing is lost") {
    Harness h;
    h.register_user("alice");
    h.journal.fail_nth_append(1);
    CHECK(error_of([&] { h.register_user("bob"); }) == Errc::storage_failure);

    h.journal.fail_reads(true);
    CHECK(error_of([&] { h.register_user("carol"); }) == Errc::storage_failure);
    CHECK(error_of([&] { h.register_user("carol"); }) == Errc::storage_failure);

    h.journal.disarm();
    h.register_user("carol");
    CHECK(h.has_user("alice"));
    CHECK(h.has_user("carol"));
    CHECK_FALSE(h.has_user("bob"));
    CHECK(h.stored_commands() == 3);
}

// Several threads share group commits, so one failed append fails the commands of several
// threads at once, and commands decided on top of a failed one must fail too.
TEST_CASE("kernel recovery: under concurrent commands exactly the acknowledged ones survive") {
    TempDir dir;
    std::unique_ptr<Journal> inner;
    SUBCASE("memory") { inner = std::make_unique<MemoryJournal>(); }
    SUBCASE("sqlite") {
        inner = std::make_unique<SqliteJournal>(dir / "recovery.souk",
                                                SqliteJournalOptions{.durability = SqliteJournalOptions::Durability::normal});
    }
    Harness h(std::move(inner));
    constexpr int threads = 4;
    constexpr int per_thread = 40;
    std::vector<std::vector<bool>> acknowledged(threads, std::vector<bool>(per_thread));
    std::atomic<int> running{threads};

    // Keeps one failure pending at a time: every third append after the previous failure fails.
    std::thread injector([&] {
        while (running > 0) {
            const int before = h.journal.failed_appends();
            h.journal.fail_nth_append(3);
            while (running > 0 && h.journal.failed_appends() == before) std::this_thread::yield();
        }
    });
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) try {
                    h.register_user(fmt::format("t{}u{}", t, i));
                    acknowledged[t][i] = true;
                } catch (const Error& e) {
                    CHECK(e.code() == Errc::storage_failure);
                }
            --running;
        });
    for (auto& w : workers) w.join();
    injector.join();
    h.journal.disarm();
    h.register_user("last");  // recovers if the final command failed

    int successes = 0;
    for (int t = 0; t < threads; ++t)
        for (int i = 0; i < per_thread; ++i) {
            CHECK_MESSAGE(h.has_user(fmt::format("t{}u{}", t, i)) == acknowledged[t][i], fmt::format("t{}u{}", t, i));
            successes += acknowledged[t][i];
        }
    CHECK(h.journal.failed_appends() > 0);
    CHECK(successes > 0);
    CHECK(h.stored_commands() == static_cast<JournalPosition>(successes + 2));  // + admin + last
}
