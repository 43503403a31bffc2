/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the benchmarks room's pure parts: configurations, what capabilities allow, the guest's
 * definition (validated by libvirt's own schema), and the results disk turned into a PTS file. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gio/gio.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "vl-bench-config.h"
#include "vl-bench-domain.h"
#include "vl-bench-results.h"
#include "vl-error.h"
#include "vl-gvir-autoptr.h"
#include "vl-result-file.h"
#include "vl-result-stats.h"
#include "vl-result-writer.h"

static void
test_config_parse (void)
{
  struct {
    const char *text, *uri, *name;
    VlBenchMode mode;
  } good[] = {
    { "qemu:///system,kvm-hvm", "qemu:///system", "KVM-HVM", VL_BENCH_MODE_KVM_HVM },
    { "qemu:///embed?root=/tmp/a,QEMU-TCG,My guest", "qemu:///embed?root=/tmp/a", "My guest",
      VL_BENCH_MODE_QEMU_TCG },
    { "xen:///system,xen-pv", "xen:///system", "Xen-PV", VL_BENCH_MODE_XEN_PV },
    { "xen:///system,xen-hvm,虛擬機器 B", "xen:///system", "虛擬機器 B", VL_BENCH_MODE_XEN_HVM },
    { "qemu:///embed?root=/a,b,qemu-tcg,N", "qemu:///embed?root=/a,b", "N", VL_BENCH_MODE_QEMU_TCG },
    /* A name that reads like a mode is the name when a mode comes before it. */
    { "xen+tcp://127.0.0.1:39303/system,xen-pv,Xen-PV", "xen+tcp://127.0.0.1:39303/system", "Xen-PV",
      VL_BENCH_MODE_XEN_PV },
    { "qemu:///embed?root=/tmp/e,qemu-tcg,KVM-HVM", "qemu:///embed?root=/tmp/e", "KVM-HVM",
      VL_BENCH_MODE_QEMU_TCG },
  };
  const char *bad[] = { "qemu:///system", "qemu:///system,vmware", ",kvm-hvm", "qemu:///system,kvm-hvm,",
                        "qemu:///system,kvm,KVM" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VlBenchConfig) config = vl_bench_config_parse (good[i].text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (config->uri, ==, good[i].uri);
      g_assert_cmpstr (config->name, ==, good[i].name);
      g_assert_cmpint (config->mode, ==, good[i].mode);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VlBenchConfig) config = vl_bench_config_parse (bad[i], &error);

      g_assert_null (config);
      g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_test_message ("%s", error->message);
    }
}

static const char kvm_caps[] =
  "<capabilities><host><cpu><arch>x86_64</arch></cpu></host>"
  "<guest><os_type>hvm</os_type><arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch></guest>"
  "<guest><os_type>hvm</os_type><arch name='i686'><domain type='qemu'/></arch></guest></capabilities>";
static const char tcg_caps[] =
  "<capabilities><guest><os_type>hvm</os_type><arch name='x86_64'><domain type='qemu'/></arch></guest>"
  "</capabilities>";
static const char xen_caps[] =
  "<capabilities><guest><os_type>xen</os_type><arch name='x86_64'><domain type='xen'/></arch></guest>"
  "<guest><os_type>xenpvh</os_type><arch name='x86_64'><domain type='xen'/></arch></guest>"
  "<guest><os_type>hvm</os_type><arch name='x86_64'><domain type='xen'/></arch></guest></capabilities>";

static void
test_mode_supported (void)
{
  struct {
    const char *caps;
    gboolean ok[4];
  } cases[] = {
    { kvm_caps, { TRUE, TRUE, FALSE, FALSE } },
    { tcg_caps, { FALSE, TRUE, FALSE, FALSE } },
    { xen_caps, { FALSE, FALSE, TRUE, TRUE } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (VlBenchMode mode = VL_BENCH_MODE_KVM_HVM; mode <= VL_BENCH_MODE_XEN_HVM; mode++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_cmpint (vl_bench_mode_supported (mode, cases[i].caps, &error), ==, cases[i].ok[mode]);
        if (!cases[i].ok[mode])
          {
            g_assert_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED);
            g_assert_nonnull (strstr (error->message, vl_bench_mode_layer (mode)));
          }
      }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (vl_bench_mode_supported (VL_BENCH_MODE_KVM_HVM, "<capabilities", &error));
    g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
  }
}

