/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Guests page's parts, shared by its own files and its tests. */
#pragma once

#include "vl-guests-page.h"
#include "vl-connections.h"
#include "vl-guest-list.h"
#include "vl-guest-details.h"

G_BEGIN_DECLS

struct _VlGuestsPage
{
  GtkBox parent_instance;

  GtkListBox     *connection_list;
  GtkStack       *state_stack;
  GtkStack       *view_stack;
  GtkStack       *details_stack;
  GtkSpinner     *status_spinner;
  GtkImage       *status_icon;
  GtkLabel       *status_title;
  GtkLabel       *status_message;
  GtkWidget      *reconnect_button;
  GtkWidget      *log_in_button;
  GtkSearchEntry *search_entry;
  VlGuestList    *guest_list;
  VlGuestDetails *guest_details;
  GtkWidget      *host_details;
  GtkWidget      *console;       /* VlConsole, the Console tab of the guest details */
  GtkWidget      *snapshots;     /* VlSnapshotsView, the Snapshots tab */
  GMenuModel     *guest_menu;    /* the guest's context menu in the list */
  GtkInfoBar     *shutdown_bar;  /* "asked to shut down", then "still running: Force Off…" */
  GtkLabel       *shutdown_label;
  GtkWidget      *shutdown_force_button;

  VlConnections      *connections;
  VlConnection       *selected;      /* the connection shown on the right */
  GSimpleActionGroup *actions;
  GCancellable       *cancellable;
  gboolean            loaded;        /* the saved list (or first-start choice) was read */
  gboolean            loading;
  guint               load_id;       /* pending start of the saved connections */
  VlConnection       *asked;         /* weak: the connection whose log-in dialog was shown on its own */
  GVirDomain         *shutting_down; /* the guest last asked to shut down, until it is off */
  guint               shutdown_timeout_id;
  guint               shutdown_patience_ms;
};

VlConnections *vl_guests_page_get_connections (VlGuestsPage *self);
void           vl_guests_page_show_error      (VlGuestsPage *self,
                                               const char   *title,
                                               const char   *detail);
void           vl_guests_page_update_actions  (VlGuestsPage *self);

/* vl-guests-actions.c */
void           vl_guests_page_install_actions (VlGuestsPage *self);
void           vl_guests_page_ask_credentials (VlGuestsPage *self);
void           vl_guests_page_clear_shutdown  (VlGuestsPage *self);
/* How long a guest asked to shut down may take before Force Off is offered (15 s; tests shorten it). */
void           vl_guests_page_set_shutdown_patience (VlGuestsPage *self,
                                                     guint         ms);

G_END_DECLS
