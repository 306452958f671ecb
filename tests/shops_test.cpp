// Shops: the status machine, names, staff, commission, and who may do and see what.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "souk/error.hpp"
#include "souk/marketplace.hpp"
#include "souk/shops.hpp"
#include "support/fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

const ShopStatus all_statuses[] = {ShopStatus::applied, ShopStatus::active, ShopStatus::rejected,
                                   ShopStatus::suspended, ShopStatus::closed};

enum class Command {
    approve,
    reject,
    resubmit,
    suspend,
    reinstate,
    close,
    update_profile,
    add_staff,
    remove_staff,
    set_commission
};
const Command all_commands[] = {Command::approve,        Command::reject,    Command::resubmit,
                                Command::suspend,        Command::reinstate, Command::close,
                                Command::update_profile, Command::add_staff, Command::remove_staff,
                                Command::set_commission};

const char* command_name(Command c) {
    switch (c) {
        case Command::approve: return "approve";
        case Command::reject: return "reject";
        case Command::resubmit: return "resubmit";
        case Command::suspend: return "suspend";
        case Command::reinstate: return "reinstate";
        case Command::close: return "close";
        case Command::update_profile: return "update_profile";
        case Command::add_staff: return "add_staff";
        case Command::remove_staff: return "remove_staff";
        case Command::set_commission: return "set_commission";
    }
    return "?";
}

// The transition table: the status a command leaves a shop in, or nullopt when the command
// is illegal in `from`.
std::optional<ShopStatus> transition(ShopStatus from, Command c) {
    using S = ShopStatus;
    switch (c) {
        case Command::approve: return from == S::applied ? std::optional(S::active) : std::nullopt;
        case Command::reject: return from == S::applied ? std::optional(S::rejected) : std::nullopt;
        case Command::resubmit: return from == S::rejected ? std::optional(S::applied) : std::nullopt;
        case Command::suspend: return from == S::active ? std::optional(S::suspended) : std::nullopt;
        case Command::reinstate: return from == S::suspended ? std::optional(S::active) : std::nullopt;
        // Implemented: an application (applied or rejected) may be withdrawn by closing it.
        case Command::close: return from != S::closed ? std::optional(S::closed) : std::nullopt;
        case Command::update_profile:
        case Command::add_staff:
        case Command::set_commission: return from != S::closed ? std::optional(from) : std::nullopt;
        // Staff can be removed even from a closed shop (it frees their shop slot).
        case Command::remove_staff: return from;
    }
    return std::nullopt;
}

// Runs `c` on `shop` as the actor the command is meant for (platform staff, or the owner
// for resubmit), so only the shop's status can make it fail.
void run(World& w, Command c, ShopId shop, const Actor& actor) {
    auto& shops = w.shops();
    switch (c) {
        case Command::approve: shops.approve(actor, shop); break;
        case Command::reject: shops.reject(actor, shop, "blurry licence photo"); break;
        case Command::resubmit: {
            auto application = application_named(shops.details(World::sys(), shop).profile.name);
            application.description = "Now with a sharp licence photo.";
            shops.resubmit(actor, shop, application);
            break;
        }
        case Command::suspend: shops.suspend(actor, shop, "complaints"); break;
        case Command::reinstate: shops.reinstate(actor, shop); break;
        case Command::close: shops.close(actor, shop, "done"); break;
        case Command::update_profile: {
            ShopProfileUpdate update;
            update.description = "Updated description";
            update.contact_name = "Han Meimei";
            shops.update_profile(actor, shop, update);
            break;
        }
        case Command::add_staff: shops.add_staff(actor, shop, w.customer); break;
        case Command::remove_staff: shops.remove_staff(actor, shop, w.staff); break;
        case Command::set_commission: shops.set_commission(actor, shop, 1234); break;
    }
}

Actor intended_actor(const World& w, Command c) {
    return c == Command::resubmit ? World::as(w.owner) : World::as(w.admin);
}

bool contains(const std::vector<UserId>& ids, UserId id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

bool lists_shop(const std::vector<ShopProfile>& profiles, ShopId id) {
    return std::any_of(profiles.begin(), profiles.end(), [&](const ShopProfile& p) { return p.id == id; });
}

}  // namespace

