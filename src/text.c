/* SPDX-License-Identifier: ISC */
/* Text: verdict lines and the Total line (see text.h). */
#include "config.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "facts.h"
#include "rules.h"

/* "1 subscription", "2 subscriptions". */
static void text_count(FILE *out, size_t n, const char *one, const char *many)
{
    fprintf(out, "%zu %s", n, n == 1 ? one : many);
}

static int text_several_rules(unsigned rules)
{
    return (rules & (rules - 1)) != 0;
}

/* The inventory's name of s as a field of its own, or NULL: sanitised,
 * masked, and with every run of blanks made one space, so that two spaces
 * still only ever separate fields. Caller frees. */
static char *text_display_name(const struct report_view *v, const struct verdict_subscription *s)
{
    const struct verdict_extra *x = verdicts_extra(s);
    if (x->display_name == NULL)
        return NULL;
    char *name = report_line(v, x->display_name, strlen(x->display_name));
    char *to = name;
    for (const char *p = name; *p; p++)
        if (!(*p == ' ' && (to == name || to[-1] == ' ')))
            *to++ = *p;
    while (to > name && to[-1] == ' ')
        to--;
    *to = '\0';
    if (*name == '\0') {
        free(name);
        return NULL;
    }
    return name;
}

static void text_lines(const struct report_view *v, FILE *out)
{
    int several = text_several_rules(v->rules);
    for (size_t i = 0, n = verdicts_count(v->table); i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        if (s->disabled)
            continue;
        char *who = report_subscription_name(v, s);
        char *name = text_display_name(v, s);
        for (unsigned r = 0; r < RULE_COUNT; r++) {
            if (!(v->rules & (1u << r)))
                continue;
            char *reason = facts_reason(v, s, r);
            fprintf(out, "%s  %s  ", verdicts_status_name(verdicts_result(v->table, s, r)->status),
                    who);
            if (name)
                fprintf(out, "(%s)  ", name);
            if (several)
                fprintf(out, "%s: ", rules_control_id(&rules_table[r], v->edition));
            fputs(reason, out);
            const char *change = baseline_change(v->baseline, s->id, r);
            if (s->known && *change && strcmp(change, "unchanged") != 0)
                fprintf(out, "  [%s]", change);
            fputs("\n", out);
            free(reason);
        }
        free(name);
        free(who);
    }
}

/* "5 PASS, 7 FAIL, 3 ERROR, 0 WAIVED" of one rule. */
static void text_rule_counts(const struct outcome *o, unsigned r, FILE *out)
{
    fprintf(out, "%zu PASS, %zu FAIL, %zu ERROR, %zu WAIVED", o->counts[r][VERDICT_PASS],
            o->counts[r][VERDICT_FAIL], o->counts[r][VERDICT_ERROR], o->counts[r][VERDICT_WAIVED]);
    if (o->not_audited)
        fprintf(out, ", %zu not audited (disabled)", o->not_audited);
}

/* One rule: "Total: 15 subscriptions: 5 PASS, ...; 15 evidence files, 1
 * unreadable". Several: each selected rule's counts after its control id,
 * so that the line adds up as the JUnit suites do. */
static void text_total(const struct report_view *v, FILE *out)
{
    const struct outcome *o = v->outcome;
    fputs("Total: ", out);
    text_count(out, o->subscriptions, "subscription", "subscriptions");
    int several = text_several_rules(v->rules);
    for (unsigned r = 0; r < RULE_COUNT; r++) {
        if (!(v->rules & (1u << r)))
            continue;
        if (several)
            fprintf(out, "; %s: ", rules_control_id(&rules_table[r], v->edition));
        else
            fputs(": ", out);
        text_rule_counts(o, r, out);
    }
    fputs("; ", out);
    text_count(out, o->files, "evidence file", "evidence files");
    fprintf(out, ", %zu unreadable", o->unreadable_files);
    /* Errors that are no subscription's: each is a JUnit error testcase. */
    if (o->waiver_errors) {
        fputs("; ", out);
        text_count(out, o->waiver_errors, "waiver error", "waiver errors");
    }
    if (o->other_errors) {
        fputs("; ", out);
        text_count(out, o->other_errors, "other error", "other errors");
    }
    fputs("\n", out);
}

/* Subscriptions of the baseline no longer in the evidence, one line each
 * ("GONE", never a verdict word), then what changed in numbers. */
static void text_changes(const struct report_view *v, FILE *out)
{
    const struct baseline *b = v->baseline;
    int several = text_several_rules(v->rules);
    for (size_t i = 0; i < b->count; i++) {
        const struct baseline_entry *e = &b->items[i];
        if (e->change != CHANGE_GONE)
            continue;
        fprintf(out, "GONE  %s  ", e->subscription);
        if (e->name) {
            char *name = report_line(v, e->name, strlen(e->name));
            fprintf(out, "(%s)  ", name);
            free(name);
        }
        if (several)
            fprintf(out, "%s: ", rules_control_id(&rules_table[e->rule], v->edition));
        fprintf(out, "no longer in the evidence; %s in the baseline  [%s]\n",
                baseline_name_status((enum baseline_status)e->status),
                baseline_name_change(CHANGE_GONE));
    }
    char *changes = baseline_summarise(b);
    char *when = report_line(v, b->generated, strlen(b->generated));
    fprintf(out, "Changes since %s: %s\n", when, changes);
    free(when);
    free(changes);
}

int text_write(const struct report_view *v, FILE *out, int quiet)
{
    if (!quiet)
        text_lines(v, out);
    if (!quiet && v->baseline)
        text_changes(v, out);
    text_total(v, out);
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
