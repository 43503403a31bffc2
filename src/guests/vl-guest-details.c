/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The details of the selected guest: overview, live performance graphs and its XML, in tabs. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>

#include "vl-firmware-dialog.h"
#include "vl-format.h"
#include "vl-guest-details.h"
#include "vl-guest-reads.h"
#include "vl-perf-graph.h"
#include "vl-widgets.h"

#define PERF_INTERVAL_MS 1000

static const VlFactRow overview_fields[] = {
  { "state", N_("State") },        { "uuid", N_("UUID") },           { "os", N_("Operating system") },
  { "kind", N_("Kind") },          { "firmware", N_("Firmware") },   { "memory", N_("Memory") },
  { "vcpus", N_("Virtual CPUs") }, { "disks", N_("Disks") },         { "nics", N_("Network interfaces") },
  { "graphics", N_("Graphics") },  { "installer", N_("Installer") },
};

struct _VlGuestDetails
{
  GtkBox parent_instance;

  GtkNotebook  *notebook;
  GtkGrid      *overview_grid;
  GtkTextView  *xml_view;
  VlPerfGraph  *cpu_graph;
  VlPerfGraph  *disk_graph;
  VlPerfGraph  *net_graph;
  GtkLabel     *cpu_value;
  GtkLabel     *disk_value;
  GtkLabel     *net_value;
  GtkWidget *firmware_button; /* "Change Firmware…", next to the Firmware row */

  GHashTable   *fields;     /* key -> GtkLabel */
  GVirDomain   *domain;
  VlGuestInfo  *info;
  char         *xml;
  GStrv         disk_targets;
  GStrv         nic_targets;
  GCancellable *cancellable;
  guint         perf_id;
  gboolean      sampling;
  VlGuestCounters last; /* the previous reading, to turn counters into rates */
};

G_DEFINE_FINAL_TYPE (VlGuestDetails, vl_guest_details, GTK_TYPE_BOX)

GtkNotebook *
vl_guest_details_get_notebook (VlGuestDetails *self)
{
  g_return_val_if_fail (VL_IS_GUEST_DETAILS (self), NULL);
  return self->notebook;
}

const char *
vl_guest_details_get_xml (VlGuestDetails *self)
{
  g_return_val_if_fail (VL_IS_GUEST_DETAILS (self), NULL);
  return self->xml;
}

const char *
vl_guest_details_get_field (VlGuestDetails *self, const char *field)
{
  g_return_val_if_fail (VL_IS_GUEST_DETAILS (self), NULL);
  return vl_fact_grid_get (self->fields, field);
}

static void
set_field (VlGuestDetails *self, const char *field, const char *value)
{
  vl_fact_grid_set (self->fields, field, value);
}

/* The firmware and TPM change only while the guest is shut off; the tooltip says why not. */
static void
update_firmware_button (VlGuestDetails *self)
{
  gboolean off = self->domain != NULL && self->info != NULL && self->info->state == VIR_DOMAIN_SHUTOFF;

  gtk_widget_set_sensitive (self->firmware_button, off);
  gtk_widget_set_tooltip_text (self->firmware_button,
                               off ? _("Choose BIOS or UEFI, Secure Boot and an emulated TPM 2.0")
                                   : _("Shut the guest down to change its firmware or TPM."));
}

static void load_config (VlGuestDetails *self);

static void
firmware_changed (VlGuestDetails *self)
{
  if (self->domain != NULL)
    load_config (self);
}

