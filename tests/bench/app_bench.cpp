// App benchmark (issue 12): the real app — AppController, its models, Main.qml in an
// offscreen QQuickWindow — on real replica files, with a real demo tandem-server on
// loopback. Each figure has a baseline measured in the same run:
//
//   app_bench [--rounds N] [--repeat N] [--keep DIR]
//
// 1. Open a plan of 2,000 tasks (synthetic, written through the replica API in a real
//    replica file): from AppController::openPlan to the first frame swapped after the
//    plan's task list holds every row; the process RSS once the app is idle on it
//    (settled, past the worker's idle trim). Baseline: a plan of 20.
// 2. Cold start to My work: process spawn of `app_bench --cold-start DIR` (the app's own
//    start-up: controller, Main.qml) until My work's task list has rows and a frame with
//    them is swapped, on a replica of 100,000+ ops. Baseline: an empty replica (the
//    first frame of the sign-in page).
// 3. GUI-thread stall during a 10,000-op pull: a fresh replica signs in (through the
//    app's sign-in intent, Main.qml shown) while the server holds 10,000 extra ops made
//    by another user; the longest gap of a 5 ms timer on the GUI thread until the app
//    settles. Baseline: the same timer, the app idle, as long.
// 4. Progress logged by user A → visible in user B's PlanModel (B: an AppController
//    online via /live; A: a ClientService doing what AppController::logProgress does on
//    its worker — client::logProgress, then localChange). p50/p95 over N rounds.
//
// 1–3 run in child processes (one AppController per process; a cold start must be
// cold). Exit 1 when something fails; goals missed are reported, not failures.

#include <QtQml/qqmlextensionplugin.h>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFont>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTimer>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "app_controller.h"
#include "app_options.h"
#include "app_test_support.h"
#include "bench_util.h"
#include "models/plan_model.h"
#include "models/work_models.h"
#include "tandem/client/intents.h"

Q_IMPORT_QML_PLUGIN(Tandem_AppPlugin)
Q_IMPORT_QML_PLUGIN(TandemPlugin)

extern char** environ;

using namespace tandem;
using namespace tandem::bench;
using core::Json;

namespace {

const Clock::time_point g_start = Clock::now();

/// With APP_BENCH_PHASES set, a child says on stderr when it reached each phase.
void phase(const char* name) {
    static const bool on = qEnvironmentVariableIsSet("APP_BENCH_PHASES");
    if (on) std::fprintf(stderr, "phase %8.1f ms  %s\n", ms(Clock::now() - g_start), name);
}

/// CPU time of the whole process (every thread), in ms: on a shared, loaded machine a
/// steadier figure than wall time.
double cpuMs() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// The process's resident set, in MiB (VmRSS).
double rssMiB() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return -1;
}

/// Runs the event loop until `done()` (checked every millisecond: the figures are in
/// milliseconds, so the 10 ms step of test::waitUntil is too coarse here).
bool waitFine(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto end = Clock::now() + timeout;
    QEventLoop loop;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (done() || Clock::now() > end) loop.quit();
    });
    if (done()) return true;
    tick.start();
    loop.exec();
    return done();
}

/// The first object of type T below `root`, through QObject children and Qt Quick's
/// visual children (a Loader's page is the latter).
template <class T>
T* findBelow(QObject* root) {
    if (auto* t = qobject_cast<T*>(root)) return t;
    for (QObject* child : root->children())
        if (T* t = findBelow<T>(child)) return t;
    if (auto* item = qobject_cast<QQuickItem*>(root))
        for (QQuickItem* child : item->childItems())
            if (T* t = findBelow<T>(child)) return t;
    return nullptr;
}

// ---- child processes ---------------------------------------------------------------------

/// Runs this executable with `args`; returns its exit status, its stdout in `out`, and
/// the wall time from spawn to its first line of output in `firstLineMs`.
int runSelf(const std::vector<std::string>& args, std::string* out, double* firstLineMs = nullptr) {
    std::vector<std::string> command{"/proc/self/exe"};
    command.insert(command.end(), args.begin(), args.end());
    const auto t0 = Clock::now();
    return test::runCapture(command, nullptr, out, [&] {
        if (firstLineMs) *firstLineMs = ms(Clock::now() - t0);
    });
}

