/* SPDX-License-Identifier: ISC */
/* Diagnostics: message catalogue and the single printer used by every stage. */
#include "config.h"

#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "sanitize.h"
#include "xalloc.h"

/* Longest piece of evidence quoted in a diagnostic: enough to recognise it,
 * short enough that a 100 MB string cannot flood a terminal. */
#define DIAG_ARG_MAX 200

const struct diag_message diag_catalogue[D_COUNT] = {
    [D_NONE] = { DIAG_NOTE, "" },
    [D_NO_EVIDENCE_FOUND] = { DIAG_ERROR, "no evidence found" },
    [D_CANNOT_OPEN] = { DIAG_ERROR, "cannot open: {1}" },
    [D_READ_FAILED] = { DIAG_ERROR, "read error: {1}" },
    [D_NOT_REGULAR] = { DIAG_WARNING, "not a regular file ({1}): skipped" },
    [D_SYMLINK_LOOP] = { DIAG_WARNING, "symbolic link loop: skipped" },
    [D_NOT_EVIDENCE] = { DIAG_NOTE, "not evidence (its content is not JSON, JSON Lines or gzip): "
                                    "listed, not read" },
    [D_OWN_INPUT] = { DIAG_NOTE, "the {1} file of this run: not evidence" },
    [D_NO_EVIDENCE_IN_FILE] = { DIAG_ERROR, "no evidence in file" },
    [D_JSON_SYNTAX] = { DIAG_ERROR, "invalid JSON: {1}" },
    [D_JSON_TRUNCATED] = { DIAG_ERROR, "file ends early at {1} (truncated?)" },
    [D_EMPTY_FILE] = { DIAG_ERROR, "empty file (0 bytes)" },
    [D_ARCHIVE] = { DIAG_ERROR, "{1}, not JSON: in a folder, an archive is read entry by entry "
                                "only under a name that does not say JSON (rename it .zip, .tar or "
                                ".tar.gz), and never from standard input" },
    [D_HTML_PAGE] = { DIAG_ERROR, "an HTML page, not JSON (a sign-in or error page saved instead "
                                  "of the export?)" },
    [D_AZ_ERROR_TEXT] = { DIAG_ERROR, "az CLI error text, not JSON ({1})" },
    [D_TOO_DEEP] = { DIAG_ERROR, "JSON nested deeper than {1} levels" },
    [D_VALUE_TOO_LONG] = { DIAG_ERROR, "JSON value longer than the {1} cap" },
    [D_INVALID_UTF8] = { DIAG_ERROR, "invalid UTF-8 in string (byte {1})" },
    [D_UNSUPPORTED_ENCODING] = { DIAG_ERROR, "unsupported encoding: {1}" },
    [D_BAD_ENCODED_INPUT] = { DIAG_ERROR, "invalid {1} input: {2}" },
    [D_GZIP_FAILED] = { DIAG_ERROR, "gzip data cannot be decompressed: {1}" },
    [D_NOTICE_LINES] = { DIAG_NOTE, "skipped {1} az CLI notice line(s) (not JSON)" },
    [D_UNRECOGNISED_FILE] = { DIAG_ERROR, "no securityContacts evidence recognised ({1})" },
    [D_UNRECOGNISED_OBJECT] = { DIAG_WARNING, "value is not a security contact, an error body or a "
                                              "subscription: ignored" },
    [D_API_ERROR] = { DIAG_ERROR, "API error {1}: {2}" },
    [D_DUPLICATE_MEMBER] = { DIAG_ERROR, "'{1}' given twice in one contact: ambiguous" },
    [D_DUPLICATE_LIST] = { DIAG_ERROR, "'{1}' given twice in one list envelope: ambiguous" },
    [D_UNEXPECTED_TYPE] = { DIAG_ERROR, "'{1}' has unexpected type {2}" },
    [D_CONTACT_PROBLEM] = { DIAG_ERROR, "{1}" },
    [D_NO_SUBSCRIPTION] = { DIAG_ERROR, "contact has no subscription id (no id, no subscriptionId, "
                                        "no GUID in the path)" },
    [D_SUBSCRIPTION_DISAGREES] = { DIAG_ERROR, "'id' names subscription {1} but 'subscriptionId' "
                                               "names {2}: ambiguous" },
    [D_ID_NO_SUBSCRIPTION] = { DIAG_ERROR, "'id' names no valid subscription: {1}" },
    [D_PROPERTIES_NOT_OBJECT] = { DIAG_ERROR,
                                  "'properties' is {1}, not an object (PowerShell ConvertTo-Json "
                                  "cut at its depth?): the contact cannot be read" },
    [D_NEXT_LINK] = { DIAG_WARNING,
                      "nextLink is set: this file is one page of a longer list; contacts on other "
                      "pages count only if they are in the bundle" },
    [D_TAG_FILE] = { DIAG_NOTE, "a manifest of the bundle (tag file): read to verify the others, "
                                "not evidence" },
    [D_ARCHIVE_REFUSED] = { DIAG_ERROR, "{1}" },
    [D_ARCHIVE_BROKEN] = { DIAG_ERROR, "{1}" },
    [D_ARCHIVE_DUPLICATE] = { DIAG_ERROR, "entry {1} of the archive has the same name: an "
                                          "extractor would keep only one of the two, so neither "
                                          "can be trusted" },
    [D_ARCHIVE_CHANGED] = { DIAG_ERROR, "the archive changed while it was being read ({1})" },
    [D_ALTERED] = { DIAG_ERROR,
                    "altered since collection: its digest differs from the one {1} lists" },
    [D_UNLISTED] = { DIAG_WARNING,
                     "not listed in the manifest of {1}: it cannot make a subscription pass" },
    [D_MISSING_FROM_BUNDLE] = { DIAG_ERROR, "listed in {1} but not in the bundle" },
    [D_MANIFEST_PROBLEM] = { DIAG_ERROR, "manifest: {1}" },
    [D_STALE] = { DIAG_ERROR, "stale evidence: {1}" },
    [D_UNDATED] = { DIAG_ERROR, "collection date unknown: {1}" },
    [D_FILE_FOR_OTHER] = { DIAG_ERROR,
                           "file named for subscription {1} holds evidence for {2} only" },
    [D_UNDELIVERABLE_KEPT] = { DIAG_WARNING, "address '{1}' is not deliverable ({2}); the "
                                             "subscription passes on its other addresses" },
    [D_SNAPSHOTS_DIFFER] = { DIAG_WARNING, "contact '{1}' differs from its snapshot at {2}; the "
                                           "verdict is the same under each" },
    [D_WAIVER_EXPIRED] = { DIAG_WARNING, "waiver for {1} expired on {2}: ignored" },
    [D_WAIVER_INVALID] = { DIAG_ERROR, "invalid waiver: {1}" },
    [D_WAIVER_ON_ERROR] = { DIAG_WARNING, "waiver for {1} not applied: the verdict is ERROR, and "
                                          "undecided evidence cannot be waived" },
    [D_WAIVER_FILE_INVALID] = { DIAG_ERROR, "invalid waiver file: {1}" },
    [D_WAIVER_OTHER_LIST] = { DIAG_WARNING, "entries under '{1}' are not waivers (only the "
                                            "top-level array or 'waivers' holds them): not "
                                            "applied" },
    [D_WAIVER_ON_PASS] = { DIAG_WARNING, "waiver for {1} covers only PASS verdicts: nothing to "
                                         "waive" },
    [D_WAIVER_UNKNOWN_SUBSCRIPTION] = { DIAG_WARNING, "waiver for {1}: the subscription is in no "
                                                      "evidence and no inventory" },
    [D_BASELINE_REFUSED] = { DIAG_ERROR, "baseline refused: {1}" },
    [D_REPORT_WRITE] = { DIAG_ERROR, "cannot write report: {1}" },
    [D_REPORT_IS_INPUT] = { DIAG_ERROR, "report path is also an evidence input: refused" },
    [D_REPORT_IS_OPTION_INPUT] = { DIAG_ERROR, "report path {1} is also the {2} file: refused" },
    [D_REPORTS_CLASH] = { DIAG_ERROR, "two reports would be written to one file {1}: refused" },
    [D_OUTPUT_FAILED] = { DIAG_ERROR, "cannot write to standard output: {1}" },
    [D_USAGE] = { DIAG_ERROR, "{1}" },
    [D_CANNOT_CREATE_FOLDER] = { DIAG_ERROR, "cannot create {1}: {2}" },
    [D_RENDER_FAILED] = { DIAG_ERROR, "internal error: cannot render {1}" },
    [D_TOO_MANY_SUBSCRIPTIONS] = { DIAG_ERROR, "internal error: more subscriptions than the "
                                               "verdict table can index" },
    [D_OUT_OF_MEMORY] = { DIAG_ERROR, "internal error: out of memory" },
};

