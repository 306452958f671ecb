// souk — the Journal port: where events become durable.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace souk {

// Position of a record in a journal; the first record is at position 1. A record is the
// encoded events of one command (see docs/journal-format.md); the journal treats it as bytes.
using JournalPosition = std::uint64_t;

// The storage contract every journal implements (MemoryJournal, SqliteJournal, or the
// host's own). The engine calls append from one thread at a time; read and end_position
// may be called concurrently with each other but not with append.
class Journal {
public:
    virtual ~Journal() = default;

    // Appends `records` at positions first, first+1, ... atomically and durably: when it
    // returns, all are stored and survive a crash; when it throws, none is. `first` must equal
    // end_position(); otherwise throws Error(conflict) (another writer appended meanwhile).
    // Storage errors throw Error(storage_failure).
    virtual void append(JournalPosition first, std::span<const std::string> records) = 0;

    // Calls visit(position, bytes) for each record at or after `from`, in order, until visit
    // returns false or the journal ends. The bytes are valid only during the call.
    virtual void read(JournalPosition from,
                      const std::function<bool(JournalPosition, std::string_view)>& visit) const = 0;

    // The position the next appended record will get (1 for an empty journal).
    virtual JournalPosition end_position() const = 0;

    // A short description for messages and benchmarks ("memory", "sqlite:/path/file.souk").
    virtual std::string describe() const = 0;
};

}  // namespace souk
