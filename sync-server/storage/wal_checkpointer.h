#pragma once
// Checkpoints the server's WAL on a connection of its own, on a thread of its own, so
// the thread that commits a sync does not also copy pages into the database file.
//
// A commit hook on the writer's connection counts the pages in the WAL. Past `every`
// pages it wakes the background thread, which runs a PASSIVE checkpoint (it never
// blocks the writer). Should the WAL still reach `limit` pages (writes so constant
// that the checkpoint never catches up), the committing thread checkpoints itself,
// as SQLite's own auto-checkpoint would.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "tandem/core/sqlite.h"

namespace tandem::server {

class WalCheckpointer {
public:
    /// Hooks into `writer` (a WAL database at `path`) and starts the thread. `writer`
    /// must outlive the checkpointer.
    static core::Result<std::unique_ptr<WalCheckpointer>> start(core::Database& writer, const std::string& path,
                                                                int every, int limit);
    /// Unhooks, stops the thread and closes its connection (no commit may be running).
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    /// Checkpoints run so far: on the background thread, and by committing threads.
    std::uint64_t backgroundCount() const;
    std::uint64_t inlineCount() const;
    /// A background checkpoint is asked for or running.
    bool busy() const;

private:
    WalCheckpointer(core::Database& writer, std::unique_ptr<core::Database> own, int every, int limit);
    static int onCommit(void* self, sqlite3* db, const char* name, int pages);
    void run();

    core::Database& m_writer;
    std::unique_ptr<core::Database> m_own;  // used by the thread only
    const int m_every;
    const int m_limit;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_wanted = false;
    bool m_running = false;
    bool m_stopping = false;
    std::uint64_t m_background = 0;
    std::uint64_t m_inline = 0;
    std::thread m_thread;
};

}  // namespace tandem::server
