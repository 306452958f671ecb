// The category tree: the platform's commands and everyone's queries, and the category events.
#include <algorithm>
#include <cassert>

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

namespace {

using detail::CatalogState;
using detail::CategoryRecord;
using detail::State;

std::size_t depth_of(const CatalogState& catalog, CategoryId category) {
    return category ? detail::category_path(catalog, category).size() : 0;
}

// Levels in the subtree rooted at `category`, itself included.
std::size_t height_of(const CatalogState& catalog, CategoryId category) {
    std::size_t below = 0;
    const auto [first, last] = catalog.categories.get<detail::by_parent>().equal_range(std::make_tuple(category));
    for (auto it = first; it != last; ++it) below = std::max(below, height_of(catalog, it->id));
    return below + 1;
}

const CategoryRecord& live_category(const CatalogState& catalog, CategoryId category, std::string_view action) {
    const auto& record = detail::category_or_throw(catalog, category);
    if (record.retired)
        throw Error(Errc::invalid_state, fmt::format("category {} is retired: cannot {}", category, action));
    return record;
}

void require_name_free(const CatalogState& catalog, CategoryId parent, const std::string& name,
                       CategoryId except = {}) {
    const auto [first, last] = catalog.categories.get<detail::by_parent>().equal_range(std::make_tuple(parent));
    for (auto it = first; it != last; ++it)
        if (it->name == name && !it->retired && it->id != except)
            throw Error(
                Errc::already_exists,
                parent ? fmt::format("category {} already has a child named '{}' (category {})", parent, name, it->id)
                       : fmt::format("a top-level category named '{}' exists (category {})", name, it->id));
}

// A parent for a new or moved category that leaves `levels` levels under it.
void require_parent_fits(const CatalogState& catalog, std::optional<CategoryId> parent, std::size_t levels) {
    if (!parent) return;
    live_category(catalog, *parent, "add categories under it");
    if (depth_of(catalog, *parent) + levels > Catalog::max_category_depth)
        throw Error(Errc::limit_exceeded,
                    fmt::format("the category tree is at most {} levels deep", Catalog::max_category_depth));
}

CategoryInfo info_of(const CatalogState& catalog, const CategoryRecord& r) {
    CategoryInfo info;
    info.id = r.id;
    if (r.parent) info.parent = r.parent;
    info.name = r.name;
    info.path = detail::category_path(catalog, r.id);
    info.commission_bps = r.commission_bps;
    info.effective_commission_bps = detail::effective_commission_bps(catalog, r.id);
    info.attributes = r.attributes;
    info.effective_attributes = detail::effective_attributes(catalog, r.id);
    const auto [first, last] = catalog.categories.get<detail::by_parent>().equal_range(std::make_tuple(r.id));
    for (auto it = first; it != last; ++it) info.children.push_back(it->id);
    info.retired = r.retired;
    info.created_at = r.created_at;
    return info;
}

}  // namespace

CategoryId Catalog::create_category(const Actor& actor, const CategorySpec& spec) {
    detail::check_category_name(spec.name);
    detail::require_commission(spec.commission_bps);
    detail::check_attribute_definitions(spec.attributes);
    return kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "manage categories");
        require_parent_fits(s.catalog, spec.parent, 1);
        const auto parent = spec.parent.value_or(CategoryId{});
        require_name_free(s.catalog, parent, spec.name);
        if (s.catalog.categories.size() >= max_categories)
            throw Error(Errc::limit_exceeded, fmt::format("the catalog holds at most {} categories", max_categories));
        const CategoryId id{s.catalog.last_category + 1};
        out.emit(detail::CategoryCreated{id, parent, spec.name, spec.commission_bps,
                                         detail::AttributeDefinitionFields::from(spec.attributes)});
        return id;
    });
}

void Catalog::rename_category(const Actor& actor, CategoryId category, const std::string& name) {
    detail::check_category_name(name);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "manage categories");
        const auto& record = live_category(s.catalog, category, "rename it");
        if (record.name == name) return;
        require_name_free(s.catalog, record.parent, name, category);
        out.emit(detail::CategoryRenamed{category, name});
    });
}

void Catalog::move_category(const Actor& actor, CategoryId category, std::optional<CategoryId> parent) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "manage categories");
        const auto& record = live_category(s.catalog, category, "move it");
        const auto new_parent = parent.value_or(CategoryId{});
        if (record.parent == new_parent) return;
        if (parent) {
            const auto path = detail::category_path(s.catalog, detail::category_or_throw(s.catalog, *parent).id);
            if (std::find(path.begin(), path.end(), category) != path.end())
                throw Error(Errc::invalid_argument,
                            fmt::format("category {} cannot move under itself or its own subtree", category));
        }
        require_parent_fits(s.catalog, parent, height_of(s.catalog, category));
        require_name_free(s.catalog, new_parent, record.name, category);
        out.emit(detail::CategoryMoved{category, new_parent});
    });
}

