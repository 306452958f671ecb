// Journal scenarios: how many commands per second become durable and at what latency, and how
// fast a journal replays, each next to what a host application would do without souk.
//
//   journal_append_{memory,sqlite}_N  N threads run shop profile edits through a Marketplace
//   journal_append_pipelined_sqlite_N the same, each thread keeping a batch of edits in flight
//                                     in a souk::Pipeline and waiting once per batch
//   baseline_sqlite_N                 the conventional way: N threads each UPDATE their shop's row,
//                                     one SQLite transaction (WAL, synchronous FULL) per command
//   replay                            reopen a journal of a million records vs reading its rows
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "baseline_sqlite.hpp"
#include "bench.hpp"
#include "pipelined.hpp"
#include "souk/marketplace.hpp"
#include "souk/storage/memory_journal.hpp"
#include "souk/storage/sqlite_journal.hpp"

namespace {

namespace fs = std::filesystem;
using namespace souk;
using namespace souk::bench;

constexpr int thread_counts[] = {1, 4, 16};
constexpr const char* bench_password = "bench password";
// Records per transaction when the replay journal is copied to SQLite.
constexpr std::size_t copy_batch_records = 10'000;

MarketplaceOptions bench_options() {
    MarketplaceOptions options;
    // Only setup registers users and logs in; the measured append command hashes nothing.
    options.password_hashing = PasswordHashing::minimal;
    return options;
}

// ---- the measured command ------------------------------------------------------------

// A shop owner and their approved shop: what one worker thread edits.
struct OwnedShop {
    Actor owner;
    ShopId shop;
};

ShopApplication bench_application(std::uint64_t n) {
    return ShopApplication{.name = fmt::format("Bench Shop {}", n),
                           .description = "Loose-leaf tea and teaware",
                           .business_category = "tea",
                           .contact_name = "Chen Jing",
                           .contact_phone = "+86 138 0000 0000",
                           .contact_email = fmt::format("shop{}@bench.example", n)};
}

Actor register_customer(Marketplace& market, std::uint64_t n) {
    return Actor::user(market.accounts().register_user(fmt::format("customer{}@bench.example", n), bench_password,
                                                       fmt::format("Customer {}", n)));
}

Actor bootstrap_admin(Marketplace& market) {
    return Actor::user(market.accounts().bootstrap_admin("admin@bench.example", bench_password, "Bench Admin"));
}

// A registered owner applies and the platform approves: four commands, one shop.
OwnedShop open_shop(Marketplace& market, const Actor& admin, std::uint64_t n) {
    const auto owner = register_customer(market, n);
    const auto shop = market.shops().apply(owner, bench_application(n));
    market.shops().approve(admin, shop);
    return {owner, shop};
}

// `count` owners, each with an approved shop of their own.
std::vector<OwnedShop> open_shops(Marketplace& market, int count) {
    const auto admin = bootstrap_admin(market);
    std::vector<OwnedShop> shops;
    for (int n = 0; n < count; ++n) shops.push_back(open_shop(market, admin, static_cast<std::uint64_t>(n)));
    return shops;
}

// The command every append scenario runs: a shop edits its description. It validates
// against state (permission, status, field limits) and emits one small event, without the
// password hashing that would make argon2 the thing measured.
void update_description(Marketplace& market, const OwnedShop& shop, std::uint64_t revision) {
    ShopProfileUpdate update;
    update.description = fmt::format("Loose-leaf tea and teaware, shipped within 48 hours (revision {})", revision);
    market.shops().update_profile(shop.owner, shop.shop, update);
}

// ---- append scenarios ----------------------------------------------------------------

enum class Backend { memory, sqlite };

std::string_view backend_name(Backend backend) { return backend == Backend::memory ? "memory" : "sqlite"; }

// Commands a pipelined thread runs before it waits for them to be durable.
constexpr std::uint64_t commands_per_wait = 256;

// Each thread edits its own shop, so the threads contend only inside the engine: for the
// writer lock and, on SQLite, for the group commit. Pipelined, a command counts once the
// wait of its batch has returned, and latencies are those of whole batches.
void journal_append(Context& ctx, Backend backend, int threads, bool pipelined = false) {
    auto market = backend == Backend::memory ? Marketplace::in_memory(bench_options())
                                             : Marketplace::open_sqlite(ctx.work_dir() / "append.souk", bench_options());
    const auto shops = open_shops(market, threads);
    const auto setup_end = market.journal_position();
    const auto edit = [&](std::size_t thread, std::uint64_t n) { update_description(market, shops[thread], n); };
    const auto load =
        pipelined ? counted_per_operation(run_load(ctx, threads, in_pipelines(market, threads, commands_per_wait, edit)),
                                          commands_per_wait)
                  : run_load(ctx, threads, edit);
    if (market.journal_position() < setup_end + load.operations)
        throw std::runtime_error(fmt::format("{} commands acknowledged but only {} records in the journal",
                                             load.operations, market.journal_position() - setup_end));
    auto result = throughput_result(load, threads, std::string(backend_name(backend)));
    if (pipelined) result.extra["commands_per_wait"] = commands_per_wait;
    if (backend == Backend::sqlite) compare_with(ctx, result, scenario_name("baseline", "sqlite", threads));
    ctx.report(std::move(result));
}

// What a host application would do without souk: a row per entity and one SQLite transaction
// per command (an autocommit UPDATE of the shop's row), WAL and synchronous=FULL like souk's journal,
// on one connection that the threads share behind a mutex. (A connection per thread is no
// better: writers that find the write lock taken sleep in SQLite's busy handler while others
// keep committing, and when fsyncs are slow some wait past the busy timeout and fail with
// "database is locked".)
void baseline_sqlite(Context& ctx, int threads) {
    auto db = open_baseline_database(ctx.work_dir() / "baseline.db");
    db.exec("CREATE TABLE shops (id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, "
            "revision INTEGER NOT NULL)");
    for (int shop = 0; shop < threads; ++shop)
        db.exec(fmt::format("INSERT INTO shops VALUES ({}, 'Shop {}', '', 0)", shop, shop));
    SQLite::Statement update(db, "UPDATE shops SET description = ?, revision = ? WHERE id = ?");
    std::mutex connection;
    const auto load = run_load(ctx, threads, [&](std::size_t thread, std::uint64_t revision) {
        const auto description =
            fmt::format("Loose-leaf tea and teaware, shipped within 48 hours (revision {})", revision);
        const std::lock_guard lock(connection);
        update.reset();
        update.bind(1, description);
        update.bind(2, static_cast<std::int64_t>(revision));
        update.bind(3, static_cast<std::int64_t>(thread));
        if (update.exec() != 1) throw std::runtime_error("the shop row to update is missing");
    });
    auto result = throughput_result(load, threads, "baseline-sqlite");
    result.extra["storage"] = "one row per shop, UPDATE in its own transaction";
    ctx.report(std::move(result));
}

// ---- replay --------------------------------------------------------------------------

// A plausible history for the replay journal. In every hundred commands a customer
// registers, logs in and applies for a shop that the platform approves; the other
// ninety-six are profile edits spread over the shops opened so far.
class MixedWorkload {
public:
    explicit MixedWorkload(Marketplace& market) : market_(market), admin_(bootstrap_admin(market)) {}

