// The client's intents and queries (intents.h, queries.h) on real replica files, as the
// members of a demo-like organisation: the permission cases judged offline with the
// server's exact messages, nothing written on a refusal, records closed by their last
// field. The intents tandem-cli does not expose are covered here; the others end to end.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "support.h"
#include "tandem/client/client_service.h"
#include "tandem/client/intents.h"
#include "tandem/client/queries.h"
#include "tandem/client/session.h"
#include "tandem/core/replica.h"

using namespace tandem;
using client::Context;
using core::EntityId;
using core::Json;
using core::Op;

namespace {

constexpr std::int64_t kDay = 86400000;
constexpr std::int64_t kNow = 1'780'000'000'000;  // 2026-05-29 (UTC+8), a Friday
constexpr const char* kPassword = "s3cret-pw";

/// The demo organisation of DESIGN §5a in miniature, as the server sent it (site 0),
/// and one plan led by MKT with SALES, PROD and SVC taking part: a SALES task, past due
/// and half done, and an MKT task PROD collaborates on, done.
struct Org {
    std::map<std::string, EntityId> departments;   // by code
    std::map<std::string, EntityId> members;       // by username
    std::map<std::string, EntityId> departmentOf;  // by username
    EntityId plan{0x9000, 1};
    EntityId salesTask{0x9000, 2};
    EntityId mktTask{0x9000, 3};
    std::vector<Op> ops;

    explicit Org(const std::string& planStatus) {
        const char* codes[] = {"MKT", "SALES", "PROD", "SVC", "FIN"};
        const std::pair<const char*, const char*> people[] = {
            {"mkt.head", "MKT"},   {"mkt.chen", "MKT"},   {"sales.head", "SALES"},
            {"sales.li", "SALES"}, {"prod.head", "PROD"}, {"prod.liu", "PROD"},
            {"svc.head", "SVC"},   {"fin.head", "FIN"},   {"hq.zhao", ""}};
        for (std::uint64_t i = 0; i < 5; ++i) departments[codes[i]] = EntityId{0x1000, i + 1};
        std::uint64_t m = 1;
        for (const auto& [username, code] : people) {
            const EntityId id{0x2000, m++};
            members[username] = id;
            put(id, "member", "username", username);
            put(id, "member", "display_name", std::string("name of ") + username);
            if (!*code) continue;
            departmentOf[username] = departments.at(code);
            put(id, "member", "department", departments.at(code).hex());
        }
        put(members.at("hq.zhao"), "member", "roles.hq", true);
        for (const char* code : codes) {
            std::string head = code;
            for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            put(departments.at(code), "department", "code", code);
            put(departments.at(code), "department", "name", std::string(code) + " dept");
            put(departments.at(code), "department", "head", members.at(head + ".head").hex());
        }
        put(plan, "plan", "title", "Q3 launch");
        put(plan, "plan", "lead_department", departments.at("MKT").hex());
        put(plan, "plan", "owner", members.at("mkt.head").hex());
        for (const char* code : {"SALES", "PROD", "SVC"})
            put(plan, "plan", "participants." + departments.at(code).hex(), true);
        put(plan, "plan", "status", planStatus);
        put(salesTask, "task", "plan", plan.hex());
        put(salesTask, "task", "name", "sales training");
        put(salesTask, "task", "lead_department", departments.at("SALES").hex());
        put(salesTask, "task", "due", "2026-05-20");
        put(salesTask, "task", "percent", 50);
        put(mktTask, "task", "plan", plan.hex());
        put(mktTask, "task", "name", "campaign");
        put(mktTask, "task", "lead_department", departments.at("MKT").hex());
        put(mktTask, "task", "collaborators." + departments.at("PROD").hex(), true);
        put(mktTask, "task", "due", "2026-05-20");
        put(mktTask, "task", "percent", 100);
        put(mktTask, "task", "status", "done");
    }

