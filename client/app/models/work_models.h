#pragma once
// My work (the home page): my tasks due soon or late, with their warnings and whether I
// may log progress on them; and the problems and resource requests waiting for me.
// Both come from client::myWork (the core decides what is mine and what is late).

#include "../keyed_list_model.h"

namespace tandem::app {

class MyTasksModel : public KeyedListModel {
    Q_OBJECT
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
    using KeyedListModel::KeyedListModel;

protected:
    QList<QByteArray> roleList() const override;
    Loader loader() override;
};

class WaitingModel : public KeyedListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        KindRole,     // "problem" or "resource_request"
        KindLabelRole,
        TitleRole,
        PlanIdRole,
        PlanTitleRole,
        StatusRole,
        RagRole,
        WarningsRole,
        SinceRole,    // QDateTime: reported or requested
        RoleCount
    };
    using KeyedListModel::KeyedListModel;

protected:
    QList<QByteArray> roleList() const override;
    Loader loader() override;
};

}  // namespace tandem::app
