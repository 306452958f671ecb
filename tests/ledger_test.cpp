// The ledger: one order's money followed from payment to payout and through refunds before
// and after the payout, to the minor unit; who may read and settle; payout outcomes; replay.
#include <doctest/doctest.h>

#include "souk/ledger.hpp"
#include "support/errors.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

const Currency yuan = Currency::of("CNY");

struct Books : Trading {
    Ledger& ledger() { return market.ledger(); }

    Money balance(LedgerAccountKind kind, ShopId shop) {
        return ledger().balance(sys(), LedgerAccount::of_shop(kind, shop, yuan)).balance;
    }
    Money platform(LedgerAccountKind kind) { return ledger().balance(sys(), LedgerAccount::platform(kind, yuan)).balance; }
    Money clearing() { return ledger().balance(sys(), LedgerAccount::clearing("sandbox", yuan)).balance; }

    // Ships everything and the buyer confirms receipt.
    void deliver(SubOrderId sub_order, UserId who) {
        tick();
        orders().ship(as(owner_of(sub_order)), sub_order, ShipmentRequest{"SF Express", "SF100", {}});
        tick();
        orders().confirm_receipt(as(who), sub_order);
    }
    UserId owner_of(SubOrderId sub_order) {
        return orders().sub_order(sys(), sub_order).shop == active ? owner : other_owner;
    }
    void pass_days(int days) {
        clock->advance(std::chrono::hours(24 * days));
        market.tick(clock->now());
    }
    void require_balanced() {
        const auto trial = ledger().trial_balance(sys());
        REQUIRE(trial.balanced());
        for (const auto& account : trial.accounts)
            if (must_not_go_negative(account.account.kind)) REQUIRE_FALSE(account.balance.is_negative());
    }
};

}  // namespace

