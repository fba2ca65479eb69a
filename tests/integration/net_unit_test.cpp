// net/ pieces that need no server: gzip, Accept-Encoding, --listen parsing, metrics
// text, the live hub.

#include "net/gzip.h"
#include "net/http_metrics.h"
#include "net/http_server.h"
#include "net/live_hub.h"

#include <catch2/catch.hpp>

#include <vector>

using namespace tandem::server::net;

TEST_CASE("gzip: round trip of empty, small and large bodies", "[net]") {
    for (const std::string& text : {std::string(), std::string("{}"), std::string(3u << 20, 'x')}) {
        std::string packed;
        REQUIRE(gzip(text, packed));
        std::string unpacked;
        CHECK(gunzip(packed, 8u << 20, unpacked) == InflateStatus::ok);
        CHECK(unpacked == text);
    }
}

TEST_CASE("gzip: concatenated members are one body", "[net]") {
    std::string a;
    std::string b;
    REQUIRE(gzip("hello, ", a));
    REQUIRE(gzip("world", b));
    std::string out;
    CHECK(gunzip(a + b, 100, out) == InflateStatus::ok);
    CHECK(out == "hello, world");
}

TEST_CASE("gzip: inflating stops at the limit", "[net]") {
    std::string packed;
    REQUIRE(gzip(std::string(1000, 'a'), packed));
    std::string out;
    CHECK(gunzip(packed, 999, out) == InflateStatus::tooLarge);
    CHECK(out.size() <= 999);
    CHECK(gunzip(packed, 1000, out) == InflateStatus::ok);
}

TEST_CASE("gzip: corrupt, truncated, empty and trailing-garbage input is refused", "[net]") {
    std::string packed;
    REQUIRE(gzip("some JSON body", packed));
    std::string out;
    CHECK(gunzip("", 100, out) == InflateStatus::corrupt);
    CHECK(gunzip("not gzip", 100, out) == InflateStatus::corrupt);
    CHECK(gunzip(packed.substr(0, packed.size() - 1), 100, out) == InflateStatus::corrupt);
    CHECK(gunzip(packed + "x", 100, out) == InflateStatus::corrupt);
    std::string flipped = packed;
    flipped[flipped.size() - 6] = static_cast<char>(flipped[flipped.size() - 6] ^ 1);  // CRC
    CHECK(gunzip(flipped, 100, out) == InflateStatus::corrupt);
}

TEST_CASE("accept-encoding: gzip with q > 0, x-gzip or *, not q=0", "[net]") {
    CHECK(acceptsGzip("gzip"));
    CHECK(acceptsGzip("deflate, gzip;q=0.5"));
    CHECK(acceptsGzip("GZIP"));
    CHECK(acceptsGzip("x-gzip"));
    CHECK(acceptsGzip("*"));
    CHECK(acceptsGzip("br, * ; q=0.1"));
    CHECK_FALSE(acceptsGzip(""));
    CHECK_FALSE(acceptsGzip("identity"));
    CHECK_FALSE(acceptsGzip("gzip;q=0"));
    CHECK_FALSE(acceptsGzip("gzip;q=0.000"));
    CHECK_FALSE(acceptsGzip("*, gzip;q=0"));
    CHECK_FALSE(acceptsGzip("gzipx"));
}

TEST_CASE("listen: HOST:PORT and [V6]:PORT parse; anything else is an error", "[net]") {
    HttpServerConfig config;
    CHECK(parseListenAddress("127.0.0.1:0", config).empty());
    CHECK(config.host == "127.0.0.1");
    CHECK(config.port == 0);
    CHECK(parseListenAddress("[::1]:8443", config).empty());
    CHECK(config.host == "::1");
    CHECK(config.port == 8443);
    CHECK(parseListenAddress("localhost:80", config).empty());
    for (const char* bad : {"", "8080", ":8080", "host:", "host:65536", "host:-1", "host:80x", "::1:80", "[::1:80"}) {
        INFO(bad);
        CHECK_FALSE(parseListenAddress(bad, config).empty());
    }
}

TEST_CASE("metrics: counters and cumulative histogram buckets by route and status class", "[net]") {
    HttpMetrics metrics;
    metrics.recordRequest("sync", 200, 0.003);
    metrics.recordRequest("sync", 204, 0.2);
    metrics.recordRequest("sync", 413, 20.0);
    metrics.connectionOpened();
    metrics.liveOpened();
    const std::string text = metrics.text();
    CHECK(text.find("tandem_http_requests_total{route=\"sync\",status=\"2xx\"} 2\n") != std::string::npos);
    CHECK(text.find("tandem_http_requests_total{route=\"sync\",status=\"4xx\"} 1\n") != std::string::npos);
    CHECK(text.find("tandem_http_request_duration_seconds_bucket{route=\"sync\",status=\"2xx\",le=\"0.0025\"} 0\n") != std::string::npos);
    CHECK(text.find("tandem_http_request_duration_seconds_bucket{route=\"sync\",status=\"2xx\",le=\"0.005\"} 1\n") != std::string::npos);
    CHECK(text.find("tandem_http_request_duration_seconds_bucket{route=\"sync\",status=\"2xx\",le=\"0.25\"} 2\n") != std::string::npos);
    CHECK(text.find("tandem_http_request_duration_seconds_bucket{route=\"sync\",status=\"4xx\",le=\"10\"} 0\n") != std::string::npos);
    CHECK(text.find("tandem_http_request_duration_seconds_bucket{route=\"sync\",status=\"4xx\",le=\"+Inf\"} 1\n") != std::string::npos);
    CHECK(text.find("tandem_http_request_duration_seconds_count{route=\"sync\",status=\"2xx\"} 2\n") != std::string::npos);
    CHECK(text.find("\ntandem_http_connections 1\n") != std::string::npos);
    CHECK(text.find("\ntandem_live_sessions 1\n") != std::string::npos);
    CHECK(statusClass(101) == "1xx");
    CHECK(statusClass(503) == "5xx");
    CHECK(statusClass(42) == "other");
}

namespace {
struct Recorder : LiveSubscriber {
    std::vector<std::int64_t> seen;
    void notifyCursor(std::int64_t cursor) override { seen.push_back(cursor); }
};
}  // namespace

TEST_CASE("live hub: subscribers get newer cursors only; dropped subscribers are skipped", "[net]") {
    LiveHub hub;
    auto a = std::make_shared<Recorder>();
    auto b = std::make_shared<Recorder>();
    hub.subscribe(a);
    hub.subscribe(b);
    hub.publish(5);
    hub.publish(3);  // older: dropped
    hub.unsubscribe(b.get());
    hub.publish(7);
    b.reset();
    hub.publish(9);
    CHECK(a->seen == std::vector<std::int64_t>{5, 7, 9});
    auto c = std::make_shared<Recorder>();
    hub.subscribe(c);
    c.reset();  // expired without unsubscribing
    hub.publish(10);
    CHECK(a->seen.back() == 10);
}
