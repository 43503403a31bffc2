/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real privileged helper against hostile requests: each refused with a message, nothing run. */
#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <unistd.h>

#include "host-test-root.h"
#include "vl-helper-request.h"

typedef struct {
  const char *line;         /* the request; "%s" is replaced by the base64 of .contents */
  const char *contents;
  const char *message_part; /* the refusal must name what is wrong */
} Hostile;

static const Hostile hostile[] = {
  { "install-packages\t-oAPT::Update::Pre-Invoke::=touch /pwned", NULL, "-oAPT::Update::Pre-Invoke::=touch /pwned" },
  { "install-packages\t--allow-unauthenticated", NULL, "--allow-unauthenticated" },
  { "install-packages\tqemu utils", NULL, "qemu utils" },
  { "install-packages\tqemu-utils\tlibvirt-clients-", NULL, "libvirt-clients-" },
  { "install-packages\t./evil.deb", NULL, "./evil.deb" },
  { "install-packages\tqemu=1:7.2", NULL, "qemu=1:7.2" },
  { "install-packages\tqemu/unstable", NULL, "qemu/unstable" },
  { "install-packages\tqemu*", NULL, "qemu*" },
  { "install-packages", NULL, "install-packages" },
  { "install-packages\tqemu-utils\tsl", NULL, "“sl” is not a package of a KVM host" },
  { "install-packages\topenssh-server", NULL, "openssh-server" },
  { "write-grub-config\t../../etc/passwd\t%s", "GRUB_TIMEOUT=\"5\"\n", "../../etc/passwd" },
  { "write-grub-config\t..cfg\t%s", "GRUB_TIMEOUT=\"5\"\n", "..cfg" },
  { "write-grub-config\tsub/x.cfg\t%s", "GRUB_TIMEOUT=\"5\"\n", "sub/x.cfg" },
  { "write-grub-config\tx.sh\t%s", "GRUB_TIMEOUT=\"5\"\n", "x.sh" },
  { "write-grub-config\tx.cfg\t%s", "GRUB_CMDLINE_XEN=\"$(touch /pwned)\"\n", "$(touch /pwned)" },
  { "write-grub-config\tx.cfg\t%s", "GRUB_TIMEOUT=\"5\"\ntouch /pwned\n", "touch /pwned" },
  { "write-grub-config\tx.cfg\t%s", "LD_PRELOAD=\"/tmp/x.so\"\n", "LD_PRELOAD" },
  { "write-grub-config\tx.cfg\t%s", "GRUB_TIMEOUT=\"5\" `id`\n", "`id`" },
  { "write-grub-config\tx.cfg\tnot base64!", NULL, "x.cfg" },
  { "enable-service\tsshd", NULL, "sshd" },
  { "enable-service\tlibvirtd;reboot", NULL, "libvirtd;reboot" },
  { "enable-service\t../../bin/sh", NULL, "../../bin/sh" },
  { "load-module\tevil", NULL, "evil" },
  { "load-module\tkvm\textra", NULL, "load-module" },
  { "add-user-to-group\troot\tlibvirt", NULL, "root" },
  { "add-user-to-group\talice\tsudo", NULL, "sudo" },
  { "add-user-to-group\t-oalice\tlibvirt", NULL, "-oalice" },
  { "add-user-to-group\tmallory\tlibvirt", NULL, "mallory" },
  { "update-grub\t--output=/etc/shadow", NULL, "update-grub" },
  { "define-storage-pool\t/etc", NULL, "define-storage-pool" },
  { "run-command\t/bin/sh\t-c\ttouch /pwned", NULL, "run-command" },
  { "reboot", NULL, "reboot" },
  { "apt-get install evil", NULL, "apt-get install evil" },
};

static char *
request_line (const Hostile *h)
{
  g_autofree char *encoded = NULL;

  if (h->contents == NULL)
    return g_strdup (h->line);
  encoded = g_base64_encode ((const guchar *) h->contents, strlen (h->contents));
  return g_strdup_printf (h->line, encoded);
}

