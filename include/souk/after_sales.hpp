// souk — after-sales: a buyer's refund or return request on lines of a paid sub-order, the
// seller's decision, the platform's arbitration, the return shipment and the refund.
//
//   requested ──approve (seller, platform, or the response deadline)──▶ approved
//       │                                       refund only: refunded at once ─┘ │ return: the buyer
//       │ reject (seller, platform)                                             ▼ ships it back
//       ▼                                                                return_shipped
//   rejected ──arbitrate: approve (platform)──▶ approved                        │ the seller receives it
//   requested | approved (nothing shipped back yet) ──withdraw (buyer)──▶ withdrawn ▼
//                                                                            refunded
// See docs/fulfilment.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "souk/actor.hpp"
#include "souk/clock.hpp"
#include "souk/ids.hpp"
#include "souk/money.hpp"
#include "souk/paging.hpp"

namespace souk {

namespace detail {
class Kernel;
struct TradePolicies;
}
class Orders;

// Stable values: they are journaled.
enum class AfterSalesKind : std::uint8_t {
    refund_only = 1,        // the buyer keeps the goods, or they never shipped
    return_and_refund = 2,  // shipped goods go back first
};
std::string_view after_sales_kind_name(AfterSalesKind kind) noexcept;

enum class AfterSalesStatus : std::uint8_t {
    requested = 1,
    approved = 2,        // a return waits for the buyer's shipment back
    rejected = 3,
    return_shipped = 4,  // waits for the seller to receive it
    refunded = 5,        // the refund was issued (see RefundInfo for its state at the provider)
    withdrawn = 6,
};
std::string_view after_sales_status_name(AfterSalesStatus status) noexcept;

// Who decided a request.
enum class DecidedBy : std::uint8_t { seller = 1, platform = 2, deadline = 3 };
std::string_view decided_by_name(DecidedBy by) noexcept;

struct AfterSalesLine {
    SkuId sku;
    std::int64_t quantity = 0;
    friend bool operator==(const AfterSalesLine&, const AfterSalesLine&) = default;
};

struct AfterSalesRequest {
    SubOrderId sub_order;
    AfterSalesKind kind = AfterSalesKind::refund_only;
    std::vector<AfterSalesLine> lines;  // one per SKU, at least one unit each
    std::string reason;                 // 1..500 characters
    std::vector<std::string> evidence;  // at most 9 http:// or https:// URLs
    friend bool operator==(const AfterSalesRequest&, const AfterSalesRequest&) = default;
};

// A requested line with what refunding it returns: the units' share of the line's paid share.
struct AfterSalesLineInfo {
    SkuId sku;
    std::int64_t quantity = 0;
    Money amount;
    friend bool operator==(const AfterSalesLineInfo&, const AfterSalesLineInfo&) = default;
};

struct AfterSalesInfo {
    AfterSalesId id;
    SubOrderId sub_order;
    PaymentOrderId order;
    ShopId shop;
    UserId customer;
    AfterSalesKind kind{};
    AfterSalesStatus status{};
    std::vector<AfterSalesLineInfo> lines;
    Money shipping;  // the shipping fee returned with it: only when it refunds the whole sub-order unshipped
    Money amount;    // Σ lines + shipping
    std::string reason;
    std::vector<std::string> evidence;
    Timestamp requested_at{};
    Timestamp respond_by{};  // approved automatically if still requested then
    std::optional<DecidedBy> decided_by;
    std::string decision_reason;
    std::optional<Timestamp> decided_at;
    bool arbitrated = false;  // the platform overruled or settled a dispute
    std::string return_carrier;
    std::string return_tracking_number;
    std::optional<Timestamp> return_shipped_at;
    std::optional<Timestamp> return_received_at;
    bool returned_sellable = false;  // the returned units went back on hand
    std::optional<RefundId> refund;
    friend bool operator==(const AfterSalesInfo&, const AfterSalesInfo&) = default;
};

struct AfterSalesFilter {
    std::optional<AfterSalesStatus> status;
    friend bool operator==(const AfterSalesFilter&, const AfterSalesFilter&) = default;
};

// The after-sales service. The buyer requests, ships back and withdraws; the shop's owner and
// staff decide and receive returns; platform staff may do what the shop does and arbitrate.
// A sub-order with an open request (requested, approved or return_shipped) does not complete
// until the request is closed; its after-sales window then closes at the next tick.
//
// Thread-safety: like every service, any number of threads may call it at once.
class AfterSales {
public:
    static constexpr std::size_t max_evidence = 9;

    // The buyer asks for a refund of units of lines of a paid sub-order that is not completed
    // or cancelled, while no other request of it is open. A refund only covers shipped units,
    // or everything of a sub-order nothing of which shipped (its shipping fee too); a return
    // covers shipped units. Units already covered by another request that was not rejected or
    // withdrawn cannot be asked for again.
    AfterSalesId request(const Actor& customer, const AfterSalesRequest& request);
    // The shop (or platform staff) approves a requested request. A refund only is refunded at
    // once (the whole unshipped sub-order is cancelled instead, which refunds it); a return
    // waits for the goods. reason: 0..500 characters.
    void approve(const Actor& actor, AfterSalesId id, const std::string& reason);
    // The shop (or platform staff) rejects a requested request; reason: 1..500 characters.
    void reject(const Actor& actor, AfterSalesId id, const std::string& reason);
    // Platform staff settle a dispute: approve a requested or rejected request, or reject a
    // requested or approved one (before anything shipped back). The sub-order must not be
    // completed. reason: 1..500 characters.
    void arbitrate(const Actor& actor, AfterSalesId id, bool approve, const std::string& reason);
    // The buyer ships an approved return back.
    void ship_return(const Actor& customer, AfterSalesId id, const std::string& carrier,
                     const std::string& tracking_number);
    // The shop (or platform staff) received the return; sellable units go back on hand. The
    // refund is issued through the provider that took the payment.
    void receive_return(const Actor& actor, AfterSalesId id, bool sellable);
    // The buyer withdraws a request that is requested, or approved and not shipped back.
    void withdraw(const Actor& customer, AfterSalesId id);

    // Approves every request whose response deadline passed at or before `now`. Returns how
    // many. Runs as the system; Marketplace::tick calls it.
    std::size_t tick(Timestamp now);

    // The buyer, the shop's members and platform staff.
    AfterSalesInfo info(const Actor& actor, AfterSalesId id) const;
    std::vector<AfterSalesInfo> of_sub_order(const Actor& actor, SubOrderId sub_order) const;
    // Newest first. The shop's members and platform staff.
    std::vector<AfterSalesInfo> of_shop(const Actor& actor, ShopId shop, const AfterSalesFilter& filter = {},
                                        Page page = {}) const;
    // Newest first. The customer themself and platform staff.
    std::vector<AfterSalesInfo> of_customer(const Actor& actor, UserId customer, const AfterSalesFilter& filter = {},
                                            Page page = {}) const;

private:
    friend class Marketplace;
    AfterSales(detail::Kernel& kernel, const detail::TradePolicies& policies, Orders& orders)
        : kernel_(&kernel), policies_(&policies), orders_(&orders) {}
    // Decides a requested (or, by the platform, rejected or approved) request; sends its refund.
    void decide(const Actor& actor, AfterSalesId id, bool approve, const std::string& reason, bool arbitration);

    detail::Kernel* kernel_;
    const detail::TradePolicies* policies_;
    Orders* orders_;
};

}  // namespace souk
