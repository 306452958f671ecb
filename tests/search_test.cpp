// Search: tokenising Chinese and English, matching and its CJK fallback, relevance, filters,
// sorts, paging, audiences, in-place updates, compaction, and malformed input.
#include "search/index.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "search/tokenize.hpp"
#include "souk/error.hpp"
#include "souk/search.hpp"
#include "support/errors.hpp"

using namespace souk;
using namespace souk::detail;
using souk::test::error_of;

namespace {

const Currency cny = Currency::of("CNY");

Money fen(std::int64_t minor) { return Money(minor, cny); }

Timestamp day(int n) { return Timestamp{} + std::chrono::hours(24 * n); }

// A visible product of shop 1 in category 1 > 10, with one SKU (id × 10) at ¥10.00 in stock,
// created on day 1 (so equally relevant products come back by id).
SearchDocument product(std::uint64_t id, std::string title, std::vector<std::string> attributes = {}) {
    SearchDocument d;
    d.product = ProductId(id);
    d.shop = ShopId(1);
    d.category_path = {CategoryId(1), CategoryId(10)};
    d.title = std::move(title);
    d.attribute_values = std::move(attributes);
    d.skus = {{SkuId(id * 10), fen(1000), true}};
    d.created = day(1);
    d.visible = true;
    return d;
}

SearchQuery text(std::string words) {
    SearchQuery q;
    q.text = std::move(words);
    return q;
}

std::vector<std::uint64_t> products(const SearchResult& result) {
    std::vector<std::uint64_t> ids;
    for (const auto& hit : result.hits) ids.push_back(hit.product.value);
    return ids;
}

std::vector<std::uint64_t> found(const SearchIndex& index, SearchQuery query) {
    return products(index.search(query));
}

std::vector<std::uint64_t> found(const SearchIndex& index, std::string words) {
    return found(index, text(std::move(words)));
}

std::set<std::uint64_t> found_set(const SearchIndex& index, std::string words) {
    const auto ids = found(index, std::move(words));
    return {ids.begin(), ids.end()};
}

bool has_term(std::string_view text, std::string_view term) {
    std::vector<std::string> terms;
    document_terms(text, terms);
    return std::find(terms.begin(), terms.end(), term) != terms.end();
}

std::vector<std::string> terms_of(std::string_view text) {
    std::vector<std::string> terms;
    document_terms(text, terms);
    return terms;
}

}  // namespace

// ---- tokenising -----------------------------------------------------------------------

TEST_CASE("search: a CJK run is indexed as its character pairs and single characters") {
    CHECK(terms_of("龙井绿茶") == std::vector<std::string>{"龙", "龙井", "井", "井绿", "绿", "绿茶", "茶"});
    CHECK(terms_of("茶") == std::vector<std::string>{"茶"});
    // Punctuation ends a run: no pair spans "，".
    CHECK(terms_of("绿茶，红茶") == std::vector<std::string>{"绿", "绿茶", "茶", "红", "红茶", "茶"});
    // Kana and Hangul are runs too.
    CHECK(has_term("ソニー", "ソニ"));
    CHECK(has_term("한국어", "국어"));
}

TEST_CASE("search: words are folded to lower case and split where letters meet digits") {
    CHECK(terms_of("iPhone15Pro, 256GB!") == std::vector<std::string>{"iphone", "15", "pro", "256", "gb"});
    CHECK(terms_of("ÉCOLE Ĳssel ŁÓDŹ") == std::vector<std::string>{"école", "ĳssel", "łódź"});
    CHECK(terms_of("ΑΘΗΝΑ МОСКВА Ёлка") == std::vector<std::string>{"αθηνα", "москва", "ёлка"});
    CHECK(terms_of("2024新款T恤") == std::vector<std::string>{"2024", "新", "新款", "款", "t", "恤"});
    CHECK(terms_of("smart-watch/usb_c 😀 e-book") == std::vector<std::string>{"smart", "watch", "usb", "c", "e", "book"});
}

TEST_CASE("search: full-width letters, digits and spaces read as ASCII") {
    CHECK(terms_of("ＡＰＰＬＥ　ｉＰｈｏｎｅ１５（黑）") ==
          std::vector<std::string>{"apple", "iphone", "15", "黑"});
}

TEST_CASE("search: an over-long word is cut at a character boundary, the same way in queries") {
    const std::string long_word(70, 'a');
    CHECK(terms_of(long_word) == std::vector<std::string>{std::string(max_word_bytes, 'a')});
    std::string accented = "a";
    for (int i = 0; i < 40; ++i) accented += "é";  // two bytes each: the cut falls after the 31st
    std::string cut = "a";
    for (int i = 0; i < 31; ++i) cut += "é";
    CHECK(terms_of(accented) == std::vector<std::string>{cut});
    CHECK(query_terms(long_word + "b").front().text == std::string(max_word_bytes, 'a'));
}

TEST_CASE("search: query terms mark only a finished-looking last word as exact") {
    CHECK(query_terms("龙井 tea") == std::vector<QueryTerm>{{"龙井", false}, {"tea", true}});
    CHECK(query_terms("龙井 tea ") == std::vector<QueryTerm>{{"龙井", false}, {"tea", false}});
    CHECK(query_terms("tea 龙井") == std::vector<QueryTerm>{{"tea", false}, {"龙井", false}});
    CHECK(query_terms("西湖龙井") == std::vector<QueryTerm>{{"西湖", false}, {"湖龙", false}, {"龙井", false}});
    CHECK(query_terms("茶") == std::vector<QueryTerm>{{"茶", false}});
    CHECK(query_terms("usb c") == std::vector<QueryTerm>{{"usb", false}, {"c", false}});  // one letter: exact
    CHECK(query_terms("iphone 15") == std::vector<QueryTerm>{{"iphone", false}, {"15", false}});  // digits: exact
    CHECK(query_terms("tea tea") == std::vector<QueryTerm>{{"tea", false}});
    CHECK(query_terms("  ,.!? ").empty());
}

