// souk.Actor: who issues a command. It carries identity only; roles are looked up in state.
#include "bindings.hpp"

#include "souk/actor.hpp"

namespace souk::python {

void bind_actor(py::module_& m) {
    py::class_<Actor>(m, "Actor",
                      "The initiator of a command or query. Get one from accounts.authenticate(token) or, in trusted\n"
                      "host code, Actor.user(user_id). Actor.system() is the engine itself and may do everything.")
        .def_static("system", &Actor::system)
        .def_static("user", &Actor::user, py::arg("user_id"))
        .def_property_readonly("is_system", &Actor::is_system)
        .def_property_readonly("user_id", &Actor::user_id, "The user's id; UserId(0) for the system.")
        .def(py::self == py::self)
        .def(py::self != py::self)
        .def("__hash__", [](const Actor& a) { return py::hash(py::int_(a.user_id().value)); })
        .def("__repr__", [](const Actor& a) {
            return a.is_system() ? std::string("Actor.system()") : fmt::format("Actor.user(UserId({}))", a.user_id().value);
        });
}

}  // namespace souk::python
