#pragma once
// --screenshot (DESIGN §5c): once the page shows its data and sync is idle, saves the
// window as PNG and quits with 0; quits with 1 and a message on stderr when the page
// never settles or the file cannot be written.
//
// "Shows its data" is AppController::busy() false (no load or write on the worker, no
// sync running) for a settling pause, so models created by the page itself have had
// their turn to start loading.

#include <QObject>
#include <QPointer>
#include <QQuickWindow>
#include <QTimer>

namespace tandem::app {

class AppController;

class ScreenshotTaker : public QObject {
    Q_OBJECT

public:
    ScreenshotTaker(QQuickWindow* window, AppController* app, QString path, int timeoutMs = 90000);

private:
    void settle();
    void take();

    QPointer<QQuickWindow> m_window;
    AppController* m_app;
    QString m_path;
    QTimer m_settle;
    QTimer m_timeout;
};

}  // namespace tandem::app
