#include "tandem/core/canonical_json.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace tandem::core {

namespace {

/// Decodes one UTF-8 sequence at text[i]; returns the code point and advances i,
/// or -1 for an ill-formed sequence (overlong, surrogate, > U+10FFFF, truncated).
long decodeUtf8(std::string_view text, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = byte(i);
    if (c < 0x80) {
        ++i;
        return c;
    }
    int extra = 0;
    long cp = 0;
    long min = 0;
    if ((c & 0xe0) == 0xc0) {
        extra = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        extra = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        extra = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if (i + static_cast<std::size_t>(extra) >= text.size()) return -1;  // truncated
    for (int k = 1; k <= extra; ++k) {
        const unsigned char cc = byte(i + static_cast<std::size_t>(k));
        if ((cc & 0xc0) != 0x80) return -1;
        cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

/// UTF-16 code units of a valid UTF-8 string, for RFC 8785 key ordering.
std::u16string utf16Units(std::string_view text) {
    std::u16string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const long cp = decodeUtf8(text, i);
        if (cp < 0) break;  // keys are validated before sorting
        if (cp >= 0x10000) {
            const long v = cp - 0x10000;
            out.push_back(static_cast<char16_t>(0xd800 + (v >> 10)));
            out.push_back(static_cast<char16_t>(0xdc00 + (v & 0x3ff)));
        } else {
            out.push_back(static_cast<char16_t>(cp));
        }
    }
    return out;
}

bool writeString(std::string& out, std::string_view text) {
    if (utf8Length(text) < 0) return false;
    out.push_back('"');
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                static constexpr char kHex[] = "0123456789abcdef";
                out += "\\u00";
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 0xf]);
            } else {
                out.push_back(ch);
            }
        }
    }
    out.push_back('"');
    return true;
}

/// ECMAScript Number::toString for finite doubles (RFC 8785 §3.2.2.3).
void writeDouble(std::string& out, double v) {
    if (v == 0) {
        out += '0';
        return;
    }
    char buf[64];
    const double magnitude = std::fabs(v);
    std::to_chars_result r{};
    if (magnitude >= 1e21 || magnitude < 1e-6) {
        r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
        std::string text(buf, r.ptr);
        // "1.5e-07" → "1.5e-7", "1e+21" stays.
        const auto e = text.find('e');
        std::string mantissa = text.substr(0, e);
        const char sign = text[e + 1];
        std::string exponent = text.substr(e + 2);
        exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
        out += mantissa + "e" + (sign == '-' ? "-" : "+") + exponent;
    } else {
        r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
        out.append(buf, r.ptr);
    }
}

bool writeCanonical(std::string& out, const Json& value) {
    switch (value.type()) {
    case Json::value_t::null: out += "null"; return true;
    case Json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return true;
    case Json::value_t::number_integer: out += std::to_string(value.get<std::int64_t>()); return true;
    case Json::value_t::number_unsigned: out += std::to_string(value.get<std::uint64_t>()); return true;
    case Json::value_t::number_float: {
        const double d = value.get<double>();
        if (!std::isfinite(d)) return false;
        writeDouble(out, d);
        return true;
    }
    case Json::value_t::string: return writeString(out, value.get_ref<const std::string&>());
    case Json::value_t::array: {
        out.push_back('[');
        bool first = true;
        for (const auto& element : value) {
            if (!first) out.push_back(',');
            first = false;
            if (!writeCanonical(out, element)) return false;
        }
        out.push_back(']');
        return true;
    }
    case Json::value_t::object: {
        std::vector<std::pair<std::u16string, const std::string*>> keys;
        keys.reserve(value.size());
        for (const auto& item : value.items()) {
            if (utf8Length(item.key()) < 0) return false;
            keys.emplace_back(utf16Units(item.key()), &item.key());
        }
        std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        out.push_back('{');
        bool first = true;
        for (const auto& [units, key] : keys) {
            if (!first) out.push_back(',');
            first = false;
            writeString(out, *key);
            out.push_back(':');
            if (!writeCanonical(out, value.at(*key))) return false;
        }
        out.push_back('}');
        return true;
    }
    default: return false;  // binary and discarded values have no JSON text
    }
}

}  // namespace

long utf8Length(std::string_view text) {
    long count = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            ++i;
        } else if (decodeUtf8(text, i) < 0) {
            return -1;
        }
        ++count;
    }
    return count;
}

Result<std::string> canonicalJson(const Json& value) {
    std::string out;
    if (!writeCanonical(out, value)) return makeError("invalid_value", "value has no canonical JSON form (invalid UTF-8 or non-finite number)");
    return out;
}

std::string sha256Hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        out.push_back(kHex[digest[i] >> 4]);
        out.push_back(kHex[digest[i] & 0xf]);
    }
    return out;
}

Result<Json> parseJson(std::string_view text, int maxDepth) {
    // Bound nesting before parsing, so hostile input cannot exhaust the stack of
    // anything that walks the result recursively.
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') ++i;
            else if (c == '"') inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth) return makeError("bad_request", "JSON nested deeper than " + std::to_string(maxDepth) + " levels");
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    Json parsed = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return makeError("bad_request", "body is not valid JSON");
    return parsed;
}

}  // namespace tandem::core
