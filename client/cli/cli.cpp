#include "cli.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>

#include "tandem/client/audit_check.h"
#include "tandem/client/client_service.h"
#include "tandem/client/intents.h"
#include "tandem/client/queries.h"
#include "tandem/core/plan_document.h"
#include "tandem/core/rules.h"
#include "tandem/core/schema.h"

namespace tandem::cli {

using client::ClientService;
using client::Context;
using core::Entity;
using core::EntityId;
using Fields = std::vector<std::pair<std::string, core::Json>>;
using core::Error;
using core::Json;
using core::makeError;

namespace {

const char* kUsage =
    "usage: tandem-cli [--replica DIR] [--json] COMMAND ...\n"
    "commands:\n"
    "  login URL USERNAME            sign in (password from TANDEM_PASSWORD or a prompt)\n"
    "  logout                        sign out and forget the token\n"
    "  sync [--watch] [--progress]   push pending edits, pull until current; --watch stays in sync\n"
    "  status                        server, user, online/offline, last sync, pending, rejected\n"
    "  plans                         readable plans with RAG\n"
    "  show ID                       one entity with all its fields (a plan: with its warnings)\n"
    "  warnings [--all]              warnings routed to you (--all: every warning of every plan)\n"
    "  new TYPE FIELD=JSON ...       create an entity (plan-scoped types need plan=), print its id\n"
    "  set ID FIELD JSON             edit one field\n"
    "  delete ID | restore ID        the deleted field\n"
    "  progress TASK PERCENT [--note T] [--problem T] [--next T]\n"
    "  sign ID approve|reject|acknowledge [--comment T]\n"
    "  history ID FIELD              every value the field has had\n"
    "  rejected                      edits the server refused\n"
    "  dump                          canonical JSON of the whole replica\n"
    "  audit verify                  verify the server's audit chain\n"
    "  export ID --format pdf|csv|md -o FILE\n"
    "  accept PLAN pass|fail [--completeness pass|fail] [--accuracy pass|fail] [--timeliness pass|fail]\n"
    "         [--note T] [--rectification T]\n"
    "                                record the acceptance: pass moves the plan to done; fail needs the\n"
    "                                rework (整改) and sets it due 2 working days from today\n"
    "  archive PLAN [--retrospective T]\n"
    "                                write the retrospective, then archive the plan (read-only)\n"
    "  report PLAN [--week YYYY-MM-DD]\n"
    "                                the weekly report (项目周报) of the week holding the date (default: now)\n"
    "  rollup                        per department over every plan: overdue tasks, open problems,\n"
    "                                missing sign-offs, warnings (HQ's view)\n";

struct UsageError {
    std::string message;
};

std::string isoTime(std::int64_t ms) {
    if (ms <= 0) return "never";
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}


std::string valueText(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::int64_t envInt(const char* name, std::int64_t fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    char* end = nullptr;
    const long long n = std::strtoll(v, &end, 10);
    return (end && *end == '\0') ? static_cast<std::int64_t>(n) : fallback;
}

class Cli {
public:
    Cli(CliIo& io) : m_io(io) {}

    int run(const std::vector<std::string>& args) {
        try {
            return dispatch(args);
        } catch (const UsageError& e) {
            m_io.err << "tandem-cli: " << e.message << "\n" << kUsage;
            return kExitUsage;
        } catch (const std::exception& e) {
            m_io.err << "tandem-cli: internal error: " << e.what() << "\n";
            return kExitError;
        }
    }

private:
    // ---- plumbing --------------------------------------------------------------------
    int dispatch(const std::vector<std::string>& all) {
        std::vector<std::string> args;
        std::size_t i = 0;
        for (; i < all.size(); ++i) {
            const std::string& a = all[i];
            if (a == "--json") {
                m_json = true;
            } else if (a == "--replica") {
                if (i + 1 >= all.size()) throw UsageError{"--replica needs a folder"};
                m_replicaDir = all[++i];
            } else if (a.rfind("--replica=", 0) == 0) {
                m_replicaDir = a.substr(10);
            } else if (a == "--help" || a == "-h") {
                m_io.out << kUsage;
                return kExitOk;
            } else {
                break;
            }
        }
        for (; i < all.size(); ++i) {
            if (all[i] == "--json")
                m_json = true;
            else
                args.push_back(all[i]);
        }
        if (args.empty()) throw UsageError{"no command"};
        if (m_replicaDir.empty()) m_replicaDir = client::defaultReplicaDir();
        const std::string cmd = args.front();
        args.erase(args.begin());

        static const std::map<std::string, int (Cli::*)(const std::vector<std::string>&)> commands = {
            {"login", &Cli::cmdLogin},       {"logout", &Cli::cmdLogout},     {"sync", &Cli::cmdSync},
            {"status", &Cli::cmdStatus},     {"plans", &Cli::cmdPlans},       {"show", &Cli::cmdShow},
            {"new", &Cli::cmdNew},           {"set", &Cli::cmdSet},           {"delete", &Cli::cmdDelete},
            {"restore", &Cli::cmdRestore},   {"progress", &Cli::cmdProgress}, {"sign", &Cli::cmdSign},
            {"history", &Cli::cmdHistory},   {"rejected", &Cli::cmdRejected}, {"dump", &Cli::cmdDump},
            {"audit", &Cli::cmdAudit},       {"export", &Cli::cmdExport},     {"warnings", &Cli::cmdWarnings},
            {"accept", &Cli::cmdAccept},     {"archive", &Cli::cmdArchive},   {"report", &Cli::cmdReport},
            {"rollup", &Cli::cmdRollup},
        };
        auto it = commands.find(cmd);
        if (it == commands.end()) throw UsageError{"unknown command '" + cmd + "'"};
        if (cmd == "sync" && !args.empty() && args[0] == "--watch") {
            // Block the stop signals before any thread starts, so every thread inherits
            // the mask and sigwait() in this one receives them.
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGINT);
            sigaddset(&set, SIGTERM);
            pthread_sigmask(SIG_BLOCK, &set, nullptr);
        }
        m_progressLines = cmd == "sync" && std::find(args.begin(), args.end(), "--progress") != args.end();
        if (m_progressLines) args.erase(std::find(args.begin(), args.end(), "--progress"));
        if (int rc = openService(cmd == "sync" && !args.empty() && args[0] == "--watch"); rc != kExitOk) return rc;
        return (this->*(it->second))(args);
    }

    int openService(bool watch) {
        client::ServiceOptions options;
        options.replicaDir = m_replicaDir;
        const std::int64_t skew = envInt("TANDEM_CLOCK_OFFSET_MS", 0);
        if (skew != 0) {
            auto system = core::systemWallClock();
            options.replica.wall = [system, skew] { return system() + skew; };
        }
        options.pollInterval = std::chrono::milliseconds(envInt("TANDEM_POLL_MS", 10000));
        if (watch) {
            options.sync.maxAttempts = 2;  // the watch loop backs off between syncs itself
            options.onSynced = [this](const core::Result<client::SyncReport>& r) { printWatchEvent(r); };
        }
        if (m_progressLines) {
            // One line per step on stdout, for scripts and tests.
            options.onProgress = [this](const client::SyncProgress& p) {
                std::lock_guard lock(m_outMutex);
                m_io.out << "progress " << (p.phase == client::SyncProgress::Phase::Push ? "push " : "pull ") << p.done
                         << " " << p.total << std::endl;
            };
        } else if (!watch && ::isatty(2) && !m_json) {
            options.onProgress = [this](const client::SyncProgress& p) {
                std::lock_guard lock(m_outMutex);
                m_io.err << "\r" << (p.phase == client::SyncProgress::Phase::Push ? "pushing " : "pulling ") << p.done;
                if (p.total >= 0) m_io.err << "/" << p.total;
                m_io.err << "   " << std::flush;
                m_progressShown = true;
            };
        }
        auto service = ClientService::open(std::move(options));
        if (!service) return fail(service.error());
        m_service = std::move(*service);
        return kExitOk;
    }

    template <class F>
    auto onWorker(F fn) {
        return m_service->call(std::move(fn)).get();
    }

    std::int64_t pendingCount() {
        return onWorker([](Context& ctx) -> std::int64_t {
            auto n = ctx.replica().pendingCount();
            return n ? *n : 0;
        });
    }

    bool isNetworkError(const Error& e) const {
        return e.code == "unreachable" || e.code == "network";
    }

    std::string unreachableMessage() {
        const std::int64_t n = pendingCount();
        std::string msg = "server unreachable — ";
        if (n == 0) return msg + "nothing is waiting to sync; your replica is kept";
        return msg + "your " + std::to_string(n) + (n == 1 ? " edit is" : " edits are") + " saved and will sync later";
    }

    int fail(const Error& e) {
        clearProgress();
        if (m_service && isNetworkError(e)) {
            m_io.err << "tandem-cli: " << unreachableMessage() << "\n";
            return kExitUnreachable;
        }
        // The core says who is missing; the CLI says how to sign in.
        m_io.err << "tandem-cli: "
                 << (e.code == "signed_out" ? "not signed in — run: tandem-cli login URL USERNAME" : e.message);
        if (!e.code.empty()) m_io.err << " [" << e.code << "]";
        m_io.err << "\n";
        return kExitError;
    }

    void clearProgress() {
        std::lock_guard lock(m_outMutex);
        if (m_progressShown) m_io.err << "\r" << std::string(40, ' ') << "\r" << std::flush;
        m_progressShown = false;
    }

    void printJson(const Json& j) { m_io.out << j.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n"; }

    static EntityId parseId(const std::string& text) {
        auto id = EntityId::parse(text);
        if (!id) throw UsageError{"'" + text + "' is not an id (32 lowercase hex digits)"};
        return *id;
    }

    static Json parseValue(const std::string& field, const std::string& text) {
        auto v = core::parseJson(text);
        if (!v) throw UsageError{"the value of " + field + " is not JSON (text needs quotes: '\"like this\"')"};
        return *v;
    }

    /// The session's member id, or an error when the replica was never signed in.
    core::Result<client::Session> sessionOrError() {
        auto s = onWorker([](Context& ctx) { return ctx.session(); });
        if (!s) return makeError("signed_out", "not signed in — run: tandem-cli login URL USERNAME");
        return *s;
    }

    std::string readPassword(const std::string& prompt) {
        if (const char* p = std::getenv("TANDEM_PASSWORD"); p && *p) return p;
        return m_io.readPassword ? m_io.readPassword(prompt) : std::string();
    }

    // ---- commands -----------------------------------------------------------------------
    int cmdLogin(const std::vector<std::string>& args) {
        if (args.size() != 2) throw UsageError{"login needs URL USERNAME"};
        const std::string password = readPassword("Password for " + args[1] + ": ");
        if (password.empty()) return fail(makeError("no_password", "no password given"));
        auto session = m_service->login(args[0], args[1], password).get();
        if (!session) {
            if (isNetworkError(session.error())) {
                m_io.err << "tandem-cli: server unreachable at " << args[0] << "\n";
                return kExitUnreachable;
            }
            return fail(session.error());
        }
        if (m_json) {
            printJson({{"server", session->server}, {"username", session->username}, {"member", session->member},
                       {"display_name", session->displayName}, {"department", session->department},
                       {"roles", session->roles}});
        } else {
            m_io.out << "signed in as " << session->displayName << " (" << session->username << ") at "
                     << session->server << "\n";
        }
        return kExitOk;
    }

    int cmdLogout(const std::vector<std::string>& args) {
        if (!args.empty()) throw UsageError{"logout takes no arguments"};
        if (auto s = m_service->logout().get(); !s) return fail(s.error());
        if (m_json)
            printJson({{"signed_out", true}});
        else
            m_io.out << "signed out; local data is kept\n";
        return kExitOk;
    }

    static Json reportJson(const client::SyncReport& r) {
        return {{"pushed", r.pushed},     {"accepted", r.accepted}, {"rejected", r.rejected},
                {"pulled", r.pulled},     {"cursor", r.cursor},     {"restamps", r.restamps},
                {"revoked", r.revoked},   {"server_time", r.serverTime},
                {"clock_offset_ms", r.clockOffsetMs},
                {"requests", r.wire.requests}, {"bytes_sent", r.wire.bytesSent},
                {"bytes_received", r.wire.bytesReceived}};
    }

    std::string reportLine(const client::SyncReport& r) {
        std::ostringstream s;
        s << "synced: pushed " << r.accepted << ", rejected " << r.rejected << ", pulled " << r.pulled << ", cursor "
          << r.cursor;
        if (r.restamps > 0) s << " (device clock off by " << r.clockOffsetMs / 1000 << " s: unsent edits re-stamped)";
        if (!r.revoked.empty()) s << ", " << r.revoked.size() << " plan(s) no longer shared with you were removed";
        return s.str();
    }

    // Runs on the service's worker thread.
    void printWatchEvent(const core::Result<client::SyncReport>& r) {
        std::lock_guard lock(m_outMutex);
        if (r) {
            if (m_json)
                m_io.out << Json{{"event", "synced"}, {"report", reportJson(*r)}}.dump() << "\n";
            else
                m_io.out << reportLine(*r) << "\n";
        } else if (m_json) {
            m_io.out << Json{{"event", "error"}, {"code", r.error().code}, {"message", r.error().message}}.dump() << "\n";
        } else if (isNetworkError(r.error())) {
            m_io.out << "offline: server unreachable — retrying with backoff; local edits are kept\n";
        } else {
            m_io.out << "sync failed: " << r.error().message << " [" << r.error().code << "]\n";
        }
        m_io.out.flush();
        if (!r && (r.error().code == "unauthorized" || r.error().code == "signed_out")) {
            // Nothing more to watch until the user signs in again: end like a stop signal.
            m_watchSignedOut = true;
            ::kill(::getpid(), SIGTERM);
        }
    }

    int cmdSync(const std::vector<std::string>& args) {
        const bool watch = !args.empty() && args[0] == "--watch";
        if (args.size() > (watch ? 1u : 0u)) throw UsageError{"sync takes only --watch"};
        if (!watch) {
            auto report = m_service->syncNow().get();
            clearProgress();
            if (!report) return fail(report.error());
            if (m_json)
                printJson(reportJson(*report));
            else
                m_io.out << reportLine(*report) << "\n";
            if (report->rejected > 0)
                m_io.err << "tandem-cli: the server refused " << report->rejected
                         << (report->rejected == 1 ? " edit" : " edits") << "; see: tandem-cli rejected\n";
            return kExitOk;
        }
        auto session = sessionOrError();
        if (!session) return fail(session.error());
        if (!session->signedIn())
            return fail(makeError("unauthorized", "your session has expired — sign in again: tandem-cli login URL USERNAME"));
        m_service->setWatching(true);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        int sig = 0;
        sigwait(&set, &sig);
        m_service.reset();  // stops watching, cancels a transfer in flight, joins
        return m_watchSignedOut ? kExitError : kExitOk;
    }

    int cmdStatus(const std::vector<std::string>& args) {
        if (!args.empty()) throw UsageError{"status takes no arguments"};
        struct Snapshot {
            client::ServiceState state;
            std::optional<client::Session> session;
            std::string site;
            std::int64_t offset = 0;
        };
        auto snap = onWorker([](Context& ctx) {
            return Snapshot{ctx.state(), ctx.session(), ctx.replica().site().hex(), ctx.replica().clock().offset()};
        });
        const auto& s = snap.state;
        const char* session = s.session == client::SessionState::SignedIn         ? "signed in"
                              : s.session == client::SessionState::SignInRequired ? "sign in again"
                                                                                  : "signed out";
        // The last sync attempt's outcome tells online from offline without a network call.
        const bool online = s.lastSyncMs > 0 && s.lastErrorCode.empty();
        if (m_json) {
            printJson({{"server", s.server}, {"username", s.username},
                       {"display_name", snap.session ? snap.session->displayName : ""},
                       {"session", session}, {"online", online}, {"last_sync", s.lastSyncMs},
                       {"pending", s.pending}, {"rejected", s.rejected}, {"cursor", s.cursor},
                       {"site", snap.site}, {"clock_offset_ms", snap.offset}, {"replica", m_replicaDir}});
            return kExitOk;
        }
        m_io.out << "replica:    " << m_replicaDir << " (site " << snap.site << ")\n";
        m_io.out << "server:     " << (s.server.empty() ? "-" : s.server) << "\n";
        m_io.out << "user:       "
                 << (snap.session ? snap.session->username + " (" + snap.session->displayName + ")" : std::string("-"))
                 << "\n";
        m_io.out << "session:    " << session << "\n";
        m_io.out << "connection: " << (online ? "online" : "offline") << "\n";
        m_io.out << "last sync:  " << isoTime(s.lastSyncMs) << "\n";
        m_io.out << "pending:    " << s.pending << (s.pending == 1 ? " edit" : " edits") << "\n";
        m_io.out << "rejected:   " << s.rejected << (s.rejected == 1 ? " edit" : " edits")
                 << (s.rejected > 0 ? " (see: tandem-cli rejected)" : "") << "\n";
        return kExitOk;
    }

    int cmdPlans(const std::vector<std::string>& args) {
        if (!args.empty()) throw UsageError{"plans takes no arguments"};
        auto plans = onWorker([](Context& ctx) { return client::planSummaries(ctx); });
        if (!plans) return fail(plans.error());
        if (m_json) {
            auto orNull = [](const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); };
            Json out = Json::array();
            for (const auto& p : *plans)
                out.push_back({{"id", p.id.hex()},
                               {"title", orNull(p.title)},
                               {"status", orNull(p.status)},
                               {"lead", orNull(p.lead)},
                               {"rag", core::ragName(p.rag)},
                               {"warnings", p.warnings}});
            printJson(out);
            return kExitOk;
        }
        if (plans->empty()) m_io.out << "no plans (sync first?)\n";
        for (const auto& p : *plans)
            m_io.out << p.id.hex() << "  " << core::ragName(p.rag) << "  " << p.status.value_or("-") << "  "
                     << p.lead.value_or("-") << "  " << p.title.value_or("(untitled)") << "\n";
        return kExitOk;
    }

    int cmdShow(const std::vector<std::string>& args) {
        if (args.size() != 1) throw UsageError{"show needs ID"};
        const EntityId id = parseId(args[0]);
        auto entity = onWorker([id](Context& ctx) { return ctx.replica().entity(id); });
        if (!entity) return fail(entity.error());
        if (!*entity) return fail(makeError("not_found", "no entity " + id.hex() + " in this replica"));
        const Entity& e = **entity;
        if (m_json) {
            Json fields = Json::object();
            for (const auto& [name, fv] : e.fields) fields[name] = fv.value;
            printJson({{"id", e.id.hex()}, {"type", e.type}, {"plan", e.plan ? Json(e.plan->hex()) : Json(nullptr)},
                       {"deleted", e.deleted()}, {"fields", fields}});
            return kExitOk;
        }
        m_io.out << e.type << " " << e.id.hex() << (e.deleted() ? " (deleted)" : "") << "\n";
        for (const auto& [name, fv] : e.fields) m_io.out << "  " << name << " = " << valueText(fv.value) << "\n";
        if ((e.type == "plan" || e.type == "change_request") && e.plan) {
            auto signoffs = onWorker([&e](Context& ctx) { return ctx.replica().entities("signoff", e.plan); });
            if (!signoffs) return fail(signoffs.error());
            bool any = false;
            for (const Entity& s : *signoffs) {
                if (s.deleted() || s.get("subject") != e.id.hex()) continue;
                if (!any) m_io.out << "sign-offs:\n";
                any = true;
                m_io.out << "  " << s.id.hex() << "  " << valueText(s.get("meaning")) << "  department "
                         << valueText(s.get("department")) << "  signer " << valueText(s.get("signer"))
                         << (s.get("stale") == true ? "  (stale)" : "") << "\n";
            }
        }
        if (e.type == "plan") {
            auto view = onWorker([id](Context& ctx) { return client::planView(ctx, id); });
            if (!view) return fail(view.error());
            if (!view->warnings.empty()) m_io.out << "warnings:\n";
            printWarnings(view->warnings);
        }
        return kExitOk;
    }

    int cmdWarnings(const std::vector<std::string>& args) {
        const bool all = args.size() == 1 && args[0] == "--all";
        if (!args.empty() && !all) throw UsageError{"warnings takes only --all"};
        auto found =
            onWorker([all](Context& ctx) { return all ? client::everyWarning(ctx) : client::myWarnings(ctx); });
        if (!found) return fail(found.error());
        if (!m_json && found->empty()) m_io.out << (all ? "no warnings\n" : "no warnings for you\n");
        printWarnings(*found);
        return kExitOk;
    }

    void printWarnings(const std::vector<core::Warning>& warnings) {
        if (m_json) {
            Json out = Json::array();
            for (const auto& w : warnings) out.push_back(core::warningJson(w));
            printJson(out);
            return;
        }
        for (const auto& w : warnings)
            m_io.out << "  [" << core::ragName(w.severity) << "] " << core::formatWarning(w, uiLanguage()) << "\n";
    }

    /// Chinese when the user's locale is (LANG / LC_ALL zh_*), English otherwise.
    static core::Language uiLanguage() {
        for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"})
            if (const char* value = std::getenv(name); value && *value)
                return std::string_view(value).substr(0, 2) == "zh" ? core::Language::Chinese : core::Language::English;
        return core::Language::English;
    }

    int cmdNew(const std::vector<std::string>& args) {
        if (args.empty()) throw UsageError{"new needs TYPE FIELD=JSON ..."};
        const core::TypeSpec* type = core::findType(args[0]);
        if (!type) return fail(makeError("unknown_type", "no entity type '" + args[0] + "'"));
        Fields fields;
        for (std::size_t i = 1; i < args.size(); ++i) {
            const auto eq = args[i].find('=');
            if (eq == std::string::npos || eq == 0) throw UsageError{"'" + args[i] + "' is not FIELD=JSON"};
            const std::string name = args[i].substr(0, eq);
            fields.emplace_back(name, parseValue(name, args[i].substr(eq + 1)));
        }
        // A plan-scoped type without fields lacks its plan, which the core names.
        if (fields.empty() && !type->planScoped) throw UsageError{"new needs at least one FIELD=JSON"};
        auto id = onWorker([&](Context& ctx) { return client::createEntity(ctx, type->name, std::move(fields)); });
        if (!id) return fail(id.error());
        if (m_json)
            printJson({{"id", id->hex()}});
        else
            m_io.out << id->hex() << "\n";
        return kExitOk;
    }

    /// Runs `write` (a write of `field` of entity `id`) on the worker and reports it.
    template <class Write>
    int saveField(const EntityId& id, const std::string& field, const Json& value, Write write) {
        auto type = onWorker([&](Context& ctx) -> core::Result<std::string> {
            if (auto written = write(ctx); !written) return written.error();
            auto entity = ctx.replica().entity(id);
            if (!entity) return entity.error();
            return *entity ? (*entity)->type : std::string();
        });
        if (!type) return fail(type.error());
        if (m_json)
            printJson({{"id", id.hex()}, {"field", field}, {"value", value}});
        else
            m_io.out << "saved locally: " << *type << " " << id.hex() << " " << field << "\n";
        return kExitOk;
    }

    int cmdSet(const std::vector<std::string>& args) {
        if (args.size() != 3) throw UsageError{"set needs ID FIELD JSON"};
        const EntityId id = parseId(args[0]);
        const Json value = parseValue(args[1], args[2]);
        return saveField(id, args[1], value, [&](Context& ctx) { return client::setField(ctx, id, args[1], value); });
    }

    int cmdDelete(const std::vector<std::string>& args) {
        if (args.size() != 1) throw UsageError{"delete needs ID"};
        const EntityId id = parseId(args[0]);
        return saveField(id, "deleted", true, [&](Context& ctx) { return client::setDeleted(ctx, id, true); });
    }

    int cmdRestore(const std::vector<std::string>& args) {
        if (args.size() != 1) throw UsageError{"restore needs ID"};
        const EntityId id = parseId(args[0]);
        return saveField(id, "deleted", false, [&](Context& ctx) { return client::setDeleted(ctx, id, false); });
    }

    /// Parses `--name VALUE` options after `positional` positional arguments.
    static std::map<std::string, std::string> options(const std::vector<std::string>& args, std::size_t positional,
                                                      std::initializer_list<const char*> known) {
        std::map<std::string, std::string> out;
        for (std::size_t i = positional; i < args.size(); ++i) {
            bool ok = false;
            for (const char* k : known)
                if (args[i] == k) ok = true;
            if (!ok || i + 1 >= args.size()) throw UsageError{"unexpected '" + args[i] + "'"};
            out[args[i]] = args[i + 1];
            ++i;
        }
        return out;
    }

    int cmdProgress(const std::vector<std::string>& args) {
        if (args.size() < 2) throw UsageError{"progress needs TASK PERCENT"};
        client::ProgressReport report;
        report.task = parseId(args[0]);
        auto percent = core::parseJson(args[1]);
        if (!percent || !percent->is_number_integer() || *percent < INT_MIN || *percent > INT_MAX)
            throw UsageError{"PERCENT must be an integer 0-100"};
        report.percent = percent->get<int>();
        const auto opts = options(args, 2, {"--note", "--problem", "--next"});
        if (auto it = opts.find("--note"); it != opts.end()) report.note = it->second;
        if (auto it = opts.find("--problem"); it != opts.end()) report.problem = it->second;
        if (auto it = opts.find("--next"); it != opts.end()) report.nextStep = it->second;
        auto entry = onWorker([&](Context& ctx) { return client::logProgress(ctx, report); });
        if (!entry) return fail(entry.error());
        if (m_json)
            printJson({{"id", entry->hex()}, {"task", report.task.hex()}, {"percent", report.percent}});
        else
            m_io.out << entry->hex() << "\n";
        return kExitOk;
    }

    int cmdSign(const std::vector<std::string>& args) {
        if (args.size() < 2) throw UsageError{"sign needs ID approve|reject|acknowledge"};
        const EntityId subject = parseId(args[0]);
        const auto meaning = client::parseSignMeaning(args[1]);
        if (!meaning) throw UsageError{"the meaning must be approve, reject or acknowledge"};
        const auto opts = options(args, 2, {"--comment"});
        const std::string comment = opts.count("--comment") ? opts.at("--comment") : std::string();
        // Refused before the password is asked.
        struct Judged {
            core::Decision decision;
            std::string type, username;
        };
        auto judged = onWorker([&](Context& ctx) -> core::Result<Judged> {
            auto decision = client::maySign(ctx, subject, *meaning);
            if (!decision) return decision.error();
            auto entity = ctx.replica().entity(subject);
            if (!entity) return entity.error();
            return Judged{*decision, *entity ? (*entity)->type : std::string(), ctx.session()->username};
        });
        if (!judged) return fail(judged.error());
        if (!judged->decision.allowed) return fail(makeError("forbidden", judged->decision.message));
        const std::string password = readPassword("Password for " + judged->username + " (to sign): ");
        auto signoff =
            onWorker([&](Context& ctx) { return client::signOff(ctx, subject, *meaning, comment, password); });
        if (!signoff) return fail(signoff.error());
        if (m_json)
            printJson({{"id", signoff->signoff.hex()},
                       {"subject", subject.hex()},
                       {"meaning", args[1]},
                       {"content_hash", signoff->contentHash}});
        else
            m_io.out << signoff->signoff.hex() << "\n"
                     << "signed (" << args[1] << ") " << judged->type << " " << subject.hex() << ", content hash "
                     << signoff->contentHash << "; it reaches the server with the next sync\n";
        return kExitOk;
    }

    int cmdHistory(const std::vector<std::string>& args) {
        if (args.size() != 2) throw UsageError{"history needs ID FIELD"};
        const EntityId id = parseId(args[0]);
        const std::string field = args[1];
        auto changes = onWorker([&](Context& ctx) { return client::fieldHistory(ctx, id, field); });
        if (!changes) return fail(changes.error());
        if (m_json) {
            Json out = Json::array();
            for (const auto& c : *changes)
                out.push_back({{"value", c.op.value},
                               {"current", c.current},
                               {"hlc", c.op.hlc.hex()},
                               {"time", static_cast<std::int64_t>(c.op.hlc.physicalMs())},
                               {"site", c.op.site.hex()},
                               {"n", c.op.n},
                               {"seq", c.op.seq ? Json(*c.op.seq) : Json(nullptr)},
                               {"author", c.op.author ? Json(c.op.author->hex()) : Json(nullptr)},
                               {"author_name", c.authorName ? Json(*c.authorName) : Json(nullptr)}});
            printJson(out);
            return kExitOk;
        }
        if (changes->empty()) m_io.out << "no values for " << field << "\n";
        for (const auto& c : *changes)
            m_io.out << (c.current ? "* " : "  ") << isoTime(static_cast<std::int64_t>(c.op.hlc.physicalMs())) << "  "
                     << c.authorName.value_or("site " + c.op.site.hex()) << (c.op.seq ? "" : " (unsent)") << "  "
                     << valueText(c.op.value) << "\n";
        return kExitOk;
    }

    int cmdRejected(const std::vector<std::string>& args) {
        if (!args.empty()) throw UsageError{"rejected takes no arguments"};
        auto edits = onWorker([](Context& ctx) { return ctx.replica().rejectedEdits(); });
        if (!edits) return fail(edits.error());
        if (m_json) {
            Json out = Json::array();
            for (const auto& e : *edits)
                out.push_back({{"id", e.op.idString()}, {"entity", e.op.entity.hex()}, {"type", e.op.type},
                               {"field", e.op.field}, {"value", e.op.value}, {"code", e.code}, {"message", e.message},
                               {"rejected_at", e.rejectedAtMs}});
            printJson(out);
            return kExitOk;
        }
        if (edits->empty()) m_io.out << "no rejected edits\n";
        for (const auto& e : *edits)
            m_io.out << isoTime(e.rejectedAtMs) << "  " << e.op.type << " " << e.op.entity.hex() << " " << e.op.field
                     << " = " << valueText(e.op.value) << "\n    refused: " << e.code << " — " << e.message << "\n";
        return kExitOk;
    }

    int cmdDump(const std::vector<std::string>& args) {
        if (!args.empty()) throw UsageError{"dump takes no arguments"};
        auto dump = onWorker([](Context& ctx) { return ctx.replica().dump(); });
        if (!dump) return fail(dump.error());
        m_io.out << *dump << "\n";
        return kExitOk;
    }

    int cmdAudit(const std::vector<std::string>& args) {
        if (args.size() != 1 || args[0] != "verify") throw UsageError{"audit needs: verify"};
        auto outcome = onWorker([](Context& ctx) { return client::checkAuditChain(ctx); });
        if (!outcome) return fail(outcome.error());
        const Json& server = outcome->server;
        const bool serverOk = server.value("ok", false);
        const bool localOk = !outcome->local || outcome->local->ok;
        if (m_json) {
            Json j = {{"ok", serverOk && localOk}, {"server", server}};
            if (outcome->local)
                j["local"] = {{"ok", outcome->local->ok}, {"entries", outcome->local->entries},
                              {"head", outcome->local->head}, {"broken_at", outcome->local->brokenAt},
                              {"reason", outcome->local->reason}};
            printJson(j);
        } else if (serverOk && localOk) {
            m_io.out << "audit chain intact: " << server.value("entries", Json(0)).dump() << " entries, head "
                     << server.value("head", std::string("-"))
                     << (outcome->local ? " (recomputed here from the full listing)" : " (server check; your role cannot list the whole chain)")
                     << "\n";
        } else {
            m_io.out << "audit chain BROKEN";
            if (!serverOk) m_io.out << "; server reports broken_at " << server.value("broken_at", Json(nullptr)).dump();
            if (!localOk) m_io.out << "; recomputed here: broken at seq " << outcome->local->brokenAt << " (" << outcome->local->reason << ")";
            m_io.out << "\n";
        }
        return serverOk && localOk ? kExitOk : kExitError;
    }

    int cmdExport(const std::vector<std::string>& args) {
        if (args.empty()) throw UsageError{"export needs ID --format pdf|csv|md -o FILE"};
        const EntityId plan = parseId(args[0]);
        const auto opts = options(args, 1, {"--format", "-o"});
        if (!opts.count("--format") || !opts.count("-o")) throw UsageError{"export needs --format and -o"};
        const std::string format = opts.at("--format");
        if (format != "pdf" && format != "csv" && format != "md") throw UsageError{"--format is pdf, csv or md"};
        auto view = onWorker([plan](Context& ctx) { return client::planView(ctx, plan); });
        if (!view) return fail(view.error());
        core::PlanDocumentOptions o;
        o.generatedAtMs = view->nowMs;
        o.warnings = std::move(view->warnings);
        o.rag = view->rag;
        auto document = format == "md"    ? core::Result<std::string>(core::planMarkdown(view->snapshot, o))
                        : format == "csv" ? core::Result<std::string>(core::tasksCsv(view->snapshot, o))
                                          : core::planPdf(view->snapshot, o);
        if (!document) return fail(document.error());
        const std::string& file = opts.at("-o");
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(document->data(), static_cast<std::streamsize>(document->size()));
        out.close();
        if (!out) return fail(makeError("cant_open", "cannot write " + file));
        if (m_json)
            printJson({{"file", file}, {"format", format}, {"bytes", document->size()}});
        else
            m_io.out << "wrote " << file << " (" << document->size() << " bytes)\n";
        return kExitOk;
    }

    // ---- acceptance, archive, reports (issue 6) -------------------------------------------
    int cmdAccept(const std::vector<std::string>& args) {
        if (args.size() < 2 || (args[1] != "pass" && args[1] != "fail"))
            throw UsageError{"accept needs PLAN pass|fail"};
        const EntityId planId = parseId(args[0]);
        client::Acceptance acceptance;
        acceptance.pass = args[1] == "pass";
        const auto opts =
            options(args, 2, {"--completeness", "--accuracy", "--timeliness", "--note", "--rectification"});
        for (auto [name, check] : {std::pair{"completeness", &acceptance.completeness},
                                   {"accuracy", &acceptance.accuracy},
                                   {"timeliness", &acceptance.timeliness}}) {
            auto it = opts.find(std::string("--") + name);
            if (it == opts.end()) continue;
            if (it->second != "pass" && it->second != "fail")
                throw UsageError{std::string("--") + name + " is pass or fail"};
            if (acceptance.pass && it->second == "fail")
                throw UsageError{std::string("a passed acceptance has no failed check (--") + name + ")"};
            *check = it->second == "pass";
        }
        if (auto it = opts.find("--note"); it != opts.end()) acceptance.note = it->second;
        const auto rectification = opts.find("--rectification");
        if (acceptance.pass && rectification != opts.end()) throw UsageError{"--rectification goes with fail"};
        if (!acceptance.pass && rectification == opts.end())
            throw UsageError{"a failed acceptance needs --rectification (the rework, 整改, to be done)"};
        if (!acceptance.pass) acceptance.rectification = rectification->second;
        // The due date, and the plan's status as the acceptance leaves it.
        auto recorded = onWorker([&](Context& ctx) -> core::Result<std::pair<std::string, Json>> {
            auto due = client::recordAcceptance(ctx, planId, acceptance);
            if (!due) return due.error();
            auto plan = ctx.replica().entity(planId);
            if (!plan) return plan.error();
            return std::make_pair(*due, *plan ? (*plan)->get("status") : Json());
        });
        if (!recorded) return fail(recorded.error());
        const auto& [due, status] = *recorded;
        if (m_json) {
            printJson({{"plan", planId.hex()},
                       {"result", acceptance.pass ? "accepted" : "rejected"},
                       {"status", status},
                       {"rectification_due", acceptance.pass ? Json(nullptr) : Json(due)}});
        } else if (acceptance.pass) {
            m_io.out << "acceptance passed: plan " << planId.hex()
                     << " is done; it reaches the server with the next sync\n";
        } else {
            m_io.out << "acceptance failed: the rework (整改) is due " << due << " (" << core::kRectificationWorkingDays
                     << " working days); it reaches the server with the next sync\n";
        }
        return kExitOk;
    }

    int cmdArchive(const std::vector<std::string>& args) {
        if (args.empty()) throw UsageError{"archive needs PLAN"};
        const EntityId planId = parseId(args[0]);
        const auto opts = options(args, 1, {"--retrospective"});
        const std::string retrospective = opts.count("--retrospective") ? opts.at("--retrospective") : std::string();
        auto archived = onWorker([&](Context& ctx) { return client::archivePlan(ctx, planId, retrospective); });
        if (!archived) return fail(archived.error());
        if (m_json)
            printJson(
                {{"plan", planId.hex()}, {"status", "archived"}, {"retrospective", opts.count("--retrospective") > 0}});
        else
            m_io.out << "archived plan " << planId.hex() << ": read-only from now on (the server stamps archived_at); "
                     << "it reaches the server with the next sync\n";
        return kExitOk;
    }

    int cmdReport(const std::vector<std::string>& args) {
        if (args.empty()) throw UsageError{"report needs PLAN"};
        const EntityId planId = parseId(args[0]);
        const auto opts = options(args, 1, {"--week"});
        std::optional<core::CalendarDate> week;
        if (auto it = opts.find("--week"); it != opts.end()) {
            week = core::parseDate(it->second);
            if (!week) throw UsageError{"--week needs a date YYYY-MM-DD"};
        }
        auto report = onWorker([&](Context& ctx) { return client::weeklyReport(ctx, planId, week); });
        if (!report) return fail(report.error());
        if (m_json)
            printJson(core::weeklyReportJson(report->weekly));
        else
            m_io.out << core::weeklyReportMarkdown(report->weekly, report->snapshot, uiLanguage());
        return kExitOk;
    }

    int cmdRollup(const std::vector<std::string>& args) {
        if (!args.empty()) throw UsageError{"rollup takes no arguments"};
        auto rows = onWorker([](Context& ctx) { return client::rollup(ctx); });
        if (!rows) return fail(rows.error());
        if (m_json) {
            Json out = Json::array();
            for (const auto& row : *rows) out.push_back(core::departmentRollupJson(row));
            printJson(out);
        } else if (rows->empty()) {
            m_io.out << "no plans (sync first?)\n";
        } else {
            m_io.out << core::departmentRollupsMarkdown(*rows, uiLanguage());
        }
        return kExitOk;
    }

    CliIo& m_io;
    bool m_json = false;
    std::string m_replicaDir;
    std::unique_ptr<ClientService> m_service;
    std::mutex m_outMutex;
    bool m_progressShown = false;
    bool m_progressLines = false;
    std::atomic<bool> m_watchSignedOut{false};
};

}  // namespace

std::string promptPassword(const std::string& prompt) {
    int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    const bool ownFd = fd >= 0;
    if (!ownFd) fd = STDIN_FILENO;
    termios old{};
    const bool tty = ::tcgetattr(fd, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
        (void)!::write(ownFd ? fd : STDERR_FILENO, prompt.data(), prompt.size());
    }
    std::string line;
    char c;
    while (::read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
    if (tty) {
        ::tcsetattr(fd, TCSAFLUSH, &old);
        (void)!::write(ownFd ? fd : STDERR_FILENO, "\n", 1);
    }
    if (ownFd) ::close(fd);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

int runCli(const std::vector<std::string>& args, CliIo& io) {
    Cli cli(io);
    return cli.run(args);
}

}  // namespace tandem::cli