TEST_CASE("ledger scenario: one order's money from payment to payout, refunds before and after it") {
    Books w;
    const auto order = w.paid_order(w.customer);  // 2 shirts at 99.00 (apparel 5 %) and an atlas at 45.50
    const auto shirts = w.sub_order_of(order, w.active);
    const auto atlas = w.sub_order_of(order, w.other_shop);

    // Capture: clearing holds the whole payment, each shop's escrow its sub-order.
    CHECK(w.clearing() == cny("243.50"));
    CHECK(w.balance(LedgerAccountKind::shop_escrow, w.active) == cny("198.00"));
    CHECK(w.balance(LedgerAccountKind::shop_escrow, w.other_shop) == cny("45.50"));
    const auto capture = w.ledger().postings_of(World::sys(), EntityRef::of(shirts.id));
    REQUIRE(capture.size() == 1);
    CHECK(capture[0].cause_event == "OrderPaid");
    w.require_balanced();

    // A partial refund before completion comes out of escrow.
    w.deliver(shirts.id, w.customer);
    w.tick();
    const auto first_refund =
        w.orders().refund(World::as(w.owner), shirts.id, {{w.shirt_skus[0], cny("50.00")}}, "one shirt was stained");
    w.sandbox->deliver_all();
    CHECK(w.orders().refund_info(World::sys(), first_refund).state == RefundState::succeeded);
    CHECK(w.clearing() == cny("193.50"));
    CHECK(w.balance(LedgerAccountKind::shop_escrow, w.active) == cny("148.00"));

    // A second refund is requested before completion; the provider confirms it only later.
    w.tick();
    const auto late_refund =
        w.orders().refund(World::as(w.owner), shirts.id, {{w.shirt_skus[0], cny("30.00")}}, "a button was missing");

    // Completion: commission 5 % of 198.00 = 9.90, less the part refunded (50/198 of it: 2.50).
    w.pass_days(8);
    REQUIRE(w.orders().sub_order(World::sys(), shirts.id).status == SubOrderStatus::completed);
    CHECK(w.balance(LedgerAccountKind::shop_escrow, w.active).is_zero());
    CHECK(w.balance(LedgerAccountKind::shop_available, w.active) == cny("140.60"));
    CHECK(w.platform(LedgerAccountKind::platform_commission) == cny("7.40"));
    auto money = w.ledger().shop_money(World::as(w.owner), w.active, yuan);
    CHECK(money.not_due == cny("140.60"));
    CHECK(money.settlement_days == 7);

    // Not due before T+7.
    CHECK(w.ledger().settle(World::as(w.op), w.clock->now()).payouts.empty());
    w.pass_days(7);
    const auto run = w.ledger().settle(World::as(w.op), w.clock->now());
    REQUIRE(run.payouts.size() == 1);
    auto payout = w.ledger().payout(World::as(w.owner), run.payouts[0]);
    CHECK(payout.shop == w.active);
    CHECK(payout.amount == cny("140.60"));
    CHECK(payout.commission == cny("7.40"));
    REQUIRE(payout.sub_orders.size() == 1);
    CHECK(payout.sub_orders[0] == PayoutSubOrder{shirts.id, cny("140.60"), cny("7.40")});
    CHECK(w.balance(LedgerAccountKind::shop_available, w.active).is_zero());
    CHECK(w.balance(LedgerAccountKind::shop_payout, w.active) == cny("140.60"));
    w.tick();
    w.ledger().mark_payout_paid(World::as(w.op), payout.id, "BANK-0001");
    CHECK(w.balance(LedgerAccountKind::shop_payout, w.active).is_zero());
    CHECK(w.platform(LedgerAccountKind::payouts_disbursed) == cny("140.60"));

    // The late refund succeeds after the payout: the shop owes 30.00 less the commission on
    // it (9.90 × 80/198 − 9.90 × 50/198 = 4.00 − 2.50 = 1.50), and is in debt.
    w.sandbox->deliver_all();
    CHECK(w.orders().refund_info(World::sys(), late_refund).state == RefundState::succeeded);
    CHECK(w.balance(LedgerAccountKind::shop_available, w.active) == cny("-28.50"));
    CHECK(w.platform(LedgerAccountKind::platform_commission) == cny("5.90"));
    w.require_balanced();
    const auto indebted = w.ledger().settle(World::as(w.op), w.clock->now());
    CHECK(indebted.payouts.empty());
    CHECK(indebted.in_debt == std::vector<ShopId>{w.active});

    // The shop's next sale pays the debt back: 99.00 − 4.95 commission − 28.50 = 65.55.
    const auto next = w.buy(w.buyer, {{w.shirt_skus[1], 1}});
    w.pay(next, w.buyer);
    const auto next_shirt = w.sub_order_of(next, w.active);
    w.deliver(next_shirt.id, w.buyer);
    w.pass_days(8);
    w.pass_days(7);
    const auto netted = w.ledger().settle(World::as(w.op), w.clock->now());
    REQUIRE(netted.payouts.size() == 1);
    payout = w.ledger().payout(World::as(w.op), netted.payouts[0]);
    CHECK(payout.amount == cny("65.55"));
    CHECK(payout.commission == cny("4.95"));
    REQUIRE(payout.clawbacks.size() == 1);
    CHECK(payout.clawbacks[0] == PayoutClawback{late_refund, shirts.id, cny("28.50")});

    // The atlas was never shipped: its money still waits in escrow.
    CHECK(w.balance(LedgerAccountKind::shop_escrow, w.other_shop) == cny("45.50"));
    // Every minor unit the customer paid is somewhere: at the provider (less refunds) ...
    CHECK(w.clearing() == cny("243.50") + cny("99.00") - cny("80.00"));
    // ... and there it is owed to shops, or the platform's commission, or paid out.
    CHECK(w.clearing() == w.balance(LedgerAccountKind::shop_escrow, w.other_shop) +
                              w.balance(LedgerAccountKind::shop_available, w.active) +
                              w.balance(LedgerAccountKind::shop_payout, w.active) +
                              w.platform(LedgerAccountKind::platform_commission) +
                              w.platform(LedgerAccountKind::payouts_disbursed));
    w.require_balanced();

    // The statement shows each entry with its running balance.
    const auto statement =
        w.ledger().statement(World::as(w.staff), LedgerAccount::of_shop(LedgerAccountKind::shop_available, w.active, yuan));
    REQUIRE(statement.total_lines == 5);
    CHECK(statement.lines[0].running_balance == cny("140.60"));
    CHECK(statement.lines[1].running_balance == cny("0.00"));
    CHECK(statement.lines[2].running_balance == cny("-28.50"));
    CHECK(statement.lines[2].cause == EntityRef::of(late_refund));
    CHECK(statement.lines.back().running_balance == statement.balance.balance);
    const auto second_page = w.ledger().statement(
        World::as(w.op), LedgerAccount::of_shop(LedgerAccountKind::shop_available, w.active, yuan), Page{3, 1});
    REQUIRE(second_page.lines.size() == 1);
    CHECK(second_page.lines[0] == statement.lines[3]);
}

