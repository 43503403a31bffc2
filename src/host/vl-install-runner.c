/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs an install plan through the privileged helper: progress, output, log, cancel and retry. */
#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <unistd.h>

#include "vl-error.h"
#include "vl-install-runner.h"

/* Lines for one stream, written one batch at a time: a GOutputStream allows one pending write. */
typedef struct {
  GOutputStream *stream;
  GString       *pending;
  gboolean       writing;
} LineWriter;

struct _VlInstallRunner
{
  GObject           parent_instance;

  VlInstallPlan    *plan;
  GStrv             helper_argv;
  char             *log_path;

  VlRunnerState     state;
  guint             current;        /* index into plan->steps of the step running or failed */
  char             *error;
  GString          *output;         /* everything shown in the log view, for this run */

  GSubprocess      *helper;
  gboolean          helper_ready;
  GDataInputStream *helper_out;
  LineWriter        to_helper;
  LineWriter        log;
  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (VlInstallRunner, vl_install_runner, G_TYPE_OBJECT)

enum { SIGNAL_STEP_STARTED, SIGNAL_OUTPUT, SIGNAL_PROGRESS, SIGNAL_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_STATE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void send_current_step (VlInstallRunner *self);

/* ---- writing lines without blocking ------------------------------------------------------- */

static void line_writer_flush (VlInstallRunner *self, LineWriter *writer);

static void
line_writer_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlInstallRunner) self = user_data;
  LineWriter *writer = g_object_get_data (source, "vl-line-writer");
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_debug ("A write failed: %s", error->message);
  if (writer == NULL)
    return;
  writer->writing = FALSE;
  line_writer_flush (self, writer);
}

static void
line_writer_flush (VlInstallRunner *self, LineWriter *writer)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  if (writer->stream == NULL || writer->writing || writer->pending == NULL || writer->pending->len == 0)
    return;
  len = writer->pending->len;
  bytes = g_string_free_to_bytes (g_steal_pointer (&writer->pending));
  writer->pending = g_string_new (NULL);
  writer->writing = TRUE;
  g_object_set_data (G_OBJECT (writer->stream), "vl-line-writer", writer);
  /* The bytes live as long as the write: they ride along as the stream's data. */
  g_object_set_data_full (G_OBJECT (writer->stream), "vl-line-bytes", g_bytes_ref (bytes),
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (writer->stream, g_bytes_get_data (bytes, NULL), len, G_PRIORITY_DEFAULT,
                                   self->cancellable, line_writer_written, g_object_ref (self));
}

static void
line_writer_add (VlInstallRunner *self, LineWriter *writer, const char *line)
{
  if (writer->pending == NULL)
    writer->pending = g_string_new (NULL);
  g_string_append (writer->pending, line);
  g_string_append_c (writer->pending, '\n');
  line_writer_flush (self, writer);
}

static void
line_writer_clear (LineWriter *writer)
{
  if (writer->stream != NULL)
    g_object_set_data (G_OBJECT (writer->stream), "vl-line-writer", NULL);
  g_clear_object (&writer->stream);
  if (writer->pending != NULL)
    g_string_free (g_steal_pointer (&writer->pending), TRUE);
  writer->writing = FALSE;
}

/* ---- what the user sees ------------------------------------------------------------------- */

static void
show (VlInstallRunner *self, const char *line)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%F %T");
  g_autofree char *logged = g_strdup_printf ("[%s] %s", stamp, line);

  g_string_append (self->output, line);
  g_string_append_c (self->output, '\n');
  line_writer_add (self, &self->log, logged);
  g_signal_emit (self, signals[SIGNAL_OUTPUT], 0, line);
}

static void
set_state (VlInstallRunner *self, VlRunnerState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (state != VL_RUNNER_RUNNING)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0, state);
}

static void
fail (VlInstallRunner *self, const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  show (self, message);
  set_state (self, VL_RUNNER_FAILED);
}

