// ServerWriter: the server's own writes inside a sync or account transaction (derived
// fields, seeding, client ops with their seq and op-id index, audit entries).

#include "service/service_impl.h"

namespace tandem::server {

using core::ApplyOutcome;
using core::EntityId;
using core::makeError;
using core::Status;

// ---- ServerWriter -------------------------------------------------------------------

Status ServerWriter::load() {
    auto head = m_store.counter("seq");
    if (!head) return head.error();
    m_head = *head;
    return {};
}

void ServerWriter::touched(const Op& op) {
    if (op.type == "plan") m_plansTouched.insert(op.entity);
    if (op.type == "member" || op.type == "department") m_orgTouched = true;
}

Status ServerWriter::write(const EntityId& entity, const std::string& type, const std::string& field, Json value,
                           std::optional<EntityId> plan) {
    Op op = m_replica.stampLocal(entity, type, field, std::move(value));
    op.seq = m_head + 1;
    op.author.reset();
    auto outcome = m_batch.apply(op, plan);
    if (!outcome) return outcome.error();
    if (*outcome != ApplyOutcome::Applied) return makeError("internal", "a server op collided with a stored op");
    ++m_head;
    touched(op);
    return {};
}

Status ServerWriter::storeClientOp(Op op, const EntityId& author, std::optional<EntityId> plan, ApplyOutcome& outcome,
                                   bool& won) {
    op.seq = m_head + 1;
    op.author = author;
    auto applied = m_batch.apply(op, plan, &won);
    if (!applied) return applied.error();
    outcome = *applied;
    if (outcome != ApplyOutcome::Applied) return {};
    ++m_head;
    touched(op);
    return {};
}

Status ServerWriter::audit(std::optional<EntityId> actor, const std::string& action, std::optional<EntityId> subject,
                           Json details, std::optional<EntityId> plan) {
    auto head = m_store.auditHead();
    if (!head) return head.error();
    StoredAuditEntry stored;
    core::AuditEntry& e = stored.entry;
    e.seq = head->first + 1;
    e.time = m_now;
    if (actor) e.actor = actor->hex();
    e.action = action;
    if (subject) e.subject = subject->hex();
    e.details = std::move(details);
    e.prevHash = head->second;
    auto hash = core::auditEntryHash(e);
    if (!hash) return hash.error();
    e.hash = *hash;
    stored.plan = plan;
    if (auto s = m_store.appendAudit(stored); !s) return s;
    return m_store.setAuditHead(e.seq, e.hash);
}

Status ServerWriter::finish() {
    return m_store.setCounter("seq", m_head);
}

}  // namespace tandem::server
