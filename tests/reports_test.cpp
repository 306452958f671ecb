// Reports: a period's figures for the platform and for one shop, checked against the ledger's
// balances to the minor unit; sales by day, by category and top products; the CSV exports;
// reconciliation of a provider's settlement file; who may read what; malformed input.
#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>

#include "reports/csv.hpp"
#include "souk/ledger.hpp"
#include "souk/reports.hpp"
#include "support/errors.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

const Currency yuan = Currency::of("CNY");

struct Reporting : Trading {
    Reports& reports() { return market.reports(); }
    Ledger& ledger() { return market.ledger(); }

    Money platform(LedgerAccountKind kind) { return ledger().balance(sys(), LedgerAccount::platform(kind, yuan)).balance; }
    Money clearing() { return ledger().balance(sys(), LedgerAccount::clearing("sandbox", yuan)).balance; }

    void deliver(SubOrderId sub_order, UserId buyer_id, UserId seller) {
        tick();
        orders().ship(as(seller), sub_order, ShipmentRequest{"SF Express", "SF100", {}});
        tick();
        orders().confirm_receipt(as(buyer_id), sub_order);
    }
    void pass_days(int days) {
        clock->advance(std::chrono::hours(24 * days));
        market.tick(clock->now());
    }
    // The one summary of a period (every sale here is in yuan).
    SalesSummary summary_of(ReportPeriod period, UserId reader) {
        const auto summaries = reports().summary(as(reader), period);
        REQUIRE(summaries.size() == 1);
        return summaries[0];
    }
    std::string payment_id(PaymentOrderId order) { return orders().order(sys(), order).attempts.at(0).provider_payment_id; }
};

// The message of the Error that f throws.
template <class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.message();
    }
    FAIL_CHECK("expected a souk::Error");
    return {};
}

// A scenario over two periods: in the first, an order of two shirts (198.00, the owner's shop)
// and an atlas (45.50, the other shop) is paid and 50.00 of the shirts refunded; in the
// second, a buyer pays one shirt (99.00), both shirt sub-orders complete, settle and are
// paid out.
struct TwoPeriods : Reporting {
    Timestamp start, middle, end;
    PaymentOrderId first_order, second_order;
    RefundId refund;
    Money commission_at_middle, disbursed_at_middle;

    TwoPeriods() {
        start = clock->now();
        first_order = paid_order(customer);
        const auto shirts = sub_order_of(first_order, active);
        tick();
        refund = orders().refund(as(owner), shirts.id, {{shirt_skus[0], cny("50.00")}}, "one shirt was stained");
        sandbox->deliver_all();
        REQUIRE(orders().refund_info(sys(), refund).state == RefundState::succeeded);
        tick();
        middle = clock->now();
        commission_at_middle = platform(LedgerAccountKind::platform_commission);
        disbursed_at_middle = platform(LedgerAccountKind::payouts_disbursed);

        pass_days(1);
        second_order = buy(buyer, {{shirt_skus[1], 1}});
        pay(second_order, buyer);
        deliver(shirts.id, customer, owner);
        deliver(sub_order_of(second_order, active).id, buyer, owner);
        pass_days(8);
        pass_days(7);
        const auto run = ledger().settle(as(op), clock->now());
        REQUIRE(run.payouts.size() == 1);
        tick();
        ledger().mark_payout_paid(as(op), run.payouts[0], "BANK-0001");
        end = clock->now() + Duration(1);
    }
};

}  // namespace

TEST_CASE("reports: the first period's figures, for the platform and for each shop") {
    TwoPeriods w;
    const auto platform = w.summary_of(ReportPeriod{w.start, w.middle, {}, 0}, w.op);
    CHECK(platform.currency == yuan);
    CHECK(platform.gmv == cny("243.50"));
    CHECK(platform.paid_orders == 2);
    CHECK(platform.average_order_value == cny("121.75"));
    CHECK(platform.refunds == cny("50.00"));
    CHECK(platform.refund_count == 1);
    CHECK(platform.refund_rate_bps == 2053);  // 50.00 / 243.50 = 20.534 %
    CHECK(platform.commission == cny("0.00"));  // nothing completed yet
    CHECK(platform.subsidies == cny("0.00"));
    CHECK(platform.payouts == cny("0.00"));

    const auto shirts = w.summary_of(ReportPeriod{w.start, w.middle, w.active, 0}, w.staff);
    CHECK(shirts.gmv == cny("198.00"));
    CHECK(shirts.paid_orders == 1);
    CHECK(shirts.refund_rate_bps == 2525);  // 50.00 / 198.00 = 25.2525 %
    const auto atlas = w.summary_of(ReportPeriod{w.start, w.middle, w.other_shop, 0}, w.other_owner);
    CHECK(atlas.gmv == cny("45.50"));
    CHECK(atlas.refunds == cny("0.00"));
    CHECK(atlas.refund_rate_bps == 0);
    CHECK(shirts.gmv + atlas.gmv == platform.gmv);
}

