// souk — pipelined commands: many commands in flight on one thread, one wait for all of them.
#pragma once

#include <cstddef>
#include <memory>

namespace souk {

class Marketplace;
namespace detail {
class DeferredDurability;
}

// While a Pipeline is open on a thread, that thread's commands on the marketplace return as
// soon as they are applied, instead of waiting until their journal records are durable: their
// results and effects are visible to the next command and to queries at once, and the journal
// stores them in the background, batched with every other command's. wait() returns once
// every command the pipeline ran is durable, or throws Error(storage_failure) if any of them
// was not stored (a failed append loses every command after it too, as for unpipelined ones).
//
// So a thread can place and pay many orders back to back and pay one durable-storage wait for
// all of them. Until wait() returns, nothing that a pipelined command did may be acknowledged
// outside the process: not to a customer, not to a payment provider's webhook (answer its
// notification only after wait()), not to another system. A command that calls a payment
// provider (Orders::pay, refunds) still calls it: the provider's idempotency key makes the call
// safe to repeat if the command is lost.
//
// Open on the thread that runs the commands, one pipeline per thread at a time (a second
// throws Error(invalid_state)); wait() may be called from any thread. Closing a pipeline does
// not wait: its commands are still stored (the marketplace stores everything queued before it
// closes), but only wait() tells whether they were.
class Pipeline {
public:
    explicit Pipeline(Marketplace& market);
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // Waits until every command this pipeline ran so far is durable.
    void wait();
    // Commands run since the last wait() (or since the pipeline opened).
    std::size_t unwaited() const;

private:
    std::unique_ptr<detail::DeferredDurability> deferred_;
};

}  // namespace souk
