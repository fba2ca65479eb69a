#pragma once
// Shared pieces of the server integration tests: one demo server reused by the tests
// that do not change its limits, logins, and a push that advances the cursor.

#include "server_process.h"
#include "test_client.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

namespace tandem::test {

/// A demo server on a temporary directory, started on first use, stopped at exit.
struct DemoServer {
    TempDir dir;
    std::unique_ptr<ServerProcess> process;
    std::map<std::string, nlohmann::json> logins;  // username → 200 answer of login
};

/// The shared demo server (short header/body timeouts so limit tests run fast).
DemoServer& sharedServer();

/// The login answer of a demo account (password tandem-demo); cached per server.
const nlohmann::json& loginAs(DemoServer& server, const std::string& username);
std::string bearer(DemoServer& server, const std::string& username);

/// A fresh 16-hex site id / 32-hex entity id.
std::string randomHex(std::size_t digits);

/// The ops that create a plan led by `department` (mkt.head's department), at the
/// current time; n counts from 1.
nlohmann::json newPlanOps(const std::string& site, const std::string& department,
                          const std::string& title);

/// POST /api/v1/sync; the parsed answer (null on a non-200 answer).
nlohmann::json syncAs(DemoServer& server, const std::string& username, const nlohmann::json& body,
                      HttpResult* raw = nullptr);

}  // namespace tandem::test
