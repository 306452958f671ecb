#include "souk/payment.hpp"

namespace souk {

std::string_view to_string(ClientAction::Kind kind) noexcept {
    switch (kind) {
        case ClientAction::Kind::none: return "none";
        case ClientAction::Kind::redirect: return "redirect";
        case ClientAction::Kind::qr_code: return "qr_code";
    }
    return "unknown";
}

std::string_view to_string(PaymentStatus status) noexcept {
    switch (status) {
        case PaymentStatus::pending: return "pending";
        case PaymentStatus::captured: return "captured";
        case PaymentStatus::declined: return "declined";
    }
    return "unknown";
}

std::string_view to_string(RefundStatus status) noexcept {
    switch (status) {
        case RefundStatus::pending: return "pending";
        case RefundStatus::succeeded: return "succeeded";
        case RefundStatus::failed: return "failed";
    }
    return "unknown";
}

std::string_view to_string(PaymentEventKind kind) noexcept {
    switch (kind) {
        case PaymentEventKind::captured: return "captured";
        case PaymentEventKind::declined: return "declined";
        case PaymentEventKind::refunded: return "refunded";
        case PaymentEventKind::refund_failed: return "refund_failed";
    }
    return "unknown";
}

}  // namespace souk
