/* SPDX-License-Identifier: ISC */
/* Contact records: consumes the JSON stream of one evidence file and turns
 * every shape Azure exports take (REST list or object, bare array, az CLI
 * flattened, PowerShell PascalCase, Resource Graph rows, jq one-liner
 * output, error bodies, subscription inventories) into flat records for the
 * verdict stage. Key matching is case-insensitive; unknown members are
 * skipped at any depth; nothing is kept beyond the object being read. */
#ifndef CONTACTS_H
#define CONTACTS_H

#include <stddef.h>

#include "diag.h"
#include "evidence.h"
#include "guid.h"
#include "jstream.h"

/* api-version generations, as a bit set in evidence_file.api_versions. */
enum contact_api {
    CONTACT_API_2017 = 1, /* 2017-08-01-preview: email, alertsToAdmins */
    CONTACT_API_2020 = 2, /* 2020-01-01-preview: emails, alertNotifications{} */
    CONTACT_API_2023 = 4  /* 2023-12-01-preview: isEnabled, notificationsSources */
};

enum contact_emails {
    CONTACT_EMAILS_ABSENT, /* no email/emails member at all */
    CONTACT_EMAILS_NULL,
    CONTACT_EMAILS_STRING, /* the ';'-separated string the API stores */
    CONTACT_EMAILS_LIST,   /* a JSON array of strings (2020 draft schema) */
    CONTACT_EMAILS_BAD     /* a number, boolean or object: see problem */
};

/* On/Off switches and booleans as found, UNSET when absent, OTHER when
 * present but not understood (e.g. PowerShell's depth-truncated strings). */
enum contact_switch { CONTACT_UNSET, CONTACT_ON, CONTACT_OFF, CONTACT_OTHER };
enum contact_severity {
    SEVERITY_UNSET,
    SEVERITY_LOW,
    SEVERITY_MEDIUM,
    SEVERITY_HIGH,
    SEVERITY_OTHER
};

/* One contact as read. Every pointer is borrowed for the duration of the
 * sink call; copy what you keep. Strings are strict UTF-8 with a length. */
struct contact_record {
    const struct evidence_file *file;
    int has_subscription;
    guid_text subscription;
    const char *subscription_source; /* "id", "subscriptionId", "file path" */
    const char *name;                /* NULL when the evidence names none */
    size_t name_len;
    const char *emails; /* the value (a list is joined with ';') */
    size_t emails_len;
    enum contact_emails emails_kind;
    const char *emails_member;     /* "emails" or "email" */
    const char *problem;           /* set when the record is ambiguous */
    struct jstream_pos pos;        /* where the contact starts */
    struct jstream_pos emails_pos; /* where its email(s) value starts */
    enum contact_switch enabled;   /* isEnabled */
    enum contact_switch alerts;    /* alert e-mails: 2017 string, 2020 state, 2023 Alert source */
    enum contact_severity alert_severity;
    enum contact_switch notify_roles; /* notificationsByRole.state, 2017 alertsToAdmins */
    int roles_include_owner;
    unsigned api;              /* enum contact_api bits */
    int addresses_only;        /* only an emails value was saved (jq, az --query) */
    const char *last_modified; /* systemData.lastModifiedAt as written, or NULL */
    unsigned long document;    /* which JSON document of the file, from 0 */
};

/* Where the records go. All callbacks are required. */
struct contact_sink {
    void (*record)(void *ctx, const struct contact_record *rec);
    /* An empty contact list: evidence that sub has no contact. */
    void (*no_contacts)(void *ctx, const struct evidence_file *file, const guid_text sub,
                        const struct jstream_pos *pos);
    /* {"error":{...}}; sub is NULL when neither body nor path names one. */
    void (*error_body)(void *ctx, const struct evidence_file *file, const char *sub,
                       const char *code, const char *message, const struct jstream_pos *pos);
    /* One subscription of an inventory (az account list, REST /subscriptions). */
    void (*inventory)(void *ctx, const struct evidence_file *file, const guid_text sub,
                      const char *display_name, const char *state, const struct jstream_pos *pos);
    void (*diagnose)(void *ctx, const struct evidence_file *file, enum diag_id id,
                     const struct jstream_pos *pos, const char *a1, const char *a2);
};

struct contacts;

/* What the builder found in one file, for the file's row in the reports. */
struct contacts_summary {
    const char *shape;     /* static: "REST list (value envelope)", ... ("" before any) */
    unsigned api_versions; /* bit set of enum contact_api */
    unsigned long documents, records, error_bodies, inventory_entries, ignored_objects;
    int more_pages; /* a nextLink, skip token or resultTruncated says the list goes on */
    /* The subscriptions its evidence names: the path's, and others. */
    int names_path_subscription;
    unsigned long other_subscriptions; /* how many times a new other one was met */
    guid_text other_subscription;      /* the first other one */
};

/* Reads one file's stream; file (borrowed, read only) must outlive the
 * builder. Free with contacts_free(). */
struct contacts *contacts_alloc(const struct evidence_file *file, const struct contact_sink *sink,
                                void *ctx);
void contacts_free(struct contacts *c);
/* The handler to give jstream_alloc() with this builder as ctx. */
extern const struct jstream_handler contacts_jstream_handler;
/* The subscription named so far by the object being read when the stream
 * failed (its id or subscriptionId): a broken file still counts as evidence
 * for the subscription its body names. Returns 1 and fills out, or 0. */
int contacts_pending_subscription(const struct contacts *c, guid_text out);
void contacts_summarise(const struct contacts *c, struct contacts_summary *out);
/* After the stream ended cleanly: returns 0, or -1 with *fault set when
 * the file held nothing we recognise. */
int contacts_finish(struct contacts *c, struct diag_fault *fault);

#endif
