#include "catalog/checks.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "souk/error.hpp"
#include "validate.hpp"

namespace souk::detail {
namespace {

constexpr std::size_t max_attribute_definitions = 30;
constexpr std::size_t max_allowed_values = 200;
constexpr std::size_t max_images = 20;
constexpr std::size_t max_spec_dimensions = 5;
constexpr std::size_t max_spec_values = 100;
constexpr std::int64_t max_weight_grams = 100'000'000;

[[noreturn]] void invalid(std::string message) { throw Error(Errc::invalid_argument, message); }

// Throws if `items` holds a value twice; `what` names one item ("attribute name").
void require_distinct(const std::vector<std::string>& items, std::string_view what) {
    std::set<std::string_view> seen;
    for (const auto& item : items)
        if (!seen.insert(item).second) invalid(fmt::format("{} '{}' is given twice", what, item));
}

void check_dimensions(const std::vector<SpecDimension>& specs) {
    if (specs.size() > max_spec_dimensions)
        invalid(fmt::format("a product has at most {} spec dimensions, not {}", max_spec_dimensions, specs.size()));
    std::vector<std::string> names;
    for (const auto& dimension : specs) {
        require_text("spec dimension name", dimension.name, 1, 30);
        if (dimension.values.empty() || dimension.values.size() > max_spec_values)
            invalid(fmt::format("spec dimension '{}' needs 1..{} values, not {}", dimension.name, max_spec_values,
                                dimension.values.size()));
        for (const auto& value : dimension.values) require_text("spec value", value, 1, 40);
        require_distinct(dimension.values, fmt::format("value of spec dimension '{}'", dimension.name));
        names.push_back(dimension.name);
    }
    require_distinct(names, "spec dimension");
}

// How many SKUs the dimensions call for (the product of their value counts).
std::size_t combinations_of(const std::vector<SpecDimension>& specs) {
    std::size_t combinations = 1;
    for (const auto& dimension : specs) {
        combinations *= dimension.values.size();  // at most 600 × 100: cannot overflow
        if (combinations > Catalog::max_sku_combinations)
            invalid(fmt::format("the spec dimensions make more than {} combinations", Catalog::max_sku_combinations));
    }
    return combinations;
}

void check_sku_spec(const std::vector<SpecDimension>& specs, const SkuDraft& sku) {
    if (sku.spec.size() != specs.size())
        invalid(fmt::format("a SKU's spec has one value per dimension ({}), not {}", specs.size(), sku.spec.size()));
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto& values = specs[i].values;
        if (std::find(values.begin(), values.end(), sku.spec[i]) == values.end())
            invalid(fmt::format("'{}' is not a value of spec dimension '{}'", sku.spec[i], specs[i].name));
    }
}

}  // namespace

void check_category_name(const std::string& name) { require_text("category name", name, 1, 40); }


void check_attribute_definitions(const std::vector<AttributeDefinition>& definitions) {
    if (definitions.size() > max_attribute_definitions)
        invalid(fmt::format("a category defines at most {} attributes, not {}", max_attribute_definitions,
                            definitions.size()));
    std::vector<std::string> names;
    for (const auto& definition : definitions) {
        require_text("attribute name", definition.name, 1, 30);
        if (definition.allowed_values.size() > max_allowed_values)
            invalid(fmt::format("attribute '{}' allows at most {} values, not {}", definition.name,
                                max_allowed_values, definition.allowed_values.size()));
        for (const auto& value : definition.allowed_values) require_text("allowed value", value, 1, 60);
        require_distinct(definition.allowed_values, fmt::format("allowed value of attribute '{}'", definition.name));
        names.push_back(definition.name);
    }
    require_distinct(names, "attribute name");
}

void check_title(const std::string& title) { require_text("title", title, 1, 120); }

void check_description(const std::string& description) { require_paragraph("description", description, 0, 10'000); }

void check_images(const std::vector<std::string>& images) { require_web_urls("images", images, max_images); }

void check_price(const Money& price, const std::optional<Money>& list_price) {
    if (price.minor_units() <= 0 || price.minor_units() > Catalog::max_price_minor_units)
        invalid(fmt::format("price {} is not positive or above the largest price souk takes", price));
    if (!list_price) return;
    if (list_price->currency() != price.currency())
        throw Error(Errc::currency_mismatch,
                    fmt::format("list price {} is not in the price's currency {}", *list_price, price.currency()));
    if (*list_price < price || list_price->minor_units() > Catalog::max_price_minor_units)
        invalid(fmt::format("list price {} must be at least the price {} and not above the largest price souk takes",
                            *list_price, price));
}

void check_sku_details(std::int64_t weight_grams, const std::string& code) {
    if (weight_grams < 0 || weight_grams > max_weight_grams)
        invalid(fmt::format("weight {} g is outside 0..{}", weight_grams, max_weight_grams));
    require_text("SKU code", code, 0, 64);
}

void check_specs(const std::vector<SpecDimension>& specs, const std::vector<SkuDraft>& skus, bool keep_allowed) {
    check_dimensions(specs);
    const auto combinations = combinations_of(specs);
    if (skus.size() != combinations)
        invalid(fmt::format("the spec dimensions make {} combinations: give exactly one SKU for each, not {} SKUs",
                            combinations, skus.size()));
    std::set<std::vector<std::string>> seen_specs;
    std::vector<std::string> codes;
    std::set<SkuId> kept;
    for (const auto& sku : skus) {
        check_sku_spec(specs, sku);
        if (!seen_specs.insert(sku.spec).second)
            invalid(fmt::format("two SKUs have the spec '{}'", fmt::join(sku.spec, " / ")));
        check_price(sku.price, sku.list_price);
        if (sku.price.currency() != skus.front().price.currency())
            throw Error(Errc::currency_mismatch,
                        fmt::format("SKU prices are in {} and {}: a product sells in one currency",
                                    skus.front().price.currency(), sku.price.currency()));
        check_sku_details(sku.weight_grams, sku.code);
        if (!sku.code.empty()) codes.push_back(sku.code);
        if (sku.keep && !keep_allowed) invalid("a new product's SKUs cannot continue existing SKUs");
        if (sku.keep && !kept.insert(*sku.keep).second)
            invalid(fmt::format("two SKUs continue SKU {}", *sku.keep));
    }
    require_distinct(codes, "SKU code");
}

void check_ban_reason(const std::string& reason) { require_paragraph("reason", reason, 1, 500); }

void check_attribute_values(const std::map<std::string, std::string>& values,
                            const std::vector<AttributeDefinition>& definitions, bool complete) {
    for (const auto& entry : values) {
        const auto& [name, value] = entry;
        const auto definition = std::find_if(definitions.begin(), definitions.end(),
                                             [&](const auto& d) { return d.name == entry.first; });
        if (definition == definitions.end())
            invalid(fmt::format("the category defines no attribute '{}'", name));
        const auto& allowed = definition->allowed_values;
        if (allowed.empty()) {
            require_text(fmt::format("attribute '{}'", name), value, 1, 120);
        } else if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
            invalid(fmt::format("'{}' is not an allowed value of attribute '{}' ({})", value, name,
                                fmt::join(allowed, ", ")));
        }
    }
    if (!complete) return;
    for (const auto& definition : definitions)
        if (definition.required && !values.contains(definition.name))
            invalid(fmt::format("attribute '{}' is required", definition.name));
}

}  // namespace souk::detail
