/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads Phoronix Test Suite result files (3.0+ and the 2.x format of the 2010 study) with libxml2. */
#include "config.h"

#include <errno.h>
#include <float.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-pts-json.h"
#include "vl-result-file.h"
#include "vl-xml-private.h"

/* ---- parsing: SAX, straight into the model ----------------------------------------------------
 * No DOM: a result file is read once, top to bottom, and a tree would only be built to be thrown
 * away. Text of the elements we know is collected; everything else is skipped. */

typedef enum {
  IN_ROOT,      /* children of <PhoronixTestSuite> */
  IN_HEADER,    /* <Generated> (3.0+) or <Suite> (2.x) */
  IN_SYSTEM,
  IN_RESULT,    /* <Result> (3.0+) or <Benchmark> (2.x) */
  IN_DATA,      /* <Data> (3.0+) or <Results>/<Group> (2.x) */
  IN_ENTRY,
} Place;

/* An entry as read; checked once its whole result is known (DisplayFormat may come late). */
typedef struct
{
  char *identifier;
  char *value;
  char *raw;
  char *json;
  int   line, value_line, raw_line;
} PendingEntry;

typedef struct
{
  const char     *name;           /* the file, as the user knows it */
  xmlParserCtxt  *ctxt;
  VlResultSet    *set;
  GError         *error;          /* ours: a value that is no number, a wrong root… */
  int             doctype_line;   /* > 0 once a DOCTYPE was seen: parsing stopped there */
  char           *first_error;    /* libxml2's */
  int             first_error_line;
  GHashTable     *systems;        /* identifier -> VlResultSystem of the set */

  int             depth;
  int             skip_depth;     /* > 0: inside an element we do not read */
  int             root_line;
  gboolean        any_result;
  Place           place;
  int             place_depth[IN_ENTRY + 1];  /* depth of the element that opened each place */
  char          **field;          /* where the text being collected goes, or NULL */
  GString        *text;
  const char *const *result_names;
  VlResultSystem *system;
  VlResult       *result;
  char           *proportion;
  GArray         *pending;        /* PendingEntry of the current result */
  PendingEntry    entry;
} LoadState;

static void
pending_entry_clear (gpointer data)
{
  PendingEntry *entry = data;

  g_free (entry->identifier);
  g_free (entry->value);
  g_free (entry->raw);
  g_free (entry->json);
}

static void
vl_result_system_free_ptr (VlResultSystem *system)
{
  if (system != NULL)
    vl_result_system_free (system);
}

static void
load_state_clear (LoadState *state)
{
  g_clear_error (&state->error);
  g_clear_pointer (&state->first_error, g_free);
  g_clear_pointer (&state->systems, g_hash_table_unref);
  g_clear_pointer (&state->set, vl_result_set_unref);
  g_clear_pointer (&state->system, vl_result_system_free_ptr);
  g_clear_pointer (&state->result, vl_result_free);
  g_clear_pointer (&state->proportion, g_free);
  g_clear_pointer (&state->pending, g_array_unref);
  pending_entry_clear (&state->entry);
  if (state->text != NULL)
    g_string_free (g_steal_pointer (&state->text), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LoadState, load_state_clear)

static void
set_error_at (GError **error, const LoadState *state, long line, const char *message)
{
  g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("“%s”, line %ld: %s"), state->name, line, message);
}

static void
set_too_big (GError **error, const char *name, const char *size)
{
  g_autofree char *limit = g_format_size (VL_RESULT_FILE_MAX_SIZE);

  g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
               _("“%s” is too big for a result file (%s; the limit is %s)"), name, size, limit);
}

/* Our own error: remembered, and the parser stopped at once. */
static void
fail_at (LoadState *state, long line, char *message)
{
  g_autofree char *owned = message;

  if (state->error == NULL)
    set_error_at (&state->error, state, line, owned);
  xmlStopParser (state->ctxt);
}

static int
current_line (const LoadState *state)
{
  return xmlSAX2GetLineNumber (state->ctxt);
}

/* A result file never has a DOCTYPE; refusing it before any entity is declared is what stops
 * "billion laughs" and external entities, whatever the libxml2 version does on its own. */
static void
reject_internal_subset (void *ctx, const xmlChar *name, const xmlChar *external_id,
                        const xmlChar *system_id)
{
  LoadState *state = ctx;

  state->doctype_line = MAX (1, current_line (state));
  xmlStopParser (state->ctxt);
}

static void
record_error (void *user_data, xmlError *xml_error)
{
  LoadState *state = user_data;

  if (state->first_error != NULL || xml_error->level < XML_ERR_ERROR)
    return;
  state->first_error = g_strstrip (g_strdup (xml_error->message != NULL ? xml_error->message : ""));
  state->first_error_line = xml_error->line;
}

