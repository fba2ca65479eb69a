// tandem-cli: see cli.h and DESIGN §5b.
#include "cli.h"

#include <iostream>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    tandem::cli::CliIo io{std::cout, std::cerr, tandem::cli::promptPassword};
    return tandem::cli::runCli(args, io);
}