TEST_CASE("shops: every command in every status follows the transition table") {
    for (const auto status : all_statuses) {
        World w;
        for (const auto command : all_commands) {
            CAPTURE(shop_status_name(status));
            CAPTURE(command_name(command));
            const auto shop = w.shop_in(status, fmt::format("Cell {} {}", shop_status_name(status), command_name(command)));
            const auto before = w.shops().details(World::sys(), shop);
            const auto position = w.market.journal_position();
            const auto expected = transition(status, command);
            w.tick();
            if (!expected) {
                CHECK(error_of([&] { run(w, command, shop, intended_actor(w, command)); }) == Errc::invalid_state);
                CHECK(w.shops().details(World::sys(), shop) == before);
                CHECK(w.market.journal_position() == position);
                continue;
            }
            run(w, command, shop, intended_actor(w, command));
            const auto after = w.shops().details(World::sys(), shop);
            CHECK(after.profile.status == *expected);
            CHECK(w.market.journal_position() == position + 1);
            // The command did what it says, and nothing else.
            auto expected_details = before;
            expected_details.profile.status = *expected;
            switch (command) {
                case Command::approve:
                    expected_details.approved_at = w.clock->now();
                    break;
                case Command::reinstate: expected_details.status_reason.clear(); break;
                case Command::reject: expected_details.status_reason = "blurry licence photo"; break;
                case Command::suspend: expected_details.status_reason = "complaints"; break;
                case Command::close: expected_details.status_reason = "done"; break;
                case Command::resubmit:
                    expected_details.profile.description = "Now with a sharp licence photo.";
                    expected_details.status_reason.clear();
                    break;
                case Command::update_profile:
                    expected_details.profile.description = "Updated description";
                    expected_details.contact_name = "Han Meimei";
                    break;
                case Command::add_staff:
                    expected_details.staff.push_back(w.customer);
                    std::sort(expected_details.staff.begin(), expected_details.staff.end());
                    break;
                case Command::remove_staff: std::erase(expected_details.staff, w.staff); break;
                case Command::set_commission: expected_details.commission_bps = 1234; break;
            }
            CHECK(after == expected_details);
        }
    }
}

TEST_CASE("shops: a full lifecycle keeps the approval time and the last reason") {
    World w;
    auto& shops = w.shops();
    w.tick();
    const auto id = shops.apply(World::as(w.customer), application_named("Lifecycle"));
    const auto applied_at = w.clock->now();
    auto d = shops.details(World::as(w.customer), id);
    CHECK(d.profile.status == ShopStatus::applied);
    CHECK(d.owner == w.customer);
    CHECK(d.applied_at == applied_at);
    CHECK_FALSE(d.approved_at.has_value());
    CHECK(d.staff.empty());
    CHECK(d.contact_phone == "+86 138 0013 8000");
    CHECK(d.contact_email == "shop@example.com");
    CHECK_FALSE(d.commission_bps.has_value());

    w.tick();
    shops.reject(World::as(w.op), id, "missing licence");
    CHECK(shops.details(World::as(w.customer), id).status_reason == "missing licence");
    w.tick();
    shops.resubmit(World::as(w.customer), id, application_named("Lifecycle"));
    CHECK(shops.details(World::as(w.customer), id).status_reason.empty());
    w.tick();
    shops.approve(World::as(w.op), id);
    const auto approved_at = w.clock->now();
    w.tick();
    shops.suspend(World::as(w.admin), id, "fake reviews");
    d = shops.details(World::as(w.customer), id);
    CHECK(d.profile.status == ShopStatus::suspended);
    CHECK(d.status_reason == "fake reviews");
    w.tick();
    shops.reinstate(World::as(w.op), id);
    d = shops.details(World::as(w.customer), id);
    CHECK(d.profile.status == ShopStatus::active);
    CHECK(d.status_reason.empty());
    CHECK(d.approved_at == approved_at);  // reinstating does not re-approve
    CHECK(d.applied_at == applied_at);
    w.tick();
    shops.close(World::as(w.customer), id, "moving on");
    d = shops.details(World::as(w.customer), id);
    CHECK(d.profile.status == ShopStatus::closed);
    CHECK(d.status_reason == "moving on");
    CHECK(d.approved_at == approved_at);
}

TEST_CASE("shops: applications are validated before anything is written") {
    World w;
    const auto position = w.market.journal_position();
    auto bad = [&](auto change) {
        auto a = application_named("Valid Name");
        change(a);
        return error_of([&] { w.shops().apply(World::as(w.customer), a); });
    };
    CHECK(bad([](ShopApplication& a) { a.name = ""; }) == Errc::invalid_argument);
    CHECK(bad([](ShopApplication& a) { a.name = "   "; }) == Errc::invalid_argument);
    CHECK(bad([](ShopApplication& a) { a.name = std::string(61, 'x'); }) == Errc::invalid_argument);
    CHECK(bad([](ShopApplication& a) { a.name = "bad\xff"; }) == Errc::invalid_argument);
    CHECK(bad([](ShopApplication& a) { a.name = "tab\tname"; }) == Errc::invalid_argument);
    CHECK(bad([](ShopApplication& a) { a.business_category = ""; }) == Errc::invalid_argument);
    CHECK(bad([](ShopApplication& a) { a.contact_name = ""; }) == Errc::invalid_argument);
    CHECK(bad([](ShopApplication& a) { a.description = std::string(2001, 'd'); }) == Errc::invalid_argument);
    CHECK(bad([](ShopApplication& a) { a.contact_phone = std::string(31, '1'); }) == Errc::invalid_argument);
    CHECK(bad([](ShopApplication& a) {
              a.contact_phone.clear();
              a.contact_email.clear();
          }) == Errc::invalid_argument);
    CHECK(w.market.journal_position() == position);
    // The bounds are accepted, and one contact is enough.
    auto a = application_named(std::string(60, 'x'));
    a.description.clear();
    a.contact_email.clear();
    const auto id = w.shops().apply(World::as(w.customer), a);
    CHECK(w.shops().details(World::as(w.customer), id).profile.name == std::string(60, 'x'));
}

