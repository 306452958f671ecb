// Fuzzes what opening a journal does with its records: decode each one, describe its events
// as the audit trail does, and apply them to a State, in order, until one is refused (replay
// stops there). Whatever a damaged or forged journal holds must be refused with souk::Error;
// any other exception, a crash or a sanitizer report is a bug.
//
// Input: a flags byte, then records, each a varint length and that many bytes. Flag bit 0
// reseals every record (recomputes its CRC-32C), so that mutations reach the event decoders
// and apply instead of stopping at the checksum.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kernel/codec.hpp"
#include "kernel/record.hpp"
#include "kernel/registry.hpp"
#include "kernel/state.hpp"

namespace {

using namespace souk;
using namespace souk::detail;

// Reads one record as replay and audit do. False once it is refused.
bool read_record(State& state, std::string_view bytes, JournalPosition position) {
    try {
        const DecodedRecord record = decode_record(bytes);
        const EventContext context{position, record.time, record.actor};
        for (const auto& event : record.events) {
            static_cast<void>(event_name(event.kind));
            static_cast<void>(describe_event(event));
            apply_event(state, event, context);
        }
    } catch (const Error&) {
        return false;
    }
    state.applied_position = position;
    return true;
}

void reseal(std::string& record) {
    if (record.size() < 4) return;
    record.resize(record.size() - 4);
    const auto crc = crc32c(record);
    Writer(record).fixed32(crc);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool resealed = (data[0] & 1) != 0;
    Reader input(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    State state;
    for (JournalPosition position = 1; !input.at_end(); ++position) {
        std::string record;
        try {
            record = std::string(input.bytes());
        } catch (const Error&) {
            break;  // the input's own framing ran out: no more records
        }
        if (resealed) reseal(record);
        if (!read_record(state, record, position)) break;
    }
    return 0;
}
