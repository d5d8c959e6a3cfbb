// berth's default seccomp profile: the syscalls Docker's default profile allows, grouped by
// what they are for, with the same architecture and capability conditions. Everything else
// fails with EPERM; clone3 fails with ENOSYS so that C libraries fall back to clone, whose
// namespace flags the profile can inspect (clone3 passes them in memory, out of reach).

export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: 'SCMP_CMP_EQ' | 'SCMP_CMP_NE' | 'SCMP_CMP_MASKED_EQ';
}

/** When a rule applies: all of `caps` granted, the arch listed, the kernel recent enough. */
interface Condition {
  arches?: string[];
  caps?: string[];
  minKernel?: string;
}

export interface ProfileRule {
  /** What the group of syscalls is for. */
  purpose: string;
  names: string[];
  action: 'SCMP_ACT_ALLOW' | 'SCMP_ACT_ERRNO';
  errnoRet?: number;
  args?: SeccompArg[];
  includes?: Condition;
  /** The rule is dropped if any of these holds (a cap granted, the arch listed). */
  excludes?: Condition;
}

export const EPERM = 1;
export const ENOSYS = 38;

/** The architectures a native one also runs binaries of (libseccomp names). */
export const ARCH_MAP: Record<string, string[]> = {
  SCMP_ARCH_X86_64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  SCMP_ARCH_AARCH64: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
  SCMP_ARCH_S390X: ['SCMP_ARCH_S390X', 'SCMP_ARCH_S390'],
  SCMP_ARCH_PPC64LE: ['SCMP_ARCH_PPC64LE'],
  SCMP_ARCH_RISCV64: ['SCMP_ARCH_RISCV64'],
};

// CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET: clone may not create namespaces.
const CLONE_NAMESPACE_FLAGS = 0x7e020000;
// personality(2) values programs commonly set: PER_LINUX, UNAME26, ADDR_NO_RANDOMIZE
// (and both), and the 0xffffffff query.
const SAFE_PERSONALITIES = [0x0, 0x0008, 0x20000, 0x20008, 0xffffffff];
const AF_VSOCK = 40;

const allow = (
  purpose: string,
  names: string[],
  extra: Partial<ProfileRule> = {},
): ProfileRule => ({
  purpose,
  names,
  action: 'SCMP_ACT_ALLOW',
  ...extra,
});