TEST_CASE("search: English function words drop out of queries that have other words") {
    CHECK(query_terms("case for the iPhone") == std::vector<QueryTerm>{{"case", false}, {"iphone", true}});
    CHECK(query_terms("the ") == std::vector<QueryTerm>{{"the", false}});
}

TEST_CASE("search: malformed UTF-8 separates words and never crashes") {
    CHECK(terms_of("gr\xFF" "een") == std::vector<std::string>{"gr", "een"});
    CHECK(terms_of("\xE7\xBB") == std::vector<std::string>{});            // 绿 cut short
    CHECK(terms_of("\xC0\xAFtea") == std::vector<std::string>{"tea"});    // overlong '/'
    CHECK(terms_of("\xED\xA0\x80tea") == std::vector<std::string>{"tea"});  // a surrogate
    CHECK(terms_of("\xF4\x90\x80\x80tea") == std::vector<std::string>{"tea"});  // above U+10FFFF
    CHECK(terms_of("绿\x80茶") == std::vector<std::string>{"绿", "茶"});
    std::mt19937 random(7);
    for (int round = 0; round < 2000; ++round) {
        std::string noise(random() % 24, '\0');
        for (auto& c : noise) c = static_cast<char>(random());
        for (const auto& term : terms_of(noise)) CHECK_FALSE(term.empty());
        for (const auto& term : query_terms(noise)) CHECK_FALSE(term.text.empty());
    }
}

// ---- matching -------------------------------------------------------------------------

TEST_CASE("search: Chinese queries match by adjacent pairs, and one character anywhere") {
    SearchIndex index(cny);
    index.upsert(product(1, "西湖龙井绿茶 明前特级 250g"));
    index.upsert(product(2, "安溪铁观音 乌龙茶"));
    index.upsert(product(3, "信阳毛尖绿茶"));
    index.upsert(product(4, "龙井虾仁 速冻"));
    index.upsert(product(5, "龙井 Longjing green tea"));

    CHECK(found_set(index, "绿茶") == std::set<std::uint64_t>{1, 3});
    CHECK(found_set(index, "龙井") == std::set<std::uint64_t>{1, 4, 5});
    CHECK(found_set(index, "西湖龙井") == std::set<std::uint64_t>{1});
    CHECK(found_set(index, "龙井绿茶") == std::set<std::uint64_t>{1});
    CHECK(found_set(index, "茶") == std::set<std::uint64_t>{1, 2, 3});
    CHECK(found_set(index, "虾") == std::set<std::uint64_t>{4});
    CHECK(found_set(index, "井") == std::set<std::uint64_t>{1, 4, 5});
    CHECK(found_set(index, "龙井 tea") == std::set<std::uint64_t>{5});
    CHECK(found_set(index, "龙井 te") == std::set<std::uint64_t>{5});
    CHECK(found_set(index, "红茶").empty());
    // Every pair of the query must occur: 湖绿 is not in 西湖龙井绿茶; a space splits the query.
    CHECK(found_set(index, "西湖 绿茶") == std::set<std::uint64_t>{1});
    CHECK_FALSE(index.search(text("西湖 绿茶")).relaxed);
}

TEST_CASE("search: when the pairs find nothing, every character of the CJK runs must occur instead") {
    SearchIndex index(cny);
    index.upsert(product(1, "西湖龙井绿茶 明前特级"));
    index.upsert(product(2, "湖南黑茶"));
    index.upsert(product(3, "绿色西装 湖蓝"));
    index.upsert(product(4, "Longjing green tea"));

    // 湖绿 occurs nowhere; 西 湖 绿 茶 all occur in 1 only (3 lacks 茶, 2 lacks 西 and 绿).
    const auto relaxed = index.search(text("西湖绿茶"));
    CHECK(products(relaxed) == std::vector<std::uint64_t>{1});
    CHECK(relaxed.total == 1);
    CHECK(relaxed.relaxed);
    CHECK(relaxed.hits[0].score == 4 * SearchIndex::title_weight);
    // Words keep their rules in the fallback: every one must still match.
    CHECK(found(index, "西湖绿茶 明前") == std::vector<std::uint64_t>{1});
    CHECK(found(index, "西湖绿茶 oolong").empty());
    CHECK(found(index, "绿茶 green").empty());
    // A query the pairs answer is never relaxed, even when the characters would find more.
    const auto strict = index.search(text("绿茶"));
    CHECK(products(strict) == std::vector<std::uint64_t>{1});
    CHECK_FALSE(strict.relaxed);
    // Filters apply to the fallback as to the strict match; when it finds nothing either,
    // the result is simply empty.
    auto filtered = text("西湖绿茶");
    filtered.shop = ShopId(2);
    CHECK(index.search(filtered) == SearchResult{});
    CHECK(index.search(text("西湖红茶")) == SearchResult{});
    // Without a CJK run of two characters or more there is nothing to relax.
    CHECK(index.search(text("oolong")) == SearchResult{});
    CHECK(query_terms("西湖绿茶 tea", CjkMatch::characters) ==
          std::vector<QueryTerm>{{"西", false}, {"湖", false}, {"绿", false}, {"茶", false}, {"tea", true}});
    CHECK(query_terms("绿茶红茶", CjkMatch::characters) ==
          std::vector<QueryTerm>{{"绿", false}, {"茶", false}, {"红", false}});
}

