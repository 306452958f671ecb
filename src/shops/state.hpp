// Shops state: tenants, their staff, and the names in use.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/multi_index/hashed_index.hpp>
#include <boost/multi_index/member.hpp>
#include <boost/multi_index/ordered_index.hpp>
#include <boost/multi_index/composite_key.hpp>
#include <boost/multi_index_container.hpp>

#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/shops.hpp"

namespace souk::detail {

struct ShopRecord {
    ShopId id;
    UserId owner;
    ShopApplication application;
    ShopStatus status{};
    std::vector<UserId> staff;
    std::optional<int> commission_bps;
    std::string status_reason;
    Timestamp applied_at{};
    std::optional<Timestamp> approved_at;

    bool has_member(UserId user) const {
        return user == owner || std::find(staff.begin(), staff.end(), user) != staff.end();
    }
};

struct by_shop_id {};
struct by_owner {};
struct by_status {};

namespace bmi = boost::multi_index;

using ShopTable = bmi::multi_index_container<
    ShopRecord,
    bmi::indexed_by<
        bmi::hashed_unique<bmi::tag<by_shop_id>, bmi::member<ShopRecord, ShopId, &ShopRecord::id>, std::hash<ShopId>>,
        bmi::hashed_non_unique<bmi::tag<by_owner>, bmi::member<ShopRecord, UserId, &ShopRecord::owner>,
                               std::hash<UserId>>,
        bmi::ordered_unique<bmi::tag<by_status>,
                            bmi::composite_key<ShopRecord, bmi::member<ShopRecord, ShopStatus, &ShopRecord::status>,
                                               bmi::member<ShopRecord, ShopId, &ShopRecord::id>>>>>;

struct ShopsState {
    ShopTable shops;
    // Names of shops that are not closed, folded for comparison: names are unique among them.
    std::unordered_map<std::string, ShopId> names_in_use;
    // Shops each user works for as staff (owners are found through the by_owner index).
    std::unordered_multimap<UserId, ShopId> staff_of;
    std::uint64_t last_shop = 0;

    const ShopRecord* find(ShopId id) const {
        const auto it = shops.find(id);
        return it == shops.end() ? nullptr : &*it;
    }
    // The shops the user owns or works for, in any status, by id.
    std::vector<ShopId> member_shops(UserId user) const {
        std::vector<ShopId> ids;
        const auto [first, last] = shops.get<by_owner>().equal_range(user);
        for (auto it = first; it != last; ++it) ids.push_back(it->id);
        const auto [staff_first, staff_last] = staff_of.equal_range(user);
        for (auto it = staff_first; it != staff_last; ++it) ids.push_back(it->second);
        std::sort(ids.begin(), ids.end());
        return ids;
    }
};

// ASCII case folding and trimmed spaces: "Tea House " and "tea house" are the same name.
std::string fold_shop_name(std::string_view name);

}  // namespace souk::detail
