#include "orders/state_machine.hpp"

#include <string>

#include <fmt/format.h>

#include "souk/error.hpp"

namespace souk::detail {
namespace {

struct Transition {
    SubOrderStatus from;
    SubOrderAction action;
    SubOrderStatus to;
};

using S = SubOrderStatus;
using A = SubOrderAction;

// Every legal transition; anything not listed is refused.
constexpr std::array transitions = {
    Transition{S::pending_payment, A::capture_payment, S::paid},
    Transition{S::pending_payment, A::cancel_by_buyer, S::cancelled},
    Transition{S::pending_payment, A::cancel_by_platform, S::cancelled},
    Transition{S::pending_payment, A::cancel_on_payment_timeout, S::cancelled},
    // A paid sub-order can be cancelled (and refunded) only before anything shipped.
    Transition{S::paid, A::cancel_by_buyer, S::cancelled},
    Transition{S::paid, A::cancel_by_seller, S::cancelled},
    Transition{S::paid, A::cancel_by_platform, S::cancelled},
    Transition{S::paid, A::ship_some, S::partially_shipped},
    Transition{S::paid, A::ship_rest, S::shipped},
    Transition{S::partially_shipped, A::ship_some, S::partially_shipped},
    Transition{S::partially_shipped, A::ship_rest, S::shipped},
    Transition{S::shipped, A::confirm_receipt, S::received},
    Transition{S::shipped, A::receive_automatically, S::received},
    Transition{S::received, A::complete, S::completed},
    Transition{S::received, A::close_refunded, S::refunded},
};

}  // namespace

std::string_view sub_order_action_name(SubOrderAction action) noexcept {
    switch (action) {
        case A::capture_payment: return "pay";
        case A::cancel_by_buyer: return "cancel by the buyer";
        case A::cancel_by_seller: return "cancel by the seller";
        case A::cancel_by_platform: return "cancel by the platform";
        case A::cancel_on_payment_timeout: return "cancel on payment timeout";
        case A::ship_some: return "ship part";
        case A::ship_rest: return "ship";
        case A::confirm_receipt: return "confirm receipt";
        case A::receive_automatically: return "receive automatically";
        case A::complete: return "complete";
        case A::close_refunded: return "close as refunded";
    }
    return "unknown";
}

std::optional<SubOrderStatus> next_status(SubOrderStatus from, SubOrderAction action) noexcept {
    for (const auto& t : transitions)
        if (t.from == from && t.action == action) return t.to;
    return std::nullopt;
}

SubOrderStatus require_transition(SubOrderId sub_order, SubOrderStatus from, SubOrderAction action) {
    if (const auto to = next_status(from, action)) return *to;
    std::string allowed;
    for (const auto& t : transitions) {
        if (t.from != from) continue;
        allowed += allowed.empty() ? "" : ", ";
        allowed += sub_order_action_name(t.action);
    }
    throw Error(Errc::invalid_state,
                fmt::format("sub-order {} is {}: it cannot '{}' ({})", sub_order, sub_order_status_name(from),
                            sub_order_action_name(action),
                            allowed.empty() ? std::string("nothing more can happen to it")
                                            : fmt::format("what it can do now: {}", allowed)));
}

SubOrderAction cancel_action(CancelCause cause) noexcept {
    switch (cause) {
        case CancelCause::buyer: return A::cancel_by_buyer;
        case CancelCause::seller: return A::cancel_by_seller;
        case CancelCause::platform: return A::cancel_by_platform;
        case CancelCause::payment_timeout: return A::cancel_on_payment_timeout;
    }
    return A::cancel_by_platform;
}

}  // namespace souk::detail
