// Catalog search: a small tea and electronics marketplace built through the public API,
// searched in Chinese and English; the index following every catalog, inventory and shop
// event; who sees what; currencies; and replay after reopening a SQLite journal.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "souk/catalog.hpp"
#include "souk/error.hpp"
#include "souk/inventory.hpp"
#include "souk/marketplace.hpp"
#include "souk/search.hpp"
#include "support/catalog_fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace souk;
using namespace souk::test;

namespace {

Money jpy(std::string_view amount) { return Money::parse(amount, Currency::of("JPY")); }

SkuDraft sku(std::vector<std::string> spec, Money price, std::optional<Money> list_price = std::nullopt) {
    return SkuDraft{std::move(spec), price, list_price, 300, "", std::nullopt};
}

SearchQuery text(std::string words) {
    SearchQuery query;
    query.text = std::move(words);
    return query;
}

std::set<ProductId> products(const SearchResult& result) {
    std::set<ProductId> ids;
    for (const auto& hit : result.hits) ids.insert(hit.product);
    return ids;
}

std::vector<ProductId> in_order(const SearchResult& result) {
    std::vector<ProductId> ids;
    for (const auto& hit : result.hits) ids.push_back(hit.product);
    return ids;
}

// Two shops, a tea house and an electronics shop, with the products a customer would expect:
//   茶叶 Tea (attribute 产地) ⊃ 绿茶 Green tea, 乌龙茶 Oolong;  数码 Digital (attribute 品牌) ⊃ 耳机 Audio.
//   tea:  longjing (250g ¥168 was ¥198, 20 in stock; 500g ¥298, 5), biluochun (¥128, 10),
//         tieguanyin (¥88, none in stock), teapot (¥360, 3; directly under 茶叶)
//   tech: headphones (黑色 ¥399, 8; 白色 ¥399, none), earphones (¥59, 50), speaker (¥199, 4; under 数码)
// Every product is on sale. tea_staff works for the tea house; customer has no shop.
struct Storefront {
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(fixture_start());
    Marketplace market;
    UserId admin, op, tea_owner, tea_staff, tech_owner, customer;
    ShopId tea, tech;
    CategoryId tea_leaves, green_tea, oolong, digital, audio;
    ProductId longjing, biluochun, tieguanyin, teapot, headphones, earphones, speaker;

    // In memory, or over a SQLite journal at `path`.
    explicit Storefront(const std::optional<std::filesystem::path>& path = std::nullopt,
                        Currency currency = Currency::of("CNY"))
        : market(path ? Marketplace::open_sqlite(*path, options(clock, currency))
                      : Marketplace::in_memory(options(clock, currency))) {
        admin = accounts().bootstrap_admin("admin@souk.test", fixture_password, "Admin");
        op = user("op");
        accounts().grant_role(as(admin), op, PlatformRole::operator_staff);
        tea_owner = user("tea.owner");
        tea_staff = user("tea.staff");
        tech_owner = user("tech.owner");
        customer = user("customer");
        tea = open_shop(tea_owner, "西湖茶庄 West Lake Tea House");
        shops().add_staff(as(tea_owner), tea, tea_staff);
        tech = open_shop(tech_owner, "声学数码 Acoustic Digital");

        tea_leaves = category("茶叶 Tea", std::nullopt, {{"产地", false, {}}});
        green_tea = category("绿茶 Green tea", tea_leaves);
        oolong = category("乌龙茶 Oolong", tea_leaves);
        digital = category("数码 Digital", std::nullopt, {{"品牌", false, {}}});
        audio = category("耳机 Audio", digital);

        auto draft = product(green_tea, "西湖龙井绿茶 明前特级 West Lake Longjing green tea",
                             {sku({"250g"}, cny("168.00"), cny("198.00")), sku({"500g"}, cny("298.00"))});
        draft.specs = {{"规格", {"250g", "500g"}}};
        draft.attributes = {{"产地", "杭州"}};
        draft.images = {"https://img.example.com/longjing.jpg", "https://img.example.com/longjing-box.jpg"};
        longjing = sell(tea_owner, tea, draft, {20, 5});
        draft = product(green_tea, "碧螺春绿茶 Biluochun green tea", {sku({}, cny("128.00"))});
        draft.attributes = {{"产地", "苏州"}};
        biluochun = sell(tea_staff, tea, draft, {10});
        draft = product(oolong, "安溪铁观音 乌龙茶 Tieguanyin oolong tea", {sku({}, cny("88.00"))});
        draft.attributes = {{"产地", "福建"}};
        tieguanyin = sell(tea_owner, tea, draft, {0});
        teapot = sell(tea_owner, tea, product(tea_leaves, "紫砂茶壶 Yixing clay teapot", {sku({}, cny("360.00"))}), {3});

        draft = product(audio, "蓝牙耳机 主动降噪 Bluetooth noise cancelling headphones",
                        {sku({"黑色"}, cny("399.00")), sku({"白色"}, cny("399.00"))});
        draft.specs = {{"颜色", {"黑色", "白色"}}};
        draft.attributes = {{"品牌", "Souk"}};
        headphones = sell(tech_owner, tech, draft, {8, 0});
        earphones = sell(tech_owner, tech, product(audio, "有线耳机 Wired earphones", {sku({}, cny("59.00"))}), {50});
        speaker = sell(tech_owner, tech, product(digital, "绿色蓝牙音箱 Green bluetooth speaker", {sku({}, cny("199.00"))}),
                       {4});
    }

