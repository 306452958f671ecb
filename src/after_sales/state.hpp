// After-sales state: every request, the open one of each sub-order, and the response
// deadlines tick walks.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "souk/after_sales.hpp"
#include "souk/ids.hpp"

namespace souk::detail {

struct AfterSalesState {
    std::map<AfterSalesId, AfterSalesInfo> requests;
    std::map<SubOrderId, std::vector<AfterSalesId>> by_sub_order;
    std::map<SubOrderId, AfterSalesId> open;  // requested, approved or return_shipped
    std::set<std::pair<ShopId, AfterSalesId>> by_shop;
    std::set<std::pair<UserId, AfterSalesId>> by_customer;
    std::set<std::pair<Timestamp, AfterSalesId>> response_deadlines;  // of requested ones
    std::uint64_t last_request = 0;

    const AfterSalesInfo* find(AfterSalesId id) const {
        const auto it = requests.find(id);
        return it == requests.end() ? nullptr : &it->second;
    }
    bool has_open(SubOrderId sub_order) const { return open.contains(sub_order); }
};

}  // namespace souk::detail
