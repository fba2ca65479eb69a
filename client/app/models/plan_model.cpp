#include "plan_model.h"
#include "tandem/client/intents.h"

#include <algorithm>

#include "../app_controller.h"
#include "../display.h"
#include "tandem/client/views.h"

namespace tandem::app {

namespace {

const QList<QByteArray> kTaskRoles = {"taskId",         "wbs",         "depth",    "name",      "owner",
                                      "leadDepartment", "start",       "due",      "percent",   "status",
                                      "statusKey",      "rag",         "warnings", "canUpdate", "cannotUpdateReason",
                                      "deliverable",    "actualFinish"};
const QList<QByteArray> kMilestoneRoles = {"milestoneId", "name",      "due",        "status",
                                           "statusKey",   "reachedOn", "deliverable"};
const QList<QByteArray> kRiskRoles = {"riskId",     "title",   "impact", "probability", "ownerDepartment",
                                      "mitigation", "trigger", "status", "rag"};
const QList<QByteArray> kProgressRoles = {"entryId", "taskName", "author",   "percent",   "note",
                                          "problem", "solution", "nextStep", "reportedAt"};
const QList<QByteArray> kSignoffRoles = {"signoffId", "signer",   "department", "meaning", "meaningKey",
                                         "comment",   "signedAt", "stale",      "subject"};

std::string str(const core::Entity& e, const char* field) {
    const core::Json& v = e.get(field);
    return v.is_string() ? v.get<std::string>() : std::string();
}
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QString qtext(const core::Entity& e, const char* field) {
    return qs(str(e, field));
}
QString enumOf(const core::Entity& e, const char* field, const char* otherwise) {
    const std::string v = str(e, field);
    return enumLabel(v.empty() ? otherwise : v);
}

/// Sets each role of `row` by name from `values` (role name → value).
KeyedListModel::Row rowOf(const QString& key, const QList<QByteArray>& roles,
                          std::initializer_list<std::pair<const char*, QVariant>> values) {
    KeyedListModel::Row row{key, QVector<QVariant>(roles.size())};
    for (const auto& [name, value] : values) {
        const qsizetype at = roles.indexOf(QByteArray(name));
        Q_ASSERT(at >= 0);
        if (at >= 0) row.values[at] = value;
    }
    return row;
}

QStringList warningTexts(const std::vector<core::Warning>& warnings, core::Language language) {
    QStringList out;
    for (const core::Warning& w : warnings) out << warningText(w, language);
    return out;
}

}  // namespace

struct PlanModel::Loaded {
    core::Result<bool> status = true;
    QVariantMap overview;
    QVariantList allWarnings;
    KeyedListModel::Rows tasks, milestones, risks, progress, signoffs;
};

PlanModel::PlanModel(QObject* parent)
    : QObject(parent),
      m_tasks(kTaskRoles, this),
      m_milestones(kMilestoneRoles, this),
      m_risks(kRiskRoles, this),
      m_progress(kProgressRoles, this),
      m_signoffs(kSignoffRoles, this) {
    if (AppController* app = AppController::instance()) app->listen(this, this);
}

void PlanModel::setPlanId(const QString& planId) {
    if (planId == m_planId) return;
    m_planId = planId;
    emit planIdChanged();
    if (m_complete) reload();
}

void PlanModel::componentComplete() {
    m_complete = true;
    reload();
}

void PlanModel::changed(const client::ChangeSet& changes) {
    const auto id = core::EntityId::parse(m_planId.toStdString());
    if (m_loaded && id && (changes.touchesPlan(*id) || changes.organisation)) reload();
}

void PlanModel::reload() {
    const auto id = core::EntityId::parse(m_planId.toStdString());
    AppController* app = AppController::instance();
    if (!id || !app) return;
    if (m_loading) {
        m_dirty = true;
        return;
    }
    m_loading = true;
    emit loadingChanged();
    const core::Language language = app->coreLanguage();
    app->runOnWorker<Loaded>(
        this,
        [plan = *id, language](client::Context& ctx) {
            Loaded out;
            auto rules = client::ruleContext(ctx.replica());
            if (!rules) {
                out.status = rules.error();
                return out;
            }
            auto view = client::planDetail(ctx, plan, *rules);
            auto names = client::Names::load(ctx.replica());
            if (!view || !names) {
                out.status = view ? names.error() : view.error();
                return out;
            }
            const core::PlanSnapshot& s = view->snapshot;
            const core::Entity& p = s.plan;

            int percentSum = 0, late = 0;
            for (const client::PlanTask& t : view->tasks) {
                const core::Entity& task = *t.task;
                const int percent = task.get("percent").is_number_integer() ? task.get("percent").get<int>() : 0;
                percentSum += percent;
                if (std::any_of(t.warnings.begin(), t.warnings.end(),
                                [](const core::Warning& w) { return w.kind == core::WarningKind::TaskDelayed; }))
                    ++late;
                out.tasks.push_back(rowOf(
                    qs(task.id.hex()), kTaskRoles,
                    {{"taskId", qs(task.id.hex())},
                     {"wbs", qs(t.wbs)},
                     {"depth", t.depth},
                     {"name", qtext(task, "name")},
                     {"owner", qs(names->member(core::idFromJson(task.get("owner"))))},
                     {"leadDepartment", qs(names->department(core::idFromJson(task.get("lead_department"))))},
                     {"start", dateValue(task.get("start"))},
                     {"due", dateValue(task.get("due"))},
                     {"percent", percent},
                     {"status", enumOf(task, "status", "not_started")},
                     {"statusKey", str(task, "status").empty() ? QStringLiteral("not_started") : qtext(task, "status")},
                     {"rag", ragKey(t.rag)},
                     {"warnings", warningTexts(t.warnings, language)},
                     {"canUpdate", t.mayUpdate.allowed},
                     {"cannotUpdateReason", t.mayUpdate.allowed ? QString()
                                                                : AppController::messageFor(core::makeError(
                                                                      "forbidden", t.mayUpdate.message))},
                     {"deliverable", qtext(task, "deliverable_standard")},
                     {"actualFinish", dateValue(task.get("actual_finish"))}}));
            }
            for (const core::Entity& m : s.milestones)
                out.milestones.push_back(rowOf(qs(m.id.hex()), kMilestoneRoles,
                                               {{"milestoneId", qs(m.id.hex())},
                                                {"name", qtext(m, "name")},
                                                {"due", dateValue(m.get("due"))},
                                                {"status", enumOf(m, "status", "pending")},
                                                {"statusKey", qtext(m, "status")},
                                                {"reachedOn", dateValue(m.get("reached_on"))},
                                                {"deliverable", qtext(m, "deliverable")}}));
            const auto due = kMilestoneRoles.indexOf("due");
            std::sort(out.milestones.begin(), out.milestones.end(),
                      [due](const KeyedListModel::Row& a, const KeyedListModel::Row& b) {
                          return a.values[due].toDate() < b.values[due].toDate();
                      });
            for (const core::Entity& r : s.risks)
                out.risks.push_back(
                    rowOf(qs(r.id.hex()), kRiskRoles,
                          {{"riskId", qs(r.id.hex())},
                           {"title", qtext(r, "title")},
                           {"impact", enumOf(r, "impact", "")},
                           {"probability", enumOf(r, "probability", "")},
                           {"ownerDepartment", qs(names->department(core::idFromJson(r.get("owner_department"))))},
                           {"mitigation", qtext(r, "mitigation")},
                           {"trigger", qtext(r, "trigger")},
                           {"status", enumOf(r, "status", "open")},
                           {"rag", qtext(r, "rag").isEmpty() ? QStringLiteral("green") : qtext(r, "rag")}}));
            std::vector<const core::Entity*> entries;
            for (const core::Entity& e : s.progressEntries) entries.push_back(&e);
            auto reported = [](const core::Entity* e) {
                return e->get("reported_at").is_number_integer() ? e->get("reported_at").get<std::int64_t>() : 0;
            };
            std::sort(entries.begin(), entries.end(),
                      [&](const core::Entity* a, const core::Entity* b) { return reported(a) > reported(b); });
            for (const core::Entity* e : entries) {
                const core::Entity* task = nullptr;
                if (auto taskId = core::idFromJson(e->get("task"))) task = s.task(*taskId);
                out.progress.push_back(
                    rowOf(qs(e->id.hex()), kProgressRoles,
                          {{"entryId", qs(e->id.hex())},
                           {"taskName", task ? qtext(*task, "name") : QString()},
                           {"author", qs(names->member(core::idFromJson(e->get("author"))))},
                           {"percent", e->get("percent").is_number_integer() ? e->get("percent").get<int>() : 0},
                           {"note", qtext(*e, "note")},
                           {"problem", qtext(*e, "problem")},
                           {"solution", qtext(*e, "solution")},
                           {"nextStep", qtext(*e, "next_step")},
                           {"reportedAt", instantValue(e->get("reported_at"))}}));
            }
            for (const core::Entity& so : s.signoffs) {
                const auto subject = core::idFromJson(so.get("subject"));
                QString subjectTitle = qtext(p, "title");
                if (subject && *subject != p.id)
                    for (const core::Entity& cr : s.changeRequests)
                        if (cr.id == *subject) subjectTitle = qtext(cr, "title");
                out.signoffs.push_back(
                    rowOf(qs(so.id.hex()), kSignoffRoles,
                          {{"signoffId", qs(so.id.hex())},
                           {"signer", qs(names->member(core::idFromJson(so.get("signer"))))},
                           {"department", qs(names->department(core::idFromJson(so.get("department"))))},
                           {"meaning", enumOf(so, "meaning", "")},
                           {"meaningKey", qtext(so, "meaning")},
                           {"comment", qtext(so, "comment")},
                           {"signedAt", instantValue(so.get("signed_at"))},
                           {"stale", so.get("stale") == true},
                           {"subject", subjectTitle}}));
            }
            const auto signedAt = kSignoffRoles.indexOf("signedAt");
            std::sort(out.signoffs.begin(), out.signoffs.end(),
                      [signedAt](const KeyedListModel::Row& a, const KeyedListModel::Row& b) {
                          return a.values[signedAt].toDateTime() > b.values[signedAt].toDateTime();
                      });

            QStringList participants;
            for (const core::EntityId& dept : s.participants()) participants << qs(names->department(dept));
            QVariantList subgoals;
            for (const auto& [field, value] : p.fields) {
                if (field.rfind("subgoal.", 0) != 0 || !value.value.is_string()) continue;
                const auto dept = core::EntityId::parse(field.substr(8));
                subgoals.append(
                    QVariantMap{{QStringLiteral("department"), dept ? qs(names->department(*dept)) : QString()},
                                {QStringLiteral("goal"), qs(value.value.get<std::string>())}});
            }
            std::vector<const core::Warning*> worstFirst;
            for (const core::Warning& w : view->warnings) worstFirst.push_back(&w);
            std::stable_sort(worstFirst.begin(), worstFirst.end(),
                             [](const core::Warning* a, const core::Warning* b) { return a->severity > b->severity; });
            int red = 0;
            for (const core::Warning* w : worstFirst) {
                if (w->severity == core::Rag::Red) ++red;
                out.allWarnings.append(QVariantMap{{QStringLiteral("rag"), ragKey(w->severity)},
                                                   {QStringLiteral("text"), warningText(*w, language)}});
            }
            const QVariantList warnings = out.allWarnings.mid(0, kOverviewWarnings);
            const std::string status = str(p, "status").empty() ? "draft" : str(p, "status");
            out.overview = {
                {QStringLiteral("title"), qtext(p, "title")},
                {QStringLiteral("status"), enumLabel(status)},
                {QStringLiteral("statusKey"), qs(status)},
                {QStringLiteral("approval"), enumOf(p, "approval", "")},
                {QStringLiteral("rag"), ragKey(view->rag)},
                {QStringLiteral("background"), qtext(p, "background")},
                {QStringLiteral("goalWhat"), qtext(p, "goal_what")},
                {QStringLiteral("goalMetric"), qtext(p, "goal_metric")},
                {QStringLiteral("goalTarget"), qtext(p, "goal_target")},
                {QStringLiteral("goalDeadline"), dateValue(p.get("goal_deadline"))},
                {QStringLiteral("scopeIn"), qtext(p, "scope_in")},
                {QStringLiteral("scopeOut"), qtext(p, "scope_out")},
                {QStringLiteral("leadDepartment"), qs(names->department(core::idFromJson(p.get("lead_department"))))},
                {QStringLiteral("participants"), participants},
                {QStringLiteral("owner"), qs(names->member(core::idFromJson(p.get("owner"))))},
                {QStringLiteral("start"), dateValue(p.get("start"))},
                {QStringLiteral("end"), dateValue(p.get("end"))},
                {QStringLiteral("meetingCadence"), qtext(p, "meeting_cadence")},
                {QStringLiteral("channels"), qtext(p, "channels")},
                {QStringLiteral("escalationContact"), qs(names->member(core::idFromJson(p.get("escalation_contact"))))},
                {QStringLiteral("escalationHours"),
                 p.get("escalation_hours").is_number_integer() ? p.get("escalation_hours").get<int>() : 48},
                {QStringLiteral("subgoals"), subgoals},
                {QStringLiteral("warnings"), warnings},
                {QStringLiteral("warningCount"), static_cast<int>(worstFirst.size())},
                {QStringLiteral("redWarningCount"), red},
                {QStringLiteral("progress"),
                 view->tasks.empty() ? 0 : percentSum / static_cast<int>(view->tasks.size())},
                {QStringLiteral("taskCount"), static_cast<int>(view->tasks.size())},
                {QStringLiteral("lateCount"), late},
                {QStringLiteral("myRole"), qs(view->myRole)},
            };
            return out;
        },
        [this](Loaded& loaded) { apply(loaded); });
}

void PlanModel::apply(Loaded& loaded) {
    m_loading = false;
    emit loadingChanged();
    if (!loaded.status) {
        m_error = AppController::messageFor(loaded.status.error());
    } else {
        m_error.clear();
        m_overview = std::move(loaded.overview);
        m_allWarnings = std::move(loaded.allWarnings);
        emit overviewChanged();
        m_tasks.setRows(std::move(loaded.tasks));
        m_milestones.setRows(std::move(loaded.milestones));
        m_risks.setRows(std::move(loaded.risks));
        m_progress.setRows(std::move(loaded.progress));
        m_signoffs.setRows(std::move(loaded.signoffs));
    }
    m_loaded = true;
    emit loadedChanged();
    if (m_dirty) {
        m_dirty = false;
        reload();
    }
}

}  // namespace tandem::app
