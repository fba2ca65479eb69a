#pragma once
// Helpers for the client and end-to-end tests: temporary folders, child processes
// (tandem-server, tandem-cli) with piped output, and waiting with deadlines.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace tandem::test {

class TempDir {
public:
    TempDir() {
        namespace fs = std::filesystem;
        static std::mt19937_64 gen{std::random_device{}()};
        const char* base = std::getenv("TANDEM_TEST_TMP");
        const fs::path root = base ? fs::path(base) : fs::temp_directory_path();
        for (int i = 0; i < 100; ++i) {
            fs::path p = root / ("tandem-e2e-" + std::to_string(gen()));
            std::error_code ec;
            if (fs::create_directory(p, ec)) {
                m_path = p;
                return;
            }
        }
        throw std::runtime_error("cannot create a temporary directory");
    }
    ~TempDir() {
        if (std::getenv("TANDEM_KEEP_TMP")) return;
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string path() const { return m_path.string(); }
    std::string sub(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

/// A child process with its stdout (and stderr) piped to us.
class Process {
public:
    Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
            const std::string& stderrFile = {}) {
        int out[2];
        if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        if (!stderrFile.empty())
            posix_spawn_file_actions_addopen(&actions, 2, stderrFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        std::vector<std::string> envStrings;
        for (char** e = environ; *e; ++e) {
            std::string kv(*e);
            const std::string key = kv.substr(0, kv.find('='));
            if (!env.count(key)) envStrings.push_back(kv);
        }
        for (const auto& [k, v] : env)
            if (!v.empty()) envStrings.push_back(k + "=" + v);
        std::vector<char*> envp, args;
        for (auto& s : envStrings) envp.push_back(s.data());
        envp.push_back(nullptr);
        std::vector<std::string> argCopy = argv;
        for (auto& s : argCopy) args.push_back(s.data());
        args.push_back(nullptr);
        const int rc = posix_spawn(&m_pid, args[0], &actions, nullptr, args.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        m_out = out[0];
        if (rc != 0) {
            ::close(m_out);
            throw std::runtime_error("cannot start " + argv[0]);
        }
    }
    ~Process() {
        if (m_pid > 0 && !m_exited) {
            ::kill(m_pid, SIGKILL);
            wait();
        }
        if (m_out >= 0) ::close(m_out);
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return m_pid; }

    /// The next line of stdout, or nullopt at EOF or when the deadline passes.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (auto nl = m_buffer.find('\n'); nl != std::string::npos) {
                std::string line = m_buffer.substr(0, nl);
                m_buffer.erase(0, nl + 1);
                return line;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd p{m_out, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            char buf[4096];
            const ssize_t got = ::read(m_out, buf, sizeof buf);
            if (got <= 0) return std::nullopt;
            m_buffer.append(buf, static_cast<std::size_t>(got));
        }
    }
    /// Reads lines until one contains `needle`; returns it, or nullopt on timeout/EOF.
    std::optional<std::string> waitForLine(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            auto line = readLine(left);
            if (!line) return std::nullopt;
            if (line->find(needle) != std::string::npos) return line;
        }
    }
    /// All remaining stdout (until EOF).
    std::string readAll() {
        std::string all = std::move(m_buffer);
        m_buffer.clear();
        char buf[65536];
        for (;;) {
            const ssize_t got = ::read(m_out, buf, sizeof buf);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) break;
            all.append(buf, static_cast<std::size_t>(got));
        }
        return all;
    }
    void signal(int sig) { ::kill(m_pid, sig); }
    /// Waits for exit; the exit status, or 128+signal.
    int wait() {
        if (m_exited) return m_status;
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_exited = true;
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return m_status;
    }

private:
    pid_t m_pid = -1;
    int m_out = -1;
    std::string m_buffer;
    bool m_exited = false;
    int m_status = 0;
};

struct RunResult {
    int status = -1;
    std::string out;
};

/// Runs a program to completion and collects its stdout.
inline RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                     const std::string& stderrFile = {}) {
    Process p(argv, env, stderrFile);
    RunResult r;
    r.out = p.readAll();
    r.status = p.wait();
    return r;
}

}  // namespace tandem::test
