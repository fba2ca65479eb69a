#include "screenshot.h"

#include <QCoreApplication>
#include <QImage>

#include <cstdio>

#include "app_controller.h"

namespace tandem::app {

namespace {
constexpr int kSettleMs = 500;
}

ScreenshotTaker::ScreenshotTaker(QQuickWindow* window, AppController* app, QString path, int timeoutMs)
    : QObject(window), m_window(window), m_app(app), m_path(std::move(path)) {
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, &ScreenshotTaker::take);
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        std::fprintf(stderr, "tandem: the page did not finish loading; no screenshot taken\n");
        QCoreApplication::exit(1);
    });
    m_timeout.start(timeoutMs);
    connect(app, &AppController::busyChanged, this, &ScreenshotTaker::settle);
    connect(app, &AppController::pageChanged, this, &ScreenshotTaker::settle);
    connect(app, &AppController::signingInChanged, this, &ScreenshotTaker::settle);
    settle();
}

void ScreenshotTaker::settle() {
    if (m_app->busy() || m_app->signingIn())
        m_settle.stop();
    else
        m_settle.start();
}

void ScreenshotTaker::take() {
    if (!m_window || m_app->busy() || m_app->signingIn()) return;
    const QImage image = m_window->grabWindow();
    if (image.isNull() || !image.save(m_path, "PNG")) {
        std::fprintf(stderr, "tandem: cannot write the screenshot %s\n", qPrintable(m_path));
        QCoreApplication::exit(1);
        return;
    }
    QCoreApplication::exit(0);
}

}  // namespace tandem::app
