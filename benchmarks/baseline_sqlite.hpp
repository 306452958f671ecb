// The database every conventional SQLite baseline writes to: configured like souk's own
// SQLite journal, so that the comparison is durable write against durable write.
#pragma once

#include <filesystem>
#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>

namespace souk::bench {

// A new database at `path` in WAL mode with synchronous=FULL.
inline SQLite::Database open_baseline_database(const std::filesystem::path& path) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    if (db.execAndGet("PRAGMA journal_mode = WAL").getString() != "wal")
        throw std::runtime_error("the file system does not support SQLite's WAL mode");
    db.exec("PRAGMA synchronous = FULL");
    return db;
}

}  // namespace souk::bench
