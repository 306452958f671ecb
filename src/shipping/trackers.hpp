// The carrier trackers a marketplace knows, by carrier code as shipments record it.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "souk/shipping.hpp"

namespace souk::detail {

// Thread-safe: trackers are registered and looked up from any thread.
class CarrierTrackers {
public:
    // Throws invalid_argument for an empty carrier or a null tracker, already_exists for a
    // carrier that has one.
    void add(const std::string& carrier, std::shared_ptr<CarrierTracker> tracker);
    // Null when no tracker is registered for the carrier.
    std::shared_ptr<CarrierTracker> find(const std::string& carrier) const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<CarrierTracker>> trackers_;
};

}  // namespace souk::detail
