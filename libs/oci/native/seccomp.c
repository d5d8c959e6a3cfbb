/* berth-seccomp: compiles a seccomp profile to a BPF program with libseccomp.
 *
 * src/plan/seccomp.ts turns the spec's linux.seccomp into lines on stdin and caches the
 * BPF written to stdout by the digest of those lines:
 *   default <action> <errno>
 *   arch <SCMP_ARCH name without prefix, lower case>
 *   rule <action> <errno> <syscall> [<index> <op> <value> <valueTwo>]...
 * Actions: allow errno kill kill_thread kill_process trap trace log; ops: ne lt le eq ge
 * gt masked_eq. Syscalls unknown to libseccomp are skipped, as runc does. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void fail(const char *what, const char *arg, int rc) {
  fprintf(stderr, "berth-seccomp: %s %s: %s\n", what, arg, strerror(rc < 0 ? -rc : rc));
  exit(1);
}

static uint32_t action(const char *name, const char *ret) {
  uint32_t v = (uint32_t)strtoul(ret, NULL, 0);
  if (!strcmp(name, "allow")) return SCMP_ACT_ALLOW;
  if (!strcmp(name, "errno")) return SCMP_ACT_ERRNO(v);
  if (!strcmp(name, "kill") || !strcmp(name, "kill_thread")) return SCMP_ACT_KILL_THREAD;
  if (!strcmp(name, "kill_process")) return SCMP_ACT_KILL_PROCESS;
  if (!strcmp(name, "trap")) return SCMP_ACT_TRAP;
  if (!strcmp(name, "trace")) return SCMP_ACT_TRACE(v);
  if (!strcmp(name, "log")) return SCMP_ACT_LOG;
  fail("unknown action", name, EINVAL);
  return 0;
}

static enum scmp_compare op(const char *name) {
  static const char *names[] = {"ne", "lt", "le", "eq", "ge", "gt", "masked_eq"};
  static const enum scmp_compare ops[] = {SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ,
                                          SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (!strcmp(name, names[i])) return ops[i];
  fail("unknown operator", name, EINVAL);
  return SCMP_CMP_EQ;
}

int main(void) {
  char line[4096];
  scmp_filter_ctx ctx = NULL;
  while (fgets(line, sizeof line, stdin)) {
    char *tok[64] = {0};
    int n = 0;
    for (char *s = strtok(line, " \n"); s && n < 64; s = strtok(NULL, " \n")) tok[n++] = s;
    if (n == 3 && !strcmp(tok[0], "default")) {
      ctx = seccomp_init(action(tok[1], tok[2]));
      if (!ctx) fail("init", tok[1], EINVAL);
    } else if (n == 2 && ctx && !strcmp(tok[0], "arch")) {
      char name[64];
      snprintf(name, sizeof name, "%s", tok[1]);
      uint32_t arch = seccomp_arch_resolve_name(name);
      if (!arch) fail("unknown architecture", tok[1], EINVAL);
      int rc = seccomp_arch_add(ctx, arch);
      if (rc < 0 && rc != -EEXIST) fail("add architecture", tok[1], rc);
    } else if (n >= 4 && ctx && !strcmp(tok[0], "rule") && (n - 4) % 4 == 0) {
      int nr = seccomp_syscall_resolve_name(tok[3]);
      if (nr == __NR_SCMP_ERROR) continue;
      struct scmp_arg_cmp args[6];
      int nargs = 0;
      for (int i = 4; i + 3 < n && nargs < 6; i += 4)
        args[nargs++] = (struct scmp_arg_cmp){(unsigned)atoi(tok[i]), op(tok[i + 1]),
                                              strtoull(tok[i + 2], NULL, 0),
                                              strtoull(tok[i + 3], NULL, 0)};
      uint32_t act = action(tok[1], tok[2]);
      int rc = seccomp_rule_add_array(ctx, act, nr, (unsigned)nargs, args);
      if (rc < 0) fail("add rule for", tok[3], rc);
    } else {
      fail("bad line", n ? tok[0] : "", EINVAL);
    }
  }
  if (!ctx) fail("no default action", "", EINVAL);
  int rc = seccomp_export_bpf(ctx, STDOUT_FILENO);
  if (rc < 0) fail("export", "", rc);
  seccomp_release(ctx);
  return 0;
}
