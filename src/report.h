/* Reports: what the JUnit and HTML writers share: a const view of the
 * finished audit, the run's metadata, timestamps (SOURCE_DATE_EPOCH), the
 * --redact masking, and the atomic write of a report as it is serialised. */
#ifndef REPORT_H
#define REPORT_H

#include <libxml/xmlIO.h>
#include <stddef.h>
#include <time.h>

#include "evidence.h"
#include "verdicts.h"

/* Everything a writer may read; nothing here is changed by a writer. */
struct report_view {
    const struct evidence_list *files;
    const struct verdict_table *table;
    unsigned rules;           /* bit set of enum rule_index that were run */
    const char *edition;      /* CIS edition, e.g. "1.5.0" */
    const char *command_line; /* as run, sanitised by the writers */
    time_t generated;
    int time_from_env; /* SOURCE_DATE_EPOCH was used */
    int redact;
    size_t counts[4];                 /* by enum verdict_status, rule 0 */
    size_t not_audited;               /* disabled in the inventory */
    const struct waiver_set *waivers; /* may be NULL */
};

/* "2024-01-02T03:04:05Z" (zone=1) or without the Z (JUnit timestamp). */
void report_time(time_t t, int zone, char out[32]);
/* The overall result word: FAIL/ERROR/PASS as the exit status decides. */
const char *report_overall(const struct report_view *v);
/* A copy of an address for a report, masked when v->redact. Owned by the
 * caller (free()); sanitised for XML. */
char *report_address(const struct report_view *v, const char *text, size_t len);
/* A copy of free text (a reason, an error message) with every address-like
 * word local@domain masked the way report_address masks an address, for
 * --redact. text must be sanitised; the caller frees the copy. */
char *report_redact_text(const char *text);
/* Evidence text for a report: sanitised, capped. Caller frees. */
char *report_text(const char *text, size_t len);
/* "path:line:col" (or "path" when line is 0), sanitised. Caller frees. */
char *report_location(const struct report_view *v, size_t file, unsigned long line,
                      unsigned long col);
/* "<subscription id>" or "unknown-subscription(<file>)", sanitised; caller frees. */
char *report_subscription_name(const struct report_view *v, const struct verdict_subscription *s);
/* The library versions line: yajl, libxml2, nettle, zlib. Static buffer. */
const char *report_versions(void);

/* Writes a report to out, which it owns and closes (xmlOutputBufferClose,
 * directly or through a writer that owns out). Returns 0, or -1 when
 * libxml2 failed. */
typedef int report_writer(const struct report_view *v, xmlOutputBufferPtr out);

/* Runs writer into memory: 0 and *out, *len (owned by the caller, free()),
 * or -1 when libxml2 failed. */
int report_render(report_writer *writer, const struct report_view *v, char **out, size_t *len);

/* Runs writer into path atomically: a temporary file in the same folder,
 * written in large blocks as libxml2 serialises, then fsync, rename. On
 * failure nothing is left behind and -1 is returned; *error gets an owned
 * message when the file could not be written, and stays NULL when the
 * writer itself failed. */
int report_write_file(const char *path, report_writer *writer, const struct report_view *v,
                      char **error);

#endif
