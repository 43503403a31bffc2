/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Host view of a connection: what the host is, its virtual networks and storage pools. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-busy.h"
#include "vl-format.h"
#include "vl-guest-creator.h"
#include "vl-host-details.h"
#include "vl-host-info.h"
#include "vl-host-resources.h"
#include "vl-widgets.h"

static const VlFactRow info_fields[] = {
  { "hostname", N_("Host name") },
  { "hypervisor", N_("Hypervisor") },
  { "libvirt", N_("libvirt version") },
  { "cpu-model", N_("CPU model") },
  { "cpus", N_("Processors") },
  { "topology", N_("Sockets, cores, threads") },
  { "mhz", N_("Frequency") },
  { "memory", N_("Memory") },
  { "free-memory", N_("Free memory") },
  { "numa", N_("NUMA cells") },
  { "guests", N_("Guest types") },
};

struct _VlHostDetails
{
  GtkBox parent_instance;

  GtkGrid        *info_grid;
  GtkBox         *content;
  GtkListBox     *networks_list;
  GtkListBox     *pools_list;
  GtkEntry       *pool_name_entry;
  GtkEntry       *pool_path_entry;
  GtkButton      *create_pool_button;
  GtkLabel       *resources_message;
  GtkLabel       *networks_placeholder;
  GtkLabel       *pools_placeholder;

  GHashTable     *fields;
  GVirConnection *conn;
  GCancellable   *cancellable;
  gboolean        info_pending;
  gboolean        resources_pending;
  gboolean        filling;   /* switches set from libvirt's state must not act */
  guint           n_networks;
  guint           n_pools;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (VlHostDetails, vl_host_details, GTK_TYPE_BOX,
                               G_IMPLEMENT_INTERFACE (VL_TYPE_BUSY, NULL))

enum { PROP_0, PROP_BUSY };

VlHostDetails *
vl_host_details_new (void)
{
  return g_object_new (VL_TYPE_HOST_DETAILS, NULL);
}

gboolean
vl_host_details_get_busy (VlHostDetails *self)
{
  g_return_val_if_fail (VL_IS_HOST_DETAILS (self), FALSE);
  return vl_busy_get (VL_BUSY (self));
}

/* Busy until both the host's facts and its networks and pools are shown. */
static void
update_busy (VlHostDetails *self)
{
  vl_busy_set (VL_BUSY (self), "reading", self->info_pending || self->resources_pending);
}

const char *
vl_host_details_get_field (VlHostDetails *self, const char *field)
{
  g_return_val_if_fail (VL_IS_HOST_DETAILS (self), NULL);
  return vl_fact_grid_get (self->fields, field);
}

static void
set_field (VlHostDetails *self, const char *field, const char *value)
{
  vl_fact_grid_set (self->fields, field, value);
}

static void
info_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlHostDetails) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostInfo) info = NULL;
  g_autofree char *hypervisor = NULL, *cpus = NULL, *topology = NULL, *mhz = NULL;
  g_autofree char *memory = NULL, *free_memory = NULL, *numa = NULL;

  info = vl_host_info_fetch_finish (GVIR_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || GVIR_CONNECTION (source) != self->conn)
    return;
  self->info_pending = FALSE;
  update_busy (self);
  if (info == NULL)
    {
      set_field (self, "hostname", error->message);
      return;
    }
  hypervisor = info->hypervisor_version != NULL
               ? g_strdup_printf ("%s %s", info->hypervisor, info->hypervisor_version)
               : g_strdup (info->hypervisor);
  cpus = info->arch != NULL ? g_strdup_printf ("%u (%s)", info->cpus, info->arch) : g_strdup_printf ("%u", info->cpus);
  topology = g_strdup_printf ("%u, %u, %u", info->sockets, info->cores, info->threads);
  mhz = g_strdup_printf (_("%u MHz"), info->mhz);
  memory = vl_format_kib (info->memory_kib);
  free_memory = info->free_memory_kib > 0 ? vl_format_kib (info->free_memory_kib) : NULL;
  numa = g_strdup_printf ("%u", info->numa_cells);

  set_field (self, "hostname", info->hostname);
  set_field (self, "hypervisor", hypervisor);
  set_field (self, "libvirt", info->libvirt_version);
  set_field (self, "cpu-model", info->cpu_model);
  set_field (self, "cpus", cpus);
  set_field (self, "topology", topology);
  set_field (self, "mhz", mhz);
  set_field (self, "memory", memory);
  set_field (self, "free-memory", free_memory);
  set_field (self, "numa", numa);
  set_field (self, "guests", info->guest_types);
}

