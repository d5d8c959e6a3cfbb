// containerd-shim-berth-v1: the native front of berth's runtime v2 shim. containerd runs the
// shim binary once per container (`start`) and once after every task (`delete`), both on the
// critical path of `ctr run`, so neither may pay for a Node start-up (~40 ms):
//
//   start   derives the group's socket exactly as src/paths.ts does (sha256 of containerd's
//           address, the namespace and the group from the bundle's annotations, see
//           src/group.ts), connects to it, and only when nobody serves the group launches the
//           Node group server (`serve`) and waits for the "ready" it writes on fd 3. Then it
//           writes <bundle>/address and prints the address, as upstream shims do.
//   delete  prints the DeleteResponse that the server recorded when containerd deleted the
//           task through the Task API (<bundle>/berth-shim-delete.pb); without that record
//           the Node entry takes over and cleans up.
//
// Anything else (-v, `serve`, flags it does not know) is handed to the Node entry,
// ../../dist/containerd-shim-berth-v1.mjs next to this binary, with the same arguments.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define SOCKET_DIR "/run/containerd/s"
#define DEFAULT_STATE_DIR "/run/berth/shim"
#define NODE_ENTRY "../../dist/containerd-shim-berth-v1.mjs"
#define DELETE_RECORD "berth-shim-delete.pb"
/* Same order as src/group.ts: an explicit berth group wins over the pod sandbox. */
static const char *const GROUP_ANNOTATIONS[] = {"io.berth.shim.group",
                                                "io.kubernetes.cri.sandbox-id"};

struct flags {
  const char *namespace, *id, *address, *publish_binary, *bundle;
  int debug;
  const char *action;
};

static char **original_argv;

static void fail(const char *what, const char *detail) {
  dprintf(2, "%s: %s\n", what, detail);
  exit(1);
}

/* The Node entry's path, next to this binary's real location (it is reached via symlinks). */
static void node_entry(char *entry, size_t size) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n < 0) fail("/proc/self/exe", strerror(errno));
  self[n] = 0;
  snprintf(entry, size, "%s/%s", dirname(self), NODE_ENTRY);
}

/* Replaces this process with the Node entry, same arguments: for everything not handled here. */
static void exec_node(void) {
  char entry[PATH_MAX * 2];
  node_entry(entry, sizeof(entry));
  original_argv[0] = entry;
  execv(entry, original_argv);
  fail(entry, strerror(errno));
}

/* Go's flag package, as containerd's shims parse: -name value, -name=value, --name, boolean
   -debug; the first non-flag is the action. Returns -1 for anything the Node entry must judge. */
static int parse_flags(int argc, char **argv, struct flags *f) {
  *f = (struct flags){.namespace = "", .id = "", .address = "", .publish_binary = "containerd",
                      .bundle = "", .action = ""};
  static const struct {
    const char *name;
    size_t offset;
  } strings[] = {
      {"namespace", offsetof(struct flags, namespace)},
      {"id", offsetof(struct flags, id)},
      {"address", offsetof(struct flags, address)},
      {"publish-binary", offsetof(struct flags, publish_binary)},
      {"bundle", offsetof(struct flags, bundle)},
  };
  for (int i = 1; i < argc; i++) {
    char *arg = argv[i];
    if (arg[0] != '-' || strcmp(arg, "-") == 0 || strcmp(arg, "--") == 0) {
      f->action = strcmp(arg, "--") == 0 ? (i + 1 < argc ? argv[i + 1] : "") : arg;
      return 0;
    }
    char *name = arg + (arg[1] == '-' ? 2 : 1);
    char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    if (len == 5 && strncmp(name, "debug", 5) == 0) {
      if (eq && strcmp(eq + 1, "true") != 0) return -1;
      f->debug = 1;
      continue;
    }
    size_t k = 0;
    while (k < sizeof(strings) / sizeof(*strings) &&
           !(strlen(strings[k].name) == len && strncmp(strings[k].name, name, len) == 0))
      k++;
    if (k == sizeof(strings) / sizeof(*strings)) return -1;
    const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
    if (!value) return -1;
    *(const char **)((char *)f + strings[k].offset) = value;
  }
  return 0;
}

/* src/group.ts: the group annotation of the bundle's spec, else the namespace. */
static char *group_of(const char *bundle, const char *namespace) {
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/config.json", bundle);
  json_t *spec = json_load_file(path, 0, NULL);
  json_t *annotations = json_object_get(spec, "annotations");
  char *group = NULL;
  for (size_t i = 0; !group && i < sizeof(GROUP_ANNOTATIONS) / sizeof(*GROUP_ANNOTATIONS); i++) {
    const char *value = json_string_value(json_object_get(annotations, GROUP_ANNOTATIONS[i]));
    if (value && *value && asprintf(&group, "%s=%s", GROUP_ANNOTATIONS[i], value) < 0)
      fail("containerd-shim-berth-v1", "out of memory");
  }
  json_decref(spec);
  return group ? group : strdup(namespace);
}

