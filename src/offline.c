/* SPDX-License-Identifier: ISC */
/* Offline by construction: a seccomp filter that refuses sockets (see
 * offline.h). */
#include "config.h"

#include "offline.h"

#include <errno.h>
#include <stddef.h>

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define OFFLINE_ARCH AUDIT_ARCH_X86_64
#define OFFLINE_X32_BIT 0x40000000u /* x32 ABI system calls share the arch */
#else
#define OFFLINE_ARCH AUDIT_ARCH_AARCH64
#define OFFLINE_X32_BIT 0xFFFFFFFFu /* none: no call number reaches it */
#endif

#define OFFLINE_DENY (SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA))

int offline_lock(void)
{
    struct sock_filter filter[] = {
        /* Another ABI than ours (32-bit calls on a 64-bit kernel) could
         * reach socketcall: the program never uses one, so refuse them all. */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, OFFLINE_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, OFFLINE_DENY),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, OFFLINE_X32_BIT, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, OFFLINE_DENY),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, OFFLINE_DENY),
#ifdef __NR_io_uring_setup
        /* io_uring can create sockets without calling socket(2). */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, OFFLINE_DENY),
#endif
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { (unsigned short)(sizeof filter / sizeof *filter), filter };
    /* Required to install a filter without privileges; the program never
     * runs another one, so it loses nothing. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0 ? 0 : -1;
}

#else

int offline_lock(void)
{
    return -1; /* no seccomp here */
}

#endif
