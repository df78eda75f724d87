/* SPDX-License-Identifier: ISC */
/* Contact records: a small role machine over JSON events (see contacts.h). */
#include "config.h"

#include "contacts.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

/* Identifiers and names are short; longer values are cut for display only
 * (the subscription is taken from the first bytes of an id). */
#define CONTACTS_FIELD_MAX 4096

enum contacts_key {
    K_OTHER,
    K_ID,
    K_NAME,
    K_TYPE,
    K_SUBSCRIPTION_ID,
    K_PROPERTIES,
    K_EMAIL,
    K_EMAILS,
    K_IS_ENABLED,
    K_ALERT_NOTIFICATIONS,
    K_ALERTS_TO_ADMINS,
    K_NOTIFICATIONS_BY_ROLE,
    K_NOTIFICATIONS_SOURCES,
    K_STATE,
    K_MINIMAL_SEVERITY,
    K_ROLES,
    K_SOURCE_TYPE,
    K_VALUE,
    K_DATA,
    K_ERROR,
    K_CODE,
    K_MESSAGE,
    K_DISPLAY_NAME,
    K_TENANT_ID,
    K_CLOUD_NAME,
    K_IS_DEFAULT,
    K_COUNT,
    K_NEXT_LINK,
    K_SKIP_TOKEN,
    K_TOTAL_RECORDS,
    K_SKIP_TOKEN_ARG,
    K_RESULT_TRUNCATED,
    K_SYSTEM_DATA,
    K_LAST_MODIFIED_AT
};

/* Member names we read; the length is stored to skip most comparisons. */
#define CONTACTS_KEY(name, key)                                                                    \
    {                                                                                              \
        name, sizeof name - 1, key                                                                 \
    }
struct contacts_key_name {
    const char *name;
    size_t len;
    enum contacts_key key;
};
static const struct contacts_key_name contacts_keys[] = {
    CONTACTS_KEY("id", K_ID),
    CONTACTS_KEY("name", K_NAME),
    CONTACTS_KEY("type", K_TYPE),
    CONTACTS_KEY("subscriptionId", K_SUBSCRIPTION_ID),
    CONTACTS_KEY("properties", K_PROPERTIES),
    CONTACTS_KEY("email", K_EMAIL),
    CONTACTS_KEY("emails", K_EMAILS),
    CONTACTS_KEY("isEnabled", K_IS_ENABLED),
    CONTACTS_KEY("alertNotifications", K_ALERT_NOTIFICATIONS),
    CONTACTS_KEY("alertsToAdmins", K_ALERTS_TO_ADMINS),
    CONTACTS_KEY("notificationsByRole", K_NOTIFICATIONS_BY_ROLE),
    CONTACTS_KEY("notificationsSources", K_NOTIFICATIONS_SOURCES),
    CONTACTS_KEY("state", K_STATE),
    CONTACTS_KEY("minimalSeverity", K_MINIMAL_SEVERITY),
    CONTACTS_KEY("roles", K_ROLES),
    CONTACTS_KEY("sourceType", K_SOURCE_TYPE),
    CONTACTS_KEY("value", K_VALUE),
    CONTACTS_KEY("data", K_DATA),
    CONTACTS_KEY("error", K_ERROR),
    CONTACTS_KEY("code", K_CODE),
    CONTACTS_KEY("message", K_MESSAGE),
    CONTACTS_KEY("displayName", K_DISPLAY_NAME),
    CONTACTS_KEY("tenantId", K_TENANT_ID),
    CONTACTS_KEY("cloudName", K_CLOUD_NAME),
    CONTACTS_KEY("isDefault", K_IS_DEFAULT),
    CONTACTS_KEY("count", K_COUNT),
    CONTACTS_KEY("nextLink", K_NEXT_LINK),
    CONTACTS_KEY("skip_token", K_SKIP_TOKEN),
    CONTACTS_KEY("total_records", K_TOTAL_RECORDS),
    CONTACTS_KEY("$skipToken", K_SKIP_TOKEN_ARG),
    CONTACTS_KEY("resultTruncated", K_RESULT_TRUNCATED),
    CONTACTS_KEY("systemData", K_SYSTEM_DATA),
    CONTACTS_KEY("lastModifiedAt", K_LAST_MODIFIED_AT),
};

enum contacts_role {
    R_SKIP,       /* not ours: only nesting is followed */
    R_ROOT_MAP,   /* a top-level object: contact, envelope, error or inventory row */
    R_LIST,       /* an array of items: top level, value[] or data[] */
    R_ITEM,       /* an object in a list */
    R_PROPERTIES, /* properties{} of a root map or item */
    R_ALERTS,     /* alertNotifications{} */
    R_ROLES,      /* notificationsByRole{} */
    R_ROLE_NAMES, /* notificationsByRole.roles[] */
    R_SOURCES,    /* notificationsSources[] */
    R_SOURCE,     /* one notificationsSources item */
    R_EMAIL_LIST, /* emails[] (draft schema) */
    R_ERROR,      /* error{} */
    R_SYSTEM_DATA /* systemData{} (ARM): when the contact was last changed */
};

/* Growable text with a cap; set marks presence. */
struct contacts_text {
    char *s;
    size_t len, cap;
    int set;
};

