/* Reads Phoronix Test Suite result files (3.0+ and the 2.x format of the 2010 study) with libxml2. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-result-file.h"
#include "vl-xml-private.h"

/* ---- the model ------------------------------------------------------------------------------ */

static void
vl_result_system_free (VlResultSystem *system)
{
  g_free (system->identifier);
  g_free (system->hardware);
  g_free (system->software);
  g_free (system->user);
  g_free (system->timestamp);
  g_free (system->client_version);
  g_free (system->notes);
  g_free (system->json);
  g_free (system->source);
  g_free (system);
}

static VlResultSystem *
vl_result_system_copy (const VlResultSystem *src)
{
  VlResultSystem *system = g_new0 (VlResultSystem, 1);

  system->identifier = g_strdup (src->identifier);
  system->hardware = g_strdup (src->hardware);
  system->software = g_strdup (src->software);
  system->user = g_strdup (src->user);
  system->timestamp = g_strdup (src->timestamp);
  system->client_version = g_strdup (src->client_version);
  system->notes = g_strdup (src->notes);
  system->json = g_strdup (src->json);
  system->source = g_strdup (src->source);
  return system;
}

static void
vl_result_entry_free (VlResultEntry *entry)
{
  g_free (entry->system);
  g_free (entry->value_text);
  g_clear_pointer (&entry->raw, g_array_unref);
  g_free (entry->json);
  g_free (entry);
}

static VlResultEntry *
vl_result_entry_copy (const VlResultEntry *src)
{
  VlResultEntry *entry = g_new0 (VlResultEntry, 1);

  entry->system = g_strdup (src->system);
  entry->value_text = g_strdup (src->value_text);
  entry->value = src->value;
  entry->failed = src->failed;
  entry->raw = g_array_sized_new (FALSE, FALSE, sizeof (double), src->raw->len);
  g_array_append_vals (entry->raw, src->raw->data, src->raw->len);
  entry->json = g_strdup (src->json);
  return entry;
}

static VlResult *
vl_result_new (void)
{
  VlResult *result = g_new0 (VlResult, 1);

  result->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_result_entry_free);
  return result;
}

static void
vl_result_free (VlResult *result)
{
  g_free (result->identifier);
  g_free (result->title);
  g_free (result->app_version);
  g_free (result->arguments);
  g_free (result->description);
  g_free (result->scale);
  g_free (result->display_format);
  g_ptr_array_unref (result->entries);
  g_free (result);
}

static VlResult *
vl_result_copy_without_entries (const VlResult *src)
{
  VlResult *result = vl_result_new ();

  result->identifier = g_strdup (src->identifier);
  result->title = g_strdup (src->title);
  result->app_version = g_strdup (src->app_version);
  result->arguments = g_strdup (src->arguments);
  result->description = g_strdup (src->description);
  result->scale = g_strdup (src->scale);
  result->proportion = src->proportion;
  result->display_format = g_strdup (src->display_format);
  return result;
}

VlResultSet *
vl_result_set_new (void)
{
  VlResultSet *set = g_atomic_rc_box_new0 (VlResultSet);

  set->sources = g_ptr_array_new_with_free_func (g_free);
  set->systems = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_result_system_free);
  set->results = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_result_free);
  return set;
}

/* Reference counted: charts on screen and exports in a thread hold the set they draw. */
VlResultSet *
vl_result_set_ref (VlResultSet *set)
{
  return g_atomic_rc_box_acquire (set);
}

static void
vl_result_set_clear (gpointer data)
{
  VlResultSet *set = data;

  g_free (set->title);
  g_free (set->description);
  g_free (set->last_modified);
  g_free (set->test_client);
  g_ptr_array_unref (set->sources);
  g_ptr_array_unref (set->systems);
  g_ptr_array_unref (set->results);
}

void
vl_result_set_unref (VlResultSet *set)
{
  if (set != NULL)
    g_atomic_rc_box_release_full (set, vl_result_set_clear);
}

VlResultSystem *
vl_result_set_find_system (const VlResultSet *set, const char *identifier)
{
  for (guint i = 0; i < set->systems->len; i++)
    {
      VlResultSystem *system = g_ptr_array_index (set->systems, i);

      if (g_strcmp0 (system->identifier, identifier) == 0)
        return system;
    }
  return NULL;
}

