// tandem-server: serve the sync API, or manage accounts and verify the audit trail.
// Thin by design: argument parsing and wiring; net/ and service/ do the work.

#include "net/http_server.h"
#include "service/sync_api.h"
#include "storage/pg/pg_import.h"

#include <termios.h>
#include <unistd.h>

#include <pthread.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using tandem::server::NewUser;
using tandem::server::SyncApi;
using tandem::server::SyncApiOptions;

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

constexpr const char* kUsage =
    "usage:\n"
    "  tandem-server --data DIR [--listen HOST:PORT] [--demo] [--tls-cert FILE --tls-key FILE]\n"
    "                [--retention-days N]\n"
    "  tandem-server user add USERNAME --data DIR [--display-name NAME] [--department CODE]\n"
    "                                  [--role ROLE]...\n"
    "  tandem-server user passwd USERNAME --data DIR\n"
    "  tandem-server user disable USERNAME --data DIR\n"
    "  tandem-server audit verify --data DIR\n"
    "  tandem-server migrate --from DIR --to postgresql://…\n"
    "  (everywhere but migrate: --db postgresql://… in place of --data DIR, for PostgreSQL)\n"
    "  tandem-server --help\n"
    "\n"
    "Serves the Tandem sync API (default --listen 127.0.0.1:8080; port 0 picks a free\n"
    "port) and prints 'listening on http://HOST:PORT' once it accepts connections.\n"
    "SIGTERM or SIGINT drains requests in flight and exits 0. --demo seeds the demo\n"
    "organisation once. Archived plans and their records cannot be deleted until\n"
    "--retention-days after archiving (default and minimum 730: only raised).\n"
    "Passwords come from TANDEM_PASSWORD or a prompt. migrate copies the organisation in\n"
    "DIR (stop its server first) into a new, empty PostgreSQL database, in one\n"
    "transaction; it refuses a database that holds data.\n"
    "Limits from the environment: TANDEM_BODY_LIMIT, TANDEM_MAX_CONNECTIONS,\n"
    "TANDEM_IDLE_TIMEOUT_MS, TANDEM_HEADER_TIMEOUT_MS, TANDEM_BODY_TIMEOUT_MS,\n"
    "TANDEM_IO_THREADS, TANDEM_WORKER_THREADS, TANDEM_LOGIN_HASHES.\n";

int usageError(const std::string& message) {
    std::cerr << "tandem-server: " << message << "\n" << kUsage;
    return kExitUsage;
}

int fail(const std::string& message) {
    std::cerr << "tandem-server: " << message << "\n";
    return kExitError;
}

/// Options after the subcommand words: --name VALUE pairs, flags and positionals.
struct Arguments {
    std::vector<std::string> positional;
    std::vector<std::pair<std::string, std::string>> options;
    std::vector<std::string> flags;

    std::optional<std::string> last(const std::string& name) const {
        std::optional<std::string> value;
        for (const auto& [key, v] : options) {
            if (key == name) value = v;
        }
        return value;
    }
    bool has(const std::string& flag) const {
        for (const auto& f : flags) {
            if (f == flag) return true;
        }
        return false;
    }
};

/// Splits argv; `valued` names the options that take a value. Returns an error or "".
std::string parseArguments(int argc, char** argv, int first, const std::vector<std::string>& valued,
                           const std::vector<std::string>& flagNames, Arguments& out) {
    for (int i = first; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0) {
            out.positional.push_back(arg);
            continue;
        }
        std::string name = arg;
        std::optional<std::string> inlineValue;
        if (auto eq = arg.find('='); eq != std::string::npos) {
            name = arg.substr(0, eq);
            inlineValue = arg.substr(eq + 1);
        }
        if (std::find(valued.begin(), valued.end(), name) != valued.end()) {
            if (inlineValue) {
                out.options.emplace_back(name, *inlineValue);
            } else if (i + 1 < argc) {
                out.options.emplace_back(name, argv[++i]);
            } else {
                return name + " needs a value";
            }
        } else if (!inlineValue && std::find(flagNames.begin(), flagNames.end(), name) != flagNames.end()) {
            out.flags.push_back(name);
        } else {
            return "unknown option " + name;
        }
    }
    return {};
}

/// A password from TANDEM_PASSWORD, else read from the terminal without echo.
std::optional<std::string> readPassword(const char* prompt, bool confirm) {
    if (const char* fromEnv = std::getenv("TANDEM_PASSWORD"); fromEnv != nullptr) {
        return std::string(fromEnv);
    }
    auto readOne = [](const char* text) -> std::optional<std::string> {
        std::cerr << text << std::flush;
        termios saved{};
        const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
        if (tty) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        std::string line;
        const bool got = static_cast<bool>(std::getline(std::cin, line));
        if (tty) {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
            std::cerr << "\n";
        }
        if (!got) return std::nullopt;
        return line;
    };
    auto password = readOne(prompt);
    if (!password) return std::nullopt;
    if (confirm && isatty(STDIN_FILENO)) {
        auto again = readOne("Repeat the password: ");
        if (!again || *again != *password) {
            std::cerr << "tandem-server: the passwords differ\n";
            return std::nullopt;
        }
    }
    return password;
}

