// souk.Cart (marketplace.cart): the address book, the cart that spans shops, and the quote, with
// their records. Every method runs without the GIL.
#include "bindings.hpp"

#include "souk/cart.hpp"

namespace souk::python {
namespace {

// Addresses are arguments and, inside AddressEntry and the orders' records, results too.
void bind_addresses(py::module_& m) {
    py::class_<RegionCode> region(
        m, "RegionCode",
        "Administrative region codes as the host's region table spells them (GB/T 2260: '440000', '440300',\n"
        "'440305'): each 1..12 ASCII letters or digits; province required, a district needs a city.");
    region.def(py::init([](std::string province, std::string city, std::string district) {
                   return RegionCode{std::move(province), std::move(city), std::move(district)};
               }),
               py::kw_only(), py::arg("province"), py::arg("city") = "", py::arg("district") = "");
    def_readwrite_fields(region, field("province", &RegionCode::province), field("city", &RegionCode::city),
                         field("district", &RegionCode::district));
    region.def(py::self == py::self).def(py::self != py::self);

    py::class_<PostalAddress> address(
        m, "PostalAddress",
        "Where goods go: recipient 1..40 characters; phone 5..20 characters of digits, spaces and '-', an\n"
        "optional leading '+'; a RegionCode; detail (street, building, room) 1..200 characters; postal_code\n"
        "0..12 ASCII letters, digits, spaces or '-'. Orders keep a copy.");
    address
        .def(py::init([](std::string recipient, std::string phone, RegionCode region, std::string detail,
                         std::string postal_code) {
                 return PostalAddress{std::move(recipient), std::move(phone), std::move(region), std::move(detail),
                                      std::move(postal_code)};
             }),
             py::kw_only(), py::arg("recipient"), py::arg("phone"), py::arg("region"), py::arg("detail"),
             py::arg("postal_code") = "");
    def_readwrite_fields(address, field("recipient", &PostalAddress::recipient), field("phone", &PostalAddress::phone),
                         field("region", &PostalAddress::region), field("detail", &PostalAddress::detail),
                         field("postal_code", &PostalAddress::postal_code));
    address.def(py::self == py::self).def(py::self != py::self);

    py::class_<AddressEntry> entry(m, "AddressEntry", "One entry of a customer's address book.");
    def_readonly_fields(entry, field("id", &AddressEntry::id), field("address", &AddressEntry::address),
                        field("is_default", &AddressEntry::is_default),
                        field("updated_at", &AddressEntry::updated_at));
    entry.def(py::self == py::self).def(py::self != py::self);
}

void bind_cart_view(py::module_& m) {
    py::class_<CartLineView> line(
        m, "CartLineView",
        "One cart line as the customer sees it now. Problems are flagged, never fixed silently:\n"
        "unavailable_reason (empty when the line can be bought), out_of_stock, insufficient_stock (some but\n"
        "fewer than quantity available), price_changed (price differs from price_when_added).");
    def_readonly_fields(line, field("sku", &CartLineView::sku), field("product", &CartLineView::product),
                        field("title", &CartLineView::title), field("spec", &CartLineView::spec),
                        field("quantity", &CartLineView::quantity), field("selected", &CartLineView::selected),
                        field("price_when_added", &CartLineView::price_when_added),
                        field("price", &CartLineView::price), field("available", &CartLineView::available),
                        field("unavailable_reason", &CartLineView::unavailable_reason),
                        field("out_of_stock", &CartLineView::out_of_stock),
                        field("insufficient_stock", &CartLineView::insufficient_stock),
                        field("price_changed", &CartLineView::price_changed),
                        field("added_at", &CartLineView::added_at));
    line.def(py::self == py::self).def(py::self != py::self);

    py::class_<CartShopGroup> group(m, "CartShopGroup", "A cart's lines of one shop, in the order first added.");
    def_readonly_fields(group, field("shop", &CartShopGroup::shop), field("shop_name", &CartShopGroup::shop_name),
                        field("lines", &CartShopGroup::lines));
    group.def(py::self == py::self).def(py::self != py::self);

    py::class_<CartView> view(m, "CartView",
                              "A customer's cart: its lines grouped by shop, in the order each shop's first line was\n"
                              "added.");
    def_readonly_fields(view, field("shops", &CartView::shops), field("line_count", &CartView::line_count),
                        field("selected_count", &CartView::selected_count));
    view.def(py::self == py::self).def(py::self != py::self);
}

void bind_checkout(py::module_& m) {
    py::class_<LineRequest> line(m, "LineRequest", "A quantity of one SKU in a checkout, 1..Cart.max_quantity.");
    line.def(py::init([](SkuId sku, std::int64_t quantity) { return LineRequest{sku, quantity}; }), py::kw_only(),
             py::arg("sku"), py::arg("quantity"));
    def_readwrite_fields(line, field("sku", &LineRequest::sku), field("quantity", &LineRequest::quantity));
    line.def(py::self == py::self).def(py::self != py::self);

    py::class_<GroupCheckout> group(m, "GroupCheckout",
                                    "Buying through a group offer: joining group, or opening a new one when it is\n"
                                    "GroupId(0).");
    group.def(py::init([](GroupOfferId offer, GroupId id) { return GroupCheckout{offer, id}; }), py::kw_only(),
              py::arg("offer"), py::arg("group") = GroupId{});
    def_readwrite_fields(group, field("offer", &GroupCheckout::offer), field("group", &GroupCheckout::group));
    group.def(py::self == py::self).def(py::self != py::self);

    py::class_<CheckoutRequest> request(
        m, "CheckoutRequest",
        "What a checkout covers: with buy_now empty, the cart's selected lines (placing them removes them\n"
        "from the cart); otherwise exactly those LineRequests, and the cart is left alone. coupons: the\n"
        "CouponIds applied (one per shop, one platform coupon). flash_sale: a FlashSaleId whose SKUs the\n"
        "checkout buys at the sale price. group: a GroupCheckout to buy the offer's SKU alone at its group\n"
        "price (拼团).");
    request
        .def(py::init([](AddressId address, std::vector<LineRequest> buy_now, std::vector<CouponId> coupons,
                         FlashSaleId flash_sale, GroupCheckout group) {
                 return CheckoutRequest{address, std::move(buy_now), std::move(coupons), flash_sale, group};
             }),
             py::kw_only(), py::arg("address"), py::arg("buy_now") = std::vector<LineRequest>{},
             py::arg("coupons") = std::vector<CouponId>{}, py::arg("flash_sale") = FlashSaleId{},
             py::arg("group") = GroupCheckout{});
    def_readwrite_fields(request, field("address", &CheckoutRequest::address),
                         field("buy_now", &CheckoutRequest::buy_now), field("coupons", &CheckoutRequest::coupons),
                         field("flash_sale", &CheckoutRequest::flash_sale), field("group", &CheckoutRequest::group));
    request.def(py::self == py::self).def(py::self != py::self);
}

void bind_quote(py::module_& m) {
    py::class_<QuoteLine> line(m, "QuoteLine",
                               "A priced line: line_total = unit_price * quantity, discount its share of every\n"
                               "discount, payable = line_total - discount (what refunds of the line return at most).");
    def_readonly_fields(line, field("sku", &QuoteLine::sku), field("product", &QuoteLine::product),
                        field("title", &QuoteLine::title), field("spec", &QuoteLine::spec),
                        field("unit_price", &QuoteLine::unit_price), field("quantity", &QuoteLine::quantity),
                        field("line_total", &QuoteLine::line_total), field("discount", &QuoteLine::discount),
                        field("platform_discount", &QuoteLine::platform_discount),
                        field("payable", &QuoteLine::payable), field("available", &QuoteLine::available));
    line.def(py::self == py::self).def(py::self != py::self);

    bind_enum(m, "DiscountKind", "The kinds of discount the pricing pipeline applies, in pipeline order.",
              EnumNames<DiscountKind>{{"spend_tier", DiscountKind::spend_tier},
                                      {"shop_coupon", DiscountKind::shop_coupon},
                                      {"platform_coupon", DiscountKind::platform_coupon},
                                      {"group_price", DiscountKind::group_price}});

    py::class_<DiscountShare> share(m, "DiscountShare", "The part of a discount one line carries.");
    def_readonly_fields(share, field("sku", &DiscountShare::sku), field("amount", &DiscountShare::amount));
    share.def(py::self == py::self).def(py::self != py::self);

    py::class_<QuoteDiscount> discount(
        m, "QuoteDiscount",
        "A discount and where it went: shop is ShopId(0) for a platform-funded one, else the funding shop;\n"
        "rule the SpendPromotionId or CouponId value behind it; lines its DiscountShares (they sum to amount);\n"
        "waives_shipping for a free-shipping coupon, whose amount is the fee waived.");
    def_readonly_fields(discount, field("label", &QuoteDiscount::label), field("shop", &QuoteDiscount::shop),
                        field("amount", &QuoteDiscount::amount), field("kind", &QuoteDiscount::kind),
                        field("rule", &QuoteDiscount::rule), field("lines", &QuoteDiscount::lines),
                        field("waives_shipping", &QuoteDiscount::waives_shipping));
    discount.def(py::self == py::self).def(py::self != py::self);

    py::class_<ShopQuote> shop(m, "ShopQuote",
                               "One shop's part of a quote, which becomes one sub-order: payable = subtotal -\n"
                               "discount + shipping.");
    def_readonly_fields(shop, field("shop", &ShopQuote::shop), field("shop_name", &ShopQuote::shop_name),
                        field("lines", &ShopQuote::lines), field("subtotal", &ShopQuote::subtotal),
                        field("discount", &ShopQuote::discount), field("shipping", &ShopQuote::shipping),
                        field("payable", &ShopQuote::payable));
    shop.def(py::self == py::self).def(py::self != py::self);

    py::class_<Quote> quote(m, "Quote",
                            "A priced checkout, exactly as placing it would charge: total is the sum of the shops'\n"
                            "payable amounts.");
    def_readonly_fields(quote, field("currency", &Quote::currency), field("shops", &Quote::shops),
                        field("discounts", &Quote::discounts), field("subtotal", &Quote::subtotal),
                        field("discount", &Quote::discount), field("shipping", &Quote::shipping),
                        field("total", &Quote::total));
    quote.def(py::self == py::self).def(py::self != py::self);
}

void def_address_book(py::class_<Cart>& cart) {
    cart.def("add_address", &Cart::add_address, py::arg("customer"), py::arg("address"),
             py::arg("make_default") = false, ReleaseGil(),
             "Adds a PostalAddress to the customer's own book; returns its AddressId. The first address becomes\n"
             "the default, as does one added with make_default. At most Cart.max_addresses.")
        .def("update_address", &Cart::update_address, py::arg("customer"), py::arg("address"), py::arg("changed"),
             ReleaseGil(), "Replaces one of the customer's addresses; orders placed with it keep their copy.")
        .def("remove_address", &Cart::remove_address, py::arg("customer"), py::arg("address"), ReleaseGil(),
             "Removing the default makes the oldest remaining address the default.")
        .def("set_default_address", &Cart::set_default_address, py::arg("customer"), py::arg("address"),
             ReleaseGil())
        .def("addresses", &Cart::addresses, py::arg("actor"), py::arg("customer"), ReleaseGil(),
             "A customer's AddressEntries, the default first, then by id: the customer themself or platform staff.")
        .def("address", &Cart::address, py::arg("actor"), py::arg("address"), ReleaseGil(),
             "One AddressEntry: its customer or platform staff.");
}

void def_lines(py::class_<Cart>& cart) {
    cart.def("add", &Cart::add, py::arg("customer"), py::arg("sku"), py::arg("quantity"), ReleaseGil(),
             "Adds units of a SKU that can be bought now to the customer's own cart; a SKU already there adds to\n"
             "its line, which takes the current price as the price seen. The line is selected.")
        .def("set_quantity", &Cart::set_quantity, py::arg("customer"), py::arg("sku"), py::arg("quantity"),
             ReleaseGil(), "The new quantity of a line, 1..Cart.max_quantity.")
        .def("remove", &Cart::remove, py::arg("customer"), py::arg("skus"), ReleaseGil(),
             "Removes the lines of these SKUs.")
        .def("set_selected", &Cart::set_selected, py::arg("customer"), py::arg("skus"), py::arg("selected"),
             ReleaseGil(), "Selects or deselects lines for a checkout from the cart.")
        .def("clear", &Cart::clear, py::arg("customer"), ReleaseGil(), "Removes every line.")
        .def("view", &Cart::view, py::arg("actor"), py::arg("customer"), ReleaseGil(),
             "The CartView of a customer: the customer themself or platform staff.")
        .def("quote", &Cart::quote, py::arg("customer"), py::arg("request"), ReleaseGil(),
             "Prices a CheckoutRequest for the customer exactly as Orders.place will. souk.InvalidState for a\n"
             "line that cannot be bought now, souk.CurrencyMismatch for lines in several currencies,\n"
             "souk.InvalidArgument for an empty selection.");
}

void bind_service(py::module_& m) {
    py::class_<Cart> cart(m, "Cart",
                          "One cart per customer across shops, the customer's address book, and quotes:\n"
                          "marketplace.cart. Commands act on the actor's own cart and addresses; platform staff may\n"
                          "read a customer's.");
    cart.def_readonly_static("max_lines", &Cart::max_lines)
        .def_readonly_static("max_quantity", &Cart::max_quantity)
        .def_readonly_static("max_addresses", &Cart::max_addresses);
    def_address_book(cart);
    def_lines(cart);
}

}  // namespace

void bind_cart(py::module_& m) {
    bind_addresses(m);
    bind_cart_view(m);
    bind_checkout(m);
    bind_quote(m);
    bind_service(m);
}

}  // namespace souk::python
