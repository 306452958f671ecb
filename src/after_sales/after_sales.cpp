// After-sales: requests, decisions, arbitration, returns, and the refunds they issue through
// the orders' refund events.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "after_sales/events.hpp"
#include "cart/access.hpp"
#include "cart/pricing.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "orders/commands.hpp"
#include "souk/after_sales.hpp"
#include "souk/error.hpp"
#include "souk/orders.hpp"
#include "validate.hpp"

namespace souk {
namespace {

using detail::State;
using detail::SubOrderRecord;

[[noreturn]] void invalid(const std::string& message) { throw Error(Errc::invalid_argument, message); }

const AfterSalesInfo& request_or_throw(const State& s, AfterSalesId id) {
    const auto* request = s.after_sales.find(id);
    if (!request) throw Error(Errc::not_found, fmt::format("no after-sales request {}", id));
    return *request;
}

// The shop's members or platform staff: who decides and receives returns.
void require_handler(const State& s, const Actor& actor, const AfterSalesInfo& request, std::string_view action) {
    if (detail::is_shop_member(s, request.shop, actor) || detail::is_platform_staff(s, actor)) return;
    throw Error(Errc::forbidden, fmt::format("only shop {} and platform staff may {} after-sales request {}",
                                             request.shop, action, request.id));
}

void require_requester(const State& s, const Actor& actor, const AfterSalesInfo& request, std::string_view action) {
    if (!detail::is_buyer(s, actor, request.customer))
        throw Error(Errc::forbidden, fmt::format("only the buyer may {} after-sales request {}", action, request.id));
}

void require_status(const AfterSalesInfo& request, std::initializer_list<AfterSalesStatus> allowed, std::string_view action) {
    if (std::find(allowed.begin(), allowed.end(), request.status) != allowed.end()) return;
    throw Error(Errc::invalid_state, fmt::format("after-sales request {} is {}: it cannot be {}", request.id,
                                                 after_sales_status_name(request.status), action));
}

// Units of a line that requests not rejected or withdrawn already cover.
std::int64_t covered_units(const State& s, SubOrderId sub_order, SkuId sku) {
    std::int64_t units = 0;
    const auto it = s.after_sales.by_sub_order.find(sub_order);
    if (it == s.after_sales.by_sub_order.end()) return 0;
    for (const auto id : it->second) {
        const auto& request = *s.after_sales.find(id);
        if (request.status == AfterSalesStatus::rejected || request.status == AfterSalesStatus::withdrawn) continue;
        for (const auto& line : request.lines)
            if (line.sku == sku) units += line.quantity;
    }
    return units;
}

void require_open_sub_order(const SubOrderRecord& sub_order) {
    const auto status = sub_order.status;
    if (!sub_order.paid_at || status == SubOrderStatus::completed || status == SubOrderStatus::cancelled ||
        status == SubOrderStatus::refunded)
        throw Error(Errc::invalid_state, fmt::format("sub-order {} is {}: after-sales takes paid sub-orders that are not "
                                                     "completed, cancelled or refunded",
                                                     sub_order.id, sub_order_status_name(status)));
}

void check_request(const AfterSalesRequest& request) {
    detail::require_paragraph("after-sales reason", request.reason, 1, 500);
    detail::require_web_urls("evidence", request.evidence, AfterSales::max_evidence);
    if (request.kind != AfterSalesKind::refund_only && request.kind != AfterSalesKind::return_and_refund)
        invalid("unknown after-sales kind");
    if (request.lines.empty()) invalid("an after-sales request needs at least one line");
    std::set<SkuId> seen;
    for (const auto& line : request.lines) {
        if (line.quantity < 1) invalid(fmt::format("an after-sales line of SKU {} needs at least one unit", line.sku));
        if (!seen.insert(line.sku).second) invalid(fmt::format("SKU {} appears twice in one request", line.sku));
    }
}

// The event for `request`: each line's amount is its units' share of the line's paid share,
// so that requests covering every unit return exactly the paid share; never more than what
// is left to refund of the line.
detail::AfterSalesRequested requested_event(const State& s, const SubOrderRecord& sub_order,
                                            const AfterSalesRequest& request) {
    const bool nothing_shipped = sub_order.shipments.empty();
    detail::AfterSalesRequested event;
    event.sub_order = sub_order.id;
    event.order = sub_order.order;
    event.shop = sub_order.shop;
    event.customer = sub_order.customer;
    event.request_kind = request.kind;
    event.reason = request.reason;
    event.evidence = request.evidence;
    event.amount = event.shipping = Money::zero(sub_order.payable.currency());
    bool everything = nothing_shipped;
    for (const auto& line : sub_order.lines) {
        const auto asked = std::find_if(request.lines.begin(), request.lines.end(),
                                        [&](const auto& l) { return l.sku == line.sku; });
        const std::int64_t covered = covered_units(s, sub_order.id, line.sku);
        const std::int64_t units = asked == request.lines.end() ? 0 : asked->quantity;
        everything = everything && covered + units == line.quantity;
        if (units == 0) continue;
        const std::int64_t limit = nothing_shipped ? line.quantity : line.shipped;
        if (covered + units > limit)
            throw Error(Errc::limit_exceeded,
                        fmt::format("SKU {} of sub-order {}: {} units {}, {} of them already requested; not {} more",
                                    line.sku, sub_order.id, limit, nothing_shipped ? "ordered" : "shipped", covered,
                                    units));
        const Money share = line.paid_share.scaled(covered + units, line.quantity) -
                            line.paid_share.scaled(covered, line.quantity);
        const Money amount = std::min(share, line.paid_share - line.refunded);
        event.lines.push_back({line.sku, units, amount});
        event.amount += amount;
    }
    for (const auto& line : request.lines)
        if (!sub_order.line(line.sku))
            invalid(fmt::format("sub-order {} has no line of SKU {}", sub_order.id, line.sku));
    if (nothing_shipped && !everything)
        throw Error(Errc::invalid_state,
                    fmt::format("nothing of sub-order {} shipped yet: a request covers all of it (or cancel it)",
                                sub_order.id));
    if (nothing_shipped && request.kind == AfterSalesKind::return_and_refund)
        throw Error(Errc::invalid_state,
                    fmt::format("nothing of sub-order {} shipped: there is nothing to return", sub_order.id));
    if (everything) {
        event.shipping = sub_order.shipping_fee - sub_order.shipping_refunded;
        event.amount += event.shipping;
    }
    return event;
}

// Issues the refund an approved refund-only request or a received return owes; returns it
// (zero if nothing was left to refund). A request for a whole sub-order that still has not
// shipped cancels it instead, which refunds everything and puts the units back on hand.
RefundId issue_refund(const State& s, detail::EventSink& out, detail::StockMoves& stock, const AfterSalesInfo& request,
                      CancelCause cause) {
    const auto& sub_order = *s.orders.find(request.sub_order);
    const std::string reason = fmt::format("after-sales request {}: {}", request.id, request.reason);
    if (!request.shipping.is_zero() && sub_order.status == SubOrderStatus::paid)
        return detail::cancel_paid(s, out, stock, sub_order, cause, reason).value_or(RefundId{});
    const auto& order = *s.orders.find(sub_order.order);
    const auto& paid_by = *order.attempt(order.paid_by);
    detail::RefundRequested refund;
    refund.order = order.id;
    refund.sub_order = sub_order.id;
    refund.refund_kind = RefundKind::lines;
    refund.shipping = Money::zero(sub_order.payable.currency());
    refund.amount = refund.shipping;
    for (const auto& line : request.lines) {
        const auto* ordered = sub_order.line(line.sku);
        const Money amount = std::min(line.amount, ordered->paid_share - ordered->refunded);
        if (amount.minor_units() <= 0) continue;
        refund.lines.push_back({line.sku, amount});
        refund.amount += amount;
    }
    if (refund.amount.is_zero()) return RefundId{};
    refund.provider = paid_by.provider;
    refund.provider_payment_id = paid_by.provider_payment_id;
    refund.reason = reason;
    return detail::emit_refund(s, out, std::move(refund));
}

// Emits the decision and, for an approved refund only, its refund; returns the refund.
RefundId emit_decision(const State& s, detail::EventSink& out, const AfterSalesInfo& request, bool approve,
                       DecidedBy by, bool arbitration, const std::string& reason) {
    RefundId refund;
    if (approve && request.kind == AfterSalesKind::refund_only) {
        detail::StockMoves stock(s, out);
        refund = issue_refund(s, out, stock, request, by == DecidedBy::seller ? CancelCause::seller : CancelCause::platform);
    }
    out.emit(detail::AfterSalesDecided{request.id, approve, by, arbitration, reason, refund});
    return refund;
}

template <class Index, class Key>
std::vector<AfterSalesInfo> newest_of(const State& s, const Index& index, Key key, const AfterSalesFilter& filter,
                                      const Page& page) {
    std::vector<AfterSalesInfo> result;
    std::size_t skipped = 0;
    auto it = index.lower_bound({key, AfterSalesId{~std::uint64_t{0}}});
    while (it != index.begin() && result.size() < page.limit) {
        --it;
        if (it->first != key) break;
        const auto& request = *s.after_sales.find(it->second);
        if (filter.status && request.status != *filter.status) continue;
        if (skipped++ < page.offset) continue;
        result.push_back(request);
    }
    return result;
}

}  // namespace

std::string_view after_sales_kind_name(AfterSalesKind kind) noexcept {
    switch (kind) {
        case AfterSalesKind::refund_only: return "refund_only";
        case AfterSalesKind::return_and_refund: return "return_and_refund";
    }
    return "unknown";
}

std::string_view after_sales_status_name(AfterSalesStatus status) noexcept {
    switch (status) {
        case AfterSalesStatus::requested: return "requested";
        case AfterSalesStatus::approved: return "approved";
        case AfterSalesStatus::rejected: return "rejected";
        case AfterSalesStatus::return_shipped: return "return_shipped";
        case AfterSalesStatus::refunded: return "refunded";
        case AfterSalesStatus::withdrawn: return "withdrawn";
    }
    return "unknown";
}

std::string_view decided_by_name(DecidedBy by) noexcept {
    switch (by) {
        case DecidedBy::seller: return "seller";
        case DecidedBy::platform: return "platform";
        case DecidedBy::deadline: return "deadline";
    }
    return "unknown";
}

AfterSalesId AfterSales::request(const Actor& customer, const AfterSalesRequest& request) {
    check_request(request);
    return kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& sub_order = detail::sub_order_or_throw(s, request.sub_order);
        if (!detail::is_buyer(s, customer, sub_order.customer))
            throw Error(Errc::forbidden, fmt::format("only the buyer may ask for after-sales on sub-order {}", sub_order.id));
        require_open_sub_order(sub_order);
        if (const auto it = s.after_sales.open.find(sub_order.id); it != s.after_sales.open.end())
            throw Error(Errc::conflict, fmt::format("after-sales request {} of sub-order {} is still open: wait for it "
                                                    "or withdraw it",
                                                    it->second, sub_order.id));
        auto event = requested_event(s, sub_order, request);
        event.after_sales = AfterSalesId{s.after_sales.last_request + 1};
        event.respond_by = out.now() + policies_->after_sales_response;
        out.emit(event);
        return event.after_sales;
    });
}

