// Orders: placing, cancelling, shipping, receiving, and the deadlines tick fires.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "cart/access.hpp"
#include "cart/pricing.hpp"
#include "catalog/lookup.hpp"
#include "group_buying/hooks.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "ledger/moves.hpp"
#include "orders/commands.hpp"
#include "orders/state_machine.hpp"
#include "payment/providers.hpp"
#include "promotions/flash_sales.hpp"
#include "promotions/pricing.hpp"
#include "souk/error.hpp"
#include "souk/orders.hpp"
#include "validate.hpp"

namespace souk {
namespace {

using detail::PaymentOrderRecord;
using detail::State;
using detail::SubOrderRecord;

// Deadlines fired per command: a long-idle marketplace catches up in several short commands.
constexpr std::size_t deadlines_per_command = 256;

void validate_key(const std::string& key) {
    const bool visible = std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 0x7f; });
    if (key.empty() || key.size() > 64 || !visible)
        throw Error(Errc::invalid_argument,
                    fmt::format("an idempotency key is 1..64 visible ASCII characters, not '{}'", key));
}

// Lines merged by SKU, in SKU order: how a placed request is compared with a retry.
std::vector<LineRequest> by_sku(const std::vector<LineRequest>& lines) {
    std::map<SkuId, std::int64_t> merged;
    for (const auto& line : lines) merged[line.sku] += line.quantity;
    std::vector<LineRequest> result;
    for (const auto& [sku, quantity] : merged) result.push_back({sku, quantity});
    return result;
}

// A place request repeated under its key must be the request that placed the order. From the
// cart, the selection the retry sees is either gone (placed, so removed) or the same lines.
void require_same_request(const State& s, const PaymentOrderRecord& order, const PlaceRequest& request) {
    const auto& placed = order.request;
    const bool from_cart = request.checkout.buy_now.empty();
    bool same = placed.address == request.checkout.address && placed.from_cart == from_cart &&
                placed.expected_total == request.expected_total;
    if (same && from_cart) {
        std::vector<LineRequest> selected;
        if (const auto* cart = s.cart.cart_of(order.customer))
            for (const auto& line : cart->lines)
                if (line.selected) selected.push_back({line.sku, line.quantity});
        same = selected.empty() || by_sku(selected) == placed.lines;
    } else if (same) {
        same = by_sku(request.checkout.buy_now) == placed.lines;
    }
    if (!same)
        throw Error(Errc::conflict, fmt::format("idempotency key '{}' already placed order {} for another request; a "
                                                "new checkout needs a new key",
                                                order.idempotency_key, order.id));
}

std::vector<detail::OrderLineFields> line_fields(const ShopQuote& shop) {
    std::vector<detail::OrderLineFields> fields;
    for (const auto& l : shop.lines)
        fields.push_back({l.sku, l.product, l.title, l.spec, l.unit_price, l.quantity, l.line_total, l.discount});
    return fields;
}

// The discount funding and the commission rate each line is placed with.
std::vector<detail::LineTermsFields> line_terms(const State& s, const ShopQuote& shop) {
    std::vector<detail::LineTermsFields> terms;
    for (const auto& l : shop.lines)
        terms.push_back({l.platform_discount,
                         detail::product_commission_bps(s, detail::product_or_throw(s.catalog, l.product))});
    return terms;
}

// Who cancels: the buyer, else a member of the sub-order's shop, else platform staff.
CancelCause cancel_cause_of(const State& s, const Actor& actor, const SubOrderRecord& sub_order) {
    if (detail::is_buyer(s, actor, sub_order.customer)) return CancelCause::buyer;
    if (detail::is_shop_member(s, sub_order.shop, actor)) return CancelCause::seller;
    if (detail::is_platform_staff(s, actor)) return CancelCause::platform;
    throw Error(Errc::forbidden, fmt::format("only the buyer, shop {} and platform staff may cancel sub-order {}",
                                             sub_order.shop, sub_order.id));
}

// What a shipment sends: the lines asked for (merged by SKU), or everything left to ship.
std::vector<detail::SkuQuantityFields> shipment_lines(const SubOrderRecord& sub_order, const ShipmentRequest& request) {
    std::vector<detail::SkuQuantityFields> lines;
    if (request.lines.empty()) {
        for (const auto& line : sub_order.lines)
            if (line.shipped < line.quantity) lines.push_back({line.sku, line.quantity - line.shipped});
        return lines;
    }
    std::map<SkuId, std::int64_t> asked;
    for (const auto& line : request.lines) {
        if (line.quantity < 1)
            throw Error(Errc::invalid_argument, fmt::format("a shipment of SKU {} needs at least one unit", line.sku));
        asked[line.sku] += line.quantity;
    }
    for (const auto& [sku, quantity] : asked) {
        const auto* line = sub_order.line(sku);
        if (!line)
            throw Error(Errc::invalid_argument, fmt::format("sub-order {} has no line of SKU {}", sub_order.id, sku));
        if (quantity > line->quantity - line->shipped)
            throw Error(Errc::invalid_argument, fmt::format("sub-order {} has {} units of SKU {} left to ship, not {}",
                                                            sub_order.id, line->quantity - line->shipped, sku, quantity));
        lines.push_back({sku, quantity});
    }
    return lines;
}

