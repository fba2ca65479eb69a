#include "app_test_support.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <regex>

#include "tandem/client/views.h"
#include "tandem/core/permissions.h"

extern char** environ;

namespace tandem::test {

bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeout.count()) return done();
        // Run the event loop a little: the worker's results arrive as queued calls.
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

// ---- server ------------------------------------------------------------------------------

DemoServerProcess::DemoServerProcess(std::vector<std::pair<std::string, std::string>> env) : m_env(std::move(env)) {
    m_process = std::make_unique<ServerProcess>(ServerOptions{m_dir.path(), true, {}, m_env});
    if (m_process->started()) m_port = m_process->port();
}

DemoServerProcess::~DemoServerProcess() = default;

QString DemoServerProcess::url() const {
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

int DemoServerProcess::stop() {
    const int status = m_process ? m_process->stop() : -1;
    m_process.reset();
    return status;
}

bool DemoServerProcess::restart() {
    m_process = std::make_unique<ServerProcess>(
        ServerOptions{m_dir.path(), true, {"--listen", "127.0.0.1:" + std::to_string(m_port)}, m_env});
    return m_process->started();
}

// ---- app ---------------------------------------------------------------------------------

SignedInApp::SignedInApp(const QString& language) {
    m_app = std::make_unique<app::AppController>();
    app::AppOptions options;
    options.replicaDir = QString::fromStdString(m_dir.path());
    options.language = language;
    client::ServiceOptions service;
    service.pollInterval = std::chrono::milliseconds(500);
    if (auto s = m_app->open(options, std::move(service)); !s) throw std::runtime_error("open: " + s.error().message);
}

SignedInApp::SignedInApp(const DemoServerProcess& server, const QString& username, const QString& language)
    : SignedInApp(language) {
    m_app->signIn(server.url(), username, QStringLiteral("tandem-demo"));
    if (!waitUntil([&] { return !m_app->signingIn(); }) || !m_app->signInError().isEmpty())
        throw std::runtime_error("sign in: " + m_app->signInError().toStdString());
    if (!syncAndSettle()) throw std::runtime_error("the first sync did not finish");
}

SignedInApp::~SignedInApp() {
    m_app.reset();  // joins the worker before the folder goes
}

bool SignedInApp::settle(std::chrono::milliseconds timeout) {
    // Twice: a sync's end makes models reload, which is more work on the worker.
    return waitUntil([&] { return !m_app->busy(); }, timeout) &&
           waitUntil([&] {
               QEventLoop loop;
               QTimer::singleShot(50, &loop, &QEventLoop::quit);
               loop.exec();
               return !m_app->busy();
           }, timeout);
}

bool SignedInApp::syncAndSettle() {
    auto report = m_app->service()->syncNow();
    if (!waitUntil([&] { return report.wait_for(std::chrono::seconds(0)) == std::future_status::ready; },
                   std::chrono::seconds(120)))
        return false;
    return report.get() && settle();
}

namespace {

template <class R>
R onWorker(app::AppController& app, std::function<R(client::Context&)> job) {
    auto future = app.service()->call(std::move(job));
    waitUntil([&] { return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
    return future.get();
}

std::string fieldText(const core::Entity& e, const char* name) {
    const core::Json& v = e.get(name);
    return v.is_string() ? v.get<std::string>() : std::string();
}

}  // namespace

QString SignedInApp::memberId(const QString& username) {
    return onWorker<QString>(*m_app, [u = username.toStdString()](client::Context& ctx) {
        auto members = ctx.replica().entities("member");
        if (members)
            for (const core::Entity& m : *members)
                if (fieldText(m, "username") == u) return QString::fromStdString(m.id.hex());
        return QString();
    });
}

QString SignedInApp::departmentId(const QString& code) {
    return onWorker<QString>(*m_app, [c = code.toStdString()](client::Context& ctx) {
        auto departments = ctx.replica().entities("department");
        if (departments)
            for (const core::Entity& d : *departments)
                if (fieldText(d, "code") == c) return QString::fromStdString(d.id.hex());
        return QString();
    });
}

QString SignedInApp::taskLedBy(const QString& code) {
    return onWorker<QString>(*m_app, [c = code.toStdString()](client::Context& ctx) {
        auto departments = ctx.replica().entities("department");
        auto tasks = ctx.replica().entities("task");
        if (!departments || !tasks) return QString();
        for (const core::Entity& d : *departments) {
            if (fieldText(d, "code") != c) continue;
            for (const core::Entity& t : *tasks)
                if (fieldText(t, "lead_department") == d.id.hex() && !t.deleted()) return QString::fromStdString(t.id.hex());
        }
        return QString();
    });
}

QString SignedInApp::demoPlan() {
    return onWorker<QString>(*m_app, [](client::Context& ctx) {
        auto plans = ctx.replica().entities("plan");
        if (plans)
            for (const core::Entity& p : *plans)
                if (fieldText(p, "title") == "Q3 新品推广") return QString::fromStdString(p.id.hex());
        return QString();
    });
}

// ---- tandem-cli --------------------------------------------------------------------------

int runCapture(const std::vector<std::string>& command, const std::vector<std::string>* environment, std::string* out,
               const std::function<void()>& onFirstLine) {
    std::vector<std::string> all = command;
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env;
    if (environment) env = *environment;
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environment ? envp.data() : environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    std::string text;
    char buffer[4096];
    bool sawLine = false;
    for (ssize_t n; rc == 0 && ((n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR));) {
        if (n <= 0) continue;
        text.append(buffer, static_cast<std::size_t>(n));
        if (!sawLine && text.find('\n') != std::string::npos) {
            sawLine = true;
            if (onFirstLine) onFirstLine();
        }
    }
    ::close(pipeFds[0]);
    if (rc != 0) return -1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (out) *out = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int runCli(const std::string& replicaDir, const std::vector<std::string>& args, std::string* out) {
    std::vector<std::string> command{TANDEM_CLI_BIN, "--replica", replicaDir};
    command.insert(command.end(), args.begin(), args.end());
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
        if (std::string(*e).rfind("TANDEM_PASSWORD=", 0) != 0) env.emplace_back(*e);
    env.emplace_back("TANDEM_PASSWORD=tandem-demo");
    return runCapture(command, &env, out);
}

}  // namespace tandem::test
