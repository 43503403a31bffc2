/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the credentials Virtlab hands to libvirt when a connection asks for them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vl-auth.h"
#include "vl-error.h"

static void
test_bad_credentials (void)
{
  static const struct { const char *user, *password; } cases[] = {
    { NULL, "x" }, { "", "x" }, { "al\nice", "x" }, { "alice", "pass\nword" }, { "alice", "pass\rword" },
    { "al\xff" "ice", "x" }, { "alice", "\xc3\x28" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (vl_auth_credentials_check (cases[i].user, cases[i].password, &error));
      g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, !=, "");
    }
  g_assert_true (vl_auth_credentials_check ("alice@EXAMPLE", "密碼 with spaces;=#[x]", NULL));
  g_assert_true (vl_auth_credentials_check ("bob", "", NULL));
  g_assert_true (vl_auth_credentials_check ("bob", NULL, NULL));
}

static void
clear_answers (virConnectCredential *credentials, guint n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&credentials[i].result, free);
}

static void
test_answers (void)
{
  const char *password = "密碼 with spaces";
  virConnectCredential asked[] = {
    { VIR_CRED_AUTHNAME, "Please enter your authentication name", NULL, NULL, NULL, 0 },
    { VIR_CRED_PASSPHRASE, "Please enter your password", NULL, NULL, NULL, 0 },
  };
  virConnectCredential code[] = {
    { VIR_CRED_AUTHNAME, "name", NULL, NULL, NULL, 0 },
    { VIR_CRED_NOECHOPROMPT, "Verification code", NULL, NULL, NULL, 0 },
  };

  g_assert_cmpint (vl_auth_answer (asked, G_N_ELEMENTS (asked), "alice", password), ==, 0);
  g_assert_cmpstr (asked[0].result, ==, "alice");
  g_assert_cmpuint (asked[0].resultlen, ==, 5);
  g_assert_cmpstr (asked[1].result, ==, password);
  g_assert_cmpuint (asked[1].resultlen, ==, strlen (password));
  clear_answers (asked, G_N_ELEMENTS (asked));

  /* No password given: libvirt is told there is no answer rather than sent an empty one. */
  g_assert_cmpint (vl_auth_answer (asked, G_N_ELEMENTS (asked), "alice", NULL), ==, -1);
  clear_answers (asked, G_N_ELEMENTS (asked));

  /* A question Virtlab has no answer for. */
  g_assert_cmpint (vl_auth_answer (code, G_N_ELEMENTS (code), "alice", password), ==, -1);
  clear_answers (code, G_N_ELEMENTS (code));
}

static void
test_username_from_uri (void)
{
  static const struct { const char *uri, *user; } cases[] = {
    { "qemu+ssh://alice@host/system", "alice" },
    { "xen+tcp://bob@127.0.0.1:16509/system", "bob" },
    { "qemu:///system", NULL },
    { "qemu+tcp://host/system", NULL },
    { "not a uri", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *user = vl_auth_uri_dup_username (cases[i].uri);
      g_assert_cmpstr (user, ==, cases[i].user);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/auth/bad-credentials", test_bad_credentials);
  g_test_add_func ("/auth/answers", test_answers);
  g_test_add_func ("/auth/username-from-uri", test_username_from_uri);
  return g_test_run ();
}
