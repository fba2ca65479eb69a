#include "tandem/core/signable.h"

#include "tandem/core/schema.h"

namespace tandem::core {

namespace {

/// The signable fields of an entity: non-null, set members that are present.
Json signableFields(const Entity& entity) {
    Json out = Json::object();
    const TypeSpec* spec = findType(entity.type);
    if (!spec) return out;
    for (const auto& [name, value] : entity.fields) {
        const FieldSpec* field = spec->field(name);
        if (!field || !field->signable || value.value.is_null()) continue;
        if (field->family && field->kind == ValueKind::Bool && value.value == false) continue;  // absent member
        out[name] = value.value;
    }
    return out;
}

}  // namespace

Result<Json> signableContent(EntityReader& replica, const EntityId& subject) {
    auto entity = replica.entity(subject);
    if (!entity) return entity.error();
    if (!*entity) return makeError("unknown_entity", "no entity " + subject.hex());
    const Entity& e = **entity;
    if (e.type == "change_request") return Json{{"change_request", signableFields(e)}};
    if (e.type != "plan") return makeError("invalid_value", "only plans and change requests are signed");

    Json content = {{"plan", signableFields(e)}, {"tasks", Json::object()}, {"milestones", Json::object()}};
    for (const char* type : {"task", "milestone"}) {
        auto children = replica.entities(type, subject);
        if (!children) return children.error();
        for (const Entity& child : *children)
            if (!child.deleted()) content[std::string(type) + "s"][child.id.hex()] = signableFields(child);
    }
    return content;
}

Result<std::string> contentHash(EntityReader& replica, const EntityId& subject) {
    auto content = signableContent(replica, subject);
    if (!content) return content.error();
    auto text = canonicalJson(*content);
    if (!text) return text.error();
    return sha256Hex(*text);
}

}  // namespace tandem::core
