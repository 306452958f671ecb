// CSV as RFC 4180 has it: fields separated by commas, records by CRLF, a field quoted when
// it holds a comma, a quote or a line break, a quote inside doubled.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace souk::detail {

// Appends one record (and its CRLF) to `out`.
void append_csv_record(std::string& out, std::initializer_list<std::string_view> fields);

struct CsvRecord {
    std::size_t line = 0;  // the line the record starts on, from 1
    std::vector<std::string> fields;
};

// Splits a whole file into records. Accepts CRLF or LF line ends and a missing final line
// end; throws Error(invalid_argument) naming the line and column of a quote left open or
// of text after a closing quote.
std::vector<CsvRecord> parse_csv(std::string_view text);

}  // namespace souk::detail
