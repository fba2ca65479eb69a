#pragma once
// The seam between the wire (net/: Beast HTTP, WebSocket, TLS, gzip, limits) and the
// domain (service/: routing of /api/v1, JSON messages, auth, permissions, merge, audit).
//
// net/ hands every complete request (body already gunzipped and within limits) to
// Api::handle and writes back the answer (gzipping it when the client asked).
// Thread contract: handle() is called concurrently from the I/O thread pool; the
// implementation serialises access to storage itself. It never throws.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace tandem::server {

class Metrics;

struct HttpRequest {
    std::string method;        // "GET", "POST", …
    std::string target;        // path and query, e.g. "/api/v1/audit?plan=…"
    std::string authorization; // the Authorization header, or empty
    std::string contentType;
    std::string body;          // decoded (gunzipped)
    std::string remote;        // peer address, for logs and rate limits
};

struct HttpAnswer {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::string route;         // a low-cardinality route name for metrics, e.g. "sync"
    std::map<std::string, std::string> headers;  // extra headers (e.g. Retry-After)
};

/// The domain behind the HTTP server. Created by main() after storage is open.
class Api {
public:
    virtual ~Api() = default;
    virtual HttpAnswer handle(const HttpRequest& request) = 0;
    /// The member id of a valid bearer token (for the /live WebSocket upgrade), or empty.
    virtual std::string authenticate(const std::string& authorization) = 0;
    /// The current head of the server sequence.
    virtual std::int64_t cursor() = 0;
    /// Called (from any thread) every time the server cursor advances; net/ fans it
    /// out to the /live WebSocket sessions as {"cursor":N}.
    virtual void onCursorAdvanced(std::function<void(std::int64_t)> listener) = 0;
};

/// A JSON error answer {"error":{"code","message"}} with the given status.
HttpAnswer errorAnswer(int status, const std::string& code, const std::string& message);

}  // namespace tandem::server
