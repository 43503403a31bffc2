/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One request to the privileged host helper: its kind, its checked arguments, the commands it runs. */
#pragma once

#include <glib.h>

#include "vl-host-probe.h"

G_BEGIN_DECLS

typedef enum {
  VL_STEP_REFRESH_PACKAGES,
  VL_STEP_INSTALL_PACKAGES,
  VL_STEP_LOAD_MODULE,
  VL_STEP_WRITE_GRUB_CONFIG,
  VL_STEP_UPDATE_GRUB,
  VL_STEP_ENABLE_SERVICE,
  VL_STEP_ADD_USER_TO_GROUP,
  VL_STEP_DEFINE_STORAGE_POOL,
  VL_STEP_BENCH_IMAGE,         /* the benchmark guest's image, built as root where --mode=unshare cannot */
  VL_STEP_RESTORE_GRUB_CONFIG, /* the undo of write-grub-config: NAME~ back as NAME, or NAME removed */
  VL_STEP_REBOOT,              /* never sent to the helper: the user reboots when ready */
} VlStepKind;

/* Where the commands run: what they are depends on the distribution and the init system. */
typedef struct {
  VlDistribution distribution;
  gboolean       has_systemd;
  VlInitSystem   init_system;   /* VL_INIT_NONE: nothing starts services at boot */
} VlHelperSystem;

typedef struct {
  VlStepKind kind;
  GStrv      args;
} VlHelperRequest;

/* The only directory the helper writes into, relative to the root it works on, and the only
 * file it writes there. */
#define VL_GRUB_CONFIG_DIR "/etc/default/grub.d"
#define VL_XEN_GRUB_FILE   "virtlab-xen.cfg"
/* What the undo of the Xen boot settings leaves when the earlier settings do not choose the default
 * entry themselves. grub-mkconfig sources the .cfg files of grub.d in the shell's sort order: this name comes
 * before VL_XEN_GRUB_FILE (a later Xen set-up wins) and before Debian's xen.cfg (which reads the
 * variable), in the C order and in the locales' (which skip the '-'). */
#define VL_XEN_UNDO_GRUB_FILE "virtlab-no-xen-default.cfg"
/* dom0's fixed memory in the Xen plan: a quarter of the RAM in steps of 256 MiB, within these. */
#define VL_DOM0_MIB_MIN  1024
#define VL_DOM0_MIB_MAX  4096
#define VL_DOM0_MIB_STEP 256
/* The bench-image step runs Virtlab's own image script, from where Virtlab installed it, into this
 * fixed folder: the request takes no argument at all. */
#define VL_BENCH_IMAGE_SCRIPT    PKGDATADIR "/bench/vl-bench-image.sh"
#define VL_BENCH_IMAGE_ROOT_CACHE "/var/cache/virtlab/bench-image"
/* The longest request line the helper reads; a longer one is refused while it is being read. */
#define VL_HELPER_MAX_REQUEST (64 * 1024)
/* apt-get writes its machine-readable progress to this file descriptor of the helper's child: the
 * helper runs "apt-get install --yes -o APT::Status-Fd=3 …", the plan shows it without the option. */
#define VL_APT_STATUS_FD 3

/* What the helper says on stdout, one line each: "WORD[ TEXT]". */
#define VL_HELPER_READY       "ready"        /* ready DISTRIBUTION: requests may come */
#define VL_HELPER_STEP_START  "step-start"   /* step-start KIND */
#define VL_HELPER_COMMAND     "command"      /* command ARGV-AS-TEXT: about to run it */
#define VL_HELPER_OUTPUT      "output"       /* output TEXT: a line the command printed */
#define VL_HELPER_PROGRESS    "progress"     /* progress PERCENT TEXT: the package manager's progress */
#define VL_HELPER_STEP_DONE   "step-done"
#define VL_HELPER_STEP_FAILED "step-failed"  /* step-failed MESSAGE */
#define VL_HELPER_REFUSED     "refused"      /* refused MESSAGE: nothing was run */
#define VL_HELPER_CANCELLED   "cancelled"
/* What the helper reads on stdin besides requests. */
#define VL_HELPER_CANCEL      "cancel"

const char      *vl_step_kind_to_string    (VlStepKind kind);
gboolean         vl_step_kind_from_string  (const char *name, VlStepKind *kind);

VlHelperRequest *vl_helper_request_new     (VlStepKind kind, const char *const *args);
void             vl_helper_request_free    (VlHelperRequest *request);
gboolean         vl_helper_request_validate (VlStepKind kind, const char *const *args, GError **error);
VlHelperRequest *vl_helper_request_parse   (const char *line, gsize length, GError **error);
char            *vl_helper_request_to_line (const VlHelperRequest *request);
GPtrArray       *vl_helper_request_commands (const VlHelperRequest *request,
                                             const VlHelperSystem  *system);
char            *vl_helper_request_grub_contents (const VlHelperRequest *request);

char            *vl_xen_grub_config_new    (guint dom0_mib);
const char      *vl_xen_grub_undo_config   (void);
gboolean         vl_grub_settings_choose_xen_default (const char *contents);

gboolean         vl_package_name_is_valid  (const char *name);
char            *vl_command_to_string      (const char *const *argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlHelperRequest, vl_helper_request_free)

G_END_DECLS
