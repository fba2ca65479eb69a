#pragma once
// Starts the real tandem-server binary for a test: on 127.0.0.1:0 with a temporary
// data directory, reads the "listening on" line, and stops it with SIGTERM.
//
// The same tests run on PostgreSQL when TANDEM_TEST_DB_URL names a cluster
// (postgresql://user@host:port/db): every data directory a test passes (--data DIR, to
// the server or a subcommand) then becomes a database of its own on that cluster, created
// on first use, so a restart "on the same directory" finds its data again.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace tandem::test {

/// A directory under $TMPDIR removed (recursively) on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

struct ServerOptions {
    std::string dataDir;                                   // where the database lives (--data), unless dbUrl
    bool demo = true;                                      // pass --demo
    std::vector<std::string> extraArgs;                    // appended to the command line
    std::vector<std::pair<std::string, std::string>> env;  // added to the environment
    std::string dbUrl{};  // a PostgreSQL URL: --db in place of --data (last, defaulted: aggregate init)
};

/// Whether TANDEM_TEST_DB_URL is set: servers and subcommands run with --db.
bool onPostgres();

/// The database standing for data directory `dataDir` on the TANDEM_TEST_DB_URL cluster
/// (created the first time it is asked for; the same URL afterwards). Throws
/// std::runtime_error when the cluster refuses. Thread-safe.
std::string databaseFor(const std::string& dataDir);

/// One running tandem-server child. The constructor returns once the first stdout line
/// has arrived (or the child failed; see started()). The destructor stops a child
/// still running (SIGTERM, then SIGKILL after 10 s). stderr lines are collected and can be awaited.
class ServerProcess {
public:
    explicit ServerProcess(ServerOptions options);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    bool started() const { return m_port != 0; }
    const std::string& firstLine() const { return m_firstLine; }
    const std::string& host() const { return m_host; }
    std::uint16_t port() const { return m_port; }
    pid_t pid() const { return m_pid; }

    /// Sends SIGTERM and waits: the exit status (0…255), 128+signal if killed by one,
    /// or -1 if it did not exit within `timeout` (then it is SIGKILLed).
    int stop(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    /// Sends a signal without waiting.
    void signal(int signal) const;

    /// Waits until a stderr line containing `needle` has been written.
    bool waitForStderr(const std::string& needle, std::chrono::milliseconds timeout);
    std::string stderrText();

private:
    void readStderr(int fd);
    void drainStdout(int fd);
    int waitExit(std::chrono::milliseconds timeout);

    pid_t m_pid = -1;
    int m_exitStatus = -1;
    bool m_exited = false;
    std::string m_firstLine;
    std::string m_host;
    std::uint16_t m_port = 0;
    std::thread m_stderrThread;
    std::thread m_stdoutThread;
    std::mutex m_mutex;
    std::condition_variable m_stderrChanged;
    std::string m_stderr;
};

/// What a `tandem-server` subcommand (`user …`, `audit verify`) did.
struct CommandResult {
    int status = -1;     // exit status, 128+signal if killed by one
    std::string output;  // stdout and stderr, interleaved
};

/// Runs tandem-server with `args` (e.g. {"user", "disable", "sales.li", "--data", dir}) to
/// its end, with `env` added to the environment and stdin from /dev/null.
CommandResult runServerCommand(const std::vector<std::string>& args,
                               const std::vector<std::pair<std::string, std::string>>& env = {});

}  // namespace tandem::test
