"""Payments: the PaymentProvider port and the SandboxProvider — signed notifications and their
verification, scripted outcomes, idempotency, refund limits, delivery and handlers, providers
written in Python, and threads."""

import datetime as dt
import functools
import hashlib
import hmac
import json
import threading

import pytest

import souk
from souk import ClientAction, PaymentEventKind, PaymentOrderId, PaymentStatus, RefundStatus, SandboxBehavior
from support import START

SECRET = "sandbox-webhook-secret-0123456789"
CHECKOUT_URL = "https://sandbox.souk.invalid/pay/"


@pytest.fixture
def sandbox(clock):
    return souk.SandboxProvider(SECRET, clock)


def cny(minor):
    return souk.Money(minor, "CNY")


def intent_request(order, minor, key, description="Order at the sandbox"):
    return souk.IntentRequest(
        payment_order=PaymentOrderId(order), amount=cny(minor), idempotency_key=key, description=description
    )


def refund_request(payment_id, minor, key, reason="returned goods"):
    return souk.RefundRequest(provider_payment_id=payment_id, amount=cny(minor), idempotency_key=key, reason=reason)


def captured(sandbox, order, minor):
    """A captured payment of `minor` fen for payment order `order`; its notification stays queued."""
    intent = sandbox.create_intent(intent_request(order, minor, f"pay-{order}"))
    assert sandbox.complete_payment(intent.provider_payment_id) == PaymentStatus.captured
    return intent.provider_payment_id


def delivered_events(sandbox):
    """Delivers everything queued and verifies each notification, in delivery order."""
    return [sandbox.verify(n) for n in sandbox.deliver_all()]


def kinds(events):
    return [event.kind.name for event in events]


def signature_of(notification):
    (value,) = [value for name, value in notification.headers if name.lower() == "souk-signature"]
    return value


def with_signature(notification, value):
    """The notification with its Souk-Signature header replaced (None: removed)."""
    headers = [(name, v) for name, v in notification.headers if name.lower() != "souk-signature"]
    if value is not None:
        headers.append(("Souk-Signature", value))
    return souk.Notification(headers=headers, body=notification.body)


class ThroughThePort:
    """Calls a provider the way the engine does: through the C++ PaymentProvider interface, with
    the GIL released, so that a provider written in Python is reached through its trampoline."""

    def __init__(self, provider):
        self.provider = provider

    def __getattr__(self, method):
        return functools.partial(getattr(souk.PaymentProvider, method), self.provider)


def run_in_threads(work, count):
    """Runs work(n) on `count` threads at once; re-raises the first exception any of them raised."""
    errors = []

    def run(n):
        try:
            work(n)
        except BaseException as e:  # reported below: an exception in a thread would otherwise vanish
            errors.append(e)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


# --- the happy path and the wire format


def test_a_payment_is_opened_paid_and_notified(sandbox, clock):
    assert isinstance(sandbox, souk.PaymentProvider)
    assert sandbox.name() == "sandbox"
    intent = sandbox.create_intent(intent_request(42, 12850, "order-42-try-1"))
    assert intent.status == PaymentStatus.pending
    assert intent.action == ClientAction(kind="redirect", payload=CHECKOUT_URL + intent.provider_payment_id)
    assert intent.action.kind == ClientAction.Kind.redirect
    assert sandbox.pending_notifications() == []  # nothing happens until the payer pays

    clock.advance(dt.timedelta(seconds=30))
    assert sandbox.complete_payment(intent.provider_payment_id) == PaymentStatus.captured
    (notification,) = sandbox.pending_notifications()
    event = sandbox.verify(notification)
    assert event.kind == PaymentEventKind.captured
    assert event.provider_payment_id == intent.provider_payment_id
    assert event.payment_order == PaymentOrderId(42)
    assert event.amount == cny(12850)
    assert event.occurred_at == START + dt.timedelta(seconds=30)
    assert event.refund is None
    assert event.provider_event_id

    payment = sandbox.payment(intent.provider_payment_id)
    assert (payment.status, payment.amount, payment.refunded, payment.refunds) == (
        PaymentStatus.captured,
        cny(12850),
        cny(0),
        [],
    )
    assert payment.payment_order == PaymentOrderId(42)
    assert sandbox.payments_of(PaymentOrderId(42)) == [payment]
    assert sandbox.payments_of(PaymentOrderId(43)) == []
    assert (sandbox.intent_count(), sandbox.charge_count()) == (1, 1)
    assert sandbox.deliver_all() == [notification]
    assert sandbox.deliver_next() is None


def test_the_signature_is_an_hmac_sha256_of_time_and_body(sandbox, clock):
    captured(sandbox, 1, 100)
    (notification,) = sandbox.pending_notifications()
    assert dict(notification.headers)["Content-Type"] == "application/json"
    t = int(clock.now().timestamp())
    # Computed here independently, exactly as docs/payments.md tells a verifier to.
    mac = hmac.new(SECRET.encode(), f"{t}.".encode() + notification.body, hashlib.sha256).hexdigest()
    assert signature_of(notification) == f"t={t},v1={mac}"
    body = json.loads(notification.body)
    assert body["type"] == "payment.captured"
    assert (body["amount"], body["currency"], body["payment_order"]) == (100, "CNY", 1)


def test_the_signed_example_of_the_payments_guide_verifies():
    body = (
        '{"amount":4000,"created_at":"2026-01-15T09:00:30.000000Z","currency":"CNY","id":"evt_000002",'
        '"payment_id":"pay_000001","payment_order":42,"refund":{"id":"re_000001","idempotency_key":"refund-42-1"},'
        '"type":"refund.succeeded"}'
    )
    signature = "t=1768467630,v1=23c415ea394da4ecedda4238e4b375258f930f54953fe149a8d8491364f514cf"
    signed_at = dt.datetime(2026, 1, 15, 9, 0, 30, tzinfo=dt.timezone.utc)
    sandbox = souk.SandboxProvider("whsec_example_0123456789", souk.ManualClock(signed_at + dt.timedelta(seconds=10)))
    event = sandbox.verify(souk.Notification(headers={"Souk-Signature": signature}, body=body))
    assert event == souk.PaymentEvent(
        provider_event_id="evt_000002",
        kind="refunded",
        provider_payment_id="pay_000001",
        payment_order=PaymentOrderId(42),
        amount=cny(4000),
        occurred_at=signed_at,
        refund=souk.RefundReference(provider_refund_id="re_000001", idempotency_key="refund-42-1"),
    )
    assert signature_of(sandbox.sign(body, signed_at)) == signature
    assert sandbox.sign(body.encode(), signed_at) == sandbox.sign(body, signed_at)