TEST_CASE("shops: only enabled registered users may apply") {
    World w;
    const auto position = w.market.journal_position();
    CHECK(error_of([&] { w.shops().apply(World::sys(), application_named("System Shop")); }) == Errc::unauthenticated);
    CHECK(error_of([&] { w.shops().apply(World::as(UserId{999}), application_named("Ghost Shop")); }) ==
          Errc::unauthenticated);
    CHECK(error_of([&] { w.shops().apply(World::as(w.disabled), application_named("Banned Shop")); }) ==
          Errc::forbidden);
    CHECK(w.market.journal_position() == position);
}

TEST_CASE("shops: names are unique among shops that are not closed, ignoring case and spaces") {
    World w;
    auto& shops = w.shops();
    const auto tea = shops.apply(World::as(w.customer), application_named("Tea House"));
    const auto position = w.market.journal_position();
    for (const char* taken : {"Tea House", "tea house", "TEA HOUSE", "  Tea   House ", "tEa hOuSe  "}) {
        CAPTURE(taken);
        CHECK(error_of([&] { shops.apply(World::as(w.other_owner), application_named(taken)); }) ==
              Errc::already_exists);
    }
    // The fixture's shops hold their names in every status but closed.
    CHECK(error_of([&] { shops.apply(World::as(w.customer), application_named("applied shop")); }) ==
          Errc::already_exists);
    CHECK(error_of([&] { shops.apply(World::as(w.customer), application_named("REJECTED SHOP")); }) ==
          Errc::already_exists);
    CHECK(error_of([&] { shops.apply(World::as(w.customer), application_named("Suspended  Shop")); }) ==
          Errc::already_exists);
    CHECK(w.market.journal_position() == position);
    // Different names are different.
    shops.apply(World::as(w.other_owner), application_named("Tea Houses"));
    shops.apply(World::as(w.other_owner), application_named("TeaHouse"));
    // A closed shop frees its name.
    const auto reused = shops.apply(World::as(w.other_owner), application_named("closed shop"));
    CHECK(shops.details(World::sys(), reused).profile.name == "closed shop");
    CHECK(shops.details(World::sys(), w.closed).profile.name == "Closed Shop");
    shops.approve(World::as(w.op), tea);
    shops.close(World::as(w.customer), tea, "sold the business");
    const auto again = shops.apply(World::as(w.other_owner), application_named(" tea HOUSE"));
    CHECK(shops.details(World::sys(), again).profile.name == " tea HOUSE");
    // ... and only once.
    CHECK(error_of([&] { shops.apply(World::as(w.customer), application_named("Tea House")); }) ==
          Errc::already_exists);
}

