// Journal compatibility (docs/journal-format.md, "What makes a record unreadable" and
// "Compatibility"). Records are built field by field with the codec, so each test states
// exactly which field an older souk, a newer souk or a damaged file would hold differently.
// Each record is read by the decoder and by a Marketplace opening a MemoryJournal and a
// SqliteJournal that hold it: a journal souk cannot read is refused as a whole, with the
// code the document promises, naming the record at fault, and the file is left untouched.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "accounts/events.hpp"
#include "kernel/record.hpp"
#include "kernel/registry.hpp"
#include "kernel/state.hpp"
#include "shops/events.hpp"
#include "souk/marketplace.hpp"
#include "souk/storage/memory_journal.hpp"
#include "souk/storage/sqlite_journal.hpp"
#include "support/errors.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace souk;
using namespace souk::detail;
using namespace souk::test;
using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

// The values given, encoded one after the other, as an event payload lists its fields.
template <class... Fields>
std::string encoded_fields(const Fields&... fields) {
    std::string out;
    Writer w(out);
    (encode_value(w, fields), ...);
    return out;
}

// One event of a hand-built record: any kind, any version, any payload.
struct RawEvent {
    std::uint64_t kind = 0;
    std::uint8_t version = 0;
    std::string payload;
};

template <DomainEvent E>
RawEvent raw_event(const E& event, std::uint8_t version = E::version) {
    return RawEvent{static_cast<std::uint64_t>(E::kind), version, encoded_fields(event)};
}

// `body` closed with its CRC-32C, as every writer closes a record.
std::string sealed(std::string body) {
    const auto crc = crc32c(body);
    Writer(body).fixed32(crc);
    return body;
}

// A record, field by field.
struct RawRecord {
    std::uint8_t magic = record_magic;
    std::uint8_t format = record_format;
    Timestamp time{};
    UserId actor;
    std::vector<RawEvent> events;
    std::optional<std::uint64_t> count;  // the event count written, when it is not events.size()
    std::string trailing;                // bytes after the last event, inside the checksum

    // Everything the checksum covers.
    std::string body() const {
        std::string out;
        Writer w(out);
        w.byte(magic);
        w.byte(format);
        w.svarint(time.time_since_epoch().count());
        w.varint(actor.value);
        w.varint(count.value_or(events.size()));
        for (const auto& event : events) {
            w.varint(event.kind);
            w.byte(event.version);
            w.bytes(event.payload);
        }
        out += trailing;
        return out;
    }
    std::string bytes() const { return sealed(body()); }
};

// A journal written by this souk: an admin (user 1), a shop owner (user 2) and the owner's
// shop 1, approved. The records under test follow it, from position 5.
struct Base {
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(fixture_start());
    std::vector<std::string> records;
    UserId admin, owner;
    ShopId shop;
    ShopApplication application = application_named("Tea House");

    Base() {
        auto [journal, market] = open_market(clock);
        admin = market.accounts().bootstrap_admin("admin@souk.test", fixture_password, "Admin");
        owner = market.accounts().register_user("owner@souk.test", fixture_password, "Owner");
        shop = market.shops().apply(Actor::user(owner), application);
        market.shops().approve(Actor::user(admin), shop);
        records = records_of(*journal);
        REQUIRE(records.size() == 4);
    }

    // A record of the owner's, a minute after the base journal.
    RawRecord by_owner(std::vector<RawEvent> events) const {
        RawRecord record;
        record.time = clock->now() + std::chrono::minutes(1);
        record.actor = owner;
        record.events = std::move(events);
        return record;
    }

    // The base journal followed by `more`.
    std::vector<std::string> then(const std::vector<std::string>& more) const {
        auto all = records;
        all.insert(all.end(), more.begin(), more.end());
        return all;
    }

    // The owner's profile edit that the compatibility cases vary: description and e-mail set.
    ShopProfileUpdated profile_update() const {
        return ShopProfileUpdated{shop, "Fine teas"s, std::nullopt, std::nullopt, "tea@example.com"s};
    }
};

