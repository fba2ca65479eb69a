// Qt Quick tests of the app's pages (label `qml`), run offscreen: before any QML
// loads, the setup starts a real demo tandem-server, opens an AppController on a fresh
// replica and signs it in as TANDEM_TEST_USER (none: signed out), synced — Mozilla
// VPN's quick_test_main_with_setup habit. Tests reach the server and tandem-cli
// through the `TestBackend` singleton (module Tandem.Test).

#include <QtQml/qqmlextensionplugin.h>
#include <QQmlEngine>
#include <QtQuickTest>

#include <cstdlib>
#include <memory>

#include "app_test_support.h"

Q_IMPORT_QML_PLUGIN(Tandem_AppPlugin)
Q_IMPORT_QML_PLUGIN(TandemPlugin)

using namespace tandem::test;

/// What a QML test may ask of the world outside the app.
class TestBackend : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString serverUrl READ serverUrl CONSTANT)
    Q_PROPERTY(QString replicaDir READ replicaDir CONSTANT)

public:
    TestBackend(DemoServerProcess* server, SignedInApp* app) : m_server(server), m_app(app) {}
    QString serverUrl() const { return m_server->url(); }
    QString replicaDir() const { return m_app->replicaDir(); }

    /// Runs tandem-cli on a replica folder of its own (`name`): its exit status.
    Q_INVOKABLE int cli(const QString& name, const QStringList& args) {
        std::vector<std::string> all;
        for (const QString& a : args) all.push_back(a.toStdString());
        return runCli(folder(name), all);
    }
    /// tandem-cli's stdout for `args` on replica `name`.
    Q_INVOKABLE QString cliOutput(const QString& name, const QStringList& args) {
        std::vector<std::string> all;
        for (const QString& a : args) all.push_back(a.toStdString());
        std::string out;
        runCli(folder(name), all, &out);
        return QString::fromStdString(out);
    }
    Q_INVOKABLE bool syncAndSettle() { return m_app->syncAndSettle(); }
    Q_INVOKABLE bool settle() { return m_app->settle(); }
    Q_INVOKABLE QString taskLedBy(const QString& code) { return m_app->taskLedBy(code); }
    Q_INVOKABLE QString demoPlan() { return m_app->demoPlan(); }
    Q_INVOKABLE QString memberId(const QString& username) { return m_app->memberId(username); }
    Q_INVOKABLE QString departmentId(const QString& code) { return m_app->departmentId(code); }
    /// Holds (false) or resumes the app's own syncing, so that a test decides when the
    /// app's edits reach the server relative to another replica's (conflicts, rejections).
    Q_INVOKABLE void setWatching(bool watching) { m_app->app().service()->setWatching(watching); }
    Q_INVOKABLE int stopServer() { return m_server->stop(); }
    Q_INVOKABLE bool startServer() { return m_server->restart(); }

private:
    std::string folder(const QString& name) { return m_dir.path() + "/" + name.toStdString(); }
    DemoServerProcess* m_server;
    SignedInApp* m_app;
    TempDir m_dir;
};

class Setup : public QObject {
    Q_OBJECT

public slots:
    void applicationAvailable() {
        m_server = std::make_unique<DemoServerProcess>();
        if (!m_server->started()) qFatal("the demo tandem-server did not start");
        const QString user = qEnvironmentVariable("TANDEM_TEST_USER");
        const QString language = qEnvironmentVariable("TANDEM_TEST_LANG", QStringLiteral("en"));
        m_app = user.isEmpty() ? std::make_unique<SignedInApp>(language)
                               : std::make_unique<SignedInApp>(*m_server, user, language);
        m_backend = std::make_unique<TestBackend>(m_server.get(), m_app.get());
    }
    void qmlEngineAvailable(QQmlEngine* engine) {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));  // Qt 6.4 does not look there by itself
        qmlRegisterSingletonInstance("Tandem.Test", 1, 0, "TestBackend", m_backend.get());
        // As the app's main() does: a language switch re-evaluates every qsTr binding.
        QObject::connect(&m_app->app(), &tandem::app::AppController::languageChanged, engine, &QQmlEngine::retranslate);
    }
    void cleanupTestCase() {
        m_backend.reset();
        m_app.reset();
        m_server.reset();
    }

private:
    std::unique_ptr<DemoServerProcess> m_server;
    std::unique_ptr<SignedInApp> m_app;
    std::unique_ptr<TestBackend> m_backend;
};

QUICK_TEST_MAIN_WITH_SETUP(tandem_qml_tests, Setup)

#include "main.moc"