TEST_CASE("shops: resubmit is the owner's, may rename, and keeps names unique") {
    World w;
    auto& shops = w.shops();
    const auto id = w.shop_in(ShopStatus::rejected, "First Name");
    const auto position = w.market.journal_position();
    // Only the owner; platform staff and shop staff may not.
    for (const auto who : {w.admin, w.op, w.staff, w.customer, w.other_owner, w.disabled}) {
        CAPTURE(who.value);
        CHECK(error_of([&] { shops.resubmit(World::as(who), id, application_named("First Name")); }) ==
              Errc::forbidden);
    }
    CHECK(error_of([&] { shops.resubmit(World::as(w.owner), ShopId{999}, application_named("First Name")); }) ==
          Errc::not_found);
    CHECK(error_of([&] { shops.resubmit(World::as(w.owner), id, application_named("")); }) == Errc::invalid_argument);
    // Another shop's name is taken; a closed shop's is not.
    CHECK(error_of([&] { shops.resubmit(World::as(w.owner), id, application_named("other shop")); }) ==
          Errc::already_exists);
    CHECK(w.market.journal_position() == position);
    CHECK(shops.details(World::sys(), id).profile.status == ShopStatus::rejected);

    auto renamed = application_named("Second Name");
    renamed.description = "Second try";
    renamed.business_category = "tea";
    renamed.contact_name = "Wei";
    renamed.contact_phone = "";
    renamed.contact_email = "second@example.com";
    shops.resubmit(World::as(w.owner), id, renamed);
    const auto d = shops.details(World::as(w.owner), id);
    CHECK(d.profile.status == ShopStatus::applied);
    CHECK(d.profile.name == "Second Name");
    CHECK(d.profile.description == "Second try");
    CHECK(d.profile.business_category == "tea");
    CHECK(d.contact_name == "Wei");
    CHECK(d.contact_phone.empty());
    CHECK(d.contact_email == "second@example.com");
    CHECK(d.status_reason.empty());
    CHECK(contains(d.staff, w.staff));  // staff survive a resubmission
    // The old name is free again, the new one taken.
    const auto other = shops.apply(World::as(w.customer), application_named("first name"));
    CHECK(error_of([&] { shops.apply(World::as(w.customer), application_named("SECOND NAME")); }) ==
          Errc::already_exists);
    // Keeping one's own name is fine.
    shops.reject(World::as(w.op), id, "still no licence");
    shops.resubmit(World::as(w.owner), id, renamed);
    CHECK(shops.details(World::sys(), id).profile.status == ShopStatus::applied);
    // Resubmitting under a closed shop's name works.
    shops.reject(World::as(w.op), id, "still no licence");
    shops.resubmit(World::as(w.owner), id, application_named("Closed Shop"));
    CHECK(shops.details(World::sys(), id).profile.name == "Closed Shop");
    CHECK(shops.details(World::sys(), other).profile.name == "first name");
}

TEST_CASE("shops: staff members are added and removed by the owner and platform staff") {
    World w;
    auto& shops = w.shops();
    const auto shop = w.active;
    shops.add_staff(World::as(w.owner), shop, w.customer);
    auto d = shops.details(World::as(w.customer), shop);
    CHECK(contains(d.staff, w.customer));
    CHECK(std::is_sorted(d.staff.begin(), d.staff.end()));
    CHECK(lists_shop(shops.shops_of(World::as(w.customer), w.customer), shop));
    // Staff may edit the profile but not manage staff or close the shop.
    ShopProfileUpdate update;
    update.description = "Edited by staff";
    shops.update_profile(World::as(w.customer), shop, update);
    CHECK(shops.profile(World::as(w.other_owner), shop).description == "Edited by staff");

    const auto position = w.market.journal_position();
    CHECK(error_of([&] { shops.add_staff(World::as(w.customer), shop, w.other_owner); }) == Errc::forbidden);
    CHECK(error_of([&] { shops.remove_staff(World::as(w.customer), shop, w.staff); }) == Errc::forbidden);
    CHECK(error_of([&] { shops.close(World::as(w.customer), shop, "mutiny"); }) == Errc::forbidden);
    // Duplicates, the owner, unknown and disabled users.
    CHECK(error_of([&] { shops.add_staff(World::as(w.owner), shop, w.customer); }) == Errc::already_exists);
    CHECK(error_of([&] { shops.add_staff(World::as(w.owner), shop, w.owner); }) == Errc::already_exists);
    CHECK(error_of([&] { shops.add_staff(World::as(w.owner), shop, UserId{999}); }) == Errc::not_found);
    CHECK(error_of([&] { shops.add_staff(World::as(w.owner), shop, w.disabled); }) == Errc::invalid_state);
    CHECK(error_of([&] { shops.add_staff(World::as(w.other_owner), w.other_shop, w.disabled); }) ==
          Errc::invalid_state);
    CHECK(error_of([&] { shops.add_staff(World::as(w.owner), ShopId{999}, w.customer); }) == Errc::not_found);
    CHECK(error_of([&] { shops.remove_staff(World::as(w.owner), shop, w.other_staff); }) == Errc::not_found);
    CHECK(error_of([&] { shops.remove_staff(World::as(w.owner), shop, w.owner); }) == Errc::not_found);
    CHECK(w.market.journal_position() == position);

    // Platform staff manage staff too.
    shops.add_staff(World::as(w.op), shop, w.other_owner);
    CHECK(contains(shops.details(World::sys(), shop).staff, w.other_owner));
    shops.remove_staff(World::as(w.admin), shop, w.other_owner);
    // Removal takes every right away at once.
    shops.remove_staff(World::as(w.owner), shop, w.customer);
    d = shops.details(World::as(w.owner), shop);
    CHECK_FALSE(contains(d.staff, w.customer));
    CHECK_FALSE(contains(d.staff, w.other_owner));
    CHECK(error_of([&] { shops.details(World::as(w.customer), shop); }) == Errc::forbidden);
    CHECK(error_of([&] { shops.update_profile(World::as(w.customer), shop, update); }) == Errc::forbidden);
    CHECK(error_of([&] { w.market.audit(World::as(w.customer), EntityRef::of(shop)); }) == Errc::forbidden);
    CHECK_FALSE(lists_shop(shops.shops_of(World::as(w.customer), w.customer), shop));
    CHECK(error_of([&] { shops.remove_staff(World::as(w.owner), shop, w.customer); }) == Errc::not_found);
    // And may be undone.
    shops.add_staff(World::as(w.owner), shop, w.customer);
    CHECK(shops.details(World::as(w.customer), shop).profile.id == shop);
}