/* What is known so far of one root map or item. */
struct contacts_acc {
    struct jstream_pos pos;
    struct contacts_text id, name, type, subscription_id, display_name, state;
    struct contacts_text emails, error_code, error_message, last_modified;
    enum contact_emails emails_kind;
    const char *emails_member;
    struct jstream_pos emails_pos;
    int emails_members;  /* how many email/emails members: >1 is ambiguous */
    int enabled_members; /* how many isEnabled members */
    char problem[256];
    struct jstream_pos problem_pos; /* where the problem is, for stderr */
    enum contact_switch enabled, alerts, notify_roles;
    enum contact_severity alert_severity;
    int roles_include_owner;
    unsigned api;
    int saw_properties, saw_error, saw_tenant, saw_inventory_marker, saw_envelope;
    int properties_members; /* how many properties members: >1 is ambiguous */
    int values;             /* value[] or data[] members of an envelope */
    int addresses_only;     /* a bare emails value (jq output): no switches shown */
    int lists, list_items;  /* value[]/data[] seen, and their item count */
    int is_arg;             /* Resource Graph envelope */
    int key_pascal;         /* the member being read is spelled PascalCase */
};

struct contacts_frame {
    enum contacts_role role;
    enum contacts_key key; /* last key seen in this map */
    int is_map;
    /* per-frame scratch for R_SOURCE and R_LIST */
    enum contact_severity source_severity;
    int source_is_alert, source_type_seen;
    unsigned long items;
    struct jstream_pos pos;
};

struct contacts {
    const struct evidence_file *file;
    struct contacts_summary sum;
    struct diag_fault envelope_fault; /* a second value[] in one envelope */
    const struct contact_sink *sink;
    void *ctx;
    struct contacts_frame *frames;
    size_t depth, cap;
    struct contacts_acc root, item;
    unsigned long empty_lists, arg_empty;
    unsigned long documents;
    const char *doc_shape;
};

/* ---- small helpers ------------------------------------------------------ */

/* ASCII case-insensitive equality of n bytes, whatever the locale; name is
 * a member name of the table. Inline: it runs for every key of every
 * object. */
static int contacts_key_equal(const char *name, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)name[i], b = (unsigned char)s[i];
        /* different bytes match only as the two cases of one letter */
        if (a != b && ((a | 0x20) != (b | 0x20) || (a | 0x20) < 'a' || (a | 0x20) > 'z'))
            return 0;
    }
    return 1;
}

/* Keys are found through an index of the table, made once for the whole
 * program: every key of every object of the evidence is looked up. Open
 * addressing; a slot holds a table index + 1, 0 when empty. */
#define CONTACTS_KEY_SLOTS 64
static unsigned char contacts_key_slots[CONTACTS_KEY_SLOTS];
static pthread_once_t contacts_keys_indexed = PTHREAD_ONCE_INIT;

/* The slot where the search for a key of len > 0 bytes starts: from its
 * length and its first and last bytes, either case of a letter alike (as
 * contacts_key_equal takes them). */
static unsigned contacts_key_hash(const char *s, size_t len)
{
    unsigned first = (unsigned char)s[0] | 0x20, last = (unsigned char)s[len - 1] | 0x20;
    return ((unsigned)len * 7 + first * 3 + last) & (CONTACTS_KEY_SLOTS - 1);
}

static void contacts_index_keys(void)
{
    for (size_t i = 0; i < sizeof contacts_keys / sizeof *contacts_keys; i++) {
        unsigned h = contacts_key_hash(contacts_keys[i].name, contacts_keys[i].len);
        while (contacts_key_slots[h])
            h = (h + 1) & (CONTACTS_KEY_SLOTS - 1);
        contacts_key_slots[h] = (unsigned char)(i + 1);
    }
}

static enum contacts_key contacts_key_of(const char *s, size_t len)
{
    if (len == 0)
        return K_OTHER;
    for (unsigned h = contacts_key_hash(s, len); contacts_key_slots[h];
         h = (h + 1) & (CONTACTS_KEY_SLOTS - 1)) {
        const struct contacts_key_name *k = &contacts_keys[contacts_key_slots[h] - 1];
        if (k->len == len && contacts_key_equal(k->name, s, len))
            return k->key;
    }
    return K_OTHER;
}

static void contacts_text_set(struct contacts_text *t, const char *s, size_t len, size_t max)
{
    if (len > max)
        len = max;
    xgrow(&t->s, &t->cap, len + 1, 1);
    memcpy(t->s, s, len);
    t->s[len] = '\0';
    t->len = len;
    t->set = 1;
}

static void contacts_text_append(struct contacts_text *t, const char *s, size_t len, char sep)
{
    size_t need = t->len + len + 2;
    xgrow(&t->s, &t->cap, need, 1);
    if (t->len > 0)
        t->s[t->len++] = sep;
    memcpy(t->s + t->len, s, len);
    t->len += len;
    t->s[t->len] = '\0';
    t->set = 1;
}

/* needle is lowercase and starts with a letter or '/': the first byte is
 * compared with its 0x20 bit set before the full case-insensitive test. */
static int contacts_text_contains(const struct contacts_text *t, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; t->set && i + n <= t->len; i++) {
        if (needle[0] == '/') { /* (no case to fold) straight to the next one */
            const char *slash = memchr(t->s + i, '/', t->len - n + 1 - i);
            if (slash == NULL)
                return 0;
            i = (size_t)(slash - t->s);
        } else if (((unsigned char)t->s[i] | 0x20) != (unsigned char)needle[0]) {
            continue;
        }
        if (strncasecmp(t->s + i, needle, n) == 0)
            return 1;
    }
    return 0;
}

static void contacts_acc_reset(struct contacts_acc *a)
{
    struct contacts_text *texts[] = {
        &a->id,    &a->name,   &a->type,       &a->subscription_id, &a->display_name,
        &a->state, &a->emails, &a->error_code, &a->error_message,   &a->last_modified
    };
    struct contacts_text keep[sizeof texts / sizeof *texts];
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        keep[i] = *texts[i];
        keep[i].len = 0;
        keep[i].set = 0;
    }
    memset(a, 0, sizeof *a);
    /* Buffers are reused from one object to the next: no allocation per
     * contact once the largest one has been seen. */
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        *texts[i] = keep[i];
}

