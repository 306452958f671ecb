#include "crypto.hpp"

#include <sodium.h>

#include "souk/error.hpp"

namespace souk::detail {

void ensure_sodium() {
    static const int ready = sodium_init();
    if (ready < 0) throw Error(Errc::storage_failure, "libsodium failed to initialise");
}

std::string to_hex(const unsigned char* data, std::size_t size) {
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), data, size);
    hex.pop_back();  // the terminating NUL sodium_bin2hex writes
    return hex;
}

}  // namespace souk::detail
