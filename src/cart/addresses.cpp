// The address book: Cart's address commands and queries.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "cart/access.hpp"
#include "cart/events.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "souk/cart.hpp"
#include "souk/error.hpp"
#include "validate.hpp"

namespace souk {
namespace {

using detail::AddressRecord;
using detail::State;

[[noreturn]] void invalid(const std::string& message) { throw Error(Errc::invalid_argument, message); }

bool is_ascii_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

void validate_region_part(std::string_view field, const std::string& code) {
    if (code.size() > 12 || !std::all_of(code.begin(), code.end(), is_ascii_alnum))
        invalid(fmt::format("the {} code must be 1..12 ASCII letters or digits, not '{}'", field, code));
}

void validate_phone(const std::string& phone) {
    const bool plus = !phone.empty() && phone.front() == '+';
    const auto digits = std::count_if(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
    const bool only_allowed = std::all_of(phone.begin() + (plus ? 1 : 0), phone.end(),
                                          [](char c) { return (c >= '0' && c <= '9') || c == ' ' || c == '-'; });
    if (phone.size() < 5 || phone.size() > 20 || !only_allowed || digits < 5)
        invalid(fmt::format("a phone number is 5..20 characters of digits, spaces and '-' with an optional leading "
                            "'+', not '{}'",
                            phone));
}

void validate_address(const PostalAddress& a) {
    detail::require_text("recipient", a.recipient, 1, 40);
    validate_phone(a.phone);
    if (a.region.province.empty()) invalid("an address needs a province (region) code");
    validate_region_part("province", a.region.province);
    if (!a.region.city.empty()) validate_region_part("city", a.region.city);
    if (!a.region.district.empty()) {
        if (a.region.city.empty()) invalid("an address with a district code needs a city code");
        validate_region_part("district", a.region.district);
    }
    detail::require_text("address detail", a.detail, 1, 200);
    if (a.postal_code.size() > 12 || !std::all_of(a.postal_code.begin(), a.postal_code.end(), [](char c) {
            return is_ascii_alnum(c) || c == ' ' || c == '-';
        }))
        invalid(fmt::format("a postal code is 0..12 ASCII letters, digits, spaces or '-', not '{}'", a.postal_code));
}

AddressEntry entry_of(const State& s, const AddressRecord& r) {
    const auto* book = s.cart.book_of(r.owner);
    return AddressEntry{r.id, r.address, book && book->default_address == r.id, r.updated_at};
}

}  // namespace

AddressId Cart::add_address(const Actor& customer, const PostalAddress& address, bool make_default) {
    validate_address(address);
    return kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, customer);
        const auto* book = s.cart.book_of(user.id);
        if (book && book->addresses.size() >= max_addresses)
            throw Error(Errc::limit_exceeded, fmt::format("an address book holds at most {} addresses", max_addresses));
        const AddressId id{s.cart.last_address + 1};
        out.emit(detail::AddressAdded{id, user.id, detail::PostalAddressFields::from(address), make_default});
        return id;
    });
}

void Cart::update_address(const Actor& customer, AddressId address, const PostalAddress& changed) {
    validate_address(changed);
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::own_address(s, customer, address);
        if (record.address != changed) out.emit(detail::AddressUpdated{address, detail::PostalAddressFields::from(changed)});
    });
}

void Cart::remove_address(const Actor& customer, AddressId address) {
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        detail::own_address(s, customer, address);
        out.emit(detail::AddressRemoved{address});
    });
}

void Cart::set_default_address(const Actor& customer, AddressId address) {
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::own_address(s, customer, address);
        if (s.cart.book_of(record.owner)->default_address != address) out.emit(detail::DefaultAddressSet{address});
    });
}

std::vector<AddressEntry> Cart::addresses(const Actor& actor, UserId customer) const {
    return kernel_->read([&](const State& s) {
        detail::require_self_or_staff(s, actor, customer, "read another customer's addresses");
        std::vector<AddressEntry> entries;
        if (const auto* book = s.cart.book_of(customer))
            for (const auto id : book->addresses) entries.push_back(entry_of(s, *s.cart.find_address(id)));
        std::stable_partition(entries.begin(), entries.end(), [](const auto& e) { return e.is_default; });
        return entries;
    });
}

AddressEntry Cart::address(const Actor& actor, AddressId address) const {
    return kernel_->read([&](const State& s) {
        const auto* record = s.cart.find_address(address);
        if (!record) throw Error(Errc::not_found, fmt::format("no address {}", address));
        detail::require_self_or_staff(s, actor, record->owner, "read another customer's addresses");
        return entry_of(s, *record);
    });
}

namespace detail {

void AddressAdded::apply(State& state, const EventContext& context) const {
    require_consistent(address.value == state.cart.last_address + 1 && state.accounts.find_user(owner),
                       "address out of order or of an unknown user");
    state.cart.addresses.emplace(address, AddressRecord{address, owner, fields.to_address(), context.time});
    auto& book = state.cart.books[owner];
    book.addresses.push_back(address);
    if (make_default || !book.default_address) book.default_address = address;
    state.cart.last_address = address.value;
}

void AddressUpdated::apply(State& state, const EventContext& context) const {
    const auto it = state.cart.addresses.find(address);
    require_consistent(it != state.cart.addresses.end(), "update of an unknown address");
    it->second.address = fields.to_address();
    it->second.updated_at = context.time;
}

void AddressRemoved::apply(State& state, const EventContext&) const {
    const auto it = state.cart.addresses.find(address);
    require_consistent(it != state.cart.addresses.end(), "removal of an unknown address");
    auto& book = state.cart.books[it->second.owner];
    std::erase(book.addresses, address);
    if (book.default_address == address) book.default_address = book.addresses.empty() ? AddressId{} : book.addresses.front();
    state.cart.addresses.erase(it);
}

void DefaultAddressSet::apply(State& state, const EventContext&) const {
    const auto* record = state.cart.find_address(address);
    require_consistent(record != nullptr, "default set to an unknown address");
    state.cart.books[record->owner].default_address = address;
}

}  // namespace detail
}  // namespace souk
