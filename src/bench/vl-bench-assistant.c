/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run Benchmarks…: four steps over the benchmark job. The widgets never call libvirt: each host is
 * read by vl_bench_host_probe_async, the image by vl_bench_image_check_async, and the job runs in
 * its worker thread (vl-bench-job), its lines coming back on the main loop. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-bench-assistant.h"
#include "vl-bench-job.h"
#include "vl-bench-prepare.h"
#include "vl-connection.h"
#include "vl-result-writer.h"

struct _VlBenchAssistant
{
  GtkAssistant parent_instance;

  GListModel *connections;
  GHashTable *hosts; /* URI → VlBenchHost, the connected ones read */
  guint probing;
  GCancellable *cancellable; /* the probes and the image check */
  char **tests;
  gboolean image_checked, image_ok, image_cached;
  char *image_error;

  GtkWidget *config_page, *config_rows, *config_error, *disconnected_label;
  GtkWidget *resources_page, *vcpus, *memory, *scratch, *profile, *runs, *resources_error;
  GtkWidget *summary_page, *summary_label, *image_label;
  GtkWidget *progress_page, *phase_label, *test_label, *time_label, *bar, *console;
  GtkWidget *done_page, *done_label;
  GtkWidget *confirm;

  VlBenchPlan *plan; /* the running job's: alive and unchanged until its callback */
  GCancellable *job_cancel;
  gboolean running;
  gint64 started;
  guint estimate;       /* from the profile */
  double first_started; /* seconds from the start to the first guest's, or -1 */
  guint timer;
  char **names;
  VlBenchProgress progress;
};

G_DEFINE_FINAL_TYPE (VlBenchAssistant, vl_bench_assistant, GTK_TYPE_ASSISTANT)

enum { SIGNAL_RESULT_SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
mode_label (VlBenchMode mode)
{
  switch (mode)
    {
    case VL_BENCH_MODE_XEN_PV:
      return _("Xen PV");
    case VL_BENCH_MODE_XEN_HVM:
      return _("Xen HVM");
    case VL_BENCH_MODE_KVM_HVM:
      return _("KVM HVM");
    case VL_BENCH_MODE_QEMU_TCG:
    default:
      return _("QEMU without acceleration");
    }
}

/* The study's names for its systems. */
static const char *
mode_name (VlBenchMode mode)
{
  return mode == VL_BENCH_MODE_QEMU_TCG ? "QEMU" : vl_bench_mode_default_name (mode);
}

static GtkWidget *
grid_label (const char *text)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_visible (label, TRUE);
  return label;
}

static GtkWidget *
message_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Selectable with the mouse, but not the first thing Tab reaches (it would select all its text). */
  gtk_widget_set_can_focus (label, FALSE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 80);
  gtk_widget_set_visible (label, TRUE);
  return label;
}

static void
set_error (GtkWidget *label, const char *text)
{
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_visible (label, text != NULL);
}

/* ---- step 1: configurations ---------------------------------------------------------------------- */

static GList *
config_rows (VlBenchAssistant *self)
{
  return gtk_container_get_children (GTK_CONTAINER (self->config_rows));
}

static void validate_configs (VlBenchAssistant *self);

