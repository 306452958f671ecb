#include "souk/error.hpp"

#include <fmt/format.h>

namespace souk {

std::string_view errc_name(Errc code) noexcept {
    switch (code) {
        case Errc::invalid_argument: return "invalid_argument";
        case Errc::not_found: return "not_found";
        case Errc::already_exists: return "already_exists";
        case Errc::forbidden: return "forbidden";
        case Errc::unauthenticated: return "unauthenticated";
        case Errc::invalid_state: return "invalid_state";
        case Errc::conflict: return "conflict";
        case Errc::insufficient_stock: return "insufficient_stock";
        case Errc::payment_failed: return "payment_failed";
        case Errc::currency_mismatch: return "currency_mismatch";
        case Errc::overflow: return "overflow";
        case Errc::limit_exceeded: return "limit_exceeded";
        case Errc::storage_failure: return "storage_failure";
        case Errc::corrupt_journal: return "corrupt_journal";
        case Errc::unsupported_version: return "unsupported_version";
        case Errc::foreign_file: return "foreign_file";
    }
    return "unknown";
}

Error::Error(Errc code, const std::string& message)
    : std::runtime_error(fmt::format("{}: {}", errc_name(code), message)), code_(code), message_(message) {}

}  // namespace souk