/* ---- networks and pools ------------------------------------------------------------------ */

static void load_resources (VlHostDetails *self);

static void
show_resources_message (VlHostDetails *self, const char *message, gboolean is_error)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self->resources_message));

  gtk_label_set_text (self->resources_message, message != NULL ? message : "");
  if (is_error)
    gtk_style_context_add_class (style, "error");
  else
    gtk_style_context_remove_class (style, "error");
}

static void
change_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlHostDetails) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vl_host_resources_change_finish (GVIR_CONNECTION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_resources_message (self, error->message, TRUE);
    }
  /* Read back what libvirt now says, whether the change worked or not. */
  if (GVIR_CONNECTION (source) == self->conn)
    load_resources (self);
}

static void
resource_toggled (GtkWidget *widget, GParamSpec *pspec, VlHostDetails *self)
{
  VlResourceKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "kind"));
  const char *name = g_object_get_data (G_OBJECT (widget), "name");
  gboolean on;
  VlResourceOp op;

  if (self->filling || self->conn == NULL)
    return;
  if (GTK_IS_SWITCH (widget))
    {
      on = gtk_switch_get_active (GTK_SWITCH (widget));
      op = on ? VL_RESOURCE_OP_START : VL_RESOURCE_OP_STOP;
    }
  else
    {
      on = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget));
      op = on ? VL_RESOURCE_OP_AUTOSTART_ON : VL_RESOURCE_OP_AUTOSTART_OFF;
    }
  show_resources_message (self, NULL, FALSE);
  vl_host_resources_change_async (self->conn, kind, name, op, self->cancellable, change_done, g_object_ref (self));
}

static GtkWidget *
resource_row (VlHostDetails *self, const VlResource *resource)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *name = gtk_label_new (resource->name);
  GtkWidget *detail = gtk_label_new (resource->detail != NULL ? resource->detail : "");
  GtkWidget *active = gtk_switch_new ();
  GtkWidget *autostart = gtk_check_button_new_with_label (_("Start at boot"));
  g_autofree char *active_name = g_strdup_printf (_("%s running"), resource->name);
  g_autofree char *autostart_name = g_strdup_printf (_("%s starts at boot"), resource->name);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (detail), "dim-label");
  gtk_switch_set_active (GTK_SWITCH (active), resource->active);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (autostart), resource->autostart);
  gtk_widget_set_valign (active, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (active, _("Running"));
  atk_object_set_name (gtk_widget_get_accessible (active), active_name);
  atk_object_set_name (gtk_widget_get_accessible (autostart), autostart_name);
  g_object_set (grid, "margin", 6, "column-spacing", 12, NULL);
  gtk_grid_attach (GTK_GRID (grid), name, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), detail, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), autostart, 1, 0, 1, 2);
  gtk_grid_attach (GTK_GRID (grid), active, 2, 0, 1, 2);
  gtk_container_add (GTK_CONTAINER (row), grid);
  for (GtkWidget **w = (GtkWidget *[]) { active, autostart, NULL }; *w; w++)
    {
      g_object_set_data (G_OBJECT (*w), "kind", GINT_TO_POINTER (resource->kind));
      g_object_set_data_full (G_OBJECT (*w), "name", g_strdup (resource->name), g_free);
    }
  g_object_set_data_full (G_OBJECT (row), "name", g_strdup (resource->name), g_free);
  g_signal_connect (active, "notify::active", G_CALLBACK (resource_toggled), self);
  g_signal_connect (autostart, "notify::active", G_CALLBACK (resource_toggled), self);
  gtk_widget_show_all (row);
  return row;
}

