/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Guests page under Xvfb, in the real window: driven through its actions, checked on screen. */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <libvirt/libvirt.h>

#include "vl-test-find.h"
#include "vl-test-wait.h"
#include "vl-application.h"
#include "vl-window.h"
#include "vl-guests-page-private.h"
#include "vl-add-connection-dialog.h"
#include "vl-credentials-dialog.h"
#include "vl-host-details.h"
#include "vl-test-daemon.h"
#include "vl-test-guests-page.h"

static VlApplication *app;

/* A window on the Guests page with URI as its one connection, shown at once. */
static VlWindow *
show_window (const char *uri)
{
  VlWindow *window = vl_window_new (app);
  const char *uris[] = { uri, NULL };

  vl_window_open_connections (window, uris);
  vl_window_show_page (window, "guests");
  gtk_widget_show (GTK_WIDGET (window));
  return window;
}

static VlWindow *
open_window (const char *uri)
{
  VlWindow *window = show_window (uri);

  g_assert_true (vl_test_wait_until (vl_test_guests_page_ready, vl_test_find_guests_page (window), 20000));
  return window;
}

static void
screenshot_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = vl_window_save_screenshot_finish (VL_WINDOW (source), result, &error);

  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* With VL_GUESTS_SCREENSHOTS=DIR, saves what the window shows at this step, to be looked at. */
static void
maybe_screenshot (VlWindow *window, const char *name)
{
  const char *dir = g_getenv ("VL_GUESTS_SCREENSHOTS");
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  gboolean done = FALSE;

  if (dir == NULL)
    return;
  /* Let the frame clock lay out what just changed. */
  {
    gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    while (g_get_monotonic_time () < end)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
  }
  path = g_build_filename (dir, name, NULL);
  file = g_file_new_for_path (path);
  vl_window_save_screenshot_async (window, file, NULL, screenshot_saved, &done);
  g_assert_true (vl_test_wait_until (is_true, &done, 20000));
}

/* The whole screen, dialogs included (the window's own screenshot shows only itself). */
static void
maybe_screenshot_screen (const char *name)
{
  const char *dir = g_getenv ("VL_GUESTS_SCREENSHOTS");
  g_autofree char *path = NULL;
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  if (dir == NULL)
    return;
  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
  path = g_build_filename (dir, name, NULL);
  {
    const char *argv[] = { "import", "-window", "root", path, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
  }
}

static GActionGroup *
actions (VlGuestsPage *page)
{
  return gtk_widget_get_action_group (GTK_WIDGET (page), "guests");
}

static gboolean
enabled (VlGuestsPage *page, const char *action)
{
  return g_action_group_get_action_enabled (actions (page), action);
}

typedef struct
{
  VlGuestsPage *page;
  const char   *name;
  int           state;
} StateWait;

static const VlGuestInfo *
info_of (VlGuestsPage *page)
{
  return vl_guest_list_get_info (page->guest_list, vl_guests_page_get_selected_domain (page));
}

static gboolean
selected_state_is (gpointer data)
{
  StateWait *wait = data;
  const VlGuestInfo *info = info_of (wait->page);

  return info != NULL && info->state == wait->state;
}

static void
act_and_wait (VlGuestsPage *page, const char *action, int state)
{
  StateWait wait = { page, NULL, state };

  g_assert_true (enabled (page, action));
  g_action_group_activate_action (actions (page), action, NULL);
  g_assert_true (vl_test_wait_until (selected_state_is, &wait, 10000));
  /* The details follow the list. */
  g_assert_cmpstr (vl_guest_details_get_field (page->guest_details, "state"), ==, vl_guest_state_to_string (state));
}

typedef struct
{
  GVirDomain     *domain;
  GVirConnection *conn;
  guint           count;
} Selected;

static void
domain_selected (VlGuestsPage *page, GVirDomain *domain, GVirConnection *conn, Selected *selected)
{
  selected->domain = domain;
  selected->conn = conn;
  selected->count++;
}

static gboolean
xml_loaded (gpointer data)
{
  return vl_guest_details_get_xml (data) != NULL;
}

static gboolean
has_n_guests (VlGuestsPage *page, guint n)
{
  return vl_guest_list_get_n_guests (page->guest_list) == n;
}

static gboolean has_two (gpointer data) { return has_n_guests (data, 2); }
static gboolean has_one (gpointer data) { return has_n_guests (data, 1); }

static GtkWidget *
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static void
spin_briefly (void)
{
  gint64 end = g_get_monotonic_time () + 300 * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
}

/* A Delete key press as the window gets it, with the focus on the guest list's rows. */
static void
press_delete_on_list (VlGuestsPage *page)
{
  GtkWidget *view = vl_test_find_type (GTK_WIDGET (page->guest_list), GTK_TYPE_TREE_VIEW);
  GdkWindow *window = gtk_widget_get_window (gtk_widget_get_toplevel (view));
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);
  GdkDisplay *display = gdk_window_get_display (window);
  GdkKeymapKey *keys = NULL;
  gint n_keys = 0;

  gtk_widget_grab_focus (view);
  event->key.window = g_object_ref (window);
  event->key.send_event = TRUE;
  event->key.time = GDK_CURRENT_TIME;
  event->key.keyval = GDK_KEY_Delete;
  if (gdk_keymap_get_entries_for_keyval (gdk_keymap_get_for_display (display), GDK_KEY_Delete, &keys,
                                         &n_keys))
    event->key.hardware_keycode = keys[0].keycode;
  g_free (keys);
  gdk_event_set_device (event, gdk_seat_get_keyboard (gdk_display_get_default_seat (display)));
  gtk_main_do_event (event);
  gdk_event_free (event);
}