void Catalog::retire_category(const Actor& actor, CategoryId category) {
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "manage categories");
        live_category(s.catalog, category, "retire it again");
        const auto [first, last] = s.catalog.categories.get<detail::by_parent>().equal_range(std::make_tuple(category));
        for (auto it = first; it != last; ++it)
            if (!it->retired)
                throw Error(Errc::invalid_state, fmt::format("category {} has a live child {} ('{}'): retire it first",
                                                             category, it->id, it->name));
        out.emit(detail::CategoryRetired{category});
    });
}

void Catalog::set_category_commission(const Actor& actor, CategoryId category, std::optional<int> basis_points) {
    detail::require_commission(basis_points);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "set commission rates");
        const auto& record = live_category(s.catalog, category, "change its commission");
        if (record.commission_bps != basis_points) out.emit(detail::CategoryCommissionSet{category, basis_points});
    });
}

void Catalog::set_category_attributes(const Actor& actor, CategoryId category,
                                      const std::vector<AttributeDefinition>& attributes) {
    detail::check_attribute_definitions(attributes);
    kernel_->execute(actor, [&](const State& s, detail::EventSink& out) {
        detail::require_platform_staff(s, actor, "manage categories");
        const auto& record = live_category(s.catalog, category, "change its attributes");
        if (record.attributes != attributes)
            out.emit(detail::CategoryAttributesSet{category, detail::AttributeDefinitionFields::from(attributes)});
    });
}

CategoryInfo Catalog::category(CategoryId category) const {
    return kernel_->read(
        [&](const State& s) { return info_of(s.catalog, detail::category_or_throw(s.catalog, category)); });
}

std::vector<CategoryInfo> Catalog::categories(std::optional<CategoryId> parent, bool include_retired) const {
    return kernel_->read([&](const State& s) {
        if (parent) detail::category_or_throw(s.catalog, *parent);
        std::vector<CategoryInfo> children;
        const auto [first, last] =
            s.catalog.categories.get<detail::by_parent>().equal_range(std::make_tuple(parent.value_or(CategoryId{})));
        for (auto it = first; it != last; ++it)
            if (include_retired || !it->retired) children.push_back(info_of(s.catalog, *it));
        std::stable_sort(children.begin(), children.end(),
                         [](const CategoryInfo& a, const CategoryInfo& b) { return a.name < b.name; });
        return children;
    });
}

namespace detail {

std::vector<AttributeDefinitionFields> AttributeDefinitionFields::from(const std::vector<AttributeDefinition>& list) {
    std::vector<AttributeDefinitionFields> fields;
    for (const auto& d : list) fields.push_back({d.name, d.required, d.allowed_values});
    return fields;
}

std::vector<AttributeDefinition> AttributeDefinitionFields::to(const std::vector<AttributeDefinitionFields>& list) {
    std::vector<AttributeDefinition> definitions;
    for (const auto& d : list) definitions.push_back({d.name, d.required, d.allowed_values});
    return definitions;
}

void CategoryCreated::apply(State& state, const EventContext& context) const {
    auto& catalog = state.catalog;
    require_consistent(category.value == catalog.last_category + 1 && (!parent || catalog.find_category(parent)),
                       "category out of order or under an unknown parent");
    require_consistent(depth_of(catalog, parent) < Catalog::max_category_depth, "category tree too deep");
    require_consistent(!commission_bps || is_basis_points(*commission_bps), "category commission out of range");
    catalog.categories.insert(CategoryRecord{category, parent, category_name, commission_bps,
                                             AttributeDefinitionFields::to(attributes), false, context.time});
    catalog.last_category = category.value;
}

void CategoryRenamed::apply(State& state, const EventContext&) const {
    modify_row(state.catalog.categories, category, "unknown category",
               [&](CategoryRecord& r) { r.name = category_name; });
}

void CategoryMoved::apply(State& state, const EventContext&) const {
    auto& catalog = state.catalog;
    require_consistent(catalog.find_category(category) && (!parent || catalog.find_category(parent)),
                       "move of an unknown category or under an unknown parent");
    // Walks up the tree rely on it having no loop and bounded depth: a forged move could break both.
    std::size_t parent_depth = 0;
    for (auto id = parent; id; id = catalog.find_category(id)->parent, ++parent_depth)
        require_consistent(id != category, "category moved under its own subtree");
    require_consistent(parent_depth + height_of(catalog, category) <= Catalog::max_category_depth,
                       "category tree too deep");
    modify_row(catalog.categories, category, "unknown category", [&](CategoryRecord& r) { r.parent = parent; });
    search_sync::category_moved(state, category);
}

void CategoryRetired::apply(State& state, const EventContext&) const {
    modify_row(state.catalog.categories, category, "unknown category", [](CategoryRecord& r) { r.retired = true; });
}

void CategoryCommissionSet::apply(State& state, const EventContext&) const {
    require_consistent(!basis_points || is_basis_points(*basis_points), "category commission out of range");
    modify_row(state.catalog.categories, category, "unknown category",
               [&](CategoryRecord& r) { r.commission_bps = basis_points; });
}

void CategoryAttributesSet::apply(State& state, const EventContext&) const {
    modify_row(state.catalog.categories, category, "unknown category",
               [&](CategoryRecord& r) { r.attributes = AttributeDefinitionFields::to(attributes); });
}

}  // namespace detail
}  // namespace souk