# --- verification failures


def test_a_tampered_body_or_a_wrong_secret_is_unauthenticated(sandbox, clock):
    captured(sandbox, 1, 1000)
    (good,) = sandbox.pending_notifications()
    assert sandbox.verify(good).amount == cny(1000)

    tampered = souk.Notification(headers=good.headers, body=good.body.replace(b"1000", b"9000"))
    with pytest.raises(souk.Unauthenticated, match="does not match") as caught:
        sandbox.verify(tampered)
    assert caught.value.code == souk.Errc.unauthenticated
    tampered.body = good.body + b" "
    with pytest.raises(souk.Unauthenticated, match="does not match"):
        sandbox.verify(tampered)

    other = souk.SandboxProvider("another-secret-of-enough-bytes", clock)
    with pytest.raises(souk.Unauthenticated):
        other.verify(good)
    with pytest.raises(souk.Unauthenticated):
        sandbox.verify(other.sign(good.body, clock.now()))

    t, v1 = signature_of(good).split(",")
    moved = with_signature(good, f"t={int(t[2:]) + 1},{v1}")  # the date is signed with the body
    with pytest.raises(souk.Unauthenticated, match="does not match"):
        sandbox.verify(moved)


MALFORMED_SIGNATURES = {
    "missing": (lambda t, v1: None, "no Souk-Signature header"),
    "garbage": (lambda t, v1: "garbage", "not key=value"),
    "no timestamp": (lambda t, v1: v1, "no timestamp"),
    "no v1": (lambda t, v1: t, "no v1"),
    "two timestamps": (lambda t, v1: f"{t},{t},{v1}", "two timestamps"),
    "letters in t": (lambda t, v1: f"t=12ab,{v1}", "not a number of seconds"),
    "empty t": (lambda t, v1: f"t=,{v1}", "not a number of seconds"),
    "negative t": (lambda t, v1: f"t=-5,{v1}", "not a number of seconds"),
    "13-digit t": (lambda t, v1: f"t=1234567890123,{v1}", "not a number of seconds"),
    "not hex": (lambda t, v1: f"{t},v1=zz{v1[5:]}", "does not match"),
    "truncated": (lambda t, v1: f"{t},v1={v1[3:13]}", "does not match"),
    "oversized v1": (lambda t, v1: f"{t},v1={'a' * 2000}", "too long"),
    "nine v1": (lambda t, v1: ",".join([t] + [v1] * 9), "too many"),
}


@pytest.mark.parametrize("name", MALFORMED_SIGNATURES)
def test_a_malformed_signature_header_is_unauthenticated(sandbox, name):
    captured(sandbox, 1, 1000)
    (good,) = sandbox.pending_notifications()
    make, why = MALFORMED_SIGNATURES[name]
    bad = with_signature(good, make(*signature_of(good).split(",")))
    with pytest.raises(souk.Unauthenticated, match=why):
        sandbox.verify(bad)


def test_signature_header_names_are_case_insensitive_and_must_be_unique(sandbox):
    captured(sandbox, 1, 1000)
    (good,) = sandbox.pending_notifications()
    lower = souk.Notification(headers=[(name.lower(), value) for name, value in good.headers], body=good.body)
    assert sandbox.verify(lower) == sandbox.verify(good)
    twice = souk.Notification(headers=good.headers + [("SOUK-SIGNATURE", signature_of(good))], body=good.body)
    with pytest.raises(souk.Unauthenticated, match="more than one"):
        sandbox.verify(twice)
    # A secret being rotated: one matching v1 among several suffices; unknown schemes are skipped.
    t, v1 = signature_of(good).split(",")
    rotated = with_signature(good, f"v0=legacy, {t},v1={'a' * 64},{v1}")
    assert sandbox.verify(rotated) == sandbox.verify(good)


def test_stale_and_future_signatures_are_unauthenticated(sandbox, clock):
    captured(sandbox, 1, 1000)
    (signed_now,) = sandbox.pending_notifications()
    clock.advance(dt.timedelta(seconds=300))  # the default window, inclusive
    assert sandbox.verify(signed_now).payment_order == PaymentOrderId(1)
    clock.advance(dt.timedelta(seconds=1))
    with pytest.raises(souk.Unauthenticated, match="before now"):
        sandbox.verify(signed_now)
    with pytest.raises(souk.Unauthenticated, match="after now"):
        sandbox.verify(sandbox.sign(signed_now.body, clock.now() + dt.timedelta(seconds=301)))
    assert sandbox.verify(sandbox.sign(signed_now.body, clock.now() + dt.timedelta(seconds=300)))

    # Notifications are signed when handed out: a late delivery carries a fresh date.
    clock.advance(dt.timedelta(hours=1))
    (redelivered,) = sandbox.pending_notifications()
    assert sandbox.verify(redelivered) == sandbox.verify(sandbox.sign(signed_now.body, clock.now()))


def test_the_signature_tolerance_is_an_option(sandbox, clock):
    strict = souk.SandboxProvider(SECRET, clock, signature_tolerance=dt.timedelta(seconds=10))
    captured(sandbox, 1, 1000)
    (notification,) = sandbox.pending_notifications()
    clock.advance(dt.timedelta(seconds=11))
    with pytest.raises(souk.Unauthenticated, match="before now"):
        strict.verify(notification)
    assert sandbox.verify(notification).amount == cny(1000)


