// souk.Errc and the exception classes: souk.Error, and one subclass per code.
#include "bindings.hpp"

#include <cctype>

namespace souk::python {
namespace {

// Errc values are dense from 1 and only ever appended to, so walking up from 1 until
// errc_name no longer knows the code visits every code this build has.
std::vector<Errc> all_codes() {
    std::vector<Errc> codes;
    for (std::uint16_t value = 1; errc_name(Errc{value}) != "unknown"; ++value) codes.emplace_back(Errc{value});
    return codes;
}

// "invalid_argument" -> "InvalidArgument"
std::string class_name_of(std::string_view code_name) {
    std::string name;
    bool upper = true;
    for (const char c : code_name) {
        if (c == '_') {
            upper = true;
            continue;
        }
        name.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
        upper = false;
    }
    return name;
}

// Codes whose class also derives from the built-in exception Python code would catch for them.
PyObject* builtin_base_of(Errc code) {
    switch (code) {
        case Errc::invalid_argument: return PyExc_ValueError;
        case Errc::not_found: return PyExc_LookupError;
        case Errc::overflow: return PyExc_OverflowError;
        default: return nullptr;
    }
}

// The class of every code by its value; index 0 is souk.Error itself, raised for a code this
// table lacks. The module holds the classes for the life of the interpreter, so these borrowed
// pointers never dangle, and nothing releases them at exit, when Python may already be gone.
std::vector<PyObject*>& error_classes() {
    static std::vector<PyObject*> classes;
    return classes;
}

py::object new_exception_class(py::module_& m, const std::string& name, const py::tuple& bases, const std::string& doc) {
    // The qualified name makes tracebacks and pickling say souk.NotFound, where users import it.
    const std::string qualified = "souk." + name;
    PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc.c_str(), bases.ptr(), nullptr);
    if (!cls) throw py::error_already_set();
    auto owned = py::reinterpret_steal<py::object>(cls);
    m.attr(name.c_str()) = owned;
    return owned;
}

void raise_python_error(const Error& e) {
    const auto value = static_cast<std::size_t>(e.code());
    auto& classes = error_classes();
    PyObject* cls = value < classes.size() ? classes[value] : classes[0];
    py::object instance = py::reinterpret_borrow<py::object>(cls)(e.what());
    instance.attr("code") = e.code();
    PyErr_SetObject(cls, instance.ptr());
}

}  // namespace

Error error_from_python(const py::error_already_set& e, Errc fallback, std::string_view where) {
    const std::string text = py::str(e.value());
    if (e.matches(error_classes()[0])) {
        const py::object code = e.value().attr("code");
        if (py::isinstance<Errc>(code)) {
            const auto errc = code.cast<Errc>();
            // A souk.Error that came from C++ already reads "<code>: ..."; Error would add it again.
            const auto prefix = fmt::format("{}: ", errc_name(errc));
            return Error(errc, text.starts_with(prefix) ? text.substr(prefix.size()) : text);
        }
    }
    const std::string type = py::str(py::type::of(e.value()).attr("__name__"));
    return Error(fallback, fmt::format("{} raised {}: {}", where, type, text));
}

void bind_errors(py::module_& m) {
    const auto codes = all_codes();

    EnumNames<Errc> names;
    for (const auto code : codes) names.emplace_back(std::string(errc_name(code)), code);
    bind_enum(m, "Errc", "The stable code of a souk error; each has its own exception class.", names);

    auto base = new_exception_class(
        m, "Error", py::make_tuple(py::handle(PyExc_Exception)),
        "Base class of every error souk raises. `code` is the souk.Errc; str(error) is the message.");
    base.attr("code") = py::none();

    auto& classes = error_classes();
    classes.assign({base.ptr()});
    for (const auto code : codes) {
        const auto name = class_name_of(errc_name(code));
        const auto bases = builtin_base_of(code) ? py::make_tuple(base, py::handle(builtin_base_of(code)))
                                                 : py::make_tuple(base);
        auto cls = new_exception_class(m, name, bases, fmt::format("Raised for souk.Errc.{}.", errc_name(code)));
        cls.attr("code") = code;
        classes.push_back(cls.ptr());  // at index `code`: the codes are dense from 1
    }

    py::register_local_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const Error& e) {
            raise_python_error(e);
        }
    });
}

}  // namespace souk::python
