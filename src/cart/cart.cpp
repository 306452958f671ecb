// The cart: lines across shops, the cart view with its flags, and quotes.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "cart/access.hpp"
#include "cart/events.hpp"
#include "cart/pricing.hpp"
#include "catalog/lookup.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "souk/cart.hpp"
#include "souk/error.hpp"

namespace souk {
namespace {

using detail::CartLineRecord;
using detail::State;

void validate_quantity(std::int64_t quantity) {
    if (quantity < 1 || quantity > Cart::max_quantity)
        throw Error(Errc::invalid_argument,
                    fmt::format("a cart line holds 1..{} units, not {}", Cart::max_quantity, quantity));
}

// The customer's lines for `skus`, each of which must be in the cart; duplicates collapse.
std::vector<SkuId> lines_in_cart(const State& s, UserId customer, const std::vector<SkuId>& skus) {
    if (skus.empty()) throw Error(Errc::invalid_argument, "name at least one SKU");
    const auto* cart = s.cart.cart_of(customer);
    std::vector<SkuId> found;
    for (const auto sku : skus) {
        if (!cart || !cart->find(sku)) throw Error(Errc::not_found, fmt::format("SKU {} is not in the cart", sku));
        if (std::find(found.begin(), found.end(), sku) == found.end()) found.push_back(sku);
    }
    return found;
}

CartLineView view_of(const State& s, const CartLineRecord& line) {
    const auto& sku = detail::sku_or_throw(s.catalog, line.sku);
    const auto& product = *s.catalog.find_product(sku.product);
    CartLineView view;
    view.sku = line.sku;
    view.product = product.id;
    view.title = product.title;
    view.spec = sku.spec;
    view.quantity = line.quantity;
    view.selected = line.selected;
    view.price_when_added = line.price_seen;
    view.price = sku.price;
    view.available = s.inventory.available(line.sku);
    try {
        detail::require_purchasable(s, line.sku);
    } catch (const Error& e) {
        view.unavailable_reason = e.message();
    }
    view.out_of_stock = view.available <= 0;
    view.insufficient_stock = !view.out_of_stock && view.available < line.quantity;
    view.price_changed = sku.price != line.price_seen;
    view.added_at = line.added_at;
    return view;
}

}  // namespace

void Cart::add(const Actor& customer, SkuId sku, std::int64_t quantity) {
    validate_quantity(quantity);
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, customer);
        const auto found = detail::require_purchasable(s, sku);
        const auto* cart = s.cart.cart_of(user.id);
        const auto* line = cart ? cart->find(sku) : nullptr;
        if (line && line->quantity + quantity > max_quantity)
            throw Error(Errc::limit_exceeded, fmt::format("the cart holds {} units of SKU {}: adding {} would pass {}",
                                                          line->quantity, sku, quantity, max_quantity));
        if (!line && cart && cart->lines.size() >= max_lines)
            throw Error(Errc::limit_exceeded, fmt::format("a cart holds at most {} lines", max_lines));
        out.emit(detail::CartLineAdded{user.id, sku, found.shop.id, quantity, found.sku.price});
    });
}

void Cart::set_quantity(const Actor& customer, SkuId sku, std::int64_t quantity) {
    validate_quantity(quantity);
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, customer);
        lines_in_cart(s, user.id, {sku});
        if (s.cart.cart_of(user.id)->find(sku)->quantity != quantity)
            out.emit(detail::CartQuantitySet{user.id, sku, quantity});
    });
}

void Cart::remove(const Actor& customer, const std::vector<SkuId>& skus) {
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, customer);
        out.emit(detail::CartLinesRemoved{user.id, lines_in_cart(s, user.id, skus), {}});
    });
}

void Cart::set_selected(const Actor& customer, const std::vector<SkuId>& skus, bool selected) {
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, customer);
        std::vector<SkuId> changing;
        for (const auto sku : lines_in_cart(s, user.id, skus))
            if (s.cart.cart_of(user.id)->find(sku)->selected != selected) changing.push_back(sku);
        if (!changing.empty()) out.emit(detail::CartSelectionSet{user.id, changing, selected});
    });
}

void Cart::clear(const Actor& customer) {
    kernel_->execute(customer, [&](const State& s, detail::EventSink& out) {
        const auto& user = detail::require_user(s, customer);
        const auto* cart = s.cart.cart_of(user.id);
        if (!cart || cart->lines.empty()) return;
        std::vector<SkuId> all;
        for (const auto& line : cart->lines) all.push_back(line.sku);
        out.emit(detail::CartLinesRemoved{user.id, all, {}});
    });
}

CartView Cart::view(const Actor& actor, UserId customer) const {
    return kernel_->read([&](const State& s) {
        detail::require_self_or_staff(s, actor, customer, "read another customer's cart");
        CartView view;
        const auto* cart = s.cart.cart_of(customer);
        if (!cart) return view;
        for (const auto& line : cart->lines) {
            auto group = std::find_if(view.shops.begin(), view.shops.end(), [&](const auto& g) { return g.shop == line.shop; });
            if (group == view.shops.end()) {
                view.shops.push_back(CartShopGroup{line.shop, s.shops.find(line.shop)->application.name, {}});
                group = std::prev(view.shops.end());
            }
            group->lines.push_back(view_of(s, line));
            ++view.line_count;
            if (line.selected) ++view.selected_count;
        }
        return view;
    });
}

Quote Cart::quote(const Actor& customer, const CheckoutRequest& request) const {
    return kernel_->read([&](const State& s) {
        const auto& user = detail::require_user(s, customer);
        const auto& address = detail::own_address(s, customer, request.address);
        const auto lines = detail::checkout_lines(s, user.id, request);
        return detail::price_checkout(s, *policies_, {user.id, kernel_->now(), request.coupons, request.flash_sale, request.group},
                                      address.address, lines);
    });
}

namespace detail {
namespace {

CartLineRecord& line_or_corrupt(State& state, UserId customer, SkuId sku) {
    auto* line = state.cart.carts[customer].find(sku);
    require_consistent(line != nullptr, "event of a cart line that does not exist");
    return *line;
}

}  // namespace

void CartLineAdded::apply(State& state, const EventContext& context) const {
    require_consistent(quantity > 0 && state.catalog.find_sku(sku), "cart line of an unknown SKU");
    auto& cart = state.cart.carts[customer];
    if (auto* line = cart.find(sku)) {
        line->quantity += quantity;
        line->price_seen = price_seen;
        line->selected = true;
    } else {
        cart.lines.push_back(CartLineRecord{sku, shop, quantity, true, price_seen, context.time});
    }
}

void CartQuantitySet::apply(State& state, const EventContext&) const {
    line_or_corrupt(state, customer, sku).quantity = quantity;
}

void CartLinesRemoved::apply(State& state, const EventContext&) const {
    auto& lines = state.cart.carts[customer].lines;
    for (const auto sku : skus) {
        const auto it = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return l.sku == sku; });
        require_consistent(it != lines.end(), "removal of a cart line that does not exist");
        lines.erase(it);
    }
    if (lines.empty()) state.cart.carts.erase(customer);
}

void CartSelectionSet::apply(State& state, const EventContext&) const {
    for (const auto sku : skus) line_or_corrupt(state, customer, sku).selected = selected;
}

}  // namespace detail
}  // namespace souk
