// souk — a journal that lives in memory: for tests, benchmarks and throw-away marketplaces.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "souk/journal.hpp"

namespace souk {

// Keeps every record in a vector. Nothing survives the process. Thread-safe.
class MemoryJournal final : public Journal {
public:
    void append(JournalPosition first, std::span<const std::string> records) override;
    void read(JournalPosition from, const std::function<bool(JournalPosition, std::string_view)>& visit) const override;
    JournalPosition end_position() const override;
    std::string describe() const override { return "memory"; }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> records_;
};

}  // namespace souk