TEST_CASE("shops: a shop has at most 200 staff") {
    auto clock = std::make_shared<ManualClock>(fixture_start());
    auto open = open_market(clock);
    auto& accounts = open.market.accounts();
    auto& shops = open.market.shops();
    const auto owner = accounts.register_user("owner@example.com", fixture_password, "Owner");
    const auto shop = shops.apply(Actor::user(owner), application_named("Big Shop"));
    std::vector<UserId> users;
    for (int i = 0; i < 201; ++i)
        users.push_back(accounts.register_user(fmt::format("u{}@example.com", i), fixture_password, "U"));
    for (int i = 0; i < 200; ++i) shops.add_staff(Actor::user(owner), shop, users[i]);
    CHECK(shops.details(Actor::user(owner), shop).staff.size() == 200);
    const auto position = open.market.journal_position();
    CHECK(error_of([&] { shops.add_staff(Actor::user(owner), shop, users[200]); }) == Errc::limit_exceeded);
    CHECK(open.market.journal_position() == position);
    shops.remove_staff(Actor::user(owner), shop, users[0]);
    shops.add_staff(Actor::user(owner), shop, users[200]);
    CHECK(shops.details(Actor::user(owner), shop).staff.size() == 200);
}

TEST_CASE("shops: a user works for at most 20 shops and owns at most 20 open shops") {
    auto clock = std::make_shared<ManualClock>(fixture_start());
    auto open = open_market(clock);
    auto& accounts = open.market.accounts();
    auto& shops = open.market.shops();
    const auto owner_a = accounts.register_user("a@example.com", fixture_password, "A");
    const auto owner_b = accounts.register_user("b@example.com", fixture_password, "B");
    const auto worker = accounts.register_user("w@example.com", fixture_password, "W");
    std::vector<ShopId> shops_a;
    for (int i = 0; i < 20; ++i) shops_a.push_back(shops.apply(Actor::user(owner_a), application_named(fmt::format("A{}", i))));
    auto position = open.market.journal_position();
    CHECK(error_of([&] { shops.apply(Actor::user(owner_a), application_named("A20")); }) == Errc::limit_exceeded);
    CHECK(open.market.journal_position() == position);
    // Closing one frees a slot.
    shops.close(Actor::user(owner_a), shops_a.back(), "withdrawn");
    shops_a.back() = shops.apply(Actor::user(owner_a), application_named("A20"));

    for (const auto shop : shops_a) shops.add_staff(Actor::user(owner_a), shop, worker);
    CHECK(shops.shops_of(Actor::user(worker), worker).size() == 20);
    const auto b_shop = shops.apply(Actor::user(owner_b), application_named("B0"));
    position = open.market.journal_position();
    CHECK(error_of([&] { shops.add_staff(Actor::user(owner_b), b_shop, worker); }) == Errc::limit_exceeded);
    CHECK(open.market.journal_position() == position);
    shops.remove_staff(Actor::user(owner_a), shops_a.front(), worker);
    shops.add_staff(Actor::user(owner_b), b_shop, worker);
    CHECK(shops.shops_of(Actor::user(worker), worker).size() == 20);
}

