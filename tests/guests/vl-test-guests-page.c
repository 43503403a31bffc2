/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers for the tests that drive the Guests page inside a real window. */
#include "vl-guests-page-private.h"
#include "vl-test-guests-page.h"

static void
find_page_cb (GtkWidget *widget, gpointer data)
{
  VlGuestsPage **page = data;

  if (VL_IS_GUESTS_PAGE (widget))
    *page = VL_GUESTS_PAGE (widget);
  else if (GTK_IS_CONTAINER (widget) && *page == NULL)
    gtk_container_forall (GTK_CONTAINER (widget), find_page_cb, data);
}

/* The window has no getter for its pages (pages talk through the window), so look in its tree. */
VlGuestsPage *
vl_test_find_guests_page (VlWindow *window)
{
  VlGuestsPage *page = NULL;

  gtk_container_forall (GTK_CONTAINER (window), find_page_cb, &page);
  g_assert_nonnull (page);
  return page;
}

/* Connected, listed and not busy: a condition for vl_test_wait_until(). */
gboolean
vl_test_guests_page_ready (gpointer page)
{
  gboolean busy;

  g_object_get (page, "busy", &busy, NULL);
  return !busy && vl_guests_page_get_selected_connection (page) != NULL
         && vl_guest_list_get_n_guests (VL_GUESTS_PAGE (page)->guest_list) > 0;
}