    void put(const EntityId& entity, const std::string& type, const std::string& field, Json value) {
        Op op;
        op.site = core::kServerSite;
        op.n = ops.size() + 1;
        op.entity = entity;
        op.type = type;
        op.field = field;
        op.value = std::move(value);
        op.hlc = core::Hlc::make(static_cast<std::uint64_t>(kNow - 30 * kDay), static_cast<std::uint16_t>(op.n));
        op.seq = static_cast<std::int64_t>(op.n);
        ops.push_back(std::move(op));
    }
};

/// A replica that synced the organisation, signed in as one of its members (or signed
/// out), on the service's worker thread.
struct Device {
    test::TempDir dir;
    std::unique_ptr<client::ClientService> service;

    Device(const Org& org, const std::string& username) {
        core::ReplicaOptions options;
        options.wall = [] { return kNow; };
        options.durable = false;
        {
            auto replica = core::Replica::open(dir.sub("replica.db"), options);
            REQUIRE(replica);
            REQUIRE((*replica)->applyRemote(org.ops));
        }
        if (!username.empty()) {
            client::Session session;
            session.server = "http://127.0.0.1:9";
            session.username = username;
            session.member = org.members.at(username).hex();
            session.displayName = username;
            if (org.departmentOf.count(username)) session.department = org.departmentOf.at(username).hex();
            session.token = "token";
            client::setPasswordVerifier(session, kPassword);
            REQUIRE(client::SessionStore(dir.path()).save(session));
        }
        client::ServiceOptions service_options;
        service_options.replicaDir = dir.path();
        service_options.replica = options;
        auto opened = client::ClientService::open(std::move(service_options));
        REQUIRE(opened);
        service = std::move(*opened);
    }

    template <class F>
    auto run(F fn) {
        return service->call(std::move(fn)).get();
    }
    std::int64_t pending() {
        return run([](Context& ctx) { return ctx.replica().pendingCount().value(); });
    }
    std::vector<Op> pendingOps() {
        return run([](Context& ctx) { return ctx.replica().pendingOps(10000).value(); });
    }
    Json field(const EntityId& entity, const std::string& name) {
        return run([&](Context& ctx) {
            auto e = ctx.replica().entity(entity).value();
            return e ? e->get(name) : Json();
        });
    }
};

/// The failure `result` (a Status or a Result) carries: its code.
template <class R>
void requireCode(const R& result, const std::string& code) {
    REQUIRE_FALSE(result);
    CHECK(result.error().code == code);
}

/// The refusal `result` carries: forbidden, with the server's message.
template <class R>
void requireForbidden(const R& result, const std::string& message) {
    requireCode(result, "forbidden");
    CHECK(result.error().message == message);
}

}  // namespace

TEST_CASE("intents: updateTask writes the execution fields and a progress entry closed by reported_at",
          "[client][intents]") {
    Org org("in_progress");
    Device li(org, "sales.li");
    client::TaskUpdate update;
    update.task = org.salesTask;
    update.percent = 60;
    update.status = "in_progress";
    update.actualFinish = "";
    update.note = "visited 12 stores";
    REQUIRE(li.run([&](Context& ctx) { return client::updateTask(ctx, update); }));
    CHECK(li.field(org.salesTask, "percent") == 60);
    CHECK(li.field(org.salesTask, "status") == "in_progress");
    CHECK(li.field(org.salesTask, "actual_finish").is_null());
    const auto ops = li.pendingOps();
    std::vector<std::string> entryFields;
    for (const Op& op : ops)
        if (op.type == "progress_entry") entryFields.push_back(op.field);
    CHECK(entryFields == std::vector<std::string>{"plan", "task", "author", "percent", "note", "reported_at"});
    const EntityId entry =
        std::find_if(ops.begin(), ops.end(), [](const Op& op) { return op.type == "progress_entry"; })->entity;
    CHECK(li.field(entry, "author") == org.members.at("sales.li").hex());
    CHECK(li.field(entry, "percent") == 60);
    CHECK(li.field(entry, "reported_at") == kNow);

    SECTION("a note alone records the task's current percent") {
        client::TaskUpdate note;
        note.task = org.salesTask;
        note.note = "store 13 too";
        REQUIRE(li.run([&](Context& ctx) { return client::updateTask(ctx, note); }));
        const auto more = li.pendingOps();
        REQUIRE(more.size() == ops.size() + 6);
        CHECK(more[ops.size() + 3].field == "percent");
        CHECK(more[ops.size() + 3].value == 60);
        CHECK(more.back().field == "reported_at");
    }
    SECTION("an invalid status is the schema's invalid_value and writes nothing") {
        client::TaskUpdate bad;
        bad.task = org.salesTask;
        bad.status = "finished";
        bad.percent = 70;
        requireCode(li.run([&](Context& ctx) { return client::updateTask(ctx, bad); }), "invalid_value");
        CHECK(li.pendingOps().size() == ops.size());
    }
}

