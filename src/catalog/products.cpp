// Products and SKUs: the shops' commands, the platform's bans, the queries, and the product events.
#include <algorithm>
#include <cassert>
#include <set>

#include <fmt/format.h>

#include "catalog/checks.hpp"
#include "catalog/events.hpp"
#include "catalog/lookup.hpp"
#include "kernel/authz.hpp"
#include "kernel/kernel.hpp"
#include "search/sync.hpp"
#include "souk/catalog.hpp"
#include "souk/error.hpp"
#include "validate.hpp"

namespace souk {

std::string_view product_status_name(ProductStatus status) noexcept {
    switch (status) {
        case ProductStatus::draft: return "draft";
        case ProductStatus::on_sale: return "on sale";
        case ProductStatus::delisted: return "delisted";
        case ProductStatus::banned: return "banned";
    }
    return "unknown";
}

namespace {

using detail::ProductRecord;
using detail::ShopRecord;
using detail::SkuFields;
using detail::SkuRecord;
using detail::State;

// The shop whose products the actor is about to change: they must act for it, and it must
// be active or suspended (a closed shop's products are frozen).
const ShopRecord& editable_shop(const State& s, ShopId shop, const Actor& actor) {
    const auto* record = s.shops.find(shop);
    if (!record) throw Error(Errc::not_found, fmt::format("no shop {}", shop));
    detail::require_shop_member(s, shop, actor, "edit its products");
    if (record->status != ShopStatus::active && record->status != ShopStatus::suspended)
        throw Error(Errc::invalid_state, fmt::format("shop {} is {}: only active and suspended shops edit products",
                                                     shop, shop_status_name(record->status)));
    return *record;
}

const ProductRecord& editable_product(const State& s, ProductId product, const Actor& actor) {
    const auto& record = detail::product_or_throw(s.catalog, product);
    editable_shop(s, record.shop, actor);
    return record;
}

const SkuRecord& editable_sku(const State& s, SkuId sku, const Actor& actor) {
    const auto& record = detail::sku_or_throw(s.catalog, sku);
    editable_product(s, record.product, actor);
    if (record.dropped)
        throw Error(Errc::invalid_state, fmt::format("SKU {} was dropped from product {}", sku, record.product));
    return record;
}

// A category products may be put into.
void require_open_category(const State& s, CategoryId category) {
    if (detail::category_or_throw(s.catalog, category).retired)
        throw Error(Errc::invalid_state, fmt::format("category {} is retired: it takes no products", category));
}

// Codes of a shop's live SKUs are unique; the SKUs of `replacing` give theirs up.
void require_codes_free(const State& s, ShopId shop, const std::vector<SkuDraft>& skus, ProductId replacing = {}) {
    for (const auto& sku : skus) {
        if (sku.code.empty()) continue;
        const auto holder = s.catalog.sku_with_code(shop, sku.code);
        if (holder && s.catalog.find_sku(*holder)->product != replacing)
            throw Error(Errc::already_exists,
                        fmt::format("SKU code '{}' is taken by SKU {} of this shop", sku.code, *holder));
    }
}

// Which SKU each draft of a spec replacement becomes, and which live SKUs are dropped.
struct SpecPlan {
    std::vector<SkuFields> skus;
    std::vector<SkuId> dropped;
};

SpecPlan plan_specs(const State& s, const ProductRecord& product, const std::vector<SkuDraft>& drafts) {
    const auto& live = product.skus;
    std::vector<SkuId> ids(drafts.size());
    std::set<SkuId> continued;
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        if (!drafts[i].keep) continue;
        if (std::find(live.begin(), live.end(), *drafts[i].keep) == live.end())
            throw Error(Errc::invalid_argument,
                        fmt::format("SKU {} is not a live SKU of product {}", *drafts[i].keep, product.id));
        ids[i] = *drafts[i].keep;
        continued.insert(ids[i]);
    }
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        if (ids[i]) continue;
        for (const auto id : live)
            if (!continued.contains(id) && s.catalog.find_sku(id)->spec == drafts[i].spec) {
                ids[i] = id;
                continued.insert(id);
                break;
            }
    }
    std::uint64_t next_sku = s.catalog.last_sku + 1;
    SpecPlan plan;
    for (std::size_t i = 0; i < drafts.size(); ++i)
        plan.skus.push_back(SkuFields::from(ids[i] ? ids[i] : SkuId{next_sku++}, drafts[i]));
    for (const auto id : live) {
        if (continued.contains(id)) continue;
        const auto* stock = s.inventory.find(id);
        if (stock && stock->reserved > 0)
            throw Error(Errc::invalid_state,
                        fmt::format("SKU {} has {} units reserved: it cannot be dropped until they "
                                    "are released or sold",
                                    id, stock->reserved));
        plan.dropped.push_back(id);
    }
    return plan;
}

