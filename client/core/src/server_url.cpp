#include "tandem/client/server_url.h"

#include <algorithm>

namespace tandem::client {

std::optional<ServerUrl> ServerUrl::parse(const std::string& url) {
    ServerUrl u;
    std::string rest;
    if (url.rfind("http://", 0) == 0) {
        u.scheme = "http";
        rest = url.substr(7);
    } else if (url.rfind("https://", 0) == 0) {
        u.scheme = "https";
        rest = url.substr(8);
    } else {
        return std::nullopt;
    }
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    u.prefix = slash == std::string::npos ? "" : rest.substr(slash);
    while (!u.prefix.empty() && u.prefix.back() == '/') u.prefix.pop_back();
    if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        u.host = authority.substr(1, close - 1);
        const std::string after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::nullopt;
            u.port = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        u.host = authority.substr(0, colon);
        if (colon != std::string::npos) u.port = authority.substr(colon + 1);
    }
    if (u.host.empty()) return std::nullopt;
    if (u.port.empty()) u.port = u.scheme == "https" ? "443" : "80";
    if (u.port.size() > 5 || !std::all_of(u.port.begin(), u.port.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return u;
}

std::string ServerUrl::base() const {
    const bool v6 = host.find(':') != std::string::npos;
    return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + port + prefix;
}

}  // namespace tandem::client
