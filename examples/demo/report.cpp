// Stage 4: the operator's view of the month, computed from queries only, so that the same
// figures can be read again from the reopened file.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "demo.hpp"

namespace demo {
namespace {

souk::Actor admin_of(souk::Marketplace& market) {
    return souk::Actor::user(*market.accounts().find_by_login(souk::Actor::system(), "admin@souk.example"));
}

template <class Query>
void for_each_page(Query&& query) {
    for (std::size_t offset = 0;; offset += souk::Page::max_limit)
        if (query(souk::Page{offset, souk::Page::max_limit}) < souk::Page::max_limit) return;
}

}  // namespace

Summary summarize(souk::Marketplace& market) {
    const auto admin = admin_of(market);
    const auto cny = souk::Currency::of("CNY");
    Summary summary{0, {}, souk::Money::zero(cny), souk::Money::zero(cny), {}};
    std::map<std::string, souk::Money> takings;
    std::map<souk::ShopId, std::string> names;
    for (const auto& shop : market.shops().list(admin, std::nullopt, {0, souk::Page::max_limit})) names[shop.id] = shop.name;
    std::set<souk::PaymentOrderId> orders;
    for_each_page([&](souk::Page page) {
        const auto sub_orders = market.orders().sub_orders(admin, {}, page);
        for (const auto& sub_order : sub_orders) {
            orders.insert(sub_order.order);
            ++summary.sub_orders_by_status[std::string(souk::sub_order_status_name(sub_order.status))];
            if (!sub_order.paid_at) continue;
            summary.paid += sub_order.payable;
            summary.refunded += sub_order.refunded;
            auto [it, first] = takings.try_emplace(names[sub_order.shop], souk::Money::zero(cny));
            it->second += sub_order.payable - sub_order.refunded;
        }
        return sub_orders.size();
    });
    summary.orders = orders.size();
    summary.takings.assign(takings.begin(), takings.end());
    std::stable_sort(summary.takings.begin(), summary.takings.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return summary;
}

void print(souk::Marketplace& market, const Summary& summary) {
    fmt::print("journal position: {}\n", market.journal_position());
    fmt::print("{} orders split into {} sub-orders:\n", summary.orders, [&] {
        std::size_t n = 0;
        for (const auto& [status, count] : summary.sub_orders_by_status) n += count;
        return n;
    }());
    for (const auto& [status, count] : summary.sub_orders_by_status) fmt::print("  {:<18} {}\n", status, count);
    fmt::print("paid {}, refunded {}, kept by the shops {}\n", summary.paid, summary.refunded,
               summary.paid - summary.refunded);
    fmt::print("takings by shop:\n");
    for (const auto& [shop, amount] : summary.takings) fmt::print("  {:<22} {:>12}\n", shop, fmt::format("{}", amount));
    const auto result = market.catalog().search({.text = "茶", .sort = souk::SearchSort::sales});
    fmt::print("search \"茶\": {} products, best sellers first:\n", result.total);
    for (const auto& hit : result.hits)
        fmt::print("  {:<28} {:>10} sold {}\n", market.catalog().product(admin_of(market), hit.product).title,
                   hit.price ? fmt::format("{}", *hit.price) : "-", hit.sales);
}

}  // namespace demo
