// Search scenarios over a synthetic marketplace catalogue: mixed Chinese and English titles,
// 10,000 shops, 1M SKUs (a tenth of that with --quick).
//   search_build   indexes the catalogue directly (souk::detail::SearchIndex): build rate,
//                  the heap the index holds per SKU, in-place price and stock updates, and
//                  the typical queries against the bare index;
//   search_query   builds the same catalogue through the public API (shops, categories,
//                  products, stock, sales) and times Catalog::search for typical storefront
//                  queries, as a guest sees them.
#include <malloc.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench.hpp"
#include "search/index.hpp"
#include "souk/marketplace.hpp"

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
// The attribute names every department defines, for the colour, material and city values.
constexpr Words<3> attribute_names{"颜色", "材质", "产地"};

constexpr std::size_t shop_count = 10'000;
// When the catalogue's first product is created.
constexpr Timestamp catalogue_start = Timestamp{} + std::chrono::hours(24 * 365 * 55);
constexpr std::size_t middle_categories = 8;  // per department
constexpr std::size_t leaf_categories = 5;    // per middle category

// Category ids as the catalog numbers them when the departments are created first, then every
// middle category, then every leaf: the direct index and the marketplace use the same ids.
CategoryId department_category(std::size_t department) { return CategoryId(1 + department); }
CategoryId middle_category(std::size_t department, std::size_t middle) {
    return CategoryId(1 + departments().size() + department * middle_categories + middle);
}
CategoryId leaf_category(std::size_t department, std::size_t middle, std::size_t leaf) {
    return CategoryId(1 + departments().size() * (1 + middle_categories) +
                      (department * middle_categories + middle) * leaf_categories + leaf);
}

// One product of the catalogue, before it becomes a search document or a catalog draft.
struct SyntheticProduct {
    ProductId id;
    ShopId shop;
    std::size_t department = 0;
    std::size_t middle = 0;
    std::size_t leaf = 0;
    std::string title;
    std::array<std::string, 3> attributes;  // colour, material and city, named by attribute_names
    std::vector<std::string> specs;          // one distinct value per SKU
    std::vector<std::int64_t> prices_fen;
    std::vector<bool> in_stock;
    Timestamp created{};
    std::uint64_t sales = 0;
    bool on_sale = false;
};

// A deterministic synthetic catalogue: products are produced one at a time, so building never
// holds the whole catalogue twice.
class SyntheticCatalogue {
public:
    SyntheticCatalogue(std::size_t sku_target, std::uint64_t seed) : sku_target_(sku_target), random_(seed) {}

    std::size_t skus() const { return skus_; }
    std::size_t products() const { return next_product_ - 1; }

    // Shop ids 1..shop_count; a shop sells in department (id % departments). Names are unique.
    static std::string shop_name(std::uint64_t shop) {
        const auto& department = departments()[shop % departments().size()];
        if (shop % 4 == 0)
            return fmt::format("{} {} Store {}", shop_words_en[shop / 4 % shop_words_en.size()],
                               department.shop_word_en, shop);
        return fmt::format("{}{}{}{}{}", cities[shop % cities.size()], department.shop_word,
                           shop_kinds[shop / 7 % shop_kinds.size()], shop, shop % 97 == 0 ? " 官方" : "");
    }

    static std::vector<CategoryId> category_path(const SyntheticProduct& p) {
        return {department_category(p.department), middle_category(p.department, p.middle),
                leaf_category(p.department, p.middle, p.leaf)};
    }

