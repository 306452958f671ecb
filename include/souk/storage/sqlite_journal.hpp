// souk — the default journal: one SQLite file in WAL mode.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "souk/journal.hpp"

namespace souk {

struct SqliteJournalOptions {
    // full: every append is on disk when it returns (survives power loss).
    // normal: an append survives a crash of the process but the last few may be lost on
    // power loss; appends are much cheaper because SQLite syncs only at WAL checkpoints.
    enum class Durability { full, normal } durability = Durability::full;
    // When false, a missing file is an error (storage_failure) instead of a new journal.
    bool create_if_missing = true;
    // How long an append waits for another process that holds the file's write lock
    // before failing with storage_failure.
    std::chrono::milliseconds busy_timeout{5000};
};

// A journal stored in a SQLite database file (schema in docs/journal-format.md).
//
// Opening checks that the file really is a souk journal and never changes a file that is
// not: a non-SQLite file, a directory or another program's database gives
// Error(foreign_file), a journal from a newer souk Error(unsupported_version), a damaged one
// Error(corrupt_journal), a path that cannot be opened or created Error(storage_failure). An empty file or an empty database is adopted.
//
// append may run concurrently with read and end_position (reads use their own connections
// and see the records committed when they start). Several processes may open one file;
// the write lock and the position check inside the append transaction keep it consistent,
// and a writer that lost the race gets Error(conflict).
class SqliteJournal final : public Journal {
public:
    explicit SqliteJournal(std::filesystem::path path, SqliteJournalOptions options = {});
    ~SqliteJournal() override;
    SqliteJournal(const SqliteJournal&) = delete;
    SqliteJournal& operator=(const SqliteJournal&) = delete;

    void append(JournalPosition first, std::span<const std::string> records) override;
    void read(JournalPosition from, const std::function<bool(JournalPosition, std::string_view)>& visit) const override;
    JournalPosition end_position() const override;
    std::string describe() const override;

    const std::filesystem::path& path() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace souk