static void contacts_acc_free(struct contacts_acc *a)
{
    free(a->id.s);
    free(a->name.s);
    free(a->type.s);
    free(a->subscription_id.s);
    free(a->display_name.s);
    free(a->state.s);
    free(a->emails.s);
    free(a->error_code.s);
    free(a->error_message.s);
    free(a->last_modified.s);
}

static enum contact_switch contacts_switch_of(const char *s, size_t len)
{
    if ((len == 2 && strncasecmp(s, "on", 2) == 0) || (len == 4 && strncasecmp(s, "true", 4) == 0))
        return CONTACT_ON;
    if ((len == 3 && strncasecmp(s, "off", 3) == 0) ||
        (len == 5 && strncasecmp(s, "false", 5) == 0))
        return CONTACT_OFF;
    return CONTACT_OTHER;
}

static enum contact_severity contacts_severity_of(const char *s, size_t len)
{
    if (len == 4 && strncasecmp(s, "high", 4) == 0)
        return SEVERITY_HIGH;
    if (len == 6 && strncasecmp(s, "medium", 6) == 0)
        return SEVERITY_MEDIUM;
    if (len == 3 && strncasecmp(s, "low", 3) == 0)
        return SEVERITY_LOW;
    return SEVERITY_OTHER;
}

static const char *contacts_scalar_name(enum jstream_scalar t)
{
    switch (t) {
    case JSTREAM_STRING: return "string";
    case JSTREAM_NUMBER: return "number";
    case JSTREAM_TRUE:
    case JSTREAM_FALSE: return "boolean";
    case JSTREAM_NULL: return "null";
    }
    return "value";
}

/* The same, as a phrase: "a string", "null". */
static const char *contacts_scalar_phrase(enum jstream_scalar t)
{
    switch (t) {
    case JSTREAM_STRING: return "a string";
    case JSTREAM_NUMBER: return "a number";
    case JSTREAM_TRUE:
    case JSTREAM_FALSE: return "a boolean";
    case JSTREAM_NULL: return "null";
    }
    return "a value";
}

static struct contacts_frame *contacts_top(struct contacts *c)
{
    return c->depth ? &c->frames[c->depth - 1] : NULL;
}

/* The accumulator that a frame's members describe. */
static struct contacts_acc *contacts_owner(struct contacts *c)
{
    for (size_t i = c->depth; i-- > 0;) {
        if (c->frames[i].role == R_ITEM)
            return &c->item;
        if (c->frames[i].role == R_ROOT_MAP)
            return &c->root;
    }
    return &c->root;
}

/* The first thing that makes the contact unreadable: its record becomes an
 * ERROR for its subscription (fail closed), with this message. */
static void contacts_problem_is(struct contacts_acc *a, enum diag_id id, const char *a1,
                                const char *a2, const struct jstream_pos *pos)
{
    if (a->problem[0] != '\0')
        return;
    a->problem_pos = *pos;
    char *msg = diag_format(id, a1, a2);
    strncpy(a->problem, msg, sizeof a->problem - 1);
    free(msg);
}

/* A member given twice (what == NULL) or of a type we cannot read. */
static void contacts_problem(struct contacts_acc *a, const char *member, const char *what,
                             const struct jstream_pos *pos)
{
    contacts_problem_is(a, what ? D_UNEXPECTED_TYPE : D_DUPLICATE_MEMBER, member, what, pos);
}

/* ---- reading members ------------------------------------------------------ */

static void contacts_emails_seen(struct contacts_acc *a, enum contacts_key key,
                                 const struct jstream_pos *pos)
{
    a->emails_member = key == K_EMAIL ? "email" : "emails";
    a->emails_pos = *pos;
    if (++a->emails_members > 1)
        contacts_problem(a, a->emails_member, NULL, pos);
    /* camelCase "email" is the 2017 API; PowerShell's PascalCase "Email"
     * holds the 2020 list too, so it says nothing about the version. */
    if (key == K_EMAIL && !a->key_pascal)
        a->api |= CONTACT_API_2017;
}

static void contacts_is_enabled_seen(struct contacts_acc *a, const struct jstream_pos *pos)
{
    if (++a->enabled_members > 1)
        contacts_problem(a, "isEnabled", NULL, pos);
    a->api |= CONTACT_API_2023;
}

static void contacts_identity(struct contacts_acc *a, struct contacts_text *t, const char *member,
                              int str, const char *s, size_t len, const struct jstream_pos *pos)
{
    if (!str)
        return;
    if (t->set)
        contacts_problem(a, member, NULL, pos);
    contacts_text_set(t, s, len, CONTACTS_FIELD_MAX);
}

/* A member that says the list goes on beyond this page: a nextLink or skip
 * token that is set, or Resource Graph's resultTruncated true. */
static int contacts_more_pages(enum contacts_key key, enum jstream_scalar type, const char *s,
                               size_t len)
{
    if (key == K_RESULT_TRUNCATED)
        return type == JSTREAM_TRUE ||
               (type == JSTREAM_STRING && len == 4 && strncasecmp(s, "true", 4) == 0);
    return (key == K_NEXT_LINK || key == K_SKIP_TOKEN || key == K_SKIP_TOKEN_ARG) &&
           type == JSTREAM_STRING && len > 0;
}

/* A second properties member: a last-wins reader (jq, Python, PowerShell)
 * would see only the one, this tool cannot know which. */
static void contacts_properties_seen(struct contacts_acc *a, const struct jstream_pos *pos)
{
    if (++a->properties_members > 1)
        contacts_problem(a, "properties", NULL, pos);
}