/* src/paths.ts groupHash: hex sha256 of "ADDRESS\0NAMESPACE\0GROUP". */
static void group_hash(const struct flags *f, const char *group, char hex[65]) {
  struct sha256_ctx ctx;
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, strlen(f->address) + 1, (const uint8_t *)f->address);
  sha256_update(&ctx, strlen(f->namespace) + 1, (const uint8_t *)f->namespace);
  sha256_update(&ctx, strlen(group), (const uint8_t *)group);
  sha256_digest(&ctx, sizeof(digest), digest);
  for (int i = 0; i < SHA256_DIGEST_SIZE; i++) sprintf(hex + 2 * i, "%02x", digest[i]);
}

static int accepts(const char *path) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof(addr.sun_path)) return 0;
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int ok = fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
  if (fd >= 0) close(fd);
  return ok;
}

static void mkdir_all(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    mkdir(path, 0777);
    *p = '/';
  }
  if (mkdir(path, 0777) < 0 && errno != EEXIST) fail(path, strerror(errno));
}

/* Starts the group server detached (own session, output to the group's log, cwd /) and waits
   until it says "ready" on fd 3: it listens, or a sibling that won the race does. */
static void spawn_server(const struct flags *f, const char *group, const char *address,
                         const char *hash) {
  const char *state = getenv("BERTH_SHIM_STATE");
  char dir[PATH_MAX], log_path[PATH_MAX + 16], entry[PATH_MAX * 2];
  snprintf(dir, sizeof(dir), "%s/%.24s", state ? state : DEFAULT_STATE_DIR, hash);
  mkdir_all(dir);
  snprintf(log_path, sizeof(log_path), "%s/shim.log", dir);
  int log = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int ready[2];
  if (log < 0 || null < 0 || pipe2(ready, O_CLOEXEC) < 0) fail(log_path, strerror(errno));
  node_entry(entry, sizeof(entry));
  const char *argv[] = {entry,         "-namespace", f->namespace,
                        "-address",    f->address,   "-publish-binary",
                        f->publish_binary, "-id",    group,
                        "-socket",     address,      f->debug ? "-debug=true" : "-debug=false",
                        "serve",       NULL};
  pid_t pid = fork();
  if (pid < 0) fail("fork", strerror(errno));
  if (pid == 0) {
    setsid();
    if (chdir("/") < 0 || dup2(null, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0 ||
        dup2(ready[1], 3) < 0)
      _exit(127);
    execv(entry, (char **)argv);
    dprintf(2, "containerd-shim-berth-v1: %s: %s\n", entry, strerror(errno));
    _exit(127);
  }
  close(ready[1]);
  char said[16] = {0};
  size_t got = 0;
  ssize_t n;
  while (got < sizeof(said) - 1 && (n = read(ready[0], said + got, sizeof(said) - 1 - got)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    got += n;
  }
  if (strncmp(said, "ready", 5) != 0) fail("shim server did not start; see", log_path);
}

static void write_file(const char *path, const char *data) {
  char tmp[PATH_MAX + 8];
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  size_t len = strlen(data);
  if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd) < 0 || rename(tmp, path) < 0)
    fail(path, strerror(errno));
}

static int start(const struct flags *f, const char *bundle) {
  char *group = group_of(bundle, f->namespace);
  char hash[65], socket[sizeof(SOCKET_DIR) + 66], address[sizeof(socket) + 8];
  char address_file[PATH_MAX];
  group_hash(f, group, hash);
  snprintf(socket, sizeof(socket), "%s/%s", SOCKET_DIR, hash);
  snprintf(address, sizeof(address), "unix://%s", socket);
  if (!accepts(socket)) spawn_server(f, group, address, hash);
  /* containerd reconnects through this file after it restarts (upstream's WriteAddress). */
  snprintf(address_file, sizeof(address_file), "%s/address", bundle);
  write_file(address_file, address);
  fputs(address, stdout);
  free(group);
  return 0;
}

/* The recorded DeleteResponse, if the task was deleted through the Task API; else Node. */
static int delete_bundle(const char *bundle) {
  char path[PATH_MAX], buf[256];
  snprintf(path, sizeof(path), "%s/%s", bundle, DELETE_RECORD);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) exec_node();
    fail(path, strerror(errno));
  }
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0)
    if (fwrite(buf, 1, n, stdout) != (size_t)n) fail("stdout", strerror(errno));
  if (n < 0) fail(path, strerror(errno));
  return 0;
}

int main(int argc, char **argv) {
  original_argv = argv;
  struct flags f;
  if (parse_flags(argc, argv, &f) < 0) exec_node();
  int is_start = strcmp(f.action, "start") == 0;
  if (!is_start && strcmp(f.action, "delete") != 0) exec_node();
  char cwd[PATH_MAX];
  const char *bundle = *f.bundle ? f.bundle : getcwd(cwd, sizeof(cwd));
  if (!bundle) fail("getcwd", strerror(errno));
  int code = is_start ? start(&f, bundle) : delete_bundle(bundle);
  if (fflush(stdout) != 0) fail("stdout", strerror(errno));
  return code;
}
