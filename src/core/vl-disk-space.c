/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How much room the file system under a path has (vl-disk-space.h). */
#include "config.h"

#include <gio/gio.h>

#include "vl-disk-space.h"

gboolean
vl_disk_space_free_for (const char *path, guint64 *free_bytes)
{
  const char *attribute = G_FILE_ATTRIBUTE_FILESYSTEM_FREE;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (free_bytes != NULL, FALSE);
  file = g_file_new_for_path (path);
  while (file != NULL)
    {
      g_autoptr(GFileInfo) info = g_file_query_filesystem_info (file, attribute, NULL, NULL);
      g_autoptr(GFile) parent = NULL;

      if (info != NULL && g_file_info_has_attribute (info, attribute))
        {
          *free_bytes = g_file_info_get_attribute_uint64 (info, attribute);
          return TRUE;
        }
      parent = g_file_get_parent (file);
      g_set_object (&file, parent);
    }
  return FALSE;
}
