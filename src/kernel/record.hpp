// A journal record: the events of one command with who, when, and a checksum.
//
//   record := magic 0x53 | format u8 | time svarint(µs) | actor varint(user id, 0 = system)
//             | event_count varint | event* | crc32c fixed32 (of every byte before it)
//   event  := kind varint | version u8 | payload bytes (varint length + data)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kernel/event.hpp"

namespace souk::detail {

inline constexpr std::uint8_t record_magic = 0x53;  // 'S'
inline constexpr std::uint8_t record_format = 1;

struct EncodedEvent {
    EventKind kind{};
    std::uint8_t version = 0;
    std::string_view payload;
};

struct DecodedRecord {
    Timestamp time{};
    Actor actor = Actor::system();
    std::vector<EncodedEvent> events;  // views into the record's bytes
};

std::string encode_record(const EventSink& sink);
// Throws Error(corrupt_journal) on damage, Error(unsupported_version) for a newer format or an
// event kind too large for EventKind (smaller unknown kinds are refused when applied).
DecodedRecord decode_record(std::string_view bytes);
// The same for a record that encode_record has just returned in this process: its checksum
// is not computed a second time.
DecodedRecord decode_own_record(std::string_view bytes);

std::uint32_t crc32c(std::string_view data);

}  // namespace souk::detail
