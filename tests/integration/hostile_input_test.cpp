// Hostile input against the real binary: each case gets its own clear error (status
// and {"error":{"code"}}), and the server keeps serving after every one.

#include "fixtures.h"

#include <catch2/catch.hpp>

#include <set>

using namespace tandem::test;
using nlohmann::json;

namespace {

struct HostileCase {
    std::string name;
    std::string request;       // raw bytes; "{TOKEN}" becomes a valid bearer token
    std::set<int> statuses;    // acceptable statuses
    std::string code;          // expected error code ("" when the answer is not an error)
    std::string bodyContains;  // for 200 answers: a rejection code that must appear
};

std::string post(const std::string& target, const std::string& body,
                 const std::string& extraHeaders = "Content-Type: application/json\r\n") {
    return "POST " + target + " HTTP/1.1\r\nHost: x\r\n" + extraHeaders +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string syncPost(const std::string& body, const std::string& auth = "Bearer {TOKEN}") {
    return post("/api/v1/sync", body,
                "Content-Type: application/json\r\nAuthorization: " + auth + "\r\n");
}

std::string get(const std::string& target, const std::string& extra = "") {
    return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
}

const std::string kSite = "9f2c4e1a0b3d5e7f";
const std::string kEntity = "3f0c9b1e2d4a5c6b7e8f90a1b2c3d4e5";

std::string syncBody(const std::string& site, const std::string& cursor, const std::string& ops) {
    return R"({"site":)" + site + R"(,"cursor":)" + cursor + R"(,"ops":)" + ops + "}";
}

std::string oneOp(const std::string& overrideKey, const std::string& overrideValue) {
    json op = {{"site", kSite},         {"n", 1},          {"entity", kEntity}, {"type", "plan"},
               {"field", "title"},      {"value", "ok"},   {"hlc", "0190a3b2c4d50001"}};
    std::string text = op.dump();
    if (!overrideKey.empty()) {
        // Replace the member's JSON value textually, so the case can hold invalid JSON.
        const std::string key = "\"" + overrideKey + "\":";
        auto at = text.find(key);
        auto start = at + key.size();
        auto end = text.find_first_of(",}", text[start] == '"' ? text.find('"', start + 1) : start);
        if (overrideValue == "<absent>") {
            text.erase(at, end - at + (text[end] == ',' ? 1 : 0));
        } else {
            text.replace(start, end - start, overrideValue);
        }
    }
    return "[" + text + "]";
}

std::string gzipPost(const std::string& compressed) {
    return post("/api/v1/login", compressed,
                "Content-Type: application/json\r\nContent-Encoding: gzip\r\n");
}

std::vector<HostileCase> hostileCases() {
    const std::string q = "\"" + kSite + "\"";
    const std::string login = R"({"username":"nobody","password":"x"})";
    std::string gzipped = gzipText(login);
    std::string badCrc = gzipped;
    badCrc[badCrc.size() - 5] = static_cast<char>(badCrc[badCrc.size() - 5] ^ 0x55);
    std::string deepArray(100000, '[');
    deepArray += std::string(100000, ']');
    std::string deepObject;
    for (int i = 0; i < 50000; ++i) deepObject += "{\"a\":";
    deepObject += "1" + std::string(50000, '}');

    return {
        // --- HTTP framing (net) ------------------------------------------------------------
        {"garbage request line", "HELLO WORLD\r\n\r\n", {400}, "bad_request", ""},
        {"method only", "GET\r\n\r\n", {400}, "bad_request", ""},
        {"unknown HTTP version", "GET /api/v1/health HTTP/9.9\r\nHost: x\r\n\r\n", {400}, "bad_request", ""},
        {"binary garbage", std::string("\x16\x03\x01\x00\x05hello\x00\xff\r\n\r\n", 16), {400}, "bad_request", ""},
        {"header without colon", "GET /api/v1/health HTTP/1.1\r\nHost x\r\n\r\n", {400}, "bad_request", ""},
        {"control character in a header", std::string("GET /api/v1/health HTTP/1.1\r\nX-A: a\x01z\r\n\r\n"), {400}, "bad_request", ""},
        {"space in the target", "GET /api/v1/ health HTTP/1.1\r\nHost: x\r\n\r\n", {400}, "bad_request", ""},
        {"non-numeric Content-Length", "POST /api/v1/login HTTP/1.1\r\nContent-Length: ten\r\n\r\n", {400}, "bad_request", ""},
        {"overflowing Content-Length", "POST /api/v1/login HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", {400}, "bad_request", ""},
        {"two different Content-Lengths", "POST /api/v1/login HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", {400}, "bad_request", ""},
        {"bad chunk size", "POST /api/v1/login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", {400}, "bad_request", ""},
        {"headers over 16 KiB", "GET /api/v1/health HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n", {400}, "bad_request", ""},
        {"target over 16 KiB", "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n", {400}, "bad_request", ""},
        {"Content-Length over the body limit", "POST /api/v1/sync HTTP/1.1\r\nContent-Length: 9437184\r\n\r\n", {413}, "payload_too_large", ""},
        {"chunk over the body limit", "POST /api/v1/sync HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n900000\r\n", {413}, "payload_too_large", ""},
        {"unsupported Content-Encoding", post("/api/v1/login", login, "Content-Type: application/json\r\nContent-Encoding: br\r\n"), {400}, "bad_request", ""},
        {"gzip: not gzip", gzipPost("plain text"), {400}, "bad_request", ""},
        {"gzip: truncated", gzipPost(gzipped.substr(0, gzipped.size() - 6)), {400}, "bad_request", ""},
        {"gzip: bad checksum", gzipPost(badCrc), {400}, "bad_request", ""},
        {"gzip: trailing garbage", gzipPost(gzipped + "garbage"), {400}, "bad_request", ""},
        {"gzip: empty body", gzipPost(""), {400}, "bad_request", ""},
        {"gzip: bomb", gzipPost(gzipText(std::string(20u << 20, '0'))), {413}, "payload_too_large", ""},
        {"gzip: valid gzip of bad JSON", gzipPost(gzipText("{\"username\":")), {400}, "bad_request", ""},
        {"metrics: wrong method", post("/metrics", "{}"), {405}, "method_not_allowed", ""},
        {"live: no token", get("/api/v1/live"), {401}, "unauthorized", ""},
        {"live: token but no upgrade", get("/api/v1/live", "Authorization: Bearer {TOKEN}\r\n"), {400}, "bad_request", ""},
        // --- login (domain) ----------------------------------------------------------------
        {"login: malformed JSON", post("/api/v1/login", "{"), {400}, "bad_request", ""},
        {"login: truncated JSON", post("/api/v1/login", R"({"username":"a","pass)"), {400}, "bad_request", ""},
        {"login: trailing garbage", post("/api/v1/login", login + "x"), {400}, "bad_request", ""},
        {"login: not an object", post("/api/v1/login", "[]"), {400}, "bad_request", ""},
        {"login: username a number", post("/api/v1/login", R"({"username":7,"password":"x"})"), {400}, "bad_request", ""},
        {"login: password null", post("/api/v1/login", R"({"username":"a","password":null})"), {400}, "bad_request", ""},
        {"login: missing password", post("/api/v1/login", R"({"username":"a"})"), {400}, "bad_request", ""},
        {"login: empty body", post("/api/v1/login", ""), {400}, "bad_request", ""},
        {"login: invalid UTF-8", post("/api/v1/login", "{\"username\":\"\xff\xfe\",\"password\":\"x\"}"), {400}, "bad_request", ""},
        {"login: NaN literal", post("/api/v1/login", R"({"username":NaN,"password":"x"})"), {400}, "bad_request", ""},
        {"login: deep nesting", post("/api/v1/login", deepArray), {400}, "bad_request", ""},
        {"login: deep object nesting", post("/api/v1/login", deepObject), {400}, "bad_request", ""},
        {"login: 1 MiB username", post("/api/v1/login", R"({"username":")" + std::string(1u << 20, 'u') + R"(","password":"x"})"), {400, 401}, "", ""},
        // --- auth (domain) -----------------------------------------------------------------
        {"sync: no token", syncPost(syncBody(q, "0", "[]"), ""), {401}, "unauthorized", ""},
        {"sync: unknown token", syncPost(syncBody(q, "0", "[]"), "Bearer 0123456789abcdef"), {401}, "unauthorized", ""},
        {"sync: Basic credentials", syncPost(syncBody(q, "0", "[]"), "Basic YWRtaW46dGFuZGVt"), {401}, "unauthorized", ""},
        {"sync: empty bearer", syncPost(syncBody(q, "0", "[]"), "Bearer "), {401}, "unauthorized", ""},
        {"sync: 8 KiB token", syncPost(syncBody(q, "0", "[]"), "Bearer " + std::string(8000, 'z')), {401}, "unauthorized", ""},
        {"sync: token with invalid UTF-8", syncPost(syncBody(q, "0", "[]"), "Bearer \xff\xfe\xfd"), {401}, "unauthorized", ""},
        // --- sync body (domain) ------------------------------------------------------------
        {"sync: malformed JSON", syncPost("{\"site\":"), {400}, "bad_request", ""},
        {"sync: body is a string", syncPost("\"sync\""), {400}, "bad_request", ""},
        {"sync: ops not an array", syncPost(syncBody(q, "0", "{}")), {400}, "bad_request", ""},
        {"sync: site not hex", syncPost(syncBody("\"zzzzzzzzzzzzzzzz\"", "0", "[]")), {400}, "bad_request", ""},
        {"sync: site too short", syncPost(syncBody("\"9f2c\"", "0", "[]")), {400}, "bad_request", ""},
        {"sync: site upper-case hex", syncPost(syncBody("\"9F2C4E1A0B3D5E7F\"", "0", "[]")), {400}, "bad_request", ""},
        {"sync: site a number", syncPost(syncBody("12345", "0", "[]")), {400}, "bad_request", ""},
        {"sync: missing site", syncPost(R"({"cursor":0,"ops":[]})"), {400}, "bad_request", ""},
        {"sync: cursor a string", syncPost(syncBody(q, "\"0\"", "[]")), {400}, "bad_request", ""},
        {"sync: cursor 1e400", syncPost(syncBody(q, "1e400", "[]")), {400}, "bad_request", ""},
        {"sync: cursor beyond int64", syncPost(syncBody(q, "99999999999999999999999", "[]")), {400}, "bad_request", ""},
        {"sync: cursor fractional", syncPost(syncBody(q, "1.5", "[]")), {400}, "bad_request", ""},
        {"sync: limit a string", syncPost(R"({"site":)" + q + R"(,"cursor":0,"ops":[],"limit":"all"})"), {400}, "bad_request", ""},
        {"sync: op not an object", syncPost(syncBody(q, "0", "[42]")), {400}, "bad_request", ""},
        {"sync: entity not hex", syncPost(syncBody(q, "0", oneOp("entity", "\"not-a-hex-id-not-a-hex-id-00000\""))), {400}, "bad_request", ""},
        {"sync: entity too long", syncPost(syncBody(q, "0", oneOp("entity", "\"" + kEntity + "00\""))), {400}, "bad_request", ""},
        {"sync: hlc not hex", syncPost(syncBody(q, "0", oneOp("hlc", "\"0190a3b2c4d5000g\""))), {400}, "bad_request", ""},
        {"sync: hlc a number", syncPost(syncBody(q, "0", oneOp("hlc", "1234"))), {400}, "bad_request", ""},
        {"sync: n a string", syncPost(syncBody(q, "0", oneOp("n", "\"1\""))), {400}, "bad_request", ""},
        {"sync: n huge", syncPost(syncBody(q, "0", oneOp("n", "1e300"))), {400}, "bad_request", ""},
        {"sync: op without field", syncPost(syncBody(q, "0", oneOp("field", "<absent>"))), {400}, "bad_request", ""},
        {"sync: type a number", syncPost(syncBody(q, "0", oneOp("type", "5"))), {400}, "bad_request", ""},
        {"sync: invalid UTF-8 in a value", syncPost(syncBody(q, "0", oneOp("value", "\"\xc3\x28\""))), {400}, "bad_request", ""},
        {"sync: value an object", syncPost(syncBody(q, "0", oneOp("value", "{\"a\":1}"))), {200}, "", "invalid_value"},
        {"sync: value deeply nested", syncPost(syncBody(q, "0", oneOp("value", std::string(5000, '[') + std::string(5000, ']')))), {200, 400}, "", ""},
        {"sync: 100 KiB title", syncPost(syncBody(q, "0", oneOp("value", "\"" + std::string(100000, 't') + "\""))), {200}, "", "invalid_value"},
        {"sync: unknown type", syncPost(syncBody(q, "0", oneOp("type", "\"spaceship\""))), {200}, "", "unknown_type"},
        {"sync: wrong content type", post("/api/v1/sync", syncBody(q, "0", "[]"), "Content-Type: text/plain\r\nAuthorization: Bearer {TOKEN}\r\n"), {200, 400, 415}, "", ""},
        // --- routing (domain) --------------------------------------------------------------
        {"unknown path", get("/api/v1/nope"), {404}, "not_found", ""},
        {"path traversal", get("/api/v1/../../etc/passwd"), {404}, "not_found", ""},
        {"wrong method on sync", "DELETE /api/v1/sync HTTP/1.1\r\nHost: x\r\n\r\n", {405}, "method_not_allowed", ""},
        {"audit: bad plan id", get("/api/v1/audit?plan=zzz", "Authorization: Bearer {TOKEN}\r\n"), {400}, "bad_request", ""},
        {"audit: after not a number", get("/api/v1/audit?after=abc", "Authorization: Bearer {TOKEN}\r\n"), {400}, "bad_request", ""},
        {"audit: limit overflow", get("/api/v1/audit?after=0&limit=99999999999999999999", "Authorization: Bearer {TOKEN}\r\n"), {400}, "bad_request", ""},
    };
}

}  // namespace

TEST_CASE("hostile input: every case gets its clear error and the server keeps serving", "[hostile]") {
    auto& server = sharedServer();
    const std::string token = loginAs(server, "hq.zhao")["token"].get<std::string>();
    const auto cases = hostileCases();
    CHECK(cases.size() >= 50);
    for (const auto& hostile : cases) {
        std::string request = hostile.request;
        for (auto at = request.find("{TOKEN}"); at != std::string::npos; at = request.find("{TOKEN}")) {
            request.replace(at, 7, token);
        }
        HttpConnection connection(server.process->host(), server.process->port());
        REQUIRE(connection.connected());
        INFO("case: " << hostile.name);
        connection.sendRaw(request);  // the server may answer and close before reading it all
        const auto answer = connection.readResponse();
        INFO("answer: " << answer.status << " " << answer.body.substr(0, 300) << answer.error);
        CHECK(hostile.statuses.count(answer.status) == 1);
        if (!hostile.code.empty()) CHECK(answer.errorCode() == hostile.code);
        if (answer.status >= 400) CHECK(!answer.errorCode().empty());
        if (!hostile.bodyContains.empty()) {
            CHECK(answer.body.find("\"" + hostile.bodyContains + "\"") != std::string::npos);
        }
        CHECK(answer.status < 500);
        // Still serving.
        CHECK(httpRequest(server.process->host(), server.process->port(), "GET", "/api/v1/health").status ==
              200);
    }
}
