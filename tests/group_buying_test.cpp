// 拼团 group buying: offers, groups filling and succeeding, failing at the window's end with
// every payment refunded, the almost-full rule, refunds after success, the shipping guard,
// replay, and who may do what.
#include <doctest/doctest.h>

#include "souk/group_buying.hpp"
#include "support/errors.hpp"
#include "support/trade_fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

// The Trading world with a third customer and a group offer on the first shirt SKU (99.00
// CNY): 79.00 in groups of three within a day.
struct Grouping : Trading {
    UserId third = add_user("third", "Third Buyer");
    AddressId third_home = cart().add_address(as(third), home_address("Li Lei"));
    GroupOfferId offer;

    explicit Grouping(std::optional<std::int32_t> min_size = std::nullopt) {
        tick();
        offer = groups().create_offer(as(owner), active, spec(min_size));
    }

    GroupBuying& groups() { return market.group_buying(); }

    GroupOfferSpec spec(std::optional<std::int32_t> min_size = std::nullopt) const {
        return GroupOfferSpec{shirt_skus[0], cny("79"), 3, std::chrono::hours(24), min_size};
    }

    CheckoutRequest checkout(UserId who, GroupId group, std::int64_t quantity = 1) const {
        const AddressId address = who == third ? third_home : home_of(who);
        return CheckoutRequest{address, {{shirt_skus[0], quantity}}, {}, {}, GroupCheckout{offer, group}};
    }
    // Places `who`'s order in `group` (zero: opens one) and returns it.
    PaymentOrderId join(UserId who, GroupId group = {}, std::int64_t quantity = 1) {
        tick();
        return orders().place(as(who), PlaceRequest{next_key(), checkout(who, group, quantity), {}});
    }
    GroupId group_of(PaymentOrderId order) {
        const auto sub_order = orders().order(sys(), order).sub_orders.front().id;
        for (const auto& g : groups().forming_groups(offer))
            for (const auto& m : groups().group(as(owner), g.id).members)
                if (m.sub_order == sub_order) return g.id;
        FAIL("the order is in no forming group");
        return {};
    }
    GroupInfo group(GroupId id) { return groups().group(as(owner), id); }
    SubOrderId sub_order(PaymentOrderId order) { return orders().order(sys(), order).sub_orders.front().id; }
    // Every refund reaches the sandbox and its outcome comes back.
    void settle_refunds() {
        orders().send_pending_refunds();
        sandbox->deliver_all();
    }
};

}  // namespace

TEST_CASE("group buying: a group fills as its members pay, then succeeds and ships") {
    Grouping w;
    const auto quote = w.cart().quote(w.as(w.customer), w.checkout(w.customer, {}, 2));
    REQUIRE(quote.discounts.size() == 1);
    CHECK(quote.discounts[0].kind == DiscountKind::group_price);
    CHECK(quote.discounts[0].shop == w.active);  // the shop funds its group price
    CHECK(quote.total == cny("158.00"));

    const auto first = w.join(w.customer);
    const auto id = w.group_of(first);
    CHECK(w.group(id).status == GroupStatus::forming);
    CHECK(w.group(id).leader == w.customer);
    CHECK(w.orders().order(w.sys(), first).total == cny("79.00"));
    w.pay(first, w.customer);
    const auto second = w.join(w.buyer, id);
    w.pay(second, w.buyer);
    CHECK(w.group(id).paid_members == 2);
    CHECK(w.group(id).status == GroupStatus::forming);

    // Before the group succeeds its members' sub-orders do not ship.
    w.tick();
    CHECK(error_of([&] { w.orders().ship(w.as(w.owner), w.sub_order(first), {"SF", "SF1", {}}); }) ==
          Errc::invalid_state);

    const auto third = w.join(w.third, id);
    CHECK(error_of([&] { w.join(w.customer, id); }) == Errc::invalid_state);  // every place is taken
    w.pay(third, w.third);
    const auto done = w.group(id);
    CHECK(done.status == GroupStatus::succeeded);
    CHECK(done.paid_members == 3);
    CHECK(done.closed_at == w.clock->now());
    CHECK(w.groups().forming_groups(w.offer).empty());
    w.tick();
    CHECK(w.orders().ship(w.as(w.owner), w.sub_order(first), {"SF", "SF1", {}}) == 1);
    CHECK(w.stock_of(w.shirt_skus[0]).on_hand == 7);

    // A full or closed group takes nobody, and the window's end changes nothing.
    CHECK(error_of([&] { w.join(w.customer, id); }) == Errc::invalid_state);
    w.clock->advance(std::chrono::hours(25));
    CHECK(w.market.tick(w.clock->now()).groups == GroupBuyingTickReport{});
    CHECK(w.group(id).status == GroupStatus::succeeded);
}

