// The kernel: the one place where commands become events, events become durable, and
// durable events become state.
//
// Writers are serialized by writer_mutex_: a command validates against the state, its
// events are encoded into a record, applied, and queued for the journal; the command then
// waits, without the writer lock, until its record is durable. Whichever waiting command
// finds no flush under way becomes the leader and appends every queued record in one
// journal call (group commit), so concurrent commands share one transaction and one fsync.
// Queries take a shared lock and copy what they return.
//
// If the journal fails, every command whose record was not stored gets storage_failure,
// and the next command first rebuilds the state from the journal, so nothing that was not
// acknowledged survives in memory.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/state.hpp"
#include "souk/audit.hpp"
#include "souk/clock.hpp"
#include "souk/journal.hpp"

namespace souk::detail {

class Kernel {
public:
    // Opens over `journal`, replaying every record in it. Throws Error(corrupt_journal) or
    // Error(unsupported_version) if any record cannot be read; nothing is half-loaded.
    Kernel(std::unique_ptr<Journal> journal, std::shared_ptr<const Clock> clock);
    ~Kernel();
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    // Runs `decide(const State&, EventSink&) -> R` under the writer lock. If decide throws,
    // nothing changed. Otherwise its events are applied and made durable before returning R.
    template <class Decide>
    auto execute(const Actor& actor, Decide&& decide) {
        using Result = std::invoke_result_t<Decide, const State&, EventSink&>;
        std::unique_lock writer(writer_mutex_);
        recover_if_failed();
        EventSink sink(actor, clock_->now());
        if constexpr (std::is_void_v<Result>) {
            decide(static_cast<const State&>(state_), sink);
            finish(writer, sink);
        } else {
            Result result = decide(static_cast<const State&>(state_), sink);
            finish(writer, sink);
            return result;
        }
    }

    // Runs `query(const State&)` under a shared lock. The query must return values, not
    // references into the state.
    template <class Query>
    auto read(Query&& query) const {
        std::shared_lock lock(state_mutex_);
        return query(static_cast<const State&>(state_));
    }

    Timestamp now() const { return clock_->now(); }
    const Clock& clock() const { return *clock_; }
    const Journal& journal() const { return *journal_; }
    // The position of the last durable record.
    JournalPosition durable_position() const;

    // The audit trail of one entity, oldest first, read back from the journal.
    std::vector<AuditEntry> audit(EntityRef entity) const;

private:
    void finish(std::unique_lock<std::mutex>& writer, const EventSink& sink);
    JournalPosition publish(std::string record);
    void wait_durable(JournalPosition position);
    void flush_as_leader(std::unique_lock<std::mutex>& commit_lock);
    void recover_if_failed();
    void replay();
    void apply_record(std::string_view bytes, JournalPosition position);

    std::unique_ptr<Journal> journal_;
    std::shared_ptr<const Clock> clock_;

    std::mutex writer_mutex_;
    mutable std::shared_mutex state_mutex_;
    State state_;
    JournalPosition next_position_ = 1;

    // Group commit: guarded by commit_mutex_.
    mutable std::mutex commit_mutex_;
    std::condition_variable commit_cv_;
    std::vector<std::string> queued_;
    JournalPosition queued_first_ = 1;
    JournalPosition durable_ = 0;
    bool flushing_ = false;
    int waiters_ = 0;  // threads inside wait_durable
    std::atomic<bool> failed_{false};
    std::string failure_;
};

}  // namespace souk::detail
