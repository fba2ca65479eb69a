#include "service/sync_request.h"

#include <algorithm>
#include <limits>

#include "tandem/core/canonical_json.h"

namespace tandem::server {

using core::Json;
using core::makeError;
using core::Op;
using core::Result;

namespace {

constexpr auto kMaxInt64 = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

/// nlohmann's SAX events for one sync body, straight into a SyncRequest. Any event the
/// well-formed shape does not allow returns false, which stops the parse.
class SyncSax {
public:
    using number_integer_t = Json::number_integer_t;
    using number_unsigned_t = Json::number_unsigned_t;
    using number_float_t = Json::number_float_t;
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;

    bool complete() const { return m_done; }
    SyncRequest take() { return std::move(m_request); }

    bool null() { return scalar(Json(nullptr)); }
    bool boolean(bool value) { return scalar(Json(value)); }
    bool number_integer(number_integer_t value) { return scalar(Json(value)); }
    bool number_unsigned(number_unsigned_t value) { return scalar(Json(value)); }
    bool number_float(number_float_t value, const string_t&) { return scalar(Json(value)); }
    bool string(string_t& value) { return scalar(Json(std::move(value))); }
    bool binary(binary_t&) { return false; }

    bool start_object(std::size_t) {
        if (m_level == Level::None && !m_done) return enter(Level::Body);
        if (m_level == Level::Ops) {
            if (m_request.ops.size() >= kMaxPushOps) return false;
            m_op = Op{};
            m_opSeen = 0;
            return enter(Level::Op);
        }
        return false;  // an object anywhere else: the tree decoder says what is wrong
    }
    bool end_object() {
        if (m_level == Level::Body) {
            m_level = Level::None;
            m_done = (m_bodySeen & kBodyRequired) == kBodyRequired;
            return m_done;
        }
        if (m_level != Level::Op || (m_opSeen & kOpRequired) != kOpRequired) return false;
        m_request.ops.push_back(std::move(m_op));
        return enter(Level::Ops);
    }
    bool start_array(std::size_t) { return m_level == Level::Body && m_key == "ops" && mark(m_bodySeen, kOps) && enter(Level::Ops); }
    bool end_array() {
        if (m_level != Level::Ops) return false;
        m_level = Level::Body;
        m_key.clear();
        return true;
    }
    bool key(string_t& name) {
        m_key = std::move(name);
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

private:
    enum class Level { None, Body, Ops, Op };
    enum : unsigned {
        kSite = 1, kCursor = 2, kLimit = 4, kOps = 8, kAck = 16, kBodyRequired = kSite | kCursor | kOps,
        kOpSite = 1, kN = 2, kEntity = 4, kType = 8, kField = 16, kValue = 32, kHlc = 64, kSeq = 128, kAuthor = 256,
        kOpRequired = kOpSite | kN | kEntity | kType | kField | kValue | kHlc,
    };

    bool enter(Level level) {
        m_level = level;
        m_key.clear();
        return true;
    }
    /// A member seen twice is left to the tree decoder (JSON leaves its meaning open).
    static bool mark(unsigned& seen, unsigned bit) {
        if (seen & bit) return false;
        seen |= bit;
        return true;
    }
    static std::optional<std::uint64_t> count(const Json& v) {
        if (v.is_number_unsigned()) return v.get<std::uint64_t>();
        return std::nullopt;  // negative, fractional or not a number
    }

    bool scalar(Json value) {
        if (m_level == Level::Body) return bodyMember(std::move(value));
        if (m_level == Level::Op) return opMember(std::move(value));
        return false;  // a bare scalar, or one inside "ops"
    }

    bool bodyMember(Json value) {
        if (m_key == "site") {
            auto site = value.is_string() ? core::SiteId::parse(value.get_ref<const std::string&>()) : std::nullopt;
            return site && mark(m_bodySeen, kSite) && (m_request.site = *site, true);
        }
        if (m_key == "cursor") {
            auto cursor = count(value);
            return cursor && *cursor <= kMaxInt64 && mark(m_bodySeen, kCursor) &&
                   (m_request.cursor = static_cast<std::int64_t>(*cursor), true);
        }
        if (m_key == "limit") {
            if (!mark(m_bodySeen, kLimit)) return false;
            if (value.is_null()) return true;
            auto limit = count(value);
            if (!limit || *limit < 1 || *limit > kMaxInt64) return false;
            m_request.limit = static_cast<std::size_t>(std::min<std::uint64_t>(*limit, kMaxPullLimit));
            return true;
        }
        if (m_key == "ack") {
            if (!value.is_string() || !mark(m_bodySeen, kAck)) return false;
            m_request.ack = std::move(value.get_ref<std::string&>());
            return true;
        }
        return m_key != "ops";  // other members are ignored; "ops" must be an array
    }

    bool opMember(Json value) {
        Op& op = m_op;
        if (m_key == "site") {
            auto site = value.is_string() ? core::SiteId::parse(value.get_ref<const std::string&>()) : std::nullopt;
            return site && mark(m_opSeen, kOpSite) && (op.site = *site, true);
        }
        if (m_key == "n") {
            auto n = count(value);
            return n && *n >= 1 && *n <= kMaxInt64 && mark(m_opSeen, kN) && (op.n = *n, true);
        }
        if (m_key == "entity") {
            auto entity = value.is_string() ? core::EntityId::parse(value.get_ref<const std::string&>()) : std::nullopt;
            return entity && mark(m_opSeen, kEntity) && (op.entity = *entity, true);
        }
        if (m_key == "type" || m_key == "field") {
            if (!value.is_string() || !mark(m_opSeen, m_key == "type" ? kType : kField)) return false;
            (m_key == "type" ? op.type : op.field) = std::move(value.get_ref<std::string&>());
            return true;
        }
        if (m_key == "value") return mark(m_opSeen, kValue) && (op.value = std::move(value), true);
        if (m_key == "hlc") {
            auto hlc = value.is_string() ? core::Hlc::parse(value.get_ref<const std::string&>()) : std::nullopt;
            return hlc && mark(m_opSeen, kHlc) && (op.hlc = *hlc, true);
        }
        // seq and author are the server's to assign: checked as the tree decoder checks
        // them, then dropped.
        if (m_key == "seq") return mark(m_opSeen, kSeq) && (value.is_null() || value.is_number_integer());
        if (m_key == "author")
            return mark(m_opSeen, kAuthor) &&
                   (value.is_null() || (value.is_string() && core::EntityId::parse(value.get_ref<const std::string&>())));
        return true;  // other members are ignored
    }

    SyncRequest m_request;
    Level m_level = Level::None;
    bool m_done = false;
    std::string m_key;
    unsigned m_bodySeen = 0;
    Op m_op;
    unsigned m_opSeen = 0;
};

}  // namespace

std::optional<SyncRequest> decodeSyncRequestStreaming(std::string_view body) {
    SyncSax sax;
    if (!Json::sax_parse(body.begin(), body.end(), &sax) || !sax.complete()) return std::nullopt;
    return sax.take();
}

Result<SyncRequest> decodeSyncRequestTree(std::string_view body) {
    auto parsed = core::parseJson(body);
    if (!parsed) return makeError("bad_request", "the body is not valid JSON");
    const Json& j = *parsed;
    if (!j.is_object()) return makeError("bad_request", "the body must be a JSON object");
    SyncRequest request;
    auto site = j.find("site");
    if (site == j.end() || !site->is_string()) return makeError("bad_request", "\"site\" must be a string");
    auto siteId = core::SiteId::parse(site->get<std::string>());
    if (!siteId) return makeError("bad_request", "\"site\" must be 16 lowercase hex digits");
    request.site = *siteId;
    auto cursor = j.find("cursor");
    if (cursor == j.end() || !cursor->is_number_integer() || cursor->get<std::int64_t>() < 0)
        return makeError("bad_request", "\"cursor\" must be a non-negative integer");
    request.cursor = cursor->get<std::int64_t>();
    auto limit = j.find("limit");
    if (limit != j.end() && !limit->is_null()) {
        if (!limit->is_number_integer() || limit->get<std::int64_t>() < 1)
            return makeError("bad_request", "\"limit\" must be a positive integer");
        request.limit = static_cast<std::size_t>(std::min<std::int64_t>(limit->get<std::int64_t>(), kMaxPullLimit));
    }
    if (auto ack = j.find("ack"); ack != j.end()) {
        if (!ack->is_string()) return makeError("bad_request", "\"ack\" must be a string");
        request.ack = ack->get<std::string>();
    }
    auto ops = j.find("ops");
    if (ops == j.end() || !ops->is_array()) return makeError("bad_request", "\"ops\" must be an array");
    if (ops->size() > kMaxPushOps) return makeError("payload_too_large", "more than 5000 operations in one push");
    request.ops.reserve(ops->size());
    for (std::size_t i = 0; i < ops->size(); ++i) {
        auto op = core::decodeOp((*ops)[i]);
        if (!op) return makeError("bad_request", "ops[" + std::to_string(i) + "]: " + op.error().message);
        op->seq.reset();  // the server assigns these
        op->author.reset();
        request.ops.push_back(std::move(*op));
    }
    return request;
}

Result<SyncRequest> decodeSyncRequest(std::string_view body) {
    // Pushes of thousands of ops are the server's hottest input: a JSON tree of them
    // cost more than checking them. Anything the streaming decoder does not take, the
    // tree decoder answers, with its exact error.
    if (auto request = decodeSyncRequestStreaming(body)) return std::move(*request);
    return decodeSyncRequestTree(body);
}

}  // namespace tandem::server
