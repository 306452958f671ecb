// souk._core — what the binding files share: the bind_<module> functions module.cpp calls,
// conversions for souk's time types, and helpers for enums and value records.
//
// Every binding file includes this header first, so the Timestamp and Duration conversions
// below are the only ones any of them sees (pybind11/chrono.h is never included: its
// conversions produce naive local-time datetimes).
#pragma once

#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
// After pybind11, which includes Python.h: datetime.h relies on it.
#include <datetime.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "souk/clock.hpp"
#include "souk/error.hpp"
#include "souk/money.hpp"

namespace souk::python {

namespace py = pybind11;

void bind_errors(py::module_& m);
void bind_money(py::module_& m);
void bind_ids(py::module_& m);
void bind_clock(py::module_& m);
void bind_actor(py::module_& m);
void bind_paging(py::module_& m);
void bind_accounts(py::module_& m);
void bind_shops(py::module_& m);
void bind_search(py::module_& m);
void bind_catalog(py::module_& m);
void bind_inventory(py::module_& m);
void bind_payment(py::module_& m);
void bind_cart(py::module_& m);
void bind_orders(py::module_& m);
void bind_shipping(py::module_& m);
void bind_after_sales(py::module_& m);
void bind_reviews(py::module_& m);
void bind_ledger(py::module_& m);
void bind_promotions(py::module_& m);
void bind_reports(py::module_& m);
void bind_wallet(py::module_& m);
void bind_flash_sales(py::module_& m);
void bind_group_buying(py::module_& m);
void bind_marketplace(py::module_& m);

// For every call into the engine: commands wait for the journal (and the group commit of other
// threads), so Python threads must be free to run meanwhile. Arguments are converted before the
// GIL is released and results after it is taken back.
using ReleaseGil = py::call_guard<py::gil_scoped_release>;

// The souk::Error that a Python exception raised by Python code called from C++ (a payment provider
// written in Python) stands for, so that C++ callers see the codes they are promised. A souk.Error
// keeps its code and message; any other exception becomes `fallback`, its message naming `where`
// and the exception's type and text. Needs the GIL.
Error error_from_python(const py::error_already_set& e, Errc fallback, std::string_view where);

// A currency as Python callers give it: a souk.Currency or an ISO 4217 code ("CNY").
using CurrencyArg = std::variant<Currency, std::string>;
// Looks a code up in souk's table; an unknown code raises souk.InvalidArgument.
Currency to_currency(const CurrencyArg& currency);

// The value names of an enum, shared by its Python class and by the parameters that also take
// the name as a string (password_hashing="minimal").
template <class E>
using EnumNames = std::vector<std::pair<std::string, E>>;

template <class E>
using EnumArg = std::variant<E, std::string>;

// The names souk's own name function gives the values (shop_status_name), where those are the
// C++ member names too, so that Python and C++ spell every value alike.
template <class E, class NameOf>
EnumNames<E> names_from(std::initializer_list<E> values, NameOf name_of) {
    EnumNames<E> names;
    for (const E value : values) names.emplace_back(std::string(name_of(value)), value);
    return names;
}

// `scope` is the module, or the class an enum nests in (ClientAction.Kind).
template <class E>
py::enum_<E> bind_enum(py::handle scope, const char* name, const char* doc, const EnumNames<E>& names) {
    py::enum_<E> e(scope, name, doc);
    for (const auto& [value_name, value] : names) e.value(value_name.c_str(), value);
    return e;
}

// The enum value an argument names; an unknown name raises souk.InvalidArgument listing the
// valid ones. Pure C++, so it may run with the GIL released.
template <class E>
E to_enum(const EnumArg<E>& arg, const EnumNames<E>& names, std::string_view what) {
    if (const auto* value = std::get_if<E>(&arg)) return *value;
    const auto& given = std::get<std::string>(arg);
    std::string valid;
    for (const auto& [name, value] : names) {
        if (name == given) return value;
        valid += fmt::format("{}{}", valid.empty() ? "" : ", ", name);
    }
    throw Error(Errc::invalid_argument, fmt::format("unknown {} '{}'; expected one of {}", what, given, valid));
}

// A member of a value type exposed to Python under `name`.
template <class T, class M>
struct Field {
    const char* name;
    M T::*member;
};

template <class T, class M>
Field<T, M> field(const char* name, M T::*member) {
    return {name, member};
}

// An enum member of an argument record; assigning it also takes the value's name
// (behavior.payment = "decline"). `names` must outlive the binding (a function-local static).
template <class T, class E>
struct EnumField {
    const char* name;
    E T::*member;
    const EnumNames<E>* names;
    const char* what;
};

template <class T, class E>
EnumField<T, E> enum_field(const char* name, E T::*member, const EnumNames<E>& names, const char* what) {
    return {name, member, &names, what};
}

// __repr__ in constructor style from the named attributes: "ShopProfile(id=ShopId(1), ...)".
template <class T, class... Options>
void def_repr(py::class_<T, Options...>& cls, std::vector<const char*> names) {
    cls.def("__repr__", [names = std::move(names)](const py::object& self) {
        std::string text = py::str(py::type::of(self).attr("__name__"));
        text += '(';
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i > 0) text += ", ";
            text += fmt::format("{}={}", names[i], std::string(py::repr(self.attr(names[i]))));
        }
        return text + ')';
    });
}

// Read-only attributes for a result record, and its __repr__. Each read returns a copy, so a
// value taken from a record does not keep the record alive or see it change.
template <class T, class... Options, class... M>
void def_readonly_fields(py::class_<T, Options...>& cls, Field<T, M>... fields) {
    (cls.def_property_readonly(fields.name, [member = fields.member](const T& self) { return self.*member; }), ...);
    def_repr(cls, {fields.name...});
}

