#include "reports/csv.hpp"

#include <fmt/format.h>

#include "souk/error.hpp"

namespace souk::detail {

void append_csv_record(std::string& out, std::initializer_list<std::string_view> fields) {
    bool first = true;
    for (const auto field : fields) {
        if (!first) out += ',';
        first = false;
        if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
            out += field;
            continue;
        }
        out += '"';
        for (const char c : field) {
            if (c == '"') out += '"';
            out += c;
        }
        out += '"';
    }
    out += "\r\n";
}

std::vector<CsvRecord> parse_csv(std::string_view text) {
    std::vector<CsvRecord> records;
    std::size_t line = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        CsvRecord record{line, {}};
        std::string field;
        bool record_done = false;
        while (!record_done) {
            const std::size_t column = record.fields.size() + 1;
            if (i < text.size() && text[i] == '"') {
                const std::size_t opened_on = line;
                ++i;
                for (;;) {
                    if (i == text.size())
                        throw Error(Errc::invalid_argument,
                                    fmt::format("line {}, column {}: the quoted field is never closed", opened_on, column));
                    const char c = text[i++];
                    if (c == '"') {
                        if (i < text.size() && text[i] == '"') {
                            field += '"';
                            ++i;
                            continue;
                        }
                        break;
                    }
                    if (c == '\n') ++line;
                    field += c;
                }
                if (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
                    throw Error(Errc::invalid_argument,
                                fmt::format("line {}, column {}: text after the closing quote", line, column));
            } else {
                while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
                    if (text[i] == '"')
                        throw Error(Errc::invalid_argument,
                                    fmt::format("line {}, column {}: a quote inside an unquoted field", line, column));
                    field += text[i++];
                }
            }
            record.fields.push_back(std::move(field));
            field.clear();
            if (i == text.size()) {
                record_done = true;
            } else if (text[i] == ',') {
                ++i;
            } else {
                if (text[i] == '\r') ++i;
                if (i < text.size() && text[i] == '\n') ++i;
                ++line;
                record_done = true;
            }
        }
        records.push_back(std::move(record));
    }
    return records;
}

}  // namespace souk::detail
