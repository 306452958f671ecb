// souk — time as an input: timestamps and the Clock port.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace souk {

// Microseconds since the Unix epoch, UTC. Every deadline in souk is a Timestamp.
using Duration = std::chrono::microseconds;
using Timestamp = std::chrono::sys_time<Duration>;

// ISO 8601 UTC text, e.g. "2026-11-25T06:13:04.000123Z".
std::string format_timestamp(Timestamp t);
// Inverse of format_timestamp; also accepts whole seconds ("2026-11-25T06:13:04Z").
// Throws Error(invalid_argument) on anything else.
Timestamp parse_timestamp(std::string_view text);

// The clock port. now() must be safe to call from any thread.
class Clock {
public:
    virtual ~Clock() = default;
    virtual Timestamp now() const = 0;
};

// Wall-clock time.
class SystemClock final : public Clock {
public:
    Timestamp now() const override;
};

// A clock that moves only when told: makes every deadline in a test deterministic.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Timestamp start);
    Timestamp now() const override;
    void set(Timestamp t);
    void advance(Duration d);

private:
    std::atomic<std::int64_t> micros_;
};

}  // namespace souk