def refund_body(**changes):
    """A well-formed refund event body, with some fields changed (None: removed)."""
    body = {
        "id": "evt_900001",
        "type": "refund.succeeded",
        "created_at": "2026-01-15T09:00:00Z",
        "payment_id": "pay_000001",
        "payment_order": 7,
        "amount": 1250,
        "currency": "CNY",
        "refund": {"id": "re_000001", "idempotency_key": "refund-7-1"},
    }
    body.update(changes)
    return json.dumps({key: value for key, value in body.items() if value is not None})


def test_an_oversized_body_is_refused_before_it_is_read(sandbox, clock):
    small = souk.SandboxProvider(SECRET, clock, notification_bytes_max=64)
    body = refund_body()
    assert len(body) > 64
    with pytest.raises(souk.LimitExceeded):
        small.verify(sandbox.sign(body, clock.now()))
    assert sandbox.verify(sandbox.sign(body, clock.now())).kind == PaymentEventKind.refunded
    with pytest.raises(souk.LimitExceeded):
        sandbox.verify(sandbox.sign(b" " * (64 * 1024 + 1), clock.now()))


def test_an_authentic_body_verifies_into_its_event(sandbox, clock):
    event = sandbox.verify(sandbox.sign(refund_body(livemode=False), clock.now()))  # unknown fields are ignored
    assert event == souk.PaymentEvent(
        provider_event_id="evt_900001",
        kind=PaymentEventKind.refunded,
        provider_payment_id="pay_000001",
        payment_order=PaymentOrderId(7),
        amount=cny(1250),
        occurred_at=START,
        refund=souk.RefundReference(provider_refund_id="re_000001", idempotency_key="refund-7-1"),
    )


MALFORMED_BODIES = {
    "negative amount": (refund_body(amount=-1250), "within 1.."),
    "fractional amount": (refund_body(amount=12.5), "must be an integer"),
    "amount as text": (refund_body(amount="1250"), "must be an integer"),
    "amount beyond 64 bits": (refund_body(amount=2**64), "must be an integer"),
    "unknown currency": (refund_body(currency="ABC"), "not an ISO 4217"),
    "unknown type": (refund_body(type="payment.teleported"), "unknown event type"),
    "missing refund": (refund_body(refund=None), 'no "refund"'),
    "refund on a payment event": (refund_body(type="payment.captured"), 'carries a "refund"'),
    "zero payment order": (refund_body(payment_order=0), "within 1.."),
    "not JSON": ("not json", ""),
    "not an object": ("[1,2]", ""),
}


@pytest.mark.parametrize("name", MALFORMED_BODIES)
def test_an_authentic_but_malformed_body_is_an_invalid_argument(sandbox, clock, name):
    body, why = MALFORMED_BODIES[name]
    with pytest.raises(souk.InvalidArgument, match=why) as caught:
        sandbox.verify(sandbox.sign(body, clock.now()))
    assert isinstance(caught.value, ValueError)


# --- requests and options


def test_requests_are_validated_before_anything_happens(sandbox):
    good = dict(payment_order=PaymentOrderId(1), amount=cny(100), idempotency_key="k1")
    invalid = [
        dict(payment_order=PaymentOrderId(0)),
        dict(amount=cny(0)),
        dict(amount=cny(-5)),
        dict(amount=souk.Money(100, souk.Currency.custom("PTS", 0))),
        dict(idempotency_key=""),
        dict(idempotency_key="has space"),
        dict(idempotency_key="k" * 256),
        dict(idempotency_key="k\u00e9"),
        dict(description="d" * 1001),
    ]
    for change in invalid:
        with pytest.raises(souk.InvalidArgument):
            sandbox.create_intent(souk.IntentRequest(**{**good, **change}))
    assert sandbox.intent_count() == 0
    with pytest.raises(souk.InvalidArgument):
        sandbox.set_behavior(PaymentOrderId(0), SandboxBehavior())


def test_arguments_of_the_wrong_type_are_type_errors(sandbox):
    with pytest.raises(TypeError):
        souk.IntentRequest(payment_order=souk.ShopId(1), amount=cny(100), idempotency_key="k")
    with pytest.raises(TypeError):
        souk.IntentRequest(payment_order=PaymentOrderId(1), amount=12.5, idempotency_key="k")  # money is never a float
    with pytest.raises(TypeError):
        souk.IntentRequest(PaymentOrderId(1), cny(100), "k")  # keyword-only
    with pytest.raises(TypeError):
        sandbox.payments_of(1)
    with pytest.raises(TypeError):
        sandbox.sign("{}", dt.datetime(2026, 1, 15, 9, 0))  # naive


def test_sandbox_options_are_checked(clock):
    with pytest.raises(souk.InvalidArgument, match="16 bytes"):
        souk.SandboxProvider("short", clock)
    with pytest.raises(souk.InvalidArgument, match="clock"):
        souk.SandboxProvider(SECRET, None)
    with pytest.raises(souk.InvalidArgument):
        souk.SandboxProvider(SECRET, clock, signature_tolerance=dt.timedelta(seconds=-1))
    with pytest.raises(souk.InvalidArgument):
        souk.SandboxProvider(SECRET, clock, notification_bytes_max=0)
    with pytest.raises(souk.InvalidArgument, match="checkout_url"):
        souk.SandboxProvider(SECRET, clock, checkout_url="")
    with pytest.raises(souk.InvalidArgument, match="expected one of none, redirect, qr_code"):
        souk.SandboxProvider(SECRET, clock, client_action="sms")
    with pytest.raises(TypeError):
        souk.SandboxProvider(SECRET, clock, "qr_code")  # options are keyword-only
    assert souk.SandboxProvider(SECRET.encode(), clock).name() == "sandbox"  # a bytes secret
    with pytest.raises(TypeError):

        class Custom(souk.SandboxProvider):  # final, like the C++ class
            pass


