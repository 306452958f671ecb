// The table of every event type souk knows: decoding, applying and describing by kind.
#pragma once

#include <string>
#include <string_view>

#include "kernel/event.hpp"
#include "kernel/record.hpp"

namespace souk::detail {

template <class... E>
struct EventList {};

// Decodes and applies one event, and indexes it under every entity it names.
// Throws Error(corrupt_journal) or Error(unsupported_version) for an event it cannot read.
void apply_event(State& state, const EncodedEvent& event, const EventContext& context);

// The event's fields as a JSON object's text, secrets redacted: the audit trail's view of it.
std::string describe_event(const EncodedEvent& event);

std::string_view event_name(EventKind kind);

// Whether the event names `entity` in any of its id fields.
bool event_mentions(const EncodedEvent& event, EntityRef entity);

}  // namespace souk::detail
