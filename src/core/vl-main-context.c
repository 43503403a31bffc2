/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "vl-main-context.h"

void
vl_main_context_post (GMainContext *context, GSourceFunc func, gpointer data, GDestroyNotify notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_attach (source, context);
  g_source_unref (source);
}

typedef struct
{
  VlProgressFunc func;
  gpointer user_data;
  double fraction;
  char *text;
} ProgressCall;

static gboolean
progress_in_main (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->func (call->fraction, call->text, call->user_data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer user_data)
{
  ProgressCall *call = user_data;

  g_free (call->text);
  g_free (call);
}

void
vl_main_context_post_progress (GMainContext *context, VlProgressFunc func, double fraction, const char *text,
                               gpointer user_data)
{
  ProgressCall *call;

  if (func == NULL)
    return;
  call = g_new0 (ProgressCall, 1);
  call->func = func;
  call->user_data = user_data;
  call->fraction = fraction;
  call->text = g_strdup (text);
  vl_main_context_post (context, progress_in_main, call, progress_call_free);
}
