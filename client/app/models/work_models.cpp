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

MyTasksModel::MyTasksModel(QObject* parent)
    : KeyedListModel(parent),
      m_waiting({"itemId", "kind", "kindLabel", "title", "planId", "planTitle", "status", "rag", "warnings", "since"},
                this) {}

KeyedListModel::Loader MyTasksModel::loader() {
    const core::Language language = AppController::instance()->coreLanguage();
    auto waiting = std::make_shared<Rows>();
    m_waitingLoaded = waiting;
    return [language, waiting](client::Context& ctx) -> core::Result<Rows> {
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
        for (const client::WaitingItem& item : work->waiting) {
            const core::Entity& e = item.entity;
            Row row = makeRow(QString::fromStdString(e.id.hex()), WaitingRoleCount);
            row.set(WaitingIdRole, QString::fromStdString(e.id.hex()));
            row.set(WaitingKindRole, QString::fromStdString(e.type));
            row.set(WaitingKindLabelRole, typeLabel(e.type));
            row.set(WaitingTitleRole, e.type == "problem" ? text(e, "description") : text(e, "purpose"));
            row.set(WaitingPlanIdRole, QString::fromStdString(item.plan.hex()));
            row.set(WaitingPlanTitleRole, QString::fromStdString(item.planTitle));
            row.set(WaitingStatusRole, enumLabel(e.get("status").is_string() ? e.get("status").get<std::string>() : "open"));
            row.set(WaitingRagRole, ragKey(item.rag));
            row.set(WaitingWarningsRole, warningTexts(item.warnings, language));
            row.set(WaitingSinceRole, instantValue(e.type == "problem" ? e.get("reported_at") : e.get("requested_at")));
            waiting->push_back(std::move(row));
        }
        return rows;
    };
}

void MyTasksModel::loadApplied() {
    if (m_waitingLoaded) m_waiting.setRows(std::move(*m_waitingLoaded));
    m_waitingLoaded.reset();
}

}  // namespace tandem::app