void AfterSales::decide(const Actor& actor, AfterSalesId id, bool approve, const std::string& reason, bool arbitration) {
    const auto refund = kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& request = request_or_throw(s, id);
        if (arbitration) {
            detail::require_platform_staff(s, actor, "arbitrate after-sales requests");
            if (approve)
                require_status(request, {AfterSalesStatus::requested, AfterSalesStatus::rejected}, "approved");
            else
                require_status(request, {AfterSalesStatus::requested, AfterSalesStatus::approved}, "rejected");
            require_open_sub_order(*s.orders.find(request.sub_order));
            if (const auto it = s.after_sales.open.find(request.sub_order); it != s.after_sales.open.end() && it->second != id)
                throw Error(Errc::conflict, fmt::format("after-sales request {} of sub-order {} is open: settle it first",
                                                        it->second, request.sub_order));
        } else {
            require_handler(s, actor, request, approve ? "approve" : "reject");
            require_status(request, {AfterSalesStatus::requested}, approve ? "approved" : "rejected");
        }
        const auto by = detail::is_shop_member(s, request.shop, actor) ? DecidedBy::seller : DecidedBy::platform;
        return emit_decision(s, out, request, approve, by, arbitration, reason);
    });
    if (refund) orders_->submit_refund(refund);
}

