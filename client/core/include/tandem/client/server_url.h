#pragma once
// A server URL as the user types it ("http://host:port[/prefix]"), split for the
// WebSocket client. Pure; thread-safe.

#include <optional>
#include <string>

namespace tandem::client {

struct ServerUrl {
    std::string scheme;  // "http" or "https"
    std::string host;    // without brackets for IPv6
    std::string port;    // always set (default 80 / 443)
    std::string prefix;  // path before /api/v1, without trailing slash; usually empty

    /// Parses http(s)://host[:port][/prefix]; nullopt for anything else.
    static std::optional<ServerUrl> parse(const std::string& url);
    /// "http://host:port" + prefix, the form stored in the session.
    std::string base() const;
};

}  // namespace tandem::client