def test_a_qr_code_payment_waits_for_the_payer(clock):
    sandbox = souk.SandboxProvider(SECRET, clock, client_action="qr_code", checkout_url="sandbox://qr/")
    intent = sandbox.create_intent(intent_request(1, 100, "k"))
    payload = "sandbox://qr/" + intent.provider_payment_id
    assert intent.action == ClientAction(kind=ClientAction.Kind.qr_code, payload=payload)
    assert intent.status == PaymentStatus.pending


def test_without_a_client_action_the_payment_completes_inside_create_intent(clock):
    sandbox = souk.SandboxProvider(SECRET, clock, client_action=ClientAction.Kind.none)
    intent = sandbox.create_intent(intent_request(1, 100, "k"))
    assert intent.action == ClientAction()
    assert intent.status == PaymentStatus.captured
    assert kinds(delivered_events(sandbox)) == ["captured"]
    with pytest.raises(souk.InvalidState):
        sandbox.complete_payment(intent.provider_payment_id)

    sandbox.set_default_behavior(SandboxBehavior(payment="decline"))
    assert sandbox.create_intent(intent_request(2, 100, "k2")).status == PaymentStatus.declined
    assert kinds(delivered_events(sandbox)) == ["declined"]
    assert sandbox.charge_count() == 1


def test_the_payer_completes_a_payment_once(sandbox):
    payment_id = captured(sandbox, 1, 100)
    with pytest.raises(souk.InvalidState, match="already captured"):
        sandbox.complete_payment(payment_id)
    with pytest.raises(souk.NotFound):
        sandbox.complete_payment("pay_999999")
    with pytest.raises(LookupError):
        sandbox.payment("pay_999999")
    assert len(sandbox.pending_notifications()) == 1


# --- scripted behaviours


def test_declines_are_scripted_globally_or_per_payment_order(sandbox):
    sandbox.set_default_behavior(SandboxBehavior(payment=souk.SandboxOutcome.decline))
    sandbox.set_behavior(PaymentOrderId(2), SandboxBehavior(payment="succeed"))
    first = sandbox.create_intent(intent_request(1, 100, "k1"))
    second = sandbox.create_intent(intent_request(2, 200, "k2"))
    assert sandbox.complete_payment(first.provider_payment_id) == PaymentStatus.declined
    assert sandbox.complete_payment(second.provider_payment_id) == PaymentStatus.captured
    events = delivered_events(sandbox)
    assert [(e.kind.name, e.payment_order.value, e.amount) for e in events] == [
        ("declined", 1, cny(100)),
        ("captured", 2, cny(200)),
    ]
    assert sandbox.charge_count() == 1

    # A declined payment cannot be refunded; the payer may pay a new intent of the same order.
    with pytest.raises(souk.InvalidState, match="only a captured payment"):
        sandbox.refund(refund_request(first.provider_payment_id, 100, "r1"))
    sandbox.set_behavior(PaymentOrderId(1), SandboxBehavior())
    retry = sandbox.create_intent(intent_request(1, 100, "k1-second-try"))
    assert sandbox.complete_payment(retry.provider_payment_id) == PaymentStatus.captured
    assert [p.status.name for p in sandbox.payments_of(PaymentOrderId(1))] == ["declined", "captured"]


def test_a_timed_out_intent_was_created_and_its_notification_is_held(sandbox):
    sandbox.set_behavior(PaymentOrderId(5), SandboxBehavior(payment="timeout"))
    request = intent_request(5, 500, "order-5")
    with pytest.raises(souk.PaymentFailed, match="retry with the same idempotency key 'order-5'"):
        sandbox.create_intent(request)
    assert sandbox.intent_count() == 1

    intent = sandbox.create_intent(request)  # answered from the record, though the script still says timeout
    assert sandbox.intent_count() == 1
    assert intent.status == PaymentStatus.pending
    assert intent.provider_payment_id == sandbox.payments_of(PaymentOrderId(5))[0].provider_payment_id

    assert sandbox.complete_payment(intent.provider_payment_id) == PaymentStatus.captured
    assert sandbox.pending_notifications() == []
    assert sandbox.held_notification_count() == 1
    assert sandbox.deliver_next() is None
    sandbox.release_held_notifications()
    assert sandbox.held_notification_count() == 0
    (event,) = delivered_events(sandbox)
    assert (event.kind, event.provider_payment_id) == (PaymentEventKind.captured, intent.provider_payment_id)


def test_a_timed_out_refund_was_made_once_and_its_retry_returns_the_receipt(sandbox):
    payment_id = captured(sandbox, 3, 1000)
    delivered_events(sandbox)
    sandbox.set_default_behavior(SandboxBehavior(refund="timeout"))
    request = refund_request(payment_id, 400, "refund-3-1")
    with pytest.raises(souk.PaymentFailed):
        sandbox.refund(request)
    assert sandbox.payment(payment_id).refunded == cny(400)
    assert sandbox.held_notification_count() == 1

    sandbox.set_default_behavior(SandboxBehavior())
    receipt = sandbox.refund(request)
    assert (receipt.amount, receipt.status) == (cny(400), RefundStatus.pending)
    assert sandbox.payment(payment_id).refunded == cny(400)
    assert len(sandbox.payment(payment_id).refunds) == 1
    assert sandbox.pending_notifications() == []

    sandbox.release_held_notifications()
    (event,) = delivered_events(sandbox)
    assert (event.kind, event.amount) == (PaymentEventKind.refunded, cny(400))
    # The engine learns which refund it was even though the timed-out call never told it.
    assert event.refund == souk.RefundReference(
        provider_refund_id=receipt.provider_refund_id, idempotency_key="refund-3-1"
    )


def test_duplicated_notifications_repeat_the_event_id_and_body(sandbox):
    sandbox.set_behavior(PaymentOrderId(1), SandboxBehavior(duplicate_notifications=True))
    payment_id = captured(sandbox, 1, 100)
    captured(sandbox, 2, 200)
    pending = sandbox.pending_notifications()
    assert len(pending) == 3
    assert pending[0] == pending[1]
    events = delivered_events(sandbox)
    assert events[0] == events[1]
    assert events[0].provider_payment_id == payment_id
    assert events[2].payment_order == PaymentOrderId(2)
    assert events[2].provider_event_id != events[0].provider_event_id
    assert sandbox.charge_count() == 2  # two notifications, one charge