Marketplace open_in_memory(const std::vector<std::string>& records, std::shared_ptr<const Clock> clock) {
    auto journal = std::make_unique<MemoryJournal>();
    journal->append(1, records);
    return Marketplace(std::move(journal), fast_options(std::move(clock)));
}

void write_sqlite(const fs::path& file, const std::vector<std::string>& records) {
    SqliteJournal journal(file);
    journal.append(1, records);
}

// Reading `more` after the base journal without a Marketplace, as replay does: decode each
// record, then apply its events. The error code, or nullopt when every record is read.
std::optional<Errc> read_error(const Base& base, const std::vector<std::string>& more) {
    State state;
    JournalPosition position = 0;
    const auto read = [&](std::string_view bytes) {
        const auto decoded = decode_record(bytes);
        const EventContext context{++position, decoded.time, decoded.actor};
        for (const auto& event : decoded.events) apply_event(state, event, context);
    };
    for (const auto& record : base.records) read(record);
    try {
        for (const auto& record : more) read(record);
    } catch (const Error& e) {
        return e.code();
    }
    return std::nullopt;
}

// Opening a marketplace fails with `code`, naming journal record `position`.
template <class Open>
void check_open_fails(Open&& open, JournalPosition position, Errc code) {
    try {
        open();
        FAIL_CHECK("the journal was opened");
    } catch (const Error& e) {
        CHECK_MESSAGE(e.code() == code, e.what());
        CHECK_MESSAGE(std::string_view(e.what()).find(fmt::format("journal record {}:", position)) != std::string_view::npos,
                      e.what());
    }
}

// A journal of the base records, `record` at position 5 and a valid record after it is
// refused with `code`, in memory and in a SQLite file; the file is left as it was and
// refused again the same way. Without `record` the same journal opens.
void check_refused(const Base& base, const std::string& record, Errc code) {
    constexpr JournalPosition position = 5;
    CHECK(read_error(base, {record}) == code);
    const auto valid = base.by_owner({raw_event(base.profile_update())}).bytes();
    const auto records = base.then({record, valid});
    check_open_fails([&] { open_in_memory(records, base.clock); }, position, code);

    TempDir dir;
    const auto file = dir / "journal.souk";
    write_sqlite(file, records);
    const auto before = file_bytes(file);
    check_open_fails([&] { Marketplace::open_sqlite(file, fast_options(base.clock)); }, position, code);
    check_open_fails([&] { Marketplace::open_sqlite(file, fast_options(base.clock)); }, position, code);
    CHECK(file_bytes(file) == before);

    CHECK(open_in_memory(base.then({valid}), base.clock).journal_position() == position);
}

struct Refusal {
    const char* what;
    std::string record;
};

void check_all_refused(const Base& base, const std::vector<Refusal>& refusals, Errc code) {
    for (const auto& refusal : refusals) {
        CAPTURE(refusal.what);
        check_refused(base, refusal.record, code);
    }
}

template <class Change>
std::string changed(RawRecord record, Change&& change) {
    change(record);
    return record.bytes();
}

}  // namespace

TEST_CASE("compat: hand-built records are byte for byte what souk writes") {
    const Base base;
    const auto update = base.profile_update();
    EventSink sink(Actor::user(base.owner), base.clock->now() + std::chrono::minutes(1));
    sink.emit(update);
    CHECK(encode_record(sink) == base.by_owner({raw_event(update)}).bytes());
    // encoded_fields follows the event's own field order.
    CHECK(raw_event(update).payload ==
          encoded_fields(update.shop, update.description, update.contact_name, update.contact_phone,
                         update.contact_email));
    CHECK(base.records[0].substr(0, 2) == RawRecord{}.body().substr(0, 2));  // magic and format
}

