/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Guests page: libvirt connections in a sidebar, the selected connection's guests and host. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-busy.h"
#include "vl-guests-page-private.h"
#include "vl-host-details.h"
#include "vl-console.h"
#include "vl-snapshots-view.h"
#include "vl-widgets.h"

#define LOAD_DELAY_MS 400

G_DEFINE_FINAL_TYPE_WITH_CODE (VlGuestsPage, vl_guests_page, GTK_TYPE_BOX,
                               G_IMPLEMENT_INTERFACE (VL_TYPE_BUSY, NULL))

enum { PROP_0, PROP_BUSY };
enum { DOMAIN_SELECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void update_view (VlGuestsPage *self);

VlConnections *
vl_guests_page_get_connections (VlGuestsPage *self)
{
  g_return_val_if_fail (VL_IS_GUESTS_PAGE (self), NULL);
  return self->connections;
}

GListModel *
vl_guests_page_get_connection_model (VlGuestsPage *self)
{
  g_return_val_if_fail (VL_IS_GUESTS_PAGE (self), NULL);

  return vl_connections_get_model (self->connections);
}

GVirConnection *
vl_guests_page_get_selected_connection (VlGuestsPage *self)
{
  g_return_val_if_fail (VL_IS_GUESTS_PAGE (self), NULL);
  return self->selected != NULL ? vl_connection_get_connection (self->selected) : NULL;
}

GVirDomain *
vl_guests_page_get_selected_domain (VlGuestsPage *self)
{
  g_return_val_if_fail (VL_IS_GUESTS_PAGE (self), NULL);
  return vl_guest_list_get_selected (self->guest_list);
}

/* The tabs of the selected guest's details (Overview, Performance, XML): the console adds its own. */
GtkNotebook *
vl_guests_page_get_details_notebook (VlGuestsPage *self)
{
  g_return_val_if_fail (VL_IS_GUESTS_PAGE (self), NULL);
  return vl_guest_details_get_notebook (self->guest_details);
}

void
vl_guests_page_show_error (VlGuestsPage *self, const char *title, const char *detail)
{
  /* The hall shows errors (win.show-error); a page outside a window (in a test) logs them. */
  GActionGroup *win = gtk_widget_get_action_group (GTK_WIDGET (self), "win");

  if (win != NULL && g_action_group_has_action (win, "show-error"))
    g_action_group_activate_action (win, "show-error", g_variant_new ("(ss)", title, detail ? detail : ""));
  else
    g_warning ("%s: %s", title, detail);
}

static void
update_busy (VlGuestsPage *self)
{
  /* The guest list, host details and console count too: the page follows their "busy". */
  vl_busy_set (VL_BUSY (self), "loading",
               self->loading || self->load_id != 0 ||
                 (self->selected != NULL &&
                  vl_connection_get_state (self->selected) == VL_CONNECTION_STATE_CONNECTING));
}

/* ---- the sidebar ------------------------------------------------------------------------- */

static const char *
connection_icon (VlConnection *conn)
{
  const char *uri = vl_connection_get_uri (conn);

  if (strstr (uri, "+ssh") != NULL || strstr (uri, "+tcp") != NULL || strstr (uri, "+tls") != NULL)
    return "network-server-symbolic";
  if (vl_connection_is_embedded (conn))
    return "application-x-executable-symbolic";
  return "computer-symbolic";
}

static void
row_state_changed (VlConnection *conn, GParamSpec *pspec, GtkLabel *label)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (label));
  VlConnectionState state = vl_connection_get_state (conn);

  gtk_label_set_text (label, vl_connection_state_to_string (state));
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), vl_connection_get_message (conn));
  if (state == VL_CONNECTION_STATE_LOST || state == VL_CONNECTION_STATE_FAILED
      || state == VL_CONNECTION_STATE_NEEDS_CREDENTIALS)
    gtk_style_context_add_class (style, "error");
  else
    gtk_style_context_remove_class (style, "error");
}

