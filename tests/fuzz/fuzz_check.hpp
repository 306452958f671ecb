// The properties a fuzz harness asserts. Unlike assert, active in every build type: a broken
// property aborts, which libFuzzer and the corpus driver both report along with the input.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace souk::fuzz {

inline void expect(bool holds, const char* property) {
    if (holds) return;
    std::fprintf(stderr, "fuzz property broken: %s\n", property);
    std::abort();
}

}  // namespace souk::fuzz
