#include "kernel/record.hpp"

#include <array>
#include <cassert>
#include <cstring>
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

std::uint32_t crc32c_table(std::uint32_t c, std::string_view data) {
    for (unsigned char byte : data) c = crc_table[(c ^ byte) & 0xFF] ^ (c >> 8);
    return c;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// SSE4.2's crc32 instruction computes CRC-32C eight bytes at a time: every record is
// checksummed when written and again when read, so this is on every command's path.
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(std::uint32_t c, std::string_view data) {
    const char* p = data.data();
    std::size_t n = data.size();
    std::uint64_t wide = c;
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        wide = __builtin_ia32_crc32di(wide, word);
    }
    c = static_cast<std::uint32_t>(wide);
    for (; n > 0; ++p, --n) c = __builtin_ia32_crc32qi(c, static_cast<unsigned char>(*p));
    return c;
}

const bool has_sse42 = __builtin_cpu_supports("sse4.2");
#endif

}  // namespace

std::uint32_t crc32c(std::string_view data) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (has_sse42) return crc32c_sse42(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;
#endif
    return crc32c_table(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;
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

namespace {

DecodedRecord decode_body(std::string_view body) {
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

}  // namespace

DecodedRecord decode_record(std::string_view bytes) {
    if (bytes.size() < 4 + 5) Reader::fail("record too short");
    const auto body = bytes.substr(0, bytes.size() - 4);
    Reader crc_reader(bytes.substr(bytes.size() - 4));
    if (crc_reader.fixed32() != crc32c(body)) Reader::fail("record checksum mismatch");
    return decode_body(body);
}

DecodedRecord decode_own_record(std::string_view bytes) {
    assert(bytes.size() >= 4 + 5);
    return decode_body(bytes.substr(0, bytes.size() - 4));
}

}  // namespace souk::detail
