/* SPDX-License-Identifier: ISC */
/* Unit test for offline.c: once locked, the process cannot open a socket of
 * any family, and the lock holds for what it starts. */
#include "util.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "offline.h"

static void test_sockets_refused(void **state)
{
    (void)state;
    assert_int_equal(offline_lock(), 0);
    const int families[] = { AF_INET, AF_INET6, AF_UNIX, AF_NETLINK, AF_PACKET };
    for (size_t i = 0; i < sizeof families / sizeof *families; i++) {
        errno = 0;
        assert_int_equal(socket(families[i], SOCK_STREAM, 0), -1);
        assert_int_equal(errno, EACCES);
    }
    /* A child inherits the filter. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(socket(AF_INET, SOCK_DGRAM, 0) == -1 && errno == EACCES ? 0 : 1);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sockets_refused),
    };
    return cmocka_run_group_tests_name("offline", tests, NULL, NULL) == 0 ? 0 : 1;
}