/// The app's own set-up (client/app/exe/main.cpp): style, fonts, controller, Main.qml.
struct AppUnderTest {
    app::AppController controller;
    QQmlApplicationEngine engine;
    QQuickWindow* window = nullptr;

    explicit AppUnderTest(const QString& replicaDir) {
        QQuickStyle::setStyle(QStringLiteral("Material"));
        QFont font = QGuiApplication::font();
        font.setFamilies({QStringLiteral("Noto Sans"), QStringLiteral("Noto Sans CJK SC"), font.family()});
        QGuiApplication::setFont(font);
        app::AppOptions options;
        options.replicaDir = replicaDir;
        phase("QGuiApplication, style");
        // As the tandem executable does: the replica opens while Main.qml loads.
        QObject::connect(&controller, &app::AppController::openFailed, [replicaDir](const QString& message) {
            die("open " + replicaDir.toStdString() + ": " + message.toStdString());
        });
        controller.start(options);
        phase("AppController::start");
        engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
        engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Tandem/Main.qml")));
        if (engine.rootObjects().isEmpty()) die("Main.qml did not load");
        phase("Main.qml loaded");
        window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
        if (!window) die("Main.qml's root is not a window");
    }
};

/// Arms on the GUI thread when `ready()` holds just before a frame is synchronised
/// (afterAnimating); the next frame swapped after that is the first that shows it.
class FrameWatch {
public:
    FrameWatch(QQuickWindow* window, std::function<bool()> ready) : m_ready(std::move(ready)) {
        QObject::connect(window, &QQuickWindow::afterAnimating, window, [this] {
            if (!m_armed && m_ready()) m_armed = true;
        });
        QObject::connect(
            window, &QQuickWindow::frameSwapped, window,
            [this] {
                ++m_frames;
                if (m_armed && !m_shown) {
                    m_shownAt = Clock::now();
                    m_shown = true;
                }
            },
            Qt::DirectConnection);
    }
    bool shown() const { return m_shown; }
    int frames() const { return m_frames; }
    Clock::time_point shownAt() const { return m_shownAt; }

private:
    std::function<bool()> m_ready;
    std::atomic<bool> m_armed{false}, m_shown{false};
    std::atomic<int> m_frames{0};
    Clock::time_point m_shownAt;
};

bool settle(app::AppController& app, std::chrono::milliseconds timeout) {
    return test::waitUntil([&] { return !app.busy(); }, timeout) &&
           test::waitUntil(
               [&] {
                   QEventLoop loop;
                   QTimer::singleShot(100, &loop, &QEventLoop::quit);
                   loop.exec();
                   return !app.busy();
               },
               timeout);
}

/// `--plan-open DIR PLAN N`: My work shown and settled, then openPlan(PLAN); prints
/// "ms rss_mib".
int childPlanOpen(const QString& dir, const QString& plan, int rows) {
    AppUnderTest app(dir);
    FrameWatch first(app.window, [] { return true; });
    if (!test::waitUntil([&] { return first.shown(); }) || !settle(app.controller, std::chrono::seconds(60)))
        die("the app did not settle on My work");
    app::PlanModel* model = nullptr;
    FrameWatch watch(app.window, [&] {
        if (!model) model = findBelow<app::PlanModel>(app.window);
        return model && model->planId() == plan && model->tasks()->rowCount() == rows;
    });
    const auto t0 = Clock::now();
    const double cpu0 = cpuMs();
    app.controller.openPlan(plan);
    if (!waitFine([&] { return watch.shown(); }, std::chrono::seconds(60)))
        die("the plan's " + std::to_string(rows) + " tasks were never shown");
    const double cpu = cpuMs() - cpu0;
    // RSS as the app stays on the plan: settled, and past the worker's idle trim.
    if (!settle(app.controller, std::chrono::seconds(60))) die("the app did not settle on the plan");
    QEventLoop idle;
    QTimer::singleShot(500, &idle, &QEventLoop::quit);
    idle.exec();
    std::printf("%.2f %.1f %.1f\n", ms(watch.shownAt() - t0), rssMiB(), cpu);
    std::fflush(stdout);
    std::_Exit(0);  // the figure is out; the teardown is not measured
}