// Whether the actor may see the product: anyone if it is on sale in an active shop; its
// shop's members and platform staff always.
bool visible_to(const State& s, const ProductRecord& product, const Actor& actor) {
    return detail::on_display(s, product) || detail::is_platform_staff(s, actor) ||
           detail::is_shop_member(s, product.shop, actor);
}

const ProductRecord& visible_product(const State& s, ProductId product, const Actor& actor) {
    const auto* record = s.catalog.find_product(product);
    if (!record || !visible_to(s, *record, actor)) throw Error(Errc::not_found, fmt::format("no product {}", product));
    return *record;
}

ProductInfo info_of(const State& s, const ProductRecord& p) {
    ProductInfo info{p.id,     p.shop,  p.category, p.title,        p.description, p.attributes, p.images,
                     p.specs,  {},      p.currency, p.status,       p.ban_reason,  p.sales,      p.created_at,
                     p.updated_at};
    for (const auto id : p.skus) {
        const auto* sku = s.catalog.find_sku(id);
        assert(sku && !sku->dropped);
        info.skus.push_back(SkuInfo{sku->id, sku->product, sku->spec, sku->price, sku->list_price, sku->weight_grams,
                                    sku->code, s.inventory.available(id)});
    }
    return info;
}

}  // namespace

ProductId Catalog::create_product(const Actor& actor, ShopId shop, const ProductDraft& draft) {
    detail::check_title(draft.title);
    detail::check_description(draft.description);
    detail::check_images(draft.images);
    detail::check_specs(draft.specs, draft.skus, false);
    return kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        editable_shop(s, shop, actor);
        const auto count = s.catalog.products_per_shop.find(shop);
        if (count != s.catalog.products_per_shop.end() && count->second >= max_products_per_shop)
            throw Error(Errc::limit_exceeded, fmt::format("a shop has at most {} products", max_products_per_shop));
        require_open_category(s, draft.category);
        detail::check_attribute_values(draft.attributes, detail::effective_attributes(s.catalog, draft.category),
                                       false);
        require_codes_free(s, shop, draft.skus);
        const ProductId id{s.catalog.last_product + 1};
        std::vector<SkuFields> skus;
        for (const auto& sku : draft.skus)
            skus.push_back(SkuFields::from(SkuId{s.catalog.last_sku + 1 + skus.size()}, sku));
        out.emit(detail::ProductCreated{id, shop, draft.category, draft.title, draft.description,
                                        detail::AttributeValueFields::from(draft.attributes), draft.images,
                                        detail::SpecDimensionFields::from(draft.specs), std::move(skus)});
        return id;
    });
}

