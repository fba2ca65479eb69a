#include "gzip.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>

namespace tandem::server::net {
namespace {

// zlib counts in uInt; feed it slices no larger than that.
constexpr std::size_t kMaxSlice = UINT_MAX;
constexpr std::size_t kChunk = 64 * 1024;

class InflateStream {
public:
    InflateStream() { m_ok = inflateInit2(&m_z, 16 + MAX_WBITS) == Z_OK; }
    ~InflateStream() {
        if (m_ok) inflateEnd(&m_z);
    }
    InflateStream(const InflateStream&) = delete;
    InflateStream& operator=(const InflateStream&) = delete;
    bool ok() const { return m_ok; }
    z_stream& z() { return m_z; }

private:
    z_stream m_z{};
    bool m_ok = false;
};

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// q-value of one Accept-Encoding element's parameters ("q=0.5"); 1 when absent.
double qValue(std::string_view params) {
    while (!params.empty()) {
        auto semi = params.find(';');
        auto param = trim(params.substr(0, semi));
        params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
        if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
            auto value = param.substr(2);
            // RFC 9110: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
            if (value.empty()) return 0.0;
            if (value[0] == '1') return 1.0;
            for (char c : value.substr(1)) {
                if (c >= '1' && c <= '9') return 0.5;  // some positive weight
            }
            return 0.0;
        }
    }
    return 1.0;
}

}  // namespace

InflateStatus gunzip(std::string_view input, std::size_t limit, std::string& output) {
    output.clear();
    InflateStream stream;
    if (!stream.ok()) return InflateStatus::corrupt;
    z_stream& z = stream.z();
    std::array<unsigned char, kChunk> chunk{};
    const auto* next = reinterpret_cast<const unsigned char*>(input.data());
    std::size_t remaining = input.size();
    if (remaining == 0) return InflateStatus::corrupt;
    for (;;) {
        if (z.avail_in == 0 && remaining > 0) {
            const std::size_t slice = std::min(remaining, kMaxSlice);
            z.next_in = const_cast<unsigned char*>(next);  // zlib's API is not const-correct
            z.avail_in = static_cast<uInt>(slice);
            next += slice;
            remaining -= slice;
        }
        z.next_out = chunk.data();
        z.avail_out = static_cast<uInt>(chunk.size());
        const int rc = inflate(&z, Z_NO_FLUSH);
        const std::size_t produced = chunk.size() - z.avail_out;
        if (produced > limit - output.size()) return InflateStatus::tooLarge;
        output.append(reinterpret_cast<const char*>(chunk.data()), produced);
        if (rc == Z_STREAM_END) {
            if (z.avail_in == 0 && remaining == 0) return InflateStatus::ok;
            // Another member follows (RFC 1952 §2.2); garbage fails its header check.
            if (inflateReset(&z) != Z_OK) return InflateStatus::corrupt;
            continue;
        }
        // Z_BUF_ERROR means no progress was possible with a fresh output buffer: the
        // input ended inside a member (truncated). Anything else is bad data.
        if (rc != Z_OK) return InflateStatus::corrupt;
    }
}

bool gzip(std::string_view input, std::string& output) {
    output.clear();
    z_stream z{};
    // Level 1: answers are mostly JSON that compresses well even at the fastest level,
    // and compression runs on the request path.
    if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return false;
    }
    std::array<unsigned char, kChunk> chunk{};
    const auto* next = reinterpret_cast<const unsigned char*>(input.data());
    std::size_t remaining = input.size();
    int rc = Z_OK;
    do {
        if (z.avail_in == 0 && remaining > 0) {
            const std::size_t slice = std::min(remaining, kMaxSlice);
            z.next_in = const_cast<unsigned char*>(next);
            z.avail_in = static_cast<uInt>(slice);
            next += slice;
            remaining -= slice;
        }
        const int flush = remaining == 0 ? Z_FINISH : Z_NO_FLUSH;
        z.next_out = chunk.data();
        z.avail_out = static_cast<uInt>(chunk.size());
        rc = deflate(&z, flush);
        if (rc == Z_STREAM_ERROR) {
            deflateEnd(&z);
            output.clear();
            return false;
        }
        output.append(reinterpret_cast<const char*>(chunk.data()), chunk.size() - z.avail_out);
    } while (rc != Z_STREAM_END);
    deflateEnd(&z);
    return true;
}

bool acceptsGzip(std::string_view acceptEncoding) {
    bool star = false;
    while (!acceptEncoding.empty()) {
        auto comma = acceptEncoding.find(',');
        auto element = acceptEncoding.substr(0, comma);
        acceptEncoding = comma == std::string_view::npos ? std::string_view{}
                                                         : acceptEncoding.substr(comma + 1);
        auto semi = element.find(';');
        auto coding = trim(element.substr(0, semi));
        const double q = semi == std::string_view::npos ? 1.0 : qValue(element.substr(semi + 1));
        if (equalsIgnoreCase(coding, "gzip") || equalsIgnoreCase(coding, "x-gzip")) {
            return q > 0.0;  // an explicit gzip entry overrides "*"
        }
        if (coding == "*") star = q > 0.0;
    }
    return star;
}

}  // namespace tandem::server::net
