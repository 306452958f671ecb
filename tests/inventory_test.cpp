// Inventory: stock per SKU, reservations and their expiry, low-stock alerts, who may do
// what, the stock moves the order module makes inside its own commands, concurrency, and
// replay after reopening.
#include "souk/inventory.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "inventory/stock_moves.hpp"
#include "kernel/kernel.hpp"
#include "souk/error.hpp"
#include "souk/marketplace.hpp"
#include "support/catalog_fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace souk;
using namespace souk::test;

namespace {

struct Counts {
    std::int64_t on_hand, reserved, available, sold;
    friend bool operator==(const Counts&, const Counts&) = default;
};

Counts counts_of(Catalogued& w, SkuId sku) {
    const auto level = w.inventory().stock(World::sys(), sku);
    REQUIRE(level.available == level.on_hand - level.reserved);
    return {level.on_hand, level.reserved, level.available, level.sold};
}

std::vector<ReservationInfo> all_reservations(Inventory& inventory, ShopId shop,
                                              std::optional<ReservationStatus> status) {
    std::vector<ReservationInfo> all;
    for (std::size_t offset = 0;; offset += Page::max_limit) {
        const auto page = inventory.reservations(Actor::system(), shop, status, Page{offset, Page::max_limit});
        all.insert(all.end(), page.begin(), page.end());
        if (page.size() < Page::max_limit) return all;
    }
}

std::vector<SkuId> skus_of(const std::vector<StockLevel>& levels) {
    std::vector<SkuId> ids;
    for (const auto& level : levels) ids.push_back(level.sku);
    return ids;
}

}  // namespace

