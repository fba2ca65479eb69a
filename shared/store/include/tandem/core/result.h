#pragma once
// Result types of the shared core (store, domain, documents): no exception crosses the library boundary.
// A Result<T> holds either a value or an Error {code, message}; Status is Result<void>.

#include <string>
#include <utility>
#include <variant>

namespace tandem::core {

/// A failure: a machine-readable code (snake_case, stable) and a message for people.
struct Error {
    std::string code;
    std::string message;
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : m_v(std::move(error)) {}  // NOLINT

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}  // NOLINT

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

using Status = Result<void>;

inline Error makeError(std::string code, std::string message) {
    return Error{std::move(code), std::move(message)};
}

}  // namespace tandem::core