/* Plain decimals ("1303.914") are nearly every number in a result file. When the digits fit in
 * 2^53 and the power of ten is exact, one IEEE division gives the correctly rounded double, the
 * same as strtod, at a fraction of its cost (Clinger's fast path). Anything else goes to strtod. */
static gboolean
parse_plain_decimal (const char *text, double *value)
{
  static const double powers[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15 };
  const char *p = text;
  gboolean negative = FALSE, dot = FALSE, any_digit = FALSE;
  guint64 mantissa = 0;
  guint decimals = 0;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  for (;; p++)
    {
      if (*p == '.' && !dot)
        {
          dot = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        break;
      mantissa = mantissa * 10 + (guint64) (*p - '0');
      /* Past 2^53 the mantissa is no longer exact: leave it to strtod. */
      if (mantissa > G_GUINT64_CONSTANT (1) << 53 || decimals + dot >= G_N_ELEMENTS (powers))
        return FALSE;
      any_digit = TRUE;
      decimals += dot;
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0' || !any_digit)
    return FALSE;
  *value = (double) mantissa / powers[decimals];
  if (negative)
    *value = -*value;
  return TRUE;
}

static gboolean
parse_number (const char *text, double *value)
{
  char *end = NULL;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  if (parse_plain_decimal (text, value))
    return TRUE;
  errno = 0;
  *value = g_ascii_strtod (text, &end);
  while (g_ascii_isspace (*end))
    end++;
  /* Overflow (1e309) is no number we can draw; underflow (4.9e-324, 1e-400) is a tiny one. */
  return *end == '\0' && isfinite (*value) && (errno == 0 || (errno == ERANGE && fabs (*value) <= DBL_MIN));
}

static gboolean
parse_raw (const char *text, GArray *raw)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *colon = strchr (p, ':');
      gsize len = colon != NULL ? (gsize) (colon - p) : strlen (p);
      char small[64];
      /* A number written out in full (1.1e308 has 309 digits) does not fit the usual buffer. */
      g_autofree char *large = len >= sizeof small ? g_strndup (p, len) : NULL;
      char *buf = large != NULL ? large : small;
      double value;

      if (large == NULL)
        {
          memcpy (small, p, len);
          small[len] = '\0';
        }
      if (g_strstrip (buf)[0] != '\0')
        {
          if (!parse_number (buf, &value))
            return FALSE;
          g_array_append_val (raw, value);
        }
      if (colon == NULL)
        break;
      p = colon + 1;
    }
  return TRUE;
}

static VlProportion
parse_proportion (const char *text)
{
  if (g_strcmp0 (text, "HIB") == 0)
    return VL_PROPORTION_HIB;
  if (g_strcmp0 (text, "LIB") == 0)
    return VL_PROPORTION_LIB;
  return VL_PROPORTION_NONE;
}

static VlResultSystem *
ensure_system (LoadState *state, const char *identifier)
{
  VlResultSystem *system = g_hash_table_lookup (state->systems, identifier);

  if (system == NULL)
    {
      system = g_new0 (VlResultSystem, 1);
      system->identifier = g_strdup (identifier);
      system->source = g_strdup (state->name);
      g_ptr_array_add (state->set->systems, system);
      g_hash_table_insert (state->systems, g_strdup (identifier), system);
    }
  return system;
}

static gboolean
add_entry (LoadState *state, VlResult *result, PendingEntry *pending)
{
  g_autoptr(GArray) raw = g_array_sized_new (FALSE, FALSE, sizeof (double), 5);
  VlResultEntry *entry;
  double value = NAN;
  gboolean failed;

  if (pending->identifier == NULL)
    {
      fail_at (state, pending->line, g_strdup (_("a result entry names no system")));
      return FALSE;
    }
  if (pending->value == NULL)
    {
      fail_at (state, pending->line, g_strdup_printf (_("the entry of system “%s” in “%s” has no value"),
                                                      pending->identifier, result->title));
      return FALSE;
    }
  failed = g_strstrip (pending->value)[0] == '\0';
  if (!failed && !parse_number (pending->value, &value) && vl_result_is_bar_graph (result))
    {
      fail_at (state, pending->value_line,
               g_strdup_printf (_("the value “%s” of system “%s” in “%s” is not a number"),
                                pending->value, pending->identifier, result->title));
      return FALSE;
    }
  if (pending->raw != NULL && vl_result_is_bar_graph (result) && !parse_raw (pending->raw, raw))
    {
      fail_at (state, pending->raw_line,
               g_strdup_printf (_("the single runs “%s” of system “%s” in “%s” are not numbers"),
                                pending->raw, pending->identifier, result->title));
      return FALSE;
    }

  ensure_system (state, pending->identifier);
  entry = g_new0 (VlResultEntry, 1);
  entry->system = g_steal_pointer (&pending->identifier);
  entry->value_text = g_steal_pointer (&pending->value);
  entry->value = failed ? NAN : value;
  entry->failed = failed;
  entry->raw = g_steal_pointer (&raw);
  entry->json = g_steal_pointer (&pending->json);
  /* PTS keeps why a run failed in the entry's JSON: {"error":"The test run did not produce a
   * result."}; the user should read that, not only "failed". */
  if (failed)
    entry->error = vl_pts_json_get_string (entry->json, "error");
  g_ptr_array_add (result->entries, entry);
  return TRUE;
}

