/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark configurations: parsing --config, naming, and what a host's capabilities allow. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "vl-bench-config.h"
#include "vl-error.h"
#include "vl-result-writer.h"

static const struct {
  const char *id, *name, *layer;
} modes[] = {
  [VL_BENCH_MODE_KVM_HVM]  = { "kvm-hvm", "KVM-HVM", "KVM" },
  [VL_BENCH_MODE_QEMU_TCG] = { "qemu-tcg", "QEMU-TCG", "QEMU (TCG, no acceleration)" },
  [VL_BENCH_MODE_XEN_PV]   = { "xen-pv", "Xen-PV", "Xen PV" },
  [VL_BENCH_MODE_XEN_HVM]  = { "xen-hvm", "Xen-HVM", "Xen HVM" },
};

const char *
vl_bench_mode_id (VlBenchMode mode)
{
  return modes[mode].id;
}

const char *
vl_bench_mode_default_name (VlBenchMode mode)
{
  return modes[mode].name;
}

const char *
vl_bench_mode_layer (VlBenchMode mode)
{
  return modes[mode].layer;
}

gboolean
vl_bench_mode_from_string (const char *text, VlBenchMode *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_ascii_strcasecmp (text, modes[i].id) == 0)
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

const char *
vl_bench_profile_id (VlBenchProfile profile)
{
  return profile == VL_BENCH_PROFILE_STUDY ? "study" : "quick";
}

gboolean
vl_bench_profile_from_string (const char *text, VlBenchProfile *profile)
{
  if (g_strcmp0 (text, "quick") == 0)
    *profile = VL_BENCH_PROFILE_QUICK;
  else if (g_strcmp0 (text, "study") == 0)
    *profile = VL_BENCH_PROFILE_STUDY;
  else
    return FALSE;
  return TRUE;
}

guint
vl_bench_profile_budget (VlBenchProfile profile, guint runs)
{
  /* Boot and the facts take ~15 s under TCG; a quick run of all tests ~50 s and the kernel build's
   * part of the tree 41 s (TCG, load 2), several times that on a loaded 2-core host; study ~25 min and the
   * whole kernel, which takes hours under TCG. */
  if (profile == VL_BENCH_PROFILE_STUDY)
    return 120 + runs * (3600 + 4 * 3600);
  return 120 + runs * 480;
}

void
vl_bench_config_free (VlBenchConfig *config)
{
  g_free (config->uri);
  g_free (config->name);
  g_free (config);
}

VlBenchConfig *
vl_bench_config_parse (const char *text, GError **error)
{
  g_autoptr(VlBenchConfig) config = g_new0 (VlBenchConfig, 1);
  const char *last = strrchr (text, ',');
  const char *mode_start, *mode_end;
  g_autofree char *mode = NULL;

  if (last == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The configuration “%s” is not URI,MODE[,NAME] (MODE: kvm-hvm, qemu-tcg, xen-pv or xen-hvm)"),
                   text);
      return NULL;
    }
  /* The name comes last and the mode before it; a URI may hold commas, a mode never does. A
   * name may read like a mode ("…,xen-pv,Xen-PV"): a mode before the last field wins. */
  mode = g_strdup (last + 1);
  mode_start = last + 1;
  mode_end = text + strlen (text);
  {
    const char *before = last;
    g_autofree char *field = NULL;
    VlBenchMode ignored;

    while (before > text && before[-1] != ',')
      before--;
    field = before > text ? g_strstrip (g_strndup (before, last - before)) : NULL;
    if (field != NULL && vl_bench_mode_from_string (field, &ignored))
      g_clear_pointer (&mode, g_free);
  }
  if (mode == NULL || !vl_bench_mode_from_string (mode, &config->mode))
    {
      const char *before = last;

      while (before > text && before[-1] != ',')
        before--;
      g_free (mode);
      mode = before > text ? g_strndup (before, last - before) : NULL;
      if (mode == NULL || !vl_bench_mode_from_string (mode, &config->mode))
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("The configuration “%s” names no mode Virtlab knows (kvm-hvm, qemu-tcg, xen-pv or xen-hvm)"),
                       text);
          return NULL;
        }
      config->name = g_strstrip (g_strdup (last + 1));
      mode_start = before;
      mode_end = last;
    }
  (void) mode_end;
  config->uri = g_strstrip (g_strndup (text, mode_start - 1 - text));
  if (config->uri[0] == '\0')
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The configuration “%s” has no connection URI before its mode"), text);
      return NULL;
    }
  if (config->name == NULL)
    config->name = g_strdup (vl_bench_mode_default_name (config->mode));
  if (config->name[0] == '\0' || g_utf8_strlen (config->name, -1) > VL_PTS_SYSTEM_ID_MAX)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The name of configuration “%s” must have from 1 to %d characters"), text,
                   VL_PTS_SYSTEM_ID_MAX);
      return NULL;
    }
  return g_steal_pointer (&config);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

