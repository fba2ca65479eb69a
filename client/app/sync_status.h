#pragma once
// The sync status the app shows on every page (DESIGN §2, issue 12): online, offline or
// signing in again, pending edits, refused edits, the last sync, and progress during a
// long sync (a first bootstrap of thousands of ops). Fed by AppController from the
// ClientService's state and progress callbacks; read-only for QML.
//
// Thread contract: GUI thread only.

#include <QDateTime>
#include <QObject>
#include <QtQml/qqmlregistration.h>

#include "tandem/client/client_service.h"

namespace tandem::app {

class SyncStatus : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY changed)
    Q_PROPERTY(bool online READ online NOTIFY changed)
    Q_PROPERTY(bool live READ live NOTIFY changed)
    Q_PROPERTY(bool syncing READ syncing NOTIFY changed)
    Q_PROPERTY(int pending READ pending NOTIFY changed)
    Q_PROPERTY(int rejected READ rejected NOTIFY changed)
    Q_PROPERTY(QDateTime lastSync READ lastSync NOTIFY changed)
    Q_PROPERTY(QString lastError READ lastError NOTIFY changed)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(int progressDone READ progressDone NOTIFY progressChanged)
    Q_PROPERTY(int progressTotal READ progressTotal NOTIFY progressChanged)
    Q_PROPERTY(bool pushing READ pushing NOTIFY progressChanged)
    QML_ELEMENT
    QML_UNCREATABLE("the app's one sync status is AppController.sync")

public:
    /// What the status line says first.
    enum State { SignedOut, Offline, Online, Syncing, SignInRequired };
    Q_ENUM(State)

    explicit SyncStatus(QObject* parent = nullptr) : QObject(parent) {}

    State state() const;
    bool online() const { return m_state.online; }
    bool live() const { return m_state.live; }
    bool syncing() const { return m_state.syncing; }
    int pending() const { return static_cast<int>(m_state.pending); }
    /// Refused records (a refused progress report counts once), as the Rejected page lists them.
    int rejected() const { return static_cast<int>(m_state.rejectedRecords); }
    QDateTime lastSync() const;
    QString lastError() const { return m_lastError; }
    /// 0–1 while a sync with a known size runs, -1 otherwise.
    double progress() const;
    int progressDone() const { return static_cast<int>(m_progress.done); }
    int progressTotal() const { return static_cast<int>(m_progress.total); }
    bool pushing() const { return m_progress.phase == client::SyncProgress::Phase::Push; }

    void setState(const client::ServiceState& state, const QString& lastError);
    void setProgress(const client::SyncProgress& progress);
    const client::ServiceState& serviceState() const { return m_state; }

signals:
    void changed();
    void progressChanged();

private:
    client::ServiceState m_state;
    QString m_lastError;
    client::SyncProgress m_progress{client::SyncProgress::Phase::Pull, 0, -1};
};

}  // namespace tandem::app
