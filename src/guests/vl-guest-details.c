/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The details of the selected guest: overview, live performance graphs and its XML, in tabs. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-firmware-caps.h"
#include "vl-format.h"
#include "vl-guest-details.h"
#include "vl-pending-install.h"
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

  GHashTable   *fields;     /* key -> GtkLabel */
  GVirDomain   *domain;
  VlGuestInfo  *info;
  char         *xml;
  GStrv         disk_targets;
  GStrv         nic_targets;
  GCancellable *cancellable;
  guint         perf_id;
  gboolean      sampling;
  /* the previous sample, to turn counters into rates */
  gint64        last_us;
  guint64       last_cpu_ns, last_rd, last_wr, last_rx, last_tx;
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

void
vl_guest_details_update_info (VlGuestDetails *self, const VlGuestInfo *info)
{
  g_autofree char *memory = NULL;
  g_autofree char *vcpus = NULL;

  g_return_if_fail (VL_IS_GUEST_DETAILS (self));

  g_clear_pointer (&self->info, vl_guest_info_free);
  if (info == NULL)
    return;
  self->info = vl_guest_info_copy (info);
  memory = vl_format_kib (info->memory_kib);
  vcpus = g_strdup_printf ("%u", info->vcpus);
  set_field (self, "state", vl_guest_state_to_string (info->state));
  set_field (self, "uuid", info->uuid);
  set_field (self, "os", info->os_name != NULL ? info->os_name : (info->os_id != NULL ? info->os_id : _("Not recorded")));
  set_field (self, "kind", vl_guest_os_type_to_string (info->os_type));
  set_field (self, "memory", memory);
  set_field (self, "vcpus", vcpus);
}

/* ---- configuration: disks, NICs, graphics and the XML, read in a thread ---------------------- */

static char *
describe_devices (GVirConfigDomain *config, GStrv *disk_targets, GStrv *nic_targets, char **graphics_text)
{
  g_autoptr(GString) disks = g_string_new (NULL);
  g_autoptr(GString) nics = g_string_new (NULL);
  g_autoptr(GString) graphics = g_string_new (NULL);
  g_autoptr(GStrvBuilder) disk_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) nic_builder = g_strv_builder_new ();
  GList *devices = gvir_config_domain_get_devices (config);

  for (GList *l = devices; l != NULL; l = l->next)
    {
      if (GVIR_CONFIG_IS_DOMAIN_DISK (l->data))
        {
          GVirConfigDomainDisk *disk = l->data;
          const char *target = gvir_config_domain_disk_get_target_dev (disk);
          const char *source = gvir_config_domain_disk_get_source (disk);

          if (disks->len > 0)
            g_string_append_c (disks, '\n');
          g_string_append_printf (disks, "%s: %s", target != NULL ? target : "?",
                                  source != NULL ? source : _("(empty)"));
          if (target != NULL)
            g_strv_builder_add (disk_builder, target);
        }
      else if (GVIR_CONFIG_IS_DOMAIN_INTERFACE (l->data))
        {
          GVirConfigDomainInterface *nic = l->data;
          const char *mac = gvir_config_domain_interface_get_mac (nic);
          const char *model = gvir_config_domain_interface_get_model (nic);
          const char *ifname = gvir_config_domain_interface_get_ifname (nic);

          if (nics->len > 0)
            g_string_append_c (nics, '\n');
          g_string_append_printf (nics, "%s %s", mac != NULL ? mac : "?", model != NULL ? model : "");
          if (ifname != NULL)
            g_strv_builder_add (nic_builder, ifname);
        }
      else if (GVIR_CONFIG_IS_DOMAIN_GRAPHICS (l->data))
        {
          int port = -1;

          if (graphics->len > 0)
            g_string_append (graphics, ", ");
          if (GVIR_CONFIG_IS_DOMAIN_GRAPHICS_VNC (l->data))
            {
              g_string_append (graphics, "VNC");
              port = gvir_config_domain_graphics_vnc_get_port (l->data);
            }
          else if (GVIR_CONFIG_IS_DOMAIN_GRAPHICS_SPICE (l->data))
            {
              g_string_append (graphics, "SPICE");
              port = gvir_config_domain_graphics_spice_get_port (l->data);
            }
          else
            {
              g_string_append (graphics, _("other display"));
            }
          if (port > 0)
            g_string_append_printf (graphics, _(" (port %d)"), port);
        }
    }
  g_list_free_full (devices, g_object_unref);
  *disk_targets = g_strv_builder_end (disk_builder);
  *nic_targets = g_strv_builder_end (nic_builder);
  *graphics_text = g_string_free (g_steal_pointer (&graphics), FALSE);
  g_string_append_c (disks, '\t');
  g_string_append (disks, nics->str);
  return g_string_free (g_steal_pointer (&disks), FALSE);
}