/* PTS draws bars for BAR_GRAPH and, in the 2.x files, for results without a format. */
gboolean
vl_result_is_bar_graph (const VlResult *result)
{
  return result->display_format == NULL || result->display_format[0] == '\0' ||
         g_str_equal (result->display_format, "BAR_GRAPH") ||
         g_str_equal (result->display_format, "HORIZONTAL_BAR_GRAPH");
}

VlResultEntry *
vl_result_find_entry (const VlResult *result, const char *system)
{
  for (guint i = 0; i < result->entries->len; i++)
    {
      VlResultEntry *entry = g_ptr_array_index (result->entries, i);

      if (g_strcmp0 (entry->system, system) == 0)
        return entry;
    }
  return NULL;
}

const char *
vl_result_get_subtitle (const VlResult *result)
{
  if (result->description != NULL && result->description[0] != '\0')
    return result->description;
  return result->arguments != NULL ? result->arguments : "";
}

/* Results are the same test if everything that names it matches: PTS merge-results does the same. */
static char *
result_key (const VlResult *result)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d", result->identifier, result->title,
                          result->arguments, result->description, result->scale, result->proportion);
}

void
vl_result_set_merge (VlResultSet *into, const VlResultSet *other)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (into->title == NULL)
    {
      into->title = g_strdup (other->title);
      into->description = g_strdup (other->description);
      into->last_modified = g_strdup (other->last_modified);
      into->test_client = g_strdup (other->test_client);
    }
  for (guint i = 0; i < other->sources->len; i++)
    g_ptr_array_add (into->sources, g_strdup (g_ptr_array_index (other->sources, i)));

  for (guint i = 0; i < other->systems->len; i++)
    {
      VlResultSystem *system = g_ptr_array_index (other->systems, i);

      if (vl_result_set_find_system (into, system->identifier) == NULL)
        g_ptr_array_add (into->systems, vl_result_system_copy (system));
    }

  for (guint i = 0; i < into->results->len; i++)
    {
      VlResult *result = g_ptr_array_index (into->results, i);

      g_hash_table_insert (by_key, result_key (result), result);
    }
  for (guint i = 0; i < other->results->len; i++)
    {
      const VlResult *src = g_ptr_array_index (other->results, i);
      g_autofree char *key = result_key (src);
      VlResult *result = g_hash_table_lookup (by_key, key);

      if (result == NULL)
        {
          result = vl_result_copy_without_entries (src);
          g_ptr_array_add (into->results, result);
          g_hash_table_insert (by_key, g_steal_pointer (&key), result);
        }
      for (guint j = 0; j < src->entries->len; j++)
        g_ptr_array_add (result->entries, vl_result_entry_copy (g_ptr_array_index (src->entries, j)));
    }
}

/* ---- parsing -------------------------------------------------------------------------------- */

typedef struct
{
  const char *name;          /* the file, as the user knows it */
  int         doctype_line;  /* > 0 once a DOCTYPE was seen: parsing stopped there */
  char       *first_error;
  int         first_error_line;
} LoadState;

static void
load_state_clear (LoadState *state)
{
  g_clear_pointer (&state->first_error, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LoadState, load_state_clear)

static gboolean
set_error_at (GError **error, const LoadState *state, long line, const char *message)
{
  g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("“%s”, line %ld: %s"), state->name, line, message);
  return FALSE;
}

/* A result file never has a DOCTYPE; refusing it before any entity is declared is what stops
 * "billion laughs" and external entities, whatever the libxml2 version does on its own. */
static void
reject_internal_subset (void *ctx, const xmlChar *name, const xmlChar *external_id,
                        const xmlChar *system_id)
{
  xmlParserCtxt *ctxt = ctx;
  LoadState *state = ctxt->_private;

  state->doctype_line = MAX (1, xmlSAX2GetLineNumber (ctx));
  xmlStopParser (ctxt);
}

