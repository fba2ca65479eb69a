#include "tandem/client/intents.h"
#include "work_models.h"

#include "../app_controller.h"
#include "../display.h"
#include "tandem/client/views.h"

namespace tandem::app {

namespace {

QString text(const core::Entity& e, const char* field) {
    const core::Json& v = e.get(field);
    return v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString();
}

QStringList warningTexts(const std::vector<core::Warning>& warnings, core::Language language) {
    QStringList out;
    for (const core::Warning& w : warnings) out << warningText(w, language);
    return out;
}

}  // namespace

QList<QByteArray> MyTasksModel::roleList() const {
    return {"taskId", "name",   "planId",   "planTitle", "due",       "daysLeft",      "percent",
            "status", "rag",    "warnings", "canLog",    "cannotLogReason", "leadDepartment"};
}

KeyedListModel::Loader MyTasksModel::loader() {
    const core::Language language = AppController::instance()->coreLanguage();
    return [language](client::Context& ctx) -> core::Result<Rows> {
        auto rules = client::ruleContext(ctx.replica());
        if (!rules) return rules.error();
        auto work = client::myWork(ctx, *rules);
        if (!work) return work.error();
        auto names = client::Names::load(ctx.replica());
        if (!names) return names.error();
        Rows rows;
        for (const client::WorkTask& t : work->tasks) {
            Row row = makeRow(QString::fromStdString(t.task.id.hex()), RoleCount);
            row.set(IdRole, QString::fromStdString(t.task.id.hex()));
            row.set(NameRole, text(t.task, "name"));
            row.set(PlanIdRole, QString::fromStdString(t.plan.hex()));
            row.set(PlanTitleRole, QString::fromStdString(t.planTitle));
            row.set(DueRole, dateValue(t.task.get("due")));
            row.set(DaysLeftRole, t.workingDaysLeft);
            row.set(PercentRole, t.task.get("percent").is_number_integer() ? t.task.get("percent").get<int>() : 0);
            row.set(StatusRole, enumLabel(t.task.get("status").is_string() ? t.task.get("status").get<std::string>()
                                                                            : std::string("not_started")));
            row.set(RagRole, ragKey(t.rag));
            row.set(WarningsRole, warningTexts(t.warnings, language));
            row.set(CanLogRole, t.mayLog.allowed);
            row.set(CannotLogReasonRole, t.mayLog.allowed ? QString()
                                                          : AppController::messageFor(core::makeError("forbidden", t.mayLog.message)));
            row.set(LeadDepartmentRole,
                    QString::fromStdString(names->department(core::idFromJson(t.task.get("lead_department")))));
            rows.push_back(std::move(row));
        }
        return rows;
    };
}

QList<QByteArray> WaitingModel::roleList() const {
    return {"itemId", "kind", "kindLabel", "title", "planId", "planTitle", "status", "rag", "warnings", "since"};
}

KeyedListModel::Loader WaitingModel::loader() {
    const core::Language language = AppController::instance()->coreLanguage();
    return [language](client::Context& ctx) -> core::Result<Rows> {
        auto rules = client::ruleContext(ctx.replica());
        if (!rules) return rules.error();
        auto work = client::myWork(ctx, *rules);
        if (!work) return work.error();
        Rows rows;
        for (const client::WaitingItem& item : work->waiting) {
            const core::Entity& e = item.entity;
            Row row = makeRow(QString::fromStdString(e.id.hex()), RoleCount);
            row.set(IdRole, QString::fromStdString(e.id.hex()));
            row.set(KindRole, QString::fromStdString(e.type));
            row.set(KindLabelRole, typeLabel(e.type));
            row.set(TitleRole, e.type == "problem" ? text(e, "description") : text(e, "purpose"));
            row.set(PlanIdRole, QString::fromStdString(item.plan.hex()));
            row.set(PlanTitleRole, QString::fromStdString(item.planTitle));
            row.set(StatusRole, enumLabel(e.get("status").is_string() ? e.get("status").get<std::string>() : "open"));
            row.set(RagRole, ragKey(item.rag));
            row.set(WarningsRole, warningTexts(item.warnings, language));
            row.set(SinceRole, instantValue(e.type == "problem" ? e.get("reported_at") : e.get("requested_at")));
            rows.push_back(std::move(row));
        }
        return rows;
    };
}

}  // namespace tandem::app