// The module's one datetime C API table, imported on first use. datetime.h declares its table
// as a static variable of each translation unit; the conversions below are inline functions of
// which the linker keeps one copy, so they must not read their own file's table (another file
// may be the one that imported it). Each shadows PyDateTimeAPI with this one.
PyDateTime_CAPI* datetime_api();

// Reads return copies, as for result records: a Money taken from a request does not change when
// the request's amount is reassigned.
template <class T, class... Options, class M>
void def_readwrite_field(py::class_<T, Options...>& cls, const Field<T, M>& f) {
    cls.def_property(
        f.name, [member = f.member](const T& self) { return self.*member; },
        [member = f.member](T& self, M value) { self.*member = std::move(value); });
}

template <class T, class... Options, class E>
void def_readwrite_field(py::class_<T, Options...>& cls, const EnumField<T, E>& f) {
    cls.def_property(
        f.name, [member = f.member](const T& self) { return self.*member; },
        [f](T& self, const EnumArg<E>& value) { self.*f.member = to_enum(value, *f.names, f.what); });
}

// A currency member also takes the code alone (query.currency = "JPY"), as currency arguments do.
template <class T, class... Options>
void def_readwrite_field(py::class_<T, Options...>& cls, const Field<T, std::optional<Currency>>& f) {
    cls.def_property(
        f.name, [member = f.member](const T& self) { return self.*member; },
        [member = f.member](T& self, const std::optional<CurrencyArg>& value) {
            self.*member = value ? std::optional(to_currency(*value)) : std::nullopt;
        });
}

// Read-write attributes for an argument record (Field, EnumField or currency Field), and its __repr__.
template <class T, class... Options, class... Fields>
void def_readwrite_fields(py::class_<T, Options...>& cls, Fields... fields) {
    (def_readwrite_field(cls, fields), ...);
    def_repr(cls, {fields.name...});
}

}  // namespace souk::python

namespace pybind11::detail {

// souk::Duration (microseconds) <-> datetime.timedelta, exactly.
template <>
struct type_caster<souk::Duration> {
    PYBIND11_TYPE_CASTER(souk::Duration, const_name("datetime.timedelta"));

    bool load(handle src, bool) {
        PyDateTime_CAPI* const PyDateTimeAPI = souk::python::datetime_api();
        if (!src || !PyDelta_Check(src.ptr())) return false;
        constexpr std::int64_t micros_per_day = 86'400'000'000;
        const std::int64_t days = PyDateTime_DELTA_GET_DAYS(src.ptr());
        // A timedelta reaches 999999999 days, 64-bit microseconds only about 106 million.
        constexpr std::int64_t max_days = INT64_MAX / micros_per_day - 1;
        if (days > max_days || days < -max_days)
            throw souk::Error(souk::Errc::overflow,
                              fmt::format("a timedelta of {} days does not fit in 64-bit microseconds", days));
        const std::int64_t seconds = PyDateTime_DELTA_GET_SECONDS(src.ptr());
        value = souk::Duration{days * micros_per_day + seconds * 1'000'000 + PyDateTime_DELTA_GET_MICROSECONDS(src.ptr())};
        return true;
    }

    static handle cast(souk::Duration d, return_value_policy, handle) {
        PyDateTime_CAPI* const PyDateTimeAPI = souk::python::datetime_api();
        const auto days = std::chrono::floor<std::chrono::days>(d);
        const auto seconds = std::chrono::floor<std::chrono::seconds>(d - days);
        const auto micros = d - days - seconds;
        PyObject* delta = PyDelta_FromDSU(static_cast<int>(days.count()), static_cast<int>(seconds.count()),
                                          static_cast<int>(micros.count()));
        if (!delta) throw error_already_set();
        return delta;
    }
};

// souk::Timestamp <-> timezone-aware datetime.datetime. Timestamps come out in UTC; any aware
// datetime goes in. A naive datetime is refused: souk cannot know which zone it meant.
template <>
struct type_caster<souk::Timestamp> {
    PYBIND11_TYPE_CASTER(souk::Timestamp, const_name("datetime.datetime"));

    bool load(handle src, bool) {
        PyDateTime_CAPI* const PyDateTimeAPI = souk::python::datetime_api();
        if (!src || !PyDateTime_Check(src.ptr())) return false;
        if (src.attr("utcoffset")().is_none())
            throw type_error("souk needs a timezone-aware datetime (for example tzinfo=datetime.timezone.utc), "
                             "not a naive one");
        const object since_epoch = reinterpret_borrow<object>(src) - unix_epoch();
        value = souk::Timestamp{since_epoch.cast<souk::Duration>()};
        return true;
    }

    static handle cast(souk::Timestamp t, return_value_policy policy, handle parent) {
        const auto since_epoch = reinterpret_steal<object>(
            type_caster<souk::Duration>::cast(t.time_since_epoch(), policy, parent));
        return (unix_epoch() + since_epoch).release();
    }

private:
    static object unix_epoch() {
        PyDateTime_CAPI* const PyDateTimeAPI = souk::python::datetime_api();
        PyObject* epoch = PyDateTimeAPI->DateTime_FromDateAndTime(1970, 1, 1, 0, 0, 0, 0, PyDateTime_TimeZone_UTC,
                                                                  PyDateTimeAPI->DateTimeType);
        if (!epoch) throw error_already_set();
        return reinterpret_steal<object>(epoch);
    }
};

}  // namespace pybind11::detail
