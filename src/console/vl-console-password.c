/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The VNC password dialog of a console: asked when the guest's screen wants one, kept nowhere. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-console-private.h"
#include "vl-widgets.h"

typedef struct
{
  GtkEntry *username;
  GtkEntry *password;
} CredentialEntries;

static void
password_response (GtkDialog *dialog, int response, VlConsole *self)
{
  CredentialEntries *entries = g_object_get_data (G_OBJECT (dialog), "vl-entries");
  VncDisplay *display = self->display;
  gboolean given = response == GTK_RESPONSE_OK;

  self->password_dialog = NULL;
  if (display != NULL && given)
    {
      if (entries->username != NULL)
        vnc_display_set_credential (display, VNC_DISPLAY_CREDENTIAL_USERNAME,
                                    gtk_entry_get_text (entries->username));
      if (entries->password != NULL)
        vnc_display_set_credential (display, VNC_DISPLAY_CREDENTIAL_PASSWORD,
                                    gtk_entry_get_text (entries->password));
    }
  /* The password lives only in the entry; wipe it before the dialog goes. */
  if (entries->password != NULL)
    gtk_entry_set_text (entries->password, "");
  gtk_widget_destroy (GTK_WIDGET (dialog));
  /* Refused: the session closes the screen and remembers why (no retry behind the user's back). */
  if (display != NULL)
    vl_console_credentials_answered (self, given);
}

static GtkEntry *
add_credential_row (GtkGrid *grid, int row, const char *label_text, gboolean secret)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  gtk_entry_set_visibility (GTK_ENTRY (entry), !secret);
  if (secret)
    gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, entry, 1, row, 1, 1);
  vl_accessible_name_entries (entry);
  return GTK_ENTRY (entry);
}

/* The session's VL_CONSOLE_DO_ASK_CREDENTIALS: ask the user (never the settings, never the log). */
void
vl_console_ask_credentials (VlConsole *self, gboolean need_username, gboolean need_password)
{
  CredentialEntries *entries = g_new0 (CredentialEntries, 1);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  g_autofree char *message = NULL;
  GtkWidget *dialog, *grid, *label;
  int row = 1;

  if (!need_username && !need_password)
    {
      g_free (entries);
      return;
    }

  dialog = g_object_new (GTK_TYPE_DIALOG, "use-header-bar", TRUE, "modal", TRUE,
                         "title", _("Password"), "destroy-with-parent", TRUE, NULL);
  if (GTK_IS_WINDOW (toplevel))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (toplevel));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("C_onnect"), GTK_RESPONSE_OK, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);

  grid = gtk_grid_new ();
  g_object_set (grid, "row-spacing", 6, "column-spacing", 12, "margin", 18, NULL);
  message = g_strdup_printf (_("The screen of guest “%s” is protected. Virtlab does not keep what you type here."),
                             vl_console_guest_name (self));
  label = gtk_label_new (message);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 2, 1);
  if (need_username)
    entries->username = add_credential_row (GTK_GRID (grid), row++, _("_User name"), FALSE);
  if (need_password)
    entries->password = add_credential_row (GTK_GRID (grid), row++, _("_Password"), TRUE);
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), grid);
  gtk_widget_show_all (grid);

  g_object_set_data_full (G_OBJECT (dialog), "vl-entries", entries, g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (password_response), self);
  if (self->password_dialog != NULL)
    gtk_widget_destroy (self->password_dialog);
  self->password_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}
