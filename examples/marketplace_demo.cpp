// The marketplace demo: onboards a platform's first merchants into a SQLite journal file,
// closes it, reopens it and reports what the file holds.
//
//   souk-demo [FILE]        (default: demo.souk; an existing file is reopened and extended)
#include <souk/souk.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

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

// The demo hashes passwords at the cheapest argon2id setting so it runs in seconds;
// real deployments keep the default (interactive).
souk::MarketplaceOptions demo_options() { return {.password_hashing = souk::PasswordHashing::minimal}; }

std::string login_for(std::size_t index) { return fmt::format("merchant{}@example.com", index + 1); }

souk::ShopApplication application_for(const Merchant& m, std::size_t index) {
    return {.name = m.shop,
            .description = fmt::format("{} — run by {}", m.shop, m.owner),
            .business_category = m.category,
            .contact_name = m.owner,
            .contact_email = login_for(index)};
}

// Merchants register and apply; the operator approves most, rejects two (one of which fixes
// its application and is approved on resubmission) and suspends one shop after a complaint.
void onboard(souk::Marketplace& market) {
    auto& accounts = market.accounts();
    const auto admin = souk::Actor::user(accounts.bootstrap_admin("admin@souk.example", "admin-password", "Admin"));
    const auto op_id = accounts.register_user("ops@souk.example", "operator-password", "Operator");
    accounts.grant_role(admin, op_id, souk::PlatformRole::operator_staff);
    const auto op = souk::Actor::user(op_id);

    std::vector<souk::ShopId> shops;
    for (std::size_t i = 0; i < std::size(merchants); ++i) {
        const auto owner = accounts.register_user(login_for(i), "merchant-password", merchants[i].owner);
        const auto session = accounts.login(login_for(i), "merchant-password");
        shops.push_back(market.shops().apply(accounts.authenticate(session.token), application_for(merchants[i], i)));
    }
    for (int c = 0; c < 40; ++c)
        accounts.register_user(fmt::format("+86 138 0000 {:04}", c), "customer-password", fmt::format("Customer {}", c));

    for (std::size_t i = 0; i < shops.size(); ++i) {
        if (i == 3 || i == 8) {
            market.shops().reject(op, shops[i], "business licence photo is unreadable");
        } else {
            market.shops().approve(op, shops[i]);
        }
    }
    const auto resubmitter = souk::Actor::user(*accounts.find_by_login(op, login_for(3)));
    auto fixed = application_for(merchants[3], 3);
    fixed.description += " (licence re-uploaded)";
    market.shops().resubmit(resubmitter, shops[3], fixed);
    market.shops().approve(op, shops[3]);
    market.shops().set_commission(op, shops[1], 350);
    market.shops().suspend(op, shops[6], "counterfeit complaint under investigation");
    market.shops().add_staff(resubmitter, shops[3], *accounts.find_by_login(op, "+86 138 0000 0001"));
}

void report(souk::Marketplace& market) {
    const auto admin = souk::Actor::user(*market.accounts().find_by_login(souk::Actor::system(), "admin@souk.example"));
    std::map<std::string, int> by_status;
    for (const auto& shop : market.shops().list(admin, std::nullopt, {.limit = souk::Page::max_limit}))
        ++by_status[std::string(souk::shop_status_name(shop.status))];
    fmt::print("journal position: {}\n", market.journal_position());
    for (const auto& [status, count] : by_status) fmt::print("  shops {:<10} {}\n", status, count);
    fmt::print("active shops a customer sees:\n");
    for (const auto& shop : market.shops().list(souk::Actor::system(), souk::ShopStatus::active))
        fmt::print("  #{:<3} {:<24} {}\n", shop.id, shop.name, shop.business_category);
    const auto audited = souk::ShopId{4};
    const auto details = market.shops().details(admin, audited);
    fmt::print("history of shop #{} ({}, {} staff):\n", audited, details.profile.name, details.staff.size());
    for (const auto& entry : market.audit(admin, souk::EntityRef::of(audited)))
        fmt::print("  {} #{:<4} {:<16} by user {}\n", souk::format_timestamp(entry.time), entry.command, entry.event,
                   entry.actor);
}

}  // namespace

int main(int argc, char** argv) try {
    const std::string path = argc > 1 ? argv[1] : "demo.souk";
    {
        auto market = souk::Marketplace::open_sqlite(path, demo_options());
        if (market.journal_position() == 0) {
            const auto start = std::chrono::steady_clock::now();
            onboard(market);
            fmt::print("onboarded {} merchants into {} in {} ms\n", std::size(merchants), path,
                       std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
        }
    }
    const auto start = std::chrono::steady_clock::now();
    auto reopened = souk::Marketplace::open_sqlite(path, demo_options());
    fmt::print("reopened {} in {} ms\n", path,
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
    report(reopened);
    return 0;
} catch (const souk::Error& e) {
    fmt::print(stderr, "souk-demo: {}\n", e.what());
    return 1;
}
