#pragma once
// The seam between the sync engine and the network: one HTTP request at a time to a
// Tandem server. HttpClient (libcurl) is the real one; tests plug in fakes.
//
// Thread contract: a Transport is used from one thread at a time.
// Failures come back as Results, never exceptions. A request that reached the server
// and got any HTTP answer is a value (status + body); only a failure to talk to the
// server at all (connect, timeout, reset) is an Error, with code `unreachable`
// (could not connect) or `network` (the connection broke mid-request), or `cancelled`.

#include <cstdint>
#include <string>

#include "tandem/core/result.h"

namespace tandem::client {

struct HttpResponse {
    long status = 0;
    std::string body;
};

/// Bytes and requests that went over the wire (headers and bodies as sent, i.e.
/// compressed when gzip was used).
struct WireStats {
    std::int64_t requests = 0;
    std::int64_t bytesSent = 0;
    std::int64_t bytesReceived = 0;
};

class Transport {
public:
    virtual ~Transport() = default;
    /// POST `body` (JSON text) to `path` (e.g. "/api/v1/sync"); `token` may be empty.
    virtual core::Result<HttpResponse> post(const std::string& path, const std::string& body,
                                            const std::string& token) = 0;
    virtual core::Result<HttpResponse> get(const std::string& path, const std::string& token) = 0;
    virtual WireStats stats() const { return {}; }
};

}  // namespace tandem::client
