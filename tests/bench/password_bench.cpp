// Password cost benchmark: one PBKDF2-HMAC-SHA-256 check at the policy's iteration count
// and at 0.1's, and a whole login (SyncApi::handle: limits, check, session row) at the
// policy, one at a time — the figure a user waits for, and the CPU one login costs.
//
//   password_bench [--runs N]   (default 20; run in a Release build)

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "service/sync_api.h"
#include "tandem/core/password.h"

using Clock = std::chrono::steady_clock;

namespace {

struct Figures {
    double min = 0, p50 = 0, max = 0;
    double cpuP50 = 0;  // this thread's CPU time: steadier than wall time on a shared machine
};

double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

template <typename F>
Figures measure(int runs, F&& once) {
    std::vector<double> ms, cpu;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        const double cpuStart = threadCpuMs();
        once();
        cpu.push_back(threadCpuMs() - cpuStart);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    return {ms.front(), ms[ms.size() / 2], ms.back(), cpu[cpu.size() / 2]};
}

void print(const char* what, const Figures& f) {
    std::printf("%-44s wall min %6.1f  p50 %6.1f  max %6.1f ms; CPU p50 %6.1f ms\n", what, f.min, f.p50, f.max,
                f.cpuP50);
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 20;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: password_bench [--runs N]\n");
            return 2;
        }
    }
    using namespace tandem;
    for (int iterations : {120000, core::kDefaultPasswordIterations}) {
        auto hash = core::hashPassword("tandem-demo", iterations);
        if (!hash) return 1;
        const std::string label = "verifyPassword at " + std::to_string(iterations) + " iterations";
        print(label.c_str(), measure(runs, [&] {
                  if (!core::verifyPassword("tandem-demo", *hash)) std::exit(1);
              }));
    }

    const auto dir =
        std::filesystem::temp_directory_path() / ("tandem-password-bench-" + core::newToken().substr(0, 8));
    {
        server::SyncApiOptions options;
        options.demo = true;  // accounts at the policy; durable, as in use
        auto api = server::SyncApi::open(dir.string(), options);
        if (!api) {
            std::fprintf(stderr, "open: %s\n", api.error().message.c_str());
            return 1;
        }
        server::HttpRequest request;
        request.method = "POST";
        request.target = "/api/v1/login";
        request.body = R"({"username":"sales.li","password":"tandem-demo"})";
        request.remote = "127.0.0.1";
        print("login (SyncApi::handle), right password", measure(runs, [&] {
                  if ((*api)->handle(request).status != 200) std::exit(1);
              }));
        request.body = R"({"username":"nobody","password":"tandem-demo"})";
        // Fewer than the per-username limit of failures, so each one is a real check.
        print("login (SyncApi::handle), unknown user", measure(std::min(runs, 10), [&] {
                  if ((*api)->handle(request).status != 401) std::exit(1);
              }));
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return 0;
}