TEST_CASE("reports reconcile with the ledger to the minor unit") {
    TwoPeriods w;
    // The second period: its commission and payouts are exactly what the ledger's platform
    // accounts gained in it.
    const auto second = w.summary_of(ReportPeriod{w.middle, w.end, {}, 0}, w.op);
    CHECK(second.gmv == cny("99.00"));
    CHECK(second.paid_orders == 1);
    CHECK(second.refunds == cny("0.00"));
    CHECK(second.commission == w.platform(LedgerAccountKind::platform_commission) - w.commission_at_middle);
    CHECK(second.commission == cny("12.35"));  // 9.90 − 2.50 on the first shirts, 4.95 on the second
    CHECK(second.payouts == w.platform(LedgerAccountKind::payouts_disbursed) - w.disbursed_at_middle);
    CHECK(second.payouts == cny("234.65"));   // 140.60 + 94.05
    CHECK(second.subsidies == w.platform(LedgerAccountKind::platform_promotion));

    // The whole time: what was paid less what was refunded is what the provider holds.
    const auto whole = w.summary_of(ReportPeriod{w.start, w.end, {}, 0}, w.op);
    CHECK(whole.gmv - whole.refunds == w.clearing());
    CHECK(whole.refund_rate_bps == 1460);  // 50.00 / 342.50 = 14.5985 %
    CHECK(whole.average_order_value == cny("114.17"));  // 342.50 / 3 = 114.1666…
    // The shop's commission is all of the platform's: the atlas never completed.
    const auto shop = w.summary_of(ReportPeriod{w.start, w.end, w.active, 0}, w.owner);
    CHECK(shop.commission == w.platform(LedgerAccountKind::platform_commission));
    CHECK(shop.payouts == w.platform(LedgerAccountKind::payouts_disbursed));
    CHECK(w.summary_of(ReportPeriod{w.start, w.end, w.other_shop, 0}, w.op).commission == cny("0.00"));
    // A period with no trade has no rows.
    CHECK(w.reports().summary(World::as(w.op), ReportPeriod{w.end, w.end + std::chrono::hours(1), {}, 0}).empty());
}

TEST_CASE("reports: sales by day in the period's time zone, by category and top products") {
    TwoPeriods w;
    const ReportPeriod whole{w.start, w.end, {}, 0};
    // The fixture starts at 2026-01-15T09:00Z; the second order is paid a day later.
    const auto days = w.reports().sales_by_day(World::as(w.op), whole);
    REQUIRE(days.size() == 2);
    CHECK(days[0] == DailySales{"2026-01-15", yuan, cny("243.50"), 2, cny("50.00")});
    CHECK(days[1] == DailySales{"2026-01-16", yuan, cny("99.00"), 1, cny("0.00")});
    // Ten hours behind UTC the same moments fall on the day before.
    auto hawaii = whole;
    hawaii.utc_offset_minutes = -600;
    const auto local_days = w.reports().sales_by_day(World::as(w.op), hawaii);
    REQUIRE(local_days.size() == 2);
    CHECK(local_days[0].day == "2026-01-14");
    CHECK(local_days[1].day == "2026-01-15");

    const auto categories = w.reports().sales_by_category(World::as(w.op), whole);
    REQUIRE(categories.size() == 2);
    CHECK(categories[0] == CategorySales{w.shirts, "Shirts", yuan, cny("297.00"), 3});
    CHECK(categories[1] == CategorySales{w.books, "Books", yuan, cny("45.50"), 1});

    const auto top = w.reports().top_products(World::as(w.op), whole, 10);
    REQUIRE(top.size() == 2);
    CHECK(top[0] == ProductSales{w.shirt, w.active, "Linen shirt", yuan, cny("297.00"), 3});
    CHECK(top[1] == ProductSales{w.atlas_product, w.other_shop, "Atlas", yuan, cny("45.50"), 1});
    CHECK(w.reports().top_products(World::as(w.op), whole, 1) == std::vector<ProductSales>{top[0]});
    // A shop sees its own products only.
    CHECK(w.reports().top_products(World::as(w.other_staff), ReportPeriod{w.start, w.end, w.other_shop, 0}, 5) ==
          std::vector<ProductSales>{top[1]});
}