static void
test_plan_check (void)
{
  g_autoptr(VlBenchPlan) plan = vl_bench_plan_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (vl_bench_plan_check (plan, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_ptr_array_add (plan->configs, vl_bench_config_parse ("qemu:///system,kvm-hvm,Same", NULL));
  g_ptr_array_add (plan->configs, vl_bench_config_parse ("qemu:///system,qemu-tcg,Same", NULL));
  g_assert_false (vl_bench_plan_check (plan, &error));
  g_assert_nonnull (strstr (error->message, "“Same”"));
  g_clear_error (&error);
  g_ptr_array_remove_index (plan->configs, 1);
  g_assert_true (vl_bench_plan_check (plan, &error));
  g_assert_no_error (error);
  plan->memory_mib = 100;
  g_assert_false (vl_bench_plan_check (plan, &error));
  g_clear_error (&error);
  plan->memory_mib = 1024;
  plan->tests = g_strsplit ("kernel_build,fio_seq_write", ",", -1);
  g_assert_true (vl_bench_plan_check (plan, &error));
  g_assert_no_error (error);
  g_strfreev (plan->tests);
  plan->tests = g_strsplit ("fio_seq_write,nope", ",", -1);
  g_assert_false (vl_bench_plan_check (plan, &error));
  g_assert_nonnull (strstr (error->message, "“nope”"));
  g_assert_nonnull (strstr (error->message, "kernel_build"));
}

/* The study's sizes need bigger guests: the least memory and scratch disk follow its tests, and a
 * plan below them is refused naming both numbers; the quick profile keeps the smallest guest. */
static void
test_plan_minimums (void)
{
  g_autoptr(VlBenchPlan) plan = vl_bench_plan_new ();
  g_autoptr(GError) error = NULL;
  guint memory, scratch;

  g_ptr_array_add (plan->configs, vl_bench_config_parse ("qemu:///system,qemu-tcg", NULL));
  vl_bench_plan_minimums (plan, &memory, &scratch);
  g_assert_cmpuint (memory, ==, 256);
  g_assert_cmpuint (scratch, ==, 64);
  g_assert_true (vl_bench_plan_check (plan, &error));

  plan->profile = VL_BENCH_PROFILE_STUDY;
  vl_bench_plan_minimums (plan, &memory, &scratch);
  g_assert_cmpuint (memory, ==, 2560);
  /* fio 4096 + 1024, the kernel 768, dbench 1024, a tenth more, in steps of 256 MiB */
  g_assert_cmpuint (scratch, ==, 7680);
  g_assert_false (vl_bench_plan_check (plan, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "at least 7680 MiB, not 512 MiB"));
  g_clear_error (&error);
  plan->scratch_mib = 7680;
  g_assert_false (vl_bench_plan_check (plan, &error));
  g_assert_nonnull (strstr (error->message, "at least 2560 MiB of memory, not 1024 MiB"));
  g_clear_error (&error);
  plan->memory_mib = 2560;
  g_assert_true (vl_bench_plan_check (plan, &error));

  /* Only the processor tests of the study: no disk or memory beyond the smallest guest. */
  plan->tests = g_strsplit ("sysbench_cpu,ffmpeg,wavpack", ",", -1);
  vl_bench_plan_minimums (plan, &memory, &scratch);
  g_assert_cmpuint (memory, ==, 256);
  g_assert_cmpuint (scratch, ==, 64);
  g_strfreev (plan->tests);
  plan->tests = g_strsplit ("kernel_build", ",", -1);
  vl_bench_plan_minimums (plan, &memory, &scratch);
  g_assert_cmpuint (scratch, ==, 1024);
}

/* The definition, for each mode, passes libvirt's own schema (virt-xml-validate) and says what the
 * runner needs: direct kernel boot, its console, <acpi/> (not on PV), three disks, no NIC. */
static void
test_domain_config (void)
{
  for (VlBenchMode mode = VL_BENCH_MODE_KVM_HVM; mode <= VL_BENCH_MODE_XEN_HVM; mode++)
    {
      const char *tests[] = { "fio_seq_write", "dbench", NULL };
      VlBenchDomainSpec spec = {
        .name = "virtlab-bench-test", .mode = mode, .vcpus = 2, .memory_mib = 1024,
        .kernel = "/cache/vmlinuz", .initrd = "/cache/initrd.img", .root_path = "/cache/root.ext4",
        .scratch_path = "/srv/bench/scratch.img", .results_path = "/srv/bench/results.img", .direct_io = TRUE,
        .profile = VL_BENCH_PROFILE_QUICK, .runs = 3, .tests = tests,
      };
      g_autoptr(GVirConfigDomain) domain = vl_bench_domain_config (&spec);
      g_autofree char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
      g_autofree char *path = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      gboolean xen = mode == VL_BENCH_MODE_XEN_PV || mode == VL_BENCH_MODE_XEN_HVM;
      int fd = g_file_open_tmp ("vl-bench-domain-XXXXXX.xml", &path, &error);
      int status = -1;
      const char *argv[] = { "virt-xml-validate", path, "domain", NULL };

      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (path, xml, -1, NULL));
      close (fd);
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                    NULL, &err, &status, &error);
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("libvirt's schema refuses the %s guest: %s\n%s", vl_bench_mode_id (mode), err, xml);
      g_unlink (path);

      g_assert_nonnull (strstr (xml, "<kernel>/cache/vmlinuz</kernel>"));
      g_assert_nonnull (strstr (xml, "<initrd>/cache/initrd.img</initrd>"));
      g_assert_nonnull (strstr (xml, "init=/usr/lib/virtlab/runner"));
      g_assert_nonnull (strstr (xml, "vl.tests=fio_seq_write,dbench"));
      g_assert_nonnull (strstr (xml, mode == VL_BENCH_MODE_XEN_PV ? "console=hvc0" : "console=ttyS0"));
      g_assert_nonnull (strstr (xml, xen ? "vl.scratch=xvdb vl.results=xvdc" : "vl.scratch=vdb vl.results=vdc"));
      g_assert_cmpint (strstr (xml, "<acpi/>") != NULL, ==, mode != VL_BENCH_MODE_XEN_PV);
      /* Xen's qdisk refuses a read-only disk; the guest mounts its root read-only there. */
      g_assert_cmpint (strstr (xml, "<readonly/>") != NULL, ==, !xen);
      g_assert_nonnull (strstr (xml, " ro init="));
      g_assert_nonnull (strstr (xml, xen ? "<driver name=\"phy\"" : "<driver name=\"qemu\" type=\"raw\""));
      /* libxl cannot leave the balloon out. */
      g_assert_cmpint (strstr (xml, "<memballoon model=\"none\"/>") != NULL, ==, !xen);
      g_assert_nonnull (strstr (xml, "cache=\"none\""));
      g_assert_null (strstr (xml, "<interface"));
      g_assert_null (strstr (xml, "<graphics"));
      g_assert_nonnull (strstr (xml, xen ? "dev=\"xvdc\"" : "dev=\"vdc\""));
    }
}