static GtkWidget *
create_connection_row (gpointer item, gpointer user_data)
{
  VlConnection *conn = item;
  g_autofree char *title = vl_connection_dup_title (conn);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (connection_icon (conn), GTK_ICON_SIZE_LARGE_TOOLBAR);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *uri_label = gtk_label_new (vl_connection_get_uri (conn));
  GtkWidget *state_label = gtk_label_new (NULL);
  PangoAttrList *bold = pango_attr_list_new ();

  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (GTK_LABEL (title_label), bold);
  pango_attr_list_unref (bold);
  for (GtkWidget **label = (GtkWidget *[]) { title_label, uri_label, state_label, NULL }; *label; label++)
    {
      gtk_label_set_xalign (GTK_LABEL (*label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (*label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (*label), 24);
      gtk_widget_set_hexpand (*label, TRUE);
    }
  /* The title says what kind of connection it is (the embedded driver needs no daemon): never cut it. */
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_NONE);
  gtk_label_set_line_wrap (GTK_LABEL (title_label), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (uri_label), "dim-label");
  gtk_widget_set_tooltip_text (uri_label, vl_connection_get_uri (conn));
  g_object_set (grid, "margin", 6, "column-spacing", 8, NULL);
  gtk_grid_attach (GTK_GRID (grid), icon, 0, 0, 1, 3);
  gtk_grid_attach (GTK_GRID (grid), title_label, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), uri_label, 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), state_label, 1, 2, 1, 1);
  gtk_container_add (GTK_CONTAINER (row), grid);
  gtk_widget_show_all (row);

  g_signal_connect_object (conn, "notify::state", G_CALLBACK (row_state_changed), state_label, 0);
  g_signal_connect_object (conn, "notify::message", G_CALLBACK (row_state_changed), state_label, 0);
  row_state_changed (conn, NULL, GTK_LABEL (state_label));
  return row;
}

static void
selected_state_changed (VlGuestsPage *self)
{
  update_view (self);
}