const char *diag_level_name(enum diag_level level)
{
    switch (level) {
    case DIAG_NOTE: return "note";
    case DIAG_WARNING: return "warning";
    case DIAG_ERROR: return "error";
    }
    return "error";
}

char *diag_format(enum diag_id id, const char *a1, const char *a2)
{
    return diag_format_capped(id, a1, a2, DIAG_ARG_MAX);
}

char *diag_format_capped(enum diag_id id, const char *a1, const char *a2, size_t cap)
{
    const char *args[2] = { a1, a2 };
    const char *t = diag_catalogue[id].template;
    struct xbuf out = { 0 };
    while (*t) {
        if (t[0] == '{' && (t[1] == '1' || t[1] == '2') && t[2] == '}') {
            const char *arg = args[t[1] - '1'];
            char *clean =
                sanitize_text(arg ? arg : "", arg ? strlen(arg) : 0, SANITIZE_ONE_LINE, cap, NULL);
            xbuf_add(&out, clean);
            free(clean);
            t += 3;
            continue;
        }
        xbuf_addn(&out, t++, 1);
    }
    return xbuf_finish(&out);
}

int diag_fault_set(struct diag_fault *f, enum diag_id id, const char *a1, const char *a2,
                   unsigned long line, unsigned long col)
{
    if (f->id != D_NONE)
        return -1;
    f->id = id;
    f->arg[0] = a1 ? xstrdup(a1) : NULL;
    f->arg[1] = a2 ? xstrdup(a2) : NULL;
    f->line = line;
    f->col = col;
    return -1;
}

