/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlNewGuestAssistant: the frame around the steps (vl-new-guest-step-*.c, one widget each, keyed by
 * VlAssistantStep): navigation between them, the spec they write into, and the creator that makes the guest.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-guest-creator.h"
#include "vl-gvir-autoptr.h"
#include "vl-new-guest-assistant-private.h"
#include "vl-widgets.h"

G_DEFINE_FINAL_TYPE (VlNewGuestAssistant, vl_new_guest_assistant, GTK_TYPE_WINDOW)

enum { GUEST_CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

#define N_STEPS VL_N_ASSISTANT_STEPS

/* ---- small helpers ---------------------------------------------------------------------- */

int
vl_new_guest_assistant_current_step (VlNewGuestAssistant *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < N_STEPS; i++)
    {
      if (g_strcmp0 (name, vl_new_guest_step_id_name (i)) == 0)
        return (int) i;
    }
  return 0;
}

void
vl_new_guest_assistant_show_error (VlNewGuestAssistant *self, int step, const char *message)
{
  vl_new_guest_step_show_error (self->steps[step], message);
}

/* Booting an existing disk needs no new storage: that step is passed over. */
static gboolean
step_is_skipped (VlNewGuestAssistant *self, int step)
{
  return step == VL_ASSISTANT_STEP_STORAGE &&
         vl_guest_spec_get_source_kind (self->spec) == VL_INSTALL_SOURCE_DISK;
}

/* Every step writes into the assistant's spec, made anew when another connection is chosen. */
void
vl_new_guest_assistant_set_step_specs (VlNewGuestAssistant *self)
{
  for (guint i = 0; i < VL_N_ASSISTANT_STEPS; i++)
    {
      if (self->steps[i] != NULL)
        vl_new_guest_step_set_spec (self->steps[i], self->spec);
    }
}

/* ---- widgets -> spec -------------------------------------------------------------------- */

static void
apply_step (VlNewGuestAssistant *self, int step)
{
  if (self->steps[step] != NULL)
    vl_new_guest_step_apply (self->steps[step]);
}

/* The chosen system's recommendations are the spec's now: the steps that show them read them. */
static void
on_os_defaults_changed (VlNewGuestAssistant *self)
{
  vl_new_guest_step_load (self->steps[VL_ASSISTANT_STEP_RESOURCES]);
  vl_new_guest_step_load (self->steps[VL_ASSISTANT_STEP_STORAGE]);
  vl_new_guest_step_load (self->steps[VL_ASSISTANT_STEP_MODE]);
}

/* ---- what each step shows when it is entered ---------------------------------------------- */

static void
enter_step (VlNewGuestAssistant *self, int step)
{
  if (self->steps[step] != NULL)
    vl_new_guest_step_enter (self->steps[step]);
}

/* ---- navigation ------------------------------------------------------------------------- */

void
vl_new_guest_assistant_update_buttons (VlNewGuestAssistant *self)
{
  int step = vl_new_guest_assistant_current_step (self);
  gboolean last = step == (int) N_STEPS - 1;
  GList *rows = gtk_container_get_children (GTK_CONTAINER (self->steps_list));
  int i = 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), step > 0 && !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), !self->busy && (step > 0 || self->host_ready));
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !last);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), last);
  gtk_widget_set_visible (GTK_WIDGET (self->create_start_button), last);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_start_button), !self->busy);
  for (GList *l = rows; l != NULL; l = l->next, i++)
    {
      GtkWidget *label = gtk_bin_get_child (GTK_BIN (l->data));
      GtkStyleContext *style = gtk_widget_get_style_context (label);

      if (i == step)
        gtk_style_context_add_class (style, "vl-step-current");
      else
        gtk_style_context_remove_class (style, "vl-step-current");
      gtk_widget_set_sensitive (label, i <= step);
    }
  g_list_free (rows);
}

