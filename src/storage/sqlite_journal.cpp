#include "souk/storage/sqlite_journal.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <fstream>
#include <mutex>
#include <optional>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include "souk/error.hpp"

namespace souk {
namespace {

namespace fs = std::filesystem;

// Layout version of the tables below (docs/journal-format.md). Bump it only together with a
// migration; a file with a larger number was written by a newer souk and is refused.
constexpr int schema_version = 1;
constexpr std::string_view format_name = "souk-journal";
constexpr std::string_view sqlite_header{"SQLite format 3\0", 16};

constexpr const char* schema_sql = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE records (position INTEGER PRIMARY KEY, record BLOB NOT NULL);
INSERT INTO meta (key, value) VALUES ('format', 'souk-journal'), ('schema_version', '1');
)sql";
constexpr const char* select_sql = "SELECT position, record FROM records WHERE position >= ? ORDER BY position";
constexpr const char* end_sql = "SELECT coalesce(max(position), 0) + 1 FROM records";
constexpr const char* insert_sql = "INSERT INTO records (position, record) VALUES (?, ?)";
// Idle read connections kept for reuse; more are opened when more threads read at once.
constexpr std::size_t max_idle_readers = 8;

[[noreturn]] void fail(Errc code, const fs::path& path, std::string_view why) {
    throw Error(code, fmt::format("sqlite journal {}: {}", path.string(), why));
}

// A damaged file shows up as SQLITE_CORRUPT or SQLITE_NOTADB; everything else (I/O, locks,
// permissions, a full disk) is a failure of the storage, not of the journal's content.
Errc errc_of(const SQLite::Exception& e) {
    const int primary = e.getErrorCode() & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ? Errc::corrupt_journal : Errc::storage_failure;
}

// Runs f, turning SQLiteCpp exceptions into souk errors. `always` forces the code (appends
// report storage_failure whatever went wrong, as the Journal contract says).
template <class F>
auto translated(const fs::path& path, std::string_view doing, F&& f, std::optional<Errc> always = {}) {
    try {
        return f();
    } catch (const SQLite::Exception& e) {
        fail(always.value_or(errc_of(e)), path, fmt::format("{}: {}", doing, e.what()));
    }
}

enum class FileKind { missing, empty, sqlite, foreign };

// Looks at the first bytes before SQLite touches the file, so that a foreign file is
// recognized without opening (and possibly changing) it.
FileKind classify_file(const fs::path& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) return FileKind::missing;
    if (ec) fail(Errc::storage_failure, path, ec.message());
    if (!fs::is_regular_file(status)) return FileKind::foreign;
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(Errc::storage_failure, path, "cannot be read");
    char header[sqlite_header.size()];
    in.read(header, sizeof header);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) return FileKind::empty;
    return std::string_view(header, got) == sqlite_header ? FileKind::sqlite : FileKind::foreign;
}

enum class Content { empty, journal, foreign };

bool has_any_schema(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT count(*) FROM sqlite_master");
    q.executeStep();
    return q.getColumn(0).getInt64() > 0;
}

// A meta value, or nullopt if the key is absent. A `meta` table without our columns is
// someone else's table: reported as a foreign file.
std::optional<std::string> meta_value(SQLite::Database& db, const fs::path& path, const char* key) {
    std::optional<SQLite::Statement> q;
    try {
        q.emplace(db, "SELECT value FROM meta WHERE key = ?");
    } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xff) != SQLITE_ERROR) throw;
        fail(Errc::foreign_file, path, "has a meta table that is not souk's");
    }
    q->bind(1, key);
    if (!q->executeStep()) return std::nullopt;
    return q->getColumn(0).getString();
}

void check_schema_version(const std::optional<std::string>& text, const fs::path& path) {
    int version = 0;
    const bool parsed = text && std::from_chars(text->data(), text->data() + text->size(), version).ptr ==
                                    text->data() + text->size();
    if (!parsed) fail(Errc::corrupt_journal, path, "has no valid schema_version");
    if (version > schema_version)
        fail(Errc::unsupported_version, path,
             fmt::format("schema version {} is newer than this souk understands ({})", version, schema_version));
    if (version < 1) fail(Errc::corrupt_journal, path, fmt::format("unknown schema version {}", version));
}

