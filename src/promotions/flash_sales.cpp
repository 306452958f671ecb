// The flash sales service and its steps in pricing, placing and cancelling.
#include "promotions/flash_sales.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "cart/access.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "promotions/flash_events.hpp"
#include "souk/error.hpp"
#include "souk/orders.hpp"
#include "validate.hpp"

namespace souk {
namespace detail {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(Errc::invalid_argument, message); }

ReservationOwner owner_of(FlashSaleId sale) { return {ReservationHolder::flash_sale, sale.value}; }

// Units of `sku` the sale's reservation still holds.
std::int64_t units_left(const State& state, const FlashSaleRecord& sale, SkuId sku) {
    const auto* held = state.inventory.find_reservation(sale.reservation);
    if (!held || held->status != ReservationStatus::open) return 0;
    for (const auto& line : held->lines)
        if (line.sku == sku) return line.quantity;
    return 0;
}

void check_spec(const State& s, ShopId shop, const FlashSaleSpec& spec, Timestamp now) {
    require_text("name", spec.name, 1, 60);
    if (spec.items.empty() || spec.items.size() > FlashSales::max_items)
        invalid(fmt::format("a flash sale has 1..{} SKUs", FlashSales::max_items));
    std::set<SkuId> seen;
    for (const auto& item : spec.items) {
        const auto* sku = s.catalog.find_sku(item.sku);
        if (!sku) throw Error(Errc::not_found, fmt::format("no SKU {}", item.sku));
        if (sku->shop != shop) invalid(fmt::format("SKU {} is not shop {}'s", item.sku, shop));
        if (!seen.insert(item.sku).second) invalid(fmt::format("SKU {} is in the sale twice", item.sku));
        if (item.price.currency() != sku->price.currency())
            throw Error(Errc::currency_mismatch, fmt::format("SKU {} is priced in {}, not {}", item.sku,
                                                             sku->price.currency(), item.price.currency()));
        if (item.price.minor_units() <= 0 || item.price >= sku->price)
            invalid(fmt::format("the sale price of SKU {} is above zero and below its price {}", item.sku, sku->price));
        if (item.quantity < 1 || item.quantity > Inventory::max_quantity)
            invalid(fmt::format("a sale offers 1..{} units of a SKU, not {}", Inventory::max_quantity, item.quantity));
    }
    if (spec.starts_at >= spec.ends_at) invalid("a flash sale must start before it ends");
    if (spec.ends_at <= now) invalid("a flash sale must end in the future");
    if (spec.ends_at > now + Inventory::max_reservation_lifetime)
        invalid(fmt::format("a flash sale ends within {} days: its units are reserved until then",
                            std::chrono::duration_cast<std::chrono::days>(Inventory::max_reservation_lifetime).count()));
    if (spec.per_customer_limit < 1 || spec.per_customer_limit > FlashSales::max_per_customer)
        invalid(fmt::format("the per-customer limit is 1..{}, not {}", FlashSales::max_per_customer,
                            spec.per_customer_limit));
    if (spec.payment_timeout < FlashSales::min_payment_timeout || spec.payment_timeout > FlashSales::max_payment_timeout)
        invalid("a flash sale's payment timeout is 1..30 minutes");
}

FlashSaleInfo info_of(const State& s, const FlashSaleRecord& r) {
    FlashSaleInfo info{r.id, r.shop, r.spec, {}, r.created_at};
    for (const auto& item : r.spec.items) info.left.push_back({item.sku, units_left(s, r, item.sku)});
    return info;
}

// Holds `lines` for the sale from now on (released first: `current`), or nothing if empty.
ReservationId hold_for_sale(StockMoves& stock, const FlashSaleRecord& sale, ReservationId current,
                            const std::vector<StockLine>& lines) {
    if (current) stock.release(current);
    if (lines.empty()) return ReservationId{};
    return stock.reserve(owner_of(sale.id), lines, sale.spec.ends_at);
}

std::vector<FlashUnitsFields> units_fields(const std::vector<StockLine>& lines) {
    std::vector<FlashUnitsFields> fields;
    for (const auto& line : lines) fields.push_back({line.sku, line.quantity});
    return fields;
}

}  // namespace

