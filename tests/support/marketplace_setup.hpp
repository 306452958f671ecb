// Building blocks for tests that drive a whole Marketplace.
#pragma once

#include <memory>
#include <string>

#include "souk/marketplace.hpp"

namespace souk::test {

inline constexpr const char* password = "correct horse battery";

// 2026-01-01T00:00:00Z: a fixed start so that every timestamp a test sees is reproducible.
inline Timestamp epoch() { return Timestamp{std::chrono::seconds(1767225600)}; }

// Cheap password hashing and a clock that moves only when the test says so.
inline MarketplaceOptions test_options(std::shared_ptr<const Clock> clock = std::make_shared<ManualClock>(epoch())) {
    MarketplaceOptions options;
    options.clock = std::move(clock);
    options.password_hashing = PasswordHashing::minimal;
    return options;
}

inline ShopApplication shop_application(const std::string& name) {
    return ShopApplication{.name = name,
                           .description = "Sells " + name,
                           .business_category = "books",
                           .contact_name = "Li Lei",
                           .contact_phone = "+86 138 0000 0000",
                           .contact_email = ""};
}

}  // namespace souk::test