TEST_CASE("intents: updateTask on another department's task is refused with the server's message, nothing written",
          "[client][intents]") {
    Org org("in_progress");
    Device li(org, "sales.li");
    client::TaskUpdate update;
    update.task = org.mktTask;
    update.percent = 10;
    requireForbidden(li.run([&](Context& ctx) { return client::updateTask(ctx, update); }),
                     "only members of the task's lead and collaborating departments log its progress");
    update.percent.reset();
    update.status = "blocked";
    requireForbidden(li.run([&](Context& ctx) { return client::updateTask(ctx, update); }),
                     "only members of the task's lead and collaborating departments report on it");
    CHECK(li.pending() == 0);
    CHECK(li.field(org.mktTask, "status") == "done");

    requireCode(li.run([&](Context& ctx) { return client::updateTask(ctx, {org.plan, 5, {}, {}, {}}); }), "not_a_task");
}

TEST_CASE("intents: mayUpdateTask allows the task's lead and collaborating departments only", "[client][intents]") {
    Org org("in_progress");
    Device li(org, "sales.li"), liu(org, "prod.liu");
    auto mine = li.run([&](Context& ctx) { return client::mayUpdateTask(ctx, org.salesTask); });
    REQUIRE(mine);
    CHECK(mine->allowed);
    auto theirs = li.run([&](Context& ctx) { return client::mayUpdateTask(ctx, org.mktTask); });
    REQUIRE(theirs);
    CHECK_FALSE(theirs->allowed);
    CHECK(theirs->message == "only members of the task's lead and collaborating departments report on it");
    auto collaborator = liu.run([&](Context& ctx) { return client::mayUpdateTask(ctx, org.mktTask); });
    REQUIRE(collaborator);
    CHECK(collaborator->allowed);
    CHECK(li.pending() == 0);
}

TEST_CASE("intents: movePlan follows the lifecycle: the owner submits and withdraws, nobody else",
          "[client][intents]") {
    Org org("draft");
    Device owner(org, "mkt.head"), sales(org, "sales.head");
    requireForbidden(sales.run([&](Context& ctx) { return client::movePlan(ctx, org.plan, "in_review"); }),
                     "only the plan's owner changes its status");
    CHECK(sales.pending() == 0);
    requireForbidden(owner.run([&](Context& ctx) { return client::movePlan(ctx, org.plan, "approved"); }),
                     "only the server marks a plan approved");
    requireForbidden(owner.run([&](Context& ctx) { return client::movePlan(ctx, org.plan, "done"); }),
                     "a plan cannot go from draft to done");
    CHECK(owner.pending() == 0);
    REQUIRE(owner.run([&](Context& ctx) { return client::movePlan(ctx, org.plan, "in_review"); }));
    CHECK(owner.field(org.plan, "status") == "in_review");
    REQUIRE(owner.run([&](Context& ctx) { return client::movePlan(ctx, org.plan, "draft"); }));
    CHECK(owner.field(org.plan, "status") == "draft");
    CHECK(owner.pending() == 2);

    requireCode(owner.run([&](Context& ctx) { return client::movePlan(ctx, org.salesTask, "in_review"); }),
                "not_a_plan");
    requireCode(owner.run([&](Context& ctx) { return client::movePlan(ctx, org.plan, "finished"); }), "invalid_value");
}