static void
select_connection (VlGuestsPage *self, VlConnection *conn)
{
  if (conn == self->selected)
    return;
  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_data (self->selected, self);
  g_set_object (&self->selected, conn);
  if (conn != NULL)
    {
      g_signal_connect_object (conn, "notify::state", G_CALLBACK (selected_state_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (conn, "notify::message", G_CALLBACK (selected_state_changed), self,
                               G_CONNECT_SWAPPED);
    }
  update_view (self);
}

static void
connection_row_selected (VlGuestsPage *self, GtkListBoxRow *row)
{
  g_autoptr(VlConnection) conn = NULL;

  if (row != NULL)
    conn = g_list_model_get_item (vl_connections_get_model (self->connections),
                                  gtk_list_box_row_get_index (row));
  select_connection (self, conn);
}

static void
connections_changed (VlGuestsPage *self, guint position, guint removed, guint added)
{
  GListModel *model = vl_connections_get_model (self->connections);

  /* Keep a selection whenever there is something to select: the newest addition wins. */
  if (added > 0)
    gtk_list_box_select_row (self->connection_list,
                             gtk_list_box_get_row_at_index (self->connection_list, position + added - 1));
  else if (gtk_list_box_get_selected_row (self->connection_list) == NULL && g_list_model_get_n_items (model) > 0)
    gtk_list_box_select_row (self->connection_list, gtk_list_box_get_row_at_index (self->connection_list, 0));
  else if (g_list_model_get_n_items (model) == 0)
    select_connection (self, NULL);
  vl_guests_page_update_actions (self);
}

/* ---- the right-hand side ---------------------------------------------------------------- */

static void
update_view (VlGuestsPage *self)
{
  GListModel *model = vl_connections_get_model (self->connections);
  VlConnectionState state;
  g_autofree char *title = NULL;

  if (self->selected == NULL)
    {
      vl_guests_page_clear_shutdown (self);
      vl_guest_list_set_connection (self->guest_list, NULL);
      vl_host_details_set_connection (VL_HOST_DETAILS (self->host_details), NULL);
      gtk_stack_set_visible_child_name (self->state_stack,
                                        g_list_model_get_n_items (model) == 0 && !self->loading ? "empty" : "status");
      gtk_label_set_text (self->status_title, self->loading ? _("Looking for libvirt…") : "");
      gtk_label_set_text (self->status_message, "");
      gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), self->loading);
      if (self->loading) gtk_spinner_start (self->status_spinner); else gtk_spinner_stop (self->status_spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->status_icon), FALSE);
      gtk_widget_set_visible (self->reconnect_button, FALSE);
      vl_guests_page_update_actions (self);
      update_busy (self);
      return;
    }

  state = vl_connection_get_state (self->selected);
  vl_guest_list_set_connection (self->guest_list, vl_connection_get_connection (self->selected));
  /* Another connection shown: the guest asked to shut down is not in the list to follow any more. */
  if (self->shutting_down != NULL && vl_guest_list_get_info (self->guest_list, self->shutting_down) == NULL)
    vl_guests_page_clear_shutdown (self);
  vl_host_details_set_connection (VL_HOST_DETAILS (self->host_details),
                                  vl_connection_get_connection (self->selected));
  if (state == VL_CONNECTION_STATE_CONNECTED)
    {
      /* A spinning spinner keeps the frame clock ticking even in a hidden stack child. */
      gtk_spinner_stop (self->status_spinner);
      gtk_stack_set_visible_child_name (self->state_stack, "connection");
      if (self->asked == self->selected)
        g_clear_weak_pointer (&self->asked);  /* logged in: should it be refused later, ask again */
    }
  else
    {
      gboolean connecting = state == VL_CONNECTION_STATE_CONNECTING;
      gboolean needs_credentials = state == VL_CONNECTION_STATE_NEEDS_CREDENTIALS;
      g_autofree char *name = vl_connection_dup_title (self->selected);

      title = connecting ? g_strdup_printf (_("Connecting to %s…"), name)
                         : g_strdup_printf ("%s: %s", name, vl_connection_state_to_string (state));
      gtk_label_set_text (self->status_title, title);
      gtk_label_set_text (self->status_message, vl_connection_get_message (self->selected) != NULL
                                                ? vl_connection_get_message (self->selected)
                                                : vl_connection_get_uri (self->selected));
      gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), connecting);
      if (connecting) gtk_spinner_start (self->status_spinner); else gtk_spinner_stop (self->status_spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->status_icon), !connecting);
      gtk_widget_set_visible (self->reconnect_button, !connecting && !needs_credentials);
      gtk_widget_set_visible (self->log_in_button, needs_credentials);
      gtk_stack_set_visible_child_name (self->state_stack, "status");
      /* Ask once by itself when a connection turns out to need a password, as virt-manager does;
       * after Cancel the button asks again. */
      if (needs_credentials && self->asked != self->selected && gtk_widget_get_mapped (GTK_WIDGET (self)))
        {
          g_set_weak_pointer (&self->asked, self->selected);
          vl_guests_page_ask_credentials (self);
        }
    }
  vl_guests_page_update_actions (self);
  update_busy (self);
}

/* The console connects only while its tab is shown: a guest's screen costs a VNC session. */
static void
sync_console (VlGuestsPage *self)
{
  GtkNotebook *notebook = vl_guest_details_get_notebook (self->guest_details);
  gboolean shown = gtk_notebook_get_current_page (notebook) == gtk_notebook_page_num (notebook, self->console);
  GVirDomain *domain = shown ? vl_guest_list_get_selected (self->guest_list) : NULL;
  GVirConnection *connection = domain != NULL ? vl_guests_page_get_selected_connection (self) : NULL;

  if (connection == NULL)
    domain = NULL;
  vl_console_set_domain (VL_CONSOLE (self->console), connection, domain);
}

