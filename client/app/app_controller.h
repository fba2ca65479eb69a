#pragma once
// AppController: the app's one C++ owner of state (DESIGN §2, STYLE: C++ owns state,
// QML binds and calls intents). It owns the ClientService (whose worker thread does
// every SQLite write and all network I/O), the session, navigation, the language and
// the sync status, and turns the user's intents — sign in, log progress, sign off,
// restore a value — into work on the worker, with the outcome reported back on the GUI
// thread (actionFinished). It tells every live model what a sync or an edit changed.
//
// Thread contract: lives on the GUI thread; never waits on the worker (no future is
// ever waited on here). Callbacks from the worker arrive as queued calls.
// QML gets the one instance through AppControllerForeign (a singleton with C++
// ownership, created before any QML loads).

#include <QtQml/qqmlregistration.h>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJSEngine>
#include <QLocale>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSize>
#include <QStringList>
#include <QTranslator>

#include <functional>
#include <memory>
#include <vector>

#include "sync_status.h"

/// "tandem.app.jobs": each job the worker runs for a model — who asked, how long it
/// queued and ran (QT_LOGGING_RULES="tandem.app.jobs.debug=true").
Q_DECLARE_LOGGING_CATEGORY(lcJobs)
#include "tandem/client/client_service.h"
#include "tandem/core/rules.h"

namespace tandem::app {

class ChangeListener;

/// What the app was started with (DESIGN §5c).
struct AppOptions {
    QString replicaDir;    // the replica folder (default: tandem-cli's)
    QString server, user;  // sign in at start, password from TANDEM_PASSWORD
    QString language;      // "en", "zh_CN", or "" to follow the system
    QString page;          // the page to open first (my-work, plans, plan:<id>, …)
    QString screenshot;    // save the window here once the page shows its data, then exit
    QSize size;            // the window; invalid: the default
};

class AppController : public QObject {
    Q_OBJECT
    Q_PROPERTY(Session session READ session NOTIFY sessionChanged)
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY sessionChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY sessionChanged)
    Q_PROPERTY(QString username READ username NOTIFY sessionChanged)
    Q_PROPERTY(QString server READ server NOTIFY sessionChanged)
    Q_PROPERTY(QString memberId READ memberId NOTIFY sessionChanged)
    Q_PROPERTY(QString departmentName READ departmentName NOTIFY sessionChanged)
    Q_PROPERTY(bool isHead READ isHead NOTIFY sessionChanged)
    Q_PROPERTY(bool isHq READ isHq NOTIFY sessionChanged)
    Q_PROPERTY(bool signingIn READ signingIn NOTIFY signingInChanged)
    Q_PROPERTY(QString signInError READ signInError NOTIFY signInErrorChanged)
    Q_PROPERTY(QString page READ page NOTIFY pageChanged)
    Q_PROPERTY(QString planId READ planId NOTIFY pageChanged)
    Q_PROPERTY(bool canGoBack READ canGoBack NOTIFY pageChanged)
    Q_PROPERTY(QString language READ language NOTIFY languageChanged)
    Q_PROPERTY(bool languageFollowsSystem READ languageFollowsSystem NOTIFY languageChanged)
    Q_PROPERTY(QString localeName READ localeName NOTIFY languageChanged)
    Q_PROPERTY(SyncStatus* sync READ sync CONSTANT)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString replicaDir READ replicaDir CONSTANT)
    Q_PROPERTY(QString defaultServer READ defaultServer CONSTANT)

