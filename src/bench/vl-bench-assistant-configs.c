/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run Benchmarks…, step 1: the configurations to compare, rows of connection × mode × name, and the
 * hosts behind them read in worker threads (vl_bench_host_probe_async) for their modes and resources. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-bench-assistant-private.h"

/* ---- step 1: configurations ---------------------------------------------------------------------- */

GList *
vl_bench_assistant_config_rows (VlBenchAssistant *self)
{
  return gtk_container_get_children (GTK_CONTAINER (self->vl_bench_assistant_config_rows));
}

static char *
unique_name (VlBenchAssistant *self, const char *base, GtkWidget *except)
{
  g_autoptr(GList) rows = vl_bench_assistant_config_rows (self);

  for (guint n = 1;; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (base) : g_strdup_printf ("%s %u", base, n);
      gboolean taken = FALSE;

      for (GList *l = rows; l != NULL && !taken; l = l->next)
        taken = l->data != except &&
                g_strcmp0 (gtk_entry_get_text (g_object_get_data (l->data, "name")), name) == 0;
      if (!taken)
        return g_steal_pointer (&name);
    }
}

static void
mode_changed (GtkComboBox *combo, VlBenchAssistant *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (combo), "row");
  GtkEntry *entry = g_object_get_data (G_OBJECT (row), "name");
  const char *id = gtk_combo_box_get_active_id (combo);
  VlBenchMode mode;

  /* A name the user has not typed follows the mode. */
  if (id != NULL && vl_bench_mode_from_string (id, &mode) &&
      g_object_get_data (G_OBJECT (entry), "typed") == NULL)
    {
      g_autofree char *name = unique_name (self, vl_bench_assistant_mode_name (mode), row);

      g_signal_handlers_block_matched (entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      gtk_entry_set_text (entry, name);
      g_signal_handlers_unblock_matched (entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }
  vl_bench_assistant_validate_configs (self);
}

static void
fill_modes (GtkComboBoxText *modes, const VlBenchHost *host, const char *keep)
{
  int first = -1;

  gtk_combo_box_text_remove_all (modes);
  for (int mode = 0; host != NULL && mode < VL_BENCH_N_MODES; mode++)
    if (host->modes[mode])
      {
        g_autofree char *label = NULL;

        /* Listed, so a user who knows better may still pick it, but said and not chosen. */
        if (mode == VL_BENCH_MODE_KVM_HVM && host->kvm_unusable != NULL)
          label = g_strdup_printf (_("%s (cannot be used here)"), vl_bench_assistant_mode_label (mode));
        gtk_combo_box_text_append (modes, vl_bench_mode_id (mode),
                                   label != NULL ? label : vl_bench_assistant_mode_label (mode));
        if (first < 0 && vl_bench_host_mode_default (host, mode))
          first = mode;
      }
  if (keep == NULL || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (modes), keep))
    {
      if (first < 0 || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (modes), vl_bench_mode_id (first)))
        gtk_combo_box_set_active (GTK_COMBO_BOX (modes), 0);
    }
}

static void
connection_changed (GtkComboBox *combo, VlBenchAssistant *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (combo), "row");
  GtkComboBox *modes = g_object_get_data (G_OBJECT (row), "mode");
  const char *uri = gtk_combo_box_get_active_id (combo);
  g_autofree char *keep = g_strdup (gtk_combo_box_get_active_id (modes));

  fill_modes (GTK_COMBO_BOX_TEXT (modes), uri != NULL ? g_hash_table_lookup (self->hosts, uri) : NULL, keep);
  vl_bench_assistant_validate_configs (self);
}

static void
name_changed (GtkEntry *entry, VlBenchAssistant *self)
{
  g_object_set_data (G_OBJECT (entry), "typed", GINT_TO_POINTER (1));
  vl_bench_assistant_validate_configs (self);
}

static void
remove_clicked (GtkButton *button, VlBenchAssistant *self)
{
  gtk_widget_destroy (g_object_get_data (G_OBJECT (button), "row"));
  vl_bench_assistant_validate_configs (self);
}

