// Customer wallets: top-ups through the sandbox (duplicates, mismatches, declines), paying an
// order from the wallet atomically, refusing a short balance without a trace, refunds back to
// the wallet, who may read a wallet, a random sequence that never overdraws, and replay.
#include <doctest/doctest.h>

#include <random>

#include "payment/notification.hpp"
#include "souk/wallet.hpp"
#include "support/errors.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

const Currency yuan = Currency::of("CNY");

struct Wallets : Trading {
    Wallet& wallet() { return market.wallet(); }
    Ledger& ledger() { return market.ledger(); }

    Money balance_of(UserId who) { return wallet().balance(sys(), who, yuan); }
    Money escrow_of(ShopId shop) {
        return ledger().balance(sys(), LedgerAccount::of_shop(LedgerAccountKind::shop_escrow, shop, yuan)).balance;
    }
    Money wallet_clearing() { return ledger().balance(sys(), LedgerAccount::clearing("wallet", yuan)).balance; }

    // Starts a top-up at the sandbox; the customer pays it and its notifications arrive.
    WalletTopup top_up(UserId who, Money amount) {
        tick();
        const auto started = wallet().start_topup(as(who), amount, "sandbox");
        sandbox->complete_payment(started.provider_payment_id);
        sandbox->deliver_all();
        return wallet().topup(sys(), started.id);
    }
    PaymentStart pay_from_wallet(PaymentOrderId order, UserId who) {
        tick();
        return orders().pay(as(who), order, "wallet");
    }
    void require_balanced() {
        const auto trial = ledger().trial_balance(sys());
        REQUIRE(trial.balanced());
        for (const auto& account : trial.accounts)
            if (must_not_go_negative(account.account.kind)) REQUIRE_FALSE(account.balance.is_negative());
    }
};

}  // namespace

TEST_CASE("wallet top-up: the capture credits the wallet once, a duplicate changes nothing") {
    Wallets w;
    w.sandbox->set_default_behavior(SandboxBehavior{SandboxOutcome::succeed, SandboxOutcome::succeed, true, false});
    const auto started = w.wallet().start_topup(World::as(w.customer), cny("300.00"), "sandbox");
    CHECK(started.status == TopupStatus::open);
    CHECK(started.customer == w.customer);
    CHECK(started.idempotency_key == "topup-1");
    CHECK(started.action.kind == ClientAction::Kind::redirect);
    CHECK(w.balance_of(w.customer).is_zero());

    w.sandbox->complete_payment(started.provider_payment_id);
    w.sandbox->deliver_all();
    REQUIRE(w.notified.size() == 2);
    CHECK(w.notified[0].outcome == NotificationOutcome::applied);
    CHECK(w.notified[1].outcome == NotificationOutcome::duplicate);
    CHECK(w.balance_of(w.customer) == cny("300.00"));
    const auto topup = w.wallet().topup(World::as(w.customer), started.id);
    CHECK(topup.status == TopupStatus::captured);
    CHECK(topup.captured_at.has_value());
    const auto postings = w.ledger().postings_of(World::sys(), EntityRef::of(started.id));
    REQUIRE(postings.size() == 1);
    CHECK(postings[0].cause_event == "WalletTopupCaptured");
    CHECK(w.ledger().balance(World::sys(), LedgerAccount::clearing("sandbox", yuan)).balance == cny("300.00"));
    w.require_balanced();
}

TEST_CASE("wallet top-up: a capture of another amount raises an alert and credits nothing") {
    Wallets w;
    const auto started = w.wallet().start_topup(World::as(w.customer), cny("300.00"), "sandbox");
    const PaymentEvent wrong{"evt-wrong", PaymentEventKind::captured, started.provider_payment_id,
                             PaymentOrderId{started.id.value}, std::nullopt, cny("3000.00"), Timestamp{}};
    const auto result =
        w.orders().handle_notification("sandbox", w.sandbox->sign(detail::encode_event(wrong), w.clock->now()));
    CHECK(result.outcome == NotificationOutcome::alert);
    CHECK(w.balance_of(w.customer).is_zero());
    CHECK(w.wallet().topup(World::sys(), started.id).status == TopupStatus::open);
    const auto alerts = w.orders().payment_alerts(World::sys());
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0].reason == PaymentAlertReason::amount_mismatch);
    CHECK(w.ledger().posting_count(World::sys()) == 0);
}

