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
          cart(kernel, trade),
          orders(kernel, trade, providers) {}

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
    detail::PaymentProviders providers;
    Cart cart;
    Orders orders;
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
Cart& Marketplace::cart() { return impl_->cart; }
Orders& Marketplace::orders() { return impl_->orders; }

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
        default: break;
    }
    return std::nullopt;
}

// The shop whose sub-order a sub-order or refund entity is.
std::optional<ShopId> selling_shop_of(const detail::State& s, EntityRef entity) {
    std::optional<SubOrderId> sub_order;
    if (entity.kind == EntityKind::sub_order) sub_order = SubOrderId{entity.id};
    if (entity.kind == EntityKind::refund)
        if (const auto* refund = s.orders.find(RefundId{entity.id})) sub_order = refund->sub_order;
    if (!sub_order) return std::nullopt;
    const auto* record = s.orders.find(*sub_order);
    return record ? std::optional(record->shop) : std::nullopt;
}

}  // namespace

std::vector<AuditEntry> Marketplace::audit(const Actor& actor, EntityRef entity) const {
    impl_->kernel.read([&](const detail::State& s) {
        if (detail::is_platform_staff(s, actor)) return;
        const auto& user = detail::require_user(s, actor);
        if (entity.kind == EntityKind::user && entity.id == user.id.value) return;
        if (entity.kind == EntityKind::shop) {
            const auto* shop = s.shops.find(ShopId{entity.id});
            if (shop && shop->has_member(user.id)) return;
        }
        if (customer_of(s, entity) == user.id) return;
        if (const auto shop = selling_shop_of(s, entity); shop && s.shops.find(*shop)->has_member(user.id)) return;
        throw Error(Errc::forbidden, "only platform staff may read this audit trail");
    });
    return impl_->kernel.audit(entity);
}

JournalPosition Marketplace::journal_position() const { return impl_->kernel.durable_position(); }

const Clock& Marketplace::clock() const { return impl_->kernel.clock(); }

}  // namespace souk
