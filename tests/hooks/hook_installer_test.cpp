// hooks/hook_installer: the script's exact text, where it goes (hooks dir,
// core.hooksPath, bare repositories), overwrite rules, and the script itself
// run by sh: stdin and arguments pass through, PATH fallback when the
// installing binary is gone. The last tests drive the real binary.
#include "hooks/hook_installer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "test_env.h"

namespace vouch::hooks {
namespace {

using test::read_file;
using test::run;
using test::run_ok;
using test::TempDir;
using test::write_file;

TEST(HookScript, ExactTextQuotesThePathAndTheDatabase) {
  EXPECT_EQ(hook_script(HookName::pre_receive, "/opt/it's/vouch", ""),
            "#!/bin/sh\n"
            "# vouch-hook: written by `vouch hook install`\n"
            "# Hands the push to vouch (see docs/hooks.md); `vouch hook install --force` rewrites this file.\n"
            "VOUCH='/opt/it'\\''s/vouch'\n"
            "if [ ! -x \"$VOUCH\" ]; then VOUCH=vouch; fi\n"
            "exec \"$VOUCH\" hook run pre-receive -- \"$@\"\n");
  std::string s = hook_script(HookName::update, "/usr/bin/vouch", "/srv/$(rm -rf x).db");
  EXPECT_NE(s.find("exec \"$VOUCH\" --db '/srv/$(rm -rf x).db' hook run update -- \"$@\"\n"), std::string::npos) << s;
  EXPECT_STREQ(hook_file_name(HookName::pre_push), "pre-push");
}

TEST(HookScript, PassesArgumentsAndStdinAndFallsBackToPath) {
  TempDir dir;
  // A stand-in `vouch` on PATH that shows what it was given.
  write_file(dir / "bin/vouch", "#!/bin/sh\necho \"args: $*\"\ncat\n");
  run_ok({"chmod", "+x", dir / "bin/vouch"});
  write_file(dir / "hook", hook_script(HookName::pre_push, dir / "gone/vouch", ""));
  run_ok({"chmod", "+x", dir / "hook"});
  test::RunResult r = run({dir / "hook", "origin", "/srv/x.git"},
                          {.env = {{"PATH", dir / "bin" + ":/usr/bin:/bin"}}, .input = "a b c d\n"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "args: hook run pre-push -- origin /srv/x.git\na b c d\n");
  // The absolute path wins while it exists; arguments with shell syntax stay data.
  write_file(dir / "gone/vouch", "#!/bin/sh\necho \"absolute: $*\"\n");
  run_ok({"chmod", "+x", dir / "gone/vouch"});
  r = run({dir / "hook", "$(touch pwned)", "`id`"}, {.cwd = dir.path(), .env = {{"PATH", dir / "bin" + ":/usr/bin:/bin"}}});
  EXPECT_EQ(r.out, "absolute: hook run pre-push -- $(touch pwned) `id`\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "pwned"));
}

TEST(InstallHook, RefusesForeignHookForceReplacesReinstallIsIdempotent) {
  TempDir dir;
  const std::string hooks = dir / "hooks";
  write_file(hooks + "/pre-receive", "#!/bin/sh\necho theirs\n");
  std::string script = hook_script(HookName::pre_receive, "/usr/bin/vouch", "");
  auto r = install_hook(hooks, HookName::pre_receive, script, Overwrite::refuse_foreign);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message, hooks + "/pre-receive exists and was not written by vouch; use --force to replace it");
  EXPECT_EQ(read_file(hooks + "/pre-receive"), "#!/bin/sh\necho theirs\n");

  r = install_hook(hooks, HookName::pre_receive, script, Overwrite::force);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, hooks + "/pre-receive");
  EXPECT_EQ(read_file(*r), script);
  struct stat st {};
  ASSERT_EQ(stat(r->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);

  // Re-installing over vouch's own hook needs no --force and leaves one file.
  r = install_hook(hooks, HookName::pre_receive, script, Overwrite::refuse_foreign);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(read_file(*r), script);
  EXPECT_FALSE(std::filesystem::exists(hooks + "/pre-receive.vouch-tmp"));
  // A new directory is created.
  r = install_hook(dir / "new/hooks", HookName::update, script, Overwrite::refuse_foreign);
  ASSERT_TRUE(r) << r.error().message;
}

TEST(HooksDir, DefaultBareAndCoreHooksPath) {
  TempDir dir;
  run_ok({"git", "init", "-q", dir / "work"});
  run_ok({"git", "init", "-q", "--bare", dir / "srv.git"});
  auto work = git::Repository::open(dir / "work");
  ASSERT_TRUE(work);
  EXPECT_FALSE(is_bare(*work));
  EXPECT_EQ(*hooks_dir(*work), dir / "work/.git/hooks");
  auto bare = git::Repository::open(dir / "srv.git");
  ASSERT_TRUE(bare);
  EXPECT_TRUE(is_bare(*bare));
  EXPECT_EQ(*hooks_dir(*bare), dir / "srv.git/hooks");

  run_ok({"git", "-C", dir / "work", "config", "core.hooksPath", "githooks/"});
  auto work2 = git::Repository::open(dir / "work");
  EXPECT_EQ(*hooks_dir(*work2), dir / "work/githooks");
  run_ok({"git", "-C", dir / "srv.git", "config", "core.hooksPath", dir / "shared-hooks"});
  auto bare2 = git::Repository::open(dir / "srv.git");
  EXPECT_EQ(*hooks_dir(*bare2), dir / "shared-hooks");
}

// ---- the real binary

TEST(HookInstallCommand, ForeignHookExit2ForceAndCoreHooksPath) {
  TempDir dir;
  run_ok({"git", "init", "-q", "--bare", dir / "srv.git"});
  write_file(dir / "srv.git/hooks/pre-receive", "#!/bin/sh\nexit 0\n");
  test::RunResult r = run({test::vouch_binary(), "-C", dir / "srv.git", "hook", "install"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: " + dir / "srv.git/hooks/pre-receive" +
                       " exists and was not written by vouch; use --force to replace it\n");
  r = run({test::vouch_binary(), "-C", dir / "srv.git", "hook", "install", "--force"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string bin = std::filesystem::canonical(test::vouch_binary()).string();
  EXPECT_EQ(read_file(dir / "srv.git/hooks/pre-receive"), hook_script(HookName::pre_receive, bin, ""));
  r = run({test::vouch_binary(), "-C", dir / "srv.git", "hook", "install"});  // idempotent
  EXPECT_EQ(r.exit_code, 0) << r.err;

  run_ok({"git", "init", "-q", dir / "work"});
  run_ok({"git", "-C", dir / "work", "config", "core.hooksPath", ".githooks"});
  r = run({test::vouch_binary(), "-C", dir / "work", "hook", "install", "--pre-push", "--update"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir / "work/.githooks/pre-push"), hook_script(HookName::pre_push, bin, ""));
  EXPECT_EQ(read_file(dir / "work/.githooks/update"), hook_script(HookName::update, bin, ""));
  EXPECT_FALSE(std::filesystem::exists(dir / "work/.git/hooks/pre-push"));
}

TEST(HookInstallCommand, InstalledScriptFallsBackToVouchOnPathWhenTheBinaryIsGone) {
  TempDir dir;
  run_ok({"git", "init", "-q", "--bare", dir / "srv.git"});
  // Install with a copy of the binary, then remove the copy.
  std::filesystem::create_directories(dir / "old");
  std::filesystem::copy_file(test::vouch_binary(), dir / "old/vouch");
  run_ok({"chmod", "+x", dir / "old/vouch"});
  run_ok({dir / "old/vouch", "-C", dir / "srv.git", "hook", "install"});
  EXPECT_NE(read_file(dir / "srv.git/hooks/pre-receive").find("VOUCH='" + dir / "old/vouch" + "'"), std::string::npos);
  std::filesystem::remove(dir / "old/vouch");
  // The real binary on PATH answers: an empty push is accepted, a malformed line refused.
  std::string bin_dir = std::filesystem::path(std::filesystem::canonical(test::vouch_binary())).parent_path().string();
  test::RunResult r = run({dir / "srv.git/hooks/pre-receive"},
                          {.cwd = dir / "srv.git", .env = {{"PATH", bin_dir + ":/usr/bin:/bin"}}, .input = "garbage\n"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: pre-receive input line 1: expected 'OLD NEW REF'\n");
}

}  // namespace
}  // namespace vouch::hooks
