#include "tandem/client/session.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tandem/core/canonical_json.h"
#include "tandem/core/password.h"

namespace tandem::client {

using core::Json;
using core::makeError;

namespace {

// The server's policy: the verifier guards the same password, in a file on a laptop.
// 0.1 wrote 100,000; such verifiers still check, and are replaced (verifierNeedsUpgrade).
constexpr int kVerifierIterations = core::kDefaultPasswordIterations;

std::string stringOr(const Json& j, const char* key) {
    auto it = j.find(key);
    return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

}  // namespace

core::Result<LoginAnswer> decodeLoginAnswer(const std::string& body) {
    auto json = core::parseJson(body);
    if (!json || !json->is_object()) return makeError("bad_response", "login answer is not a JSON object");
    const Json& j = *json;
    LoginAnswer a;
    auto token = j.find("token");
    auto member = j.find("member");
    auto time = j.find("server_time");
    if (token == j.end() || !token->is_string() || token->get<std::string>().empty())
        return makeError("bad_response", "login answer has no token");
    if (member == j.end() || !member->is_string() || !core::EntityId::parse(member->get<std::string>()))
        return makeError("bad_response", "login answer has no member id");
    if (time == j.end() || !time->is_number_integer()) return makeError("bad_response", "login answer has no server_time");
    a.session.token = token->get<std::string>();
    a.session.member = member->get<std::string>();
    a.session.displayName = stringOr(j, "display_name");
    a.session.department = stringOr(j, "department");
    if (auto roles = j.find("roles"); roles != j.end() && roles->is_array())
        for (const auto& r : *roles)
            if (r.is_string()) a.session.roles.push_back(r.get<std::string>());
    a.serverTime = time->get<std::int64_t>();
    return a;
}

core::Result<LoginAnswer> requestLogin(Transport& transport, const std::string& username, const std::string& password) {
    const Json body = {{"username", username}, {"password", password}};
    auto response = transport.post("/api/v1/login", body.dump(), "");
    if (!response) return response.error();
    if (response->status == 401) return makeError("unauthorized", "wrong username or password");
    if (response->status == 429) return makeError("too_many_requests", "too many failed sign-ins; wait a minute and try again");
    if (response->status == 503) return makeError("unavailable", "the server is busy; try again in a moment");
    if (response->status != 200)
        return makeError("http_" + std::to_string(response->status), "sign-in failed (HTTP " + std::to_string(response->status) + ")");
    auto answer = decodeLoginAnswer(response->body);
    if (!answer) return answer.error();
    answer->session.username = username;
    return answer;
}

void setPasswordVerifier(Session& session, const std::string& password) {
    auto encoded = core::hashPassword(password, kVerifierIterations);
    session.verifier = encoded ? *encoded : std::string();  // empty: sign-offs then need the server
}

bool checkPassword(const Session& session, const std::string& password) {
    return core::verifyPassword(password, session.verifier);
}

bool verifierNeedsUpgrade(const Session& session) {
    return core::needsRehash(session.verifier, kVerifierIterations);
}

core::Status ensureDirectory(const std::string& dir) {
    std::error_code ec;
    std::filesystem::path p(dir);
    if (std::filesystem::is_directory(p, ec)) return {};
    if (p.has_parent_path() && p.parent_path() != p) {
        if (auto s = ensureDirectory(p.parent_path().string()); !s) return s;
    }
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return makeError("cant_open", "cannot create folder " + dir + ": " + std::strerror(errno));
    return {};
}

SessionStore::SessionStore(std::string dir) : m_dir(std::move(dir)) {}

std::string SessionStore::path() const { return m_dir + "/session.json"; }

core::Result<std::optional<Session>> SessionStore::load() const {
    const int fd = ::open(path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::optional<Session>();
        return makeError("cant_open", std::string("cannot read the session: ") + std::strerror(errno));
    }
    std::string text;
    char buf[4096];
    for (;;) {
        const ssize_t got = ::read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        text.append(buf, static_cast<std::size_t>(got));
    }
    ::close(fd);
    auto json = core::parseJson(text);
    if (!json || !json->is_object()) return makeError("corrupt", "the session file is damaged; sign in again");
    const Json& j = *json;
    Session s;
    s.server = stringOr(j, "server");
    s.username = stringOr(j, "username");
    s.member = stringOr(j, "member");
    s.displayName = stringOr(j, "display_name");
    s.department = stringOr(j, "department");
    s.token = stringOr(j, "token");
    if (auto e = j.find("expired"); e != j.end() && e->is_boolean()) s.expired = e->get<bool>();
    if (auto roles = j.find("roles"); roles != j.end() && roles->is_array())
        for (const auto& r : *roles)
            if (r.is_string()) s.roles.push_back(r.get<std::string>());
    s.verifier = stringOr(j, "verifier");
    return std::optional<Session>(std::move(s));
}

core::Status SessionStore::save(const Session& s) const {
    if (auto st = ensureDirectory(m_dir); !st) return st;
    const Json j = {{"server", s.server},           {"username", s.username},
                    {"member", s.member},           {"display_name", s.displayName},
                    {"department", s.department},   {"roles", s.roles},
                    {"token", s.token},             {"expired", s.expired},
                    {"verifier", s.verifier}};
    const std::string text = j.dump(2) + "\n";
    const std::string tmp = path() + ".tmp";
    ::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return makeError("cant_open", std::string("cannot write the session: ") + std::strerror(errno));
    ::fchmod(fd, 0600);  // whatever the umask
    std::size_t off = 0;
    while (off < text.size()) {
        const ssize_t put = ::write(fd, text.data() + off, text.size() - off);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) {
            ::close(fd);
            ::unlink(tmp.c_str());
            return makeError("disk_full", std::string("cannot write the session: ") + std::strerror(errno));
        }
        off += static_cast<std::size_t>(put);
    }
    ::fsync(fd);
    ::close(fd);
    if (::rename(tmp.c_str(), path().c_str()) != 0) {
        ::unlink(tmp.c_str());
        return makeError("cant_open", std::string("cannot write the session: ") + std::strerror(errno));
    }
    return {};
}

core::Status SessionStore::remove() const {
    if (::unlink(path().c_str()) != 0 && errno != ENOENT)
        return makeError("cant_open", std::string("cannot remove the session: ") + std::strerror(errno));
    return {};
}

}  // namespace tandem::client
