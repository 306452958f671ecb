// souk — the audit trail: the journal's view of one entity's history.
#pragma once

#include <string>

#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/journal.hpp"

namespace souk {

// One event in an entity's history. The journal position doubles as the command id:
// every event of one command shares it.
struct AuditEntry {
    JournalPosition command = 0;
    Timestamp time{};
    UserId actor;        // zero for the system (timers, automatic transitions)
    std::string event;   // "ShopApproved"
    std::string details; // the event's fields as JSON; secrets are redacted
    friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

}  // namespace souk