TEST_CASE("shops: commission overrides are 0..10000 bp, set by platform staff") {
    World w;
    auto& shops = w.shops();
    shops.set_commission(World::as(w.op), w.active, 0);
    CHECK(shops.details(World::sys(), w.active).commission_bps == 0);
    shops.set_commission(World::as(w.admin), w.active, 10000);
    CHECK(shops.details(World::sys(), w.active).commission_bps == 10000);
    const auto position = w.market.journal_position();
    CHECK(error_of([&] { shops.set_commission(World::as(w.op), w.active, -1); }) == Errc::invalid_argument);
    CHECK(error_of([&] { shops.set_commission(World::as(w.op), w.active, 10001); }) == Errc::invalid_argument);
    CHECK(error_of([&] { shops.set_commission(World::as(w.op), w.active, INT32_MIN); }) == Errc::invalid_argument);
    CHECK(error_of([&] { shops.set_commission(World::as(w.owner), w.active, 500); }) == Errc::forbidden);
    CHECK(error_of([&] { shops.set_commission(World::as(w.staff), w.active, 500); }) == Errc::forbidden);
    CHECK(error_of([&] { shops.set_commission(World::as(w.op), ShopId{999}, 500); }) == Errc::not_found);
    // Setting the same value is a no-op.
    shops.set_commission(World::as(w.op), w.active, 10000);
    CHECK(w.market.journal_position() == position);
    CHECK(shops.details(World::sys(), w.active).commission_bps == 10000);
    // nullopt clears the override.
    shops.set_commission(World::as(w.op), w.active, std::nullopt);
    CHECK_FALSE(shops.details(World::sys(), w.active).commission_bps.has_value());
    CHECK(w.market.journal_position() == position + 1);
    shops.set_commission(World::as(w.op), w.active, std::nullopt);
    CHECK(w.market.journal_position() == position + 1);
    shops.set_commission(World::sys(), w.applied, 250);
    CHECK(shops.details(World::as(w.owner), w.applied).commission_bps == 250);
}

TEST_CASE("shops: profile edits are validated and keep a contact") {
    World w;
    auto& shops = w.shops();
    const auto position = w.market.journal_position();
    ShopProfileUpdate no_contact;
    no_contact.contact_phone = "";
    no_contact.contact_email = "";
    CHECK(error_of([&] { shops.update_profile(World::as(w.owner), w.active, no_contact); }) == Errc::invalid_argument);
    ShopProfileUpdate long_name;
    long_name.contact_name = std::string(61, 'n');
    CHECK(error_of([&] { shops.update_profile(World::as(w.owner), w.active, long_name); }) == Errc::invalid_argument);
    ShopProfileUpdate empty_name;
    empty_name.contact_name = "";
    CHECK(error_of([&] { shops.update_profile(World::as(w.owner), w.active, empty_name); }) == Errc::invalid_argument);
    ShopProfileUpdate bad_utf8;
    bad_utf8.description = "\xc3";
    CHECK(error_of([&] { shops.update_profile(World::as(w.owner), w.active, bad_utf8); }) == Errc::invalid_argument);
    CHECK(w.market.journal_position() == position);

    const auto before = shops.details(World::sys(), w.active);
    ShopProfileUpdate phone_only;
    phone_only.contact_email = "";
    shops.update_profile(World::as(w.staff), w.active, phone_only);
    auto after = shops.details(World::sys(), w.active);
    CHECK(after.contact_email.empty());
    CHECK(after.contact_phone == before.contact_phone);
    CHECK(after.profile.description == before.profile.description);
    CHECK(after.contact_name == before.contact_name);
    // Now the phone is the only contact and cannot go.
    ShopProfileUpdate drop_phone;
    drop_phone.contact_phone = "";
    CHECK(error_of([&] { shops.update_profile(World::as(w.owner), w.active, drop_phone); }) == Errc::invalid_argument);
    ShopProfileUpdate everything;
    everything.description = "Multi\nline\tdescription";
    everything.contact_name = "Zhang San";
    everything.contact_phone = "021-5555 0000";
    everything.contact_email = "new@example.com";
    shops.update_profile(World::as(w.op), w.active, everything);
    after = shops.details(World::sys(), w.active);
    CHECK(after.profile.description == "Multi\nline\tdescription");
    CHECK(after.contact_name == "Zhang San");
    CHECK(after.contact_phone == "021-5555 0000");
    CHECK(after.contact_email == "new@example.com");
    CHECK(after.profile.name == before.profile.name);
}