TEST_CASE("compat: an older event version is read with the fields added since at their defaults") {
    // No event has a second version yet, so version 0 stands for an older one: the decoder
    // treats every version below the current one alike. Each payload stops after its first
    // fields, as the payload of an event that has since gained fields does.
    const Base base;
    const UserId old_user{3}, old_admin{4};
    const Secret hash{"$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA"};
    const RawEvent user_without_admin{static_cast<std::uint64_t>(UserRegistered::kind), 0,
                                      encoded_fields(old_user, "old@souk.test"s, "Old Timer"s, hash)};
    // Fields an older record does carry are read, even at an older version.
    const RawEvent user_with_admin{static_cast<std::uint64_t>(UserRegistered::kind), 0,
                                   encoded_fields(old_admin, "root@souk.test"s, "Old Root"s, hash, true)};
    const RawEvent description_only{static_cast<std::uint64_t>(ShopProfileUpdated::kind), 0,
                                    encoded_fields(base.shop, std::optional<std::string>("Fine teas"))};
    const auto old_records = std::vector<std::string>{base.by_owner({user_without_admin}).bytes(),
                                                      base.by_owner({user_with_admin}).bytes(),
                                                      base.by_owner({description_only}).bytes()};

    SUBCASE("decoded") {
        const auto decoded = decode_record(old_records[0]).events;
        REQUIRE(decoded.size() == 1);
        const auto user = nlohmann::json::parse(describe_event(decoded[0]));
        CHECK(user["login"] == "old@souk.test");
        CHECK(user["admin"] == false);
        const auto update = nlohmann::json::parse(describe_event(decode_record(old_records[2]).events.at(0)));
        CHECK(update["description"] == "Fine teas");
        CHECK(update["contact_name"].is_null());
        CHECK(update["contact_email"].is_null());
        CHECK_FALSE(read_error(base, old_records).has_value());
    }

    const auto check_state = [&](Marketplace& market) {
        const auto sys = Actor::system();
        CHECK(market.journal_position() >= 7);
        const auto old = market.accounts().user(sys, old_user);
        CHECK(old.login == "old@souk.test");
        CHECK(old.display_name == "Old Timer");
        CHECK_FALSE(old.admin);
        CHECK(market.accounts().user(sys, old_admin).admin);
        const auto details = market.shops().details(sys, base.shop);
        CHECK(details.profile.description == "Fine teas");
        CHECK(details.contact_name == base.application.contact_name);    // absent: unchanged
        CHECK(details.contact_email == base.application.contact_email);  // absent: unchanged
        const auto trail = market.audit(sys, EntityRef::of(base.shop));
        const auto old_update = std::find_if(trail.begin(), trail.end(), [](const AuditEntry& e) { return e.command == 7; });
        REQUIRE(old_update != trail.end());
        CHECK(old_update->event == "ShopProfileUpdated");
        CHECK(nlohmann::json::parse(old_update->details)["contact_email"].is_null());
    };

    SUBCASE("in memory") {
        auto market = open_in_memory(base.then(old_records), base.clock);
        check_state(market);
    }
    SUBCASE("from a SQLite file, which stays writable and replays the same") {
        TempDir dir;
        const auto file = dir / "old.souk";
        write_sqlite(file, base.then(old_records));
        ShopDetails details;
        {
            auto market = Marketplace::open_sqlite(file, fast_options(base.clock));
            check_state(market);
            ShopProfileUpdate edit;
            edit.contact_phone = "+86 21 5555 0000";
            market.shops().update_profile(Actor::user(base.owner), base.shop, edit);
            CHECK(market.journal_position() == 8);
            details = market.shops().details(Actor::system(), base.shop);
        }
        auto reopened = Marketplace::open_sqlite(file, fast_options(base.clock));
        check_state(reopened);
        CHECK(reopened.journal_position() == 8);
        CHECK(reopened.shops().details(Actor::system(), base.shop) == details);
        CHECK(details.contact_phone == "+86 21 5555 0000");
    }
}