void AfterSales::approve(const Actor& actor, AfterSalesId id, const std::string& reason) {
    detail::require_paragraph("decision reason", reason, 0, 500);
    decide(actor, id, true, reason, false);
}

void AfterSales::reject(const Actor& actor, AfterSalesId id, const std::string& reason) {
    detail::require_paragraph("rejection reason", reason, 1, 500);
    decide(actor, id, false, reason, false);
}

void AfterSales::arbitrate(const Actor& actor, AfterSalesId id, bool approve, const std::string& reason) {
    detail::require_paragraph("arbitration reason", reason, 1, 500);
    decide(actor, id, approve, reason, true);
}

void AfterSales::ship_return(const Actor& customer, AfterSalesId id, const std::string& carrier,
                             const std::string& tracking_number) {
    detail::require_text("carrier", carrier, 1, 40);
    detail::require_tracking_number(tracking_number);
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& request = request_or_throw(s, id);
        require_requester(s, customer, request, "ship back");
        if (request.kind != AfterSalesKind::return_and_refund)
            throw Error(Errc::invalid_state, fmt::format("after-sales request {} is a refund only: nothing goes back", id));
        require_status(request, {AfterSalesStatus::approved}, "shipped back");
        out.emit(detail::AfterSalesReturnShipped{id, carrier, tracking_number});
    });
}

