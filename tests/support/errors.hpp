// Asserting on souk error codes.
#pragma once

#include <optional>

#include <doctest/doctest.h>

#include "souk/error.hpp"

namespace souk::test {

// The code of the Error that f throws, or nullopt (and a failed check) if it throws none.
// Other exception types propagate and fail the test loudly.
template <class F>
std::optional<Errc> error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    FAIL_CHECK("expected a souk::Error");
    return std::nullopt;
}

}  // namespace souk::test