// Every line refunded in full: the sub-order sold nothing.
bool refunded_in_full(const SubOrderRecord& sub_order) {
    return !sub_order.refunded.is_zero() &&
           std::all_of(sub_order.lines.begin(), sub_order.lines.end(),
                       [](const OrderLine& line) { return line.refunded == line.paid_share; });
}

bool ships_everything(const SubOrderRecord& sub_order, const std::vector<detail::SkuQuantityFields>& lines) {
    return std::all_of(sub_order.lines.begin(), sub_order.lines.end(), [&](const OrderLine& line) {
        std::int64_t now = 0;
        for (const auto& l : lines)
            if (l.sku == line.sku) now += l.quantity;
        return line.shipped + now == line.quantity;
    });
}

}  // namespace

PaymentOrderId Orders::place(const Actor& customer, const PlaceRequest& request) {
    validate_key(request.idempotency_key);
    return kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, customer);
        if (const auto it = s.orders.placed_keys.find({user.id, request.idempotency_key}); it != s.orders.placed_keys.end()) {
            require_same_request(s, *s.orders.find(it->second), request);
            return it->second;
        }
        if (const auto it = s.orders.unpaid_orders.find(user.id); it != s.orders.unpaid_orders.end() &&
                                                                  it->second >= max_unpaid_orders)
            throw Error(Errc::limit_exceeded, fmt::format("a customer may have at most {} unpaid orders: pay or cancel "
                                                          "one first",
                                                          max_unpaid_orders));
        const auto& address = detail::own_address(s, customer, request.checkout.address);
        const auto lines = detail::checkout_lines(s, user.id, request.checkout);
        const detail::PricingInput input{user.id, out.now(), request.checkout.coupons, request.checkout.flash_sale,
                                         request.checkout.group};
        const Quote quote = detail::price_checkout(s, *policies_, input, address.address, lines);
        if (request.expected_total && *request.expected_total != quote.total)
            throw Error(Errc::conflict, fmt::format("the order now costs {}, not the {} expected: quote it again",
                                                    quote.total, *request.expected_total));
        const PaymentOrderId id{s.orders.last_order + 1};
        const Timestamp deadline =
            out.now() + detail::payment_timeout_for(s, request.checkout.flash_sale, policies_->payment_timeout);
        const auto address_fields = detail::PostalAddressFields::from(address.address);
        const bool from_cart = request.checkout.buy_now.empty();
        out.emit(detail::OrderPlaced{id, user.id, request.idempotency_key, address.id, from_cart,
                                     request.expected_total, address_fields, quote.total, deadline});
        detail::use_coupons(out, id, request.checkout.coupons);
        detail::StockMoves stock(s, out);
        detail::take_flash_units(s, out, stock, request.checkout.flash_sale, user.id, id, quote);
        std::uint64_t next_sub_order = s.orders.last_sub_order;
        for (const auto& shop : quote.shops) {
            const SubOrderId sub_order{++next_sub_order};
            std::vector<StockLine> held;
            for (const auto& line : shop.lines) held.push_back({line.sku, line.quantity});
            const auto reservation = stock.reserve({ReservationHolder::order, sub_order.value}, held, deadline);
            out.emit(detail::SubOrderPlaced{sub_order, id, shop.shop, user.id, address_fields, line_fields(shop),
                                            shop.subtotal, shop.discount, shop.shipping, shop.payable, reservation,
                                            line_terms(s, shop)});
        }
        // A group checkout is one line of one shop: one sub-order, the first placed here.
        detail::join_group(s, out, input, id, SubOrderId{s.orders.last_sub_order + 1});
        if (from_cart) {
            std::vector<SkuId> placed;
            for (const auto& line : lines) placed.push_back(line.sku);
            out.emit(detail::CartLinesRemoved{user.id, placed, id});
        }
        return id;
    });
}