static char *
unique_name (VlBenchAssistant *self, const char *base, GtkWidget *except)
{
  g_autoptr(GList) rows = config_rows (self);

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
      g_autofree char *name = unique_name (self, mode_name (mode), row);

      g_signal_handlers_block_matched (entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      gtk_entry_set_text (entry, name);
      g_signal_handlers_unblock_matched (entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }
  validate_configs (self);
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
          label = g_strdup_printf (_("%s (cannot be used here)"), mode_label (mode));
        gtk_combo_box_text_append (modes, vl_bench_mode_id (mode), label != NULL ? label : mode_label (mode));
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
  validate_configs (self);
}

static void
name_changed (GtkEntry *entry, VlBenchAssistant *self)
{
  g_object_set_data (G_OBJECT (entry), "typed", GINT_TO_POINTER (1));
  validate_configs (self);
}

static void
remove_clicked (GtkButton *button, VlBenchAssistant *self)
{
  gtk_widget_destroy (g_object_get_data (G_OBJECT (button), "row"));
  validate_configs (self);
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
  g_autoptr(GList) existing = config_rows (self);
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
  gtk_container_add (GTK_CONTAINER (self->config_rows), row);
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
  validate_configs (self);
  return row;
}

static void
add_clicked (GtkButton *button, VlBenchAssistant *self)
{
  vl_bench_assistant_add_row (self);
}

/* The rows as a plan's configurations; FALSE with the message naming what is wrong. */
static gboolean
collect_configs (VlBenchAssistant *self, VlBenchPlan *plan, GError **error)
{
  g_autoptr(GList) rows = config_rows (self);
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

static void
validate_configs (VlBenchAssistant *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = collect_configs (self, NULL, &error);

  set_error (self->config_error, ok ? NULL : error->message);
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
  validate_configs (self);
}

static void
note_unusable (VlBenchAssistant *self, const char *text)
{
  const char *old = gtk_label_get_text (GTK_LABEL (self->disconnected_label));
  g_autofree char *joined = old[0] != '\0' ? g_strdup_printf ("%s\n%s", old, text) : g_strdup (text);

  set_error (self->disconnected_label, joined);
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

static void
probe_connections (VlBenchAssistant *self)
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

/* ---- step 2: resources --------------------------------------------------------------------------- */

static VlBenchPlan *
build_plan (VlBenchAssistant *self, GError **error)
{
  g_autoptr(VlBenchPlan) plan = vl_bench_plan_new ();

  if (!collect_configs (self, plan, error))
    return NULL;
  plan->vcpus = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->vcpus));
  plan->memory_mib = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->memory));
  plan->scratch_mib = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->scratch));
  plan->runs = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->runs));
  vl_bench_profile_from_string (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->profile)), &plan->profile);
  plan->tests = g_strdupv (self->tests);
  if (!vl_bench_plan_check (plan, error))
    return NULL;
  for (guint i = 0; i < plan->configs->len; i++)
    {
      VlBenchConfig *config = g_ptr_array_index (plan->configs, i);

      if (!vl_bench_host_check (g_hash_table_lookup (self->hosts, config->uri), plan, error))
        return NULL;
    }
  return g_steal_pointer (&plan);
}

static void
validate_resources (VlBenchAssistant *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlBenchPlan) plan = build_plan (self, &error);

  set_error (self->resources_error, plan != NULL ? NULL : error->message);
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->resources_page, plan != NULL);
}

/* ---- step 3: summary ----------------------------------------------------------------------------- */

static char *
format_duration (guint seconds)
{
  if (seconds < 60)
    return g_strdup_printf (_("%u s"), seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%u min %02u s"), seconds / 60, seconds % 60);
  return g_strdup_printf (_("%u h %02u min"), seconds / 3600, seconds / 60 % 60);
}

static void
update_summary (VlBenchAssistant *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlBenchPlan) plan = build_plan (self, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *estimate = NULL;

  if (plan == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->summary_label), error->message);
      gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->summary_page, FALSE);
      return;
    }
  g_string_append_printf (text, "<b>%s</b>\n", _("Configurations, one after the other"));
  for (guint i = 0; i < plan->configs->len; i++)
    {
      VlBenchConfig *config = g_ptr_array_index (plan->configs, i);
      g_autofree char *line = g_markup_printf_escaped (_("%u. %s: %s on %s"), i + 1, config->name,
                                                       mode_label (config->mode), config->uri);

      g_string_append_printf (text, "%s\n", line);
    }
  g_string_append_printf (text, "\n<b>%s</b>\n", _("Each guest"));
  g_string_append_printf (text, _("%u vCPUs, %u MiB of memory, a %u MiB scratch disk"), plan->vcpus,
                          plan->memory_mib, plan->scratch_mib);
  g_string_append_printf (text, "\n\n<b>%s</b>\n", _("Tests"));
  g_string_append_printf (text, _("Profile: %s; runs of each test: %u"),
                          plan->profile == VL_BENCH_PROFILE_STUDY ? _("study") : _("quick"), plan->runs);
  if (plan->tests != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", plan->tests);
      g_autofree char *escaped = g_markup_escape_text (list, -1);

      g_string_append_printf (text, _(" (only %s)"), escaped);
    }
  estimate = format_duration (
    vl_bench_estimate_seconds (plan->profile, plan->runs, (const char *const *) plan->tests,
                               plan->configs->len, self->image_cached || !self->image_checked));
  g_string_append_printf (text, "\n\n<b>%s</b>\n", _("Estimated time"));
  g_string_append_printf (text, _("About %s"), estimate);
  if (self->image_checked && self->image_ok && !self->image_cached)
    g_string_append_printf (text, " %s", _("(the guest image is built first)"));
  gtk_label_set_markup (GTK_LABEL (self->summary_label), text->str);

  if (!self->image_checked)
    set_error (self->image_label, _("Checking whether the benchmark guest image can be built…"));
  else
    set_error (self->image_label, self->image_ok ? NULL : self->image_error);
  if (self->image_checked && !self->image_ok)
    gtk_style_context_add_class (gtk_widget_get_style_context (self->image_label), "error");
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->summary_page, self->image_ok);
}

