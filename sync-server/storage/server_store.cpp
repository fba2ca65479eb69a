#include "storage/server_store.h"

#include "tandem/core/canonical_json.h"

namespace tandem::server {

PendingAckText encodePendingAck(const PendingAck& pending) {
    core::Json backfills = core::Json::array();
    for (const auto& [plan, b] : pending.backfills) backfills.push_back({plan.hex(), b.upto, b.done});
    core::Json revoked = core::Json::array();
    for (const EntityId& plan : pending.revoked) revoked.push_back(plan.hex());
    return PendingAckText{backfills.dump(), revoked.dump()};
}

Result<PendingAck> decodePendingAck(std::string token, std::string_view backfillsText, std::string_view revokedText) {
    auto corrupt = [] { return core::makeError("corrupt", "a pending acknowledgement that does not decode"); };
    auto backfills = core::parseJson(backfillsText);
    auto revoked = core::parseJson(revokedText);
    if (!backfills || !backfills->is_array() || !revoked || !revoked->is_array()) return corrupt();
    PendingAck pending;
    pending.token = std::move(token);
    for (const core::Json& b : *backfills) {
        if (!b.is_array() || b.size() != 3 || !b[0].is_string() || !b[1].is_number_integer() ||
            !b[2].is_number_integer())
            return corrupt();
        auto plan = EntityId::parse(b[0].get<std::string>());
        if (!plan) return corrupt();
        pending.backfills[*plan] = Backfill{b[1].get<std::int64_t>(), b[2].get<std::int64_t>()};
    }
    for (const core::Json& p : *revoked) {
        auto plan = p.is_string() ? EntityId::parse(p.get<std::string>()) : std::nullopt;
        if (!plan) return corrupt();
        pending.revoked.push_back(*plan);
    }
    return pending;
}

}  // namespace tandem::server
