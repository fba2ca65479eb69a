#include "tandem/client/intents.h"
#include "tandem/client/queries.h"
#include "plans_model.h"

#include <QCoreApplication>

#include <algorithm>

#include "../app_controller.h"
#include "../display.h"
#include "tandem/client/views.h"

namespace tandem::app {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString roleLabel(const std::string& role) {
    if (role == "owner") return QCoreApplication::translate("PlanRole", "Plan owner");
    if (role == "lead_head") return QCoreApplication::translate("PlanRole", "Head of the lead department");
    if (role == "head") return QCoreApplication::translate("PlanRole", "Head of a participating department");
    if (role == "lead_member") return QCoreApplication::translate("PlanRole", "In the lead department");
    if (role == "member") return QCoreApplication::translate("PlanRole", "In a participating department");
    if (role == "hq") return QCoreApplication::translate("PlanRole", "HQ");
    if (role == "admin") return QCoreApplication::translate("PlanRole", "Administrator");
    return {};
}

}  // namespace

PlansModel::PlansModel(QObject* parent) : KeyedListModel(parent) {
    connect(this, &QAbstractItemModel::rowsInserted, this, &PlansModel::updateDepartments);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &PlansModel::updateDepartments);
    connect(this, &QAbstractItemModel::dataChanged, this, &PlansModel::updateDepartments);
}

QList<QByteArray> PlansModel::roleList() const {
    return {"planId", "title", "status", "statusKey", "leadDepartment", "departments",
            "rag",    "warnings", "progress", "myRole", "lateTasks"};
}

KeyedListModel::Loader PlansModel::loader() {
    return [](client::Context& ctx) -> core::Result<Rows> {
        auto summaries = client::planSummaries(ctx);
        if (!summaries) return summaries.error();
        Rows rows;
        for (const client::PlanSummary& p : *summaries) {
            Row row = makeRow(qs(p.id.hex()), RoleCount);
            row.set(PlanIdRole, qs(p.id.hex()));
            row.set(TitleRole, qs(p.title.value_or("")));
            const std::string status = p.status.value_or("draft");
            row.set(StatusRole, enumLabel(status));
            row.set(StatusKeyRole, qs(status));
            row.set(LeadDepartmentRole, qs(p.leadName));
            QStringList departments;
            for (const std::string& name : p.departmentNames) departments << qs(name);
            row.set(DepartmentsRole, departments);
            row.set(RagRole, ragKey(p.rag));
            row.set(WarningsRole, static_cast<int>(p.warnings));
            row.set(ProgressRole, p.progress);
            row.set(MyRoleRole, roleLabel(p.myRole));
            row.set(LateTasksRole, p.late);
            rows.push_back(std::move(row));
        }
        return rows;
    };
}

void PlansModel::updateDepartments() {
    QStringList all;
    for (int i = 0; i < rowCount(); ++i)
        for (const QString& name : data(index(i), DepartmentsRole).toStringList())
            if (!name.isEmpty() && !all.contains(name)) all << name;
    std::sort(all.begin(), all.end(), [](const QString& a, const QString& b) { return QString::localeAwareCompare(a, b) < 0; });
    if (all == m_departments) return;
    m_departments = all;
    emit departmentsChanged();
}

// ---- filter ----------------------------------------------------------------------------

PlanFilterModel::PlanFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    connect(this, &QAbstractItemModel::rowsInserted, this, &PlanFilterModel::countChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &PlanFilterModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &PlanFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &PlanFilterModel::countChanged);
}

void PlanFilterModel::setSearch(const QString& v) {
    if (v == m_search) return;
    m_search = v;
    refilter();
}
void PlanFilterModel::setStatus(const QString& v) {
    if (v == m_status) return;
    m_status = v;
    refilter();
}
void PlanFilterModel::setRag(const QString& v) {
    if (v == m_rag) return;
    m_rag = v;
    refilter();
}
void PlanFilterModel::setDepartment(const QString& v) {
    if (v == m_department) return;
    m_department = v;
    refilter();
}

void PlanFilterModel::refilter() {
    invalidateFilter();
    emit filterChanged();
    emit countChanged();
}

bool PlanFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    auto value = [&](int role) { return sourceModel()->data(i, role); };
    if (!m_search.trimmed().isEmpty() &&
        !value(PlansModel::TitleRole).toString().contains(m_search.trimmed(), Qt::CaseInsensitive))
        return false;
    if (!m_status.isEmpty() && value(PlansModel::StatusKeyRole).toString() != m_status) return false;
    if (!m_rag.isEmpty() && value(PlansModel::RagRole).toString() != m_rag) return false;
    if (!m_department.isEmpty() && !value(PlansModel::DepartmentsRole).toStringList().contains(m_department))
        return false;
    return true;
}

// ---- HQ roll-up ------------------------------------------------------------------------

QList<QByteArray> RollupModel::roleList() const {
    return {"department", "overdueTasks", "openProblems", "missingSignoffs", "warnings", "rag"};
}

KeyedListModel::Loader RollupModel::loader() {
    return [](client::Context& ctx) -> core::Result<Rows> {
        auto rollups = client::rollup(ctx);
        if (!rollups) return rollups.error();
        Rows rows;
        for (const core::DepartmentRollup& r : *rollups) {
            Row row = makeRow(qs(r.department.hex()), RoleCount);
            row.set(DepartmentRole, qs(r.name));
            row.set(OverdueTasksRole, r.overdueTasks);
            row.set(OpenProblemsRole, r.openProblems);
            row.set(MissingSignoffsRole, r.missingSignoffs);
            row.set(WarningsRole, r.warnings);
            row.set(RagRole, ragKey(r.rag));
            rows.push_back(std::move(row));
        }
        return rows;
    };
}

}  // namespace tandem::app