/// `--cold-start DIR`: prints when My work shows rows (or, on an empty replica, when the
/// first frame is swapped). The parent times spawn → this line.
int childColdStart(const QString& dir, bool expectRows) {
    AppUnderTest app(dir);
    app::MyTasksModel* tasks = nullptr;
    FrameWatch watch(app.window, [&] {
        if (!expectRows) return true;
        if (!tasks) tasks = findBelow<app::MyTasksModel>(app.window);
        return tasks && tasks->rowCount() > 0;
    });
    QObject::connect(app.window, &QQuickWindow::frameSwapped, app.window, [] { phase("frame"); });
    if (!waitFine([&] { return watch.shown(); }, std::chrono::seconds(120))) die("My work never showed its rows");
    std::printf("%d %.1f\n", tasks ? tasks->rowCount() : 0, cpuMs());
    std::fflush(stdout);
    std::_Exit(0);
}

/// Longest gap between ticks of a 5 ms timer on the GUI thread, while running.
class StallMeter {
public:
    StallMeter() {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const auto now = Clock::now();
            const double gap = ms(now - m_last);
            m_max = std::max(m_max, gap);
            m_last = now;
            if (gap > 20) phase(("gap of " + std::to_string(static_cast<int>(gap)) + " ms ends").c_str());
        });
    }
    void start() {
        m_max = 0;
        m_last = Clock::now();
        m_timer.start();
    }
    double stop() {
        m_timer.stop();
        return std::max(m_max, ms(Clock::now() - m_last));
    }

private:
    QTimer m_timer;
    Clock::time_point m_last;
    double m_max = 0;
};

/// `--pull-stall URL USER`: a fresh replica, Main.qml on the sign-in page; the longest
/// GUI-thread gap while idle, then while signing in and pulling until settled. Prints
/// "idle_ms pull_ms pull_duration_ms".
int childPullStall(const QString& url, const QString& user) {
    test::TempDir dir;
    AppUnderTest app(QString::fromStdString(dir.path()));
    FrameWatch first(app.window, [] { return true; });
    if (!test::waitUntil([&] { return first.shown(); }) || !settle(app.controller, std::chrono::seconds(30)))
        die("the sign-in page did not settle");
    StallMeter meter;
    const auto t0 = Clock::now();
    meter.start();
    app.controller.signIn(url, user, QStringLiteral("tandem-demo"));
    phase("signIn called");
    if (!waitFine([&] { return app.controller.signedIn() && !app.controller.signingIn(); }, std::chrono::seconds(120)))
        die("sign-in failed: " + app.controller.signInError().toStdString());
    phase("signed in");
    if (!settle(app.controller, std::chrono::seconds(300))) die("the first pull did not end");
    const double pullStall = meter.stop();
    phase("settled");
    const double pullMs = ms(Clock::now() - t0);
    // Baseline: the same meter, the same length of time, nothing to do.
    meter.start();
    QEventLoop idle;
    QTimer::singleShot(static_cast<int>(std::clamp(pullMs, 1000.0, 10000.0)), &idle, &QEventLoop::quit);
    idle.exec();
    const double idleStall = meter.stop();
    std::printf("%.2f %.2f %.0f %lld\n", idleStall, pullStall, pullMs,
                static_cast<long long>(app.controller.service()->state().cursor));
    std::fflush(stdout);
    std::_Exit(0);
}

// ---- data --------------------------------------------------------------------------------

std::unique_ptr<client::ClientService> signedInService(const std::string& dir, const std::string& url,
                                                       const std::string& user) {
    client::ServiceOptions options;
    options.replicaDir = dir;
    auto service = must(client::ClientService::open(std::move(options)), "open replica");
    must(service->login(url, user, "tandem-demo").get(), "login");
    must(service->syncNow().get(), "first sync");
    return service;
}

struct DemoIds {
    core::EntityId plan, task, member;
};

