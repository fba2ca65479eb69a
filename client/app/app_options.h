#pragma once
// The app's command line (DESIGN §5c):
//   tandem [--replica DIR] [--server URL --user NAME] [--lang en|zh_CN]
//          [--size phone|desktop|WxH] [--page PAGE] [--screenshot FILE]

#include <QStringList>
#include <variant>

#include "app_controller.h"

namespace tandem::app {

/// Parses the arguments (without the program name). A usage error comes back as text.
std::variant<AppOptions, QString> parseAppOptions(const QStringList& arguments);

/// The usage text.
QString appUsage();

/// Whether `page` names a page of DESIGN §5c (my-work, plans, plan:<id>, approvals,
/// conflicts, rejected, hq, settings, sign-in).
bool isPageName(const QString& page);

/// Process-wide settings the app runs with; main() (and the benchmark, which starts
/// the app as main does) calls it first. One malloc arena: the app's threads (GUI, QML,
/// the worker) would each keep an arena of their own, and what one frees another
/// cannot reuse — 140 MiB with one against 143–154 MiB from run to run with several
/// (app_bench, a plan of 2,000 tasks), at no measured cost in time.
void configureProcess();

}  // namespace tandem::app
