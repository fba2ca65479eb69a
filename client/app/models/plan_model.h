#pragma once
// One plan, whole (the plan page): its overview, its tasks in WBS order with warnings
// and what I may do to each, milestones, risks, the progress timeline and sign-offs.
// Loaded once per change into every list (one snapshot of the plan on the worker, not
// one per list: a plan of 2,000 tasks opens in one read), and again when a sync or an
// edit touches the plan or the organisation.

#include <QObject>
#include <QVariantMap>

#include "../change_listener.h"
#include "../keyed_list_model.h"

namespace tandem::app {

class PlanModel : public QObject, public QQmlParserStatus, public ChangeListener {
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    Q_PROPERTY(QString planId READ planId WRITE setPlanId NOTIFY planIdChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)
    Q_PROPERTY(QString error READ error NOTIFY loadedChanged)
    Q_PROPERTY(QVariantMap overview READ overview NOTIFY overviewChanged)
    /// Every warning about the plan, worst first: the overview holds only the first
    /// kOverviewWarnings (and `warningCount`), since a plan of 2,000 late tasks has
    /// 2,000 of them and a page of that many labels takes a third of a second to build.
    Q_PROPERTY(QVariantList allWarnings READ allWarnings NOTIFY overviewChanged)
    Q_PROPERTY(KeyedListModel* tasks READ tasks CONSTANT)
    Q_PROPERTY(KeyedListModel* milestones READ milestones CONSTANT)
    Q_PROPERTY(KeyedListModel* risks READ risks CONSTANT)
    Q_PROPERTY(KeyedListModel* progress READ progress CONSTANT)
    Q_PROPERTY(KeyedListModel* signoffs READ signoffs CONSTANT)
    QML_ELEMENT

public:
    explicit PlanModel(QObject* parent = nullptr);

    QString planId() const { return m_planId; }
    void setPlanId(const QString& planId);
    bool loading() const { return m_loading; }
    bool loaded() const { return m_loaded; }
    QString error() const { return m_error; }
    QVariantMap overview() const { return m_overview; }
    QVariantList allWarnings() const { return m_allWarnings; }
    static constexpr int kOverviewWarnings = 5;
    KeyedListModel* tasks() { return &m_tasks; }
    KeyedListModel* milestones() { return &m_milestones; }
    KeyedListModel* risks() { return &m_risks; }
    KeyedListModel* progress() { return &m_progress; }
    KeyedListModel* signoffs() { return &m_signoffs; }

    Q_INVOKABLE void reload();
    void classBegin() override { m_complete = false; }
    void componentComplete() override;
    void changed(const client::ChangeSet& changes) override;

signals:
    void planIdChanged();
    void loadingChanged();
    void loadedChanged();
    void overviewChanged();

private:
    struct Loaded;
    void apply(Loaded& loaded);

    QString m_planId;
    bool m_complete = true;
    bool m_loading = false;
    bool m_loaded = false;
    bool m_dirty = false;
    QString m_error;
    QVariantMap m_overview;
    QVariantList m_allWarnings;
    FedListModel m_tasks, m_milestones, m_risks, m_progress, m_signoffs;
};

}  // namespace tandem::app