gboolean
vl_bench_mode_supported (VlBenchMode mode, const char *capabilities_xml, GError **error)
{
  static const char *const queries[] = {
    [VL_BENCH_MODE_KVM_HVM]  = "/capabilities/guest[os_type='hvm']/arch[@name='x86_64']/domain[@type='kvm']",
    [VL_BENCH_MODE_QEMU_TCG] = "/capabilities/guest[os_type='hvm']/arch[@name='x86_64']/domain[@type='qemu']",
    [VL_BENCH_MODE_XEN_PV]   = "/capabilities/guest[os_type='xen']/arch[@name='x86_64']/domain[@type='xen']",
    [VL_BENCH_MODE_XEN_HVM]  = "/capabilities/guest[os_type='hvm']/arch[@name='x86_64']/domain[@type='xen']",
  };
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(xmlXPathContext) xpath = NULL;
  g_autoptr(xmlXPathObject) found = NULL;

  doc = capabilities_xml != NULL
        ? xmlReadMemory (capabilities_xml, strlen (capabilities_xml), "capabilities.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
        : NULL;
  if (doc == NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_PARSE, _("The host’s capabilities could not be read"));
      return FALSE;
    }
  xpath = xmlXPathNewContext (doc);
  found = xmlXPathEvalExpression ((const xmlChar *) queries[mode], xpath);
  if (found == NULL || found->nodesetval == NULL || found->nodesetval->nodeNr == 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED,
                   _("This connection cannot run %s guests for x86_64: its host offers no such guest type"),
                   vl_bench_mode_layer (mode));
      return FALSE;
    }
  return TRUE;
}

VlBenchPlan *
vl_bench_plan_new (void)
{
  VlBenchPlan *plan = g_new0 (VlBenchPlan, 1);

  plan->configs = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_bench_config_free);
  plan->profile = VL_BENCH_PROFILE_QUICK;
  plan->runs = 3;
  plan->vcpus = 2;
  plan->memory_mib = 1024;
  plan->scratch_mib = 512;
  return plan;
}

void
vl_bench_plan_free (VlBenchPlan *plan)
{
  g_ptr_array_unref (plan->configs);
  g_free (plan->output);
  g_free (plan->title);
  g_strfreev (plan->tests);
  g_free (plan->pool);
  g_free (plan);
}

static gboolean
plan_runs_test (const VlBenchPlan *plan, const char *test)
{
  return plan->tests == NULL || g_strv_contains ((const char *const *) plan->tests, test);
}

void
vl_bench_plan_minimums (const VlBenchPlan *plan, guint *memory_mib, guint *scratch_mib)
{
  guint scratch = 0;

  *memory_mib = 256;
  *scratch_mib = 64;
  if (plan->profile != VL_BENCH_PROFILE_STUDY)
    return;
  /* What the study's tests leave on the scratch disk (data/bench/runner.sh): fio's sequential file
   * (4096 MiB, written then read), its random-read file (1024 MiB), the kernel's build output (571 MB
   * for a defconfig vmlinux, measured) and dbench's 128 clients' files, plus ext4's own room. */
  if (plan_runs_test (plan, "fio_seq_write") || plan_runs_test (plan, "fio_seq_read"))
    scratch += 4096;
  if (plan_runs_test (plan, "fio_rand_read"))
    scratch += 1024;
  if (plan_runs_test (plan, "kernel_build"))
    scratch += 768;
  if (plan_runs_test (plan, "dbench"))
    scratch += 1024;
  if (scratch > 0)
    *scratch_mib = MAX (*scratch_mib, (scratch + scratch / 10 + 255) / 256 * 256);
  /* mbw's two 1024 MiB arrays and the guest's own system. */
  if (plan_runs_test (plan, "mbw_memcpy"))
    *memory_mib = 2560;
}

gboolean
vl_bench_plan_check (const VlBenchPlan *plan, GError **error)
{
  guint min_memory, min_scratch;
  static const char *const tests[] = { "kernel_build",   "sysbench_cpu",
                                       "ffmpeg",         "wavpack",
                                       "mem_cache_read", "mem_cache_write",
                                       "mbw_memcpy",     "mem_ram_read",
                                       "mem_ram_write",  "dbench",
                                       "fio_seq_write",  "fio_seq_read",
                                       "fio_rand_read",  NULL };

  if (plan->configs->len == 0)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                           _("No configuration to run: give one or more --config URI,MODE[,NAME]"));
      return FALSE;
    }
  for (guint i = 0; i < plan->configs->len; i++)
    for (guint j = 0; j < i; j++)
      {
        VlBenchConfig *a = g_ptr_array_index (plan->configs, i), *b = g_ptr_array_index (plan->configs, j);

        if (g_utf8_collate (a->name, b->name) == 0)
          {
            g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                         _("Two configurations have the same name “%s”: give each its own (URI,MODE,NAME)"),
                         a->name);
            return FALSE;
          }
      }
  if (plan->runs < 1 || plan->runs > 100)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The number of runs must be from 1 to 100, not %u"), plan->runs);
      return FALSE;
    }
  if (plan->vcpus < 1 || plan->memory_mib < 256 || plan->scratch_mib < 64)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("A benchmark guest needs at least 1 vCPU, 256 MiB of memory and a 64 MiB scratch disk"));
      return FALSE;
    }
  for (guint i = 0; plan->tests != NULL && plan->tests[i] != NULL; i++)
    if (!g_strv_contains (tests, plan->tests[i]))
      {
        g_autofree char *known = g_strjoinv (", ", (char **) tests);

        g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("There is no benchmark test “%s” (known: %s)"),
                     plan->tests[i], known);
        return FALSE;
      }
  vl_bench_plan_minimums (plan, &min_memory, &min_scratch);
  if (plan->scratch_mib < min_scratch)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The study profile writes 4 GiB files and builds the whole kernel on the scratch disk: "
                      "with these tests it needs at least %u MiB, not %u MiB"),
                   min_scratch, plan->scratch_mib);
      return FALSE;
    }
  if (plan->memory_mib < min_memory)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The study profile’s mbw test copies two 1024 MiB arrays: the guests need at least %u "
                      "MiB "
                      "of memory, not %u MiB"),
                   min_memory, plan->memory_mib);
      return FALSE;
    }
  return TRUE;
}