    bool next(SyntheticProduct& p) {
        if (skus_ >= sku_target_) return false;
        p = SyntheticProduct{};
        p.id = ProductId(next_product_++);
        p.shop = ShopId(1 + pick(shop_count));
        p.department = p.shop.value % departments().size();
        const auto& department = departments()[p.department];
        p.middle = pick(middle_categories);
        p.leaf = pick(leaf_categories);
        p.title = title(department);
        p.attributes = {std::string(colours[pick(colours.size())]), std::string(materials[pick(materials.size())]),
                        std::string(cities[pick(cities.size())])};
        const std::size_t sku_count = std::min<std::size_t>(1 + pick(8), sku_target_ - skus_);
        const std::int64_t base = department.base_price_fen / 4 +
                                  static_cast<std::int64_t>(pick(static_cast<std::size_t>(department.base_price_fen)));
        for (std::size_t k = 0; k < sku_count; ++k) {
            // Spec values are distinct within a product: past the department's list they repeat
            // as multipacks ("250g ×2").
            const std::size_t listed = department.specs.size();
            const auto spec = department.specs[k % listed];
            p.specs.push_back(k < listed ? std::string(spec) : fmt::format("{} ×{}", spec, k / listed + 1));
            p.prices_fen.push_back(base + static_cast<std::int64_t>(k) * 500);
            p.in_stock.push_back(pick(100) < 85);
        }
        skus_ += sku_count;
        created_ += std::chrono::seconds(pick(600));  // about two years over 200k products
        p.created = created_;
        p.sales = pick(100) < 5 ? pick(100'000) : pick(200);  // a few best sellers
        p.on_sale = pick(100) < 95;
        return true;
    }

    static SearchDocument document(const SyntheticProduct& p) {
        SearchDocument d;
        d.product = p.id;
        d.shop = p.shop;
        d.category_path = category_path(p);
        d.title = p.title;
        d.attribute_values.assign(p.attributes.begin(), p.attributes.end());
        d.attribute_values.insert(d.attribute_values.end(), p.specs.begin(), p.specs.end());
        for (std::size_t k = 0; k < p.specs.size(); ++k)
            d.skus.push_back({SkuId(p.id.value * 16 + k), Money(p.prices_fen[k], cny()), p.in_stock[k]});
        d.created = p.created;
        d.sales = p.sales;
        d.visible = p.on_sale;
        return d;
    }

    // Shop names, then every product.
    void index_into(SearchIndex& index) {
        for (std::uint64_t shop = 1; shop <= shop_count; ++shop) index.set_shop_name(ShopId(shop), shop_name(shop));
        SyntheticProduct p;
        while (next(p)) index.upsert(document(p));
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
            const std::size_t department_index = pick(departments().size());
            const auto& department = departments()[department_index];
            const auto noun = department.nouns[pick(department.nouns.size())];
            const auto noun_en = department.nouns_en[pick(department.nouns_en.size())];
            add("cjk_word", std::string(noun), none);
            add("cjk_phrase", fmt::format("{}{}", adjectives[pick(adjectives.size())], noun), none);
            add("cjk_char", std::string(single_characters[pick(single_characters.size())]), none);
            add("english_words", std::string(noun_en), none);
            add("english_prefix", std::string(noun_en.substr(0, 3)), none);
            add("mixed", fmt::format("{} {}", noun, noun_en.substr(0, noun_en.find(' '))), none);
            add("filtered_by_price", std::string(noun), [&](SearchQuery& q) {
                q.category = department_category(department_index);
                q.min_price = Money(department.base_price_fen / 2, cny());
                q.max_price = Money(department.base_price_fen, cny());
                q.in_stock_only = true;
                q.sort = SearchSort::price_ascending;
            });
            add("browse_category_by_sales", "", [&](SearchQuery& q) {
                q.category = middle_category(department_index, pick(middle_categories));
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

    static Currency cny() { return Currency::of("CNY"); }

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
    Timestamp created_ = catalogue_start;
};

// ---- building through the public API ---------------------------------------------------

constexpr std::size_t shops_per_owner = 20;  // what Shops allows one owner to hold open

// The synthetic catalogue as a marketplace holds it after real commands: every shop applied
// and approved, the category tree created, each product created, put on sale (95 %),
// stocked, and its sales reserved and committed.
class CatalogueMarket {
public:
    CatalogueMarket()
        : clock_(std::make_shared<ManualClock>(catalogue_start)),
          market_(Marketplace::in_memory(options(clock_))),
          admin_(Actor::user(market_.accounts().bootstrap_admin("admin@bench.example", password, "Bench Admin"))) {}

    Marketplace& market() { return market_; }
    std::size_t commands() const { return commands_; }

    void open_shops() {
        for (std::uint64_t n = 1; n <= shop_count; ++n) {
            if ((n - 1) % shops_per_owner == 0)
                owners_.push_back(Actor::user(market_.accounts().register_user(
                    fmt::format("owner{}@bench.example", n), password, fmt::format("Owner {}", n))));
            const auto shop = market_.shops().apply(owners_.back(), application(n));
            if (shop != ShopId(n)) throw std::runtime_error("shops were not numbered as the catalogue expects");
            market_.shops().approve(admin_, shop);
            commands_ += 2;
        }
    }

    void create_categories() {
        auto& catalog = market_.catalog();
        std::vector<AttributeDefinition> attributes;
        for (const auto name : attribute_names) attributes.push_back({std::string(name), false, {}});
        const auto expect = [&](CategoryId made, CategoryId expected) {
            ++commands_;
            if (made != expected) throw std::runtime_error("categories were not numbered as the catalogue expects");
        };
        for (std::size_t d = 0; d < departments().size(); ++d)
            expect(catalog.create_category(admin_, {std::string(departments()[d].shop_word), std::nullopt,
                                                    std::nullopt, attributes}),
                   department_category(d));
        for (std::size_t d = 0; d < departments().size(); ++d)
            for (std::size_t m = 0; m < middle_categories; ++m)
                expect(catalog.create_category(admin_, {fmt::format("{} {}", departments()[d].shop_word, m + 1),
                                                        department_category(d), std::nullopt, {}}),
                       middle_category(d, m));
        for (std::size_t d = 0; d < departments().size(); ++d)
            for (std::size_t m = 0; m < middle_categories; ++m)
                for (std::size_t l = 0; l < leaf_categories; ++l)
                    expect(catalog.create_category(
                               admin_, {fmt::format("{} {}-{}", departments()[d].shop_word, m + 1, l + 1),
                                        middle_category(d, m), std::nullopt, {}}),
                           leaf_category(d, m, l));
    }

    void add(const SyntheticProduct& p) {
        auto& catalog = market_.catalog();
        auto& inventory = market_.inventory();
        const auto& owner = owners_[(p.shop.value - 1) / shops_per_owner];
        clock_->set(p.created);
        const auto id = catalog.create_product(owner, p.shop, draft(p));
        if (id != p.id) throw std::runtime_error("products were not numbered as the catalogue expects");
        ++commands_;
        if (p.on_sale) {
            catalog.put_on_sale(owner, id);
            ++commands_;
        }
        const auto skus = catalog.product(owner, id).skus;
        const auto sold = static_cast<std::int64_t>(p.sales);
        std::vector<StockChange> stock;
        for (std::size_t k = 0; k < skus.size(); ++k) {
            const std::int64_t on_shelf = p.in_stock[k] ? 1 + static_cast<std::int64_t>(k % 7) * 10 : 0;
            const std::int64_t units = on_shelf + (k == 0 ? sold : 0);
            if (units > 0) stock.push_back({skus[k].id, units});
        }
        if (stock.empty()) return;
        inventory.adjust(owner, stock, "opening stock");
        ++commands_;
        if (sold == 0) return;
        inventory.commit(owner, inventory.reserve(owner, {{skus[0].id, sold}}, clock_->now() + std::chrono::hours(1)));
        commands_ += 2;
    }

private:
    static constexpr const char* password = "bench password";

    static MarketplaceOptions options(std::shared_ptr<const souk::Clock> clock) {
        MarketplaceOptions options;
        options.clock = std::move(clock);
        options.password_hashing = PasswordHashing::minimal;  // 500 owners register
        return options;
    }

    static ShopApplication application(std::uint64_t n) {
        return ShopApplication{.name = SyntheticCatalogue::shop_name(n),
                               .description = "Everything for the home and the table",
                               .business_category = std::string(departments()[n % departments().size()].shop_word),
                               .contact_name = "Chen Jing",
                               .contact_phone = "",
                               .contact_email = fmt::format("shop{}@bench.example", n)};
    }

    static ProductDraft draft(const SyntheticProduct& p) {
        ProductDraft d;
        d.title = p.title;
        d.category = leaf_category(p.department, p.middle, p.leaf);
        for (std::size_t a = 0; a < attribute_names.size(); ++a)
            d.attributes[std::string(attribute_names[a])] = p.attributes[a];
        d.specs = {{"规格", p.specs}};
        for (std::size_t k = 0; k < p.specs.size(); ++k)
            d.skus.push_back(SkuDraft{{p.specs[k]}, Money(p.prices_fen[k], SyntheticCatalogue::cny()), std::nullopt,
                                      500, "", std::nullopt});
        return d;
    }

    std::shared_ptr<ManualClock> clock_;
    Marketplace market_;
    Actor admin_;
    std::vector<Actor> owners_;
    std::size_t commands_ = 1;  // the admin's bootstrap
};

// ---- scenarios ---------------------------------------------------------------------------

constexpr std::uint64_t catalogue_seed = 20'241'125;

std::size_t sku_target(const Context& ctx) { return ctx.quick() ? 100'000 : 1'000'000; }

// Bytes allocated with malloc and not yet freed, whether from the heap or mapped directly.
std::size_t heap_in_use() {
    const auto info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

using TypicalQueries = std::vector<std::pair<std::string, SearchQuery>>;

// Runs every query once unmeasured, then `rounds` times measured; adds the latency fields of
// all of them to `out`, and of each kind under its name with its mean number of matches.
// Returns the queries per second over the measured rounds.
template <class Search>
double time_queries(const TypicalQueries& queries, int rounds, Search&& search, nlohmann::json& out) {
    for (const auto& [kind, query] : queries) search(query);
    std::vector<double> all;
    std::map<std::string, std::vector<double>> by_kind;
    std::map<std::string, std::size_t> matches;
    const Stopwatch watch;
    for (int round = 0; round < rounds; ++round) {
        for (const auto& [kind, query] : queries) {
            std::size_t total = 0;
            const double s = time_seconds([&] { total = search(query).total; });
            all.push_back(s);
            by_kind[kind].push_back(s);
            if (round == 0) matches[kind] += total;
        }
    }
    const double elapsed = watch.elapsed();
    add_latency_fields(out, all);
    for (const auto& [kind, samples] : by_kind) {
        nlohmann::json fields = nlohmann::json::object();
        add_latency_fields(fields, samples);
        fields["mean_matches"] = static_cast<double>(matches[kind]) / static_cast<double>(samples.size() / rounds);
        out[kind] = fields;
    }
    return static_cast<double>(all.size()) / elapsed;
}

std::size_t queries_per_kind(const Context& ctx) { return ctx.quick() ? 20 : 100; }
int query_rounds(const Context& ctx) { return ctx.quick() ? 2 : 5; }

void search_build(Context& ctx) {
    const std::size_t heap_before = heap_in_use();
    SearchIndex index(SyntheticCatalogue::cny());
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

    // The same queries as search_query, straight against the index: what Catalog::search adds
    // (the read lock, titles and names for each hit) is the difference.
    nlohmann::json index_queries = nlohmann::json::object();
    const auto queries = catalogue.typical_queries(queries_per_kind(ctx));
    index_queries["queries_per_s"] = time_queries(
        queries, query_rounds(ctx), [&](const SearchQuery& q) { return index.search(q); }, index_queries);

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
                    {"price_and_stock_updates_per_s", static_cast<double>(updates) / update_s},
                    {"index_queries", index_queries}};
    ctx.info("{} products, {} SKUs in {:.1f} s; {:.0f} heap bytes per SKU after compaction", stats.products,
             stats.skus, build_s, static_cast<double>(heap_compacted - heap_before) / skus);
    ctx.report(std::move(result));
}

void search_query(Context& ctx) {
    const std::size_t heap_before = heap_in_use();
    CatalogueMarket built;
    SyntheticCatalogue catalogue(sku_target(ctx), catalogue_seed);
    const double shops_s = time_seconds([&] {
        built.open_shops();
        built.create_categories();
    });
    const double products_s = time_seconds([&] {
        SyntheticProduct p;
        while (catalogue.next(p)) built.add(p);
    });
    const double build_s = shops_s + products_s;
    const auto skus = static_cast<double>(catalogue.skus());
    const double heap_per_sku = static_cast<double>(heap_in_use() - heap_before) / skus;
    ctx.info("{} shops, {} products, {} SKUs through the API: {} commands in {:.1f} s; {:.0f} heap bytes per SKU",
             shop_count, catalogue.products(), catalogue.skus(), built.commands(), build_s, heap_per_sku);

    const auto& catalog = built.market().catalog();
    Result result;
    result.unit = "queries/s";
    result.journal = "memory";
    result.value = time_queries(
        catalogue.typical_queries(queries_per_kind(ctx)), query_rounds(ctx),
        [&](const SearchQuery& q) { return catalog.search(q); }, result.extra);
    result.extra["skus"] = catalogue.skus();
    result.extra["products"] = catalogue.products();
    result.extra["shops"] = shop_count;
    result.extra["build_commands"] = built.commands();
    result.extra["build_s"] = build_s;
    result.extra["build_commands_per_s"] = static_cast<double>(built.commands()) / build_s;
    result.extra["marketplace_heap_bytes_per_sku"] = heap_per_sku;
    ctx.report(std::move(result));
}

const bool registered = register_scenarios({
    {.name = "search_build",
     .description = "index a synthetic catalogue directly (10k shops, 1M SKUs); heap per SKU; price/stock updates",
     .fn = search_build,
     .needs = {}},
    {.name = "search_query",
     .description = "build the catalogue through the public API, then time Catalog::search for typical queries",
     .fn = search_query,
     .needs = {}},
});

}  // namespace
