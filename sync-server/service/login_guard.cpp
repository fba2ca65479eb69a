#include "service/login_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "tandem/core/canonical_json.h"

namespace tandem::server {

namespace {

// Past this many keys, expired windows are swept out; the next sweep waits until the
// table has doubled, so a flood of made-up keys costs amortised O(1) per login and the
// table holds at most twice the live windows.
constexpr std::size_t kSweepAbove = 10000;
// Usernames are at most 200 code points; a longer string is kept as its SHA-256, so a
// window costs little memory whatever the body size allows.
constexpr std::size_t kLongUsername = 256;

}  // namespace

std::string addressKey(const std::string& remote) {
    const std::string address = remote.substr(0, remote.find('%'));  // no IPv6 zone
    in6_addr v6{};
    if (address.find(':') == std::string::npos || inet_pton(AF_INET6, address.c_str(), &v6) != 1) return remote;
    char text[INET6_ADDRSTRLEN] = {};
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
        if (inet_ntop(AF_INET, &v6.s6_addr[12], text, sizeof text) == nullptr) return remote;
        return text;
    }
    std::memset(&v6.s6_addr[8], 0, 8);
    if (inet_ntop(AF_INET6, &v6, text, sizeof text) == nullptr) return remote;
    return std::string(text) + "/64";
}

// ---- LoginThrottle ------------------------------------------------------------------

LoginThrottle::LoginThrottle(std::size_t perUsername, std::size_t perAddress, std::int64_t windowMs)
    : m_perUsername(perUsername), m_perAddress(perAddress), m_windowMs(windowMs) {}

std::string LoginThrottle::usernameKey(const std::string& username) {
    if (username.size() <= kLongUsername) return "u:" + username;
    return "h:" + core::sha256Hex(username);
}

void LoginThrottle::forgetExpired(Windows& windows, std::int64_t now) {
    if (windows.byKey.size() <= std::max(kSweepAbove, windows.sweepAbove)) return;
    for (auto it = windows.byKey.begin(); it != windows.byKey.end();) {
        if (it->second.empty() || it->second.back() <= now - m_windowMs)
            it = windows.byKey.erase(it);
        else
            ++it;
    }
    windows.sweepAbove = 2 * windows.byKey.size();
}

LoginThrottle::Admission LoginThrottle::admit(const std::string& username, const std::string& remote,
                                              std::int64_t now) {
    const std::string userKey = usernameKey(username);
    const std::string placeKey = addressKey(remote);
    std::lock_guard lock(m_mutex);
    forgetExpired(m_byUsername, now);
    forgetExpired(m_byAddress, now);
    auto& byUser = m_byUsername.byKey[userKey];
    auto& byPlace = m_byAddress.byKey[placeKey];
    for (auto* window : {&byUser, &byPlace})
        while (!window->empty() && window->front() <= now - m_windowMs) window->pop_front();
    auto refuse = [&](const std::deque<std::int64_t>& window, bool byAddress) {
        Admission refused;
        refused.byAddress = byAddress;
        refused.retryAfterS = std::max<std::int64_t>(1, (window.front() + m_windowMs - now + 999) / 1000);
        return refused;
    };
    // The username's rule first: it is DESIGN §5's.
    if (byUser.size() >= m_perUsername) return refuse(byUser, false);
    if (byPlace.size() >= m_perAddress) return refuse(byPlace, true);
    byUser.push_back(now);
    byPlace.push_back(now);
    Admission admitted;
    admitted.admitted = true;
    return admitted;
}

void LoginThrottle::giveBackOne(Windows& windows, const std::string& key, std::int64_t at) {
    auto window = windows.byKey.find(key);
    if (window == windows.byKey.end()) return;
    auto it = std::find(window->second.begin(), window->second.end(), at);
    if (it != window->second.end()) window->second.erase(it);
    if (window->second.empty()) windows.byKey.erase(window);
}

void LoginThrottle::giveBack(const std::string& username, const std::string& remote, std::int64_t at) {
    const std::string userKey = usernameKey(username);
    const std::string placeKey = addressKey(remote);
    std::lock_guard lock(m_mutex);
    giveBackOne(m_byUsername, userKey, at);
    giveBackOne(m_byAddress, placeKey, at);
}

// ---- HashGate -----------------------------------------------------------------------

HashGate::HashGate(unsigned slots, unsigned waiting, std::chrono::milliseconds maxWait)
    : m_slots(std::max(1u, slots)), m_waitingRoom(waiting), m_maxWait(maxWait) {}

HashGate::Pass::~Pass() {
    if (m_gate) m_gate->leave();
}

HashGate::Pass HashGate::enter() {
    std::unique_lock lock(m_mutex);
    if (m_running < m_slots) {
        ++m_running;
        return Pass(this);
    }
    if (m_waiting >= m_waitingRoom) return Pass();
    ++m_waiting;
    const bool freed = m_freed.wait_for(lock, m_maxWait, [this] { return m_running < m_slots; });
    --m_waiting;
    if (!freed) return Pass();
    ++m_running;
    return Pass(this);
}

void HashGate::leave() {
    {
        std::lock_guard lock(m_mutex);
        --m_running;
    }
    m_freed.notify_one();
}

unsigned defaultHashSlots() {
    return std::max(1u, std::thread::hardware_concurrency() / 2);
}

}  // namespace tandem::server
