/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers: a private libvirtd in its own mount namespace, and child-process isolation. */
#pragma once

#include <gio/gio.h>

#include "vl-test-wait.h"

G_BEGIN_DECLS

typedef struct
{
  char        *dir;
  char        *uri;
  GSubprocess *libvirtd;
} VlTestDaemon;

void     vl_test_daemon_init     (VlTestDaemon  *daemon,
                                  const char    *dir);
void     vl_test_daemon_require_password (VlTestDaemon *daemon,
                                          const char   *user,
                                          const char   *password);
void     vl_test_daemon_start    (VlTestDaemon  *daemon);
void     vl_test_daemon_kill     (VlTestDaemon  *daemon);
void     vl_test_daemon_stop_all (VlTestDaemon  *daemon);
void     vl_test_daemon_clear    (VlTestDaemon  *daemon);
void     vl_test_run_isolated    (const char    *template,
                                  void         (*test) (const char *dir));

G_END_DECLS