export const DEFAULT_RULES: ProfileRule[] = [
  allow('files: open, read, write, metadata and directories', [
    ...['access', 'faccessat', 'faccessat2', 'chdir', 'fchdir', 'getcwd', 'umask'],
    ...['open', 'openat', 'openat2', 'creat', 'close', 'close_range', 'name_to_handle_at'],
    ...['read', 'readv', 'pread64', 'preadv', 'preadv2', 'readahead'],
    ...['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2'],
    ...['lseek', '_llseek', 'sendfile', 'sendfile64', 'splice', 'tee', 'vmsplice'],
    ...['copy_file_range', 'fallocate', 'fadvise64', 'fadvise64_64'],
    ...['truncate', 'truncate64', 'ftruncate', 'ftruncate64'],
    ...['fsync', 'fdatasync', 'sync', 'syncfs', 'sync_file_range', 'flock'],
    ...['stat', 'stat64', 'lstat', 'lstat64', 'fstat', 'fstat64', 'fstatat64', 'newfstatat'],
    ...['statx', 'statfs', 'statfs64', 'fstatfs', 'fstatfs64'],
    ...['chmod', 'fchmod', 'fchmodat', 'chown', 'chown32', 'fchown', 'fchown32'],
    ...['fchownat', 'lchown', 'lchown32'],
    ...['mkdir', 'mkdirat', 'rmdir', 'mknod', 'mknodat', 'getdents', 'getdents64'],
    ...['link', 'linkat', 'symlink', 'symlinkat', 'unlink', 'unlinkat'],
    ...['rename', 'renameat', 'renameat2', 'readlink', 'readlinkat'],
    ...['utime', 'utimes', 'utimensat', 'utimensat_time64', 'futimesat'],
    ...['getxattr', 'lgetxattr', 'fgetxattr', 'setxattr', 'lsetxattr', 'fsetxattr'],
    ...['listxattr', 'llistxattr', 'flistxattr', 'removexattr', 'lremovexattr'],
    'fremovexattr',
    ...['getxattrat', 'setxattrat', 'listxattrat', 'removexattrat', 'fchmodat2', 'cachestat'],
    ...['statmount', 'listmount'],
  ]),
  allow('file descriptors, polling and notification', [
    ...['dup', 'dup2', 'dup3', 'fcntl', 'fcntl64', 'ioctl', 'pipe', 'pipe2'],
    ...['poll', 'ppoll', 'ppoll_time64', 'select', '_newselect', 'pselect6'],
    ...['pselect6_time64', 'epoll_create', 'epoll_create1', 'epoll_ctl', 'epoll_ctl_old'],
    ...['epoll_wait', 'epoll_wait_old', 'epoll_pwait', 'epoll_pwait2', 'eventfd'],
    ...['eventfd2', 'signalfd', 'signalfd4', 'timerfd_create', 'timerfd_gettime'],
    ...['timerfd_gettime64', 'timerfd_settime', 'timerfd_settime64'],
    ...['inotify_init', 'inotify_init1', 'inotify_add_watch', 'inotify_rm_watch'],
    'fanotify_mark',
  ]),
  allow('asynchronous I/O (not io_uring: its rings bypass the filter)', [
    ...['io_setup', 'io_destroy', 'io_submit', 'io_cancel', 'io_getevents', 'io_pgetevents'],
    ...['io_pgetevents_time64', 'ioprio_get', 'ioprio_set'],
  ]),
  allow('memory', [
    ...['brk', 'mmap', 'mmap2', 'munmap', 'mremap', 'mprotect', 'madvise', 'mincore'],
    ...['msync', 'mlock', 'mlock2', 'mlockall', 'munlock', 'munlockall', 'membarrier'],
    ...['memfd_create', 'memfd_secret', 'remap_file_pages', 'pkey_alloc', 'pkey_free'],
    'pkey_mprotect',
    ...['map_shadow_stack', 'mseal'],
  ]),
  allow('processes, threads and program execution', [
    ...['fork', 'vfork', 'execve', 'execveat', 'exit', 'exit_group', 'wait4', 'waitid'],
    ...['waitpid', 'set_tid_address', 'set_robust_list', 'get_robust_list', 'rseq'],
    ...['futex', 'futex_time64', 'futex_waitv', 'get_thread_area', 'set_thread_area'],
    ...['prctl', 'seccomp', 'capget', 'capset', 'pidfd_open', 'process_mrelease'],
    ...['landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self'],
    ...['futex_wait', 'futex_wake', 'futex_requeue', 'restart_syscall', 'uretprobe'],
  ]),
  allow('identity, sessions and limits', [
    ...['getpid', 'getppid', 'gettid', 'getpgid', 'getpgrp', 'setpgid', 'getsid', 'setsid'],
    ...['getuid', 'getuid32', 'geteuid', 'geteuid32', 'getgid', 'getgid32', 'getegid'],
    ...['getegid32', 'getresuid', 'getresuid32', 'getresgid', 'getresgid32', 'getgroups'],
    ...['getgroups32', 'setuid', 'setuid32', 'setgid', 'setgid32', 'setreuid', 'setreuid32'],
    ...['setregid', 'setregid32', 'setresuid', 'setresuid32', 'setresgid', 'setresgid32'],
    ...['setfsuid', 'setfsuid32', 'setfsgid', 'setfsgid32', 'setgroups', 'setgroups32'],
    ...['getrlimit', 'ugetrlimit', 'setrlimit', 'prlimit64', 'getrusage', 'getpriority'],
    ...['setpriority', 'times', 'uname', 'sysinfo', 'getrandom', 'getcpu'],
  ]),
  allow('scheduling', [
    ...['sched_yield', 'sched_getaffinity', 'sched_setaffinity', 'sched_getattr'],
    ...['sched_setattr', 'sched_getparam', 'sched_setparam', 'sched_getscheduler'],
    ...['sched_setscheduler', 'sched_get_priority_max', 'sched_get_priority_min'],
    ...['sched_rr_get_interval', 'sched_rr_get_interval_time64'],
  ]),
  allow('signals', [
    ...['kill', 'tkill', 'tgkill', 'pidfd_send_signal', 'rt_sigaction', 'rt_sigpending'],
    ...['rt_sigprocmask', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'rt_sigreturn'],
    ...['rt_sigsuspend', 'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'sigaltstack'],
    ...['sigprocmask', 'sigreturn', 'pause'],
  ]),
  allow('clocks, timers and sleeping', [
    ...['time', 'gettimeofday', 'clock_gettime', 'clock_gettime64', 'clock_getres'],
    ...['clock_getres_time64', 'clock_nanosleep', 'clock_nanosleep_time64', 'nanosleep'],
    ...['clock_adjtime', 'clock_adjtime64', 'adjtimex', 'alarm', 'getitimer', 'setitimer'],
    ...['timer_create', 'timer_delete', 'timer_getoverrun', 'timer_gettime'],
    ...['timer_gettime64', 'timer_settime', 'timer_settime64'],
  ]),
  allow('sockets (socket(2) itself below)', [
    ...['bind', 'connect', 'listen', 'accept', 'accept4', 'shutdown', 'socketpair'],
    ...['socketcall', 'getsockname', 'getpeername', 'getsockopt', 'setsockopt'],
    ...['send', 'sendto', 'sendmsg', 'sendmmsg', 'recv', 'recvfrom', 'recvmsg', 'recvmmsg'],
    'recvmmsg_time64',
  ]),
  allow('System V and POSIX IPC', [
    ...['ipc', 'msgget', 'msgctl', 'msgsnd', 'msgrcv', 'semget', 'semctl', 'semop'],
    ...['semtimedop', 'semtimedop_time64', 'shmget', 'shmctl', 'shmat', 'shmdt', 'mq_open'],
    ...['mq_unlink', 'mq_notify', 'mq_getsetattr', 'mq_timedsend', 'mq_timedsend_time64'],
    ...['mq_timedreceive', 'mq_timedreceive_time64'],
  ]),
  allow(
    'debugging other processes, on kernels that confine ptrace to the namespace',
    ['ptrace', 'process_vm_readv', 'process_vm_writev'],
    { includes: { minKernel: '4.8' } },
  ),
  allow('sockets of every family but AF_VSOCK (host communication)', ['socket'], {
    args: [{ index: 0, value: AF_VSOCK, op: 'SCMP_CMP_NE' }],
  }),
  ...SAFE_PERSONALITIES.map((value) =>
    allow('execution domains that only change address-space layout', ['personality'], {
      args: [{ index: 0, value, op: 'SCMP_CMP_EQ' }],
    }),
  ),
  allow('architecture-specific: powerpc', ['sync_file_range2', 'swapcontext'], {
    includes: { arches: ['ppc64le'] },
  }),
  allow(
    'architecture-specific: arm',
    [
      'arm_fadvise64_64',
      'arm_sync_file_range',
      'sync_file_range2',
      'breakpoint',
      'cacheflush',
      'set_tls',
    ],
    { includes: { arches: ['arm', 'arm64'] } },
  ),
  allow('architecture-specific: x86-64 thread state', ['arch_prctl'], {
    includes: { arches: ['amd64', 'x32'] },
  }),
  allow('architecture-specific: x86 local descriptor table', ['modify_ldt'], {
    includes: { arches: ['amd64', 'x32', 'x86'] },
  }),
  allow(
    'architecture-specific: s390',
    ['s390_pci_mmio_read', 's390_pci_mmio_write', 's390_runtime_instr'],
    { includes: { arches: ['s390', 's390x'] } },
  ),
  allow('architecture-specific: riscv', ['riscv_flush_icache', 'riscv_hwprobe'], {
    includes: { arches: ['riscv64'] },
  }),
  allow('open by handle needs CAP_DAC_READ_SEARCH', ['open_by_handle_at'], {
    includes: { caps: ['CAP_DAC_READ_SEARCH'] },
  }),
  allow(
    'namespaces, mounts and system administration need CAP_SYS_ADMIN',
    [
      ...['bpf', 'clone', 'clone3', 'fanotify_init', 'fsconfig', 'fsmount', 'fsopen', 'fspick'],
      ...['lookup_dcookie', 'mount', 'mount_setattr', 'move_mount', 'open_tree'],
      ...['perf_event_open', 'quotactl', 'quotactl_fd', 'setdomainname', 'sethostname'],
      ...['setns', 'syslog', 'umount', 'umount2', 'unshare', 'lsm_get_self_attr'],
      ...['lsm_set_self_attr', 'lsm_list_modules'],
    ],
    { includes: { caps: ['CAP_SYS_ADMIN'] } },
  ),
  allow('clone without namespace flags (flags are argument 0)', ['clone'], {
    args: [{ index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
    excludes: { caps: ['CAP_SYS_ADMIN'], arches: ['s390', 's390x'] },
  }),
  allow('clone without namespace flags (s390 passes flags as argument 1)', ['clone'], {
    args: [{ index: 1, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
    includes: { arches: ['s390', 's390x'] },
    excludes: { caps: ['CAP_SYS_ADMIN'] },
  }),
  {
    purpose: 'clone3 reports ENOSYS so that callers fall back to the inspectable clone',
    names: ['clone3'],
    action: 'SCMP_ACT_ERRNO',
    errnoRet: ENOSYS,
    excludes: { caps: ['CAP_SYS_ADMIN'] },
  },
  allow('reboot needs CAP_SYS_BOOT', ['reboot'], { includes: { caps: ['CAP_SYS_BOOT'] } }),
  allow('chroot needs CAP_SYS_CHROOT', ['chroot'], { includes: { caps: ['CAP_SYS_CHROOT'] } }),
  allow('kernel modules need CAP_SYS_MODULE', ['init_module', 'finit_module', 'delete_module'], {
    includes: { caps: ['CAP_SYS_MODULE'] },
  }),
  allow('process accounting needs CAP_SYS_PACCT', ['acct'], {
    includes: { caps: ['CAP_SYS_PACCT'] },
  }),
  allow(
    'inspecting other processes needs CAP_SYS_PTRACE',
    ['kcmp', 'pidfd_getfd', 'process_madvise', 'process_vm_readv', 'process_vm_writev', 'ptrace'],
    { includes: { caps: ['CAP_SYS_PTRACE'] } },
  ),
  allow('I/O ports need CAP_SYS_RAWIO', ['iopl', 'ioperm'], {
    includes: { caps: ['CAP_SYS_RAWIO'] },
  }),
  allow(
    'setting the clock needs CAP_SYS_TIME',
    ['settimeofday', 'stime', 'clock_settime', 'clock_settime64'],
    { includes: { caps: ['CAP_SYS_TIME'] } },
  ),
  allow('vhangup needs CAP_SYS_TTY_CONFIG', ['vhangup'], {
    includes: { caps: ['CAP_SYS_TTY_CONFIG'] },
  }),
  allow(
    'NUMA memory policy needs CAP_SYS_NICE',
    ['get_mempolicy', 'mbind', 'set_mempolicy', 'set_mempolicy_home_node'],
    { includes: { caps: ['CAP_SYS_NICE'] } },
  ),
  allow('the kernel log needs CAP_SYSLOG', ['syslog'], { includes: { caps: ['CAP_SYSLOG'] } }),
  allow('BPF needs CAP_BPF', ['bpf'], { includes: { caps: ['CAP_BPF'] } }),
  allow('performance events need CAP_PERFMON', ['perf_event_open'], {
    includes: { caps: ['CAP_PERFMON'] },
  }),
];