static void
test_lifecycle_through_actions (void)
{
  VlWindow *window = open_window ("test:///default");
  VlGuestsPage *page = vl_test_find_guests_page (window);
  Selected selected = { 0 };
  g_autoptr(GVirConfigDomain) config = gvir_config_domain_new ();
  g_autoptr(GVirConfigDomainOs) os = gvir_config_domain_os_new ();
  g_autoptr(GVirDomain) added = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  g_signal_connect (page, "domain-selected", G_CALLBACK (domain_selected), &selected);
  g_assert_cmpuint (vl_guest_list_get_n_guests (page->guest_list), ==, 1);
  g_assert_false (enabled (page, "start"));  /* nothing selected yet */
  g_assert_true (vl_guest_list_select_name (page->guest_list, "test"));
  g_assert_cmpuint (selected.count, ==, 1);
  g_assert_cmpstr (gvir_domain_get_name (selected.domain), ==, "test");
  g_assert_true (selected.conn == vl_guests_page_get_selected_connection (page));
  g_assert_true (vl_guests_page_get_selected_domain (page) == selected.domain);

  /* The details: overview, performance, XML, the console and the snapshots. */
  g_assert_true (vl_test_wait_until (xml_loaded, page->guest_details, 10000));
  g_assert_nonnull (strstr (vl_guest_details_get_xml (page->guest_details), "<name>test</name>"));
  g_assert_cmpstr (vl_guest_details_get_field (page->guest_details, "state"), ==, "Running");
  g_assert_cmpstr (vl_guest_details_get_field (page->guest_details, "vcpus"), ==, "2");
  g_assert_cmpint (gtk_notebook_get_n_pages (vl_guests_page_get_details_notebook (page)), ==, 5);
  g_assert_cmpstr (gtk_notebook_get_tab_label_text (vl_guests_page_get_details_notebook (page),
                   gtk_notebook_get_nth_page (vl_guests_page_get_details_notebook (page), 4)), ==, "Snapshots");
  maybe_screenshot (window, "guests-default-overview.png");

  /* The guest's context menu (right click or the Menu key) offers the guest's actions, enabled as in
   * the toolbar: the running guest can be paused, not cloned. */
  {
    GtkWidget *menu = vl_guest_list_popup_menu (page->guest_list);
    g_autoptr(GList) items = NULL;
    gboolean saw_pause = FALSE, saw_clone = FALSE;

    g_assert_nonnull (menu);
    {
      gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 5;

      while (g_get_monotonic_time () < end)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (5000);
    }
    items = gtk_container_get_children (GTK_CONTAINER (menu));
    for (GList *l = items; l != NULL; l = l->next)
      {
        const char *label = GTK_IS_MENU_ITEM (l->data) ? gtk_menu_item_get_label (l->data) : NULL;

        if (g_strcmp0 (label, "_Pause") == 0)
          saw_pause = gtk_widget_is_sensitive (l->data);
        if (g_strcmp0 (label, "C_lone…") == 0)
          saw_clone = !gtk_widget_is_sensitive (l->data);
      }
    g_assert_true (saw_pause);
    g_assert_true (saw_clone);
    maybe_screenshot_screen ("guests-context-menu.png");
    gtk_menu_shell_deactivate (GTK_MENU_SHELL (menu));
  }

  g_assert_false (enabled (page, "start"));
  g_assert_false (enabled (page, "resume"));
  act_and_wait (page, "pause", VIR_DOMAIN_PAUSED);
  g_assert_false (enabled (page, "pause"));
  act_and_wait (page, "resume", VIR_DOMAIN_RUNNING);
  /* Force Off asks first (data can be lost); Cancel leaves the guest running. */
  g_action_group_activate_action (actions (page), "force-off", NULL);
  g_assert_true (vl_test_wait_until (dialog_shown, GSIZE_TO_POINTER (GTK_TYPE_MESSAGE_DIALOG), 5000));
  dialog = find_toplevel (GTK_TYPE_MESSAGE_DIALOG);
  {
    g_autofree char *title = NULL;
    g_autofree char *secondary = NULL;

    g_object_get (dialog, "text", &title, "secondary-text", &secondary, NULL);
    g_assert_cmpstr (title, ==, "Force “test” off?");
    g_assert_nonnull (strstr (secondary, "is lost"));
  }
  maybe_screenshot_screen ("force-off-confirmation.png");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  spin_briefly ();
  g_assert_cmpint (info_of (page)->state, ==, VIR_DOMAIN_RUNNING);
  g_action_group_activate_action (actions (page), "force-off", NULL);
  g_assert_true (vl_test_wait_until (dialog_shown, GSIZE_TO_POINTER (GTK_TYPE_MESSAGE_DIALOG), 5000));
  gtk_dialog_response (GTK_DIALOG (find_toplevel (GTK_TYPE_MESSAGE_DIALOG)), GTK_RESPONSE_ACCEPT);
  {
    StateWait wait = { page, NULL, VIR_DOMAIN_SHUTOFF };

    g_assert_true (vl_test_wait_until (selected_state_is, &wait, 10000));
  }
  g_assert_false (enabled (page, "shutdown"));
  act_and_wait (page, "start", VIR_DOMAIN_RUNNING);
  act_and_wait (page, "shutdown", VIR_DOMAIN_SHUTOFF);
  /* The test driver's guests obey at once: no "asked to shut down" stays behind. */
  spin_briefly ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->shutdown_bar)));
  act_and_wait (page, "start", VIR_DOMAIN_RUNNING);

  /* A guest defined elsewhere appears through libvirt's event, and goes through the delete dialog. */
  gvir_config_domain_set_virt_type (config, GVIR_CONFIG_DOMAIN_VIRT_TEST);
  gvir_config_domain_set_name (config, "from-outside");
  gvir_config_domain_set_memory (config, 131072);
  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_set_os (config, os);
  added = gvir_connection_create_domain (vl_guests_page_get_selected_connection (page), config, &error);
  g_assert_no_error (error);
  g_assert_true (vl_test_wait_until (has_two, page, 10000));
  g_assert_true (vl_guest_list_select_name (page->guest_list, "from-outside"));
  g_assert_cmpstr (info_of (page)->name, ==, "from-outside");
  g_assert_cmpuint (info_of (page)->memory_kib, ==, 131072);

  /* Delete on the guest list: the same dialog as guests.delete (the context menu shows the key). */
  press_delete_on_list (page);
  g_assert_true (vl_test_wait_until (dialog_shown, GSIZE_TO_POINTER (GTK_TYPE_MESSAGE_DIALOG), 5000));
  dialog = find_toplevel (GTK_TYPE_MESSAGE_DIALOG);
  g_assert_cmpuint (vl_guest_list_get_n_guests (page->guest_list), ==, 2);  /* nothing before answering */
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (vl_test_wait_until (has_one, page, 10000));
  g_assert_false (vl_guest_list_select_name (page->guest_list, "from-outside"));

  /* Search by name, case-insensitive. */
  gtk_entry_set_text (GTK_ENTRY (page->search_entry), "zzz");
  vl_guest_list_set_filter (page->guest_list, "zzz");
  g_assert_cmpuint (vl_guest_list_get_n_shown (page->guest_list), ==, 0);
  vl_guest_list_set_filter (page->guest_list, "TE");
  g_assert_cmpuint (vl_guest_list_get_n_shown (page->guest_list), ==, 1);
  vl_guest_list_set_filter (page->guest_list, NULL);

  g_signal_handlers_disconnect_by_data (page, &selected);
  gtk_widget_destroy (GTK_WIDGET (window));
}

