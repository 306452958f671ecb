// Turning text into search terms, the same way for documents and for queries.
//
// Text is folded first: upper-case ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic
// letters become lower-case; full-width ASCII ("ＡＢＣ１２３", "，") becomes ASCII; the
// ideographic space becomes a space. Then it is cut into runs:
//   - words: letters and digits of space-separated scripts, split where letters meet digits
//     ("iphone15" → "iphone", "15") and cut at max_word_bytes;
//   - CJK runs: Han, kana and Hangul are written without spaces, so a run is indexed as its
//     overlapping character pairs ("龙井绿茶" → 龙井 井绿 绿茶) and its single characters,
//     which lets a one-character query match;
//   - everything else (spaces, punctuation, symbols, emoji, malformed UTF-8) separates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace souk::detail {

// Longer words are cut to this many bytes (at a character boundary), in documents and
// queries alike, so an over-long word still matches itself.
inline constexpr std::size_t max_word_bytes = 64;

// Appends the terms of a document's text to `out`, repeated as often as they occur (the
// index counts them).
void document_terms(std::string_view text, std::vector<std::string>& out);

struct QueryTerm {
    std::string text;
    // The query's last word, typed without a space after it, may be unfinished: it also
    // matches the longer words it begins ("blu" → "blue", "bluetooth").
    bool prefix = false;
    friend bool operator==(const QueryTerm&, const QueryTerm&) = default;
};

// How a query's CJK runs become terms.
enum class CjkMatch : std::uint8_t {
    pairs,       // each pair of adjacent characters: the characters as typed, in order
    characters,  // each character on its own: the fallback when the pairs find nothing
};

// The distinct terms of a query in query order: its words, and for each CJK run its
// character pairs (or the character itself when the run is one character long), or with
// CjkMatch::characters its single characters. English function words ("the", "for", ...)
// are dropped when the query has other terms, because "case for iphone" should find
// "iPhone case".
std::vector<QueryTerm> query_terms(std::string_view text, CjkMatch cjk = CjkMatch::pairs);

}  // namespace souk::detail
