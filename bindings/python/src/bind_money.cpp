// souk.Currency, souk.Money and souk.allocate. Amounts cross the boundary as int minor units,
// decimal strings or decimal.Decimal: a float is refused everywhere.
#include "bindings.hpp"

namespace souk::python {
namespace {

// Python ints are unbounded; souk's minor units are 64-bit. Out of range is souk.Overflow,
// as it would be had the arithmetic happened in C++.
std::int64_t to_int64(const py::int_& value, std::string_view what) {
    int overflow = 0;
    const long long result = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow != 0)
        throw Error(Errc::overflow, fmt::format("{} {} does not fit in 64 bits", what, py::repr(value).cast<std::string>()));
    if (result == -1 && PyErr_Occurred()) throw py::error_already_set();
    return result;
}

// The text of a decimal amount given as str or decimal.Decimal ("128.50").
std::string decimal_text(const py::handle& amount) {
    if (py::isinstance<py::str>(amount)) return amount.cast<std::string>();
    const auto decimal_type = py::module_::import("decimal").attr("Decimal");
    // Fixed-point formatting: str(Decimal("1E+2")) would be "1E+2", which parse refuses.
    if (py::isinstance(amount, decimal_type)) return amount.attr("__format__")("f").cast<std::string>();
    throw py::type_error(fmt::format("a decimal amount must be a str or decimal.Decimal, not {} (money is never a float)",
                                     std::string(py::str(py::type::of(amount).attr("__name__")))));
}

bool in_table(const Currency& c) {
    try {
        return Currency::of(c.code()) == c;
    } catch (const Error&) {
        return false;
    }
}

// How a currency reads as an argument in a repr: 'CNY', or the custom(...) call that makes it.
std::string currency_argument_repr(const Currency& c) {
    if (in_table(c)) return fmt::format("'{}'", c.code());
    return fmt::format("Currency.custom('{}', {})", c.code(), c.exponent());
}

py::object to_python_decimal(const Money& m) {
    return py::module_::import("decimal").attr("Decimal")(m.to_decimal());
}

void bind_currency(py::module_& m) {
    py::class_<Currency>(m, "Currency",
                         "An ISO 4217 currency: a three-letter code and its minor-unit exponent (CNY 2, JPY 0, KWD 3).\n"
                         "Wherever souk takes a currency, the code alone ('CNY') works too.")
        .def_static("of", &Currency::of, py::arg("code"), "The currency of an ISO 4217 code in souk's table.")
        .def_static("custom", &Currency::custom, py::arg("code"), py::arg("exponent"),
                    "A currency outside the table (a points unit, a new code): three letters A-Z, exponent 0..6.")
        .def_property_readonly("code", [](const Currency& c) { return std::string(c.code()); })
        .def_property_readonly("exponent", &Currency::exponent)
        .def(py::self == py::self)
        .def(py::self != py::self)
        .def("__hash__", [](const Currency& c) { return py::hash(py::make_tuple(std::string(c.code()), c.exponent())); })
        .def("__str__", [](const Currency& c) { return std::string(c.code()); })
        .def("__repr__", [](const Currency& c) {
            const auto argument = currency_argument_repr(c);
            return in_table(c) ? fmt::format("Currency.of({})", argument) : argument;
        });
}

void bind_money_class(py::module_& m) {
    const auto times = [](const Money& a, const py::int_& factor) { return a.times(to_int64(factor, "factor")); };
    py::class_<Money>(m, "Money",
                      "An amount in integer minor units of one currency. Arithmetic is checked: leaving the 64-bit\n"
                      "range raises souk.Overflow, mixing currencies souk.CurrencyMismatch.")
        .def(py::init([](const py::int_& minor_units, const CurrencyArg& currency) {
                 return Money(to_int64(minor_units, "amount"), to_currency(currency));
             }),
             py::arg("minor_units"), py::arg("currency"), "Money(12850, 'CNY') is 128.50 CNY.")
        .def_static(
            "parse",
            [](const py::object& amount, const CurrencyArg& currency) {
                return Money::parse(decimal_text(amount), to_currency(currency));
            },
            py::arg("amount"), py::arg("currency"),
            "Parses a decimal amount, a str such as '128.50' or a decimal.Decimal, in the currency's exponent.\n"
            "More fraction digits than the currency has raise souk.InvalidArgument.")
        .def_static("zero", [](const CurrencyArg& currency) { return Money::zero(to_currency(currency)); },
                    py::arg("currency"))
        .def_property_readonly("minor_units", &Money::minor_units)
        .def_property_readonly("currency", &Money::currency)
        .def_property_readonly("is_zero", &Money::is_zero)
        .def_property_readonly("is_negative", &Money::is_negative)
        .def("to_decimal", &to_python_decimal, "The amount alone as an exact decimal.Decimal: Decimal('128.50').")
        .def("times", times, py::arg("factor"), "Multiplied by an integer count (a quantity).")
        .def(
            "scaled",
            [](const Money& a, const py::int_& numerator, const py::int_& denominator) {
                return a.scaled(to_int64(numerator, "numerator"), to_int64(denominator, "denominator"));
            },
            py::arg("numerator"), py::arg("denominator"),
            "self * numerator / denominator, rounded half away from zero (basis points, rates).")
        .def(py::self + py::self)
        .def(py::self - py::self)
        .def(-py::self)
        .def("__mul__", times, py::is_operator())
        .def("__rmul__", times, py::is_operator())
        .def(py::self == py::self)
        .def(py::self != py::self)
        .def(py::self < py::self)
        .def(py::self <= py::self)
        .def(py::self > py::self)
        .def(py::self >= py::self)
        .def("__hash__",
             [](const Money& a) {
                 return py::hash(py::make_tuple(a.minor_units(), std::string(a.currency().code()), a.currency().exponent()));
             })
        .def("__bool__", [](const Money& a) { return !a.is_zero(); })
        .def("__str__", &Money::to_string)
        .def("__repr__", [](const Money& a) {
            return fmt::format("Money.parse('{}', {})", a.to_decimal(), currency_argument_repr(a.currency()));
        });
}

}  // namespace

Currency to_currency(const CurrencyArg& currency) {
    if (const auto* code = std::get_if<std::string>(&currency)) return Currency::of(*code);
    return std::get<Currency>(currency);
}

void bind_money(py::module_& m) {
    bind_currency(m);
    bind_money_class(m);
    m.def(
        "allocate",
        [](const Money& total, const std::vector<std::int64_t>& weights) { return allocate(total, weights); },
        py::arg("total"), py::arg("weights"),
        "Splits total into parts proportional to the integer weights by largest remainder: the parts always\n"
        "sum exactly to total.");
}

}  // namespace souk::python
