// The payment providers a marketplace knows, by the name payments record.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "souk/payment.hpp"

namespace souk::detail {

// Thread-safe: providers are registered and looked up from any thread.
class PaymentProviders {
public:
    // Throws invalid_argument for a malformed name or a null provider, already_exists for a
    // name in use.
    void add(const std::string& name, std::shared_ptr<PaymentProvider> provider);
    // Throws not_found for a name nobody registered.
    std::shared_ptr<PaymentProvider> get(std::string_view name) const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<PaymentProvider>, std::less<>> providers_;
};

}  // namespace souk::detail