/* Shows the Console tab of the selected guest (the window's "open the console of guest X"). */
void
vl_guests_page_show_console (VlGuestsPage *self)
{
  GtkNotebook *notebook;

  g_return_if_fail (VL_IS_GUESTS_PAGE (self));
  notebook = vl_guest_details_get_notebook (self->guest_details);
  gtk_notebook_set_current_page (notebook, gtk_notebook_page_num (notebook, self->console));
  sync_console (self);
}

GtkWidget *
vl_guests_page_get_console (VlGuestsPage *self)
{
  g_return_val_if_fail (VL_IS_GUESTS_PAGE (self), NULL);
  return self->console;
}

static void
guest_selection_changed (VlGuestsPage *self)
{
  GVirDomain *domain = vl_guest_list_get_selected (self->guest_list);

  gtk_stack_set_visible_child_name (self->details_stack, domain != NULL ? "details" : "none");
  vl_guest_details_set_domain (self->guest_details, domain,
                               vl_guest_list_get_info (self->guest_list, domain));
  vl_snapshots_view_set_domain (VL_SNAPSHOTS_VIEW (self->snapshots), domain);
  sync_console (self);
  vl_guests_page_update_actions (self);
  if (domain != NULL)
    g_signal_emit (self, signals[DOMAIN_SELECTED], 0, domain, vl_guests_page_get_selected_connection (self));
}

static void
guest_changed (VlGuestsPage *self, GVirDomain *domain)
{
  if (domain == vl_guest_list_get_selected (self->guest_list))
    {
      vl_guest_details_set_domain (self->guest_details, domain,
                                   vl_guest_list_get_info (self->guest_list, domain));
      /* Started, stopped, reverted: what a snapshot can hold changes with the guest's state. */
      vl_snapshots_view_set_domain (VL_SNAPSHOTS_VIEW (self->snapshots), domain);
      vl_guests_page_update_actions (self);
    }
}

static void
search_changed (VlGuestsPage *self)
{
  vl_guest_list_set_filter (self->guest_list, gtk_entry_get_text (GTK_ENTRY (self->search_entry)));
}

/* ---- loading ------------------------------------------------------------------------------ */

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlGuestsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->loading = FALSE;
  if (!vl_connections_load_finish (VL_CONNECTIONS (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    vl_guests_page_show_error (self, _("No libvirt connection could be prepared"), error->message);
  update_view (self);
}

static void
load_connections (VlGuestsPage *self)
{
  if (self->loaded)
    return;
  self->loaded = TRUE;
  self->loading = TRUE;
  update_view (self);
  vl_connections_load_async (self->connections, self->cancellable, load_done, g_object_ref (self));
}

void
vl_guests_page_open_connections (VlGuestsPage *self, const char * const *uris)
{
  g_return_if_fail (VL_IS_GUESTS_PAGE (self));

  vl_connections_use_uris (self->connections, uris);
  self->loaded = TRUE;
  g_clear_handle_id (&self->load_id, g_source_remove);
  update_busy (self);
}

static gboolean
load_timeout (gpointer user_data)
{
  VlGuestsPage *self = user_data;

  self->load_id = 0;
  load_connections (self);
  return G_SOURCE_REMOVE;
}

/* The saved connections open when the page has been shown for a moment, not when the window is
 * built nor when the page only flashes by: on first start that opens QEMU's embedded driver, whose
 * capability probe outlives a process that quits in the middle of it. */
static void
vl_guests_page_map (GtkWidget *widget)
{
  VlGuestsPage *self = VL_GUESTS_PAGE (widget);

  GTK_WIDGET_CLASS (vl_guests_page_parent_class)->map (widget);
  if (!self->loaded && self->load_id == 0)
    {
      self->load_id = g_timeout_add (LOAD_DELAY_MS, load_timeout, self);
      update_busy (self);
    }
}

static void
vl_guests_page_unmap (GtkWidget *widget)
{
  VlGuestsPage *self = VL_GUESTS_PAGE (widget);

  g_clear_handle_id (&self->load_id, g_source_remove);
  update_busy (self);
  GTK_WIDGET_CLASS (vl_guests_page_parent_class)->unmap (widget);
}

static void
vl_guests_page_dispose (GObject *object)
{
  VlGuestsPage *self = VL_GUESTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->load_id, g_source_remove);
  if (self->guest_list != NULL)
    g_signal_handlers_disconnect_by_data (self->guest_list, self);
  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_data (self->selected, self);
  g_clear_object (&self->selected);
  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_data (vl_connections_get_model (self->connections), self);
  g_clear_object (&self->connections);
  g_clear_object (&self->actions);
  g_clear_weak_pointer (&self->asked);
  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  g_clear_object (&self->shutting_down);
  G_OBJECT_CLASS (vl_guests_page_parent_class)->dispose (object);
}

static void
vl_guests_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VlGuestsPage *self = VL_GUESTS_PAGE (object);

  if (prop_id == PROP_BUSY)
    g_value_set_boolean (value, vl_busy_get (VL_BUSY (self)));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
vl_guests_page_class_init (VlGuestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vl_guests_page_dispose;
  object_class->get_property = vl_guests_page_get_property;
  widget_class->map = vl_guests_page_map;
  widget_class->unmap = vl_guests_page_unmap;

  vl_busy_class_install (object_class, PROP_BUSY);

  /* For the console: which guest to show, and on which connection. */
  signals[DOMAIN_SELECTED] = g_signal_new ("domain-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                           GVIR_TYPE_DOMAIN, GVIR_TYPE_CONNECTION);

  g_type_ensure (VL_TYPE_GUEST_LIST);
  g_type_ensure (VL_TYPE_GUEST_DETAILS);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-guests-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, connection_list);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, shutdown_bar);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, shutdown_label);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, shutdown_force_button);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, details_stack);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, status_title);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, status_message);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, reconnect_button);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, log_in_button);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, guest_list);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, guest_details);
  gtk_widget_class_bind_template_child (widget_class, VlGuestsPage, guest_menu);
  gtk_widget_class_bind_template_callback (widget_class, connection_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, guest_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, guest_changed);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
}

