#include "tandem/core/audit_chain.h"

namespace tandem::core {

Json AuditEntry::unhashedJson() const {
    Json j = Json::object();
    j["seq"] = seq;
    j["time"] = time;
    j["actor"] = actor ? Json(*actor) : Json(nullptr);
    j["action"] = action;
    j["subject"] = subject ? Json(*subject) : Json(nullptr);
    j["details"] = details;
    j["prev_hash"] = prevHash;
    return j;
}

Json AuditEntry::toJson() const {
    Json j = unhashedJson();
    j["hash"] = hash;
    return j;
}

Result<AuditEntry> AuditEntry::fromJson(const Json& json) {
    auto bad = [](const char* what) { return makeError("bad_request", std::string("audit entry: ") + what); };
    if (!json.is_object()) return bad("not an object");
    AuditEntry e;
    auto seq = json.find("seq");
    if (seq == json.end() || !seq->is_number_integer()) return bad("seq");
    e.seq = seq->get<std::int64_t>();
    auto time = json.find("time");
    if (time == json.end() || !time->is_number_integer()) return bad("time");
    e.time = time->get<std::int64_t>();
    auto actor = json.find("actor");
    if (actor == json.end() || !(actor->is_null() || actor->is_string())) return bad("actor");
    if (actor->is_string()) e.actor = actor->get<std::string>();
    auto action = json.find("action");
    if (action == json.end() || !action->is_string()) return bad("action");
    e.action = action->get<std::string>();
    auto subject = json.find("subject");
    if (subject == json.end() || !(subject->is_null() || subject->is_string())) return bad("subject");
    if (subject->is_string()) e.subject = subject->get<std::string>();
    auto details = json.find("details");
    if (details == json.end()) return bad("details");
    e.details = *details;
    auto prev = json.find("prev_hash");
    if (prev == json.end() || !prev->is_string()) return bad("prev_hash");
    e.prevHash = prev->get<std::string>();
    auto hash = json.find("hash");
    if (hash == json.end() || !hash->is_string()) return bad("hash");
    e.hash = hash->get<std::string>();
    return e;
}

Result<std::string> auditEntryHash(const AuditEntry& entry) {
    auto canonical = canonicalJson(entry.unhashedJson());
    if (!canonical) return canonical.error();
    return sha256Hex(entry.prevHash + *canonical);
}

AuditVerdict verifyAuditChain(const std::vector<AuditEntry>& entries, std::optional<std::int64_t> expectedCount,
                              std::optional<std::string> expectedHead) {
    AuditVerdict verdict;
    std::string prev = kAuditGenesis;
    std::int64_t expectedSeq = 1;
    auto broken = [&](std::int64_t at, std::string reason) {
        verdict.ok = false;
        verdict.brokenAt = at;
        verdict.reason = std::move(reason);
        return verdict;
    };
    for (const AuditEntry& e : entries) {
        if (e.seq != expectedSeq) return broken(expectedSeq, "entry missing or out of order");
        if (e.prevHash != prev) return broken(e.seq, "prev_hash does not match the previous entry");
        auto hash = auditEntryHash(e);
        if (!hash || *hash != e.hash) return broken(e.seq, "hash does not match the entry");
        prev = e.hash;
        verdict.entries = e.seq;
        verdict.head = e.hash;
        ++expectedSeq;
    }
    if (expectedCount && *expectedCount != verdict.entries)
        return broken(verdict.entries + 1, "the chain is shorter or longer than recorded");
    if (expectedHead && *expectedHead != verdict.head)
        return broken(verdict.entries, "the head does not match the recorded head");
    return verdict;
}

}  // namespace tandem::core