    static MarketplaceOptions options(std::shared_ptr<const Clock> clock, Currency currency) {
        auto options = fast_options(std::move(clock));
        options.currency = currency;
        return options;
    }

    Accounts& accounts() { return market.accounts(); }
    Shops& shops() { return market.shops(); }
    Catalog& catalog() { return market.catalog(); }
    Inventory& inventory() { return market.inventory(); }
    static Actor as(UserId id) { return Actor::user(id); }
    void tick() { clock->advance(std::chrono::minutes(1)); }

    UserId user(const std::string& name) {
        tick();
        return accounts().register_user(name + "@souk.test", fixture_password, name);
    }

    ShopId open_shop(UserId owner, const std::string& name) {
        tick();
        const auto shop = shops().apply(as(owner), application_named(name));
        shops().approve(as(op), shop);
        return shop;
    }

    CategoryId category(const std::string& name, std::optional<CategoryId> parent,
                        std::vector<AttributeDefinition> attributes = {}) {
        return catalog().create_category(as(op), CategorySpec{name, parent, std::nullopt, std::move(attributes)});
    }

    static ProductDraft product(CategoryId category, std::string title, std::vector<SkuDraft> skus) {
        ProductDraft draft;
        draft.title = std::move(title);
        draft.category = category;
        draft.skus = std::move(skus);
        return draft;
    }

    // Creates the product, puts it on sale and stocks its SKUs (in order) with `units`.
    ProductId sell(UserId seller, ShopId shop, const ProductDraft& draft, const std::vector<std::int64_t>& units) {
        tick();
        const auto id = catalog().create_product(as(seller), shop, draft);
        catalog().put_on_sale(as(seller), id);
        std::vector<StockChange> changes;
        const auto skus = sku_ids(id);
        for (std::size_t i = 0; i < units.size(); ++i)
            if (units[i] > 0) changes.push_back({skus.at(i), units[i]});
        if (!changes.empty()) inventory().adjust(as(seller), changes, "opening stock");
        return id;
    }

    std::vector<SkuId> sku_ids(ProductId product) {
        std::vector<SkuId> ids;
        for (const auto& s : catalog().product(Actor::system(), product).skus) ids.push_back(s.id);
        return ids;
    }

