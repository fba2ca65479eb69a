#pragma once
// My work (the home page): my tasks due soon or late, with their warnings and whether I
// may log progress on them; and, as its fed list `waiting`, the problems and resource
// requests waiting for me. Both come from one client::myWork per load (the core decides
// what is mine and what is late): it reads every plan, so it runs once, not per list.

#include <memory>

#include "../keyed_list_model.h"

namespace tandem::app {

class MyTasksModel : public KeyedListModel {
    Q_OBJECT
    Q_PROPERTY(KeyedListModel* waiting READ waiting CONSTANT)
    QML_ELEMENT

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        NameRole,
        PlanIdRole,
        PlanTitleRole,
        DueRole,          // QDate
        DaysLeftRole,     // working days; negative: late
        PercentRole,
        StatusRole,       // label
        RagRole,          // "red", "yellow", "green"
        WarningsRole,     // QStringList, worst first
        CanLogRole,
        CannotLogReasonRole,
        LeadDepartmentRole,
        RoleCount
    };
    /// The roles of `waiting`'s rows.
    enum WaitingRole {
        WaitingIdRole = Qt::UserRole + 1,
        WaitingKindRole,  // "problem" or "resource_request"
        WaitingKindLabelRole,
        WaitingTitleRole,
        WaitingPlanIdRole,
        WaitingPlanTitleRole,
        WaitingStatusRole,
        WaitingRagRole,
        WaitingWarningsRole,
        WaitingSinceRole,  // QDateTime: reported or requested
        WaitingRoleCount
    };
    explicit MyTasksModel(QObject* parent = nullptr);

    KeyedListModel* waiting() { return &m_waiting; }

protected:
    QList<QByteArray> roleList() const override;
    Loader loader() override;
    void loadApplied() override;

private:
    FedListModel m_waiting;
    std::shared_ptr<Rows> m_waitingLoaded;  // filled by the load in flight on the worker
};

}  // namespace tandem::app
