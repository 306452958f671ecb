#include <souk/souk.hpp>

#include <fmt/format.h>

int main() {
    auto market = souk::Marketplace::in_memory({.password_hashing = souk::PasswordHashing::minimal});
    auto& accounts = market.accounts();
    const auto admin = souk::Actor::user(accounts.bootstrap_admin("admin@example.com", "correct horse", "Admin"));
    accounts.register_user("lin@example.com", "tea-and-cake", "Lin");
    const auto lin = accounts.authenticate(accounts.login("lin@example.com", "tea-and-cake").token);
    const auto shop = market.shops().apply(lin, {.name = "Lin's Tea House", .business_category = "tea",
                                                 .contact_name = "Lin", .contact_email = "lin@example.com"});
    market.shops().approve(admin, shop);  // a platform admin reviews the application

    const auto profile = market.shops().profile(souk::Actor::system(), shop);
    const auto price = souk::Money::parse("128.50", souk::Currency::of("CNY"));
    fmt::print("{} is {}; a tin of oolong costs {}\n", profile.name, souk::shop_status_name(profile.status), price);
    for (const auto& entry : market.audit(admin, souk::EntityRef::of(shop)))
        fmt::print("  command {}: {}\n", entry.command, entry.event);
}
