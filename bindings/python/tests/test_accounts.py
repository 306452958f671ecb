"""marketplace.accounts: registration, logins, sessions, passwords, platform roles."""

import datetime as dt

import pytest

import souk
from support import PASSWORD, START


def test_register_user_returns_a_user_id_and_normalizes_the_login(market):
    system = souk.Actor.system()
    uid = market.accounts.register_user("Lin@Example.COM", PASSWORD, "Lin")
    assert isinstance(uid, souk.UserId) and uid
    profile = market.accounts.user(system, uid)
    assert (profile.id, profile.login, profile.display_name) == (uid, "lin@example.com", "Lin")
    assert not (profile.admin or profile.operator_staff or profile.disabled)
    assert profile.registered_at == START
    phone = market.accounts.register_user("+86 138-0013-8000", PASSWORD, "Phone")
    assert market.accounts.user(system, phone).login == "+8613800138000"


def test_user_profiles_compare_and_print_their_fields(world):
    a = world.accounts.user(world.admin, world.customer_id)
    b = world.accounts.user(world.customer, world.customer_id)
    assert a == b
    assert a != world.accounts.user(world.admin, world.owner_id)
    assert repr(a).startswith("UserProfile(id=UserId(") and "login='customer@souk.test'" in repr(a)


def test_registration_refuses_bad_input_and_taken_logins(market):
    market.accounts.register_user("lin@example.com", PASSWORD, "Lin")
    with pytest.raises(souk.AlreadyExists, match="already registered"):
        market.accounts.register_user("LIN@example.com", PASSWORD, "Lin again")
    with pytest.raises(souk.InvalidArgument, match="e-mail"):
        market.accounts.register_user("lin@", PASSWORD, "Lin")
    with pytest.raises(souk.InvalidArgument, match="8..128"):
        market.accounts.register_user("short@example.com", "short", "Short")
    with pytest.raises(souk.InvalidArgument):
        market.accounts.register_user("noname@example.com", PASSWORD, "")
    assert market.journal_position() == 1  # the refused registrations changed nothing


def test_only_the_first_admin_can_bootstrap(market):
    admin = market.accounts.bootstrap_admin("admin@example.com", PASSWORD, "Admin")
    assert market.accounts.user(souk.Actor.system(), admin).admin
    with pytest.raises(souk.InvalidState, match="already has an admin"):
        market.accounts.bootstrap_admin("second@example.com", PASSWORD, "Second")


def test_login_starts_a_session_that_authenticates(world):
    session = world.accounts.login("Customer@souk.test", PASSWORD)
    assert isinstance(session, souk.LoginSession)
    assert isinstance(session.id, souk.SessionId)
    assert session.user == world.customer_id
    assert len(session.token) >= 32
    assert session.expires_at == world.clock.now() + dt.timedelta(days=30)
    assert world.accounts.authenticate(session.token) == world.customer


def test_a_login_session_repr_hides_the_token(world):
    session = world.accounts.login("customer@souk.test", PASSWORD)
    assert session.token not in repr(session)
    assert repr(session).startswith("LoginSession(id=SessionId(")


