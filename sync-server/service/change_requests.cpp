#include "service/change_requests.h"

#include "tandem/core/signable.h"

namespace tandem::server {

using core::EntityId;
using core::PlanFacts;
using core::Status;

namespace {

std::string statusOf(const Entity& request) {
    const Json& v = request.get("status");
    return v.is_string() ? v.get<std::string>() : std::string("open");
}

}  // namespace

Status markSignoffStale(ServerWriter& writer, const Entity& signoff, const EntityId& plan, const EntityId& subject,
                        const char* reason) {
    if (auto s = writer.write(signoff.id, "signoff", "stale", true, plan); !s) return s;
    Json details = {{"signoff", signoff.id.hex()},
                    {"department", signoff.get("department")},
                    {"signer", signoff.get("signer")},
                    {"meaning", signoff.get("meaning")},
                    {"reason", reason}};
    return writer.audit(std::nullopt, "signoff_stale", subject, std::move(details), plan);
}

std::map<EntityId, bool> departmentVotes(std::span<const Entity> signoffs, const EntityId& subject) {
    std::map<EntityId, std::pair<std::pair<std::int64_t, std::uint64_t>, bool>> latest;
    for (const Entity& s : signoffs) {
        if (s.deleted() || s.get("stale") == true || core::idFromJson(s.get("subject")) != subject) continue;
        const Json& meaning = s.get("meaning");
        if (meaning != "approve" && meaning != "reject") continue;
        auto dept = core::idFromJson(s.get("department"));
        if (!dept) continue;
        const Json& at = s.get("signed_at");
        auto mf = s.fields.find("meaning");
        std::pair<std::int64_t, std::uint64_t> key{at.is_number_integer() ? at.get<std::int64_t>() : 0,
                                                   mf->second.hlc.value};
        auto it = latest.find(*dept);
        if (it == latest.end() || it->second.first < key) latest[*dept] = {key, meaning == "approve"};
    }
    std::map<EntityId, bool> votes;
    for (const auto& [dept, vote] : latest) votes[dept] = vote.second;
    return votes;
}

Status auditChangeRequestStatus(core::EntityReader& replica, ServerWriter& writer, std::optional<EntityId> actor,
                                const EntityId& request, const EntityId& plan, const std::string& from,
                                const std::string& to) {
    auto hash = core::contentHash(replica, request);
    if (!hash) return hash.error();
    Json details = {{"from", from}, {"to", to}, {"content_hash", *hash}};
    return writer.audit(actor, "change_request_status", request, std::move(details), plan);
}

Status auditChangeApplied(core::EntityReader& replica, ServerWriter& writer, const EntityId& actor,
                          const EntityId& request, const EntityId& plan) {
    auto hash = core::contentHash(replica, plan);
    if (!hash) return hash.error();
    Json details = {{"change_request", request.hex()}, {"content_hash", *hash}};
    return writer.audit(actor, "change_applied", plan, std::move(details), plan);
}

Status reconcileChangeRequest(core::EntityReader& replica, ServerWriter& writer, const EntityId& requestId,
                              const std::set<EntityId>& newSignoffs) {
    auto request = replica.entity(requestId);
    if (!request) return request.error();
    if (!*request || !(*request)->plan || (*request)->deleted()) return {};
    const EntityId planId = *(*request)->plan;
    const std::string status = statusOf(**request);
    auto hash = core::contentHash(replica, requestId);
    if (!hash) return hash.error();

    auto signoffs = replica.entities("signoff", planId);
    if (!signoffs) return signoffs.error();
    for (Entity& s : *signoffs) {
        if (s.deleted() || s.get("stale") == true || core::idFromJson(s.get("subject")) != requestId) continue;
        const char* reason = nullptr;
        if (s.get("content_hash") != Json(*hash))
            reason = "content_changed";
        else if (newSignoffs.count(s.id) > 0 && status != "in_review")
            reason = "not_in_review";
        if (!reason) continue;
        if (auto st = markSignoffStale(writer, s, planId, requestId, reason); !st) return st;
        s.fields["stale"].value = true;
    }

    auto plan = replica.entity(planId);
    if (!plan) return plan.error();
    if (!*plan) return {};
    const std::set<EntityId> needed = core::approvingDepartments(PlanFacts::fromEntity(**plan));
    const std::map<EntityId, bool> votes = departmentVotes(*signoffs, requestId);
    bool allApprove = !needed.empty();
    bool anyReject = false;
    for (const EntityId& dept : needed) {
        auto vote = votes.find(dept);
        if (vote == votes.end() || !vote->second) allApprove = false;
        if (vote != votes.end() && !vote->second) anyReject = true;
    }

    std::string to;
    if (status == "in_review" && anyReject)
        to = "rejected";
    else if (status == "in_review" && allApprove)
        to = "approved";
    else if (status == "approved" && !allApprove)
        to = "in_review";  // edited after its approval: the heads review it again
    if (to.empty()) return {};
    if (auto s = writer.write(requestId, "change_request", "status", to, planId); !s) return s;
    return auditChangeRequestStatus(replica, writer, std::nullopt, requestId, planId, status, to);
}

}  // namespace tandem::server
