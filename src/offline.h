/* SPDX-License-Identifier: ISC */
/* Offline by construction: before any evidence is read, the program asks
 * the kernel (seccomp) to refuse it every socket, so that no code it links,
 * libxml2's HTTP and FTP client included, can open a connection whatever
 * it is given. Used by main.c only. */
#ifndef OFFLINE_H
#define OFFLINE_H

/* Installs the filter for this process and all it may start. Returns 0, or
 * -1 where the kernel or the architecture offers no such filter (the tool
 * still opens no socket of its own; the test suite checks it with strace). */
int offline_lock(void);

#endif