/* Steps the helper runs: a reboot is the user's to do, a finished step needs nothing. */
static gboolean
step_is_runnable (const VlInstallStep *step)
{
  return !step->done && step->request->kind != VL_STEP_REBOOT;
}

static void
count_position (VlInstallRunner *self, guint *position, guint *total)
{
  *position = 0;
  *total = 0;
  for (guint i = 0; i < self->plan->steps->len; i++)
    {
      if (!step_is_runnable (g_ptr_array_index (self->plan->steps, i)))
        continue;
      *total += 1;
      if (i < self->current)
        *position += 1;
    }
}

static void
emit_progress (VlInstallRunner *self, double step_fraction, const char *text)
{
  guint position, total;

  count_position (self, &position, &total);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0,
                 total == 0 ? 1.0 : (position + CLAMP (step_fraction, 0, 1)) / total, text);
}

/* ---- the helper's answers ----------------------------------------------------------------- */

static void
handle_line (VlInstallRunner *self, const char *line)
{
  const char *space = strchr (line, ' ');
  g_autofree char *word = space ? g_strndup (line, space - line) : g_strdup (line);
  const char *text = space ? space + 1 : "";

  if (g_str_equal (word, VL_HELPER_READY))
    {
      self->helper_ready = TRUE;
      if (self->state == VL_RUNNER_RUNNING)
        send_current_step (self);
    }
  else if (g_str_equal (word, VL_HELPER_COMMAND))
    {
      g_autofree char *shown = g_strdup_printf ("$ %s", text);
      show (self, shown);
    }
  else if (g_str_equal (word, VL_HELPER_OUTPUT))
    show (self, text);
  else if (g_str_equal (word, VL_HELPER_PROGRESS))
    {
      char *end = NULL;
      double percent = g_ascii_strtod (text, &end);

      emit_progress (self, percent / 100, end != NULL && *end == ' ' ? end + 1 : "");
    }
  else if (g_str_equal (word, VL_HELPER_STEP_DONE))
    {
      self->current++;
      send_current_step (self);
    }
  else if (g_str_equal (word, VL_HELPER_STEP_FAILED) || g_str_equal (word, VL_HELPER_REFUSED))
    {
      VlInstallStep *step = g_ptr_array_index (self->plan->steps, self->current);
      g_autofree char *message = g_strdup_printf (_("The step “%s” failed: %s"), step->title, text);

      fail (self, message);
    }
  else if (g_str_equal (word, VL_HELPER_CANCELLED))
    {
      show (self, _("Cancelled."));
      set_state (self, VL_RUNNER_CANCELLED);
    }
  else if (g_str_equal (word, VL_HELPER_STEP_START))
    ;
  else
    /* pkexec's own messages ("Not authorized…") come on the same pipe. */
    show (self, line);
}

static void helper_line_read (GObject *source, GAsyncResult *result, gpointer user_data);

/* The read loop holds only a weak reference: a strong one would keep the runner, and so the
 * helper, alive for as long as the helper runs. */
static void
read_helper_line (VlInstallRunner *self)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, self);
  g_data_input_stream_read_line_async (self->helper_out, G_PRIORITY_DEFAULT, self->cancellable,
                                       helper_line_read, weak);
}

static void
helper_line_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(VlInstallRunner) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                                     NULL, &error);

  g_weak_ref_clear (weak);
  g_free (weak);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->helper_out != (gpointer) source)
    return;
  if (line == NULL)
    {
      /* The helper is gone: refused password, pkexec dismissed, or a crash. */
      g_clear_object (&self->helper_out);
      g_clear_object (&self->helper);
      line_writer_clear (&self->to_helper);
      self->helper_ready = FALSE;
      if (self->state == VL_RUNNER_RUNNING)
        fail (self, _("The administrator helper stopped before the plan was finished; it may not have "
                      "been authorized."));
      return;
    }
  handle_line (self, line);
  if (self->helper_out != NULL)
    read_helper_line (self);
}

