/* SPDX-License-Identifier: ISC */
/* azure-contact-audit: command-line entry point. Parses options, then hands
 * the pipeline to audit_run(); everything else lives in the library. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "address.h"
#include "audit.h"
#include "diag.h"
#include "manifests.h"
#include "offline.h"
#include "rules.h"
#include "xalloc.h"

/* Keep equal to the SYNOPSIS of azure-contact-audit.1. */
static const char usage_text[] =
    "Usage: azure-contact-audit [OPTION]... EVIDENCE...\n"
    "Audit saved Azure securityContacts evidence against CIS 2.3.2 (Additional email addresses).\n"
    "\n"
    "  EVIDENCE        a file, a directory (searched recursively), or - for standard input\n"
    "  --junit FILE    write the JUnit XML report to FILE\n"
    "  --html FILE     write the HTML evidence report to FILE\n"
    "  --csv FILE      write one CSV row per subscription and rule to FILE\n"
    "  --oscal FILE    write OSCAL 1.0.6 assessment results (JSON) to FILE\n"
    "  --remediation FILE     write a shell script that fixes the failing subscriptions\n"
    "  --remediation-email ADDR  the address fixed contacts get (repeatable)\n"
    "  -o, --output-dir DIR   write DIR/junit.xml, report.html, results.csv,\n"
    "                 assessment-results.json and remediation.sh\n"
    "  -q, --quiet     print only the summary line\n"
    "  --redact        mask addresses (j***@example.org) in reports and output\n"
    "  --benchmark EDITION    CIS edition whose control ids are shown (default 1.5.0)\n"
    "  --rule NAME     also decide contact-email, alert-severity or notify-owners (or all)\n"
    "  --allow-domain D       count addresses in D even if it is reserved or a sample\n"
    "  --org-domain D  only addresses in D or its subdomains count (repeatable)\n"
    "  --subscriptions FILE   read a subscription inventory (az account list)\n"
    "  --waivers FILE  accepted risks: a FAIL they cover is reported as WAIVED\n"
    "  --manifest FILE        verify every file against a sha256sum file\n"
    "  --collected-at DATE    when the evidence was collected (YYYY-MM-DD[THH:MM:SSZ])\n"
    "  --max-age DAYS  evidence collected longer ago, or at an unknown date, is ERROR\n"
    "  --as-of DATE    the date --max-age counts from (default: now)\n"
    "  --baseline FILE a previous JUnit report of this tool: mark what changed since\n"
    "  --max-entry-bytes N    an archive entry larger than N bytes is ERROR (default 4 GiB)\n"
    "  --max-archive-bytes N  stop an archive whose entries pass N bytes (default 16 GiB)\n"
    "  --max-archive-entries N  stop an archive of more than N entries (default 1000000)\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 all pass, 1 a subscription fails, 2 evidence unreadable or undecided,\n"
    "64 usage error, 70 internal error.\n";

enum {
    OPT_JUNIT = 256,
    OPT_HTML,
    OPT_HELP,
    OPT_VERSION,
    OPT_REDACT,
    OPT_BENCHMARK,
    OPT_RULE,
    OPT_ALLOW_DOMAIN,
    OPT_ORG_DOMAIN,
    OPT_SUBSCRIPTIONS,
    OPT_WAIVERS,
    OPT_CSV,
    OPT_OSCAL,
    OPT_REMEDIATION,
    OPT_REMEDIATION_EMAIL,
    OPT_READ_SIZE,
    OPT_MANIFEST,
    OPT_COLLECTED_AT,
    OPT_MAX_AGE,
    OPT_AS_OF,
    OPT_BASELINE,
    OPT_MAX_ENTRY_BYTES,
    OPT_MAX_ARCHIVE_BYTES,
    OPT_MAX_ARCHIVE_ENTRIES
};

