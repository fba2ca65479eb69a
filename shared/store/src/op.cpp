#include "tandem/core/op.h"

namespace tandem::core {

std::string Op::idString() const { return site.hex() + ":" + std::to_string(n); }

bool Op::sameContent(const Op& other) const {
    return site == other.site && n == other.n && entity == other.entity && type == other.type && field == other.field &&
           hlc == other.hlc && value == other.value;
}

namespace {

Error malformed(const std::string& what) { return makeError("bad_request", "operation: " + what); }

const Json* member(const Json& object, const char* name) {
    auto it = object.find(name);
    return it == object.end() ? nullptr : &*it;
}

}  // namespace

Result<Op> decodeOp(const Json& json) {
    if (!json.is_object()) return malformed("not a JSON object");
    Op op;

    const Json* site = member(json, "site");
    if (!site || !site->is_string()) return malformed("\"site\" must be a string of 16 hex digits");
    auto siteId = SiteId::parse(site->get_ref<const std::string&>());
    if (!siteId) return malformed("\"site\" must be 16 lowercase hex digits");
    op.site = *siteId;

    const Json* n = member(json, "n");
    if (!n || !(n->is_number_unsigned() || n->is_number_integer())) return malformed("\"n\" must be an integer");
    if (n->is_number_integer() && n->get<std::int64_t>() < 1) return malformed("\"n\" must be at least 1");
    op.n = n->get<std::uint64_t>();
    if (op.n < 1 || op.n > static_cast<std::uint64_t>(INT64_MAX)) return malformed("\"n\" is out of range");

    const Json* entity = member(json, "entity");
    if (!entity || !entity->is_string()) return malformed("\"entity\" must be a string of 32 hex digits");
    auto entityId = EntityId::parse(entity->get_ref<const std::string&>());
    if (!entityId) return malformed("\"entity\" must be 32 lowercase hex digits");
    op.entity = *entityId;

    const Json* type = member(json, "type");
    if (!type || !type->is_string()) return malformed("\"type\" must be a string");
    op.type = type->get<std::string>();

    const Json* field = member(json, "field");
    if (!field || !field->is_string()) return malformed("\"field\" must be a string");
    op.field = field->get<std::string>();

    const Json* value = member(json, "value");
    if (!value) return malformed("\"value\" is missing");
    op.value = *value;

    const Json* hlc = member(json, "hlc");
    if (!hlc || !hlc->is_string()) return malformed("\"hlc\" must be a string of 16 hex digits");
    auto stamp = Hlc::parse(hlc->get_ref<const std::string&>());
    if (!stamp) return malformed("\"hlc\" must be 16 lowercase hex digits");
    op.hlc = *stamp;

    if (const Json* seq = member(json, "seq"); seq && !seq->is_null()) {
        if (!(seq->is_number_unsigned() || seq->is_number_integer())) return malformed("\"seq\" must be an integer");
        op.seq = seq->get<std::int64_t>();
    }
    if (const Json* author = member(json, "author"); author && !author->is_null()) {
        if (!author->is_string()) return malformed("\"author\" must be a member id or null");
        auto authorId = EntityId::parse(author->get_ref<const std::string&>());
        if (!authorId) return malformed("\"author\" must be 32 lowercase hex digits");
        op.author = *authorId;
    }
    return op;
}

Json encodeOp(const Op& op, bool withServerFields) {
    Json json = {{"site", op.site.hex()}, {"n", op.n},         {"entity", op.entity.hex()}, {"type", op.type},
                 {"field", op.field},     {"value", op.value}, {"hlc", op.hlc.hex()}};
    if (withServerFields) {
        if (op.seq) json["seq"] = *op.seq;
        json["author"] = op.author ? Json(op.author->hex()) : Json(nullptr);
    }
    return json;
}

namespace {

void appendString(std::string& out, std::string_view text) {
    out += Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
}

/// Hex ids and HLCs need no escaping.
void appendHex(std::string& out, const char* key, const std::string& hex) {
    out += key;
    out += '"';
    out += hex;
    out += '"';
}

bool plainText(std::string_view text) {
    for (char c : text)
        if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80)
            return false;
    return true;
}

void appendText(std::string& out, std::string_view text) {
    if (!plainText(text)) return appendString(out, text);
    out += '"';
    out += text;
    out += '"';
}

}  // namespace

void appendOpJson(std::string& out, const Op& op, bool withServerFields) {
    // Keys in the order nlohmann::json (a std::map) writes them, so both encoders agree
    // byte for byte.
    out += '{';
    if (withServerFields) {
        if (op.author)
            appendHex(out, "\"author\":", op.author->hex());
        else
            out += "\"author\":null";
        out += ',';
    }
    appendHex(out, "\"entity\":", op.entity.hex());
    out += ",\"field\":";
    appendText(out, op.field);
    appendHex(out, ",\"hlc\":", op.hlc.hex());
    out += ",\"n\":";
    out += std::to_string(op.n);
    if (withServerFields && op.seq) {
        out += ",\"seq\":";
        out += std::to_string(*op.seq);
    }
    appendHex(out, ",\"site\":", op.site.hex());
    out += ",\"type\":";
    appendText(out, op.type);
    out += ",\"value\":";
    out += op.value.dump(-1, ' ', false, Json::error_handler_t::replace);
    out += '}';
}

}  // namespace tandem::core