static void contacts_record_scalar(struct contacts *c, struct contacts_acc *a,
                                   enum contacts_key key, enum jstream_scalar type, const char *s,
                                   size_t len, const struct jstream_pos *pos)
{
    int str = type == JSTREAM_STRING;
    switch (key) {
    /* A second id, name or subscriptionId could move the contact to another
     * subscription or hide it: ambiguous, like a second emails. */
    case K_ID: contacts_identity(a, &a->id, "id", str, s, len, pos); break;
    case K_NAME: contacts_identity(a, &a->name, "name", str, s, len, pos); break;
    case K_TYPE:
        if (str)
            contacts_text_set(&a->type, s, len, CONTACTS_FIELD_MAX);
        break;
    case K_SUBSCRIPTION_ID:
        contacts_identity(a, &a->subscription_id, "subscriptionId", str, s, len, pos);
        break;
    case K_DISPLAY_NAME:
        if (str)
            contacts_text_set(&a->display_name, s, len, CONTACTS_FIELD_MAX);
        break;
    case K_STATE:
        if (str)
            contacts_text_set(&a->state, s, len, CONTACTS_FIELD_MAX);
        break;
    case K_TENANT_ID: a->saw_tenant = 1; break;
    case K_CLOUD_NAME:
    case K_IS_DEFAULT: a->saw_inventory_marker = 1; break;
    case K_COUNT:
    case K_NEXT_LINK:
    case K_SKIP_TOKEN:
    case K_SKIP_TOKEN_ARG:
    case K_TOTAL_RECORDS:
    case K_RESULT_TRUNCATED:
        a->saw_envelope = 1;
        /* More pages exist; one of them may hold the contact this page lacks. */
        if (contacts_more_pages(key, type, s, len)) {
            c->sum.more_pages = 1;
            c->sink->diagnose(c->ctx, c->file, D_NEXT_LINK, pos, NULL, NULL);
        }
        if (key == K_SKIP_TOKEN || key == K_SKIP_TOKEN_ARG || key == K_TOTAL_RECORDS ||
            key == K_RESULT_TRUNCATED)
            a->is_arg = 1;
        break;
    case K_EMAIL:
    case K_EMAILS:
        contacts_emails_seen(a, key, pos);
        if (type == JSTREAM_NULL) {
            a->emails_kind = CONTACT_EMAILS_NULL;
        } else if (str) {
            a->emails_kind = CONTACT_EMAILS_STRING;
            contacts_text_set(&a->emails, s, len, (size_t)-1);
        } else {
            a->emails_kind = CONTACT_EMAILS_BAD;
            contacts_problem(a, a->emails_member, contacts_scalar_name(type), pos);
        }
        break;
    case K_IS_ENABLED:
        contacts_is_enabled_seen(a, pos);
        /* null is no setting: as if absent (on), like the service reads it. */
        a->enabled = type == JSTREAM_TRUE    ? CONTACT_ON
                     : type == JSTREAM_FALSE ? CONTACT_OFF
                     : type == JSTREAM_NULL  ? CONTACT_UNSET
                     : str                   ? contacts_switch_of(s, len)
                                             : CONTACT_OTHER;
        /* Neither true nor false: the contact may be off. Fail closed. */
        if (a->enabled == CONTACT_OTHER)
            contacts_problem(a, "isEnabled",
                             str ? "string (not true/false)" : contacts_scalar_name(type), pos);
        break;
    case K_ALERT_NOTIFICATIONS:
        /* 2017 "On"/"Off"; PowerShell's depth-truncated "@{...}" is OTHER
         * (it stood for the 2020 object). */
        a->alerts = str ? contacts_switch_of(s, len) : CONTACT_OTHER;
        a->api |= a->alerts != CONTACT_OTHER ? CONTACT_API_2017 : CONTACT_API_2020;
        break;
    case K_PROPERTIES:
        /* ConvertTo-Json writes what lies below its -Depth (2 by default)
         * as a string "@{emails=...; ...}": the settings are there but
         * cannot be read. Any other scalar is no better. */
        contacts_properties_seen(a, pos);
        contacts_problem_is(a, D_PROPERTIES_NOT_OBJECT, contacts_scalar_phrase(type), NULL, pos);
        break;
    case K_ALERTS_TO_ADMINS:
        a->api |= CONTACT_API_2017;
        a->notify_roles = str ? contacts_switch_of(s, len) : CONTACT_OTHER;
        break;
    case K_NOTIFICATIONS_BY_ROLE: a->notify_roles = CONTACT_OTHER; break;
    default: break;
    }
}