TEST_CASE("compat: what a newer souk wrote is refused with unsupported_version") {
    const Base base;
    const auto event = raw_event(base.profile_update());
    const auto valid = base.by_owner({event});
    const auto with_kind = [&](std::uint64_t kind) {
        return changed(valid, [&](RawRecord& r) { r.events[0].kind = kind; });
    };
    check_all_refused(
        base,
        {
            {"an event version newer than this souk's, with the field it added",
             changed(valid,
                     [](RawRecord& r) {
                         r.events[0].version = ShopProfileUpdated::version + 1;
                         r.events[0].payload += encoded_fields("a field of the next version"s);
                     })},
            {"the largest event version", changed(valid, [](RawRecord& r) { r.events[0].version = 255; })},
            {"an unassigned kind in an existing module's range", with_kind(299)},
            {"a kind of a module to come", with_kind(1099)},
            {"the last kind of the decoder's table", with_kind(2047)},
            {"a kind past the decoder's table", with_kind(2048)},
            // A kind that EventKind cannot hold must not wrap around onto a known one (207).
            {"a kind beyond 16 bits", with_kind((std::uint64_t{1} << 16) + 207)},
            {"the largest kind a varint holds", with_kind(std::numeric_limits<std::uint64_t>::max())},
            {"an unknown kind after a known event",
             changed(valid, [&](RawRecord& r) { r.events.push_back(RawEvent{2047, 1, event.payload}); })},
            {"record format 2", changed(valid, [](RawRecord& r) { r.format = record_format + 1; })},
            {"record format 255", changed(valid, [](RawRecord& r) { r.format = 255; })},
        },
        Errc::unsupported_version);
}

TEST_CASE("compat: damaged records are refused with corrupt_journal") {
    const Base base;
    const auto update = base.profile_update();
    const auto event = raw_event(update);
    const auto valid = base.by_owner({event});
    const auto good = valid.bytes();
    const auto flipped = [](std::string bytes, std::size_t at) {
        bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
        return bytes;
    };
    const auto body = valid.body();
    std::string endless_actor = body.substr(0, 2) + encoded_fields(std::int64_t{0}) + std::string(10, '\x80') + '\x01';
    check_all_refused(
        base,
        {
            {"record format 0", changed(valid, [](RawRecord& r) { r.format = 0; })},
            {"a wrong magic byte", changed(valid, [](RawRecord& r) { r.magic = 'T'; })},
            {"a flipped bit in the checksum", flipped(good, good.size() - 1)},
            {"a flipped bit in the body", flipped(good, good.size() / 2)},
            // The checksum is checked first: damage is reported as damage, whatever it hit.
            {"a newer format with a bad checksum",
             flipped(changed(valid, [](RawRecord& r) { r.format = record_format + 1; }), good.size() - 1)},
            {"an empty record", ""},
            {"shorter than any record", good.substr(0, 8)},
            {"truncated by one byte", good.substr(0, good.size() - 1)},
            {"truncated inside the payload, then resealed", sealed(body.substr(0, body.size() - 3))},
            {"more events announced than present", changed(valid, [](RawRecord& r) { r.count = 2; })},
            {"a huge event count", changed(valid, [](RawRecord& r) { r.count = std::uint64_t{1} << 62; })},
            {"a varint longer than ten bytes", sealed(endless_actor)},
            {"bytes after the checksum", good + "\x00\x00"s},
            {"bytes after the last event", changed(valid, [](RawRecord& r) { r.trailing = "\x00"s; })},
            {"bytes after an event's last field", changed(valid, [](RawRecord& r) { r.events[0].payload += '\0'; })},
            {"bytes after an older event's last field",
             changed(valid,
                     [](RawRecord& r) {
                         r.events[0].version = 0;
                         r.events[0].payload += '\0';
                     })},
            {"the current version without its last field",
             changed(valid,
                     [&](RawRecord& r) {
                         r.events[0].payload =
                             encoded_fields(update.shop, update.description, update.contact_name, update.contact_phone);
                     })},
            {"an older version ending inside a field",
             changed(valid,
                     [](RawRecord& r) {
                         r.events[0].version = 0;
                         r.events[0].payload.resize(r.events[0].payload.size() - 2);
                     })},
            {"a bool that is neither 0 nor 1",
             base.by_owner({RawEvent{static_cast<std::uint64_t>(UserRegistered::kind), UserRegistered::version,
                                     encoded_fields(UserId{3}, "x@souk.test"s, "X"s, Secret{"h"}, std::uint8_t{2})}})
                 .bytes()},
            // A cast alone would turn role 257 into role 1, admin.
            {"an enum value beyond its type",
             base.by_owner({RawEvent{static_cast<std::uint64_t>(PlatformRoleGranted::kind), PlatformRoleGranted::version,
                                     encoded_fields(base.owner, std::uint64_t{257})}})
                 .bytes()},
            {"an integer beyond its field's type",
             base.by_owner({RawEvent{static_cast<std::uint64_t>(ShopCommissionSet::kind), ShopCommissionSet::version,
                                     encoded_fields(base.shop, std::optional<std::int64_t>(std::int64_t{1} << 40))}})
                 .bytes()},
        },
        Errc::corrupt_journal);
}

