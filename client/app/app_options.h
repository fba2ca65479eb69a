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

}  // namespace tandem::app