static gboolean
host_loaded (gpointer data)
{
  VlHostDetails *host = data;
  guint networks, pools;

  vl_host_details_get_counts (host, &networks, &pools);
  return !vl_host_details_get_busy (host) && networks + pools > 0;
}

static void
find_row_widget_cb (GtkWidget *widget, gpointer data)
{
  GtkWidget **found = data;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (found[1]), "want"))))
    found[0] = widget;
  else if (GTK_IS_CONTAINER (widget) && found[0] == NULL)
    gtk_container_forall (GTK_CONTAINER (widget), find_row_widget_cb, data);
}

/* The switch (or check button) of the row NAME in the pools list of the host details. */
static GtkWidget *
pool_control (VlHostDetails *host, const char *name, GType type)
{
  GtkListBox *list = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (host), VL_TYPE_HOST_DETAILS,
                                                                  "pools_list"));
  GtkWidget *found[2] = { NULL, GTK_WIDGET (list) };
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "name"), name) == 0)
      {
        g_object_set_data (G_OBJECT (list), "want", GSIZE_TO_POINTER (type));
        gtk_container_forall (GTK_CONTAINER (row), find_row_widget_cb, found);
      }
  return found[0];
}

typedef struct
{
  GVirConnection *conn;
  gboolean        autostart;
  gboolean        active;
} PoolState;