DemoIds demoIds(client::ClientService& service) {
    return service
        .call([](client::Context& ctx) {
            DemoIds ids;
            ids.member = *core::EntityId::parse(ctx.session()->member);
            std::string sales;
            const auto departments = must(ctx.replica().entities("department"), "read departments");
            const auto plans = must(ctx.replica().entities("plan"), "read plans");
            const auto tasks = must(ctx.replica().entities("task"), "read tasks");
            for (const auto& d : departments)
                if (d.get("code") == Json("SALES")) sales = d.id.hex();
            for (const auto& p : plans)
                if (p.get("title") == Json("Q3 新品推广")) ids.plan = p.id;
            // The first SALES task in WBS order, not in id order: ids are random per server
            // run, and the copied task's dates and warnings set what a plan of 2,000
            // copies costs (its rules, My work's rows).
            long best = 0;
            for (const auto& t : tasks) {
                if (t.get("lead_department") != Json(sales) || t.deleted()) continue;
                const Json& key = t.get("sort_key");
                const long k = key.is_string() ? std::atol(key.get<std::string>().c_str()) : 0;
                if (best == 0 || k < best) {
                    best = k;
                    ids.task = t.id;
                }
            }
            return ids;
        })
        .get();
}

/// `entries` progress entries (5 ops each) on the demo task, written locally in batches.
void writeProgress(client::ClientService& service, const DemoIds& ids, int entries, int from) {
    must(service
             .call([&](client::Context& ctx) -> core::Status {
                 std::vector<core::Replica::EntityWrite> batch;
                 for (int i = 0; i < entries; ++i) {
                     batch.push_back({ctx.replica().newEntityId(),
                                      "progress_entry",
                                      {{"plan", ids.plan.hex()},
                                       {"task", ids.task.hex()},
                                       {"author", ids.member.hex()},
                                       {"percent", (from + i) % 101},
                                       {"note", "批量进度 " + std::to_string(from + i) + "：门店回访完成"}}});
                     if (batch.size() == 500 || i + 1 == entries) {
                         if (auto w = ctx.replica().write(batch); !w) return w.error();
                         batch.clear();
                     }
                 }
                 return {};
             })
             .get(),
         "write progress entries");
}

/// A copy of the demo plan with `tasks` copies of one of its tasks (local, pending).
core::EntityId writeSyntheticPlan(client::ClientService& service, const DemoIds& ids, int tasks) {
    return service
        .call([&](client::Context& ctx) {
            auto& replica = ctx.replica();
            const auto plan = must(replica.entity(ids.plan), "read plan");
            const auto task = must(replica.entity(ids.task), "read task");
            if (!plan || !task) die("no demo plan or task");
            const core::EntityId planId = replica.newEntityId();
            std::vector<core::Replica::EntityWrite> writes;
            core::Replica::EntityWrite p{planId, "plan", {}};
            for (const auto& [field, value] : plan->fields)
                p.fields.emplace_back(field,
                                      field == "title" ? Json("基准计划 " + std::to_string(tasks)) : value.value);
            writes.push_back(std::move(p));
            for (int i = 0; i < tasks; ++i) {
                core::Replica::EntityWrite t{replica.newEntityId(), "task", {}};
                for (const auto& [field, value] : task->fields) {
                    if (field.rfind("predecessors.", 0) == 0) continue;
                    if (field == "plan")
                        t.fields.emplace_back(field, planId.hex());
                    else if (field == "name")
                        t.fields.emplace_back(field, "基准任务 " + std::to_string(i + 1));
                    else if (field == "sort_key")
                        t.fields.emplace_back(field, std::to_string(i + 1));
                    else if (field == "percent")
                        t.fields.emplace_back(field, i % 101);
                    else
                        t.fields.emplace_back(field, value.value);
                }
                writes.push_back(std::move(t));
            }
            must(replica.write(writes), "write synthetic plan");
            return planId;
        })
        .get();
}

std::vector<double> numbers(const std::string& line) {
    std::istringstream in(line);
    std::vector<double> v;
    for (double d; in >> d;) v.push_back(d);
    return v;
}

std::vector<double> child(const std::vector<std::string>& args, std::size_t count, double* firstLineMs = nullptr) {
    std::string out;
    const int status = runSelf(args, &out, firstLineMs);
    auto v = numbers(out);
    if (status != 0 || v.size() < count)
        die("child " + args.front() + " failed (status " + std::to_string(status) + "): " + out);
    return v;
}

const char* met(bool ok) {
    return ok ? "yes" : "**no**";
}

}  // namespace