// What the database holds. Throws for a souk journal that cannot be used.
Content inspect(SQLite::Database& db, const fs::path& path) {
    if (!db.tableExists("meta")) return has_any_schema(db) ? Content::foreign : Content::empty;
    if (meta_value(db, path, "format") != format_name) return Content::foreign;
    check_schema_version(meta_value(db, path, "schema_version"), path);
    try {
        SQLite::Statement probe(db, "SELECT position, record FROM records LIMIT 0");
    } catch (const SQLite::Exception& e) {
        fail(Errc::corrupt_journal, path, fmt::format("records table is damaged: {}", e.what()));
    }
    return Content::journal;
}

// Creates the tables in an empty database. Re-inspects under the write lock, because another
// process may have initialized the same file since we looked.
void initialize(SQLite::Database& db, const fs::path& path) {
    SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
    switch (inspect(db, path)) {
    case Content::journal: return;
    case Content::foreign: fail(Errc::foreign_file, path, "is not a souk journal");
    case Content::empty: break;
    }
    db.exec(schema_sql);
    txn.commit();
}

// WAL lets readers run while an append commits. Changing the journal mode rewrites the file
// header, which is why it happens only once the file is known to be ours.
void configure(SQLite::Database& db, const fs::path& path, SqliteJournalOptions::Durability durability) {
    SQLite::Statement mode(db, "PRAGMA journal_mode = WAL");
    mode.executeStep();
    if (mode.getColumn(0).getString() != "wal")
        fail(Errc::storage_failure, path, "the file system does not support SQLite's WAL mode");
    db.exec(durability == SqliteJournalOptions::Durability::full ? "PRAGMA synchronous = FULL"
                                                                   : "PRAGMA synchronous = NORMAL");
}

int busy_ms(const SqliteJournalOptions& options) {
    return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(options.busy_timeout.count(), 0, INT_MAX));
}

SQLite::Database open_writer(const fs::path& path, const SqliteJournalOptions& options) {
    const FileKind kind = classify_file(path);
    if (kind == FileKind::foreign) fail(Errc::foreign_file, path, "is not a SQLite database");
    if (kind == FileKind::missing && !options.create_if_missing) fail(Errc::storage_failure, path, "does not exist");
    return translated(path, "cannot open", [&] {
        const int flags = SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX |
                          (kind == FileKind::missing ? SQLite::OPEN_CREATE : 0);
        SQLite::Database db(path, flags, busy_ms(options));
        switch (inspect(db, path)) {
        case Content::journal: break;
        case Content::foreign: fail(Errc::foreign_file, path, "is a SQLite database but not a souk journal");
        case Content::empty:
            if (!options.create_if_missing) fail(Errc::storage_failure, path, "contains no journal");
            initialize(db, path);
        }
        configure(db, path, options.durability);
        return db;
    });
}

std::int64_t query_end(SQLite::Statement& end) {
    end.tryReset();
    end.executeStep();
    const auto value = end.getColumn(0).getInt64();
    end.tryReset();
    return value;
}

struct ReadConnection {
    ReadConnection(const fs::path& path, int busy_timeout_ms)
        : db(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, busy_timeout_ms), select(db, select_sql),
          end(db, end_sql) {}
    SQLite::Database db;
    SQLite::Statement select;
    SQLite::Statement end;
};

}  // namespace

struct SqliteJournal::Impl {
    Impl(fs::path p, SqliteJournalOptions o)
        : path(std::move(p)), options(o), writer(open_writer(path, options)), begin(writer, "BEGIN IMMEDIATE"),
          commit(writer, "COMMIT"), rollback(writer, "ROLLBACK"), end(writer, end_sql), insert(writer, insert_sql) {}

    // Ends a write transaction: rolls back unless committed, so a failed append stores nothing.
    class Transaction {
    public:
        explicit Transaction(Impl& impl) : impl_(impl) { run(impl_.begin); }
        ~Transaction() {
            // SQLite rolls back by itself after some errors (a full disk, I/O); only roll back
            // a transaction that is still open.
            if (committed_ || sqlite3_get_autocommit(impl_.writer.getHandle())) return;
            impl_.rollback.tryReset();
            impl_.rollback.tryExecuteStep();
            impl_.rollback.tryReset();
        }
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit() {
            run(impl_.commit);
            committed_ = true;
        }

