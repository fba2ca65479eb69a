#pragma once
// The signed-in session (DESIGN §5): which server and user a replica is bound to, the
// bearer token, and a local password verifier (PBKDF2-SHA256) so sign-offs can ask for
// the password again while offline.
//
// Kept in `<replica dir>/session.json`, created 0600 in a 0700 folder and replaced
// atomically. A token the server refused (401) is cleared and the session marked
// `expired`: the user must sign in again, while the replica keeps working offline.
//
// Thread contract: plain functions and values; SessionStore is used from one thread
// at a time. Never logs the token or the password.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tandem/client/transport.h"
#include "tandem/core/ids.h"
#include "tandem/core/result.h"

namespace tandem::client {

struct Session {
    std::string server;      // base URL, e.g. "http://127.0.0.1:8080"
    std::string username;
    std::string member;      // member id (32 hex)
    std::string displayName;
    std::string department;  // department id, or empty
    std::vector<std::string> roles;
    std::string token;       // empty when signed out or expired
    bool expired = false;    // the server refused the token: sign in again
    // Password verifier, encoded by tandem/core/password.h (salted PBKDF2-SHA256).
    std::string verifier;

    bool signedIn() const { return !token.empty() && !expired; }
};

/// The answer of POST /api/v1/login.
struct LoginAnswer {
    Session session;          // server left empty; verifier left empty
    std::int64_t serverTime = 0;
};

/// Decodes a login answer body (bad_response on a malformed one).
core::Result<LoginAnswer> decodeLoginAnswer(const std::string& body);

/// POST /api/v1/login. Errors: unauthorized (wrong user or password),
/// too_many_requests, unavailable (the server is busy checking passwords: try again),
/// unreachable/network, bad_response, http_<status>.
core::Result<LoginAnswer> requestLogin(Transport& transport, const std::string& username, const std::string& password);

/// Fills the session's password verifier from `password`, at the current policy
/// (core::kDefaultPasswordIterations: about 0.1-0.5 s of CPU).
void setPasswordVerifier(Session& session, const std::string& password);
/// True when `password` matches the session's verifier, also one made under an older,
/// weaker policy.
bool checkPassword(const Session& session, const std::string& password);
/// True when the verifier is weaker than the current policy (or missing or malformed):
/// once the password is known to be right, setPasswordVerifier should replace it.
bool verifierNeedsUpgrade(const Session& session);

class SessionStore {
public:
    explicit SessionStore(std::string dir);
    const std::string& dir() const { return m_dir; }
    std::string path() const;

    /// The stored session, or nullopt when none (never signed in, or signed out).
    core::Result<std::optional<Session>> load() const;
    /// Writes the session (0600, atomically).
    core::Status save(const Session& session) const;
    /// Removes the session file (logout).
    core::Status remove() const;

private:
    std::string m_dir;
};

/// Creates `dir` and its parents; a folder this creates is 0700.
core::Status ensureDirectory(const std::string& dir);

}  // namespace tandem::client
