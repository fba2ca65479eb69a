#include "pg_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

#ifndef TANDEM_PG_BINDIR
#error "TANDEM_PG_BINDIR must name the PostgreSQL bin directory"
#endif
#ifndef TANDEM_PG_TEST_CONF
#error "TANDEM_PG_TEST_CONF must name pg_test.conf"
#endif

namespace tandem::test {
namespace {

constexpr const char* kClusterUser = "tandem-test";
// pg_ctl's own limit for start and stop; a cold start under a loaded CI machine takes
// a second or two, so this only bounds a hung server.
constexpr const char* kPgCtlTimeoutSeconds = "60";

struct RunResult {
    int status = -1;  // exit status, 128+signal, or 127 if it could not be started
    std::string out;
    std::string err;
    std::string text() const { return out + err; }
};

// Runs argv[0] (an absolute path) with stdin from /dev/null, collecting stdout and
// stderr separately (psql's NOTICEs must not mix with its results). `cwd` matters when
// running as the cluster user: initdb and postgres fail in a directory they cannot read.
RunResult run(const std::vector<std::string>& args, const std::string& cwd = {}) {
    RunResult result;
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (auto& arg : copy) argv.push_back(arg.data());
    argv.push_back(nullptr);

    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(out[0]);
        ::close(out[1]);
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        ::close(out[0]);
        ::close(err[0]);
        result.status = 127;
        result.err = "cannot run " + args.front() + ": " + std::strerror(rc) + "\n";
        return result;
    }
    // pg_ctl hands the server its own stdout and stderr (the -l log), so both pipes
    // reach end-of-file when the tool exits, not when the server does.
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open = 2;
    while (open > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            char buffer[4096];
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                sinks[i]->append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (auto& p : fds) {
        if (p.fd >= 0) ::close(p.fd);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return result;
    }
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : (WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1);
    return result;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string chomp(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

// Creates the shared system user the first time. Parallel test processes may race:
// useradd then reports "already exists" (9) or a busy /etc/passwd lock (10), and the
// loop simply looks the user up again.
passwd ensureClusterUser() {
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (const passwd* pw = ::getpwnam(kClusterUser)) return *pw;
        const RunResult made = run({"/usr/sbin/useradd", "--system", "--user-group", "--no-create-home", "--home-dir",
                                    "/nonexistent", "--shell", "/usr/sbin/nologin", kClusterUser});
        if (made.status == 0 || made.status == 9) continue;
        if (made.status != 10) {
            throw std::runtime_error(std::string("cannot create the system user ") + kClusterUser +
                                     " that PostgreSQL runs as under root: " + made.text());
        }
        // The lock holder is another useradd that finishes in milliseconds; nothing
        // signals its end, so back off briefly.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error(std::string("cannot create the system user ") + kClusterUser +
                             ": /etc/passwd stays locked");
}

// A port nobody listens on now. The server binds it a moment later; in the rare case
// that someone else takes it in between, the constructor picks another.
std::uint16_t freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free port on 127.0.0.1");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

std::string quoteConf(const std::string& value) {
    std::string quoted = "'";
    for (char c : value) {
        if (c == '\'') quoted += '\'';
        quoted += c;
    }
    return quoted + "'";
}

}  // namespace

PgCluster::PgCluster(PgClusterOptions options) : m_options(std::move(options)) {
    if (m_options.binDir.empty()) {
        const char* fromEnv = std::getenv("TANDEM_PG_BINDIR");
        m_options.binDir = fromEnv != nullptr && *fromEnv != '\0' ? fromEnv : TANDEM_PG_BINDIR;
    }
    if (::access(tool("initdb").c_str(), X_OK) != 0) {
        throw std::runtime_error("no PostgreSQL at " + m_options.binDir +
                                 " (packaging/install-deps.sh installs postgresql-15; or set TANDEM_PG_BINDIR)");
    }
    m_root = ::geteuid() == 0;
    if (m_root) {
        const passwd pw = ensureClusterUser();
        m_uid = pw.pw_uid;
        m_gid = pw.pw_gid;
        m_asClusterUser = {"/usr/bin/setpriv", "--reuid=" + std::to_string(m_uid), "--regid=" + std::to_string(m_gid),
                           "--clear-groups", "--"};
    }

    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/tandem-pg-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("cannot create a folder from " + pattern + ": " + std::strerror(errno));
    }
    m_dir = pattern;
    m_dataDir = m_dir + "/data";
    m_log = m_dir + "/postgres.log";
    try {
        if (m_root && ::chown(m_dir.c_str(), m_uid, m_gid) != 0) {
            throw std::runtime_error("cannot hand " + m_dir + " to " + kClusterUser + ": " + std::strerror(errno));
        }
        std::vector<std::string> initdb = m_asClusterUser;
        initdb.insert(initdb.end(), {tool("initdb"), "--pgdata=" + m_dataDir, "--username=" + m_role, "--auth=trust",
                                     "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"});
        const RunResult made = run(initdb, m_dir);
        if (made.status != 0) {
            std::string hint;
            if (m_root)
                hint = " (the folder must be reachable by the user " + std::string(kClusterUser) + "; check $TMPDIR)";
            throw std::runtime_error("initdb failed" + hint + ":\n" + made.text());
        }
        {
            std::ofstream conf(m_dataDir + "/postgresql.conf", std::ios::app);
            conf << "\n# tandem test cluster (tests/support/pg_test.conf)\n"
                 << readFile(TANDEM_PG_TEST_CONF) << "listen_addresses = '" << m_host << "'\n"
                 << "unix_socket_directories = " << quoteConf(m_dir) << "\n";
            if (!conf) throw std::runtime_error("cannot write " + m_dataDir + "/postgresql.conf");
        }
        // A port taken between freePort() and the server's bind() is retried with another.
        for (int attempt = 1;; ++attempt) {
            m_port = freePort();
            {
                std::ofstream conf(m_dataDir + "/postgresql.conf", std::ios::app);
                conf << "port = " << m_port << "\n";  // the last setting of a name wins
            }
            try {
                startOnce();
                break;
            } catch (const std::runtime_error&) {
                if (attempt == 3 || serverLog().find("could not bind") == std::string::npos) throw;
            }
        }
        m_url = urlFor(m_options.database);
        createDatabase(m_options.database);
    } catch (...) {
        teardown();
        throw;
    }
}

PgCluster::~PgCluster() {
    teardown();
}

std::string PgCluster::tool(const std::string& name) const {
    return m_options.binDir + "/" + name;
}

std::string PgCluster::urlFor(const std::string& database) const {
    return "postgresql://" + m_role + "@" + m_host + ":" + std::to_string(m_port) + "/" + database;
}

void PgCluster::startOnce() {
    std::vector<std::string> start = m_asClusterUser;
    start.insert(start.end(), {tool("pg_ctl"), "start", "--pgdata=" + m_dataDir, "--log=" + m_log, "--wait",
                               "--timeout=" + std::string(kPgCtlTimeoutSeconds), "--silent"});
    const RunResult started = run(start, m_dir);
    if (started.status != 0) {
        throw std::runtime_error("pg_ctl start failed:\n" + started.text() + "\nserver log:\n" + serverLog());
    }
    m_running = true;
    // pg_ctl --wait already polled until the server answered; pg_isready confirms it
    // over the very address the tests use, not only the socket pg_ctl picked.
    const RunResult ready = run({tool("pg_isready"), "--host=" + m_host, "--port=" + std::to_string(m_port),
                                 "--dbname=postgres", "--username=" + m_role, "--timeout=30", "--quiet"});
    if (ready.status != 0) {
        throw std::runtime_error("the server does not accept connections on " + m_host + ":" + std::to_string(m_port) +
                                 " (pg_isready " + std::to_string(ready.status) + ")\nserver log:\n" + serverLog());
    }
}

void PgCluster::start() {
    if (m_running) return;
    startOnce();
}

void PgCluster::stop() {
    if (!m_running) return;
    std::vector<std::string> stop = m_asClusterUser;
    stop.insert(stop.end(), {tool("pg_ctl"), "stop", "--pgdata=" + m_dataDir, "--mode=fast", "--wait",
                             "--timeout=" + std::string(kPgCtlTimeoutSeconds), "--silent"});
    const RunResult stopped = run(stop, m_dir);
    if (stopped.status != 0) throw std::runtime_error("pg_ctl stop failed:\n" + stopped.text());
    m_running = false;
}

std::string PgCluster::psql(const std::string& sql, const std::string& database) const {
    const RunResult result =
        run({tool("psql"), "--no-psqlrc", "--quiet", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1",
             "--host=" + m_host, "--port=" + std::to_string(m_port), "--username=" + m_role,
             "--dbname=" + (database.empty() ? m_options.database : database), "--command=" + sql});
    if (result.status != 0) throw std::runtime_error("psql failed on `" + sql + "`:\n" + result.text());
    return chomp(result.out);
}

void PgCluster::createDatabase(const std::string& name) const {
    const RunResult result =
        run({tool("createdb"), "--host=" + m_host, "--port=" + std::to_string(m_port), "--username=" + m_role, name});
    if (result.status != 0) throw std::runtime_error("createdb " + name + " failed:\n" + result.text());
}

std::string PgCluster::serverLog() const {
    return readFile(m_log);
}

long PgCluster::postmasterPid() const {
    std::ifstream in(m_dataDir + "/postmaster.pid");
    long pid = -1;
    if (!(in >> pid) || pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0) return -1;
    return pid;
}

void PgCluster::teardown() noexcept {
    try {
        if (m_running) {
            try {
                stop();
            } catch (const std::exception&) {
                // A fast shutdown that hangs (a stuck client) must not keep the folder:
                // immediate mode, and as the last resort the postmaster's death, which its
                // children notice and follow.
                std::vector<std::string> stop = m_asClusterUser;
                stop.insert(stop.end(), {tool("pg_ctl"), "stop", "--pgdata=" + m_dataDir, "--mode=immediate", "--wait",
                                         "--silent"});
                if (run(stop, m_dir).status != 0) {
                    const long pid = postmasterPid();
                    if (pid > 0) ::kill(static_cast<pid_t>(pid), SIGKILL);
                }
                m_running = false;
            }
        }
        if (!m_dir.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(m_dir, ec);
            m_dir.clear();
        }
    } catch (...) {
        // Nothing may escape a destructor; a leftover folder under /tmp is the worst case.
    }
}

}  // namespace tandem::test