static GtkLabel *
add_placeholder (GtkListBox *list, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  g_object_set (label, "margin", 6, "xalign", 0.0, "wrap", TRUE, "selectable", TRUE, NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  gtk_widget_show (label);
  gtk_list_box_set_placeholder (list, label);
  return GTK_LABEL (label);
}

/* An empty list would read as "none made yet": say when the driver cannot have any, and why. */
static void
show_unsupported (VlHostDetails *self, const char *networks_refusal, const char *pools_refusal)
{
  g_autofree char *networks_text = NULL;
  g_autofree char *pools_text = NULL;
  g_autofree char *images = self->conn != NULL ? vl_guest_creator_embed_image_dir (gvir_connection_get_uri (self->conn))
                                               : NULL;

  if (networks_refusal == NULL)
    networks_text = g_strdup (_("No virtual networks on this connection."));
  else if (images != NULL)
    networks_text = g_strdup_printf (_("The embedded QEMU driver has no virtual networks: libvirt runs its network "
                                       "driver only in a daemon (qemu:///system or qemu:///session). Guests made "
                                       "here get no network, or a host bridge. libvirt says: %s"), networks_refusal);
  else
    networks_text = g_strdup_printf (_("This connection has no virtual networks. libvirt says: %s"),
                                     networks_refusal);
  if (pools_refusal == NULL)
    pools_text = g_strdup (_("No storage pools on this connection."));
  else if (images != NULL)
    pools_text = g_strdup_printf (_("The embedded QEMU driver has no storage pools: libvirt runs its storage "
                                    "driver only in a daemon. The new-guest assistant makes each new disk with "
                                    "qemu-img as a qcow2 file in “%s”. libvirt says: %s"), images, pools_refusal);
  else
    pools_text = g_strdup_printf (_("This connection has no storage pools. libvirt says: %s"), pools_refusal);
  gtk_label_set_text (self->networks_placeholder, networks_text);
  gtk_label_set_text (self->pools_placeholder, pools_text);
  /* A pool cannot be made where libvirt has no storage driver: the button would only fail. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->pool_name_entry), pools_refusal == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pool_path_entry), pools_refusal == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_pool_button), pools_refusal == NULL);
}

static void
resources_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlHostDetails) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *networks_refusal = NULL;
  g_autofree char *pools_refusal = NULL;
  g_autoptr(GPtrArray) resources = vl_host_resources_list_finish (GVIR_CONNECTION (source), result,
                                                                  &networks_refusal, &pools_refusal, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || GVIR_CONNECTION (source) != self->conn)
    return;
  self->resources_pending = FALSE;
  update_busy (self);
  vl_container_destroy_children (GTK_CONTAINER (self->networks_list));
  vl_container_destroy_children (GTK_CONTAINER (self->pools_list));
  self->n_networks = self->n_pools = 0;
  if (resources == NULL)
    {
      show_resources_message (self, error->message, TRUE);
      return;
    }
  show_unsupported (self, networks_refusal, pools_refusal);
  self->filling = TRUE;
  for (guint i = 0; i < resources->len; i++)
    {
      const VlResource *resource = g_ptr_array_index (resources, i);
      gboolean network = resource->kind == VL_RESOURCE_NETWORK;

      gtk_container_add (GTK_CONTAINER (network ? self->networks_list : self->pools_list),
                         resource_row (self, resource));
      if (network)
        self->n_networks++;
      else
        self->n_pools++;
    }
  self->filling = FALSE;
}

static void
load_resources (VlHostDetails *self)
{
  self->resources_pending = TRUE;
  update_busy (self);
  vl_host_resources_list_async (self->conn, self->cancellable, resources_done, g_object_ref (self));
}

static void
create_pool_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlHostDetails) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vl_host_resources_create_dir_pool_finish (GVIR_CONNECTION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_resources_message (self, error->message, TRUE);
      return;
    }
  gtk_entry_set_text (self->pool_name_entry, "");
  gtk_entry_set_text (self->pool_path_entry, "");
  show_resources_message (self, NULL, FALSE);
  if (GVIR_CONNECTION (source) == self->conn)
    load_resources (self);
}

static void
create_pool_clicked (VlHostDetails *self)
{
  if (self->conn == NULL)
    return;
  show_resources_message (self, NULL, FALSE);
  vl_host_resources_create_dir_pool_async (self->conn, gtk_entry_get_text (self->pool_name_entry),
                                           gtk_entry_get_text (self->pool_path_entry), self->cancellable,
                                           create_pool_done, g_object_ref (self));
}

const char *
vl_host_details_get_message (VlHostDetails *self)
{
  g_return_val_if_fail (VL_IS_HOST_DETAILS (self), NULL);
  return gtk_label_get_text (self->resources_message);
}

/* What an empty list of networks or pools says (the reason when the driver has none). */
const char *
vl_host_details_get_empty_text (VlHostDetails *self, gboolean networks)
{
  g_return_val_if_fail (VL_IS_HOST_DETAILS (self), NULL);
  return gtk_label_get_text (networks ? self->networks_placeholder : self->pools_placeholder);
}

void
vl_host_details_get_counts (VlHostDetails *self, guint *n_networks, guint *n_pools)
{
  g_return_if_fail (VL_IS_HOST_DETAILS (self));
  *n_networks = self->n_networks;
  *n_pools = self->n_pools;
}

void
vl_host_details_set_connection (VlHostDetails *self, GVirConnection *conn)
{
  g_return_if_fail (VL_IS_HOST_DETAILS (self));

  if (conn == self->conn)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->conn, conn);
  for (guint i = 0; i < G_N_ELEMENTS (info_fields); i++)
    set_field (self, info_fields[i].key, NULL);
  vl_container_destroy_children (GTK_CONTAINER (self->networks_list));
  vl_container_destroy_children (GTK_CONTAINER (self->pools_list));
  self->n_networks = self->n_pools = 0;
  show_resources_message (self, NULL, FALSE);
  show_unsupported (self, NULL, NULL);
  self->info_pending = conn != NULL;
  self->resources_pending = FALSE;
  update_busy (self);
  if (conn != NULL)
    {
      vl_host_info_fetch_async (conn, self->cancellable, info_done, g_object_ref (self));
      load_resources (self);
    }
}

static void
vl_host_details_dispose (GObject *object)
{
  VlHostDetails *self = VL_HOST_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->conn);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  G_OBJECT_CLASS (vl_host_details_parent_class)->dispose (object);
}