    // What a guest of the storefront finds.
    std::set<ProductId> found(const std::string& words) { return products(catalog().search(text(words))); }
    std::set<ProductId> found(const SearchQuery& query) { return products(catalog().search(query)); }
    std::set<ProductId> found_by(UserId user, const std::string& words) {
        return products(catalog().search(as(user), text(words)));
    }
};

// The results of many queries, as each kind of searcher sees them.
using SearchSnapshot = std::vector<SearchResult>;

SearchSnapshot snapshot(Catalog& catalog, const std::vector<UserId>& searchers) {
    std::vector<SearchQuery> queries;
    for (const std::string words : {"", "茶", "绿茶", "西湖绿茶", "green tea", "blu", "耳机", "茶庄", "acoustic", "1kg",
                                    "新名", "matcha"}) {
        for (const auto sort : {SearchSort::relevance, SearchSort::price_ascending, SearchSort::price_descending,
                                SearchSort::newest, SearchSort::sales}) {
            for (const bool in_stock : {false, true}) {
                auto query = text(words);
                query.sort = sort;
                query.in_stock_only = in_stock;
                query.page.limit = Page::max_limit;
                queries.push_back(query);
            }
        }
    }
    for (std::uint64_t category = 1; category <= 8; ++category) {
        SearchQuery query;
        query.category = CategoryId(category);
        query.min_price = cny("60.00");
        query.max_price = cny("300.00");
        queries.push_back(query);
    }
    SearchQuery yen;
    yen.currency = Currency::of("JPY");
    queries.push_back(yen);

    SearchSnapshot results;
    for (const auto& query : queries) {
        results.push_back(catalog.search(query));
        for (const auto user : searchers) results.push_back(catalog.search(Actor::user(user), query));
        results.push_back(catalog.search(Actor::system(), query));
    }
    return results;
}

// Every kind of event that moves the search indexes, in one history.
void run_every_event(Storefront& s) {
    auto& catalog = s.catalog();
    auto& inventory = s.inventory();
    const auto tea_owner = Storefront::as(s.tea_owner), tech_owner = Storefront::as(s.tech_owner);
    const auto op = Storefront::as(s.op);
    s.tick();
    catalog.update_product(tea_owner, s.longjing, ProductUpdate{.title = std::string("西湖龙井 特级 Longjing")});
    catalog.update_product(tea_owner, s.biluochun, ProductUpdate{.attributes = std::map<std::string, std::string>{
                                                                      {"产地", "苏州东山"}}});
    catalog.update_product(tea_owner, s.tieguanyin, ProductUpdate{.category = s.green_tea});
    catalog.set_specs(tea_owner, s.longjing, {{"规格", {"250g", "1kg"}}},
                      {sku({"250g"}, cny("158.00")), sku({"1kg"}, cny("520.00"))});
    catalog.set_sku_price(tea_owner, s.sku_ids(s.biluochun).front(), cny("118.00"), cny("128.00"));
    catalog.delist(tech_owner, s.earphones);
    catalog.ban(op, s.speaker, "unsafe battery");
    catalog.lift_ban(op, s.speaker);
    catalog.put_on_sale(tech_owner, s.speaker);
    catalog.ban(op, s.teapot, "counterfeit");
    catalog.set_specs(tea_owner, s.teapot, {}, {sku({}, jpy("5800"))});
    const auto famous = s.category("中国名茶 Famous teas", std::nullopt);
    catalog.move_category(op, s.green_tea, famous);

    s.tick();
    const auto longjing_skus = s.sku_ids(s.longjing);
    inventory.adjust(tea_owner, {{longjing_skus[1], 2}, {s.sku_ids(s.tieguanyin)[0], 1}}, "restock");
    const auto released = inventory.reserve(tea_owner, {{longjing_skus[1], 2}}, s.clock->now() + std::chrono::hours(1));
    inventory.release(tea_owner, released);
    const auto sold = inventory.reserve(tea_owner, {{longjing_skus[0], 20}}, s.clock->now() + std::chrono::hours(1));
    inventory.commit(tea_owner, sold);
    inventory.reserve(tea_owner, {{s.sku_ids(s.biluochun)[0], 10}}, s.clock->now() + std::chrono::minutes(30));
    s.clock->advance(std::chrono::hours(1));
    s.market.tick(s.clock->now());

    s.tick();
    s.shops().suspend(op, s.tech, "counterfeit goods");
    s.shops().reinstate(op, s.tech);
    const auto renamed = s.shops().apply(Storefront::as(s.customer), application_named("旧名茶铺 Old Name Tea"));
    s.shops().reject(op, renamed, "blurred licence");
    s.shops().resubmit(Storefront::as(s.customer), renamed, application_named("新名茶铺 New Name Tea"));
    s.shops().approve(op, renamed);
    const auto fresh = s.sell(s.customer, renamed,
                              Storefront::product(s.green_tea, "明前新茶 Spring tea", {sku({}, cny("66.00"))}), {1});
    const auto closing = s.open_shop(s.tech_owner, "Closing Down Electronics");
    s.sell(s.tech_owner, closing, Storefront::product(s.audio, "蓝牙耳机 clearance", {sku({}, cny("99.00"))}), {1});
    s.shops().close(tech_owner, closing, "moving abroad");
    CHECK(s.found("新名") == std::set<ProductId>{fresh});
}

}  // namespace

// ---- queries over a realistic catalogue ------------------------------------------------