void Orders::cancel(const Actor& actor, SubOrderId sub_order, const std::string& reason) {
    detail::require_paragraph("reason", reason, 1, 500);
    const auto refund = kernel_->execute(actor, [&](const State& s, detail::EventSink& out) -> std::optional<RefundId> {
        const auto& record = detail::sub_order_or_throw(s, sub_order);
        const auto cause = cancel_cause_of(s, actor, record);
        detail::require_transition(sub_order, record.status, detail::cancel_action(cause));
        detail::StockMoves stock(s, out);
        if (record.status == SubOrderStatus::pending_payment) {
            detail::cancel_unpaid(s, out, stock, *s.orders.find(record.order), cause, reason);
            return std::nullopt;
        }
        return detail::cancel_paid(s, out, stock, record, cause, reason);
    });
    if (refund) submit_refund(*refund);
}

std::uint32_t Orders::ship(const Actor& actor, SubOrderId sub_order, const ShipmentRequest& shipment) {
    detail::require_text("carrier", shipment.carrier, 1, 40);
    const auto& tracking = shipment.tracking_number;
    detail::require_tracking_number(tracking);
    return kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::sub_order_or_throw(s, sub_order);
        detail::require_shop_member(s, record.shop, actor, fmt::format("ship sub-order {}", sub_order));
        // Both kinds of shipment are legal in the same states: check before looking at lines.
        detail::require_transition(sub_order, record.status, detail::SubOrderAction::ship_rest);
        detail::require_group_succeeded(s, record);
        const auto lines = shipment_lines(record, shipment);
        const bool everything = ships_everything(record, lines);
        const auto number = static_cast<std::uint32_t>(record.shipments.size() + 1);
        std::optional<Timestamp> receive_by;
        if (everything) receive_by = out.now() + policies_->auto_receive_after;
        out.emit(detail::SubOrderShipped{sub_order, number, shipment.carrier, tracking, lines, receive_by});
        return number;
    });
}

void Orders::confirm_receipt(const Actor& customer, SubOrderId sub_order) {
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& record = detail::sub_order_or_throw(s, sub_order);
        if (!detail::is_buyer(s, customer, record.customer))
            throw Error(Errc::forbidden, fmt::format("only the buyer may confirm receipt of sub-order {}", sub_order));
        detail::require_transition(sub_order, record.status, detail::SubOrderAction::confirm_receipt);
        out.emit(detail::SubOrderReceived{sub_order, false, out.now() + policies_->after_sales_window});
    });
}

OrdersTickReport Orders::tick(Timestamp now) {
    detail::require_not_ahead_of_clock(now, kernel_->now());
    OrdersTickReport report;
    // Each command fires what is due in the state it sees; what its events make due (a
    // receipt whose completion is already past) fires in the next one.
    for (;;) {
        const auto fired = kernel_->execute(Actor::system(), [&](const State& s, detail::EventSink& out) {
            OrdersTickReport batch;
            detail::StockMoves stock(s, out);
            std::size_t count = 0;
            for (const auto& deadline : s.orders.deadlines) {
                if (deadline.due > now || count == deadlines_per_command) break;
                // The after-sales window waits for an open request: it closes at the first tick after.
                if (deadline.kind == detail::DeadlineKind::completion && s.after_sales.has_open(SubOrderId{deadline.id}))
                    continue;
                ++count;
                switch (deadline.kind) {
                    case detail::DeadlineKind::payment:
                        detail::cancel_unpaid(s, out, stock, *s.orders.find(PaymentOrderId{deadline.id}),
                                              CancelCause::payment_timeout, "not paid before the payment deadline");
                        ++batch.cancelled;
                        break;
                    case detail::DeadlineKind::receipt:
                        out.emit(detail::SubOrderReceived{SubOrderId{deadline.id}, true,
                                                          deadline.due + policies_->after_sales_window});
                        ++batch.received;
                        break;
                    case detail::DeadlineKind::completion: {
                        const auto& sub_order = *s.orders.find(SubOrderId{deadline.id});
                        const bool refunded = refunded_in_full(sub_order);
                        detail::LedgerMoves(s, out).completed(sub_order, refunded ? "SubOrderClosedRefunded"
                                                                                  : "SubOrderCompleted");
                        if (refunded) {
                            out.emit(detail::SubOrderClosedRefunded{SubOrderId{deadline.id}});
                            ++batch.refunded;
                        } else {
                            out.emit(detail::SubOrderCompleted{SubOrderId{deadline.id},
                                                               deadline.due + policies_->review_window});
                            ++batch.completed;
                        }
                        break;
                    }
                }
            }
            return batch;
        });
        if (fired == OrdersTickReport{}) return report;
        report.cancelled += fired.cancelled;
        report.received += fired.received;
        report.completed += fired.completed;
        report.refunded += fired.refunded;
    }
}

}  // namespace souk
