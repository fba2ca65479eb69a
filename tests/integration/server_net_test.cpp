// The real tandem-server binary over loopback: startup, health, metrics, keep-alive,
// gzip both ways, body limits, slow clients, the connection cap.

#include "fixtures.h"

#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

using namespace tandem::test;
using nlohmann::json;

namespace {

constexpr auto kShort = std::chrono::milliseconds(5000);

HttpResult health(const ServerProcess& server) {
    return httpRequest(server.host(), server.port(), "GET", "/api/v1/health");
}

}  // namespace

TEST_CASE("server: prints the listening line with the bound port, serves, and exits 0 on SIGTERM",
          "[server]") {
    TempDir dir;
    ServerProcess server({dir.path(), false, {}, {}});
    REQUIRE(server.started());
    CHECK(std::regex_match(server.firstLine(), std::regex(R"(listening on http://127\.0\.0\.1:[1-9][0-9]*)")));
    CHECK(health(server).status == 200);
    CHECK(server.stop() == 0);
    CHECK(server.stderrText().find("\"event\":\"stopped\"") != std::string::npos);
}

TEST_CASE("server: bad usage exits 2 with a message, --help exits 0", "[server]") {
    // The ServerProcess helper always passes --data/--listen; run these directly.
    auto run = [](const std::string& args) {
        const std::string command = std::string(TANDEM_SERVER_BIN) + " " + args + " >/dev/null 2>&1";
        const int status = std::system(command.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    CHECK(run("--help") == 0);
    CHECK(run("") == 2);
    CHECK(run("--listen 127.0.0.1:0") == 2);                        // no --data
    CHECK(run("--data /tmp --listen nowhere") == 2);                // no port
    CHECK(run("--data /tmp --listen 127.0.0.1:99999") == 2);        // port out of range
    CHECK(run("--data /tmp --bogus") == 2);
    CHECK(run("--data /tmp --tls-cert only-a-cert.pem") == 2);      // cert without key
    CHECK(run("user frobnicate x --data /tmp") == 2);
    CHECK(run("audit verify") == 2);                                 // no --data
}

TEST_CASE("health: GET /api/v1/health answers 200 {status: ok}", "[server]") {
    auto& server = sharedServer();
    auto result = health(*server.process);
    REQUIRE(result.status == 200);
    CHECK(json::parse(result.body)["status"] == "ok");
    CHECK(result.header("content-type").rfind("application/json", 0) == 0);
}

TEST_CASE("metrics: Prometheus text with requests, latency histogram, connections, live and domain metrics",
          "[server]") {
    auto& server = sharedServer();
    REQUIRE(health(*server.process).status == 200);
    auto result = httpRequest(server.process->host(), server.process->port(), "GET", "/metrics");
    REQUIRE(result.status == 200);
    CHECK(result.header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
    const std::string& text = result.body;
    CHECK(text.find("# TYPE tandem_http_requests_total counter") != std::string::npos);
    CHECK(text.find("# TYPE tandem_http_request_duration_seconds histogram") != std::string::npos);
    CHECK(std::regex_search(text, std::regex(R"(tandem_http_requests_total\{route="health",status="2xx"\} [1-9])")));
    CHECK(std::regex_search(
        text, std::regex(R"(tandem_http_request_duration_seconds_bucket\{route="health",status="2xx",le="\+Inf"\} [1-9])")));
    CHECK(std::regex_search(text, std::regex(R"(\ntandem_http_connections [1-9][0-9]*\n)")));
    CHECK(text.find("\ntandem_live_sessions ") != std::string::npos);

    // Every line is a comment or `name{labels} value`; some family comes from the domain.
    static const std::regex kSample(R"([a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eE]+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (\+Inf|-Inf|NaN))");
    std::istringstream lines(text);
    std::string line;
    bool domainFamily = false;
    int samples = 0;
    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        if (line.rfind("# ", 0) == 0) {
            if (line.rfind("# TYPE ", 0) == 0 && line.rfind("# TYPE tandem_http_", 0) != 0 &&
                line.rfind("# TYPE tandem_live_", 0) != 0) {
                domainFamily = true;
            }
            continue;
        }
        INFO(line);
        CHECK(std::regex_match(line, kSample));
        ++samples;
    }
    CHECK(samples > 20);
    CHECK(domainFamily);
}

TEST_CASE("keep-alive: several requests on one connection; Connection: close and HTTP/1.0 close it",
          "[server]") {
    auto& server = sharedServer();
    HttpConnection connection(server.process->host(), server.process->port());
    REQUIRE(connection.connected());
    for (int i = 0; i < 5; ++i) {
        auto result = connection.request("GET", "/api/v1/health");
        REQUIRE(result.status == 200);
        CHECK(result.header("connection") != "close");
    }
    auto last = connection.request("GET", "/api/v1/health", {}, {{"Connection", "close"}});
    CHECK(last.status == 200);
    CHECK(connection.waitClosedByPeer(kShort));

    HttpConnection old(server.process->host(), server.process->port());
    REQUIRE(old.sendRaw("GET /api/v1/health HTTP/1.0\r\n\r\n"));
    CHECK(old.readResponse().status == 200);
    CHECK(old.waitClosedByPeer(kShort));
}

TEST_CASE("gzip: a gzip request body is inflated, and answers are gzip when asked", "[server]") {
    auto& server = sharedServer();
    const json login = {{"username", "mkt.head"}, {"password", "tandem-demo"}};
    auto result = httpRequest(server.process->host(), server.process->port(), "POST", "/api/v1/login",
                              gzipText(login.dump()),
                              {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"},
                               {"Accept-Encoding", "deflate, gzip;q=0.8"}});
    REQUIRE(result.status == 200);
    CHECK(result.header("content-encoding") == "gzip");
    const auto answer = json::parse(gunzipText(result.body), nullptr, false);
    REQUIRE(answer.is_object());
    CHECK(answer["token"].is_string());

    auto plain = httpRequest(server.process->host(), server.process->port(), "GET", "/api/v1/health", {},
                             {{"Accept-Encoding", "gzip;q=0, identity"}});
    REQUIRE(plain.status == 200);
    CHECK(plain.header("content-encoding").empty());
    CHECK(json::parse(plain.body)["status"] == "ok");

    // A large pull compresses well.
    const json sync = {{"site", randomHex(16)}, {"cursor", 0}, {"ops", json::array()}};
    auto pulled = httpRequest(server.process->host(), server.process->port(), "POST", "/api/v1/sync",
                              sync.dump(),
                              {{"Authorization", bearer(server, "hq.zhao")},
                               {"Content-Type", "application/json"}, {"Accept-Encoding", "gzip"}});
    REQUIRE(pulled.status == 200);
    REQUIRE(pulled.header("content-encoding") == "gzip");
    const std::string inflated = gunzipText(pulled.body);
    CHECK(inflated.size() > pulled.body.size());
    CHECK(json::parse(inflated, nullptr, false)["ops"].size() > 0);
}

TEST_CASE("gzip: a corrupt body is 400 bad_request, a bomb is 413 payload_too_large", "[server]") {
    auto& server = sharedServer();
    auto send = [&](const std::string& body) {
        return httpRequest(server.process->host(), server.process->port(), "POST", "/api/v1/login", body,
                           {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}});
    };
    auto corrupt = send("this is not gzip at all");
    CHECK(corrupt.status == 400);
    CHECK(corrupt.errorCode() == "bad_request");

    std::string truncated = gzipText(R"({"username":"x","password":"y"})");
    truncated.resize(truncated.size() / 2);
    auto cut = send(truncated);
    CHECK(cut.status == 400);
    CHECK(cut.errorCode() == "bad_request");

    // 64 MiB of spaces compress to ~64 KiB: far past the 8 MiB limit once inflated.
    const std::string bomb = gzipText(std::string(64u << 20, ' '));
    REQUIRE(bomb.size() < (1u << 20));
    auto exploded = send(bomb);
    CHECK(exploded.status == 413);
    CHECK(exploded.errorCode() == "payload_too_large");
    CHECK(health(*server.process).status == 200);
}

TEST_CASE("limits: a body over 8 MiB is 413 payload_too_large, by Content-Length or chunked", "[server]") {
    auto& server = sharedServer();
    // Announced too large: refused on the headers, before the body is read.
    HttpConnection announced(server.process->host(), server.process->port());
    REQUIRE(announced.sendRaw("POST /api/v1/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              "Content-Length: 9437184\r\n\r\n"));
    auto early = announced.readResponse();
    CHECK(early.status == 413);
    CHECK(early.errorCode() == "payload_too_large");

    // Actually sent: the whole 9 MiB body.
    auto whole = httpRequest(server.process->host(), server.process->port(), "POST", "/api/v1/sync",
                             std::string(9u << 20, 'x'), {{"Content-Type", "application/json"}});
    CHECK(whole.status == 413);
    CHECK(whole.errorCode() == "payload_too_large");

    // Chunked, each chunk small, the sum too large.
    HttpConnection chunked(server.process->host(), server.process->port());
    REQUIRE(chunked.sendRaw("POST /api/v1/sync HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const std::string chunk = "100000\r\n" + std::string(1u << 20, 'x') + "\r\n";
    for (int i = 0; i < 9; ++i) {
        if (!chunked.sendRaw(chunk)) break;  // the server may close once over the limit
    }
    auto result = chunked.readResponse();
    CHECK(result.status == 413);
    CHECK(result.errorCode() == "payload_too_large");
    CHECK(health(*server.process).status == 200);
}

TEST_CASE("limits: a push of more than 5,000 operations is 413 payload_too_large", "[server]") {
    auto& server = sharedServer();
    const std::string site = randomHex(16);
    json ops = json::array();
    for (int n = 1; n <= 5001; ++n) {
        ops.push_back({{"site", site}, {"n", n}, {"entity", randomHex(32)}, {"type", "plan"},
                       {"field", "title"}, {"value", "x"}, {"hlc", "0190a3b2c4d50001"}});
    }
    HttpResult raw;
    syncAs(server, "mkt.head", {{"site", site}, {"cursor", 0}, {"ops", ops}}, &raw);
    CHECK(raw.status == 413);
    CHECK(raw.errorCode() == "payload_too_large");
}

TEST_CASE("slow clients: half a header is dropped after the header timeout; others are served meanwhile",
          "[server]") {
    auto& server = sharedServer();  // header timeout 1 s
    HttpConnection slow(server.process->host(), server.process->port());
    REQUIRE(slow.sendRaw("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
    // While it dawdles, other clients are served.
    for (int i = 0; i < 3; ++i) CHECK(health(*server.process).status == 200);
    const auto started = std::chrono::steady_clock::now();
    CHECK(slow.waitClosedByPeer(std::chrono::seconds(10)));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK(server.process->waitForStderr("\"event\":\"header_timeout\"", kShort));
    CHECK(health(*server.process).status == 200);
}

TEST_CASE("slow clients: a body that stops arriving is dropped after the body timeout", "[server]") {
    auto& server = sharedServer();  // body timeout 2 s
    HttpConnection slow(server.process->host(), server.process->port());
    REQUIRE(slow.sendRaw("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         "Content-Length: 100\r\n\r\n{\"username\":"));
    CHECK(health(*server.process).status == 200);
    CHECK(slow.waitClosedByPeer(std::chrono::seconds(10)));
    CHECK(server.process->waitForStderr("\"event\":\"body_timeout\"", kShort));
}

TEST_CASE("limits: connections over the cap get 503 and are closed; a freed slot serves again",
          "[server]") {
    TempDir dir;
    ServerProcess server({dir.path(), false, {}, {{"TANDEM_MAX_CONNECTIONS", "4"}}});
    REQUIRE(server.started());
    std::vector<std::unique_ptr<HttpConnection>> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(std::make_unique<HttpConnection>(server.host(), server.port()));
        // A full round trip proves the server counts this connection.
        REQUIRE(held.back()->request("GET", "/api/v1/health").status == 200);
    }
    auto refused = httpRequest(server.host(), server.port(), "GET", "/api/v1/health");
    CHECK(refused.status == 503);
    CHECK(refused.errorCode() == "unavailable");
    CHECK(refused.header("retry-after") == "1");
    // Held connections still work.
    CHECK(held.front()->request("GET", "/api/v1/health").status == 200);

    // Free one slot: the server notices the close asynchronously, so retry until served.
    held.pop_back();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (status != 200 && std::chrono::steady_clock::now() < deadline) {
        status = httpRequest(server.host(), server.port(), "GET", "/api/v1/health").status;
    }
    CHECK(status == 200);
    held.clear();
    CHECK(server.stop() == 0);
}

TEST_CASE("tls: with --tls-cert/--tls-key the server speaks HTTPS; plain HTTP is told to use it",
          "[server][tls]") {
    TempDir dir;
    const std::string cert = dir.path() + "/cert.pem";
    const std::string key = dir.path() + "/key.pem";
    const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " +
                                key + " -out " + cert + " >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) {
        WARN("no openssl command: TLS not tested");
        return;
    }
    ServerProcess server({dir.path(), false, {"--tls-cert", cert, "--tls-key", key}, {}});
    REQUIRE(server.started());
    CHECK(std::regex_match(server.firstLine(), std::regex(R"(listening on https://127\.0\.0\.1:[1-9][0-9]*)")));
    auto secure = httpsGet(server.host(), server.port(), "/api/v1/health");
    INFO(secure.error);
    REQUIRE(secure.status == 200);
    CHECK(json::parse(secure.body)["status"] == "ok");
    auto plain = health(server);
    CHECK(plain.status == 400);
    CHECK(plain.errorCode() == "bad_request");
    CHECK(server.stop() == 0);
}