TEST_CASE("ledger: a cancelled paid sub-order returns everything from escrow") {
    Books w;
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    w.tick();
    w.orders().cancel(World::as(w.customer), shirts.id, "changed my mind");
    w.sandbox->deliver_all();
    CHECK(w.balance(LedgerAccountKind::shop_escrow, w.active).is_zero());
    CHECK(w.clearing() == cny("45.50"));
    w.require_balanced();
}

TEST_CASE("ledger: a failed payout returns the money to the shop, paid and failed are final") {
    Books w;
    const auto order = w.paid_order(w.customer);
    const auto atlas = w.sub_order_of(order, w.other_shop);
    w.deliver(atlas.id, w.customer);
    w.pass_days(8);
    w.pass_days(7);
    const auto run = w.ledger().settle(World::sys(), w.clock->now());
    REQUIRE(run.payouts.size() == 1);
    const auto id = run.payouts[0];
    // 45.50 less 3 % (1.365, rounded half away from zero: 1.37).
    CHECK(w.ledger().payout(World::sys(), id).amount == cny("44.13"));
    w.tick();
    CHECK(error_of([&] { w.ledger().mark_payout_failed(World::as(w.other_owner), id, "bank closed"); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().mark_payout_paid(World::as(w.op), id, ""); }) == Errc::invalid_argument);
    w.ledger().mark_payout_failed(World::as(w.op), id, "the account number was wrong");
    CHECK(w.ledger().payout(World::sys(), id).status == PayoutStatus::failed);
    CHECK(w.balance(LedgerAccountKind::shop_available, w.other_shop) == cny("44.13"));
    CHECK(w.balance(LedgerAccountKind::shop_payout, w.other_shop).is_zero());
    CHECK(error_of([&] { w.ledger().mark_payout_paid(World::as(w.op), id, "BANK-1"); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.ledger().mark_payout_failed(World::as(w.op), id, "again"); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.ledger().mark_payout_paid(World::as(w.op), PayoutId{99}, "BANK-1"); }) == Errc::not_found);

    // The next run pays the returned money out again, with nothing new to settle.
    w.tick();
    const auto again = w.ledger().settle(World::sys(), w.clock->now());
    REQUIRE(again.payouts.size() == 1);
    const auto retry = w.ledger().payout(World::sys(), again.payouts[0]);
    CHECK(retry.amount == cny("44.13"));
    CHECK(retry.sub_orders.empty());
    w.ledger().mark_payout_paid(World::as(w.admin), retry.id, "BANK-2");
    CHECK(w.ledger().payouts_of(World::as(w.other_staff), w.other_shop).size() == 2);
    w.require_balanced();
}

TEST_CASE("ledger: per-shop settlement days") {
    Books w;
    CHECK(error_of([&] { w.ledger().set_settlement_days(World::as(w.op), w.other_shop, -1); }) == Errc::invalid_argument);
    CHECK(error_of([&] { w.ledger().set_settlement_days(World::as(w.op), w.other_shop, 91); }) == Errc::invalid_argument);
    CHECK(error_of([&] { w.ledger().set_settlement_days(World::as(w.other_owner), w.other_shop, 1); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().set_settlement_days(World::as(w.op), ShopId{999}, 1); }) == Errc::not_found);
    w.ledger().set_settlement_days(World::as(w.op), w.other_shop, 0);
    const auto order = w.paid_order(w.customer);
    const auto atlas = w.sub_order_of(order, w.other_shop);
    w.deliver(atlas.id, w.customer);
    w.pass_days(8);
    // T+0: due at once; the shirts shop's default of 7 days holds nothing back, it completed nothing.
    const auto run = w.ledger().settle(World::sys(), w.clock->now());
    REQUIRE(run.payouts.size() == 1);
    CHECK(w.ledger().payout(World::sys(), run.payouts[0]).shop == w.other_shop);
    CHECK(w.ledger().shop_money(World::sys(), w.other_shop, yuan).settlement_days == 0);
    CHECK(error_of([&] { w.ledger().settle(World::sys(), w.clock->now() + std::chrono::hours(1)); }) ==
          Errc::invalid_argument);
}

