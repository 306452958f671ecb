// souk — paging for list queries.
#pragma once

#include <cstddef>

namespace souk {

// A window into a result list. limit is capped at max_limit; a limit of 0 is invalid.
struct Page {
    static constexpr std::size_t max_limit = 1000;
    std::size_t offset = 0;
    std::size_t limit = 50;
};

}  // namespace souk
