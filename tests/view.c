/* SPDX-License-Identifier: ISC */
/* Test helper: a report view of evidence in memory (see view.h). */
#include "config.h"

#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "rules.h"
#include "xalloc.h"

void test_view_load(struct test_view *t, const char *const *paths, const char *const *jsons,
                    size_t n, unsigned rules, int redact)
{
    memset(t, 0, sizeof *t);
    evidence_list_init(&t->files);
    xgrow(&t->files.files, &t->files.cap, n, sizeof *t->files.files);
    for (size_t i = 0; i < n; i++) {
        struct evidence_file *f = &t->files.files[t->files.count++];
        memset(f, 0, sizeof *f);
        f->path = xstrdup(paths[i]);
        f->named = 1;
        f->encoding = "";
        f->shape = "";
        f->has_path_subscription = guid_from_path(f->path, f->path_subscription);
    }
    diag_init(&t->diag, NULL, redact);
    t->table = verdicts_alloc(&t->policy);
    struct ingest *ing = ingest_alloc(&t->files, t->table, &t->diag);
    for (size_t i = 0; i < n; i++) {
        struct evidence_file *f = &t->files.files[i];
        ingest_memory(ing, i, (const unsigned char *)jsons[i], strlen(jsons[i]), 0);
        f->hashed = 1;
        f->size = strlen(jsons[i]);
        snprintf(f->sha256, sizeof f->sha256, "%064zx", i + 1);
    }
    ingest_free(ing);
    verdicts_seal(t->table, RULES_ALL);
    rules_decide(t->table, rules);
    outcome_compute(&t->outcome, t->table, rules, &t->files, NULL, &t->diag);
    t->v.files = &t->files;
    t->v.table = t->table;
    t->v.outcome = &t->outcome;
    t->v.rules = rules;
    t->v.edition = RULES_DEFAULT_EDITION;
    t->v.command_line = "azure-contact-audit evidence";
    t->v.generated = 1767225600;
    t->v.time_from_env = 1;
    t->v.redact = redact;
}

void test_view_load1(struct test_view *t, const char *path, const char *json, unsigned rules,
                     int redact)
{
    test_view_load(t, &path, &json, 1, rules, redact);
}

void test_view_free(struct test_view *t)
{
    verdicts_free(t->table);
    evidence_list_free(&t->files);
}

const struct verdict_subscription *test_view_find(const struct test_view *t, const char *sub)
{
    for (size_t i = 0, n = verdicts_count(t->table); i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(t->table, i);
        if (strcmp(s->id, sub) == 0)
            return s;
    }
    return NULL;
}

const char *test_script_stray_line(const char *script, size_t *len)
{
    static const char *const code[] = { "#!/bin/sh",    "set -eu",
                                        "ADDRESSES=\"", "case $ADDRESSES in",
                                        "'' | *'<'*",   "\techo '",
                                        "\texit 1",     "\t;;",
                                        "esac",         "az rest --method put \\",
                                        "\t--url '",    "\t--body '" };
    for (const char *line = script; *line;) {
        size_t n = strcspn(line, "\n");
        int ok = n == 0 || line[0] == '#';
        for (size_t i = 0; !ok && i < sizeof code / sizeof *code; i++)
            ok = strncmp(line, code[i], strlen(code[i])) == 0;
        if (!ok) {
            *len = n;
            return line;
        }
        line += n + (line[n] == '\n');
    }
    return NULL;
}
