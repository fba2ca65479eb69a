#include "tandem/client/intents.h"
#include "review_models.h"

#include <QDateTime>

#include <algorithm>
#include <map>
#include <vector>

#include "../app_controller.h"
#include "../display.h"
#include "tandem/client/views.h"

namespace tandem::app {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString text(const core::Entity& e, const char* field) {
    const core::Json& v = e.get(field);
    return v.is_string() ? qs(v.get<std::string>()) : QString();
}

QString reasonOf(const core::Decision& d) {
    return d.allowed ? QString() : AppController::messageFor(core::makeError("forbidden", d.message));
}

QDateTime whenOf(const core::Op& op) {
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(op.hlc.physicalMs()));
}

}  // namespace

// ---- approvals -------------------------------------------------------------------------

QList<QByteArray> ApprovalsModel::roleList() const {
    return {"subjectId",   "kind",         "kindLabel", "title",        "planId",
            "planTitle",   "department",   "stale",     "lastMeaning",  "lastSignedAt",
            "changes",     "changesExact", "canSign",   "cannotSignReason", "summary"};
}

KeyedListModel::Loader ApprovalsModel::loader() {
    return [](client::Context& ctx) -> core::Result<Rows> {
        auto rules = client::ruleContext(ctx.replica());
        if (!rules) return rules.error();
        auto items = client::approvals(ctx, *rules);
        if (!items) return items.error();
        auto names = client::Names::load(ctx.replica());
        if (!names) return names.error();
        Rows rows;
        for (const client::ApprovalItem& item : *items) {
            const core::Entity& subject = item.subject;
            Row row = makeRow(qs(subject.id.hex() + ":" + item.department.hex()), RoleCount);
            row.set(SubjectIdRole, qs(subject.id.hex()));
            row.set(KindRole, qs(subject.type));
            row.set(KindLabelRole, typeLabel(subject.type));
            row.set(TitleRole, text(subject, "title"));
            row.set(PlanIdRole, qs(item.plan.hex()));
            row.set(PlanTitleRole, qs(item.planTitle));
            row.set(DepartmentRole, qs(names->department(item.department)));
            row.set(StaleRole, item.stale);
            if (item.mySignoff) {
                const core::Json& meaning = item.mySignoff->get("meaning");
                row.set(LastMeaningRole, meaning.is_string() ? enumLabel(meaning.get<std::string>()) : QString());
                row.set(LastSignedAtRole, instantValue(item.mySignoff->get("signed_at")));
            } else {
                row.set(LastMeaningRole, QString());
            }
            QVariantList changes;
            for (const client::SignedChange& c : item.changes) {
                changes.append(QVariantMap{
                    {QStringLiteral("what"), typeLabel(c.kind) + QStringLiteral(" · ") + qs(c.entityName)},
                    {QStringLiteral("field"), fieldLabel(c.kind, c.field)},
                    {QStringLiteral("before"), valueText(c.kind, c.field, c.before, *names)},
                    {QStringLiteral("after"), valueText(c.kind, c.field, c.after, *names)}});
            }
            row.set(ChangesRole, changes);
            row.set(ChangesExactRole, item.changesExact);
            row.set(CanSignRole, item.maySign.allowed);
            row.set(CannotSignReasonRole, reasonOf(item.maySign));
            row.set(SummaryRole, subject.type == "change_request" ? text(subject, "reason") : text(subject, "goal_what"));
            rows.push_back(std::move(row));
        }
        return rows;
    };
}

// ---- conflicts -------------------------------------------------------------------------

QList<QByteArray> ConflictsModel::roleList() const {
    return {"lostId",    "entityId",     "entityName",  "kindLabel",  "planTitle",  "field",
            "fieldLabel", "lostValue",   "lostValueJson", "lostBy",   "lostAt",     "currentValue",
            "currentBy", "currentAt",    "canRestore",  "cannotRestoreReason"};
}