static void
vl_guests_page_init (VlGuestsPage *self)
{
  /* The saved connections live in the application's settings; a page made without the application
   * (in a test) keeps its connections in memory only. */
  GApplication *app = g_application_get_default ();
  g_autoptr(GSettings) settings = app != NULL && g_strcmp0 (g_application_get_application_id (app), APP_ID) == 0
                                  ? g_settings_new (APP_ID) : NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  vl_accessible_name_entries (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->connections = vl_connections_new (settings);
  self->host_details = GTK_WIDGET (vl_host_details_new ());
  gtk_widget_show (self->host_details);
  gtk_stack_add_titled (self->view_stack, self->host_details, "host", _("Host Details"));
  vl_busy_follow (VL_BUSY (self), VL_BUSY (self->host_details));
  vl_busy_follow (VL_BUSY (self), VL_BUSY (self->guest_list));

  self->console = GTK_WIDGET (vl_console_new ());
  gtk_widget_show (self->console);
  gtk_notebook_append_page (vl_guest_details_get_notebook (self->guest_details), self->console,
                            gtk_label_new (_("Console")));
  vl_busy_follow (VL_BUSY (self), VL_BUSY (self->console));
  vl_guest_list_set_menu (self->guest_list, self->guest_menu);
  self->snapshots = GTK_WIDGET (vl_snapshots_view_new ());
  gtk_notebook_append_page (vl_guest_details_get_notebook (self->guest_details), self->snapshots,
                            gtk_label_new (_("Snapshots")));
  g_signal_connect_object (vl_guest_details_get_notebook (self->guest_details), "switch-page",
                           G_CALLBACK (sync_console), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  gtk_list_box_bind_model (self->connection_list, vl_connections_get_model (self->connections),
                           create_connection_row, self, NULL);
  g_signal_connect_object (vl_connections_get_model (self->connections), "items-changed",
                           G_CALLBACK (connections_changed), self, G_CONNECT_SWAPPED);
  vl_guests_page_install_actions (self);
  update_view (self);
}