TEST_CASE("ledger: who may read the books and run settlements") {
    Books w;
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    const auto escrow = LedgerAccount::of_shop(LedgerAccountKind::shop_escrow, w.active, yuan);
    CHECK(w.ledger().balance(World::as(w.staff), escrow).balance == cny("198.00"));
    CHECK(error_of([&] { w.ledger().balance(World::as(w.other_owner), escrow); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().balance(World::as(w.customer), escrow); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().statement(World::as(w.other_staff), escrow); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().statement(World::as(w.op), escrow, Page{0, 0}); }) == Errc::invalid_argument);
    CHECK(error_of([&] { w.ledger().balance(World::as(w.owner), LedgerAccount::clearing("sandbox", yuan)); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { w.ledger().trial_balance(World::as(w.owner)); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().posting(World::as(w.owner), 1); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().posting(World::as(w.op), 999); }) == Errc::not_found);
    CHECK(error_of([&] { w.ledger().posting_count(World::as(w.customer)); }) == Errc::forbidden);
    CHECK(w.ledger().postings_of(World::as(w.owner), EntityRef::of(shirts.id)).size() == 1);
    CHECK(error_of([&] { w.ledger().postings_of(World::as(w.other_owner), EntityRef::of(shirts.id)); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { w.ledger().postings_of(World::as(w.owner), EntityRef::of(order)); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().shop_money(World::as(w.other_owner), w.active, yuan); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().payouts_of(World::as(w.customer), w.active); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().settle(World::as(w.owner), w.clock->now()); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().settle(World::as(w.customer), w.clock->now()); }) == Errc::forbidden);
    CHECK(error_of([&] { w.ledger().payout(World::as(w.op), PayoutId{1}); }) == Errc::not_found);
    CHECK(w.ledger().posting_count(World::as(w.op)) == 2);
}

TEST_CASE("ledger replay: a reopened journal gives the same books") {
    Books w;
    const auto order = w.paid_order(w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    w.deliver(shirts.id, w.customer);
    w.tick();
    w.orders().refund(World::as(w.owner), shirts.id, {{w.shirt_skus[0], cny("10.01")}}, "small scratch");
    w.sandbox->deliver_all();
    w.pass_days(8);
    w.pass_days(7);
    w.ledger().set_settlement_days(World::as(w.op), w.other_shop, 3);
    const auto run = w.ledger().settle(World::sys(), w.clock->now());
    REQUIRE(run.payouts.size() == 1);
    w.tick();
    w.ledger().mark_payout_paid(World::as(w.op), run.payouts[0], "BANK-9");

    const auto books_of = [&](Ledger& ledger) {
        const auto sys = World::sys();
        const auto trial = ledger.trial_balance(sys);
        std::vector<AccountStatement> statements;
        for (const auto& account : trial.accounts) statements.push_back(ledger.statement(sys, account.account));
        std::vector<Posting> postings;
        for (std::uint64_t n = 1; n <= ledger.posting_count(sys); ++n) postings.push_back(ledger.posting(sys, n));
        return std::tuple(trial, statements, postings, ledger.payouts_of(sys, w.active),
                          ledger.shop_money(sys, w.other_shop, yuan));
    };
    const auto before = books_of(w.ledger());
    w.reopen(fast_options(w.clock));
    CHECK(books_of(w.ledger()) == before);
}

TEST_CASE("ledger: a shop closes only once every order is finished and its money paid out") {
    Books w;
    const auto order = w.paid_order(w.customer);
    const auto atlas = w.sub_order_of(order, w.other_shop);
    const auto close = [&] { w.shops().close(World::as(w.other_owner), w.other_shop, "retiring"); };
    const auto position = w.market.journal_position();
    CHECK(error_of(close) == Errc::invalid_state);  // an order is open
    CHECK(w.market.journal_position() == position);
    w.deliver(atlas.id, w.customer);
    w.pass_days(8);
    CHECK(error_of(close) == Errc::invalid_state);  // completed, its proceeds not paid out
    w.pass_days(7);
    const auto run = w.ledger().settle(World::sys(), w.clock->now());
    REQUIRE(run.payouts.size() == 1);
    CHECK(error_of(close) == Errc::invalid_state);  // the payout is not confirmed
    w.tick();
    w.ledger().mark_payout_paid(World::as(w.op), run.payouts[0], "BANK-7");
    close();
    CHECK(w.shops().details(World::sys(), w.other_shop).profile.status == ShopStatus::closed);
}