TEST_CASE("catalog search: Chinese and English queries find what a shopper means") {
    Storefront s;
    CHECK(s.found("龙井") == std::set<ProductId>{s.longjing});
    CHECK(s.found("绿茶") == std::set<ProductId>{s.longjing, s.biluochun});  // not 绿色 (green) 蓝牙音箱
    CHECK(s.found("green tea") == std::set<ProductId>{s.longjing, s.biluochun});
    CHECK(s.found("ＧＲＥＥＮ　ＴＥＡ") == std::set<ProductId>{s.longjing, s.biluochun});
    CHECK(s.found("green") == std::set<ProductId>{s.longjing, s.biluochun, s.speaker});
    CHECK(s.found("oolong") == std::set<ProductId>{s.tieguanyin});
    CHECK(s.found("乌龙茶") == std::set<ProductId>{s.tieguanyin});
    CHECK(s.found("茶") == std::set<ProductId>{s.longjing, s.biluochun, s.tieguanyin, s.teapot});
    CHECK(s.found("blu") == std::set<ProductId>{s.headphones, s.speaker});
    CHECK(s.found("蓝牙耳机") == std::set<ProductId>{s.headphones});
    CHECK(s.found("耳机") == std::set<ProductId>{s.headphones, s.earphones});
    CHECK(s.found("降噪 headphones") == std::set<ProductId>{s.headphones});
    CHECK(s.found("case for headphones") == std::set<ProductId>{});
    // Attribute values, spec values and shop names.
    CHECK(s.found("杭州") == std::set<ProductId>{s.longjing});
    CHECK(s.found("500g") == std::set<ProductId>{s.longjing});
    CHECK(s.found("白色") == std::set<ProductId>{s.headphones});
    CHECK(s.found("茶庄") == std::set<ProductId>{s.longjing, s.biluochun, s.tieguanyin, s.teapot});
    CHECK(s.found("acoustic wired") == std::set<ProductId>{s.earphones});
    // Descriptions and category names are not searched; the category filter is the way.
    CHECK(s.found("audio").empty());
    SearchQuery in_category;
    in_category.category = s.tea_leaves;
    CHECK(s.found(in_category) == std::set<ProductId>{s.longjing, s.biluochun, s.tieguanyin, s.teapot});
    in_category.category = s.green_tea;
    CHECK(s.found(in_category) == std::set<ProductId>{s.longjing, s.biluochun});
    in_category.category = s.digital;
    in_category.text = "blu";
    CHECK(s.found(in_category) == std::set<ProductId>{s.headphones, s.speaker});
    SearchQuery in_shop = text("绿");
    in_shop.shop = s.tech;
    CHECK(s.found(in_shop) == std::set<ProductId>{s.speaker});
}

TEST_CASE("catalog search: a hit carries what a result list shows") {
    Storefront s;
    const auto result = s.catalog().search(text("龙井"));
    REQUIRE(result.hits.size() == 1);
    const auto& hit = result.hits[0];
    CHECK(hit.product == s.longjing);
    CHECK(hit.title == "西湖龙井绿茶 明前特级 West Lake Longjing green tea");
    CHECK(hit.image == "https://img.example.com/longjing.jpg");
    CHECK(hit.category == s.green_tea);
    CHECK(hit.shop == s.tea);
    CHECK(hit.shop_name == "西湖茶庄 West Lake Tea House");
    CHECK(hit.sku == s.sku_ids(s.longjing)[0]);
    CHECK(hit.spec == std::vector<std::string>{"250g"});
    CHECK(hit.price == cny("168.00"));
    CHECK(hit.list_price == cny("198.00"));
    CHECK(hit.in_stock);
    CHECK(hit.on_display);
    CHECK(hit.sales == 0);
    CHECK(hit.created == s.catalog().product(Actor::system(), s.longjing).created_at);
    CHECK(hit.score > 0);
    CHECK_FALSE(result.relaxed);

    const auto teapot = s.catalog().search(text("teapot")).hits.at(0);
    CHECK(teapot.image.empty());
    CHECK(teapot.spec.empty());
    CHECK_FALSE(teapot.list_price);
}

TEST_CASE("catalog search: price bounds, the in-stock filter and sorts") {
    Storefront s;
    auto query = text("茶");
    query.min_price = cny("100.00");
    query.max_price = cny("300.00");
    query.sort = SearchSort::price_ascending;
    CHECK(in_order(s.catalog().search(query)) == std::vector<ProductId>{s.biluochun, s.longjing});
    query.sort = SearchSort::price_descending;
    CHECK(in_order(s.catalog().search(query)) == std::vector<ProductId>{s.longjing, s.biluochun});

    auto in_stock = text("茶");
    in_stock.in_stock_only = true;
    CHECK(s.found(in_stock) == std::set<ProductId>{s.longjing, s.biluochun, s.teapot});  // no 铁观音 in stock
    // The white headphones are sold out: the hit shows the black ones.
    in_stock.text = "headphones";
    const auto shown = s.catalog().search(in_stock).hits.at(0);
    CHECK(shown.spec == std::vector<std::string>{"黑色"});
    CHECK(shown.in_stock);

    SearchQuery newest;
    newest.sort = SearchSort::newest;
    newest.page.limit = 3;
    const auto page = s.catalog().search(newest);
    CHECK(page.total == 7);
    CHECK(in_order(page) == std::vector<ProductId>{s.speaker, s.earphones, s.headphones});
}

