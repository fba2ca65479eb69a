#pragma once
// A list model whose rows are built on the client's worker thread (from the replica,
// with the core's rules) and applied on the GUI thread by key: rows that stayed get
// dataChanged, new ones are inserted, gone ones removed, moved ones moved. After the
// first load, never a reset: a view keeps its scroll position and delegates, and a
// sync that changed one task repaints one row (DESIGN §2).
//
// A model either loads itself (loader(), re-run when a sync or an edit changes what it
// shows: affectedBy()) or is fed rows by an owner (setRows(), e.g. PlanModel's tasks).
//
// Thread contract: a model lives on the GUI thread. Its loader runs on the worker and
// must capture by value whatever it reads (the model may be gone when it runs).

#include <QAbstractListModel>
#include <QQmlParserStatus>
#include <QVariant>
#include <QVector>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <vector>

#include "change_listener.h"
#include "tandem/client/client_service.h"

namespace tandem::app {

class KeyedListModel : public QAbstractListModel, public QQmlParserStatus, public ChangeListener {
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    QML_ANONYMOUS

public:
    struct Row {
        QString key;
        QVector<QVariant> values;  // by role, from Qt::UserRole + 1
        void set(int role, QVariant value) { values[role - Qt::UserRole - 1] = std::move(value); }
    };
    using Rows = std::vector<Row>;

    explicit KeyedListModel(QObject* parent = nullptr);
    ~KeyedListModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void classBegin() override;
    void componentComplete() override;

    int count() const { return static_cast<int>(m_rows.size()); }
    bool loading() const { return m_loading; }
    bool loaded() const { return m_loaded; }
    QString error() const { return m_error; }

    /// The row at `row` as a map of role name → value (empty when out of range).
    Q_INVOKABLE QVariantMap get(int row) const;
    /// The row of `key`, or -1.
    Q_INVOKABLE int indexOf(const QString& key) const;
    /// Loads again now (e.g. pull-to-refresh): no-op for a fed model.
    Q_INVOKABLE void reload();

    /// Applies the whole list, in order, by key (see the header comment).
    void setRows(Rows rows);
    /// A sync or an edit changed the replica; reloads when that concerns this model.
    void changed(const client::ChangeSet& changes) override;

signals:
    void countChanged();
    void loadingChanged();
    void loadedChanged();
    void errorChanged();

protected:
    using Loader = std::function<core::Result<Rows>(client::Context&)>;
    /// Called on the GUI thread once a load's rows are applied (an owner of fed lists
    /// applies theirs from the same load here).
    virtual void loadApplied() {}
    /// The role names, in role order from Qt::UserRole + 1.
    virtual QList<QByteArray> roleList() const = 0;
    /// Builds the rows on the worker; empty for a model its owner feeds.
    virtual Loader loader() { return {}; }
    /// Whether `changes` may change the rows (default: anything does).
    virtual bool affectedBy(const client::ChangeSet& changes) const;
    /// A row with a slot for each role from Qt::UserRole + 1 up to `endRole` (a model's
    /// RoleCount, one past its last role).
    static Row makeRow(QString key, int endRole) {
        return Row{std::move(key), QVector<QVariant>(endRole - Qt::UserRole - 1)};
    }
    /// Call when a property the loader reads changed.
    void reloadIfComplete();

private:
    void setLoading(bool loading);
    void setError(const QString& error);

    std::vector<Row> m_rows;
    bool m_complete = true;  // false between classBegin and componentComplete
    bool m_loading = false;
    bool m_loaded = false;
    bool m_dirty = false;  // changed while loading: load again once done
    QString m_error;
};

/// A list its owner fills (setRows); its roles are given at construction.
class FedListModel : public KeyedListModel {
    Q_OBJECT
    QML_ANONYMOUS

public:
    FedListModel(QList<QByteArray> roles, QObject* parent) : KeyedListModel(parent), m_roles(std::move(roles)) {}
    /// The row's slot of a role name (Qt::UserRole + 1 + its index).
    int role(const char* name) const;

protected:
    QList<QByteArray> roleList() const override { return m_roles; }

private:
    QList<QByteArray> m_roles;
};

}  // namespace tandem::app