const FlashSaleRecord& flash_sale_or_throw(const State& state, FlashSaleId sale) {
    const auto* record = state.flash_sales.find(sale);
    if (!record) throw Error(Errc::not_found, fmt::format("no flash sale {}", sale));
    return *record;
}

void require_flash_units(const State& state, const FlashSaleRecord& sale, UserId customer, Timestamp now,
                         const std::vector<StockLine>& units) {
    if (now < sale.spec.starts_at || now >= sale.spec.ends_at)
        throw Error(Errc::invalid_state, fmt::format("flash sale {} sells from {} until {}", sale.id,
                                                     format_timestamp(sale.spec.starts_at),
                                                     format_timestamp(sale.spec.ends_at)));
    std::int64_t wanted = 0;
    for (const auto& unit : units) {
        if (!sale.item(unit.sku)) invalid(fmt::format("SKU {} is not in flash sale {}", unit.sku, sale.id));
        if (const auto left = units_left(state, sale, unit.sku); unit.quantity > left)
            throw Error(Errc::insufficient_stock, fmt::format("flash sale {} has {} unit(s) of SKU {} left, not {}",
                                                              sale.id, left, unit.sku, unit.quantity));
        wanted += unit.quantity;
    }
    if (const auto held = sale.held_by(customer); held + wanted > sale.spec.per_customer_limit)
        throw Error(Errc::limit_exceeded,
                    fmt::format("flash sale {} sells at most {} unit(s) per customer: {} held already, {} more asked",
                                sale.id, sale.spec.per_customer_limit, held, wanted));
}

namespace {

// The quote's lines of the sale's SKUs (const or not, as the quote is).
template <class QuoteT>
auto sale_lines(const FlashSaleRecord& sale, QuoteT& quote) {
    std::vector<decltype(&quote.shops.front().lines.front())> lines;
    for (auto& shop : quote.shops)
        if (shop.shop == sale.shop)
            for (auto& line : shop.lines)
                if (sale.item(line.sku)) lines.push_back(&line);
    return lines;
}

template <class LinePtr>
std::vector<StockLine> units_of(const std::vector<LinePtr>& lines) {
    std::vector<StockLine> units;
    for (const auto* line : lines) units.push_back({line->sku, line->quantity});
    return units;
}

}  // namespace

void apply_flash_sale_prices(const State& state, const PricingInput& input, Quote& quote) {
    if (!input.flash_sale) return;
    const auto& sale = flash_sale_or_throw(state, input.flash_sale);
    const auto lines = sale_lines(sale, quote);
    if (lines.empty()) invalid(fmt::format("the checkout has no SKU of flash sale {}", sale.id));
    require_flash_units(state, sale, input.customer, input.now, units_of(lines));
    for (auto* line : lines) {
        line->unit_price = sale.item(line->sku)->price;
        line->line_total = line->unit_price.times(line->quantity);
    }
}

Duration payment_timeout_for(const State& state, FlashSaleId sale, Duration standard) {
    return sale ? flash_sale_or_throw(state, sale).spec.payment_timeout : standard;
}

void take_flash_units(const State& state, EventSink& out, StockMoves& stock, FlashSaleId sale_id, UserId customer,
                      PaymentOrderId order, const Quote& quote) {
    if (!sale_id) return;
    const auto& sale = flash_sale_or_throw(state, sale_id);
    const auto taken = units_of(sale_lines(sale, quote));
    const auto current = stock.newest_for(owner_of(sale.id), sale.reservation);
    std::vector<StockLine> rest;
    for (const auto& line : stock.open_reservation(current).lines) {
        std::int64_t left = line.quantity;
        for (const auto& unit : taken)
            if (unit.sku == line.sku) left -= unit.quantity;
        if (left > 0) rest.push_back({line.sku, left});
    }
    const auto reservation = hold_for_sale(stock, sale, current, rest);
    out.emit(FlashSaleUnitsTaken{sale.id, order, customer, units_fields(taken), reservation});
}

