// The review models against a real demo tandem-server, real replicas and tandem-cli:
// ApprovalsModel, ConflictsModel and RejectedModel — their rows and roles, updates by
// rows after a sync (never a reset: spied on), and what the rules let the user do
// (canSign, canRestore) with the rules' reason when not.

#include <catch2/catch.hpp>

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include "app_test_support.h"
#include "model_test_helpers.h"
#include "models/plan_model.h"
#include "models/review_models.h"
#include "tandem/core/canonical_json.h"

using namespace tandem;
using namespace tandem::test;
using app::KeyedListModel;

namespace {

/// tandem-cli on a replica of its own, failing the test when a command fails.
struct Cli {
    TempDir dir;
    void ok(const std::vector<std::string>& args) const { REQUIRE(runCli(dir.path(), args) == 0); }
    core::Json json(std::vector<std::string> args) const {
        args.insert(args.begin(), "--json");
        std::string out;
        REQUIRE(runCli(dir.path(), args, &out) == 0);
        auto parsed = core::parseJson(out);
        REQUIRE(parsed);
        return *parsed;
    }
    void signIn(const DemoServerProcess& server, const char* username) const {
        ok({"login", server.url().toStdString(), username});
        ok({"sync"});
    }
};

QString trainingTask(SignedInApp& app) {
    const auto planModel = loadedDemoPlan(app);
    app::PlanModel& plan = *planModel;
    for (int i = 0; i < plan.tasks()->count(); ++i)
        if (value(*plan.tasks(), i, "name") == QStringLiteral("销售培训材料制作"))
            return value(*plan.tasks(), i, "taskId").toString();
    FAIL("no training task");
    return {};
}

/// Moves `username` to the department `code` as the admin, through tandem-cli.
void moveMember(SignedInApp& app, const DemoServerProcess& server, const QString& username, const QString& code) {
    Cli admin;
    admin.signIn(server, "admin");
    admin.ok({"set", app.memberId(username).toStdString(), "department",
              "\"" + app.departmentId(code).toStdString() + "\""});
    admin.ok({"sync"});
}

}  // namespace

