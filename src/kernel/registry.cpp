#include "kernel/registry.hpp"

#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "accounts/events.hpp"
#include "after_sales/events.hpp"
#include "cart/events.hpp"
#include "catalog/events.hpp"
#include "group_buying/events.hpp"
#include "inventory/events.hpp"
#include "kernel/state.hpp"
#include "ledger/events.hpp"
#include "wallet/events.hpp"
#include "orders/events.hpp"
#include "reviews/events.hpp"
#include "shipping/events.hpp"
#include "promotions/events.hpp"
#include "promotions/flash_events.hpp"
#include "shops/events.hpp"

namespace souk::detail {
namespace {

// Every module's events. A new module adds its list here.
template <class... Lists>
struct Concat;
template <class... A>
struct Concat<EventList<A...>> {
    using type = EventList<A...>;
};
template <class... A, class... B, class... Rest>
struct Concat<EventList<A...>, EventList<B...>, Rest...> {
    using type = typename Concat<EventList<A..., B...>, Rest...>::type;
};
using AllEvents =
    Concat<AccountsEvents, ShopsEvents, CatalogEvents, InventoryEvents, CartEvents, OrdersEvents, ShippingEvents,
           ReviewsEvents, AfterSalesEvents, LedgerEvents, WalletEvents, PromotionsEvents, FlashSaleEvents,
           GroupBuyingEvents>::type;

template <DomainEvent E>
E decode_event(const EncodedEvent& encoded) {
    if (encoded.version > E::version)
        throw Error(Errc::unsupported_version, fmt::format("{} version {} is newer than this souk understands ({})",
                                                           E::name, encoded.version, E::version));
    E event;
    Reader r(encoded.payload);
    // A record from an older version lacks the fields appended since: they keep defaults.
    const bool older = encoded.version < E::version;
    event.visit([&](const char*, auto& field) {
        if (!(older && r.at_end())) decode_value(r, field);
    });
    if (!r.at_end()) Reader::fail(fmt::format("{} has trailing bytes", E::name));
    return event;
}

// Calls found(EntityRef) for every id field of `value`, nested ones included.
template <class T, class Found>
void for_each_entity(const T& value, Found&& found) {
    if constexpr (is_id<T>::value) {
        if (value) found(EntityRef::of(value));
    } else if constexpr (is_optional<T>::value) {
        if (value) for_each_entity(*value, found);
    } else if constexpr (is_vector<T>::value) {
        for (const auto& item : value) for_each_entity(item, found);
    } else if constexpr (Visitable<T>) {
        const_cast<T&>(value).visit([&](const char*, const auto& field) { for_each_entity(field, found); });
    }
}

template <class T>
nlohmann::json to_json(const T& value) {
    if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T> || std::is_same_v<T, std::string>) {
        return value;
    } else if constexpr (std::is_enum_v<T>) {
        return static_cast<std::int64_t>(value);
    } else if constexpr (std::is_same_v<T, Secret>) {
        return "<redacted>";
    } else if constexpr (is_id<T>::value) {
        return value.value;
    } else if constexpr (std::is_same_v<T, Timestamp>) {
        return format_timestamp(value);
    } else if constexpr (std::is_same_v<T, Duration>) {
        return value.count();
    } else if constexpr (std::is_same_v<T, Currency>) {
        return std::string(value.code());
    } else if constexpr (std::is_same_v<T, Money>) {
        return nlohmann::json{{"amount", value.to_decimal()}, {"currency", std::string(value.currency().code())}};
    } else if constexpr (is_optional<T>::value) {
        return value ? to_json(*value) : nlohmann::json(nullptr);
    } else if constexpr (is_vector<T>::value) {
        auto list = nlohmann::json::array();
        for (const auto& item : value) list.push_back(to_json(item));
        return list;
    } else {
        nlohmann::json object = nlohmann::json::object();
        const_cast<T&>(value).visit([&](const char* name, const auto& field) { object[name] = to_json(field); });
        return object;
    }
}

struct Entry {
    std::string_view name;
    void (*apply)(State&, const EncodedEvent&, const EventContext&) = nullptr;
    nlohmann::json (*describe)(const EncodedEvent&) = nullptr;
    std::vector<EntityRef> (*entities)(const EncodedEvent&) = nullptr;
};

constexpr std::size_t max_kind = 2048;

template <DomainEvent E>
Entry make_entry() {
    static_assert(static_cast<std::size_t>(E::kind) < max_kind);
    Entry entry;
    entry.name = E::name;
    entry.apply = [](State& state, const EncodedEvent& encoded, const EventContext& context) {
        const E event = decode_event<E>(encoded);
        for_each_entity(event, [&](EntityRef entity) { state.audit.add(entity, context.position); });
        event.apply(state, context);
    };
    entry.describe = [](const EncodedEvent& encoded) { return to_json(decode_event<E>(encoded)); };
    entry.entities = [](const EncodedEvent& encoded) {
        std::vector<EntityRef> entities;
        for_each_entity(decode_event<E>(encoded), [&](EntityRef entity) { entities.push_back(entity); });
        return entities;
    };
    return entry;
}

template <class... E>
std::array<Entry, max_kind> make_table(EventList<E...>) {
    std::array<Entry, max_kind> table{};
    ((table[static_cast<std::size_t>(E::kind)] = make_entry<E>()), ...);
    return table;
}

const Entry& lookup(EventKind kind) {
    static const auto table = make_table(AllEvents{});
    const auto index = static_cast<std::size_t>(kind);
    if (index >= max_kind || !table[index].apply)
        throw Error(Errc::unsupported_version, fmt::format("unknown event kind {}: written by a newer souk?", index));
    return table[index];
}

}  // namespace

void apply_event(State& state, const EncodedEvent& event, const EventContext& context) {
    lookup(event.kind).apply(state, event, context);
}

std::string describe_event(const EncodedEvent& event) {
    // Commands accept only UTF-8, but a damaged or forged journal may hold any bytes: those are
    // shown as U+FFFD rather than making the whole trail unreadable.
    return lookup(event.kind).describe(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string_view event_name(EventKind kind) { return lookup(kind).name; }

bool event_mentions(const EncodedEvent& event, EntityRef entity) {
    const auto entities = lookup(event.kind).entities(event);
    return std::find(entities.begin(), entities.end(), entity) != entities.end();
}

}  // namespace souk::detail
