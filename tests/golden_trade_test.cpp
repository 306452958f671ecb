// The golden trade journal: tests/data/golden-trade-v1.souk was written once by souk 0.1.0 as
// released at commit d60ea70 (the first release that traded; every event at version 1) with the
// Trading world and the scripted day below. Every later souk must open it and rebuild the
// state that the same commands produce today, fields added since included: a sub-order line
// of a version-1 record carries the commission rate in force when it was placed and no
// platform-funded discount. Never regenerate the file to make the test pass.
//
// To (re)create it after deleting it on purpose, with the souk that writes that version:
//   build/tests/souk-tests --no-skip -tc="golden trade journal: write*"
#include <doctest/doctest.h>

#include <filesystem>

#include "souk/marketplace.hpp"
#include "souk/storage/sqlite_journal.hpp"
#include "support/marketplace_setup.hpp"
#include "support/temp_dir.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;
namespace fs = std::filesystem;

namespace {

const fs::path golden_trade_file = fs::path(SOUK_TEST_DATA_DIR) / "golden-trade-v1.souk";

// A day of trade touching every orders and payments event: paid orders shipped in parts,
// received by the buyer and by the deadline, completed; an order cancelled unpaid by the
// timeout and one by its buyer; a paid sub-order cancelled by the seller; a partial refund;
// a commission change between two orders.
struct GoldenDay : Trading {
    PaymentOrderId completed, timed_out, buyer_cancelled, refunded, late_rate;

    GoldenDay() {
        completed = buy(customer, {{shirt_skus[0], 2}, {shirt_skus[1], 1}, {atlas, 1}});
        pay(completed, customer);
        const auto shirts_part = sub_order_of(completed, active).id;
        const auto atlas_part = sub_order_of(completed, other_shop).id;
        tick();
        orders().ship(as(owner), shirts_part, {"SF", "SF100-1", {{shirt_skus[0], 1}}});
        tick();
        orders().ship(as(staff), shirts_part, {"SF", "SF100-2", {}});
        orders().ship(as(other_owner), atlas_part, {"YTO", "YT-77", {}});
        tick();
        orders().confirm_receipt(as(customer), shirts_part);

        timed_out = buy(buyer, {{other_skus[0], 1}});
        buyer_cancelled = buy(customer, {{shirt_skus[2], 1}});
        tick();
        orders().cancel(as(customer), sub_order_of(buyer_cancelled, active).id, "changed my mind");

        refunded = paid_order(buyer);
        tick();
        orders().cancel(as(other_owner), sub_order_of(refunded, other_shop).id, "atlas out of print");
        orders().refund(as(owner), sub_order_of(refunded, active).id, {{shirt_skus[0], cny("30.00")}},
                        "one shirt arrived stained");
        sandbox->deliver_all();

        catalog().set_category_commission(as(op), apparel, 800);
        late_rate = buy(customer, {{shirt_skus[3], 1}});
        pay(late_rate, customer);

        clock->advance(std::chrono::hours(24 * 20));
        market.tick(clock->now());
        sandbox->deliver_all();
    }
};

std::vector<SubOrderInfo> every_sub_order(Marketplace& market) {
    return market.orders().sub_orders(Actor::user(UserId{1}), {}, Page{0, 100});
}

}  // namespace

TEST_CASE("golden trade journal: write tests/data/golden-trade-v1.souk" * doctest::skip()) {
    REQUIRE_MESSAGE(!fs::exists(golden_trade_file), "refusing to overwrite " << golden_trade_file << "; delete it first");
    GoldenDay day;
    SqliteJournal file(golden_trade_file);
    file.append(1, records_of(*day.journal));
}

TEST_CASE("golden trade journal: a trade journal of souk 0.1.0 opens to the state the same day gives today") {
    REQUIRE_MESSAGE(fs::exists(golden_trade_file), golden_trade_file << " is missing");
    TempDir dir;
    const auto copy = dir / "golden-trade.souk";  // opening writes: never touch the original
    fs::copy_file(golden_trade_file, copy);

    GoldenDay today;
    auto options = test_options(today.clock);
    auto kept = Marketplace::open_sqlite(copy, options);
    REQUIRE(kept.journal_position() == today.market.journal_position());
    const auto expected = every_sub_order(today.market);
    REQUIRE(expected.size() == 7);
    CHECK(every_sub_order(kept) == expected);
    for (const auto id : {today.completed, today.timed_out, today.buyer_cancelled, today.refunded, today.late_rate})
        CHECK(kept.orders().order(today.sys(), id) == today.orders().order(today.sys(), id));
    for (const auto sku : today.shirt_skus)
        CHECK(kept.inventory().stock(today.sys(), sku) == today.stock_of(sku));

    // What version 2 added, as the kept file's records yield it: the rate in force at placing.
    const auto first = kept.orders().order(today.sys(), today.completed).sub_orders;
    for (const auto& sub_order : first)
        for (const auto& line : sub_order.lines) {
            CHECK(line.commission_bps == (sub_order.shop == today.active ? 500 : 300));
            CHECK(line.platform_discount == cny("0.00"));
        }
    const auto later = kept.orders().order(today.sys(), today.late_rate).sub_orders;
    REQUIRE(later.size() == 1);
    CHECK(later[0].lines[0].commission_bps == 800);
}