KeyedListModel::Loader ConflictsModel::loader() {
    return [](client::Context& ctx) -> core::Result<Rows> {
        auto found = client::conflicts(ctx);
        if (!found) return found.error();
        auto names = client::Names::load(ctx.replica());
        if (!names) return names.error();
        const core::SiteId mine = ctx.replica().site();
        auto who = [&](const core::Op& op) {
            if (op.site == mine && !op.author) return QCoreApplication::translate("Conflicts", "You (this device)");
            const std::string name = names->author(op);
            return name.empty() ? QCoreApplication::translate("Conflicts", "Server") : qs(name);
        };
        Rows rows;
        for (const client::Conflict& c : *found) {
            const std::string& type = c.entity.type;
            Row row = makeRow(qs(c.lost.idString()), RoleCount);
            row.set(LostIdRole, qs(c.lost.idString()));
            row.set(EntityIdRole, qs(c.entity.id.hex()));
            row.set(EntityNameRole, type == "plan" ? text(c.entity, "title") : text(c.entity, "name"));
            row.set(KindLabelRole, typeLabel(type));
            row.set(PlanTitleRole, qs(c.planTitle));
            row.set(FieldRole, qs(c.field));
            row.set(FieldLabelRole, fieldLabel(type, c.field));
            row.set(LostValueRole, valueText(type, c.field, c.lost.value, *names));
            row.set(LostValueJsonRole, qs(c.lost.value.dump()));
            row.set(LostByRole, who(c.lost));
            row.set(LostAtRole, whenOf(c.lost));
            row.set(CurrentValueRole, valueText(type, c.field, c.current.value, *names));
            row.set(CurrentByRole, who(c.current));
            row.set(CurrentAtRole, whenOf(c.current));
            row.set(CanRestoreRole, c.mayRestore.allowed);
            row.set(CannotRestoreReasonRole, reasonOf(c.mayRestore));
            rows.push_back(std::move(row));
        }
        return rows;
    };
}

// ---- rejected edits --------------------------------------------------------------------

QList<QByteArray> RejectedModel::roleList() const {
    return {"recordId", "entityName", "kindLabel",    "planTitle", "fieldLabel", "value",
            "code",     "message",    "currentValue", "notKept",   "rejectedAt"};
}

KeyedListModel::Loader RejectedModel::loader() {
    return [](client::Context& ctx) -> core::Result<Rows> {
        auto edits = client::rejectedViews(ctx);  // newest first
        if (!edits) return edits.error();
        auto names = client::Names::load(ctx.replica());
        if (!names) return names.error();
        // The edits of one record, in the order they came (newest record first).
        std::vector<std::vector<const client::RejectedView*>> records;
        std::map<core::EntityId, std::size_t> recordOf;
        for (const client::RejectedView& r : *edits) {
            auto [it, added] = recordOf.emplace(r.edit.op.entity, records.size());
            if (added) records.emplace_back();
            records[it->second].push_back(&r);
        }
        Rows rows;
        for (auto& record : records) {
            std::sort(record.begin(), record.end(),
                      [](const client::RejectedView* a, const client::RejectedView* b) { return a->edit.op.n < b->edit.op.n; });
            // The root reason: a field refused for itself, not one refused because the
            // record's plan (or its creation) was.
            const client::RejectedView* root = record.front();
            for (const client::RejectedView* r : record)
                if (r->edit.code != "unknown_entity") {
                    root = r;
                    break;
                }
            const core::Op& first = root->edit.op;
            auto stored = ctx.replica().entity(first.entity);
            if (!stored) return stored.error();
            // A new record the server refused was never created anywhere: nothing of it
            // stays here either.
            const bool notKept = !*stored || (*stored)->fields.empty();
            QStringList labels, typed, now;
            std::int64_t at = 0;
            for (const client::RejectedView* r : record) {
                const core::Op& op = r->edit.op;
                at = std::max(at, r->edit.rejectedAtMs);
                // Which plan and task a record is about, the card's title says already.
                if (record.size() > 1 && (op.field == "plan" || op.field == "task")) continue;
                const QString label = fieldLabel(op.type, op.field);
                labels << label;
                const QString value = valueText(op.type, op.field, op.value, *names);
                const QString current = valueText(op.type, op.field, r->current, *names);
                const auto labelled = [&](const QString& text) {
                    return record.size() == 1 ? text
                                              : QCoreApplication::translate("Rejected", "%1: %2").arg(label, text);
                };
                typed << labelled(value);
                if (!notKept) now << labelled(current);
            }
            Row row = makeRow(qs(first.entity.hex()), RoleCount);
            row.set(RecordIdRole, qs(first.entity.hex()));
            row.set(EntityNameRole, qs(root->entityName));
            row.set(KindLabelRole, typeLabel(first.type));
            row.set(PlanTitleRole, qs(root->planTitle));
            row.set(FieldLabelRole, labels.join(QStringLiteral(", ")));
            row.set(ValueRole, typed.join(QLatin1Char('\n')));
            row.set(CodeRole, qs(root->edit.code));
            row.set(MessageRole, AppController::messageFor(core::makeError(root->edit.code, root->edit.message)));
            row.set(CurrentValueRole, now.join(QLatin1Char('\n')));
            row.set(NotKeptRole, notKept);
            row.set(RejectedAtRole, QDateTime::fromMSecsSinceEpoch(at));
            rows.push_back(std::move(row));
        }
        return rows;
    };
}

}  // namespace tandem::app