void Catalog::update_product(const Actor& actor, ProductId product, const ProductUpdate& update) {
    if (update.title) detail::check_title(*update.title);
    if (update.description) detail::check_description(*update.description);
    if (update.images) detail::check_images(*update.images);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = editable_product(s, product, actor);
        // Only what changes goes into the event, so the audit trail shows real edits.
        const auto changed = [](const auto& wanted, const auto& current) {
            return wanted && *wanted != current ? wanted : std::nullopt;
        };
        detail::ProductUpdated event{product,
                                     changed(update.title, record.title),
                                     changed(update.description, record.description),
                                     changed(update.category, record.category),
                                     {},
                                     changed(update.images, record.images)};
        const auto attributes = changed(update.attributes, record.attributes);
        if (attributes) event.attributes = detail::AttributeValueFields::from(*attributes);
        if (event.category) require_open_category(s, *event.category);
        if (event.category || attributes)
            detail::check_attribute_values(
                attributes.value_or(record.attributes),
                detail::effective_attributes(s.catalog, event.category.value_or(record.category)),
                record.status == ProductStatus::on_sale);
        if (event.title || event.description || event.category || event.attributes || event.images) out.emit(event);
    });
}

void Catalog::set_specs(const Actor& actor, ProductId product, const std::vector<SpecDimension>& specs,
                        const std::vector<SkuDraft>& skus) {
    detail::check_specs(specs, skus, true);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = editable_product(s, product, actor);
        require_codes_free(s, record.shop, skus, product);
        auto plan = plan_specs(s, record, skus);
        out.emit(detail::ProductSpecsSet{product, detail::SpecDimensionFields::from(specs), std::move(plan.skus),
                                         std::move(plan.dropped)});
    });
}

void Catalog::set_sku_price(const Actor& actor, SkuId sku, const Money& price, const std::optional<Money>& list_price) {
    detail::check_price(price, list_price);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = editable_sku(s, sku, actor);
        const auto& currency = s.catalog.find_product(record.product)->currency;
        if (price.currency() != currency)
            throw Error(Errc::currency_mismatch, fmt::format("product {} sells in {}, not {}: set_specs changes the "
                                                             "currency of all its SKUs at once",
                                                             record.product, currency, price.currency()));
        if (record.price != price || record.list_price != list_price)
            out.emit(detail::SkuPriceChanged{record.product, sku, price, list_price});
    });
}

void Catalog::set_sku_details(const Actor& actor, SkuId sku, std::int64_t weight_grams, const std::string& code) {
    detail::check_sku_details(weight_grams, code);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = editable_sku(s, sku, actor);
        const auto holder = code.empty() ? std::nullopt : s.catalog.sku_with_code(record.shop, code);
        if (holder && *holder != sku)
            throw Error(Errc::already_exists,
                        fmt::format("SKU code '{}' is taken by SKU {} of this shop", code, *holder));
        if (record.weight_grams != weight_grams || record.code != code)
            out.emit(detail::SkuDetailsChanged{record.product, sku, weight_grams, code});
    });
}

void Catalog::put_on_sale(const Actor& actor, ProductId product) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = editable_product(s, product, actor);
        if (record.status != ProductStatus::draft && record.status != ProductStatus::delisted)
            throw Error(Errc::invalid_state, fmt::format("product {} is {}: only drafts and delisted products can be "
                                                         "put on sale", product, product_status_name(record.status)));
        const auto* shop = s.shops.find(record.shop);
        if (shop->status != ShopStatus::active)
            throw Error(Errc::invalid_state, fmt::format("shop {} is {}: only active shops sell", shop->id,
                                                         shop_status_name(shop->status)));
        if (s.catalog.find_category(record.category)->retired)
            throw Error(Errc::invalid_state, fmt::format("category {} is retired: move product {} to another category "
                                                         "first", record.category, product));
        detail::check_attribute_values(record.attributes, detail::effective_attributes(s.catalog, record.category),
                                       true);
        out.emit(detail::ProductListed{product, {}});
    });
}

void Catalog::delist(const Actor& actor, ProductId product) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        const auto& record = editable_product(s, product, actor);
        if (record.status != ProductStatus::on_sale)
            throw Error(Errc::invalid_state,
                        fmt::format("product {} is {}: only a product on sale can be delisted", product,
                                    product_status_name(record.status)));
        out.emit(detail::ProductDelisted{product, {}});
    });
}

