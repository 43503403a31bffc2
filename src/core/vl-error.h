/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The project's error domain: codes for every failure a user can be told about. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VL_ERROR (vl_error_quark ())

typedef enum {
  VL_ERROR_FAILED,
  VL_ERROR_INVALID_INPUT,
  VL_ERROR_NOT_FOUND,
  VL_ERROR_PARSE,
  VL_ERROR_UNSUPPORTED,
  VL_ERROR_PERMISSION,
  VL_ERROR_CANCELLED,
} VlError;

GQuark vl_error_quark (void);

G_END_DECLS
