/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One step of the new-guest assistant: a widget that shows part of a guest's spec, writes what the user
 * chose into it, and says whether the spec is complete as far as the step goes (and why not). The
 * assistant only sequences the steps; each step is its own template (ui/vl-new-guest-step-*.ui). */
#pragma once

#include <gtk/gtk.h>

#include "vl-guest-spec.h"

G_BEGIN_DECLS

/* The steps in the order they are shown. Every step after the connection is the spec's check of the
 * same name: VL_ASSISTANT_STEP_SOURCE is VL_GUEST_STEP_SOURCE + 1, and so on. */
typedef enum {
  VL_ASSISTANT_STEP_CONNECTION,
  VL_ASSISTANT_STEP_SOURCE,
  VL_ASSISTANT_STEP_OS,
  VL_ASSISTANT_STEP_MODE,
  VL_ASSISTANT_STEP_RESOURCES,
  VL_ASSISTANT_STEP_STORAGE,
  VL_ASSISTANT_STEP_NETWORK,
  VL_ASSISTANT_STEP_NAME,
  VL_N_ASSISTANT_STEPS
} VlAssistantStep;

#define VL_TYPE_NEW_GUEST_STEP (vl_new_guest_step_get_type ())
G_DECLARE_DERIVABLE_TYPE (VlNewGuestStep, vl_new_guest_step, VL, NEW_GUEST_STEP, GtkBox)

struct _VlNewGuestStepClass
{
  GtkBoxClass parent_class;

  VlAssistantStep id;
  /* Writes what the step's widgets say into the spec. */
  void     (*apply)       (VlNewGuestStep *self,
                           VlGuestSpec    *spec);
  /* Reads the spec into the widgets, where another step changed it (the OS's recommended numbers). */
  void     (*load)        (VlNewGuestStep *self,
                           VlGuestSpec    *spec);
  /* The step is shown. */
  void     (*enter)       (VlNewGuestStep *self,
                           VlGuestSpec    *spec);
  /* Whether the spec is complete as far as this step goes; by default the spec's own check. */
  gboolean (*is_complete) (VlNewGuestStep *self,
                           VlGuestSpec    *spec,
                           GError        **error);
};

const char      *vl_new_guest_step_id_name     (VlAssistantStep id);
const char      *vl_new_guest_step_id_title    (VlAssistantStep id);
/* The spec's check for an assistant step after the connection, and the other way round. */
VlGuestStep      vl_new_guest_step_id_to_check (VlAssistantStep id);
VlAssistantStep vl_new_guest_step_id_of_check (VlGuestStep check);

VlAssistantStep vl_new_guest_step_get_id      (VlNewGuestStep *self);
/* The spec the step writes into (the assistant makes a new one when another connection is chosen). */
void             vl_new_guest_step_set_spec    (VlNewGuestStep *self,
                                                VlGuestSpec    *spec);
VlGuestSpec     *vl_new_guest_step_get_spec    (VlNewGuestStep *self);
void             vl_new_guest_step_apply       (VlNewGuestStep *self);
void             vl_new_guest_step_load        (VlNewGuestStep *self);
void             vl_new_guest_step_enter       (VlNewGuestStep *self);
/* Applies the widgets, then checks; a refusal is shown on the step and returned in error. */
gboolean         vl_new_guest_step_is_complete (VlNewGuestStep *self,
                                                GError        **error);
/* NULL hides the step's message. */
void             vl_new_guest_step_show_error  (VlNewGuestStep *self,
                                                const char     *message);
const char      *vl_new_guest_step_get_error   (VlNewGuestStep *self);
/* For the steps themselves: where their refusals are shown. */
void             vl_new_guest_step_set_error_label (VlNewGuestStep *self,
                                                    GtkLabel       *label);

G_END_DECLS
