// Orders state: payment orders, sub-orders, refunds, payment alerts, and the deadline index
// that tick walks.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/multi_index/composite_key.hpp>
#include <boost/multi_index/hashed_index.hpp>
#include <boost/multi_index/member.hpp>
#include <boost/multi_index/ordered_index.hpp>
#include <boost/multi_index_container.hpp>

#include "souk/cart.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"
#include "souk/orders.hpp"

namespace souk::detail {

struct PaymentAttemptRecord {
    std::uint32_t number = 0;
    std::string provider;
    std::string idempotency_key;
    Money amount;
    PaymentAttemptStatus status = PaymentAttemptStatus::started;
    std::string provider_payment_id;
    ClientAction action;
    Timestamp started_at{};
};

// What a place request asked for, to tell a retry from another request under the same key.
struct PlacedRequest {
    AddressId address;
    bool from_cart = false;
    std::vector<LineRequest> lines;  // merged by SKU, in SKU order
    std::optional<Money> expected_total;
};

struct PaymentOrderRecord {
    PaymentOrderId id;
    UserId customer;
    std::string idempotency_key;
    PlacedRequest request;
    PostalAddress address;
    Money total;
    PaymentOrderStatus status = PaymentOrderStatus::pending_payment;
    std::vector<SubOrderId> sub_orders;
    std::vector<PaymentAttemptRecord> attempts;  // attempt n at index n - 1
    std::uint32_t paid_by = 0;                   // the attempt whose capture paid the order
    std::vector<RefundId> reversals;
    Timestamp placed_at{};
    Timestamp payment_deadline{};
    std::optional<Timestamp> paid_at;
    std::optional<Timestamp> cancelled_at;

    const PaymentAttemptRecord* attempt(std::uint32_t number) const {
        return number >= 1 && number <= attempts.size() ? &attempts[number - 1] : nullptr;
    }
};

struct SubOrderRecord {
    SubOrderId id;
    PaymentOrderId order;
    ShopId shop;
    UserId customer;
    SubOrderStatus status = SubOrderStatus::pending_payment;
    PostalAddress address;
    std::vector<OrderLine> lines;
    Money subtotal;
    Money discount;
    Money shipping_fee;
    Money payable;
    Money refunded;
    Money shipping_refunded;
    ReservationId reservation;
    std::vector<Shipment> shipments;
    std::vector<RefundId> refunds;
    Timestamp placed_at{};
    std::optional<Timestamp> paid_at;
    std::optional<Timestamp> shipped_at;
    std::optional<Timestamp> received_at;
    std::optional<Timestamp> completed_at;
    std::optional<Timestamp> cancelled_at;
    std::optional<CancelCause> cancel_cause;
    std::string cancel_reason;
    std::optional<Timestamp> deadline;  // automatic receipt or completion (the payment deadline is the order's)
    std::optional<Timestamp> review_until;

