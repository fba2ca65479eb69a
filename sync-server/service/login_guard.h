#pragma once
// What stands between a login and its password check, which is slow on purpose (PBKDF2 at
// the policy's iteration count), so that logins cannot be used to burn the server's CPU:
//
// - LoginThrottle: sliding windows of failed logins per username string (DESIGN §5) and
//   per client address, so neither one name nor a spray of made-up names from one place
//   can buy more than a few password checks a minute.
// - HashGate: a bound on password checks running at once, with a small waiting room, so
//   a flood of logins (from many addresses, or with right passwords) holds a few worker
//   threads at most and is otherwise turned away at once: the workers stay free for syncs.
//
// Limits and answers are in docs/protocol.md (POST /api/v1/login) and docs/server.md.
// Thread contract: every method may be called from any thread. Nothing throws (short of
// std::bad_alloc). Memory stays bounded under a flood of made-up usernames or addresses.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tandem::server {

/// The key a client address is limited by: an IPv4 address as it is (also when written
/// IPv4-mapped, `::ffff:a.b.c.d`); an IPv6 address by its /64 prefix, since one host or
/// one site usually holds a whole /64 and could otherwise pick a fresh address per try;
/// any other text as it is.
std::string addressKey(const std::string& remote);

/// Failed logins in the last `windowMs`, per username string and per address (addressKey).
/// A slot is taken before the slow check, so concurrent attempts cannot exceed a limit,
/// and given back when the attempt did not fail.
class LoginThrottle {
public:
    LoginThrottle(std::size_t perUsername, std::size_t perAddress, std::int64_t windowMs);

    struct Admission {
        bool admitted = false;
        bool byAddress = false;        // refused by the address's limit (else the username's)
        std::int64_t retryAfterS = 0;  // refused: whole seconds until a slot frees (≥ 1)
    };
    /// Takes one slot of `username` and one of `remote`'s address at `now`, or, when either
    /// window is full, takes none and says which and for how long.
    Admission admit(const std::string& username, const std::string& remote, std::int64_t now);
    /// The attempt admitted at `at` did not fail (it succeeded, or was never checked):
    /// frees its two slots.
    void giveBack(const std::string& username, const std::string& remote, std::int64_t at);

    /// The keys the windows are kept under, also in the database (ServerStore's failed
    /// logins, which instances on one database share): "u:" + a username (or "h:" + the
    /// SHA-256 of a very long one), "a:" + addressKey(remote).
    static std::string usernameKey(const std::string& username);
    static std::string placeKey(const std::string& remote) { return "a:" + addressKey(remote); }

private:
    struct Windows {
        std::unordered_map<std::string, std::deque<std::int64_t>> byKey;
        std::size_t sweepAbove = 0;  // sweep expired windows when byKey grows past this
    };
    void forgetExpired(Windows& windows, std::int64_t now);
    static void giveBackOne(Windows& windows, const std::string& key, std::int64_t at);

    const std::size_t m_perUsername;
    const std::size_t m_perAddress;
    const std::int64_t m_windowMs;
    std::mutex m_mutex;
    Windows m_byUsername;
    Windows m_byAddress;
};

/// At most `slots` password checks at once. When all are taken, up to `waiting` more
/// callers wait for one, each at most `maxWait`; any other caller is turned away at once.
/// So a flood of logins holds at most slots + waiting threads, and never queues.
class HashGate {
public:
    HashGate(unsigned slots, unsigned waiting, std::chrono::milliseconds maxWait);
    HashGate(const HashGate&) = delete;
    HashGate& operator=(const HashGate&) = delete;

    /// A slot while it lives; empty (false) when the caller was turned away.
    class Pass {
    public:
        Pass() = default;
        Pass(Pass&& other) noexcept : m_gate(other.m_gate) { other.m_gate = nullptr; }
        Pass& operator=(Pass&&) = delete;
        ~Pass();
        explicit operator bool() const { return m_gate != nullptr; }

    private:
        friend class HashGate;
        explicit Pass(HashGate* gate) : m_gate(gate) {}
        HashGate* m_gate = nullptr;
    };

    [[nodiscard]] Pass enter();
    unsigned slots() const { return m_slots; }

private:
    void leave();

    const unsigned m_slots;
    const unsigned m_waitingRoom;
    const std::chrono::milliseconds m_maxWait;
    std::mutex m_mutex;
    std::condition_variable m_freed;
    unsigned m_running = 0;
    unsigned m_waiting = 0;
};

/// Half the cores, at least 1: under any flood of logins the other half is left to syncs.
unsigned defaultHashSlots();

}  // namespace tandem::server
