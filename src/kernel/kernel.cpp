#include "kernel/kernel.hpp"

#include <cassert>

#include <fmt/format.h>

#include "kernel/record.hpp"
#include "kernel/registry.hpp"

namespace souk::detail {
namespace {

// The deferral the calling thread has open, if any.
thread_local std::shared_ptr<DeferredDurability::Scope> deferring;

// Deferred commands wake the flusher once per this many records; fewer wait at most the
// gathering time before the flusher stores them.
constexpr JournalPosition flusher_wake_interval = 32;
constexpr auto flusher_gather_time = std::chrono::microseconds(500);

}  // namespace

void DeferredDurability::Scope::note(CommitTicket ticket) {
    std::lock_guard lock(mutex);
    if (tickets.empty() || tickets.back().generation != ticket.generation)
        tickets.push_back(ticket);
    else
        tickets.back().position = ticket.position;
    ++unwaited;
}

DeferredDurability::DeferredDurability(Kernel& kernel) : kernel_(kernel) {
    if (deferring && deferring->open)
        throw Error(Errc::invalid_state, "this thread already has a pipeline open: close it before opening another");
    scope_ = std::make_shared<Scope>();
    scope_->kernel = &kernel;
    kernel.start_flusher();
    deferring = scope_;
}

DeferredDurability::~DeferredDurability() {
    scope_->open = false;
    if (deferring == scope_) deferring.reset();
    kernel_.flusher_cv_.notify_one();  // what is left queued is stored without waiting for more
}

void DeferredDurability::wait() {
    std::vector<CommitTicket> tickets;
    {
        std::lock_guard lock(scope_->mutex);
        tickets.swap(scope_->tickets);
        scope_->unwaited = 0;
    }
    for (const auto& ticket : tickets) kernel_.wait_durable(ticket);
}

std::size_t DeferredDurability::unwaited() const {
    std::lock_guard lock(scope_->mutex);
    return scope_->unwaited;
}

Kernel::Kernel(std::unique_ptr<Journal> journal, std::shared_ptr<const Clock> clock)
    : journal_(std::move(journal)), clock_(std::move(clock)) {
    if (!journal_) throw Error(Errc::invalid_argument, "a marketplace needs a journal");
    if (!clock_) throw Error(Errc::invalid_argument, "a marketplace needs a clock");
    replay();
    next_position_ = state_.applied_position + 1;
    durable_ = state_.applied_position;
    queued_first_ = next_position_;
}

Kernel::~Kernel() {
    if (flusher_.joinable()) {
        {
            std::lock_guard lock(commit_mutex_);
            stopping_ = true;
        }
        flusher_cv_.notify_all();
        flusher_.join();  // after storing what deferred commands left queued
    }
    // Commands hold no reference to the kernel after returning, so no flush can be under way
    // unless a command is still running: destroying a kernel mid-command is a host bug.
    std::lock_guard lock(commit_mutex_);
    assert(!flushing_);
}

JournalPosition Kernel::durable_position() const {
    std::lock_guard lock(commit_mutex_);
    return durable_;
}

void Kernel::finish(std::unique_lock<std::mutex>& writer, const EventSink& sink) {
    if (sink.empty()) return;
    const CommitTicket ticket = publish(encode_record(sink));
    writer.unlock();
    if (deferring && deferring->kernel == this && deferring->open) {
        deferring->note(ticket);
        // The first record of a new queue wakes the flusher, which then gathers more; waking
        // it for every record would cost a context switch per command when appends are quick.
        bool first_in_queue = false;
        {
            std::lock_guard lock(commit_mutex_);
            first_in_queue = queued_first_ == ticket.position;
        }
        if (first_in_queue || ticket.position % flusher_wake_interval == 0) flusher_cv_.notify_one();
        return;
    }
    wait_durable(ticket);
}

CommitTicket Kernel::publish(std::string record) {
    const JournalPosition position = next_position_++;
    {
        std::unique_lock state_lock(state_mutex_);
        apply_record(record, position, Origin::this_command);
    }
    std::lock_guard lock(commit_mutex_);
    assert(queued_first_ + queued_.size() == position);
    queued_.push_back(std::move(record));
    return CommitTicket{generation_, position};
}

void Kernel::wait_durable(CommitTicket ticket) {
    std::unique_lock lock(commit_mutex_);
    ++waiters_;
    // Recovery waits until every waiter has seen the failure.
    struct Leave {
        Kernel& k;
        ~Leave() {
            --k.waiters_;
            k.commit_cv_.notify_all();
        }
    } leave{*this};
    for (;;) {
        if (ticket.generation != generation_) {
            // A recovery came between: positions since have other records.
            const auto& end = generation_end_.at(ticket.generation);
            if (ticket.position <= end.stored_through) return;
            throw Error(Errc::storage_failure, fmt::format("the command was not stored: {}", end.reason));
        }
        if (durable_ >= ticket.position) return;
        if (failed_) throw Error(Errc::storage_failure, fmt::format("the command was not stored: {}", failure_));
        if (!flushing_) {
            flush_as_leader(lock);
        } else {
            commit_cv_.wait(lock);
        }
    }
}

void Kernel::start_flusher() {
    std::lock_guard lock(commit_mutex_);
    if (!flusher_.joinable()) flusher_ = std::thread([this] { run_flusher(); });
}

// Appends whatever is queued, batch after batch, while deferred commands keep coming: at once
// when a wake interval's worth is queued, otherwise after a short gathering time, so that
// quick appends are not paid for with a wake-up per command. A failed journal is left alone
// until a command recovers it. On shutdown it stores what is queued.
void Kernel::run_flusher() {
    std::unique_lock lock(commit_mutex_);
    bool gathered = false;
    for (;;) {
        const bool work = !queued_.empty() && !failed_;
        if (!work && stopping_) return;
        if (!work || flushing_) {
            flusher_cv_.wait(lock);
            gathered = false;
            continue;
        }
        if (!stopping_ && !gathered && queued_.size() < flusher_wake_interval) {
            flusher_cv_.wait_for(lock, flusher_gather_time);
            gathered = true;
            continue;  // look again: a waiting command may have flushed meanwhile
        }
        flush_as_leader(lock);
        gathered = false;
    }
}

void Kernel::flush_as_leader(std::unique_lock<std::mutex>& lock) {
    assert(!flushing_ && !queued_.empty());
    flushing_ = true;
    std::vector<std::string> batch;
    batch.swap(queued_);
    const JournalPosition first = queued_first_;
    queued_first_ = first + batch.size();
    lock.unlock();
    std::string error;
    try {
        journal_->append(first, batch);
    } catch (const std::exception& e) {
        error = e.what();
    }
    lock.lock();
    if (error.empty()) {
        durable_ = first + batch.size() - 1;
    } else {
        failed_ = true;
        failure_ = error;
        queued_first_ += queued_.size();
        queued_.clear();
    }
    flushing_ = false;
    commit_cv_.notify_all();
    if (!queued_.empty()) flusher_cv_.notify_one();
}

void Kernel::recover_if_failed() {
    if (!failed_) return;
    std::unique_lock lock(commit_mutex_);
    commit_cv_.wait(lock, [&] { return !flushing_ && waiters_ == 0; });
    queued_.clear();
    generation_end_.push_back(Failure{durable_, failure_});
    ++generation_;
    {
        std::unique_lock state_lock(state_mutex_);
        state_ = State{};
        try {
            replay();
        } catch (const Error& e) {
            throw Error(Errc::storage_failure, fmt::format("cannot recover from the journal: {}", e.what()));
        }
    }
    next_position_ = state_.applied_position + 1;
    durable_ = state_.applied_position;
    queued_first_ = next_position_;
    failure_.clear();
    failed_ = false;
}

void Kernel::replay() {
    journal_->read(1, [&](JournalPosition position, std::string_view bytes) {
        if (position != state_.applied_position + 1)
            throw Error(Errc::corrupt_journal, fmt::format("journal skips from position {} to {}",
                                                           state_.applied_position, position));
        apply_record(bytes, position, Origin::journal);
        return true;
    });
}

void Kernel::apply_record(std::string_view bytes, JournalPosition position, Origin origin) {
    DecodedRecord record;
    try {
        record = origin == Origin::journal ? decode_record(bytes) : decode_own_record(bytes);
    } catch (const Error& e) {
        throw Error(e.code(), fmt::format("journal record {}: {}", position, e.message()));
    }
    const EventContext context{position, record.time, record.actor};
    for (const auto& event : record.events) {
        try {
            apply_event(state_, event, context);
        } catch (const Error& e) {
            throw Error(e.code(), fmt::format("journal record {}: {}", position, e.message()));
        }
    }
    state_.applied_position = position;
}

std::vector<AuditEntry> Kernel::audit(EntityRef entity) const {
    const auto durable = durable_position();
    const auto positions = read([&](const State& s) { return s.audit.positions(entity); });
    std::vector<AuditEntry> entries;
    for (const auto position : positions) {
        if (position > durable) break;
        journal_->read(position, [&](JournalPosition, std::string_view bytes) {
            const auto record = decode_record(bytes);
            for (const auto& event : record.events) {
                if (!event_mentions(event, entity)) continue;
                entries.push_back(AuditEntry{position, record.time, record.actor.user_id(),
                                             std::string(event_name(event.kind)), describe_event(event)});
            }
            return false;
        });
    }
    return entries;
}

}  // namespace souk::detail