static void
firmware_clicked (VlGuestDetails *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  VlFirmwareDialog *dialog;

  if (self->domain == NULL)
    return;
  dialog = vl_firmware_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, self->domain);
  g_signal_connect_object (dialog, "changed", G_CALLBACK (firmware_changed), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
vl_guest_details_update_info (VlGuestDetails *self, const VlGuestInfo *info)
{
  g_autofree char *memory = NULL;
  g_autofree char *vcpus = NULL;

  g_return_if_fail (VL_IS_GUEST_DETAILS (self));

  g_clear_pointer (&self->info, vl_guest_info_free);
  if (info == NULL)
    {
      update_firmware_button (self);
      return;
    }
  self->info = vl_guest_info_copy (info);
  memory = vl_format_kib (info->memory_kib);
  vcpus = g_strdup_printf ("%u", info->vcpus);
  set_field (self, "state", vl_guest_state_to_string (info->state));
  set_field (self, "uuid", info->uuid);
  set_field (self, "os", info->os_name != NULL ? info->os_name : (info->os_id != NULL ? info->os_id : _("Not recorded")));
  set_field (self, "kind", vl_guest_os_type_to_string (info->os_type));
  set_field (self, "memory", memory);
  set_field (self, "vcpus", vcpus);
  update_firmware_button (self);
}

/* ---- configuration: disks, NICs, graphics and the XML, read by vl-guest-reads ---------------- */

static void
config_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(VlGuestDetails) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlGuestConfig) config = vl_guest_config_read_finish (GVIR_DOMAIN (source), res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || GVIR_DOMAIN (source) != self->domain)
    return;
  if (config == NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->xml_view), error->message, -1);
      return;
    }
  g_free (self->xml);
  self->xml = g_steal_pointer (&config->xml);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->xml_view), self->xml, -1);
  set_field (self, "disks", config->disks);
  set_field (self, "nics", config->nics);
  set_field (self, "graphics", config->graphics);
  set_field (self, "firmware", config->firmware);
  set_field (self, "installer",
             config->install_pending ? _("Runs once on the next start from Virtlab (network install), then "
                                          "the guest boots its disk")
                                     : NULL);
  g_strfreev (self->disk_targets);
  self->disk_targets = g_steal_pointer (&config->disk_targets);
  g_strfreev (self->nic_targets);
  self->nic_targets = g_steal_pointer (&config->nic_targets);
}

static void
load_config (VlGuestDetails *self)
{
  vl_guest_config_read_async (self->domain, self->cancellable, config_done, g_object_ref (self));
}

/* ---- performance: counters read by vl-guest-reads, shown as rates here ---------------------- */

static void
perf_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(VlGuestDetails) self = user_data;
  VlGuestCounters now;

  self->sampling = FALSE;
  if (!vl_guest_counters_read_finish (GVIR_DOMAIN (source), res, &now, NULL) ||
      GVIR_DOMAIN (source) != self->domain)
    return;

  if (self->last.when_us > 0)
    {
      VlGuestRates rates;
      g_autofree char *cpu_text = NULL;
      g_autofree char *rd_text = NULL;
      g_autofree char *wr_text = NULL;
      g_autofree char *rx_text = NULL;
      g_autofree char *tx_text = NULL;
      g_autofree char *disk_text = NULL;
      g_autofree char *net_text = NULL;

      vl_guest_counters_rates (&self->last, &now, &rates);
      cpu_text = g_strdup_printf (_("%.0f %%"), rates.cpu * 100);
      rd_text = g_format_size ((guint64) rates.rd);
      wr_text = g_format_size ((guint64) rates.wr);
      rx_text = g_format_size ((guint64) rates.rx);
      tx_text = g_format_size ((guint64) rates.tx);
      disk_text = g_strdup_printf (_("%s/s, %s/s"), rd_text, wr_text);
      net_text = g_strdup_printf (_("%s/s, %s/s"), rx_text, tx_text);
      vl_perf_graph_push (self->cpu_graph, rates.cpu, 0);
      vl_perf_graph_push (self->disk_graph, rates.rd, rates.wr);
      vl_perf_graph_push (self->net_graph, rates.rx, rates.tx);
      gtk_label_set_text (self->cpu_value, cpu_text);
      gtk_label_set_text (self->disk_value, disk_text);
      gtk_label_set_text (self->net_value, net_text);
    }
  self->last = now;
}