/* ---- the console -------------------------------------------------------------------------------- */

static void
test_console_progress (void)
{
  g_assert_cmpstr (vl_bench_console_progress ("VLBENCH start profile=quick runs=1 cpus=2"), ==,
                   "start profile=quick runs=1 cpus=2");
  /* Xen HVM: SeaBIOS's serial console writes terminal escapes with no newline ("\033c\033[?7l\033[2J"
   * was seen at a reset in a console log), so the runner's line can come after such bytes. */
  g_assert_cmpstr (vl_bench_console_progress (
                     "\033c\033[?7l\033[2JVLBENCH start profile=quick runs=1 cpus=2"),
                   ==, "start profile=quick runs=1 cpus=2");
  g_assert_cmpstr (vl_bench_console_progress ("Booting from ROM...VLBENCH run sysbench_cpu 1/1"), ==,
                   "run sysbench_cpu 1/1");
  g_assert_null (vl_bench_console_progress ("[    0.000000] Linux version 6.1.0-57-amd64"));
  g_assert_null (vl_bench_console_progress ("VLBENCH1 12 abc"));
  g_assert_null (vl_bench_console_progress (""));
}

/* ---- the results disk ------------------------------------------------------------------------- */

static void
rec (GString *payload, const char *name, const char *value)
{
  g_string_append_printf (payload, "%s %zu\n%s\n", name, strlen (value), value);
}

