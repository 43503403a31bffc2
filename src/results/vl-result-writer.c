/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes Phoronix Test Suite result files: the element order of PTS's own writer
 * (pts_result_file_writer.php) and the limits of its result-file.xsd, so PTS reads what we write. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libxml/xmlwriter.h>

#include "vl-error.h"
#include "vl-result-writer.h"

char *
vl_pts_timestamp (GDateTime *when)
{
  g_autoptr(GDateTime) now = when == NULL ? g_date_time_new_now_local () : NULL;

  return g_date_time_format (when != NULL ? when : now, "%Y-%m-%d %H:%M:%S");
}

gboolean
vl_pts_timestamp_is_valid (const char *text)
{
  static const char pattern[] = "dddd-dd-dd dd:dd:dd";

  if (text == NULL || strlen (text) != strlen (pattern))
    return FALSE;
  for (guint i = 0; pattern[i] != '\0'; i++)
    if (pattern[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != pattern[i])
      return FALSE;
  return TRUE;
}

static void
json_append_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

char *
vl_pts_error_json (const char *reason)
{
  g_autofree char *valid = g_utf8_make_valid (reason != NULL ? reason : "", -1);
  GString *out = g_string_new ("{\"error\":");

  json_append_string (out, valid);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

char *
vl_pts_result_name (const char *title)
{
  GString *out = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = title != NULL ? title : ""; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && out->len > 0)
            g_string_append_c (out, '-');
          g_string_append_c (out, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
      if (out->len >= 64)
        break;
    }
  if (out->len == 0)
    g_string_append (out, "virtlab-benchmarks");
  return g_string_free (out, FALSE);
}

/* Valid UTF-8 with only the characters XML 1.0 allows: a tool's raw output may hold anything. */
static char *
xml_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
          || c >= 0x10000)
        g_string_append_unichar (out, c);
      else
        g_string_append_unichar (out, 0xFFFD);
    }
  return g_string_free (out, FALSE);
}

/* The shortest decimal that reads back as the same double. */
static char *
format_number (double value)
{
  static const char *const formats[] = { "%.1f", "%.2f", "%.3f", "%.4f", "%.6f", "%.9f", "%.12g",
                                         "%.15g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return g_strdup (buf);
}

static gboolean
check_length (const char *what, const char *text, glong min, glong max, GError **error)
{
  glong length = text != NULL ? g_utf8_strlen (text, -1) : 0;

  if (length >= min && length <= max)
    return TRUE;
  g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
               _("%s “%s” does not fit a PTS result file: its length is %ld, and from %ld to %ld characters are allowed"),
               what, text != NULL ? text : "", length, min, max);
  return FALSE;
}

static gboolean
check_display_format (const VlResult *result, GError **error)
{
  static const char *const formats[] = { "NO_RESULT", "BAR_GRAPH", "LINE_GRAPH", "SCATTER_PLOT", "PASS_FAIL",
                                         "MULTI_PASS_FAIL", "IMAGE_COMPARISON", "BAR_ANALYZE_GRAPH", NULL };

  if (result->display_format == NULL || result->display_format[0] == '\0'
      || g_strv_contains (formats, result->display_format))
    return TRUE;
  g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
               _("The result “%s” has the display format “%s”, which PTS does not know"),
               result->title, result->display_format);
  return FALSE;
}