static void
image_check_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlBenchAssistant) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vl_bench_image_check_finish (result, &self->image_cached, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->image_checked = TRUE;
  self->image_ok = error == NULL;
  g_free (self->image_error);
  self->image_error = error != NULL ? g_strdup (error->message) : NULL;
  if (gtk_assistant_get_nth_page (GTK_ASSISTANT (self), gtk_assistant_get_current_page (
                                                          GTK_ASSISTANT (self))) == self->summary_page)
    update_summary (self);
}

/* ---- progress ------------------------------------------------------------------------------------ */

static double
seconds_since_start (VlBenchAssistant *self)
{
  return (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC;
}

static void
update_time (VlBenchAssistant *self)
{
  double now = seconds_since_start (self);
  guint elapsed = (guint) now;
  guint done_configs = self->progress.config > 0 ? (guint) self->progress.config : 0;
  guint estimate = vl_bench_estimate_running (self->estimate, MAX (self->first_started, 0), now, done_configs,
                                              self->names != NULL ? g_strv_length (self->names) : 0);
  g_autofree char *done = format_duration (elapsed);
  g_autofree char *all = format_duration (estimate);
  g_autofree char *text = g_strdup_printf (_("Elapsed %s of about %s"), done, all);

  gtk_label_set_text (GTK_LABEL (self->time_label), text);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->bar), estimate > 0 ? MIN (0.99, now / estimate) : 0);
}

static gboolean
tick (gpointer user_data)
{
  update_time (user_data);
  return G_SOURCE_CONTINUE;
}

static void
job_line (const char *line, gpointer user_data)
{
  VlBenchAssistant *self = user_data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->console));
  GtkTextIter end;
  guint n = g_strv_length (self->names);

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, line, -1);
  gtk_text_buffer_insert (buffer, &end, "\n", 1);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->console), gtk_text_buffer_get_insert (buffer), 0, FALSE,
                                0, 1);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_text_view_scroll_mark_onscreen (GTK_TEXT_VIEW (self->console), gtk_text_buffer_get_insert (buffer));

  if (!vl_bench_progress_read (&self->progress, line, (const char *const *) self->names))
    return;
  if (self->progress.config >= 0 && self->first_started < 0)
    self->first_started = seconds_since_start (self);
  update_time (self);
  if (self->progress.config >= 0)
    {
      g_autofree char *phase = g_strdup_printf (_("Configuration %d of %u: %s"), self->progress.config + 1,
                                                n, self->names[self->progress.config]);

      gtk_label_set_text (GTK_LABEL (self->phase_label), phase);
    }
  if (self->progress.test != NULL)
    {
      g_autofree char *test = g_strdup_printf (_("Test %s, run %u of %u"),
                                               vl_bench_test_title (self->progress.test), self->progress.run,
                                               self->progress.runs);

      gtk_label_set_text (GTK_LABEL (self->test_label), test);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->test_label), _("Starting the guest…"));
}