/* Both formats describe a result the same way with other names, in this order: identifier,
 * title, app version, arguments, description, scale, proportion, display format. */
static const char *const result_names_3[] = { "Identifier", "Title", "AppVersion", "Arguments",
                                              "Description", "Scale", "Proportion", "DisplayFormat" };
static const char *const result_names_2[] = { "TestName", "Name", "Version", "TestArguments",
                                              "Attributes", "Scale", "Proportion", "ResultFormat" };

static char **
result_field (LoadState *state, const char *name)
{
  VlResult *result = state->result;
  char **fields[] = { &result->identifier, &result->title, &result->app_version, &result->arguments,
                      &result->description, &result->scale, &state->proportion, &result->display_format };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (strcmp (name, state->result_names[i]) == 0)
      return fields[i];
  return NULL;
}

/* System fields: 3.0+ names first, then the 2.x ones PTS's reader maps to them. */
static char **
system_field (VlResultSystem *system, const char *name)
{
  static const char *const names[] = { "Identifier", "AssociatedIdentifiers", "Hardware", "Software", "User",
                                       "Author", "TimeStamp", "TestDate", "TestClientVersion", "Version",
                                       "Notes", "TestNotes", "JSON" };
  char **fields[] = { &system->identifier, &system->identifier, &system->hardware, &system->software,
                      &system->user, &system->user, &system->timestamp, &system->timestamp,
                      &system->client_version, &system->client_version, &system->notes, &system->notes,
                      &system->json };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (name, names[i]) == 0)
      return fields[i];
  return NULL;
}

static char **
header_field (VlResultSet *set, const char *name)
{
  if (strcmp (name, "Title") == 0)
    return &set->title;
  if (strcmp (name, "Description") == 0)
    return &set->description;
  if (strcmp (name, "LastModified") == 0)
    return &set->last_modified;
  if (strcmp (name, "TestClient") == 0)
    return &set->test_client;
  if (strcmp (name, "Notes") == 0)
    return &set->notes;
  return NULL;
}

static char **
entry_field (LoadState *state, const char *name)
{
  PendingEntry *entry = &state->entry;

  if (strcmp (name, "Identifier") == 0)
    return &entry->identifier;
  if (strcmp (name, "Value") == 0)
    {
      entry->value_line = current_line (state);
      return &entry->value;
    }
  if (strcmp (name, "RawString") == 0)
    {
      entry->raw_line = current_line (state);
      return &entry->raw;
    }
  if (strcmp (name, "JSON") == 0)
    return &entry->json;
  return NULL;
}

static void
enter (LoadState *state, Place place)
{
  state->place = place;
  state->place_depth[place] = state->depth;
}

