// The app's adaptor against a real demo tandem-server and a real replica file: every
// model's rows and roles, updates by rows after a sync and after an edit (never a
// reset), what the rules let the user do, the sync status offline and back, sign-in
// errors, the language switch and the command line (DESIGN §5c).

#include <catch2/catch.hpp>

#include <QAbstractItemModelTester>
#include <QDate>
#include <QSignalSpy>

#include "app_options.h"
#include "app_test_support.h"
#include "model_test_helpers.h"
#include "models/plan_model.h"
#include "models/plans_model.h"
#include "models/review_models.h"
#include "models/work_models.h"
#include "tandem/core/canonical_json.h"

using namespace tandem;
using namespace tandem::test;
using app::KeyedListModel;

TEST_CASE("app: My work lists sales.li's late and due tasks with their warnings, and a logged progress updates its row",
          "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp li(server, "sales.li");
    auto tasks = loaded<app::MyTasksModel>();
    QAbstractItemModelTester tester(tasks.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    REQUIRE(tasks->count() >= 1);
    // The demo's 销售培训材料制作 (owner sales.li, due a week ago) comes first, in red.
    CHECK(value(*tasks, 0, "name") == QStringLiteral("销售培训材料制作"));
    CHECK(value(*tasks, 0, "daysLeft").toInt() < 0);
    CHECK(value(*tasks, 0, "rag") == QStringLiteral("red"));
    CHECK(!value(*tasks, 0, "warnings").toStringList().isEmpty());
    CHECK(value(*tasks, 0, "canLog").toBool());
    for (int i = 0; i < tasks->count(); ++i)  // nothing later than 7 working days out
        CHECK(value(*tasks, i, "daysLeft").toInt() <= 7);

    ChangeCounter counter(tasks.get());
    const QString task = value(*tasks, 0, "taskId").toString();
    const int before = value(*tasks, 0, "percent").toInt();
    li.app().logProgress(task, std::min(100, before + 10), QStringLiteral("完成考核题库"), {}, {}, {});
    CHECK(waitForAction(li.app(), QStringLiteral("logProgress")).ok);
    REQUIRE(waitUntil(
        [&] { return value(*tasks, tasks->indexOf(task), "percent").toInt() == std::min(100, before + 10); }));
    CHECK(counter.resets.count() == 0);
    CHECK(counter.changed.count() >= 1);
    CHECK(li.app().sync()->pending() + (li.app().sync()->lastSync().isValid() ? 1 : 0) > 0);
}

TEST_CASE("app: a task of another department cannot be logged on, with the server's reason", "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp li(server, "sales.li");
    const auto planModel = loadedDemoPlan(li);
    app::PlanModel& plan = *planModel;
    const KeyedListModel& tasks = *plan.tasks();
    // Led by SVC with only PROD collaborating (demo_seed.cpp): nothing sales.li may log on.
    const int svc = rowOf(tasks, "name", QStringLiteral("售后响应手册制定"));
    const int sales = rowOf(tasks, "taskId", li.taskLedBy(QStringLiteral("SALES")));
    REQUIRE(svc >= 0);
    REQUIRE(sales >= 0);
    CHECK(value(tasks, sales, "canUpdate").toBool());
    CHECK(!value(tasks, svc, "canUpdate").toBool());
    CHECK(value(tasks, svc, "cannotUpdateReason").toString() ==
          QStringLiteral("only members of the task's lead and collaborating departments log its progress"));
}

TEST_CASE("app: the plan model holds the whole demo plan in WBS order", "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp head(server, "mkt.head");
    app::PlanModel plan;
    QAbstractItemModelTester tester(plan.tasks(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    plan.setPlanId(head.demoPlan());
    REQUIRE(waitUntil([&] { return plan.loaded() && !plan.loading(); }));
    const QVariantMap o = plan.overview();
    CHECK(o.value("title") == QStringLiteral("Q3 新品推广"));
    CHECK(o.value("goalWhat") == QStringLiteral("3个月内实现新品销售额500万元"));
    CHECK(o.value("leadDepartment") == QStringLiteral("市场部"));
    CHECK(o.value("participants").toStringList().size() == 3);
    CHECK(o.value("escalationContact") == QStringLiteral("赵总"));
    CHECK(o.value("myRole") == QStringLiteral("owner"));
    CHECK(o.value("rag") == QStringLiteral("red"));
    const KeyedListModel& tasks = *plan.tasks();
    REQUIRE(tasks.count() >= 7);
    for (int i = 0; i < tasks.count(); ++i) CHECK(value(tasks, i, "wbs") == QString::number(i + 1));
    CHECK(value(tasks, 0, "name") == QStringLiteral("推广方案"));
    CHECK(plan.milestones()->count() >= 1);
    CHECK(plan.risks()->count() >= 1);
    CHECK(plan.progress()->count() >= 1);
    CHECK(plan.signoffs()->count() >= 4);
    // The owner may update every task's execution fields? Only those of her department's
    // and collaborating ones; the rules say so, not the app.
    int allowed = 0;
    for (int i = 0; i < tasks.count(); ++i) allowed += value(tasks, i, "canUpdate").toBool() ? 1 : 0;
    CHECK(allowed > 0);
    CHECK(allowed < tasks.count());
}

TEST_CASE("app: the plan overview holds the worst few warnings; every one is there on demand", "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp head(server, "mkt.head");
    const auto planModel = loadedDemoPlan(head);
    app::PlanModel& plan = *planModel;
    const int late = rowOf(*plan.tasks(), "name", QStringLiteral("销售培训材料制作"));
    REQUIRE(late >= 0);
    const auto lateId = core::EntityId::parse(value(*plan.tasks(), late, "taskId").toString().toStdString());
    REQUIRE(lateId);
    // Ten more tasks as late as that one, written into the replica as a sync would.
    const core::Status written =
        head.app()
            .service()
            ->call([&](client::Context& ctx) -> core::Status {
                auto task = ctx.replica().entity(*lateId);
                if (!task) return task.error();
                std::vector<core::Replica::EntityWrite> writes;
                for (int i = 0; i < 10; ++i) {
                    core::Replica::EntityWrite w{ctx.replica().newEntityId(), "task", {}};
                    for (const auto& [field, v] : (*task)->fields)
                        if (field.rfind("predecessors.", 0) != 0)
                            w.fields.emplace_back(field,
                                                  field == "sort_key" ? core::Json("9" + std::to_string(i)) : v.value);
                    writes.push_back(std::move(w));
                }
                auto ops = ctx.replica().write(writes);
                if (!ops) return ops.error();
                return {};
            })
            .get();
    REQUIRE(written);
    const int before = plan.overview().value("warningCount").toInt();
    client::ChangeSet changes;
    changes.everything = true;
    head.app().notifyChanged(changes);
    REQUIRE(waitUntil([&] { return plan.overview().value("warningCount").toInt() >= before + 10; }));
    REQUIRE(waitUntil([&] { return !plan.loading(); }));

    const QVariantMap o = plan.overview();
    const QVariantList all = plan.allWarnings();
    CHECK(all.size() == o.value("warningCount").toInt());
    CHECK(o.value("warnings").toList() == all.mid(0, app::PlanModel::kOverviewWarnings));
    // Worst first: no red after a yellow, and the reds counted.
    int reds = 0;
    bool yellowSeen = false;
    for (const QVariant& w : all) {
        const QString rag = w.toMap().value("rag").toString();
        if (rag == QStringLiteral("red")) {
            ++reds;
            CHECK(!yellowSeen);
        } else {
            yellowSeen = true;
        }
    }
    CHECK(reds >= 11);
    CHECK(o.value("redWarningCount").toInt() == reds);
}

TEST_CASE("app: an edit synced from elsewhere updates one task row, without a reset", "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp head(server, "mkt.head");
    const auto planModel = loadedDemoPlan(head);
    app::PlanModel& plan = *planModel;
    ChangeCounter counter(plan.tasks());
    QAbstractItemModelTester tester(plan.tasks(), QAbstractItemModelTester::FailureReportingMode::Fatal);

    // sales.wang logs progress on a SALES task from tandem-cli.
    TempDir cliDir;
    const QString task = head.taskLedBy(QStringLiteral("SALES"));
    REQUIRE(runCli(cliDir.path(), {"login", server.url().toStdString(), "sales.wang"}) == 0);
    REQUIRE(runCli(cliDir.path(), {"sync"}) == 0);
    REQUIRE(runCli(cliDir.path(), {"progress", task.toStdString(), "77", "--note", "门店陈列完成"}) == 0);
    REQUIRE(runCli(cliDir.path(), {"sync"}) == 0);

    REQUIRE(head.syncAndSettle());
    const int row = plan.tasks()->indexOf(task);
    REQUIRE(row >= 0);
    REQUIRE(waitUntil([&] { return value(*plan.tasks(), row, "percent").toInt() == 77; }));
    CHECK(counter.resets.count() == 0);
    CHECK(counter.inserted.count() == 0);
    CHECK(counter.removed.count() == 0);
    REQUIRE(counter.changed.count() >= 1);
    for (const auto& args : counter.changed) {
        CHECK(args.at(0).value<QModelIndex>().row() == row);
        CHECK(args.at(1).value<QModelIndex>().row() == row);
    }
    // …and the timeline gained the entry at the top.
    CHECK(value(*plan.progress(), 0, "note") == QStringLiteral("门店陈列完成"));
}

TEST_CASE("app: plans are listed with RAG, status and my role, and filtered", "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp li(server, "sales.li");
    auto plans = loaded<app::PlansModel>();
    REQUIRE(plans->count() == 1);
    CHECK(value(*plans, 0, "title") == QStringLiteral("Q3 新品推广"));
    CHECK(value(*plans, 0, "statusKey") == QStringLiteral("in_progress"));
    CHECK(value(*plans, 0, "rag") == QStringLiteral("red"));
    CHECK(value(*plans, 0, "myRole") == QStringLiteral("In a participating department"));
    CHECK(plans->departments().contains(QStringLiteral("销售部")));

    app::PlanFilterModel filter;
    filter.setSourceModel(plans.get());
    CHECK(filter.count() == 1);
    filter.setSearch(QStringLiteral("新品"));
    CHECK(filter.count() == 1);
    filter.setSearch(QStringLiteral("年度"));
    CHECK(filter.count() == 0);
    filter.setSearch({});
    filter.setStatus(QStringLiteral("draft"));
    CHECK(filter.count() == 0);
    filter.setStatus(QStringLiteral("in_progress"));
    filter.setRag(QStringLiteral("red"));
    filter.setDepartment(QStringLiteral("销售部"));
    CHECK(filter.count() == 1);
    filter.setDepartment(QStringLiteral("财务部"));
    CHECK(filter.count() == 0);
}

TEST_CASE("app: the sync status goes offline when the server stops, keeps the edit, and delivers it back online",
          "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp li(server, "sales.li");
    CHECK(li.app().sync()->state() == app::SyncStatus::Online);
    REQUIRE(server.stop() == 0);

    const QString task = li.taskLedBy(QStringLiteral("SALES"));
    li.app().logProgress(task, 90, QStringLiteral("离线记录"), {}, {}, {});
    CHECK(waitForAction(li.app(), QStringLiteral("logProgress")).ok);
    li.app().syncNow();
    REQUIRE(waitUntil([&] { return li.app().sync()->state() == app::SyncStatus::Offline; }, std::chrono::seconds(60)));
    CHECK(li.app().sync()->pending() > 0);

    REQUIRE(server.restart());
    REQUIRE(li.syncAndSettle());
    CHECK(li.app().sync()->state() == app::SyncStatus::Online);
    CHECK(li.app().sync()->pending() == 0);
    TempDir cliDir;
    REQUIRE(runCli(cliDir.path(), {"login", server.url().toStdString(), "hq.zhao"}) == 0);
    REQUIRE(runCli(cliDir.path(), {"sync"}) == 0);
    std::string shown;
    REQUIRE(runCli(cliDir.path(), {"--json", "show", task.toStdString()}, &shown) == 0);
    CHECK((*core::parseJson(shown))["fields"]["percent"] == 90);
}

TEST_CASE("app: sign-in says what went wrong", "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp fresh;
    auto signIn = [&](const QString& url, const QString& user, const QString& password) {
        fresh.app().signIn(url, user, password);
        REQUIRE(waitUntil([&] { return !fresh.app().signingIn(); }));
        return fresh.app().signInError();
    };
    CHECK(
        signIn(server.url(), QStringLiteral("sales.li"), QStringLiteral("wrong")).contains(QStringLiteral("password")));
    CHECK(fresh.app().session() == app::AppController::SignedOut);
    CHECK(signIn(QStringLiteral("http://127.0.0.1:9"), QStringLiteral("sales.li"), QStringLiteral("tandem-demo"))
              .contains(QStringLiteral("cannot be reached")));
    CHECK(signIn(QStringLiteral("not a url"), QStringLiteral("sales.li"), QStringLiteral("x"))
              .contains(QStringLiteral("address")));
    CHECK(signIn(server.url(), QStringLiteral("sales.li"), QStringLiteral("tandem-demo")).isEmpty());
    CHECK(fresh.app().session() == app::AppController::SignedIn);
    // This device's data is now sales.li's: another user is sent to another folder.
    fresh.app().signOut();
    REQUIRE(waitUntil([&] { return fresh.app().session() == app::AppController::SignedOut; }));
    CHECK(signIn(server.url(), QStringLiteral("sales.wang"), QStringLiteral("tandem-demo"))
              .contains(QStringLiteral("another")));
}

TEST_CASE("app: switching the language reloads the rules' texts in it", "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp li(server, "sales.li");
    auto tasks = loaded<app::MyTasksModel>();
    REQUIRE(tasks->count() >= 1);
    const QString english = value(*tasks, 0, "warnings").toStringList().value(0);
    CHECK(english.contains(QStringLiteral("late")));
    li.app().setLanguage(QStringLiteral("zh_CN"));
    CHECK(li.app().language() == QStringLiteral("zh_CN"));
    REQUIRE(waitUntil([&] { return value(*tasks, 0, "warnings").toStringList().value(0) != english; }));
    CHECK(value(*tasks, 0, "warnings").toStringList().value(0).contains(QStringLiteral("风险预警")));
    CHECK(value(*tasks, 0, "status") == QStringLiteral("进行中"));
}

TEST_CASE("app: the command line is DESIGN §5c's", "[app]") {
    auto ok = [](const QStringList& args) {
        auto parsed = app::parseAppOptions(args);
        REQUIRE(std::holds_alternative<app::AppOptions>(parsed));
        return std::get<app::AppOptions>(parsed);
    };
    auto error = [](const QStringList& args) {
        auto parsed = app::parseAppOptions(args);
        REQUIRE(std::holds_alternative<QString>(parsed));
        return std::get<QString>(parsed);
    };
    const auto all =
        ok({"--replica", "/tmp/r", "--server", "http://h:1", "--user", "sales.li", "--lang", "zh_CN", "--size", "phone",
            "--page", "plan:0123456789abcdef0123456789abcdef", "--screenshot", "/tmp/s.png"});
    CHECK(all.replicaDir == QStringLiteral("/tmp/r"));
    CHECK(all.server == QStringLiteral("http://h:1"));
    CHECK(all.user == QStringLiteral("sales.li"));
    CHECK(all.language == QStringLiteral("zh_CN"));
    CHECK(all.size == QSize(390, 844));
    CHECK(all.page == QStringLiteral("plan:0123456789abcdef0123456789abcdef"));
    CHECK(all.screenshot == QStringLiteral("/tmp/s.png"));
    CHECK(ok({"--size=desktop"}).size == QSize(1440, 900));
    CHECK(ok({"--size", "800x600"}).size == QSize(800, 600));
    CHECK(ok({}).language.isEmpty());
    CHECK(error({"--lang", "fr"}).contains(QStringLiteral("--lang")));
    CHECK(error({"--size", "huge"}).contains(QStringLiteral("--size")));
    CHECK(error({"--page", "nowhere"}).contains(QStringLiteral("page")));
    CHECK(error({"--page", "plan:XYZ"}).contains(QStringLiteral("page")));
    CHECK(error({"--server", "http://h:1"}).contains(QStringLiteral("together")));
    CHECK(error({"--bogus"}).contains(QStringLiteral("unknown")));
    CHECK(error({"--replica"}).contains(QStringLiteral("needs a value")));
}

TEST_CASE("app: one load of My work fills the waiting list too: the resource request PROD is asked for", "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp head(server, "prod.head");
    auto tasks = loaded<app::MyTasksModel>();
    const app::KeyedListModel& waiting = *tasks->waiting();
    // Filled by the same load, before the model said it was loaded.
    const int row = rowOf(waiting, "kind", QStringLiteral("resource_request"));
    REQUIRE(row >= 0);
    CHECK(value(waiting, row, "title") == QStringLiteral("首批渠道铺货用新品样机50台及配套宣传物料"));
    CHECK(value(waiting, row, "planTitle") == QStringLiteral("Q3 新品推广"));
    CHECK(value(waiting, row, "rag").toString() != QStringLiteral("green"));  // unanswered for more than 2 working days
    CHECK(!value(waiting, row, "warnings").toStringList().isEmpty());
    CHECK(value(waiting, row, "since").toDateTime().isValid());
}

namespace {
/// Signs `app` in and waits for the answer: the sign-in error ("" when it worked).
QString signInError(app::AppController& app, const QString& url, const QString& user) {
    app.signIn(url, user, QStringLiteral("tandem-demo"));
    REQUIRE(waitUntil([&] { return !app.signingIn(); }));
    return app.signInError();
}
}  // namespace

TEST_CASE("app: sign-in explains a server certificate the device does not trust", "[app]") {
    TempDir dir;
    const std::string cert = dir.path() + "/cert.pem";
    const std::string key = dir.path() + "/key.pem";
    const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " + key +
                                " -out " + cert + " >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);  // packaging/install-deps.sh installs openssl
    ServerProcess server({dir.path() + "/server", true, {"--tls-cert", cert, "--tls-key", key}, {}});
    REQUIRE(server.started());
    SignedInApp fresh;
    const QString url = QStringLiteral("https://127.0.0.1:%1").arg(server.port());
    const QString error = signInError(fresh.app(), url, QStringLiteral("sales.li"));
    INFO(error.toStdString());
    CHECK(error.contains(QStringLiteral("certificate")));
    CHECK(fresh.app().session() == app::AppController::SignedOut);
}

TEST_CASE("app: sign-in as someone else on a device whose data is another user's is refused, saying what to do",
          "[app]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp li(server, "sales.li");
    li.app().signOut();
    REQUIRE(waitUntil([&] { return li.app().session() == app::AppController::SignedOut; }));
    const QString error = signInError(li.app(), server.url(), QStringLiteral("sales.wang"));
    INFO(error.toStdString());
    CHECK(error.contains(QStringLiteral("another server or user")));
    CHECK(error.contains(QStringLiteral("--replica")));
    // Her own account still signs in on it.
    CHECK(signInError(li.app(), server.url(), QStringLiteral("sales.li")).isEmpty());
}