TEST_CASE("group buying: a group short at the window's end fails, every payment refunded and stock back") {
    Grouping w;
    const auto before = w.stock_of(w.shirt_skus[0]);
    const auto first = w.join(w.customer, {}, 2);
    const auto id = w.group_of(first);
    w.pay(first, w.customer);
    const auto unpaid = w.join(w.buyer, id);
    CHECK(w.stock_of(w.shirt_skus[0]).available == before.available - 3);

    w.clock->advance(std::chrono::hours(24));
    const auto report = w.market.tick(w.clock->now());
    CHECK(report.groups.failed == 1);
    w.sandbox->deliver_all();
    const auto failed = w.group(id);
    CHECK(failed.status == GroupStatus::failed);
    CHECK(failed.refunded_members == 1);
    REQUIRE(failed.members.size() == 2);
    CHECK(failed.members[0].status == GroupMemberStatus::paid);
    CHECK(failed.members[0].refunded == cny("158.00"));
    CHECK(failed.members[1].status == GroupMemberStatus::left);

    const auto paid = w.orders().sub_order(w.sys(), w.sub_order(first));
    CHECK(paid.status == SubOrderStatus::cancelled);
    CHECK(paid.refunded == paid.payable);
    REQUIRE(paid.refunds.size() == 1);
    CHECK(paid.refunds[0].kind == RefundKind::cancellation);
    CHECK(paid.refunds[0].state == RefundState::succeeded);
    CHECK(w.sandbox->payment(paid.refunds[0].provider_payment_id).refunded == cny("158.00"));
    CHECK(w.orders().order(w.sys(), unpaid).status == PaymentOrderStatus::cancelled);
    // Stock reconciles: every unit is back where it started.
    const auto after = w.stock_of(w.shirt_skus[0]);
    CHECK(after.on_hand == before.on_hand);
    CHECK(after.available == before.available);

    // A failed group stays failed: nobody joins, nothing ships.
    CHECK(error_of([&] { w.join(w.third, id); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.orders().ship(w.as(w.owner), w.sub_order(first), {"SF", "SF1", {}}); }) ==
          Errc::invalid_state);
    w.clock->advance(std::chrono::hours(1));
    CHECK(w.market.tick(w.clock->now()).groups == GroupBuyingTickReport{});
}

TEST_CASE("group buying: an almost-full group succeeds at the window's end when the offer allows") {
    Grouping w(2);
    const auto first = w.join(w.customer);
    const auto id = w.group_of(first);
    w.pay(first, w.customer);
    const auto second = w.join(w.buyer, id);
    w.pay(second, w.buyer);
    const auto unpaid = w.join(w.third, id);
    w.clock->advance(std::chrono::hours(23));
    CHECK(w.market.tick(w.clock->now()).groups == GroupBuyingTickReport{});  // not yet
    w.clock->advance(std::chrono::hours(1));
    CHECK(w.market.tick(w.clock->now()).groups.succeeded == 1);
    const auto closed = w.group(id);
    CHECK(closed.status == GroupStatus::succeeded);
    CHECK(closed.paid_members == 2);
    CHECK(closed.members[2].status == GroupMemberStatus::left);
    CHECK(w.orders().order(w.sys(), unpaid).status == PaymentOrderStatus::cancelled);
    CHECK(w.orders().sub_order(w.sys(), w.sub_order(first)).refunds.empty());
    w.tick();
    CHECK(w.orders().ship(w.as(w.owner), w.sub_order(second), {"SF", "SF2", {}}) == 1);

    // One paid member is not enough: the group fails.
    const auto lonely = w.join(w.customer);
    w.pay(lonely, w.customer);
    w.clock->advance(std::chrono::hours(24));
    CHECK(w.market.tick(w.clock->now()).groups.failed == 1);
}

