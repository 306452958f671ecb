// Crash tests: a child process (souk-crash-child) runs commands on a SQLite journal under
// load and is killed with SIGKILL at random moments; after every kill the journal is
// reopened and must hold every command the child acknowledged, in a consistent state.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "kernel/record.hpp"
#include "souk/marketplace.hpp"
#include "souk/storage/sqlite_journal.hpp"
#include "support/marketplace_setup.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

using namespace souk;
using namespace souk::test;
namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr int rounds = 25;
constexpr int child_threads = 4;
constexpr unsigned seed = 20260101;

// Appends what the pipe delivers until `deadline` or end of file; returns false on end of file.
bool drain(int fd, std::string& out, SteadyClock::time_point deadline) {
    char buffer[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
        if (left <= 0) return true;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) return false;
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

// Runs the child on `file`, kills it after `life`, and returns everything it printed.
std::string run_and_kill(const fs::path& file, int round, std::chrono::milliseconds life) {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    std::string args[] = {SOUK_CRASH_CHILD, file.string(), std::to_string(round), std::to_string(child_threads)};
    char* argv[] = {args[0].data(), args[1].data(), args[2].data(), args[3].data(), nullptr};
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, SOUK_CRASH_CHILD, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    REQUIRE(spawned == 0);

    std::string output;
    const bool alive = drain(fds[0], output, SteadyClock::now() + life);
    ::kill(pid, SIGKILL);
    while (drain(fds[0], output, SteadyClock::time_point::max())) {
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE_MESSAGE(alive, "the child ended by itself; its output:\n" << output);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    return output;
}

// Everything the children acknowledged, over all rounds.
struct Acknowledged {
    std::map<std::string, UserId> users;
    std::map<ShopId, UserId> shops;
    std::set<ShopId> approved;

    void add(const std::string& output) {
        std::istringstream lines(output);
        std::string kind;
        while (lines >> kind) {
            std::uint64_t a = 0;
            if (kind == "U") {
                std::string login;
                lines >> login >> a;
                users[login] = UserId{a};
            } else if (kind == "S") {
                std::uint64_t owner = 0;
                lines >> a >> owner;
                shops[ShopId{a}] = UserId{owner};
            } else {
                REQUIRE(kind == "A");
                lines >> a;
                approved.insert(ShopId{a});
            }
        }
    }
};

struct JournalCounts {
    JournalPosition records = 0;
    std::size_t users = 0;
    std::size_t shops = 0;
};

JournalCounts count_journal(const fs::path& file) {
    JournalCounts counts;
    SqliteJournal journal(file, {.create_if_missing = false});
    journal.read(1, [&](JournalPosition, std::string_view bytes) {
        ++counts.records;
        for (const auto& event : detail::decode_record(bytes).events) {
            counts.users += event.kind == detail::EventKind::user_registered;
            counts.shops += event.kind == detail::EventKind::shop_applied;
        }
        return true;
    });
    return counts;
}

// Users get consecutive ids from 1: the state holds exactly ids 1..n.
std::size_t count_users(Marketplace& market, const Actor& admin) {
    std::size_t n = 0;
    for (;;) {
        try {
            market.accounts().user(admin, UserId{n + 1});
        } catch (const Error& e) {
            REQUIRE(e.code() == Errc::not_found);
            return n;
        }
        ++n;
    }
}

std::size_t count_shops(Marketplace& market, const Actor& admin) {
    std::size_t n = 0;
    for (;;) {
        const auto page = market.shops().list(admin, std::nullopt, Page{.offset = n, .limit = Page::max_limit});
        n += page.size();
        if (page.size() < Page::max_limit) return n;
    }
}

void verify(const fs::path& file, const Acknowledged& acked) {
    const auto journal = count_journal(file);
    auto market = Marketplace::open_sqlite(file, test_options());
    const auto admin = Actor::user(UserId{1});
    CHECK(market.journal_position() == journal.records);
    CHECK(count_users(market, admin) == journal.users);
    CHECK(count_shops(market, admin) == journal.shops);
    for (const auto& [login, id] : acked.users)
        REQUIRE_MESSAGE(market.accounts().find_by_login(admin, login) == id, login);
    for (const auto& [shop, owner] : acked.shops) {
        const auto details = market.shops().details(admin, shop);
        REQUIRE(details.owner == owner);
        if (acked.approved.contains(shop)) REQUIRE(details.profile.status == ShopStatus::active);
    }
}

}  // namespace

TEST_CASE("crash: SIGKILL at random moments loses no acknowledged command") {
    TempDir dir;
    const auto file = dir / "crash.souk";
    {
        auto market = Marketplace::open_sqlite(file, test_options());
        REQUIRE(market.accounts().bootstrap_admin("admin@crash.test", password, "Admin") == UserId{1});
    }
    INFO("seed ", seed);
    std::mt19937 rng(seed);
    // Mostly mid-load kills, some while the child is still opening and replaying the journal.
    std::uniform_int_distribution<int> life_ms(5, 250);
    Acknowledged acked;
    for (int round = 0; round < rounds; ++round) {
        CAPTURE(round);
        acked.add(run_and_kill(file, round, std::chrono::milliseconds(life_ms(rng))));
        verify(file, acked);
    }
    MESSAGE(fmt::format("{} users, {} shops, {} approvals acknowledged over {} kills", acked.users.size(),
                        acked.shops.size(), acked.approved.size(), rounds));
    CHECK(acked.users.size() > static_cast<std::size_t>(rounds));  // the children did real work
    CHECK(!acked.approved.empty());
}
