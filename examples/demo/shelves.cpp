// Stage 2: the operator builds the category tree with commission rates; every active shop
// lists its products (one SKU per spec value), puts them on sale and takes in stock.
#include <fmt/format.h>

#include "demo.hpp"

namespace demo {
namespace {

struct Listing {
    const char* shop;
    const char* title;
    const char* category;
    const char* dimension;
    std::vector<const char*> values;
    const char* price;  // of the first value; each next one costs 60 % more
};

const Listing listings[] = {
    {"王芳茶叶铺", "西湖龙井 明前特级", "绿茶", "净含量", {"50 g", "100 g", "250 g"}, "68.00"},
    {"王芳茶叶铺", "安溪铁观音 清香型", "乌龙茶", "净含量", {"100 g", "250 g"}, "88.00"},
    {"Li Wei Ceramics", "Celadon tea cup", "瓷器", "colour", {"celadon", "white"}, "45.00"},
    {"Li Wei Ceramics", "Blue-and-white teapot", "瓷器", "size", {"300 ml", "500 ml"}, "198.00"},
    {"张敏手工皂", "山茶花手工皂", "日用", "香型", {"原味", "玫瑰", "薰衣草"}, "29.90"},
    {"Chen's Silk Road", "Mulberry silk scarf", "丝绸", "colour", {"red", "ink", "jade"}, "259.00"},
    {"刘洋数码", "无线降噪耳机", "数码", "颜色", {"黑", "白"}, "399.00"},
    {"Yang Lin Books", "The Classic of Tea", "图书", "binding", {"paperback", "hardcover"}, "39.50"},
    {"Huang Li Bakery", "Mooncake gift box", "食品", "filling", {"lotus", "red bean", "five nuts"}, "128.00"},
    {"Wu Hao Audio", "Bookshelf speakers", "数码", "finish", {"walnut", "black"}, "1299.00"},
    {"徐静母婴", "有机棉婴儿连体衣", "服饰", "尺码", {"59", "66", "73"}, "89.00"},
    {"Sun Tao Tea Garden", "Pu'er cake 2019", "乌龙茶", "weight", {"357 g"}, "320.00"},
    {"Sun Tao Tea Garden", "Dian hong black tea", "绿茶", "weight", {"100 g", "200 g"}, "75.00"},
};

// The tree and its rates: 茶叶 5 % (绿茶, 乌龙茶), 器物 4 % (瓷器), 服饰 6 % (丝绸), 数码 2 %,
// 图书 3 %, 食品 4 %, 日用 5 %.
std::map<std::string, souk::CategoryId> build_categories(DemoWorld& w) {
    auto& catalog = w.market.catalog();
    std::map<std::string, souk::CategoryId> ids;
    const auto top = [&](const char* name, int bps) {
        return ids[name] = catalog.create_category(w.op, {name, std::nullopt, bps, {}});
    };
    const auto under = [&](const char* name, souk::CategoryId parent) {
        ids[name] = catalog.create_category(w.op, {name, parent, std::nullopt, {}});
    };
    const auto tea = top("茶叶", 500);
    under("绿茶", tea), under("乌龙茶", tea);
    under("瓷器", top("器物", 400));
    under("丝绸", top("服饰", 600));
    top("数码", 200), top("图书", 300), top("食品", 400), top("日用", 500);
    return ids;
}

souk::ProductDraft draft_of(const Listing& listing, souk::CategoryId category) {
    souk::ProductDraft draft;
    draft.title = listing.title;
    draft.description = fmt::format("{} from {}.", listing.title, listing.shop);
    draft.category = category;
    draft.specs = {{listing.dimension, {listing.values.begin(), listing.values.end()}}};
    auto price = souk::Money::parse(listing.price, souk::Currency::of("CNY"));
    for (const auto* value : listing.values) {
        draft.skus.push_back({{value}, price, std::nullopt, 500, "", std::nullopt});
        price = souk::Money(price.minor_units() * 8 / 5, price.currency());  // rounded down to the fen
    }
    return draft;
}

}  // namespace

void stock_shelves(DemoWorld& w) {
    const auto categories = build_categories(w);
    for (auto& shop : w.shops)
        for (const auto& listing : listings) {
            if (shop.name != listing.shop) continue;
            auto& catalog = w.market.catalog();
            const auto product = catalog.create_product(shop.owner, shop.id, draft_of(listing, categories.at(listing.category)));
            catalog.put_on_sale(shop.owner, product);
            std::vector<souk::StockChange> delivery;
            for (const auto& sku : catalog.product(shop.owner, product).skus) {
                shop.skus.push_back(sku.id);
                delivery.push_back({sku.id, static_cast<std::int64_t>(20 + w.pick(60))});
            }
            w.market.inventory().adjust(shop.owner, delivery, "opening stock");
        }
}

}  // namespace demo