static void
record_error (void *user_data, xmlError *xml_error)
{
  xmlParserCtxt *ctxt = user_data;
  LoadState *state = ctxt->_private;

  if (state->first_error != NULL || xml_error->level < XML_ERR_ERROR)
    return;
  state->first_error = g_strstrip (g_strdup (xml_error->message != NULL ? xml_error->message : ""));
  state->first_error_line = xml_error->line;
}

static gboolean
is_element (const xmlNode *node, const char *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0;
}

/* The text of an element: one text node in nearly every file, so take it without copying twice. */
static char *
node_text (const xmlNode *node)
{
  const xmlNode *child = node->children;

  if (child == NULL)
    return g_strdup ("");
  if (child->next == NULL && (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE))
    return g_strdup ((const char *) child->content);
  {
    g_autoptr(xmlChar) content = xmlNodeGetContent (node);

    return g_strdup (content != NULL ? (const char *) content : "");
  }
}

static void
take_text (char **field, const xmlNode *node)
{
  g_free (*field);
  *field = node_text (node);
}

static gboolean
parse_number (const char *text, double *value)
{
  char *end = NULL;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  errno = 0;
  *value = g_ascii_strtod (text, &end);
  while (g_ascii_isspace (*end))
    end++;
  return *end == '\0' && errno == 0 && isfinite (*value);
}

static gboolean
parse_raw (const char *text, GArray *raw)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *colon = strchr (p, ':');
      gsize len = colon != NULL ? (gsize) (colon - p) : strlen (p);
      char buf[64];
      double value;

      if (len >= sizeof buf)
        return FALSE;
      memcpy (buf, p, len);
      buf[len] = '\0';
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
ensure_system (VlResultSet *set, const char *identifier, const char *source)
{
  VlResultSystem *system = vl_result_set_find_system (set, identifier);

  if (system == NULL)
    {
      system = g_new0 (VlResultSystem, 1);
      system->identifier = g_strdup (identifier);
      system->source = g_strdup (source);
      g_ptr_array_add (set->systems, system);
    }
  return system;
}

static gboolean
parse_entry (const LoadState *state, VlResultSet *set, VlResult *result, const xmlNode *node,
             GError **error)
{
  g_autoptr(GArray) raw = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *identifier = NULL;
  g_autofree char *value_text = NULL;
  g_autofree char *raw_text = NULL;
  g_autofree char *json = NULL;
  const xmlNode *value_node = NULL;
  const xmlNode *raw_node = NULL;
  VlResultEntry *entry;
  double value = NAN;
  gboolean failed;

  for (const xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (is_element (child, "Identifier"))
        take_text (&identifier, child);
      else if (is_element (child, "Value"))
        take_text (&value_text, (value_node = child));
      else if (is_element (child, "RawString"))
        take_text (&raw_text, (raw_node = child));
      else if (is_element (child, "JSON"))
        take_text (&json, child);
    }
  if (identifier == NULL)
    return set_error_at (error, state, xmlGetLineNo (node), _("a result entry names no system"));
  if (value_node == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("the entry of system “%s” in “%s” has no value"),
                                              identifier, result->title);
      return set_error_at (error, state, xmlGetLineNo (node), msg);
    }

  failed = g_strstrip (value_text)[0] == '\0';
  if (!failed && !parse_number (value_text, &value) && vl_result_is_bar_graph (result))
    {
      g_autofree char *msg = g_strdup_printf (_("the value “%s” of system “%s” in “%s” is not a number"),
                                              value_text, identifier, result->title);
      return set_error_at (error, state, xmlGetLineNo (value_node), msg);
    }
  if (raw_text != NULL && vl_result_is_bar_graph (result) && !parse_raw (raw_text, raw))
    {
      g_autofree char *msg = g_strdup_printf (_("the single runs “%s” of system “%s” in “%s” are not numbers"),
                                              raw_text, identifier, result->title);
      return set_error_at (error, state, xmlGetLineNo (raw_node), msg);
    }

  ensure_system (set, identifier, state->name);
  entry = g_new0 (VlResultEntry, 1);
  entry->system = g_steal_pointer (&identifier);
  entry->value_text = g_steal_pointer (&value_text);
  entry->value = failed ? NAN : value;
  entry->failed = failed;
  entry->raw = g_steal_pointer (&raw);
  entry->json = g_steal_pointer (&json);
  g_ptr_array_add (result->entries, entry);
  return TRUE;
}