public:
    enum Session { SignedOut, SignedIn, SignInRequired };
    Q_ENUM(Session)

    explicit AppController(QObject* parent = nullptr);
    ~AppController() override;

    /// The one instance (null before one is created, or after it is gone).
    static AppController* instance();

    /// Starts the worker, which opens the replica folder first, and returns at once: the
    /// window is built while the replica opens (its models' loads queue behind the
    /// open). The first page follows the stored session (session.json, read here), so
    /// with one the app opens on My work (offline too) and keeps in sync; with
    /// options.server/user, it signs in. A failed open is reported by openFailed.
    void start(const AppOptions& options, client::ServiceOptions service = {});
    /// start(), then waits for the open: for tests and tools that need it done.
    core::Status open(const AppOptions& options, client::ServiceOptions service = {});

    Session session() const { return m_session; }
    bool signedIn() const { return m_session != SignedOut; }
    QString displayName() const { return m_displayName; }
    QString username() const { return m_username; }
    QString server() const { return m_server; }
    QString memberId() const { return m_memberId; }
    QString departmentName() const { return m_departmentName; }
    bool isHead() const { return m_isHead; }
    bool isHq() const { return m_isHq; }
    bool signingIn() const { return m_signingIn; }
    QString signInError() const { return m_signInError; }
    QString page() const { return m_pages.isEmpty() ? QString() : m_pages.last().first; }
    QString planId() const { return m_pages.isEmpty() ? QString() : m_pages.last().second; }
    bool canGoBack() const { return m_pages.size() > 1; }
    QString language() const { return m_language; }
    bool languageFollowsSystem() const { return m_followSystem; }
    QString localeName() const {
        return m_language == QLatin1String("zh_CN") ? QStringLiteral("zh_CN") : QStringLiteral("en_US");
    }
    core::Language coreLanguage() const;
    SyncStatus* sync() { return &m_sync; }
    bool busy() const { return m_jobs > 0 || m_sync.syncing(); }
    QString replicaDir() const { return m_replicaDir; }
    QString defaultServer() const;

    // ---- intents (QML calls these) -------------------------------------------------
    Q_INVOKABLE void signIn(const QString& server, const QString& username, const QString& password);
    /// Signs out (the token is forgotten; local data stays). QML asks first when edits
    /// are pending (sync.pending).
    Q_INVOKABLE void signOut();
    Q_INVOKABLE void syncNow();
    /// Opens a page: my-work, plans, plan:<id>, approvals, conflicts, rejected, hq,
    /// settings, sign-in. Top-level pages replace the stack; a plan is pushed on it.
    Q_INVOKABLE void openPage(const QString& page);
    Q_INVOKABLE void openPlan(const QString& planId);
    Q_INVOKABLE void back();
    /// "en", "zh_CN", or "" to follow the system; switches at run time.
    Q_INVOKABLE void setLanguage(const QString& language);

    /// Logs progress on a task: an entry and the task's percent (DESIGN §1: the field's
    /// three taps). Saved locally and queued for the server.
    Q_INVOKABLE void logProgress(const QString& taskId, int percent, const QString& note, const QString& problem,
                                 const QString& solution, const QString& nextStep);
    /// A task's execution fields from the plan page: percent < 0, status "" and
    /// actualFinish "-" leave a field as it is; actualFinish "" clears it.
    Q_INVOKABLE void updateTask(const QString& taskId, int percent, const QString& status, const QString& actualFinish,
                                const QString& note);
    /// Signs a plan or change request (approve, reject, acknowledge) after checking the
    /// password against the stored verifier, offline too.
    Q_INVOKABLE void signOff(const QString& subjectId, const QString& meaning, const QString& comment,
                             const QString& password);
    /// Writes a lost value back (a conflict's "restore"): `valueJson` is the value as JSON.
    Q_INVOKABLE void restoreValue(const QString& entityId, const QString& field, const QString& valueJson);
    /// Keeps the current value of a conflict and hides it.
    Q_INVOKABLE void dismissConflict(const QString& lostOpId);

    // ---- for models and tests ------------------------------------------------------
    /// Runs `job` on the worker and `done` with its result on the GUI thread — unless
    /// `receiver` is gone by then. Counts as busy meanwhile.
    template <class R>
    void runOnWorker(QObject* receiver, std::function<R(client::Context&)> job, std::function<void(R&)> done);
    /// `listener` (part of `owner`) hears of every change until `owner` is destroyed.
    void listen(QObject* owner, ChangeListener* listener);
    /// The rules' inputs as of now on the worker's replica (worker thread only).

    /// A failure as the user reads it, in the current language.
    static QString messageFor(const core::Error& error);
    /// Tells every live model and view what changed (also what a test's own write changed).
    void notifyChanged(const client::ChangeSet& changes);
    client::ClientService* service() { return m_service.get(); }

signals:
    void sessionChanged();
    void signingInChanged();
    void signInErrorChanged();
    void pageChanged();
    /// The replica could not be opened (start()): the app cannot run on it.
    void openFailed(const QString& message);
    void languageChanged();
    void busyChanged();
    /// An intent finished: `action` is its name ("logProgress", "signOff", …),
    /// `subject` the entity it was about; `message` says why when !ok.
    void actionFinished(const QString& action, const QString& subject, bool ok, const QString& message);

private:
    void jobStarted();
    void jobFinished();
    void applyState(const client::ServiceState& state);
    void refreshSession();
    void setSignInError(const QString& error);
    void installTranslator();
    /// Runs a write intent: `write` on the worker returns the plan it changed (or an
    /// error); then models are told and the outcome is reported.
    void runWrite(const QString& action, const QString& subject,
                  std::function<core::Result<std::optional<core::EntityId>>(client::Context&)> write);

    std::unique_ptr<client::ClientService> m_service;
    SyncStatus m_sync;
    std::vector<std::pair<QPointer<QObject>, ChangeListener*>> m_listeners;
    int m_jobs = 0;

    Session m_session = SignedOut;
    QString m_displayName, m_username, m_server, m_memberId, m_departmentName;
    bool m_isHead = false, m_isHq = false;
    bool m_signingIn = false;
    QString m_signInError;
    QList<QPair<QString, QString>> m_pages;  // (page, plan id) stack
    QString m_language = QStringLiteral("en");
    bool m_followSystem = true;
    QTranslator m_translator;
    QString m_replicaDir;
};

template <class R>
void AppController::runOnWorker(QObject* receiver, std::function<R(client::Context&)> job,
                                std::function<void(R&)> done) {
    jobStarted();
    QPointer<QObject> target(receiver);
    QPointer<AppController> self(this);
    QElapsedTimer queued;
    queued.start();
    const char* who = receiver ? receiver->metaObject()->className() : "-";
    m_service->post([job = std::move(job), done = std::move(done), target, self, queued, who](client::Context& ctx) {
        const qint64 waited = queued.elapsed();
        auto result = std::make_shared<R>(job(ctx));
        qCDebug(lcJobs, "%s: queued %lld ms, ran %lld ms", who, static_cast<long long>(waited),
                static_cast<long long>(queued.elapsed() - waited));
        // Back on the GUI thread: qApp outlives every controller and model.
        QMetaObject::invokeMethod(
            qApp,
            [done, target, self, result] {
                if (target) done(*result);
                if (self) self->jobFinished();
            },
            Qt::QueuedConnection);
    });
}

/// Exposes the one AppController to QML as the singleton `AppController`.
struct AppControllerForeign {
    Q_GADGET
    QML_FOREIGN(AppController)
    QML_SINGLETON
    QML_NAMED_ELEMENT(AppController)

public:
    static AppController* create(QQmlEngine*, QJSEngine*) {
        AppController* app = AppController::instance();
        QJSEngine::setObjectOwnership(app, QJSEngine::CppOwnership);
        return app;
    }
};

}  // namespace tandem::app
