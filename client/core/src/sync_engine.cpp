#include "tandem/client/sync_engine.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <thread>

namespace tandem::client {

using core::Json;
using core::makeError;
using core::Op;

namespace {

std::optional<std::int64_t> parseInt(const std::optional<std::string>& text) {
    if (!text || text->empty()) return std::nullopt;
    char* end = nullptr;
    const long long v = std::strtoll(text->c_str(), &end, 10);
    if (!end || *end != '\0') return std::nullopt;
    return static_cast<std::int64_t>(v);
}

bool retryable(long status) { return status == 429 || status >= 500; }

}  // namespace

core::Result<SyncAnswer> decodeSyncAnswer(const std::string& body) {
    auto parsed = core::parseJson(body);
    if (!parsed || !parsed->is_object()) return makeError("bad_response", "sync answer is not a JSON object");
    const Json& j = *parsed;
    SyncAnswer a;
    auto bad = [](const std::string& what) { return makeError("bad_response", "sync answer: " + what); };

    auto accepted = j.find("accepted");
    if (accepted == j.end() || !accepted->is_array()) return bad("accepted");
    for (const auto& id : *accepted) {
        if (!id.is_string()) return bad("accepted id");
        a.accepted.push_back(id.get<std::string>());
    }
    auto rejected = j.find("rejected");
    if (rejected == j.end() || !rejected->is_array()) return bad("rejected");
    for (const auto& r : *rejected) {
        if (!r.is_object()) return bad("rejection");
        auto id = r.find("id");
        auto code = r.find("code");
        if (id == r.end() || !id->is_string() || code == r.end() || !code->is_string()) return bad("rejection");
        Rejection rej{id->get<std::string>(), code->get<std::string>(), {}};
        if (auto m = r.find("message"); m != r.end() && m->is_string()) rej.message = m->get<std::string>();
        a.rejected.push_back(std::move(rej));
    }
    auto ops = j.find("ops");
    if (ops == j.end() || !ops->is_array()) return bad("ops");
    a.ops.reserve(ops->size());
    for (const auto& o : *ops) {
        auto op = core::decodeOp(o);
        if (!op) return bad("op: " + op.error().message);
        a.ops.push_back(std::move(*op));
    }
    auto cursor = j.find("cursor");
    auto time = j.find("server_time");
    auto more = j.find("more");
    if (cursor == j.end() || !cursor->is_number_integer()) return bad("cursor");
    if (time == j.end() || !time->is_number_integer()) return bad("server_time");
    if (more == j.end() || !more->is_boolean()) return bad("more");
    a.cursor = cursor->get<std::int64_t>();
    a.serverTime = time->get<std::int64_t>();
    a.more = more->get<bool>();
    if (auto revoked = j.find("revoked"); revoked != j.end()) {
        if (!revoked->is_array()) return bad("revoked");
        for (const auto& p : *revoked) {
            auto id = p.is_string() ? core::EntityId::parse(p.get<std::string>()) : std::nullopt;
            if (!id) return bad("revoked plan id");
            a.revoked.push_back(*id);
        }
    }
    if (auto ack = j.find("ack"); ack != j.end()) {
        if (!ack->is_string()) return bad("ack");
        a.ack = ack->get<std::string>();
    }
    return a;
}

core::Error httpError(const HttpResponse& response) {
    std::string code, message;
    if (auto parsed = core::parseJson(response.body); parsed && parsed->is_object()) {
        if (auto e = parsed->find("error"); e != parsed->end() && e->is_object()) {
            if (auto c = e->find("code"); c != e->end() && c->is_string()) code = c->get<std::string>();
            if (auto m = e->find("message"); m != e->end() && m->is_string()) message = m->get<std::string>();
        }
    }
    const std::string status = std::to_string(response.status);
    switch (response.status) {
    case 401:
        return makeError("unauthorized", "your session has expired or was signed out — sign in again");
    case 403:
        return makeError("forbidden", message.empty() ? "not allowed" : message);
    case 413:
        return makeError("payload_too_large", "request too large");
    case 429:
        return makeError("too_many_requests", "the server is busy (HTTP 429)");
    default:
        break;
    }
    if (response.status >= 500) return makeError("server_error", "server error (HTTP " + status + ")");
    return makeError(code.empty() ? "http_" + status : code,
                     (message.empty() ? std::string("unexpected answer") : message) + " (HTTP " + status + ")");
}

core::Status loadClockOffset(core::Replica& replica) {
    auto stored = replica.meta(kClockOffsetKey);
    if (!stored) return stored.error();
    if (auto v = parseInt(*stored)) replica.clock().setOffset(*v);
    return {};
}

core::Status storeClockOffset(core::Replica& replica, std::int64_t offsetMs) {
    replica.clock().setOffset(offsetMs);
    return replica.setMeta(kClockOffsetKey, std::to_string(offsetMs));
}

std::int64_t deviceTimeMs(core::Replica& replica) { return replica.clock().wallMs() - replica.clock().offset(); }

core::Result<std::int64_t> storedCursor(core::Replica& replica) {
    auto stored = replica.meta(kCursorKey);
    if (!stored) return stored.error();
    return parseInt(*stored).value_or(0);
}

SyncEngine::SyncEngine(core::Replica& replica, Transport& transport, std::string token, SyncOptions options)
    : m_replica(replica), m_transport(transport), m_token(std::move(token)), m_options(std::move(options)) {
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
    m_options.pushBatch = std::clamp<std::size_t>(m_options.pushBatch, 1, 5000);
    m_options.pullLimit = std::clamp<std::size_t>(m_options.pullLimit, 1, 5000);
}

void SyncEngine::progress(SyncProgress::Phase phase, std::int64_t done, std::int64_t total) {
    if (m_options.onProgress) m_options.onProgress(SyncProgress{phase, done, total});
}

core::Result<HttpResponse> SyncEngine::postWithRetry(const std::string& body) {
    Backoff backoff(m_options.backoff, m_options.random);
    core::Error last = makeError("unreachable", "server unreachable");
    bool lastWasNetwork = true;
    for (int attempt = 1; attempt <= m_options.maxAttempts; ++attempt) {
        auto r = m_transport.post("/api/v1/sync", body, m_token);
        if (r) {
            if (!retryable(r->status)) return r;
            last = httpError(*r);
            lastWasNetwork = false;
        } else {
            if (r.error().code == "cancelled" || r.error().code == "bad_url" || r.error().code == "tls") return r.error();
            last = r.error();
            lastWasNetwork = true;
        }
        const auto yielding = [this] { return m_options.yield && m_options.yield(); };
        if (attempt == m_options.maxAttempts || yielding()) break;
        const auto delay = backoff.next();
        if (m_options.wait) {
            if (!m_options.wait(delay)) return makeError("cancelled", "cancelled");
        } else {
            std::this_thread::sleep_for(delay);
        }
        if (yielding()) break;
    }
    if (lastWasNetwork) return makeError("unreachable", last.message);
    return last;
}

core::Status SyncEngine::learnServerTime(std::int64_t serverTime, std::int64_t sentAt, std::int64_t receivedAt, bool& moved) {
    // The server read its clock somewhere between our send and receive: take the middle.
    const std::int64_t offset = serverTime - (sentAt + (receivedAt - sentAt) / 2);
    m_measuredOffset = offset;
    moved = std::llabs(offset - m_replica.clock().offset()) > m_options.skewTolerance.count();
    if (!moved) return {};
    return storeClockOffset(m_replica, offset);
}

core::Result<SyncAnswer> SyncEngine::exchange(const std::vector<Op>& ops, std::int64_t cursor, SyncReport& report) {
    Json encoded = Json::array();
    for (const Op& op : ops) encoded.push_back(core::encodeOp(op));
    // Always sent, "" when there is nothing to acknowledge: it tells the server this
    // client speaks acks, so it keeps backfill pages and `revoked` until they arrive.
    auto ack = m_replica.meta(kAckKey);
    if (!ack) return ack.error();
    const Json body = {{"site", m_replica.site().hex()},
                       {"cursor", cursor},
                       {"ops", std::move(encoded)},
                       {"limit", m_options.pullLimit},
                       {"ack", ack->value_or("")}};
    const std::int64_t sentAt = deviceTimeMs(m_replica);
    auto response = postWithRetry(body.dump());
    if (!response) return response.error();
    if (response->status != 200) return httpError(*response);
    auto answer = decodeSyncAnswer(response->body);
    if (!answer) return answer.error();
    report.pushed += static_cast<std::int64_t>(ops.size());
    report.serverTime = answer->serverTime;
    bool moved = false;
    if (auto s = learnServerTime(answer->serverTime, sentAt, deviceTimeMs(m_replica), moved); !s) return s.error();
    report.clockOffsetMs = m_replica.clock().offset();
    return answer;
}

core::Status SyncEngine::applyPage(const SyncAnswer& answer, SyncReport& report) {
    for (const auto& plan : answer.revoked) {
        if (auto s = m_replica.dropPlan(plan); !s) return s;
        report.revoked.push_back(plan.hex());
        report.changes.plans.insert(plan);
    }
    // A plan-scoped entity's `plan` field may come after its other fields in a page.
    std::map<core::EntityId, core::EntityId> plans;
    for (const Op& op : answer.ops)
        if (op.field == "plan" && op.value.is_string())
            if (auto id = core::EntityId::parse(op.value.get<std::string>())) plans.emplace(op.entity, *id);
    auto batch = m_replica.begin();
    if (!batch) return batch.error();
    for (const Op& op : answer.ops) {
        std::optional<core::EntityId> hint;
        if (auto it = plans.find(op.entity); it != plans.end()) hint = it->second;
        std::optional<core::EntityId> plan;
        auto outcome = batch->apply(op, hint, nullptr, &plan);
        if (!outcome) return outcome.error();
        if (*outcome != core::ApplyOutcome::Applied) continue;
        if (plan)
            report.changes.plans.insert(*plan);
        else
            report.changes.organisation = true;
    }
    // The cursor moves in the same transaction as the page it covers, and so does the
    // page's ack token: stored exactly when the page is (empty clears the last one).
    if (auto s = m_replica.setMeta(kCursorKey, std::to_string(answer.cursor)); !s) return s;
    if (auto s = m_replica.setMeta(kAckKey, answer.ack); !s) return s;
    if (auto s = batch->commit(); !s) return s;
    report.pulled += static_cast<std::int64_t>(answer.ops.size());
    report.cursor = answer.cursor;
    return {};
}

core::Result<SyncReport> SyncEngine::sync() {
    SyncReport report;
    const WireStats before = m_transport.stats();
    auto finish = [&]() {
        const WireStats after = m_transport.stats();
        report.wire = {after.requests - before.requests, after.bytesSent - before.bytesSent,
                       after.bytesReceived - before.bytesReceived};
    };

    auto cursor = storedCursor(m_replica);
    if (!cursor) return cursor.error();
    report.cursor = *cursor;
    auto pendingTotal = m_replica.pendingCount();
    if (!pendingTotal) return pendingTotal.error();
    const std::int64_t startCursor = *cursor;
    std::int64_t pushedDone = 0;
    auto pullTotal = [&] { return m_knownHead > startCursor ? m_knownHead - startCursor : -1; };

    // First a pull-only page: it brings the server's time before any op leaves, so
    // unsent ops stamped by a wrong device clock are re-stamped before they are pushed.
    const std::int64_t offsetBefore = m_replica.clock().offset();
    auto first = exchange({}, report.cursor, report);
    if (!first) return first.error();
    if (auto s = applyPage(*first, report); !s) return s.error();
    progress(SyncProgress::Phase::Pull, report.pulled, pullTotal());
    bool needRestamp = *pendingTotal > 0 &&
                       std::llabs(m_replica.clock().offset() - offsetBefore) > m_options.skewTolerance.count();
    bool more = first->more;
    int clockAheadRounds = 0;
    std::size_t batchSize = m_options.pushBatch;

    for (;;) {
        if (needRestamp) {
            auto inflight = m_replica.meta(kInflightKey);
            if (!inflight) return inflight.error();
            // Ops that may already sit on the server keep their stamps; they go first.
            if (!parseInt(*inflight)) {
                if (auto s = m_replica.restampPending(); !s) return s.error();
                ++report.restamps;
                report.changes.everything = true;  // re-stamped fields are decided again
                needRestamp = false;
            }
        }
        auto pending = m_replica.pendingBatch(batchSize);
        if (!pending) return pending.error();
        if (pending->empty() && !more) break;

        if (!pending->empty())
            if (auto s = m_replica.setMeta(kInflightKey, std::to_string(pending->back().n)); !s) return s.error();
        const std::int64_t offsetBeforeExchange = m_replica.clock().offset();
        auto answer = exchange(*pending, report.cursor, report);
        if (!answer) {
            if (answer.error().code == "payload_too_large" && batchSize > 1) {
                batchSize /= 2;
                continue;
            }
            finish();
            return answer.error();
        }
        if (!pending->empty() && answer->accepted.empty() && answer->rejected.empty())
            return makeError("bad_response", "the server answered none of the pushed operations");
        if (!answer->accepted.empty())
            if (auto s = m_replica.markAccepted(answer->accepted); !s) return s.error();
        bool clockAhead = false;
        for (const auto& rej : answer->rejected) {
            if (rej.code == "clock_ahead" && clockAheadRounds < 3) {
                clockAhead = true;  // re-stamp from the server's time and send again
                continue;
            }
            auto s = m_replica.markRejected(rej.id, rej.code, rej.message);
            if (!s && s.error().code != "not_found") return s.error();
            if (s) {
                ++report.rejected;
                report.changes.everything = true;  // a field rolled back to the server's value
            }
        }
        report.accepted += static_cast<std::int64_t>(answer->accepted.size());
        if (!pending->empty())
            if (auto s = m_replica.setMeta(kInflightKey, ""); !s) return s.error();
        if (auto s = applyPage(*answer, report); !s) return s.error();

        pushedDone += static_cast<std::int64_t>(answer->accepted.size() + answer->rejected.size());
        if (!pending->empty())
            progress(SyncProgress::Phase::Push, std::min(pushedDone, *pendingTotal), *pendingTotal);
        if (!answer->ops.empty()) progress(SyncProgress::Phase::Pull, report.pulled, pullTotal());
        if (clockAhead) {
            // The server says our stamps are ahead of it: trust its clock whatever the tolerance.
            if (auto s = storeClockOffset(m_replica, m_measuredOffset); !s) return s.error();
            ++clockAheadRounds;
            needRestamp = true;
        } else if (std::llabs(m_replica.clock().offset() - offsetBeforeExchange) > m_options.skewTolerance.count()) {
            needRestamp = true;
        }
        more = answer->more;
    }
    if (auto s = m_replica.setMeta(kLastSyncKey, std::to_string(m_replica.clock().wallMs())); !s) return s.error();
    report.clockOffsetMs = m_replica.clock().offset();
    finish();
    return report;
}

}  // namespace tandem::client