/* Opens a container inside a root map, item or properties. */
static enum contacts_role contacts_member_container(struct contacts *c, struct contacts_acc *a,
                                                    enum contacts_role parent,
                                                    enum contacts_key key, int is_map,
                                                    const struct jstream_pos *pos)
{
    switch (key) {
    case K_PROPERTIES:
        if (parent == R_PROPERTIES)
            return R_SKIP;
        contacts_properties_seen(a, pos);
        if (is_map) {
            a->saw_properties = 1;
            return R_PROPERTIES;
        }
        contacts_problem_is(a, D_PROPERTIES_NOT_OBJECT, "an array", NULL, pos);
        return R_SKIP;
    case K_VALUE:
    case K_DATA:
        if (!is_map && parent == R_ROOT_MAP) {
            a->saw_envelope = 1;
            a->lists++;
            /* A second list in one envelope: which one a reader keeps
             * depends on the reader. */
            if (++a->values > 1 && !diag_faulted(&c->envelope_fault))
                diag_fault_set(&c->envelope_fault, D_DUPLICATE_LIST,
                               key == K_DATA ? "data" : "value", NULL, pos->line, pos->col);
            if (key == K_DATA)
                a->is_arg = 1;
            return R_LIST;
        }
        return R_SKIP;
    case K_SYSTEM_DATA: return is_map && parent != R_PROPERTIES ? R_SYSTEM_DATA : R_SKIP;
    case K_ERROR:
        if (is_map && parent == R_ROOT_MAP) {
            a->saw_error = 1;
            return R_ERROR;
        }
        return R_SKIP;
    case K_EMAIL:
    case K_EMAILS:
        contacts_emails_seen(a, key, pos);
        if (!is_map) {
            a->emails_kind = CONTACT_EMAILS_LIST;
            a->emails.len = 0;
            a->emails.set = 1;
            return R_EMAIL_LIST;
        }
        a->emails_kind = CONTACT_EMAILS_BAD;
        contacts_problem(a, a->emails_member, "object", pos);
        return R_SKIP;
    case K_ALERT_NOTIFICATIONS:
        if (is_map) {
            a->api |= CONTACT_API_2020;
            return R_ALERTS;
        }
        return R_SKIP;
    case K_NOTIFICATIONS_BY_ROLE: return is_map ? R_ROLES : R_SKIP;
    case K_NOTIFICATIONS_SOURCES:
        /* PowerShell 5.1 writes a one-element array as the element. */
        a->api |= CONTACT_API_2023;
        return is_map ? R_SOURCE : R_SOURCES;
    case K_IS_ENABLED:
        /* [false] or {...}: the contact may be off. Fail closed. */
        contacts_is_enabled_seen(a, pos);
        a->enabled = CONTACT_OTHER;
        contacts_problem(a, "isEnabled", is_map ? "object" : "array", pos);
        return R_SKIP;
    default: return R_SKIP;
    }
}

static enum contacts_role contacts_child_role(struct contacts *c, int is_map,
                                              const struct jstream_pos *pos)
{
    struct contacts_frame *top = contacts_top(c);
    if (top == NULL)
        return is_map ? R_ROOT_MAP : R_LIST;
    switch (top->role) {
    case R_LIST: top->items++; return is_map ? R_ITEM : R_SKIP;
    case R_ROOT_MAP:
    case R_ITEM:
    case R_PROPERTIES:
        return contacts_member_container(c, contacts_owner(c), top->role, top->key, is_map, pos);
    case R_ROLES: return (!is_map && top->key == K_ROLES) ? R_ROLE_NAMES : R_SKIP;
    case R_SOURCES: return is_map ? R_SOURCE : R_SKIP;
    case R_EMAIL_LIST: {
        /* An address list holds strings; anything else is not a list of
         * addresses this tool could read, never an empty one. */
        struct contacts_acc *a = contacts_owner(c);
        a->emails_kind = CONTACT_EMAILS_BAD;
        contacts_problem(a, a->emails_member, is_map ? "array of objects" : "array of arrays", pos);
        return R_SKIP;
    }
    default: return R_SKIP;
    }
}

static void contacts_push(struct contacts *c, enum contacts_role role, int is_map,
                          const struct jstream_pos *pos)
{
    xgrow(&c->frames, &c->cap, c->depth + 1, sizeof *c->frames);
    struct contacts_frame *f = &c->frames[c->depth++];
    memset(f, 0, sizeof *f);
    f->role = role;
    f->is_map = is_map;
    f->pos = *pos;
    if (role == R_ROOT_MAP) {
        contacts_acc_reset(&c->root);
        c->root.pos = *pos;
    } else if (role == R_ITEM) {
        contacts_acc_reset(&c->item);
        c->item.pos = *pos;
    }
}

/* ---- classifying a finished object ---------------------------------------- */

/* A type or id that names another resource provider (an API Management
 * user, a Lab Services user: mixed dumps have them, with an email member). */
static int contacts_other_resource(const struct contacts_acc *a)
{
    if (a->type.set && !contacts_text_contains(&a->type, "securitycontact"))
        return 1;
    return contacts_text_contains(&a->id, "/providers/") &&
           !contacts_text_contains(&a->id, "/providers/microsoft.security/securitycontact");
}

/* Only Microsoft.Security/securityContacts objects are contacts (the
 * singular form that the 2020 service writes counts too); objects with no
 * type and id (flattened, jq) are when they have an address member. */
static int contacts_is_contact(const struct contacts_acc *a)
{
    if (contacts_other_resource(a))
        return 0;
    return a->emails_members > 0 || a->type.set ||
           contacts_text_contains(&a->id, "/providers/microsoft.security/securitycontact");
}

/* az login --allow-no-subscriptions lists the tenant itself as an account:
 * not a subscription. */
static int contacts_tenant_account(const struct contacts_acc *a)
{
    static const char marker[] = "n/a(tenant level account)";
    return a->name.set && a->name.len == sizeof marker - 1 &&
           strncasecmp(a->name.s, marker, sizeof marker - 1) == 0;
}

/* The subscription an inventory row names: subscriptionId, or an id that
 * is a bare GUID (az account list) or exactly /subscriptions/<guid>. */
static int contacts_inventory_subscription(const struct contacts_acc *a, guid_text out)
{
    if (a->subscription_id.set && guid_parse(a->subscription_id.s, a->subscription_id.len, out))
        return 1;
    if (a->id.set && guid_parse(a->id.s, a->id.len, out))
        return 1;
    return a->id.set && a->id.len == 15 + GUID_TEXT_LEN &&
           guid_from_resource_id(a->id.s, a->id.len, out);
}

/* An id that has a /subscriptions/ segment but no GUID in it, or an id and
 * a subscriptionId naming two subscriptions, could put the contact on the
 * wrong subscription: the record is ambiguous rather than guessed at.
 * Returns whether the id names one, in from_id. */