static GtkWidget *
add_row (VlBenchAssistant *self, const char *uri, VlBenchMode mode)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *conns = gtk_combo_box_text_new ();
  GtkWidget *modes = gtk_combo_box_text_new ();
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic", GTK_ICON_SIZE_BUTTON);
  guint n = g_list_model_get_n_items (self->connections);
  g_autoptr(GList) existing = vl_bench_assistant_config_rows (self);
  guint index = g_list_length (existing) + 1;
  g_autofree char *conn_name = g_strdup_printf (_("Connection of configuration %u"), index);
  g_autofree char *mode_acc = g_strdup_printf (_("Mode of configuration %u"), index);
  g_autofree char *name_acc = g_strdup_printf (_("Name of configuration %u"), index);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) conn = g_list_model_get_item (self->connections, i);
      const char *conn_uri = vl_connection_get_uri (conn);

      if (g_hash_table_contains (self->hosts, conn_uri))
        {
          g_autofree char *title = vl_connection_dup_title (conn);

          gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (conns), conn_uri, title);
        }
    }
  g_object_set_data (G_OBJECT (conns), "row", row);
  g_object_set_data (G_OBJECT (modes), "row", row);
  g_object_set_data (G_OBJECT (remove), "row", row);
  g_object_set_data (G_OBJECT (row), "connection", conns);
  g_object_set_data (G_OBJECT (row), "mode", modes);
  g_object_set_data (G_OBJECT (row), "name", entry);
  atk_object_set_name (gtk_widget_get_accessible (conns), conn_name);
  atk_object_set_name (gtk_widget_get_accessible (modes), mode_acc);
  atk_object_set_name (gtk_widget_get_accessible (entry), name_acc);
  gtk_widget_set_tooltip_text (remove, _("Remove this configuration"));
  gtk_widget_set_hexpand (conns, TRUE);
  gtk_entry_set_width_chars (GTK_ENTRY (entry), 16);
  gtk_entry_set_max_length (GTK_ENTRY (entry), 64);
  gtk_box_pack_start (GTK_BOX (row), conns, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (row), modes, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), entry, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), remove, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (self->vl_bench_assistant_config_rows), row);
  gtk_widget_show_all (row);

  if (uri == NULL || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (conns), uri))
    gtk_combo_box_set_active (GTK_COMBO_BOX (conns), 0);
  connection_changed (GTK_COMBO_BOX (conns), self);
  if (uri != NULL)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (modes), vl_bench_mode_id (mode));
  mode_changed (GTK_COMBO_BOX (modes), self);
  g_signal_connect (conns, "changed", G_CALLBACK (connection_changed), self);
  g_signal_connect (modes, "changed", G_CALLBACK (mode_changed), self);
  g_signal_connect (entry, "changed", G_CALLBACK (name_changed), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked), self);
  return row;
}

GtkWidget *
vl_bench_assistant_add_row (VlBenchAssistant *self)
{
  GtkWidget *row;

  g_return_val_if_fail (VL_IS_BENCH_ASSISTANT (self), NULL);
  row = add_row (self, NULL, VL_BENCH_MODE_QEMU_TCG);
  vl_bench_assistant_validate_configs (self);
  return row;
}

static void
add_clicked (GtkButton *button, VlBenchAssistant *self)
{
  vl_bench_assistant_add_row (self);
}

/* The rows as a plan's configurations; FALSE with the message naming what is wrong. */
gboolean
vl_bench_assistant_collect_configs (VlBenchAssistant *self, VlBenchPlan *plan, GError **error)
{
  g_autoptr(GList) rows = vl_bench_assistant_config_rows (self);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint index = 0;

  if (self->probing > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING, _("Reading the connections’ hosts…"));
      return FALSE;
    }
  if (g_hash_table_size (self->hosts) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("No connection is connected: connect one on the Guests page first."));
      return FALSE;
    }
  if (rows == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Add at least one configuration to run."));
      return FALSE;
    }
  for (GList *l = rows; l != NULL; l = l->next, index++)
    {
      const char *uri = gtk_combo_box_get_active_id (g_object_get_data (l->data, "connection"));
      const char *mode_id = gtk_combo_box_get_active_id (g_object_get_data (l->data, "mode"));
      const char *name = gtk_entry_get_text (g_object_get_data (l->data, "name"));
      VlBenchConfig *config;

      if (uri == NULL || mode_id == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Configuration %u: its connection offers none of the modes (Xen PV, Xen HVM, KVM "
                          "HVM, "
                          "QEMU without acceleration)."),
                       index + 1);
          return FALSE;
        }
      g_ptr_array_add (names, (char *) name);
      if (plan == NULL)
        continue;
      config = g_new0 (VlBenchConfig, 1);
      config->uri = g_strdup (uri);
      vl_bench_mode_from_string (mode_id, &config->mode);
      config->name = g_strstrip (g_strdup (name));
      g_ptr_array_add (plan->configs, config);
    }
  g_ptr_array_add (names, NULL);
  return vl_bench_names_check ((const char *const *) names->pdata, error);
}

void
vl_bench_assistant_validate_configs (VlBenchAssistant *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = vl_bench_assistant_collect_configs (self, NULL, &error);

  vl_bench_assistant_set_error (self->config_error, ok ? NULL : error->message);
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->config_page, ok);
}

/* ---- the hosts ----------------------------------------------------------------------------------- */