/* Old copies of the image go once a run has used the newest (off the main loop: they are large). */
static void
prune_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autofree char *cache_root = g_path_get_dirname (task_data);

  vl_bench_image_prune (cache_root, task_data, VL_BENCH_IMAGES_KEPT);
  g_task_return_boolean (task, TRUE);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlBenchAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlBenchOutcome) outcome = vl_bench_job_run_finish (result, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean cancelled = g_cancellable_is_cancelled (self->job_cancel);

  self->running = FALSE;
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_pointer (&self->confirm, gtk_widget_destroy);
  update_time (self);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->bar), 1);
  if (outcome == NULL)
    {
      /* Refused before anything was made: a connection, the image. */
      g_string_append_printf (text, _("The benchmarks did not start, and nothing was created: %s"),
                              error->message);
    }
  else
    {
      if (cancelled)
        g_string_append_printf (text, "%s\n",
                                _("Cancelled: the benchmark guests were stopped and their disks deleted."));
      for (guint i = 0; i < outcome->reports->len; i++)
        {
          VlBenchReport *report = g_ptr_array_index (outcome->reports, i);

          if (report->error != NULL)
            g_string_append_printf (text, _("“%s”: %s\n"), report->name, report->error);
          else
            g_string_append_printf (text, _("“%s”: %u figures in %.0f s\n"), report->name, report->figures,
                                    report->seconds_total);
        }
      if (outcome->set == NULL)
        g_string_append (text, _("No configuration gave any result: no result file was written."));
      else
        {
          g_autofree char *data_dir = vl_result_benchmarks_dir ();
          g_autofree char *pts_dir = vl_result_pts_user_results_dir ();
          g_autofree char *saved = NULL, *pts = NULL;

          if (vl_result_set_save_pts (outcome->set, outcome->set->title, data_dir, pts_dir, &saved, &pts,
                                      &error))
            {
              g_string_append_printf (text,
                                      outcome->incomplete
                                        ? _("The result file %s is saved, marked incomplete, and open on "
                                             "the Results page.")
                                        : _("The result file %s is saved and open on the Results page."),
                                      saved);
              /* The copy where PTS looks: the Results page finds it there by itself too, so opening
               * that one shows the comparison once. */
              g_signal_emit (self, signals[SIGNAL_RESULT_SAVED], 0, pts != NULL ? pts : saved);
            }
          else
            g_string_append_printf (text, _("The result file could not be saved: %s"), error->message);
        }
    }
  if (outcome != NULL && outcome->image_dir != NULL)
    {
      g_autoptr(GTask) prune = g_task_new (NULL, NULL, NULL, NULL);

      g_task_set_task_data (prune, g_strdup (outcome->image_dir), g_free);
      g_task_run_in_thread (prune, prune_thread);
    }
  gtk_label_set_text (GTK_LABEL (self->done_label), text->str);
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->progress_page, TRUE);
  gtk_assistant_next_page (GTK_ASSISTANT (self));
}

static void
start_job (VlBenchAssistant *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->plan, vl_bench_plan_free);
  self->plan = build_plan (self, &error);
  if (self->plan == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->done_label), error->message);
      gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->progress_page, TRUE);
      gtk_assistant_next_page (GTK_ASSISTANT (self));
      return;
    }
  g_strfreev (self->names);
  self->names = g_new0 (char *, self->plan->configs->len + 1);
  for (guint i = 0; i < self->plan->configs->len; i++)
    self->names[i] = g_strdup (((VlBenchConfig *) g_ptr_array_index (self->plan->configs, i))->name);
  vl_bench_progress_clear (&self->progress);
  self->progress.config = -1;
  self->first_started = -1;
  self->estimate = vl_bench_estimate_seconds (self->plan->profile, self->plan->runs,
                                              (const char *const *) self->plan->tests,
                                              self->plan->configs->len, self->image_cached);
  gtk_label_set_text (GTK_LABEL (self->phase_label), self->image_cached
                                                       ? _("Checking the connections…")
                                                       : _("Building the benchmark guest image…"));
  gtk_label_set_text (GTK_LABEL (self->test_label), "");
  self->started = g_get_monotonic_time ();
  update_time (self);
  self->timer = g_timeout_add_seconds (1, tick, self);
  self->running = TRUE;
  g_clear_object (&self->job_cancel);
  self->job_cancel = g_cancellable_new ();
  vl_bench_job_run_async (self->plan, job_line, self, self->job_cancel, job_done, g_object_ref (self));
}

/* ---- cancel -------------------------------------------------------------------------------------- */

static void
confirm_response (GtkDialog *dialog, int response, VlBenchAssistant *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->running)
    {
      g_cancellable_cancel (self->job_cancel);
      gtk_label_set_text (GTK_LABEL (self->test_label),
                          _("Cancelling: stopping the guest and deleting its disks…"));
    }
  g_clear_pointer (&self->confirm, gtk_widget_destroy);
}

