#include "server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <regex>
#include <stdexcept>

#include "storage/pg/pg_connection.h"

extern char** environ;

#ifndef TANDEM_SERVER_BIN
#error "TANDEM_SERVER_BIN must name the tandem-server binary"
#endif

namespace tandem::test {
namespace {

constexpr auto kStartupTimeout = std::chrono::seconds(60);

// Reads one line from `fd` (without the newline) or gives up at the deadline.
bool readLine(int fd, std::string& line, std::chrono::steady_clock::time_point deadline) {
    line.clear();
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return false;
        char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n <= 0) return false;
        if (c == '\n') return true;
        line += c;
    }
}

/// argv and envp (ours plus `env`) for posix_spawn, with the strings they point into.
struct SpawnArgs {
    std::vector<std::string> args, envStrings;
    std::vector<char*> argv, envp;

    SpawnArgs(std::vector<std::string> arguments, const std::vector<std::pair<std::string, std::string>>& env)
        : args(std::move(arguments)) {
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        for (char** e = environ; *e != nullptr; ++e) envStrings.emplace_back(*e);
        for (const auto& [name, value] : env) envStrings.push_back(name + "=" + value);
        for (auto& entry : envStrings) envp.push_back(entry.data());
        envp.push_back(nullptr);
    }
};

// The cluster URL with its database part replaced by `database`.
std::string withDatabase(const std::string& url, const std::string& database) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    const auto query = url.find('?', slash == std::string::npos ? 0 : slash);
    const std::string base = url.substr(0, slash == std::string::npos ? query : slash);
    return base + "/" + database + (query == std::string::npos ? "" : url.substr(query));
}

std::mutex& databaseMutex() {
    static std::mutex mutex;
    return mutex;
}

// Creates database `name` (a plain identifier) on the cluster; throws on failure.
std::string createDatabase(const std::string& name) {
    const char* cluster = std::getenv("TANDEM_TEST_DB_URL");
    if (cluster == nullptr || *cluster == '\0') throw std::runtime_error("TANDEM_TEST_DB_URL is not set");
    auto admin = server::pg::PgConnection::open(cluster);
    if (!admin) throw std::runtime_error("cannot reach the test cluster: " + admin.error().message);
    if (auto made = (*admin)->exec("CREATE DATABASE " + name); !made) {
        throw std::runtime_error("CREATE DATABASE " + name + ": " + made.error().message);
    }
    return withDatabase(cluster, name);
}

std::string nextDatabaseName() {
    static int counter = 0;
    return "it_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

// `--data DIR` → `--db URL` on PostgreSQL; everything else as it is.
std::vector<std::string> onBackend(std::vector<std::string> args) {
    if (!onPostgres()) return args;
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == "--data") {
            args[i] = "--db";
            args[i + 1] = databaseFor(args[i + 1]);
        }
    }
    return args;
}

}  // namespace

bool onPostgres() {
    const char* url = std::getenv("TANDEM_TEST_DB_URL");
    return url != nullptr && *url != '\0';
}

std::string databaseFor(const std::string& dataDir) {
    std::lock_guard lock(databaseMutex());
    static std::map<std::string, std::string> databases;  // data directory → URL
    auto it = databases.find(dataDir);
    if (it != databases.end()) return it->second;
    return databases[dataDir] = createDatabase(nextDatabaseName());
}

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/tandem-it-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

CommandResult runServerCommand(const std::vector<std::string>& args,
                               const std::vector<std::pair<std::string, std::string>>& env) {
    std::vector<std::string> all{TANDEM_SERVER_BIN};
    const std::vector<std::string> backendArgs = onBackend(args);
    all.insert(all.end(), backendArgs.begin(), backendArgs.end());
    SpawnArgs spawn(std::move(all), env);
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, spawn.argv[0], &actions, nullptr, spawn.argv.data(), spawn.envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
        ::close(out[0]);
        throw std::runtime_error(std::string("posix_spawn failed: ") + std::strerror(rc));
    }
    CommandResult result;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        result.output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