TEST_CASE("group buying: a member refunded after success stays in the group's record") {
    Grouping w;
    const auto first = w.join(w.customer);
    const auto id = w.group_of(first);
    w.pay(first, w.customer);
    for (const auto who : {w.buyer, w.third}) w.pay(w.join(who, id), who);
    REQUIRE(w.group(id).status == GroupStatus::succeeded);
    w.tick();
    w.orders().refund(w.as(w.owner), w.sub_order(first), {{w.shirt_skus[0], cny("10")}}, "a loose button");
    w.sandbox->deliver_all();
    auto record = w.group(id);
    CHECK(record.status == GroupStatus::succeeded);
    CHECK(record.refunded_members == 1);
    CHECK(record.paid_members == 3);
    CHECK(record.members[0].refunded == cny("10.00"));
    // Cancelled before shipping after success: refunded in full, still a paid member.
    w.orders().cancel(w.as(w.customer), w.sub_order(first), "changed my mind");
    record = w.group(id);
    CHECK(record.status == GroupStatus::succeeded);
    CHECK(record.members[0].status == GroupMemberStatus::paid);
    CHECK(record.members[0].refunded == cny("79.00"));
}

TEST_CASE("group buying: a member who leaves a forming group frees the place") {
    Grouping w;
    const auto first = w.join(w.customer);
    const auto id = w.group_of(first);
    w.pay(first, w.customer);
    const auto second = w.join(w.buyer, id);
    w.tick();
    w.orders().cancel(w.as(w.buyer), w.sub_order(second), "not now");  // unpaid
    w.orders().cancel(w.as(w.customer), w.sub_order(first), "not now");  // paid: refunded
    const auto record = w.group(id);
    CHECK(record.status == GroupStatus::forming);
    CHECK(record.paid_members == 0);
    CHECK(record.members[0].status == GroupMemberStatus::left);
    CHECK(record.members[1].status == GroupMemberStatus::left);
    // They can come back into the same group.
    w.pay(w.join(w.customer, id), w.customer);
    CHECK(w.group(id).paid_members == 1);
}

TEST_CASE("group buying: joining an expired, unknown or mismatched group is refused") {
    Grouping w;
    const auto first = w.join(w.customer);
    const auto id = w.group_of(first);
    CHECK(error_of([&] { w.join(w.customer, id); }) == Errc::invalid_state);  // in it already
    CHECK(error_of([&] { w.join(w.buyer, GroupId{99}); }) == Errc::not_found);
    auto request = w.checkout(w.buyer, id);
    request.buy_now.push_back({w.atlas, 1});
    CHECK(error_of([&] { w.cart().quote(w.as(w.buyer), request); }) == Errc::invalid_argument);
    request = w.checkout(w.buyer, id);
    request.buy_now[0].sku = w.shirt_skus[1];
    CHECK(error_of([&] { w.cart().quote(w.as(w.buyer), request); }) == Errc::invalid_argument);
    request = w.checkout(w.buyer, id);
    request.group.offer = GroupOfferId{};
    CHECK(error_of([&] { w.cart().quote(w.as(w.buyer), request); }) == Errc::invalid_argument);
    w.clock->advance(std::chrono::hours(24));
    CHECK(error_of([&] { w.join(w.buyer, id); }) == Errc::invalid_state);  // window over, not closed yet
    CHECK(w.orders().orders_of(w.sys(), w.buyer).empty());  // a refused join placed nothing

    // An ended offer opens no new groups.
    w.tick();
    w.groups().end_offer(w.as(w.staff), w.offer);
    CHECK(error_of([&] { w.join(w.buyer); }) == Errc::invalid_state);
    CHECK(error_of([&] { w.groups().end_offer(w.as(w.owner), w.offer); }) == Errc::invalid_state);
    CHECK(w.groups().offers(w.active).empty());
    CHECK(w.groups().offer(w.offer).ended);
}