static gboolean
pool_state_is (gpointer data)
{
  PoolState *want = data;
  virConnectPtr vconn = NULL;
  virStoragePoolPtr pool;
  int autostart = -1, active;

  g_object_get (want->conn, "handle", &vconn, NULL);
  pool = virStoragePoolLookupByName (vconn, "default-pool");
  virStoragePoolGetAutostart (pool, &autostart);
  active = virStoragePoolIsActive (pool);
  virStoragePoolFree (pool);
  virConnectClose (vconn);
  return autostart == want->autostart && active == want->active;
}

typedef struct
{
  VlHostDetails *host;
  PoolState     *want;
} PoolSwitch;

/* The host view reads its list again after every change, replacing the row's switch: flip the
 * switch that is shown now, until libvirt reports the state asked for. */
static gboolean
pool_switched_to (gpointer data)
{
  PoolSwitch *w = data;
  GtkWidget *active = pool_control (w->host, "default-pool", GTK_TYPE_SWITCH);

  if (active != NULL && gtk_switch_get_active (GTK_SWITCH (active)) != w->want->active)
    gtk_switch_set_active (GTK_SWITCH (active), w->want->active);
  return pool_state_is (w->want);
}

static gboolean
message_says_absolute_path (gpointer data)
{
  return strstr (vl_host_details_get_message (data), "absolute path") != NULL;
}

static gboolean
connections_are (VlGuestsPage *page, guint n)
{
  return g_list_model_get_n_items (vl_connections_get_model (page->connections)) == n;
}

static gboolean two_connections (gpointer data) { return connections_are (data, 2); }

static gboolean
shows_failure (gpointer data)
{
  VlGuestsPage *page = data;

  return page->selected != NULL && vl_connection_get_state (page->selected) == VL_CONNECTION_STATE_FAILED
         && g_strcmp0 (gtk_stack_get_visible_child_name (page->state_stack), "status") == 0;
}

static gboolean
second_ready (gpointer data)
{
  VlGuestsPage *page = data;

  return vl_test_guests_page_ready (page) && vl_guest_list_select_name (page->guest_list, "debian-web");
}