TEST_CASE("catalog search: when every character pair finds nothing, single characters do") {
    Storefront s;
    // 西湖绿茶 skips 龙井: its pair 湖绿 occurs nowhere. Character by character, 西湖龙井绿茶
    // has them all in its title, and 碧螺春绿茶 with its shop's name 西湖茶庄, ranked lower.
    const auto relaxed = s.catalog().search(text("西湖绿茶"));
    CHECK(in_order(relaxed) == std::vector<ProductId>{s.longjing, s.biluochun});
    CHECK(relaxed.relaxed);
    const auto strict = s.catalog().search(text("西湖龙井"));
    CHECK(products(strict) == std::set<ProductId>{s.longjing});
    CHECK_FALSE(strict.relaxed);
    // 蓝牙 and 耳机 occur, 牙耳 does too (蓝牙耳机): no fallback, and no 音箱 for 耳机.
    CHECK_FALSE(s.catalog().search(text("蓝牙耳机")).relaxed);
    const auto nothing = s.catalog().search(text("红茶"));
    CHECK(nothing.total == 0);
    CHECK_FALSE(nothing.relaxed);
}

// ---- who sees what ---------------------------------------------------------------------

TEST_CASE("catalog search: the public finds products on display, and staff also their own shop's others") {
    Storefront s;
    s.tick();
    const auto draft = s.catalog().create_product(
        Storefront::as(s.tea_staff), s.tea, Storefront::product(s.tea_leaves, "白毫银针 Silver needle white tea",
                                                                {sku({}, cny("230.00"))}));
    CHECK(s.found("白毫银针").empty());
    CHECK(s.found_by(s.customer, "白毫银针").empty());
    CHECK(s.found_by(s.tech_owner, "白毫银针").empty());
    CHECK(s.found_by(s.tea_owner, "白毫银针") == std::set<ProductId>{draft});
    CHECK(s.found_by(s.tea_staff, "白毫银针") == std::set<ProductId>{draft});
    CHECK(s.found_by(s.op, "白毫银针") == std::set<ProductId>{draft});
    CHECK(s.found_by(s.admin, "白毫银针") == std::set<ProductId>{draft});
    CHECK(products(s.catalog().search(Actor::system(), text("白毫银针"))) == std::set<ProductId>{draft});
    CHECK(s.found_by(UserId(9999), "白毫银针").empty());  // no such user: the public's view

    const auto hits = s.catalog().search(Storefront::as(s.tea_staff), text("white tea")).hits;
    REQUIRE(hits.size() == 1);
    CHECK_FALSE(hits[0].on_display);
    // Staff find the shop's products on display like everyone else.
    CHECK(s.found_by(s.tea_staff, "绿茶") == s.found("绿茶"));

    s.tick();
    s.accounts().disable_user(Storefront::as(s.admin), s.tea_staff, "left the company");
    CHECK(s.found_by(s.tea_staff, "白毫银针").empty());
    CHECK(s.found_by(s.tea_staff, "绿茶") == std::set<ProductId>{s.longjing, s.biluochun});
}

TEST_CASE("catalog search: a malformed query is refused whatever the currency") {
    Storefront s;
    const auto refused = [&](auto change) {
        auto query = text("茶");
        change(query);
        return error_of([&] { s.catalog().search(Storefront::as(s.customer), query); });
    };
    CHECK(refused([](SearchQuery& q) { q.page.limit = 0; }) == Errc::invalid_argument);
    CHECK(refused([](SearchQuery& q) { q.page.offset = SearchQuery::max_offset + 1; }) == Errc::invalid_argument);
    CHECK(refused([](SearchQuery& q) { q.text = std::string(SearchQuery::max_text_bytes + 1, 'a'); }) ==
          Errc::invalid_argument);
    CHECK(refused([](SearchQuery& q) { q.category = CategoryId{}; }) == Errc::invalid_argument);
    CHECK(refused([](SearchQuery& q) {
              q.min_price = cny("10.00");
              q.max_price = cny("9.99");
          }) == Errc::invalid_argument);
    CHECK(refused([](SearchQuery& q) { q.min_price = jpy("100"); }) == Errc::currency_mismatch);
    CHECK(refused([](SearchQuery& q) {
              q.currency = Currency::of("USD");
              q.page.limit = 0;
          }) == Errc::invalid_argument);
    CHECK(refused([](SearchQuery& q) {
              q.currency = Currency::of("USD");
              q.max_price = cny("1.00");
          }) == Errc::currency_mismatch);
    auto nobody_sells_in_usd = text("茶");
    nobody_sells_in_usd.currency = Currency::of("USD");
    CHECK(s.catalog().search(nobody_sells_in_usd) == SearchResult{});
}