static GBytes *
disk_bytes (GString *payload)
{
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, payload->str, payload->len);
  GString *disk = g_string_new (NULL);

  g_string_append_printf (disk, "VLBENCH1 %zu %s\n", payload->len, sum);
  g_string_append_len (disk, payload->str, payload->len);
  /* The rest of the disk: zeros, as the runner leaves it. */
  g_string_set_size (disk, disk->len + 4096);
  memset (disk->str + disk->len - 4096, 0, 4096);
  return g_string_free_to_bytes (disk);
}

static void
define_test (GString *p, const char *id, const char *unit, const char *proportion, const char *title)
{
  g_autofree char *key = NULL;

#define T(field, value) (g_free (key), key = g_strdup_printf ("test.%s.%s", id, field), rec (p, key, value))
  T ("category", "cpu");
  T ("package", "sysbench");
  T ("version", "1.0.20+ds-5");
  T ("proportion", proportion);
  T ("unit", unit);
  T ("title", title);
  T ("description", "A stand-in. Multi-line\noutput & <markup> kept");
  T ("arguments", "--x=1");
#undef T
}

static GString *
sample_payload (gboolean complete)
{
  GString *p = g_string_new (NULL);

  rec (p, "format", "1");
  rec (p, "fact.profile", "quick");
  rec (p, "fact.runs", "3");
  rec (p, "fact.cpu_model", "QEMU Virtual CPU version 2.5+");
  rec (p, "fact.vcpus", "2");
  rec (p, "fact.memory_kib", "1007780");
  rec (p, "fact.kernel", "6.1.0-57-amd64");
  rec (p, "fact.arch", "x86_64");
  rec (p, "fact.os", "Debian GNU/Linux 12 (bookworm)");
  rec (p, "fact.hypervisor_cpuid", "KVM");
  rec (p, "status", "running");
  define_test (p, "cpu", "Events/s", "HIB", "sysbench CPU");
  define_test (p, "wav", "Seconds", "LIB", "WavPack audio encoding");
  define_test (p, "fio", "MiB/s", "HIB", "fio sequential write");
  /* As runner.sh defines kernel_build: its own package and version, the PTS test profile's name. */
  rec (p, "test.kernel_build.profile", "build-linux-kernel");
  rec (p, "test.kernel_build.category", "cpu");
  rec (p, "test.kernel_build.package", "linux-source-6.1");
  rec (p, "test.kernel_build.version", "6.1.192-3");
  rec (p, "test.kernel_build.proportion", "LIB");
  rec (p, "test.kernel_build.unit", "Seconds");
  rec (p, "test.kernel_build.title", "Linux kernel build");
  rec (p, "test.kernel_build.description",
       "make -j2 kernel/ of Linux 6.1 (linux-source-6.1, x86-64 defconfig, gcc). Stands in for: Timed Linux "
       "Kernel Compilation (PTS)");
  rec (p, "test.kernel_build.arguments", "defconfig -j2 kernel/");
  define_test (p, "left_out", "MiB/s", "HIB", "not selected");
  rec (p, "test.kernel_build.selected", "yes");
  rec (p, "test.cpu.selected", "yes");
  rec (p, "test.wav.selected", "yes");
  rec (p, "test.fio.selected", "yes");
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *v = g_strdup_printf ("run.cpu.%u.value", i), *s = g_strdup_printf ("run.cpu.%u.seconds", i);
      g_autofree char *value = g_strdup_printf ("%u00.5", i);

      rec (p, v, value);
      rec (p, s, "5.012");
    }
  rec (p, "run.kernel_build.1.value", "41.734");
  rec (p, "run.kernel_build.1.seconds", "47.2");
  rec (p, "run.kernel_build.2.value", "40.1");
  rec (p, "run.kernel_build.2.seconds", "44.9");
  rec (p, "run.kernel_build.3.value", "43.5");
  rec (p, "run.kernel_build.3.seconds", "48.0");
  rec (p, "run.wav.1.value", "12.25");
  rec (p, "run.wav.1.seconds", "12.3");
  rec (p, "run.wav.2.error", "exited with status 1: wavpack: out of space");
  rec (p, "run.wav.2.seconds", "0.2");
  rec (p, "run.wav.3.value", "12.75");
  rec (p, "run.wav.3.seconds", "12.8");
  if (complete)
    {
      for (guint i = 1; i <= 3; i++)
        {
          g_autofree char *e = g_strdup_printf ("run.fio.%u.error", i);

          rec (p, e, "exited with status 1: fio: No space left on device");
        }
      rec (p, "status", "complete");
    }
  return p;
}

