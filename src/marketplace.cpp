#include "souk/marketplace.hpp"

#include <fmt/format.h>

#include "cart/pricing.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "payment/providers.hpp"
#include "shipping/trackers.hpp"
#include "souk/error.hpp"
#include "souk/pipeline.hpp"
#include "souk/storage/memory_journal.hpp"
#include "souk/storage/sqlite_journal.hpp"

namespace souk {

struct Marketplace::Impl {
    Impl(std::unique_ptr<Journal> journal, MarketplaceOptions opts)
        : options(with_defaults(std::move(opts))),
          trade(detail::TradePolicies::from(options)),
          kernel(std::move(journal), options.clock),
          accounts(kernel, options),
          shops(kernel),
          catalog(kernel, options.currency),
          inventory(kernel),
          cart(kernel, trade),
          orders(kernel, trade, providers),
          shipping(kernel, trackers),
          after_sales(kernel, trade, orders),
          reviews(kernel),
          ledger(kernel, options.settlement_days),
          wallet(kernel, providers, ledger),
          promotions(kernel, trade),
          flash_sales(kernel, orders),
          group_buying(kernel, orders),
          reports(kernel) {
        providers.add(std::string(wallet_provider_name), std::make_shared<WalletProvider>());
    }

    static MarketplaceOptions with_defaults(MarketplaceOptions opts) {
        if (!opts.clock) opts.clock = std::make_shared<SystemClock>();
        if (opts.session_lifetime <= Duration::zero())
            throw Error(Errc::invalid_argument, "session lifetime must be positive");
        if (opts.settlement_days < 0 || opts.settlement_days > Ledger::max_settlement_days)
            throw Error(Errc::invalid_argument, fmt::format("settlement days are 0..{}, not {}",
                                                            Ledger::max_settlement_days, opts.settlement_days));
        return opts;
    }

