#pragma once
// What waits for a decision: sign-offs I owe as a department head (Approvals), values of
// mine a concurrent edit overwrote (Conflicts), and edits the server refused (Rejected).
// Each comes from the client core's views, which apply the core's rules.

#include "../keyed_list_model.h"

namespace tandem::app {

class ApprovalsModel : public KeyedListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        SubjectIdRole = Qt::UserRole + 1,
        KindRole,          // "plan" or "change_request"
        KindLabelRole,
        TitleRole,
        PlanIdRole,
        PlanTitleRole,
        DepartmentRole,    // the department I sign for
        StaleRole,         // my department's sign-off went stale
        LastMeaningRole,   // of that sign-off, as a label ("" without one)
        LastSignedAtRole,  // QDateTime
        ChangesRole,       // QVariantList of {what, field, before, after}
        ChangesExactRole,
        CanSignRole,
        CannotSignReasonRole,
        SummaryRole,       // a change request's reason, a plan's goal
        RoleCount
    };
    using KeyedListModel::KeyedListModel;

protected:
    QList<QByteArray> roleList() const override;
    Loader loader() override;
};

class ConflictsModel : public KeyedListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        LostIdRole = Qt::UserRole + 1,  // the lost op, "site:n"
        EntityIdRole,
        EntityNameRole,
        KindLabelRole,
        PlanTitleRole,
        FieldRole,        // the field's name in the schema
        FieldLabelRole,
        LostValueRole,    // as text
        LostValueJsonRole,
        LostByRole,
        LostAtRole,       // QDateTime (its HLC time)
        CurrentValueRole,
        CurrentByRole,
        CurrentAtRole,
        CanRestoreRole,
        CannotRestoreReasonRole,
        RoleCount
    };
    using KeyedListModel::KeyedListModel;

protected:
    QList<QByteArray> roleList() const override;
    Loader loader() override;
};

class RejectedModel : public KeyedListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    /// One row per refused record (a progress report, a task's fields), not per field:
    /// a refused report is one thing the user did. Its reason is the root one (the field
    /// that was forbidden, not the fields refused because of it).
    enum Role {
        RecordIdRole = Qt::UserRole + 1,
        EntityNameRole,
        KindLabelRole,
        PlanTitleRole,
        FieldLabelRole,    // the refused fields' labels, in order
        ValueRole,         // what was typed: the value, or "Label: value" lines
        CodeRole,
        MessageRole,       // the server's reason, in the app's language when known
        CurrentValueRole,  // what the fields show now ("" when the record was not kept)
        NotKeptRole,       // a new record the server refused: it exists nowhere
        RejectedAtRole,    // the latest refusal
        RoleCount
    };
    using KeyedListModel::KeyedListModel;

protected:
    QList<QByteArray> roleList() const override;
    Loader loader() override;
};

}  // namespace tandem::app
