// Ledger events. A posting's entries are fixed in the journal by the command that caused
// them: replay adds them up again and never recomputes them, so a later souk with other
// rules never rewrites old books.
#pragma once

#include <string>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/registry.hpp"
#include "ledger/state.hpp"

namespace souk::detail {

struct LedgerEntryFields {
    LedgerAccountKind account_kind{};
    ShopId shop;
    std::string provider;
    Money amount;  // positive: debit
    template <class V> void visit(V&& v) {
        v("account_kind", account_kind), v("shop", shop), v("provider", provider), v("amount", amount);
    }
    // customer: the posting's wallet owner, for a customer_wallet entry.
    LedgerAccount account(UserId customer) const {
        return {account_kind, shop, provider, amount.currency(),
                account_kind == LedgerAccountKind::customer_wallet ? customer : UserId{}};
    }
};

// Entries summing to zero per currency, each account at most once.
struct LedgerPosted {
    static constexpr EventKind kind = EventKind::ledger_posted;
    static constexpr std::string_view name = "LedgerPosted";
    static constexpr std::uint8_t version = 2;
    PostingPurpose purpose{};
    EntityKind cause_kind{};
    std::uint64_t cause_id = 0;
    std::string cause_event;
    std::vector<LedgerEntryFields> entries;
    UserId customer;  // v2: whose wallet a customer_wallet entry moves (a posting touches at most one)
    template <class V> void visit(V&& v) {
        v("purpose", purpose), v("cause_kind", cause_kind), v("cause_id", cause_id), v("cause_event", cause_event),
            v("entries", entries), v("customer", customer);
    }
    void apply(State& state, const EventContext& context) const;
};

struct PayoutSubOrderFields {
    SubOrderId sub_order;
    Money proceeds;
    Money commission;
    template <class V> void visit(V&& v) { v("sub_order", sub_order), v("proceeds", proceeds), v("commission", commission); }
};

struct PayoutClawbackFields {
    RefundId refund;
    SubOrderId sub_order;
    Money amount;
    template <class V> void visit(V&& v) { v("refund", refund), v("sub_order", sub_order), v("amount", amount); }
};

// Followed by its LedgerPosted (available → payout) in the same command.
struct PayoutCreated {
    static constexpr EventKind kind = EventKind::payout_created;
    static constexpr std::string_view name = "PayoutCreated";
    static constexpr std::uint8_t version = 1;
    PayoutId payout;
    ShopId shop;
    Money amount;
    std::vector<PayoutSubOrderFields> sub_orders;
    std::vector<PayoutClawbackFields> clawbacks;
    Money commission;
    template <class V> void visit(V&& v) {
        v("payout", payout), v("shop", shop), v("amount", amount), v("sub_orders", sub_orders),
            v("clawbacks", clawbacks), v("commission", commission);
    }
    void apply(State& state, const EventContext& context) const;
};

struct PayoutPaid {
    static constexpr EventKind kind = EventKind::payout_paid;
    static constexpr std::string_view name = "PayoutPaid";
    static constexpr std::uint8_t version = 1;
    PayoutId payout;
    std::string reference;
    template <class V> void visit(V&& v) { v("payout", payout), v("reference", reference); }
    void apply(State& state, const EventContext& context) const;
};

struct PayoutFailed {
    static constexpr EventKind kind = EventKind::payout_failed;
    static constexpr std::string_view name = "PayoutFailed";
    static constexpr std::uint8_t version = 1;
    PayoutId payout;
    std::string reason;
    template <class V> void visit(V&& v) { v("payout", payout), v("reason", reason); }
    void apply(State& state, const EventContext& context) const;
};

struct SettlementDaysSet {
    static constexpr EventKind kind = EventKind::settlement_days_set;
    static constexpr std::string_view name = "SettlementDaysSet";
    static constexpr std::uint8_t version = 1;
    ShopId shop;
    std::int32_t days = 0;
    template <class V> void visit(V&& v) { v("shop", shop), v("days", days); }
    void apply(State& state, const EventContext& context) const;
};

using LedgerEvents = EventList<LedgerPosted, PayoutCreated, PayoutPaid, PayoutFailed, SettlementDaysSet>;

}  // namespace souk::detail
