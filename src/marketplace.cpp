#include "souk/marketplace.hpp"

#include "cart/pricing.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "payment/providers.hpp"
#include "souk/error.hpp"
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
          promotions(kernel, trade),
          group_buying(kernel, orders) {}

    static MarketplaceOptions with_defaults(MarketplaceOptions opts) {
        if (!opts.clock) opts.clock = std::make_shared<SystemClock>();
        if (opts.session_lifetime <= Duration::zero())
            throw Error(Errc::invalid_argument, "session lifetime must be positive");
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
    Promotions promotions;
    GroupBuying group_buying;
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
    // Orders first: an unpaid order releases its own reservation as it is cancelled, so the
    // inventory's expiry finds only holds that belong to no live order.
    // Groups first: an unpaid member's order is cancelled because its group closed, not by
    // its payment deadline.
    report.groups = impl_->group_buying.tick(now);
    report.orders = impl_->orders.tick(now);
    report.reservations_expired = impl_->inventory.tick(now);
    return report;
}

Cart& Marketplace::cart() { return impl_->cart; }
Orders& Marketplace::orders() { return impl_->orders; }
Promotions& Marketplace::promotions() { return impl_->promotions; }
GroupBuying& Marketplace::group_buying() { return impl_->group_buying; }

void Marketplace::register_payment_provider(const std::string& name, std::shared_ptr<PaymentProvider> provider) {
    impl_->providers.add(name, std::move(provider));
}

namespace {

// The customer whose trail an address, order, sub-order or refund is part of.
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
        case EntityKind::coupon:
            if (const auto* coupon = s.promotions.find(CouponId{entity.id})) return coupon->owner;
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
        case EntityKind::coupon_template:
            if (const auto* from = s.promotions.find(CouponTemplateId{entity.id}); from && from->spec.shop)
                return from->spec.shop;
            break;
        case EntityKind::spend_promotion:
            if (const auto* promotion = s.promotions.find(SpendPromotionId{entity.id})) return promotion->shop;
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

JournalPosition Marketplace::journal_position() const { return impl_->kernel.durable_position(); }

const Clock& Marketplace::clock() const { return impl_->kernel.clock(); }

}  // namespace souk