void AfterSales::receive_return(const Actor& actor, AfterSalesId id, bool sellable) {
    const auto refund = kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& request = request_or_throw(s, id);
        require_handler(s, actor, request, "receive the return of");
        require_status(request, {AfterSalesStatus::return_shipped}, "received");
        detail::StockMoves stock(s, out);
        if (sellable && s.shops.find(request.shop)->status != ShopStatus::closed) {
            std::vector<StockChange> back;
            for (const auto& line : request.lines) back.push_back({line.sku, line.quantity});
            stock.adjust(back, fmt::format("returned by after-sales request {}", id));
        }
        const auto refund = issue_refund(s, out, stock, request, CancelCause::seller);
        out.emit(detail::AfterSalesReturnReceived{id, sellable, refund});
        return refund;
    });
    if (refund) orders_->submit_refund(refund);
}

void AfterSales::withdraw(const Actor& customer, AfterSalesId id) {
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& request = request_or_throw(s, id);
        require_requester(s, customer, request, "withdraw");
        require_status(request, {AfterSalesStatus::requested, AfterSalesStatus::approved}, "withdrawn");
        out.emit(detail::AfterSalesWithdrawn{id});
    });
}

std::size_t AfterSales::tick(Timestamp now) {
    detail::require_not_ahead_of_clock(now, kernel_->now());
    std::size_t approved = 0;
    // One request per command: each may emit a refund, and a command emits at most one.
    for (;;) {
        const auto fired = kernel_->execute(Actor::system(), [&](const State& s, detail::EventSink& out) {
            const auto& due = s.after_sales.response_deadlines;
            if (due.empty() || due.begin()->first > now) return std::optional<RefundId>{};
            const auto& request = *s.after_sales.find(due.begin()->second);
            return std::optional(emit_decision(s, out, request, true, DecidedBy::deadline, false,
                                               "the shop did not answer before the response deadline"));
        });
        if (!fired) return approved;
        ++approved;
        if (*fired) orders_->submit_refund(*fired);
    }
}

AfterSalesInfo AfterSales::info(const Actor& actor, AfterSalesId id) const {
    return kernel_->read([&](const State& s) {
        const auto& request = request_or_throw(s, id);
        detail::require_sub_order_reader(s, actor, *s.orders.find(request.sub_order));
        return request;
    });
}

std::vector<AfterSalesInfo> AfterSales::of_sub_order(const Actor& actor, SubOrderId sub_order) const {
    return kernel_->read([&](const State& s) {
        detail::require_sub_order_reader(s, actor, detail::sub_order_or_throw(s, sub_order));
        std::vector<AfterSalesInfo> result;
        if (const auto it = s.after_sales.by_sub_order.find(sub_order); it != s.after_sales.by_sub_order.end())
            for (const auto id : it->second) result.push_back(*s.after_sales.find(id));
        return result;
    });
}

std::vector<AfterSalesInfo> AfterSales::of_shop(const Actor& actor, ShopId shop, const AfterSalesFilter& filter,
                                                Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        if (!detail::is_shop_member(s, shop, actor) && !detail::is_platform_staff(s, actor))
            throw Error(Errc::forbidden, fmt::format("only shop {} and platform staff may list its after-sales", shop));
        return newest_of(s, s.after_sales.by_shop, shop, filter, page);
    });
}

std::vector<AfterSalesInfo> AfterSales::of_customer(const Actor& actor, UserId customer, const AfterSalesFilter& filter,
                                                    Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        detail::require_self_or_staff(s, actor, customer, "see another customer's after-sales requests");
        return newest_of(s, s.after_sales.by_customer, customer, filter, page);
    });
}

}  // namespace souk
