// Cart events: the address book and the cart lines.
#pragma once

#include <string>
#include <vector>

#include "cart/state.hpp"
#include "kernel/event.hpp"
#include "kernel/registry.hpp"

namespace souk::detail {

// A PostalAddress as events carry it (orders snapshot it in the same form).
struct PostalAddressFields {
    std::string recipient;
    std::string phone;
    std::string province;
    std::string city;
    std::string district;
    std::string detail;
    std::string postal_code;
    template <class V> void visit(V&& v) {
        v("recipient", recipient), v("phone", phone), v("province", province), v("city", city),
            v("district", district), v("detail", detail), v("postal_code", postal_code);
    }
    static PostalAddressFields from(const PostalAddress& a) {
        return {a.recipient, a.phone, a.region.province, a.region.city, a.region.district, a.detail, a.postal_code};
    }
    PostalAddress to_address() const { return {recipient, phone, {province, city, district}, detail, postal_code}; }
};

struct AddressAdded {
    static constexpr EventKind kind = EventKind::address_added;
    static constexpr std::string_view name = "AddressAdded";
    static constexpr std::uint8_t version = 1;
    AddressId address;
    UserId owner;
    PostalAddressFields fields;
    bool make_default = false;
    template <class V> void visit(V&& v) {
        v("address", address), v("owner", owner), v("fields", fields), v("make_default", make_default);
    }
    void apply(State& state, const EventContext& context) const;
};

struct AddressUpdated {
    static constexpr EventKind kind = EventKind::address_updated;
    static constexpr std::string_view name = "AddressUpdated";
    static constexpr std::uint8_t version = 1;
    AddressId address;
    PostalAddressFields fields;
    template <class V> void visit(V&& v) { v("address", address), v("fields", fields); }
    void apply(State& state, const EventContext& context) const;
};

// The oldest remaining address becomes the default if this one was.
struct AddressRemoved {
    static constexpr EventKind kind = EventKind::address_removed;
    static constexpr std::string_view name = "AddressRemoved";
    static constexpr std::uint8_t version = 1;
    AddressId address;
    template <class V> void visit(V&& v) { v("address", address); }
    void apply(State& state, const EventContext& context) const;
};

struct DefaultAddressSet {
    static constexpr EventKind kind = EventKind::default_address_set;
    static constexpr std::string_view name = "DefaultAddressSet";
    static constexpr std::uint8_t version = 1;
    AddressId address;
    template <class V> void visit(V&& v) { v("address", address); }
    void apply(State& state, const EventContext& context) const;
};

// Adds to the SKU's line, or appends one; either way the line is selected and remembers
// price_seen.
struct CartLineAdded {
    static constexpr EventKind kind = EventKind::cart_line_added;
    static constexpr std::string_view name = "CartLineAdded";
    static constexpr std::uint8_t version = 1;
    UserId customer;
    SkuId sku;
    ShopId shop;
    std::int64_t quantity = 0;
    Money price_seen;
    template <class V> void visit(V&& v) {
        v("customer", customer), v("sku", sku), v("shop", shop), v("quantity", quantity), v("price_seen", price_seen);
    }
    void apply(State& state, const EventContext& context) const;
};

struct CartQuantitySet {
    static constexpr EventKind kind = EventKind::cart_quantity_set;
    static constexpr std::string_view name = "CartQuantitySet";
    static constexpr std::uint8_t version = 1;
    UserId customer;
    SkuId sku;
    std::int64_t quantity = 0;
    template <class V> void visit(V&& v) { v("customer", customer), v("sku", sku), v("quantity", quantity); }
    void apply(State& state, const EventContext& context) const;
};

// Lines leave the cart: removed by the customer, or placed in an order (placed_in).
struct CartLinesRemoved {
    static constexpr EventKind kind = EventKind::cart_lines_removed;
    static constexpr std::string_view name = "CartLinesRemoved";
    static constexpr std::uint8_t version = 1;
    UserId customer;
    std::vector<SkuId> skus;
    PaymentOrderId placed_in;
    template <class V> void visit(V&& v) { v("customer", customer), v("skus", skus), v("placed_in", placed_in); }
    void apply(State& state, const EventContext& context) const;
};

struct CartSelectionSet {
    static constexpr EventKind kind = EventKind::cart_selection_set;
    static constexpr std::string_view name = "CartSelectionSet";
    static constexpr std::uint8_t version = 1;
    UserId customer;
    std::vector<SkuId> skus;
    bool selected = false;
    template <class V> void visit(V&& v) { v("customer", customer), v("skus", skus), v("selected", selected); }
    void apply(State& state, const EventContext& context) const;
};

using CartEvents = EventList<AddressAdded, AddressUpdated, AddressRemoved, DefaultAddressSet, CartLineAdded,
                             CartQuantitySet, CartLinesRemoved, CartSelectionSet>;

}  // namespace souk::detail
