#pragma once
// The body of POST /api/v1/sync (DESIGN §5), decoded.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/ids.h"
#include "tandem/core/op.h"
#include "tandem/core/result.h"

namespace tandem::server {

inline constexpr std::size_t kMaxPushOps = 5000;
inline constexpr std::size_t kDefaultPullLimit = 1000;
inline constexpr std::size_t kMaxPullLimit = 5000;

/// A decoded sync request body (DESIGN §5). Pushed ops carry no seq or author: the
/// server assigns them. `ack`: the token of the last answer that carried one, "" when
/// the client holds none; absent for a client that does not speak acks (DESIGN §5,
/// acknowledged pages).
struct SyncRequest {
    core::SiteId site;
    std::int64_t cursor = 0;
    std::vector<core::Op> ops;
    std::size_t limit = kDefaultPullLimit;
    std::optional<std::string> ack;
};

/// Decodes a sync body: bad_request for anything malformed (with what and where),
/// payload_too_large for more than kMaxPushOps ops.
core::Result<SyncRequest> decodeSyncRequest(std::string_view body);

/// The two ways decodeSyncRequest works, for tests. The streaming one reads a
/// well-formed body straight into the request, without a JSON tree; it returns nothing
/// for anything unusual (an error, a duplicate key, an unknown member that is not a
/// scalar), and the tree one, which names every error, decides.
std::optional<SyncRequest> decodeSyncRequestStreaming(std::string_view body);
core::Result<SyncRequest> decodeSyncRequestTree(std::string_view body);

}  // namespace tandem::server
