// Search scenarios: building the index over a synthetic marketplace catalogue (mixed Chinese
// and English titles, 10,000 shops, 1M SKUs; a tenth of that with --quick), the heap it holds
// per SKU, in-place price and stock updates, and the latency of typical queries.
#include <malloc.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench.hpp"
#include "search/index.hpp"

namespace {

using namespace souk;
using namespace souk::bench;
using souk::detail::SearchDocument;
using souk::detail::SearchIndex;

template <std::size_t N>
using Words = std::array<std::string_view, N>;

// One department of the catalogue: its products' words in both languages.
struct Department {
    std::string_view shop_word;  // in shop names: 杭州茗茶旗舰店
    std::string_view shop_word_en;
    std::vector<std::string_view> nouns;     // 龙井, 绿茶, ...
    std::vector<std::string_view> nouns_en;  // longjing, green tea, ...
    std::vector<std::string_view> specs;     // 250g, 500ml, ...
    std::int64_t base_price_fen;
};

const std::vector<Department>& departments() {
    static const std::vector<Department> all{
        {"茗茶", "Tea", {"龙井", "绿茶", "红茶", "乌龙茶", "普洱", "铁观音", "白茶", "花茶", "碧螺春", "毛尖"},
         {"green tea", "black tea", "oolong", "puer", "jasmine tea", "longjing", "white tea"}, {"250g", "500g", "礼盒装", "罐装"}, 8800},
        {"数码", "Digital", {"蓝牙耳机", "充电宝", "数据线", "手机壳", "键盘", "鼠标", "智能手表", "平板电脑"},
         {"bluetooth headphones", "power bank", "usb cable", "phone case", "keyboard", "mouse", "smart watch"},
         {"64GB", "128GB", "20000mAh", "Type-C"}, 19900},
        {"服饰", "Fashion", {"连衣裙", "T恤", "衬衫", "牛仔裤", "羽绒服", "卫衣", "运动鞋", "外套"},
         {"dress", "t-shirt", "shirt", "jeans", "down jacket", "hoodie", "sneakers"}, {"S", "M", "L", "XL"}, 15900},
        {"家居", "Home", {"保温杯", "电饭煲", "炒锅", "枕头", "收纳盒", "四件套", "台灯", "毛巾"},
         {"vacuum flask", "rice cooker", "wok", "pillow", "storage box", "bedding set", "desk lamp"},
         {"500ml", "1.5L", "大号", "加厚"}, 6900},
        {"食品", "Foods", {"坚果", "饼干", "牛肉干", "蜂蜜", "咖啡", "巧克力", "大米", "橄榄油"},
         {"mixed nuts", "cookies", "beef jerky", "honey", "coffee beans", "chocolate", "olive oil"},
         {"500g", "1kg", "礼盒", "家庭装"}, 4900},
        {"美妆", "Beauty", {"面霜", "口红", "洗面奶", "防晒霜", "精华液", "面膜", "香水"},
         {"face cream", "lipstick", "cleanser", "sunscreen", "serum", "face mask", "perfume"}, {"30ml", "50ml", "100ml"}, 12900},
    };
    return all;
}

constexpr Words<16> brands{"华为", "小米", "美的", "海尔", "李宁", "安踏", "西湖", "狮峰",
                           "Apple", "Sony", "Anker", "Philips", "Nike", "Uniqlo", "Lipton", "Muji"};
constexpr Words<16> adjectives{"新款", "正品", "特级", "便携", "无线", "大容量", "夏季", "冬季",
                               "男士", "女士", "儿童", "官方", "限量", "明前", "加绒", "进口"};
constexpr Words<10> adjectives_en{"wireless", "portable", "premium", "organic", "classic",
                                  "slim", "waterproof", "large", "mini", "original"};
constexpr Words<8> colours{"红色", "黑色", "白色", "蓝色", "绿色", "灰色", "粉色", "金色"};
constexpr Words<8> single_characters{"茶", "杯", "鞋", "裙", "锅", "米", "霜", "线"};
constexpr Words<6> materials{"纯棉", "不锈钢", "陶瓷", "玻璃", "真皮", "竹制"};
constexpr Words<12> cities{"杭州", "上海", "深圳", "广州", "北京", "成都", "苏州", "厦门", "南京", "武汉", "福州", "昆明"};
constexpr Words<4> shop_kinds{"旗舰店", "专营店", "专卖店", "小铺"};
constexpr Words<6> shop_words_en{"Lakeside", "Golden", "Harbor", "Maple", "Sunrise", "Orchid"};

constexpr std::size_t shop_count = 10'000;
constexpr std::size_t middle_categories = 8;  // per department
constexpr std::size_t leaf_categories = 5;    // per middle category

// A deterministic synthetic catalogue: products are produced one at a time, so building the
// index never holds the whole catalogue twice.
class SyntheticCatalogue {
public:
    SyntheticCatalogue(std::size_t sku_target, std::uint64_t seed) : sku_target_(sku_target), random_(seed) {}

