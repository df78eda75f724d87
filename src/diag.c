/* Diagnostics: message catalogue and the single printer used by every stage. */
#include "config.h"

#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "xalloc.h"

/* Longest piece of evidence quoted in a diagnostic: enough to recognise it,
 * short enough that a 100 MB string cannot flood a terminal. */
#define DIAG_ARG_MAX 200

const struct diag_message diag_catalogue[D_COUNT] = {
    [D_NO_EVIDENCE_FOUND] = { DIAG_ERROR, "no evidence found" },
    [D_CANNOT_OPEN] = { DIAG_ERROR, "cannot open: {1}" },
    [D_READ_FAILED] = { DIAG_ERROR, "read error: {1}" },
    [D_NOT_REGULAR] = { DIAG_WARNING, "not a regular file ({1}): skipped" },
    [D_SYMLINK_LOOP] = { DIAG_WARNING, "symbolic link loop: skipped" },
    [D_NOT_JSON_NAME] = { DIAG_NOTE, "not named *.json or *.json.gz: skipped" },
    [D_NO_EVIDENCE_IN_FILE] = { DIAG_ERROR, "no evidence in file" },
    [D_JSON_SYNTAX] = { DIAG_ERROR, "invalid JSON: {1}" },
    [D_TOO_DEEP] = { DIAG_ERROR, "JSON nested deeper than {1} levels" },
    [D_VALUE_TOO_LONG] = { DIAG_ERROR, "JSON value longer than the {1} cap" },
    [D_INVALID_UTF8] = { DIAG_ERROR, "invalid UTF-8 in string (byte {1})" },
    [D_UNSUPPORTED_ENCODING] = { DIAG_ERROR, "unsupported encoding: {1}" },
    [D_BAD_ENCODED_INPUT] = { DIAG_ERROR, "invalid {1} input: {2}" },
    [D_GZIP_FAILED] = { DIAG_ERROR, "gzip data cannot be decompressed: {1}" },
    [D_NOTICE_LINES] = { DIAG_NOTE, "skipped {1} az CLI notice line(s) before the JSON" },
    [D_UNRECOGNISED_FILE] = { DIAG_ERROR, "no securityContacts evidence recognised ({1})" },
    [D_UNRECOGNISED_OBJECT] = { DIAG_WARNING, "value is not a security contact, an error body or a "
                                              "subscription: ignored" },
    [D_API_ERROR] = { DIAG_ERROR, "API error {1}: {2}" },
    [D_DUPLICATE_MEMBER] = { DIAG_ERROR, "'{1}' given twice in one contact: ambiguous" },
    [D_UNEXPECTED_TYPE] = { DIAG_ERROR, "'{1}' has unexpected type {2}" },
    [D_CONTACT_PROBLEM] = { DIAG_ERROR, "{1}" },
    [D_NO_SUBSCRIPTION] = { DIAG_ERROR, "contact has no subscription id (no id, no subscriptionId, "
                                        "no GUID in the path)" },
    [D_SUBSCRIPTION_DISAGREES] = { DIAG_ERROR, "'id' names subscription {1} but 'subscriptionId' "
                                               "names {2}: ambiguous" },
    [D_ID_NO_SUBSCRIPTION] = { DIAG_ERROR, "'id' names no valid subscription: {1}" },
    [D_PROPERTIES_NOT_OBJECT] = { DIAG_ERROR,
                                  "'properties' is a {1}, not an object (PowerShell ConvertTo-Json "
                                  "cut at its depth?): the contact cannot be read" },
    [D_NEXT_LINK] = { DIAG_WARNING,
                      "nextLink is set: this file is one page of a longer list; contacts on other "
                      "pages count only if they are in the bundle" },
    [D_UNDELIVERABLE_KEPT] = { DIAG_WARNING, "address '{1}' is not deliverable ({2}); the "
                                             "subscription passes on its other addresses" },
    [D_WAIVER_EXPIRED] = { DIAG_WARNING, "waiver for {1} expired on {2}: ignored" },
    [D_WAIVER_INVALID] = { DIAG_ERROR, "invalid waiver: {1}" },
    [D_WAIVER_ON_ERROR] = { DIAG_WARNING, "waiver for {1} not applied: the verdict is ERROR, and "
                                          "undecided evidence cannot be waived" },
    [D_INVENTORY_INVALID] = { DIAG_ERROR, "invalid subscription inventory: {1}" },
    [D_REPORT_WRITE] = { DIAG_ERROR, "cannot write report: {1}" },
    [D_REPORT_IS_INPUT] = { DIAG_ERROR, "report path is also an evidence input: refused" },
    [D_OUTPUT_FAILED] = { DIAG_ERROR, "cannot write to standard output: {1}" },
    [D_BAD_OPTION_VALUE] = { DIAG_ERROR, "{1}" },
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
    const char *args[2] = { a1, a2 };
    const char *t = diag_catalogue[id].template;
    struct xbuf out = { 0 };
    while (*t) {
        if (t[0] == '{' && (t[1] == '1' || t[1] == '2') && t[2] == '}') {
            const char *arg = args[t[1] - '1'];
            char *clean = sanitize_text(arg ? arg : "", arg ? strlen(arg) : 0, SANITIZE_ONE_LINE,
                                        DIAG_ARG_MAX, NULL);
            xbuf_add(&out, clean);
            free(clean);
            t += 3;
            continue;
        }
        xbuf_addn(&out, t++, 1);
    }
    return xbuf_finish(&out);
}

void diag_print(FILE *stream, const char *file, unsigned long line, unsigned long col,
                enum diag_level level, const char *msg)
{
    fputs("azure-contact-audit: ", stream);
    if (file != NULL) {
        char *clean = sanitize_text(file, strlen(file), SANITIZE_ONE_LINE, 0, NULL);
        fputs(clean, stream);
        free(clean);
        if (line > 0)
            fprintf(stream, ":%lu:%lu", line, col);
        fputs(": ", stream);
    }
    fprintf(stream, "%s: %s\n", diag_level_name(level), msg);
}
