/* SPDX-License-Identifier: ISC */
/* Helpers shared by the cmocka unit tests: see util.h. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

char *util_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

char *util_locate(const char *rel)
{
    const char *s = getenv("srcdir");
    return util_join(s && *s ? s : ".", rel);
}

char *util_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, used = 0, n;
    char *buf = xmalloc(cap);
    while ((n = fread(buf + used, 1, cap - used - 1, fp)) > 0) {
        used += n;
        xgrow(&buf, &cap, used + 2, 1);
    }
    assert_false(ferror(fp));
    fclose(fp);
    buf[used] = '\0';
    if (len)
        *len = used;
    return buf;
}

char *util_write_temp(const char *text)
{
    const char *dir = getenv("TMPDIR");
    char *path = util_join(dir && *dir ? dir : "/tmp", "aca-unit.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
    return path;
}

struct contact_record util_make_contact(struct evidence_file *file, const char *sub,
                                        const char *name, const char *emails)
{
    struct contact_record r;
    memset(&r, 0, sizeof r);
    r.file = file;
    if (sub) {
        r.has_subscription = 1;
        strcpy(r.subscription, sub);
        r.subscription_source = "id";
    }
    r.name = name;
    r.name_len = name ? strlen(name) : 0;
    r.emails_member = "emails";
    if (emails) {
        r.emails = emails;
        r.emails_len = strlen(emails);
        r.emails_kind = CONTACT_EMAILS_STRING;
    } else {
        r.emails_kind = CONTACT_EMAILS_ABSENT;
    }
    r.pos.line = 1;
    r.pos.col = 1;
    r.api = CONTACT_API_2020;
    return r;
}
