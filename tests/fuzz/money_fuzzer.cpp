// Fuzzes Money::parse, which reads amounts typed by people and sent by hosts. Input: a byte
// choosing the currency (by exponent: 0, 2, 3 or 6 decimal places), then the text.
// Parse must accept or refuse with invalid_argument or overflow, and an amount it accepts
// must survive its own decimal form.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "souk/error.hpp"
#include "souk/money.hpp"

using souk::fuzz::expect;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace souk;
    if (size == 0) return 0;
    static const Currency currencies[] = {Currency::of("JPY"), Currency::of("CNY"), Currency::of("KWD"),
                                          Currency::custom("PTS", 6)};
    const Currency currency = currencies[data[0] % std::size(currencies)];
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    Money amount;
    try {
        amount = Money::parse(text, currency);
    } catch (const Error& e) {
        expect(e.code() == Errc::invalid_argument || e.code() == Errc::overflow,
               "parse refuses with invalid_argument or overflow");
        return 0;
    }
    expect(amount.currency() == currency, "the amount is in the currency asked for");
    expect(Money::parse(amount.to_decimal(), currency) == amount, "an amount survives its decimal form");
    return 0;
}