static const struct option long_options[] = {
    { "junit", required_argument, NULL, OPT_JUNIT },
    { "html", required_argument, NULL, OPT_HTML },
    { "output-dir", required_argument, NULL, 'o' },
    { "quiet", no_argument, NULL, 'q' },
    { "redact", no_argument, NULL, OPT_REDACT },
    { "benchmark", required_argument, NULL, OPT_BENCHMARK },
    { "rule", required_argument, NULL, OPT_RULE },
    { "allow-domain", required_argument, NULL, OPT_ALLOW_DOMAIN },
    { "org-domain", required_argument, NULL, OPT_ORG_DOMAIN },
    { "subscriptions", required_argument, NULL, OPT_SUBSCRIPTIONS },
    { "waivers", required_argument, NULL, OPT_WAIVERS },
    { "csv", required_argument, NULL, OPT_CSV },
    { "oscal", required_argument, NULL, OPT_OSCAL },
    { "remediation", required_argument, NULL, OPT_REMEDIATION },
    { "remediation-email", required_argument, NULL, OPT_REMEDIATION_EMAIL },
    { "baseline", required_argument, NULL, OPT_BASELINE },
    { "read-size", required_argument, NULL, OPT_READ_SIZE }, /* for tests: bytes per read */
    { "manifest", required_argument, NULL, OPT_MANIFEST },
    { "collected-at", required_argument, NULL, OPT_COLLECTED_AT },
    { "max-age", required_argument, NULL, OPT_MAX_AGE },
    { "as-of", required_argument, NULL, OPT_AS_OF },
    { "max-entry-bytes", required_argument, NULL, OPT_MAX_ENTRY_BYTES },
    { "max-archive-bytes", required_argument, NULL, OPT_MAX_ARCHIVE_BYTES },
    { "max-archive-entries", required_argument, NULL, OPT_MAX_ARCHIVE_ENTRIES },
    { "help", no_argument, NULL, OPT_HELP },
    { "version", no_argument, NULL, OPT_VERSION },
    { NULL, 0, NULL, 0 }
};

/* A usage error: said like every other message, then the usage. */
static int usage_error(const char *what, const char *arg)
{
    struct diag d;
    diag_init(&d, stderr, 0);
    struct xbuf b = { 0 };
    xbuf_add(&b, what);
    if (arg) {
        xbuf_add(&b, ": ");
        xbuf_add(&b, arg);
    }
    char *text = xbuf_finish(&b);
    diag_emit(&d, NULL, 0, 0, D_USAGE, text, NULL);
    free(text);
    fputs(usage_text, stderr);
    return OUTCOME_EXIT_USAGE;
}

/* Storage main keeps for the options (argv strings are borrowed). */
struct main_lists {
    const char **allow, **org, **inputs, **emails;
    size_t n_allow, n_org, n_inputs, n_emails, cap_allow, cap_org, cap_inputs, cap_emails;
    char *junit, *html, *csv, *oscal, *fix; /* the paths -o makes */
};

static void main_push(const char ***list, size_t *n, size_t *cap, const char *s)
{
    xgrow(list, cap, *n + 1, sizeof **list);
    (*list)[(*n)++] = s;
}

static char *main_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Appends arg quoted for a POSIX shell when it needs it, so that the
 * command line in the reports can be run again as written. */
static void main_add_quoted(struct xbuf *b, const char *arg)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                "@%+=:,./-_";
    if (*arg && strspn(arg, plain) == strlen(arg)) {
        xbuf_add(b, arg);
        return;
    }
    xbuf_add(b, "'");
    for (const char *p = arg; *p; p++)
        xbuf_add(b, *p == '\'' ? "'\\''" : (char[]){ *p, '\0' });
    xbuf_add(b, "'");
}

/* The command line for the reports, with the program's own path reduced to
 * its name: where the binary was built is not part of the evidence, and
 * the example reports must not change with the build folder. */
static char *main_command_line(int argc, char **argv)
{
    struct xbuf b = { 0 };
    xbuf_add(&b, "azure-contact-audit");
    for (int i = 1; i < argc; i++) {
        xbuf_add(&b, " ");
        main_add_quoted(&b, argv[i]);
    }
    return xbuf_finish(&b);
}

/* Every --remediation-email must be deliverable under the run's policy
 * (checked once all options are read: --org-domain may come later). */
static int main_check_emails(const struct main_lists *l, const struct address_policy *policy)
{
    for (size_t i = 0; i < l->n_emails; i++) {
        const char *why = "";
        const char *a = l->emails[i];
        if (address_judge(a, strlen(a), policy, &why) != ADDRESS_DELIVERABLE) {
            size_t n = strlen(a) + strlen(why) + 4;
            char *arg = xmalloc(n);
            snprintf(arg, n, "%s (%s)", a, why);
            int rc = usage_error("--remediation-email is not a deliverable address", arg);
            free(arg);
            return rc;
        }
    }
    return 0;
}