/// Where the data lives: --data DIR (SQLite) or --db URL (PostgreSQL), exactly one.
struct Location {
    std::string dataDir;
    std::string dbUrl;
    std::string name() const { return dbUrl.empty() ? dataDir : "the PostgreSQL database"; }
};

/// The location the arguments name, or an error for usageError.
std::string locationOf(const Arguments& args, Location& out) {
    const auto dataDir = args.last("--data");
    const auto dbUrl = args.last("--db");
    if (dataDir && dbUrl) return "--data and --db exclude each other";
    if (dbUrl) {
        if (dbUrl->rfind("postgresql://", 0) != 0 && dbUrl->rfind("postgres://", 0) != 0)
            return "--db takes a postgresql:// URL";
        out.dbUrl = *dbUrl;
        return {};
    }
    if (!dataDir || dataDir->empty()) return "--data DIR (or --db postgresql://…) is required";
    out.dataDir = *dataDir;
    return {};
}

std::unique_ptr<SyncApi> openApi(const Location& location, const SyncApiOptions& options, std::string& error) {
    auto api = location.dbUrl.empty() ? SyncApi::open(location.dataDir, options)
                                      : SyncApi::openPostgres(location.dbUrl, options);
    if (!api) {
        error = "cannot open " + location.name() + ": " + api.error().code + ": " + api.error().message;
        return nullptr;
    }
    return std::move(api).value();
}

int runUser(int argc, char** argv) {
    if (argc < 4) return usageError("user needs add|passwd|disable and a USERNAME");
    const std::string action = argv[2];
    Arguments args;
    std::vector<std::string> valued{"--data", "--db"};
    if (action == "add")
        valued.insert(valued.end(), {"--display-name", "--department", "--role"});
    else if (action != "passwd" && action != "disable")
        return usageError("unknown user action '" + action + "'");
    if (auto error = parseArguments(argc, argv, 3, valued, {}, args); !error.empty()) return usageError(error);
    if (args.positional.size() != 1) return usageError("user " + action + " takes one USERNAME");
    Location location;
    if (auto error = locationOf(args, location); !error.empty()) return usageError(error);
    const std::string username = args.positional.front();

    std::string error;
    if (action == "add") {
        NewUser user;
        user.username = username;
        user.displayName = args.last("--display-name").value_or(username);
        user.departmentCode = args.last("--department");
        std::vector<std::string> roles;
        for (const auto& [key, value] : args.options) {
            if (key == "--role") roles.push_back(value);
        }
        if (!roles.empty()) user.roles = roles;
        auto password = readPassword("Password: ", true);
        if (!password || password->empty()) return fail("no password given");
        user.password = *password;
        auto api = openApi(location, {}, error);
        if (!api) return fail(error);
        auto added = api->addUser(user);
        if (!added) return fail(added.error().code + ": " + added.error().message);
        std::cout << "added " << username << "\n";
        return kExitOk;
    }
    if (action == "passwd") {
        auto password = readPassword("New password: ", true);
        if (!password || password->empty()) return fail("no password given");
        auto api = openApi(location, {}, error);
        if (!api) return fail(error);
        auto status = api->setPassword(username, *password);
        if (!status) return fail(status.error().code + ": " + status.error().message);
        std::cout << "password changed for " << username << "\n";
        return kExitOk;
    }
    auto api = openApi(location, {}, error);
    if (!api) return fail(error);
    auto status = api->disableUser(username);
    if (!status) return fail(status.error().code + ": " + status.error().message);
    std::cout << "disabled " << username << "\n";
    return kExitOk;
}

int runAudit(int argc, char** argv) {
    if (argc < 3 || std::string(argv[2]) != "verify") return usageError("audit takes: verify --data DIR");
    Arguments args;
    if (auto error = parseArguments(argc, argv, 3, {"--data", "--db"}, {}, args); !error.empty()) {
        return usageError(error);
    }
    if (!args.positional.empty()) return usageError("unexpected '" + args.positional.front() + "'");
    Location location;
    if (auto error = locationOf(args, location); !error.empty()) return usageError(error);
    std::string error;
    auto api = openApi(location, {}, error);
    if (!api) return fail(error);
    auto verdict = api->verifyAudit();
    if (!verdict) return fail(verdict.error().code + ": " + verdict.error().message);
    if (verdict->ok) {
        std::cout << "audit chain ok: " << verdict->entries << " entries, head " << verdict->head << "\n";
        return kExitOk;
    }
    std::cout << "audit chain BROKEN at seq " << verdict->brokenAt << ": " << verdict->reason << "\n";
    return kExitError;
}

