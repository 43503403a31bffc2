/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The results model: systems, results and their entries, and merging runs by system. */
#include "config.h"

#include <string.h>

#include "vl-result-set.h"

void
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
  g_free (entry->error);
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
  entry->error = g_strdup (src->error);
  return entry;
}

VlResult *
vl_result_new (void)
{
  VlResult *result = g_new0 (VlResult, 1);

  result->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_result_entry_free);
  return result;
}

void
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
  g_free (set->notes);
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

  /* Each from the first file that has it. (Copied all together while the title was missing, a
   * second file's copies replaced, and leaked, the first one's.) */
  if (into->title == NULL)
    into->title = g_strdup (other->title);
  if (into->description == NULL)
    into->description = g_strdup (other->description);
  if (into->last_modified == NULL)
    into->last_modified = g_strdup (other->last_modified);
  if (into->test_client == NULL)
    into->test_client = g_strdup (other->test_client);
  if (into->notes == NULL)
    into->notes = g_strdup (other->notes);
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