TEST_CASE("inventory: adjusting stock is all-or-nothing across SKUs") {
    Catalogued w;
    auto& inventory = w.inventory();
    const auto staff = World::as(w.staff);
    const auto& sku = w.shirt_skus;
    CHECK(counts_of(w, sku[0]) == Counts{0, 0, 0, 0});
    inventory.adjust(staff, {{sku[0], 10}, {sku[1], 3}, {sku[0], 2}}, "delivery");  // one SKU twice: added
    CHECK(counts_of(w, sku[0]) == Counts{12, 0, 12, 0});
    CHECK(counts_of(w, sku[1]) == Counts{3, 0, 3, 0});
    const auto position = w.market.journal_position();
    // The second change would take sku[1] below zero: the first is not applied either.
    CHECK(error_of([&] { inventory.adjust(staff, {{sku[0], 5}, {sku[1], -4}}, "stock take"); }) ==
          Errc::insufficient_stock);
    CHECK(error_of([&] { inventory.adjust(staff, {{sku[0], Inventory::max_on_hand}}, "typo"); }) ==
          Errc::limit_exceeded);
    CHECK(error_of([&] { inventory.adjust(staff, {{sku[0], 0}}, "nothing"); }) == Errc::invalid_argument);
    CHECK(error_of([&] { inventory.adjust(staff, {{sku[0], 2}, {sku[0], -2}}, "nothing"); }) == Errc::invalid_argument);
    CHECK(error_of([&] { inventory.adjust(staff, {{sku[0], Inventory::max_on_hand + 1}}, "big"); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { inventory.adjust(staff, {}, "empty"); }) == Errc::invalid_argument);
    CHECK(error_of([&] { inventory.adjust(staff, {{sku[0], 1}}, ""); }) == Errc::invalid_argument);
    CHECK(error_of([&] { inventory.adjust(staff, {{SkuId{999}, 1}}, "ghost"); }) == Errc::not_found);
    std::vector<StockChange> too_many;
    for (std::size_t i = 0; i <= Inventory::max_lines; ++i) too_many.push_back({sku[i % 4], 1});
    CHECK(error_of([&] { inventory.adjust(staff, too_many, "bulk"); }) == Errc::invalid_argument);
    CHECK(w.market.journal_position() == position);
    CHECK(counts_of(w, sku[0]) == Counts{12, 0, 12, 0});
    CHECK(counts_of(w, sku[1]) == Counts{3, 0, 3, 0});
    // Reserved units cannot be adjusted away.
    inventory.reserve(staff, {{sku[0], 10}}, w.soon());
    CHECK(error_of([&] { inventory.adjust(staff, {{sku[0], -3}}, "breakage"); }) == Errc::insufficient_stock);
    inventory.adjust(staff, {{sku[0], -2}}, "breakage");
    CHECK(counts_of(w, sku[0]) == Counts{10, 10, 0, 0});
    // The catalog shows what can be ordered.
    CHECK(w.catalog().product(World::as(w.customer), w.shirt).skus[1].available == 3);
}

TEST_CASE("inventory: reserve, release and commit move units between available, reserved and sold") {
    Catalogued w;
    auto& inventory = w.inventory();
    const auto owner = World::as(w.owner);
    const auto& sku = w.shirt_skus;
    inventory.adjust(owner, {{sku[0], 10}, {sku[1], 5}}, "delivery");
    w.tick();
    const auto expires = w.soon();
    const auto first = inventory.reserve(owner, {{sku[1], 2}, {sku[0], 3}, {sku[0], 1}}, expires);
    const auto info = inventory.reservation(World::as(w.staff), first);
    CHECK(info.id == first);
    CHECK(info.shop == w.active);
    CHECK(info.owner == ReservationOwner{ReservationHolder::shop, w.active.value});
    CHECK(info.lines == std::vector<StockLine>{{sku[0], 4}, {sku[1], 2}});  // merged, by SKU
    CHECK(info.status == ReservationStatus::open);
    CHECK(info.created_at == w.clock->now());
    CHECK(info.expires_at == expires);
    CHECK_FALSE(info.closed_at.has_value());
    CHECK(counts_of(w, sku[0]) == Counts{10, 4, 6, 0});
    CHECK(counts_of(w, sku[1]) == Counts{5, 2, 3, 0});

    // All-or-nothing: sku[1] has 3 available, so nothing of sku[0] is held either.
    const auto position = w.market.journal_position();
    CHECK(error_of([&] { inventory.reserve(owner, {{sku[0], 1}, {sku[1], 4}}, expires); }) == Errc::insufficient_stock);
    CHECK(w.market.journal_position() == position);
    CHECK(counts_of(w, sku[0]).reserved == 4);

    const auto second = inventory.reserve(owner, {{sku[0], 6}}, expires);
    CHECK(counts_of(w, sku[0]).available == 0);
    CHECK(error_of([&] { inventory.reserve(owner, {{sku[0], 1}}, expires); }) == Errc::insufficient_stock);
    w.tick();
    inventory.commit(owner, first);
    CHECK(counts_of(w, sku[0]) == Counts{6, 6, 0, 4});
    CHECK(counts_of(w, sku[1]) == Counts{3, 0, 3, 2});
    CHECK(inventory.reservation(owner, first).status == ReservationStatus::committed);
    CHECK(inventory.reservation(owner, first).closed_at == w.clock->now());
    CHECK(w.catalog().product(World::as(w.customer), w.shirt).sales == 6);
    inventory.release(owner, second);
    CHECK(counts_of(w, sku[0]) == Counts{6, 0, 6, 4});
    CHECK(inventory.reservation(owner, second).status == ReservationStatus::released);
    // Closed is closed.
    CHECK(error_of([&] { inventory.release(owner, first); }) == Errc::invalid_state);
    CHECK(error_of([&] { inventory.commit(owner, second); }) == Errc::invalid_state);
    CHECK(error_of([&] { inventory.release(owner, ReservationId{999}); }) == Errc::not_found);
    CHECK(error_of([&] { inventory.reservation(owner, ReservationId{999}); }) == Errc::not_found);
    // Newest first, optionally by status.
    const auto listed = all_reservations(inventory, w.active, std::nullopt);
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].id == second);
    CHECK(all_reservations(inventory, w.active, ReservationStatus::committed).front().id == first);
    CHECK(all_reservations(inventory, w.active, ReservationStatus::open).empty());
}

