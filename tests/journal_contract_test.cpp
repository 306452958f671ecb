// The Journal contract, run against every implementation, and the SqliteJournal's own
// promises about the files it opens.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <fstream>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "souk/storage/memory_journal.hpp"
#include "souk/storage/sqlite_journal.hpp"
#include "support/errors.hpp"
#include "support/faulty_journal.hpp"
#include "support/temp_dir.hpp"

using namespace souk;
using souk::test::error_of;
using souk::test::file_bytes;
using souk::test::FaultyJournal;
using souk::test::TempDir;
namespace fs = std::filesystem;

namespace {

using Stored = std::vector<std::pair<JournalPosition, std::string>>;

Stored read_all(const Journal& journal, JournalPosition from = 1) {
    Stored out;
    journal.read(from, [&](JournalPosition p, std::string_view bytes) {
        out.emplace_back(p, std::string(bytes));
        return true;
    });
    return out;
}

// Records with awkward bytes: NUL, high bytes, an empty one and one larger than a page.
std::vector<std::string> sample_records() {
    return {std::string("first"), std::string("\0nul\xff\x80", 6), std::string(), std::string(70000, 'x'),
            std::string("fifth")};
}

Stored numbered(const std::vector<std::string>& records, JournalPosition first = 1) {
    Stored out;
    for (const auto& r : records) out.emplace_back(first++, r);
    return out;
}

// One fixture per implementation: it owns the journal under test and says which optional
// abilities (failing on purpose, surviving a reopen) the implementation has.
struct MemoryFixture {
    std::unique_ptr<Journal> journal = std::make_unique<MemoryJournal>();
    bool break_appends_at(const std::string&) { return false; }  // nothing can fail in memory
    void heal() {}
    bool reopen() { return false; }
};

struct SqliteFixture {
    TempDir dir;
    fs::path file = dir / "contract.souk";
    std::unique_ptr<Journal> journal = std::make_unique<SqliteJournal>(file);