static void
test_records_parse (void)
{
  g_autoptr(GString) payload = sample_payload (TRUE);
  g_autoptr(GBytes) bytes = disk_bytes (payload);
  g_autoptr(GError) error = NULL;
  g_autoptr(VlBenchRecords) records = vl_bench_records_parse (g_bytes_get_data (bytes, NULL),
                                                              g_bytes_get_size (bytes), &error);
  GPtrArray *tests;

  g_assert_no_error (error);
  g_assert_true (vl_bench_records_complete (records));
  g_assert_cmpuint (vl_bench_records_runs (records), ==, 3);
  g_assert_cmpstr (vl_bench_records_get (records, "fact.cpu_model"), ==, "QEMU Virtual CPU version 2.5+");
  g_assert_cmpstr (vl_bench_records_get (records, "test.cpu.description"), ==,
                   "A stand-in. Multi-line\noutput & <markup> kept");
  tests = vl_bench_records_tests (records);
  g_assert_cmpuint (tests->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (tests, 0), ==, "cpu");
  g_assert_cmpstr (g_ptr_array_index (tests, 3), ==, "kernel_build");
  g_assert_cmpstr (g_ptr_array_index (tests, 4), ==, "left_out");
}

/* Every way a disk can be wrong gives a clear error, never a crash or a half-read set. */
static void
test_records_bad (void)
{
  g_autoptr(GString) payload = sample_payload (TRUE);
  g_autoptr(GBytes) good = disk_bytes (payload);
  gsize size;
  const guint8 *data = g_bytes_get_data (good, &size);
  g_autofree guint8 *copy = g_memdup2 (data, size);
  g_autofree guint8 *zeros = g_malloc0 (65536);
  g_autofree guint8 *noise = g_malloc (65536);
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  struct {
    const char *what, *expect;
    const guint8 *data;
    gsize size;
  } cases[] = {
    { "zeros", "wrote nothing", zeros, 65536 },
    { "noise", "does not hold Virtlab benchmark results", noise, 65536 },
    { "cut", "cut short", data, 200 },
    { "flipped", "checksum", copy, size },
    { "empty", "wrote nothing", data, 0 },
  };

  for (guint i = 0; i < 65536; i++)
    noise[i] = g_rand_int_range (rand, 1, 256);
  copy[300] ^= 0x20;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VlBenchRecords) records = vl_bench_records_parse (cases[i].data, cases[i].size, &error);

      g_assert_null (records);
      g_assert_nonnull (error);
      g_test_message ("%s: %s", cases[i].what, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }
  /* A record whose size runs past the payload, with a checksum that matches. */
  {
    g_autoptr(GString) p = g_string_new ("format 1\n1\nfact.x 999\nshort\n");
    g_autoptr(GBytes) bytes = disk_bytes (p);
    g_autoptr(GError) error = NULL;

    g_assert_null (vl_bench_records_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error));
    g_assert_nonnull (strstr (error->message, "a record cannot be read"));
  }
  {
    g_autoptr(GString) p = g_string_new ("format 1\n2\n");
    g_autoptr(GBytes) bytes = disk_bytes (p);
    g_autoptr(GError) error = NULL;

    g_assert_null (vl_bench_records_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error));
    g_assert_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED);
  }
}

