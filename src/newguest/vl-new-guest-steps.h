/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The new-guest assistant's steps, one widget and template each (vl-new-guest-step-*.c, ui/…-step-*.ui),
 * and what each offers the assistant beyond VlNewGuestStep. */
#pragma once

#include "vl-guest-creator.h"
#include "vl-new-guest-step.h"

G_BEGIN_DECLS

/* Opens a file chooser on top of from's window; the chosen file goes into entry. */
void vl_new_guest_step_browse_into (GtkWidget  *from,
                                    GtkEntry   *entry,
                                    const char *title,
                                    gboolean    iso_only);

#define VL_TYPE_NEW_GUEST_STEP_SOURCE (vl_new_guest_step_source_get_type ())
G_DECLARE_FINAL_TYPE (VlNewGuestStepSource, vl_new_guest_step_source, VL, NEW_GUEST_STEP_SOURCE, VlNewGuestStep)

#define VL_TYPE_NEW_GUEST_STEP_STORAGE (vl_new_guest_step_storage_get_type ())
G_DECLARE_FINAL_TYPE (VlNewGuestStepStorage, vl_new_guest_step_storage, VL, NEW_GUEST_STEP_STORAGE, VlNewGuestStep)
/* The pools creator found on its host (none: NULL, or a creator that has not read its host yet). */
void vl_new_guest_step_storage_show_pools (VlNewGuestStepStorage *self,
                                           VlGuestCreator        *creator);

#define VL_TYPE_NEW_GUEST_STEP_NETWORK (vl_new_guest_step_network_get_type ())
G_DECLARE_FINAL_TYPE (VlNewGuestStepNetwork, vl_new_guest_step_network, VL, NEW_GUEST_STEP_NETWORK, VlNewGuestStep)
/* The host's virtual networks; none (empty) makes "Virtual network" insensitive; NULL forgets the list
 * while another host is read. */
void vl_new_guest_step_network_show_networks (VlNewGuestStepNetwork *self,
                                              const char *const     *networks);

#define VL_TYPE_NEW_GUEST_STEP_RESOURCES (vl_new_guest_step_resources_get_type ())
G_DECLARE_FINAL_TYPE (VlNewGuestStepResources, vl_new_guest_step_resources, VL, NEW_GUEST_STEP_RESOURCES,
                      VlNewGuestStep)
/* What the host has: said above the fields, and their upper bounds. */
void vl_new_guest_step_resources_set_host (VlNewGuestStepResources *self,
                                           const char              *summary,
                                           guint64                  host_mib,
                                           guint                    cpus);

#define VL_TYPE_NEW_GUEST_STEP_MODE (vl_new_guest_step_mode_get_type ())
G_DECLARE_FINAL_TYPE (VlNewGuestStepMode, vl_new_guest_step_mode, VL, NEW_GUEST_STEP_MODE, VlNewGuestStep)
/* TRUE once the spec's host is read: the fastest kind it offers is then chosen, once per host. */
void vl_new_guest_step_mode_set_host_ready (VlNewGuestStepMode *self,
                                            gboolean            ready);
/* Chooses a kind as a click would; the preselection leaves it alone. */
void vl_new_guest_step_mode_choose         (VlNewGuestStepMode *self,
                                            VlVirtKind          kind);

#define VL_TYPE_NEW_GUEST_STEP_OS (vl_new_guest_step_os_get_type ())
G_DECLARE_FINAL_TYPE (VlNewGuestStepOs, vl_new_guest_step_os, VL, NEW_GUEST_STEP_OS, VlNewGuestStep)
/* Reads osinfo-db off the main loop (once); emits "defaults-changed" when a chosen system's
 * recommendations went into the spec. */
void     vl_new_guest_step_os_load_db  (VlNewGuestStepOs *self);
gboolean vl_new_guest_step_os_is_ready (VlNewGuestStepOs *self);

#define VL_TYPE_NEW_GUEST_STEP_NAME (vl_new_guest_step_name_get_type ())
G_DECLARE_FINAL_TYPE (VlNewGuestStepName, vl_new_guest_step_name, VL, NEW_GUEST_STEP_NAME, VlNewGuestStep)
/* The summary and the domain XML, from the spec as it is now. */
void    vl_new_guest_step_name_refresh           (VlNewGuestStepName *self);
/* An empty vertical box between the summary and the XML, for options that customise the guest
 * (firmware, TPM, …): they apply to the spec and call vl_new_guest_step_name_refresh(). */
GtkBox *vl_new_guest_step_name_get_customize_box (VlNewGuestStepName *self);
/* While the guest is made: text (NULL: unchanged) and fraction (< 0: unchanged) under the summary. */
void    vl_new_guest_step_name_show_progress     (VlNewGuestStepName *self,
                                                  gboolean            busy,
                                                  const char         *text,
                                                  double              fraction);

#define VL_TYPE_NEW_GUEST_STEP_CONNECTION (vl_new_guest_step_connection_get_type ())
G_DECLARE_FINAL_TYPE (VlNewGuestStepConnection, vl_new_guest_step_connection, VL, NEW_GUEST_STEP_CONNECTION,
                      VlNewGuestStep)
/* The connections to choose from, listed between begin and end (current: the one in use); the step
 * emits "connection-chosen" (uri) when the user picks another. */
void vl_new_guest_step_connection_begin_choices (VlNewGuestStepConnection *self);
void vl_new_guest_step_connection_add_choice    (VlNewGuestStepConnection *self,
                                                 const char               *uri,
                                                 const char               *text,
                                                 gboolean                  first);
void vl_new_guest_step_connection_end_choices   (VlNewGuestStepConnection *self,
                                                 const char               *current);
/* What the host offers (NULL: unchanged), and whether it is still being read. */
void vl_new_guest_step_connection_show_host     (VlNewGuestStepConnection *self,
                                                 const char               *summary,
                                                 gboolean                  reading);

G_END_DECLS
