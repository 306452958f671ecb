// Compiled against souk embedded with add_subdirectory(): souk::souk built as part of this project.
#include <souk/money.hpp>

#include <cstdio>

int main() {
    const souk::Currency jpy = souk::Currency::of("JPY");
    const souk::Money price = souk::Money::parse("980", jpy);
    const souk::Money total = price.times(2) + souk::Money(20, jpy);
    if (total.minor_units() != 1980 || total.to_string() != "1980 JPY") {
        std::fprintf(stderr, "unexpected total: %s\n", total.to_string().c_str());
        return 1;
    }
    std::printf("souk via add_subdirectory: %s\n", total.to_string().c_str());
    return 0;
}