    private:
        static void run(SQLite::Statement& s) {
            s.tryReset();
            s.exec();
            s.tryReset();
        }
        Impl& impl_;
        bool committed_ = false;
    };

    void append(JournalPosition first, std::span<const std::string> records) {
        Transaction txn(*this);
        // Checked inside the write lock, so another process appending to the same file is seen.
        if (const auto stored_end = static_cast<JournalPosition>(query_end(end)); first != stored_end)
            throw Error(Errc::conflict,
                        fmt::format("append at position {} but the journal ends at {}", first, stored_end));
        for (std::size_t i = 0; i < records.size(); ++i) insert_record(first + i, records[i]);
        txn.commit();
    }

    void insert_record(JournalPosition position, const std::string& record) {
        if (record.size() > static_cast<std::size_t>(INT_MAX))
            fail(Errc::storage_failure, path, fmt::format("record {} is too large ({} bytes)", position, record.size()));
        insert.tryReset();
        insert.bind(1, static_cast<std::int64_t>(position));
        insert.bindNoCopy(2, record.data(), static_cast<int>(record.size()));
        insert.exec();
    }

    // Read connections are leased, one per concurrent read, so reads never wait for an
    // append (or for each other) and a visitor may itself read.
    struct Lease {
        Impl& impl;
        std::unique_ptr<ReadConnection> connection;
        ~Lease() {
            connection->select.tryReset();  // ends the read transaction even if the visitor threw
            impl.give_back(std::move(connection));
        }
    };

    Lease lease() { return Lease{*this, take_idle()}; }

    std::unique_ptr<ReadConnection> take_idle() {
        {
            std::lock_guard lock(pool_mutex);
            if (!idle.empty()) {
                auto connection = std::move(idle.back());
                idle.pop_back();
                return connection;
            }
        }
        return std::make_unique<ReadConnection>(path, busy_ms(options));
    }

    void give_back(std::unique_ptr<ReadConnection> connection) {
        std::lock_guard lock(pool_mutex);
        if (idle.size() < max_idle_readers) idle.push_back(std::move(connection));
    }

    fs::path path;
    SqliteJournalOptions options;
    SQLite::Database writer;
    SQLite::Statement begin, commit, rollback, end, insert;
    std::mutex write_mutex;
    std::mutex pool_mutex;
    std::vector<std::unique_ptr<ReadConnection>> idle;
};

SqliteJournal::SqliteJournal(fs::path path, SqliteJournalOptions options)
    : impl_(std::make_unique<Impl>(std::move(path), options)) {}

SqliteJournal::~SqliteJournal() = default;

void SqliteJournal::append(JournalPosition first, std::span<const std::string> records) {
    std::lock_guard lock(impl_->write_mutex);
    translated(impl_->path, "append failed", [&] { impl_->append(first, records); }, Errc::storage_failure);
}

void SqliteJournal::read(JournalPosition from,
                         const std::function<bool(JournalPosition, std::string_view)>& visit) const {
    const auto lease = translated(impl_->path, "cannot read", [&] { return impl_->lease(); });
    auto& select = lease.connection->select;
    translated(impl_->path, "cannot read", [&] {
        select.bind(1, static_cast<std::int64_t>(std::max<JournalPosition>(from, 1)));
        for (;;) {
            if (const int rc = select.tryExecuteStep(); rc != SQLITE_ROW) {
                if (rc == SQLITE_DONE) return;
                throw SQLite::Exception(select.getErrorMsg(), rc);
            }
            const auto record = select.getColumn(1);
            const auto* data = static_cast<const char*>(record.getBlob());
            const std::string_view bytes(data, data ? static_cast<std::size_t>(record.getBytes()) : 0);
            if (!visit(static_cast<JournalPosition>(select.getColumn(0).getInt64()), bytes)) return;
        }
    });
}

JournalPosition SqliteJournal::end_position() const {
    return translated(impl_->path, "cannot read", [&] {
        auto lease = impl_->lease();
        return static_cast<JournalPosition>(query_end(lease.connection->end));
    });
}

std::string SqliteJournal::describe() const { return "sqlite:" + impl_->path.string(); }

const fs::path& SqliteJournal::path() const { return impl_->path; }

}  // namespace souk