static int contacts_check_subscription(struct contacts_acc *a, guid_text from_id)
{
    guid_text from_member;
    int by_id = a->id.set && guid_from_resource_id(a->id.s, a->id.len, from_id);
    if (!by_id && contacts_text_contains(&a->id, "/subscriptions/"))
        contacts_problem_is(a, D_ID_NO_SUBSCRIPTION, a->id.s, NULL, &a->pos);
    if (by_id && a->subscription_id.set &&
        guid_parse(a->subscription_id.s, a->subscription_id.len, from_member) &&
        strcmp(from_id, from_member) != 0)
        contacts_problem_is(a, D_SUBSCRIPTION_DISAGREES, from_id, from_member, &a->pos);
    return by_id;
}

/* A contact without a name member is still named by its id's last segment
 * (.../securityContacts/default), as Azure names it. */
static void contacts_name_from_id(struct contacts_acc *a)
{
    if (a->name.set || !a->id.set)
        return;
    const char *id = a->id.s;
    size_t end = a->id.len, last = end;
    while (last > 0 && id[last - 1] != '/')
        last--; /* the last segment: the name */
    if (last < 2 || last == end)
        return;
    size_t start = last - 1;
    while (start > 0 && id[start - 1] != '/')
        start--; /* the segment before it: the resource type */
    size_t n = last - 1 - start;
    if (start > 0 && (n == 15 || n == 16) && strncasecmp(id + start, "securityContacts", n) == 0)
        contacts_text_set(&a->name, id + last, end - last, CONTACTS_FIELD_MAX);
}

/* Which subscriptions the file's evidence names, to tell a file named for
 * one subscription that holds another's (a loop that forgot
 * --subscription). */
static void contacts_names(struct contacts *c, const char *sub)
{
    struct contacts_summary *m = &c->sum;
    if (c->file->has_path_subscription && strcmp(sub, c->file->path_subscription) == 0) {
        m->names_path_subscription = 1;
    } else if (m->other_subscriptions == 0 || strcmp(sub, m->other_subscription) != 0) {
        if (m->other_subscriptions++ == 0)
            memcpy(m->other_subscription, sub, sizeof m->other_subscription);
    }
}

static void contacts_emit_record(struct contacts *c, struct contacts_acc *a)
{
    struct contact_record r;
    memset(&r, 0, sizeof r);
    r.file = c->file;
    int by_id = contacts_check_subscription(a, r.subscription);
    contacts_name_from_id(a);
    if (by_id) {
        r.has_subscription = 1;
        r.subscription_source = "id";
    } else if (a->subscription_id.set &&
               guid_parse(a->subscription_id.s, a->subscription_id.len, r.subscription)) {
        r.has_subscription = 1;
        r.subscription_source = "subscriptionId";
    } else if (c->file->has_path_subscription) {
        memcpy(r.subscription, c->file->path_subscription, sizeof r.subscription);
        r.has_subscription = 1;
        r.subscription_source = "file path";
    }
    r.name = a->name.set ? a->name.s : NULL;
    r.name_len = a->name.len;
    r.emails = a->emails.set ? a->emails.s : NULL;
    r.emails_len = a->emails.len;
    r.emails_kind = a->emails_kind;
    r.emails_member = a->emails_member ? a->emails_member : "emails";
    r.problem = a->problem[0] ? a->problem : NULL;
    r.pos = a->pos;
    r.emails_pos = a->emails_members ? a->emails_pos : a->pos;
    r.enabled = a->enabled;
    r.alerts = a->alerts;
    r.alert_severity = a->alert_severity;
    r.notify_roles = a->notify_roles;
    r.roles_include_owner = a->roles_include_owner;
    r.api = a->api;
    r.addresses_only = a->addresses_only;
    r.last_modified = a->last_modified.set ? a->last_modified.s : NULL;
    r.document = c->documents;
    if (r.api == 0 && a->emails_members)
        r.api = CONTACT_API_2020; /* emails with nothing newer or older */
    c->sum.api_versions |= r.api;
    c->sum.records++;
    if (r.problem)
        c->sink->diagnose(c->ctx, c->file, D_CONTACT_PROBLEM, &a->problem_pos, r.problem, NULL);
    if (!r.has_subscription)
        c->sink->diagnose(c->ctx, c->file, D_NO_SUBSCRIPTION, &r.pos, NULL, NULL);
    else
        contacts_names(c, r.subscription);
    c->sink->record(c->ctx, &r);
}

/* The subscription an error body is about: a scope in its message, the
 * "subscription '<guid>'" of SubscriptionNotFound, else the file path. */
static int contacts_error_subscription(const struct contacts *c, const struct contacts_acc *a,
                                       guid_text out)
{
    const struct contacts_text *m = &a->error_message;
    if (m->set && guid_from_resource_id(m->s, m->len, out))
        return 1;
    static const char marker[] = "subscription '";
    for (size_t i = 0; m->set && i + sizeof marker - 1 + GUID_TEXT_LEN <= m->len; i++) {
        if (strncasecmp(m->s + i, marker, sizeof marker - 1) == 0 &&
            guid_parse(m->s + i + sizeof marker - 1, GUID_TEXT_LEN, out))
            return 1;
    }
    if (c->file->has_path_subscription) {
        memcpy(out, c->file->path_subscription, sizeof(guid_text));
        return 1;
    }
    return 0;
}

static void contacts_emit_error(struct contacts *c, struct contacts_acc *a)
{
    guid_text sub;
    int has = contacts_error_subscription(c, a, sub);
    c->sum.error_bodies++;
    if (has)
        contacts_names(c, sub);
    c->sink->error_body(c->ctx, c->file, has ? sub : NULL,
                        a->error_code.set ? a->error_code.s : "(no code)",
                        a->error_message.set ? a->error_message.s : "(no message)", &a->pos);
}

