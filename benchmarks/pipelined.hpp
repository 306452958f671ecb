// Pipelined clients for souk-bench: each thread keeps a batch of operations in flight in a
// souk::Pipeline and waits once per batch.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "bench.hpp"
#include "souk/marketplace.hpp"
#include "souk/pipeline.hpp"

namespace souk::bench {

// An operation for run_load that runs `per_wait` operations of `op` (numbered n * per_wait,
// n * per_wait + 1, ...) in the calling thread's Pipeline, opened on its first batch, then
// waits until they are durable. Latency samples are therefore those of whole batches.
template <class Op>
auto in_pipelines(Marketplace& market, int threads, std::uint64_t per_wait, Op op) {
    auto pipelines = std::make_shared<std::vector<std::unique_ptr<Pipeline>>>(static_cast<std::size_t>(threads));
    return [&market, per_wait, op = std::move(op), pipelines](std::size_t thread, std::uint64_t n) {
        auto& pipeline = (*pipelines)[thread];
        if (!pipeline) pipeline = std::make_unique<Pipeline>(market);  // on the thread it serves
        for (std::uint64_t k = 0; k < per_wait; ++k) op(thread, n * per_wait + k);
        pipeline->wait();
    };
}

// The load of in_pipelines counted in operations rather than batches: each operation counts
// once the wait of its batch has returned.
inline Load counted_per_operation(Load batches, std::uint64_t per_wait) {
    batches.operations *= per_wait;
    return batches;
}

}  // namespace souk::bench
