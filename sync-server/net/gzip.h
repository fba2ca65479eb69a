#pragma once
// gzip for HTTP bodies (Content-Encoding / Accept-Encoding), on zlib. No Beast here.

#include <cstddef>
#include <string>
#include <string_view>

namespace tandem::server::net {

enum class InflateStatus {
    ok,
    tooLarge,  // the inflated body would exceed the limit (a gzip bomb, or just too big)
    corrupt,   // not gzip, truncated, bad checksum, or trailing garbage
};

/// Inflates a gzip body (RFC 1952; several concatenated members are one body).
/// Stops as soon as the output would pass `limit` bytes, so a small bomb costs at most
/// `limit` bytes of memory. Thread-safe (no shared state). Never throws except
/// std::bad_alloc.
[[nodiscard]] InflateStatus gunzip(std::string_view input, std::size_t limit, std::string& output);

/// Compresses `input` as one gzip member. Returns false (and leaves `output` empty) if
/// zlib fails, which only happens on allocation failure.
[[nodiscard]] bool gzip(std::string_view input, std::string& output);

/// Whether an Accept-Encoding header value accepts gzip (`gzip`, `x-gzip` or `*`,
/// with a q-value above zero; RFC 9110 §12.5.3).
[[nodiscard]] bool acceptsGzip(std::string_view acceptEncoding);

}  // namespace tandem::server::net