static void contacts_note_empty_list(struct contacts *c, const struct contacts_acc *a,
                                     const struct jstream_pos *pos)
{
    if (a != NULL && a->is_arg) {
        c->arg_empty++; /* Resource Graph has no securitycontacts table */
        return;
    }
    c->empty_lists++;
    if (c->file->has_path_subscription) {
        contacts_names(c, c->file->path_subscription);
        c->sink->no_contacts(c->ctx, c->file, c->file->path_subscription, pos);
    }
}

/* Decides what a finished root map or item was. */
static void contacts_classify(struct contacts *c, struct contacts_acc *a, int is_root)
{
    guid_text sub;
    if (is_root && a->saw_error) {
        contacts_emit_error(c, a);
    } else if (contacts_is_contact(a)) {
        contacts_emit_record(c, a);
    } else if (contacts_tenant_account(a)) {
        c->sum.ignored_objects++; /* a tenant, not a subscription: nothing to audit */
    } else if (a->state.set && (a->display_name.set || a->name.set) &&
               (a->saw_tenant || a->saw_inventory_marker || a->display_name.set) &&
               contacts_inventory_subscription(a, sub)) {
        c->sum.inventory_entries++;
        c->sink->inventory(c->ctx, c->file, sub,
                           a->display_name.set ? a->display_name.s : a->name.s, a->state.s,
                           &a->pos);
    } else if (is_root && a->saw_envelope) {
        /* an envelope: its items were classified one by one */
    } else {
        c->sum.ignored_objects++;
        c->sink->diagnose(c->ctx, c->file, D_UNRECOGNISED_OBJECT, &a->pos, NULL, NULL);
    }
}

static void contacts_finish_source(struct contacts *c, const struct contacts_frame *f)
{
    struct contacts_acc *a = contacts_owner(c);
    if (f->source_is_alert) {
        a->alerts = CONTACT_ON; /* 2023: an Alert source means alert e-mails are sent */
        a->alert_severity = f->source_severity;
    }
}

/* ---- jstream callbacks --------------------------------------------------------- */

static int contacts_on_start(void *ctx, int is_map, const struct jstream_pos *pos)
{
    struct contacts *c = ctx;
    enum contacts_role role = contacts_child_role(c, is_map, pos);
    contacts_push(c, role, is_map, pos);
    return 1;
}

static int contacts_start_map(void *ctx, const struct jstream_pos *pos)
{
    return contacts_on_start(ctx, 1, pos);
}

static int contacts_start_array(void *ctx, const struct jstream_pos *pos)
{
    return contacts_on_start(ctx, 0, pos);
}

static int contacts_end(void *ctx)
{
    struct contacts *c = ctx;
    struct contacts_frame f = c->frames[--c->depth];
    switch (f.role) {
    case R_ROOT_MAP: contacts_classify(c, &c->root, 1); break;
    case R_ITEM: contacts_classify(c, &c->item, 0); break;
    case R_SOURCE: contacts_finish_source(c, &f); break;
    case R_LIST:
        if (f.items == 0)
            contacts_note_empty_list(c, c->depth ? &c->root : NULL, &f.pos);
        break;
    default: break;
    }
    return 1;
}

static int contacts_key(void *ctx, const char *text, size_t len, const struct jstream_pos *pos)
{
    struct contacts *c = ctx;
    (void)pos;
    struct contacts_frame *top = contacts_top(c);
    if (top->role == R_SKIP) { /* nothing under it is read: its spelling does not matter */
        top->key = K_OTHER;
        return 1;
    }
    top->key = contacts_key_of(text, len);
    contacts_owner(c)->key_pascal = len > 0 && text[0] >= 'A' && text[0] <= 'Z';
    return 1;
}

static void contacts_container_scalar(struct contacts *c, struct contacts_frame *top,
                                      enum jstream_scalar type, const char *s, size_t len)
{
    struct contacts_acc *a = contacts_owner(c);
    int str = type == JSTREAM_STRING;
    switch (top->role) {
    case R_ALERTS:
        if (top->key == K_STATE)
            a->alerts = str ? contacts_switch_of(s, len) : CONTACT_OTHER;
        else if (top->key == K_MINIMAL_SEVERITY)
            a->alert_severity = str ? contacts_severity_of(s, len) : SEVERITY_OTHER;
        break;
    case R_ROLES:
        if (top->key == K_STATE)
            a->notify_roles = str ? contacts_switch_of(s, len) : CONTACT_OTHER;
        else if (top->key == K_ROLES && str && len == 5 && strncasecmp(s, "owner", 5) == 0)
            a->roles_include_owner = 1; /* PowerShell 5.1: a one-element list as its element */
        break;
    case R_ROLE_NAMES:
        if (str && len == 5 && strncasecmp(s, "owner", 5) == 0)
            a->roles_include_owner = 1;
        break;
    case R_SOURCE:
        if (top->key == K_SOURCE_TYPE)
            top->source_is_alert = str && len == 5 && strncasecmp(s, "alert", 5) == 0;
        else if (top->key == K_MINIMAL_SEVERITY)
            top->source_severity = str ? contacts_severity_of(s, len) : SEVERITY_OTHER;
        break;
    case R_EMAIL_LIST:
        if (str)
            contacts_text_append(&a->emails, s, len, ';');
        else
            contacts_problem(a, a->emails_member, "array with non-string items", &a->emails_pos);
        break;
    case R_SYSTEM_DATA:
        if (str && top->key == K_LAST_MODIFIED_AT)
            contacts_text_set(&a->last_modified, s, len, CONTACTS_FIELD_MAX);
        break;
    case R_ERROR:
        if (str && top->key == K_CODE)
            contacts_text_set(&a->error_code, s, len, CONTACTS_FIELD_MAX);
        else if (str && top->key == K_MESSAGE)
            contacts_text_set(&a->error_message, s, len, CONTACTS_FIELD_MAX);
        break;
    default: break;
    }
}

