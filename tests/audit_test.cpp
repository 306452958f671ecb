// The audit trail: every event that touched an entity, in order, with actor, time and
// fields; secrets redacted; readable only by those entitled to.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "souk/audit.hpp"
#include "souk/error.hpp"
#include "souk/marketplace.hpp"
#include "support/fixtures.hpp"

using namespace souk;
using namespace souk::test;

namespace {

std::vector<std::string> names_of(const std::vector<AuditEntry>& trail) {
    std::vector<std::string> names;
    for (const auto& e : trail) names.push_back(e.event);
    return names;
}

struct Expected {
    std::string event;
    UserId actor;
    Timestamp time;
};

}  // namespace

TEST_CASE("audit: a shop's trail lists every event that touched it, in order, with actor and time") {
    World w;
    auto& shops = w.shops();
    std::vector<Expected> expected;
    const auto step = [&](std::string event, UserId actor, auto&& command) {
        w.tick();
        command();
        expected.push_back({std::move(event), actor, w.clock->now()});
    };
    ShopId shop;
    step("ShopApplied", w.customer, [&] { shop = shops.apply(World::as(w.customer), application_named("Audited")); });
    step("ShopRejected", w.op, [&] { shops.reject(World::as(w.op), shop, "no licence"); });
    step("ShopResubmitted", w.customer,
         [&] { shops.resubmit(World::as(w.customer), shop, application_named("Audited Again")); });
    // Unrelated commands in between do not show up.
    w.tick();
    shops.set_commission(World::as(w.op), w.active, 300);
    step("ShopApproved", w.admin, [&] { shops.approve(World::as(w.admin), shop); });
    step("ShopStaffAdded", w.customer, [&] { shops.add_staff(World::as(w.customer), shop, w.staff); });
    step("ShopProfileUpdated", w.staff, [&] {
        ShopProfileUpdate u;
        u.description = "Now audited";
        shops.update_profile(World::as(w.staff), shop, u);
    });
    step("ShopCommissionSet", w.op, [&] { shops.set_commission(World::as(w.op), shop, 450); });
    step("ShopSuspended", w.op, [&] { shops.suspend(World::as(w.op), shop, "late shipments"); });
    step("ShopReinstated", w.admin, [&] { shops.reinstate(World::as(w.admin), shop); });
    step("ShopStaffRemoved", w.customer, [&] { shops.remove_staff(World::as(w.customer), shop, w.staff); });
    step("ShopClosed", UserId{}, [&] { shops.close(World::sys(), shop, "owner retired"); });
    // Refused commands leave no trace.
    CHECK(error_of([&] { shops.approve(World::as(w.op), shop); }) == Errc::invalid_state);

    const auto trail = w.market.audit(World::as(w.admin), EntityRef::of(shop));
    REQUIRE(trail.size() == expected.size());
    for (std::size_t i = 0; i < trail.size(); ++i) {
        CAPTURE(i);
        CHECK(trail[i].event == expected[i].event);
        CHECK(trail[i].actor == expected[i].actor);
        CHECK(trail[i].time == expected[i].time);
        if (i > 0) CHECK(trail[i].command > trail[i - 1].command);
        const auto details = nlohmann::json::parse(trail[i].details);
        CHECK(details.at("shop") == shop.value);
    }
    CHECK(trail.back().command == w.market.journal_position());

    // The details carry the event's fields.
    const auto applied = nlohmann::json::parse(trail[0].details);
    CHECK(applied.at("owner") == w.customer.value);
    CHECK(applied.at("application").at("name") == "Audited");
    CHECK(applied.at("application").at("contact_email") == "shop@example.com");
    CHECK(nlohmann::json::parse(trail[1].details).at("reason") == "no licence");
    CHECK(nlohmann::json::parse(trail[2].details).at("application").at("name") == "Audited Again");
    CHECK(nlohmann::json::parse(trail[4].details).at("user") == w.staff.value);
    const auto updated = nlohmann::json::parse(trail[5].details);
    CHECK(updated.at("description") == "Now audited");
    CHECK(updated.at("contact_name").is_null());
    CHECK(nlohmann::json::parse(trail[6].details).at("basis_points") == 450);
    CHECK(nlohmann::json::parse(trail[7].details).at("reason") == "late shipments");
    CHECK(nlohmann::json::parse(trail[10].details).at("reason") == "owner retired");

    // The staff member's own trail shows their joining and leaving the shop.
    const auto staff_trail = names_of(w.market.audit(World::as(w.staff), EntityRef::of(w.staff)));
    CHECK(std::count(staff_trail.begin(), staff_trail.end(), "ShopStaffAdded") == 6);  // 5 fixture shops + this
    CHECK(staff_trail.back() == "ShopStaffRemoved");
}