int runMigrate(int argc, char** argv) {
    Arguments args;
    if (auto error = parseArguments(argc, argv, 2, {"--from", "--to"}, {}, args); !error.empty())
        return usageError(error);
    if (!args.positional.empty()) return usageError("unexpected '" + args.positional.front() + "'");
    const auto from = args.last("--from");
    const auto to = args.last("--to");
    if (!from || from->empty() || !to) return usageError("migrate takes --from DIR --to postgresql://…");
    if (to->rfind("postgresql://", 0) != 0 && to->rfind("postgres://", 0) != 0)
        return usageError("--to takes a postgresql:// URL");
    auto report = tandem::server::pg::importFromSqlite(*from, *to);
    if (!report) return fail("migrate: " + report.error().code + ": " + report.error().message);
    for (const auto& [table, rows] : report->tables) std::cout << table << ": " << rows << " rows\n";
    std::cout << "migrated " << *from << " to the PostgreSQL database\n";
    return kExitOk;
}

int runServer(int argc, char** argv) {
    Arguments args;
    if (auto error =
            parseArguments(argc, argv, 1, {"--data", "--db", "--listen", "--tls-cert", "--tls-key", "--retention-days"},
                           {"--demo"}, args);
        !error.empty()) {
        return usageError(error);
    }
    if (!args.positional.empty()) return usageError("unexpected '" + args.positional.front() + "'");
    Location location;
    if (auto error = locationOf(args, location); !error.empty()) return usageError(error);

    tandem::server::net::HttpServerConfig config;
    if (auto listen = args.last("--listen")) {
        if (auto error = tandem::server::net::parseListenAddress(*listen, config); !error.empty()) {
            return usageError("--listen: " + error);
        }
    }
    config.tlsCertFile = args.last("--tls-cert").value_or("");
    config.tlsKeyFile = args.last("--tls-key").value_or("");
    if (config.tlsCertFile.empty() != config.tlsKeyFile.empty()) {
        return usageError("--tls-cert and --tls-key go together");
    }
    if (auto error = tandem::server::net::applyEnvironment(config); !error.empty()) {
        return usageError(error);
    }
    SyncApiOptions options;
    options.demo = args.has("--demo");
    if (auto days = args.last("--retention-days")) {
        // The templates keep a filed plan at least 2 years: a server may keep it longer.
        const char* end = days->data() + days->size();
        auto [stop, ec] = std::from_chars(days->data(), end, options.retentionDays);
        if (ec != std::errc() || stop != end) return usageError("--retention-days needs a number of days");
        if (options.retentionDays < tandem::core::kMinRetentionDays) {
            return usageError("--retention-days " + *days + " is below " +
                              std::to_string(tandem::core::kMinRetentionDays) +
                              " (2 years): the retention period can only be raised");
        }
    }

    if (const char* hashes = std::getenv("TANDEM_LOGIN_HASHES"); hashes != nullptr) {
        // Password checks that may run at once (default: half the cores).
        const char* end = hashes + std::char_traits<char>::length(hashes);
        auto [stop, ec] = std::from_chars(hashes, end, options.loginHashSlots);
        if (ec != std::errc() || stop != end || options.loginHashSlots == 0)
            return usageError("TANDEM_LOGIN_HASHES needs a positive number");
    }

    // Block the stop signals in every thread (the server's threads inherit this mask);
    // this thread takes them with sigwait() below.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    std::string error;
    auto api = openApi(location, options, error);
    if (!api) return fail(error);
    SyncApi& domain = *api;
    config.domainMetrics = [&domain] { return domain.metricsText(); };

    {
        tandem::server::net::HttpServer server(domain, config);
        if (auto startError = server.start(); !startError.empty()) return fail(startError);
        std::printf("listening on %s\n", server.url().c_str());
        std::fflush(stdout);

        int signal = 0;
        sigwait(&stopSignals, &signal);
        server.stop();  // stop accepting, finish requests in flight, join the threads
    }
    api.reset();  // closes the database
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usageError("missing arguments");
    const std::string first = argv[1];
    if (first == "--help" || first == "-h" || first == "help") {
        std::cout << kUsage;
        return kExitOk;
    }
    if (first == "user") return runUser(argc, argv);
    if (first == "audit") return runAudit(argc, argv);
    if (first == "migrate") return runMigrate(argc, argv);
    return runServer(argc, argv);
}
