/* SPDX-License-Identifier: ISC */
/* Fuzz target: the evidence reader, bytes in, records out.
 *
 * The input is read as one evidence file through the evidence decoder
 * (gzip, BOM, UTF-16, az notice lines) -> jstream (yajl, positions, caps,
 * strict UTF-8) -> contacts (every export shape), and every record and
 * event is collected into the text dump of tests/records.c.
 *
 * Differential check: the same bytes pushed in one chunk and in 1-byte
 * chunks must give the same dump (records, positions, outcome and
 * message); abort() otherwise. This runs twice: with the defaults the
 * tool uses, and with small depth and token caps so that inputs of a few
 * kilobytes reach the cap logic too. The two runs also use a file name
 * without and with a subscription GUID. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../records.h"

struct reader_config {
    const char *path;
    unsigned max_depth;
    size_t max_token;
};

static const struct reader_config configs[] = {
    { "evidence.json", 0, 0 },
    { "tenant/5b1a1d6e-3f0c-4f6e-9d7a-2b8c0e1f4a37/securityContacts.json", 6, 40 },
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* Prints the first line where the two dumps differ. */
static void report_mismatch(const struct reader_config *cfg, const char *whole,
                            const char *bytewise)
{
    size_t i = 0, line_start = 0, line = 1;
    while (whole[i] && whole[i] == bytewise[i]) {
        if (whole[i] == '\n') {
            line_start = i + 1;
            line++;
        }
        i++;
    }
    fprintf(stderr,
            "fuzz_reader: one chunk and 1-byte chunks differ (path %s, max_depth %u, "
            "max_token %zu) at dump line %zu:\n  one chunk:     %.*s\n  1-byte chunks: %.*s\n",
            cfg->path, cfg->max_depth, cfg->max_token, line, (int)strcspn(whole + line_start, "\n"),
            whole + line_start, (int)strcspn(bytewise + line_start, "\n"), bytewise + line_start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < sizeof configs / sizeof *configs; i++) {
        const struct reader_config *cfg = &configs[i];
        char *whole = records_dump_bytes(cfg->path, data, size, 0, cfg->max_depth, cfg->max_token);
        char *bytewise =
            records_dump_bytes(cfg->path, data, size, 1, cfg->max_depth, cfg->max_token);
        if (whole == NULL || bytewise == NULL || strcmp(whole, bytewise) != 0) {
            if (whole && bytewise)
                report_mismatch(cfg, whole, bytewise);
            abort();
        }
        free(whole);
        free(bytewise);
    }
    return 0;
}