TEST_CASE("reports: CSV exports, exact text") {
    TwoPeriods w;
    const ReportPeriod whole{w.start, w.end, {}, 0};
    const auto op = World::as(w.op);
    CHECK(w.reports().summary_csv(op, ReportPeriod{w.start, w.middle, w.active, 0}) ==
          "currency,gmv,paid_orders,average_order_value,refunds,refund_count,refund_rate_bps,commission,subsidies,payouts\r\n"
          "CNY,198.00,1,198.00,50.00,1,2525,0.00,0.00,0.00\r\n");
    CHECK(w.reports().sales_by_day_csv(op, whole) ==
          "day,currency,gmv,paid_orders,refunds\r\n"
          "2026-01-15,CNY,243.50,2,50.00\r\n"
          "2026-01-16,CNY,99.00,1,0.00\r\n");
    CHECK(w.reports().sales_by_category_csv(op, whole) ==
          fmt::format("category,name,currency,sales,units\r\n{},Shirts,CNY,297.00,3\r\n{},Books,CNY,45.50,1\r\n", w.shirts,
                      w.books));
    CHECK(w.reports().top_products_csv(op, whole, 10) ==
          fmt::format("rank,product,shop,title,currency,sales,units\r\n"
                      "1,{},{},Linen shirt,CNY,297.00,3\r\n2,{},{},Atlas,CNY,45.50,1\r\n",
                      w.shirt, w.active, w.atlas_product, w.other_shop));
    // An empty period is the header alone.
    CHECK(w.reports().sales_by_day_csv(op, ReportPeriod{w.end, w.end + Duration(1), {}, 0}) ==
          "day,currency,gmv,paid_orders,refunds\r\n");
}