void Catalog::ban(const Actor& actor, ProductId product, const std::string& reason) {
    detail::check_ban_reason(reason);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "ban products");
        if (detail::product_or_throw(s.catalog, product).status == ProductStatus::banned)
            throw Error(Errc::invalid_state, fmt::format("product {} is banned already", product));
        out.emit(detail::ProductBanned{product, reason});
    });
}

void Catalog::lift_ban(const Actor& actor, ProductId product) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "lift product bans");
        if (detail::product_or_throw(s.catalog, product).status != ProductStatus::banned)
            throw Error(Errc::invalid_state, fmt::format("product {} is not banned", product));
        out.emit(detail::ProductBanLifted{product, {}});
    });
}

ProductInfo Catalog::product(const Actor& actor, ProductId product) const {
    return kernel_->read([&](const State& s) { return info_of(s, visible_product(s, product, actor)); });
}

ProductInfo Catalog::product_of_sku(const Actor& actor, SkuId sku) const {
    return kernel_->read([&](const State& s) {
        const auto* record = s.catalog.find_sku(sku);
        if (!record) throw Error(Errc::not_found, fmt::format("no SKU {}", sku));
        return info_of(s, visible_product(s, record->product, actor));
    });
}

std::vector<ProductInfo> Catalog::products_of(const Actor& actor, ShopId shop, std::optional<ProductStatus> status,
                                              Page page) const {
    detail::require_page(page);
    return kernel_->read([&](const State& s) {
        const auto* record = s.shops.find(shop);
        const bool insider = detail::is_platform_staff(s, actor) || detail::is_shop_member(s, shop, actor);
        if (!record || (!insider && record->status != ShopStatus::active))
            throw Error(Errc::not_found, fmt::format("no shop {}", shop));
        if (!insider) {
            if (status && *status != ProductStatus::on_sale)
                throw Error(Errc::forbidden, "only the shop's staff and platform staff may list products not on sale");
            status = ProductStatus::on_sale;
        }
        std::vector<ProductInfo> result;
        std::size_t skipped = 0;
        const auto [first, last] = s.catalog.products.get<detail::by_product_shop>().equal_range(std::make_tuple(shop));
        for (auto it = std::make_reverse_iterator(last); it != std::make_reverse_iterator(first); ++it) {
            if (result.size() == page.limit) break;
            if (status && it->status != *status) continue;
            if (skipped++ < page.offset) continue;
            result.push_back(info_of(s, *it));
        }
        return result;
    });
}

PurchasableSku Catalog::purchasable(SkuId sku) const {
    return kernel_->read([&](const State& s) {
        const auto found = detail::require_purchasable(s, sku);
        return PurchasableSku{found.sku.id,         found.product.id, found.shop.id,
                              found.product.title,  found.sku.spec,   found.sku.price,
                              found.sku.list_price, found.sku.weight_grams, s.inventory.available(sku)};
    });
}

int Catalog::commission_bps(const Actor& actor, ProductId product) const {
    return kernel_->read([&](const State& s) {
        const auto& record = visible_product(s, product, actor);
        if (!detail::is_platform_staff(s, actor) && !detail::is_shop_member(s, record.shop, actor))
            throw Error(
                Errc::forbidden,
                fmt::format("only the staff of shop {} and platform staff may see its commission", record.shop));
        return detail::product_commission_bps(s, record);
    });
}