    const OrderLine* line(SkuId sku) const {
        for (const auto& l : lines)
            if (l.sku == sku) return &l;
        return nullptr;
    }
};

// What tick does when a deadline is due.
enum class DeadlineKind : std::uint8_t { payment = 1, receipt = 2, completion = 3 };

struct Deadline {
    Timestamp due{};
    DeadlineKind kind{};
    std::uint64_t id = 0;  // the payment order's for `payment`, else the sub-order's
    friend auto operator<=>(const Deadline&, const Deadline&) = default;
};

struct by_order_id {};
struct by_order_customer {};
struct by_sub_order_id {};
struct by_sub_order_shop {};
struct by_sub_order_customer {};
struct by_sub_order_status {};
struct by_sub_order_placed {};

namespace bmi = boost::multi_index;

using PaymentOrderTable = bmi::multi_index_container<
    PaymentOrderRecord,
    bmi::indexed_by<
        bmi::hashed_unique<bmi::tag<by_order_id>, bmi::member<PaymentOrderRecord, PaymentOrderId, &PaymentOrderRecord::id>,
                           std::hash<PaymentOrderId>>,
        bmi::ordered_unique<
            bmi::tag<by_order_customer>,
            bmi::composite_key<PaymentOrderRecord, bmi::member<PaymentOrderRecord, UserId, &PaymentOrderRecord::customer>,
                               bmi::member<PaymentOrderRecord, Timestamp, &PaymentOrderRecord::placed_at>,
                               bmi::member<PaymentOrderRecord, PaymentOrderId, &PaymentOrderRecord::id>>>>>;

using SubOrderTable = bmi::multi_index_container<
    SubOrderRecord,
    bmi::indexed_by<
        bmi::hashed_unique<bmi::tag<by_sub_order_id>, bmi::member<SubOrderRecord, SubOrderId, &SubOrderRecord::id>,
                           std::hash<SubOrderId>>,
        bmi::ordered_unique<bmi::tag<by_sub_order_shop>,
                            bmi::composite_key<SubOrderRecord, bmi::member<SubOrderRecord, ShopId, &SubOrderRecord::shop>,
                                               bmi::member<SubOrderRecord, Timestamp, &SubOrderRecord::placed_at>,
                                               bmi::member<SubOrderRecord, SubOrderId, &SubOrderRecord::id>>>,
        bmi::ordered_unique<
            bmi::tag<by_sub_order_customer>,
            bmi::composite_key<SubOrderRecord, bmi::member<SubOrderRecord, UserId, &SubOrderRecord::customer>,
                               bmi::member<SubOrderRecord, Timestamp, &SubOrderRecord::placed_at>,
                               bmi::member<SubOrderRecord, SubOrderId, &SubOrderRecord::id>>>,
        bmi::ordered_unique<
            bmi::tag<by_sub_order_status>,
            bmi::composite_key<SubOrderRecord, bmi::member<SubOrderRecord, SubOrderStatus, &SubOrderRecord::status>,
                               bmi::member<SubOrderRecord, Timestamp, &SubOrderRecord::placed_at>,
                               bmi::member<SubOrderRecord, SubOrderId, &SubOrderRecord::id>>>,
        bmi::ordered_unique<
            bmi::tag<by_sub_order_placed>,
            bmi::composite_key<SubOrderRecord, bmi::member<SubOrderRecord, Timestamp, &SubOrderRecord::placed_at>,
                               bmi::member<SubOrderRecord, SubOrderId, &SubOrderRecord::id>>>>>;

struct OrdersState {
    PaymentOrderTable orders;
    SubOrderTable sub_orders;
    std::map<RefundId, RefundInfo> refunds;
    std::vector<PaymentAlert> alerts;
    std::set<Deadline> deadlines;
    // (customer, idempotency key) → the order placed with it.
    std::map<std::pair<UserId, std::string>, PaymentOrderId> placed_keys;
    std::unordered_map<UserId, std::size_t> unpaid_orders;
    // (provider, provider_event_id) of every notification acted on.
    std::set<std::pair<std::string, std::string>> handled_events;
    // (provider, provider_payment_id) → the order whose attempt it is.
    std::map<std::pair<std::string, std::string>, PaymentOrderId> payments;
    std::map<std::string, RefundId> refund_keys;
    std::set<RefundId> unsubmitted_refunds;  // requested, the provider has not accepted them yet
    // tracking number → (sub-order, shipment number) of every shipment.
    std::multimap<std::string, std::pair<SubOrderId, std::uint32_t>> shipments_by_tracking;
    std::uint64_t last_order = 0;
    std::uint64_t last_sub_order = 0;
    std::uint64_t last_refund = 0;

    const PaymentOrderRecord* find(PaymentOrderId id) const {
        const auto it = orders.find(id);
        return it == orders.end() ? nullptr : &*it;
    }
    const SubOrderRecord* find(SubOrderId id) const {
        const auto it = sub_orders.find(id);
        return it == sub_orders.end() ? nullptr : &*it;
    }
    const RefundInfo* find(RefundId id) const {
        const auto it = refunds.find(id);
        return it == refunds.end() ? nullptr : &it->second;
    }
};

}  // namespace souk::detail