static void
test_connections_and_host (void)
{
  VlWindow *window = open_window ("test:///default");
  VlGuestsPage *page = vl_test_find_guests_page (window);
  VlHostDetails *host = VL_HOST_DETAILS (page->host_details);
  VlAddConnectionDialog *dialog;
  g_autofree char *fixture = g_strdup_printf ("test://%s/guests/fixtures/os-guests.xml", G_TEST_SRCDIR_PATH);
  guint networks, pools;

  /* Host details of the test driver, and a refused pool that changes nothing. */
  gtk_stack_set_visible_child_name (page->view_stack, "host");
  g_assert_true (vl_test_wait_until (host_loaded, host, 10000));
  g_assert_nonnull (strstr (vl_host_details_get_field (host, "hypervisor"), "TEST"));
  g_assert_cmpstr (vl_host_details_get_field (host, "cpus"), !=, "—");
  vl_host_details_get_counts (host, &networks, &pools);
  g_assert_cmpuint (networks, >=, 1);
  g_assert_cmpuint (pools, >=, 1);
  maybe_screenshot (window, "guests-host-details.png");
  {
    /* Autostart and stop/start of the test driver's pool, through the row's controls. */
    PoolState want = { vl_guests_page_get_selected_connection (page), TRUE, TRUE };
    GtkWidget *check = pool_control (host, "default-pool", GTK_TYPE_CHECK_BUTTON);
    GtkWidget *active = pool_control (host, "default-pool", GTK_TYPE_SWITCH);

    g_assert_nonnull (check);
    g_assert_nonnull (active);
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (active)));
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), TRUE);
    g_assert_true (vl_test_wait_until (pool_state_is, &want, 5000));
    g_assert_true (vl_test_wait_until (host_loaded, host, 5000));
    active = pool_control (host, "default-pool", GTK_TYPE_SWITCH);  /* the list was read again */
    gtk_switch_set_active (GTK_SWITCH (active), FALSE);
    want.active = FALSE;
    g_assert_true (vl_test_wait_until (pool_state_is, &want, 5000));
    g_assert_true (vl_test_wait_until (host_loaded, host, 5000));
    want.active = TRUE;
    g_assert_true (vl_test_wait_until (pool_switched_to, &(PoolSwitch) { host, &want }, 5000));
  }
  {
    GtkEntry *name = NULL, *path = NULL;

    name = GTK_ENTRY (gtk_widget_get_template_child (GTK_WIDGET (host), VL_TYPE_HOST_DETAILS, "pool_name_entry"));
    path = GTK_ENTRY (gtk_widget_get_template_child (GTK_WIDGET (host), VL_TYPE_HOST_DETAILS, "pool_path_entry"));
    gtk_entry_set_text (name, "relative");
    gtk_entry_set_text (path, "images/here");
    gtk_button_clicked (GTK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (host), VL_TYPE_HOST_DETAILS,
                                                                   "create_pool_button")));
    /* Wait for this message: one left from the pool switches above may still be shown. */
    g_assert_true (vl_test_wait_until (message_says_absolute_path, host, 5000));
    g_assert_cmpstr (gtk_entry_get_text (path), ==, "images/here");  /* what was typed stays */
  }
  gtk_stack_set_visible_child_name (page->view_stack, "guests");

  /* The Add Connection dialog refuses bad URIs with a message, keeps the text, then adds a good one. */
  g_action_group_activate_action (actions (page), "add-connection", NULL);
  g_assert_true (vl_test_wait_until (dialog_shown, GSIZE_TO_POINTER (VL_TYPE_ADD_CONNECTION_DIALOG), 5000));
  dialog = VL_ADD_CONNECTION_DIALOG (find_toplevel (VL_TYPE_ADD_CONNECTION_DIALOG));
  vl_add_connection_dialog_set_uri (dialog, "qemu+pigeon://coop/system");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_nonnull (strstr (vl_add_connection_dialog_get_message (dialog), "pigeon"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  vl_add_connection_dialog_set_uri (dialog, "test:///default");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_nonnull (strstr (vl_add_connection_dialog_get_message (dialog), "already"));
  g_assert_true (connections_are (page, 1));
  vl_add_connection_dialog_set_uri (dialog, fixture);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (vl_test_wait_until (two_connections, page, 5000));
  g_assert_null (find_toplevel (VL_TYPE_ADD_CONNECTION_DIALOG));

  /* The new connection is selected; its guest shows the OS libosinfo names. */
  g_assert_true (vl_test_wait_until (second_ready, page, 20000));
  g_assert_cmpstr (info_of (page)->os_name, ==, "Debian 11");
  g_assert_true (vl_test_wait_until (xml_loaded, page->guest_details, 10000));
  g_assert_cmpstr (vl_guest_details_get_field (page->guest_details, "os"), ==, "Debian 11");
  g_assert_nonnull (strstr (vl_guest_details_get_field (page->guest_details, "disks"), "debian-web.qcow2"));
  g_assert_nonnull (strstr (vl_guest_details_get_field (page->guest_details, "graphics"), "VNC"));
  gtk_notebook_set_current_page (vl_guest_details_get_notebook (page->guest_details), 1);
  {
    gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;  /* three samples for the graphs */

    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  }
  maybe_screenshot (window, "guests-performance.png");
  gtk_notebook_set_current_page (vl_guest_details_get_notebook (page->guest_details), 0);

  g_action_group_activate_action (actions (page), "remove-connection", NULL);
  g_assert_true (connections_are (page, 1));

  /* A connection that fails shows libvirt's reason and offers to try again. */
  g_assert_nonnull (vl_connections_add (page->connections, "test:///nonexistent/virtlab.xml", NULL));
  g_assert_true (vl_test_wait_until (shows_failure, page, 10000));
  g_assert_nonnull (strstr (gtk_label_get_text (page->status_message), "test:///nonexistent/virtlab.xml"));
  g_assert_true (enabled (page, "reconnect"));
  g_assert_true (gtk_widget_get_visible (page->reconnect_button));
  g_assert_false (enabled (page, "start"));
  gtk_widget_destroy (GTK_WIDGET (window));
}

static gboolean
thousand_listed (gpointer data)
{
  return has_n_guests (data, 1000);
}

static void
test_thousand_guests (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-page-1000-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "nodes.xml", NULL);
  g_autofree char *script = g_build_filename (VL_BENCH_DIR, "make-testdriver.py", NULL);
  g_autofree char *uri = g_strdup_printf ("test://%s", file);
  const char *argv[] = { "python3", script, "1000", file, NULL };
  g_autoptr(GError) error = NULL;
  VlWindow *window;
  VlGuestsPage *page;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  window = open_window (uri);
  page = vl_test_find_guests_page (window);
  g_assert_true (vl_test_wait_until (thousand_listed, page, 20000));
  g_assert_true (vl_guest_list_select_name (page->guest_list, "guest-00500"));
  g_assert_cmpint (info_of (page)->state, ==, VIR_DOMAIN_RUNNING);
  g_assert_cmpuint (info_of (page)->vcpus, ==, 1);
  g_assert_true (vl_guest_list_select_name (page->guest_list, "guest-00999"));
  g_assert_cmpint (info_of (page)->state, ==, VIR_DOMAIN_SHUTOFF);
  g_assert_cmpstr (info_of (page)->os_type, ==, "xen");
  vl_guest_list_set_filter (page->guest_list, "guest-0099");
  g_assert_cmpuint (vl_guest_list_get_n_shown (page->guest_list), ==, 10);
  gtk_widget_destroy (GTK_WIDGET (window));
  g_remove (file);
  g_rmdir (dir);
}

