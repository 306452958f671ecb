// souk-bench — the scenario framework shared by every benchmark file.
//
// A scenario is a named function that sets up what it needs, measures, and reports one
// result line through Context::report. Each benchmark file registers its scenarios with a
// static initializer:
//
//     namespace {
//     void my_scenario(souk::bench::Context& ctx) { ... ctx.report(result); }
//     const bool registered = souk::bench::register_scenarios({
//         {.name = "my_scenario", .description = "what it measures", .fn = my_scenario},
//     });
//     }  // namespace
//
// main.cpp owns the command line, runs the selected scenarios in registration order and
// prints one JSON object per result on stdout (everything else goes to stderr).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace souk::bench {

using Clock = std::chrono::steady_clock;

// One measured figure. `value` is in `unit` (e.g. "events/s"); `extra` holds any further
// fields (latency percentiles, counts, ...) and is merged into the JSON line.
struct Result {
    std::string scenario;  // filled in by Context::report if empty
    std::string unit;
    double value = 0;
    int threads = 1;
    std::string journal;  // "memory", "sqlite", "baseline-sqlite", ...
    // Set when a baseline ran in the same process: the baseline's value in the same unit;
    // the JSON line then also carries ratio = value / baseline.
    std::optional<double> baseline;
    std::string baseline_scenario;
    nlohmann::json extra = nlohmann::json::object();
};

class Context;

struct Scenario {
    std::string name;
    std::string description;
    std::function<void(Context&)> fn;
    // Scenarios whose results this one compares against (e.g. the conventional baseline with
    // the same thread count). When this scenario is selected, they run first.
    std::vector<std::string> needs;
};

// Adds scenarios to the registry; returns true so it can initialize a static. Names must be
// unique (a duplicate aborts at start-up).
bool register_scenarios(std::initializer_list<Scenario> scenarios);
// Every registered scenario, in registration order.
const std::vector<Scenario>& scenarios();

class Context {
public:
    Context(bool quick, std::filesystem::path work_dir) : quick_(quick), work_dir_(std::move(work_dir)) {}

    // --quick: smaller data sets and ~1 s measurement windows (the CI smoke test).
    bool quick() const { return quick_; }
    // A fresh, empty directory for the running scenario; removed after it finishes.
    const std::filesystem::path& work_dir() const { return work_dir_; }
    // How long an append-style scenario measures, after `warmup()`.
    std::chrono::milliseconds window() const { return quick_ ? std::chrono::milliseconds(1200) : std::chrono::milliseconds(5000); }
    std::chrono::milliseconds warmup() const { return quick_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(500); }

    // Prints the result's JSON line and remembers it for later scenarios.
    void report(Result result);
    // A result reported earlier in this run, by scenario name.
    std::optional<Result> result_of(const std::string& scenario) const;

    template <class... Args>
    void info(fmt::format_string<Args...> format, Args&&... args) const {
        std::cerr << "  " << fmt::format(format, std::forward<Args>(args)...) << '\n' << std::flush;
    }

    // Set by the runner before each scenario.
    void begin_scenario(std::string name, std::filesystem::path work_dir) {
        current_ = std::move(name);
        work_dir_ = std::move(work_dir);
    }
    const std::string& current() const { return current_; }

private:
    bool quick_;
    std::filesystem::path work_dir_;
    std::string current_;
    std::vector<Result> results_;
};

// The JSON object for a result line (what report prints).
nlohmann::json to_json(const Result& result);

// ---- timing helpers -------------------------------------------------------------------

inline double seconds_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// Runs f once and returns how long it took, in seconds.
template <class F>
double time_seconds(F&& f) {
    const auto start = Clock::now();
    std::forward<F>(f)();
    return seconds_between(start, Clock::now());
}

// A stopwatch for timing several sections of one run.
class Stopwatch {
public:
    Stopwatch() : start_(Clock::now()) {}
    double elapsed() const { return seconds_between(start_, Clock::now()); }
    void restart() { start_ = Clock::now(); }

private:
    Clock::time_point start_;
};

