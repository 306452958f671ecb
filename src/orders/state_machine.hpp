// The sub-order state machine: one table of every legal transition.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "souk/ids.hpp"
#include "souk/orders.hpp"

namespace souk::detail {

enum class SubOrderAction : std::uint8_t {
    capture_payment,            // the payment order was paid
    cancel_by_buyer,
    cancel_by_seller,
    cancel_by_platform,
    cancel_on_payment_timeout,
    ship_some,                  // a shipment that leaves units to ship
    ship_rest,                  // a shipment after which every unit has shipped
    confirm_receipt,            // by the buyer
    receive_automatically,      // the automatic-receipt deadline passed
    complete,                   // the after-sales window closed
    close_refunded,             // the after-sales window closed on a sub-order refunded in full
};

inline constexpr std::array all_sub_order_actions = {
    SubOrderAction::capture_payment,  SubOrderAction::cancel_by_buyer,           SubOrderAction::cancel_by_seller,
    SubOrderAction::cancel_by_platform, SubOrderAction::cancel_on_payment_timeout, SubOrderAction::ship_some,
    SubOrderAction::ship_rest,        SubOrderAction::confirm_receipt,           SubOrderAction::receive_automatically,
    SubOrderAction::complete,         SubOrderAction::close_refunded,
};

inline constexpr std::array all_sub_order_statuses = {
    SubOrderStatus::pending_payment, SubOrderStatus::paid,      SubOrderStatus::partially_shipped,
    SubOrderStatus::shipped,         SubOrderStatus::received,  SubOrderStatus::completed,
    SubOrderStatus::cancelled,       SubOrderStatus::refunded,
};

std::string_view sub_order_action_name(SubOrderAction action) noexcept;

// Where `action` takes a sub-order in `from`, or nullopt if it is illegal there.
std::optional<SubOrderStatus> next_status(SubOrderStatus from, SubOrderAction action) noexcept;

// next_status, or Error(invalid_state) saying what is allowed from `from` instead.
SubOrderStatus require_transition(SubOrderId sub_order, SubOrderStatus from, SubOrderAction action);

// The cancelling action of each cause.
SubOrderAction cancel_action(CancelCause cause) noexcept;
// Completed, or closed as refunded: the after-sales window has closed and the ledger moved the
// sub-order's money out of escrow.
constexpr bool window_closed(SubOrderStatus status) noexcept {
    return status == SubOrderStatus::completed || status == SubOrderStatus::refunded;
}

}  // namespace souk::detail
