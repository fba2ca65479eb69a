// The app end to end (issue 12): a real tandem-server process, the AppController the
// `tandem` binary runs (in-process, offscreen, watching the server as the app does) and
// real tandem-cli processes on replicas of their own. Nothing here asks the app to sync:
// what reaches it comes through its own watch (/live, else the poll), the way a person
// sees it.

#include <catch2/catch.hpp>

#include <QFile>
#include <QSignalSpy>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "app_test_support.h"
#include "model_test_helpers.h"
#include "models/plan_model.h"
#include "models/work_models.h"
#include "tandem/core/canonical_json.h"

using namespace tandem;
using namespace tandem::test;
using app::KeyedListModel;

namespace {

/// The task's percent as another user's tandem-cli replica has it after a sync.
std::optional<int> percentInCli(const std::string& replica, const QString& task) {
    if (runCli(replica, {"sync"}) != 0) return std::nullopt;
    std::string shown;
    if (runCli(replica, {"--json", "show", task.toStdString()}, &shown) != 0) return std::nullopt;
    auto json = core::parseJson(shown);
    if (!json || !(*json)["fields"]["percent"].is_number_integer()) return std::nullopt;
    return (*json)["fields"]["percent"].get<int>();
}

/// The `tandem` binary, offscreen, with TANDEM_PASSWORD set; stdout and stderr go to
/// `log`. Waited for by wait(), or stopped (SIGTERM) by stop().
class AppProcess {
public:
    AppProcess(const std::vector<std::string>& args, const std::string& log) {
        std::vector<std::string> all{TANDEM_APP_BIN};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e) {
            const std::string entry(*e);
            if (entry.rfind("TANDEM_PASSWORD=", 0) != 0 && entry.rfind("QT_QPA_PLATFORM=", 0) != 0)
                env.push_back(entry);
        }
        env.emplace_back("TANDEM_PASSWORD=tandem-demo");
        env.emplace_back("QT_QPA_PLATFORM=offscreen");
        std::vector<char*> envp;
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        if (::posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) m_pid = -1;
        posix_spawn_file_actions_destroy(&actions);
    }
    ~AppProcess() {
        if (m_pid > 0) (void)stop();
    }
    /// Its exit status (128 + signal when killed), -1 if it never started.
    int wait() {
        if (m_pid <= 0) return -1;
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    int stop() {
        if (m_pid > 0) ::kill(m_pid, SIGTERM);
        return wait();
    }

private:
    pid_t m_pid = -1;
};

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("e2e app: the tandem binary signs in from its command line (DESIGN 5c) and saves its screenshot",
          "[app][e2e]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    TempDir replica;
    const std::string shot = replica.path() + "/my-work.png";
    AppProcess app({"--replica", replica.path(), "--server", server.url().toStdString(), "--user", "sales.li", "--lang",
                    "en", "--size", "phone", "--page", "my-work", "--screenshot", shot},
                   replica.path() + "/app.log");
    const int exit = app.wait();
    INFO(readFile(replica.path() + "/app.log"));
    REQUIRE(exit == 0);
    CHECK(readFile(shot).rfind("\x89PNG", 0) == 0);
    // The folder is an ordinary replica, signed in as sales.li and synced.
    std::string status;
    REQUIRE(runCli(replica.path(), {"status"}, &status) == 0);
    CHECK(status.find("sales.li") != std::string::npos);
    std::string plans;
    REQUIRE(runCli(replica.path(), {"plans"}, &plans) == 0);
    CHECK(plans.find("Q3 新品推广") != std::string::npos);
}

TEST_CASE("e2e app: a second tandem on a replica folder in use is refused with a clear message", "[app][e2e]") {
    TempDir replica;
    AppProcess first({"--replica", replica.path(), "--lang", "en"}, replica.path() + "/first.log");
    // The first one holds the folder once its lock file exists.
    REQUIRE(waitUntil([&] { return QFile::exists(QString::fromStdString(replica.path() + "/app.lock")); }));
    AppProcess second({"--replica", replica.path(), "--lang", "en"}, replica.path() + "/second.log");
    CHECK(second.wait() == 1);
    CHECK(readFile(replica.path() + "/second.log").find("already in use") != std::string::npos);
    CHECK(first.stop() == 128 + SIGTERM);
}

TEST_CASE("e2e app: a replica file that is not a Tandem replica ends the app with a clear message, untouched",
          "[app][e2e]") {
    // The replica opens on the worker while the window is built: its failure still
    // ends the app with exit 1 and says why, and the file is left as it was.
    TempDir replica;
    const std::string file = replica.path() + "/replica.db";
    const std::string junk = "not a database, and not to be overwritten\n";
    {
        std::ofstream out(file, std::ios::binary);
        out << junk;
    }
    AppProcess app({"--replica", replica.path(), "--lang", "en"}, replica.path() + "/app.log");
    CHECK(app.wait() == 1);
    const std::string log = readFile(replica.path() + "/app.log");
    INFO(log);
    CHECK(log.find("cannot open the replica in " + replica.path()) != std::string::npos);
    CHECK(readFile(file) == junk);
}

TEST_CASE("e2e app: progress logged in the app reaches another user's tandem-cli replica", "[app][e2e]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp li(server, "sales.li");
    const QString task = li.taskLedBy(QStringLiteral("SALES"));
    REQUIRE(!task.isEmpty());
    TempDir hq;
    REQUIRE(runCli(hq.path(), {"login", server.url().toStdString(), "hq.zhao"}) == 0);
    const auto before = percentInCli(hq.path(), task);
    REQUIRE(before.has_value());
    const int wanted = *before == 100 ? 90 : std::min(100, *before + 10);

    li.app().logProgress(task, wanted, QStringLiteral("完成考核题库"), {}, {}, QStringLiteral("下周培训"));
    REQUIRE(waitForAction(li.app(), QStringLiteral("logProgress")).ok);
    // The app pushes it by itself (its watch); the CLI replica sees it once it has.
    REQUIRE(waitUntil([&] { return li.app().sync()->pending() == 0 && li.app().sync()->online(); },
                      std::chrono::seconds(60)));
    CHECK(percentInCli(hq.path(), task) == wanted);
    std::string dump;
    REQUIRE(runCli(hq.path(), {"dump"}, &dump) == 0);
    CHECK(dump.find("下周培训") != std::string::npos);
}

TEST_CASE("e2e app: a tandem-cli edit shows up in the running app's model without a restart or a sync asked for",
          "[app][e2e]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp head(server, "mkt.head");
    const auto planModel = loadedDemoPlan(head);
    app::PlanModel& plan = *planModel;
    const QString task = head.taskLedBy(QStringLiteral("SALES"));
    const int row = plan.tasks()->indexOf(task);
    REQUIRE(row >= 0);
    REQUIRE(value(*plan.tasks(), row, "percent").toInt() != 63);

    TempDir wang;
    REQUIRE(runCli(wang.path(), {"login", server.url().toStdString(), "sales.wang"}) == 0);
    REQUIRE(runCli(wang.path(), {"sync"}) == 0);
    REQUIRE(runCli(wang.path(), {"progress", task.toStdString(), "63", "--note", "经销商培训过半"}) == 0);
    REQUIRE(runCli(wang.path(), {"sync"}) == 0);

    // No syncNow(): the app's watch brings it in, and the open plan's row follows.
    REQUIRE(waitUntil([&] { return value(*plan.tasks(), plan.tasks()->indexOf(task), "percent").toInt() == 63; },
                      std::chrono::seconds(60)));
    REQUIRE(waitUntil([&] {
        return plan.progress()->count() > 0 && value(*plan.progress(), 0, "note") == QStringLiteral("经销商培训过半");
    }));
}

TEST_CASE(
    "e2e app: the server stopped mid-session: the app shows offline, keeps the edit, and delivers it when "
    "the server is back",
    "[app][e2e]") {
    DemoServerProcess server;
    REQUIRE(server.started());
    SignedInApp li(server, "sales.li");
    auto tasks = std::make_unique<app::MyTasksModel>();
    tasks->reload();
    REQUIRE(waitUntil([&] { return tasks->loaded() && !tasks->loading(); }));
    REQUIRE(tasks->count() >= 1);
    const QString task = value(*tasks, 0, "taskId").toString();
    const int wanted = value(*tasks, 0, "percent").toInt() == 100 ? 80 : 100;
    REQUIRE(waitUntil([&] { return li.app().sync()->state() == app::SyncStatus::Online; }));

    REQUIRE(server.stop() == 0);
    // The app notices by itself (its /live socket drops, its next sync fails).
    REQUIRE(waitUntil([&] { return li.app().sync()->state() == app::SyncStatus::Offline; }, std::chrono::seconds(60)));

    li.app().logProgress(task, wanted, QStringLiteral("离线记录：门店已走访"), {}, {}, {});
    CHECK(waitForAction(li.app(), QStringLiteral("logProgress")).ok);
    REQUIRE(waitUntil([&] { return value(*tasks, tasks->indexOf(task), "percent").toInt() == wanted; }));
    CHECK(li.app().sync()->pending() > 0);
    CHECK(li.app().sync()->state() == app::SyncStatus::Offline);

    // Back up on the same port: the app delivers the edit without being asked.
    REQUIRE(server.restart());
    REQUIRE(waitUntil([&] { return li.app().sync()->pending() == 0 && li.app().sync()->online(); },
                      std::chrono::seconds(90)));
    CHECK(li.app().sync()->state() != app::SyncStatus::Offline);
    CHECK(li.app().sync()->rejected() == 0);
    TempDir hq;
    REQUIRE(runCli(hq.path(), {"login", server.url().toStdString(), "hq.zhao"}) == 0);
    CHECK(percentInCli(hq.path(), task) == wanted);
    std::string dump;
    REQUIRE(runCli(hq.path(), {"dump"}, &dump) == 0);
    CHECK(dump.find("离线记录：门店已走访") != std::string::npos);
}