TEST_CASE("search: English matches case-insensitively, every word, the last one also as a prefix") {
    SearchIndex index(cny);
    index.upsert(product(1, "Bluetooth Headphones, noise cancelling"));
    index.upsert(product(2, "Bluetooth speaker"));
    index.upsert(product(3, "Blue denim jacket"));
    index.upsert(product(4, "Wired HEADPHONES"));

    CHECK(found_set(index, "BLUETOOTH") == std::set<std::uint64_t>{1, 2});
    CHECK(found_set(index, "bluetooth headphones") == std::set<std::uint64_t>{1});
    CHECK(found_set(index, "headphones") == std::set<std::uint64_t>{1, 4});
    CHECK(found_set(index, "blu") == std::set<std::uint64_t>{1, 2, 3});
    CHECK(found_set(index, "blue") == std::set<std::uint64_t>{1, 2, 3});
    CHECK(found_set(index, "blue ").size() == 1);                    // a space finishes the word
    CHECK(found_set(index, "blu headphones").empty());               // only the last word is a prefix
    CHECK(found_set(index, "headphones blu") == std::set<std::uint64_t>{1});
    CHECK(found_set(index, "wired bluetooth").empty());              // all words must match
    CHECK(found_set(index, "speaker for bluetooth") == std::set<std::uint64_t>{2});
    CHECK(found_set(index, "ｂｌｕｅｔｏｏｔｈ　ＳＰＥＡＫＥＲ") == std::set<std::uint64_t>{2});
}

TEST_CASE("search: full-width documents match ASCII queries") {
    SearchIndex index(cny);
    index.upsert(product(1, "ＡＰＰＬＥ　ｉＰｈｏｎｅ１５　手机壳"));
    CHECK(found(index, "apple iphone 15") == std::vector<std::uint64_t>{1});
    CHECK(found(index, "iPhone 15 手机壳") == std::vector<std::uint64_t>{1});
}

TEST_CASE("search: attribute values and shop names match too") {
    SearchIndex index(cny);
    index.upsert(product(1, "纯棉T恤", {"红色", "XL"}));
    auto other_shop = product(2, "Linen shirt", {"white"});
    other_shop.shop = ShopId(2);
    index.upsert(other_shop);
    index.set_shop_name(ShopId(2), "Hangzhou Linen House 杭州旗舰店");

    CHECK(found(index, "红色 t恤") == std::vector<std::uint64_t>{1});
    CHECK(found(index, "xl") == std::vector<std::uint64_t>{1});
    CHECK(found(index, "house white") == std::vector<std::uint64_t>{2});
    CHECK(found(index, "旗舰店") == std::vector<std::uint64_t>{2});
    CHECK(found(index, "hangz") == std::vector<std::uint64_t>{2});

    index.set_shop_name(ShopId(2), "Suzhou Silk");
    CHECK(found(index, "house").empty());
    CHECK(found(index, "suzhou") == std::vector<std::uint64_t>{2});
    index.set_shop_name(ShopId(2), "");
    CHECK(found(index, "suzhou").empty());
    CHECK(error_of([&] { index.set_shop_name(ShopId{}, "x"); }) == Errc::invalid_argument);
}

TEST_CASE("search: relevance weighs title over attributes over shop name, exact words over prefixes") {
    SearchIndex index(cny);
    index.upsert(product(1, "summer dress", {"red"}));
    index.upsert(product(2, "red dress"));
    auto by_shop = product(3, "dress");
    by_shop.shop = ShopId(3);
    index.upsert(by_shop);
    index.set_shop_name(ShopId(3), "Red Rose Boutique");
    index.upsert(product(4, "reddish dress"));

    // "dress" is exact; "red", last, also matches "reddish" at half weight.
    const auto result = index.search(text("dress red"));
    std::map<std::uint64_t, std::int64_t> score;
    for (const auto& hit : result.hits) score[hit.product.value] = hit.score;
    const int title = SearchIndex::title_weight;
    CHECK(score == std::map<std::uint64_t, std::int64_t>{{1, title + SearchIndex::attribute_weight},
                                                         {2, 2 * title},
                                                         {3, title + SearchIndex::shop_name_weight},
                                                         {4, title + title / 2}});
    CHECK(result.hits.front().product == ProductId(2));
    CHECK(result.hits.back().product == ProductId(3));

    // Repetition counts, up to a cap.
    index.upsert(product(5, "tea"));
    index.upsert(product(6, "tea tea tea tea tea"));
    index.upsert(product(7, "tea tea"));
    const auto tea = index.search(text("tea "));
    CHECK(products(tea) == std::vector<std::uint64_t>{6, 7, 5});
    CHECK(tea.hits[0].score == SearchIndex::title_weight * SearchIndex::max_counted_occurrences);
}

TEST_CASE("search: equal relevance is ordered by sales, then newest, then product id") {
    SearchIndex index(cny);
    for (std::uint64_t id = 1; id <= 6; ++id) {
        auto d = product(id, "green tea");
        d.sales = id <= 2 ? 100 : 5;
        d.created = id == 4 ? day(100) : day(1);
        index.upsert(d);
    }
    CHECK(found(index, "green tea") == std::vector<std::uint64_t>{1, 2, 4, 3, 5, 6});
    CHECK(found(index, "") == std::vector<std::uint64_t>{1, 2, 4, 3, 5, 6});
}