    // A trigger makes SQLite itself fail half-way through a batch: the rows before the
    // poisoned one are already inserted and must be rolled back.
    bool break_appends_at(const std::string& poison) {
        SQLite::Database db(file, SQLite::OPEN_READWRITE);
        SQLite::Statement create(db, "CREATE TRIGGER poison BEFORE INSERT ON records WHEN CAST(NEW.record AS TEXT) = '" + poison +
                                         "' BEGIN SELECT RAISE(ABORT, 'poisoned record'); END");
        create.exec();
        return true;
    }
    void heal() {
        SQLite::Database db(file, SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER poison");
    }
    bool reopen() {
        journal.reset();
        journal = std::make_unique<SqliteJournal>(file);
        return true;
    }
};

struct FaultyFixture {
    std::unique_ptr<FaultyJournal> owned = std::make_unique<FaultyJournal>();
    FaultyJournal* faulty = owned.get();
    std::unique_ptr<Journal> journal = std::move(owned);
    bool break_appends_at(const std::string&) {
        faulty->arm();
        return true;
    }
    void heal() { faulty->disarm(); }
    bool reopen() { return false; }
};

}  // namespace

TYPE_TO_STRING_AS("memory", MemoryFixture);
TYPE_TO_STRING_AS("sqlite", SqliteFixture);
TYPE_TO_STRING_AS("faulty", FaultyFixture);

#define JOURNAL_FIXTURES MemoryFixture, SqliteFixture, FaultyFixture

TEST_CASE_TEMPLATE("journal contract: an empty journal ends at position 1", F, JOURNAL_FIXTURES) {
    F f;
    CHECK(f.journal->end_position() == 1);
    CHECK(read_all(*f.journal).empty());
    CHECK_FALSE(f.journal->describe().empty());
}

TEST_CASE_TEMPLATE("journal contract: records read back in order at consecutive positions", F, JOURNAL_FIXTURES) {
    F f;
    const auto records = sample_records();
    f.journal->append(1, std::span(records).first(3));
    CHECK(f.journal->end_position() == 4);
    f.journal->append(4, std::span(records).subspan(3));
    CHECK(f.journal->end_position() == 6);
    CHECK(read_all(*f.journal) == numbered(records));
}

TEST_CASE_TEMPLATE("journal contract: reading starts at the position asked for", F, JOURNAL_FIXTURES) {
    F f;
    const auto records = sample_records();
    f.journal->append(1, records);
    const auto all = numbered(records);
    CHECK(read_all(*f.journal, 4) == Stored(all.begin() + 3, all.end()));
    CHECK(read_all(*f.journal, 5).size() == 1);
    CHECK(read_all(*f.journal, 6).empty());
    CHECK(read_all(*f.journal, 1000).empty());
}

TEST_CASE_TEMPLATE("journal contract: the visitor stops the read, and the journal stays usable", F,
                   JOURNAL_FIXTURES) {
    F f;
    const auto records = sample_records();
    f.journal->append(1, records);
    std::vector<JournalPosition> seen;
    f.journal->read(2, [&](JournalPosition p, std::string_view) {
        seen.push_back(p);
        return seen.size() < 2;
    });
    CHECK(seen == std::vector<JournalPosition>{2, 3});

    // A visitor's own exception reaches the caller unchanged.
    CHECK_THROWS_AS(f.journal->read(1, [](JournalPosition, std::string_view) -> bool { throw std::logic_error("x"); }),
                    std::logic_error);

    const std::vector<std::string> more{"sixth"};
    f.journal->append(6, more);
    CHECK(read_all(*f.journal).size() == 6);
}

TEST_CASE_TEMPLATE("journal contract: appending anywhere but the end is a conflict that stores nothing", F,
                   JOURNAL_FIXTURES) {
    F f;
    const auto records = sample_records();
    f.journal->append(1, std::span(records).first(2));
    for (const JournalPosition wrong : {JournalPosition{0}, JournalPosition{1}, JournalPosition{2}, JournalPosition{4}})
        CHECK(error_of([&] { f.journal->append(wrong, std::span(records).subspan(2)); }) == Errc::conflict);
    CHECK(f.journal->end_position() == 3);
    CHECK(read_all(*f.journal) == numbered({records[0], records[1]}));
    f.journal->append(3, std::span(records).subspan(2));
    CHECK(read_all(*f.journal) == numbered(records));
}

TEST_CASE_TEMPLATE("journal contract: a failed append stores none of its records", F, JOURNAL_FIXTURES) {
    F f;
    const std::vector<std::string> before{"a", "b"};
    f.journal->append(1, before);
    const std::vector<std::string> batch{"c", "d", "poison", "e"};
    if (!f.break_appends_at("poison")) {
        MESSAGE("this journal has no way to fail an append");
        return;
    }
    CHECK(error_of([&] { f.journal->append(3, batch); }) == Errc::storage_failure);
    CHECK(f.journal->end_position() == 3);
    CHECK(read_all(*f.journal) == numbered(before));

    f.heal();
    f.journal->append(3, batch);
    CHECK(read_all(*f.journal, 3) == numbered(batch, 3));
}

TEST_CASE_TEMPLATE("journal contract: a reopened journal holds everything appended", F, JOURNAL_FIXTURES) {
    F f;
    const auto records = sample_records();
    f.journal->append(1, std::span(records).first(2));
    f.journal->append(3, std::span(records).subspan(2));
    if (!f.reopen()) {
        MESSAGE("this journal does not outlive its object");
        return;
    }
    CHECK(f.journal->end_position() == 6);
    CHECK(read_all(*f.journal) == numbered(records));
    const std::vector<std::string> more{"after reopen"};
    f.journal->append(6, more);
    CHECK(read_all(*f.journal, 6) == numbered(more, 6));
}

// The kernel reads (audit queries) while its group-commit leader appends.
TEST_CASE_TEMPLATE("journal contract: reads concurrent with appends see a consistent prefix", F, JOURNAL_FIXTURES) {
    F f;
    constexpr int batches = 150;
    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (int b = 0; b < batches; ++b) {
            const std::vector<std::string> batch{fmt::format("r{}", 2 * b + 1), fmt::format("r{}", 2 * b + 2)};
            f.journal->append(static_cast<JournalPosition>(2 * b + 1), batch);
        }
        done = true;
    });
    int reads = 0;
    bool consistent = true;
    while (!done || reads == 0) {
        ++reads;
        JournalPosition expected = 1;
        f.journal->read(1, [&](JournalPosition p, std::string_view bytes) {
            consistent = consistent && p == expected && bytes == fmt::format("r{}", p);
            ++expected;
            return true;
        });
        consistent = consistent && expected % 2 == 1;  // whole batches only
    }
    writer.join();
    CHECK(consistent);
    CHECK(f.journal->end_position() == 2 * batches + 1);
}

// ---------------------------------------------------------------------------------------
// SqliteJournal: what it does with files that are not (healthy) souk journals.

