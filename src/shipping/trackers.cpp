#include "shipping/trackers.hpp"

#include <fmt/format.h>

#include "souk/error.hpp"
#include "validate.hpp"

namespace souk {

struct ScriptedCarrierTracker::Impl {
    std::mutex mutex;
    std::map<std::string, std::vector<TrackingUpdate>> scripted;  // by tracking number
};

ScriptedCarrierTracker::ScriptedCarrierTracker() : impl_(std::make_shared<Impl>()) {}

void ScriptedCarrierTracker::script(const std::string& tracking_number, TrackingUpdate update) {
    std::lock_guard lock(impl_->mutex);
    impl_->scripted[tracking_number].push_back(std::move(update));
}

std::vector<TrackingUpdate> ScriptedCarrierTracker::track(const std::string&, const std::string& tracking_number) {
    std::lock_guard lock(impl_->mutex);
    const auto it = impl_->scripted.find(tracking_number);
    return it == impl_->scripted.end() ? std::vector<TrackingUpdate>{} : it->second;
}

namespace detail {

void CarrierTrackers::add(const std::string& carrier, std::shared_ptr<CarrierTracker> tracker) {
    require_text("carrier", carrier, 1, 40);
    if (!tracker) throw Error(Errc::invalid_argument, fmt::format("the tracker of carrier '{}' is null", carrier));
    std::lock_guard lock(mutex_);
    if (!trackers_.emplace(carrier, std::move(tracker)).second)
        throw Error(Errc::already_exists, fmt::format("carrier '{}' already has a tracker", carrier));
}

std::shared_ptr<CarrierTracker> CarrierTrackers::find(const std::string& carrier) const {
    std::lock_guard lock(mutex_);
    const auto it = trackers_.find(carrier);
    return it == trackers_.end() ? nullptr : it->second;
}

}  // namespace detail
}  // namespace souk
