// souk.Accounts (marketplace.accounts) and its records. Every method runs without the GIL: commands
// wait for the journal, and password hashing is deliberately slow.
#include "bindings.hpp"

#include "souk/accounts.hpp"

namespace souk::python {
namespace {

const EnumNames<PlatformRole>& platform_role_names() {
    static const EnumNames<PlatformRole> names{{"admin", PlatformRole::admin},
                                               {"operator_staff", PlatformRole::operator_staff}};
    return names;
}

// grant_role or revoke_role, taking the role as a souk.PlatformRole or its name.
auto taking_role_names(void (Accounts::*command)(const Actor&, UserId, PlatformRole)) {
    return [command](Accounts& accounts, const Actor& actor, UserId user, const EnumArg<PlatformRole>& role) {
        (accounts.*command)(actor, user, to_enum(role, platform_role_names(), "platform role"));
    };
}

void bind_records(py::module_& m) {
    py::class_<UserProfile> profile(m, "UserProfile", "A user as the user themself and platform staff see them.");
    def_readonly_fields(profile, field("id", &UserProfile::id), field("login", &UserProfile::login),
                        field("display_name", &UserProfile::display_name), field("admin", &UserProfile::admin),
                        field("operator_staff", &UserProfile::operator_staff), field("disabled", &UserProfile::disabled),
                        field("registered_at", &UserProfile::registered_at));
    profile.def(py::self == py::self).def(py::self != py::self);

    // The token is left out of the repr so that logging a session does not leak it.
    py::class_<LoginSession> session(m, "LoginSession",
                                     "What a successful login returns. The token is shown only here: souk stores its hash.");
    def_readonly_fields(session, field("id", &LoginSession::id), field("user", &LoginSession::user),
                        field("expires_at", &LoginSession::expires_at));
    session.def_readonly("token", &LoginSession::token);

    py::class_<SessionInfo> info(m, "SessionInfo", "A login session, without its token.");
    def_readonly_fields(info, field("id", &SessionInfo::id), field("user", &SessionInfo::user),
                        field("started_at", &SessionInfo::started_at), field("expires_at", &SessionInfo::expires_at),
                        field("revoked", &SessionInfo::revoked));
    info.def(py::self == py::self).def(py::self != py::self);
}

void bind_service(py::module_& m) {
    py::class_<Accounts>(m, "Accounts", "Users, passwords, sessions and platform roles: marketplace.accounts.")
        .def("register_user", &Accounts::register_user, py::arg("login"), py::arg("password"), py::arg("display_name"),
             ReleaseGil(),
             "Registers a customer; login is an e-mail address or a phone number, the password 8..128 bytes.\n"
             "Returns the new UserId; souk.AlreadyExists if the login is taken.")
        .def("bootstrap_admin", &Accounts::bootstrap_admin, py::arg("login"), py::arg("password"),
             py::arg("display_name"), ReleaseGil(),
             "Registers the first platform admin; souk.InvalidState once an admin exists.")
        .def("login", &Accounts::login, py::arg("login"), py::arg("password"), ReleaseGil(),
             "Starts a session; souk.Unauthenticated for an unknown login or a wrong password alike.")
        .def("authenticate", &Accounts::authenticate, py::arg("token"), ReleaseGil(),
             "The Actor a session token stands for; souk.Unauthenticated if unknown, expired or revoked.")
        .def("logout", &Accounts::logout, py::arg("token"), ReleaseGil())
        .def("revoke_session", &Accounts::revoke_session, py::arg("actor"), py::arg("session"), ReleaseGil(),
             "Revokes one session: its own user or platform staff.")
        .def("sessions", &Accounts::sessions, py::arg("actor"), py::arg("user"), ReleaseGil())
        .def("change_password", &Accounts::change_password, py::arg("actor"), py::arg("old_password"),
             py::arg("new_password"), ReleaseGil(), "Changes the actor's own password; their other sessions end.")
        .def("grant_role", taking_role_names(&Accounts::grant_role), py::arg("actor"), py::arg("user"),
             py::arg("role"), ReleaseGil(), "Platform admins grant platform roles (souk.PlatformRole or its name).")
        .def("revoke_role", taking_role_names(&Accounts::revoke_role), py::arg("actor"), py::arg("user"),
             py::arg("role"), ReleaseGil(), "Platform admins revoke platform roles; not their own admin role.")
        .def("disable_user", &Accounts::disable_user, py::arg("actor"), py::arg("user"), py::arg("reason"),
             ReleaseGil(), "Platform staff disable a user: every session revoked, logins refused.")
        .def("enable_user", &Accounts::enable_user, py::arg("actor"), py::arg("user"), ReleaseGil())
        .def("user", &Accounts::user, py::arg("actor"), py::arg("user"), ReleaseGil(),
             "A user's profile: the user themself or platform staff.")
        .def("find_by_login", &Accounts::find_by_login, py::arg("actor"), py::arg("login"), ReleaseGil(),
             "The UserId of a login, or None: platform staff only.");
}

}  // namespace

void bind_accounts(py::module_& m) {
    bind_enum(m, "PlatformRole", "Roles held on the platform itself.", platform_role_names());
    bind_records(m);
    bind_service(m);
}

}  // namespace souk::python
