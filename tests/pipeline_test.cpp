// Pipelined commands (souk/pipeline.hpp): they return once applied, wait() returns once they
// are durable, and a failed append still fails every command it lost, even after recovery
// has given their journal positions to other commands.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "souk/marketplace.hpp"
#include "souk/pipeline.hpp"
#include "souk/storage/sqlite_journal.hpp"
#include "support/errors.hpp"
#include "support/faulty_journal.hpp"
#include "support/marketplace_setup.hpp"
#include "support/temp_dir.hpp"

using namespace souk;
using namespace souk::test;

namespace {

// A MemoryJournal whose appends block while the gate is closed: what lets a test see a
// command return before its record is stored.
class GatedJournal final : public Journal {
public:
    void close_gate() {
        std::lock_guard lock(mutex_);
        open_ = false;
    }
    void open_gate() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        cv_.notify_all();
    }
    void append(JournalPosition first, std::span<const std::string> records) override {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return open_; });
        inner_.append(first, records);
    }
    void read(JournalPosition from, const std::function<bool(JournalPosition, std::string_view)>& visit) const override {
        inner_.read(from, visit);
    }
    JournalPosition end_position() const override { return inner_.end_position(); }
    std::string describe() const override { return "gated"; }

private:
    MemoryJournal inner_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool open_ = true;
};

UserId register_user(Marketplace& market, const std::string& name) {
    return market.accounts().register_user(name + "@example.com", password, name);
}

bool has_user(Marketplace& market, const Actor& admin, const std::string& name) {
    return market.accounts().find_by_login(admin, name + "@example.com").has_value();
}

}  // namespace

TEST_CASE("pipeline: commands return once applied and wait returns once they are durable") {
    auto owned = std::make_unique<GatedJournal>();
    auto& journal = *owned;
    Marketplace market(std::move(owned), test_options());
    const auto admin = Actor::user(market.accounts().bootstrap_admin("admin@example.com", password, "Admin"));
    const auto stored = market.journal_position();

    journal.close_gate();
    Pipeline pipeline(market);
    const auto alice = register_user(market, "alice");  // without the pipeline this would block
    const auto bob = register_user(market, "bob");
    CHECK(bob == UserId{alice.value + 1});
    CHECK(has_user(market, admin, "alice"));  // applied: visible to queries at once
    CHECK(pipeline.unwaited() == 2);
    CHECK(market.journal_position() == stored);  // ... but not durable

    std::thread opener([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        journal.open_gate();
    });
    pipeline.wait();
    opener.join();
    CHECK(market.journal_position() == stored + 2);
    CHECK(pipeline.unwaited() == 0);
    pipeline.wait();  // nothing left: returns at once
}

TEST_CASE("pipeline: what a pipeline ran survives reopening, waited for or not") {
    TempDir dir;
    const auto path = dir / "pipeline.souk";
    std::optional<JournalPosition> end;
    {
        auto market = Marketplace::open_sqlite(path, test_options());
        market.accounts().bootstrap_admin("admin@example.com", password, "Admin");
        {
            Pipeline pipeline(market);
            for (int i = 0; i < 50; ++i) register_user(market, fmt::format("waited{}", i));
            pipeline.wait();
        }
        {
            Pipeline pipeline(market);
            for (int i = 0; i < 50; ++i) register_user(market, fmt::format("unwaited{}", i));
        }  // closed without waiting: the marketplace stores the rest before it closes
        register_user(market, "after");  // waits for itself again
        end = market.journal_position();
    }
    auto market = Marketplace::open_sqlite(path, test_options());
    CHECK(market.journal_position() == *end);
    CHECK(*end == 102);
    const auto admin = Actor::user(market.accounts().login("admin@example.com", password).user);
    for (int i = 0; i < 50; ++i) {
        CHECK(has_user(market, admin, fmt::format("waited{}", i)));
        CHECK(has_user(market, admin, fmt::format("unwaited{}", i)));
    }
    CHECK(has_user(market, admin, "after"));
}

TEST_CASE("pipeline: a failed append fails wait, even after recovery reused the lost positions") {
    auto owned = std::make_unique<FaultyJournal>();
    auto& journal = *owned;
    Marketplace market(std::move(owned), test_options());
    const auto admin = Actor::user(market.accounts().bootstrap_admin("admin@example.com", password, "Admin"));
    const auto stored = market.journal_position();

    Pipeline pipeline(market);
    journal.arm();
    register_user(market, "lost1");
    register_user(market, "lost2");
    while (journal.failed_appends() == 0) std::this_thread::yield();  // the background append failed
    journal.disarm();

    // Another thread's command recovers: the lost commands vanish and their positions are reused.
    std::thread other([&] { register_user(market, "kept"); });
    other.join();
    CHECK(market.journal_position() == stored + 1);
    CHECK(has_user(market, admin, "kept"));
    CHECK_FALSE(has_user(market, admin, "lost1"));
    CHECK_FALSE(has_user(market, admin, "lost2"));

    CHECK(error_of([&] { pipeline.wait(); }) == Errc::storage_failure);
    // The pipeline goes on: what it runs now is stored and waited for normally.
    register_user(market, "later");
    pipeline.wait();
    CHECK(has_user(market, admin, "later"));
    CHECK(market.journal_position() == stored + 2);
}

TEST_CASE("pipeline: a failed append fails wait without recovery in between") {
    auto owned = std::make_unique<FaultyJournal>();
    auto& journal = *owned;
    Marketplace market(std::move(owned), test_options());
    const auto admin = Actor::user(market.accounts().bootstrap_admin("admin@example.com", password, "Admin"));
    Pipeline pipeline(market);
    journal.fail_nth_append(1);
    register_user(market, "lost");
    CHECK(error_of([&] { pipeline.wait(); }) == Errc::storage_failure);
    CHECK(pipeline.unwaited() == 0);
    register_user(market, "kept");  // recovers first
    pipeline.wait();
    CHECK(has_user(market, admin, "kept"));
    CHECK_FALSE(has_user(market, admin, "lost"));
}

TEST_CASE("pipeline: one per thread, and a closed one leaves the thread's commands waiting again") {
    auto owned = std::make_unique<GatedJournal>();
    auto& journal = *owned;
    Marketplace market(std::move(owned), test_options());
    market.accounts().bootstrap_admin("admin@example.com", password, "Admin");
    std::optional<Pipeline> first(std::in_place, market);
    CHECK(error_of([&] { Pipeline second(market); }) == Errc::invalid_state);
    std::thread elsewhere([&] {
        Pipeline own(market);  // another thread may have its own
        register_user(market, "elsewhere");
        own.wait();
    });
    elsewhere.join();
    first.reset();
    {
        Pipeline again(market);  // the thread may open a new one once the first is closed
        again.wait();
    }

    // Threads without a pipeline wait for their commands' durability as always.
    journal.close_gate();
    std::atomic<bool> returned{false};
    std::thread sync([&] {
        register_user(market, "synchronous");  // no pipeline on this thread: blocks on the gate
        returned = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    CHECK_FALSE(returned);
    journal.open_gate();
    sync.join();
    CHECK(returned);
}