typedef struct
{
  char  *xml;
  char  *devices;   /* "disks\tnics" */
  char  *graphics;
  GStrv  disk_targets;
  GStrv  nic_targets;
  gboolean install_pending;
  char *firmware; /* BIOS / UEFI / Secure Boot, TPM */
} ConfigResult;

static void
config_result_free (ConfigResult *result)
{
  g_free (result->xml);
  g_free (result->devices);
  g_free (result->graphics);
  g_free (result->firmware);
  g_strfreev (result->disk_targets);
  g_strfreev (result->nic_targets);
  g_free (result);
}

static void
config_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVirDomain *domain = task_data;
  g_autoptr(GVirConfigDomain) config = NULL;
  GError *error = NULL;
  ConfigResult *result;

  config = gvir_domain_get_config (domain, 0, &error);
  if (config == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  result = g_new0 (ConfigResult, 1);
  result->xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  result->devices = describe_devices (config, &result->disk_targets, &result->nic_targets, &result->graphics);
  /* Shut off, flags 0 give the definition: its note says whether a network install is still to run. */
  result->install_pending = vl_pending_install_is_pending (config);
  result->firmware = vl_firmware_describe_domain (result->xml);
  g_task_return_pointer (task, result, (GDestroyNotify) config_result_free);
}

static void
config_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(VlGuestDetails) self = user_data;
  g_autoptr(GError) error = NULL;
  ConfigResult *result;
  g_auto(GStrv) parts = NULL;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->xml_view), error->message, -1);
      return;
    }
  if (g_task_get_task_data (G_TASK (res)) != self->domain)
    {
      config_result_free (result);
      return;
    }
  g_free (self->xml);
  self->xml = g_steal_pointer (&result->xml);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->xml_view), self->xml, -1);
  parts = g_strsplit (result->devices, "\t", 2);
  set_field (self, "disks", parts[0]);
  set_field (self, "nics", parts[1]);
  set_field (self, "graphics", result->graphics);
  set_field (self, "firmware", result->firmware);
  set_field (self, "installer", result->install_pending
                                ? _("Runs once on the next start from Virtlab (network install), then the guest boots its disk")
                                : NULL);
  g_strfreev (self->disk_targets);
  self->disk_targets = g_steal_pointer (&result->disk_targets);
  g_strfreev (self->nic_targets);
  self->nic_targets = g_steal_pointer (&result->nic_targets);
  config_result_free (result);
}

static void
load_config (VlGuestDetails *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, config_done, g_object_ref (self));

  g_task_set_task_data (task, g_object_ref (self->domain), g_object_unref);
  g_task_run_in_thread (task, config_thread);
}

/* ---- performance: counters sampled in a thread, turned into rates here ---------------------- */

typedef struct
{
  virDomainPtr dom;
  GStrv        disks;
  GStrv        nics;
  gint64       when_us;
  guint64      cpu_ns, rd, wr, rx, tx;
  guint        vcpus;
  gboolean     ok;
} PerfSample;

static void
perf_sample_free (PerfSample *sample)
{
  if (sample->dom != NULL)
    virDomainFree (sample->dom);
  g_strfreev (sample->disks);
  g_strfreev (sample->nics);
  g_free (sample);
}