/* ---- a real daemon that goes away and comes back --------------------------------------------- */

static gboolean
page_connected (gpointer data)
{
  VlGuestsPage *page = data;
  gboolean busy;

  g_object_get (page, "busy", &busy, NULL);
  return !busy && vl_guests_page_get_selected_connection (page) != NULL;
}

static gboolean
page_shows_lost (gpointer data)
{
  VlGuestsPage *page = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (page->state_stack), "status") == 0
         && vl_connection_get_state (page->selected) == VL_CONNECTION_STATE_LOST;
}

static gboolean
guest_listed (gpointer data)
{
  VlGuestsPage *page = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (page->state_stack), "connection") == 0
         && has_n_guests (page, 1) && vl_guest_list_select_name (page->guest_list, "vl-page-guest");
}

static void
page_follows_daemon (const char *dir)
{
  VlTestDaemon daemon;
  VlWindow *window;
  VlGuestsPage *page;
  g_autoptr(GVirConfigDomain) config = gvir_config_domain_new ();
  g_autoptr(GVirConfigDomainOs) os = gvir_config_domain_os_new ();
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;

  vl_test_daemon_init (&daemon, dir);
  vl_test_daemon_start (&daemon);
  window = show_window (daemon.uri);
  page = vl_test_find_guests_page (window);
  g_assert_true (vl_test_wait_until (page_connected, page, 30000));
  g_assert_cmpuint (vl_guest_list_get_n_guests (page->guest_list), ==, 0);

  /* A diskless, NIC-less TCG guest, defined through the page's own connection. */
  gvir_config_domain_set_virt_type (config, GVIR_CONFIG_DOMAIN_VIRT_QEMU);
  gvir_config_domain_set_name (config, "vl-page-guest");
  gvir_config_domain_set_memory (config, 65536);
  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_os_set_arch (os, "x86_64");
  gvir_config_domain_set_os (config, os);
  domain = gvir_connection_create_domain (vl_guests_page_get_selected_connection (page), config, &error);
  g_assert_no_error (error);
  g_clear_object (&domain);
  g_assert_true (vl_test_wait_until (guest_listed, page, 10000));

  /* The daemon dies: the page says so, with libvirt's reason, and empties the list. */
  vl_test_daemon_kill (&daemon);
  g_assert_true (vl_test_wait_until (page_shows_lost, page, 20000));
  g_assert_nonnull (strstr (gtk_label_get_text (page->status_message), daemon.uri));
  g_assert_cmpuint (vl_guest_list_get_n_guests (page->guest_list), ==, 0);
  g_assert_null (vl_guests_page_get_selected_connection (page));

  /* It comes back: the connection returns by itself and the list is right again. */
  vl_test_daemon_start (&daemon);
  g_assert_true (vl_test_wait_until (guest_listed, page, 40000));
  g_assert_cmpint (info_of (page)->state, ==, VIR_DOMAIN_SHUTOFF);

  domain = gvir_connection_find_domain_by_name (vl_guests_page_get_selected_connection (page), "vl-page-guest");
  g_assert_nonnull (domain);
  g_assert_true (gvir_domain_delete (domain, 0, &error));
  g_assert_no_error (error);
  gtk_widget_destroy (GTK_WIDGET (window));
  vl_test_daemon_stop_all (&daemon);
  vl_test_daemon_clear (&daemon);
}

static void
test_page_follows_daemon (void)
{
  vl_test_run_isolated ("vl-page-libvirtd-XXXXXX", page_follows_daemon);
}

/* ---- a daemon that wants a user name and password ----------------------------------------- */

static VlCredentialsDialog *
find_credentials_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (VL_IS_CREDENTIALS_DIALOG (l->data) && gtk_widget_get_mapped (l->data))
      return l->data;
  return NULL;
}

static gboolean
credentials_dialog_shown (gpointer data)
{
  return find_credentials_dialog () != NULL;
}

static gboolean
credentials_dialog_gone (gpointer data)
{
  return find_credentials_dialog () == NULL;
}

static void
collect_entries (GtkWidget *widget, gpointer data)
{
  if (GTK_IS_ENTRY (widget))
    g_ptr_array_add (data, widget);
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect_entries, data);
}