TEST_CASE("app: a change request in review appears for the head by rows, and leaves once he signed", "[app][review]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp head(server, "sales.head");
    auto approvals = loaded<app::ApprovalsModel>();
    QAbstractItemModelTester tester(approvals.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    CHECK(approvals->count() == 0);  // the demo plan is signed and published
    ChangeCounter counter(approvals.get());

    Cli owner;
    owner.signIn(server, "mkt.head");
    const core::Json filed =
        owner.json({"new", "change_request", "plan=\"" + head.demoPlan().toStdString() + "\"",
                    "title=\"发布会延期一周\"", "reason=\"渠道反馈需要调整计划\"", "proposal=\"发布会推迟到下周三\""});
    const QString change = QString::fromStdString(filed["id"].get<std::string>());
    owner.ok({"set", change.toStdString(), "status", "\"in_review\""});
    owner.ok({"sync"});

    REQUIRE(head.syncAndSettle());
    REQUIRE(waitUntil([&] { return approvals->count() == 1; }));
    CHECK(counter.resets.count() == 0);
    CHECK(counter.inserted.count() == 1);
    CHECK(value(*approvals, 0, "subjectId") == change);
    CHECK(value(*approvals, 0, "kind") == QStringLiteral("change_request"));
    CHECK(value(*approvals, 0, "title") == QStringLiteral("发布会延期一周"));
    CHECK(value(*approvals, 0, "planId") == head.demoPlan());
    CHECK(value(*approvals, 0, "planTitle") == QStringLiteral("Q3 新品推广"));
    CHECK(value(*approvals, 0, "department") == QStringLiteral("销售部"));
    CHECK(value(*approvals, 0, "summary") == QStringLiteral("渠道反馈需要调整计划"));
    CHECK(!value(*approvals, 0, "stale").toBool());
    CHECK(value(*approvals, 0, "lastMeaning").toString().isEmpty());
    CHECK(value(*approvals, 0, "canSign").toBool());
    CHECK(value(*approvals, 0, "cannotSignReason").toString().isEmpty());

    // A wrong password signs nothing; the right one signs, and the row goes by itself.
    head.app().signOff(change, QStringLiteral("approve"), QStringLiteral("同意"), QStringLiteral("wrong"));
    const Outcome refused = waitForAction(head.app(), QStringLiteral("signOff"));
    CHECK(!refused.ok);
    CHECK(refused.message.contains(QStringLiteral("password")));
    CHECK(approvals->count() == 1);
    head.app().signOff(change, QStringLiteral("approve"), QStringLiteral("同意"), QStringLiteral("tandem-demo"));
    CHECK(waitForAction(head.app(), QStringLiteral("signOff")).ok);
    REQUIRE(waitUntil([&] { return approvals->count() == 0; }));
    CHECK(counter.removed.count() == 1);
    CHECK(counter.resets.count() == 0);
}

TEST_CASE("app: an overwritten value is a conflict row whose restore the rules decide, updated in place",
          "[app][review]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp li(server, "sales.li");
    const QString task = trainingTask(li);  // hers
    auto conflicts = loaded<app::ConflictsModel>();
    QAbstractItemModelTester tester(conflicts.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    CHECK(conflicts->count() == 0);
    ChangeCounter counter(conflicts.get());
    Cli wang;
    wang.signIn(server, "sales.wang");

    // Her offline write, then wang's later one reaches the server first: hers loses.
    li.app().service()->setWatching(false);
    REQUIRE(li.settle());
    REQUIRE(server.stop() == 0);
    li.app().updateTask(task, 75, {}, QStringLiteral("-"), {});
    CHECK(waitForAction(li.app(), QStringLiteral("updateTask")).ok);
    REQUIRE(server.restart());
    wang.ok({"progress", task.toStdString(), "65", "--note", "样机到货"});
    wang.ok({"sync"});
    REQUIRE(li.syncAndSettle());

    REQUIRE(waitUntil([&] { return conflicts->count() == 1; }));
    CHECK(counter.resets.count() == 0);
    CHECK(value(*conflicts, 0, "entityId") == task);
    CHECK(value(*conflicts, 0, "entityName") == QStringLiteral("销售培训材料制作"));
    CHECK(value(*conflicts, 0, "field") == QStringLiteral("percent"));
    CHECK(value(*conflicts, 0, "lostValueJson") == QStringLiteral("75"));
    CHECK(value(*conflicts, 0, "lostValue").toString().contains(QStringLiteral("75")));
    CHECK(value(*conflicts, 0, "lostBy") == QStringLiteral("李娜"));
    CHECK(value(*conflicts, 0, "currentValue").toString().contains(QStringLiteral("65")));
    CHECK(value(*conflicts, 0, "currentBy") == QStringLiteral("王磊"));
    CHECK(value(*conflicts, 0, "lostAt").toDateTime() < value(*conflicts, 0, "currentAt").toDateTime());
    CHECK(value(*conflicts, 0, "canRestore").toBool());
    CHECK(value(*conflicts, 0, "cannotRestoreReason").toString().isEmpty());

    // She moves to SVC: the same row stays, but she may no longer restore it, and says why.
    const QString lostId = value(*conflicts, 0, "lostId").toString();
    moveMember(li, server, QStringLiteral("sales.li"), QStringLiteral("SVC"));
    const int changedBefore = counter.changed.count();
    REQUIRE(li.syncAndSettle());
    REQUIRE(waitUntil([&] { return !value(*conflicts, 0, "canRestore").toBool(); }));
    CHECK(conflicts->count() == 1);
    CHECK(value(*conflicts, 0, "lostId") == lostId);
    CHECK(value(*conflicts, 0, "cannotRestoreReason").toString().contains(QStringLiteral("departments")));
    CHECK(counter.changed.count() > changedBefore);
    CHECK(counter.resets.count() == 0);
    CHECK(counter.removed.count() == 0);
}

TEST_CASE("app: an edit the server refused is a rejected row with its code, reason and the current value",
          "[app][review]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp li(server, "sales.li");
    const QString task = trainingTask(li);
    auto rejected = loaded<app::RejectedModel>();
    QAbstractItemModelTester tester(rejected.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    CHECK(rejected->count() == 0);
    ChangeCounter counter(rejected.get());

    li.app().service()->setWatching(false);
    REQUIRE(li.settle());
    REQUIRE(server.stop() == 0);
    li.app().updateTask(task, 37, {}, QStringLiteral("-"), {});
    CHECK(waitForAction(li.app(), QStringLiteral("updateTask")).ok);
    REQUIRE(server.restart());
    moveMember(li, server, QStringLiteral("sales.li"), QStringLiteral("SVC"));
    REQUIRE(li.syncAndSettle());

    // One row per refused record: the task (its percent), and the progress entry that
    // carries it (all its fields on one row) — and the sync bar counts the same.
    REQUIRE(waitUntil([&] { return rejected->count() == 2 && li.app().sync()->rejected() == 2; }));
    CHECK(counter.resets.count() == 0);
    CHECK(counter.inserted.count() >= 1);
    const int taskRow = rowOf(*rejected, "kindLabel", QStringLiteral("Task"));
    const int entryRow = 1 - taskRow;
    REQUIRE(taskRow >= 0);
    for (int i : {taskRow, entryRow}) {
        // Both say the root reason (the entry's other fields were refused only because
        // its creation was: unknown_entity), and both are named by the task.
        CHECK(value(*rejected, i, "code") == QStringLiteral("forbidden"));
        CHECK(value(*rejected, i, "message").toString().contains(QStringLiteral("lead and collaborating departments")));
        CHECK(value(*rejected, i, "rejectedAt").toDateTime().isValid());
        CHECK(value(*rejected, i, "entityName") == QStringLiteral("销售培训材料制作"));
        CHECK(value(*rejected, i, "planTitle") == QStringLiteral("Q3 新品推广"));
    }
    CHECK(value(*rejected, taskRow, "value").toString().contains(QStringLiteral("37")));
    CHECK(value(*rejected, taskRow, "currentValue").toString().contains(QStringLiteral("60")));  // the demo's, again
    CHECK(!value(*rejected, taskRow, "notKept").toBool());
    CHECK(!value(*rejected, taskRow, "fieldLabel").toString().isEmpty());
    // The report: every refused field on its row, and not kept anywhere.
    CHECK(value(*rejected, entryRow, "kindLabel") == QStringLiteral("Progress report"));
    CHECK(value(*rejected, entryRow, "fieldLabel").toString().contains(QStringLiteral(", ")));
    CHECK(value(*rejected, entryRow, "value").toString().contains(QStringLiteral("37")));
    CHECK(value(*rejected, entryRow, "notKept").toBool());
    CHECK(value(*rejected, entryRow, "currentValue").toString().isEmpty());
}
