/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The guest details' and sparklines' libvirt reads, each in a worker thread with copied inputs. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "vl-firmware-caps.h"
#include "vl-guest-info.h"
#include "vl-guest-reads.h"
#include "vl-libvirt-handle.h"
#include "vl-pending-install.h"

/* ---- configuration ------------------------------------------------------------------------- */

void
vl_guest_config_free (VlGuestConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->xml);
  g_free (config->disks);
  g_free (config->nics);
  g_free (config->graphics);
  g_free (config->firmware);
  g_strfreev (config->disk_targets);
  g_strfreev (config->nic_targets);
  g_free (config);
}

static void
describe_devices (GVirConfigDomain *domain, VlGuestConfig *config)
{
  g_autoptr(GString) disks = g_string_new (NULL);
  g_autoptr(GString) nics = g_string_new (NULL);
  g_autoptr(GString) graphics = g_string_new (NULL);
  g_autoptr(GStrvBuilder) disk_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) nic_builder = g_strv_builder_new ();
  GList *devices = gvir_config_domain_get_devices (domain);

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
  config->disk_targets = g_strv_builder_end (disk_builder);
  config->nic_targets = g_strv_builder_end (nic_builder);
  config->disks = g_string_free (g_steal_pointer (&disks), FALSE);
  config->nics = g_string_free (g_steal_pointer (&nics), FALSE);
  config->graphics = g_string_free (g_steal_pointer (&graphics), FALSE);
}

static void
config_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVirDomain *domain = source;
  g_autoptr(GVirConfigDomain) definition = NULL;
  GError *error = NULL;
  VlGuestConfig *config;

  definition = gvir_domain_get_config (domain, 0, &error);
  if (definition == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  config = g_new0 (VlGuestConfig, 1);
  config->xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (definition));
  describe_devices (definition, config);
  /* Shut off, flags 0 give the definition: its note says whether a network install is still to run. */
  config->install_pending = vl_pending_install_is_pending (definition);
  config->firmware = vl_firmware_describe_domain (config->xml);
  g_task_return_pointer (task, config, (GDestroyNotify) vl_guest_config_free);
}

void
vl_guest_config_read_async (GVirDomain *domain, GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GVIR_IS_DOMAIN (domain));
  task = g_task_new (domain, cancellable, callback, user_data);
  g_task_set_source_tag (task, vl_guest_config_read_async);
  g_task_run_in_thread (task, config_thread);
}

VlGuestConfig *
vl_guest_config_read_finish (GVirDomain *domain, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, domain), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- counters ------------------------------------------------------------------------------- */

typedef struct
{
  virDomainPtr dom;
  GStrv disks;
  GStrv nics;
  VlGuestCounters counters;
} CountersRead;

static void
counters_read_free (CountersRead *read)
{
  if (read->dom != NULL)
    virDomainFree (read->dom);
  g_strfreev (read->disks);
  g_strfreev (read->nics);
  g_free (read);
}

static void
counters_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CountersRead *read = task_data;
  VlGuestCounters *counters = &read->counters;
  virDomainInfo info;

  if (read->dom == NULL || virDomainGetInfo (read->dom, &info) != 0)
    {
      GError *error = NULL;

      vl_libvirt_set_last_error (&error, _("The guest’s counters could not be read:"), NULL);
      g_task_return_error (task, error);
      return;
    }
  counters->cpu_ns = info.cpuTime;
  counters->vcpus = info.nrVirtCpu;
  for (guint i = 0; read->disks != NULL && read->disks[i] != NULL; i++)
    {
      virDomainBlockStatsStruct stats;

      if (virDomainBlockStats (read->dom, read->disks[i], &stats, sizeof stats) == 0)
        {
          counters->rd += MAX (stats.rd_bytes, 0);
          counters->wr += MAX (stats.wr_bytes, 0);
        }
    }
  for (guint i = 0; read->nics != NULL && read->nics[i] != NULL; i++)
    {
      virDomainInterfaceStatsStruct stats;

      if (virDomainInterfaceStats (read->dom, read->nics[i], &stats, sizeof stats) == 0)
        {
          counters->rx += MAX (stats.rx_bytes, 0);
          counters->tx += MAX (stats.tx_bytes, 0);
        }
    }
  /* A disk or interface without statistics (not started yet, no backend) counts as 0. */
  virResetLastError ();
  counters->when_us = g_get_monotonic_time ();
  g_task_return_boolean (task, TRUE);
}