TEST_CASE("audit: the fixture shops' trails tell how each got to its status") {
    World w;
    const auto trail = [&](ShopId shop) { return names_of(w.market.audit(World::sys(), EntityRef::of(shop))); };
    using V = std::vector<std::string>;
    CHECK(trail(w.applied) == V{"ShopApplied", "ShopStaffAdded", "ShopStaffAdded"});
    CHECK(trail(w.active) == V{"ShopApplied", "ShopStaffAdded", "ShopApproved", "ShopStaffAdded"});
    CHECK(trail(w.rejected) == V{"ShopApplied", "ShopStaffAdded", "ShopRejected", "ShopStaffAdded"});
    CHECK(trail(w.suspended) == V{"ShopApplied", "ShopStaffAdded", "ShopApproved", "ShopSuspended", "ShopStaffAdded"});
    CHECK(trail(w.closed) == V{"ShopApplied", "ShopStaffAdded", "ShopApproved", "ShopClosed"});
    CHECK(trail(ShopId{999}).empty());
}

TEST_CASE("audit: secrets are redacted in a user's trail") {
    World w;
    auto& accounts = w.accounts();
    w.tick();
    const auto id = accounts.register_user("secret@souk.test", fixture_password, "Secret Keeper");
    w.tick();
    const auto session = accounts.login("secret@souk.test", fixture_password);
    w.tick();
    accounts.change_password(Actor::user(id), fixture_password, "a brand new secret");
    w.tick();
    const auto second = accounts.login("secret@souk.test", "a brand new secret");
    accounts.logout(second.token);
    accounts.grant_role(World::as(w.admin), id, PlatformRole::operator_staff);
    accounts.disable_user(World::as(w.admin), id, "test");
    accounts.enable_user(World::as(w.admin), id);

    const auto trail = w.market.audit(Actor::user(id), EntityRef::of(id));
    CHECK(names_of(trail) == std::vector<std::string>{"UserRegistered", "SessionStarted", "PasswordChanged",
                                                      "SessionRevoked", "SessionStarted", "SessionRevoked",
                                                      "PlatformRoleGranted", "UserDisabled", "UserEnabled"});
    REQUIRE(trail.size() == 9);
    const auto registered = nlohmann::json::parse(trail[0].details);
    CHECK(registered.at("password_hash") == "<redacted>");
    CHECK(registered.at("login") == "secret@souk.test");
    CHECK(registered.at("display_name") == "Secret Keeper");
    CHECK(registered.at("admin") == false);
    CHECK(trail[0].actor == UserId{});  // registration is the system's doing
    const auto started = nlohmann::json::parse(trail[1].details);
    CHECK(started.at("token_hash") == "<redacted>");
    CHECK(started.at("session") == session.id.value);
    CHECK(started.at("expires_at") == format_timestamp(session.expires_at));
    CHECK(trail[1].actor == id);
    CHECK(nlohmann::json::parse(trail[2].details).at("password_hash") == "<redacted>");
    // The password change and the revocation it caused are one command.
    CHECK(trail[3].command == trail[2].command);
    CHECK(nlohmann::json::parse(trail[3].details).at("session") == session.id.value);
    CHECK(trail[5].actor == UserId{});  // logout carries no actor
    CHECK(trail[6].actor == w.admin);
    CHECK(nlohmann::json::parse(trail[7].details).at("reason") == "test");

    // Nothing secret appears anywhere: no hash, no token, no password.
    for (const auto& entry : trail) {
        CAPTURE(entry.details);
        CHECK(entry.details.find("$argon2") == std::string::npos);
        CHECK(entry.details.find(session.token) == std::string::npos);
        CHECK(entry.details.find(second.token) == std::string::npos);
        CHECK(entry.details.find(fixture_password) == std::string::npos);
        CHECK(entry.details.find("a brand new secret") == std::string::npos);
    }
    // The session's own trail.
    const auto session_trail = w.market.audit(World::sys(), EntityRef::of(session.id));
    CHECK(names_of(session_trail) == std::vector<std::string>{"SessionStarted", "SessionRevoked"});
}

