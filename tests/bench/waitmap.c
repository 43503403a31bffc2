/* SPDX-License-Identifier: GPL-3.0-or-later */
/* waitmap: starts a program and prints how many milliseconds passed until it mapped a top-level
 * window whose title (_NET_WM_NAME or WM_NAME) or class contains NAME, ignoring case; then its pid.
 * It listens to X events (no polling) and leaves the program running.
 * usage: waitmap NAME TIMEOUT_SECONDS PROGRAM [ARG...]   prints "MS PID CPU_MS", or "timeout PID" and
 * exits 1; CPU_MS is the CPU time all the program's threads had used when the window was mapped
 * (the schedstat of each thread under /proc/PID/task, in ns there), a figure the machine's other load
 * barely changes.
 * Build: gcc -O2 -o waitmap waitmap.c -lX11 */
#define _GNU_SOURCE
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

/* The CPU time, in ms, that every thread of process PID has run so far. */
static double
cpu_ms (pid_t pid)
{
  char path[64];
  double total = 0;
  struct dirent *entry;
  DIR *dir;

  snprintf (path, sizeof path, "/proc/%d/task", (int) pid);
  dir = opendir (path);
  if (dir == NULL)
    return 0;
  while ((entry = readdir (dir)) != NULL)
    {
      char stat_path[320];
      unsigned long long run_ns;
      FILE *file;

      if (entry->d_name[0] == '.')
        continue;
      snprintf (stat_path, sizeof stat_path, "/proc/%d/task/%s/schedstat", (int) pid, entry->d_name);
      file = fopen (stat_path, "r");
      if (file == NULL)
        continue;
      if (fscanf (file, "%llu", &run_ns) == 1)
        total += run_ns / 1e6;
      fclose (file);
    }
  closedir (dir);
  return total;
}

static double
monotonic_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
contains (const char *haystack, const char *needle)
{
  return haystack != NULL && strcasestr (haystack, needle) != NULL;
}

static int
window_is_named (Display *display, Window window, const char *name)
{
  Atom net_wm_name = XInternAtom (display, "_NET_WM_NAME", False);
  Atom utf8 = XInternAtom (display, "UTF8_STRING", False);
  Atom type;
  int format, found = 0;
  unsigned long count, rest;
  unsigned char *value = NULL;
  char *wm_name = NULL;
  XClassHint hint = { NULL, NULL };

  if (XGetWindowProperty (display, window, net_wm_name, 0, 4096, False, utf8, &type, &format, &count, &rest,
                          &value) == Success && value != NULL)
    {
      found = contains ((char *) value, name);
      XFree (value);
    }
  if (!found && XFetchName (display, window, &wm_name) && wm_name != NULL)
    {
      found = contains (wm_name, name);
      XFree (wm_name);
    }
  if (!found && XGetClassHint (display, window, &hint))
    found = contains (hint.res_name, name) || contains (hint.res_class, name);
  if (hint.res_name != NULL)
    XFree (hint.res_name);
  if (hint.res_class != NULL)
    XFree (hint.res_class);
  return found;
}

/* Errors about windows that went away between an event and our question are expected. */
static int
ignore_x_error (Display *display, XErrorEvent *event)
{
  (void) display;
  (void) event;
  return 0;
}

int
main (int argc, char **argv)
{
  Display *display;
  double start, limit;
  pid_t pid;

  if (argc < 4)
    {
      fprintf (stderr, "usage: waitmap NAME TIMEOUT_SECONDS PROGRAM [ARG...]\n");
      return 2;
    }
  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      fprintf (stderr, "waitmap: cannot open the display\n");
      return 2;
    }
  XSetErrorHandler (ignore_x_error);
  /* Creation and mapping of the root's children, before the program starts. */
  XSelectInput (display, DefaultRootWindow (display), SubstructureNotifyMask);
  XSync (display, False);
  limit = atof (argv[2]) * 1000;
  start = monotonic_ms ();
  pid = fork ();
  if (pid == 0)
    {
      execvp (argv[3], argv + 3);
      _exit (127);
    }
  for (;;)
    {
      struct pollfd pfd = { ConnectionNumber (display), POLLIN, 0 };
      double left;

      while (XPending (display) > 0)
        {
          XEvent event;
          Window window = None;
          XWindowAttributes attributes;

          XNextEvent (display, &event);
          if (event.type == CreateNotify)
            /* Its title may come after it is mapped: watch its properties too. */
            XSelectInput (display, event.xcreatewindow.window, PropertyChangeMask | StructureNotifyMask);
          else if (event.type == MapNotify)
            window = event.xmap.window;
          else if (event.type == PropertyNotify)
            window = event.xproperty.window;
          if (window != None && XGetWindowAttributes (display, window, &attributes) &&
              attributes.map_state == IsViewable && window_is_named (display, window, argv[1]))
            {
              double ms = monotonic_ms () - start;

              printf ("%.0f %d %.1f\n", ms, (int) pid, cpu_ms (pid));
              return 0;
            }
        }
      left = limit - (monotonic_ms () - start);
      if (left <= 0)
        {
          printf ("timeout %d\n", (int) pid);
          return 1;
        }
      poll (&pfd, 1, (int) left + 1);
    }
}
