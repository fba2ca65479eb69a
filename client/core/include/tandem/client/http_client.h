#pragma once
// Transport over libcurl (DESIGN §5): one easy handle reused for every request, so the
// connection is kept alive; gzip both ways (request bodies over 1 KiB are sent with
// Content-Encoding: gzip, answers are asked for with Accept-Encoding: gzip); connect
// and transfer timeouts; an abort flag that cancels a transfer in flight.
//
// Thread contract: one thread at a time (as Transport). cancel flag may be set from any
// thread. Never logs tokens or bodies.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "tandem/client/transport.h"

namespace tandem::client {

struct HttpOptions {
    std::chrono::milliseconds connectTimeout{5000};
    /// The whole request; a 5,000-op page is a few MiB.
    std::chrono::milliseconds transferTimeout{60000};
    /// Gzip request bodies of at least this many bytes.
    std::size_t gzipThreshold = 1024;
    /// When set, a transfer in flight is aborted (Error `cancelled`) once it is true.
    const std::atomic<bool>* cancel = nullptr;
};

class HttpClient final : public Transport {
public:
    /// `baseUrl` like "http://127.0.0.1:8080" (no trailing slash needed).
    explicit HttpClient(std::string baseUrl, HttpOptions options = {});
    ~HttpClient() override;
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    core::Result<HttpResponse> post(const std::string& path, const std::string& body,
                                    const std::string& token) override;
    core::Result<HttpResponse> get(const std::string& path, const std::string& token) override;
    WireStats stats() const override { return m_stats; }
    const std::string& baseUrl() const { return m_baseUrl; }

private:
    core::Result<HttpResponse> perform(const std::string& path, const std::string* body, const std::string& token);

    std::string m_baseUrl;
    HttpOptions m_options;
    void* m_curl = nullptr;  // CURL*
    WireStats m_stats;
};

/// Gzip-compresses `data` (RFC 1952). Empty on failure.
std::string gzipCompress(const std::string& data);

}  // namespace tandem::client