TEST_CASE("audit: who may read which trail") {
    World w;
    const auto shop = EntityRef::of(w.active);
    const auto closed = EntityRef::of(w.closed);
    // Platform staff read everything.
    for (const auto& actor : {World::as(w.admin), World::as(w.op), World::sys()}) {
        CHECK_FALSE(w.market.audit(actor, shop).empty());
        CHECK_FALSE(w.market.audit(actor, EntityRef::of(w.customer)).empty());
        CHECK_FALSE(w.market.audit(actor, EntityRef::of(w.other_shop)).empty());
    }
    // Members read their shop's trail, closed shops included.
    CHECK(w.market.audit(World::as(w.owner), shop) == w.market.audit(World::sys(), shop));
    CHECK(w.market.audit(World::as(w.staff), shop) == w.market.audit(World::sys(), shop));
    CHECK(w.market.audit(World::as(w.staff), closed) == w.market.audit(World::sys(), closed));
    // A user reads their own trail only.
    CHECK(w.market.audit(World::as(w.customer), EntityRef::of(w.customer)).size() == 1);
    CHECK(error_of([&] { w.market.audit(World::as(w.customer), EntityRef::of(w.owner)); }) == Errc::forbidden);
    CHECK(error_of([&] { w.market.audit(World::as(w.owner), EntityRef::of(w.staff)); }) == Errc::forbidden);
    // Outsiders, other shops' members and disabled members are refused.
    for (const auto who : {w.customer, w.other_owner, w.other_staff, w.disabled}) {
        CAPTURE(who.value);
        CHECK(error_of([&] { w.market.audit(World::as(who), shop); }) == Errc::forbidden);
    }
    CHECK(error_of([&] { w.market.audit(World::as(w.disabled), EntityRef::of(w.disabled)); }) == Errc::forbidden);
    CHECK(error_of([&] { w.market.audit(World::as(w.owner), EntityRef::of(w.other_shop)); }) == Errc::forbidden);
    // Sessions' trails are platform staff's.
    const auto session = w.accounts().login("customer@souk.test", fixture_password);
    CHECK(error_of([&] { w.market.audit(World::as(w.customer), EntityRef::of(session.id)); }) == Errc::forbidden);
    CHECK(w.market.audit(World::as(w.op), EntityRef::of(session.id)).size() == 1);
    // An unregistered actor is not a user.
    CHECK(error_of([&] { w.market.audit(World::as(UserId{999}), shop); }) == Errc::unauthenticated);
    // Losing a role loses the access.
    w.accounts().revoke_role(World::as(w.admin), w.op, PlatformRole::operator_staff);
    CHECK(error_of([&] { w.market.audit(World::as(w.op), shop); }) == Errc::forbidden);
    w.shops().remove_staff(World::as(w.owner), w.active, w.staff);
    CHECK(error_of([&] { w.market.audit(World::as(w.staff), shop); }) == Errc::forbidden);
}

TEST_CASE("audit: reading a trail writes nothing") {
    World w;
    const auto position = w.market.journal_position();
    const auto records = w.journal->end_position();
    for (int i = 0; i < 3; ++i) w.market.audit(World::sys(), EntityRef::of(w.active));
    CHECK(w.market.journal_position() == position);
    CHECK(w.journal->end_position() == records);
    CHECK(records == position + 1);
}
