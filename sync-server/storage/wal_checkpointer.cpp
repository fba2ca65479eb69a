#include "storage/wal_checkpointer.h"

#include <sqlite3.h>

namespace tandem::server {

core::Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(core::Database& writer, const std::string& path,
                                                                      int every, int limit) {
    auto own = core::Database::open(path, core::Database::Mode::ReadWrite);
    if (!own) return own.error();
    // A connection learns that the file is in WAL mode on its first read; until then a
    // checkpoint through it does nothing.
    auto mode = (*own)->prepare("PRAGMA journal_mode");
    if (!mode) return mode.error();
    auto row = (*mode)->step();
    if (!row) return row.error();
    const bool wal = *row && (*mode)->getText(0) == "wal";
    (*mode)->reset();
    if (!wal) return core::makeError("sqlite", path + " is not in WAL mode");
    std::unique_ptr<WalCheckpointer> self(new WalCheckpointer(writer, std::move(*own), every, limit));
    // Replaces SQLite's auto-checkpoint, which is itself a commit hook.
    sqlite3_wal_hook(writer.handle(), &WalCheckpointer::onCommit, self.get());
    self->m_thread = std::thread([raw = self.get()] { raw->run(); });
    return self;
}

WalCheckpointer::WalCheckpointer(core::Database& writer, std::unique_ptr<core::Database> own, int every, int limit)
    : m_writer(writer), m_own(std::move(own)), m_every(every), m_limit(limit) {}

WalCheckpointer::~WalCheckpointer() {
    sqlite3_wal_hook(m_writer.handle(), nullptr, nullptr);
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
}

int WalCheckpointer::onCommit(void* raw, sqlite3* db, const char* name, int pages) {
    auto* self = static_cast<WalCheckpointer*>(raw);
    if (pages >= self->m_limit) {
        // Best effort, as SQLite's own: a busy or failed checkpoint is retried on a later commit.
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        std::lock_guard lock(self->m_mutex);
        ++self->m_inline;
    } else if (pages >= self->m_every) {
        {
            std::lock_guard lock(self->m_mutex);
            self->m_wanted = true;
        }
        self->m_wake.notify_one();
    }
    return SQLITE_OK;  // the commit itself has succeeded either way
}

void WalCheckpointer::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [&] { return m_wanted || m_stopping; });
        if (m_stopping) return;
        m_wanted = false;
        m_running = true;
        lock.unlock();
        sqlite3_wal_checkpoint_v2(m_own->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        lock.lock();
        m_running = false;
        ++m_background;
    }
}

std::uint64_t WalCheckpointer::backgroundCount() const {
    std::lock_guard lock(m_mutex);
    return m_background;
}

bool WalCheckpointer::busy() const {
    std::lock_guard lock(m_mutex);
    return m_wanted || m_running;
}

std::uint64_t WalCheckpointer::inlineCount() const {
    std::lock_guard lock(m_mutex);
    return m_inline;
}

}  // namespace tandem::server