// ---- filters, sorts, paging -----------------------------------------------------------

TEST_CASE("search: the category filter covers the subtree, the shop filter one shop") {
    SearchIndex index(cny);
    auto a = product(1, "tea");
    a.category_path = {CategoryId(1), CategoryId(10), CategoryId(100)};
    auto b = product(2, "tea");
    b.category_path = {CategoryId(1), CategoryId(10), CategoryId(101)};
    auto c = product(3, "tea");
    c.category_path = {CategoryId(1), CategoryId(20)};
    c.shop = ShopId(2);
    auto d = product(4, "tea");
    d.category_path = {};
    for (const auto& doc : {a, b, c, d}) index.upsert(doc);

    auto q = text("tea");
    CHECK(index.search(q).total == 4);
    q.category = CategoryId(1);
    CHECK(found(index, q) == std::vector<std::uint64_t>{1, 2, 3});
    q.category = CategoryId(10);
    CHECK(found(index, q) == std::vector<std::uint64_t>{1, 2});
    q.category = CategoryId(101);
    CHECK(found(index, q) == std::vector<std::uint64_t>{2});
    q.category = CategoryId(999);
    CHECK(index.search(q) == SearchResult{});
    q.category = CategoryId(1);
    q.shop = ShopId(2);
    CHECK(found(index, q) == std::vector<std::uint64_t>{3});
    q.text.clear();
    CHECK(found(index, q) == std::vector<std::uint64_t>{3});
    q.shop = ShopId(99);
    CHECK(found(index, q).empty());
}

TEST_CASE("search: price bounds and in_stock_only look at each SKU, and the hit shows the cheapest passing one") {
    SearchIndex index(cny);
    auto shirt = product(1, "shirt");
    shirt.skus = {{SkuId(11), fen(5000), false}, {SkuId(12), fen(8000), true}, {SkuId(13), fen(20000), true}};
    index.upsert(shirt);
    auto hat = product(2, "hat");
    hat.skus = {{SkuId(21), fen(3000), true}};
    index.upsert(hat);
    auto unpriced = product(3, "scarf");
    unpriced.skus.clear();
    index.upsert(unpriced);

    SearchQuery q;
    q.sort = SearchSort::price_ascending;
    const auto all = index.search(q);
    CHECK(products(all) == std::vector<std::uint64_t>{2, 1, 3});
    // With no filter the shown SKU is the cheapest in stock.
    CHECK(all.hits[1].sku == SkuId(12));
    CHECK(all.hits[1].price == fen(8000));
    CHECK(all.hits[1].in_stock);
    CHECK(all.hits[2].sku == SkuId{});
    CHECK(all.hits[2].price == std::nullopt);
    CHECK_FALSE(all.hits[2].in_stock);

    q.max_price = fen(6000);
    const auto cheap = index.search(q);
    CHECK(products(cheap) == std::vector<std::uint64_t>{2, 1});
    CHECK(cheap.hits[1].sku == SkuId(11));  // sold out, but the only SKU within the bounds
    CHECK_FALSE(cheap.hits[1].in_stock);

    q.in_stock_only = true;
    CHECK(found(index, q) == std::vector<std::uint64_t>{2});  // the shirt's in-stock SKUs cost more

    q.max_price.reset();
    q.min_price = fen(10000);
    const auto dear = index.search(q);
    CHECK(products(dear) == std::vector<std::uint64_t>{1});
    CHECK(dear.hits[0].sku == SkuId(13));

    q.min_price = fen(3000);
    q.max_price = fen(3000);  // inclusive at both ends
    CHECK(found(index, q) == std::vector<std::uint64_t>{2});
}

TEST_CASE("search: sorts by price both ways, newest and sales, unpriced products last") {
    SearchIndex index(cny);
    const std::int64_t prices[] = {3000, 1000, 2000, 1000};
    const std::uint64_t sales[] = {7, 9, 1, 9};
    for (std::uint64_t id = 1; id <= 4; ++id) {
        auto d = product(id, "mug");
        d.skus = {{SkuId(id), fen(prices[id - 1]), true}};
        d.sales = sales[id - 1];
        d.created = day(static_cast<int>(10 - id));
        index.upsert(d);
    }
    auto unpriced = product(5, "mug");
    unpriced.skus.clear();
    unpriced.created = day(50);
    index.upsert(unpriced);

    auto q = text("mug");
    q.sort = SearchSort::price_ascending;
    CHECK(found(index, q) == std::vector<std::uint64_t>{2, 4, 3, 1, 5});
    q.sort = SearchSort::price_descending;
    CHECK(found(index, q) == std::vector<std::uint64_t>{1, 3, 2, 4, 5});
    q.sort = SearchSort::newest;
    CHECK(found(index, q) == std::vector<std::uint64_t>{5, 1, 2, 3, 4});
    q.sort = SearchSort::sales;
    CHECK(found(index, q) == std::vector<std::uint64_t>{2, 4, 1, 3, 5});
}