def test_reversed_notifications_bring_a_refund_before_its_capture(sandbox):
    sandbox.set_behavior(PaymentOrderId(1), SandboxBehavior(reverse_notifications=True))
    other = captured(sandbox, 2, 200)
    payment_id = captured(sandbox, 1, 1000)
    sandbox.refund(refund_request(payment_id, 250, "r1"))
    sandbox.refund(refund_request(other, 50, "r2"))
    events = delivered_events(sandbox)
    assert [(e.payment_order.value, e.kind.name) for e in events] == [
        (2, "captured"),
        (1, "refunded"),
        (1, "captured"),
        (2, "refunded"),  # the other order keeps its order
    ]


def test_a_held_capture_released_after_a_refund_arrives_after_it(sandbox):
    sandbox.set_default_behavior(SandboxBehavior(payment="timeout"))
    request = intent_request(3, 300, "k3")
    with pytest.raises(souk.PaymentFailed):
        sandbox.create_intent(request)
    intent = sandbox.create_intent(request)
    sandbox.complete_payment(intent.provider_payment_id)
    sandbox.set_default_behavior(SandboxBehavior())
    sandbox.refund(refund_request(intent.provider_payment_id, 300, "r3"))
    sandbox.release_held_notifications()
    assert kinds(delivered_events(sandbox)) == ["refunded", "captured"]


# --- idempotency and refund limits


def test_the_same_key_with_the_same_request_returns_the_first_answer(sandbox):
    request = intent_request(9, 900, "order-9")
    first = sandbox.create_intent(request)
    assert sandbox.create_intent(intent_request(9, 900, "order-9")) == first
    sandbox.complete_payment(first.provider_payment_id)
    assert sandbox.create_intent(request) == first  # the first answer, not a second payment
    assert (sandbox.intent_count(), sandbox.charge_count()) == (1, 1)

    refund = refund_request(first.provider_payment_id, 300, "refund-9-1")
    receipt = sandbox.refund(refund)
    assert sandbox.refund(refund) == receipt
    assert sandbox.payment(first.provider_payment_id).refunded == cny(300)
    # The replay answers before the limit is checked: a retry of a full refund is not "too much".
    rest = refund_request(first.provider_payment_id, 600, "refund-9-2")
    assert sandbox.refund(rest) == sandbox.refund(rest)
    assert sandbox.payment(first.provider_payment_id).refunded == cny(900)


def test_the_same_key_with_a_different_request_is_a_conflict(sandbox):
    request = intent_request(9, 900, "order-9")
    first = sandbox.create_intent(request)
    for field, value in [("amount", cny(901)), ("payment_order", PaymentOrderId(10)), ("description", "changed")]:
        other = intent_request(9, 900, "order-9")
        setattr(other, field, value)
        assert other != request
        with pytest.raises(souk.Conflict, match="'order-9' was already used for a different request"):
            sandbox.create_intent(other)
    assert sandbox.intent_count() == 1

    sandbox.complete_payment(first.provider_payment_id)
    refund = refund_request(first.provider_payment_id, 300, "refund-9-1")
    sandbox.refund(refund)
    refund.amount = cny(200)
    with pytest.raises(souk.Conflict):
        sandbox.refund(refund)
    # A key is one operation's, whatever its kind.
    with pytest.raises(souk.Conflict):
        sandbox.refund(refund_request(first.provider_payment_id, 300, "order-9"))
    with pytest.raises(souk.Conflict):
        sandbox.create_intent(intent_request(11, 300, "refund-9-1"))
    assert len(sandbox.payment(first.provider_payment_id).refunds) == 1
    assert sandbox.intent_count() == 1


def test_refunds_never_exceed_what_was_captured_minus_what_was_refunded(sandbox):
    payment_id = captured(sandbox, 4, 1000)
    assert sandbox.refund(refund_request(payment_id, 300, "r1")).status == RefundStatus.pending
    assert sandbox.refund(refund_request(payment_id, 300, "r2")).amount == cny(300)
    with pytest.raises(souk.LimitExceeded, match="exceeds the 4.00 CNY left to refund"):
        sandbox.refund(refund_request(payment_id, 401, "r3"))
    assert len(sandbox.payment(payment_id).refunds) == 2  # the refused refund changed nothing

    # A failed refund moves no money, so it does not count against the limit.
    sandbox.set_behavior(PaymentOrderId(4), SandboxBehavior(refund="decline"))
    sandbox.refund(refund_request(payment_id, 400, "r3"))
    assert sandbox.payment(payment_id).refunded == cny(600)
    sandbox.set_behavior(PaymentOrderId(4), SandboxBehavior())
    sandbox.refund(refund_request(payment_id, 400, "r4"))
    assert sandbox.payment(payment_id).refunded == cny(1000)
    with pytest.raises(souk.LimitExceeded):
        sandbox.refund(refund_request(payment_id, 1, "r5"))

    refunds = sandbox.payment(payment_id).refunds
    assert [r.status.name for r in refunds] == ["succeeded", "succeeded", "failed", "succeeded"]
    assert [r.amount.minor_units for r in refunds] == [300, 300, 400, 400]
    assert kinds(delivered_events(sandbox)) == ["captured", "refunded", "refunded", "refund_failed", "refunded"]


