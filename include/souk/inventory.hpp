// souk — inventory: stock per SKU that is never oversold.
//
// For every SKU: available = on_hand − reserved, and 0 ≤ reserved ≤ on_hand always. Units are
// reserved for a pending order (with an expiry), then either released (cancelled, expired)
// or committed (paid: the units leave on_hand and count as sold). Every operation is
// all-or-nothing across the SKUs it touches.
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
#include "souk/paging.hpp"

namespace souk {

namespace detail {
class Kernel;
}

struct StockLevel {
    SkuId sku;
    ProductId product;
    ShopId shop;
    std::int64_t on_hand = 0;    // units in stock, reserved ones included
    std::int64_t reserved = 0;   // held for pending orders
    std::int64_t available = 0;  // on_hand − reserved
    std::int64_t sold = 0;       // units committed over the SKU's life
    std::optional<std::int64_t> low_stock_threshold;
    bool dropped = false;        // no longer one of its product's SKUs: it cannot be reserved
    friend bool operator==(const StockLevel&, const StockLevel&) = default;
};

// A change to on_hand: positive for goods received, negative for shrinkage or a stock take.
struct StockChange {
    SkuId sku;
    std::int64_t delta = 0;  // non-zero, |delta| ≤ Inventory::max_on_hand
    friend bool operator==(const StockChange&, const StockChange&) = default;
};

// A quantity of one SKU.
struct StockLine {
    SkuId sku;
    std::int64_t quantity = 0;  // 1..Inventory::max_quantity
    friend bool operator==(const StockLine&, const StockLine&) = default;
};

// Who a reservation holds stock for. Inventory::reserve makes holds of a shop (a phone
// order, a display); the order module reserves for its orders and releases or commits them
// itself.
enum class ReservationHolder : std::uint8_t { shop = 1, order = 2, flash_sale = 3 };
std::string_view reservation_holder_name(ReservationHolder holder) noexcept;

struct ReservationOwner {
    ReservationHolder holder{};
    std::uint64_t id = 0;  // the shop's or the order's id
    friend bool operator==(const ReservationOwner&, const ReservationOwner&) = default;
};

//   open ──release──▶ released    open ──tick past expires_at──▶ expired
//   open ──commit──▶ committed
enum class ReservationStatus : std::uint8_t { open = 1, released = 2, expired = 3, committed = 4 };
std::string_view reservation_status_name(ReservationStatus status) noexcept;

struct ReservationInfo {
    ReservationId id;
    ShopId shop;                   // every SKU of a reservation belongs to this shop
    ReservationOwner owner;
    std::vector<StockLine> lines;  // one per SKU, by SKU id
    ReservationStatus status{};
    Timestamp created_at{};
    Timestamp expires_at{};
    std::optional<Timestamp> closed_at;  // when it left `open`
    friend bool operator==(const ReservationInfo&, const ReservationInfo&) = default;
};

// The inventory service. A shop's owner and staff (and the system actor) manage its stock;
// they and platform staff read it. A closed shop's stock can no longer be adjusted or
// reserved (invalid_state); its open reservations can still be released or committed, and expire.
//
// Thread-safety: any number of threads may call it at once; commands are serialized, so
// concurrent reservations of the same SKUs never oversell.
class Inventory {
public:
    static constexpr std::size_t max_lines = 500;  // SKUs per operation: a whole checkout of one shop
    static constexpr std::int64_t max_quantity = 1'000'000;
    static constexpr std::int64_t max_on_hand = 1'000'000'000;
    static constexpr Duration max_reservation_lifetime = std::chrono::hours(24 * 30);

    // Adds each delta to its SKU's on_hand; lines naming one SKU twice are added together.
    // Refused with insufficient_stock if any SKU would end below its reserved units, with
    // limit_exceeded above max_on_hand; then nothing changes. reason: 1..200 characters.
    void adjust(const Actor& actor, const std::vector<StockChange>& changes, const std::string& reason);
    // Holds units of one shop's SKUs for that shop until released, committed or expired;
    // lines naming one SKU twice are added together. insufficient_stock if any SKU has fewer
    // available units; then nothing is held. expires_at must be after now and at most
    // max_reservation_lifetime ahead.
    ReservationId reserve(const Actor& actor, const std::vector<StockLine>& lines, Timestamp expires_at);
    // Returns the units of an open hold to available.
    void release(const Actor& actor, ReservationId reservation);
    // The units of an open hold are sold: they leave on_hand and reserved, and count as sold.
    void commit(const Actor& actor, ReservationId reservation);
    // Sets (or clears) the level of available units at or under which a SKU is low on stock.
    void set_low_stock_threshold(const Actor& actor, SkuId sku, std::optional<std::int64_t> threshold);
    // Expires every open reservation (holds and orders' alike) whose expires_at is at or
    // before `now`, returning their units to available; returns how many. `now` must not be
    // ahead of the marketplace clock. Runs as the system; Marketplace::tick calls it.
    std::size_t tick(Timestamp now);

    // Queries: the shop's members and platform staff.
    StockLevel stock(const Actor& actor, SkuId sku) const;
    // Every SKU the product ever had, by SKU id, dropped ones included.
    std::vector<StockLevel> stock_of_product(const Actor& actor, ProductId product) const;
    // The shop's live SKUs whose available units are at or under their threshold, by SKU id.
    std::vector<StockLevel> low_stock(const Actor& actor, ShopId shop, Page page = {}) const;
    ReservationInfo reservation(const Actor& actor, ReservationId reservation) const;
    // The shop's reservations, optionally of one status, newest first.
    std::vector<ReservationInfo> reservations(const Actor& actor, ShopId shop,
                                              std::optional<ReservationStatus> status, Page page = {}) const;

private:
    friend class Marketplace;
    explicit Inventory(detail::Kernel& kernel) : kernel_(&kernel) {}
    detail::Kernel* kernel_;
};

}  // namespace souk