/* A bare top-level string or null: what `jq '.properties.emails'` prints. */
static void contacts_bare_value(struct contacts *c, enum jstream_scalar type, const char *s,
                                size_t len, const struct jstream_pos *pos)
{
    if (type != JSTREAM_STRING && type != JSTREAM_NULL) {
        c->sum.ignored_objects++;
        c->sink->diagnose(c->ctx, c->file, D_UNRECOGNISED_OBJECT, pos, NULL, NULL);
        return;
    }
    struct contacts_acc *a = &c->item;
    contacts_acc_reset(a);
    a->pos = *pos;
    a->addresses_only = 1;
    contacts_record_scalar(c, a, K_EMAILS, type, s, len, pos);
    c->doc_shape = c->depth == 1          ? "list of address values (az --query or jq output)"
                   : type == JSTREAM_NULL ? "null (jq output)"
                                          : "JSON string (jq output)";
    contacts_emit_record(c, a);
}

static int contacts_scalar(void *ctx, enum jstream_scalar type, const char *s, size_t len,
                           const struct jstream_pos *pos)
{
    struct contacts *c = ctx;
    struct contacts_frame *top = contacts_top(c);
    if (top == NULL) {
        contacts_bare_value(c, type, s, len, pos);
        return 1;
    }
    switch (top->role) {
    case R_SKIP: break; /* most values of a big file that holds other things */
    case R_ROOT_MAP:
    case R_ITEM:
    case R_PROPERTIES:
        contacts_record_scalar(c, contacts_owner(c), top->key, type, s, len, pos);
        break;
    case R_LIST:
        top->items++;
        /* `az ... --query "[].emails"` or jq's list form: a top-level list
         * of address values. */
        if (c->depth == 1 && (type == JSTREAM_STRING || type == JSTREAM_NULL))
            contacts_bare_value(c, type, s, len, pos);
        break;
    default: contacts_container_scalar(c, top, type, s, len); break;
    }
    return 1;
}

static const char *contacts_shape_of(const struct contacts *c)
{
    if (c->doc_shape)
        return c->doc_shape;
    const struct contacts_acc *a = &c->root;
    if (a->saw_error)
        return "error body";
    if (a->is_arg)
        return "Resource Graph result";
    if (a->lists)
        return "REST list (value envelope)";
    if (c->sum.inventory_entries)
        return "subscription inventory";
    return a->saw_properties ? "single object (REST)" : "single object (flattened)";
}

static int contacts_document_end(void *ctx)
{
    struct contacts *c = ctx;
    const char *shape = contacts_shape_of(c);
    c->documents++;
    if (c->documents == 1)
        c->sum.shape = shape;
    else
        c->sum.shape = "concatenated documents";
    c->doc_shape = NULL;
    c->root.saw_error = c->root.is_arg = c->root.lists = 0;
    c->root.saw_properties = 0;
    return 1;
}

static int contacts_end_map(void *ctx)
{
    return contacts_end(ctx);
}

static int contacts_end_array(void *ctx)
{
    struct contacts *c = ctx;
    if (c->depth == 1)
        c->doc_shape = "bare array";
    return contacts_end(ctx);
}

const struct jstream_handler contacts_jstream_handler = { contacts_start_map,   contacts_end_map,
                                                          contacts_start_array, contacts_end_array,
                                                          contacts_key,         contacts_scalar,
                                                          contacts_document_end };

struct contacts *contacts_alloc(const struct evidence_file *file, const struct contact_sink *sink,
                                void *ctx)
{
    struct contacts *c = xcalloc(1, sizeof *c);
    c->file = file;
    c->sink = sink;
    c->ctx = ctx;
    pthread_once(&contacts_keys_indexed, contacts_index_keys);
    return c;
}

void contacts_free(struct contacts *c)
{
    if (c == NULL)
        return;
    diag_fault_clear(&c->envelope_fault);
    contacts_acc_free(&c->root);
    contacts_acc_free(&c->item);
    free(c->frames);
    free(c);
}

static int contacts_acc_subscription(const struct contacts_acc *a, guid_text out)
{
    if (a->id.set && guid_from_resource_id(a->id.s, a->id.len, out))
        return 1;
    return a->subscription_id.set && guid_parse(a->subscription_id.s, a->subscription_id.len, out);
}

int contacts_pending_subscription(const struct contacts *c, guid_text out)
{
    for (size_t i = c->depth; i-- > 0;) {
        if (c->frames[i].role == R_ITEM && contacts_acc_subscription(&c->item, out))
            return 1;
        if (c->frames[i].role == R_ROOT_MAP && contacts_acc_subscription(&c->root, out))
            return 1;
    }
    return 0;
}

void contacts_summarise(const struct contacts *c, struct contacts_summary *out)
{
    *out = c->sum;
    out->documents = c->documents;
    if (out->shape == NULL)
        out->shape = "";
}

int contacts_finish(struct contacts *c, struct diag_fault *fault)
{
    const struct contacts_summary *f = &c->sum;
    if (diag_faulted(&c->envelope_fault)) {
        const struct diag_fault *e = &c->envelope_fault;
        return diag_fault_set(fault, e->id, e->arg[0], e->arg[1], e->line, e->col);
    }
    if (f->records || f->error_bodies || f->inventory_entries)
        return 0;
    if (c->empty_lists && c->file->has_path_subscription)
        return 0;
    const char *why =
        c->arg_empty ? "a Resource Graph result with no rows proves nothing: Resource Graph has no "
                       "securitycontacts table"
        : c->empty_lists ? "an empty contact list, but no subscription id in the file's path"
                         : "no contact, error body or subscription found";
    return diag_fault_set(fault, D_UNRECOGNISED_FILE, why, NULL, 0, 0);
}
