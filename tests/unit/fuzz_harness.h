/// @file fuzz_harness.h
/// In-process fuzz campaigns over the core readers (tests/unit/test_fuzz_parsers.cpp). A campaign is
/// a kind of file (its seeds and what to do with one input); its cases run in forked children, a batch
/// per child, so that a crash or a hang costs one child, not the test: the parent reads each case's
/// outcome from a pipe as soon as it is known, and the first case without an outcome when a child dies
/// is the one that killed it (crash: a signal or a sanitizer abort; hang: the per-case alarm). The
/// campaign then goes on with a new child after that case.
///
/// Outcomes: accepted (ran through), rejected (reval::Error: the wanted answer to bad input), and the
/// failures: another exception escaped (e.g. std::bad_alloc, std::out_of_range), a crash, a hang.
/// Failures are reported with the case number, the mutations and the input (also written to
/// fuzz-failure-<kind>-<case>.input in the working folder); REVAL_FUZZ_CASE=<kind>:<case> reruns one
/// case in-process (no fork: debuggers and sanitizer stacks see it directly) and prints its input.
/// REVAL_FUZZ_CASES=<n> changes the number of cases per kind.
#pragma once

#include "fuzz_mutator.h"

#include "core/error.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define REVAL_FUZZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REVAL_FUZZ_ASAN 1
#endif
#endif

