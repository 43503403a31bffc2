/* SPDX-License-Identifier: GPL-3.0-or-later */
/* firstframe: run a VNC viewer and print the ms until its top-level window (title or class
 * containing NAME) is mapped, and until it shows a guest's VGA text (many pixels of VGA light grey,
 * #a8a8a8 from the 6-bit DAC give or take, as SeaBIOS prints).  usage: firstframe NAME TIMEOUT_S CMD ARGS...  (needs DISPLAY;
 * prints "<mapped_ms> <frame_ms> <pid>"; leaves CMD running). */
#define _GNU_SOURCE
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TEXT_PIXELS 300  /* a line of BIOS text lights well over this many */

static double
now_ms (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int
matches (Display *d, Window w, const char *name)
{
  char *title = NULL;
  XClassHint hint;
  int found = 0;

  if (XFetchName (d, w, &title) && title)
    {
      found = strcasestr (title, name) != NULL;
      XFree (title);
    }
  if (!found && XGetClassHint (d, w, &hint))
    {
      found = (hint.res_name && strcasestr (hint.res_name, name)) ||
              (hint.res_class && strcasestr (hint.res_class, name));
      if (hint.res_name) XFree (hint.res_name);
      if (hint.res_class) XFree (hint.res_class);
    }
  return found;
}

/* A mapped top-level (child of the root) whose name matches, or 0. */
static Window
find_window (Display *d, const char *name)
{
  Window root_ret, parent, *children = NULL, found = 0;
  unsigned int n = 0;

  if (!XQueryTree (d, DefaultRootWindow (d), &root_ret, &parent, &children, &n))
    return 0;
  for (unsigned int i = 0; i < n && !found; i++)
    {
      XWindowAttributes attr;
      if (XGetWindowAttributes (d, children[i], &attr) && attr.map_state == IsViewable &&
          matches (d, children[i], name))
        found = children[i];
    }
  if (children)
    XFree (children);
  return found;
}

static int
text_pixels (Display *d, Window w)
{
  XWindowAttributes attr;
  XImage *image;
  int count = 0;

  if (!XGetWindowAttributes (d, w, &attr))
    return 0;
  image = XGetImage (d, w, 0, 0, attr.width, attr.height, AllPlanes, ZPixmap);
  if (!image)
    return 0;
  for (int y = 0; y < attr.height; y++)
    for (int x = 0; x < attr.width; x++)
      {
        unsigned long p = XGetPixel (image, x, y);
        unsigned r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
        if (r == g && g == b && r >= 0xa0 && r <= 0xb0)
          count++;
      }
  XDestroyImage (image);
  return count;
}

int
main (int argc, char **argv)
{
  Display *d;
  double start, mapped = -1, frame = -1, deadline;
  Window w = 0;
  pid_t pid;

  if (argc < 4)
    {
      fprintf (stderr, "usage: firstframe NAME TIMEOUT_S CMD ARGS...\n");
      return 2;
    }
  d = XOpenDisplay (NULL);
  if (!d)
    return 2;
  start = now_ms ();
  deadline = start + atof (argv[2]) * 1e3;
  pid = fork ();
  if (pid == 0)
    {
      execvp (argv[3], argv + 3);
      _exit (127);
    }
  /* Polling every 5 ms: the figures are tens to hundreds of ms, and the poll costs little. */
  while (now_ms () < deadline && frame < 0)
    {
      if (!w && (w = find_window (d, argv[1])))
        mapped = now_ms () - start;
      if (w && text_pixels (d, w) >= TEXT_PIXELS)
        frame = now_ms () - start;
      usleep (5000);
    }
  printf ("%.0f %.0f %d\n", mapped, frame, (int) pid);
  return frame >= 0 ? 0 : 1;
}