static void
go_to (VlNewGuestAssistant *self, int step)
{
  gtk_stack_set_visible_child_name (self->stack, vl_new_guest_step_id_name (step));
  enter_step (self, step);
  vl_new_guest_assistant_update_buttons (self);
}

/* Refuses to leave a step whose input is wrong, with the reason on that step. */
static gboolean
accept_step (VlNewGuestAssistant *self, int step)
{
  if (step == VL_ASSISTANT_STEP_CONNECTION)
    return self->host_ready;
  return vl_new_guest_step_is_complete (self->steps[step], NULL);
}

static void
on_next_clicked (VlNewGuestAssistant *self)
{
  int step = vl_new_guest_assistant_current_step (self);
  int next = step + 1;

  if (!accept_step (self, step))
    return;
  while (next < (int) N_STEPS - 1 && step_is_skipped (self, next))
    next++;
  go_to (self, next);
}

static void
on_back_clicked (VlNewGuestAssistant *self)
{
  int step = vl_new_guest_assistant_current_step (self);
  int prev = step - 1;

  /* Keep what was typed, even if not yet valid: going back loses nothing. */
  if (step > 0)
    apply_step (self, step);
  while (prev > 0 && step_is_skipped (self, prev))
    prev--;
  if (prev >= 0)
    go_to (self, prev);
}

/* ---- create ----------------------------------------------------------------------------- */

/* What is happening while the guest is made: the step, its number, and how long it has taken. */
static void
show_create_step (VlNewGuestAssistant *self)
{
  const char *what;
  g_autofree char *text = NULL;
  guint seconds = (guint) ((g_get_monotonic_time () - self->create_step_began) / G_USEC_PER_SEC);

  switch (self->create_step)
    {
    case VL_CREATE_STEP_INSTALLER: what = _("Fetching the installer from the install tree…"); break;
    case VL_CREATE_STEP_DISK: what = _("Making the disk…"); break;
    case VL_CREATE_STEP_DEFINE: what = _("libvirt is defining the guest…"); break;
    case VL_CREATE_STEP_START: what = _("Starting the guest…"); break;
    default: what = _("Preparing…"); break;
    }
  if (self->create_step < 0)
    text = g_strdup (what);
  else if (seconds < 2)
    /* Translators: "Step 2 of 3: libvirt is defining the guest…" */
    text = g_strdup_printf (_("Step %u of %u: %s"), self->create_step_number, self->create_step_total, what);
  else
    /* Translators: the last part is the seconds the step has taken so far, e.g. "(12 s)". */
    text = g_strdup_printf (_("Step %u of %u: %s (%u s)"), self->create_step_number, self->create_step_total,
                            what, seconds);
  vl_new_guest_step_name_show_progress (VL_NEW_GUEST_STEP_NAME (self->steps[VL_ASSISTANT_STEP_NAME]), TRUE,
                                        text,
                                        self->create_step_total > 0
                                          ? (double) (self->create_step_number - (self->create_step >= 0)) /
                                              self->create_step_total
                                          : 0.0);
}

static gboolean
create_tick (gpointer user_data)
{
  show_create_step (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_create_step (VlGuestCreator *creator, int step, guint number, guint total, VlNewGuestAssistant *self)
{
  if (creator != self->creator || !self->busy)
    return;
  self->create_step = step;
  self->create_step_number = number;
  self->create_step_total = total;
  self->create_step_began = g_get_monotonic_time ();
  show_create_step (self);
}

static void
set_busy (VlNewGuestAssistant *self, gboolean busy)
{
  self->busy = busy;
  vl_new_guest_step_name_show_progress (VL_NEW_GUEST_STEP_NAME (self->steps[VL_ASSISTANT_STEP_NAME]), busy,
                                        NULL, -1);
  g_clear_handle_id (&self->create_tick_id, g_source_remove);
  vl_new_guest_assistant_update_buttons (self);
  if (busy)
    {
      self->create_step = -1;
      self->create_step_number = self->create_step_total = 0;
      self->create_step_began = g_get_monotonic_time ();
      show_create_step (self);
      self->create_tick_id = g_timeout_add_seconds (1, create_tick, self);
    }
}

static void
created_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlNewGuestAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) domain = vl_guest_creator_create_finish (VL_GUEST_CREATOR (source), result, &error);
  gboolean started = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "start"));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (domain == NULL)
    {
      vl_new_guest_assistant_show_error (self, VL_ASSISTANT_STEP_NAME, error->message);
      return;
    }
  g_signal_emit (self, signals[GUEST_CREATED], 0, domain, started);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
