/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small GTK helpers that several pages repeat: emptying a container, a grid of named facts. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One row of a fact grid: `key` finds the value, `label` is marked with N_() by the caller. */
typedef struct
{
  const char *key;
  const char *label;
} VlFactRow;

void        vl_container_destroy_children (GtkContainer    *container);
void        vl_menu_button_quiet_tooltip  (GtkMenuButton   *button);
void        vl_accessible_set_name        (GtkWidget       *widget,
                                           const char      *name);
void        vl_accessible_name_entries    (GtkWidget       *root);

GHashTable *vl_fact_grid_fill             (GtkGrid         *grid,
                                           const VlFactRow *rows,
                                           guint            n_rows);
const char *vl_fact_grid_get              (GHashTable      *values,
                                           const char      *key);
void        vl_fact_grid_set              (GHashTable      *values,
                                           const char      *key,
                                           const char      *value);

G_END_DECLS
