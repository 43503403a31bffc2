/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The new-guest assistant: a window of steps from install source to "Create and start". */
#pragma once

#include <gtk/gtk.h>
#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

#define VL_TYPE_NEW_GUEST_ASSISTANT (vl_new_guest_assistant_get_type ())
G_DECLARE_FINAL_TYPE (VlNewGuestAssistant, vl_new_guest_assistant, VL, NEW_GUEST_ASSISTANT, GtkWindow)

/* Emits "guest-created" (GVirDomain *domain, gboolean started) when a guest has been made. */
VlNewGuestAssistant *vl_new_guest_assistant_new     (GtkWindow      *parent,
                                                     GVirConnection *connection);
/* connections: the window's list of VlConnection; the connected ones can be chosen on the first step. */
void                 vl_new_guest_assistant_present (GtkWindow      *parent,
                                                     GListModel     *connections,
                                                     GVirConnection *connection);
void                 vl_new_guest_assistant_set_connections (VlNewGuestAssistant *self,
                                                             GListModel          *connections);

/* Where the "default" storage pool is made if the connection has none (tests use a scratch folder). */
void                 vl_new_guest_assistant_set_default_pool_dir (VlNewGuestAssistant *self,
                                                                  const char          *dir);
/* FALSE: software emulation (domain type qemu) even where KVM is offered. */
void                 vl_new_guest_assistant_set_use_kvm          (VlNewGuestAssistant *self,
                                                                  gboolean             use_kvm);
const char          *vl_new_guest_assistant_get_step             (VlNewGuestAssistant *self);
gboolean             vl_new_guest_assistant_is_busy              (VlNewGuestAssistant *self);

G_END_DECLS