TEST_CASE("catalog search: a search covers one currency, the marketplace's unless the query names another") {
    Storefront s;
    s.tick();
    const auto matcha = s.sell(s.tea_owner, s.tea,
                               Storefront::product(s.green_tea, "宇治抹茶 Uji matcha", {sku({}, jpy("2400"))}), {5});
    CHECK(s.found("matcha").empty());
    auto in_yen = text("matcha");
    in_yen.currency = Currency::of("JPY");
    in_yen.max_price = jpy("3000");
    const auto found = s.catalog().search(in_yen);
    CHECK(products(found) == std::set<ProductId>{matcha});
    CHECK(found.hits.at(0).price == jpy("2400"));
    CHECK(found.hits.at(0).shop_name == "西湖茶庄 West Lake Tea House");  // the shop name is searchable in yen too
    in_yen.text = "茶庄";
    CHECK(products(s.catalog().search(in_yen)) == std::set<ProductId>{matcha});

    // Repricing in yen moves a product from the yuan search to the yen search.
    s.catalog().set_specs(Storefront::as(s.tea_owner), s.biluochun, {}, {sku({}, jpy("2000"))});
    CHECK(s.found("绿茶") == std::set<ProductId>{s.longjing});
    in_yen.text = "绿茶";
    in_yen.max_price.reset();
    CHECK(products(s.catalog().search(in_yen)) == std::set<ProductId>{s.biluochun});
    s.catalog().set_specs(Storefront::as(s.tea_owner), s.biluochun, {}, {sku({}, cny("128.00"))});
    CHECK(s.found("绿茶") == std::set<ProductId>{s.longjing, s.biluochun});
    CHECK(s.catalog().search(in_yen).total == 0);

    // A marketplace trading in yen searches yen unless told otherwise.
    Storefront yen_market(std::nullopt, Currency::of("JPY"));
    CHECK(yen_market.found("绿茶").empty());
    auto in_yuan = text("绿茶");
    in_yuan.currency = Currency::of("CNY");
    CHECK(yen_market.found(in_yuan) == std::set<ProductId>{yen_market.longjing, yen_market.biluochun});
}

// ---- following events ------------------------------------------------------------------

TEST_CASE("catalog search follows a product from draft to sale, edits, bans and back") {
    Storefront s;
    auto& catalog = s.catalog();
    const auto owner = Storefront::as(s.tea_owner);
    s.tick();
    const auto cake = catalog.create_product(
        owner, s.tea, Storefront::product(s.tea_leaves, "普洱茶饼 Pu'er cake", {sku({}, cny("268.00"))}));
    CHECK(s.found("普洱").empty());
    catalog.put_on_sale(owner, cake);
    CHECK(s.found("普洱") == std::set<ProductId>{cake});

    catalog.update_product(owner, cake, ProductUpdate{.title = std::string("熟普洱 Ripe pu'er brick")});
    CHECK(s.found("cake").empty());
    CHECK(s.found("brick") == std::set<ProductId>{cake});
    catalog.update_product(owner, cake, ProductUpdate{.attributes = std::map<std::string, std::string>{{"产地", "云南"}}});
    CHECK(s.found("云南") == std::set<ProductId>{cake});
    catalog.update_product(owner, cake, ProductUpdate{.category = s.oolong});
    SearchQuery in_oolong;
    in_oolong.category = s.oolong;
    CHECK(s.found(in_oolong) == std::set<ProductId>{s.tieguanyin, cake});

    catalog.set_specs(owner, cake, {{"年份", {"2015", "2020"}}},
                      {sku({"2015"}, cny("580.00")), sku({"2020"}, cny("198.00"))});
    CHECK(s.found("2015") == std::set<ProductId>{cake});
    const auto hit = catalog.search(text("brick")).hits.at(0);
    CHECK(hit.price == cny("198.00"));
    CHECK(hit.spec == std::vector<std::string>{"2020"});
    CHECK_FALSE(hit.in_stock);  // new SKUs have no stock yet
    catalog.set_specs(owner, cake, {{"年份", {"2015"}}}, {sku({"2015"}, cny("580.00"))});
    CHECK(s.found("2020").empty());
    CHECK(catalog.search(text("brick")).hits.at(0).price == cny("580.00"));

    catalog.delist(owner, cake);
    CHECK(s.found("brick").empty());
    catalog.put_on_sale(owner, cake);
    CHECK(s.found("brick") == std::set<ProductId>{cake});
    catalog.ban(Storefront::as(s.op), cake, "mislabelled vintage");
    CHECK(s.found("brick").empty());
    CHECK(s.found_by(s.op, "brick") == std::set<ProductId>{cake});
    catalog.lift_ban(Storefront::as(s.admin), cake);
    CHECK(s.found("brick").empty());  // delisted until the shop sells it again
    catalog.put_on_sale(owner, cake);
    CHECK(s.found("brick") == std::set<ProductId>{cake});
}