namespace reval::fuzz {

/// A seed file of a kind and what a case does with a mutation of it: parse it (and whatever follows
/// from a successful parse: build, evaluate). Must throw reval::Error for bad input, nothing else.
struct Seed {
  std::string label;
  std::string text;
  std::function<void(const std::string &)> run;
};

/// A hand-written hostile input for the run function of seed `seed` (huge counts, overflowing sizes).
struct Directed {
  std::size_t seed;
  std::string label;
  std::string text;
};

struct Campaign {
  std::string kind;
  std::vector<Seed> seeds;
  std::vector<Directed> directed;    ///< run after the seeds, before the mutations
  int cases = 3000;                  ///< mutated cases
  unsigned case_timeout_s = 20;      ///< a case running longer is a hang
  /// Address-space limit of the children (MiB): a reader that allocates for a count in a header
  /// instead of for the values it read fails at once (std::bad_alloc) instead of loading the machine.
  /// Not applied under AddressSanitizer (it reserves terabytes of shadow memory); there the test
  /// binary sets hard_rss_limit_mb (test_fuzz_parsers.cpp).
  long memory_limit_mb = 4096;
};

/// Case `index` of a campaign: the seeds unmutated first, then the directed inputs, then mutations of
/// a seed drawn from FuzzRng(case_seed(kind, index)).
struct FuzzCase {
  std::size_t seed = 0;
  std::string input;
  std::vector<int> ops;
  std::string directed;    ///< label of a directed case
};

inline FuzzCase make_case(const Campaign &c, std::size_t index)
{
  FuzzCase fc;
  if (index < c.seeds.size()) {
    fc.seed = index;
    fc.input = c.seeds[index].text;
    return fc;
  }
  if (index < c.seeds.size() + c.directed.size()) {
    const Directed &d = c.directed[index - c.seeds.size()];
    fc.seed = d.seed;
    fc.input = d.text;
    fc.directed = d.label;
    return fc;
  }
  FuzzRng rng(case_seed(c.kind, index));
  fc.seed = rng.below(c.seeds.size());
  fc.input = mutate(c.seeds[fc.seed].text, rng, &fc.ops);
  return fc;
}

inline std::string describe_case(const FuzzCase &fc)
{
  if (!fc.directed.empty()) return "directed case '" + fc.directed + "'";
  const std::vector<int> &ops = fc.ops;
  if (ops.empty()) return "unmutated seed";
  std::string s;
  for (int op : ops) s += (s.empty() ? "" : " + ") + std::string(mutation_name(op));
  return s;
}

/// 'A' accepted, 'R' rejected with reval::Error, 'X' another exception (message in `what`).
inline char run_case(const Campaign &c, const FuzzCase &fc, std::string &what)
{
  try {
    c.seeds[fc.seed].run(fc.input);
    return 'A';
  } catch (const reval::Error &e) {
    what = e.what();
    return 'R';
  } catch (const std::exception &e) {
    what = std::string("exception other than reval::Error escaped: ") + typeid(e).name() + ": " + e.what();
    return 'X';
  } catch (...) {
    what = "a non-std exception escaped";
    return 'X';
  }
}

struct CampaignResult {
  std::size_t cases = 0, accepted = 0, rejected = 0, other_exceptions = 0, crashes = 0, hangs = 0;
  std::map<int, std::size_t> ops;    ///< how often each operator was applied
  std::vector<std::string> failures;
  std::vector<char> seed_outcome;    ///< per seed: A, R, X, C (crash), H (hang)
  double seconds = 0.0;
};

namespace detail {

inline bool write_all(int fd, const std::string &s)
{
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Child: runs cases [first, last), one record per case: "<index> <A|R|X> <len>\n<message bytes>".
[[noreturn]] inline void child_main(const Campaign &c, std::size_t first, std::size_t last, int fd)
{
  std::signal(SIGALRM, SIG_DFL);
#ifndef REVAL_FUZZ_ASAN
  if (c.memory_limit_mb > 0) {
    struct rlimit rl;
    rl.rlim_cur = rl.rlim_max = static_cast<rlim_t>(c.memory_limit_mb) << 20;
    setrlimit(RLIMIT_AS, &rl);
  }
#endif
  for (std::size_t i = first; i < last; ++i) {
    const FuzzCase fc = make_case(c, i);
    alarm(c.case_timeout_s);
    std::string what;
    const char o = run_case(c, fc, what);
    alarm(0);
    if (o != 'X') what.clear();
    if (!write_all(fd, std::to_string(i) + " " + o + " " + std::to_string(what.size()) + "\n" + what)) _exit(3);
  }
  _exit(0);
}

inline std::string status_text(int status)
{
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return std::string("killed by signal ") + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "stopped";
}

}    // namespace detail

/// Runs every case of the campaign (seeds first) in forked children, `batch` cases per child.
inline CampaignResult run_campaign(const Campaign &c, std::size_t batch = 250)
{
  CampaignResult res;
  res.seed_outcome.assign(c.seeds.size(), '?');
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t total = c.seeds.size() + c.directed.size() + static_cast<std::size_t>(c.cases);
  auto fail = [&](std::size_t index, const std::string &why) {
    const FuzzCase fc = make_case(c, index);
    const std::string file = "fuzz-failure-" + c.kind + "-" + std::to_string(index) + ".input";
    std::ofstream(file, std::ios::binary) << fc.input;
    res.failures.push_back(c.kind + " case " + std::to_string(index) + " (seed " + c.seeds[fc.seed].label + ", " +
                           describe_case(fc) + "): " + why + "\n  rerun alone: REVAL_FUZZ_CASE=" + c.kind + ":" +
                           std::to_string(index) + "; input saved to " + file + ":\n" + printable(fc.input, 1500));
  };
  for (std::size_t i = 0; i < total; ++i) {
    const FuzzCase fc = make_case(c, i);
    for (int op : fc.ops) ++res.ops[op];
  }
  std::size_t next = 0;
  while (next < total) {
    const std::size_t last = std::min(total, next + batch);
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      close(fds[0]);
      detail::child_main(c, next, last, fds[1]);
    }
    close(fds[1]);
    std::string data;
    char buf[65536];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) data.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    // parse the records
    std::size_t pos = 0, done = next;
    while (pos < data.size()) {
      const std::size_t nl = data.find('\n', pos);
      if (nl == std::string::npos) break;
      std::istringstream head(data.substr(pos, nl - pos));
      std::size_t index = 0, len = 0;
      char o = 0;
      head >> index >> o >> len;
      if (nl + 1 + len > data.size()) break;
      const std::string what = data.substr(nl + 1, len);
      pos = nl + 1 + len;
      ++res.cases;
      if (o == 'A') ++res.accepted;
      if (o == 'R') ++res.rejected;
      if (o == 'X') {
        ++res.other_exceptions;
        fail(index, what);
      }
      if (index < c.seeds.size()) res.seed_outcome[index] = o;
      done = index + 1;
    }
    if (done < last) {    // the child died in case `done`
      const bool hang = WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM;
      ++res.cases;
      if (done < c.seeds.size()) res.seed_outcome[done] = hang ? 'H' : 'C';
      if (hang) {
        ++res.hangs;
        fail(done, "hang: still running after " + std::to_string(c.case_timeout_s) + " s");
      } else {
        ++res.crashes;
        fail(done, "crash: the process " + detail::status_text(status));
      }
      next = done + 1;
    } else {
      next = last;
    }
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

/// REVAL_FUZZ_CASES (cases per kind) or the default.
inline int cases_from_env(int fallback)
{
  const char *v = std::getenv("REVAL_FUZZ_CASES");
  return (v && *v) ? std::max(0, std::atoi(v)) : fallback;
}

/// The gtest body of one campaign: runs it, prints the statistics, fails on any failure, and checks
/// that the campaign tested something (every seed accepted, some mutations accepted and some rejected).
inline void run_campaign_test(Campaign c)
{
  ASSERT_FALSE(c.seeds.empty()) << c.kind << ": no seeds";
  if (const char *one = std::getenv("REVAL_FUZZ_CASE")) {
    const std::string s = one;
    const std::size_t colon = s.find(':');
    if (s.substr(0, colon) != c.kind) GTEST_SKIP() << "REVAL_FUZZ_CASE=" << s << " selects another kind";
    const std::size_t index = std::stoul(s.substr(colon + 1));
    const FuzzCase fc = make_case(c, index);
    std::printf("[ fuzz     ] %s case %zu: seed %s, %s; input:\n%s\n[ fuzz     ] end of input\n", c.kind.c_str(),
                index, c.seeds[fc.seed].label.c_str(), describe_case(fc).c_str(), printable(fc.input, 1u << 20).c_str());
    std::fflush(stdout);
    std::string what;
    const char o = run_case(c, fc, what);
    std::printf("[ fuzz     ] outcome: %s %s\n", o == 'A' ? "accepted" : o == 'R' ? "rejected:" : "FAILED:",
                what.c_str());
    EXPECT_NE(o, 'X') << what;
    return;
  }
  c.cases = cases_from_env(c.cases);
  const CampaignResult r = run_campaign(c);
  std::string ops;
  for (const auto &kv : r.ops) ops += (ops.empty() ? "" : ", ") + std::string(mutation_name(kv.first)) + " " +
                                      std::to_string(kv.second);
  std::printf("[ fuzz     ] %s: %zu cases (%zu seeds + %zu directed + %d mutated) in %.1f s: %zu accepted, %zu "
              "rejected with reval::Error, %zu other exceptions, %zu crashes, %zu hangs\n[ fuzz     ] %s mutations: %s\n",
              c.kind.c_str(), r.cases, c.seeds.size(), c.directed.size(), c.cases, r.seconds, r.accepted, r.rejected,
              r.other_exceptions, r.crashes, r.hangs, c.kind.c_str(), ops.c_str());
  for (std::size_t k = 0; k < r.failures.size() && k < 20; ++k) ADD_FAILURE() << r.failures[k];
  EXPECT_EQ(r.other_exceptions + r.crashes + r.hangs, 0u);
  EXPECT_EQ(r.cases, c.seeds.size() + c.directed.size() + static_cast<std::size_t>(c.cases));
  // the campaign must exercise both paths: the unmutated seeds are accepted, some mutations rejected
  for (std::size_t i = 0; i < c.seeds.size(); ++i)
    EXPECT_EQ(r.seed_outcome[i], 'A') << c.kind << " seed " << c.seeds[i].label << " (case " << i
                                      << ") is not accepted: rerun it with REVAL_FUZZ_CASE=" << c.kind << ":" << i;
  if (c.cases >= 100) {
    EXPECT_GT(r.rejected, 0u) << c.kind << ": no mutation was rejected";
    EXPECT_GT(r.accepted, c.seeds.size()) << c.kind << ": no mutation was accepted";
  }
}

}    // namespace reval::fuzz