static void
start_element (void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
               int n_namespaces, const xmlChar **namespaces, int n_attributes, int n_defaulted,
               const xmlChar **attributes)
{
  LoadState *state = ctx;
  const char *name = (const char *) localname;

  state->depth++;
  if (state->skip_depth > 0 || state->field != NULL)
    {
      /* Markup inside a field, or inside an element we do not read: skipped whole. */
      if (state->skip_depth == 0)
        state->skip_depth = state->depth;
      return;
    }

  if (state->depth == 1)
    {
      state->root_line = current_line (state);
      if (strcmp (name, "PhoronixTestSuite") != 0)
        fail_at (state, state->root_line,
                 g_strdup_printf (_("this is not a Phoronix Test Suite result file: its root element "
                                    "is <%s>, not <PhoronixTestSuite>"), name));
      enter (state, IN_ROOT);
      return;
    }

  switch (state->place)
    {
    case IN_ROOT:
      if (strcmp (name, "Generated") == 0 || strcmp (name, "Suite") == 0)
        enter (state, IN_HEADER);
      else if (strcmp (name, "System") == 0)
        {
          state->system = g_new0 (VlResultSystem, 1);
          enter (state, IN_SYSTEM);
        }
      else if (strcmp (name, "Result") == 0 || strcmp (name, "Benchmark") == 0)
        {
          state->result = vl_result_new ();
          state->result_names = name[0] == 'R' ? result_names_3 : result_names_2;
          g_array_set_size (state->pending, 0);
          state->any_result = TRUE;
          enter (state, IN_RESULT);
        }
      else
        state->skip_depth = state->depth;
      return;

    case IN_HEADER:
      state->field = header_field (state->set, name);
      break;

    case IN_SYSTEM:
      state->field = system_field (state->system, name);
      break;

    case IN_RESULT:
      if (strcmp (name, "Data") == 0 || strcmp (name, "Results") == 0)
        {
          enter (state, IN_DATA);
          return;
        }
      state->field = result_field (state, name);
      break;

    case IN_DATA:
      /* 2.x groups its entries: <Results><Group><Entry>. */
      if (strcmp (name, "Group") == 0)
        return;
      if (strcmp (name, "Entry") == 0)
        {
          pending_entry_clear (&state->entry);
          memset (&state->entry, 0, sizeof state->entry);
          state->entry.line = current_line (state);
          enter (state, IN_ENTRY);
          return;
        }
      state->skip_depth = state->depth;
      return;

    case IN_ENTRY:
      state->field = entry_field (state, name);
      break;

    default:
      break;
    }
  if (state->field == NULL)
    state->skip_depth = state->depth;
  else
    g_string_truncate (state->text, 0);
}

static void
finish_system (LoadState *state)
{
  g_autoptr(VlResultSystem) system = NULL;
  VlResultSystem *known;

  system = g_steal_pointer (&state->system);
  if (system->identifier == NULL)
    system->identifier = g_strdup ("");
  system->source = g_strdup (state->name);
  /* Entries may come first in hand-made files: a System then completes the one they made. */
  known = g_hash_table_lookup (state->systems, system->identifier);
  if (known != NULL)
    {
      VlResultSystem tmp = *known;

      *known = *system;
      *system = tmp;
      g_hash_table_insert (state->systems, g_strdup (known->identifier), known);
      return;
    }
  g_hash_table_insert (state->systems, g_strdup (system->identifier), system);
  g_ptr_array_add (state->set->systems, g_steal_pointer (&system));
}

static void
finish_result (LoadState *state)
{
  VlResult *result = g_steal_pointer (&state->result);
  char **fields[] = { &result->identifier, &result->title, &result->app_version, &result->arguments,
                      &result->description, &result->scale, &result->display_format };

  g_ptr_array_add (state->set->results, result);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (*fields[i] == NULL)
      *fields[i] = g_strdup ("");
  result->proportion = parse_proportion (state->proportion);
  g_clear_pointer (&state->proportion, g_free);
  for (guint i = 0; i < state->pending->len; i++)
    if (!add_entry (state, result, &g_array_index (state->pending, PendingEntry, i)))
      return;
}

static void
end_element (void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
  LoadState *state = ctx;

  if (state->skip_depth > 0)
    {
      if (state->depth-- == state->skip_depth)
        state->skip_depth = 0;
      return;
    }
  if (state->field != NULL)
    {
      g_free (*state->field);
      *state->field = g_strndup (state->text->str, state->text->len);
      state->field = NULL;
      state->depth--;
      return;
    }
  if (state->depth == state->place_depth[state->place])
    switch (state->place)
      {
      case IN_HEADER:
        state->place = IN_ROOT;
        break;
      case IN_SYSTEM:
        finish_system (state);
        state->place = IN_ROOT;
        break;
      case IN_RESULT:
        finish_result (state);
        state->place = IN_ROOT;
        break;
      case IN_DATA:
        state->place = IN_RESULT;
        break;
      case IN_ENTRY:
        g_array_append_val (state->pending, state->entry);
        memset (&state->entry, 0, sizeof state->entry);
        state->place = IN_DATA;
        break;
      case IN_ROOT:
      default:
        break;
      }
  state->depth--;
}

static void
characters (void *ctx, const xmlChar *text, int length)
{
  LoadState *state = ctx;

  if (state->field != NULL && state->skip_depth == 0)
    g_string_append_len (state->text, (const char *) text, length);
}

