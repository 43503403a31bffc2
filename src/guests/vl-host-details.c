/* The Host view of a connection: what the host is, its virtual networks and storage pools. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-host-details.h"
#include "vl-host-info.h"

static const struct { const char *key; const char *label; } info_fields[] = {
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

  GHashTable     *fields;
  GVirConnection *conn;
  GCancellable   *cancellable;
  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (VlHostDetails, vl_host_details, GTK_TYPE_BOX)

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

VlHostDetails *
vl_host_details_new (void)
{
  return g_object_new (VL_TYPE_HOST_DETAILS, NULL);
}

gboolean
vl_host_details_get_busy (VlHostDetails *self)
{
  g_return_val_if_fail (VL_IS_HOST_DETAILS (self), FALSE);
  return self->busy;
}

static void
set_busy (VlHostDetails *self, gboolean busy)
{
  if (busy == self->busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

const char *
vl_host_details_get_field (VlHostDetails *self, const char *field)
{
  GtkLabel *label;

  g_return_val_if_fail (VL_IS_HOST_DETAILS (self), NULL);
  label = g_hash_table_lookup (self->fields, field);
  return label != NULL ? gtk_label_get_text (label) : NULL;
}

static void
set_field (VlHostDetails *self, const char *field, const char *value)
{
  gtk_label_set_text (g_hash_table_lookup (self->fields, field), value != NULL && *value != '\0' ? value : "—");
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
  set_busy (self, FALSE);
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
  memory = g_format_size_full (info->memory_kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
  free_memory = info->free_memory_kib > 0 ? g_format_size_full (info->free_memory_kib * 1024, G_FORMAT_SIZE_IEC_UNITS)
                                          : NULL;
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
  set_busy (self, conn != NULL);
  if (conn != NULL)
    vl_host_info_fetch_async (conn, self->cancellable, info_done, g_object_ref (self));
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
    g_value_set_boolean (value, VL_HOST_DETAILS (object)->busy);
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
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-host-details.ui");
  gtk_widget_class_bind_template_child (widget_class, VlHostDetails, info_grid);
  gtk_widget_class_bind_template_child (widget_class, VlHostDetails, content);
}

static void
vl_host_details_init (VlHostDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->fields = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (info_fields); i++)
    {
      GtkWidget *name = gtk_label_new (_(info_fields[i].label));
      GtkWidget *value = gtk_label_new ("—");

      gtk_label_set_xalign (GTK_LABEL (name), 1.0);
      gtk_label_set_yalign (GTK_LABEL (name), 0.0);
      gtk_style_context_add_class (gtk_widget_get_style_context (name), "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 0.0);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_label_set_line_wrap (GTK_LABEL (value), TRUE);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_grid_attach (self->info_grid, name, 0, i, 1, 1);
      gtk_grid_attach (self->info_grid, value, 1, i, 1, 1);
      gtk_widget_show (name);
      gtk_widget_show (value);
      g_hash_table_insert (self->fields, (gpointer) info_fields[i].key, value);
    }
}
