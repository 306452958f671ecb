// A scratch directory for tests that need real files.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <unistd.h>

namespace souk::test {

// A fresh directory under the system temp directory, removed with its content when the
// object goes away. Names are unique across processes and threads, so tests may run in parallel.
class TempDir {
public:
    TempDir() {
        static std::atomic<unsigned> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                fmt::format("souk-test-{}-{}-{:08x}", ::getpid(), counter++, std::random_device{}());
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;  // best effort: a leftover directory must not fail a test
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// Everything a file holds ("" if it cannot be read): for checking that a file was left untouched.
inline std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace souk::test