int diag_faulted(const struct diag_fault *f)
{
    return f->id != D_NONE;
}

char *diag_fault_text(const struct diag_fault *f)
{
    return diag_format(f->id, f->arg[0], f->arg[1]);
}

void diag_fault_clear(struct diag_fault *f)
{
    free(f->arg[0]);
    free(f->arg[1]);
    memset(f, 0, sizeof *f);
}

void diag_fault_move(struct diag_fault *to, struct diag_fault *from)
{
    if (to->id == D_NONE) {
        *to = *from;
        memset(from, 0, sizeof *from);
    }
    diag_fault_clear(from);
}

void diag_init(struct diag *d, FILE *stream, int redact)
{
    memset(d, 0, sizeof *d);
    d->stream = stream;
    d->redact = redact;
    d->worst = -1;
}

/* One line of text for the terminal: sanitised, masked for --redact. */
static char *diag_clean(const struct diag *d, const char *text)
{
    char *clean = sanitize_text(text, strlen(text), SANITIZE_ONE_LINE, 0, NULL);
    if (!d->redact)
        return clean;
    char *masked = address_mask(clean, strlen(clean));
    free(clean);
    return masked;
}

void diag_emit(struct diag *d, const char *file, unsigned long line, unsigned long col,
               enum diag_id id, const char *a1, const char *a2)
{
    enum diag_level level = diag_catalogue[id].level;
    d->counts[level]++;
    if ((int)level > d->worst)
        d->worst = (int)level;
    if (d->stream == NULL)
        return;
    char *msg = diag_format(id, a1, a2);
    char *text = diag_clean(d, msg);
    /* One write per message (stderr is unbuffered): a bundle of 100,000
     * broken files is 100,000 system calls, not 400,000, and a message is
     * never split by another process writing to the same terminal. */
    struct xbuf b = { 0 };
    xbuf_add(&b, "azure-contact-audit: ");
    if (file != NULL) {
        char *where = diag_clean(d, file);
        xbuf_add(&b, where);
        free(where);
        if (line > 0) {
            char pos[48];
            snprintf(pos, sizeof pos, ":%lu:%lu", line, col);
            xbuf_add(&b, pos);
        }
        xbuf_add(&b, ": ");
    }
    xbuf_add(&b, diag_level_name(level));
    xbuf_add(&b, ": ");
    xbuf_add(&b, text);
    xbuf_add(&b, "\n");
    fwrite(b.s, 1, b.len, d->stream);
    free(b.s);
    free(text);
    free(msg);
}

void diag_emit_fault(struct diag *d, const char *file, const struct diag_fault *f)
{
    diag_emit(d, file, f->line, f->col, f->id, f->arg[0], f->arg[1]);
}

_Noreturn void diag_die(enum diag_id id)
{
    fputs("azure-contact-audit: ", stderr);
    fputs(diag_catalogue[id].template, stderr);
    fputs("\n", stderr);
    exit(70); /* sysexits EX_SOFTWARE: the audit cannot vouch for what it did not finish */
}
