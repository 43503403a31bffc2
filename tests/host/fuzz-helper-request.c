/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: any bytes given to the host helper's request parser never crash, and what it
 * accepts is something Virtlab's plan could have sent: no control byte in an argument, the GRUB file
 * exactly one the plan writes, the same request again after writing it out and reading it back. */
#include "config.h"

#include <stdint.h>

#include "vl-helper-request.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHelperRequest) warm = vl_helper_request_parse ("load-module\tkvm", 15, &error);

  /* One-time globals (the error quark, GLib's charset tables) are made here, not counted as leaks. */
  g_assert (warm != NULL);
  return 0;
}

static gboolean
is_plan_grub_file (const char *contents)
{
  for (guint mib = VL_DOM0_MIB_MIN; mib <= VL_DOM0_MIB_MAX; mib += VL_DOM0_MIB_STEP)
    {
      g_autofree char *expected = vl_xen_grub_config_new (mib);

      if (g_str_equal (contents, expected))
        return TRUE;
    }
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *line = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHelperRequest) request = NULL;
  g_autoptr(VlHelperRequest) again = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autofree char *written = NULL;
  const VlHelperSystem systems[] = {
    { VL_DISTRIBUTION_DEBIAN, TRUE, VL_INIT_SYSTEMD },
    { VL_DISTRIBUTION_FEDORA, TRUE, VL_INIT_SYSTEMD },
    { VL_DISTRIBUTION_DEBIAN, FALSE, VL_INIT_SYSVINIT },
    { VL_DISTRIBUTION_DEBIAN, FALSE, VL_INIT_NONE },
  };

  memcpy (line, data, size);
  line[size] = '\0';
  request = vl_helper_request_parse (line, size, &error);
  if (request == NULL)
    {
      g_assert (error != NULL && error->message != NULL && *error->message != '\0');
      return 0;
    }
  g_assert (error == NULL);
  /* Nothing before a NUL is ever taken for the whole request. */
  g_assert (strlen (line) == size);
  g_assert (request->kind != VL_STEP_REBOOT);
  for (guint i = 0; request->args[i] != NULL; i++)
    {
      gboolean grub_text = request->kind == VL_STEP_WRITE_GRUB_CONFIG && i == 1;

      for (const char *p = request->args[i]; *p != '\0'; p++)
        g_assert (((guchar) *p >= 0x20 && *p != 0x7f) || (grub_text && *p == '\n'));
    }
  if (request->kind == VL_STEP_WRITE_GRUB_CONFIG)
    {
      g_autofree char *contents = vl_helper_request_grub_contents (request);

      g_assert (g_str_equal (request->args[0], VL_XEN_GRUB_FILE));
      g_assert (is_plan_grub_file (contents));
    }
  for (guint s = 0; s < G_N_ELEMENTS (systems); s++)
    {
      g_autoptr(GPtrArray) commands = vl_helper_request_commands (request, &systems[s]);

      for (guint c = 0; c < commands->len; c++)
        {
          const char *const *argv = g_ptr_array_index (commands, c);
          g_autofree char *shown = vl_command_to_string (argv);

          g_assert (argv[0] != NULL && argv[0][0] != '-');
          g_assert (shown != NULL);
        }
    }
  /* What the app writes for an accepted request reads back as the same request. */
  written = vl_helper_request_to_line (request);
  again = vl_helper_request_parse (written, strlen (written), &again_error);
  g_assert (again != NULL);
  g_assert (again->kind == request->kind);
  g_assert (g_strv_equal ((const char *const *) again->args, (const char *const *) request->args));
  return 0;
}