/* Types into the dialog's two entries (the password one hides its text) and presses Log In. */
static void
log_in_through_dialog (VlCredentialsDialog *dialog, const char *user, const char *password)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  GtkWidget *button = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  GtkEntry *user_entry, *password_entry;

  collect_entries (GTK_WIDGET (dialog), entries);
  g_assert_cmpuint (entries->len, ==, 2);
  /* Exactly one of them hides what is typed: that is the password. */
  g_assert_true (gtk_entry_get_visibility (entries->pdata[0]) != gtk_entry_get_visibility (entries->pdata[1]));
  user_entry = gtk_entry_get_visibility (entries->pdata[0]) ? entries->pdata[0] : entries->pdata[1];
  password_entry = user_entry == entries->pdata[0] ? entries->pdata[1] : entries->pdata[0];
  gtk_entry_set_text (user_entry, user);
  gtk_entry_set_text (password_entry, password);
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_button_clicked (GTK_BUTTON (button));
}

static gboolean
dialog_says_refused (gpointer data)
{
  VlCredentialsDialog *dialog = find_credentials_dialog ();
  GtkWidget *button = dialog != NULL ? gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT)
                                     : NULL;

  return dialog != NULL && strstr (vl_credentials_dialog_get_message (dialog), "did not accept") != NULL
         && gtk_widget_is_sensitive (button);
}

/* The page asks by itself when the host wants a password; a wrong one is refused inside the
 * dialog, which keeps what was typed; the right one connects and closes it. */
static void
page_asks_for_password (const char *dir)
{
  VlTestDaemon daemon;
  VlWindow *window;
  VlGuestsPage *page;
  VlCredentialsDialog *dialog;

  vl_test_daemon_init (&daemon, dir);
  vl_test_daemon_require_password (&daemon, "alice", "s3cret pass");
  vl_test_daemon_start (&daemon);
  window = show_window (daemon.uri);
  page = vl_test_find_guests_page (window);

  g_assert_true (vl_test_wait_until (credentials_dialog_shown, NULL, 30000));
  g_assert_true (gtk_widget_get_visible (page->log_in_button));
  g_assert_false (gtk_widget_get_visible (page->reconnect_button));

  /* Cancel leaves the page with its Log In button, which asks again. */
  gtk_dialog_response (GTK_DIALOG (find_credentials_dialog ()), GTK_RESPONSE_CANCEL);
  g_assert_true (vl_test_wait_until (credentials_dialog_gone, NULL, 10000));
  g_assert_cmpint (vl_connection_get_state (page->selected), ==, VL_CONNECTION_STATE_NEEDS_CREDENTIALS);
  maybe_screenshot_screen ("credentials-cancelled.png");
  g_action_group_activate_action (actions (page), "log-in", NULL);
  g_assert_true (vl_test_wait_until (credentials_dialog_shown, NULL, 10000));
  dialog = find_credentials_dialog ();
  maybe_screenshot_screen ("credentials-dialog.png");

  log_in_through_dialog (dialog, "alice", "wrong");
  g_assert_true (vl_test_wait_until (dialog_says_refused, NULL, 30000));
  g_assert_true (find_credentials_dialog () == dialog);
  maybe_screenshot_screen ("credentials-refused.png");

  log_in_through_dialog (dialog, "alice", "s3cret pass");
  g_assert_true (vl_test_wait_until (credentials_dialog_gone, NULL, 30000));
  g_assert_true (vl_test_wait_until (page_connected, page, 30000));

  gtk_widget_destroy (GTK_WIDGET (window));
  vl_test_daemon_stop_all (&daemon);
  vl_test_daemon_clear (&daemon);
}

static void
test_page_asks_for_password (void)
{
  vl_test_run_isolated ("vl-page-sasl-XXXXXX", page_asks_for_password);
}

/* Issue 15 item 3: libvirt events in quick succession each start a read of the guest in a worker
 * thread; they finish in any order, and an older one must not overwrite a newer one. Two hundred
 * state changes as fast as the test driver takes them, then the list must show what libvirt says,
 * and keep showing it once every read has come back. */
static gboolean
list_matches_libvirt (gpointer data)
{
  VlGuestsPage *page = data;
  GVirDomain *domain = vl_guests_page_get_selected_domain (page);
  g_autoptr(GError) error = NULL;
  GVirDomainInfo *real = gvir_domain_get_info (domain, &error);
  const VlGuestInfo *shown = info_of (page);
  gboolean same = real != NULL && shown != NULL && (int) real->state == shown->state;

  if (real != NULL)
    g_boxed_free (GVIR_TYPE_DOMAIN_INFO, real);
  return same;
}

typedef struct
{
  GVirDomain *domain;
  GVirDomainState final;
  gint done;
} Changer;

