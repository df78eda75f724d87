/* azure-contact-audit: command-line entry point. Parses options, then hands
 * the pipeline to audit_run(); everything else lives in the library. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "address.h"
#include "audit.h"
#include "diag.h"
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
    "  -o, --output-dir DIR   write DIR/junit.xml and DIR/report.html\n"
    "  -q, --quiet     print only the summary line\n"
    "  --redact        mask addresses (j***@example.org) in reports and output\n"
    "  --benchmark EDITION    CIS edition whose control ids are shown (default 1.5.0)\n"
    "  --rule NAME     also decide contact-email, alert-severity or notify-owners (or all)\n"
    "  --allow-domain D       count addresses in D even if it is reserved or a sample\n"
    "  --org-domain D  only addresses in D or its subdomains count (repeatable)\n"
    "  --subscriptions FILE   read a subscription inventory (az account list)\n"
    "  --waivers FILE  accepted risks: a FAIL they cover is reported as WAIVED\n"
    "  --baseline FILE a previous JUnit report of this tool: mark what changed since\n"
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
    OPT_BASELINE,
    OPT_READ_SIZE
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
    { "baseline", required_argument, NULL, OPT_BASELINE },
    { "read-size", required_argument, NULL, OPT_READ_SIZE }, /* for tests: bytes per read */
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
    const char **allow, **org, **inputs;
    size_t n_allow, n_org, n_inputs, cap_allow, cap_org, cap_inputs;
    char *junit, *html;
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

static int main_domain_arg(const char ***list, size_t *n, size_t *cap, const char *d)
{
    if (!address_domain_is_valid(d, strlen(d)))
        return -1;
    main_push(list, n, cap, d);
    return 0;
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
        case OPT_ALLOW_DOMAIN:
            if (main_domain_arg(&l.allow, &l.n_allow, &l.cap_allow, optarg) != 0)
                return usage_error("not a domain name", optarg);
            break;
        case OPT_ORG_DOMAIN:
            if (main_domain_arg(&l.org, &l.n_org, &l.cap_org, optarg) != 0)
                return usage_error("not a domain name", optarg);
            break;
        case OPT_SUBSCRIPTIONS:
            main_push(&l.inputs, &l.n_inputs, &l.cap_inputs, optarg);
            opt.inventory_path = optarg;
            break;
        case OPT_WAIVERS: opt.waivers_path = optarg; break;
        case OPT_BASELINE: opt.baseline_path = optarg; break;
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
        case OPT_VERSION: printf("azure-contact-audit %s\n", PACKAGE_VERSION); return 0;
        case ':': return usage_error("option needs an argument", argv[optind - 1]);
        default: return usage_error("unrecognized option", argv[optind - 1]);
        }
    }
    if (optind >= argc && l.n_inputs == 0)
        return usage_error("no EVIDENCE given", NULL);
    for (int i = optind; i < argc; i++)
        main_push(&l.inputs, &l.n_inputs, &l.cap_inputs, argv[i]);
    if (output_dir) {
        /* -o makes its folder (not its parents): the README's first run
         * writes reports/out/ in a fresh clone. */
        if (mkdir(output_dir, 0777) != 0 && errno != EEXIST) {
            /* the audit still runs; writing the reports fails (exit 2) */
            struct diag d;
            diag_init(&d, stderr, opt.redact);
            diag_emit(&d, NULL, 0, 0, D_CANNOT_CREATE_FOLDER, output_dir, strerror(errno));
        }
        if (!opt.junit_path)
            opt.junit_path = l.junit = main_join(output_dir, "junit.xml");
        if (!opt.html_path)
            opt.html_path = l.html = main_join(output_dir, "report.html");
    }
    /* A closed pipe (| head -1) must be an error we report, not a silent
     * death before the reports are written. */
    signal(SIGPIPE, SIG_IGN);
    opt.policy.allow_domains = l.allow;
    opt.policy.n_allow = l.n_allow;
    opt.policy.org_domains = l.org;
    opt.policy.n_org = l.n_org;
    opt.inputs = l.inputs;
    opt.n_inputs = l.n_inputs;
    char *command = main_command_line(argc, argv);
    opt.command_line = command;
    rc = audit_run(&opt);
    free(command);
    free(l.allow);
    free(l.org);
    free(l.inputs);
    free(l.junit);
    free(l.html);
    return rc;
}
