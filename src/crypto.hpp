// libsodium, shared by password hashing, session tokens and payment signatures.
#pragma once

#include <cstddef>
#include <string>

namespace souk::detail {

// Initialises libsodium once per process; every caller of libsodium calls this first.
// Throws Error(storage_failure) if the library cannot start (no entropy source).
void ensure_sodium();

// Lower-case hex of `size` bytes.
std::string to_hex(const unsigned char* data, std::size_t size);

}  // namespace souk::detail