TEST_CASE("search: pages cover every match once and all report the total") {
    SearchIndex index(cny);
    for (std::uint64_t id = 1; id <= 25; ++id) {
        auto d = product(id, "杯子 cup");
        d.skus = {{SkuId(id), fen(static_cast<std::int64_t>((id * 37) % 11) * 100), true}};
        index.upsert(d);
    }
    index.upsert(product(26, "plate"));

    auto q = text("杯子");
    q.sort = SearchSort::price_descending;
    q.page.limit = 25;
    const auto everything = found(index, q);
    REQUIRE(everything.size() == 25);

    std::vector<std::uint64_t> paged;
    q.page.limit = 10;
    for (std::size_t offset : {0, 10, 20}) {
        q.page.offset = offset;
        const auto page = index.search(q);
        CHECK(page.total == 25);
        CHECK(page.hits.size() == (offset == 20 ? 5u : 10u));
        for (const auto& hit : page.hits) paged.push_back(hit.product.value);
    }
    CHECK(paged == everything);
    q.page.offset = 30;
    const auto beyond = index.search(q);
    CHECK(beyond.total == 25);
    CHECK(beyond.hits.empty());
}

// ---- updates --------------------------------------------------------------------------

TEST_CASE("search: a price change moves the product in price order") {
    SearchIndex index(cny);
    for (std::uint64_t id = 1; id <= 3; ++id) {
        auto d = product(id, "kettle");
        d.skus = {{SkuId(id * 10), fen(static_cast<std::int64_t>(id) * 1000), true}};
        index.upsert(d);
    }
    auto q = text("kettle");
    q.sort = SearchSort::price_ascending;
    CHECK(found(index, q) == std::vector<std::uint64_t>{1, 2, 3});
    index.set_price(ProductId(3), SkuId(30), fen(500));
    CHECK(found(index, q) == std::vector<std::uint64_t>{3, 1, 2});
    CHECK(index.search(q).hits[0].price == fen(500));
    q.max_price = fen(900);
    CHECK(found(index, q) == std::vector<std::uint64_t>{3});
}