static gboolean
perf_tick (gpointer user_data)
{
  VlGuestDetails *self = user_data;

  if (self->sampling || self->domain == NULL || self->info == NULL
      || (self->info->state != VIR_DOMAIN_RUNNING && self->info->state != VIR_DOMAIN_BLOCKED))
    return G_SOURCE_CONTINUE;

  self->sampling = TRUE;
  vl_guest_counters_read_async (self->domain, (const char *const *) self->disk_targets,
                                (const char *const *) self->nic_targets, self->cancellable, perf_done,
                                g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

void
vl_guest_details_set_domain (VlGuestDetails *self, GVirDomain *domain, const VlGuestInfo *info)
{
  g_return_if_fail (VL_IS_GUEST_DETAILS (self));

  if (domain == self->domain)
    {
      if (info != NULL)
        vl_guest_details_update_info (self, info);
      if (domain != NULL)
        load_config (self);  /* the guest was started, stopped or redefined: devices may differ */
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->sampling = FALSE;
  self->last = (VlGuestCounters){ 0 };
  vl_perf_graph_clear (self->cpu_graph);
  vl_perf_graph_clear (self->disk_graph);
  vl_perf_graph_clear (self->net_graph);
  gtk_label_set_text (self->cpu_value, "");
  gtk_label_set_text (self->disk_value, "");
  gtk_label_set_text (self->net_value, "");
  g_clear_pointer (&self->xml, g_free);
  g_clear_pointer (&self->disk_targets, g_strfreev);
  g_clear_pointer (&self->nic_targets, g_strfreev);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->xml_view), "", -1);
  for (guint i = 0; i < G_N_ELEMENTS (overview_fields); i++)
    set_field (self, overview_fields[i].key, NULL);

  g_set_object (&self->domain, domain);
  vl_guest_details_update_info (self, info);
  if (domain != NULL)
    load_config (self);
}

static void
vl_guest_details_map (GtkWidget *widget)
{
  VlGuestDetails *self = VL_GUEST_DETAILS (widget);

  GTK_WIDGET_CLASS (vl_guest_details_parent_class)->map (widget);
  if (self->perf_id == 0)
    self->perf_id = g_timeout_add (PERF_INTERVAL_MS, perf_tick, self);
}

static void
vl_guest_details_unmap (GtkWidget *widget)
{
  VlGuestDetails *self = VL_GUEST_DETAILS (widget);

  g_clear_handle_id (&self->perf_id, g_source_remove);
  GTK_WIDGET_CLASS (vl_guest_details_parent_class)->unmap (widget);
}

static void
vl_guest_details_dispose (GObject *object)
{
  VlGuestDetails *self = VL_GUEST_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->perf_id, g_source_remove);
  g_clear_object (&self->domain);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  G_OBJECT_CLASS (vl_guest_details_parent_class)->dispose (object);
}

static void
vl_guest_details_finalize (GObject *object)
{
  VlGuestDetails *self = VL_GUEST_DETAILS (object);

  vl_guest_info_free (self->info);
  g_free (self->xml);
  g_strfreev (self->disk_targets);
  g_strfreev (self->nic_targets);
  G_OBJECT_CLASS (vl_guest_details_parent_class)->finalize (object);
}

static void
vl_guest_details_class_init (VlGuestDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vl_guest_details_dispose;
  object_class->finalize = vl_guest_details_finalize;
  widget_class->map = vl_guest_details_map;
  widget_class->unmap = vl_guest_details_unmap;

  g_type_ensure (VL_TYPE_PERF_GRAPH);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-guest-details.ui");
  gtk_widget_class_bind_template_child (widget_class, VlGuestDetails, notebook);
  gtk_widget_class_bind_template_child (widget_class, VlGuestDetails, overview_grid);
  gtk_widget_class_bind_template_child (widget_class, VlGuestDetails, xml_view);
  gtk_widget_class_bind_template_child (widget_class, VlGuestDetails, cpu_graph);
  gtk_widget_class_bind_template_child (widget_class, VlGuestDetails, disk_graph);
  gtk_widget_class_bind_template_child (widget_class, VlGuestDetails, net_graph);
  gtk_widget_class_bind_template_child (widget_class, VlGuestDetails, cpu_value);
  gtk_widget_class_bind_template_child (widget_class, VlGuestDetails, disk_value);
  gtk_widget_class_bind_template_child (widget_class, VlGuestDetails, net_value);
}

static void
vl_guest_details_init (VlGuestDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  vl_perf_graph_set_fixed_max (self->cpu_graph, 1.0);
  self->fields = vl_fact_grid_fill (self->overview_grid, overview_fields, G_N_ELEMENTS (overview_fields));
  for (guint i = 0; i < G_N_ELEMENTS (overview_fields); i++)
    {
      if (g_str_equal (overview_fields[i].key, "firmware"))
        {
          self->firmware_button = gtk_button_new_with_mnemonic (_("Change _Firmware…"));
          gtk_widget_set_halign (self->firmware_button, GTK_ALIGN_START);
          gtk_widget_set_valign (self->firmware_button, GTK_ALIGN_CENTER);
          gtk_grid_attach (self->overview_grid, self->firmware_button, 2, (int) i, 1, 1);
          /* The button makes the row taller: its name stays level with its value. */
          gtk_widget_set_valign (gtk_grid_get_child_at (self->overview_grid, 0, (int) i), GTK_ALIGN_CENTER);
          gtk_widget_show (self->firmware_button);
          g_signal_connect_swapped (self->firmware_button, "clicked", G_CALLBACK (firmware_clicked), self);
        }
    }
  update_firmware_button (self);
}