void
vl_guest_counters_read_async (GVirDomain *domain, const char *const *disk_targets,
                              const char *const *nic_targets, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  CountersRead *read;

  g_return_if_fail (GVIR_IS_DOMAIN (domain));
  read = g_new0 (CountersRead, 1);
  g_object_get (domain, "handle", &read->dom, NULL);
  read->disks = g_strdupv ((char **) disk_targets);
  read->nics = g_strdupv ((char **) nic_targets);
  task = g_task_new (domain, cancellable, callback, user_data);
  g_task_set_source_tag (task, vl_guest_counters_read_async);
  g_task_set_task_data (task, read, (GDestroyNotify) counters_read_free);
  g_task_run_in_thread (task, counters_thread);
}

gboolean
vl_guest_counters_read_finish (GVirDomain *domain, GAsyncResult *result, VlGuestCounters *counters,
                               GError **error)
{
  CountersRead *read;

  g_return_val_if_fail (g_task_is_valid (result, domain), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  read = g_task_get_task_data (G_TASK (result));
  if (counters != NULL)
    *counters = read->counters;
  return TRUE;
}

static double
rate (guint64 now, guint64 before, double seconds)
{
  return now >= before && seconds > 0 ? (now - before) / seconds : 0;
}

void
vl_guest_counters_rates (const VlGuestCounters *before, const VlGuestCounters *now, VlGuestRates *rates)
{
  double seconds = (now->when_us - before->when_us) / (double) G_USEC_PER_SEC;

  rates->cpu = vl_guest_cpu_usage (before->cpu_ns, now->cpu_ns, now->when_us - before->when_us, now->vcpus);
  rates->rd = rate (now->rd, before->rd, seconds);
  rates->wr = rate (now->wr, before->wr, seconds);
  rates->rx = rate (now->rx, before->rx, seconds);
  rates->tx = rate (now->tx, before->tx, seconds);
}

/* ---- the CPU time of several guests --------------------------------------------------------- */

typedef struct
{
  GPtrArray *handles; /* virDomainPtr, one per sample */
  GPtrArray *samples; /* VlGuestCpuSample */
} CpuRead;

static void
cpu_sample_free (gpointer data)
{
  VlGuestCpuSample *sample = data;

  g_free (sample->uuid);
  g_free (sample);
}

static void
cpu_read_free (CpuRead *read)
{
  for (guint i = 0; i < read->handles->len; i++)
    if (g_ptr_array_index (read->handles, i) != NULL)
      virDomainFree (g_ptr_array_index (read->handles, i));
  g_ptr_array_unref (read->handles);
  g_clear_pointer (&read->samples, g_ptr_array_unref);
  g_free (read);
}

static void
cpu_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CpuRead *read = task_data;

  for (guint i = 0; i < read->samples->len; i++)
    {
      VlGuestCpuSample *sample = g_ptr_array_index (read->samples, i);
      virDomainPtr dom = g_ptr_array_index (read->handles, i);
      virDomainInfo info;

      if (g_task_return_error_if_cancelled (task))
        return;
      sample->ok = dom != NULL && virDomainGetInfo (dom, &info) == 0;
      sample->cpu_ns = sample->ok ? info.cpuTime : 0;
      sample->when_us = g_get_monotonic_time ();
    }
  virResetLastError ();
  g_task_return_pointer (task, g_steal_pointer (&read->samples), (GDestroyNotify) g_ptr_array_unref);
}

void
vl_guest_cpu_sample_async (GPtrArray *domains, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  CpuRead *read = g_new0 (CpuRead, 1);

  read->handles = g_ptr_array_new ();
  read->samples = g_ptr_array_new_with_free_func (cpu_sample_free);
  for (guint i = 0; domains != NULL && i < domains->len; i++)
    {
      GVirDomain *domain = g_ptr_array_index (domains, i);
      VlGuestCpuSample *sample = g_new0 (VlGuestCpuSample, 1);
      virDomainPtr dom = NULL;

      sample->uuid = g_strdup (gvir_domain_get_uuid (domain));
      g_object_get (domain, "handle", &dom, NULL);
      g_ptr_array_add (read->handles, dom);
      g_ptr_array_add (read->samples, sample);
    }
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vl_guest_cpu_sample_async);
  g_task_set_task_data (task, read, (GDestroyNotify) cpu_read_free);
  g_task_run_in_thread (task, cpu_thread);
}

GPtrArray *
vl_guest_cpu_sample_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
