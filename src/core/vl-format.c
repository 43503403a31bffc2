/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pure text formatting of host and guest facts, shared by the host page and the guests room. */
#include "vl-format.h"

/* libvirt, /proc/meminfo and guest XML all count memory in KiB; users read it in IEC units
 * ("7.7 GiB"), the way virt-manager and GNOME Boxes show it. */
char *
vl_format_kib (guint64 kib)
{
  return g_format_size_full (kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
}