void return_flash_units(const State& state, EventSink& out, StockMoves& stock, const PaymentOrderRecord& order) {
    const auto it = state.flash_sales.by_order.find(order.id);
    if (it == state.flash_sales.by_order.end()) return;
    const auto& sale = *state.flash_sales.find(it->second);
    // Once the sale is over its units belong to general stock; and units whose order
    // reservation had already expired are there already.
    if (out.now() >= sale.spec.ends_at) return;
    for (const auto id : order.sub_orders) {
        const auto& sub_order = *state.orders.find(id);
        if (sub_order.shop != sale.shop) continue;
        const auto* reservation = state.inventory.find_reservation(sub_order.reservation);
        if (!reservation || reservation->status != ReservationStatus::open) return;
    }
    const auto& returned = sale.taken_by_order.at(order.id);
    const auto current = stock.newest_for(owner_of(sale.id), sale.reservation);
    std::vector<StockLine> lines = returned;
    if (current)
        for (const auto& line : stock.open_reservation(current).lines) lines.push_back(line);
    const auto reservation = hold_for_sale(stock, sale, current, lines);
    out.emit(FlashSaleUnitsReturned{sale.id, order.id, order.customer, units_fields(returned), reservation});
}

}  // namespace detail

// ---- the service

FlashSaleId FlashSales::create(const Actor& actor, ShopId shop, const FlashSaleSpec& spec) {
    return kernel_->execute(actor, [&](const detail::State& s, detail::EventSink& out) {
        if (!s.shops.find(shop)) throw Error(Errc::not_found, fmt::format("no shop {}", shop));
        detail::require_shop_member(s, shop, actor, "run flash sales");
        detail::check_spec(s, shop, spec, out.now());
        const FlashSaleId id{s.flash_sales.last_sale + 1};
        std::vector<StockLine> units;
        std::vector<detail::FlashSaleItemFields> items;
        for (const auto& item : spec.items) {
            units.push_back({item.sku, item.quantity});
            items.push_back({item.sku, item.price, item.quantity});
        }
        detail::StockMoves stock(s, out);
        const auto reservation = stock.reserve(detail::owner_of(id), units, spec.ends_at);
        out.emit(detail::FlashSaleCreated{id, shop, spec.name, std::move(items), spec.starts_at, spec.ends_at,
                                          spec.per_customer_limit, spec.payment_timeout, reservation});
        return id;
    });
}

FlashSaleInfo FlashSales::sale(FlashSaleId sale) const {
    return kernel_->read([&](const detail::State& s) { return detail::info_of(s, detail::flash_sale_or_throw(s, sale)); });
}

std::vector<FlashSaleInfo> FlashSales::sales(ShopId shop) const {
    const auto now = kernel_->now();
    return kernel_->read([&](const detail::State& s) {
        std::vector<FlashSaleInfo> found;
        const auto it = s.flash_sales.by_shop.find(shop);
        if (it == s.flash_sales.by_shop.end()) return found;
        for (const auto id : it->second)
            if (const auto& record = *s.flash_sales.find(id); record.spec.ends_at > now)
                found.push_back(detail::info_of(s, record));
        std::stable_sort(found.begin(), found.end(),
                         [](const auto& a, const auto& b) { return a.spec.starts_at < b.spec.starts_at; });
        return found;
    });
}

std::int64_t FlashSales::held(const Actor& actor, FlashSaleId sale, UserId customer) const {
    return kernel_->read([&](const detail::State& s) {
        detail::require_self_or_staff(s, actor, customer, "see another customer's flash sale units");
        return detail::flash_sale_or_throw(s, sale).held_by(customer);
    });
}

PaymentOrderId FlashSales::buy(const Actor& customer, FlashSaleId sale, SkuId sku, std::int64_t quantity,
                               AddressId address, const std::string& idempotency_key) {
    const auto now = kernel_->now();
    // Sold-out and over-limit attempts end here, under the shared lock; a retry of a placed
    // key goes on to get its order back.
    kernel_->read([&](const detail::State& s) {
        const auto& user = detail::require_user(s, customer);
        if (s.orders.placed_keys.contains({user.id, idempotency_key})) return;
        detail::require_flash_units(s, detail::flash_sale_or_throw(s, sale), user.id, now, {{sku, quantity}});
    });
    return orders_->place(customer, PlaceRequest{idempotency_key, CheckoutRequest{address, {{sku, quantity}}, {}, sale}, {}});
}

}  // namespace souk
