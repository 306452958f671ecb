// Fuzzes the search tokenizer, which reads every product text and every query as arbitrary
// bytes (malformed UTF-8 included). Beyond not crashing: terms are non-empty valid UTF-8,
// words are cut at max_word_bytes, a query's terms are distinct with at most one prefix term,
// the last, and every query term is a term of the same text indexed as a document (a product
// is found by its own title).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "search/tokenize.hpp"
#include "utf8.hpp"

namespace {

using souk::fuzz::expect;

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();)
        if (souk::detail::decode_utf8(s, i) == souk::detail::invalid_code_point) return false;
    return true;
}

// A CJK term is one or two characters of at most four bytes each; a word is cut at the limit.
constexpr std::size_t term_bytes_max = std::max<std::size_t>(souk::detail::max_word_bytes, 8);

void check_term(std::string_view term) {
    expect(!term.empty(), "terms are not empty");
    expect(term.size() <= term_bytes_max, "terms are cut at max_word_bytes");
    expect(is_valid_utf8(term), "terms are valid UTF-8");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace souk::detail;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> document;
    document_terms(text, document);
    for (const auto& term : document) check_term(term);
    std::sort(document.begin(), document.end());

    const auto query = query_terms(text);
    for (std::size_t i = 0; i < query.size(); ++i) {
        const auto& term = query[i];
        check_term(term.text);
        expect(!term.prefix || i + 1 == query.size(), "only the last query term is a prefix");
        expect(std::binary_search(document.begin(), document.end(), term.text),
               "every query term is a term of the same text as a document");
        for (std::size_t j = 0; j < i; ++j) expect(query[j].text != term.text, "query terms are distinct");
    }
    return 0;
}
