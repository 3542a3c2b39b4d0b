// Runs the real postlint binary from tests: a temporary working directory per test, files
// written into it, stdout/stderr/exit code captured. Each test gets its own decision log
// ($POSTLINT_DB in the working directory), so tests never touch the user's.
//
//   TEST_F(CliTest, Example) {
//     const std::string draft = Write("a.md", "Hello\n");
//     CliRun r = Postlint("check " + draft);
//     EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
//   }
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/rule_harness.h"

namespace postlint::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("postlint-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::filesystem::path p = dir_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

  CliRun Postlint(const std::string& args, const std::string& stdin_text = "") {
    const std::string in = Write("stdin.txt", stdin_text);
    const std::string out = (dir_ / "stdout.txt").string();
    const std::string err = (dir_ / "stderr.txt").string();
    // Each test has its own decision log: nothing reads or writes the user's. Tests never touch
    // the internet, however they are run (ctest, the sanitizer builds, by hand): live link checks
    // stay offline unless a test's env_ says otherwise.
    const std::string cmd = "cd '" + dir_.string() + "' && POSTLINT_OFFLINE=1 POSTLINT_DB='" +
                            (dir_ / "decisions.db").string() + "' " + env_ + " '" +
                            POSTLINT_BINARY + "' " + args + " < '" + in + "' > '" + out + "' 2> '" +
                            err + "'";
    CliRun r;
    const int status = std::system(cmd.c_str());
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::string DefaultPolicy() const { return SourcePath("rules/default.yaml"); }

  std::filesystem::path dir_;
  std::string env_;  // extra VAR=value assignments for the command, e.g. "POSTLINT_NOW=..."
};

}  // namespace postlint::testing