    // Runs commands until the journal holds `records` records (every command writes one).
    void run_until(JournalPosition records) {
        for (auto position = market_.journal_position() + 1; position <= records; ++position) step(position);
        if (market_.journal_position() != records)
            throw std::runtime_error(fmt::format("the workload wrote {} records, not {}", market_.journal_position(),
                                                 records));
    }

    const Actor& admin() const { return admin_; }
    ShopId last_shop() const { return shops_.back().shop; }

private:
    void step(JournalPosition position) {
        const auto cycle = (position - 2) / 100;  // position 1 is the admin
        switch ((position - 2) % 100) {
        case 0: newcomer_ = register_customer(market_, cycle); break;
        case 1: market_.accounts().login(fmt::format("customer{}@bench.example", cycle), bench_password); break;
        case 2: applied_ = market_.shops().apply(newcomer_, bench_application(cycle)); break;
        case 3:
            market_.shops().approve(admin_, applied_);
            shops_.push_back({newcomer_, applied_});
            break;
        default: update_description(market_, shops_[position % shops_.size()], position);
        }
    }

    Marketplace& market_;
    Actor admin_;
    Actor newcomer_ = Actor::system();
    ShopId applied_;
    std::vector<OwnedShop> shops_;
};

// Copies every record into a new SQLite journal in large transactions: the file holds
// exactly what a marketplace with this history writes, built without one fsync per command.
void copy_journal(const Journal& from, const fs::path& path) {
    SqliteJournal to(path);
    std::vector<std::string> batch;
    JournalPosition first = 1;
    const auto flush = [&] {
        to.append(first, batch);
        first += batch.size();
        batch.clear();
    };
    from.read(1, [&](JournalPosition, std::string_view bytes) {
        batch.emplace_back(bytes);
        if (batch.size() == copy_batch_records) flush();
        return true;
    });
    if (!batch.empty()) flush();
}

struct RawRead {
    std::uint64_t rows = 0;
    std::uint64_t bytes = 0;
};

// The floor under replay: every row of the records table read through SQLiteCpp, each blob
// fetched, nothing decoded or applied.
RawRead read_raw_rows(const fs::path& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement rows(db, "SELECT position, record FROM records ORDER BY position");
    RawRead read;
    while (rows.executeStep()) {
        const auto record = rows.getColumn(1);
        if (record.getBlob() == nullptr) throw std::runtime_error("a journal row has no record");
        ++read.rows;
        read.bytes += static_cast<std::uint64_t>(record.getBytes());
    }
    return read;
}

void replay(Context& ctx) {
    const JournalPosition records = ctx.quick() ? 20'000 : 1'000'000;
    const auto path = ctx.work_dir() / "replay.souk";
    auto journal = std::make_unique<MemoryJournal>();
    const Journal& history = *journal;
    Marketplace original(std::move(journal), bench_options());
    MixedWorkload workload(original);
    const double build_seconds = time_seconds([&] {
        workload.run_until(records);
        copy_journal(history, path);
    });
    ctx.info("built a journal of {} records in {:.1f} s", records, build_seconds);

    RawRead raw;
    const double raw_seconds = time_seconds([&] { raw = read_raw_rows(path); });
    if (raw.rows != records) throw std::runtime_error(fmt::format("read {} rows, expected {}", raw.rows, records));

    std::optional<Marketplace> reopened;
    const double seconds = time_seconds([&] { reopened.emplace(Marketplace::open_sqlite(path, bench_options())); });
    if (reopened->journal_position() != records ||
        reopened->shops().details(workload.admin(), workload.last_shop()) !=
            original.shops().details(workload.admin(), workload.last_shop()))
        throw std::runtime_error("the reopened marketplace differs from the one that wrote the journal");

    Result result;
    result.unit = "records/s";
    result.value = static_cast<double>(records) / seconds;
    result.journal = "sqlite";
    result.baseline = static_cast<double>(raw.rows) / raw_seconds;
    result.extra["records"] = records;
    result.extra["seconds"] = seconds;
    result.extra["baseline_seconds"] = raw_seconds;
    result.extra["record_bytes"] = raw.bytes;
    result.extra["file_bytes"] = fs::file_size(path);
    ctx.report(std::move(result));
}

// ---- registration --------------------------------------------------------------------

bool register_journal_scenarios() {
    for (const int threads : thread_counts)
        register_scenarios({{.name = scenario_name("journal_append", "memory", threads),
                             .description = fmt::format("{} thread(s) editing shop profiles, memory journal", threads),
                             .fn = [threads](Context& ctx) { journal_append(ctx, Backend::memory, threads); },
                             .needs = {}}});
    // Each baseline runs right before the souk scenario it is compared with, so that both see
    // the machine in the same state (fsync latency drifts with everything else on the disk).
    for (const int threads : thread_counts) {
        const auto baseline = scenario_name("baseline", "sqlite", threads);
        register_scenarios(
            {{.name = baseline,
              .description = fmt::format("{} thread(s), one SQLite transaction per command, no souk", threads),
              .fn = [threads](Context& ctx) { baseline_sqlite(ctx, threads); },
              .needs = {}},
             {.name = scenario_name("journal_append", "sqlite", threads),
              .description = fmt::format("{} thread(s) editing shop profiles, SQLite journal (full durability)",
                                         threads),
              .fn = [threads](Context& ctx) { journal_append(ctx, Backend::sqlite, threads); },
              .needs = {baseline}},
             {.name = scenario_name("journal_append_pipelined", "sqlite", threads),
              .description = fmt::format("{} thread(s) editing shop profiles {} per wait in a pipeline, SQLite "
                                         "journal (full durability)",
                                         threads, commands_per_wait),
              .fn = [threads](Context& ctx) { journal_append(ctx, Backend::sqlite, threads, true); },
              .needs = {baseline}}});
    }
    register_scenarios({{.name = "replay",
                         .description = "reopen a SQLite journal of 1,000,000 records (quick: 20,000) vs reading its rows",
                         .fn = replay,
                         .needs = {}}});
    return true;
}

const bool registered = register_journal_scenarios();

}  // namespace
