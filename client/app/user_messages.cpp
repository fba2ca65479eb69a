// The one place where a failure becomes what the user reads (Mozilla VPN's habit): by
// code, in the app's language. The core's and the server's own sentences (why an edit
// is refused, DESIGN §6) are translated when they are known ones, else shown as they are.

#include <QCoreApplication>
#include <QHash>

#include "app_controller.h"

namespace tandem::app {

namespace {

// The core's refusals (shared/domain permissions: mayWrite and the lifecycles) and the
// server's, as they come: translated in the app's language when known.
struct KnownMessage {
    const char* source;
    const char* text;
};
const KnownMessage kCoreMessages[] = {
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "the plan is published: its content changes only through an approved change request")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only a department head or an admin creates plans")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "a department head creates plans that their own department leads")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "the creator of a plan becomes its owner")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "a new plan starts as a draft")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "you cannot read this plan")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only the plan's owner and the lead department's head change the plan")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only the plan's owner changes its status")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only the server marks a plan approved")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "the plan's approvals are not current: it needs re-approval before publishing")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only the server marks a change request approved or rejected, from its sign-offs")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only the plan's owner applies a change request")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only an approved change request is applied")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only the requester and the plan's owner submit or withdraw a change request")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "this field is written by the server only")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only an admin changes the organisation")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only members of the task's lead and collaborating departments report on it")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "a progress entry needs a task of this plan")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only members of the task's lead and collaborating departments log its progress")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "a progress entry's author is the member who writes it")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only department heads sign off")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "a department head signs for their own department")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "a sign-off is signed by the member who writes it")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "only the plan's participants add to it")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "the plan is archived: it and its records are read-only")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "sign in to report on tasks")},
    {"CoreMessage", QT_TRANSLATE_NOOP("CoreMessage", "you no longer have access to this plan")},
};

QString translatedCoreMessage(const std::string& message) {
    const QString text = QString::fromStdString(message);
    for (const KnownMessage& known : kCoreMessages)
        if (text == QLatin1String(known.text)) return QCoreApplication::translate(known.source, known.text);
    return text;
}

}  // namespace

QString AppController::messageFor(const core::Error& error) {
    const std::string& code = error.code;
    if (code == "unauthorized") return QCoreApplication::translate("Errors", "Wrong username or password, or your session has ended. Sign in again.");
    if (code == "unreachable" || code == "network")
        return QCoreApplication::translate("Errors", "The server cannot be reached. Check the address and your connection; your edits are kept on "
                  "this device and go out when it is back.");
    if (code == "tls")
        return QCoreApplication::translate("Errors", "The server's security certificate is not trusted, so nothing was sent. Ask your administrator "
                  "to check the server's certificate.");
    if (code == "bad_url") return QCoreApplication::translate("Errors", "The server address must look like https://tandem.example.com or http://host:port.");
    if (code == "replica_bound")
        return QCoreApplication::translate("Errors", "This device's data belongs to another server or user. Start Tandem with another data folder "
                  "(--replica) to sign in as someone else.");
    if (code == "too_many_requests") return QCoreApplication::translate("Errors", "Too many attempts. Wait a minute, then try again.");
    if (code == "server_error" || code == "internal")
        return QCoreApplication::translate("Errors", "The server had a problem. Your edits are kept; try again in a moment.");
    if (code == "signed_out") return QCoreApplication::translate("Errors", "Sign in first.");
    if (code == "not_found") return QCoreApplication::translate("Errors", "It is no longer on this device (deleted, or no longer shared with you).");
    if (code == "forbidden" || code == "immutable" || code == "unknown_entity")
        return translatedCoreMessage(error.message);
    if (code == "invalid_value") return QCoreApplication::translate("Errors", "That value is not allowed here: %1").arg(QString::fromStdString(error.message));
    if (code == "busy" || code == "disk_full" || code == "corrupt" || code == "sqlite" || code == "cant_open")
        return QCoreApplication::translate("Errors", "This device could not save the data (%1). Free some space or restart Tandem.")
            .arg(QString::fromStdString(code));
    return QString::fromStdString(error.message);
}

}  // namespace tandem::app
