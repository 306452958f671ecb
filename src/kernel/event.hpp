// What an event type must provide, and how a command emits events.
#pragma once

#include <concepts>
#include <string>
#include <string_view>

#include "kernel/codec.hpp"
#include "kernel/event_kind.hpp"
#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/journal.hpp"

namespace souk::detail {

struct State;

// What every applied event knows about the command that emitted it.
struct EventContext {
    JournalPosition position = 0;  // the record's journal position: the command id
    Timestamp time{};
    Actor actor = Actor::system();
};

// An event type: a plain struct with a stable kind, a name, a version, a field visitor
// (one list of fields serves encoding, decoding, audit output and entity indexing), and an
// apply that cannot fail. Fields are only ever appended; each append bumps `version`, and
// older records decode with the new fields left at their defaults.
template <class E>
concept DomainEvent = std::default_initializable<E> && requires(E& e, const E& ce, State& s, const EventContext& c) {
    { E::kind } -> std::convertible_to<EventKind>;
    { E::name } -> std::convertible_to<std::string_view>;
    { E::version } -> std::convertible_to<std::uint8_t>;
    e.visit([](const char*, auto&) {});
    ce.apply(s, c);
};

// apply() cannot fail for events that a command validated; an event read back from a
// damaged or forged journal can still be impossible (a session that never started). apply
// checks with this, so a bad journal is refused with corrupt_journal instead of crashing.
inline void require_consistent(bool condition, std::string_view what) {
    if (!condition) throw Error(Errc::corrupt_journal, "inconsistent event: " + std::string(what));
}

// Changes the row of `table` (a Boost.MultiIndex container whose first index is unique by
// key) that an event names; a row that does not exist means the journal is inconsistent.
template <class Table, class Key, class Change>
void modify_row(Table& table, const Key& key, std::string_view what, Change&& change) {
    const auto it = table.find(key);
    require_consistent(it != table.end(), what);
    table.modify(it, std::forward<Change>(change));
}

// Collects the events of one command, already encoded.
class EventSink {
public:
    EventSink(Actor actor, Timestamp now) : actor_(actor), now_(now) {}

    template <DomainEvent E>
    void emit(const E& event) {
        Writer w(events_);
        w.varint(static_cast<std::uint64_t>(E::kind));
        w.byte(E::version);
        payload_.clear();  // reused: a command's events need no allocation each
        Writer pw(payload_);
        encode_value(pw, event);
        w.bytes(payload_);
        ++count_;
    }

    const Actor& actor() const { return actor_; }
    Timestamp now() const { return now_; }
    bool empty() const { return count_ == 0; }
    std::size_t count() const { return count_; }
    const std::string& encoded_events() const { return events_; }

private:
    Actor actor_;
    Timestamp now_;
    std::string events_;
    std::string payload_;
    std::size_t count_ = 0;
};

}  // namespace souk::detail