TEST_CASE("shops: outsiders are forbidden every command on a shop in any status") {
    World w;
    auto& shops = w.shops();
    const UserId ghost{999};
    struct Attempt {
        const char* name;
        std::function<void(const Actor&, ShopId)> run;
        bool owner_may;  // the shop's owner is allowed this one
        bool staff_may;  // the shop's staff are allowed this one
    };
    const std::vector<Attempt> attempts = {
        {"approve", [&](const Actor& a, ShopId s) { shops.approve(a, s); }, false, false},
        {"reject", [&](const Actor& a, ShopId s) { shops.reject(a, s, "no"); }, false, false},
        {"resubmit", [&](const Actor& a, ShopId s) { shops.resubmit(a, s, application_named("Hijacked")); }, true,
         false},
        {"suspend", [&](const Actor& a, ShopId s) { shops.suspend(a, s, "no"); }, false, false},
        {"reinstate", [&](const Actor& a, ShopId s) { shops.reinstate(a, s); }, false, false},
        {"close", [&](const Actor& a, ShopId s) { shops.close(a, s, "no"); }, true, false},
        {"update_profile",
         [&](const Actor& a, ShopId s) {
             ShopProfileUpdate u;
             u.description = "defaced";
             shops.update_profile(a, s, u);
         },
         true, true},
        {"add_staff", [&](const Actor& a, ShopId s) { shops.add_staff(a, s, w.other_owner); }, true, false},
        {"remove_staff", [&](const Actor& a, ShopId s) { shops.remove_staff(a, s, w.staff); }, true, false},
        {"set_commission", [&](const Actor& a, ShopId s) { shops.set_commission(a, s, 1); }, false, false},
    };
    const auto position = w.market.journal_position();
    const auto snapshot = take_snapshot(w.market);
    for (const auto shop : {w.applied, w.active, w.rejected, w.suspended, w.closed}) {
        for (const auto& attempt : attempts) {
            CAPTURE(shop.value);
            CAPTURE(attempt.name);
            // Outsiders: a customer, another shop's owner and staff, a disabled member.
            for (const auto who : {w.customer, w.other_owner, w.other_staff, w.disabled}) {
                CAPTURE(who.value);
                CHECK(error_of([&] { attempt.run(World::as(who), shop); }) == Errc::forbidden);
            }
            // An actor for no registered user: refused either way.
            const auto ghost_error = error_of([&] { attempt.run(World::as(ghost), shop); });
            CHECK((ghost_error == Errc::forbidden || ghost_error == Errc::unauthenticated));
            // Members beyond their role.
            if (!attempt.owner_may)
                CHECK(error_of([&] { attempt.run(World::as(w.owner), shop); }) == Errc::forbidden);
            if (!attempt.staff_may)
                CHECK(error_of([&] { attempt.run(World::as(w.staff), shop); }) == Errc::forbidden);
        }
    }
    CHECK(w.market.journal_position() == position);
    check_same(snapshot, take_snapshot(w.market));
}

TEST_CASE("shops: private queries are forbidden to outsiders, non-active shops do not exist for them") {
    World w;
    auto& shops = w.shops();
    const auto non_active = {w.applied, w.rejected, w.suspended, w.closed};
    for (const auto who : {w.customer, w.other_owner, w.other_staff, w.disabled}) {
        CAPTURE(who.value);
        const auto actor = World::as(who);
        for (const auto shop : {w.applied, w.active, w.rejected, w.suspended, w.closed}) {
            CAPTURE(shop.value);
            CHECK(error_of([&] { shops.details(actor, shop); }) == Errc::forbidden);
            CHECK(error_of([&] { w.market.audit(actor, EntityRef::of(shop)); }) == Errc::forbidden);
        }
        for (const auto shop : non_active) {
            CAPTURE(shop.value);
            CHECK(error_of([&] { shops.profile(actor, shop); }) == Errc::not_found);
        }
        // The active shop is public.
        CHECK(shops.profile(actor, w.active).name == "Active Shop");
        // Lists: only active shops, and asking for others is forbidden.
        for (const auto status : {ShopStatus::applied, ShopStatus::rejected, ShopStatus::suspended, ShopStatus::closed})
            CHECK(error_of([&] { shops.list(actor, status); }) == Errc::forbidden);
        for (const auto& listed : {shops.list(actor, std::nullopt), shops.list(actor, ShopStatus::active)}) {
            REQUIRE(listed.size() == 2);
            CHECK(listed[0].id == w.active);
            CHECK(listed[1].id == w.other_shop);
        }
        // Someone else's shops.
        CHECK(error_of([&] { shops.shops_of(actor, w.owner); }) == Errc::forbidden);
        CHECK(error_of([&] { shops.shops_of(actor, w.staff); }) == Errc::forbidden);
    }
    // A disabled member cannot list even their own shops.
    CHECK(error_of([&] { shops.shops_of(World::as(w.disabled), w.disabled); }) == Errc::forbidden);
    // Another shop's staff cannot see into this one, nor its owner into theirs.
    CHECK(error_of([&] { shops.details(World::as(w.owner), w.other_shop); }) == Errc::forbidden);
    CHECK(error_of([&] { shops.details(World::as(w.staff), w.other_shop); }) == Errc::forbidden);
    CHECK(error_of([&] { w.market.audit(World::as(w.owner), EntityRef::of(w.other_shop)); }) == Errc::forbidden);
    // An unregistered actor.
    CHECK(error_of([&] { shops.details(World::as(UserId{999}), w.active); }) == Errc::forbidden);
    CHECK(error_of([&] { shops.profile(World::as(UserId{999}), w.applied); }) == Errc::not_found);
    CHECK(error_of([&] { shops.shops_of(World::as(UserId{999}), w.owner); }) == Errc::forbidden);
    // Unknown shops are not_found for everyone, platform staff included.
    for (const auto& actor : {World::as(w.customer), World::as(w.admin), World::sys()}) {
        CHECK(error_of([&] { shops.profile(actor, ShopId{999}); }) == Errc::not_found);
        CHECK(error_of([&] { shops.details(actor, ShopId{999}); }) == Errc::not_found);
    }
}

