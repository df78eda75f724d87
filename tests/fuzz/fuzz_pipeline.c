/* Fuzz target: the whole pipeline, in memory, down to both report writers.
 *
 * The input is one evidence file, read by the program's own stages
 * (ingest_memory, verdicts_seal, rules_decide, waivers_apply,
 * outcome_compute: no copy of the driver), and rendered with junit_render()
 * and html_render(). Then:
 *   - a file that failed to read can leave no PASS behind (its records are
 *     withdrawn and it is the only file), and the outcome says ERROR;
 *   - the JUnit report must be well-formed XML (libxml2, no network);
 *   - the HTML report must hold no "<script" (any case): evidence is only
 *     ever text, and the page itself has no script;
 *   - rendering must not fail.
 * abort() on any violation. A few bits of a hash of the input choose the
 * file name (with or without a subscription GUID), --redact, a waiver set
 * and the address policy, so replaying an input always takes the same
 * path. */
#include "config.h"

#include <libxml/parser.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "evidence.h"
#include "fuzz.h"
#include "html.h"
#include "ingest.h"
#include "junit.h"
#include "outcome.h"
#include "report.h"
#include "rules.h"
#include "sanitize.h"
#include "verdicts.h"
#include "waivers.h"
#include "xalloc.h"

/* ---- waivers ----------------------------------------------------------------- */

static void pipe_add_waiver(struct waiver_set *set, const char *sub, int rule, const char *expires,
                            int expired)
{
    xgrow(&set->items, &set->cap, set->count + 1, sizeof *set->items);
    struct waiver *w = &set->items[set->count++];
    memset(w, 0, sizeof *w);
    snprintf(w->subscription, sizeof w->subscription, "%s", sub);
    w->rule = rule;
    w->rule_text = xstrdup(rule < 0 ? "*" : rules_table[rule].key);
    w->reason = xstrdup("accepted <risk> & \"ticket\"");
    w->ticket = xstrdup("SEC-1]]>");
    w->expires = xstrdup(expires);
    w->line = set->count;
    w->col = 3;
    w->expired = expired;
}

/* ---- checks ---------------------------------------------------------------- */

static void check_junit(const char *doc, size_t len)
{
    if (len > (size_t)2147483647)
        abort();
    xmlDocPtr x = xmlReadMemory(doc, (int)len, "junit.xml", NULL, XML_PARSE_NONET);
    if (x == NULL) {
        fprintf(stderr, "fuzz_pipeline: the JUnit report is not well-formed XML:\n%s\n", doc);
        abort();
    }
    xmlFreeDoc(x);
}

static int has_script_tag(const char *doc, size_t len)
{
    static const char tag[] = "<script";
    for (size_t i = 0; i + sizeof tag - 1 <= len; i++) {
        size_t k = 0;
        while (k < sizeof tag - 1) {
            char c = doc[i + k];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != tag[k])
                break;
            k++;
        }
        if (k == sizeof tag - 1)
            return 1;
    }
    return 0;
}

static void check_html(const char *doc, size_t len)
{
    if (has_script_tag(doc, len)) {
        fprintf(stderr, "fuzz_pipeline: \"<script\" in the HTML report:\n%s\n", doc);
        abort();
    }
}

/* ---- the target ------------------------------------------------------------ */

static const char *const allow_domains[] = { "contoso.com", "example.org" };
static const char *const org_domains[] = { "initech.io", "example.org" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xmlInitParser();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;

    struct address_policy policy = { 0 };
    if (h & 2) {
        policy.allow_domains = allow_domains;
        policy.n_allow = 2;
    }
    if (h & 4) {
        policy.org_domains = org_domains;
        policy.n_org = 2;
    }
    struct evidence_list files;
    evidence_list_init(&files);
    xgrow(&files.files, &files.cap, 1, sizeof *files.files);
    files.count = 1;
    struct evidence_file *f = &files.files[0];
    memset(f, 0, sizeof *f);
    f->path = xstrdup(h & 1 ? "tenant/5b1a1d6e-3f0c-4f6e-9d7a-2b8c0e1f4a37/securityContacts.json"
                            : "evidence/contacts.json");
    f->named = 1;
    f->encoding = "";
    f->shape = "";
    f->has_path_subscription = guid_from_path(f->path, f->path_subscription);

    /* The program's own stages, as audit.c wires them. */
    struct diag d;
    diag_init(&d, NULL, (h & 8) != 0);
    struct verdict_table *table = verdicts_alloc(&policy);
    struct ingest *ing = ingest_alloc(&files, table, &d);
    ingest_memory(ing, 0, data, size, 0);
    ingest_free(ing);
    unsigned rules = (1u << RULE_COUNT) - 1;
    verdicts_seal(table, RULE_COUNT);
    rules_decide(table, rules);
    rules_say(table, &files, &d);
    /* Fail closed: the only file is broken, so nothing can pass. */
    for (size_t i = 0; i < verdicts_count(table) && f->status == EVIDENCE_ERROR; i++) {
        const struct verdict_subscription *s = verdicts_get(table, i);
        for (unsigned r = 0; r < RULE_COUNT; r++) {
            if (verdicts_result(table, s, r)->status == VERDICT_PASS) {
                fprintf(stderr, "fuzz_pipeline: PASS (rule %u) from a file that failed\n", r);
                abort();
            }
        }
    }
    struct waiver_set waivers = { 0 };
    if (h & 16) {
        waivers.path = xstrdup("waivers.json");
        pipe_add_waiver(&waivers, "5b1a1d6e-3f0c-4f6e-9d7a-2b8c0e1f4a37", -1, "2099-12-31", 0);
        pipe_add_waiver(&waivers, "00000000-0000-0000-0000-000000000000", RULE_CONTACT_EMAIL,
                        "2000-01-01", 1);
        waivers_index(&waivers);
        waivers_apply(&waivers, table, rules, &d);
    }
    struct outcome o;
    outcome_compute(&o, table, rules, &files, (h & 16) ? &waivers : NULL, &d);
    /* One story: an unreadable file or an error said makes the run ERROR. */
    if ((f->status == EVIDENCE_ERROR || d.worst >= (int)DIAG_ERROR) && o.result != OUTCOME_ERROR) {
        fprintf(stderr, "fuzz_pipeline: evidence failed but the outcome is %s\n", outcome_word(&o));
        abort();
    }

    struct report_view v = { 0 };
    v.files = &files;
    v.table = table;
    v.outcome = &o;
    v.rules = rules;
    v.edition = RULES_DEFAULT_EDITION;
    v.command_line = "azure-contact-audit --rule all -o reports evidence";
    v.generated = 1767225600;
    v.time_from_env = 1;
    v.redact = (h & 8) != 0;
    v.waivers = h & 16 ? &waivers : NULL;

    char *doc = NULL;
    size_t len = 0;
    if (junit_render(&v, &doc, &len) != 0) {
        fprintf(stderr, "fuzz_pipeline: junit_render failed\n");
        abort();
    }
    check_junit(doc, len);
    free(doc);
    doc = NULL;
    if (html_render(&v, &doc, &len) != 0) {
        fprintf(stderr, "fuzz_pipeline: html_render failed\n");
        abort();
    }
    check_html(doc, len);
    free(doc);

    waivers_free(&waivers);
    verdicts_free(table);
    evidence_list_free(&files);
    return 0;
}
