// Checks of what shops and platform staff submit to the catalog. Each throws
// Error(invalid_argument) (or currency_mismatch) naming what is wrong. All but
// check_attribute_values need nothing from the state, so commands run them before taking
// the writer lock.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "souk/catalog.hpp"

namespace souk::detail {

void check_category_name(const std::string& name);
void check_attribute_definitions(const std::vector<AttributeDefinition>& definitions);

void check_title(const std::string& title);
void check_description(const std::string& description);
void check_images(const std::vector<std::string>& images);
void check_price(const Money& price, const std::optional<Money>& list_price);
void check_sku_details(std::int64_t weight_grams, const std::string& code);
// Dimensions and SKUs together: exactly one SKU per combination of dimension values, prices
// in one currency, SKU codes distinct. `keep_allowed` is false for a new product.
void check_specs(const std::vector<SpecDimension>& specs, const std::vector<SkuDraft>& skus, bool keep_allowed);
void check_ban_reason(const std::string& reason);

// A product's attribute values against the definitions of its category: every name must be
// defined and every value allowed; with `complete`, every required attribute must be set.
void check_attribute_values(const std::map<std::string, std::string>& values,
                            const std::vector<AttributeDefinition>& definitions, bool complete);

}  // namespace souk::detail