TEST_CASE("shops: members and platform staff see private data in every status") {
    World w;
    auto& shops = w.shops();
    for (const auto shop : {w.applied, w.active, w.rejected, w.suspended, w.closed}) {
        CAPTURE(shop.value);
        for (const auto& actor : {World::as(w.owner), World::as(w.staff), World::as(w.op), World::as(w.admin),
                                  World::sys()}) {
            const auto d = shops.details(actor, shop);
            CHECK(d.profile.id == shop);
            CHECK(d.owner == w.owner);
            CHECK(shops.profile(actor, shop) == d.profile);
            CHECK_FALSE(w.market.audit(actor, EntityRef::of(shop)).empty());
        }
    }
    // The owner's and the staff member's own shop lists include every status.
    for (const auto who : {w.owner, w.staff}) {
        const auto mine = shops.shops_of(World::as(who), who);
        REQUIRE(mine.size() == 5);
        CHECK(mine[0].id == w.applied);
        CHECK(mine[1].id == w.active);
        CHECK(mine[2].id == w.rejected);
        CHECK(mine[3].id == w.suspended);
        CHECK(mine[4].id == w.closed);
        CHECK(shops.shops_of(World::as(w.op), who) == mine);
    }
    CHECK(shops.shops_of(World::as(w.customer), w.customer).empty());
    // Members still may not list other statuses: that is for platform staff.
    CHECK(error_of([&] { shops.list(World::as(w.owner), ShopStatus::applied); }) == Errc::forbidden);
}

TEST_CASE("shops: platform staff list shops by status with paging") {
    World w;
    auto& shops = w.shops();
    for (const auto& staff : {World::as(w.admin), World::as(w.op), World::sys()}) {
        const auto all = shops.list(staff, std::nullopt);
        REQUIRE(all.size() == 6);
        for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].id == ShopId{i + 1});
        for (const auto status : all_statuses) {
            const auto some = shops.list(staff, status);
            for (const auto& p : some) CHECK(p.status == status);
            CHECK(some.size() == (status == ShopStatus::active ? 2u : 1u));
        }
        // Pages are windows of the same order.
        const auto page1 = shops.list(staff, std::nullopt, Page{0, 4});
        const auto page2 = shops.list(staff, std::nullopt, Page{4, 4});
        REQUIRE(page1.size() == 4);
        REQUIRE(page2.size() == 2);
        CHECK(page1[0] == all[0]);
        CHECK(page2[1] == all[5]);
        CHECK(shops.list(staff, std::nullopt, Page{6, 4}).empty());
        CHECK(shops.list(staff, std::nullopt, Page{1000, 1}).empty());
    }
    CHECK(error_of([&] { shops.list(World::sys(), std::nullopt, Page{0, 0}); }) == Errc::invalid_argument);
    CHECK(error_of([&] { shops.list(World::sys(), std::nullopt, Page{0, Page::max_limit + 1}); }) ==
          Errc::invalid_argument);
    CHECK(shops.list(World::sys(), std::nullopt, Page{0, Page::max_limit}).size() == 6);
}

TEST_CASE("shops: a disabled owner loses access to their shop until enabled") {
    World w;
    auto& shops = w.shops();
    w.accounts().disable_user(World::as(w.admin), w.owner, "investigation");
    const auto position = w.market.journal_position();
    CHECK(error_of([&] { shops.details(World::as(w.owner), w.active); }) == Errc::forbidden);
    CHECK(error_of([&] { shops.profile(World::as(w.owner), w.applied); }) == Errc::not_found);
    CHECK(error_of([&] { shops.close(World::as(w.owner), w.active, "escape"); }) == Errc::forbidden);
    CHECK(error_of([&] { shops.add_staff(World::as(w.owner), w.active, w.customer); }) == Errc::forbidden);
    CHECK(error_of([&] { shops.resubmit(World::as(w.owner), w.rejected, application_named("Rejected Shop")); }) ==
          Errc::forbidden);
    CHECK(error_of([&] { shops.shops_of(World::as(w.owner), w.owner); }) == Errc::forbidden);
    CHECK(error_of([&] { w.market.audit(World::as(w.owner), EntityRef::of(w.active)); }) == Errc::forbidden);
    CHECK(w.market.journal_position() == position);
    // The shop's staff carry on.
    CHECK(shops.details(World::as(w.staff), w.active).owner == w.owner);
    w.accounts().enable_user(World::as(w.op), w.owner);
    CHECK(shops.details(World::as(w.owner), w.active).profile.id == w.active);
}
