// AppController's write intents: each runs one client-core intent on the worker (judged
// with the server's rules, written in one transaction), then tells the models what
// changed and QML how it went (actionFinished).

#include "app_controller.h"
#include "tandem/client/intents.h"
#include "tandem/client/views.h"

namespace tandem::app {

namespace {

std::optional<core::EntityId> idOf(const QString& text) { return core::EntityId::parse(text.toStdString()); }

/// The plan an entity is filed under, to tell the models.
core::Result<std::optional<core::EntityId>> planOf(client::Context& ctx, const core::EntityId& id) {
    auto entity = ctx.replica().entity(id);
    if (!entity) return entity.error();
    if (!*entity) return std::optional<core::EntityId>{};
    return (*entity)->plan;
}

}  // namespace

void AppController::runWrite(const QString& action, const QString& subject,
                             std::function<core::Result<std::optional<core::EntityId>>(client::Context&)> write) {
    using Outcome = core::Result<std::optional<core::EntityId>>;
    runOnWorker<Outcome>(this, std::move(write), [this, action, subject](Outcome& outcome) {
        if (!outcome) {
            QString message = messageFor(outcome.error());
            if (action == QLatin1String("signOff") && outcome.error().code == "unauthorized")
                message = tr("Wrong password: nothing was signed.");
            emit actionFinished(action, subject, false, message);
            return;
        }
        client::ChangeSet changes;
        if (*outcome) changes.plans.insert(**outcome);
        else changes.organisation = true;
        notifyChanged(changes);
        m_service->localChange();  // the pending count, and a sync soon
        emit actionFinished(action, subject, true, {});
    });
}

void AppController::logProgress(const QString& taskId, int percent, const QString& note, const QString& problem,
                                const QString& solution, const QString& nextStep) {
    const auto task = idOf(taskId);
    if (!task) return;
    client::ProgressReport report{*task, percent, note.trimmed().toStdString(), problem.trimmed().toStdString(),
                                  solution.trimmed().toStdString(), nextStep.trimmed().toStdString()};
    runWrite(QStringLiteral("logProgress"), taskId, [report](client::Context& ctx) -> core::Result<std::optional<core::EntityId>> {
        if (auto entry = client::logProgress(ctx, report); !entry) return entry.error();
        return planOf(ctx, report.task);
    });
}

void AppController::updateTask(const QString& taskId, int percent, const QString& status, const QString& actualFinish,
                               const QString& note) {
    const auto task = idOf(taskId);
    if (!task) return;
    client::TaskUpdate update;
    update.task = *task;
    if (percent >= 0) update.percent = percent;
    if (!status.isEmpty()) update.status = status.toStdString();
    if (actualFinish != QLatin1String("-")) update.actualFinish = actualFinish.toStdString();
    update.note = note.trimmed().toStdString();
    runWrite(QStringLiteral("updateTask"), taskId, [update](client::Context& ctx) -> core::Result<std::optional<core::EntityId>> {
        if (auto s = client::updateTask(ctx, update); !s) return s.error();
        return planOf(ctx, update.task);
    });
}

void AppController::signOff(const QString& subjectId, const QString& meaning, const QString& comment,
                            const QString& password) {
    const auto subject = idOf(subjectId);
    const auto sense = client::parseSignMeaning(meaning.toStdString());
    if (!subject || !sense) return;
    runWrite(QStringLiteral("signOff"), subjectId,
             [subject = *subject, sense = *sense, comment = comment.trimmed().toStdString(),
              password = password.toStdString()](client::Context& ctx) -> core::Result<std::optional<core::EntityId>> {
                 if (auto signedOff = client::signOff(ctx, subject, sense, comment, password); !signedOff)
                     return signedOff.error();
                 auto plan = planOf(ctx, subject);
                 if (plan && !*plan) return std::optional<core::EntityId>(subject);  // a plan is its own
                 return plan;
             });
}

void AppController::restoreValue(const QString& entityId, const QString& field, const QString& valueJson) {
    const auto entity = idOf(entityId);
    auto value = core::parseJson(valueJson.toStdString());
    if (!entity || !value) return;
    runWrite(QStringLiteral("restoreValue"), entityId,
             [entity = *entity, field = field.toStdString(), value = *value](client::Context& ctx)
                 -> core::Result<std::optional<core::EntityId>> {
                 if (auto s = client::setField(ctx, entity, field, value); !s) return s.error();
                 return planOf(ctx, entity);
             });
}

void AppController::dismissConflict(const QString& lostOpId) {
    runWrite(QStringLiteral("dismissConflict"), lostOpId,
             [id = lostOpId.toStdString()](client::Context& ctx) -> core::Result<std::optional<core::EntityId>> {
                 if (auto s = client::dismissConflict(ctx, id); !s) return s.error();
                 return std::optional<core::EntityId>{};
             });
}

}  // namespace tandem::app