static gboolean
spawn_helper (VlInstallRunner *self, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *shown = vl_command_to_string ((const char *const *) self->helper_argv);
  g_autofree char *message = g_strdup_printf (_("Starting the administrator helper: %s"), shown);

  show (self, message);
  self->helper = g_subprocess_launcher_spawnv (launcher, (const char *const *) self->helper_argv, error);
  if (self->helper == NULL)
    return FALSE;
  self->helper_ready = FALSE;
  self->to_helper.stream = g_object_ref (g_subprocess_get_stdin_pipe (self->helper));
  self->helper_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->helper));
  read_helper_line (self);
  return TRUE;
}

static void
send_current_step (VlInstallRunner *self)
{
  VlInstallStep *step;
  g_autofree char *line = NULL;
  g_autofree char *heading = NULL;
  guint position, total;

  while (self->current < self->plan->steps->len &&
         !step_is_runnable (g_ptr_array_index (self->plan->steps, self->current)))
    self->current++;
  if (self->current >= self->plan->steps->len)
    {
      emit_progress (self, 0, _("Done"));
      show (self, _("All steps are done."));
      set_state (self, VL_RUNNER_SUCCEEDED);
      return;
    }

  step = g_ptr_array_index (self->plan->steps, self->current);
  count_position (self, &position, &total);
  heading = g_strdup_printf (_("Step %u of %u: %s"), position + 1, total, step->title);
  show (self, heading);
  emit_progress (self, 0, heading);
  g_signal_emit (self, signals[SIGNAL_STEP_STARTED], 0, self->current);

  line = vl_helper_request_to_line (step->request);
  line_writer_add (self, &self->to_helper, line);
}

/* ---- public ------------------------------------------------------------------------------- */

static void
log_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlInstallRunner) self = user_data;
  g_autoptr(GError) error = NULL;
  GFileOutputStream *stream = g_file_append_to_finish (G_FILE (source), result, &error);

  if (stream == NULL)
    {
      /* The log file is a copy for later: without it the run still shows everything. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The log “%s” cannot be written: %s", self->log_path, error->message);
      return;
    }
  self->log.stream = G_OUTPUT_STREAM (stream);
  line_writer_flush (self, &self->log);
}

static void
run_from_current (VlInstallRunner *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->error, g_free);
  set_state (self, VL_RUNNER_RUNNING);
  if (self->helper == NULL)
    {
      if (!spawn_helper (self, &error))
        {
          g_autofree char *message = g_strdup_printf (_("The administrator helper could not be started: %s"),
                                                      error->message);
          fail (self, message);
        }
      /* The first step goes out once the helper says it is ready (after the password). */
      return;
    }
  if (self->helper_ready)
    send_current_step (self);
}

void
vl_install_runner_start (VlInstallRunner *self)
{
  g_return_if_fail (VL_IS_INSTALL_RUNNER (self));
  g_return_if_fail (self->state != VL_RUNNER_RUNNING);

  self->current = 0;
  if (self->log.stream == NULL && self->log_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->log_path);
      g_autoptr(GFile) dir = g_file_get_parent (file);

      /* A tiny mkdir; the writes themselves are asynchronous. */
      g_file_make_directory_with_parents (dir, NULL, NULL);
      g_file_append_to_async (file, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                              log_opened, g_object_ref (self));
    }
  run_from_current (self);
}

void
vl_install_runner_retry (VlInstallRunner *self)
{
  g_return_if_fail (VL_IS_INSTALL_RUNNER (self));
  g_return_if_fail (self->state == VL_RUNNER_FAILED || self->state == VL_RUNNER_CANCELLED);

  show (self, _("Trying again from the step that stopped."));
  run_from_current (self);
}

