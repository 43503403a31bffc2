/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The guest details' and sparklines' reads (src/guests/vl-guest-reads.c) on libvirt's test driver:
 * what the widgets show comes from here, without a widget. */
#include "config.h"

#include <libvirt/libvirt.h>
#include <string.h>

#include "vl-guest-reads.h"
#include "vl-libvirt-handle.h"

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static GVirConnection *
open_test_driver (void)
{
  g_autoptr(GError) error = NULL;
  GVirConnection *conn = gvir_connection_new ("test:///default");

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gvir_connection_fetch_domains (conn, NULL, &error));
  g_assert_no_error (error);
  return conn;
}

static GVirDomain *
find_domain (GVirConnection *conn, const char *name)
{
  GVirDomain *domain = gvir_connection_find_domain_by_name (conn, name);

  g_assert_nonnull (domain);
  return domain;
}

/* The test driver's guest "test": one virtio disk vda, one NIC, no graphics; its XML. */
static void
test_config (void)
{
  g_autoptr(GVirConnection) conn = open_test_driver ();
  g_autoptr(GVirDomain) domain = find_domain (conn, "test");
  g_autoptr(GError) error = NULL;
  g_autoptr(VlGuestConfig) config = NULL;
  Wait wait = { NULL };

  vl_guest_config_read_async (domain, NULL, done, &wait);
  config = vl_guest_config_read_finish (domain, wait_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  g_assert_nonnull (strstr (config->xml, "<name>test</name>"));
  g_assert_cmpstr (config->disks, ==, "vda: /guest/diskimage1");
  g_assert_nonnull (strstr (config->nics, "aa:bb:cc:dd:ee:ff"));
  g_assert_cmpstr (config->graphics, ==, "");
  g_assert_cmpuint (g_strv_length (config->disk_targets), ==, 1);
  g_assert_cmpstr (config->disk_targets[0], ==, "vda");
  g_assert_cmpuint (g_strv_length (config->nic_targets), ==, 1);
  g_assert_cmpstr (config->nic_targets[0], ==, "testnet0");
  g_assert_false (config->install_pending);
  /* test:///default's guest has no <os firmware> and no TPM: the overview says BIOS. */
  g_assert_cmpstr (config->firmware, ==, "BIOS");
}

/* A guest that is gone by the time it is read: an error for the user, not a crash. */
static void
test_gone (void)
{
  g_autoptr(GVirConnection) conn = open_test_driver ();
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlGuestConfig) config = NULL;
  virDomainPtr dom = NULL;
  VlGuestCounters counters = { 0 };
  Wait wait = { NULL };
  const char *xml = "<domain type='test'><name>brief</name><memory>131072</memory>"
                    "<os><type>hvm</type></os></domain>";
  virConnectPtr vconn = vl_libvirt_handle_get (conn, &error);

  g_assert_no_error (error);
  dom = virDomainCreateXML (vconn, xml, 0);
  g_assert_nonnull (dom);
  g_assert_true (gvir_connection_fetch_domains (conn, NULL, &error));
  domain = find_domain (conn, "brief");
  g_assert_cmpint (virDomainDestroy (dom), ==, 0); /* transient: destroyed is gone */
  virDomainFree (dom);

  vl_guest_config_read_async (domain, NULL, done, &wait);
  config = vl_guest_config_read_finish (domain, wait_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_null (config);
  g_assert_nonnull (error);
  g_clear_error (&error);

  vl_guest_counters_read_async (domain, NULL, NULL, NULL, done, &wait);
  g_assert_false (vl_guest_counters_read_finish (domain, wait_result (&wait), &counters, &error));
  g_clear_object (&wait.result);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "counters"));
}

/* Counters of the running guest: its vCPUs, CPU time, the disk and NIC statistics, and rates from two
 * readings. */
static void
test_counters (void)
{
  g_autoptr(GVirConnection) conn = open_test_driver ();
  g_autoptr(GVirDomain) domain = find_domain (conn, "test");
  g_autoptr(GError) error = NULL;
  const char *const disks[] = { "vda", NULL };
  const char *const nics[] = { "testnet0", "nosuchnic", NULL };
  VlGuestCounters first = { 0 }, second = { 0 };
  VlGuestRates rates;
  Wait wait = { NULL };

  vl_guest_counters_read_async (domain, disks, nics, NULL, done, &wait);
  g_assert_true (vl_guest_counters_read_finish (domain, wait_result (&wait), &first, &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (first.vcpus, ==, 2);
  g_assert_cmpuint (first.cpu_ns, >, 0);
  g_assert_cmpint (first.when_us, >, 0);
  /* The test driver makes its statistics up, but gives some. */
  g_assert_cmpuint (first.rd + first.wr, >, 0);
  g_assert_cmpuint (first.rx + first.tx, >, 0);

  g_usleep (20000);
  vl_guest_counters_read_async (domain, disks, nics, NULL, done, &wait);
  g_assert_true (vl_guest_counters_read_finish (domain, wait_result (&wait), &second, &error));
  g_clear_object (&wait.result);
  g_assert_cmpint (second.when_us, >, first.when_us);

  /* Rates: 1 s apart, 1 vCPU-second of CPU time of two vCPUs is half; bytes per second. */
  {
    VlGuestCounters a = {
      .when_us = 1000000, .cpu_ns = 0, .vcpus = 2, .rd = 100, .wr = 0, .rx = 0, .tx = 10
    };
    VlGuestCounters b = {
      .when_us = 3000000, .cpu_ns = 2000000000, .vcpus = 2, .rd = 300, .wr = 0, .rx = 0, .tx = 5
    };

    vl_guest_counters_rates (&a, &b, &rates);
    g_assert_cmpfloat_with_epsilon (rates.cpu, 0.5, 1e-9);
    g_assert_cmpfloat_with_epsilon (rates.rd, 100, 1e-9);
    g_assert_cmpfloat_with_epsilon (rates.tx, 0, 1e-9); /* a counter that went back (reset) is no rate */
  }
}

/* The sparklines' CPU samples: one per guest asked for, by UUID; a guest gone is marked, not lost. */
static void
test_cpu_samples (void)
{
  g_autoptr(GVirConnection) conn = open_test_driver ();
  g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GError) error = NULL;
  GVirDomain *test = find_domain (conn, "test");
  Wait wait = { NULL };

  g_ptr_array_add (domains, test);
  vl_guest_cpu_sample_async (domains, NULL, done, &wait);
  samples = vl_guest_cpu_sample_finish (wait_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (samples->len, ==, 1);
  {
    VlGuestCpuSample *sample = g_ptr_array_index (samples, 0);

    g_assert_cmpstr (sample->uuid, ==, gvir_domain_get_uuid (test));
    g_assert_true (sample->ok);
    g_assert_cmpuint (sample->cpu_ns, >, 0);
  }

  /* Cancelled before it runs: cancelled, nothing returned. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GPtrArray) none = NULL;

    g_cancellable_cancel (cancellable);
    vl_guest_cpu_sample_async (domains, cancellable, done, &wait);
    none = vl_guest_cpu_sample_finish (wait_result (&wait), &error);
    g_clear_object (&wait.result);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

int
main (int argc, char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);
  g_test_add_func ("/guest-reads/config", test_config);
  g_test_add_func ("/guest-reads/gone", test_gone);
  g_test_add_func ("/guest-reads/counters", test_counters);
  g_test_add_func ("/guest-reads/cpu-samples", test_cpu_samples);
  return g_test_run ();
}