/* -o DIR: each report not named by its own option goes into DIR. */
/* --max-entry-bytes, --max-archive-bytes, --max-archive-entries N. */
static int main_cap(struct archives_caps *caps, int option, const char *arg)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end || errno || n > INT64_MAX)
        return -1;
    if (option == OPT_MAX_ENTRY_BYTES)
        caps->entry_bytes = n;
    else if (option == OPT_MAX_ARCHIVE_BYTES)
        caps->total_bytes = n;
    else
        caps->entries = n;
    return 0;
}

static void main_output_dir(struct audit_options *opt, struct main_lists *l, const char *dir)
{
    /* -o makes its folder (not its parents): the README's first run
     * writes reports/out/ in a fresh clone. */
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        /* the audit still runs; writing the reports fails (exit 2) */
        struct diag d;
        diag_init(&d, stderr, opt->redact);
        diag_emit(&d, NULL, 0, 0, D_CANNOT_CREATE_FOLDER, dir, strerror(errno));
    }
    if (!opt->junit_path)
        opt->junit_path = l->junit = main_join(dir, "junit.xml");
    if (!opt->html_path)
        opt->html_path = l->html = main_join(dir, "report.html");
    if (!opt->csv_path)
        opt->csv_path = l->csv = main_join(dir, "results.csv");
    if (!opt->oscal_path)
        opt->oscal_path = l->oscal = main_join(dir, "assessment-results.json");
    if (!opt->remediation_path)
        opt->remediation_path = l->fix = main_join(dir, "remediation.sh");
}

/* "--org-domain: <why>: <domain>", the usage error for a domain argument. */
static int main_domain_error(const char *option, const char *why, const char *domain)
{
    char what[256];
    snprintf(what, sizeof what, "%s: %s", option, why);
    return usage_error(what, domain);
}

/* After the options: the checks that need all of them, -o, the audit. */
static int main_run(struct audit_options *opt, struct main_lists *l, const char *output_dir,
                    int argc, char **argv)
{
    opt->policy.allow_domains = l->allow;
    opt->policy.n_allow = l->n_allow;
    /* Checked once every --allow-domain is known: one may vouch for it. */
    for (size_t i = 0; i < l->n_org; i++) {
        const char *why = address_vet_org_domain(l->org[i], &opt->policy);
        if (why != NULL)
            return main_domain_error("--org-domain", why, l->org[i]);
    }
    opt->policy.org_domains = l->org;
    opt->policy.n_org = l->n_org;
    int rc = main_check_emails(l, &opt->policy);
    if (rc != 0)
        return rc;
    opt->fix_emails = l->emails;
    opt->n_fix_emails = l->n_emails;
    if (output_dir)
        main_output_dir(opt, l, output_dir);
    /* A closed pipe (| head -1) must be an error we report, not a silent
     * death before the reports are written. */
    signal(SIGPIPE, SIG_IGN);
    opt->inputs = l->inputs;
    opt->n_inputs = l->n_inputs;
    char *command = main_command_line(argc, argv);
    opt->command_line = command;
    rc = audit_run(opt);
    free(command);
    return rc;
}

static void main_free(struct main_lists *l)
{
    free(l->allow);
    free(l->org);
    free(l->inputs);
    free(l->emails);
    free(l->junit);
    free(l->html);
    free(l->csv);
    free(l->oscal);
    free(l->fix);
}

