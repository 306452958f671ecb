// Stage 1: merchants register and apply; the operator approves most, rejects two (one of
// which fixes its application and is approved on resubmission), suspends one shop after a
// complaint and sets a negotiated commission. Forty customers register with an address.
#include <fmt/format.h>

#include "demo.hpp"

namespace demo {
namespace {

struct Merchant {
    const char* owner;
    const char* shop;
    const char* category;
};

constexpr Merchant merchants[] = {
    {"Wang Fang", "王芳茶叶铺", "茶叶"},        {"Li Wei", "Li Wei Ceramics", "ceramics"},
    {"Zhang Min", "张敏手工皂", "个护"},        {"Chen Jie", "Chen's Silk Road", "textiles"},
    {"Liu Yang", "刘洋数码", "电子产品"},       {"Yang Lin", "Yang Lin Books", "books"},
    {"Zhao Lei", "赵磊户外装备", "户外"},       {"Huang Li", "Huang Li Bakery", "food"},
    {"Zhou Xin", "周鑫文具", "文具"},           {"Wu Hao", "Wu Hao Audio", "electronics"},
    {"Xu Jing", "徐静母婴", "母婴"},            {"Sun Tao", "Sun Tao Tea Garden", "tea"},
};
constexpr std::size_t customer_count = 40;

std::string login_for(std::size_t index) { return fmt::format("merchant{}@example.com", index + 1); }

souk::ShopApplication application_for(const Merchant& m, std::size_t index) {
    return {.name = m.shop,
            .description = fmt::format("{} — run by {}", m.shop, m.owner),
            .business_category = m.category,
            .contact_name = m.owner,
            .contact_email = login_for(index)};
}

souk::PostalAddress home_of(std::size_t customer) {
    return {fmt::format("Customer {}", customer), fmt::format("+86 138 0000 {:04}", customer),
            {"310000", "310100", "310106"}, fmt::format("文三路 {} 号", 100 + customer), "310012"};
}

}  // namespace

void onboard(DemoWorld& w) {
    auto& accounts = w.market.accounts();
    w.admin = souk::Actor::user(accounts.bootstrap_admin("admin@souk.example", "admin-password", "Admin"));
    const auto op_id = accounts.register_user("ops@souk.example", "operator-password", "Operator");
    accounts.grant_role(w.admin, op_id, souk::PlatformRole::operator_staff);
    w.op = souk::Actor::user(op_id);

    std::vector<DemoShop> applied;
    for (std::size_t i = 0; i < std::size(merchants); ++i) {
        accounts.register_user(login_for(i), "merchant-password", merchants[i].owner);
        const auto session = accounts.login(login_for(i), "merchant-password");
        const auto owner = accounts.authenticate(session.token);
        applied.push_back({w.market.shops().apply(owner, application_for(merchants[i], i)), owner, merchants[i].shop, {}});
    }
    for (std::size_t c = 0; c < customer_count; ++c) {
        const auto customer = souk::Actor::user(accounts.register_user(
            fmt::format("+86 138 0000 {:04}", c), "customer-password", fmt::format("Customer {}", c)));
        w.customers.push_back(customer);
        w.homes.push_back(w.market.cart().add_address(customer, home_of(c), true));
    }

    auto& shops = w.market.shops();
    for (std::size_t i = 0; i < applied.size(); ++i) {
        if (i == 3 || i == 8) {
            shops.reject(w.op, applied[i].id, "business licence photo is unreadable");
        } else {
            shops.approve(w.op, applied[i].id);
        }
    }
    auto fixed = application_for(merchants[3], 3);
    fixed.description += " (licence re-uploaded)";
    shops.resubmit(applied[3].owner, applied[3].id, fixed);
    shops.approve(w.op, applied[3].id);
    shops.set_commission(w.op, applied[1].id, 350);
    shops.suspend(w.op, applied[6].id, "counterfeit complaint under investigation");
    shops.add_staff(applied[3].owner, applied[3].id, w.customers[1].user_id());
    for (std::size_t i = 0; i < applied.size(); ++i)
        if (i != 6 && i != 8) w.shops.push_back(applied[i]);
}

}  // namespace demo