static void
defaults_from_hosts (VlBenchAssistant *self)
{
  GHashTableIter iter;
  VlBenchHost *host;
  guint cpus = 0;
  guint64 free_mib = 0;

  g_hash_table_iter_init (&iter, self->hosts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &host))
    {
      if (host->cpus > 0)
        cpus = cpus == 0 ? host->cpus : MIN (cpus, host->cpus);
      if (host->free_memory_kib > 0)
        free_mib = free_mib == 0 ? host->free_memory_kib / 1024
                                 : MIN (free_mib, host->free_memory_kib / 1024);
    }
  /* Two vCPUs and 1 GiB as the study, less where a host has less. */
  if (cpus > 0)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->vcpus), MIN (2, cpus));
  if (free_mib > 0 && free_mib < 1024 + 256)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->memory), MAX (256, (free_mib - 256) / 64 * 64));
}

static void
fill_configs (VlBenchAssistant *self)
{
  guint n = g_list_model_get_n_items (self->connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) conn = g_list_model_get_item (self->connections, i);
      VlBenchHost *host = g_hash_table_lookup (self->hosts, vl_connection_get_uri (conn));

      for (int mode = 0; host != NULL && mode < VL_BENCH_N_MODES; mode++)
        if (vl_bench_host_mode_default (host, mode))
          add_row (self, host->uri, mode);
    }
  defaults_from_hosts (self);
  vl_bench_assistant_validate_configs (self);
}

static void
note_unusable (VlBenchAssistant *self, const char *text)
{
  const char *old = gtk_label_get_text (GTK_LABEL (self->disconnected_label));
  g_autofree char *joined = old[0] != '\0' ? g_strdup_printf ("%s\n%s", old, text) : g_strdup (text);

  vl_bench_assistant_set_error (self->disconnected_label, joined);
}

static void
probe_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlBenchAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  VlBenchHost *host = vl_bench_host_probe_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (host == NULL)
    note_unusable (self, error->message);
  else
    {
      if (host->kvm_unusable != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("%s: KVM cannot be used here (%s), so QEMU without "
                                                      "acceleration is chosen."),
                                                   host->uri, host->kvm_unusable);

          note_unusable (self, text);
        }
      g_hash_table_replace (self->hosts, host->uri, host);
    }
  if (--self->probing == 0)
    fill_configs (self);
}

void
vl_bench_assistant_probe_connections (VlBenchAssistant *self)
{
  guint n = g_list_model_get_n_items (self->connections);

  self->probing++;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) conn = g_list_model_get_item (self->connections, i);
      const char *uri = vl_connection_get_uri (conn);

      if (vl_connection_get_state (conn) != VL_CONNECTION_STATE_CONNECTED)
        {
          g_autofree char
            *text = g_strdup_printf (_("%s is not connected (%s): connect it on the Guests page to "
                                        "run benchmarks on it."),
                                     uri, vl_connection_state_to_string (vl_connection_get_state (conn)));

          note_unusable (self, text);
          continue;
        }
      self->probing++;
      vl_bench_host_probe_async (vl_connection_get_connection (conn), uri, self->cancellable, probe_done,
                                 g_object_ref (self));
    }
  if (--self->probing == 0)
    fill_configs (self);
}

void
vl_bench_assistant_build_config_page (VlBenchAssistant *self)
{
  GtkWidget *box = vl_bench_assistant_page_box ();
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add Configuration"));

  gtk_container_add (GTK_CONTAINER (box),
                     vl_bench_assistant_intro (_(
                       "Choose the configurations to compare: a connection, how its guest runs (only what "
                       "the "
                       "connection’s host offers) and the name the results give it. They run one after the "
                       "other, so they do not disturb each other.")));
  self->vl_bench_assistant_config_rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_container_add (GTK_CONTAINER (scrolled), self->vl_bench_assistant_config_rows);
  gtk_widget_show_all (scrolled);
  gtk_container_add (GTK_CONTAINER (box), scrolled);
  gtk_widget_set_halign (add, GTK_ALIGN_START);
  g_signal_connect (add, "clicked", G_CALLBACK (add_clicked), self);
  gtk_widget_show (add);
  gtk_container_add (GTK_CONTAINER (box), add);
  self->config_error = vl_bench_assistant_message_label ();
  gtk_style_context_add_class (gtk_widget_get_style_context (self->config_error), "error");
  gtk_container_add (GTK_CONTAINER (box), self->config_error);
  self->disconnected_label = vl_bench_assistant_message_label ();
  gtk_style_context_add_class (gtk_widget_get_style_context (self->disconnected_label), "dim-label");
  gtk_widget_set_visible (self->disconnected_label, FALSE);
  gtk_container_add (GTK_CONTAINER (box), self->disconnected_label);
  self->config_page = box;
  gtk_assistant_append_page (GTK_ASSISTANT (self), box);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), box, _("Configurations"));
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), box, GTK_ASSISTANT_PAGE_INTRO);
}
