// Shipping fees from the shops' templates, with the marketplace's flat fee for products that
// name none: the ShippingFeePolicy the marketplace prices checkouts with.
#pragma once

#include <memory>

#include "cart/pricing.hpp"

namespace souk::detail {

class TemplateShippingFee final : public ShippingFeePolicy {
public:
    explicit TemplateShippingFee(std::unique_ptr<const ShippingFeePolicy> flat) : flat_(std::move(flat)) {}
    Money fee(const State& state, const ShopQuote& shop_part, const PostalAddress& to) const override;

private:
    std::unique_ptr<const ShippingFeePolicy> flat_;  // for the lines whose product names no template
};

// What a template charges for `lines` (of its shop) shipped to `to`.
Money template_fee(const State& state, const ShippingTemplateSpec& spec, const std::vector<const QuoteLine*>& lines,
                   const PostalAddress& to);

}  // namespace souk::detail
