// Which journal records mention which entity: the index behind the audit query.
#pragma once

#include <unordered_map>
#include <vector>

#include "souk/ids.hpp"
#include "souk/journal.hpp"

namespace souk::detail {

class AuditIndex {
public:
    void add(EntityRef entity, JournalPosition position) {
        auto& positions = by_entity_[entity];
        if (positions.empty() || positions.back() != position) positions.push_back(position);
    }
    std::vector<JournalPosition> positions(EntityRef entity) const {
        const auto it = by_entity_.find(entity);
        return it == by_entity_.end() ? std::vector<JournalPosition>{} : it->second;
    }

private:
    std::unordered_map<EntityRef, std::vector<JournalPosition>> by_entity_;
};

}  // namespace souk::detail
