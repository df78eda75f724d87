/* SPDX-License-Identifier: ISC */
/* Reports: what every writer shares: a const view of the finished audit,
 * the run's metadata, timestamps (SOURCE_DATE_EPOCH), the texts of a report
 * (sanitised, capped and masked for --redact at render time), and the
 * atomic write of a report as it is serialised. */
#ifndef REPORT_H
#define REPORT_H

#include <libxml/xmlIO.h>
#include <libxml/xmlwriter.h>
#include <stddef.h>
#include <time.h>

#include "chain.h"
#include "evidence.h"
#include "outcome.h"
#include "verdicts.h"

/* Everything a writer may read; nothing here is changed by a writer, and
 * every writer renders the same texts (facts.h) with the same masking. */
struct report_view {
    const struct evidence_list *files;
    const struct chain *chain;         /* manifests and dates; may be NULL */
    const struct verdict_table *table; /* sealed and decided */
    const struct outcome *outcome;     /* counts and the overall result */
    unsigned rules;                    /* bit set of enum rule_index that were run */
    const char *edition;               /* CIS edition, e.g. "1.5.0" */
    const char *command_line;          /* as run, sanitised by the writers */
    time_t generated;
    int time_from_env;                   /* SOURCE_DATE_EPOCH was used */
    int redact;                          /* mask every address in every text */
    const struct address_policy *policy; /* --allow-domain, --org-domain; may be NULL */
    const struct waiver_set *waivers;    /* may be NULL */
    const struct baseline *baseline;     /* --baseline, marked; NULL without */
    /* --remediation-email: the addresses a fixed contact gets (each one
     * deliverable); borrowed, may be empty */
    const char *const *fix_emails;
    size_t n_fix_emails;
};

/* "2024-01-02T03:04:05Z" (zone=1) or without the Z (JUnit timestamp). */
void report_time(time_t t, int zone, char out[32]);

/* Texts for a report. Every one is sanitised (valid UTF-8, XML 1.0
 * characters only), capped, and masked when v->redact; the caller frees
 * each with free(). */
/* Evidence text that may keep its line breaks (a message). */
char *report_text(const struct report_view *v, const char *text, size_t len);
/* Evidence text on one line (a name, a path, an attribute value). */
char *report_line(const struct report_view *v, const char *text, size_t len);
/* The command line as run, whole (never capped: it is to be run again),
 * on one line, masked with --redact. */
char *report_command(const struct report_view *v);
/* An address as judged; masked with --redact. */
char *report_address(const struct report_view *v, const char *text, size_t len);
/* "path:line:col" (or "path" when line is 0). */
char *report_location(const struct report_view *v, size_t file, unsigned long line,
                      unsigned long col);
/* "<subscription id>" or "unknown-subscription(<file>)". */
char *report_subscription_name(const struct report_view *v, const struct verdict_subscription *s);
/* Why a file was not read, or broke (its fault in words). */
char *report_file_message(const struct report_view *v, const struct evidence_file *f);
/* Writes text (our own words or sanitised evidence) as the content of the
 * element w has open, escaped by libxml2 (& < > and CR as references)
 * straight into out, the output buffer w writes to. xmlTextWriterWriteString
 * would first copy the text into a buffer it allocates for each text, most
 * of what a text cost. Returns what libxml2 returned, negative on failure. */
int report_write_text(xmlTextWriterPtr w, xmlOutputBufferPtr out, const char *text);
/* Keeps libxml2's own error output (its messages quote the bytes it met,
 * binary garbage included) off standard error: every failure it could
 * report already comes back as a return value the tool says in its own
 * words. libxml2 2.9 keeps the handlers per thread: this sets them for the
 * calling thread and as the default of threads started later; the report
 * writer's second thread calls it too. */
void report_quiet_libxml(void);
/* One line of a sha256sum(1) listing, "<sha256>  <path>\n", the path
 * sanitised and, with --redact, masked like every text (such a line then
 * verifies only against a listing made without --redact, which
 * report_sha256sum_note() says). Caller frees. */
char *report_sha256sum_line(const struct report_view *v, const char *sha256, const char *path);
/* The sentence to put under a sha256sum listing whose paths may be
 * masked, or NULL without --redact. Static. */
const char *report_sha256sum_note(const struct report_view *v);
/* The library versions line: yajl, libxml2, nettle, zlib. Static buffer. */
const char *report_versions(void);
/* A manifest's verdict in words ("verified: 12 files match", or the counts
 * of what is altered, missing, unlisted and unverified), as every report
 * states it. The caller frees it. */
char *report_manifest_verdict(const struct manifests_summary *m);
/* How addresses were judged: with or without the --org-domain test. */
const char *report_judged(const struct report_view *v);

/* Writes a report to out, which it owns and closes (xmlOutputBufferClose,
 * directly or through a writer that owns out). Returns 0, or -1 when
 * libxml2 failed. */
typedef int report_writer(const struct report_view *v, xmlOutputBufferPtr out);

struct xbuf;
/* An output buffer that appends what libxml2 writes to b (borrowed; it must
 * outlive the buffer, which the caller closes), or NULL when libxml2 could
 * not make one. */
xmlOutputBufferPtr report_memory_output(struct xbuf *b);

/* Runs writer into memory: 0 and *out, *len (owned by the caller, free()),
 * or -1 when libxml2 failed. */
int report_render(report_writer *writer, const struct report_view *v, char **out, size_t *len);

/* Runs writer into path atomically: a temporary file in the same folder,
 * written in large blocks as libxml2 serialises, then fsync, rename. On
 * failure nothing is left behind, -1 is returned and *fault says why
 * (D_REPORT_WRITE when the file could not be written, D_RENDER_FAILED
 * when the writer itself failed). */
int report_write_file(const char *path, report_writer *writer, const struct report_view *v,
                      struct diag_fault *fault);

/* One report the run writes: its path (NULL: not asked for) and writer. */
struct report_output {
    const char *path;
    report_writer *writer;
};

/* An input of the run that is not evidence, by the option that names it. */
struct report_input {
    const char *option; /* "--waivers" */
    const char *path;   /* NULL: not given */
};

/* Refuses outputs that would destroy an input or each other: an output
 * that is an evidence file or one of the n_inputs other inputs, or two
 * outputs that name one file. Says why through d and returns -1; 0 when
 * all is well. */
int report_check_outputs(const struct report_output *outs, size_t n,
                         const struct evidence_list *files, const struct report_input *inputs,
                         size_t n_inputs, struct diag *d);

/* Writes every output, two at a time (the writers only read v), and says
 * each failure through d, in the order of outs. Returns OUTCOME_EXIT_PASS,
 * OUTCOME_EXIT_INCOMPLETE when a file could not be written, or
 * OUTCOME_EXIT_INTERNAL when a writer failed. */
enum outcome_exit report_write_outputs(const struct report_output *outs, size_t n,
                                       const struct report_view *v, struct diag *d);

/* The generation time: SOURCE_DATE_EPOCH when set (a malformed value is
 * an error: -1 with *fault set), else the clock. */
int report_clock(time_t *out, int *from_env, struct diag_fault *fault);

#endif
