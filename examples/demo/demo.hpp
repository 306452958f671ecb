// The marketplace demo's stages, run in order on one marketplace: a platform onboards its
// merchants, the shops stock their shelves, customers trade for a month, and the operator
// reads the books.
#pragma once

#include <souk/souk.hpp>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace demo {

// One shop the operator approved, with the products it lists.
struct DemoShop {
    souk::ShopId id;
    souk::Actor owner = souk::Actor::system();
    std::string name;
    std::vector<souk::SkuId> skus;
};

struct DemoWorld {
    souk::Marketplace& market;
    std::shared_ptr<souk::ManualClock> clock;
    std::shared_ptr<souk::SandboxProvider> sandbox;
    souk::Actor admin = souk::Actor::system();
    souk::Actor op = souk::Actor::system();
    std::vector<DemoShop> shops;  // the active ones
    std::vector<souk::Actor> customers;
    std::vector<souk::AddressId> homes;  // each customer's default address
    std::mt19937_64 random{2026};

    // Moves the marketplace clock on and fires what fell due.
    void advance(souk::Duration by);
    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); }
    bool chance(int percent) { return pick(100) < static_cast<std::size_t>(percent); }
};

// What the operator reads at the end, and reads again from the reopened file.
struct Summary {
    std::size_t orders = 0;
    std::map<std::string, std::size_t> sub_orders_by_status;
    souk::Money paid, refunded;
    std::vector<std::pair<std::string, souk::Money>> takings;  // per shop, paid less refunded, largest first
    friend bool operator==(const Summary&, const Summary&) = default;
};

void onboard(DemoWorld& world);
void stock_shelves(DemoWorld& world);
void trade(DemoWorld& world, int days);
Summary summarize(souk::Marketplace& market);
void print(souk::Marketplace& market, const Summary& summary);

}  // namespace demo
