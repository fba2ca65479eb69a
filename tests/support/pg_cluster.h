#pragma once
// A throw-away PostgreSQL 15 cluster for tests: initdb and pg_ctl in a temporary folder,
// on 127.0.0.1 with a free port (and a Unix socket in that folder). No libpq: it runs
// the PostgreSQL binaries, as pg_cluster.sh does for CTest fixtures and scripts.

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::test {

struct PgClusterOptions {
    /// The database created after the first start; url() points at it.
    std::string database = "tandem";
    /// Where initdb, pg_ctl, pg_isready, psql and createdb are. Empty: $TANDEM_PG_BINDIR,
    /// else the directory CMake found (Debian's postgresql-15: /usr/lib/postgresql/15/bin).
    std::string binDir;
};

/// One running PostgreSQL cluster that exists only as long as this object.
///
/// The constructor creates a folder under $TMPDIR (or /tmp), runs initdb (superuser role
/// `tandem`, trust authentication, UTF-8, the settings of pg_test.conf), starts the server
/// with `pg_ctl start -w`, confirms with pg_isready that it accepts connections, and
/// creates the database. If any step fails it throws std::runtime_error carrying the
/// tool's output and the server log, and leaves nothing behind.
///
/// PostgreSQL refuses to run as root, and CI runs as root: then every server-side binary
/// runs as the system user `tandem-test` (created once with useradd if missing; shared by
/// all clusters) through setpriv, and the folder belongs to that user. Otherwise they run
/// as the current user. Client tools (psql, createdb, pg_isready) connect over TCP.
///
/// stop() and start() take the server away and bring it back on the same port and data,
/// so url() stays valid (tests of a database restart). The destructor stops the server
/// (`pg_ctl stop -m fast`, then `-m immediate`, then SIGKILL to the postmaster) and
/// removes the folder; it never throws. Not thread-safe: one thread drives the object;
/// the server serves any number of clients.
class PgCluster {
public:
    explicit PgCluster(PgClusterOptions options = {});
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    /// postgresql://tandem@127.0.0.1:PORT/DATABASE (no password: trust authentication).
    const std::string& url() const { return m_url; }
    /// The same server and role, another database (see createDatabase()).
    std::string urlFor(const std::string& database) const;
    const std::string& host() const { return m_host; }
    std::uint16_t port() const { return m_port; }
    const std::string& user() const { return m_role; }
    const std::string& database() const { return m_options.database; }
    /// The cluster's folder; also the Unix socket directory (host= for libpq).
    const std::string& directory() const { return m_dir; }
    const std::string& dataDirectory() const { return m_dataDir; }
    bool running() const { return m_running; }

    /// `pg_ctl stop -m fast`: open connections are closed. Throws std::runtime_error on failure.
    void stop();
    /// `pg_ctl start -w` on the same port, then pg_isready. Throws std::runtime_error on failure.
    void start();

    /// Runs `sql` with psql (-X -tA, ON_ERROR_STOP) on `database` (default: database())
    /// and returns its stdout without the final newline; throws std::runtime_error on failure.
    std::string psql(const std::string& sql, const std::string& database = {}) const;
    void createDatabase(const std::string& name) const;
    /// The server's log (postgres.log in the folder), for failure messages.
    std::string serverLog() const;
    /// The postmaster's process id while running (from postmaster.pid), else -1.
    long postmasterPid() const;

private:
    void teardown() noexcept;
    std::string tool(const std::string& name) const;
    void startOnce();

    PgClusterOptions m_options;
    std::vector<std::string> m_asClusterUser;  // setpriv prefix when running as root
    unsigned m_uid = 0;
    unsigned m_gid = 0;
    bool m_root = false;
    std::string m_dir;
    std::string m_dataDir;
    std::string m_log;
    std::string m_host = "127.0.0.1";
    std::string m_role = "tandem";
    std::uint16_t m_port = 0;
    std::string m_url;
    bool m_running = false;
};

}  // namespace tandem::test