static void
ask_cancel (VlBenchAssistant *self)
{
  if (self->confirm != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->confirm));
      return;
    }
  self->confirm = gtk_message_dialog_new (GTK_WINDOW (self),
                                          GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                          GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s",
                                          _("Stop the benchmarks?"));
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (self->confirm), "%s",
    _("The running guest is stopped and its disks are deleted. The results "
       "gathered so far are kept in the result file, marked incomplete."));
  gtk_dialog_add_buttons (GTK_DIALOG (self->confirm), _("_Continue"), GTK_RESPONSE_CANCEL,
                          _("_Stop Benchmarks"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (
                                 gtk_dialog_get_widget_for_response (GTK_DIALOG (self->confirm),
                                                                     GTK_RESPONSE_ACCEPT)),
                               "destructive-action");
  g_signal_connect (self->confirm, "response", G_CALLBACK (confirm_response), self);
  gtk_widget_show (self->confirm);
}

static void
assistant_cancel (GtkAssistant *assistant)
{
  VlBenchAssistant *self = VL_BENCH_ASSISTANT (assistant);

  if (self->running)
    ask_cancel (self);
  else
    gtk_widget_destroy (GTK_WIDGET (self));
}

static void
assistant_close (GtkAssistant *assistant)
{
  gtk_widget_destroy (GTK_WIDGET (assistant));
}

static gboolean
assistant_delete_event (GtkWidget *widget, GdkEventAny *event)
{
  VlBenchAssistant *self = VL_BENCH_ASSISTANT (widget);

  if (!self->running)
    return GDK_EVENT_PROPAGATE;
  ask_cancel (self);
  return GDK_EVENT_STOP;
}

static void
assistant_prepare (GtkAssistant *assistant, GtkWidget *page)
{
  VlBenchAssistant *self = VL_BENCH_ASSISTANT (assistant);

  if (page == self->resources_page)
    validate_resources (self);
  else if (page == self->summary_page)
    update_summary (self);
  else if (page == self->progress_page && !self->running)
    start_job (self);
}

/* ---- building ------------------------------------------------------------------------------------ */

static GtkWidget *
page_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_container_set_border_width (GTK_CONTAINER (box), 12);
  gtk_widget_set_visible (box, TRUE);
  return box;
}

static GtkWidget *
intro (const char *text)
{
  GtkWidget *label = message_label ();

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  return label;
}

static GtkWidget *
spin (double min, double max, double step, double value, GCallback changed, gpointer self)
{
  GtkWidget *button = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (button), value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (button), TRUE);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  g_signal_connect_swapped (button, "value-changed", changed, self);
  gtk_widget_set_visible (button, TRUE);
  return button;
}

static void
build_config_page (VlBenchAssistant *self)
{
  GtkWidget *box = page_box ();
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add Configuration"));

  gtk_container_add (
    GTK_CONTAINER (box),
    intro (_("Choose the configurations to compare: a connection, how its guest runs (only what the "
              "connection’s host offers) and the name the results give it. They run one after the "
              "other, so they do not disturb each other.")));
  self->config_rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_container_add (GTK_CONTAINER (scrolled), self->config_rows);
  gtk_widget_show_all (scrolled);
  gtk_container_add (GTK_CONTAINER (box), scrolled);
  gtk_widget_set_halign (add, GTK_ALIGN_START);
  g_signal_connect (add, "clicked", G_CALLBACK (add_clicked), self);
  gtk_widget_show (add);
  gtk_container_add (GTK_CONTAINER (box), add);
  self->config_error = message_label ();
  gtk_style_context_add_class (gtk_widget_get_style_context (self->config_error), "error");
  gtk_container_add (GTK_CONTAINER (box), self->config_error);
  self->disconnected_label = message_label ();
  gtk_style_context_add_class (gtk_widget_get_style_context (self->disconnected_label), "dim-label");
  gtk_widget_set_visible (self->disconnected_label, FALSE);
  gtk_container_add (GTK_CONTAINER (box), self->disconnected_label);
  self->config_page = box;
  gtk_assistant_append_page (GTK_ASSISTANT (self), box);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), box, _("Configurations"));
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), box, GTK_ASSISTANT_PAGE_INTRO);
}

