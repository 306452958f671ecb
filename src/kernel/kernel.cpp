#include "kernel/kernel.hpp"

#include <cassert>

#include <fmt/format.h>

#include "kernel/record.hpp"
#include "kernel/registry.hpp"

namespace souk::detail {

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
    const JournalPosition position = publish(encode_record(sink));
    writer.unlock();
    wait_durable(position);
}

JournalPosition Kernel::publish(std::string record) {
    const JournalPosition position = next_position_++;
    {
        std::unique_lock state_lock(state_mutex_);
        apply_record(record, position);
    }
    std::lock_guard lock(commit_mutex_);
    assert(queued_first_ + queued_.size() == position);
    queued_.push_back(std::move(record));
    return position;
}

void Kernel::wait_durable(JournalPosition position) {
    std::unique_lock lock(commit_mutex_);
    ++waiters_;
    // Recovery reuses positions, so it must wait until every waiter has seen the failure.
    struct Leave {
        Kernel& k;
        ~Leave() {
            --k.waiters_;
            k.commit_cv_.notify_all();
        }
    } leave{*this};
    for (;;) {
        if (durable_ >= position) return;
        if (failed_) throw Error(Errc::storage_failure, fmt::format("the command was not stored: {}", failure_));
        if (!flushing_) {
            flush_as_leader(lock);
        } else {
            commit_cv_.wait(lock);
        }
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
        queued_.clear();
    }
    flushing_ = false;
    commit_cv_.notify_all();
}

void Kernel::recover_if_failed() {
    if (!failed_) return;
    std::unique_lock lock(commit_mutex_);
    commit_cv_.wait(lock, [&] { return !flushing_ && waiters_ == 0; });
    queued_.clear();
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
        apply_record(bytes, position);
        return true;
    });
}

void Kernel::apply_record(std::string_view bytes, JournalPosition position) {
    DecodedRecord record;
    try {
        record = decode_record(bytes);
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
