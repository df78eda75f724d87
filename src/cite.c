/* SPDX-License-Identifier: ISC */
/* Citations of the evidence behind a verdict (see cite.h). */
#include "config.h"

#include "cite.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void cite_add(struct cite_list *l, size_t file, unsigned long line, unsigned long col)
{
    for (size_t i = 0; i < l->count; i++) {
        const struct cite_place *p = &l->places[i];
        if (p->file == file && p->line == line && p->col == col)
            return;
    }
    xgrow(&l->places, &l->cap, l->count + 1, sizeof *l->places);
    l->places[l->count++] = (struct cite_place){ file, line, col };
}

void cite_subscription(const struct verdict_subscription *s, struct cite_list *out)
{
    const struct verdict_extra *x = verdicts_extra(s);
    if (!s->known)
        cite_add(out, s->unknown_file, 0, 0);
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        cite_add(out, c->file, c->pos.line, c->pos.col);
    }
    for (size_t i = 0; i < x->n_problems; i++) {
        const struct verdict_problem *p = &x->problems[i];
        cite_add(out, p->file, p->line, p->col);
    }
    if (s->empty_list)
        cite_add(out, x->empty_list_file, x->empty_list_pos.line, x->empty_list_pos.col);
}

void cite_free(struct cite_list *l)
{
    free(l->places);
    *l = (struct cite_list){ 0 };
}

int cite_first_in_file(const struct cite_list *l, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (l->places[k].file == l->places[i].file)
            return 0;
    return 1;
}

char *cite_subscription_label(const struct report_view *v, const struct verdict_subscription *s)
{
    const struct verdict_extra *x = verdicts_extra(s);
    struct xbuf b = { 0 };
    char *who = report_subscription_name(v, s);
    xbuf_add(&b, who);
    free(who);
    if (x->display_name) {
        char *name = report_line(v, x->display_name, strlen(x->display_name));
        xbuf_add(&b, " (");
        xbuf_add(&b, name);
        xbuf_add(&b, ")");
        free(name);
    }
    return xbuf_finish(&b);
}

/* The bundle's latest known collection date (its manifests or
 * --collected-at), or 0 when none says. */
int cite_collected(const struct report_view *v, time_t *out)
{
    const struct chain_collected *when = v->chain ? chain_bundle_collected(v->chain) : NULL;
    if (when == NULL)
        return 0;
    *out = when->time;
    return 1;
}
