#pragma once
// tandem-cli's commands (DESIGN §5b), as a library the executable and the tests share.
//
//   tandem-cli [--replica DIR] [--json] COMMAND …
//
// Exit status: 0 ok, 1 error (message on stderr), 2 usage, 3 server unreachable (local
// work is kept). All replica and network work runs on a ClientService worker thread.
//
// Environment:
//   TANDEM_PASSWORD         password for `login` and `sign` (else a no-echo prompt)
//   XDG_DATA_HOME, HOME     the default replica folder ($XDG_DATA_HOME/tandem or
//                           ~/.local/share/tandem)
//   TANDEM_CLOCK_OFFSET_MS  TEST HOOK: shifts this process's device clock by that many
//                           milliseconds (e.g. 86400000 = a day ahead), to exercise the
//                           clock-skew handling of DESIGN §4. Not for production use.
//   TANDEM_POLL_MS          how often `sync --watch` polls while /live is down (default 10000)

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace tandem::cli {

struct CliIo {
    std::ostream& out;
    std::ostream& err;
    /// Reads a password after showing `prompt`; empty on failure.
    std::function<std::string(const std::string& prompt)> readPassword;
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreachable = 3;

/// Runs one command line (without the program name). Never throws.
int runCli(const std::vector<std::string>& args, CliIo& io);

/// Prompts on the terminal with echo off (reads /dev/tty, else stdin).
std::string promptPassword(const std::string& prompt);

}  // namespace tandem::cli
