// Which journal records mention which entity: the index behind the audit query.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <unordered_map>
#include <vector>

#include "souk/ids.hpp"
#include "souk/journal.hpp"

namespace souk::detail {

// Every applied event adds its entities here, so this is on every command's path. Ids of one
// kind are handed out consecutively, so an entity's trail is found by indexing a vector with
// its id; positions sit in fixed-size blocks chained per entity in one pool, so a new entity
// allocates nothing of its own and a busy one (a SKU in every order) grows a block at a time
// instead of reallocating its whole history.
class AuditIndex {
public:
    void add(EntityRef entity, JournalPosition position) {
        Trail& trail = trail_for(entity);
        if (trail.newest == position) return;
        trail.newest = position;
        if (trail.last == no_block || trail.used == block_size) {
            const auto block = static_cast<std::uint32_t>(blocks_.size());
            blocks_.emplace_back();
            (trail.last == no_block ? trail.first : blocks_[trail.last].next) = block;
            trail.last = block;
            trail.used = 0;
        }
        blocks_[trail.last].positions[trail.used++] = position;
    }

    std::vector<JournalPosition> positions(EntityRef entity) const {
        std::vector<JournalPosition> result;
        const Trail* trail = find(entity);
        if (!trail) return result;
        for (auto block = trail->first; block != no_block; block = blocks_[block].next) {
            const auto count = block == trail->last ? trail->used : block_size;
            result.insert(result.end(), blocks_[block].positions.begin(), blocks_[block].positions.begin() + count);
        }
        return result;
    }

private:
    static constexpr std::uint32_t no_block = std::numeric_limits<std::uint32_t>::max();
    static constexpr std::uint32_t block_size = 6;
    // How far past the densely indexed ids a new id may lie and still extend them; an id
    // beyond (from a provider's notification, say) goes to the sparse map instead.
    static constexpr std::uint64_t dense_slack = 4096;

    struct Block {
        std::array<JournalPosition, block_size> positions{};
        std::uint32_t next = no_block;
    };
    struct Trail {
        std::uint32_t first = no_block;
        std::uint32_t last = no_block;
        std::uint32_t used = 0;  // positions in the last block
        JournalPosition newest = 0;
    };
    struct KindIndex {
        std::vector<Trail> dense;  // by id
        std::unordered_map<std::uint64_t, Trail> sparse;
    };

    Trail& trail_for(EntityRef entity) {
        auto& kind = kinds_[static_cast<std::size_t>(entity.kind)];
        if (entity.id < kind.dense.size()) return kind.dense[entity.id];
        if (entity.id - kind.dense.size() > dense_slack + kind.dense.size()) return kind.sparse[entity.id];
        kind.dense.resize(entity.id + 1);
        // Ids the dense part now covers may have been sparse until now.
        for (auto it = kind.sparse.begin(); it != kind.sparse.end();) {
            if (it->first < kind.dense.size()) {
                kind.dense[it->first] = it->second;
                it = kind.sparse.erase(it);
            } else {
                ++it;
            }
        }
        return kind.dense[entity.id];
    }

    const Trail* find(EntityRef entity) const {
        const auto& kind = kinds_[static_cast<std::size_t>(entity.kind)];
        if (entity.id < kind.dense.size()) return kind.dense[entity.id].first == no_block ? nullptr : &kind.dense[entity.id];
        const auto it = kind.sparse.find(entity.id);
        return it == kind.sparse.end() ? nullptr : &it->second;
    }

    std::array<KindIndex, std::numeric_limits<std::underlying_type_t<EntityKind>>::max() + 1> kinds_;
    std::deque<Block> blocks_;
};

}  // namespace souk::detail
