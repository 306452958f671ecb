// The marketplace demo: a month of a multi-shop marketplace, kept in a SQLite journal file.
// The platform onboards its merchants, the shops stock their shelves, forty customers trade
// for three weeks of simulated time; then the file is closed, reopened, and the operator's
// figures are read again from it and must be the same.
//
//   souk-demo [FILE]        (default: demo.souk; an existing file is reopened and reported)
#include <chrono>

#include <fmt/format.h>

#include "demo.hpp"

namespace {

using std::chrono::days;

constexpr int trading_days = 21;

// The demo hashes passwords at the cheapest argon2id setting so it runs in seconds; real
// deployments keep the default (interactive).
souk::MarketplaceOptions demo_options(std::shared_ptr<const souk::Clock> clock) {
    return {.clock = std::move(clock), .password_hashing = souk::PasswordHashing::minimal};
}

long long elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

// The simulated month starts at midnight, trading_days + 1 days ago, so it ends before now and
// the reopened file can run on the system clock.
demo::Summary run_month(const std::string& path) {
    const auto today = std::chrono::floor<days>(std::chrono::system_clock::now());
    const auto clock = std::make_shared<souk::ManualClock>(
        std::chrono::time_point_cast<souk::Duration>(today - days(trading_days + 1)));
    auto market = souk::Marketplace::open_sqlite(path, demo_options(clock));
    demo::DemoWorld world{market, clock, std::make_shared<souk::SandboxProvider>("demo-gateway-secret-0123", clock)};
    market.register_payment_provider("sandbox", world.sandbox);
    const auto start = std::chrono::steady_clock::now();
    demo::onboard(world);
    demo::stock_shelves(world);
    fmt::print("onboarded {} shops with their shelves in {} ms\n", world.shops.size(), elapsed_ms(start));
    const auto trading = std::chrono::steady_clock::now();
    demo::trade(world, trading_days);
    fmt::print("traded {} days ({} journal commands, synchronous) in {} ms\n", trading_days, market.journal_position(),
               elapsed_ms(trading));
    return demo::summarize(market);
}

}  // namespace

int main(int argc, char** argv) try {
    const std::string path = argc > 1 ? argv[1] : "demo.souk";
    const auto system_clock = std::make_shared<souk::SystemClock>();
    const bool fresh = souk::Marketplace::open_sqlite(path, demo_options(system_clock)).journal_position() == 0;
    std::optional<demo::Summary> written;
    if (fresh) written = run_month(path);
    const auto start = std::chrono::steady_clock::now();
    auto reopened = souk::Marketplace::open_sqlite(path, demo_options(system_clock));
    fmt::print("reopened {} in {} ms\n", path, elapsed_ms(start));
    const auto summary = demo::summarize(reopened);
    demo::print(reopened, summary);
    if (written && *written != summary) {
        fmt::print(stderr, "souk-demo: the reopened file does not hold what was written\n");
        return 1;
    }
    return 0;
} catch (const souk::Error& e) {
    fmt::print(stderr, "souk-demo: {}\n", e.what());
    return 1;
}
