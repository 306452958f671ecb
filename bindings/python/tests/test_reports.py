"""Reports from Python: a period's figures reconciled with the ledger, sales by day, category
and product, the CSV exports, reconciliation of a settlement file, and who may read what."""

import datetime as dt

import pytest

import souk
from souk import LedgerAccount, RefundLine, ReportPeriod, ShipmentRequest
from support import START, cny

DAY = dt.timedelta(days=1)
MICROSECOND = dt.timedelta(microseconds=1)


@pytest.fixture
def traded(trading, market, clock):
    """A paid order of longjing (136.00, `shop`) and tieguanyin (88.00, `other_shop`); 36.00 of the
    longjing refunded; the longjing shipped, received and completed. Returns (order, refund)."""
    w = trading
    order = w.paid_order(w.customer)
    tea = w.sub_order_of(order, w.shop).id
    w.tick()
    refund = w.orders.refund(w.staff, tea, [RefundLine(sku=w.skus[0], amount=cny("36.00"))], "dented tin")
    w.deliver()
    w.tick()
    w.orders.ship(w.owner, tea, ShipmentRequest(carrier="SF Express", tracking_number="SF1"))
    w.tick()
    w.orders.confirm_receipt(w.customer, tea)
    clock.advance(8 * DAY)
    market.tick(clock.now())
    return order, refund


def whole(clock, **scope):
    return ReportPeriod(START, clock.now() + MICROSECOND, **scope)


def test_the_summary_reconciles_with_the_ledger(trading, traded, market, clock):
    w = trading
    (summary,) = market.reports.summary(w.op, whole(clock))
    assert summary.currency == souk.Currency.of("CNY")
    assert summary.gmv == cny("224.00")
    assert summary.paid_orders == 2
    assert summary.average_order_value == cny("112.00")
    assert summary.refunds == cny("36.00")
    assert summary.refund_count == 1
    assert summary.refund_rate_bps == 1607  # 36.00 / 224.00 = 16.07 %
    ledger = market.ledger
    commission = LedgerAccount.platform("platform_commission", "CNY")
    assert summary.commission == ledger.balance(w.op, commission).balance == cny("5.00")
    clearing = LedgerAccount.clearing("sandbox", "CNY")
    assert summary.gmv - summary.refunds == ledger.balance(w.op, clearing).balance
    assert summary.payouts == cny("0.00")

    (shop,) = market.reports.summary(w.staff, whole(clock, shop=w.shop))
    assert shop.gmv == cny("136.00")
    assert shop.refund_rate_bps == 2647  # 36.00 / 136.00 = 26.47 %
    assert shop.commission == cny("5.00")


def test_sales_by_day_category_and_product(trading, traded, market, clock):
    w = trading
    reports = market.reports
    (day,) = reports.sales_by_day(w.op, whole(clock, utc_offset_minutes=480))
    assert (day.day, day.gmv, day.paid_orders, day.refunds) == ("2026-01-15", cny("224.00"), 2, cny("36.00"))
    categories = reports.sales_by_category(w.op, whole(clock))
    assert [(c.name, c.sales, c.units) for c in categories] == [
        ("Tea", cny("88.00"), 1),
        ("Green tea", cny("136.00"), 2),
    ]
    top = reports.top_products(w.op, whole(clock), 5)
    assert [(p.product, p.shop, p.sales) for p in top] == [
        (w.longjing, w.shop, cny("136.00")),
        (w.tieguanyin, w.other_shop, cny("88.00")),
    ]
    assert reports.top_products_csv(w.owner, whole(clock, shop=w.shop), 5) == (
        "rank,product,shop,title,currency,sales,units\r\n"
        f"1,{w.longjing.value},{w.shop.value},West Lake Longjing,CNY,136.00,2\r\n"
    )
    assert reports.sales_by_day_csv(w.op, whole(clock, utc_offset_minutes=480)) == (
        "day,currency,gmv,paid_orders,refunds\r\n2026-01-15,CNY,224.00,2,36.00\r\n"
    )
    assert reports.summary_csv(w.op, whole(clock, shop=w.other_shop)) == (
        "currency,gmv,paid_orders,average_order_value,refunds,refund_count,refund_rate_bps,commission,subsidies,"
        "payouts\r\nCNY,88.00,1,88.00,0.00,0,0,0.00,0.00,0.00\r\n"
    )
    assert reports.sales_by_category_csv(w.op, whole(clock)).startswith("category,name,currency,sales,units\r\n")


def test_who_may_read_reports_and_bad_periods(trading, traded, market, clock):
    w = trading
    reports = market.reports
    with pytest.raises(souk.Forbidden):
        reports.summary(w.owner, whole(clock))
    with pytest.raises(souk.Forbidden):
        reports.summary(w.other_owner, whole(clock, shop=w.shop))
    with pytest.raises(souk.Forbidden):
        reports.top_products(w.customer, whole(clock, shop=w.shop), 3)
    with pytest.raises(souk.Forbidden):
        reports.reconcile(w.owner, "sandbox", "type,reference,amount,currency\n", START, clock.now())
    with pytest.raises(souk.InvalidArgument):
        reports.summary(w.op, ReportPeriod(clock.now(), START))
    with pytest.raises(souk.InvalidArgument):
        reports.sales_by_day(w.op, whole(clock, utc_offset_minutes=15 * 60))
    with pytest.raises(souk.InvalidArgument):
        reports.top_products(w.op, whole(clock), 0)


def test_reconciling_a_settlement_file(trading, traded, market, clock):
    w = trading
    order, refund = traded
    payment = w.orders.order(w.op, order).attempts[0].provider_payment_id
    refund_id = w.orders.refund_info(w.op, refund).provider_refund_id
    settlement_file = (
        "type,reference,amount,currency,time\n"
        f"capture,{payment},224.00,CNY,2026-01-01T10:00:00Z\n"
        f"refund,{refund_id},36.01,CNY,2026-01-01T10:05:00Z\n"
        'capture,"PAY,UNKNOWN",1.00,CNY,2026-01-01T11:00:00Z\n'
    )
    result = market.reports.reconcile(w.op, "sandbox", settlement_file, START, clock.now() + MICROSECOND)
    assert [(t.type, t.reference, t.amount) for t in result.matched] == [
        (souk.ProviderTransactionType.capture, payment, cny("224.00"))
    ]
    (mismatch,) = result.mismatched
    assert (mismatch.in_file.amount, mismatch.in_ledger.amount) == (cny("36.01"), cny("36.00"))
    assert [t.reference for t in result.missing_in_ledger] == ["PAY,UNKNOWN"]
    assert result.missing_in_file == []
    assert not result.clean()

    with pytest.raises(souk.InvalidArgument, match=r"line 2, column 3 \(amount\)"):
        market.reports.reconcile(
            w.op, "sandbox", "type,reference,amount,currency\ncapture,P1,ten,CNY\n", START, clock.now()
        )
    with pytest.raises(souk.LimitExceeded):
        market.reports.reconcile(
            w.op, "sandbox", "x" * (souk.Reports.max_settlement_file_bytes + 1), START, clock.now()
        )