ServerProcess::ServerProcess(ServerOptions options) {
    std::vector<std::string> args{TANDEM_SERVER_BIN};
    if (options.dbUrl.empty() && onPostgres()) options.dbUrl = databaseFor(options.dataDir);
    if (options.dbUrl.empty())
        args.insert(args.end(), {"--data", options.dataDir});
    else
        args.insert(args.end(), {"--db", options.dbUrl});
    args.insert(args.end(), {"--listen", "127.0.0.1:0"});
    if (options.demo) args.emplace_back("--demo");
    args.insert(args.end(), options.extraArgs.begin(), options.extraArgs.end());
    SpawnArgs spawn(std::move(args), options.env);
    std::vector<char*>& argv = spawn.argv;
    std::vector<char*>& envp = spawn.envp;

    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    const int rc = ::posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        ::close(out[0]);
        ::close(err[0]);
        m_pid = -1;
        throw std::runtime_error(std::string("posix_spawn failed: ") + std::strerror(rc));
    }
    m_stderrThread = std::thread([this, fd = err[0]] { readStderr(fd); });

    if (readLine(out[0], m_firstLine, std::chrono::steady_clock::now() + kStartupTimeout)) {
        static const std::regex kListening(R"(listening on https?://(127\.0\.0\.1):([0-9]+))");
        std::smatch match;
        if (std::regex_match(m_firstLine, match, kListening)) {
            m_host = match[1];
            m_port = static_cast<std::uint16_t>(std::stoi(match[2]));
        }
    }
    m_stdoutThread = std::thread([this, fd = out[0]] { drainStdout(fd); });
}

ServerProcess::~ServerProcess() {
    if (m_pid > 0 && !m_exited) {
        ::kill(m_pid, SIGTERM);
        if (waitExit(std::chrono::seconds(10)) == -1) {
            ::kill(m_pid, SIGKILL);
            waitExit(std::chrono::seconds(10));
        }
    }
    if (m_stderrThread.joinable()) m_stderrThread.join();
    if (m_stdoutThread.joinable()) m_stdoutThread.join();
}

void ServerProcess::signal(int signal) const {
    if (m_pid > 0) ::kill(m_pid, signal);
}

int ServerProcess::stop(std::chrono::milliseconds timeout) {
    if (m_pid <= 0) return -1;
    if (!m_exited) ::kill(m_pid, SIGTERM);
    const int status = waitExit(timeout);
    if (status == -1) {
        ::kill(m_pid, SIGKILL);
        waitExit(std::chrono::seconds(10));
        return -1;
    }
    return status;
}

int ServerProcess::waitExit(std::chrono::milliseconds timeout) {
    if (m_exited) return m_exitStatus;
    // A pidfd becomes readable when the child exits: wait on it with the timeout.
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, m_pid, 0));
    if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        int ready = 0;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        do {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())));
        } while (ready < 0 && errno == EINTR);
        ::close(pidfd);
        if (ready <= 0) return -1;
    }
    int status = 0;
    if (::waitpid(m_pid, &status, 0) != m_pid) return -1;
    m_exited = true;
    m_exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : (WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1);
    return m_exitStatus;
}

void ServerProcess::readStderr(int fd) {
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        std::lock_guard lock(m_mutex);
        m_stderr.append(buffer, static_cast<std::size_t>(n));
        m_stderrChanged.notify_all();
    }
    ::close(fd);
    std::lock_guard lock(m_mutex);
    m_stderrChanged.notify_all();
}

void ServerProcess::drainStdout(int fd) {
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
    }
    ::close(fd);
}

bool ServerProcess::waitForStderr(const std::string& needle, std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    return m_stderrChanged.wait_for(lock, timeout, [&] { return m_stderr.find(needle) != std::string::npos; });
}

std::string ServerProcess::stderrText() {
    std::lock_guard lock(m_mutex);
    return m_stderr;
}

}  // namespace tandem::test
