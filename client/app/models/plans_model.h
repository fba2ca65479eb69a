#pragma once
// Every plan on this device with its RAG (the core's rules), status, lead department,
// progress and my role in it; a filter over it for the Plans page; and HQ's roll-up
// per department.

#include <QSortFilterProxyModel>
#include <QStringList>

#include "../keyed_list_model.h"

namespace tandem::app {

class PlansModel : public KeyedListModel {
    Q_OBJECT
    Q_PROPERTY(QStringList departments READ departments NOTIFY departmentsChanged)
    QML_ELEMENT

public:
    enum Role {
        PlanIdRole = Qt::UserRole + 1,
        TitleRole,
        StatusRole,       // label
        StatusKeyRole,    // draft, in_review, …
        LeadDepartmentRole,
        DepartmentsRole,  // QStringList: lead and participants
        RagRole,
        WarningsRole,     // how many
        ProgressRole,     // mean percent of its tasks
        MyRoleRole,       // label ("Owner", …)
        LateTasksRole,
        RoleCount
    };
    explicit PlansModel(QObject* parent = nullptr);
    /// The departments that lead or join a plan, by name, for the filter.
    QStringList departments() const { return m_departments; }

signals:
    void departmentsChanged();

protected:
    QList<QByteArray> roleList() const override;
    Loader loader() override;

private:
    void updateDepartments();
    QStringList m_departments;
};

/// Plans by a title search, status, RAG and department (empty: any).
class PlanFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY filterChanged)
    Q_PROPERTY(QString status READ status WRITE setStatus NOTIFY filterChanged)
    Q_PROPERTY(QString rag READ rag WRITE setRag NOTIFY filterChanged)
    Q_PROPERTY(QString department READ department WRITE setDepartment NOTIFY filterChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    QML_ELEMENT

public:
    explicit PlanFilterModel(QObject* parent = nullptr);
    QString search() const { return m_search; }
    QString status() const { return m_status; }
    QString rag() const { return m_rag; }
    QString department() const { return m_department; }
    void setSearch(const QString& v);
    void setStatus(const QString& v);
    void setRag(const QString& v);
    void setDepartment(const QString& v);
    int count() const { return rowCount(); }

signals:
    void filterChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    void refilter();
    QString m_search, m_status, m_rag, m_department;
};

class RollupModel : public KeyedListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        DepartmentRole = Qt::UserRole + 1,
        OverdueTasksRole,
        OpenProblemsRole,
        MissingSignoffsRole,
        WarningsRole,
        RagRole,
        RoleCount
    };
    using KeyedListModel::KeyedListModel;

protected:
    QList<QByteArray> roleList() const override;
    Loader loader() override;
};

}  // namespace tandem::app
