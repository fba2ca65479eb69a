#pragma once
// The app's adaptor under test, for real: a demo tandem-server process on 127.0.0.1:0,
// a replica in a temporary folder, and the AppController signed in to that server and
// synced — the same objects the app runs, without a window. Helpers wait for what the
// worker thread delivers by running the event loop until a condition holds (never a
// blind sleep). Catch-free, so the Qt Quick tests use it too.

#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app_controller.h"
#include "server_process.h"

namespace tandem::test {

/// Runs the event loop until `done()` or the timeout; returns done().
bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// A demo server of its own, started on construction and stopped on destruction.
class DemoServerProcess {
public:
    explicit DemoServerProcess(std::vector<std::pair<std::string, std::string>> env = {});
    ~DemoServerProcess();
    bool started() const { return m_process && m_process->started(); }
    QString url() const;
    /// Stops it (SIGTERM; returns the exit status) and starts it again on the same port.
    int stop();
    bool restart();
    const std::string& dataDir() const { return m_dir.path(); }

private:
    TempDir m_dir;
    std::vector<std::pair<std::string, std::string>> m_env;
    std::unique_ptr<ServerProcess> m_process;
    std::uint16_t m_port = 0;
};

/// An AppController on a fresh replica folder, signed in as `username` (demo password)
/// and synced once, or left signed out.
class SignedInApp {
public:
    SignedInApp(const DemoServerProcess& server, const QString& username, const QString& language = QStringLiteral("en"));
    /// Not signed in: the sign-in page, an empty replica.
    explicit SignedInApp(const QString& language = QStringLiteral("en"));
    ~SignedInApp();

    app::AppController& app() { return *m_app; }
    QString replicaDir() const { return QString::fromStdString(m_dir.path()); }
    /// Waits until no work is pending on the worker and no sync runs.
    bool settle(std::chrono::milliseconds timeout = std::chrono::seconds(60));
    /// Syncs now and waits for it to end.
    bool syncAndSettle();
    /// The member id of a demo username, from the replica.
    QString memberId(const QString& username);
    /// The entity id of the demo department `code` (e.g. "SVC"), from the replica.
    QString departmentId(const QString& code);
    /// The first demo task led by the department `code`.
    QString taskLedBy(const QString& code);
    /// The demo plan "Q3 新品推广".
    QString demoPlan();

private:
    TempDir m_dir;
    std::unique_ptr<app::AppController> m_app;
};

/// Runs `command` (its first word a path) with `environment` (null: this process's),
/// stdin from /dev/null; returns its exit status (128 + signal when killed; -1 when it
/// could not start) and its standard output in `out`. `onFirstLine` runs as the first
/// line of output arrives (a child's "ready" signal).
int runCapture(const std::vector<std::string>& command, const std::vector<std::string>* environment, std::string* out,
               const std::function<void()>& onFirstLine = {});

/// Runs tandem-cli with `args` on `replicaDir` (TANDEM_PASSWORD = tandem-demo); returns
/// its exit status, and its stdout in `out`.
int runCli(const std::string& replicaDir, const std::vector<std::string>& args, std::string* out = nullptr);

}  // namespace tandem::test