// The p-th percentile (0..100) of `samples` by nearest rank; 0 for an empty set. Sorts a copy.
inline double percentile(std::vector<double> samples, double p) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    const double rank = std::ceil(p / 100.0 * static_cast<double>(samples.size()));
    const auto index = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(samples.size()))) - 1;
    return samples[index];
}

// p50/p90/p99/max of latency samples given in seconds, as microsecond fields of `out`
// (latency_p50_us, ...).
void add_latency_fields(nlohmann::json& out, const std::vector<double>& seconds);

// Scenario names such as journal_append_sqlite_4: scenario_name("journal_append", "sqlite", 4).
inline std::string scenario_name(std::string_view prefix, std::string_view journal, int threads) {
    return fmt::format("{}_{}_{}", prefix, journal, threads);
}

// ---- load runner ---------------------------------------------------------------------

struct Load {
    std::uint64_t operations = 0;
    double seconds = 0;
    std::vector<double> latencies;  // seconds, one per measured operation

    double per_second() const { return static_cast<double>(operations) / seconds; }
};

// Runs op(thread, n) in a loop on `threads` threads: `warmup` unmeasured, then `window`
// measured. An operation counts when it completes inside the window. If an operation
// throws, its thread stops and the exception is rethrown once all have stopped.
template <class Op>
Load run_load(std::chrono::milliseconds warmup, std::chrono::milliseconds window, int threads, const Op& op) {
    enum class Phase { warmup, measure, stop };
    std::atomic<Phase> phase{Phase::warmup};
    std::vector<std::vector<double>> samples(static_cast<std::size_t>(threads));
    std::vector<std::exception_ptr> errors(samples.size());
    Clock::time_point measure_begin, measure_end;
    {
        std::vector<std::jthread> workers;
        for (std::size_t t = 0; t < samples.size(); ++t)
            workers.emplace_back([&, t] {
                samples[t].reserve(1 << 16);
                try {
                    for (std::uint64_t n = 0;; ++n) {
                        const auto start = Clock::now();
                        op(t, n);
                        const auto end = Clock::now();
                        const auto now = phase.load();
                        if (now == Phase::stop) return;
                        if (now == Phase::measure) samples[t].push_back(seconds_between(start, end));
                    }
                } catch (...) {
                    errors[t] = std::current_exception();
                }
            });
        std::this_thread::sleep_for(warmup);
        measure_begin = Clock::now();
        phase = Phase::measure;
        std::this_thread::sleep_for(window);
        phase = Phase::stop;
        measure_end = Clock::now();
    }  // joins the workers
    for (const auto& error : errors)
        if (error) std::rethrow_exception(error);
    Load load;
    load.seconds = seconds_between(measure_begin, measure_end);
    for (auto& thread_samples : samples) {
        load.latencies.insert(load.latencies.end(), thread_samples.begin(), thread_samples.end());
        thread_samples = {};
    }
    load.operations = load.latencies.size();
    if (load.operations == 0) throw std::runtime_error("no operation completed inside the measurement window");
    return load;
}

// The same with the scenario's warm-up and measurement window.
template <class Op>
Load run_load(const Context& ctx, int threads, const Op& op) {
    return run_load(ctx.warmup(), ctx.window(), threads, op);
}

// A load's throughput in `operation` per second ("commands" gives commands/s), with the
// count, the window and the latency percentiles as extra fields.
inline Result throughput_result(const Load& load, int threads, std::string journal,
                                const std::string& operation = "commands") {
    Result result;
    result.unit = operation + "/s";
    result.value = load.per_second();
    result.threads = threads;
    result.journal = std::move(journal);
    result.extra[operation] = load.operations;
    result.extra["seconds"] = load.seconds;
    add_latency_fields(result.extra, load.latencies);
    return result;
}

// Sets the result's baseline to what `baseline_scenario` reported earlier in this run, if it ran.
inline void compare_with(const Context& ctx, Result& result, const std::string& baseline_scenario) {
    if (const auto baseline = ctx.result_of(baseline_scenario)) {
        result.baseline = baseline->value;
        result.baseline_scenario = baseline_scenario;
    }
}

}  // namespace souk::bench