int main(int argc, char** argv) {
    g_benchName = "app_bench";
    app::configureProcess();  // as the tandem executable's main()
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication application(argc, argv);
    const QStringList args = QGuiApplication::arguments();
    if (args.size() == 5 && args[1] == QLatin1String("--plan-open"))
        return childPlanOpen(args[2], args[3], args[4].toInt());
    if (args.size() == 4 && args[1] == QLatin1String("--cold-start"))
        return childColdStart(args[2], args[3] == QLatin1String("rows"));
    if (args.size() == 4 && args[1] == QLatin1String("--pull-stall")) return childPullStall(args[2], args[3]);
    int rounds = 60, repeat = 3;
    QString keep;  // --keep DIR: the replicas go there and stay (to profile a child by hand)
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--rounds"))
            rounds = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--repeat"))
            repeat = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--keep"))
            keep = args[i + 1];
        else
            die("usage: app_bench [--rounds N] [--repeat N] [--keep DIR]");
    }

    test::TempDir tmp;
    test::DemoServerProcess server;
    if (!server.started()) die("the demo server did not start");
    const std::string url = server.url().toStdString();

    // ---- 4. progress on A → B's PlanModel, both online via /live -------------------------
    std::vector<double> latencies;
    bool bLive = false;
    {
        client::ServiceOptions aOptions;
        aOptions.replicaDir = tmp.path() + "/latency-a";
        auto a = must(client::ClientService::open(std::move(aOptions)), "open A");
        must(a->login(url, "sales.li", "tandem-demo").get(), "login A");
        must(a->syncNow().get(), "sync A");
        a->setWatching(true);
        const DemoIds ids = demoIds(*a);
        test::SignedInApp b(server, QStringLiteral("sales.wang"));
        app::PlanModel plan;
        plan.setPlanId(QString::fromStdString(ids.plan.hex()));
        if (!test::waitUntil([&] { return plan.loaded(); })) die("B's plan did not load");
        if (!test::waitUntil([&] { return b.app().service()->state().live && a->state().live; }))
            die("A and B are not both on /live");
        for (int i = 0; i < rounds; ++i) {
            if (!b.settle()) die("B did not settle");
            const int before = plan.progress()->rowCount();
            const auto t0 = Clock::now();
            client::ProgressReport report{ids.task, 10 + i % 80, "基准轮次 " + std::to_string(i), {}, {}, {}};
            // What AppController::logProgress runs on its worker, then its localChange().
            must(a->call([&](client::Context& ctx) { return client::logProgress(ctx, report); }).get(), "log progress");
            a->localChange();
            if (!waitFine([&] { return plan.progress()->rowCount() > before; }, std::chrono::seconds(30)))
                die("B never saw round " + std::to_string(i));
            latencies.push_back(ms(Clock::now() - t0));
        }
        bLive = b.app().service()->state().live;
    }

    // ---- the bulk writer (sales.li) and a replica for the synthetic plans ------------------
    const std::string base = keep.isEmpty() ? tmp.path() : keep.toStdString();
    const std::string liDir = base + "/li", planDir = base + "/plans";
    auto li = signedInService(liDir, url, "sales.li");
    const DemoIds ids = demoIds(*li);
    auto plans = signedInService(planDir, url, "sales.head");

    // ---- 3. a fresh replica pulls 10,000 extra ops -----------------------------------------
    writeProgress(*li, ids, 2000, 0);
    const auto push1 = must(li->syncNow().get(), "push 10,000 ops");
    if (push1.accepted != 10000) die("not every op of the first bulk was accepted");
    const auto stall = child({"--pull-stall", url, "sales.wang"}, 4);

    // ---- 2. sales.li's replica grows to 100,000+ ops --------------------------------------
    writeProgress(*li, ids, 18000, 2000);
    const auto push2 = must(li->syncNow().get(), "push 90,000 ops");
    if (push2.accepted != 90000) die("not every op of the second bulk was accepted");
    const auto liOps = li->call([](client::Context& ctx) {
                             auto n = ctx.replica().db().prepare("SELECT count(*) FROM ops");
                             if (!n) return std::int64_t{-1};
                             (*n)->reset();
                             auto row = (*n)->step();
                             const std::int64_t count = row && *row ? (*n)->getInt(0) : -1;
                             (*n)->reset();
                             return count;
                         }).get();
    li.reset();

    // ---- 1. synthetic plans, local and pending (the server is stopped first, so the
    // app opens them offline and nothing pushes them) ------------------------------------------
    if (server.stop() != 0) die("the server did not exit 0");
    const DemoIds headIds = demoIds(*plans);
    const core::EntityId small = writeSyntheticPlan(*plans, headIds, 20);
    const core::EntityId large = writeSyntheticPlan(*plans, headIds, 2000);
    plans.reset();

    std::vector<double> openSmall, openLarge, rssSmall, rssLarge, cpuSmall, cpuLarge, coldEmpty, coldFull, coldCpuEmpty,
        coldCpuFull;
    for (int r = 0; r < repeat; ++r) {
        auto s = child({"--plan-open", planDir, small.hex(), "20"}, 3);
        openSmall.push_back(s[0]);
        rssSmall.push_back(s[1]);
        cpuSmall.push_back(s[2]);
        auto l = child({"--plan-open", planDir, large.hex(), "2000"}, 3);
        openLarge.push_back(l[0]);
        rssLarge.push_back(l[1]);
        cpuLarge.push_back(l[2]);
        test::TempDir empty;
        double t = 0;
        coldCpuEmpty.push_back(child({"--cold-start", empty.path(), "first-frame"}, 2, &t)[1]);
        coldEmpty.push_back(t);
        coldCpuFull.push_back(child({"--cold-start", liDir, "rows"}, 2, &t)[1]);
        coldFull.push_back(t);
    }

    const double p50 = percentile(latencies, 0.5), p95 = percentile(latencies, 0.95);
    const double open2k = median(openLarge), open20 = median(openSmall);
    const double cpu2k = median(cpuLarge), cpu20 = median(cpuSmall);
    const double rss2k = median(rssLarge), rss20 = median(rssSmall);
    const double cold = median(coldFull), coldBase = median(coldEmpty);
    const double coldCpu = median(coldCpuFull), coldCpuBase = median(coldCpuEmpty);
    if (!keep.isEmpty())
        std::printf("kept: %s (plans %s: 20 tasks, %s: 2000 tasks)\n", base.c_str(), small.hex().c_str(),
                    large.hex().c_str());
    std::printf("app_bench (offscreen; medians of %d runs for the child-process figures; CPU: the whole process's)\n\n",
                repeat);
    std::printf("| figure | app | baseline | app/baseline | goal | met |\n|---|---|---|---|---|---|\n");
    std::printf(
        "| open a plan of 2,000 tasks → first frame with its rows (baseline: 20 tasks) | %.0f ms (CPU %.0f ms) | "
        "%.0f ms (CPU %.0f ms) | %.1f (CPU %.1f) | < 300 ms | %s |\n",
        open2k, cpu2k, open20, cpu20, open2k / open20, cpu2k / cpu20, met(open2k < 300));
    std::printf("| RSS showing it, idle | %.0f MiB | %.0f MiB | %.2f | < 150 MB | %s |\n", rss2k, rss20, rss2k / rss20,
                met(rss2k * 1.048576 < 150));
    std::printf(
        "| cold start → My work with rows, %lld-op replica (baseline: empty replica, first frame) | %.0f ms (CPU "
        "%.0f ms) | %.0f ms (CPU %.0f ms) | %.2f (CPU %.2f) | < 1 s | %s |\n",
        static_cast<long long>(liOps), cold, coldCpu, coldBase, coldCpuBase, cold / coldBase, coldCpu / coldCpuBase,
        met(cold < 1000));
    std::printf(
        "| longest GUI-thread gap (5 ms timer) while signing in and pulling 10,000 extra ops (to cursor %lld, "
        "%.1f s) (baseline: idle as long) | %.1f ms | %.1f ms | %.1f | < 50 ms | %s |\n",
        static_cast<long long>(stall[3]), stall[2] / 1000.0, stall[1], stall[0], stall[1] / stall[0],
        met(stall[1] < 50));
    std::printf("| progress on A → in B's PlanModel (%s), p50 over %d rounds | %.1f ms | | | | |\n",
                bLive ? "/live" : "NOT live", rounds, p50);
    std::printf("| …p95 | %.1f ms | | | < 50 ms | %s |\n", p95, met(p95 < 50));
    std::fflush(stdout);
    return 0;
}