def test_wrong_passwords_and_unknown_logins_are_unauthenticated_alike(world):
    with pytest.raises(souk.Unauthenticated) as wrong:
        world.accounts.login("customer@souk.test", "not the password")
    with pytest.raises(souk.Unauthenticated) as unknown:
        world.accounts.login("nobody@souk.test", PASSWORD)
    with pytest.raises(souk.Unauthenticated) as malformed:
        world.accounts.login("not a login", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == str(malformed.value)


def test_sessions_expire_after_the_session_lifetime(clock):
    market = souk.Marketplace.in_memory(
        clock=clock, password_hashing=souk.PasswordHashing.minimal, session_lifetime=dt.timedelta(hours=1)
    )
    market.accounts.register_user("lin@example.com", PASSWORD, "Lin")
    session = market.accounts.login("lin@example.com", PASSWORD)
    assert session.expires_at == START + dt.timedelta(hours=1)
    clock.advance(dt.timedelta(minutes=59))
    market.accounts.authenticate(session.token)
    clock.advance(dt.timedelta(minutes=1))
    with pytest.raises(souk.Unauthenticated, match="expired"):
        market.accounts.authenticate(session.token)


def test_logout_revokes_the_token(world):
    session = world.accounts.login("customer@souk.test", PASSWORD)
    world.accounts.logout(session.token)
    with pytest.raises(souk.Unauthenticated, match="revoked"):
        world.accounts.authenticate(session.token)
    with pytest.raises(souk.Unauthenticated, match="unknown session"):
        world.accounts.logout("no-such-token")
    with pytest.raises(souk.Unauthenticated):
        world.accounts.authenticate("no-such-token")


def test_sessions_lists_a_users_sessions_to_them_and_to_staff(world):
    first = world.accounts.login("customer@souk.test", PASSWORD)
    world.tick()
    second = world.accounts.login("customer@souk.test", PASSWORD)
    world.accounts.logout(first.token)
    listed = world.accounts.sessions(world.customer, world.customer_id)
    assert [s.id for s in listed] == [first.id, second.id]
    assert [s.revoked for s in listed] == [True, False]
    assert listed[1].started_at == world.clock.now()
    assert listed[1].expires_at == second.expires_at
    assert all(isinstance(s, souk.SessionInfo) for s in listed)
    assert world.accounts.sessions(world.op, world.customer_id) == listed
    with pytest.raises(souk.Forbidden):
        world.accounts.sessions(world.outsider, world.customer_id)


def test_revoke_session_is_for_the_user_and_platform_staff(world):
    mine = world.accounts.login("customer@souk.test", PASSWORD)
    with pytest.raises(souk.Forbidden):
        world.accounts.revoke_session(world.outsider, mine.id)
    world.accounts.revoke_session(world.customer, mine.id)
    with pytest.raises(souk.Unauthenticated):
        world.accounts.authenticate(mine.token)
    other = world.accounts.login("customer@souk.test", PASSWORD)
    world.accounts.revoke_session(world.op, other.id)
    with pytest.raises(souk.Unauthenticated):
        world.accounts.authenticate(other.token)
    with pytest.raises(souk.NotFound, match="no session"):
        world.accounts.revoke_session(world.admin, souk.SessionId(999))


def test_change_password_checks_the_old_one_and_ends_other_sessions(world):
    old_session = world.accounts.login("customer@souk.test", PASSWORD)
    with pytest.raises(souk.Unauthenticated, match="current password"):
        world.accounts.change_password(world.customer, "wrong password", "a new password")
    with pytest.raises(souk.InvalidArgument):
        world.accounts.change_password(world.customer, PASSWORD, "short")
    world.accounts.change_password(world.customer, PASSWORD, "a new password")
    with pytest.raises(souk.Unauthenticated):
        world.accounts.authenticate(old_session.token)
    with pytest.raises(souk.Unauthenticated):
        world.accounts.login("customer@souk.test", PASSWORD)
    world.accounts.login("customer@souk.test", "a new password")


def test_admins_grant_and_revoke_platform_roles_by_enum_or_name(world):
    world.accounts.grant_role(world.admin, world.customer_id, souk.PlatformRole.operator_staff)
    assert world.accounts.user(world.admin, world.customer_id).operator_staff
    assert world.accounts.find_by_login(world.customer, "owner@souk.test") == world.owner_id
    world.accounts.revoke_role(world.admin, world.customer_id, "operator_staff")
    assert not world.accounts.user(world.admin, world.customer_id).operator_staff
    world.accounts.grant_role(world.admin, world.customer_id, "admin")
    assert world.accounts.user(world.admin, world.customer_id).admin
    world.accounts.revoke_role(world.customer, world.admin_id, souk.PlatformRole.admin)
    assert not world.accounts.user(world.customer, world.admin_id).admin


def test_only_admins_change_roles_and_never_their_own_admin_role(world):
    with pytest.raises(souk.Forbidden):
        world.accounts.grant_role(world.op, world.customer_id, "operator_staff")
    with pytest.raises(souk.Forbidden):
        world.accounts.revoke_role(world.customer, world.op_id, "operator_staff")
    with pytest.raises(souk.InvalidState, match="own admin role"):
        world.accounts.revoke_role(world.admin, world.admin_id, "admin")
    with pytest.raises(souk.InvalidArgument, match="expected one of admin, operator_staff"):
        world.accounts.grant_role(world.admin, world.customer_id, "superuser")
    with pytest.raises(souk.NotFound, match="no user"):
        world.accounts.grant_role(world.admin, souk.UserId(999), "admin")


def test_disabled_users_cannot_log_in_until_enabled(world):
    session = world.accounts.login("customer@souk.test", PASSWORD)
    world.accounts.disable_user(world.op, world.customer_id, "chargeback fraud")
    assert world.accounts.user(world.op, world.customer_id).disabled
    with pytest.raises(souk.Unauthenticated):
        world.accounts.authenticate(session.token)
    with pytest.raises(souk.Unauthenticated, match="disabled"):
        world.accounts.login("customer@souk.test", PASSWORD)
    world.accounts.enable_user(world.op, world.customer_id)
    assert not world.accounts.user(world.op, world.customer_id).disabled
    world.accounts.login("customer@souk.test", PASSWORD)


def test_disabling_is_for_platform_staff_and_never_oneself(world):
    with pytest.raises(souk.Forbidden):
        world.accounts.disable_user(world.customer, world.outsider_id, "spite")
    with pytest.raises(souk.Forbidden):
        world.accounts.disable_user(world.op, world.admin_id, "coup")
    with pytest.raises(souk.InvalidState, match="themselves"):
        world.accounts.disable_user(world.admin, world.admin_id, "tired")
    with pytest.raises(souk.InvalidArgument):
        world.accounts.disable_user(world.admin, world.customer_id, "")
    with pytest.raises(souk.Forbidden):
        world.accounts.enable_user(world.customer, world.outsider_id)


def test_user_profiles_are_for_the_user_and_platform_staff(world):
    assert world.accounts.user(world.customer, world.customer_id).display_name == "Customer"
    assert world.accounts.user(world.op, world.customer_id).id == world.customer_id
    with pytest.raises(souk.Forbidden):
        world.accounts.user(world.outsider, world.customer_id)
    with pytest.raises(souk.NotFound):
        world.accounts.user(world.admin, souk.UserId(999))


def test_find_by_login_is_for_platform_staff(world):
    assert world.accounts.find_by_login(world.op, "CUSTOMER@souk.test") == world.customer_id
    assert world.accounts.find_by_login(world.op, "nobody@souk.test") is None
    with pytest.raises(souk.Forbidden):
        world.accounts.find_by_login(world.customer, "owner@souk.test")
    with pytest.raises(souk.InvalidArgument):
        world.accounts.find_by_login(world.op, "x")
