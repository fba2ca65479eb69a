#pragma once
// Small blocking HTTP and WebSocket clients for the integration tests (Beast, each
// operation bounded by a timeout). Loopback only.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tandem::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
    int status = 0;                              // 0: no answer (see error)
    std::map<std::string, std::string> headers;  // names lower-case
    std::string body;                            // as received (not gunzipped)
    std::string error;                           // why there is no answer
    std::string header(const std::string& lowerName) const;
    /// {"error":{"code"}} of a JSON error answer, or "" when the body is not one.
    std::string errorCode() const;
};

/// One TCP connection to the server. Every call waits at most `timeout`.
class HttpConnection {
public:
    HttpConnection(const std::string& host, std::uint16_t port,
                   std::chrono::milliseconds timeout = std::chrono::seconds(20));
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    bool connected() const;
    /// Sends a request (Host, Content-Length and `headers` added) and reads the answer.
    HttpResult request(const std::string& method, const std::string& target,
                       const std::string& body = {}, const Headers& headers = {});
    /// Writes bytes as they are. False if the write failed.
    bool sendRaw(const std::string& bytes);
    /// Reads one answer.
    HttpResult readResponse();
    /// True when the server closes the connection (EOF or reset) within the timeout,
    /// false if it is still open then or sent something instead.
    bool waitClosedByPeer(std::chrono::milliseconds timeout);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// One request on a fresh connection.
HttpResult httpRequest(const std::string& host, std::uint16_t port, const std::string& method,
                       const std::string& target, const std::string& body = {},
                       const Headers& headers = {});

/// A WebSocket client of /api/v1/live.
class LiveClient {
public:
    LiveClient(const std::string& host, std::uint16_t port,
               std::chrono::milliseconds timeout = std::chrono::seconds(20));
    ~LiveClient();
    LiveClient(const LiveClient&) = delete;
    LiveClient& operator=(const LiveClient&) = delete;

    /// Upgrades with `authorization` as the Authorization header (none when empty).
    /// Returns the HTTP status of the handshake answer (101 on success, 0 on error).
    int handshake(const std::string& target, const std::string& authorization);
    /// The next text message, or nullopt on close, error or timeout.
    std::optional<std::string> readText(std::chrono::milliseconds timeout);
    /// Waits for the server's close frame; true if the server closed the session.
    bool waitClosed(std::chrono::milliseconds timeout);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// GET over TLS on a fresh connection (certificate not verified: tests use a
/// self-signed one).
HttpResult httpsGet(const std::string& host, std::uint16_t port, const std::string& target);

std::string gzipText(const std::string& text);
/// Empty on failure.
std::string gunzipText(const std::string& data);

}  // namespace tandem::test
