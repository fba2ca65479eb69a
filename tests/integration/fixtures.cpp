#include "fixtures.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace tandem::test {

DemoServer& sharedServer() {
    static DemoServer server;
    if (!server.process) {
        ServerOptions options;
        options.dataDir = server.dir.path();
        options.env = {{"TANDEM_HEADER_TIMEOUT_MS", "1000"}, {"TANDEM_BODY_TIMEOUT_MS", "2000"}};
        server.process = std::make_unique<ServerProcess>(options);
        if (!server.process->started()) {
            throw std::runtime_error("tandem-server did not start: " + server.process->firstLine() +
                                     "\n" + server.process->stderrText());
        }
    }
    return server;
}

const nlohmann::json& loginAs(DemoServer& server, const std::string& username) {
    auto it = server.logins.find(username);
    if (it != server.logins.end()) return it->second;
    const nlohmann::json body = {{"username", username}, {"password", "tandem-demo"}};
    auto result = httpRequest(server.process->host(), server.process->port(), "POST", "/api/v1/login",
                              body.dump(), {{"Content-Type", "application/json"}});
    if (result.status != 200) {
        throw std::runtime_error("login as " + username + ": " + std::to_string(result.status) + " " +
                                 result.body + result.error);
    }
    return server.logins[username] = nlohmann::json::parse(result.body);
}

std::string bearer(DemoServer& server, const std::string& username) {
    return "Bearer " + loginAs(server, username)["token"].get<std::string>();
}

std::string randomHex(std::size_t digits) {
    static std::mt19937_64 random(std::random_device{}());
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < digits; ++i) out += kHex[random() % 16];
    return out;
}

nlohmann::json newPlanOps(const std::string& site, const std::string& department,
                          const std::string& title) {
    const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    const std::string entity = randomHex(32);
    auto hlc = [&](int n) {
        char buffer[17];
        std::snprintf(buffer, sizeof buffer, "%016llx",
                      static_cast<unsigned long long>((nowMs << 16) | n));
        return std::string(buffer);
    };
    nlohmann::json ops = nlohmann::json::array();
    const std::pair<const char*, nlohmann::json> fields[] = {
        {"title", title}, {"lead_department", department}, {"status", "draft"}};
    int n = 0;
    for (const auto& [field, value] : fields) {
        ++n;
        ops.push_back({{"site", site},
                       {"n", n},
                       {"entity", entity},
                       {"type", "plan"},
                       {"field", field},
                       {"value", value},
                       {"hlc", hlc(n)}});
    }
    return ops;
}

nlohmann::json syncAs(DemoServer& server, const std::string& username, const nlohmann::json& body,
                      HttpResult* raw) {
    auto result = httpRequest(server.process->host(), server.process->port(), "POST", "/api/v1/sync",
                              body.dump(),
                              {{"Content-Type", "application/json"},
                               {"Authorization", bearer(server, username)}});
    if (raw != nullptr) *raw = result;
    if (result.status != 200) return nullptr;
    return nlohmann::json::parse(result.body, nullptr, false);
}

}  // namespace tandem::test