VlResultSet *
vl_result_file_load_data (const char *data, gsize length, const char *name, GError **error)
{
  g_auto(LoadState) state = { .name = name };
  g_autoptr(xmlParserCtxt) ctxt = NULL;
  xmlSAXHandler sax = { 0 };

  if (length > VL_RESULT_FILE_MAX_SIZE)
    {
      g_autofree char *size = g_format_size (length);

      set_too_big (error, name, size);
      return NULL;
    }
  /* libxml2 makes no parser for no bytes: that is an empty file, not a lack of memory. */
  if (length == 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("“%s” is empty: a result file holds XML"), name);
      return NULL;
    }

  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = start_element;
  sax.endElementNs = end_element;
  sax.characters = characters;
  sax.cdataBlock = characters;
  sax.internalSubset = reject_internal_subset;
  sax.serror = record_error;

  state.set = vl_result_set_new ();
  state.systems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state.text = g_string_sized_new (256);
  state.pending = g_array_new (FALSE, TRUE, sizeof (PendingEntry));
  g_array_set_clear_func (state.pending, pending_entry_clear);
  g_ptr_array_add (state.set->sources, g_strdup (name));

  ctxt = xmlCreateMemoryParserCtxt (data, (int) length);
  if (ctxt == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("“%s” could not be read: out of memory"), name);
      return NULL;
    }
  /* Our handlers instead of the tree builder; the context stays the parser's own. */
  *ctxt->sax = sax;
  ctxt->userData = &state;
  state.ctxt = ctxt;
  /* No network, no entity substitution (no XML_PARSE_NOENT), no DTD loading (no XML_PARSE_DTDLOAD). */
  xmlCtxtUseOptions (ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
  xmlParseDocument (ctxt);
  g_clear_pointer (&ctxt->myDoc, xmlFreeDoc);

  if (state.doctype_line > 0)
    {
      set_error_at (error, &state, state.doctype_line,
                    _("the file declares a document type (DOCTYPE), which result files never do; "
                      "it was not read, to keep entity tricks out"));
      return NULL;
    }
  if (state.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&state.error));
      return NULL;
    }
  if (!ctxt->wellFormed || state.first_error != NULL)
    {
      /* libxml2's own words say exactly what is wrong; they only exist in English. */
      g_autofree char *msg = g_strdup_printf (_("the file is not well-formed XML: %s"),
                                              state.first_error != NULL ? state.first_error : "?");

      set_error_at (error, &state, state.first_error != NULL ? state.first_error_line : 1, msg);
      return NULL;
    }
  if (!state.any_result)
    {
      set_error_at (error, &state, MAX (1, state.root_line), _("the file holds no test results"));
      return NULL;
    }
  return g_steal_pointer (&state.set);
}

static const char *
file_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISCHR (mode))
    return _("a character device");
  if (S_ISBLK (mode))
    return _("a block device");
  if (S_ISSOCK (mode))
    return _("a socket");
  return _("not a regular file");
}

/* Only a regular file is read: a FIFO would block the loader forever and /dev/zero never ends.
 * It is opened without blocking (a FIFO with no writer returns at once), checked on the open
 * descriptor (no swap between check and read), and read to at most the limit whatever its size
 * said (a file growing meanwhile cannot push past it). */
VlResultSet *
vl_result_file_load (const char *path, GError **error)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *data = NULL;
  struct stat st;
  gsize length = 0, allocated;
  int fd, saved;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("“%s” could not be opened: %s"),
                   name, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      saved = errno;
      close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("“%s” could not be read: %s"),
                   name, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” is %s, not a result file: only regular files are read"), name, file_kind (st.st_mode));
      return NULL;
    }
  /* Refuse a huge file before reading it into memory. */
  if (st.st_size > VL_RESULT_FILE_MAX_SIZE)
    {
      g_autofree char *size = g_format_size (st.st_size);

      close (fd);
      set_too_big (error, name, size);
      return NULL;
    }
  allocated = (gsize) st.st_size + 1;
  data = g_malloc (allocated);
  for (;;)
    {
      gssize n;

      if (length + 1 >= allocated)
        {
          allocated = MIN (allocated * 2, (gsize) VL_RESULT_FILE_MAX_SIZE + 2);
          data = g_realloc (data, allocated);
        }
      n = read (fd, data + length, allocated - 1 - length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved = errno;
          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("“%s” could not be read: %s"),
                       name, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      length += n;
      if (length > VL_RESULT_FILE_MAX_SIZE)
        {
          g_autofree char *limit = g_format_size (VL_RESULT_FILE_MAX_SIZE);
          g_autofree char *size = g_strdup_printf (_("more than %s"), limit);

          close (fd);
          set_too_big (error, name, size);
          return NULL;
        }
    }
  close (fd);
  data[length] = '\0';
  return vl_result_file_load_data (data, length, name, error);
}
