// souk.Clock, souk.SystemClock, souk.ManualClock and the timestamp text functions. Timestamps
// are timezone-aware datetimes (UTC on the way out), durations timedeltas; both are exact to
// the microsecond.
#include "bindings.hpp"

#include <memory>

namespace souk::python {

PyDateTime_CAPI* datetime_api() {
    static PyDateTime_CAPI* const api = [] {
        PyDateTime_IMPORT;
        if (!PyDateTimeAPI) throw py::error_already_set();
        return PyDateTimeAPI;
    }();
    return api;
}

void bind_clock(py::module_& m) {
    // Shared ownership: a Marketplace keeps its clock alive after the Python object is gone.
    // Clocks cannot be implemented in Python: the engine reads them without the GIL.
    py::class_<Clock, std::shared_ptr<Clock>>(m, "Clock", "Where a marketplace gets the time.")
        .def("now", &Clock::now, "The current time as a UTC datetime.");

    py::class_<SystemClock, Clock, std::shared_ptr<SystemClock>>(m, "SystemClock", "Wall-clock time.")
        .def(py::init<>());

    py::class_<ManualClock, Clock, std::shared_ptr<ManualClock>>(
        m, "ManualClock", "A clock that moves only when told: makes every deadline in a test deterministic.")
        .def(py::init<Timestamp>(), py::arg("start"))
        .def("set", &ManualClock::set, py::arg("time"))
        .def("advance", &ManualClock::advance, py::arg("delta"));

    m.def("format_timestamp", &format_timestamp, py::arg("time"),
          "ISO 8601 UTC text with microseconds: '2026-11-25T06:13:04.000123Z'.");
    m.def("parse_timestamp", &parse_timestamp, py::arg("text"),
          "The inverse of format_timestamp; whole seconds ('2026-11-25T06:13:04Z') are accepted too.");
}

}  // namespace souk::python