TEST_CASE("search: stock at zero excludes the product from in-stock searches only") {
    SearchIndex index(cny);
    index.upsert(product(1, "rice cooker"));
    index.upsert(product(2, "rice cooker"));
    auto q = text("rice cooker");
    q.in_stock_only = true;
    CHECK(found(index, q) == std::vector<std::uint64_t>{1, 2});
    index.set_in_stock(ProductId(1), SkuId(10), false);
    CHECK(found(index, q) == std::vector<std::uint64_t>{2});
    q.in_stock_only = false;
    CHECK(found(index, q) == std::vector<std::uint64_t>{1, 2});
    index.set_in_stock(ProductId(1), SkuId(10), true);
    q.in_stock_only = true;
    CHECK(found(index, q) == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("search: hidden products are never returned, whatever the query") {
    SearchIndex index(cny);
    index.upsert(product(1, "绿茶 green tea"));
    auto hidden = product(2, "绿茶 green tea");
    hidden.visible = false;
    index.upsert(hidden);

    SearchQuery q;
    for (const std::string words : {"", "绿茶", "茶", "green", "gre"}) {
        q.text = words;
        for (const bool in_stock : {false, true}) {
            q.in_stock_only = in_stock;
            q.category = in_stock ? std::optional(CategoryId(10)) : std::nullopt;
            q.shop = in_stock ? std::optional(ShopId(1)) : std::nullopt;
            CHECK(found(index, q) == std::vector<std::uint64_t>{1});
            CHECK(index.search(q).total == 1);
        }
    }
    index.set_visible(ProductId(1), false);
    CHECK(index.search(text("")).total == 0);
    index.set_visible(ProductId(2), true);
    CHECK(found(index, "green") == std::vector<std::uint64_t>{2});
}

TEST_CASE("search: an audience also finds the hidden products of its shops, or of every shop") {
    SearchIndex index(cny);
    index.upsert(product(1, "绿茶 on display"));
    auto draft = product(2, "绿茶 draft");
    draft.visible = false;
    index.upsert(draft);
    auto other = product(3, "绿茶 other shop's draft");
    other.shop = ShopId(2);
    other.visible = false;
    index.upsert(other);

    const auto seen = [&](const SearchAudience& audience) {
        std::map<std::uint64_t, bool> on_display;
        for (const auto& hit : index.search(text("绿茶"), audience).hits) on_display[hit.product.value] = hit.on_display;
        return on_display;
    };
    CHECK(seen({}) == std::map<std::uint64_t, bool>{{1, true}});
    CHECK(seen({false, {ShopId(1)}}) == std::map<std::uint64_t, bool>{{1, true}, {2, false}});
    CHECK(seen({false, {ShopId(2), ShopId(7)}}) == std::map<std::uint64_t, bool>{{1, true}, {3, false}});
    CHECK(seen({true, {}}) == std::map<std::uint64_t, bool>{{1, true}, {2, false}, {3, false}});
    SearchQuery browse;
    CHECK(index.search(browse, {true, {}}).total == 3);
    browse.shop = ShopId(2);
    CHECK(index.search(browse).total == 0);
    CHECK(index.search(browse, {false, {ShopId(2)}}).total == 1);
}

TEST_CASE("search: sales updates reorder the sales sort") {
    SearchIndex index(cny);
    index.upsert(product(1, "pen"));
    index.upsert(product(2, "pen"));
    auto q = text("pen");
    q.sort = SearchSort::sales;
    index.set_sales(ProductId(1), 3);
    CHECK(found(index, q) == std::vector<std::uint64_t>{1, 2});
    index.set_sales(ProductId(2), 4);
    CHECK(found(index, q) == std::vector<std::uint64_t>{2, 1});
    CHECK(index.search(q).hits[0].sales == 4);
}

TEST_CASE("search: an upsert replaces the product's text, SKUs and categories, and remove forgets it") {
    SearchIndex index(cny);
    index.upsert(product(1, "old title", {"red"}));
    auto renamed = product(1, "新标题 new title");
    renamed.category_path = {CategoryId(2)};
    renamed.skus = {{SkuId(77), fen(1), true}};
    index.upsert(renamed);

    CHECK(found(index, "old").empty());
    CHECK(found(index, "red").empty());
    CHECK(found(index, "新标题") == std::vector<std::uint64_t>{1});
    SearchQuery in_old_category;
    in_old_category.category = CategoryId(10);
    CHECK(found(index, in_old_category).empty());
    CHECK(index.search(text("title")).hits.at(0).sku == SkuId(77));
    CHECK(error_of([&] { index.set_price(ProductId(1), SkuId(10), fen(5)); }) == Errc::not_found);
    CHECK(index.stats().products == 1);
    CHECK(index.stats().dead_slots == 1);

    index.remove(ProductId(1));
    CHECK_FALSE(index.contains(ProductId(1)));
    CHECK(found(index, "title").empty());
    CHECK(index.search(SearchQuery{}).total == 0);
    CHECK(error_of([&] { index.remove(ProductId(1)); }) == Errc::not_found);
    CHECK(error_of([&] { index.set_visible(ProductId(1), true); }) == Errc::not_found);
    CHECK(error_of([&] { index.set_sales(ProductId(1), 1); }) == Errc::not_found);
    CHECK(error_of([&] { index.set_in_stock(ProductId(1), SkuId(77), true); }) == Errc::not_found);
}

TEST_CASE("search: compaction drops dead slots and changes no result") {
    SearchIndex index(cny);
    for (std::uint64_t id = 1; id <= 300; ++id) {
        auto d = product(id, id % 2 ? "西湖龙井 green tea" : "铁观音 oolong tea", {id % 3 ? "罐装" : "袋装"});
        d.skus = {{SkuId(id), fen(static_cast<std::int64_t>(id % 17) * 100), id % 5 != 0}};
        d.sales = id % 7;
        index.upsert(d);
    }
    for (std::uint64_t id = 1; id <= 300; id += 3) index.upsert(product(id, "replaced 红茶"));
    for (std::uint64_t id = 2; id <= 300; id += 5) index.remove(ProductId(id));

    std::vector<SearchQuery> queries;
    for (const std::string words : {"", "tea", "te", "龙井", "茶", "红茶", "罐装 oolong", "replaced"}) {
        for (const auto sort : {SearchSort::relevance, SearchSort::price_ascending, SearchSort::sales}) {
            auto q = text(words);
            q.sort = sort;
            q.in_stock_only = sort == SearchSort::sales;
            q.page.limit = 1000;
            queries.push_back(q);
        }
    }
    std::vector<SearchResult> before;
    for (const auto& q : queries) before.push_back(index.search(q));
    const auto stats = index.stats();
    REQUIRE(stats.dead_slots > 0);

    index.compact();
    CHECK(index.stats().dead_slots == 0);
    CHECK(index.stats().products == stats.products);
    CHECK(index.stats().postings < stats.postings);
    for (std::size_t i = 0; i < queries.size(); ++i) CHECK(index.search(queries[i]) == before[i]);
}

TEST_CASE("search: compaction runs by itself once a quarter of the slots are dead") {
    SearchIndex index(cny);
    for (std::uint64_t id = 1; id <= 3000; ++id) index.upsert(product(id, "item"));
    std::size_t most_dead = 0;
    for (std::uint64_t id = 1; id <= 1500; ++id) {
        index.upsert(product(id, "item renamed"));
        most_dead = std::max(most_dead, index.stats().dead_slots);
    }
    CHECK(most_dead < 1500);
    CHECK(index.stats().dead_slots < 1000);
    CHECK(index.search(text("renamed")).total == 1500);
    CHECK(index.search(text("item")).total == 3000);
}

// ---- malformed input and misuse -------------------------------------------------------

TEST_CASE("search: malformed UTF-8 in documents and queries still finds the valid parts") {
    SearchIndex index(cny);
    index.upsert(product(1, "西湖\xE9\xBE" "龙井 gr\xFF" "een tea"));
    index.upsert(product(2, "plain"));
    CHECK(found(index, "西湖") == std::vector<std::uint64_t>{1});
    CHECK(found(index, "龙井 een") == std::vector<std::uint64_t>{1});
    // The broken character cut the run: 湖龙 is no pair of it; only every character is found.
    CHECK(index.search(text("西湖龙井")).relaxed);
    CHECK(found(index, "\xFF\xFE tea \xC0") == std::vector<std::uint64_t>{1});
    CHECK(index.search(text("\xFF\xFE\xC0\xAF")).total == 2);  // nothing searchable: browse
    CHECK(found(index, "龙\xE4\xB8").size() == 1);
}

TEST_CASE("search: malformed queries are invalid_argument or currency_mismatch") {
    SearchIndex index(cny);
    index.upsert(product(1, "tea"));
    const auto code = [&](auto change) {
        SearchQuery q = text("tea");
        change(q);
        return error_of([&] { index.search(q); });
    };
    CHECK(code([](SearchQuery& q) { q.page.limit = 0; }) == Errc::invalid_argument);
    CHECK(code([](SearchQuery& q) { q.page.limit = Page::max_limit + 1; }) == Errc::invalid_argument);
    CHECK(code([](SearchQuery& q) { q.page.offset = SearchQuery::max_offset + 1; }) == Errc::invalid_argument);
    CHECK(code([](SearchQuery& q) { q.text = std::string(SearchQuery::max_text_bytes + 1, 'a'); }) ==
          Errc::invalid_argument);
    CHECK(code([](SearchQuery& q) { q.category = CategoryId{}; }) == Errc::invalid_argument);
    CHECK(code([](SearchQuery& q) { q.shop = ShopId{}; }) == Errc::invalid_argument);
    CHECK(code([](SearchQuery& q) { q.sort = static_cast<SearchSort>(9); }) == Errc::invalid_argument);
    CHECK(code([](SearchQuery& q) { q.min_price = fen(-1); }) == Errc::invalid_argument);
    CHECK(code([](SearchQuery& q) {
              q.min_price = fen(200);
              q.max_price = fen(100);
          }) == Errc::invalid_argument);
    CHECK(code([](SearchQuery& q) { q.max_price = Money(100, Currency::of("USD")); }) == Errc::currency_mismatch);
    CHECK(code([](SearchQuery& q) { q.currency = Currency::of("USD"); }) == Errc::currency_mismatch);
    CHECK(code([](SearchQuery& q) {
              q.currency = Currency::of("USD");
              q.min_price = Money(100, Currency::of("USD"));
          }) == Errc::currency_mismatch);
    SearchQuery named = text("tea");
    named.currency = cny;
    CHECK(index.search(named).total == 1);

    SearchQuery widest = text(std::string(SearchQuery::max_text_bytes, 'a'));
    widest.page = {SearchQuery::max_offset, Page::max_limit};
    CHECK(index.search(widest).hits.empty());
}

TEST_CASE("search: a rejected document changes nothing") {
    SearchIndex index(cny);
    index.upsert(product(1, "original"));
    const auto stats = index.stats();
    const auto rejected = [&](auto change) {
        auto d = product(1, "replacement");
        change(d);
        return error_of([&] { index.upsert(d); });
    };
    CHECK(rejected([](SearchDocument& d) { d.product = ProductId{}; }) == Errc::invalid_argument);
    CHECK(rejected([](SearchDocument& d) { d.shop = ShopId{}; }) == Errc::invalid_argument);
    CHECK(rejected([](SearchDocument& d) { d.category_path.push_back(CategoryId{}); }) == Errc::invalid_argument);
    CHECK(rejected([](SearchDocument& d) { d.category_path.push_back(CategoryId(1)); }) == Errc::invalid_argument);
    CHECK(rejected([](SearchDocument& d) {
              d.category_path.assign(SearchIndex::max_category_depth + 1, CategoryId{});
              for (std::size_t i = 0; i < d.category_path.size(); ++i) d.category_path[i] = CategoryId(i + 1);
          }) == Errc::invalid_argument);
    CHECK(rejected([](SearchDocument& d) { d.skus.push_back({SkuId{}, fen(1), true}); }) == Errc::invalid_argument);
    CHECK(rejected([](SearchDocument& d) { d.skus.push_back(d.skus.front()); }) == Errc::invalid_argument);
    CHECK(rejected([](SearchDocument& d) { d.skus.front().price = fen(-5); }) == Errc::invalid_argument);
    CHECK(rejected([](SearchDocument& d) { d.skus.front().price = Money(5, Currency::of("JPY")); }) ==
          Errc::currency_mismatch);
    CHECK(rejected([](SearchDocument& d) {
              d.skus.clear();
              for (std::uint64_t s = 1; s <= SearchIndex::max_skus + 1; ++s) d.skus.push_back({SkuId(s), fen(1), true});
          }) == Errc::invalid_argument);
    CHECK(error_of([&] { index.set_price(ProductId(1), SkuId(10), Money(1, Currency::of("USD"))); }) ==
          Errc::currency_mismatch);
    CHECK(error_of([&] { index.set_price(ProductId(1), SkuId(10), fen(-1)); }) == Errc::invalid_argument);
    CHECK(error_of([&] { index.set_price(ProductId(1), SkuId(11), fen(1)); }) == Errc::not_found);

    CHECK(index.stats() == stats);
    CHECK(found(index, "original") == std::vector<std::uint64_t>{1});
    CHECK(found(index, "replacement").empty());
    CHECK(index.search(text("original")).hits.at(0).price == fen(1000));
}

// ---- against a straightforward model --------------------------------------------------

namespace {

// What a product matches, computed the slow and obvious way: the audience may see it, every
// query term is one of its terms (or begins one, for a prefix), and some SKU passes the price
// and stock filters. When the CJK pairs find nothing, single characters stand in for them.
struct Model {
    std::map<std::uint64_t, SearchDocument> documents;
    std::map<std::uint64_t, std::string> shop_names;

    std::set<std::uint64_t> matches(const SearchQuery& q, const SearchAudience& audience) const {
        const auto strict = matches(q, audience, query_terms(q.text));
        return strict.empty() ? matches(q, audience, query_terms(q.text, CjkMatch::characters)) : strict;
    }

    std::set<std::uint64_t> matches(const SearchQuery& q, const SearchAudience& audience,
                                    const std::vector<QueryTerm>& terms) const {
        std::set<std::uint64_t> out;
        for (const auto& [id, d] : documents) {
            if (!d.visible && !audience.sees_hidden_of(d.shop)) continue;
            if (q.shop && d.shop != *q.shop) continue;
            if (q.category && std::find(d.category_path.begin(), d.category_path.end(), *q.category) ==
                                  d.category_path.end())
                continue;
            std::vector<std::string> words = terms_of(d.title);
            for (const auto& value : d.attribute_values) document_terms(value, words);
            if (const auto shop = shop_names.find(d.shop.value); shop != shop_names.end())
                document_terms(shop->second, words);
            const bool all_terms = std::all_of(terms.begin(), terms.end(), [&](const QueryTerm& t) {
                return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
                    return t.prefix ? std::string_view(w).starts_with(t.text) : w == t.text;
                });
            });
            const bool restricts = q.min_price || q.max_price || q.in_stock_only;
            const bool sku_passes = std::any_of(d.skus.begin(), d.skus.end(), [&](const SearchSku& s) {
                return (!q.min_price || s.price >= *q.min_price) && (!q.max_price || s.price <= *q.max_price) &&
                       (!q.in_stock_only || s.in_stock);
            });
            if (all_terms && (sku_passes || !restricts)) out.insert(id);
        }
        return out;
    }
};

}  // namespace