namespace detail {

std::vector<AttributeValueFields> AttributeValueFields::from(const std::map<std::string, std::string>& values) {
    std::vector<AttributeValueFields> fields;
    for (const auto& [name, value] : values) fields.push_back({name, value});
    return fields;
}

std::map<std::string, std::string> AttributeValueFields::to(const std::vector<AttributeValueFields>& list) {
    std::map<std::string, std::string> values;
    for (const auto& a : list) values.emplace(a.name, a.value);
    return values;
}

std::vector<SpecDimensionFields> SpecDimensionFields::from(const std::vector<SpecDimension>& list) {
    std::vector<SpecDimensionFields> fields;
    for (const auto& d : list) fields.push_back({d.name, d.values});
    return fields;
}

std::vector<SpecDimension> SpecDimensionFields::to(const std::vector<SpecDimensionFields>& list) {
    std::vector<SpecDimension> dimensions;
    for (const auto& d : list) dimensions.push_back({d.name, d.values});
    return dimensions;
}

namespace {

void touch_product(State& state, ProductId product, Timestamp time) {
    modify_row(state.catalog.products, product, "unknown product", [&](ProductRecord& r) { r.updated_at = time; });
}

void claim_code(State& state, const SkuRecord& sku) {
    if (sku.code.empty()) return;
    const bool free = state.catalog.sku_codes.emplace(std::pair(sku.shop, sku.code), sku.id).second;
    require_consistent(free, "SKU code claimed twice");
}

void free_code(State& state, const SkuRecord& sku) {
    if (!sku.code.empty()) state.catalog.sku_codes.erase({sku.shop, sku.code});
}

// Inserts the SKUs of a product event that are new (their ids continue last_sku) and
// overwrites the ones that continue; returns their ids in order.
std::vector<SkuId> put_skus(State& state, const ProductRecord& product, const std::vector<SkuFields>& skus) {
    auto& catalog = state.catalog;
    std::vector<SkuId> ids;
    for (const auto& f : skus) {
        const auto* existing = catalog.find_sku(f.sku);
        SkuRecord record{f.sku, product.id, product.shop, f.spec, f.price, f.list_price, f.weight_grams, f.code, false};
        require_consistent(f.price.currency() == skus.front().price.currency(), "SKU prices in several currencies");
        if (existing) {
            require_consistent(existing->product == product.id && !existing->dropped,
                               "SKU of another product continued");
            catalog.skus.replace(catalog.skus.find(f.sku), record);
        } else {
            require_consistent(f.sku.value == catalog.last_sku + 1, "SKU out of order");
            catalog.skus.insert(record);
            catalog.last_sku = f.sku.value;
        }
        claim_code(state, record);
        ids.push_back(f.sku);
    }
    return ids;
}

}  // namespace

void ProductCreated::apply(State& state, const EventContext& context) const {
    auto& catalog = state.catalog;
    require_consistent(product.value == catalog.last_product + 1 && state.shops.find(shop) &&
                           catalog.find_category(category) && !skus.empty(),
                       "product out of order, of an unknown shop or category, or without SKUs");
    ProductRecord record{product, shop, category, title, description, AttributeValueFields::to(attributes), images,
                         SpecDimensionFields::to(specs), {}, skus.front().price.currency(), ProductStatus::draft,
                         false, {}, 0, context.time, context.time};
    record.skus = put_skus(state, record, skus);
    catalog.products.insert(std::move(record));
    ++catalog.products_per_shop[shop];
    catalog.last_product = product.value;
    search_sync::product_changed(state, product);
}

void ProductUpdated::apply(State& state, const EventContext& context) const {
    require_consistent(!category || state.catalog.find_category(*category), "product moved to an unknown category");
    modify_row(state.catalog.products, product, "unknown product", [&](ProductRecord& r) {
        if (title) r.title = *title;
        if (description) r.description = *description;
        if (category) r.category = *category;
        if (attributes) r.attributes = AttributeValueFields::to(*attributes);
        if (images) r.images = *images;
        r.updated_at = context.time;
    });
    if (title || category || attributes) search_sync::product_changed(state, product);
}

void ProductSpecsSet::apply(State& state, const EventContext& context) const {
    auto& catalog = state.catalog;
    const auto* product_record = catalog.find_product(product);
    require_consistent(product_record && !skus.empty(), "specs of an unknown product, or no SKUs");
    const auto old_skus = product_record->skus;
    for (const auto id : old_skus) free_code(state, *catalog.find_sku(id));
    for (const auto id : dropped) {
        require_consistent(std::find(old_skus.begin(), old_skus.end(), id) != old_skus.end(),
                           "dropped SKU is not live");
        modify_row(catalog.skus, id, "unknown SKU", [](SkuRecord& r) { r.dropped = true; });
    }
    const auto ids = put_skus(state, *product_record, skus);
    for (const auto id : old_skus)
        require_consistent(std::find(ids.begin(), ids.end(), id) != ids.end() ||
                               std::find(dropped.begin(), dropped.end(), id) != dropped.end(),
                           "a live SKU is neither continued nor dropped");
    modify_row(catalog.products, product, "unknown product", [&](ProductRecord& r) {
        r.specs = SpecDimensionFields::to(specs);
        r.skus = ids;
        r.currency = skus.front().price.currency();
        r.updated_at = context.time;
    });
    search_sync::product_changed(state, product);
}

void SkuPriceChanged::apply(State& state, const EventContext& context) const {
    const auto* sku_record = state.catalog.find_sku(sku);
    const auto* product_record = state.catalog.find_product(product);
    require_consistent(sku_record && sku_record->product == product && !sku_record->dropped &&
                           product_record->currency == price.currency(),
                       "price of an unknown or dropped SKU, or in another currency");
    modify_row(state.catalog.skus, sku, "unknown SKU", [&](SkuRecord& r) {
        r.price = price;
        r.list_price = list_price;
    });
    touch_product(state, product, context.time);
    search_sync::price_changed(state, product, sku);
}

void SkuDetailsChanged::apply(State& state, const EventContext& context) const {
    const auto* sku_record = state.catalog.find_sku(sku);
    require_consistent(sku_record && sku_record->product == product && !sku_record->dropped,
                       "details of an unknown or dropped SKU");
    free_code(state, *sku_record);
    modify_row(state.catalog.skus, sku, "unknown SKU", [&](SkuRecord& r) {
        r.weight_grams = weight_grams;
        r.code = code;
    });
    claim_code(state, *state.catalog.find_sku(sku));
    touch_product(state, product, context.time);
}

template <EventKind Kind, const char* Name>
void ProductTransition<Kind, Name>::apply(State& state, const EventContext& context) const {
    const auto* record = state.catalog.find_product(product);
    require_consistent(record != nullptr, "status change of an unknown product");
    const auto from = record->status;
    ProductStatus to{};
    if constexpr (Kind == EventKind::product_listed) {
        require_consistent(from == ProductStatus::draft || from == ProductStatus::delisted,
                           "listing from a bad status");
        to = ProductStatus::on_sale;
    } else if constexpr (Kind == EventKind::product_delisted) {
        require_consistent(from == ProductStatus::on_sale, "delisting a product not on sale");
        to = ProductStatus::delisted;
    } else if constexpr (Kind == EventKind::product_banned) {
        require_consistent(from != ProductStatus::banned, "banning a banned product");
        to = ProductStatus::banned;
    } else {
        require_consistent(from == ProductStatus::banned, "lifting the ban of a product not banned");
        to = record->ever_on_sale ? ProductStatus::delisted : ProductStatus::draft;
    }
    modify_row(state.catalog.products, product, "unknown product", [&](ProductRecord& r) {
        r.status = to;
        r.ever_on_sale = r.ever_on_sale || to == ProductStatus::on_sale;
        r.ban_reason = reason;
        r.updated_at = context.time;
    });
    search_sync::product_status_changed(state, product);
}

template struct ProductTransition<EventKind::product_listed, product_listed_name>;
template struct ProductTransition<EventKind::product_delisted, product_delisted_name>;
template struct ProductTransition<EventKind::product_banned, product_banned_name>;
template struct ProductTransition<EventKind::product_ban_lifted, product_ban_lifted_name>;

}  // namespace detail
}  // namespace souk
