// Cart state: every customer's address book and cart.
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "souk/cart.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"

namespace souk::detail {

struct AddressRecord {
    AddressId id;
    UserId owner;
    PostalAddress address;
    Timestamp updated_at{};
};

struct AddressBook {
    std::vector<AddressId> addresses;  // ascending
    AddressId default_address;         // zero when the book is empty
};

struct CartLineRecord {
    SkuId sku;
    ShopId shop;
    std::int64_t quantity = 0;
    bool selected = true;
    Money price_seen;  // the unit price when the line was last added to
    Timestamp added_at{};
};

struct CartRecord {
    std::vector<CartLineRecord> lines;  // in the order first added

    const CartLineRecord* find(SkuId sku) const {
        const auto it = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return l.sku == sku; });
        return it == lines.end() ? nullptr : &*it;
    }
    CartLineRecord* find(SkuId sku) {
        return const_cast<CartLineRecord*>(static_cast<const CartRecord&>(*this).find(sku));
    }
};

struct CartState {
    std::unordered_map<AddressId, AddressRecord> addresses;
    std::unordered_map<UserId, AddressBook> books;
    std::unordered_map<UserId, CartRecord> carts;
    std::uint64_t last_address = 0;

    const AddressRecord* find_address(AddressId id) const {
        const auto it = addresses.find(id);
        return it == addresses.end() ? nullptr : &it->second;
    }
    const AddressBook* book_of(UserId customer) const {
        const auto it = books.find(customer);
        return it == books.end() ? nullptr : &it->second;
    }
    const CartRecord* cart_of(UserId customer) const {
        const auto it = carts.find(customer);
        return it == carts.end() ? nullptr : &it->second;
    }
};

}  // namespace souk::detail
