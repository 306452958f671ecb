#include "kernel/record.hpp"

#include <array>
#include <limits>
#include <type_traits>

#include <fmt/format.h>

namespace souk::detail {
namespace {

constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0x82F63B78u ^ (c >> 1) : c >> 1;  // Castagnoli
        table[i] = c;
    }
    return table;
}

constexpr auto crc_table = make_crc_table();

}  // namespace

std::uint32_t crc32c(std::string_view data) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char byte : data) c = crc_table[(c ^ byte) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::string encode_record(const EventSink& sink) {
    std::string out;
    out.reserve(sink.encoded_events().size() + 24);
    Writer w(out);
    w.byte(record_magic);
    w.byte(record_format);
    w.svarint(sink.now().time_since_epoch().count());
    w.varint(sink.actor().user_id().value);
    w.varint(sink.count());
    out.append(sink.encoded_events());
    w.fixed32(crc32c(out));
    return out;
}

DecodedRecord decode_record(std::string_view bytes) {
    if (bytes.size() < 4 + 5) Reader::fail("record too short");
    const auto body = bytes.substr(0, bytes.size() - 4);
    Reader crc_reader(bytes.substr(bytes.size() - 4));
    if (crc_reader.fixed32() != crc32c(body)) Reader::fail("record checksum mismatch");
    Reader r(body);
    if (r.byte() != record_magic) Reader::fail("not a souk record");
    if (const auto format = r.byte(); format != record_format) {
        if (format > record_format)
            throw Error(Errc::unsupported_version,
                        fmt::format("record format {} is newer than this souk understands ({})", format, record_format));
        Reader::fail("unknown record format");
    }
    DecodedRecord record;
    record.time = Timestamp{Duration{r.svarint()}};
    const UserId actor{r.varint()};
    record.actor = actor ? Actor::user(actor) : Actor::system();
    const auto count = r.varint();
    if (count > r.remaining()) Reader::fail("event count exceeds record size");
    record.events.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        EncodedEvent e;
        // A kind beyond EventKind's range is unknown like any other, not a wrapped-around one.
        const auto kind = r.varint();
        if (kind > std::numeric_limits<std::underlying_type_t<EventKind>>::max())
            throw Error(Errc::unsupported_version, fmt::format("unknown event kind {}: written by a newer souk?", kind));
        e.kind = static_cast<EventKind>(kind);
        e.version = r.byte();
        e.payload = r.bytes();
        record.events.push_back(e);
    }
    if (!r.at_end()) Reader::fail("trailing bytes after the last event");
    return record;
}

}  // namespace souk::detail