static char *
write_and_validate (VlResultSet *set, VlResultSet **back)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = vl_result_set_to_pts_xml (set, &error);
  g_autofree char *path = NULL;
  g_autofree char *schema = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "results", "schema",
                                              "pts-result-file.xsd", NULL);
  const char *argv[] = { "xmllint", "--noout", "--nonet", "--schema", schema, NULL, NULL };
  int fd, status = -1;

  g_assert_no_error (error);
  fd = g_file_open_tmp ("vl-bench-result-XXXXXX.xml", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  argv[5] = path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  *back = vl_result_file_load (path, &error);
  g_assert_no_error (error);
  g_unlink (path);
  return g_steal_pointer (&xml);
}

/* Two systems from two disks, one stopped midway; a third that gave nothing: one PTS file. */
static void
test_records_to_result_set (void)
{
  g_autoptr(GString) full = sample_payload (TRUE);
  g_autoptr(GString) partial = sample_payload (FALSE);
  g_autoptr(GBytes) a = disk_bytes (full), b = disk_bytes (partial);
  g_autoptr(VlBenchRecords) ra = vl_bench_records_parse (g_bytes_get_data (a, NULL), g_bytes_get_size (a), NULL);
  g_autoptr(VlBenchRecords) rb = vl_bench_records_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), NULL);
  g_autoptr(VlResultSet) set = vl_result_set_new ();
  g_autoptr(VlResultSet) back = NULL;
  g_autofree char *xml = NULL;
  VlResult *cpu, *wav, *fio, *kernel;
  VlResultEntry *entry;
  VlResultSystem *system;

  g_assert_nonnull (ra);
  g_assert_nonnull (rb);
  g_assert_false (vl_bench_records_complete (rb));
  vl_bench_add_system (set, ra, "KVM-HVM", "KVM", "Host: test", "stopped");
  vl_bench_add_system (set, rb, "QEMU-TCG", "QEMU (TCG, no acceleration)", "Host: test",
                       "The guest did not finish within its time budget of 10 s and was stopped before this test ran.");
  vl_bench_add_failed_system (set, "Xen-PV", "Xen PV", "", "the results disk is damaged");
  set->title = g_strdup ("KVM-HVM vs QEMU-TCG vs Xen-PV");
  set->description = g_strdup ("test");

  xml = write_and_validate (set, &back);
  g_test_message ("%s", xml);
  g_assert_cmpuint (back->systems->len, ==, 3);
  g_assert_cmpuint (back->results->len, ==, 4); /* left_out is no result */
  cpu = g_ptr_array_index (back->results, 0);
  wav = g_ptr_array_index (back->results, 1);
  fio = g_ptr_array_index (back->results, 2);
  kernel = g_ptr_array_index (back->results, 3);
  /* The kernel build: seconds, fewer is better, the Debian version of linux-source-6.1, what it
   * stands in for; read back with the same numbers. */
  g_assert_cmpstr (kernel->identifier, ==, "virtlab/build-linux-kernel");
  g_assert_cmpstr (kernel->title, ==, "Linux kernel build");
  g_assert_cmpstr (kernel->app_version, ==, "6.1.192-3");
  g_assert_cmpstr (kernel->scale, ==, "Seconds");
  g_assert_cmpint (kernel->proportion, ==, VL_PROPORTION_LIB);
  g_assert_nonnull (strstr (kernel->description, "Stands in for: Timed Linux Kernel Compilation (PTS)"));
  g_assert_cmpstr (kernel->arguments, ==, "defconfig -j2 kernel/");
  entry = vl_result_find_entry (kernel, "KVM-HVM");
  g_assert_false (entry->failed);
  g_assert_cmpfloat_with_epsilon (entry->value, (41.734 + 40.1 + 43.5) / 3, 1e-3);
  g_assert_cmpuint (entry->raw->len, ==, 3);
  g_assert_cmpfloat (g_array_index (entry->raw, double, 0), ==, 41.734);
  g_assert_cmpint (vl_result_category (kernel), ==, VL_CATEGORY_CPU);
  g_assert_cmpstr (cpu->identifier, ==, "virtlab/cpu");
  g_assert_cmpstr (cpu->app_version, ==, "1.0.20+ds-5");
  g_assert_cmpint (cpu->proportion, ==, VL_PROPORTION_HIB);
  g_assert_cmpint (wav->proportion, ==, VL_PROPORTION_LIB);
  g_assert_cmpstr (cpu->scale, ==, "Events/s");

  entry = vl_result_find_entry (cpu, "KVM-HVM");
  g_assert_cmpfloat_with_epsilon (entry->value, 200.5, 1e-9);
  g_assert_cmpuint (entry->raw->len, ==, 3);
  g_assert_cmpfloat (g_array_index (entry->raw, double, 2), ==, 300.5);
  /* One run of three failed: the mean of the two others, the failure in the JSON. */
  entry = vl_result_find_entry (wav, "KVM-HVM");
  g_assert_false (entry->failed);
  g_assert_cmpfloat_with_epsilon (entry->value, 12.5, 1e-9);
  g_assert_cmpuint (entry->raw->len, ==, 2);
  g_assert_nonnull (strstr (entry->json, "run 2: exited with status 1: wavpack: out of space"));
  /* All runs failed: a failed run the way PTS stores it. */
  entry = vl_result_find_entry (fio, "KVM-HVM");
  g_assert_true (entry->failed);
  g_assert_nonnull (strstr (entry->error, "No space left on device"));
  /* The stopped guest: what it measured is kept, what it never ran says why. */
  entry = vl_result_find_entry (cpu, "QEMU-TCG");
  g_assert_false (entry->failed);
  entry = vl_result_find_entry (fio, "QEMU-TCG");
  g_assert_true (entry->failed);
  g_assert_nonnull (strstr (entry->error, "time budget of 10 s"));
  /* Nothing at all: failed everywhere, with the reason. */
  entry = vl_result_find_entry (cpu, "Xen-PV");
  g_assert_true (entry->failed);
  g_assert_cmpstr (entry->error, ==, "the results disk is damaged");

  system = vl_result_set_find_system (back, "KVM-HVM");
  g_assert_nonnull (strstr (system->hardware, "QEMU Virtual CPU version 2.5+ (2 vCPUs), Memory: 984MB"));
  g_assert_nonnull (strstr (system->software, "Kernel: 6.1.0-57-amd64 (x86_64), System Layer: KVM, CPUID: KVM"));
  g_assert_cmpstr (system->notes, ==, "Host: test");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bench/config/parse", test_config_parse);
  g_test_add_func ("/bench/config/mode-supported", test_mode_supported);
  g_test_add_func ("/bench/config/plan-check", test_plan_check);
  g_test_add_func ("/bench/config/plan-minimums", test_plan_minimums);
  g_test_add_func ("/bench/domain/config", test_domain_config);
  g_test_add_func ("/bench/records/parse", test_records_parse);
  g_test_add_func ("/bench/console/progress", test_console_progress);
  g_test_add_func ("/bench/records/bad", test_records_bad);
  g_test_add_func ("/bench/records/result-set", test_records_to_result_set);
  return g_test_run ();
}
