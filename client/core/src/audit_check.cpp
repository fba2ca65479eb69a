#include "tandem/client/audit_check.h"

#include <string>
#include <vector>

#include "tandem/client/sync_engine.h"

namespace tandem::client {

using core::Json;
using core::makeError;

core::Result<AuditCheck> checkAuditChain(Context& ctx) {
    if (!ctx.session() || !ctx.session()->signedIn() || !ctx.transport())
        return makeError("signed_out", "not signed in");
    const std::string token = ctx.session()->token;
    auto verify = ctx.transport()->get("/api/v1/audit/verify", token);
    if (!verify) return verify.error();
    if (verify->status != 200) return httpError(*verify);
    auto server = core::parseJson(verify->body);
    if (!server || !server->is_object()) return makeError("bad_response", "audit/verify answer is not JSON");
    AuditCheck out{*server, std::nullopt};
    // Recompute the chain here too when this user may list it (HQ, admin).
    std::vector<core::AuditEntry> entries;
    std::int64_t after = 0;
    for (;;) {
        auto page = ctx.transport()->get("/api/v1/audit?after=" + std::to_string(after) + "&limit=5000", token);
        if (!page) return page.error();
        if (page->status == 403) return out;
        if (page->status != 200) return httpError(*page);
        auto json = core::parseJson(page->body);
        if (!json || !json->is_object() || !(*json)["entries"].is_array())
            return makeError("bad_response", "audit listing is not the expected JSON");
        for (const auto& e : (*json)["entries"]) {
            auto entry = core::AuditEntry::fromJson(e);
            if (!entry) return entry.error();
            after = entry->seq;
            entries.push_back(std::move(*entry));
        }
        if (!(*json)["more"].is_boolean() || !(*json)["more"].get<bool>() || (*json)["entries"].empty()) break;
    }
    std::optional<std::int64_t> count;
    std::optional<std::string> head;
    if (out.server["entries"].is_number_integer()) count = out.server["entries"].get<std::int64_t>();
    if (out.server["head"].is_string()) head = out.server["head"].get<std::string>();
    out.local = core::verifyAuditChain(entries, count, head);
    return out;
}

}  // namespace tandem::client
