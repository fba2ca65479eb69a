// Self-test of the throw-away PostgreSQL cluster (pg_cluster.h): the fixture the
// PostgreSQL backend's tests stand on, so it must really start, stop, restart and
// clean up a real postgres.

#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "pg_cluster.h"

extern char** environ;

namespace {

// Exit status of a PostgreSQL client tool, its output thrown away.
int runQuietly(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

std::string pgTool(const char* name) {
    return std::string(TANDEM_PG_BINDIR) + "/" + name;
}

// pg_isready: 0 accepting, 2 no response.
int pgIsReady(std::uint16_t port) {
    return runQuietly({pgTool("pg_isready"), "--host=127.0.0.1", "--port=" + std::to_string(port), "--timeout=5"});
}

// psql given only the URL, as a tandem-server given --db would be.
int psqlByUrl(const std::string& url, const std::string& sql) {
    return runQuietly({pgTool("psql"), "--no-psqlrc", "--set=ON_ERROR_STOP=1", "--command=" + sql, url});
}

}  // namespace

TEST_CASE("pg cluster: a started cluster answers SELECT 1 at its URL and leaves nothing behind", "[pg_cluster]") {
    std::string dir;
    std::uint16_t port = 0;
    {
        tandem::test::PgCluster cluster;
        dir = cluster.directory();
        port = cluster.port();
        REQUIRE(cluster.running());
        CHECK(cluster.url() == "postgresql://tandem@127.0.0.1:" + std::to_string(port) + "/tandem");
        CHECK(std::filesystem::is_directory(cluster.dataDirectory()));
        CHECK(cluster.psql("SELECT 1") == "1");
        CHECK(cluster.psql("SELECT current_database()") == "tandem");
        CHECK(cluster.psql("SHOW server_encoding") == "UTF8");
        CHECK(cluster.psql("SHOW fsync") == "off");
        CHECK(psqlByUrl(cluster.url(), "SELECT 1") == 0);
        CHECK(pgIsReady(port) == 0);
        // The Unix socket lives in the cluster's folder, not in /var/run/postgresql.
        CHECK(std::filesystem::exists(dir + "/.s.PGSQL." + std::to_string(port)));
    }
    CHECK_FALSE(std::filesystem::exists(dir));
    CHECK(pgIsReady(port) == 2);
}

TEST_CASE("pg cluster: stop takes the database away and start brings it back with its data on the same URL",
          "[pg_cluster]") {
    tandem::test::PgCluster cluster;
    const std::string url = cluster.url();
    cluster.psql("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('跨部门协作')");

    cluster.stop();
    CHECK_FALSE(cluster.running());
    CHECK(pgIsReady(cluster.port()) == 2);
    CHECK(psqlByUrl(url, "SELECT 1") != 0);
    CHECK(cluster.postmasterPid() == -1);
    CHECK_THROWS(cluster.psql("SELECT 1"));

    cluster.start();
    CHECK(cluster.running());
    CHECK(cluster.url() == url);
    CHECK(psqlByUrl(url, "SELECT 1") == 0);
    CHECK(cluster.psql("SELECT v FROM kept") == "跨部门协作");
}

TEST_CASE("pg cluster: the server never runs as root", "[pg_cluster]") {
    tandem::test::PgCluster cluster;
    const long pid = cluster.postmasterPid();
    REQUIRE(pid > 0);
    struct stat info {};
    REQUIRE(::stat(("/proc/" + std::to_string(pid)).c_str(), &info) == 0);
    if (::geteuid() == 0) {
        const passwd* user = ::getpwnam("tandem-test");
        REQUIRE(user != nullptr);
        CHECK(info.st_uid == user->pw_uid);
        CHECK(user->pw_uid < 1000);  // a system account
        struct stat folder {};
        REQUIRE(::stat(cluster.directory().c_str(), &folder) == 0);
        CHECK(folder.st_uid == user->pw_uid);
    } else {
        CHECK(info.st_uid == ::geteuid());
    }
}

TEST_CASE("pg cluster: several clusters run side by side, each with its own port and folder", "[pg_cluster]") {
    tandem::test::PgCluster first;
    tandem::test::PgClusterOptions options;
    options.database = "other";
    tandem::test::PgCluster second(options);
    CHECK(first.port() != second.port());
    CHECK(first.directory() != second.directory());
    first.psql("CREATE TABLE only_here (v int)");
    CHECK(second.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'") == "0");
    CHECK(second.url().ends_with("/other"));
    second.createDatabase("third");
    CHECK(second.psql("SELECT 1", "third") == "1");
}