TEST_CASE("wallet top-up: a declined payment credits nothing") {
    Wallets w;
    w.sandbox->set_default_behavior(SandboxBehavior{SandboxOutcome::decline, SandboxOutcome::succeed, false, false});
    const auto topup = w.top_up(w.customer, cny("80.00"));
    CHECK(topup.status == TopupStatus::declined);
    CHECK(w.balance_of(w.customer).is_zero());
    CHECK(w.ledger().posting_count(World::sys()) == 0);
}

TEST_CASE("wallet top-up: invalid requests and who may start or read one") {
    Wallets w;
    const auto start = [&](const Actor& actor, Money amount, std::string provider) {
        return error_of([&] { w.wallet().start_topup(actor, amount, provider); });
    };
    CHECK(start(World::as(w.customer), cny("0.00"), "sandbox") == Errc::invalid_argument);
    CHECK(start(World::as(w.customer), cny("-1.00"), "sandbox") == Errc::invalid_argument);
    CHECK(start(World::as(w.customer), cny("10.00"), "wallet") == Errc::invalid_argument);
    CHECK(start(World::as(w.customer), cny("10.00"), "nowhere") == Errc::not_found);
    CHECK(start(World::sys(), cny("10.00"), "sandbox") == Errc::unauthenticated);
    CHECK(start(World::as(w.disabled), cny("10.00"), "sandbox") == Errc::forbidden);

    const auto topup = w.top_up(w.customer, cny("10.00"));
    CHECK(error_of([&] { w.wallet().topup(World::as(w.buyer), topup.id); }) == Errc::forbidden);
    CHECK(error_of([&] { w.wallet().topup(World::as(w.owner), topup.id); }) == Errc::forbidden);
    CHECK(error_of([&] { w.wallet().topup(World::sys(), WalletTopupId{99}); }) == Errc::not_found);
    CHECK(w.wallet().topup(World::as(w.op), topup.id) == topup);

    CHECK(w.wallet().balance(World::as(w.customer), w.customer, yuan) == cny("10.00"));
    CHECK(w.wallet().balance(World::as(w.op), w.customer, yuan) == cny("10.00"));
    CHECK(error_of([&] { w.wallet().balance(World::as(w.buyer), w.customer, yuan); }) == Errc::forbidden);
    CHECK(error_of([&] { w.wallet().statement(World::as(w.owner), w.customer, yuan); }) == Errc::forbidden);
    CHECK(error_of([&] {
              w.ledger().balance(World::as(w.buyer), LedgerAccount::wallet(w.customer, yuan));
          }) == Errc::forbidden);
}

TEST_CASE("wallet: the wallet provider is built in and takes no notifications") {
    Wallets w;
    CHECK(error_of([&] { w.market.register_payment_provider("wallet", w.sandbox); }) == Errc::already_exists);
    const auto notification = w.sandbox->sign("{}", w.clock->now());
    CHECK(error_of([&] { w.orders().handle_notification("wallet", notification); }) == Errc::unauthenticated);
}

