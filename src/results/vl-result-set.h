/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The results model: systems, results and their entries, as read from one or more PTS files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VL_PROPORTION_HIB,   /* more is better */
  VL_PROPORTION_LIB,   /* fewer is better */
  VL_PROPORTION_NONE,  /* neither: pass/fail, line graphs without a direction */
} VlProportion;

typedef struct {
  char *identifier;
  char *hardware;
  char *software;
  char *user;
  char *timestamp;
  char *client_version;
  char *notes;
  char *json;
  char *source;        /* display name of the file it came from */
} VlResultSystem;

typedef struct {
  char    *system;     /* the system identifier */
  char    *value_text; /* Value as stored: PTS never recomputes it */
  double   value;      /* NAN when the run failed or the result is not numeric */
  gboolean failed;     /* empty Value: the test ran and produced nothing */
  GArray  *raw;        /* double: RawString split at ':' */
  char    *json;
  char    *error;      /* a failed run: what PTS stored as the "error" of its JSON, or NULL */
} VlResultEntry;

typedef struct {
  char         *identifier;     /* pts/iozone-1.9.6, may be empty */
  char         *title;
  char         *app_version;
  char         *arguments;
  char         *description;    /* the variant: "Record Size: 1MB - File Size: 4GB - Write" */
  char         *scale;          /* the unit */
  VlProportion  proportion;
  char         *display_format; /* BAR_GRAPH, LINE_GRAPH, PASS_FAIL, … */
  GPtrArray    *entries;        /* VlResultEntry */
} VlResult;

typedef struct {
  char      *title;
  char      *description;
  char      *last_modified;
  char      *test_client;
  char      *notes;     /* <Generated><Notes>: what the whole comparison needs said (incomplete…) */
  GPtrArray *sources;   /* char*: display names of the files merged into this set */
  GPtrArray *systems;   /* VlResultSystem */
  GPtrArray *results;   /* VlResult */
} VlResultSet;

VlResultSet    *vl_result_set_new            (void);
VlResultSet    *vl_result_set_ref            (VlResultSet        *set);
void            vl_result_set_unref          (VlResultSet        *set);
void            vl_result_set_merge          (VlResultSet        *into,
                                              const VlResultSet  *other);
VlResultSystem *vl_result_set_find_system    (const VlResultSet  *set,
                                              const char         *identifier);
gboolean        vl_result_is_bar_graph       (const VlResult     *result);
VlResultEntry  *vl_result_find_entry         (const VlResult     *result,
                                              const char         *system);
const char     *vl_result_get_subtitle       (const VlResult     *result);

/* For the loader, which builds the model piece by piece. */
VlResult       *vl_result_new                (void);
void            vl_result_free               (VlResult           *result);
void            vl_result_system_free        (VlResultSystem     *system);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlResultSet, vl_result_set_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlResultSystem, vl_result_system_free)

G_END_DECLS
