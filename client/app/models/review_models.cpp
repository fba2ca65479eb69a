#include "tandem/client/intents.h"
#include "review_models.h"

#include <QDateTime>

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
    return {"opId", "entityName", "kindLabel", "planTitle", "fieldLabel",
            "value", "code",      "message",   "currentValue", "rejectedAt"};
}

KeyedListModel::Loader RejectedModel::loader() {
    return [](client::Context& ctx) -> core::Result<Rows> {
        auto edits = client::rejectedViews(ctx);
        if (!edits) return edits.error();
        auto names = client::Names::load(ctx.replica());
        if (!names) return names.error();
        Rows rows;
        for (const client::RejectedView& r : *edits) {
            const core::Op& op = r.edit.op;
            Row row = makeRow(qs(op.idString()), RoleCount);
            row.set(OpIdRole, qs(op.idString()));
            row.set(EntityNameRole, qs(r.entityName));
            row.set(KindLabelRole, typeLabel(op.type));
            row.set(PlanTitleRole, qs(r.planTitle));
            row.set(FieldLabelRole, fieldLabel(op.type, op.field));
            row.set(ValueRole, valueText(op.type, op.field, op.value, *names));
            row.set(CodeRole, qs(r.edit.code));
            row.set(MessageRole, AppController::messageFor(core::makeError(r.edit.code, r.edit.message)));
            row.set(CurrentValueRole, valueText(op.type, op.field, r.current, *names));
            row.set(RejectedAtRole, QDateTime::fromMSecsSinceEpoch(r.edit.rejectedAtMs));
            rows.push_back(std::move(row));
        }
        return rows;
    };
}

}  // namespace tandem::app