TEST_CASE("inventory: what a reservation may hold and for how long") {
    Catalogued w;
    auto& inventory = w.inventory();
    const auto owner = World::as(w.owner);
    const auto& sku = w.shirt_skus;
    inventory.adjust(owner, {{sku[0], 5}}, "delivery");
    inventory.adjust(World::as(w.other_owner), {{w.other_skus[0], 5}}, "delivery");
    const auto now = w.clock->now();
    CHECK(error_of([&] { inventory.reserve(owner, {{sku[0], 1}}, now); }) == Errc::invalid_argument);
    CHECK(error_of([&] { inventory.reserve(owner, {{sku[0], 1}}, now + Inventory::max_reservation_lifetime +
                                                                       std::chrono::seconds(1)); }) ==
          Errc::invalid_argument);
    inventory.reserve(owner, {{sku[0], 1}}, now + Inventory::max_reservation_lifetime);
    CHECK(error_of([&] { inventory.reserve(owner, {{sku[0], 0}}, w.soon()); }) == Errc::invalid_argument);
    CHECK(error_of([&] { inventory.reserve(owner, {{sku[0], Inventory::max_quantity + 1}}, w.soon()); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { inventory.reserve(owner, {}, w.soon()); }) == Errc::invalid_argument);
    CHECK(error_of([&] { inventory.reserve(owner, {{SkuId{999}, 1}}, w.soon()); }) == Errc::not_found);
    // One shop's stock per reservation; a member of one shop cannot hold another's.
    CHECK(error_of([&] { inventory.reserve(World::sys(), {{sku[0], 1}, {w.other_skus[0], 1}}, w.soon()); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { inventory.reserve(owner, {{sku[0], 1}, {w.other_skus[0], 1}}, w.soon()); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] {
              inventory.reserve(owner, {{w.other_skus[0], 1}, {sku[0], 1}}, w.soon());
          }) == Errc::forbidden);
    // A closed shop's stock is frozen.
    const auto held = inventory.reserve(owner, {{sku[0], 1}}, w.soon());
    w.shops().close(owner, w.active, "moving on");
    CHECK(error_of([&] { inventory.reserve(owner, {{sku[0], 1}}, w.soon()); }) == Errc::invalid_state);
    CHECK(error_of([&] { inventory.adjust(owner, {{sku[0], 1}}, "late delivery"); }) == Errc::invalid_state);
    CHECK(error_of([&] { inventory.set_low_stock_threshold(owner, sku[0], 1); }) == Errc::invalid_state);
    // Its open holds can still be closed, and expire.
    inventory.release(owner, held);
    CHECK(inventory.stock(owner, sku[0]).reserved == 1);
}

TEST_CASE("inventory: tick expires due reservations, deterministically") {
    Catalogued w;
    auto& inventory = w.inventory();
    const auto owner = World::as(w.owner);
    const auto sku = w.shirt_skus[0];
    inventory.adjust(owner, {{sku, 10}}, "delivery");
    const auto start = w.clock->now();
    const auto in_10 = inventory.reserve(owner, {{sku, 1}}, start + std::chrono::minutes(10));
    const auto in_20 = inventory.reserve(owner, {{sku, 2}}, start + std::chrono::minutes(20));
    const auto in_30 = inventory.reserve(owner, {{sku, 3}}, start + std::chrono::minutes(30));
    inventory.commit(owner, in_30);
    CHECK(error_of([&] { inventory.tick(start + std::chrono::seconds(1)); }) == Errc::invalid_argument);  // the future
    CHECK(inventory.tick(start) == 0);
    w.clock->advance(std::chrono::minutes(10));
    const auto position = w.market.journal_position();
    CHECK(w.market.tick(w.clock->now()) == TickReport{1});
    CHECK(w.market.journal_position() == position + 1);
    CHECK(inventory.reservation(owner, in_10).status == ReservationStatus::expired);
    CHECK(inventory.reservation(owner, in_10).closed_at == w.clock->now());
    CHECK(inventory.reservation(owner, in_20).status == ReservationStatus::open);
    CHECK(counts_of(w, sku) == Counts{7, 2, 5, 3});
    CHECK(inventory.tick(w.clock->now()) == 0);  // nothing more is due: nothing is written
    CHECK(w.market.journal_position() == position + 1);
    // An expired reservation is closed like any other.
    CHECK(error_of([&] { inventory.commit(owner, in_10); }) == Errc::invalid_state);
    // An overdue reservation not yet ticked can still be committed.
    w.clock->advance(std::chrono::hours(1));
    inventory.commit(owner, in_20);
    CHECK(inventory.tick(w.clock->now()) == 0);
    CHECK(counts_of(w, sku) == Counts{5, 0, 5, 5});
    // The expiry is in the reservation's and the SKU's audit trail, made by the system.
    const auto trail = w.market.audit(owner, EntityRef::of(in_10));
    REQUIRE(trail.size() == 2);
    CHECK(trail[1].event == "StockReleased");
    CHECK(trail[1].actor == UserId{});
    CHECK(trail[1].details.find("\"expired\":true") != std::string::npos);
}

TEST_CASE("inventory: tick expires any number of reservations, in commands of bounded size") {
    Catalogued w;
    auto& inventory = w.inventory();
    const auto owner = World::as(w.owner);
    const auto sku = w.shirt_skus[0];
    inventory.adjust(owner, {{sku, 1200}}, "delivery");
    for (int i = 0; i < 1100; ++i) inventory.reserve(owner, {{sku, 1}}, w.soon());
    w.clock->advance(std::chrono::hours(1));
    const auto position = w.market.journal_position();
    CHECK(w.market.tick(w.clock->now()).reservations_expired == 1100);
    CHECK(w.market.journal_position() == position + 3);  // 500 + 500 + 100
    CHECK(counts_of(w, sku) == Counts{1200, 0, 1200, 0});
}

TEST_CASE("inventory: low-stock thresholds and the shop's low-stock list") {
    Catalogued w;
    auto& inventory = w.inventory();
    const auto staff = World::as(w.staff);
    const auto& sku = w.shirt_skus;
    inventory.adjust(staff, {{sku[0], 10}, {sku[1], 2}, {sku[2], 5}}, "delivery");
    inventory.set_low_stock_threshold(staff, sku[0], 3);
    inventory.set_low_stock_threshold(staff, sku[1], 3);
    inventory.set_low_stock_threshold(staff, sku[2], 5);  // at the threshold counts as low
    inventory.set_low_stock_threshold(World::as(w.other_staff), w.other_skus[0], 3);
    CHECK(skus_of(inventory.low_stock(staff, w.active)) == std::vector{sku[1], sku[2]});
    CHECK(skus_of(inventory.low_stock(World::as(w.other_owner), w.other_shop)) == std::vector{w.other_skus[0]});
    // Reserving counts: available is what matters.
    const auto hold = inventory.reserve(staff, {{sku[0], 7}}, w.soon());
    CHECK(skus_of(inventory.low_stock(staff, w.active)) == std::vector{sku[0], sku[1], sku[2]});
    CHECK(skus_of(inventory.low_stock(staff, w.active, Page{1, 1})) == std::vector{sku[1]});
    inventory.release(staff, hold);
    inventory.adjust(staff, {{sku[1], 10}}, "restock");
    inventory.set_low_stock_threshold(staff, sku[2], std::nullopt);
    CHECK(inventory.low_stock(staff, w.active).empty());
    CHECK(inventory.stock(staff, sku[0]).low_stock_threshold == 3);
    CHECK_FALSE(inventory.stock(staff, sku[2]).low_stock_threshold.has_value());
    // A dropped SKU is no longer reported.
    inventory.adjust(staff, {{sku[1], -12}}, "stock take");
    CHECK(skus_of(inventory.low_stock(staff, w.active)) == std::vector{sku[1]});
    auto draft = shirt_draft(w.shirts);
    draft.specs[0].values = {"red"};
    draft.skus.resize(1);
    draft.specs[1].values = {"S"};
    w.catalog().set_specs(staff, w.shirt, draft.specs, draft.skus);
    CHECK(inventory.low_stock(staff, w.active).empty());
    CHECK(skus_of(inventory.stock_of_product(staff, w.shirt)) == w.shirt_skus);  // dropped ones included
    CHECK(error_of([&] { inventory.set_low_stock_threshold(staff, sku[0], -1); }) == Errc::invalid_argument);
    CHECK(error_of([&] { inventory.low_stock(staff, w.active, Page{0, Page::max_limit + 1}); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { inventory.low_stock(staff, ShopId{999}); }) == Errc::not_found);
}

TEST_CASE("inventory: only the shop's owner and staff move its stock; platform staff may look") {
    Catalogued w;
    auto& inventory = w.inventory();
    const auto sku = w.shirt_skus[0];
    inventory.adjust(World::as(w.owner), {{sku, 5}}, "delivery");
    const auto hold = inventory.reserve(World::as(w.staff), {{sku, 1}}, w.soon());
    const auto position = w.market.journal_position();
    for (const auto who : {w.other_owner, w.other_staff, w.customer, w.disabled, w.op, w.admin}) {
        CAPTURE(who.value);
        const auto actor = World::as(who);
        CHECK(error_of([&] { inventory.adjust(actor, {{sku, 1}}, "mine"); }) == Errc::forbidden);
        CHECK(error_of([&] { inventory.reserve(actor, {{sku, 1}}, w.soon()); }) == Errc::forbidden);
        CHECK(error_of([&] { inventory.release(actor, hold); }) == Errc::forbidden);
        CHECK(error_of([&] { inventory.commit(actor, hold); }) == Errc::forbidden);
        CHECK(error_of([&] { inventory.set_low_stock_threshold(actor, sku, 1); }) == Errc::forbidden);
    }
    CHECK(error_of([&] { inventory.adjust(Actor::user(UserId{999}), {{sku, 1}}, "ghost"); }) == Errc::unauthenticated);
    // One forbidden SKU spoils the whole adjustment.
    CHECK(error_of([&] { inventory.adjust(World::as(w.owner), {{sku, 1}, {w.other_skus[0], 1}}, "both"); }) ==
          Errc::forbidden);
    CHECK(w.market.journal_position() == position);
    // Reading: the shop's members and platform staff.
    for (const auto who : {w.owner, w.staff, w.op, w.admin}) {
        CAPTURE(who.value);
        CHECK(inventory.stock(World::as(who), sku).on_hand == 5);
        CHECK(inventory.reservation(World::as(who), hold).lines.front().quantity == 1);
        CHECK(inventory.stock_of_product(World::as(who), w.shirt).size() == 4);
        CHECK(inventory.low_stock(World::as(who), w.active).empty());
        CHECK(inventory.reservations(World::as(who), w.active, std::nullopt).size() == 1);
    }
    for (const auto who : {w.other_owner, w.customer, w.disabled}) {
        CAPTURE(who.value);
        CHECK(error_of([&] { inventory.stock(World::as(who), sku); }) == Errc::forbidden);
        CHECK(error_of([&] { inventory.reservation(World::as(who), hold); }) == Errc::forbidden);
        CHECK(error_of([&] { inventory.stock_of_product(World::as(who), w.shirt); }) == Errc::forbidden);
        CHECK(error_of([&] { inventory.low_stock(World::as(who), w.active); }) == Errc::forbidden);
        CHECK(error_of([&] { inventory.reservations(World::as(who), w.active, std::nullopt); }) == Errc::forbidden);
        CHECK(error_of([&] { w.market.audit(World::as(who), EntityRef::of(hold)); }) == Errc::forbidden);
    }
}

// What the order module does: stock moves inside its own commands, through the kernel.
TEST_CASE("inventory: the order module reserves, releases and commits inside its own commands") {
    Catalogued w;
    const auto& sku = w.shirt_skus;
    w.inventory().adjust(World::as(w.owner), {{sku[0], 10}, {sku[1], 4}}, "delivery");
    auto owned = copy_journal(*w.journal);
    auto* journal = owned.get();
    detail::Kernel kernel(std::move(owned), w.clock);
    const auto available = [&](SkuId id) {
        return kernel.read([&](const detail::State& s) { return s.inventory.available(id); });
    };
    const auto command = [&](auto&& moves) {
        return kernel.execute(World::as(w.customer), [&](const detail::State& s, detail::EventSink& out) {
            detail::StockMoves stock(s, out);
            return moves(stock);
        });
    };
    const ReservationOwner order_41{ReservationHolder::order, 41}, order_42{ReservationHolder::order, 42};

    // Two sub-orders in one command: their demand adds up.
    const auto ids = command([&](detail::StockMoves& stock) {
        const auto a = stock.reserve(order_41, {{sku[0], 6}}, w.soon());
        const auto b = stock.reserve(order_42, {{sku[0], 4}, {sku[1], 4}}, w.soon());
        // A refused operation emits nothing; the command may go on without it.
        CHECK(error_of([&] { stock.reserve(order_42, {{sku[0], 1}}, w.soon()); }) == Errc::insufficient_stock);
        return std::pair(a, b);
    });
    const auto first = ids.first, second = ids.second;
    CHECK(second.value == first.value + 1);
    CHECK(available(sku[0]) == 0);

    // A command fails whole: releasing 6 and reserving 7 of them oversells, so the release is undone too.
    const auto position = kernel.durable_position();
    CHECK(error_of([&] {
              command([&](detail::StockMoves& stock) {
                  stock.release(first);
                  return stock.reserve(ReservationOwner{ReservationHolder::order, 43}, {{sku[0], 7}}, w.soon());
              });
          }) == Errc::insufficient_stock);
    CHECK(kernel.durable_position() == position);
    CHECK(available(sku[0]) == 0);

    // Released units can be reserved again in the same command; a reservation closes once.
    const auto third = command([&](detail::StockMoves& stock) {
        stock.release(first);
        CHECK(error_of([&] { stock.commit(first); }) == Errc::invalid_state);
        const auto id = stock.reserve(ReservationOwner{ReservationHolder::order, 43}, {{sku[0], 5}}, w.soon());
        stock.commit(id);  // made and paid in one command
        return id;
    });
    command([&](detail::StockMoves& stock) {
        stock.commit(second);
        return 0;
    });
    CHECK(available(sku[0]) == 1);
    CHECK(error_of([&] {
              command([&](detail::StockMoves& stock) { return stock.open_reservation(ReservationId{99}).id; });
          }) == Errc::not_found);

    // The marketplace over the same journal sees all of it; shops cannot close an order's reservation.
    const auto pending = command([&](detail::StockMoves& stock) {
        return stock.reserve(ReservationOwner{ReservationHolder::order, 45}, {{sku[0], 1}}, w.soon());
    });
    auto reopened = open_market(w.clock, copy_journal(*journal));
    auto& inventory = reopened.market.inventory();
    const auto owner = World::as(w.owner);
    CHECK(inventory.reservation(owner, pending).owner == ReservationOwner{ReservationHolder::order, 45});
    CHECK(inventory.reservation(owner, ids.first).status == ReservationStatus::released);
    CHECK(inventory.reservation(owner, ids.second).status == ReservationStatus::committed);
    CHECK(inventory.reservation(owner, third).status == ReservationStatus::committed);
    CHECK(inventory.stock(owner, sku[0]) == StockLevel{sku[0], w.shirt, w.active, 1, 1, 0, 9, std::nullopt, false});
    CHECK(inventory.stock(owner, sku[1]) == StockLevel{sku[1], w.shirt, w.active, 0, 0, 0, 4, std::nullopt, false});
    CHECK(error_of([&] { inventory.release(owner, pending); }) == Errc::forbidden);
    CHECK(error_of([&] { inventory.commit(World::sys(), pending); }) == Errc::forbidden);
    // Expiry applies to orders' reservations too.
    w.clock->advance(std::chrono::hours(2));
    CHECK(reopened.market.tick(w.clock->now()).reservations_expired == 1);
    CHECK(inventory.stock(owner, sku[0]).available == 1);
    CHECK(reopened.market.catalog().product(owner, w.shirt).sales == 13);
}

TEST_CASE("inventory: concurrent reservations never oversell and never lose a unit") {
    Catalogued w;
    auto& inventory = w.inventory();
    const auto staff = World::as(w.staff);
    const std::vector<SkuId> skus{w.shirt_skus[0], w.shirt_skus[1]};
    constexpr std::int64_t initial = 400;
    inventory.adjust(staff, {{skus[0], initial}, {skus[1], initial}}, "delivery");
    constexpr int threads = 8, attempts = 150, restocks = 50;
    std::atomic<std::int64_t> committed_units{0}, restocked_units{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            std::mt19937 random(20260115 + t);
            for (int i = 0; i < attempts; ++i) {
                const std::int64_t a = random() % 5 + 1, b = random() % 5;
                std::vector<StockLine> lines{{skus[0], a}};
                if (b > 0) lines.push_back({skus[1], b});
                ReservationId id;
                try {
                    id = inventory.reserve(staff, lines, w.soon());
                } catch (const Error& e) {
                    REQUIRE(e.code() == Errc::insufficient_stock);
                    ++refused;
                    continue;
                }
                switch (random() % 3) {
                    case 0: inventory.release(staff, id); break;
                    case 1:
                        inventory.commit(staff, id);
                        committed_units += a + b;
                        break;
                    default: break;  // left open
                }
            }
        });
    }
    // Restocking runs alongside.
    workers.emplace_back([&] {
        for (int i = 0; i < restocks; ++i) {
            inventory.adjust(staff, {{skus[i % 2], 1}}, "returned to stock");
            ++restocked_units;
        }
    });
    for (auto& worker : workers) worker.join();

    CHECK(refused > 0);  // the stock ran out, so contention at the limit was exercised
    std::map<SkuId, std::int64_t> open_units;
    for (const auto& reservation : all_reservations(inventory, w.active, ReservationStatus::open))
        for (const auto& line : reservation.lines) open_units[line.sku] += line.quantity;
    std::int64_t sold_total = 0;
    for (const auto sku : skus) {
        CAPTURE(sku.value);
        const auto level = inventory.stock(staff, sku);
        CHECK(level.reserved == open_units[sku]);
        CHECK(level.available >= 0);
        CHECK(level.available == level.on_hand - level.reserved);
        sold_total += level.sold;
        // Every unit is on hand or sold: nothing created, nothing lost.
        CHECK(level.on_hand + level.sold == initial + restocks / 2);
    }
    CHECK(sold_total == committed_units);
    CHECK(restocked_units == restocks);
    CHECK(w.catalog().product(staff, w.shirt).sales == static_cast<std::uint64_t>(sold_total));
    // Replaying the journal gives the same numbers.
    auto reopened = open_market(w.clock, copy_journal(*w.journal));
    for (const auto sku : skus) CHECK(reopened.market.inventory().stock(staff, sku) == inventory.stock(staff, sku));
}

// ---------------------------------------------------------------------------------------
// Replay

namespace {

struct InventoryView {
    std::vector<StockLevel> levels;
    std::vector<ReservationInfo> reservations;
    std::vector<StockLevel> low;
    std::vector<std::vector<AuditEntry>> sku_trails;
    std::vector<std::vector<AuditEntry>> reservation_trails;
    friend bool operator==(const InventoryView&, const InventoryView&) = default;
};

InventoryView view_of(Marketplace& market, ShopId shop, ProductId product) {
    const auto sys = Actor::system();
    InventoryView view;
    view.levels = market.inventory().stock_of_product(sys, product);
    view.reservations = all_reservations(market.inventory(), shop, std::nullopt);
    view.low = market.inventory().low_stock(sys, shop, Page{0, Page::max_limit});
    for (const auto& level : view.levels) view.sku_trails.push_back(market.audit(sys, EntityRef::of(level.sku)));
    for (const auto& r : view.reservations) view.reservation_trails.push_back(market.audit(sys, EntityRef::of(r.id)));
    return view;
}

}  // namespace

TEST_CASE("inventory: a reopened SQLite marketplace holds the same stock and reservations, and goes on the same way") {
    TempDir dir;
    const auto path = dir / "inventory.souk";
    auto clock = std::make_shared<ManualClock>(fixture_start());
    InventoryView before;
    ShopId shop;
    ProductId shirt;
    std::vector<SkuId> skus;
    ReservationId open_hold;
    {
        auto market = Marketplace::open_sqlite(path, fast_options(clock));
        const auto admin = Actor::user(market.accounts().bootstrap_admin("admin@souk.test", fixture_password, "Admin"));
        const auto seller =
            Actor::user(market.accounts().register_user("seller@souk.test", fixture_password, "Seller"));
        shop = market.shops().apply(seller, application_named("Seller Shop"));
        market.shops().approve(admin, shop);
        const auto apparel = market.catalog().create_category(
            admin, CategorySpec{"Apparel", std::nullopt, 500, {{"brand", true, {}}, {"material", false, {}}}});
        shirt = market.catalog().create_product(seller, shop, shirt_draft(apparel));
        for (const auto& sku : market.catalog().product(seller, shirt).skus) skus.push_back(sku.id);
        auto& inventory = market.inventory();
        inventory.adjust(seller, {{skus[0], 20}, {skus[1], 8}, {skus[2], 1}}, "delivery");
        inventory.set_low_stock_threshold(seller, skus[1], 5);
        inventory.set_low_stock_threshold(seller, skus[2], 0);
        const auto committed =
            inventory.reserve(seller, {{skus[0], 3}, {skus[1], 4}}, clock->now() + std::chrono::hours(1));
        inventory.commit(seller, committed);
        const auto released = inventory.reserve(seller, {{skus[0], 2}}, clock->now() + std::chrono::hours(1));
        inventory.release(seller, released);
        inventory.reserve(seller, {{skus[2], 1}}, clock->now() + std::chrono::minutes(10));
        open_hold = inventory.reserve(seller, {{skus[0], 5}}, clock->now() + std::chrono::hours(2));
        clock->advance(std::chrono::minutes(30));
        REQUIRE(market.tick(clock->now()).reservations_expired == 1);
        inventory.adjust(seller, {{skus[2], -1}}, "damaged");
        before = view_of(market, shop, shirt);
        REQUIRE(before.reservations.size() == 4);
        REQUIRE(before.low.size() == 2);
    }
    auto reopened = Marketplace::open_sqlite(path, fast_options(clock));
    CHECK(view_of(reopened, shop, shirt) == before);
    // Reservation ids carry on, open holds can still be closed and expire on time.
    const auto seller = Actor::user(UserId{2});
    auto& inventory = reopened.inventory();
    CHECK(inventory.reserve(seller, {{skus[0], 1}}, clock->now() + std::chrono::hours(1)) == ReservationId{5});
    CHECK(error_of([&] { inventory.reserve(seller, {{skus[0], 12}}, clock->now() + std::chrono::hours(1)); }) ==
          Errc::insufficient_stock);
    clock->advance(std::chrono::hours(3));
    CHECK(reopened.tick(clock->now()).reservations_expired == 2);
    CHECK(inventory.reservation(seller, open_hold).status == ReservationStatus::expired);
    CHECK(inventory.stock(seller, skus[0]).available == 17);
}
