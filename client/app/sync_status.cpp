#include "sync_status.h"

namespace tandem::app {

SyncStatus::State SyncStatus::state() const {
    switch (m_state.session) {
    case client::SessionState::SignedOut:
        return SignedOut;
    case client::SessionState::SignInRequired:
        return SignInRequired;
    case client::SessionState::SignedIn:
        break;
    }
    if (m_state.syncing) return Syncing;
    return m_state.online ? Online : Offline;
}

QDateTime SyncStatus::lastSync() const {
    return m_state.lastSyncMs > 0 ? QDateTime::fromMSecsSinceEpoch(m_state.lastSyncMs) : QDateTime();
}

double SyncStatus::progress() const {
    if (!m_state.syncing || m_progress.total <= 0) return -1;
    return std::min(1.0, static_cast<double>(m_progress.done) / static_cast<double>(m_progress.total));
}

void SyncStatus::setState(const client::ServiceState& state, const QString& lastError) {
    const bool ended = m_state.syncing && !state.syncing;
    if (state == m_state && lastError == m_lastError) return;
    m_state = state;
    m_lastError = lastError;
    emit changed();
    if (ended) {
        m_progress = {client::SyncProgress::Phase::Pull, 0, -1};
        emit progressChanged();
    }
}

void SyncStatus::setProgress(const client::SyncProgress& progress) {
    m_progress = progress;
    emit progressChanged();
}

}  // namespace tandem::app
