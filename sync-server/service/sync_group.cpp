// POST /api/v1/sync around the push: the group commit (concurrent syncs share one
// transaction and one fsync), the caches every sync reads (principals, plans and the
// log of read-access changes), settling a site's read access (DESIGN §5: newly readable
// plans delivered whole, lost ones revoked) and the pull.

#include <algorithm>
#include <set>

#include "service/service_impl.h"
#include "tandem/core/password.h"

namespace tandem::server {

using core::EntityId;
using core::makeError;
using core::PlanFacts;
using core::Principal;
using core::Result;
using core::Status;

namespace {

// A group is cut at this many syncs or pushed ops: enough to share a commit among many
// clients, small enough that one group does not keep the next waiting long.
constexpr std::size_t kMaxGroupJobs = 64;
constexpr std::size_t kMaxGroupOps = 20000;

Json idOrNull(const std::optional<EntityId>& id) {
    return id ? Json(id->hex()) : Json(nullptr);
}

/// The facts that decide who reads a plan (owner, lead and participating departments).
std::string encodeReaders(const std::optional<PlanFacts>& facts) {
    if (!facts) return "null";
    Json participants = Json::array();
    for (const EntityId& d : facts->participants) participants.push_back(d.hex());
    Json j = {{"owner", idOrNull(facts->owner)},
              {"lead", idOrNull(facts->leadDepartment)},
              {"participants", std::move(participants)}};
    return j.dump();
}

Result<std::optional<PlanFacts>> decodeReaders(const EntityId& plan, const std::string& text) {
    auto j = core::parseJson(text);
    if (!j) return makeError("corrupt", "an access change that is not JSON");
    if (j->is_null()) return std::optional<PlanFacts>{};
    if (!j->is_object()) return makeError("corrupt", "an access change that is not an object");
    PlanFacts facts;
    facts.id = plan;
    facts.exists = true;
    facts.owner = core::idFromJson(j->value("owner", Json()));
    facts.leadDepartment = core::idFromJson(j->value("lead", Json()));
    for (const Json& d : j->value("participants", Json::array()))
        if (auto id = core::idFromJson(d)) facts.participants.insert(*id);
    return std::optional<PlanFacts>(std::move(facts));
}

bool sameReaders(const PlanFacts& a, const PlanFacts& b) {
    return a.owner == b.owner && a.leadDepartment == b.leadDepartment && a.participants == b.participants;
}

/// Who a site synced as, as far as reading plans goes (core::mayReadPlan).
std::string readerKey(const Principal& who) {
    Json heads = Json::array();
    for (const EntityId& d : who.headOf) heads.push_back(d.hex());
    Json j = {{"member", who.member.hex()},
              {"department", idOrNull(who.department)},
              {"head_of", std::move(heads)},
              {"hq", who.hq},
              {"admin", who.admin}};
    return j.dump();
}

std::optional<Principal> readerFromKey(const std::string& key) {
    auto j = core::parseJson(key);
    if (!j || !j->is_object()) return std::nullopt;
    auto member = core::idFromJson(j->value("member", Json()));
    if (!member) return std::nullopt;
    Principal who;
    who.member = *member;
    who.department = core::idFromJson(j->value("department", Json()));
    for (const Json& d : j->value("head_of", Json::array()))
        if (auto id = core::idFromJson(d)) who.headOf.insert(*id);
    who.hq = j->value("hq", false);
    who.admin = j->value("admin", false);
    return who;
}

}  // namespace

// ---- caches -------------------------------------------------------------------------

Result<Principal> SyncApi::Impl::principal(const EntityId& member) {
    if (auto it = principals.find(member); it != principals.end()) return it->second;
    auto entity = replica->entity(member);
    if (!entity) return entity.error();
    Principal who;
    who.member = member;
    if (*entity && (*entity)->type == "member") {
        auto departments = replica->entities("department");
        if (!departments) return departments.error();
        who = core::principalFromMember(**entity, *departments);
    }
    principals.emplace(member, who);
    return who;
}

Status SyncApi::Impl::loadCaches() {
    principals.clear();
    plans.clear();
    accessLog.clear();
    cachesStale = true;  // until this load completes
    auto all = replica->entities("plan");
    if (!all) return all.error();
    for (const Entity& plan : *all) plans.emplace(plan.id, PlanFacts::fromEntity(plan));
    auto changes = store->accessChanges(0);
    if (!changes) return changes.error();
    accessLog.reserve(changes->size());
    for (const AccessChange& change : *changes) {
        auto before = decodeReaders(change.plan, change.before);
        if (!before) return before.error();
        accessLog.push_back(AccessEntry{change.seq, change.plan, std::move(*before)});
    }
    cachesStale = false;
    return {};
}

Status SyncApi::Impl::catchUp() {
    auto changed = store->changedElsewhere();
    if (!changed) return changed.error();
    // A database that was away (a failed group could not reload the caches) counts as
    // changed too.
    if (!*changed && !cachesStale) return {};
    if (auto s = replica->reload(); !s) return s;
    auto seq = store->counter("seq");
    if (!seq) return seq.error();
    // Under the write lock (the batch is open): nothing commits between the counter read
    // and the caches, so they reflect exactly *seq. Only what came after cachedSeq is
    // read — with several instances nearly every batch follows another's commit, and
    // reloading every plan and the whole access log each time cost more than the sync.
    if (cachesStale) {
        if (auto s = loadCaches(); !s) return s;
    } else if (auto s = catchUpFrom(cachedSeq); !s) {
        cachesStale = true;  // half followed: the next catch-up loads them whole
        return s;
    }
    cachedSeq = *seq;
    head.store(*seq);
    return {};
}

Status SyncApi::Impl::catchUpFrom(std::int64_t seq) {
    constexpr std::size_t kPage = 5000;
    std::set<EntityId> plansTouched;
    bool organisation = false;
    for (std::int64_t cursor = seq;;) {
        auto ops = replica->opsAfterSeq(cursor, kPage, [](const std::optional<EntityId>&) { return true; });
        if (!ops) return ops.error();
        for (const core::Op& op : *ops) {
            if (op.type == "plan")
                plansTouched.insert(op.entity);
            else if (op.type == "member" || op.type == "department")
                organisation = true;  // a principal reads both
        }
        if (ops->size() < kPage || !ops->back().seq) break;
        cursor = *ops->back().seq;
    }
    if (organisation) principals.clear();
    for (const EntityId& id : plansTouched) {
        auto entity = replica->entity(id);
        if (!entity) return entity.error();
        if (*entity && (*entity)->type == "plan")
            plans.insert_or_assign(id, PlanFacts::fromEntity(**entity));
        else
            plans.erase(id);
    }
    auto changes = store->accessChanges(seq);
    if (!changes) return changes.error();
    for (const AccessChange& change : *changes) {
        auto before = decodeReaders(change.plan, change.before);
        if (!before) return before.error();
        accessLog.push_back(AccessEntry{change.seq, change.plan, std::move(*before)});
    }
    return {};
}

Status SyncApi::Impl::notePlanChanges(ServerWriter& writer) {
    if (writer.takeOrgTouched()) principals.clear();
    for (const EntityId& id : writer.takePlansTouched()) {
        auto entity = replica->entity(id);
        if (!entity) return entity.error();
        if (!*entity || (*entity)->type != "plan") continue;
        PlanFacts now = PlanFacts::fromEntity(**entity);
        auto it = plans.find(id);
        std::optional<PlanFacts> before;
        if (it != plans.end()) before = it->second;
        if (!before || !sameReaders(*before, now)) {
            if (auto s = store->appendAccessChange(AccessChange{writer.head(), id, encodeReaders(before)}); !s)
                return s;
            accessLog.push_back(AccessEntry{writer.head(), id, std::move(before)});
        }
        plans.insert_or_assign(id, std::move(now));
    }
    return {};
}

// ---- group commit -------------------------------------------------------------------

Result<SyncResult> SyncApi::Impl::sync(const EntityId& member, SyncRequest request) {
    SyncJob job{member, std::move(request)};
    std::unique_lock lock(queueMutex);
    queue.push_back(&job);
    while (!job.done) {
        if (leaderActive) {
            queueCv.wait(lock);
            continue;
        }
        // Lead: take the queued syncs (ours among them unless the queue is long).
        leaderActive = true;
        std::vector<SyncJob*> group;
        std::size_t ops = 0;
        auto it = queue.begin();
        while (it != queue.end() && group.size() < kMaxGroupJobs &&
               (group.empty() || ops + (*it)->request.ops.size() <= kMaxGroupOps)) {
            ops += (*it)->request.ops.size();
            group.push_back(*it++);
        }
        queue.erase(queue.begin(), it);
        lock.unlock();
        try {
            runGroup(group);
        } catch (...) {
            // Nothing may leave a group unanswered or the leader's seat taken: the batch
            // has rolled back while unwinding, so the caches are read again.
            for (SyncJob* j : group) j->result = makeError("internal", "unexpected exception in a sync");
            std::lock_guard storage(mutex);
            (void)loadCaches();
        }
        lock.lock();
        for (SyncJob* j : group) j->done = true;
        leaderActive = false;
        queueCv.notify_all();
    }
    return std::move(job.result);
}

void SyncApi::Impl::runGroup(const std::vector<SyncJob*>& jobs) {
    std::int64_t advancedTo = 0;
    {
        std::lock_guard lock(mutex);
        std::int64_t headBefore = head.load();
        Status outcome;  // of the group: the first failure, else the commit's
        {
            auto batch = replica->begin();
            if (!batch) {
                outcome = batch.error();
            } else {
                outcome = catchUp();
                headBefore = head.load();
                for (SyncJob* job : jobs) {
                    if (!outcome) break;
                    job->result = syncOne(**batch, job->member, job->request);
                    if (!job->result) outcome = job->result.error();
                }
                if (outcome) outcome = (*batch)->commit();
            }
        }  // a batch not committed rolls back here
        if (!outcome) {
            // Nothing of the group is stored: every sync in it fails, and the caches,
            // which followed the rolled-back writes, are read again.
            for (SyncJob* job : jobs) job->result = outcome.error();
            (void)loadCaches();  // if this fails too, the next group fails the same way
            cachesStale = true;  // loaded outside the write lock: whole again under it
            if (auto h = store->counter("seq")) head.store(*h);
            return;
        }
        std::int64_t last = headBefore;
        for (SyncJob* job : jobs) last = std::max(last, job->result->head);
        head.store(last);
        // The group's own writes went into the caches as they were made (notePlanChanges).
        cachedSeq = std::max(cachedSeq, last);
        if (last != headBefore) advancedTo = last;
    }
    {
        std::lock_guard lock(metricsMutex);
        syncRequests += jobs.size();
        ++syncGroups;
    }
    if (advancedTo > 0) notify(advancedTo);
}

// ---- one sync -----------------------------------------------------------------------

Result<SyncResult> SyncApi::Impl::syncOne(OpStore::Batch& batch, const EntityId& member, const SyncRequest& request) {
    SyncResult result;
    auto who = principal(member);
    if (!who) return who.error();
    const std::int64_t nowMs = now();
    ServerWriter writer(*replica, *store, batch, nowMs);
    if (auto s = writer.load(); !s) return s.error();

    auto siteRecord = store->site(request.site);
    if (!siteRecord) return siteRecord.error();
    SiteRecord site = siteRecord->value_or(SiteRecord{});
    site.site = request.site;
    if (!request.ops.empty() && !site.member && request.site != core::kServerSite) site.member = member;
    const bool siteOwned = request.site != core::kServerSite && site.member && *site.member == member;

    Principal reader = *who;
    if (!request.ops.empty()) {
        if (auto s = pushOps(*this, writer, *who, request, siteOwned, result); !s) return s.error();
        if (auto s = writer.finish(); !s) return s.error();
        if (auto s = notePlanChanges(writer); !s) return s.error();
        // The push may have changed the caller's own department or roles.
        auto after = principal(member);
        if (!after) return after.error();
        reader = *after;
    }
    result.head = writer.head();

    // DESIGN §5, acknowledged pages: the answer before this one may have carried backfill
    // ops or `revoked` and been lost in transit. Its progress is recorded, and its notices
    // retired, only when this request names its token.
    auto stored = store->backfills(request.site);
    if (!stored) return stored.error();
    std::map<EntityId, Backfill> backfills = std::move(*stored);
    auto pending = store->pendingAck(request.site);
    if (!pending) return pending.error();
    std::vector<EntityId> revoked;
    if (*pending) {
        if (request.ack && !(*pending)->token.empty() && *request.ack == (*pending)->token) {
            if (auto s = commitBackfills(request.site, (*pending)->backfills, backfills); !s) return s.error();
        } else {
            // Not acknowledged: the same pages are built again from the backfill as it
            // was, and the same notices announced again.
            revoked = (*pending)->revoked;
        }
    }

    const std::string key = readerKey(reader);
    if (auto s = settleAccess(reader, key, request, site, backfills, revoked); !s) return s.error();
    std::map<EntityId, Backfill> delivered, exhausted;
    if (auto s = pull(reader, request, backfills, delivered, exhausted, result); !s) return s.error();
    // A backfill with nothing left to send is done whether or not this answer arrives.
    if (auto s = commitBackfills(request.site, exhausted, backfills); !s) return s.error();
    result.revoked = revoked;
    if (!request.ack) {
        // A client that does not speak acks: progress is recorded as the answer is built
        // and each notice is announced once (the behaviour of 0.1).
        if (auto s = commitBackfills(request.site, delivered, backfills); !s) return s.error();
        if (*pending)
            if (auto s = store->deletePendingAck(request.site); !s) return s.error();
    } else if (!delivered.empty() || !revoked.empty()) {
        PendingAck next{core::newToken().substr(0, 32), std::move(delivered), std::move(revoked)};
        if (next.token.empty()) return makeError("internal", "no randomness for an acknowledgement token");
        if (auto s = store->setPendingAck(request.site, next); !s) return s.error();
        result.ack = std::move(next.token);
    } else if (*pending) {
        if (auto s = store->deletePendingAck(request.site); !s) return s.error();
    }

    site.lastMember = member;
    site.lastSync = nowMs;
    if (!request.ops.empty()) site.lastPush = nowMs;
    site.reader = key;
    site.accessSeq = result.head;
    if (auto s = store->upsertSite(site); !s) return s.error();
    return result;
}

Status SyncApi::Impl::settleAccess(const Principal& reader, const std::string& key, const SyncRequest& request,
                                   const SiteRecord& site, std::map<EntityId, Backfill>& backfills,
                                   std::vector<EntityId>& revoked) {
    std::vector<EntityId> gained;
    std::vector<EntityId> lost;
    const std::optional<Principal> before = site.reader.empty() ? std::nullopt : readerFromKey(site.reader);
    if (!before) {
        // A site never settled pulls everything readable from its cursor; when that
        // cursor is not 0 (a replica moved between sites), it gets every readable plan whole.
        if (request.cursor > 0)
            for (const auto& [id, facts] : plans)
                if (core::mayReadPlan(reader, facts)) gained.push_back(id);
    } else {
        // Each plan as the site last saw it: the `before` of its first change since.
        std::map<EntityId, const std::optional<PlanFacts>*> seen;
        auto first = std::upper_bound(accessLog.begin(), accessLog.end(), site.accessSeq,
                                      [](std::int64_t seq, const AccessEntry& e) { return seq < e.seq; });
        for (auto it = first; it != accessLog.end(); ++it) seen.emplace(it->plan, &it->before);
        auto judge = [&](const EntityId& id, const PlanFacts& now) {
            auto s = seen.find(id);
            const PlanFacts* then = s == seen.end() ? &now : (*s->second ? &**s->second : nullptr);
            const bool could = then != nullptr && core::mayReadPlan(*before, *then);
            const bool can = core::mayReadPlan(reader, now);
            if (can && !could) gained.push_back(id);
            if (could && !can) lost.push_back(id);
        };
        if (site.reader != key) {
            for (const auto& [id, facts] : plans) judge(id, facts);
        } else {
            for (const auto& [id, entry] : seen)
                if (auto p = plans.find(id); p != plans.end()) judge(id, p->second);
        }
    }

    for (const EntityId& id : gained) {
        // A notice not yet acknowledged is moot: the plan comes again whole (below, or
        // with the pull from cursor 0), whether or not the client dropped it.
        std::erase(revoked, id);
        if (request.cursor == 0) continue;  // everything it may read comes with the pull
        Backfill b{request.cursor, 0};
        if (auto s = store->setBackfill(request.site, id, b); !s) return s;
        backfills[id] = b;
    }
    for (const EntityId& id : lost) {
        if (backfills.erase(id) > 0)
            if (auto s = store->deleteBackfill(request.site, id); !s) return s;
        if (std::find(revoked.begin(), revoked.end(), id) == revoked.end()) revoked.push_back(id);
    }
    return {};
}

Status SyncApi::Impl::commitBackfills(const core::SiteId& site, const std::map<EntityId, Backfill>& delivered,
                                      std::map<EntityId, Backfill>& backfills) {
    for (const auto& [planId, b] : delivered) {
        auto it = backfills.find(planId);
        // Progress of a backfill that was settled again since (the plan lost, then gained
        // from another cursor) belongs to the old one.
        if (it == backfills.end() || it->second.upto != b.upto) continue;
        if (b.done >= b.upto) {
            if (auto s = store->deleteBackfill(site, planId); !s) return s;
            backfills.erase(it);
        } else if (b.done > it->second.done) {
            if (auto s = store->setBackfill(site, planId, b); !s) return s;
            it->second = b;
        }
    }
    return {};
}

Status SyncApi::Impl::pull(const Principal& reader, const SyncRequest& request,
                           const std::map<EntityId, Backfill>& backfills, std::map<EntityId, Backfill>& delivered,
                           std::map<EntityId, Backfill>& exhausted, SyncResult& result) {
    std::size_t remaining = request.limit;
    for (const auto& [planId, from] : backfills) {
        if (remaining == 0) {
            result.more = true;
            break;
        }
        Backfill b = from;
        auto ops = replica->opsOfPlan(planId, b.done, b.upto, remaining + 1);
        if (!ops) return ops.error();
        const bool complete = ops->size() <= remaining;
        if (!complete) ops->resize(remaining);
        for (Op& op : *ops) {
            b.done = *op.seq;
            result.ops.push_back(std::move(op));
            --remaining;
        }
        const bool sent = !ops->empty();
        if (complete) {
            b.done = b.upto;
        } else {
            result.more = true;
        }
        (sent ? delivered : exhausted)[planId] = b;
    }

    result.cursor = request.cursor;
    if (remaining == 0) {
        result.more = true;
        return {};
    }
    std::map<EntityId, bool> readable;
    auto mayRead = [&](const std::optional<EntityId>& plan) {
        if (!plan) return true;  // the organisation
        auto known = readable.find(*plan);
        if (known != readable.end()) return known->second;
        auto facts = plans.find(*plan);
        const bool may = facts != plans.end() && core::mayReadPlan(reader, facts->second);
        readable.emplace(*plan, may);
        return may;
    };
    auto ops = replica->opsAfterSeq(request.cursor, remaining + 1, mayRead);
    if (!ops) return ops.error();
    if (ops->size() > remaining) {
        result.more = true;
        ops->resize(remaining);
    }
    // No op to send: everything up to the head is either sent or not for this caller.
    result.cursor = ops->empty() ? result.head : *ops->back().seq;
    for (Op& op : *ops) result.ops.push_back(std::move(op));
    return {};
}

void SyncApi::Impl::countRejection(const std::string& code) {
    std::lock_guard lock(metricsMutex);
    ++rejections[code];
}

void SyncApi::Impl::notify(std::int64_t cursor) {
    std::vector<std::function<void(std::int64_t)>> copy;
    {
        std::lock_guard lock(listenerMutex);
        copy = listeners;
    }
    for (auto& listener : copy) listener(cursor);
}

}  // namespace tandem::server
