#pragma once
// The real tandem-server and tandem-cli for end-to-end tests: start a demo server on an
// ephemeral loopback port (restartable on the same port and data), run CLI commands
// on temporary replicas, read JSON answers.

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>

#include "support.h"
#include "tandem/core/canonical_json.h"

#ifndef TANDEM_SERVER_BIN
#error "TANDEM_SERVER_BIN must be defined"
#endif
#ifndef TANDEM_CLI_BIN
#error "TANDEM_CLI_BIN must be defined"
#endif

namespace tandem::test {

inline const std::string kDemoPassword = "tandem-demo";

class Server {
public:
    /// `env`: the server's environment on top of ours (limits such as TANDEM_BODY_LIMIT).
    explicit Server(const TempDir& dir, std::map<std::string, std::string> env = {})
        : m_data(dir.sub("server-data")), m_log(dir.sub("server.log")), m_env(std::move(env)) {
        start("0");
    }
    ~Server() { stop(); }

    void start(const std::string& port) {
        m_process = std::make_unique<Process>(
            std::vector<std::string>{TANDEM_SERVER_BIN, "--data", m_data, "--listen", "127.0.0.1:" + port, "--demo"},
            m_env, m_log);
        auto line = m_process->readLine(std::chrono::seconds(30));
        REQUIRE(line);
        std::smatch m;
        const std::regex re("listening on (http://127\\.0\\.0\\.1:([0-9]+))");
        REQUIRE(std::regex_search(*line, m, re));
        m_url = m[1];
        m_port = m[2];
    }
    /// SIGTERM and wait: the server drains and exits 0.
    int stop() {
        if (!m_process) return 0;
        m_process->signal(SIGTERM);
        const int status = m_process->wait();
        m_process.reset();
        return status;
    }
    void kill() {
        if (!m_process) return;
        m_process->signal(SIGKILL);
        m_process->wait();
        m_process.reset();
    }
    void restart() { start(m_port); }
    const std::string& url() const { return m_url; }

private:
    std::string m_data, m_log;
    std::map<std::string, std::string> m_env;
    std::unique_ptr<Process> m_process;
    std::string m_url, m_port;
};

/// One replica folder driven through tandem-cli processes.
class Cli {
public:
    Cli(const TempDir& dir, const std::string& name) : m_dir(dir.sub(name)), m_err(dir.sub(name + ".stderr")) {}
    const std::string& dir() const { return m_dir; }

    RunResult run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) const {
        return test::run(argv(args), withPassword(std::move(env)), m_err);
    }
    /// Runs and requires exit status 0.
    std::string ok(std::vector<std::string> args, std::map<std::string, std::string> env = {}) const {
        auto r = run(args, env);
        INFO("tandem-cli " << args.front() << " exited " << r.status << "; stderr in " << m_err);
        REQUIRE(r.status == 0);
        return r.out;
    }
    core::Json json(std::vector<std::string> args, std::map<std::string, std::string> env = {}) const {
        args.insert(args.begin(), "--json");
        auto out = ok(args, env);
        auto j = core::parseJson(out);
        REQUIRE(j);
        return *j;
    }
    std::string dump() const { return ok({"dump"}); }
    /// The last line this replica's tandem-cli processes wrote to stderr.
    std::string lastError() const {
        std::ifstream in(m_err);
        std::string line, last;
        while (std::getline(in, line))
            if (!line.empty()) last = line;
        return last;
    }
    std::unique_ptr<Process> spawn(std::vector<std::string> args, std::map<std::string, std::string> env = {}) const {
        return std::make_unique<Process>(argv(args), withPassword(std::move(env)), m_err);
    }
    /// Logs in as `username` (demo password) and pulls until current.
    void signIn(const Server& server, const std::string& username) const {
        ok({"login", server.url(), username});
        ok({"sync"});
    }

private:
    std::vector<std::string> argv(const std::vector<std::string>& args) const {
        std::vector<std::string> out = {TANDEM_CLI_BIN, "--replica", m_dir};
        out.insert(out.end(), args.begin(), args.end());
        return out;
    }
    static std::map<std::string, std::string> withPassword(std::map<std::string, std::string> env) {
        if (!env.count("TANDEM_PASSWORD")) env["TANDEM_PASSWORD"] = kDemoPassword;
        return env;
    }

    std::string m_dir, m_err;
};

/// The demo organisation as one replica sees it.
struct Demo {
    std::string plan;                                // "Q3 新品推广"
    std::map<std::string, std::string> departments;  // code → id
    std::map<std::string, std::string> members;      // username → id
    core::Json entities;                             // id → {type, fields}

    static Demo from(const Cli& cli) {
        Demo d;
        auto dump = core::parseJson(cli.dump());
        REQUIRE(dump);
        d.entities = (*dump)["entities"];
        for (auto& [id, e] : d.entities.items()) {
            const auto& f = e["fields"];
            if (e["type"] == "plan" && f.value("title", "") == "Q3 新品推广") d.plan = id;
            if (e["type"] == "department") d.departments[f.value("code", "")] = id;
            if (e["type"] == "member") d.members[f.value("username", "")] = id;
        }
        REQUIRE(!d.plan.empty());
        return d;
    }
    /// The id of a task of the demo plan led by the department `code`.
    std::string taskLedBy(const std::string& code) const {
        const std::string dept = departments.at(code);
        for (auto& [id, e] : entities.items()) {
            const auto& f = e["fields"];
            if (e["type"] == "task" && f.value("plan", "") == plan && f.value("lead_department", "") == dept &&
                !f.value("deleted", false))
                return id;
        }
        FAIL("no task led by " << code);
        return {};
    }
};

}  // namespace tandem::test
