#include "tandem/client/http_client.h"

#include <curl/curl.h>
#include <zlib.h>

#include <mutex>

namespace tandem::client {

using core::makeError;

namespace {

void globalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t collect(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* cancel = static_cast<const std::atomic<bool>*>(user);
    return (cancel && cancel->load()) ? 1 : 0;
}

struct HeaderList {
    curl_slist* list = nullptr;
    ~HeaderList() { curl_slist_free_all(list); }
    void add(const std::string& h) { list = curl_slist_append(list, h.c_str()); }
};

}  // namespace

std::string gzipCompress(const std::string& data) {
    z_stream zs{};
    // 15 + 16: a gzip wrapper rather than zlib's.
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out;
    out.resize(deflateBound(&zs, data.size()) + 32);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    const auto written = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) return {};
    out.resize(written);
    return out;
}

HttpClient::HttpClient(std::string baseUrl, HttpOptions options)
    : m_baseUrl(std::move(baseUrl)), m_options(options) {
    while (!m_baseUrl.empty() && m_baseUrl.back() == '/') m_baseUrl.pop_back();
    globalInit();
    m_curl = curl_easy_init();
}

HttpClient::~HttpClient() {
    if (m_curl) curl_easy_cleanup(static_cast<CURL*>(m_curl));
}

core::Result<HttpResponse> HttpClient::post(const std::string& path, const std::string& body, const std::string& token) {
    return perform(path, &body, token);
}

core::Result<HttpResponse> HttpClient::get(const std::string& path, const std::string& token) {
    return perform(path, nullptr, token);
}

core::Result<HttpResponse> HttpClient::perform(const std::string& path, const std::string* body, const std::string& token) {
    auto* curl = static_cast<CURL*>(m_curl);
    if (!curl) return makeError("internal", "could not initialise libcurl");
    if (m_options.cancel && m_options.cancel->load()) return makeError("cancelled", "cancelled");

    const std::string url = m_baseUrl + path;
    HeaderList headers;
    headers.add("Accept: application/json");
    if (!token.empty()) headers.add("Authorization: Bearer " + token);

    std::string compressed;
    const std::string* payload = body;
    if (body) {
        headers.add("Content-Type: application/json");
        if (body->size() >= m_options.gzipThreshold) {
            compressed = gzipCompress(*body);
            if (!compressed.empty()) {
                headers.add("Content-Encoding: gzip");
                payload = &compressed;
            }
        }
        headers.add("Expect:");  // no 100-continue round trip
    }

    HttpResponse response;
    // The handle keeps its connection cache between requests; options set per request.
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.transferTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(m_options.cancel));
    if (payload) {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload->data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload->size()));
    } else {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    }

    const CURLcode rc = curl_easy_perform(curl);
    m_stats.requests++;
    curl_off_t up = 0, down = 0;
    long requestSize = 0, headerSize = 0;
    curl_easy_getinfo(curl, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &down);
    curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &requestSize);
    curl_easy_getinfo(curl, CURLINFO_HEADER_SIZE, &headerSize);
    m_stats.bytesSent += static_cast<std::int64_t>(up) + requestSize;
    m_stats.bytesReceived += static_cast<std::int64_t>(down) + headerSize;
    // Don't keep pointers into this frame's buffers in the reused handle.
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, nullptr);

    if (rc != CURLE_OK) {
        switch (rc) {
        case CURLE_ABORTED_BY_CALLBACK:
            return makeError("cancelled", "cancelled");
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
            return makeError("unreachable", std::string("server unreachable: ") + curl_easy_strerror(rc));
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
            return makeError("bad_url", std::string("bad server URL: ") + curl_easy_strerror(rc));
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            // Not a network outage: retrying will not help, and the user must know.
            return makeError("tls", std::string("the server's TLS certificate was refused: ") + curl_easy_strerror(rc));
        default:
            return makeError("network", std::string("network error: ") + curl_easy_strerror(rc));
        }
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace tandem::client
