#pragma once
// What the app's Catch tests ask of its models and controller: a model loaded as QML
// would load it, a role's value, a row by a role's value, the signals a change emitted,
// and the outcome of an intent. Header-only; GUI thread only.

#include <QSignalSpy>
#include <catch2/catch.hpp>

#include <memory>

#include "app_controller.h"
#include "app_test_support.h"
#include "keyed_list_model.h"
#include "models/plan_model.h"

namespace tandem::test {

/// The demo plan as `who` reads it, loaded.
inline std::unique_ptr<app::PlanModel> loadedDemoPlan(SignedInApp& who) {
    auto plan = std::make_unique<app::PlanModel>();
    plan->setPlanId(who.demoPlan());
    REQUIRE(waitUntil([&] { return plan->loaded() && !plan->loading(); }));
    return plan;
}

/// A model created as QML would, loaded.
template <class Model>
std::unique_ptr<Model> loaded() {
    auto model = std::make_unique<Model>();
    model->reload();
    REQUIRE(waitUntil([&] { return model->loaded() && !model->loading(); }));
    return model;
}

inline QVariant value(const app::KeyedListModel& model, int row, const char* role) {
    return model.get(row).value(QString::fromUtf8(role));
}

/// The first row whose `role` holds `wanted`, or -1.
inline int rowOf(const app::KeyedListModel& model, const char* role, const QVariant& wanted) {
    for (int i = 0; i < model.count(); ++i)
        if (value(model, i, role) == wanted) return i;
    return -1;
}

/// Counts what a model emits: it must change by rows, never by a reset.
struct ChangeCounter {
    explicit ChangeCounter(QAbstractItemModel* model)
        : resets(model, &QAbstractItemModel::modelReset),
          changed(model, &QAbstractItemModel::dataChanged),
          inserted(model, &QAbstractItemModel::rowsInserted),
          removed(model, &QAbstractItemModel::rowsRemoved) {}
    QSignalSpy resets, changed, inserted, removed;
};

/// The outcome of the next `action` the controller reports (actionFinished); the test
/// fails when none comes.
struct Outcome {
    bool ok = false;
    QString message;
};
inline Outcome waitForAction(app::AppController& app, const QString& action) {
    QSignalSpy spy(&app, &app::AppController::actionFinished);
    Outcome out;
    REQUIRE(waitUntil([&] {
        for (const auto& args : spy)
            if (args.at(0).toString() == action) {
                out = {args.at(2).toBool(), args.at(3).toString()};
                return true;
            }
        return false;
    }));
    return out;
}

}  // namespace tandem::test