namespace {

void write_file(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string out(n, '\0');
    for (auto& c : out) c = static_cast<char>(rng());
    return out;
}

// SQLite's side files: none may be left behind next to a file we refused.
bool has_side_files(const fs::path& path) {
    for (const char* suffix : {"-wal", "-shm", "-journal"})
        if (fs::exists(path.string() + suffix)) return true;
    return false;
}

// A closed journal with `n` records of about 1 KB, so that the file spans many pages.
void make_journal(const fs::path& path, int n) {
    SqliteJournal journal(path);
    std::vector<std::string> records;
    for (int i = 0; i < n; ++i) records.push_back(fmt::format("{:04}", i) + std::string(1000, 'r'));
    journal.append(1, records);
}

std::optional<Errc> open_and_read(const fs::path& path, SqliteJournalOptions options = {}) {
    return error_of([&] {
        SqliteJournal journal(path, options);
        read_all(journal);
    });
}

void set_meta(const fs::path& path, const std::string& key, const std::string& value) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    SQLite::Statement update(db, "UPDATE meta SET value = ? WHERE key = ?");
    update.bind(1, value);
    update.bind(2, key);
    REQUIRE(update.exec() == 1);
}

}  // namespace

TEST_CASE("sqlite journal: a file of random bytes is a foreign file, left untouched") {
    TempDir dir;
    const auto file = dir / "random.bin";
    const auto bytes = random_bytes(10000, 1);
    write_file(file, bytes);
    CHECK(open_and_read(file) == Errc::foreign_file);
    write_file(file, "SQLite");  // a prefix of the magic is not enough
    CHECK(open_and_read(file) == Errc::foreign_file);
    CHECK(file_bytes(file) == "SQLite");
    CHECK_FALSE(has_side_files(file));
    CHECK(open_and_read(dir.path()) == Errc::foreign_file);  // a directory
}