def test_refunds_of_what_cannot_be_refunded_are_refused(sandbox):
    payment_id = captured(sandbox, 4, 1000)
    pending = sandbox.create_intent(intent_request(6, 100, "pending"))
    with pytest.raises(souk.InvalidState):
        sandbox.refund(refund_request(pending.provider_payment_id, 1, "r6"))
    with pytest.raises(souk.NotFound):
        sandbox.refund(refund_request("pay_999999", 1, "r7"))
    with pytest.raises(souk.CurrencyMismatch):
        sandbox.refund(
            souk.RefundRequest(provider_payment_id=payment_id, amount=souk.Money(1, "USD"), idempotency_key="r8")
        )
    with pytest.raises(souk.InvalidArgument):
        sandbox.refund(refund_request(payment_id, 0, "r9"))
    with pytest.raises(souk.InvalidArgument):
        sandbox.refund(refund_request("", 1, "r10"))
    with pytest.raises(souk.InvalidArgument):
        sandbox.refund(refund_request(payment_id, 1, "r11", reason="x" * 1001))
    assert sandbox.payment(payment_id).refunds == []


def test_a_failed_refund_names_the_refund_and_leaves_the_money_captured(sandbox):
    payment_id = captured(sandbox, 8, 800)
    sandbox.set_default_behavior(SandboxBehavior(refund="decline"))
    receipt = sandbox.refund(refund_request(payment_id, 800, "refund-8"))
    _, event = delivered_events(sandbox)
    assert (event.kind, event.amount, event.payment_order.value) == (PaymentEventKind.refund_failed, cny(800), 8)
    assert event.refund == souk.RefundReference(
        provider_refund_id=receipt.provider_refund_id, idempotency_key="refund-8"
    )
    payment = sandbox.payment(payment_id)
    assert (payment.status, payment.refunded) == (PaymentStatus.captured, cny(0))


# --- notification handlers


def test_a_handler_receives_deliveries_and_may_call_the_sandbox(sandbox):
    received = []

    def handle(notification):
        event = sandbox.verify(notification)
        received.append(event)
        if event.kind == PaymentEventKind.captured:  # its refund's notification joins this delivery run
            sandbox.refund(refund_request(event.provider_payment_id, 100, "refund-on-capture"))

    sandbox.on_notification(handle)
    captured(sandbox, 1, 100)
    delivered = sandbox.deliver_all()
    assert kinds(received) == ["captured", "refunded"]
    assert [sandbox.verify(n) for n in delivered] == received
    assert sandbox.pending_notifications() == []

    sandbox.on_notification(None)
    captured(sandbox, 2, 100)
    assert sandbox.verify(sandbox.deliver_next()).payment_order == PaymentOrderId(2)
    assert len(received) == 2


@pytest.mark.parametrize("error", [souk.StorageFailure("the webhook endpoint is down"), ConnectionError("reset")])
def test_a_failing_handler_gets_the_notification_again(sandbox, error):
    failures_left = [1]
    received = []

    def handle(notification):
        if failures_left[0]:
            failures_left[0] -= 1
            raise error
        received.append(notification)

    sandbox.on_notification(handle)
    captured(sandbox, 1, 100)
    with pytest.raises(type(error)) as caught:
        sandbox.deliver_next()
    assert caught.value is error  # the handler's own exception, unchanged
    assert len(sandbox.pending_notifications()) == 1  # back at the front of the queue
    assert len(sandbox.deliver_all()) == 1
    assert kinds(sandbox.verify(n) for n in received) == ["captured"]


def test_handlers_run_on_the_thread_that_delivers(sandbox):
    threads_count, per_thread = 4, 10
    received = []
    lock = threading.Lock()

    def handle(notification):
        event = sandbox.verify(notification)
        with lock:
            received.append((threading.get_ident(), event.payment_order.value))

    sandbox.on_notification(handle)

    def pay_and_deliver(n):
        for i in range(per_thread):
            captured(sandbox, n * per_thread + i + 1, 100)
            sandbox.deliver_all()

    run_in_threads(pay_and_deliver, threads_count)
    assert sorted(order for _, order in received) == list(range(1, threads_count * per_thread + 1))
    assert threading.get_ident() not in {thread for thread, _ in received}
    assert sandbox.charge_count() == threads_count * per_thread


# --- providers written in Python


class PythonGateway(souk.PaymentProvider):
    """A gateway adapter written in Python: its own ledger, idempotency keys, and notifications
    signed with an HMAC in a header of its own."""

    def __init__(self, secret, clock):
        super().__init__()
        self.secret = secret
        self.clock = clock
        self.lock = threading.Lock()
        self.answers = {}  # idempotency key -> (request, answer)
        self.captured = {}  # payment id -> amount
        self.calls = 0

    def name(self):
        return "test-gateway"

    def _idempotent(self, request, make):
        with self.lock:
            self.calls += 1
            if request.idempotency_key in self.answers:
                first, answer = self.answers[request.idempotency_key]
                if first != request:
                    raise souk.Conflict(f"idempotency key '{request.idempotency_key}' was used for another request")
                return answer
            answer = make()
            self.answers[request.idempotency_key] = (request, answer)
            return answer

    def create_intent(self, request):
        def make():
            payment_id = f"tg_{len(self.captured) + 1}"
            self.captured[payment_id] = request.amount
            return souk.PaymentIntent(provider_payment_id=payment_id, status="captured")

        return self._idempotent(request, make)

    def refund(self, request):
        def make():
            if request.amount > self.captured[request.provider_payment_id]:
                raise souk.LimitExceeded(f"a refund of {request.amount} exceeds the captured amount")
            return souk.RefundReceipt(provider_refund_id="tg_re_1", amount=request.amount, status="succeeded")

        return self._idempotent(request, make)

    def notification(self, body):
        mac = hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        return souk.Notification(headers={"X-Test-Signature": mac}, body=body)

    def verify(self, raw):
        signature = dict((name.lower(), value) for name, value in raw.headers).get("x-test-signature", "")
        if not hmac.compare_digest(signature, hmac.new(self.secret, raw.body, hashlib.sha256).hexdigest()):
            raise souk.Unauthenticated("the X-Test-Signature does not match the body")
        body = json.loads(raw.body)
        return souk.PaymentEvent(
            provider_event_id=body["id"],
            kind=body["kind"],
            provider_payment_id=body["payment"],
            payment_order=PaymentOrderId(body["order"]),
            amount=souk.Money(body["amount"], "CNY"),
            occurred_at=self.clock.now(),
        )