/* Everything PTS's schema would refuse, found before a byte is written. */
static gboolean
check_set (const VlResultSet *set, GError **error)
{
  if (!check_length (_("The comparison’s title"), set->title, 1, VL_PTS_SET_TITLE_MAX, error)
      || !check_length (_("The comparison’s description"), set->description, 0, VL_PTS_DESCRIPTION_MAX, error))
    return FALSE;
  if (set->last_modified != NULL && !vl_pts_timestamp_is_valid (set->last_modified))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The date “%s” of the comparison is not in the form YYYY-MM-DD HH:MM:SS"), set->last_modified);
      return FALSE;
    }
  if (set->systems->len == 0 || set->results->len == 0)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                           _("A PTS result file needs at least one system and one result"));
      return FALSE;
    }
  for (guint i = 0; i < set->systems->len; i++)
    {
      const VlResultSystem *system = g_ptr_array_index (set->systems, i);

      if (!check_length (_("The system name"), system->identifier, 1, VL_PTS_SYSTEM_ID_MAX, error))
        return FALSE;
      if (system->timestamp != NULL && !vl_pts_timestamp_is_valid (system->timestamp))
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("The date “%s” of system “%s” is not in the form YYYY-MM-DD HH:MM:SS"),
                       system->timestamp, system->identifier);
          return FALSE;
        }
    }
  for (guint i = 0; i < set->results->len; i++)
    {
      const VlResult *result = g_ptr_array_index (set->results, i);

      if (!check_length (_("The result title"), result->title, VL_PTS_RESULT_TITLE_MIN,
                         VL_PTS_RESULT_TITLE_MAX, error)
          || !check_display_format (result, error))
        return FALSE;
      if (result->entries->len == 0)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("The result “%s” has no entry: PTS needs at least one system’s value"), result->title);
          return FALSE;
        }
      for (guint j = 0; j < result->entries->len; j++)
        {
          const VlResultEntry *entry = g_ptr_array_index (result->entries, j);

          if (!check_length (_("The system name"), entry->system, 1, VL_PTS_SYSTEM_ID_MAX, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Text escaped as PTS's writer does (& < > and CR; quotes stay as they are, JSON is easier to read). */
static void
element (xmlTextWriter *writer, const char *name, const char *text)
{
  g_autofree char *clean = xml_text (text);
  GString *escaped = g_string_sized_new (strlen (clean) + 16);

  for (const char *p = clean; *p != '\0'; p++)
    switch (*p)
      {
      case '&':
        g_string_append (escaped, "&amp;");
        break;
      case '<':
        g_string_append (escaped, "&lt;");
        break;
      case '>':
        g_string_append (escaped, "&gt;");
        break;
      case '\r':
        g_string_append (escaped, "&#13;");
        break;
      default:
        g_string_append_c (escaped, *p);
      }
  xmlTextWriterStartElement (writer, BAD_CAST name);
  xmlTextWriterWriteRaw (writer, BAD_CAST escaped->str);
  xmlTextWriterEndElement (writer);
  g_string_free (escaped, TRUE);
}

/* PTS leaves out an optional element whose text is empty (addXmlNodeWNE). */
static void
optional_element (xmlTextWriter *writer, const char *name, const char *text)
{
  if (text != NULL && text[0] != '\0')
    element (writer, name, text);
}

static const char *
proportion_text (VlProportion proportion)
{
  switch (proportion)
    {
    case VL_PROPORTION_HIB:
      return "HIB";
    case VL_PROPORTION_LIB:
      return "LIB";
    case VL_PROPORTION_NONE:
    default:
      return "";
    }
}

static void
write_entry (xmlTextWriter *writer, const VlResultEntry *entry)
{
  g_autofree char *value = NULL;
  g_autofree char *json = NULL;
  GString *raw = g_string_new (NULL);

  if (entry->failed)
    value = g_strdup ("");
  else if (entry->value_text != NULL)
    value = g_strdup (entry->value_text);
  else
    value = format_number (entry->value);
  for (guint i = 0; !entry->failed && entry->raw != NULL && i < entry->raw->len; i++)
    {
      g_autofree char *number = format_number (g_array_index (entry->raw, double, i));

      if (i > 0)
        g_string_append_c (raw, ':');
      g_string_append (raw, number);
    }
  json = g_strdup (entry->json);
  if (entry->failed && (json == NULL || json[0] == '\0'))
    {
      g_free (json);
      /* PTS's own words, stored in the file as PTS stores them. */
      json = vl_pts_error_json (entry->error != NULL ? entry->error : "The test run did not produce a result.");
    }

  xmlTextWriterStartElement (writer, BAD_CAST "Entry");
  element (writer, "Identifier", entry->system);
  element (writer, "Value", value);
  element (writer, "RawString", raw->str);
  optional_element (writer, "JSON", json);
  xmlTextWriterEndElement (writer);
  g_string_free (raw, TRUE);
}

char *
vl_result_set_to_pts_xml (const VlResultSet *set, GError **error)
{
  g_autofree char *now = vl_pts_timestamp (NULL);
  g_autofree char *client = g_strdup_printf ("%s %s", PACKAGE_NAME, PACKAGE_VERSION);
  g_autofree char *comment = NULL;
  xmlBuffer *buffer;
  xmlTextWriter *writer;
  char *xml;

  if (!check_set (set, error))
    return NULL;

  buffer = xmlBufferCreate ();
  writer = xmlNewTextWriterMemory (buffer, 0);
  xmlTextWriterSetIndent (writer, 1);
  xmlTextWriterSetIndentString (writer, BAD_CAST "  ");
  xmlTextWriterStartDocument (writer, NULL, "UTF-8", NULL);
  /* PTS names its version in a comment first; we name ourselves, the writer of this file. */
  comment = g_strdup_printf ("Written by %s for the Phoronix Test Suite", client);
  xmlTextWriterWriteComment (writer, BAD_CAST comment);
  xmlTextWriterStartElement (writer, BAD_CAST "PhoronixTestSuite");

  xmlTextWriterStartElement (writer, BAD_CAST "Generated");
  element (writer, "Title", set->title);
  element (writer, "LastModified", set->last_modified != NULL ? set->last_modified : now);
  element (writer, "TestClient", set->test_client != NULL ? set->test_client : client);
  element (writer, "Description", set->description);
  optional_element (writer, "Notes", set->notes);
  xmlTextWriterEndElement (writer);

  for (guint i = 0; i < set->systems->len; i++)
    {
      const VlResultSystem *system = g_ptr_array_index (set->systems, i);

      xmlTextWriterStartElement (writer, BAD_CAST "System");
      element (writer, "Identifier", system->identifier);
      element (writer, "Hardware", system->hardware);
      element (writer, "Software", system->software);
      element (writer, "User", system->user != NULL ? system->user : g_get_user_name ());
      element (writer, "TimeStamp", system->timestamp != NULL ? system->timestamp : now);
      element (writer, "TestClientVersion", system->client_version != NULL ? system->client_version : client);
      element (writer, "Notes", system->notes);
      optional_element (writer, "JSON", system->json);
      xmlTextWriterEndElement (writer);
    }

  for (guint i = 0; i < set->results->len; i++)
    {
      const VlResult *result = g_ptr_array_index (set->results, i);

      xmlTextWriterStartElement (writer, BAD_CAST "Result");
      element (writer, "Identifier", result->identifier);
      element (writer, "Title", result->title);
      element (writer, "AppVersion", result->app_version);
      element (writer, "Arguments", result->arguments);
      element (writer, "Description", result->description);
      element (writer, "Scale", result->scale);
      element (writer, "Proportion", proportion_text (result->proportion));
      element (writer, "DisplayFormat", result->display_format != NULL && result->display_format[0] != '\0'
                                          ? result->display_format : "BAR_GRAPH");
      xmlTextWriterStartElement (writer, BAD_CAST "Data");
      for (guint j = 0; j < result->entries->len; j++)
        write_entry (writer, g_ptr_array_index (result->entries, j));
      xmlTextWriterEndElement (writer);
      xmlTextWriterEndElement (writer);
    }

  xmlTextWriterEndDocument (writer);
  xmlFreeTextWriter (writer);
  xml = g_strndup ((const char *) xmlBufferContent (buffer), xmlBufferLength (buffer));
  xmlBufferFree (buffer);
  return xml;
}

/* ---- saving ------------------------------------------------------------------------------------ */

static char *
numbered (const char *dir, const char *name, guint n, const char *suffix)
{
  g_autofree char *base = n <= 1 ? g_strconcat (name, suffix, NULL)
                                 : g_strdup_printf ("%s-%u%s", name, n, suffix);

  return g_build_filename (dir, base, NULL);
}

/* Written to a temporary file, then linked under the first free numbered name: link() never
 * replaces a file, so two saves at once cannot overwrite each other or leave half a file. */
static char *
save_numbered_file (const char *dir, const char *name, const char *xml, GError **error)
{
  g_autofree char *tmp = g_build_filename (dir, ".virtlab-result-XXXXXX", NULL);
  int saved_errno = 0;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("The folder “%s” could not be made: %s"), dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  fd = g_mkstemp_full (tmp, O_RDWR, 0644);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("No file could be written in “%s”: %s"), dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  close (fd);
  if (!g_file_set_contents (tmp, xml, -1, error))
    {
      g_unlink (tmp);
      return NULL;
    }
  for (guint n = 1; n < 10000; n++)
    {
      g_autofree char *path = numbered (dir, name, n, ".xml");

      if (link (tmp, path) == 0)
        {
          g_unlink (tmp);
          return g_steal_pointer (&path);
        }
      if (errno != EEXIST)
        {
          saved_errno = errno;
          g_unlink (tmp);
          g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("“%s” could not be saved: %s"), path,
                       g_strerror (saved_errno));
          return NULL;
        }
    }
  g_unlink (tmp);
  g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("“%s” holds too many comparisons named “%s”"), dir, name);
  return NULL;
}

/* PTS's layout: a folder per run. mkdir() fails on an existing folder, so an earlier run stays. */
static char *
save_pts_run (const char *dir, const char *name, const char *xml, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("The folder “%s” could not be made: %s"), dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  for (guint n = 1; n < 10000; n++)
    {
      g_autofree char *run_dir = numbered (dir, name, n, "");
      g_autofree char *path = NULL;

      if (g_mkdir (run_dir, 0755) != 0)
        {
          int saved_errno = errno;

          if (saved_errno == EEXIST)
            continue;
          g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("The folder “%s” could not be made: %s"), run_dir,
                       g_strerror (saved_errno));
          return NULL;
        }
      path = g_build_filename (run_dir, "composite.xml", NULL);
      if (!g_file_set_contents (path, xml, -1, error))
        {
          g_rmdir (run_dir);
          return NULL;
        }
      return g_steal_pointer (&path);
    }
  g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("“%s” holds too many comparisons named “%s”"), dir, name);
  return NULL;
}

gboolean
vl_result_set_save_pts (const VlResultSet *set, const char *name, const char *data_dir,
                        const char *pts_results_dir, char **saved_path, char **pts_path, GError **error)
{
  g_autofree char *xml = vl_result_set_to_pts_xml (set, error);
  g_autofree char *safe = vl_pts_result_name (name != NULL ? name : set->title);
  g_autofree char *saved = NULL;
  g_autofree char *pts = NULL;

  if (xml == NULL)
    return FALSE;
  if (data_dir != NULL && (saved = save_numbered_file (data_dir, safe, xml, error)) == NULL)
    return FALSE;
  if (pts_results_dir != NULL && (pts = save_pts_run (pts_results_dir, safe, xml, error)) == NULL)
    return FALSE;
  if (saved_path != NULL)
    *saved_path = g_steal_pointer (&saved);
  if (pts_path != NULL)
    *pts_path = g_steal_pointer (&pts);
  return TRUE;
}

char *
vl_result_benchmarks_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "virtlab", "benchmarks", NULL);
}

char *
vl_result_pts_user_results_dir (void)
{
  return g_build_filename (g_get_home_dir (), ".phoronix-test-suite", "test-results", NULL);
}