create (VlNewGuestAssistant *self, gboolean start)
{
  g_autoptr(GError) error = NULL;
  VlGuestStep failed = VL_GUEST_STEP_NAME;

  for (guint step = 1; step < N_STEPS; step++)
    apply_step (self, (int) step);
  /* Everything again: a step may have been skipped, or a later choice may clash with an earlier one. */
  if (!vl_guest_spec_validate (self->spec, &failed, &error))
    {
      go_to (self, vl_new_guest_step_id_of_check (failed));
      vl_new_guest_assistant_show_error (self, vl_new_guest_step_id_of_check (failed), error->message);
      return;
    }
  vl_new_guest_assistant_show_error (self, VL_ASSISTANT_STEP_NAME, NULL);
  set_busy (self, TRUE);
  g_signal_handlers_disconnect_by_func (self->creator, on_create_step, self);
  g_signal_connect_object (self->creator, "step", G_CALLBACK (on_create_step), self, 0);
  g_object_set_data (G_OBJECT (self), "start", GINT_TO_POINTER (start));
  vl_guest_creator_create_async (self->creator, self->spec, start, self->cancellable, created_cb,
                                 g_object_ref (self));
}

static void
on_create_clicked (VlNewGuestAssistant *self)
{
  create (self, FALSE);
}

static void
on_create_start_clicked (VlNewGuestAssistant *self)
{
  create (self, TRUE);
}

/* ---- file choosers ---------------------------------------------------------------------- */

/* ---- the object ------------------------------------------------------------------------- */

static void
vl_new_guest_assistant_dispose (GObject *object)
{
  VlNewGuestAssistant *self = VL_NEW_GUEST_ASSISTANT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->host_cancellable != NULL)
    g_cancellable_cancel (self->host_cancellable);
  g_clear_handle_id (&self->create_tick_id, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->host_cancellable);
  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_data (self->connections, self);
  g_clear_object (&self->connections);
  g_clear_object (&self->creator);
  g_clear_object (&self->connection);
  g_clear_object (&self->spec);
  G_OBJECT_CLASS (vl_new_guest_assistant_parent_class)->dispose (object);
}

/* Loading starts when the window is shown, so settings made between _new() and showing it apply. */
static void
vl_new_guest_assistant_map (GtkWidget *widget)
{
  VlNewGuestAssistant *self = VL_NEW_GUEST_ASSISTANT (widget);

  GTK_WIDGET_CLASS (vl_new_guest_assistant_parent_class)->map (widget);
  if (self->loading_started)
    return;
  self->loading_started = TRUE;
  vl_new_guest_assistant_describe_host (self);
  /* osinfo-db is hundreds of files: read off the main loop while the user picks a source. */
  vl_new_guest_step_os_load_db (VL_NEW_GUEST_STEP_OS (self->steps[VL_ASSISTANT_STEP_OS]));
}