TEST_CASE("wallet payment: the order is paid at once and the wallet debited in the same step") {
    Wallets w;
    w.top_up(w.customer, cny("300.00"));
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}});  // 198.00 + 45.50
    const auto start = w.pay_from_wallet(order, w.customer);
    CHECK(start.status == PaymentStatus::captured);
    CHECK(start.provider == "wallet");
    CHECK(start.action.kind == ClientAction::Kind::none);
    const auto info = w.orders().order(World::sys(), order);
    CHECK(info.status == PaymentOrderStatus::paid);
    for (const auto& sub_order : info.sub_orders) CHECK(sub_order.status == SubOrderStatus::paid);
    CHECK(w.balance_of(w.customer) == cny("56.50"));
    CHECK(w.escrow_of(w.active) == cny("198.00"));
    CHECK(w.escrow_of(w.other_shop) == cny("45.50"));
    CHECK(w.wallet_clearing().is_zero());
    CHECK(w.stock_of(w.atlas).reserved == 0);
    CHECK(error_of([&] { w.pay_from_wallet(order, w.customer); }) == Errc::invalid_state);
    CHECK(w.balance_of(w.customer) == cny("56.50"));

    const auto statement = w.wallet().statement(World::as(w.customer), w.customer, yuan);
    REQUIRE(statement.total_lines == 2);
    CHECK(statement.lines[0].cause_event == "WalletTopupCaptured");
    CHECK(statement.lines[0].running_balance == cny("300.00"));
    CHECK(statement.lines[1].cause == EntityRef::of(order));
    CHECK(statement.lines[1].amount == cny("243.50"));
    CHECK(statement.lines[1].running_balance == cny("56.50"));
    const auto second_page = w.wallet().statement(World::sys(), w.customer, yuan, Page{1, 1});
    REQUIRE(second_page.lines.size() == 1);
    CHECK(second_page.lines[0] == statement.lines[1]);
    w.require_balanced();
}

TEST_CASE("wallet payment: a short balance is refused and nothing changes") {
    Wallets w;
    w.top_up(w.customer, cny("100.00"));
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}});
    const auto postings = w.ledger().posting_count(World::sys());
    const auto before = w.orders().order(World::sys(), order);
    CHECK(error_of([&] { w.pay_from_wallet(order, w.customer); }) == Errc::payment_failed);
    CHECK(w.orders().order(World::sys(), order) == before);
    CHECK(w.balance_of(w.customer) == cny("100.00"));
    CHECK(w.ledger().posting_count(World::sys()) == postings);

    // A buyer with an empty wallet, and someone else's order.
    const auto other = w.buy(w.buyer, {{w.atlas, 1}});
    CHECK(error_of([&] { w.pay_from_wallet(other, w.buyer); }) == Errc::payment_failed);
    CHECK(error_of([&] { w.pay_from_wallet(other, w.customer); }) == Errc::forbidden);
    CHECK(w.orders().order(World::sys(), other).status == PaymentOrderStatus::pending_payment);

    // Once topped up, the same order is paid.
    w.top_up(w.customer, cny("143.50"));
    w.pay_from_wallet(order, w.customer);
    CHECK(w.balance_of(w.customer).is_zero());
    CHECK(w.orders().order(World::sys(), order).status == PaymentOrderStatus::paid);
    w.require_balanced();
}

TEST_CASE("wallet payment: an attempt under way elsewhere must finish first") {
    Wallets w;
    w.top_up(w.customer, cny("300.00"));
    const auto order = w.buy(w.customer, {{w.atlas, 1}});
    w.tick();
    w.orders().pay(World::as(w.customer), order, "sandbox");
    CHECK(error_of([&] { w.pay_from_wallet(order, w.customer); }) == Errc::conflict);
    CHECK(w.balance_of(w.customer) == cny("300.00"));
}

TEST_CASE("wallet refunds: partial and full refunds go back to the wallet") {
    Wallets w;
    w.top_up(w.customer, cny("300.00"));
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}});
    w.pay_from_wallet(order, w.customer);
    const auto shirts = w.sub_order_of(order, w.active);
    const auto atlas = w.sub_order_of(order, w.other_shop);

    w.tick();
    const auto partial =
        w.orders().refund(World::as(w.owner), shirts.id, {{w.shirt_skus[0], cny("50.00")}}, "one shirt was stained");
    const auto refund = w.orders().refund_info(World::sys(), partial);
    CHECK(refund.state == RefundState::succeeded);
    CHECK(refund.provider == "wallet");
    CHECK(w.balance_of(w.customer) == cny("106.50"));
    CHECK(w.escrow_of(w.active) == cny("148.00"));
    CHECK(w.wallet_clearing().is_zero());
    const auto postings = w.ledger().postings_of(World::sys(), EntityRef::of(partial));
    REQUIRE(postings.size() == 2);

    w.tick();
    const auto full = w.orders().refund_all(World::as(w.other_owner), atlas.id, "out of print");
    CHECK(w.orders().refund_info(World::sys(), full).state == RefundState::succeeded);
    CHECK(w.balance_of(w.customer) == cny("152.00"));
    CHECK(w.escrow_of(w.other_shop).is_zero());
    CHECK(w.sandbox->pending_notifications().empty());
    w.require_balanced();
}