TEST_CASE("catalog search follows a price change into the price order") {
    Storefront s;
    auto query = text("绿茶");
    query.sort = SearchSort::price_ascending;
    CHECK(in_order(s.catalog().search(query)) == std::vector<ProductId>{s.biluochun, s.longjing});
    s.catalog().set_sku_price(Storefront::as(s.tea_staff), s.sku_ids(s.longjing)[0], cny("99.00"), cny("168.00"));
    const auto result = s.catalog().search(query);
    CHECK(in_order(result) == std::vector<ProductId>{s.longjing, s.biluochun});
    CHECK(result.hits[0].price == cny("99.00"));
    CHECK(result.hits[0].list_price == cny("168.00"));
    query.sort = SearchSort::price_descending;
    CHECK(in_order(s.catalog().search(query)) == std::vector<ProductId>{s.biluochun, s.longjing});
    query.max_price = cny("100.00");
    CHECK(in_order(s.catalog().search(query)) == std::vector<ProductId>{s.longjing});
}

TEST_CASE("catalog search follows stock: adjusted, reserved, released, expired, sold") {
    Storefront s;
    auto& inventory = s.inventory();
    const auto owner = Storefront::as(s.tea_owner);
    const auto tea = s.sku_ids(s.biluochun)[0];
    auto in_stock = text("碧螺春");
    in_stock.in_stock_only = true;
    const auto shown = [&] { return s.found(in_stock) == std::set<ProductId>{s.biluochun}; };
    CHECK(shown());

    inventory.adjust(owner, {{tea, -10}}, "stock take");
    CHECK_FALSE(shown());
    CHECK(s.found("碧螺春") == std::set<ProductId>{s.biluochun});
    CHECK_FALSE(s.catalog().search(text("碧螺春")).hits.at(0).in_stock);
    inventory.adjust(owner, {{tea, 3}}, "delivery");
    CHECK(shown());
    const auto hold = inventory.reserve(owner, {{tea, 3}}, s.clock->now() + std::chrono::hours(1));
    CHECK_FALSE(shown());
    inventory.release(owner, hold);
    CHECK(shown());
    inventory.reserve(owner, {{tea, 3}}, s.clock->now() + std::chrono::minutes(10));
    CHECK_FALSE(shown());
    s.clock->advance(std::chrono::minutes(11));
    CHECK(s.market.tick(s.clock->now()).reservations_expired == 1);
    CHECK(shown());

    // Sales count once committed, and reorder the sales sort.
    auto best_selling = text("绿茶");
    best_selling.sort = SearchSort::sales;
    // Equal sales: the newer product first.
    CHECK(in_order(s.catalog().search(best_selling)) == std::vector<ProductId>{s.biluochun, s.longjing});
    const auto longjing = s.sku_ids(s.longjing);
    inventory.commit(owner, inventory.reserve(owner, {{longjing[0], 2}, {longjing[1], 1}},
                                              s.clock->now() + std::chrono::hours(1)));
    const auto sorted = s.catalog().search(best_selling);
    CHECK(in_order(sorted) == std::vector<ProductId>{s.longjing, s.biluochun});
    CHECK(sorted.hits[0].sales == 3);
    // Selling the last units empties the stock.
    inventory.commit(owner, inventory.reserve(owner, {{tea, 3}}, s.clock->now() + std::chrono::hours(1)));
    CHECK_FALSE(shown());
    CHECK(s.catalog().search(text("碧螺春")).hits.at(0).sales == 3);
}