static void
vl_host_details_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_BUSY)
    g_value_set_boolean (value, vl_busy_get (VL_BUSY (object)));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
vl_host_details_class_init (VlHostDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vl_host_details_dispose;
  object_class->get_property = vl_host_details_get_property;
  vl_busy_class_install (object_class, PROP_BUSY);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-host-details.ui");
  gtk_widget_class_bind_template_child (widget_class, VlHostDetails, info_grid);
  gtk_widget_class_bind_template_child (widget_class, VlHostDetails, content);
  gtk_widget_class_bind_template_child (widget_class, VlHostDetails, networks_list);
  gtk_widget_class_bind_template_child (widget_class, VlHostDetails, pools_list);
  gtk_widget_class_bind_template_child (widget_class, VlHostDetails, pool_name_entry);
  gtk_widget_class_bind_template_child (widget_class, VlHostDetails, pool_path_entry);
  gtk_widget_class_bind_template_child (widget_class, VlHostDetails, create_pool_button);
  gtk_widget_class_bind_template_child (widget_class, VlHostDetails, resources_message);
  gtk_widget_class_bind_template_callback (widget_class, create_pool_clicked);
}

static void
vl_host_details_init (VlHostDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_accessible_name_entries (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->networks_placeholder = add_placeholder (self->networks_list, _("No virtual networks on this connection."));
  self->pools_placeholder = add_placeholder (self->pools_list, _("No storage pools on this connection."));
  self->fields = vl_fact_grid_fill (self->info_grid, info_fields, G_N_ELEMENTS (info_fields));
}
