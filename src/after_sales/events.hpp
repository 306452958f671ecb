// After-sales events. The refunds they lead to are the orders' RefundRequested events, emitted
// by the same command; these events name the refund.
#pragma once

#include <string>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "souk/after_sales.hpp"

namespace souk::detail {

struct AfterSalesLineFields {
    SkuId sku;
    std::int64_t quantity = 0;
    Money amount;
    template <class V> void visit(V&& v) { v("sku", sku), v("quantity", quantity), v("amount", amount); }
};

struct AfterSalesRequested {
    static constexpr EventKind kind = EventKind::after_sales_requested;
    static constexpr std::string_view name = "AfterSalesRequested";
    static constexpr std::uint8_t version = 1;
    AfterSalesId after_sales;
    SubOrderId sub_order;
    PaymentOrderId order;
    ShopId shop;
    UserId customer;
    AfterSalesKind request_kind{};
    std::vector<AfterSalesLineFields> lines;
    Money shipping;
    Money amount;
    std::string reason;
    std::vector<std::string> evidence;
    Timestamp respond_by{};
    template <class V> void visit(V&& v) {
        v("after_sales", after_sales), v("sub_order", sub_order), v("order", order), v("shop", shop),
            v("customer", customer), v("kind", request_kind), v("lines", lines), v("shipping", shipping),
            v("amount", amount), v("reason", reason), v("evidence", evidence), v("respond_by", respond_by);
    }
    void apply(State& state, const EventContext& context) const;
};

// Approved or rejected. An approved refund only names its refund (zero if nothing was left to
// refund) and is refunded; an approved return waits for the goods.
struct AfterSalesDecided {
    static constexpr EventKind kind = EventKind::after_sales_decided;
    static constexpr std::string_view name = "AfterSalesDecided";
    static constexpr std::uint8_t version = 1;
    AfterSalesId after_sales;
    bool approved = false;
    DecidedBy decided_by{};
    bool arbitrated = false;
    std::string reason;
    RefundId refund;
    template <class V> void visit(V&& v) {
        v("after_sales", after_sales), v("approved", approved), v("decided_by", decided_by),
            v("arbitrated", arbitrated), v("reason", reason), v("refund", refund);
    }
    void apply(State& state, const EventContext& context) const;
};

struct AfterSalesReturnShipped {
    static constexpr EventKind kind = EventKind::after_sales_return_shipped;
    static constexpr std::string_view name = "AfterSalesReturnShipped";
    static constexpr std::uint8_t version = 1;
    AfterSalesId after_sales;
    std::string carrier;
    std::string tracking_number;
    template <class V> void visit(V&& v) {
        v("after_sales", after_sales), v("carrier", carrier), v("tracking_number", tracking_number);
    }
    void apply(State& state, const EventContext& context) const;
};

struct AfterSalesReturnReceived {
    static constexpr EventKind kind = EventKind::after_sales_return_received;
    static constexpr std::string_view name = "AfterSalesReturnReceived";
    static constexpr std::uint8_t version = 1;
    AfterSalesId after_sales;
    bool sellable = false;
    RefundId refund;  // zero if nothing was left to refund
    template <class V> void visit(V&& v) { v("after_sales", after_sales), v("sellable", sellable), v("refund", refund); }
    void apply(State& state, const EventContext& context) const;
};

struct AfterSalesWithdrawn {
    static constexpr EventKind kind = EventKind::after_sales_withdrawn;
    static constexpr std::string_view name = "AfterSalesWithdrawn";
    static constexpr std::uint8_t version = 1;
    AfterSalesId after_sales;
    template <class V> void visit(V&& v) { v("after_sales", after_sales); }
    void apply(State& state, const EventContext& context) const;
};

using AfterSalesEvents = EventList<AfterSalesRequested, AfterSalesDecided, AfterSalesReturnShipped,
                                   AfterSalesReturnReceived, AfterSalesWithdrawn>;

}  // namespace souk::detail
