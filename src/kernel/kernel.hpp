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
//
// A thread that opens DeferredDurability has its commands return as soon as they are applied,
// without waiting: it keeps many commands in flight, a flusher thread appends them in the
// background, and DeferredDurability::wait reports whether all of them were stored.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/state.hpp"
#include "souk/audit.hpp"
#include "souk/clock.hpp"
#include "souk/journal.hpp"

namespace souk::detail {

class Kernel;

// Where a command's record stands in the journal: recovery after a failed append reuses
// positions, so a position is only meaningful together with the generation it was given in.
struct CommitTicket {
    std::uint64_t generation = 0;
    JournalPosition position = 0;
};

// Commands of the opening thread on `kernel` return once applied, while this is open; wait()
// returns once every one of them is durable, or throws Error(storage_failure) if any was not
// stored. Open one per thread at a time; wait() may be called from any thread.
class DeferredDurability {
public:
    explicit DeferredDurability(Kernel& kernel);
    ~DeferredDurability();
    DeferredDurability(const DeferredDurability&) = delete;
    DeferredDurability& operator=(const DeferredDurability&) = delete;

    void wait();
    // Commands run since the last wait() (or since opening).
    std::size_t unwaited() const;

    // What a thread's commands consult: shared with the thread, which may outlive this object.
    struct Scope {
        Kernel* kernel = nullptr;
        std::atomic<bool> open{true};
        mutable std::mutex mutex;
        std::vector<CommitTicket> tickets;  // the newest per generation, oldest generation first
        std::size_t unwaited = 0;
        void note(CommitTicket ticket);
    };

private:
    Kernel& kernel_;
    std::shared_ptr<Scope> scope_;
};

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

    // Waits until the ticket's record is durable; throws Error(storage_failure) if it was not stored.
    void wait_durable(CommitTicket ticket);

private:
    friend class DeferredDurability;
    // How a record reaches apply_record: from the journal (checksum verified) or just encoded.
    enum class Origin { journal, this_command };
    // What ended a generation: the last position stored before the failed append, and why it failed.
    struct Failure {
        JournalPosition stored_through = 0;
        std::string reason;
    };

    void finish(std::unique_lock<std::mutex>& writer, const EventSink& sink);
    CommitTicket publish(std::string record);
    void flush_as_leader(std::unique_lock<std::mutex>& commit_lock);
    void start_flusher();
    void run_flusher();
    void recover_if_failed();
    void replay();
    void apply_record(std::string_view bytes, JournalPosition position, Origin origin);

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
    std::uint64_t generation_ = 0;        // recoveries so far
    std::vector<Failure> generation_end_;  // by generation, for every generation that ended

    // The background flusher of deferred commands, started by the first DeferredDurability.
    std::condition_variable flusher_cv_;
    std::thread flusher_;
    bool stopping_ = false;
};

}  // namespace souk::detail