@pytest.fixture
def gateway(clock):
    return PythonGateway(b"test-gateway-secret", clock)


def test_a_provider_written_in_python_is_called_through_the_port(gateway, clock):
    port = ThroughThePort(gateway)
    assert isinstance(gateway, souk.PaymentProvider)
    assert port.name() == "test-gateway"
    request = intent_request(1, 500, "k1")
    intent = port.create_intent(request)
    assert intent == souk.PaymentIntent(provider_payment_id="tg_1", status=PaymentStatus.captured)
    # The provider got a copy of its own, as a C++ provider would: the caller's changes do not reach it.
    request.description = "changed afterwards"
    assert gateway.answers["k1"][0] == intent_request(1, 500, "k1")
    assert port.create_intent(intent_request(1, 500, "k1")) == intent
    receipt = port.refund(refund_request("tg_1", 200, "r1"))
    assert (receipt.amount, receipt.status) == (cny(200), RefundStatus.succeeded)
    body = json.dumps({"id": "e1", "kind": "captured", "payment": "tg_1", "order": 1, "amount": 500}).encode()
    event = port.verify(gateway.notification(body))
    assert (event.kind, event.amount, event.occurred_at) == (PaymentEventKind.captured, cny(500), clock.now())
    assert gateway.calls == 3


def test_a_souk_error_raised_in_python_keeps_its_class_and_message(gateway):
    port = ThroughThePort(gateway)
    port.create_intent(intent_request(1, 500, "k1"))
    with pytest.raises(souk.Conflict) as caught:
        port.create_intent(intent_request(1, 501, "k1"))
    assert str(caught.value) == "conflict: idempotency key 'k1' was used for another request"
    with pytest.raises(souk.LimitExceeded, match="^limit_exceeded: a refund of 5.01 CNY exceeds"):
        port.refund(refund_request("tg_1", 501, "r1"))
    forged = souk.Notification(headers={"X-Test-Signature": "0" * 64}, body=b"{}")
    with pytest.raises(souk.Unauthenticated, match="^unauthenticated: the X-Test-Signature does not match"):
        port.verify(forged)


def test_a_souk_error_from_souk_calls_in_python_keeps_its_class_too(gateway):
    body = json.dumps({"id": "e1", "kind": "teleported", "payment": "tg_1", "order": 1, "amount": 1}).encode()
    with pytest.raises(souk.InvalidArgument) as caught:
        ThroughThePort(gateway).verify(gateway.notification(body))
    assert str(caught.value) == "invalid_argument: unknown payment event kind 'teleported'; expected one of " + (
        "captured, declined, refunded, refund_failed"
    )


def test_any_other_exception_in_python_is_a_payment_failure(gateway):
    port = ThroughThePort(gateway)
    with pytest.raises(souk.PaymentFailed, match=r"^payment_failed: PythonGateway\.refund raised KeyError: 'tg_9'$"):
        port.refund(refund_request("tg_9", 1, "r1"))  # a bug in the adapter: the outcome is unknown
    body = json.dumps({"id": "e1", "kind": "captured", "payment": "tg_1", "order": 1}).encode()
    with pytest.raises(souk.PaymentFailed, match=r"PythonGateway\.verify raised KeyError: 'amount'"):
        port.verify(gateway.notification(body))


class Incomplete(souk.PaymentProvider):
    def __init__(self, answer=None):
        super().__init__()
        self.answer = answer

    def name(self):
        return self.answer

    def create_intent(self, request):
        raise KeyboardInterrupt

    def verify(self, raw):
        raise souk.Error("a souk.Error without a code")


def test_a_python_provider_that_breaks_the_port_fails_clearly():
    port = ThroughThePort(Incomplete(answer=42))
    with pytest.raises(souk.PaymentFailed, match="Incomplete.name returned int, not a str"):
        port.name()
    with pytest.raises(souk.PaymentFailed, match="Incomplete.refund is not implemented"):
        port.refund(refund_request("p", 1, "r"))
    with pytest.raises(KeyboardInterrupt):  # an interrupt is not a provider failure
        port.create_intent(intent_request(1, 1, "k"))
    with pytest.raises(souk.PaymentFailed, match="Incomplete.verify raised Error: a souk.Error without a code"):
        port.verify(souk.Notification())

    class NoInit(souk.PaymentProvider):
        def __init__(self):
            pass

    with pytest.raises(TypeError, match="__init__"):
        NoInit()


def test_a_python_provider_may_wrap_the_sandbox(sandbox):
    class Recording(souk.PaymentProvider):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner
            self.requests = []

        def name(self):
            return "recording-" + self.inner.name()

        def create_intent(self, request):
            self.requests.append(request)
            return self.inner.create_intent(request)

        def refund(self, request):
            self.requests.append(request)
            return self.inner.refund(request)

        def verify(self, raw):
            return self.inner.verify(raw)

    port = ThroughThePort(Recording(sandbox))
    assert port.name() == "recording-sandbox"
    intent = port.create_intent(intent_request(1, 700, "k1"))
    sandbox.complete_payment(intent.provider_payment_id)
    port.refund(refund_request(intent.provider_payment_id, 700, "r1"))
    assert kinds(port.verify(n) for n in sandbox.deliver_all()) == ["captured", "refunded"]
    assert len(port.provider.requests) == 2
    # The sandbox's error crosses C++, Python and C++ again with its code and message intact.
    with pytest.raises(souk.LimitExceeded) as caught:
        port.refund(refund_request(intent.provider_payment_id, 1, "r2"))
    assert str(caught.value).count("limit_exceeded: ") == 1


def test_threads_call_a_python_provider_through_the_port_at_once(gateway):
    threads_count, per_thread = 8, 25
    port = ThroughThePort(gateway)

    def pay(n):
        for i in range(per_thread):
            key = f"order-{i}"  # every thread retries the same keys: one payment per key
            assert port.create_intent(intent_request(i + 1, 100, key)).provider_payment_id.startswith("tg_")

    run_in_threads(pay, threads_count)
    assert gateway.calls == threads_count * per_thread
    assert len(gateway.captured) == per_thread