TEST_CASE("intents: a change request is filed as me, submitted in one go, and moved by its requester or the owner",
          "[client][intents]") {
    Org org("in_progress");
    Device li(org, "sales.li"), salesHead(org, "sales.head"), owner(org, "mkt.head"), hq(org, "hq.zhao");

    client::ChangeRequestDraft draft{org.plan, "more stores", "demand", "two weeks", "add 20 stores", true};
    requireForbidden(hq.run([&](Context& ctx) { return client::fileChangeRequest(ctx, draft); }),
                     "only the plan's participants add to it");
    CHECK(hq.pending() == 0);

    auto filed = li.run([&](Context& ctx) { return client::fileChangeRequest(ctx, draft); });
    REQUIRE(filed);
    CHECK(li.field(*filed, "status") == "in_review");
    CHECK(li.field(*filed, "requested_by") == org.members.at("sales.li").hex());
    CHECK(li.field(*filed, "requested_at") == kNow);
    CHECK(li.field(*filed, "title") == "more stores");
    const auto ops = li.pendingOps();
    REQUIRE(ops.size() == 8);
    CHECK(ops.front().field == "plan");

    // The requester withdraws it; a head who neither filed it nor owns the plan may not;
    // only the owner applies, and only an approved one.
    REQUIRE(li.run([&](Context& ctx) { return client::moveChangeRequest(ctx, *filed, "open"); }));
    CHECK(li.field(*filed, "status") == "open");
    requireForbidden(li.run([&](Context& ctx) { return client::moveChangeRequest(ctx, *filed, "applied"); }),
                     "only the plan's owner applies a change request");
    requireForbidden(li.run([&](Context& ctx) { return client::moveChangeRequest(ctx, *filed, "approved"); }),
                     "only the server marks a change request approved or rejected, from its sign-offs");
    CHECK(li.pending() == 9);

    // The others see it once it synced: hand them the requester's ops as the server would.
    auto synced = ops;
    for (std::size_t i = 0; i < synced.size(); ++i) {
        synced[i].seq = static_cast<std::int64_t>(org.ops.size() + i + 1);
        synced[i].author = org.members.at("sales.li");
    }
    for (Device* d : {&salesHead, &owner})
        REQUIRE(d->run([&](Context& ctx) { return ctx.replica().applyRemote(synced).ok(); }));
    requireForbidden(salesHead.run([&](Context& ctx) { return client::moveChangeRequest(ctx, *filed, "open"); }),
                     "only the requester and the plan's owner submit or withdraw a change request");
    CHECK(salesHead.pending() == 0);
    requireForbidden(owner.run([&](Context& ctx) { return client::moveChangeRequest(ctx, *filed, "applied"); }),
                     "only an approved change request is applied");
    REQUIRE(owner.run([&](Context& ctx) { return client::moveChangeRequest(ctx, *filed, "open"); }));
    requireCode(owner.run([&](Context& ctx) { return client::moveChangeRequest(ctx, org.plan, "open"); }),
                "not_a_change_request");
}

TEST_CASE("intents: createPlanFromTemplate writes the whole plan as its owner; a member who heads nothing is refused",
          "[client][intents]") {
    Org org("in_progress");
    Device head(org, "sales.head"), li(org, "sales.li");
    const std::vector<EntityId> participants = {org.departments.at("MKT"), org.departments.at("SVC")};
    const auto start = *core::parseDate("2026-06-01");

    requireForbidden(li.run([&](Context& ctx) {
        return client::createPlanFromTemplate(ctx, "Q4 push", participants, start, core::Language::English);
    }),
                     "only a department head or an admin creates plans");
    CHECK(li.pending() == 0);

    auto plan = head.run([&](Context& ctx) {
        return client::createPlanFromTemplate(ctx, "Q4 push", participants, start, core::Language::English);
    });
    REQUIRE(plan);
    CHECK(head.field(*plan, "title") == "Q4 push");
    CHECK(head.field(*plan, "owner") == org.members.at("sales.head").hex());
    CHECK(head.field(*plan, "lead_department") == org.departments.at("SALES").hex());
    CHECK(head.field(*plan, "participants." + org.departments.at("SVC").hex()) == true);
    auto tasks = head.run([&](Context& ctx) { return ctx.replica().entities("task", *plan).value(); });
    CHECK(tasks.size() == 3);
    CHECK(head.pending() > 0);

    requireCode(head.run([&](Context& ctx) {
        return client::createPlanFromTemplate(ctx, "", participants, start, core::Language::English);
    }),
                "invalid_value");
}

