#include "search/tokenize.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>

#include "utf8.hpp"

namespace souk::detail {
namespace {

char32_t fold_latin_extended_a(char32_t cp) {
    if (cp == 0x130) return 'i';   // İ: its lower case is a plain i for matching
    if (cp == 0x178) return 0xFF;  // Ÿ → ÿ
    // Capital and small letters alternate; which one comes first flips twice in the block.
    const bool even_capital = (cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177);
    const bool odd_capital = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    if (even_capital && cp % 2 == 0) return cp + 1;
    if (odd_capital && cp % 2 == 1) return cp + 1;
    return cp;
}

char32_t fold(char32_t cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII forms
    if (cp == 0x3000) return ' ';                      // ideographic space
    if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
    if (cp < 0x80) return cp;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;  // Latin-1 capitals
    if (cp >= 0x100 && cp <= 0x17F) return fold_latin_extended_a(cp);
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20;  // Greek capitals
    if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;                  // Cyrillic capitals
    if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;                  // Ѐ..Џ
    return cp;
}

bool is_cjk(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x11FF) ||    // Hangul jamo
           (cp >= 0x3040 && cp <= 0x30FF) ||    // hiragana, katakana
           (cp >= 0x3100 && cp <= 0x318F) ||    // bopomofo, Hangul compatibility jamo
           (cp >= 0x31F0 && cp <= 0x31FF) ||    // katakana extensions
           (cp >= 0x3400 && cp <= 0x4DBF) ||    // CJK extension A
           (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK unified ideographs
           (cp >= 0xAC00 && cp <= 0xD7AF) ||    // Hangul syllables
           (cp >= 0xF900 && cp <= 0xFAFF) ||    // CJK compatibility ideographs
           (cp >= 0xFF66 && cp <= 0xFF9F) ||    // half-width katakana
           (cp >= 0x20000 && cp <= 0x3FFFF);    // CJK extensions B and later
}

bool is_separator(char32_t cp) {
    if (cp < 0x80) return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
    return cp == invalid_code_point ||
           (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||  // Latin-1 controls, punctuation, signs
           (cp >= 0x2000 && cp <= 0x2BFF) ||                          // punctuation, symbols, arrows
           (cp >= 0x3000 && cp <= 0x303F) ||                          // CJK punctuation
           (cp >= 0xE000 && cp <= 0xF8FF) ||                          // private use
           (cp >= 0xFE00 && cp <= 0xFE0F) ||                          // variation selectors
           (cp >= 0xFE30 && cp <= 0xFE6F) ||                          // CJK compatibility forms
           cp == 0xFEFF ||                                            // byte order mark
           (cp >= 0xFF00 && cp <= 0xFF65) ||                          // full-width punctuation left after folding
           (cp >= 0xFFE0 && cp <= 0xFFFF) ||                          // full-width signs, specials
           (cp >= 0x1F000 && cp <= 0x1FFFF);                          // emoji and pictographs
}

bool is_digit(char32_t cp) { return cp >= '0' && cp <= '9'; }

// One run of folded text. A CJK run keeps where each character starts so pairs can be cut.
struct Run {
    bool cjk = false;
    std::string text;
    std::vector<std::size_t> starts;  // CJK runs only: byte offset of each character
    bool ends_text = false;           // nothing, not even a separator, follows it

    std::size_t characters() const { return starts.size(); }
    std::string_view character(std::size_t k, std::size_t count = 1) const {
        const std::size_t end = k + count < starts.size() ? starts[k + count] : text.size();
        return std::string_view(text).substr(starts[k], end - starts[k]);
    }
};

template <class Visit>
void for_each_run(std::string_view text, Visit&& visit) {
    Run run;
    bool open = false;
    bool last_digit = false;
    const auto flush = [&](bool ends_text) {
        if (open) {
            run.ends_text = ends_text;
            visit(static_cast<const Run&>(run));
        }
        run.text.clear();
        run.starts.clear();
        open = false;
    };
    for (std::size_t i = 0; i < text.size();) {
        const char32_t cp = fold(decode_utf8(text, i));
        if (is_separator(cp)) {
            flush(false);
            continue;
        }
        const bool cjk = is_cjk(cp);
        const bool digit = is_digit(cp);
        if (open && (run.cjk != cjk || (!cjk && digit != last_digit))) flush(false);
        if (!open) {
            run.cjk = cjk;
            open = true;
        }
        last_digit = digit;
        if (cjk) {
            run.starts.push_back(run.text.size());
            append_utf8(run.text, cp);
            continue;
        }
        // Past the limit the rest of the word is skipped, one whole character at a time.
        std::string encoded;
        append_utf8(encoded, cp);
        if (run.text.size() + encoded.size() <= max_word_bytes) run.text += encoded;
    }
    flush(true);
}

bool is_function_word(std::string_view word) {
    static constexpr std::array<std::string_view, 14> words{"a",  "an", "and", "at", "by",  "for", "from",
                                                           "in", "of", "on",  "or", "the", "to",  "with"};
    return std::find(words.begin(), words.end(), word) != words.end();
}

bool is_letters_only(std::string_view word) {
    return std::none_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void document_terms(std::string_view text, std::vector<std::string>& out) {
    for_each_run(text, [&](const Run& run) {
        if (!run.cjk) {
            out.push_back(run.text);
            return;
        }
        for (std::size_t k = 0; k < run.characters(); ++k) {
            out.emplace_back(run.character(k));
            if (k + 1 < run.characters()) out.emplace_back(run.character(k, 2));
        }
    });
}

std::vector<QueryTerm> query_terms(std::string_view text, CjkMatch cjk) {
    std::vector<QueryTerm> terms;
    for_each_run(text, [&](const Run& run) {
        if (!run.cjk) {
            // One letter is too little to expand: it would stand for a large part of the index.
            const bool prefix = run.ends_text && run.text.size() >= 2 && is_letters_only(run.text);
            terms.push_back({run.text, prefix});
            return;
        }
        if (run.characters() == 1 || cjk == CjkMatch::characters) {
            for (std::size_t k = 0; k < run.characters(); ++k)
                terms.push_back({std::string(run.character(k)), false});
            return;
        }
        for (std::size_t k = 0; k + 1 < run.characters(); ++k) terms.push_back({std::string(run.character(k, 2)), false});
    });
    const bool has_content = std::any_of(terms.begin(), terms.end(),
                                         [](const QueryTerm& t) { return t.prefix || !is_function_word(t.text); });
    // Only the last term can be a prefix, so when a text repeats, the occurrence kept (the
    // first) is exact: it already demands the whole word.
    std::vector<QueryTerm> kept;
    for (auto& term : terms) {
        if (has_content && !term.prefix && is_function_word(term.text)) continue;
        const bool seen = std::any_of(kept.begin(), kept.end(), [&](const QueryTerm& k) { return k.text == term.text; });
        if (!seen) kept.push_back(std::move(term));
    }
    return kept;
}

}  // namespace souk::detail