TEST_CASE("catalog search follows category moves down the whole subtree") {
    Storefront s;
    auto& catalog = s.catalog();
    const auto op = Storefront::as(s.op);
    const auto longjing_only = s.category("西湖龙井 Longjing", s.green_tea);
    catalog.update_product(Storefront::as(s.tea_owner), s.longjing, ProductUpdate{.category = longjing_only});
    const auto famous = s.category("中国名茶 Famous teas", std::nullopt);
    SearchQuery under;
    under.category = famous;
    CHECK(s.found(under).empty());

    catalog.move_category(op, s.green_tea, famous);
    CHECK(s.found(under) == std::set<ProductId>{s.longjing, s.biluochun});
    under.category = s.tea_leaves;
    CHECK(s.found(under) == std::set<ProductId>{s.tieguanyin, s.teapot});
    under.category = longjing_only;
    CHECK(s.found(under) == std::set<ProductId>{s.longjing});

    catalog.move_category(op, s.green_tea, s.tea_leaves);
    under.category = s.tea_leaves;
    CHECK(s.found(under) == std::set<ProductId>{s.longjing, s.biluochun, s.tieguanyin, s.teapot});
    under.category = famous;
    CHECK(s.found(under).empty());
    // The text and every other part of a moved product stay as they were.
    CHECK(s.found("龙井") == std::set<ProductId>{s.longjing});
    CHECK(s.catalog().search(text("龙井")).hits.at(0).price == cny("168.00"));
}

TEST_CASE("catalog search: a suspended shop's products vanish and come back, a closed shop's are gone") {
    Storefront s;
    const auto op = Storefront::as(s.op);
    SearchQuery everything;
    everything.page.limit = Page::max_limit;
    const auto before = s.catalog().search(everything);
    CHECK(before.total == 7);

    s.tick();
    s.shops().suspend(op, s.tech, "counterfeit goods");
    CHECK(s.found("blu").empty());
    CHECK(s.found("耳机").empty());
    CHECK(s.found(everything) == std::set<ProductId>{s.longjing, s.biluochun, s.tieguanyin, s.teapot});
    // The shop's owner still finds them, marked as not on display.
    const auto own = s.catalog().search(Storefront::as(s.tech_owner), text("耳机"));
    CHECK(products(own) == std::set<ProductId>{s.headphones, s.earphones});
    for (const auto& hit : own.hits) CHECK_FALSE(hit.on_display);

    s.tick();
    s.shops().reinstate(op, s.tech);
    CHECK(s.catalog().search(everything) == before);

    s.tick();
    s.shops().close(Storefront::as(s.tech_owner), s.tech, "closing down");
    CHECK(s.found("blu").empty());
    CHECK(s.found_by(s.op, "blu") == std::set<ProductId>{s.headphones, s.speaker});
}

TEST_CASE("catalog search: a shop's new name is searched once it changes") {
    Storefront s;
    const auto applicant = Storefront::as(s.customer);
    s.tick();
    const auto shop = s.shops().apply(applicant, application_named("旧名茶铺 Old Name Tea"));
    s.shops().reject(Storefront::as(s.op), shop, "blurred licence");
    s.shops().resubmit(applicant, shop, application_named("新名茶铺 New Name Tea"));
    s.shops().approve(Storefront::as(s.op), shop);
    const auto product =
        s.sell(s.customer, shop, Storefront::product(s.green_tea, "明前新茶 Spring tea", {sku({}, cny("66.00"))}), {1});
    CHECK(s.found("新名") == std::set<ProductId>{product});
    CHECK(s.found("new name") == std::set<ProductId>{product});
    CHECK(s.found("old").empty());
    CHECK(s.found("旧名").empty());
    CHECK(s.catalog().search(text("spring")).hits.at(0).shop_name == "新名茶铺 New Name Tea");
}

// ---- replay ----------------------------------------------------------------------------

TEST_CASE("catalog search: reopening a SQLite journal gives the same results for every query") {
    TempDir dir;
    const auto path = dir / "market.db";
    SearchSnapshot before;
    std::vector<UserId> searchers;
    std::shared_ptr<ManualClock> clock;
    {
        Storefront s(path);
        run_every_event(s);
        searchers = {s.customer, s.tea_staff, s.tech_owner, s.op};
        clock = s.clock;
        before = snapshot(s.catalog(), searchers);
    }
    REQUIRE(before.size() > 700);
    std::size_t hits = 0;
    for (const auto& result : before) hits += result.hits.size();
    CHECK(hits > 1000);  // the snapshot is about something

    auto reopened = Marketplace::open_sqlite(path, Storefront::options(clock, Currency::of("CNY")));
    const auto after = snapshot(reopened.catalog(), searchers);
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < before.size(); ++i) CHECK(after[i] == before[i]);
}