TEST_CASE("intents: a sign-off is judged before the password, checks it, and closes with signed_at",
          "[client][intents]") {
    Org org("in_review");
    Device head(org, "prod.head"), liu(org, "prod.liu");
    auto judged = liu.run([&](Context& ctx) { return client::maySign(ctx, org.plan, client::SignMeaning::Approve); });
    REQUIRE(judged);
    CHECK_FALSE(judged->allowed);
    CHECK(judged->message == "only department heads sign off");
    auto mayHead = head.run([&](Context& ctx) { return client::maySign(ctx, org.plan, client::SignMeaning::Approve); });
    REQUIRE(mayHead);
    CHECK(mayHead->allowed);

    requireCode(head.run([&](Context& ctx) {
        return client::signOff(ctx, org.plan, client::SignMeaning::Approve, "", "not the password");
    }),
                "unauthorized");
    CHECK(head.pending() == 0);
    requireCode(head.run([&](Context& ctx) {
        return client::signOff(ctx, org.salesTask, client::SignMeaning::Approve, "", kPassword);
    }),
                "not_signable");

    auto signedOff = head.run([&](Context& ctx) {
        return client::signOff(ctx, org.plan, client::SignMeaning::Approve, "looks right", kPassword);
    });
    REQUIRE(signedOff);
    CHECK(signedOff->contentHash.size() == 64);
    const auto ops = head.pendingOps();
    REQUIRE_FALSE(ops.empty());
    CHECK(ops.back().field == "signed_at");
    CHECK(head.field(signedOff->signoff, "signer") == org.members.at("prod.head").hex());
    CHECK(head.field(signedOff->signoff, "meaning") == "approve");
    CHECK(head.field(signedOff->signoff, "comment") == "looks right");
    CHECK(client::parseSignMeaning("reject") == client::SignMeaning::Reject);
    CHECK_FALSE(client::parseSignMeaning("maybe"));
}

TEST_CASE("intents: signed out, a write says signed_out and writes nothing", "[client][intents]") {
    Org org("in_progress");
    Device nobody(org, "");
    requireCode(nobody.run([&](Context& ctx) {
        return client::createEntity(ctx, "risk", {{"plan", org.plan.hex()}, {"title", "x"}});
    }),
                "signed_out");
    requireCode(nobody.run([](Context& ctx) { return client::signedInPrincipal(ctx); }), "signed_out");
    CHECK(nobody.pending() == 0);
}

TEST_CASE("queries: plan summaries carry progress, task counts, late tasks and my role", "[client][queries]") {
    Org org("in_progress");
    auto summary = [&](const std::string& username) {
        Device device(org, username);
        auto plans = device.run([](Context& ctx) { return client::planSummaries(ctx); });
        REQUIRE(plans);
        REQUIRE(plans->size() == 1);
        return plans->front();
    };
    const client::PlanSummary owner = summary("mkt.head");
    CHECK(owner.id == org.plan);
    CHECK(owner.title == "Q3 launch");
    CHECK(owner.status == "in_progress");
    CHECK(owner.leadDepartment == org.departments.at("MKT"));
    CHECK(owner.lead == "MKT");
    CHECK(owner.leadName == "MKT dept");
    CHECK(owner.tasks == 2);
    CHECK(owner.done == 1);
    CHECK(owner.late == 1);  // the SALES task, due a week ago and half done
    CHECK(owner.progress == 75);
    CHECK(owner.rag == core::Rag::Red);
    CHECK(owner.warnings > 0);
    CHECK(owner.myRole == "owner");
    CHECK(summary("mkt.chen").myRole == "lead_member");
    CHECK(summary("sales.head").myRole == "head");
    CHECK(summary("sales.li").myRole == "member");
    CHECK(summary("fin.head").myRole == "");
    CHECK(summary("hq.zhao").myRole == "hq");
    CHECK(summary("").myRole == "");
}