    std::size_t skus() const { return skus_; }
    std::size_t products() const { return next_product_ - 1; }

    // Shop ids 1..shop_count; a shop sells in department (id % departments).
    static std::string shop_name(std::uint64_t shop) {
        const auto& department = departments()[shop % departments().size()];
        if (shop % 4 == 0)
            return fmt::format("{} {} Store {}", shop_words_en[shop / 4 % shop_words_en.size()],
                               department.shop_word_en, shop);
        return fmt::format("{}{}{}{}", cities[shop % cities.size()], department.shop_word,
                           shop_kinds[shop / 7 % shop_kinds.size()], shop % 97 == 0 ? " 官方" : "");
    }

    // The category path of a leaf: department root, middle category, leaf.
    static std::vector<CategoryId> category_path(std::size_t department, std::size_t middle, std::size_t leaf) {
        const std::uint64_t middle_id = 100 + department * middle_categories + middle;
        return {CategoryId(1 + department), CategoryId(middle_id),
                CategoryId(1000 + (middle_id - 100) * leaf_categories + leaf)};
    }

    bool next(SearchDocument& d) {
        if (skus_ >= sku_target_) return false;
        const std::uint64_t shop = 1 + pick(shop_count);
        const std::size_t department_index = shop % departments().size();
        const auto& department = departments()[department_index];
        d = SearchDocument{};
        d.product = ProductId(next_product_++);
        d.shop = ShopId(shop);
        d.category_path = category_path(department_index, pick(middle_categories), pick(leaf_categories));
        d.title = title(department);
        d.attribute_values = {std::string(colours[pick(colours.size())]),
                              std::string(materials[pick(materials.size())]), std::string(cities[pick(cities.size())])};
        const std::size_t sku_count = std::min<std::size_t>(1 + pick(8), sku_target_ - skus_);
        const std::int64_t base = department.base_price_fen / 4 + static_cast<std::int64_t>(pick(static_cast<std::size_t>(department.base_price_fen)));
        for (std::size_t k = 0; k < sku_count; ++k) {
            d.skus.push_back({SkuId(d.product.value * 16 + k), Money(base + static_cast<std::int64_t>(k) * 500, cny_),
                              pick(100) < 85});
            d.attribute_values.emplace_back(department.specs[k % department.specs.size()]);
        }
        skus_ += sku_count;
        d.created = Timestamp{} + std::chrono::hours(24 * 365 * 55) + std::chrono::minutes(pick(2 * 365 * 24 * 60));
        d.sales = pick(100) < 5 ? pick(100'000) : pick(200);  // a few best sellers
        d.visible = pick(100) < 95;
        return true;
    }

    // Shop names, then every product.
    void index_into(SearchIndex& index) {
        for (std::uint64_t shop = 1; shop <= shop_count; ++shop) index.set_shop_name(ShopId(shop), shop_name(shop));
        SearchDocument d;
        while (next(d)) index.upsert(d);
    }

    // Queries a storefront sends, by kind, drawn from the catalogue's own words.
    std::vector<std::pair<std::string, SearchQuery>> typical_queries(std::size_t per_kind) {
        std::vector<std::pair<std::string, SearchQuery>> queries;
        const auto add = [&](std::string kind, std::string text, auto&& refine) {
            SearchQuery q;
            q.text = std::move(text);
            q.page.limit = 20;
            refine(q);
            queries.emplace_back(std::move(kind), std::move(q));
        };
        const auto none = [](SearchQuery&) {};
        for (std::size_t i = 0; i < per_kind; ++i) {
            const auto& department = departments()[pick(departments().size())];
            const auto noun = department.nouns[pick(department.nouns.size())];
            const auto noun_en = department.nouns_en[pick(department.nouns_en.size())];
            const auto in_department = [&](SearchQuery& q) {
                q.category = CategoryId(1 + static_cast<std::uint64_t>(&department - departments().data()));
            };
            add("cjk_word", std::string(noun), none);
            add("cjk_phrase", fmt::format("{}{}", adjectives[pick(adjectives.size())], noun), none);
            add("cjk_char", std::string(single_characters[pick(single_characters.size())]), none);
            add("english_words", std::string(noun_en), none);
            add("english_prefix", std::string(noun_en.substr(0, 3)), none);
            add("mixed", fmt::format("{} {}", noun, noun_en.substr(0, noun_en.find(' '))), none);
            add("filtered_by_price", std::string(noun), [&](SearchQuery& q) {
                in_department(q);
                q.min_price = Money(department.base_price_fen / 2, cny_);
                q.max_price = Money(department.base_price_fen, cny_);
                q.in_stock_only = true;
                q.sort = SearchSort::price_ascending;
            });
            add("browse_category_by_sales", "", [&](SearchQuery& q) {
                q.category = category_path(static_cast<std::size_t>(&department - departments().data()),
                                           pick(middle_categories), 0)[1];
                q.sort = SearchSort::sales;
            });
            add("browse_shop_newest", "", [&](SearchQuery& q) {
                q.shop = ShopId(1 + pick(shop_count));
                q.sort = SearchSort::newest;
            });
            add("shop_name", fmt::format("{} {}", cities[pick(cities.size())], noun), none);
            add("browse_all_by_sales", "", [](SearchQuery& q) { q.sort = SearchSort::sales; });
        }
        return queries;
    }

private:
    std::size_t pick(std::size_t n) { return static_cast<std::size_t>(random_() % n); }

    // "【正品】西湖特级龙井明前2024新茶 longjing 250g": Chinese words run together or spaced,
    // often an English name, sometimes a spec.
    std::string title(const Department& department) {
        std::string t;
        if (pick(10) == 0) t += "【包邮】";
        t += brands[pick(brands.size())];
        t += pick(2) ? " " : "";
        for (std::size_t k = 0, n = 1 + pick(2); k < n; ++k) t += adjectives[pick(adjectives.size())];
        t += department.nouns[pick(department.nouns.size())];
        if (pick(3) == 0) t += department.nouns[pick(department.nouns.size())];
        if (pick(2)) {
            t += ' ';
            t += adjectives_en[pick(adjectives_en.size())];
            t += ' ';
            t += department.nouns_en[pick(department.nouns_en.size())];
        }
        if (pick(2)) {
            t += ' ';
            t += department.specs[pick(department.specs.size())];
        }
        return t;
    }

    std::size_t sku_target_;
    std::mt19937_64 random_;
    std::size_t skus_ = 0;
    std::uint64_t next_product_ = 1;
    Currency cny_ = Currency::of("CNY");
};

constexpr std::uint64_t catalogue_seed = 20'241'125;

std::size_t sku_target(const Context& ctx) { return ctx.quick() ? 100'000 : 1'000'000; }

// Bytes allocated with malloc and not yet freed, whether from the heap or mapped directly.
std::size_t heap_in_use() {
    const auto info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

void search_build(Context& ctx) {
    const std::size_t heap_before = heap_in_use();
    SearchIndex index(Currency::of("CNY"));
    SyntheticCatalogue catalogue(sku_target(ctx), catalogue_seed);
    const double build_s = time_seconds([&] { catalogue.index_into(index); });
    const std::size_t heap_built = heap_in_use();
    const double compact_s = time_seconds([&] { index.compact(); });
    const std::size_t heap_compacted = heap_in_use();

    // In-place changes: a price and a stock flag per update, on random products.
    std::mt19937_64 random(catalogue_seed);
    const std::size_t updates = ctx.quick() ? 100'000 : 1'000'000;
    const double update_s = time_seconds([&] {
        for (std::size_t i = 0; i < updates; ++i) {
            const ProductId product(1 + random() % catalogue.products());
            const SkuId sku(product.value * 16);
            index.set_price(product, sku, Money(static_cast<std::int64_t>(random() % 100'000), index.currency()));
            index.set_in_stock(product, sku, random() % 2 == 0);
        }
    });

    const auto stats = index.stats();
    const auto skus = static_cast<double>(stats.skus);
    Result result;
    result.unit = "skus/s";
    result.value = skus / build_s;
    result.journal = "none";
    result.extra = {{"products", stats.products},
                    {"skus", stats.skus},
                    {"shops", shop_count},
                    {"terms", stats.terms},
                    {"postings", stats.postings},
                    {"build_s", build_s},
                    {"compact_s", compact_s},
                    {"heap_bytes_per_sku", static_cast<double>(heap_compacted - heap_before) / skus},
                    {"heap_bytes_per_sku_before_compact", static_cast<double>(heap_built - heap_before) / skus},
                    {"price_and_stock_updates_per_s", static_cast<double>(updates) / update_s}};
    ctx.info("{} products, {} SKUs in {:.1f} s; {:.0f} heap bytes per SKU after compaction", stats.products,
             stats.skus, build_s, static_cast<double>(heap_compacted - heap_before) / skus);
    ctx.report(std::move(result));
}

void search_query(Context& ctx) {
    SearchIndex index(Currency::of("CNY"));
    SyntheticCatalogue catalogue(sku_target(ctx), catalogue_seed);
    catalogue.index_into(index);
    index.compact();
    const auto queries = catalogue.typical_queries(ctx.quick() ? 20 : 100);
    const int rounds = ctx.quick() ? 2 : 5;

    for (const auto& [kind, query] : queries) index.search(query);  // warm-up
    std::vector<double> all;
    std::map<std::string, std::vector<double>> by_kind;
    std::map<std::string, std::size_t> matches;
    const Stopwatch watch;
    for (int round = 0; round < rounds; ++round) {
        for (const auto& [kind, query] : queries) {
            std::size_t total = 0;
            const double s = time_seconds([&] { total = index.search(query).total; });
            all.push_back(s);
            by_kind[kind].push_back(s);
            if (round == 0) matches[kind] += total;
        }
    }
    const double elapsed = watch.elapsed();

    Result result;
    result.unit = "queries/s";
    result.value = static_cast<double>(all.size()) / elapsed;
    result.journal = "none";
    add_latency_fields(result.extra, all);
    for (const auto& [kind, samples] : by_kind) {
        nlohmann::json fields = nlohmann::json::object();
        add_latency_fields(fields, samples);
        fields["mean_matches"] = static_cast<double>(matches[kind]) / static_cast<double>(samples.size() / rounds);
        result.extra[kind] = fields;
    }
    result.extra["skus"] = catalogue.skus();
    ctx.report(std::move(result));
}

const bool registered = register_scenarios({
    {.name = "search_build",
     .description = "index a synthetic catalogue (10k shops, 1M SKUs); heap per SKU; price/stock updates",
     .fn = search_build,
     .needs = {}},
    {.name = "search_query",
     .description = "latency of typical storefront searches over the synthetic catalogue",
     .fn = search_query,
     .needs = {}},
});

}  // namespace
