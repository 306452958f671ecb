#include "payment/providers.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "souk/error.hpp"

namespace souk::detail {

void PaymentProviders::add(const std::string& name, std::shared_ptr<PaymentProvider> provider) {
    const bool well_formed = !name.empty() && name.size() <= 40 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
    if (!well_formed)
        throw Error(Errc::invalid_argument,
                    fmt::format("a payment provider's name is 1..40 lower-case letters, digits, '-' or '_', not '{}'", name));
    if (!provider) throw Error(Errc::invalid_argument, fmt::format("payment provider '{}' is null", name));
    std::lock_guard lock(mutex_);
    if (!providers_.emplace(name, std::move(provider)).second)
        throw Error(Errc::already_exists, fmt::format("a payment provider named '{}' is already registered", name));
}

std::shared_ptr<PaymentProvider> PaymentProviders::get(std::string_view name) const {
    std::lock_guard lock(mutex_);
    const auto it = providers_.find(name);
    if (it == providers_.end())
        throw Error(Errc::not_found, fmt::format("no payment provider is registered as '{}'", name));
    return it->second;
}

}  // namespace souk::detail
