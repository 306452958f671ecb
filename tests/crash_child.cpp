// souk-crash-child: the process crash_test.cpp kills. It opens a marketplace on a SQLite
// journal and issues commands from several threads until it is killed, printing a line for
// a command only after the call returned, so every printed line is an acknowledged command
// that must survive the kill.
//
// usage: souk-crash-child <journal file> <run number> <threads>
// The journal's user 1 must be a platform admin. One line per acknowledged command:
//   U <login> <user id>       registered a user
//   S <shop id> <owner id>    that user applied for a shop
//   A <shop id>               the admin approved it
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "souk/marketplace.hpp"
#include "support/marketplace_setup.hpp"

using namespace souk;

namespace {

// One write(2) per line: a pipe never splits or interleaves writes of up to PIPE_BUF bytes,
// so the parent sees whole lines only, whatever the moment of the kill.
void acknowledge(const std::string& line) {
    if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::_Exit(3);
}

// The parent kills us long before this; the limit only ends a child whose parent vanished.
constexpr auto lifetime = std::chrono::seconds(60);

void work(Marketplace& market, const std::string& run, int thread) {
    const auto admin = Actor::user(UserId{1});
    const auto deadline = std::chrono::steady_clock::now() + lifetime;
    for (int i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
        const auto tag = fmt::format("r{}t{}n{}", run, thread, i);
        const auto login = tag + "@crash.test";
        const auto user = market.accounts().register_user(login, test::password, tag);
        acknowledge(fmt::format("U {} {}\n", login, user.value));
        if (i % 3 != 0) continue;
        const auto shop = market.shops().apply(Actor::user(user), test::shop_application(tag));
        acknowledge(fmt::format("S {} {}\n", shop.value, user.value));
        if (i % 2 != 0) continue;
        market.shops().approve(admin, shop);
        acknowledge(fmt::format("A {}\n", shop.value));
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fputs("usage: souk-crash-child <journal file> <run number> <threads>\n", stderr);
        return 2;
    }
    try {
        auto market = Marketplace::open_sqlite(argv[1], test::test_options());
        const std::string run = argv[2];
        std::vector<std::jthread> threads;
        for (int t = 0; t < std::atoi(argv[3]); ++t)
            threads.emplace_back([&, t] {
                try {
                    work(market, run, t);
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "souk-crash-child: %s\n", e.what());
                    std::_Exit(1);
                }
            });
    } catch (const std::exception& e) {
        std::fprintf(stderr, "souk-crash-child: %s\n", e.what());
        return 1;
    }
}
