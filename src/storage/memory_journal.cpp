#include "souk/storage/memory_journal.hpp"

#include <fmt/format.h>

#include "souk/error.hpp"

namespace souk {

void MemoryJournal::append(JournalPosition first, std::span<const std::string> records) {
    std::lock_guard lock(mutex_);
    if (first != records_.size() + 1)
        throw Error(Errc::conflict, fmt::format("append at position {} but the journal ends at {}", first,
                                                records_.size() + 1));
    records_.insert(records_.end(), records.begin(), records.end());
}

void MemoryJournal::read(JournalPosition from,
                         const std::function<bool(JournalPosition, std::string_view)>& visit) const {
    // Records are never modified once appended, so reading them after copying the bound
    // is safe as long as the vector is not reallocated: hold the lock while visiting.
    std::lock_guard lock(mutex_);
    for (JournalPosition p = from == 0 ? 1 : from; p <= records_.size(); ++p)
        if (!visit(p, records_[p - 1])) return;
}

JournalPosition MemoryJournal::end_position() const {
    std::lock_guard lock(mutex_);
    return records_.size() + 1;
}

}  // namespace souk