static void
vl_new_guest_assistant_finalize (GObject *object)
{
  VlNewGuestAssistant *self = VL_NEW_GUEST_ASSISTANT (object);

  g_free (self->default_pool_dir);
  G_OBJECT_CLASS (vl_new_guest_assistant_parent_class)->finalize (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VlNewGuestAssistant, name)

static void
vl_new_guest_assistant_class_init (VlNewGuestAssistantClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vl_new_guest_assistant_dispose;
  G_OBJECT_CLASS (klass)->finalize = vl_new_guest_assistant_finalize;
  widget_class->map = vl_new_guest_assistant_map;

  signals[GUEST_CREATED] = g_signal_new ("guest-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 2, GVIR_TYPE_DOMAIN, G_TYPE_BOOLEAN);

  g_type_ensure (VL_TYPE_NEW_GUEST_STEP_CONNECTION);
  g_type_ensure (VL_TYPE_NEW_GUEST_STEP_SOURCE);
  g_type_ensure (VL_TYPE_NEW_GUEST_STEP_STORAGE);
  g_type_ensure (VL_TYPE_NEW_GUEST_STEP_NAME);
  g_type_ensure (VL_TYPE_NEW_GUEST_STEP_OS);
  g_type_ensure (VL_TYPE_NEW_GUEST_STEP_MODE);
  g_type_ensure (VL_TYPE_NEW_GUEST_STEP_RESOURCES);
  g_type_ensure (VL_TYPE_NEW_GUEST_STEP_NETWORK);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-new-guest-assistant.ui");
  BIND (steps_list); BIND (stack);
  BIND (back_button); BIND (next_button); BIND (create_button); BIND (create_start_button); BIND (cancel_button);
  BIND (connection_step);
  BIND (source_step);
  BIND (storage_step);
  BIND (name_step);
  BIND (os_step);
  BIND (mode_step);
  BIND (resources_step);
  BIND (network_step);
}

static void
connect_signals (VlNewGuestAssistant *self)
{
  g_signal_connect_swapped (self->next_button, "clicked", G_CALLBACK (on_next_clicked), self);
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (on_back_clicked), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (gtk_widget_destroy), self);
  g_signal_connect_swapped (self->create_button, "clicked", G_CALLBACK (on_create_clicked), self);
  g_signal_connect_swapped (self->create_start_button, "clicked", G_CALLBACK (on_create_start_clicked), self);
  g_signal_connect_swapped (self->os_step, "defaults-changed", G_CALLBACK (on_os_defaults_changed), self);
  vl_new_guest_assistant_watch_connection_step (self);
}

/* The current step's title is bold, and wider: every title gets the width of the widest bold one,
 * so the side list keeps one width through the steps (it changed width between steps). */
static void
fix_steps_width (VlNewGuestAssistant *self)
{
  GList *rows = gtk_container_get_children (GTK_CONTAINER (self->steps_list));
  int widest = 0;

  for (GList *l = rows; l != NULL; l = l->next)
    {
      GtkWidget *label = gtk_bin_get_child (GTK_BIN (l->data));
      GtkStyleContext *style = gtk_widget_get_style_context (label);
      int natural = 0;

      gtk_style_context_add_class (style, "vl-step-current");
      gtk_widget_get_preferred_width (label, NULL, &natural);
      gtk_style_context_remove_class (style, "vl-step-current");
      widest = MAX (widest, natural - gtk_widget_get_margin_start (label) - gtk_widget_get_margin_end (label));
    }
  for (GList *l = rows; l != NULL; l = l->next)
    gtk_widget_set_size_request (gtk_bin_get_child (GTK_BIN (l->data)), widest, -1);
  g_list_free (rows);
}

static void
vl_new_guest_assistant_init (VlNewGuestAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_accessible_name_entries (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->host_cancellable = g_cancellable_new ();
  self->spec = vl_guest_spec_new ();
  self->steps[VL_ASSISTANT_STEP_CONNECTION] = VL_NEW_GUEST_STEP (self->connection_step);
  self->steps[VL_ASSISTANT_STEP_SOURCE] = VL_NEW_GUEST_STEP (self->source_step);
  self->steps[VL_ASSISTANT_STEP_STORAGE] = VL_NEW_GUEST_STEP (self->storage_step);
  self->steps[VL_ASSISTANT_STEP_NAME] = VL_NEW_GUEST_STEP (self->name_step);
  self->steps[VL_ASSISTANT_STEP_OS] = VL_NEW_GUEST_STEP (self->os_step);
  self->steps[VL_ASSISTANT_STEP_MODE] = VL_NEW_GUEST_STEP (self->mode_step);
  self->steps[VL_ASSISTANT_STEP_RESOURCES] = VL_NEW_GUEST_STEP (self->resources_step);
  self->steps[VL_ASSISTANT_STEP_NETWORK] = VL_NEW_GUEST_STEP (self->network_step);
  vl_new_guest_assistant_set_step_specs (self);
  for (guint i = 0; i < N_STEPS; i++)
    {
      GtkWidget *label = gtk_label_new (vl_new_guest_step_id_title (i));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      g_object_set (label, "margin", 8, NULL);
      gtk_widget_show (label);
      gtk_container_add (GTK_CONTAINER (self->steps_list), label);
    }
  fix_steps_width (self);
  vl_new_guest_step_load (self->steps[VL_ASSISTANT_STEP_RESOURCES]);
  vl_new_guest_step_load (self->steps[VL_ASSISTANT_STEP_STORAGE]);
  connect_signals (self);
  vl_new_guest_assistant_update_buttons (self);
}

VlNewGuestAssistant *
vl_new_guest_assistant_new (GtkWindow *parent, GVirConnection *connection)
{
  VlNewGuestAssistant *self;
  g_return_val_if_fail (GVIR_IS_CONNECTION (connection), NULL);
  self = g_object_new (VL_TYPE_NEW_GUEST_ASSISTANT, "transient-for", parent, NULL);
  self->connection = g_object_ref (connection);
  self->creator = vl_guest_creator_new (connection);
  vl_new_guest_assistant_fill_connections (self);
  return self;
}

void
vl_new_guest_assistant_present (GtkWindow *parent, GListModel *connections, GVirConnection *connection)
{
  VlNewGuestAssistant *self = vl_new_guest_assistant_new (parent, connection);

  vl_new_guest_assistant_set_connections (self, connections);
  gtk_window_present (GTK_WINDOW (self));
}

void
vl_new_guest_assistant_set_default_pool_dir (VlNewGuestAssistant *self, const char *dir)
{
  g_return_if_fail (VL_IS_NEW_GUEST_ASSISTANT (self));
  /* Kept for the creator of another connection chosen later. */
  g_free (self->default_pool_dir);
  self->default_pool_dir = g_strdup (dir);
  vl_guest_creator_set_default_pool_dir (self->creator, dir);
}

void
vl_new_guest_assistant_set_use_kvm (VlNewGuestAssistant *self, gboolean use_kvm)
{
  g_return_if_fail (VL_IS_NEW_GUEST_ASSISTANT (self));
  vl_guest_spec_set_use_kvm (self->spec, use_kvm);
  /* Asked for before the step is shown: the choice is made for the user, as a click would. */
  if (!use_kvm)
    {
      vl_new_guest_step_mode_choose (VL_NEW_GUEST_STEP_MODE (self->steps[VL_ASSISTANT_STEP_MODE]),
                                     VL_VIRT_QEMU_TCG);
    }
}

const char *
vl_new_guest_assistant_get_step (VlNewGuestAssistant *self)
{
  g_return_val_if_fail (VL_IS_NEW_GUEST_ASSISTANT (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
vl_new_guest_assistant_is_busy (VlNewGuestAssistant *self)
{
  g_return_val_if_fail (VL_IS_NEW_GUEST_ASSISTANT (self), FALSE);
  return self->busy || !self->host_ready ||
         !vl_new_guest_step_os_is_ready (VL_NEW_GUEST_STEP_OS (self->steps[VL_ASSISTANT_STEP_OS]));
}
