// Compiled against an installed souk: public headers from the install tree, souk::souk linked.
#include <souk/souk.hpp>  // the umbrella: every public header must compile from the install tree

#include <cstdio>

int main() {
    const souk::Currency cny = souk::Currency::of("CNY");
    const souk::Money price = souk::Money::parse("128.50", cny);
    const souk::Money total = price.times(3) - souk::Money(50, cny);
    if (total.minor_units() != 38500 || total.to_string() != "385.00 CNY") {
        std::fprintf(stderr, "unexpected total: %s\n", total.to_string().c_str());
        return 1;
    }
    std::printf("souk via find_package: %s\n", total.to_string().c_str());
    return 0;
}
