#include "app_options.h"

#include <malloc.h>

#include <QRegularExpression>

namespace tandem::app {

QString appUsage() {
    return QStringLiteral(
        "usage: tandem [--replica DIR] [--server URL --user NAME] [--lang en|zh_CN]\n"
        "              [--size phone|desktop|WxH] [--page PAGE] [--screenshot FILE]\n"
        "  --replica DIR      the replica folder (default: the same as tandem-cli's)\n"
        "  --server URL --user NAME\n"
        "                     sign in at start with the password in TANDEM_PASSWORD\n"
        "  --lang en|zh_CN    the language (default: the system's)\n"
        "  --size S           phone (390x844), desktop (1440x900) or WIDTHxHEIGHT\n"
        "  --page PAGE        my-work, plans, plan:<id>, approvals, conflicts, rejected, hq,\n"
        "                     settings, sign-in\n"
        "  --screenshot FILE  save the window as PNG once the page shows its data and sync\n"
        "                     is idle, then exit\n");
}

bool isPageName(const QString& page) {
    static const QStringList kPages = {QStringLiteral("my-work"),   QStringLiteral("plans"),
                                       QStringLiteral("approvals"), QStringLiteral("conflicts"),
                                       QStringLiteral("rejected"),  QStringLiteral("hq"),
                                       QStringLiteral("settings"),  QStringLiteral("sign-in")};
    static const QRegularExpression kPlan(QStringLiteral("^plan:[0-9a-f]{32}$"));
    return kPages.contains(page) || kPlan.match(page).hasMatch();
}

std::variant<AppOptions, QString> parseAppOptions(const QStringList& arguments) {
    AppOptions o;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        QString name = arguments[i];
        QString value;
        bool inlineValue = false;
        if (const qsizetype eq = name.indexOf(QLatin1Char('=')); name.startsWith(QLatin1String("--")) && eq > 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
            inlineValue = true;
        }
        static const QStringList kValued = {QStringLiteral("--replica"), QStringLiteral("--server"),
                                            QStringLiteral("--user"),    QStringLiteral("--lang"),
                                            QStringLiteral("--size"),    QStringLiteral("--page"),
                                            QStringLiteral("--screenshot")};
        if (!kValued.contains(name)) return QStringLiteral("unknown option '%1'").arg(arguments[i]);
        if (!inlineValue) {
            if (i + 1 >= arguments.size()) return QStringLiteral("%1 needs a value").arg(name);
            value = arguments[++i];
        }
        if (name == QLatin1String("--replica")) o.replicaDir = value;
        else if (name == QLatin1String("--server")) o.server = value;
        else if (name == QLatin1String("--user")) o.user = value;
        else if (name == QLatin1String("--page")) o.page = value;
        else if (name == QLatin1String("--screenshot")) o.screenshot = value;
        else if (name == QLatin1String("--lang")) {
            if (value != QLatin1String("en") && value != QLatin1String("zh_CN"))
                return QStringLiteral("--lang is en or zh_CN, not '%1'").arg(value);
            o.language = value;
        } else if (name == QLatin1String("--size")) {
            static const QRegularExpression kSize(QStringLiteral("^([1-9][0-9]{1,4})x([1-9][0-9]{1,4})$"));
            if (value == QLatin1String("phone")) o.size = QSize(390, 844);
            else if (value == QLatin1String("desktop")) o.size = QSize(1440, 900);
            else if (auto m = kSize.match(value); m.hasMatch()) o.size = QSize(m.captured(1).toInt(), m.captured(2).toInt());
            else return QStringLiteral("--size is phone, desktop or WIDTHxHEIGHT, not '%1'").arg(value);
        }
    }
    if (o.server.isEmpty() != o.user.isEmpty()) return QStringLiteral("--server and --user go together");
    if (!o.page.isEmpty() && !isPageName(o.page)) return QStringLiteral("unknown page '%1'").arg(o.page);
    return o;
}

void configureProcess() {
    ::mallopt(M_ARENA_MAX, 1);
}

}  // namespace tandem::app