TEST_CASE("wallet: a random sequence never overdraws and the books stay balanced") {
    Wallets w;
    std::mt19937_64 random(20261125);
    Money expected = cny("0.00");
    std::vector<SubOrderId> refundable;
    for (int step = 0; step < 60; ++step) {
        w.tick();
        switch (random() % 3) {
            case 0: {
                const auto amount = Money(static_cast<std::int64_t>(random() % 20000 + 1), yuan);
                w.top_up(w.customer, amount);
                expected += amount;
                break;
            }
            case 1: {
                w.inventory().adjust(World::as(w.other_owner), {{w.atlas, 1}}, "restock");
                const auto order = w.buy(w.customer, {{w.atlas, 1}});
                const bool covered = w.balance_of(w.customer) >= cny("45.50");
                if (covered) {
                    w.pay_from_wallet(order, w.customer);
                    expected -= cny("45.50");
                    refundable.push_back(w.sub_order_of(order, w.other_shop).id);
                } else {
                    CHECK(error_of([&] { w.pay_from_wallet(order, w.customer); }) == Errc::payment_failed);
                }
                break;
            }
            default: {
                if (refundable.empty()) break;
                const auto sub_order = refundable.back();
                const auto amount = Money(static_cast<std::int64_t>(random() % 4550 + 1), yuan);
                const auto left = w.orders().sub_order(World::sys(), sub_order).lines[0];
                const Money room = left.paid_share - left.refunded;
                const Money refund = amount < room ? amount : room;
                w.orders().refund(World::as(w.other_owner), sub_order, {{w.atlas, refund}}, "partial refund");
                expected += refund;
                if (refund == room) refundable.pop_back();
                break;
            }
        }
        REQUIRE_FALSE(w.balance_of(w.customer).is_negative());
        REQUIRE(w.balance_of(w.customer) == expected);
        w.require_balanced();
    }
}

TEST_CASE("wallet replay: a reopened journal gives the same wallets and books") {
    Wallets w;
    w.top_up(w.customer, cny("300.00"));
    w.sandbox->set_default_behavior(SandboxBehavior{SandboxOutcome::decline, SandboxOutcome::succeed, false, false});
    const auto declined = w.top_up(w.buyer, cny("20.00"));
    const auto order = w.buy(w.customer, {{w.shirt_skus[0], 2}, {w.atlas, 1}});
    w.pay_from_wallet(order, w.customer);
    w.tick();
    w.orders().refund(World::as(w.owner), w.sub_order_of(order, w.active).id, {{w.shirt_skus[0], cny("12.34")}},
                      "a loose thread");

    const auto snapshot = [&] {
        const auto sys = World::sys();
        return std::tuple(w.wallet().statement(sys, w.customer, yuan), w.wallet().topup(sys, WalletTopupId{1}),
                          w.wallet().topup(sys, declined.id), w.market.ledger().trial_balance(sys),
                          w.orders().order(sys, order));
    };
    const auto before = snapshot();
    w.reopen(fast_options(w.clock));
    CHECK(snapshot() == before);
    // The reopened marketplace keeps paying from the wallet.
    const auto next = w.buy(w.customer, {{w.atlas, 1}});
    w.pay_from_wallet(next, w.customer);
    CHECK(w.balance_of(w.customer) == cny("23.34"));
}