TEST_CASE("search: random changes and queries agree with a straightforward model") {
    const std::vector<std::string> vocabulary{"绿茶", "红茶", "龙井", "西湖", "茶具", "tea", "teapot", "green",
                                              "greek", "black", "cup",  "杯",   "壶",   "ceramic", "玻璃"};
    std::mt19937 random(2024);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    const auto phrase = [&](std::size_t max_words) {
        std::string s;
        for (std::size_t i = 0, n = 1 + pick(max_words); i < n; ++i) s += vocabulary[pick(vocabulary.size())] + (pick(3) ? " " : "");
        return s;
    };
    SearchIndex index(cny);
    Model model;
    for (int step = 0; step < 6000; ++step) {
        const std::uint64_t id = 1 + pick(400);
        const auto known = model.documents.find(id);
        switch (pick(8)) {
            case 0:
            case 1:
            case 2: {
                auto d = product(id, phrase(4), {phrase(2)});
                d.shop = ShopId(1 + pick(6));
                d.category_path = {CategoryId(1), CategoryId(10 + pick(3))};
                d.skus.clear();
                for (std::size_t s = 0, n = pick(4); s < n; ++s)
                    d.skus.push_back({SkuId(id * 10 + s), fen(static_cast<std::int64_t>(pick(50)) * 100), pick(3) != 0});
                d.visible = pick(6) != 0;
                index.upsert(d);
                model.documents[id] = d;
                break;
            }
            case 3:
                if (known != model.documents.end()) {
                    index.remove(ProductId(id));
                    model.documents.erase(known);
                }
                break;
            case 4:
                if (known != model.documents.end()) {
                    known->second.visible = !known->second.visible;
                    index.set_visible(ProductId(id), known->second.visible);
                }
                break;
            case 5:
                if (known != model.documents.end() && !known->second.skus.empty()) {
                    auto& sku = known->second.skus[pick(known->second.skus.size())];
                    sku.price = fen(static_cast<std::int64_t>(pick(50)) * 100);
                    sku.in_stock = pick(2) != 0;
                    index.set_price(ProductId(id), sku.id, sku.price);
                    index.set_in_stock(ProductId(id), sku.id, sku.in_stock);
                }
                break;
            case 6: {
                const ShopId shop(1 + pick(6));
                const auto name = pick(4) ? phrase(2) : std::string();
                index.set_shop_name(shop, name);
                if (name.empty()) {
                    model.shop_names.erase(shop.value);
                } else {
                    model.shop_names[shop.value] = name;
                }
                break;
            }
            default: {
                SearchQuery q;
                q.text = pick(5) ? phrase(3) : std::string();
                if (!q.text.empty() && pick(2)) q.text.pop_back();  // often an unfinished last word
                if (!pick(4)) q.category = CategoryId(pick(2) ? 1 : 10 + pick(3));
                if (!pick(4)) q.shop = ShopId(1 + pick(6));
                if (!pick(4)) q.min_price = fen(static_cast<std::int64_t>(pick(30)) * 100);
                if (!pick(4)) q.max_price = fen(3000 + static_cast<std::int64_t>(pick(30)) * 100);
                q.in_stock_only = !pick(4);
                q.sort = static_cast<SearchSort>(1 + pick(5));
                q.page.limit = Page::max_limit;
                SearchAudience audience;
                if (!pick(5)) audience.every_shop = true;
                if (!pick(4)) audience.shops = {ShopId(1 + pick(6)), ShopId(1 + pick(6))};
                const auto result = index.search(q, audience);
                const auto expected = model.matches(q, audience);
                for (const auto& hit : result.hits)
                    CHECK(hit.on_display == model.documents.at(hit.product.value).visible);
                CHECK(result.total == expected.size());
                const auto ids = products(result);
                CHECK(std::set<std::uint64_t>(ids.begin(), ids.end()) == expected);
                if (q.sort == SearchSort::price_ascending)
                    for (std::size_t i = 1; i < result.hits.size(); ++i)
                        if (result.hits[i].price) CHECK(*result.hits[i - 1].price <= *result.hits[i].price);
                if (q.sort == SearchSort::relevance)
                    for (std::size_t i = 1; i < result.hits.size(); ++i)
                        CHECK(result.hits[i - 1].score >= result.hits[i].score);
            }
        }
    }
    CHECK(index.stats().products == model.documents.size());
}
