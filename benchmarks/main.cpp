// souk-bench: runs the registered benchmark scenarios and prints one JSON object per line.
//
//   souk-bench --list                  scenario names, one per line
//   souk-bench [--quick] [SCENARIO...] run all scenarios, or the named ones
//
// stdout carries only the result lines; progress goes to stderr. Exit status: 0 if every
// scenario ran, 1 if any failed, 2 for a bad command line.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "bench.hpp"

namespace souk::bench {

namespace {

std::vector<Scenario>& registry() {
    static std::vector<Scenario> all;
    return all;
}

}  // namespace

bool register_scenarios(std::initializer_list<Scenario> list) {
    for (const auto& scenario : list) {
        for (const auto& existing : registry())
            if (existing.name == scenario.name) {
                std::cerr << "souk-bench: scenario " << scenario.name << " registered twice\n";
                std::abort();
            }
        registry().push_back(scenario);
    }
    return true;
}

const std::vector<Scenario>& scenarios() { return registry(); }

nlohmann::json to_json(const Result& r) {
    nlohmann::json line = nlohmann::json::object();
    line["scenario"] = r.scenario;
    line["unit"] = r.unit;
    line["value"] = r.value;
    line["threads"] = r.threads;
    line["journal"] = r.journal;
    if (r.baseline) {
        line["baseline"] = *r.baseline;
        line["ratio"] = *r.baseline > 0 ? r.value / *r.baseline : 0.0;
        if (!r.baseline_scenario.empty()) line["baseline_scenario"] = r.baseline_scenario;
    }
    for (const auto& [key, value] : r.extra.items())
        if (!line.contains(key)) line[key] = value;
    return line;
}

void Context::report(Result result) {
    if (result.scenario.empty()) result.scenario = current_;
    std::cout << to_json(result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'
              << std::flush;
    results_.push_back(std::move(result));
}

std::optional<Result> Context::result_of(const std::string& scenario) const {
    for (auto it = results_.rbegin(); it != results_.rend(); ++it)
        if (it->scenario == scenario) return *it;
    return std::nullopt;
}

void add_latency_fields(nlohmann::json& out, const std::vector<double>& seconds) {
    if (seconds.empty()) return;
    auto sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    const auto us = [](double s) { return std::round(s * 1e7) / 10.0; };  // 0.1 µs resolution
    out["latency_p50_us"] = us(percentile(sorted, 50));
    out["latency_p90_us"] = us(percentile(sorted, 90));
    out["latency_p99_us"] = us(percentile(sorted, 99));
    out["latency_max_us"] = us(sorted.back());
}

}  // namespace souk::bench

namespace {

namespace fs = std::filesystem;
using namespace souk::bench;

void usage(std::ostream& out) {
    out << "usage: souk-bench --list\n"
           "       souk-bench [--quick] [SCENARIO...]\n"
           "Runs every scenario (or the named ones) and prints one JSON object per line.\n"
           "  --list   print the scenario names, one per line\n"
           "  --quick  small data sets and short measurement windows (smoke test)\n";
}

fs::path make_run_dir() {
    std::random_device random;
    const auto base = fs::temp_directory_path();
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto dir = base / fmt::format("souk-bench-{}-{:08x}", ::getpid(), random());
        if (fs::create_directory(dir)) return dir;
    }
    throw std::runtime_error("cannot create a temporary directory under " + base.string());
}

// The selected scenarios plus what they need, in registration order.
std::vector<const Scenario*> plan(const std::vector<std::string>& names) {
    std::map<std::string, const Scenario*> by_name;
    for (const auto& s : scenarios()) by_name[s.name] = &s;
    std::set<std::string> wanted;
    std::vector<std::string> pending = names;
    if (names.empty())
        for (const auto& s : scenarios()) pending.push_back(s.name);
    while (!pending.empty()) {
        const auto name = pending.back();
        pending.pop_back();
        const auto it = by_name.find(name);
        if (it == by_name.end()) throw std::invalid_argument("unknown scenario: " + name);
        if (!wanted.insert(name).second) continue;
        for (const auto& need : it->second->needs) pending.push_back(need);
    }
    std::vector<const Scenario*> ordered;
    for (const auto& s : scenarios())
        if (wanted.count(s.name)) ordered.push_back(&s);
    return ordered;
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false;
    bool list = false;
    std::vector<std::string> names;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--quick") {
            quick = true;
        } else if (arg == "--list") {
            list = true;
        } else if (arg == "-h" || arg == "--help") {
            usage(std::cout);
            return 0;
        } else if (!arg.empty() && arg[0] == '-') {
            std::cerr << "souk-bench: unknown option " << arg << '\n';
            usage(std::cerr);
            return 2;
        } else {
            names.push_back(arg);
        }
    }
    if (list) {
        for (const auto& s : scenarios()) std::cout << s.name << '\n';
        return 0;
    }

    std::vector<const Scenario*> selected;
    try {
        selected = plan(names);
    } catch (const std::exception& e) {
        std::cerr << "souk-bench: " << e.what() << " (see souk-bench --list)\n";
        return 2;
    }

    fs::path run_dir;
    try {
        run_dir = make_run_dir();
    } catch (const std::exception& e) {
        std::cerr << "souk-bench: " << e.what() << '\n';
        return 1;
    }

    Context ctx(quick, run_dir);
    int failed = 0;
    const Stopwatch total;
    for (const auto* scenario : selected) {
        std::cerr << "[" << scenario->name << "] " << scenario->description << '\n' << std::flush;
        const auto dir = run_dir / scenario->name;
        std::error_code ec;
        fs::create_directories(dir, ec);
        ctx.begin_scenario(scenario->name, dir);
        const Stopwatch watch;
        try {
            if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
            scenario->fn(ctx);
            if (!ctx.result_of(scenario->name)) throw std::runtime_error("reported no result");
            std::cerr << fmt::format("  done in {:.1f} s\n", watch.elapsed()) << std::flush;
        } catch (const std::exception& e) {
            ++failed;
            std::cerr << "  FAILED: " << e.what() << '\n' << std::flush;
        }
        fs::remove_all(dir, ec);
    }
    std::error_code ec;
    fs::remove_all(run_dir, ec);
    std::cerr << fmt::format("souk-bench: {} scenario(s) in {:.1f} s, {} failed\n", selected.size(), total.elapsed(),
                             failed);
    return failed ? 1 : 0;
}