static void
perf_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  PerfSample *sample = task_data;
  virDomainInfo info;

  sample->ok = virDomainGetInfo (sample->dom, &info) == 0;
  sample->cpu_ns = info.cpuTime;
  sample->vcpus = info.nrVirtCpu;
  for (guint i = 0; sample->disks != NULL && sample->disks[i] != NULL; i++)
    {
      virDomainBlockStatsStruct stats;

      if (virDomainBlockStats (sample->dom, sample->disks[i], &stats, sizeof stats) == 0)
        {
          sample->rd += MAX (stats.rd_bytes, 0);
          sample->wr += MAX (stats.wr_bytes, 0);
        }
    }
  for (guint i = 0; sample->nics != NULL && sample->nics[i] != NULL; i++)
    {
      virDomainInterfaceStatsStruct stats;

      if (virDomainInterfaceStats (sample->dom, sample->nics[i], &stats, sizeof stats) == 0)
        {
          sample->rx += MAX (stats.rx_bytes, 0);
          sample->tx += MAX (stats.tx_bytes, 0);
        }
    }
  virResetLastError ();
  sample->when_us = g_get_monotonic_time ();
  g_task_return_boolean (task, TRUE);
}

static double
rate (guint64 now, guint64 before, double seconds)
{
  return now >= before && seconds > 0 ? (now - before) / seconds : 0;
}

static void
perf_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(VlGuestDetails) self = user_data;
  PerfSample *sample = g_task_get_task_data (G_TASK (res));

  self->sampling = FALSE;
  if (!g_task_propagate_boolean (G_TASK (res), NULL) || !sample->ok)
    return;

  if (self->last_us > 0)
    {
      double seconds = (sample->when_us - self->last_us) / (double) G_USEC_PER_SEC;
      double cpu = vl_guest_cpu_usage (self->last_cpu_ns, sample->cpu_ns, sample->when_us - self->last_us,
                                       sample->vcpus);
      double rd = rate (sample->rd, self->last_rd, seconds), wr = rate (sample->wr, self->last_wr, seconds);
      double rx = rate (sample->rx, self->last_rx, seconds), tx = rate (sample->tx, self->last_tx, seconds);
      g_autofree char *cpu_text = g_strdup_printf (_("%.0f %%"), cpu * 100);
      g_autofree char *rd_text = g_format_size ((guint64) rd);
      g_autofree char *wr_text = g_format_size ((guint64) wr);
      g_autofree char *rx_text = g_format_size ((guint64) rx);
      g_autofree char *tx_text = g_format_size ((guint64) tx);
      g_autofree char *disk_text = g_strdup_printf (_("%s/s, %s/s"), rd_text, wr_text);
      g_autofree char *net_text = g_strdup_printf (_("%s/s, %s/s"), rx_text, tx_text);

      vl_perf_graph_push (self->cpu_graph, cpu, 0);
      vl_perf_graph_push (self->disk_graph, rd, wr);
      vl_perf_graph_push (self->net_graph, rx, tx);
      gtk_label_set_text (self->cpu_value, cpu_text);
      gtk_label_set_text (self->disk_value, disk_text);
      gtk_label_set_text (self->net_value, net_text);
    }
  self->last_us = sample->when_us;
  self->last_cpu_ns = sample->cpu_ns;
  self->last_rd = sample->rd;
  self->last_wr = sample->wr;
  self->last_rx = sample->rx;
  self->last_tx = sample->tx;
}

static gboolean
perf_tick (gpointer user_data)
{
  VlGuestDetails *self = user_data;
  g_autoptr(GTask) task = NULL;
  PerfSample *sample;

  if (self->sampling || self->domain == NULL || self->info == NULL
      || (self->info->state != VIR_DOMAIN_RUNNING && self->info->state != VIR_DOMAIN_BLOCKED))
    return G_SOURCE_CONTINUE;

  sample = g_new0 (PerfSample, 1);
  g_object_get (self->domain, "handle", &sample->dom, NULL);
  sample->disks = g_strdupv (self->disk_targets);
  sample->nics = g_strdupv (self->nic_targets);
  self->sampling = TRUE;
  task = g_task_new (NULL, self->cancellable, perf_done, g_object_ref (self));
  g_task_set_task_data (task, sample, (GDestroyNotify) perf_sample_free);
  g_task_run_in_thread (task, perf_thread);
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
  self->last_us = 0;
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
}
