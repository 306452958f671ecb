// Moving stock inside a command: the inventory service's commands use it, and so do the
// modules that move stock as part of their own commands (an order reserves when it is
// placed, releases when cancelled, commits when paid — in the same command, so the order and
// its stock change together or not at all).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/state.hpp"

namespace souk::detail {

// The stock operations of one command. Each operation checks everything against the state
// as changed by the operations before it in this command, then emits its event; when it
// throws it has emitted nothing (and the kernel discards the whole command). A command may
// therefore reserve, release and commit several times and still never oversell.
//
// Authorization is the caller's: these check only what the stock and the SKUs allow. Use one
// StockMoves per command (two would not see each other's moves).
class StockMoves {
public:
    StockMoves(const State& state, EventSink& out);
    StockMoves(const StockMoves&) = delete;
    StockMoves& operator=(const StockMoves&) = delete;

    // Adds each delta to its SKU's on_hand (lines for one SKU are added together). Throws
    // insufficient_stock if a SKU would end below its reserved units, limit_exceeded above
    // Inventory::max_on_hand, invalid_state for a closed shop's SKU.
    void adjust(const std::vector<StockChange>& changes, const std::string& reason);
    // Reserves the lines (one shop's live SKUs; lines for one SKU are added together) for
    // `owner` until `expires_at`. Throws insufficient_stock if any SKU has fewer available units.
    ReservationId reserve(const ReservationOwner& owner, const std::vector<StockLine>& lines, Timestamp expires_at);
    // Returns an open reservation's units to available.
    void release(ReservationId reservation);
    // Sells an open reservation's units: they leave on_hand and reserved and count as sold.
    void commit(ReservationId reservation);
    // Expires up to `limit` open reservations whose expires_at is at or before `now`,
    // soonest first; returns how many.
    std::size_t expire_due(Timestamp now, std::size_t limit);

    // The reservation as this command has left it so far; not_found if there is none,
    // invalid_state if it is no longer open.
    const ReservationRecord& open_reservation(ReservationId reservation) const;
    // The newest reservation this command made for `owner`, else `before`: how a holder whose
    // reservation is replaced several times in one command finds its current one.
    ReservationId newest_for(const ReservationOwner& owner, ReservationId before) const;

private:
    struct Counts {
        std::int64_t on_hand = 0;
        std::int64_t reserved = 0;
    };
    // The SKU's counts after this command's moves so far.
    Counts counts(SkuId sku) const;
    void move(const std::vector<StockLine>& lines, std::int64_t on_hand_sign, std::int64_t reserved_sign);
    void close(const ReservationRecord& reservation, ReservationStatus to);

    const State& state_;
    EventSink& out_;
    std::unordered_map<SkuId, Counts> moved_;          // deltas of this command
    std::map<ReservationId, ReservationRecord> made_;  // reserved in this command
    std::map<ReservationId, ReservationStatus> closed_;  // released, expired or committed in this command
    std::uint64_t last_reservation_;
};

}  // namespace souk::detail
