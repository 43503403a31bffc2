/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The new-guest assistant's fields and the functions its two source files share. */
#pragma once

#include "vl-guest-creator.h"
#include "vl-new-guest-assistant.h"
#include "vl-new-guest-steps.h"

struct _VlNewGuestAssistant
{
  GtkWindow parent_instance;

  GVirConnection *connection;
  VlGuestCreator *creator;
  VlGuestSpec *spec;
  GCancellable *cancellable;
  GCancellable *host_cancellable;   /* describing the host; cancelled when another one is chosen */
  GListModel *connections;          /* the window's VlConnection list, to choose from */
  char *default_pool_dir;
  gboolean host_ready;
  gboolean loading_started;
  gboolean busy;

  GtkListBox *steps_list;
  GtkStack *stack;
  GtkButton *back_button, *next_button, *create_button, *create_start_button, *cancel_button;
  int create_step;                  /* the creator's step under way, -1 before the first */
  guint create_step_number, create_step_total;
  gint64 create_step_began;         /* monotonic µs */
  guint create_tick_id;             /* the seconds a long step has taken, said every second */
  /* The steps, by VlAssistantStep. */
  VlNewGuestStep *steps[VL_N_ASSISTANT_STEPS];
  GtkWidget *connection_step, *source_step, *os_step, *mode_step, *resources_step, *storage_step, *network_step, *name_step;
};

int   vl_new_guest_assistant_current_step (VlNewGuestAssistant *self);
void  vl_new_guest_assistant_show_error   (VlNewGuestAssistant *self,
                                           int                  step,
                                           const char          *message);
void  vl_new_guest_assistant_set_step_specs (VlNewGuestAssistant *self);
void  vl_new_guest_assistant_update_buttons (VlNewGuestAssistant *self);
/* vl-new-guest-assistant-host.c: the connection step, the host's lists, switching connections. */
void  vl_new_guest_assistant_describe_host       (VlNewGuestAssistant *self);
void  vl_new_guest_assistant_fill_connections    (VlNewGuestAssistant *self);
void  vl_new_guest_assistant_watch_connection_step (VlNewGuestAssistant *self);