/* Both formats describe a result the same way with other names; `names` maps them in this order:
 * identifier, title, app version, arguments, description, scale, proportion, display format. */
static const char *const result_names_3[] = { "Identifier", "Title", "AppVersion", "Arguments",
                                              "Description", "Scale", "Proportion", "DisplayFormat" };
static const char *const result_names_2[] = { "TestName", "Name", "Version", "TestArguments",
                                              "Attributes", "Scale", "Proportion", "ResultFormat" };

static gboolean
parse_entries_of (const LoadState *state, VlResultSet *set, VlResult *result, const xmlNode *parent,
                  const char *container, GError **error)
{
  for (const xmlNode *node = parent->children; node != NULL; node = node->next)
    {
      if (is_element (node, container))
        {
          if (!parse_entries_of (state, set, result, node, "Group", error))
            return FALSE;
        }
      else if (is_element (node, "Entry") && !parse_entry (state, set, result, node, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_result (const LoadState *state, VlResultSet *set, const xmlNode *node,
              const char *const names[8], GError **error)
{
  VlResult *result = vl_result_new ();
  char **fields[] = { &result->identifier, &result->title, &result->app_version, &result->arguments,
                      &result->description, &result->scale, NULL, &result->display_format };
  g_autofree char *proportion = NULL;
  const xmlNode *data = NULL;

  g_ptr_array_add (set->results, result);
  for (const xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (is_element (child, "Data") || is_element (child, "Results"))
        {
          data = child;
          continue;
        }
      for (guint i = 0; i < 8; i++)
        if (is_element (child, names[i]))
          {
            take_text (i == 6 ? &proportion : fields[i], child);
            break;
          }
    }
  for (guint i = 0; i < 8; i++)
    if (fields[i] != NULL && *fields[i] == NULL)
      *fields[i] = g_strdup ("");
  result->proportion = parse_proportion (proportion);

  if (data == NULL)
    return TRUE;
  /* 3.0+: Data/Entry; 2.x: Results/Group/Entry. */
  return parse_entries_of (state, set, result, data, "Group", error);
}

static void
parse_system (const LoadState *state, VlResultSet *set, const xmlNode *node, gboolean old_format)
{
  VlResultSystem *system = g_new0 (VlResultSystem, 1);
  VlResultSystem *known;

  for (const xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (is_element (child, old_format ? "AssociatedIdentifiers" : "Identifier"))
        take_text (&system->identifier, child);
      else if (is_element (child, "Hardware"))
        take_text (&system->hardware, child);
      else if (is_element (child, "Software"))
        take_text (&system->software, child);
      else if (is_element (child, old_format ? "Author" : "User"))
        take_text (&system->user, child);
      else if (is_element (child, old_format ? "TestDate" : "TimeStamp"))
        take_text (&system->timestamp, child);
      else if (is_element (child, old_format ? "Version" : "TestClientVersion"))
        take_text (&system->client_version, child);
      else if (is_element (child, old_format ? "TestNotes" : "Notes"))
        take_text (&system->notes, child);
      else if (is_element (child, "JSON"))
        take_text (&system->json, child);
    }
  if (system->identifier == NULL)
    system->identifier = g_strdup ("");
  system->source = g_strdup (state->name);

  /* Entries may come first in hand-made files: a System then completes the one they made. */
  known = vl_result_set_find_system (set, system->identifier);
  if (known != NULL)
    {
      VlResultSystem tmp = *known;

      *known = *system;
      *system = tmp;
    }
  else
    {
      g_ptr_array_add (set->systems, g_steal_pointer (&system));
    }
  if (system != NULL)
    vl_result_system_free (system);
}

static void
parse_header (VlResultSet *set, const xmlNode *node)
{
  for (const xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (is_element (child, "Title"))
        take_text (&set->title, child);
      else if (is_element (child, "Description"))
        take_text (&set->description, child);
      else if (is_element (child, "LastModified"))
        take_text (&set->last_modified, child);
      else if (is_element (child, "TestClient"))
        take_text (&set->test_client, child);
    }
}

static gboolean
parse_document (const LoadState *state, VlResultSet *set, const xmlNode *root, GError **error)
{
  gboolean old_format = FALSE;
  gboolean any = FALSE;

  if (!is_element (root, "PhoronixTestSuite"))
    {
      g_autofree char *msg = g_strdup_printf (_("this is not a Phoronix Test Suite result file: its "
                                                "root element is <%s>, not <PhoronixTestSuite>"),
                                              (const char *) root->name);
      return set_error_at (error, state, xmlGetLineNo (root), msg);
    }
  for (const xmlNode *child = root->children; child != NULL; child = child->next)
    if (is_element (child, "Suite") || is_element (child, "Benchmark"))
      old_format = TRUE;

  for (const xmlNode *child = root->children; child != NULL; child = child->next)
    {
      if (is_element (child, "Generated") || is_element (child, "Suite"))
        parse_header (set, child);
      else if (is_element (child, "System"))
        parse_system (state, set, child, old_format);
      else if (is_element (child, old_format ? "Benchmark" : "Result"))
        {
          any = TRUE;
          if (!parse_result (state, set, child, old_format ? result_names_2 : result_names_3, error))
            return FALSE;
        }
    }
  if (!any)
    return set_error_at (error, state, xmlGetLineNo (root), _("the file holds no test results"));
  return TRUE;
}

VlResultSet *
vl_result_file_load_data (const char *data, gsize length, const char *name, GError **error)
{
  g_autoptr(xmlParserCtxt) ctxt = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(VlResultSet) set = NULL;
  g_auto(LoadState) state = { .name = name };
  xmlNode *root;
  /* No network, no entity substitution (no XML_PARSE_NOENT), no DTD loading (no XML_PARSE_DTDLOAD). */
  int options = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES;

  if (length > VL_RESULT_FILE_MAX_SIZE)
    {
      g_autofree char *size = g_format_size (length);
      g_autofree char *limit = g_format_size (VL_RESULT_FILE_MAX_SIZE);

      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” is too big for a result file (%s; the limit is %s)"), name, size, limit);
      return NULL;
    }

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("“%s” could not be read: out of memory"), name);
      return NULL;
    }
  ctxt->_private = &state;
  ctxt->sax->internalSubset = reject_internal_subset;
  ctxt->sax->serror = record_error;
  ctxt->sax->initialized = XML_SAX2_MAGIC;
  doc = xmlCtxtReadMemory (ctxt, data, (int) length, NULL, NULL, options);

  if (state.doctype_line > 0)
    {
      set_error_at (error, &state, state.doctype_line,
                    _("the file declares a document type (DOCTYPE), which result files never do; "
                      "it was not read, to keep entity tricks out"));
      return NULL;
    }
  if (doc == NULL || !ctxt->wellFormed)
    {
      /* libxml2's own words say exactly what is wrong; they only exist in English. */
      g_autofree char *msg = g_strdup_printf (_("the file is not well-formed XML: %s"),
                                              state.first_error != NULL ? state.first_error : "?");

      set_error_at (error, &state, state.first_error != NULL ? state.first_error_line : 1, msg);
      return NULL;
    }
  root = xmlDocGetRootElement (doc);
  if (root == NULL)
    {
      set_error_at (error, &state, 1, _("the file is empty"));
      return NULL;
    }

  set = vl_result_set_new ();
  g_ptr_array_add (set->sources, g_strdup (name));
  if (!parse_document (&state, set, root, error))
    return NULL;
  return g_steal_pointer (&set);
}

VlResultSet *
vl_result_file_load (const char *path, GError **error)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *data = NULL;
  GStatBuf st;
  gsize length = 0;

  /* Refuse a huge file before reading it into memory. */
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > VL_RESULT_FILE_MAX_SIZE)
    {
      g_autofree char *size = g_format_size (st.st_size);
      g_autofree char *limit = g_format_size (VL_RESULT_FILE_MAX_SIZE);

      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” is too big for a result file (%s; the limit is %s)"), name, size, limit);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return vl_result_file_load_data (data, length, name, error);
}
