/*
 * syscall-probe: calls system calls a seccomp profile decides about, each with arguments chosen so that
 * the kernel itself answers with success or an error other than EPERM and ENOSYS (a bad file descriptor,
 * a bad address, invalid flags) and changes nothing. A result of EPERM or ENOSYS therefore means a filter
 * refused the call before the kernel saw it.
 *
 * Output: one "name=result" line per probe; result is "ok" or the errno's name (EPERM, EINVAL, ...).
 * Built statically (gcc -static) so it runs in any root filesystem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static const char *errno_name(int e)
{
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EBADF: return "EBADF";
    case ECHILD: return "ECHILD";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ENOSYS: return "ENOSYS";
    case EACCES: return "EACCES";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case ENOMEM: return "ENOMEM";
    case EBUSY: return "EBUSY";
    case ENODEV: return "ENODEV";
    case ENOTTY: return "ENOTTY";
    case ENOKEY: return "ENOKEY";
    default: return NULL;
    }
}

static void report(const char *name, long result)
{
    if (result >= 0) {
        printf("%s=ok\n", name);
    } else {
        int e = errno;
        const char *n = errno_name(e);
        if (n) printf("%s=%s\n", name, n);
        else printf("%s=errno%d\n", name, e);
    }
}

/* A file descriptor result is closed again. */
static void report_fd(const char *name, long fd)
{
    report(name, fd);
    if (fd >= 0) close((int)fd);
}

/* clone with only a signal: a real child that exits at once. */
static void probe_clone_plain(void)
{
    long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) syscall(SYS_exit, 0);
    report("clone", pid);
    if (pid > 0) waitpid((pid_t)pid, NULL, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* Controls: allowed everywhere. */
    report("getpid", syscall(SYS_getpid));
    report("io_setup", syscall(SYS_io_setup, 0, NULL));             /* EINVAL: zero events */
    report("personality-query", syscall(SYS_personality, 0xffffffffUL));
    report("personality-linux32", syscall(SYS_personality, 0x0008UL));
    syscall(SYS_personality, 0UL);
    report_fd("socket-inet", syscall(SYS_socket, AF_INET, SOCK_STREAM, 0));
    report("ptrace", syscall(SYS_ptrace, 2 /* PTRACE_PEEKDATA of pid 0: ESRCH */, 0, 0, 0));
    probe_clone_plain();

    /* io_uring: EINVAL (no entries) or EBADF when the kernel sees it. */
    report("io_uring_setup", syscall(SYS_io_uring_setup, 0, NULL));
    report("io_uring_enter", syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
    report("io_uring_register", syscall(SYS_io_uring_register, -1, 0, NULL, 0));

    /* NUMA: zero pages of this process. */
    report("move_pages", syscall(SYS_move_pages, 0, 0, NULL, NULL, NULL, 0));
    report("migrate_pages", syscall(SYS_migrate_pages, 0, 0, NULL, NULL));
    report("get_mempolicy", syscall(SYS_get_mempolicy, NULL, NULL, 0, NULL, 0));

    /* An unusual persona: READ_IMPLIES_EXEC. Restored at once when allowed. */
    report("personality-read-implies-exec", syscall(SYS_personality, 0x0400000UL));
    syscall(SYS_personality, 0UL);

    /* Namespaces. CLONE_IO is not a valid unshare flag, and CLONE_NEWNS|CLONE_FS is an invalid clone: EINVAL. */
    report("unshare-newuser", syscall(SYS_unshare, CLONE_NEWUSER | CLONE_IO));
    report("clone-newns", syscall(SYS_clone, CLONE_NEWNS | CLONE_FS | SIGCHLD, 0, 0, 0, 0));
    report("clone3", syscall(SYS_clone3, NULL, 0));                  /* EINVAL: too small */
    report("setns", syscall(SYS_setns, -1, CLONE_NEWNET));           /* EBADF */

    /* Mounts: a missing path or invalid flags. */
    report("mount", syscall(SYS_mount, NULL, "/nonexistent-probe", NULL, 0, NULL));
    report("umount2", syscall(SYS_umount2, "/nonexistent-probe", 0x80000000));
    report("open_tree", syscall(SYS_open_tree, -1, "", 0xffffffffU));

    /* Keyring: EFAULT for a null type, EOPNOTSUPP for an unknown operation. */
    report("keyctl", syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0));
    report("add_key", syscall(SYS_add_key, NULL, NULL, NULL, 0, 0));
    report("request_key", syscall(SYS_request_key, NULL, NULL, NULL, 0));

    /* BPF and perf: an unknown command, a null attribute. */
    report("bpf", syscall(SYS_bpf, 9999, NULL, 0));
    report("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));

    /* userfaultfd: user-mode only plus an invalid flag. */
    report("userfaultfd", syscall(SYS_userfaultfd, 0x1 | 0x2));

    /* Clock: a null time. */
    report("clock_settime", syscall(SYS_clock_settime, CLOCK_REALTIME, NULL));

    /* Other processes: this one, nothing to copy or compare. */
    report("process_vm_readv", syscall(SYS_process_vm_readv, getpid(), NULL, 0, NULL, 0, 0));
    report("kcmp", syscall(SYS_kcmp, getpid(), getpid(), 0 /* KCMP_FILE */, -1, -1));
    report("pidfd_getfd", syscall(SYS_pidfd_getfd, -1, 0, 0));

    /* Address families: AF_VSOCK and AF_ALG. */
    report_fd("socket-vsock", syscall(SYS_socket, AF_VSOCK, SOCK_STREAM, 0));
    report_fd("socket-alg", syscall(SYS_socket, AF_ALG, SOCK_SEQPACKET, 0));

    /* Allowed by Docker, refused by some profiles. */
    report("vmsplice", syscall(SYS_vmsplice, -1, NULL, 0, 0));       /* EBADF */
    report("name_to_handle_at", syscall(SYS_name_to_handle_at, -1, "", NULL, NULL, 0));
    report("chroot", syscall(SYS_chroot, "/nonexistent-probe"));
    return 0;
}
