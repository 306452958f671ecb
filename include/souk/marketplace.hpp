// souk — the marketplace facade: open a journal, get the services.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "souk/accounts.hpp"
#include "souk/actor.hpp"
#include "souk/after_sales.hpp"
#include "souk/audit.hpp"
#include "souk/cart.hpp"
#include "souk/catalog.hpp"
#include "souk/clock.hpp"
#include "souk/flash_sales.hpp"
#include "souk/group_buying.hpp"
#include "souk/inventory.hpp"
#include "souk/journal.hpp"
#include "souk/ledger.hpp"
#include "souk/money.hpp"
#include "souk/orders.hpp"
#include "souk/payment.hpp"
#include "souk/promotions.hpp"
#include "souk/reports.hpp"
#include "souk/reviews.hpp"
#include "souk/shipping.hpp"
#include "souk/shops.hpp"
#include "souk/wallet.hpp"

namespace souk {

namespace detail {
class Kernel;
}

// How hard password hashing works (libsodium argon2id limits). `interactive` is the default
// for real deployments; `minimal` exists so tests and demos do not spend seconds hashing.
enum class PasswordHashing { minimal, interactive, moderate };

struct MarketplaceOptions {
    // Where time comes from. Default: a SystemClock.
    std::shared_ptr<const Clock> clock;
    // Default: interactive.
    PasswordHashing password_hashing = PasswordHashing::interactive;
    // How long a login session lasts. Default: 30 days.
    Duration session_lifetime = std::chrono::hours(24 * 30);
    // How long a placed order waits for payment; then tick cancels it and releases its stock.
    // Default: 30 minutes; at most 30 days.
    Duration payment_timeout = std::chrono::minutes(30);
    // How long after its last shipment a sub-order counts as received if the buyer has not
    // confirmed it. Default: 10 days.
    Duration auto_receive_after = std::chrono::hours(24 * 10);
    // The after-sales window: how long a received sub-order stays open for refunds before it
    // completes. Default: 7 days.
    Duration after_sales_window = std::chrono::hours(24 * 7);
    // How long after completion the buyer may review what they bought. Default: 15 days.
    Duration review_window = std::chrono::hours(24 * 15);
    // How long a shop has to answer an after-sales request before tick approves it. Default: 2 days.
    Duration after_sales_response_window = std::chrono::hours(48);
    // Shipping charged for each shop's part of an order whose products name no shipping
    // template (Shipping), in the currency orders are priced in. Default: none (free).
    std::optional<Money> shipping_fee_per_shop = std::nullopt;
    // A shop's part whose lines cost at least this after discounts ships free. Default: none.
    std::optional<Money> free_shipping_from = std::nullopt;
    // The marketplace's currency. Products may be priced in any currency, but a search covers
    // one: SearchQuery::currency, or this one when the query names none. Default: CNY.
    Currency currency = Currency::of("CNY");
    // How many days after a sub-order completes its proceeds become due for payout (T+N), for
    // shops without their own cycle (Ledger::set_settlement_days). Default: 7; 0..90.
    int settlement_days = 7;
    // Which discount kinds combine on one line (docs/promotions.md). Default: all of them.
    StackingRules stacking = StackingRules::standard();
};

// What one Marketplace::tick did.
struct TickReport {
    std::size_t reservations_expired = 0;  // holds that no order released first
    OrdersTickReport orders{};
    std::size_t after_sales_approved = 0;  // requests the shops did not answer in time
    GroupBuyingTickReport groups{};  // groups whose window ended
    friend bool operator==(const TickReport&, const TickReport&) = default;
};

// One marketplace: the engine state over one journal. Commands are serialized and return
// only once durable; queries may run from any number of threads at once and return copies.
// Not copyable; movable. Services returned by accessors live as long as the Marketplace.
class Marketplace {
public:
    explicit Marketplace(std::unique_ptr<Journal> journal, MarketplaceOptions options = {});
    // A marketplace whose state lives only in memory.
    static Marketplace in_memory(MarketplaceOptions options = {});
    // A marketplace stored in a SQLite journal file, created if missing.
    static Marketplace open_sqlite(const std::filesystem::path& path, MarketplaceOptions options = {});

    Marketplace(Marketplace&&) noexcept;
    Marketplace& operator=(Marketplace&&) noexcept;
    ~Marketplace();

    Accounts& accounts();
    Shops& shops();
    Catalog& catalog();
    Inventory& inventory();
    Cart& cart();
    Orders& orders();
    Shipping& shipping();
    AfterSales& after_sales();
    Reviews& reviews();
    Ledger& ledger();
    Promotions& promotions();
    Reports& reports();
    Wallet& wallet();
    FlashSales& flash_sales();
    GroupBuying& group_buying();

    // Makes a payment provider available to Orders::pay and Orders::handle_notification under
    // `name` (1..40 lower-case letters, digits, '-' or '_'). Payments record the name, so a
    // host registers each provider under the same name every time it opens the marketplace.
    // Throws already_exists for a name in use; "wallet" is the built-in WalletProvider's.
    void register_payment_provider(const std::string& name, std::shared_ptr<PaymentProvider> provider);
    // Makes a carrier tracker answer Shipping::poll_carriers for shipments of `carrier` (as
    // shipments name it, 1..40 characters). Throws already_exists for a carrier that has one.
    void register_carrier_tracker(const std::string& carrier, std::shared_ptr<CarrierTracker> tracker);

    // Fires every deadline due at or before `now` (which must not be ahead of the clock):
    // unanswered after-sales requests are approved (AfterSales::tick); groups whose window
    // ended close (GroupBuying::tick); unpaid orders are cancelled, shipped sub-orders received
    // and received ones completed (Orders::tick); then expired stock reservations are released.
    // Deterministic: the same journal and the same calls give the same state. Hosts call it on
    // a timer; tests drive it with a ManualClock.
    TickReport tick(Timestamp now);

    // The history of one entity, oldest first. Platform staff may read any entity's trail; a
    // user their own, and their addresses', orders', sub-orders', refunds', after-sales
    // requests' and reviews'; a shop's owner and staff their shop's, its products', SKUs',
    // reservations', sub-orders' and their refunds', shipping templates', after-sales requests'
    // and reviews'. Others get Error(forbidden).
    std::vector<AuditEntry> audit(const Actor& actor, EntityRef entity) const;

    // The position of the last durable command in the journal.
    JournalPosition journal_position() const;
    const Clock& clock() const;

private:
    friend class Pipeline;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace souk
