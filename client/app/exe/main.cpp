// tandem: the app. Parses the command line (DESIGN §5c), opens the replica, loads the
// QML module. Everything else lives in tandem_app_lib and qml/.

#include <QtQml/qqmlextensionplugin.h>
#include <QDir>
#include <QFont>
#include <QGuiApplication>
#include <QLockFile>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>

#include <algorithm>
#include <cstdio>
#include <variant>

#include "app_controller.h"
#include "app_options.h"
#include "screenshot.h"
#include "tandem/client/session.h"

Q_IMPORT_QML_PLUGIN(Tandem_AppPlugin)
Q_IMPORT_QML_PLUGIN(TandemPlugin)

using namespace tandem::app;

int main(int argc, char** argv) {
    configureProcess();
    QGuiApplication application(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("Tandem"));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Tandem"));
    QGuiApplication::setOrganizationName(QStringLiteral("Tandem"));
    QGuiApplication::setDesktopFileName(QStringLiteral("tandem"));

    QStringList arguments = QGuiApplication::arguments();
    arguments.removeFirst();
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        std::fputs(qPrintable(appUsage()), stdout);
        return 0;
    }
    auto parsed = parseAppOptions(arguments);
    if (auto* error = std::get_if<QString>(&parsed)) {
        std::fprintf(stderr, "tandem: %s\n%s", qPrintable(*error), qPrintable(appUsage()));
        return 2;
    }
    AppOptions options = std::get<AppOptions>(parsed);

    QQuickStyle::setStyle(QStringLiteral("Material"));
    // Latin text in Noto Sans, Chinese in Noto Sans CJK SC (fonts-noto-cjk), whatever
    // the system's default is.
    QFont font = QGuiApplication::font();
    font.setFamilies({QStringLiteral("Noto Sans"), QStringLiteral("Noto Sans CJK SC"), font.family()});
    // Theme sizes every text from the application font's pixel size: the system's (at
    // least 14 px), times TANDEM_FONT_SCALE (0.5 to 4) for people who need larger text.
    const int systemPx = font.pixelSize() > 0 ? font.pixelSize() : qRound(font.pointSizeF() * 4 / 3);
    bool scaled = false;
    const double scale = qEnvironmentVariable("TANDEM_FONT_SCALE").toDouble(&scaled);
    font.setPixelSize(qRound(std::max(systemPx, 14) * (scaled && scale >= 0.5 && scale <= 4 ? scale : 1.0)));
    QGuiApplication::setFont(font);

    AppController controller;
    const QString dir = options.replicaDir.isEmpty() ? controller.replicaDir() : options.replicaDir;
    const QString folder = dir.isEmpty() ? QString::fromStdString(tandem::client::defaultReplicaDir()) : dir;
    if (auto made = tandem::client::ensureDirectory(folder.toStdString()); !made) {
        std::fprintf(stderr, "tandem: cannot create the replica folder %s: %s\n", qPrintable(folder),
                     made.error().message.c_str());
        return 1;
    }
    // One app per replica folder: a second one is refused rather than fighting over it.
    QLockFile lock(QDir(folder).filePath(QStringLiteral("app.lock")));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        lock.getLockInfo(&pid, &host, &app);
        std::fprintf(stderr,
                     "tandem: the replica folder %s is already in use by another Tandem (pid %lld); close it, or "
                     "start with --replica OTHER_FOLDER\n",
                     qPrintable(folder), static_cast<long long>(pid));
        return 1;
    }
    options.replicaDir = folder;
    // The replica opens on the worker while the window is built below.
    QObject::connect(&controller, &AppController::openFailed, &controller, [folder](const QString& message) {
        std::fprintf(stderr, "tandem: cannot open the replica in %s: %s\n", qPrintable(folder), qPrintable(message));
        QCoreApplication::exit(1);
    });
    controller.start(options);

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));  // Qt 6.4 does not look there by itself
    QObject::connect(&controller, &AppController::languageChanged, &engine, &QQmlEngine::retranslate);
    QVariantMap initial;
    if (options.size.isValid()) {
        initial.insert(QStringLiteral("width"), options.size.width());
        initial.insert(QStringLiteral("height"), options.size.height());
    }
    engine.setInitialProperties(initial);
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Tandem/Main.qml")));
    if (engine.rootObjects().isEmpty()) {
        std::fprintf(stderr, "tandem: the user interface did not load\n");
        return 1;
    }
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
    if (!options.screenshot.isEmpty() && window) new ScreenshotTaker(window, &controller, options.screenshot);
    return QGuiApplication::exec();
}
