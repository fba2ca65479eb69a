#include "app_controller.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <algorithm>
#include <cstdlib>

#include "change_listener.h"
#include "tandem/client/views.h"

Q_LOGGING_CATEGORY(lcApp, "tandem.app")
Q_LOGGING_CATEGORY(lcJobs, "tandem.app.jobs", QtWarningMsg)

namespace tandem::app {

namespace {

AppController* g_instance = nullptr;

const QStringList kTopPages = {QStringLiteral("my-work"),   QStringLiteral("plans"),    QStringLiteral("approvals"),
                               QStringLiteral("conflicts"), QStringLiteral("rejected"), QStringLiteral("hq"),
                               QStringLiteral("settings"),  QStringLiteral("sign-in")};

QString fromStd(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace

AppController::AppController(QObject* parent) : QObject(parent) {
    Q_ASSERT(!g_instance);
    g_instance = this;
}

AppController::~AppController() {
    m_service.reset();  // stops watching, cancels a transfer in flight, joins the worker
    if (g_instance == this) g_instance = nullptr;
}

AppController* AppController::instance() {
    return g_instance;
}

core::Language AppController::coreLanguage() const {
    return m_language == QLatin1String("zh_CN") ? core::Language::Chinese : core::Language::English;
}

QString AppController::defaultServer() const {
    if (!m_server.isEmpty()) return m_server;
    return QStringLiteral("http://127.0.0.1:8080");
}

core::Status AppController::open(const AppOptions& options, client::ServiceOptions service) {
    start(options, std::move(service));
    return m_service->opened().get();
}

void AppController::start(const AppOptions& options, client::ServiceOptions service) {
    m_replicaDir = options.replicaDir.isEmpty() ? fromStd(client::defaultReplicaDir()) : options.replicaDir;
    m_followSystem = options.language.isEmpty();
    m_language = m_followSystem ? (QLocale::system().name().startsWith(QLatin1String("zh")) ? QStringLiteral("zh_CN")
                                                                                            : QStringLiteral("en"))
                                : options.language;
    installTranslator();

    // Callbacks come on the worker thread: each goes to the GUI thread as a queued call.
    QPointer<AppController> self(this);
    service.replicaDir = m_replicaDir.toStdString();
    service.onState = [self](const client::ServiceState& state) {
        QMetaObject::invokeMethod(
            qApp,
            [self, state] {
                if (self) self->applyState(state);
            },
            Qt::QueuedConnection);
    };
    service.onProgress = [self](const client::SyncProgress& progress) {
        QMetaObject::invokeMethod(
            qApp,
            [self, progress] {
                if (self) self->m_sync.setProgress(progress);
            },
            Qt::QueuedConnection);
    };
    service.onSynced = [self](const core::Result<client::SyncReport>& report) {
        client::ChangeSet changes;
        if (report) changes = report->changes;
        const bool signInAgain = !report && report.error().code == "unauthorized";
        QMetaObject::invokeMethod(
            qApp,
            [self, changes, signInAgain] {
                if (!self) return;
                if (!changes.empty()) self->notifyChanged(changes);
                if (signInAgain) self->refreshSession();
            },
            Qt::QueuedConnection);
    };
    service.onOpened = [self](const core::Status& opened) {
        if (opened) return;
        const QString message = QString::fromStdString(opened.error().message);
        QMetaObject::invokeMethod(
            qApp,
            [self, message] {
                if (self) emit self->openFailed(message);
            },
            Qt::QueuedConnection);
    };
    m_service = client::ClientService::start(std::move(service));

    // Is there a stored session? The file, not the worker: the first page is chosen
    // before the replica is open. A file that does not read is no session here; the
    // worker's own read of it reports the failure.
    const auto session = client::SessionStore(m_replicaDir.toStdString()).load();
    const bool stored = session && session->has_value();
    applyState(m_service->state());
    refreshSession();
    if (!options.server.isEmpty() && !options.user.isEmpty()) {
        const char* password = std::getenv("TANDEM_PASSWORD");
        signIn(options.server, options.user, QString::fromUtf8(password ? password : ""));
    } else if (stored) {
        m_service->setWatching(true);
    }
    const QString first = !options.page.isEmpty() ? options.page
                          : stored                ? QStringLiteral("my-work")
                                                  : QStringLiteral("sign-in");
    openPage(first);
}

// ---- worker plumbing ------------------------------------------------------------------

void AppController::jobStarted() {
    if (m_jobs++ == 0) emit busyChanged();
}

void AppController::jobFinished() {
    if (--m_jobs == 0) emit busyChanged();
}

void AppController::listen(QObject* owner, ChangeListener* listener) {
    std::erase_if(m_listeners, [](const auto& l) { return l.first.isNull(); });
    m_listeners.emplace_back(owner, listener);
}

void AppController::notifyChanged(const client::ChangeSet& changes) {
    std::erase_if(m_listeners, [](const auto& l) { return l.first.isNull(); });
    const auto listeners = m_listeners;  // a reload may create or destroy others
    for (const auto& [owner, listener] : listeners)
        if (owner) listener->changed(changes);
}

void AppController::applyState(const client::ServiceState& state) {
    const bool wasSyncing = m_sync.syncing();
    const QString error =
        state.lastErrorCode.empty() ? QString() : messageFor(core::makeError(state.lastErrorCode, state.lastError));
    m_sync.setState(state, error);
    if (wasSyncing != m_sync.syncing()) emit busyChanged();
    const Session session = state.session == client::SessionState::SignedIn         ? SignedIn
                            : state.session == client::SessionState::SignInRequired ? SignInRequired
                                                                                    : SignedOut;
    if (session != m_session) {
        m_session = session;
        emit sessionChanged();
    }
}

void AppController::refreshSession() {
    struct Who {
        std::optional<client::Session> session;
        std::optional<core::Principal> principal;
        std::string department;
        client::ServiceState state;
    };
    runOnWorker<Who>(
        this,
        [](client::Context& ctx) {
            Who who{ctx.session(), {}, {}, ctx.state()};
            if (auto me = client::currentPrincipal(ctx); me && *me) {
                who.principal = **me;
                if ((*me)->department)
                    if (auto names = client::Names::load(ctx.replica()))
                        who.department = names->department(*(*me)->department);
            }
            return who;
        },
        [this](Who& who) {
            applyState(who.state);
            m_displayName = who.session ? fromStd(who.session->displayName) : QString();
            m_username = who.session ? fromStd(who.session->username) : QString();
            m_server = who.session ? fromStd(who.session->server) : QString();
            m_memberId = who.session ? fromStd(who.session->member) : QString();
            m_departmentName = fromStd(who.department);
            m_isHead = who.principal && !who.principal->headOf.empty();
            m_isHq = who.principal && (who.principal->hq || who.principal->admin);
            emit sessionChanged();
        });
}

// ---- session ---------------------------------------------------------------------------

void AppController::setSignInError(const QString& error) {
    if (m_signInError == error) return;
    m_signInError = error;
    emit signInErrorChanged();
}

void AppController::signIn(const QString& server, const QString& username, const QString& password) {
    if (m_signingIn) return;
    if (server.trimmed().isEmpty() || username.trimmed().isEmpty() || password.isEmpty()) {
        setSignInError(tr("Enter the server address, your username and your password."));
        return;
    }
    m_signingIn = true;
    emit signingInChanged();
    setSignInError({});
    using Outcome = std::pair<core::Result<client::Session>, client::ServiceState>;
    runOnWorker<Outcome>(
        this,
        [url = server.trimmed().toStdString(), user = username.trimmed().toStdString(),
         pass = password.toStdString()](client::Context& ctx) {
            auto session = ctx.login(url, user, pass);
            return Outcome{std::move(session), ctx.state()};
        },
        [this](Outcome& outcome) {
            applyState(outcome.second);
            if (!outcome.first) {
                m_signingIn = false;
                emit signingInChanged();
                setSignInError(messageFor(outcome.first.error()));
                return;
            }
            // Who signed in is known now: say so before signingIn drops, so that nothing
            // sees a signed-in session without its name (refreshSession adds the rest).
            m_displayName = fromStd(outcome.first->displayName);
            m_username = fromStd(outcome.first->username);
            m_server = fromStd(outcome.first->server);
            m_memberId = fromStd(outcome.first->member);
            emit sessionChanged();
            m_signingIn = false;
            emit signingInChanged();
            refreshSession();
            m_service->setWatching(true);  // syncs at once, then keeps in step
            client::ChangeSet everything;
            everything.everything = true;
            notifyChanged(everything);
            if (page() == QLatin1String("sign-in") || page().isEmpty()) openPage(QStringLiteral("my-work"));
        });
}

void AppController::signOut() {
    m_service->setWatching(false);
    runOnWorker<std::pair<core::Status, client::ServiceState>>(
        this,
        [](client::Context& ctx) {
            auto s = ctx.logout();
            return std::make_pair(std::move(s), ctx.state());
        },
        [this](std::pair<core::Status, client::ServiceState>& outcome) {
            applyState(outcome.second);
            refreshSession();
            if (!outcome.first)
                emit actionFinished(QStringLiteral("signOut"), {}, false, messageFor(outcome.first.error()));
            m_pages.clear();
            openPage(QStringLiteral("sign-in"));
        });
}

void AppController::syncNow() {
    if (m_session == SignedIn) (void)m_service->syncNow();  // its end comes through onSynced and onState
}

// ---- navigation ------------------------------------------------------------------------

void AppController::openPage(const QString& target) {
    if (target.startsWith(QLatin1String("plan:"))) {
        openPlan(target.mid(5));
        return;
    }
    const QString name = kTopPages.contains(target) ? target : QStringLiteral("my-work");
    if (!m_pages.isEmpty() && m_pages.size() == 1 && m_pages.first().first == name) return;
    m_pages = {{name, QString()}};
    emit pageChanged();
}

void AppController::openPlan(const QString& planId) {
    if (core::EntityId::parse(planId.toStdString()) == std::nullopt) return;
    if (!m_pages.isEmpty() && m_pages.last() == qMakePair(QStringLiteral("plan"), planId)) return;
    // A plan opens over the list it was picked from; another plan replaces the one open.
    if (!m_pages.isEmpty() && m_pages.last().first == QLatin1String("plan")) m_pages.removeLast();
    if (m_pages.isEmpty()) m_pages.append({QStringLiteral("plans"), QString()});
    m_pages.append({QStringLiteral("plan"), planId});
    emit pageChanged();
}

void AppController::back() {
    if (m_pages.size() <= 1) return;
    m_pages.removeLast();
    emit pageChanged();
}

// ---- language --------------------------------------------------------------------------

void AppController::installTranslator() {
    QLocale::setDefault(QLocale(localeName()));  // numbers and dates formatted in C++ too
    QCoreApplication::removeTranslator(&m_translator);
    if (m_translator.load(QStringLiteral(":/i18n/tandem_%1.qm").arg(m_language)))
        QCoreApplication::installTranslator(&m_translator);
    else
        qCWarning(lcApp) << "no translation for" << m_language;
}

void AppController::setLanguage(const QString& language) {
    const bool follow = language.isEmpty();
    const QString next = follow ? (QLocale::system().name().startsWith(QLatin1String("zh")) ? QStringLiteral("zh_CN")
                                                                                            : QStringLiteral("en"))
                                : (language == QLatin1String("zh_CN") ? QStringLiteral("zh_CN") : QStringLiteral("en"));
    if (next == m_language && follow == m_followSystem) return;
    m_followSystem = follow;
    const bool changed = next != m_language;
    m_language = next;
    if (changed) installTranslator();
    emit languageChanged();
    if (!changed) return;
    // The rules' texts (warnings) are formatted by the core in the language.
    client::ChangeSet everything;
    everything.everything = true;
    notifyChanged(everything);
    refreshSession();
}

}  // namespace tandem::app