    MarketplaceOptions options;
    detail::TradePolicies trade;  // before the kernel: bad options are refused before the journal is read
    detail::Kernel kernel;
    Accounts accounts;
    Shops shops;
    Catalog catalog;
    Inventory inventory;
    detail::PaymentProviders providers;
    Cart cart;
    Orders orders;
    detail::CarrierTrackers trackers;
    Shipping shipping;
    AfterSales after_sales;
    Reviews reviews;
    Ledger ledger;
    Wallet wallet;
    Promotions promotions;
    FlashSales flash_sales;
    GroupBuying group_buying;
    Reports reports;
};

Marketplace::Marketplace(std::unique_ptr<Journal> journal, MarketplaceOptions options)
    : impl_(std::make_unique<Impl>(std::move(journal), std::move(options))) {}

Marketplace Marketplace::in_memory(MarketplaceOptions options) {
    return Marketplace(std::make_unique<MemoryJournal>(), std::move(options));
}

Marketplace Marketplace::open_sqlite(const std::filesystem::path& path, MarketplaceOptions options) {
    return Marketplace(std::make_unique<SqliteJournal>(path), std::move(options));
}

Marketplace::Marketplace(Marketplace&&) noexcept = default;
Marketplace& Marketplace::operator=(Marketplace&&) noexcept = default;
Marketplace::~Marketplace() = default;

Accounts& Marketplace::accounts() { return impl_->accounts; }
Shops& Marketplace::shops() { return impl_->shops; }
Catalog& Marketplace::catalog() { return impl_->catalog; }
Inventory& Marketplace::inventory() { return impl_->inventory; }

TickReport Marketplace::tick(Timestamp now) {
    TickReport report;
    // After-sales before orders: an approval due now keeps the sub-order's after-sales window
    // open. Groups before orders: an unpaid member's order is cancelled because its group
    // closed, not by its payment deadline. Orders before inventory: an unpaid order releases
    // its own reservation as it is cancelled, so the inventory's expiry finds only holds that
    // belong to no live order.
    report.after_sales_approved = impl_->after_sales.tick(now);
    report.groups = impl_->group_buying.tick(now);
    report.orders = impl_->orders.tick(now);
    report.reservations_expired = impl_->inventory.tick(now);
    return report;
}

Cart& Marketplace::cart() { return impl_->cart; }
Orders& Marketplace::orders() { return impl_->orders; }
Shipping& Marketplace::shipping() { return impl_->shipping; }
AfterSales& Marketplace::after_sales() { return impl_->after_sales; }
Reviews& Marketplace::reviews() { return impl_->reviews; }

void Marketplace::register_carrier_tracker(const std::string& carrier, std::shared_ptr<CarrierTracker> tracker) {
    impl_->trackers.add(carrier, std::move(tracker));
}
Ledger& Marketplace::ledger() { return impl_->ledger; }
Promotions& Marketplace::promotions() { return impl_->promotions; }
Reports& Marketplace::reports() { return impl_->reports; }
Wallet& Marketplace::wallet() { return impl_->wallet; }
FlashSales& Marketplace::flash_sales() { return impl_->flash_sales; }
GroupBuying& Marketplace::group_buying() { return impl_->group_buying; }

void Marketplace::register_payment_provider(const std::string& name, std::shared_ptr<PaymentProvider> provider) {
    impl_->providers.add(name, std::move(provider));
}

namespace {

// The customer whose trail an address, order, sub-order, refund or top-up is part of.
std::optional<UserId> customer_of(const detail::State& s, EntityRef entity) {
    switch (entity.kind) {
        case EntityKind::address:
            if (const auto* address = s.cart.find_address(AddressId{entity.id})) return address->owner;
            break;
        case EntityKind::payment_order:
            if (const auto* order = s.orders.find(PaymentOrderId{entity.id})) return order->customer;
            break;
        case EntityKind::sub_order:
            if (const auto* sub_order = s.orders.find(SubOrderId{entity.id})) return sub_order->customer;
            break;
        case EntityKind::refund:
            if (const auto* refund = s.orders.find(RefundId{entity.id})) return s.orders.find(refund->order)->customer;
            break;
        case EntityKind::after_sales:
            if (const auto* request = s.after_sales.find(AfterSalesId{entity.id})) return request->customer;
            break;
        case EntityKind::review:
            if (const auto* review = s.reviews.find(ReviewId{entity.id})) return review->customer;
            break;
        case EntityKind::coupon:
            if (const auto* coupon = s.promotions.find(CouponId{entity.id})) return coupon->owner;
            break;
        case EntityKind::wallet_topup:
            if (const auto* topup = s.wallet.find(WalletTopupId{entity.id})) return topup->customer;
            break;
        default: break;  // the rest is nobody's as a customer
    }
    return std::nullopt;
}

// The shop an entity belongs to, whose owner and staff may read its trail.
std::optional<ShopId> shop_of(const detail::State& s, EntityRef entity) {
    switch (entity.kind) {
        case EntityKind::shop: return ShopId{entity.id};
        case EntityKind::product:
            if (const auto* product = s.catalog.find_product(ProductId{entity.id})) return product->shop;
            break;
        case EntityKind::sku:
            if (const auto* sku = s.catalog.find_sku(SkuId{entity.id})) return sku->shop;
            break;
        case EntityKind::reservation:
            if (const auto* reservation = s.inventory.find_reservation(ReservationId{entity.id}))
                return reservation->shop;
            break;
        case EntityKind::sub_order:
            if (const auto* sub_order = s.orders.find(SubOrderId{entity.id})) return sub_order->shop;
            break;
        case EntityKind::refund:
            if (const auto* refund = s.orders.find(RefundId{entity.id}); refund && refund->sub_order)
                return s.orders.find(*refund->sub_order)->shop;
            break;
        case EntityKind::shipping_template:
            if (const auto* shipping_template = s.shipping.find(ShippingTemplateId{entity.id}))
                return shipping_template->shop;
            break;
        case EntityKind::after_sales:
            if (const auto* request = s.after_sales.find(AfterSalesId{entity.id})) return request->shop;
            break;
        case EntityKind::review:
            if (const auto* review = s.reviews.find(ReviewId{entity.id})) return review->shop;
            break;
        case EntityKind::payout:
            if (const auto* payout = s.ledger.find(PayoutId{entity.id})) return payout->shop;
            break;
        case EntityKind::coupon_template:
            if (const auto* from = s.promotions.find(CouponTemplateId{entity.id}); from && from->spec.shop)
                return from->spec.shop;
            break;
        case EntityKind::spend_promotion:
            if (const auto* promotion = s.promotions.find(SpendPromotionId{entity.id})) return promotion->shop;
            break;
        case EntityKind::flash_sale:
            if (const auto* sale = s.flash_sales.find(FlashSaleId{entity.id})) return sale->shop;
            break;
        case EntityKind::group_offer:
            if (const auto* offer = s.group_buying.find(GroupOfferId{entity.id})) return offer->shop;
            break;
        case EntityKind::group:
            if (const auto* group = s.group_buying.find(GroupId{entity.id})) return s.group_buying.find(group->offer)->shop;
            break;
        default: break;  // users, sessions, categories, ...: no shop's
    }
    return std::nullopt;
}

}  // namespace

std::vector<AuditEntry> Marketplace::audit(const Actor& actor, EntityRef entity) const {
    impl_->kernel.read([&](const detail::State& s) {
        if (detail::is_platform_staff(s, actor)) return;
        const auto& user = detail::require_user(s, actor);
        if (entity.kind == EntityKind::user && entity.id == user.id.value) return;
        const auto shop = shop_of(s, entity);
        if (shop && detail::is_shop_member(s, *shop, actor)) return;
        if (customer_of(s, entity) == user.id) return;
        throw Error(Errc::forbidden, "only platform staff may read this audit trail");
    });
    return impl_->kernel.audit(entity);
}

Pipeline::Pipeline(Marketplace& market)
    : deferred_(std::make_unique<detail::DeferredDurability>(market.impl_->kernel)) {}

Pipeline::~Pipeline() = default;

void Pipeline::wait() { deferred_->wait(); }

std::size_t Pipeline::unwaited() const { return deferred_->unwaited(); }

JournalPosition Marketplace::journal_position() const { return impl_->kernel.durable_position(); }

const Clock& Marketplace::clock() const { return impl_->kernel.clock(); }

}  // namespace souk