TEST_CASE("sqlite journal: another program's SQLite database is a foreign file, left untouched") {
    TempDir dir;
    const auto file = dir / "other.db";
    SUBCASE("unrelated tables") {
        SQLite::Database db(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ann'), ('bob')");
    }
    SUBCASE("a meta table of its own") {
        SQLite::Database db(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE meta (setting TEXT, value TEXT)");
    }
    SUBCASE("a key-value meta table that does not say souk-journal") {
        SQLite::Database db(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('format', 'photos')");
    }
    const auto before = file_bytes(file);
    CHECK(open_and_read(file) == Errc::foreign_file);
    CHECK(open_and_read(file, {.create_if_missing = false}) == Errc::foreign_file);
    CHECK(file_bytes(file) == before);
    CHECK_FALSE(has_side_files(file));
    SQLite::Database db(file, SQLite::OPEN_READONLY);
    CHECK_FALSE(db.tableExists("records"));
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "delete");
}

TEST_CASE("sqlite journal: a journal from a newer souk is refused with unsupported_version") {
    TempDir dir;
    const auto file = dir / "newer.souk";
    make_journal(file, 3);
    set_meta(file, "schema_version", "2");
    const auto before = file_bytes(file);
    CHECK(open_and_read(file) == Errc::unsupported_version);
    CHECK(file_bytes(file) == before);
}

TEST_CASE("sqlite journal: damaged metadata is corrupt_journal") {
    TempDir dir;
    const auto file = dir / "damaged.souk";
    make_journal(file, 3);
    SUBCASE("version zero") { set_meta(file, "schema_version", "0"); }
    SUBCASE("version not a number") { set_meta(file, "schema_version", "1x"); }
    SUBCASE("version missing") {
        SQLite::Database db(file, SQLite::OPEN_READWRITE);
        db.exec("DELETE FROM meta WHERE key = 'schema_version'");
    }
    SUBCASE("records table missing") {
        SQLite::Database db(file, SQLite::OPEN_READWRITE);
        db.exec("DROP TABLE records");
    }
    CHECK(open_and_read(file) == Errc::corrupt_journal);
}

TEST_CASE("sqlite journal: a truncated or garbled file is reported, never crashes") {
    TempDir dir;
    const auto file = dir / "broken.souk";
    make_journal(file, 200);
    CHECK_FALSE(has_side_files(file));  // closing checkpointed everything into the file
    const auto healthy = file_bytes(file);
    REQUIRE(healthy.size() > 100000);

    SUBCASE("truncated to half") {
        write_file(file, healthy.substr(0, healthy.size() / 2));
        CHECK(open_and_read(file) == Errc::corrupt_journal);
    }
    SUBCASE("truncated inside the first page") {
        write_file(file, healthy.substr(0, 1000));
        CHECK(open_and_read(file) == Errc::corrupt_journal);
    }
    SUBCASE("garbage after the header") {
        write_file(file, healthy.substr(0, 100) + random_bytes(healthy.size() - 100, 2));
        CHECK(open_and_read(file) == Errc::corrupt_journal);
    }
    SUBCASE("garbage in the header") {
        write_file(file, random_bytes(100, 3) + healthy.substr(100));
        CHECK(open_and_read(file) == Errc::foreign_file);
    }
    SUBCASE("random damage anywhere is either detected or harmless") {
        // Damage inside a record's bytes is invisible to SQLite (the kernel's checksum catches
        // it); damage to the b-tree must be reported as a journal error, never as a crash.
        std::mt19937 rng(4);
        for (int round = 0; round < 30; ++round) {
            auto damaged = healthy;
            for (int k = 0; k < 8; ++k) damaged[100 + rng() % (damaged.size() - 100)] = static_cast<char>(rng());
            write_file(file, damaged);
            try {
                SqliteJournal journal(file);
                read_all(journal);
            } catch (const Error& e) {
                // Damage that happens to hit the meta values reads as another file or version.
                const auto code = e.code();
                CHECK_MESSAGE((code == Errc::corrupt_journal || code == Errc::foreign_file ||
                               code == Errc::unsupported_version),
                              e.what());
            }
            fs::remove(file.string() + "-wal");
            fs::remove(file.string() + "-shm");
        }
    }
}

TEST_CASE("sqlite journal: missing files, empty files and create_if_missing") {
    TempDir dir;
    const auto file = dir / "missing.souk";
    CHECK(error_of([&] { SqliteJournal(file, {.create_if_missing = false}); }) == Errc::storage_failure);
    CHECK_FALSE(fs::exists(file));
    CHECK(error_of([&] { SqliteJournal(dir / "no-such-dir" / "x.souk"); }) == Errc::storage_failure);

    // An empty file holds nothing to lose: it becomes a journal (e.g. one made by mkstemp).
    write_file(file, "");
    CHECK(error_of([&] { SqliteJournal(file, {.create_if_missing = false}); }) == Errc::storage_failure);
    SqliteJournal journal(file);
    CHECK(journal.end_position() == 1);
    CHECK(journal.describe() == "sqlite:" + file.string());
    CHECK(journal.path() == file);
}

TEST_CASE("sqlite journal: the file is a WAL-mode souk journal") {
    TempDir dir;
    const auto file = dir / "layout.souk";
    SqliteJournal journal(file, {.durability = SqliteJournalOptions::Durability::normal});
    const std::vector<std::string> records{"one"};
    journal.append(1, records);
    SQLite::Database db(file, SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(db.execAndGet("SELECT value FROM meta WHERE key = 'format'").getString() == "souk-journal");
    CHECK(db.execAndGet("SELECT value FROM meta WHERE key = 'schema_version'").getString() == "1");
    CHECK(db.execAndGet("SELECT record FROM records WHERE position = 1").getString() == "one");
}

TEST_CASE("sqlite journal: an append that cannot get the write lock fails and stores nothing") {
    TempDir dir;
    const auto file = dir / "locked.souk";
    SqliteJournal journal(file, {.busy_timeout = std::chrono::milliseconds(50)});
    const std::vector<std::string> records{"a", "b"};
    {
        SQLite::Database other(file, SQLite::OPEN_READWRITE);
        other.exec("BEGIN IMMEDIATE");
        CHECK(error_of([&] { journal.append(1, records); }) == Errc::storage_failure);
        CHECK(journal.end_position() == 1);
    }
    journal.append(1, records);
    CHECK(read_all(journal) == numbered(records));
}

TEST_CASE("sqlite journal: two writers on one file see each other's appends as conflicts") {
    TempDir dir;
    const auto file = dir / "shared.souk";
    SqliteJournal first(file);
    SqliteJournal second(file);
    const std::vector<std::string> a{"from first"};
    const std::vector<std::string> b{"from second"};
    first.append(1, a);
    CHECK(error_of([&] { second.append(1, b); }) == Errc::conflict);
    CHECK(second.end_position() == 2);
    second.append(2, b);
    CHECK(read_all(first) == Stored{{1, "from first"}, {2, "from second"}});
}