/* In a thread of its own, so the state changes while the list's reads run. */
static gpointer
change_states (gpointer data)
{
  Changer *changer = data;
  GError *error = NULL;

  /* A change every few ms, so that a few reads, not a backlog, are in flight at any time. */
  for (guint i = 0; i < 40 && error == NULL; i++)
    {
      if (gvir_domain_suspend (changer->domain, &error))
        {
          g_usleep (g_random_int_range (0, 15000));
          if (gvir_domain_resume (changer->domain, &error))
            {
              g_usleep (g_random_int_range (0, 15000));
              if (gvir_domain_stop (changer->domain, 0, &error))
                {
                  g_usleep (g_random_int_range (0, 15000));
                  gvir_domain_start (changer->domain, 0, &error);
                }
            }
        }
      g_usleep (g_random_int_range (0, 15000));
    }
  if (error == NULL && changer->final == GVIR_DOMAIN_STATE_PAUSED)
    gvir_domain_suspend (changer->domain, &error);
  else if (error == NULL && changer->final == GVIR_DOMAIN_STATE_SHUTOFF)
    gvir_domain_stop (changer->domain, 0, &error);
  g_assert_no_error (error);
  g_atomic_int_set (&changer->done, 1);
  return NULL;
}

static gboolean
no_reads_in_flight (gpointer data)
{
  return vl_guest_list_get_reads_in_flight (VL_GUESTS_PAGE (data)->guest_list) == 0;
}

static gboolean
changer_done (gpointer data)
{
  return g_atomic_int_get (&((Changer *) data)->done);
}

static void
test_fast_state_changes (void)
{
  /* Each read's answer is held 0-40 ms (VIRTLAB_TEST_READ_JITTER_MS, set in main() before any
   * thread), as a busy daemon's are: reads finish out of order, as they did on qemu:///system. */
  VlWindow *window = open_window ("test:///default");
  VlGuestsPage *page = vl_test_find_guests_page (window);
  GVirDomainState finals[] = { GVIR_DOMAIN_STATE_PAUSED, GVIR_DOMAIN_STATE_SHUTOFF, GVIR_DOMAIN_STATE_RUNNING,
                               GVIR_DOMAIN_STATE_PAUSED, GVIR_DOMAIN_STATE_SHUTOFF, GVIR_DOMAIN_STATE_PAUSED,
                               GVIR_DOMAIN_STATE_PAUSED, GVIR_DOMAIN_STATE_SHUTOFF, GVIR_DOMAIN_STATE_RUNNING,
                               GVIR_DOMAIN_STATE_PAUSED, GVIR_DOMAIN_STATE_SHUTOFF, GVIR_DOMAIN_STATE_PAUSED };
  g_autoptr(GError) error = NULL;

  g_assert_true (vl_guest_list_select_name (page->guest_list, "test"));
  for (guint round = 0; round < G_N_ELEMENTS (finals); round++)
    {
      GVirDomain *domain = vl_guests_page_get_selected_domain (page);
      Changer changer = { domain, finals[round], 0 };
      GThread *thread = g_thread_new ("vl-change-states", change_states, &changer);

      /* The main loop runs meanwhile: libvirt's events arrive and start reads as the state changes. */
      g_assert_true (vl_test_wait_until (changer_done, &changer, 60000));
      g_thread_join (thread);
      /* Once every read has come back, whatever order they finished in, the list shows what
       * libvirt says. Without VlReadOrder a round showed "Running" for a paused or shut-off guest
       * in about one run in three of six rounds; hence twelve. */
      spin_briefly ();  /* libvirt's last events are dispatched, and their reads started */
      g_assert_true (vl_test_wait_until (no_reads_in_flight, page, 30000));
      if (!list_matches_libvirt (page))
        g_error ("round %u: the list shows state %d, libvirt %d", round, info_of (page)->state, finals[round]);
      g_assert_cmpint (info_of (page)->state, ==, (int) finals[round]);
      /* The actions follow the shown state: Resume only when paused, Start only when off. */
      g_assert_cmpint (enabled (page, "resume"), ==, finals[round] == GVIR_DOMAIN_STATE_PAUSED);
      g_assert_cmpint (enabled (page, "start"), ==, finals[round] == GVIR_DOMAIN_STATE_SHUTOFF);
      if (finals[round] == GVIR_DOMAIN_STATE_PAUSED)
        g_assert_true (gvir_domain_resume (domain, &error));
      else if (finals[round] == GVIR_DOMAIN_STATE_SHUTOFF)
        g_assert_true (gvir_domain_start (domain, 0, &error));
      g_assert_no_error (error);
    }
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char *argv[])
{
  int ret;

  g_setenv ("VIRTLAB_TEST_READ_JITTER_MS", "40", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = vl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/guests-page/lifecycle-through-actions", test_lifecycle_through_actions);
  g_test_add_func ("/guests-page/connections-and-host", test_connections_and_host);
  g_test_add_func ("/guests-page/fast-state-changes", test_fast_state_changes);
  g_test_add_func ("/guests-page/thousand-guests", test_thousand_guests);
  g_test_add_func ("/guests-page/follows-a-daemon-that-dies-and-returns", test_page_follows_daemon);
  g_test_add_func ("/guests-page/asks-for-a-password", test_page_asks_for_password);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
