/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The user name and password a libvirt connection asks for: checks, and answers to libvirt's questions. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "vl-auth.h"
#include "vl-error.h"

/* Refused before anything reaches libvirt: SASL and SSH take a password as one line of text. */
gboolean
vl_auth_credentials_check (const char *username, const char *password, GError **error)
{
  if (username == NULL || *username == '\0')
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("Enter a user name."));
      return FALSE;
    }
  if (strpbrk (username, "\r\n") != NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                           _("The user name cannot contain a line break."));
      return FALSE;
    }
  if (password != NULL && strpbrk (password, "\r\n") != NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                           _("The password cannot contain a line break."));
      return FALSE;
    }
  if (!g_utf8_validate (username, -1, NULL) || (password != NULL && !g_utf8_validate (password, -1, NULL)))
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                           _("The user name and password must be valid text."));
      return FALSE;
    }
  return TRUE;
}

/* Answers libvirt's credential questions (virConnectAuthCallbackPtr's contract: results are
 * malloc'ed, libvirt frees them). Returns -1 for a question there is no answer to, such as a
 * one-time code, so libvirt reports the failure instead of sending an empty reply. */
int
vl_auth_answer (virConnectCredentialPtr credentials, unsigned int n_credentials,
                const char *username, const char *password)
{
  for (unsigned int i = 0; i < n_credentials; i++)
    {
      const char *answer;

      switch (credentials[i].type)
        {
        case VIR_CRED_AUTHNAME:
        case VIR_CRED_USERNAME:
          answer = username;
          break;
        case VIR_CRED_PASSPHRASE:
          answer = password;
          break;
        default:
          return -1;
        }
      if (answer == NULL)
        return -1;
      credentials[i].result = strdup (answer);
      if (credentials[i].result == NULL)
        return -1;
      credentials[i].resultlen = strlen (answer);
    }
  return 0;
}

/* The user named in the URI (qemu+tcp://alice@host/system), to fill in the dialog. */
char *
vl_auth_uri_dup_username (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *user = parsed != NULL ? g_uri_get_user (parsed) : NULL;

  return user != NULL && *user != '\0' ? g_strdup (user) : NULL;
}