int main(int argc, char **argv)
{
    /* Before anything is read: from here on no socket can be opened. Where
     * the kernel has no seccomp the audit runs all the same (it opens none
     * of its own; tests/test_offline.sh checks with strace). */
    (void)offline_lock();
    struct audit_options opt = { 0 };
    struct main_lists l = { 0 };
    const char *output_dir = NULL;
    opt.edition = RULES_DEFAULT_EDITION;
    opt.chain.max_age_days = -1;
    archives_caps_init(&opt.caps);
    int has_time;
    opt.rules = 1u << RULE_CONTACT_EMAIL;
    int c, rc;
    /* getopt's own messages would not follow the diagnostics format. */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:q", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_JUNIT: opt.junit_path = optarg; break;
        case OPT_HTML: opt.html_path = optarg; break;
        case 'o': output_dir = optarg; break;
        case 'q': opt.quiet = 1; break;
        case OPT_REDACT: opt.redact = 1; break;
        case OPT_BENCHMARK:
            if (!rules_edition_known(optarg))
                return usage_error("unknown benchmark edition", optarg);
            opt.edition = optarg;
            break;
        case OPT_RULE:
            if (strcmp(optarg, "all") == 0) {
                opt.rules = (1u << RULE_COUNT) - 1;
            } else if (rules_find(optarg) >= 0) {
                opt.rules |= 1u << rules_find(optarg);
            } else {
                return usage_error("unknown rule", optarg);
            }
            break;
        case OPT_ALLOW_DOMAIN: {
            const char *why = address_vet_allow_domain(optarg);
            if (why != NULL)
                return main_domain_error("--allow-domain", why, optarg);
            main_push(&l.allow, &l.n_allow, &l.cap_allow, optarg);
            break;
        }
        case OPT_ORG_DOMAIN: main_push(&l.org, &l.n_org, &l.cap_org, optarg); break;
        case OPT_SUBSCRIPTIONS:
            main_push(&l.inputs, &l.n_inputs, &l.cap_inputs, optarg);
            opt.inventory_path = optarg;
            break;
        case OPT_WAIVERS: opt.waivers_path = optarg; break;
        case OPT_MANIFEST: opt.chain.manifest_path = optarg; break;
        case OPT_COLLECTED_AT:
            if (!manifests_parse_time(optarg, 1, &opt.chain.collected_at, &has_time))
                return usage_error("--collected-at takes YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
                                   optarg);
            opt.chain.has_collected_at = 1;
            break;
        case OPT_AS_OF:
            if (!manifests_parse_time(optarg, 1, &opt.chain.as_of, &has_time))
                return usage_error("--as-of takes YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", optarg);
            if (!has_time)
                opt.chain.as_of += 86399; /* a day counts to its end */
            opt.has_as_of = 1;
            break;
        case OPT_MAX_AGE: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || optarg[0] < '0' || optarg[0] > '9' || n > 36500)
                return usage_error("--max-age takes a number of days, 0 to 36500", optarg);
            opt.chain.max_age_days = n;
            break;
        }
        case OPT_CSV: opt.csv_path = optarg; break;
        case OPT_OSCAL: opt.oscal_path = optarg; break;
        case OPT_REMEDIATION: opt.remediation_path = optarg; break;
        case OPT_REMEDIATION_EMAIL: main_push(&l.emails, &l.n_emails, &l.cap_emails, optarg); break;
        case OPT_BASELINE: opt.baseline_path = optarg; break;
        case OPT_MAX_ENTRY_BYTES:
        case OPT_MAX_ARCHIVE_BYTES:
        case OPT_MAX_ARCHIVE_ENTRIES:
            if (main_cap(&opt.caps, c, optarg) != 0)
                return usage_error("an archive cap takes a whole number (0 to 2^63)", optarg);
            break;
        case OPT_READ_SIZE: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > (1L << 24))
                return usage_error("--read-size takes 1 to 16777216", optarg);
            opt.read_size = (size_t)n;
            break;
        }
        case OPT_HELP:
            fputs(usage_text, stdout);
            return fflush(stdout) == 0 ? 0 : OUTCOME_EXIT_INTERNAL;
        case OPT_VERSION:
            /* The first line stays "NAME VERSION": scripts read it. */
            printf("azure-contact-audit %s\nLicense ISC: see LICENSE "
                   "(/usr/share/doc/azure-contact-audit/copyright when installed).\n",
                   PACKAGE_VERSION);
            return fflush(stdout) == 0 ? 0 : OUTCOME_EXIT_INTERNAL;
        case ':': return usage_error("option needs an argument", argv[optind - 1]);
        default: return usage_error("unrecognized option", argv[optind - 1]);
        }
    }
    if (optind >= argc && l.n_inputs == 0)
        return usage_error("no EVIDENCE given", NULL);
    for (int i = optind; i < argc; i++)
        main_push(&l.inputs, &l.n_inputs, &l.cap_inputs, argv[i]);
    rc = main_run(&opt, &l, output_dir, argc, argv);
    main_free(&l);
    return rc;
}