static GStrv
run_helper (const char *root, const char *input, const char *const *extra_env, int *status)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) helper = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);
  helper = g_subprocess_launcher_spawn (launcher, &error, VL_HOST_HELPER, "--root", root, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (helper, input, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (helper);
  return g_strsplit (out, "\n", -1);
}

static void
test_helper_hostile (void)
{
  g_autofree char *root = make_test_root ();
  g_autoptr(GString) input = g_string_new (NULL);
  g_auto(GStrv) answers = NULL;
  guint n = G_N_ELEMENTS (hostile);
  int status;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = request_line (&hostile[i]);
      g_string_append_printf (input, "%s\n", line);
    }
  /* The last request is a harmless valid one: the helper was listening all along. */
  g_string_append (input, "write-grub-config\tvirtlab-test.cfg\tR1JVQl9USU1FT1VUPSI1Igo=\n");

  answers = run_helper (root, input->str, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (answers[0], ==, "ready debian");
  g_assert_cmpuint (g_strv_length (answers), >=, n + 4);
  for (guint i = 0; i < n; i++)
    {
      const char *answer = answers[i + 1];

      if (!g_str_has_prefix (answer, "refused ") || strstr (answer, hostile[i].message_part) == NULL)
        g_error ("request %u (%s) got “%s”", i, hostile[i].line, answer);
    }
  g_assert_cmpstr (answers[n + 1], ==, "step-start write-grub-config");
  g_assert_true (g_str_has_prefix (answers[n + 2], "output Wrote /etc/default/grub.d/virtlab-test.cfg"));
  g_assert_cmpstr (answers[n + 3], ==, "step-done");

  /* Nothing ran and nothing was written but the one valid file. */
  g_assert_false (root_has (root, "pwned"));
  g_assert_false (root_has (root, "ran-apt-get"));
  g_assert_false (root_has (root, "ran-systemctl"));
  g_assert_false (root_has (root, "ran-usermod"));
  g_assert_false (root_has (root, "ran-update-grub"));
  g_assert_false (root_has (root, "ran-virsh"));
  g_assert_false (root_has (root, "ran-modprobe-evil"));
  g_assert_false (root_has (root, "etc/default/grub.d/x.cfg"));
  g_assert_false (root_has (root, "etc/default/grub.d/..cfg"));
  g_assert_true (root_has (root, "etc/default/grub.d/virtlab-test.cfg"));
  remove_tree (root);
}

static void
test_helper_refuses_root_through_pkexec (void)
{
  g_autofree char *root = make_test_root ();
  const char *env[] = { "PKEXEC_UID", "1000", NULL };
  g_auto(GStrv) answers = NULL;
  g_autofree char *all = NULL;
  int status;

  /* A user going through pkexec must not pick the root: chroot would run their programs. */
  /* No input: the helper refuses before reading, and a write could race with its exit. */
  answers = run_helper (root, NULL, env, &status);
  all = g_strjoinv ("\n", answers);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (all, "--root"));
  g_assert_null (strstr (all, "ready"));
  g_assert_false (root_has (root, "ran-modprobe-kvm_amd"));
  remove_tree (root);
}

static void
test_helper_busy_and_cancel (void)
{
  g_autofree char *root = make_test_root ();
  g_auto(GStrv) answers = NULL;
  g_autofree char *all = NULL;
  int status;

  if (geteuid () != 0)
    {
      g_test_skip ("chroot needs root");
      remove_tree (root);
      return;
    }
  /* A second request while a step runs is refused; closing stdin cancels the running step. */
  answers = run_helper (root, "load-module\tkvm\nload-module\tkvm_amd\n", NULL, &status);
  all = g_strjoinv ("\n", answers);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (all, "step-start load-module\ncommand modprobe kvm\n"));
  g_assert_nonnull (strstr (all, "refused A step is already running"));
  g_assert_nonnull (strstr (all, "cancelled"));
  g_assert_false (root_has (root, "ran-modprobe-kvm_amd"));
  remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* A helper that refuses to start closes its stdin before the test has written to it. */
  signal (SIGPIPE, SIG_IGN);
  g_test_add_func ("/host/helper/hostile", test_helper_hostile);
  g_test_add_func ("/host/helper/root-through-pkexec", test_helper_refuses_root_through_pkexec);
  g_test_add_func ("/host/helper/busy-and-cancel", test_helper_busy_and_cancel);
  return g_test_run ();
}
