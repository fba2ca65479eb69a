#include "keyed_list_model.h"

#include <QHash>
#include <QSet>

#include "app_controller.h"

namespace tandem::app {

KeyedListModel::KeyedListModel(QObject* parent) : QAbstractListModel(parent) {
    if (AppController* app = AppController::instance()) app->listen(this, this);
}

KeyedListModel::~KeyedListModel() = default;

int KeyedListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant KeyedListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() < 0 || index.row() >= count()) return {};
    const auto& values = m_rows[static_cast<std::size_t>(index.row())].values;
    const int slot = role - Qt::UserRole - 1;
    return slot >= 0 && slot < values.size() ? values[slot] : QVariant();
}

QHash<int, QByteArray> KeyedListModel::roleNames() const {
    QHash<int, QByteArray> names;
    const QList<QByteArray> roles = roleList();
    for (int i = 0; i < roles.size(); ++i) names.insert(Qt::UserRole + 1 + i, roles[i]);
    return names;
}

void KeyedListModel::classBegin() { m_complete = false; }

void KeyedListModel::componentComplete() {
    m_complete = true;
    reload();
}

QVariantMap KeyedListModel::get(int row) const {
    QVariantMap map;
    if (row < 0 || row >= count()) return map;
    const QList<QByteArray> roles = roleList();
    const auto& values = m_rows[static_cast<std::size_t>(row)].values;
    for (int i = 0; i < roles.size() && i < values.size(); ++i) map.insert(QString::fromUtf8(roles[i]), values[i]);
    return map;
}

int KeyedListModel::indexOf(const QString& key) const {
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].key == key) return static_cast<int>(i);
    return -1;
}

void KeyedListModel::reloadIfComplete() {
    if (m_complete) reload();
}

void KeyedListModel::reload() {
    Loader load = loader();
    AppController* app = AppController::instance();
    if (!load || !app) return;
    if (m_loading) {
        m_dirty = true;  // after the load in flight, once more
        return;
    }
    setLoading(true);
    app->runOnWorker<core::Result<Rows>>(this, std::move(load), [this](core::Result<Rows>& rows) {
        if (rows) {
            setError({});
            setRows(std::move(*rows));
            loadApplied();
        } else {
            setError(AppController::messageFor(rows.error()));
        }
        setLoading(false);
        if (m_dirty) {
            m_dirty = false;
            reload();
        }
    });
}

void KeyedListModel::changed(const client::ChangeSet& changes) {
    if (m_loaded && affectedBy(changes)) reload();
}

bool KeyedListModel::affectedBy(const client::ChangeSet&) const { return true; }

void KeyedListModel::setRows(Rows next) {
    const int before = count();
    if (!m_loaded) {
        // The first load is one insertion of every row.
        if (!next.empty()) {
            beginInsertRows({}, 0, static_cast<int>(next.size()) - 1);
            m_rows = std::move(next);
            endInsertRows();
        }
        m_loaded = true;
        emit loadedChanged();
        if (count() != before) emit countChanged();
        return;
    }
    // 1. Rows whose key is gone, from the end so the indexes ahead stay valid.
    QSet<QString> keep;
    keep.reserve(static_cast<qsizetype>(next.size()));
    for (const Row& row : next) keep.insert(row.key);
    for (int i = count() - 1; i >= 0; --i) {
        if (keep.contains(m_rows[static_cast<std::size_t>(i)].key)) continue;
        int first = i;  // a run of gone rows goes in one removal
        while (first > 0 && !keep.contains(m_rows[static_cast<std::size_t>(first - 1)].key)) --first;
        beginRemoveRows({}, first, i);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + i + 1);
        endRemoveRows();
        i = first;
    }
    // 2. Walk the new order: a row further down is moved up, a new one inserted, and a
    // row in place gets dataChanged for the roles whose values differ.
    for (std::size_t i = 0; i < next.size(); ++i) {
        Row& wanted = next[i];
        if (i >= m_rows.size() || m_rows[i].key != wanted.key) {
            std::size_t found = i + 1;
            while (found < m_rows.size() && m_rows[found].key != wanted.key) ++found;
            if (found >= m_rows.size()) {
                beginInsertRows({}, static_cast<int>(i), static_cast<int>(i));
                m_rows.insert(m_rows.begin() + static_cast<std::ptrdiff_t>(i), std::move(wanted));
                endInsertRows();
                continue;
            }
            beginMoveRows({}, static_cast<int>(found), static_cast<int>(found), {}, static_cast<int>(i));
            Row moved = std::move(m_rows[found]);
            m_rows.erase(m_rows.begin() + static_cast<std::ptrdiff_t>(found));
            m_rows.insert(m_rows.begin() + static_cast<std::ptrdiff_t>(i), std::move(moved));
            endMoveRows();
        }
        Row& row = m_rows[i];
        if (row.values == wanted.values) continue;
        QList<int> roles;
        for (int r = 0; r < wanted.values.size(); ++r)
            if (r >= row.values.size() || row.values[r] != wanted.values[r]) roles.append(Qt::UserRole + 1 + r);
        row.values = std::move(wanted.values);
        const QModelIndex at = index(static_cast<int>(i));
        emit dataChanged(at, at, roles);
    }
    if (count() != before) emit countChanged();
}

void KeyedListModel::setLoading(bool loading) {
    if (m_loading == loading) return;
    m_loading = loading;
    emit loadingChanged();
}

void KeyedListModel::setError(const QString& error) {
    if (m_error == error) return;
    m_error = error;
    emit errorChanged();
}

int FedListModel::role(const char* name) const {
    const qsizetype at = m_roles.indexOf(QByteArray(name));
    return at < 0 ? -1 : Qt::UserRole + 1 + static_cast<int>(at);
}

}  // namespace tandem::app
