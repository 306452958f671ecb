// A journal that fails on command: the fault-injection double for storage tests.
#pragma once

#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "souk/error.hpp"
#include "souk/journal.hpp"
#include "souk/storage/memory_journal.hpp"

namespace souk::test {

// Wraps another journal and forwards to it, except that chosen appends (and, when asked,
// reads) throw Error(storage_failure) without reaching the inner journal, so a failed append
// stores nothing, exactly as the Journal contract requires of a real failure.
//
// Tests typically keep a raw pointer to it after handing the unique_ptr to a Marketplace,
// then arm it between commands. Thread-safe.
class FaultyJournal final : public Journal {
public:
    explicit FaultyJournal(std::unique_ptr<Journal> inner = std::make_unique<MemoryJournal>())
        : inner_(std::move(inner)) {}

    // The n-th append from now fails (1: the next one); the others go through.
    void fail_nth_append(int n) {
        std::lock_guard lock(mutex_);
        countdown_ = n;
    }
    // Every append fails until disarm().
    void arm() {
        std::lock_guard lock(mutex_);
        armed_ = true;
    }
    // Stops every injected failure, pending ones included.
    void disarm() {
        std::lock_guard lock(mutex_);
        armed_ = false;
        countdown_ = 0;
        reads_fail_ = false;
    }
    // While on, reads fail too (a journal that cannot even be read back).
    void fail_reads(bool on) {
        std::lock_guard lock(mutex_);
        reads_fail_ = on;
    }
    int appends() const {
        std::lock_guard lock(mutex_);
        return appends_;
    }
    int failed_appends() const {
        std::lock_guard lock(mutex_);
        return failed_appends_;
    }
    Journal& inner() { return *inner_; }

    void append(JournalPosition first, std::span<const std::string> records) override {
        if (should_fail_append())
            throw Error(Errc::storage_failure, fmt::format("injected append failure at position {}", first));
        inner_->append(first, records);
    }
    void read(JournalPosition from,
              const std::function<bool(JournalPosition, std::string_view)>& visit) const override {
        {
            std::lock_guard lock(mutex_);
            if (reads_fail_) throw Error(Errc::storage_failure, "injected read failure");
        }
        inner_->read(from, visit);
    }
    JournalPosition end_position() const override { return inner_->end_position(); }
    std::string describe() const override { return "faulty:" + inner_->describe(); }

private:
    bool should_fail_append() {
        std::lock_guard lock(mutex_);
        ++appends_;
        const bool fail = armed_ || (countdown_ > 0 && --countdown_ == 0);
        if (fail) ++failed_appends_;
        return fail;
    }

    std::unique_ptr<Journal> inner_;
    mutable std::mutex mutex_;
    bool armed_ = false;
    bool reads_fail_ = false;
    int countdown_ = 0;
    int appends_ = 0;
    int failed_appends_ = 0;
};

}  // namespace souk::test
