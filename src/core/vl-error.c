/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The project's error domain. */
#include "vl-error.h"

G_DEFINE_QUARK (vl-error-quark, vl_error)