TEST_CASE("group buying: offers are validated and run by the shop's members only") {
    Grouping w;
    w.tick();
    auto spec = w.spec();
    CHECK(error_of([&] { w.groups().create_offer(w.as(w.owner), w.active, spec); }) == Errc::already_exists);
    spec.sku = w.shirt_skus[1];
    CHECK(error_of([&] { w.groups().create_offer(w.as(w.customer), w.active, spec); }) == Errc::forbidden);
    CHECK(error_of([&] { w.groups().create_offer(w.as(w.other_owner), w.active, spec); }) == Errc::forbidden);
    CHECK(error_of([&] { w.groups().end_offer(w.as(w.other_owner), w.offer); }) == Errc::forbidden);
    CHECK(error_of([&] { w.groups().create_offer(w.as(w.other_owner), w.other_shop, spec); }) ==
          Errc::invalid_argument);  // not its SKU
    auto bad = spec;
    bad.group_price = cny("99");
    CHECK(error_of([&] { w.groups().create_offer(w.as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    bad = spec;
    bad.group_size = 1;
    CHECK(error_of([&] { w.groups().create_offer(w.as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    bad.group_size = 101;
    CHECK(error_of([&] { w.groups().create_offer(w.as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    bad = spec;
    bad.window = std::chrono::seconds(10);
    CHECK(error_of([&] { w.groups().create_offer(w.as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    bad = spec;
    bad.min_size = 3;
    CHECK(error_of([&] { w.groups().create_offer(w.as(w.owner), w.active, bad); }) == Errc::invalid_argument);
    bad = spec;
    bad.group_price = Money::parse("50", Currency::of("USD"));
    CHECK(error_of([&] { w.groups().create_offer(w.as(w.owner), w.active, bad); }) == Errc::currency_mismatch);
    const auto second = w.groups().create_offer(w.as(w.staff), w.active, spec);
    CHECK(w.groups().offers(w.active).size() == 2);
    CHECK(w.groups().offer(second).spec == spec);

    // A group's members are the shop's and platform staff's to see; a member sees themself.
    const auto first = w.join(w.customer);
    const auto id = w.group_of(first);
    w.join(w.buyer, id);
    CHECK(w.groups().group(w.as(w.op), id).members.size() == 2);
    CHECK(w.groups().group(w.as(w.buyer), id).members.size() == 1);
    CHECK(w.groups().group(w.as(w.third), id).members.empty());
    CHECK(w.groups().group(w.as(w.other_owner), id).members.empty());
    CHECK(w.groups().group(w.as(w.third), id).paid_members == 0);
    CHECK_FALSE(w.market.audit(w.as(w.staff), EntityRef::of(id)).empty());
    CHECK(error_of([&] { w.market.audit(w.as(w.other_owner), EntityRef::of(id)); }) == Errc::forbidden);
}

TEST_CASE("group buying replay: a reopened journal answers every group query the same") {
    Grouping w(2);
    const auto first = w.join(w.customer);
    const auto full = w.group_of(first);
    w.pay(first, w.customer);
    for (const auto who : {w.buyer, w.third}) w.pay(w.join(who, full), who);
    w.tick();
    w.orders().refund(w.as(w.owner), w.sub_order(first), {{w.shirt_skus[0], cny("5")}}, "late");
    const auto lonely_order = w.join(w.customer);
    const auto lonely = w.group_of(lonely_order);
    w.pay(lonely_order, w.customer);
    const auto forming_order = w.join(w.buyer);
    const auto forming = w.group_of(forming_order);
    w.clock->advance(std::chrono::hours(24));
    w.market.tick(w.clock->now());
    w.sandbox->deliver_all();
    w.pay(w.join(w.third), w.third);
    const auto read = [&](Marketplace& m) {
        auto& g = m.group_buying();
        return std::tuple(g.offer(w.offer), g.offers(w.active), g.forming_groups(w.offer),
                          g.group(w.sys(), full), g.group(w.sys(), lonely), g.group(w.sys(), forming),
                          m.audit(w.sys(), EntityRef::of(full)), m.orders().order(w.sys(), lonely_order),
                          m.inventory().stock(w.sys(), w.shirt_skus[0]));
    };
    const auto before = read(w.market);
    CHECK(std::get<4>(before).status == GroupStatus::failed);
    CHECK(std::get<5>(before).status == GroupStatus::failed);
    Marketplace reopened(copy_journal(*w.journal), fast_options(w.clock));
    CHECK(read(reopened) == before);
}