def test_intents_and_refunds_from_several_threads_never_pay_or_refund_twice(clock):
    sandbox = souk.SandboxProvider(SECRET, clock, client_action="none")
    threads_count, orders = 4, 50

    def open_intents(n):
        for i in range(orders):
            order = (i + n * 7) % orders + 1
            sandbox.create_intent(intent_request(order, 1000, f"order-{order}"))

    run_in_threads(open_intents, threads_count)
    assert (sandbox.intent_count(), sandbox.charge_count()) == (orders, orders)

    target = sandbox.payments_of(PaymentOrderId(1))[0].provider_payment_id
    outcomes = []

    def refund(n):
        for i in range(20):
            try:
                sandbox.refund(refund_request(target, 30, f"refund-{n}-{i}"))
                outcomes.append("accepted")
            except souk.LimitExceeded:
                outcomes.append("refused")

    run_in_threads(refund, threads_count)
    assert outcomes.count("accepted") == 33  # 33 × 30 = 990 of 1000
    assert sandbox.payment(target).refunded == cny(990)
    events = delivered_events(sandbox)
    assert len(events) == orders + 33
    assert len({e.provider_event_id for e in events}) == len(events)


# --- the records


def test_enums_have_stable_names_and_values():
    def members(enum):
        return [(name, int(value)) for name, value in enum.__members__.items()]

    assert members(PaymentStatus) == [("pending", 1), ("captured", 2), ("declined", 3)]
    assert members(RefundStatus) == [("pending", 1), ("succeeded", 2), ("failed", 3)]
    assert members(PaymentEventKind) == [("captured", 1), ("declined", 2), ("refunded", 3), ("refund_failed", 4)]
    assert members(ClientAction.Kind) == [("none", 1), ("redirect", 2), ("qr_code", 3)]
    assert members(souk.SandboxOutcome) == [("succeed", 1), ("decline", 2), ("timeout", 3)]


def test_answers_are_keyword_built_read_only_values():
    receipt = souk.RefundReceipt(provider_refund_id="re_1", amount=cny(100))
    assert receipt.status == RefundStatus.pending
    assert receipt == souk.RefundReceipt(provider_refund_id="re_1", amount=cny(100), status="pending")
    assert receipt != souk.RefundReceipt(provider_refund_id="re_1", amount=cny(100), status="failed")
    assert repr(receipt) == (
        "RefundReceipt(provider_refund_id='re_1', amount=Money.parse('1.00', 'CNY'), status=<RefundStatus.pending: 1>)"
    )
    with pytest.raises(AttributeError):
        receipt.status = RefundStatus.succeeded
    with pytest.raises(souk.InvalidArgument, match="expected one of pending, succeeded, failed"):
        souk.RefundReceipt(provider_refund_id="re_1", amount=cny(100), status="refunded")
    with pytest.raises(TypeError):
        souk.PaymentIntent("pay_1")  # keyword-only
    intent = souk.PaymentIntent(provider_payment_id="pay_1", action=ClientAction(kind="qr_code", payload="qr"))
    assert (intent.action.kind, intent.action.payload, intent.status) == (
        ClientAction.Kind.qr_code,
        "qr",
        PaymentStatus.pending,
    )


def test_requests_and_behaviors_are_editable_and_take_enum_names():
    request = intent_request(1, 100, "k")
    request.description = "changed"
    assert request.description == "changed"
    amount = request.amount
    request.amount = cny(200)
    assert (amount, request.amount) == (cny(100), cny(200))  # what was read is a value of its own
    assert repr(request) == (
        "IntentRequest(payment_order=PaymentOrderId(1), amount=Money.parse('2.00', 'CNY'), idempotency_key='k', "
        "description='changed')"
    )

    behavior = SandboxBehavior(refund="timeout")
    assert (behavior.payment, behavior.refund) == (souk.SandboxOutcome.succeed, souk.SandboxOutcome.timeout)
    behavior.payment = "decline"
    behavior.reverse_notifications = True
    assert behavior == SandboxBehavior(payment="decline", refund="timeout", reverse_notifications=True)
    with pytest.raises(souk.InvalidArgument, match="unknown sandbox outcome 'fail'; expected one of succeed, decline"):
        behavior.refund = "fail"
    assert behavior.refund == souk.SandboxOutcome.timeout


def test_notifications_take_headers_and_body_as_web_frameworks_give_them():
    pairs = [("Souk-Signature", "t=1,v1=ab"), ("Content-Type", "application/json")]
    from_pairs = souk.Notification(headers=pairs, body=b"{}")
    assert from_pairs.headers == pairs
    assert from_pairs.body == b"{}"
    assert souk.Notification(headers=dict(pairs), body="{}") == from_pairs  # a mapping; str is taken as UTF-8
    as_bytes = [(b"Souk-Signature", b"t=1,v1=ab"), ("Content-Type", "application/json")]
    assert souk.Notification(headers=as_bytes, body=b"{}") == from_pairs
    assert souk.Notification().headers == [] and souk.Notification().body == b""
    assert souk.Notification(body="caf\u00e9").body == "caf\u00e9".encode()
    assert souk.Notification(body=bytearray(b"\xff\x00")).body == b"\xff\x00"  # any bytes, not only UTF-8

    edited = souk.Notification(headers=pairs, body=b"{}")
    edited.headers = {"X-Other": "1"}
    edited.body = b"[]"
    assert (edited.headers, edited.body) == ([("X-Other", "1")], b"[]")
    assert repr(edited) == "Notification(headers=[('X-Other', '1')], body=b'[]')"
    for bad in ["Souk-Signature: t=1", [("only-a-name",)], [("name", 1)], 5]:
        with pytest.raises(TypeError):
            souk.Notification(headers=bad)