TEST_CASE("compat: every truncation and every flipped bit of a record is corrupt_journal") {
    const Base base;
    const auto good = base.by_owner({raw_event(base.profile_update())}).bytes();
    REQUIRE_FALSE(read_error(base, {good}).has_value());
    for (std::size_t size = 0; size < good.size(); ++size) {
        CAPTURE(size);
        CHECK(error_of([&] { decode_record(std::string_view(good).substr(0, size)); }) == Errc::corrupt_journal);
    }
    for (std::size_t bit = 0; bit < good.size() * 8; ++bit) {
        CAPTURE(bit);
        auto damaged = good;
        damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
        CHECK(error_of([&] { decode_record(damaged); }) == Errc::corrupt_journal);
    }
}

TEST_CASE("compat: a record that decodes but cannot have happened is refused with corrupt_journal") {
    const Base base;
    auto update = base.profile_update();
    update.shop = ShopId{99};
    const RawEvent unknown_role{static_cast<std::uint64_t>(PlatformRoleGranted::kind), PlatformRoleGranted::version,
                                encoded_fields(base.owner, std::uint64_t{3})};
    check_all_refused(base,
                      {
                          {"a profile edit of a shop that does not exist", base.by_owner({raw_event(update)}).bytes()},
                          {"a role that does not exist", base.by_owner({unknown_role}).bytes()},
                          {"a shop commission above 100 %",
                           base.by_owner({raw_event(ShopCommissionSet{base.profile_update().shop, 10001})}).bytes()},
                          {"a negative shop commission",
                           base.by_owner({raw_event(ShopCommissionSet{base.profile_update().shop, -1})}).bytes()},
                          {"a second admin registered as user 1",
                           base.by_owner({raw_event(UserRegistered{UserId{1}, "again@souk.test", "Again", Secret{"h"}, true})})
                               .bytes()},
                      },
                      Errc::corrupt_journal);
}

TEST_CASE("compat: text that is not UTF-8 in a record is shown in the audit trail with U+FFFD") {
    // Commands accept only UTF-8; a damaged or forged journal can hold anything, and reading
    // the trail must not fail on it (it once threw a JSON library exception, not a souk::Error).
    const Base base;
    auto update = base.profile_update();
    update.description = "\xff\xfe tea";
    auto market = open_in_memory(base.then({base.by_owner({raw_event(update)}).bytes()}), base.clock);
    const auto trail = market.audit(Actor::system(), EntityRef::of(base.shop));
    REQUIRE_FALSE(trail.empty());
    CHECK(trail.back().event == "ShopProfileUpdated");
    CHECK(nlohmann::json::parse(trail.back().details)["description"] == "\xEF\xBF\xBD\xEF\xBF\xBD tea");
}

// Records are checksummed by the fastest CRC-32C the CPU offers: it must agree with the
// definition (reflected Castagnoli polynomial) at every length and alignment.
TEST_CASE("compat: the record checksum is CRC-32C at every length and alignment") {
    const auto bitwise = [](std::string_view data) {
        std::uint32_t c = 0xFFFFFFFFu;
        for (const unsigned char byte : data) {
            c ^= byte;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0x82F63B78u ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFFu;
    };
    CHECK(crc32c("123456789") == 0xE3069283u);  // the standard check value
    CHECK(crc32c("") == 0u);
    std::string bytes;
    for (int i = 0; i < 300; ++i) bytes.push_back(static_cast<char>((i * 151 + 7) & 0xFF));
    for (std::size_t offset = 0; offset < 8; ++offset)
        for (std::size_t length = 0; offset + length <= bytes.size(); length += 1 + length / 8) {
            const std::string_view part(bytes.data() + offset, length);
            CHECK_MESSAGE(crc32c(part) == bitwise(part), fmt::format("offset {} length {}", offset, length));
        }
}