static void
build_resources_page (VlBenchAssistant *self)
{
  GtkWidget *box = page_box ();
  GtkWidget *grid = gtk_grid_new ();
  struct
  {
    const char *label, *unit;
    GtkWidget **widget;
  } rows[] = {
    { N_("_vCPUs:"), NULL, &self->vcpus },
    { N_("_Memory:"), N_("MiB"), &self->memory },
    { N_("_Scratch disk:"), N_("MiB"), &self->scratch },
    { N_("_Profile:"), NULL, &self->profile },
    { N_("_Runs of each test:"), NULL, &self->runs },
  };

  gtk_container_add (GTK_CONTAINER (box),
                     intro (_("Every guest gets the same resources, so the results compare "
                               "the configurations and not the guests. The quick profile "
                               "takes minutes; the study’s sizes take hours.")));
  self->vcpus = spin (1, 64, 1, 2, G_CALLBACK (validate_resources), self);
  self->memory = spin (256, 1024 * 1024, 64, 1024, G_CALLBACK (validate_resources), self);
  self->scratch = spin (64, 1024 * 1024, 64, 512, G_CALLBACK (validate_resources), self);
  self->runs = spin (1, 100, 1, 3, G_CALLBACK (validate_resources), self);
  self->profile = gtk_combo_box_text_new ();
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->profile), "quick", _("Quick (minutes, small sizes)"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->profile), "study",
                             _("Study (the 2010 study’s sizes, hours)"));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->profile), "quick");
  gtk_widget_set_halign (self->profile, GTK_ALIGN_START);
  g_signal_connect_swapped (self->profile, "changed", G_CALLBACK (validate_resources), self);
  gtk_widget_set_visible (self->profile, TRUE);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *label = grid_label (_(rows[i].label));

      gtk_label_set_mnemonic_widget (GTK_LABEL (label), *rows[i].widget);
      gtk_grid_attach (GTK_GRID (grid), label, 0, i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), *rows[i].widget, 1, i, 1, 1);
      if (rows[i].unit != NULL)
        {
          GtkWidget *unit = gtk_label_new (_(rows[i].unit));

          gtk_label_set_xalign (GTK_LABEL (unit), 0);
          gtk_widget_set_visible (unit, TRUE);
          gtk_grid_attach (GTK_GRID (grid), unit, 2, i, 1, 1);
        }
    }
  gtk_widget_set_visible (grid, TRUE);
  gtk_container_add (GTK_CONTAINER (box), grid);
  self->resources_error = message_label ();
  gtk_style_context_add_class (gtk_widget_get_style_context (self->resources_error), "error");
  gtk_container_add (GTK_CONTAINER (box), self->resources_error);
  self->resources_page = box;
  gtk_assistant_append_page (GTK_ASSISTANT (self), box);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), box, _("Resources"));
}

static void
build_summary_page (VlBenchAssistant *self)
{
  GtkWidget *box = page_box ();

  self->summary_label = message_label ();
  gtk_container_add (GTK_CONTAINER (box), self->summary_label);
  self->image_label = message_label ();
  gtk_container_add (GTK_CONTAINER (box), self->image_label);
  self->summary_page = box;
  gtk_assistant_append_page (GTK_ASSISTANT (self), box);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), box, _("Summary"));
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), box, GTK_ASSISTANT_PAGE_CONFIRM);
}

static void
build_progress_page (VlBenchAssistant *self)
{
  GtkWidget *box = page_box ();
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *console_title = gtk_label_new (_("The guest’s console"));

  self->phase_label = message_label ();
  gtk_style_context_add_class (gtk_widget_get_style_context (self->phase_label), "title-4");
  self->test_label = message_label ();
  self->time_label = message_label ();
  self->bar = gtk_progress_bar_new ();
  gtk_widget_set_visible (self->bar, TRUE);
  self->console = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->console), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->console), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->console), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->console), GTK_WRAP_WORD_CHAR);
  atk_object_set_name (gtk_widget_get_accessible (self->console), _("The guest’s console"));
  gtk_container_add (GTK_CONTAINER (scrolled), self->console);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled), GTK_SHADOW_IN);
  gtk_widget_show_all (scrolled);
  gtk_label_set_xalign (GTK_LABEL (console_title), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (console_title), "dim-label");
  gtk_widget_set_visible (console_title, TRUE);
  gtk_container_add (GTK_CONTAINER (box), self->phase_label);
  gtk_container_add (GTK_CONTAINER (box), self->test_label);
  gtk_container_add (GTK_CONTAINER (box), self->bar);
  gtk_container_add (GTK_CONTAINER (box), self->time_label);
  gtk_container_add (GTK_CONTAINER (box), console_title);
  gtk_container_add (GTK_CONTAINER (box), scrolled);
  self->progress_page = box;
  gtk_assistant_append_page (GTK_ASSISTANT (self), box);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), box, _("Running"));
  /* Custom, not "progress": GtkAssistant makes Cancel insensitive on a progress page until it is
   * complete, and Cancel must stop a run. A custom page has no Back (not committed either: that
   * hides Cancel). */
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), box, GTK_ASSISTANT_PAGE_CUSTOM);

  box = page_box ();
  self->done_label = message_label ();
  gtk_container_add (GTK_CONTAINER (box), self->done_label);
  self->done_page = box;
  gtk_assistant_append_page (GTK_ASSISTANT (self), box);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), box, _("Finished"));
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), box, GTK_ASSISTANT_PAGE_SUMMARY);
}