void
vl_install_runner_cancel (VlInstallRunner *self)
{
  g_return_if_fail (VL_IS_INSTALL_RUNNER (self));

  if (self->state != VL_RUNNER_RUNNING)
    return;
  if (self->helper_ready)
    {
      show (self, _("Cancelling…"));
      line_writer_add (self, &self->to_helper, VL_HELPER_CANCEL);
      return;
    }
  /* Still waiting for the password: closing the pipe ends the helper as soon as it starts. */
  line_writer_clear (&self->to_helper);
  if (self->helper != NULL)
    g_subprocess_send_signal (self->helper, SIGTERM);
  g_clear_object (&self->helper_out);
  g_clear_object (&self->helper);
  show (self, _("Cancelled."));
  set_state (self, VL_RUNNER_CANCELLED);
}

const VlInstallPlan *
vl_install_runner_get_plan (VlInstallRunner *self)
{
  return self->plan;
}

VlRunnerState
vl_install_runner_get_state (VlInstallRunner *self)
{
  return self->state;
}

const char *
vl_install_runner_get_error (VlInstallRunner *self)
{
  return self->error;
}

guint
vl_install_runner_get_current_step (VlInstallRunner *self)
{
  return self->current;
}

const char *
vl_install_runner_get_output (VlInstallRunner *self)
{
  return self->output->str;
}

const char *
vl_install_runner_get_log_path (VlInstallRunner *self)
{
  return self->log_path;
}

/* root runs the helper directly; anyone else through pkexec, which asks for the password once.
 * VIRTLAB_HOST_HELPER names an uninstalled helper (the build tree). */
GStrv
vl_install_runner_default_helper_argv (void)
{
  const char *helper = g_getenv ("VIRTLAB_HOST_HELPER");
  g_autofree char *path = g_strdup (helper ?: LIBEXECDIR "/virtlab-host-helper");
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv argv;

  if (geteuid () != 0)
    g_strv_builder_add (builder, "pkexec");
  g_strv_builder_add (builder, path);
  argv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return argv;
}

char *
vl_install_runner_default_log_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "virtlab", "host-setup.log", NULL);
}

VlInstallRunner *
vl_install_runner_new (VlInstallPlan *plan, const char *const *helper_argv, const char *log_path)
{
  VlInstallRunner *self = g_object_new (VL_TYPE_INSTALL_RUNNER, NULL);

  self->plan = plan;
  self->helper_argv = g_strdupv ((GStrv) helper_argv);
  self->log_path = g_strdup (log_path);
  return self;
}

static void
vl_install_runner_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VlInstallRunner *self = VL_INSTALL_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vl_install_runner_dispose (GObject *object)
{
  VlInstallRunner *self = VL_INSTALL_RUNNER (object);

  g_cancellable_cancel (self->cancellable);
  /* Closing its stdin tells the helper to stop what runs and leave. */
  line_writer_clear (&self->to_helper);
  line_writer_clear (&self->log);
  g_clear_object (&self->helper_out);
  g_clear_object (&self->helper);
  G_OBJECT_CLASS (vl_install_runner_parent_class)->dispose (object);
}

static void
vl_install_runner_finalize (GObject *object)
{
  VlInstallRunner *self = VL_INSTALL_RUNNER (object);

  g_clear_pointer (&self->plan, vl_install_plan_free);
  g_strfreev (self->helper_argv);
  g_free (self->log_path);
  g_free (self->error);
  g_string_free (self->output, TRUE);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (vl_install_runner_parent_class)->finalize (object);
}

static void
vl_install_runner_class_init (VlInstallRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vl_install_runner_get_property;
  object_class->dispose = vl_install_runner_dispose;
  object_class->finalize = vl_install_runner_finalize;

  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, VL_RUNNER_IDLE, VL_RUNNER_CANCELLED,
                                             VL_RUNNER_IDLE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STEP_STARTED] = g_signal_new ("step-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_STRING);
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
vl_install_runner_init (VlInstallRunner *self)
{
  self->output = g_string_new (NULL);
  self->cancellable = g_cancellable_new ();
}