TEST_CASE("reports: CSV fields are quoted as RFC 4180 has it, and read back") {
    std::string out;
    detail::append_csv_record(out, {"plain", "a,b", "say \"hi\"", "two\nlines", ""});
    CHECK(out == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    const auto records = detail::parse_csv(out + "last,row");
    REQUIRE(records.size() == 2);
    CHECK(records[0].fields == std::vector<std::string>{"plain", "a,b", "say \"hi\"", "two\nlines", ""});
    CHECK(records[1].line == 3);  // the quoted line break counts
    CHECK(records[1].fields == std::vector<std::string>{"last", "row"});
}

TEST_CASE("reports: who may read them, and periods that make no sense") {
    TwoPeriods w;
    const ReportPeriod platform{w.start, w.end, {}, 0};
    const ReportPeriod shop{w.start, w.end, w.active, 0};
    CHECK_FALSE(w.reports().summary(World::as(w.admin), platform).empty());
    CHECK_FALSE(w.reports().summary(World::as(w.op), shop).empty());
    CHECK_FALSE(w.reports().sales_by_day(World::as(w.staff), shop).empty());
    CHECK(error_of([&] { w.reports().summary(World::as(w.owner), platform); }) == Errc::forbidden);
    CHECK(error_of([&] { w.reports().summary(World::as(w.customer), shop); }) == Errc::forbidden);
    CHECK(error_of([&] { w.reports().sales_by_day(World::as(w.other_owner), shop); }) == Errc::forbidden);
    CHECK(error_of([&] { w.reports().sales_by_category(World::as(w.other_staff), shop); }) == Errc::forbidden);
    CHECK(error_of([&] { w.reports().top_products(World::as(w.customer), platform, 5); }) == Errc::forbidden);
    CHECK(error_of([&] { w.reports().top_products_csv(World::as(w.other_owner), shop, 5); }) == Errc::forbidden);
    CHECK(error_of([&] { w.reports().summary(World::as(w.op), ReportPeriod{w.start, w.end, ShopId{999}, 0}); }) ==
          Errc::not_found);
    CHECK(error_of([&] { w.reports().summary(World::as(w.op), ReportPeriod{w.end, w.start, {}, 0}); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.reports().summary(World::as(w.op), ReportPeriod{w.end, w.end, {}, 0}); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.reports().sales_by_day(World::as(w.op), ReportPeriod{w.start, w.end, {}, 841}); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.reports().top_products(World::as(w.op), platform, 0); }) == Errc::invalid_argument);
    CHECK(error_of([&] { w.reports().top_products(World::as(w.op), platform, Reports::max_top_products + 1); }) ==
          Errc::invalid_argument);
    CHECK(error_of([&] { w.reports().reconcile(World::as(w.owner), "sandbox", "type,reference,amount,currency\r\n",
                                               w.start, w.end); }) == Errc::forbidden);
}

TEST_CASE("reports replay: a reopened journal gives the same reports") {
    TwoPeriods w;
    const ReportPeriod whole{w.start, w.end, {}, 480};
    const auto reports_of = [&](Reports& reports) {
        const auto op = World::as(w.op);
        return std::tuple(reports.summary(op, whole), reports.sales_by_day(op, whole), reports.sales_by_category(op, whole),
                          reports.top_products(op, whole, 10), reports.summary(op, ReportPeriod{w.start, w.end, w.active, 0}));
    };
    const auto before = reports_of(w.reports());
    w.reopen(fast_options(w.clock));
    CHECK(reports_of(w.reports()) == before);
}

TEST_CASE("reconciliation: matched, missing on either side, and mismatched") {
    TwoPeriods w;
    // A payment for an order cancelled meanwhile: captured, then reversed.
    const auto late = w.buy(w.customer, {{w.atlas, 1}});
    w.tick();
    const auto start = w.orders().pay(World::as(w.customer), late, "sandbox");
    w.orders().cancel(World::as(w.customer), w.sub_order_of(late, w.other_shop).id, "ordered by mistake");
    w.sandbox->complete_payment(start.provider_payment_id);
    w.sandbox->deliver_all();
    const auto reversal = w.orders().order(World::sys(), late).reversals.at(0);
    REQUIRE(reversal.state == RefundState::succeeded);
    const auto until = w.clock->now() + Duration(1);

    const auto first = w.payment_id(w.first_order);
    const auto second = w.payment_id(w.second_order);
    const auto refund_id = w.orders().refund_info(World::sys(), w.refund).provider_refund_id;
    const auto file = fmt::format(
        "time,type,reference,amount,currency\r\n"
        "2026-01-15T09:01:00Z,capture,{},243.50,CNY\r\n"
        "2026-01-15T09:05:00Z,refund,{},5.00,CNY\r\n"
        "2026-01-16T10:00:00Z,capture,{},45.50,CNY\r\n"
        "2026-01-16T10:00:00Z,refund,{},45.50,CNY\r\n"
        "2026-01-16T11:00:00Z,capture,PAY-NOBODY-KNOWS,10.00,CNY\r\n",
        first, refund_id, start.provider_payment_id, reversal.provider_refund_id);
    const auto result = w.reports().reconcile(World::as(w.op), "sandbox", file, w.start, until);
    using T = ProviderTransactionType;
    CHECK(result.matched == std::vector<ProviderTransaction>{{T::capture, first, cny("243.50")},
                                                             {T::capture, start.provider_payment_id, cny("45.50")},
                                                             {T::refund, reversal.provider_refund_id, cny("45.50")}});
    CHECK(result.mismatched == std::vector<ReconciliationMismatch>{
                                   {{T::refund, refund_id, cny("5.00")}, {T::refund, refund_id, cny("50.00")}}});
    CHECK(result.missing_in_ledger == std::vector<ProviderTransaction>{{T::capture, "PAY-NOBODY-KNOWS", cny("10.00")}});
    CHECK(result.missing_in_file == std::vector<ProviderTransaction>{{T::capture, second, cny("99.00")}});
    CHECK_FALSE(result.clean());

    // A type or a currency that differs is a mismatch too.
    const auto wrong = w.reports().reconcile(
        World::as(w.op), "sandbox",
        fmt::format("type,reference,amount,currency\nrefund,{},243.50,CNY\nrefund,{},50,JPY\n", first, refund_id),
        w.start, w.middle);
    CHECK(wrong.mismatched ==
          std::vector<ReconciliationMismatch>{{{T::refund, first, cny("243.50")}, {T::capture, first, cny("243.50")}},
                                              {{T::refund, refund_id, Money(50, Currency::of("JPY"))},
                                               {T::refund, refund_id, cny("50.00")}}});
    // The second payment lies outside that period, so neither side has anything more.
    CHECK(wrong.missing_in_file.empty());
    CHECK(wrong.matched.empty());

    // Exactly the ledger's transactions: clean. Another provider's file has none of them.
    const auto clean = w.reports().reconcile(
        World::as(w.op), "sandbox",
        fmt::format("type,reference,amount,currency\ncapture,{},243.50,CNY\nrefund,{},50.00,CNY\n", first, refund_id),
        w.start, w.middle);
    CHECK(clean.clean());
    CHECK(clean.matched.size() == 2);
    CHECK(w.reports().reconcile(World::as(w.op), "alipay", "type,reference,amount,currency\n", w.start, until).clean());
}

TEST_CASE("reconciliation refuses a malformed file, naming the line and column") {
    TwoPeriods w;
    const auto reconcile = [&](std::string_view file) {
        return message_of([&] { w.reports().reconcile(World::as(w.op), "sandbox", file, w.start, w.end); });
    };
    const std::string header = "type,reference,amount,currency\r\n";
    CHECK(reconcile("").find("line 1: the settlement file is empty") != std::string::npos);
    CHECK(reconcile("type,reference,amount\r\ncapture,P1,1.00\r\n").find("no column 'currency'") != std::string::npos);
    CHECK(reconcile("type,reference,amount,currency,type\r\n").find("column 'type' twice") != std::string::npos);
    CHECK(reconcile(header + "capture,P1,1.00\r\n") == "line 2: 3 fields, but the header has 4");
    CHECK(reconcile(header + "payment,P1,1.00,CNY\r\n") == "line 2, column 1 (type): 'payment' is neither capture nor refund");
    CHECK(reconcile(header + "capture,,1.00,CNY\r\n").find("line 2, column 2 (reference)") != std::string::npos);
    CHECK(reconcile(header + "capture,P1,12.345,CNY\r\n").find("line 2, column 3 (amount)") != std::string::npos);
    CHECK(reconcile(header + "capture,P1,-1.00,CNY\r\n") == "line 2, column 3 (amount): an amount must be positive");
    CHECK(reconcile(header + "capture,P1,1.00,ZZZ\r\n").find("line 2, column 4 (currency)") != std::string::npos);
    CHECK(reconcile(header + "capture,P1,1.00,CNY\r\nrefund,P1,1.00,CNY\r\n") ==
          "line 3, column 2 (reference): 'P1' is already on line 2");
    CHECK(reconcile(header + "capture,\"P1,1.00,CNY\r\n").find("line 2, column 2: the quoted field is never closed") !=
          std::string::npos);
    CHECK(reconcile(header + "capture,\"P1\"x,1.00,CNY\r\n").find("line 2, column 2: text after") != std::string::npos);
    CHECK(reconcile(header + "capture,P\"1,1.00,CNY\r\n").find("line 2, column 2: a quote inside") != std::string::npos);
    // A quoted line break moves the lines after it.
    CHECK(reconcile(header + "capture,\"P\n1\",1.00,CNY\r\nrefund,P2,1.00,QQQ\r\n").find("line 4, column 4") !=
          std::string::npos);
    // Columns in another order are named by their place in the file.
    CHECK(reconcile("currency,amount,reference,type\nCNY,1.00,P1,sale\n") ==
          "line 2, column 4 (type): 'sale' is neither capture nor refund");
    CHECK(error_of([&] {
              w.reports().reconcile(World::as(w.op), "sandbox", std::string(Reports::max_settlement_file_bytes + 1, 'x'),
                                    w.start, w.end);
          }) == Errc::limit_exceeded);
    CHECK(error_of([&] { w.reports().reconcile(World::as(w.op), "sandbox", header, w.end, w.start); }) ==
          Errc::invalid_argument);
}