static void
vl_bench_assistant_dispose (GObject *object)
{
  VlBenchAssistant *self = VL_BENCH_ASSISTANT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->confirm, gtk_widget_destroy);
  g_clear_handle_id (&self->timer, g_source_remove);
  G_OBJECT_CLASS (vl_bench_assistant_parent_class)->dispose (object);
}

static void
vl_bench_assistant_finalize (GObject *object)
{
  VlBenchAssistant *self = VL_BENCH_ASSISTANT (object);

  g_clear_object (&self->connections);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->job_cancel);
  g_hash_table_unref (self->hosts);
  g_strfreev (self->tests);
  g_strfreev (self->names);
  g_free (self->image_error);
  g_clear_pointer (&self->plan, vl_bench_plan_free);
  vl_bench_progress_clear (&self->progress);
  G_OBJECT_CLASS (vl_bench_assistant_parent_class)->finalize (object);
}

static void
vl_bench_assistant_class_init (VlBenchAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkAssistantClass *assistant_class = GTK_ASSISTANT_CLASS (klass);

  object_class->dispose = vl_bench_assistant_dispose;
  object_class->finalize = vl_bench_assistant_finalize;
  widget_class->delete_event = assistant_delete_event;
  assistant_class->prepare = assistant_prepare;
  assistant_class->cancel = assistant_cancel;
  assistant_class->close = assistant_close;
  signals[SIGNAL_RESULT_SAVED] = g_signal_new ("result-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vl_bench_assistant_init (VlBenchAssistant *self)
{
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) vl_bench_host_free);
  self->cancellable = g_cancellable_new ();
  self->progress.config = -1;
  gtk_window_set_title (GTK_WINDOW (self), _("Run Benchmarks"));
  gtk_window_set_default_size (GTK_WINDOW (self), 760, 560);
  build_config_page (self);
  build_resources_page (self);
  build_summary_page (self);
  build_progress_page (self);
  /* The confirm page's button starts the run: GtkAssistant calls it Apply, which says nothing here.
   * It is the assistant's own template child (GTK 3's gtkassistant.ui names it "apply"). */
  {
    GObject *apply = G_OBJECT (
      gtk_widget_get_template_child (GTK_WIDGET (self), GTK_TYPE_ASSISTANT, "apply"));

    if (GTK_IS_BUTTON (apply))
      gtk_button_set_label (GTK_BUTTON (apply), _("_Run"));
  }
}

VlBenchAssistant *
vl_bench_assistant_new (GtkWindow *parent, GListModel *connections)
{
  VlBenchAssistant *self = g_object_new (VL_TYPE_BENCH_ASSISTANT, "use-header-bar", TRUE, NULL);

  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
    }
  self->connections = g_object_ref (connections);
  validate_configs (self);
  probe_connections (self);
  vl_bench_image_check_async (self->cancellable, image_check_done, g_object_ref (self));
  return self;
}

void
vl_bench_assistant_set_tests (VlBenchAssistant *self, const char *const *tests)
{
  g_return_if_fail (VL_IS_BENCH_ASSISTANT (self));
  g_strfreev (self->tests);
  self->tests = g_strdupv ((char **) tests);
}

gboolean
vl_bench_assistant_is_ready (VlBenchAssistant *self)
{
  return self->probing == 0;
}

gboolean
vl_bench_assistant_is_running (VlBenchAssistant *self)
{
  return self->running;
}
